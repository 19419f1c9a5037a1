//! `sim` — a discrete-event simulator of Amazon ECS clusters for capacity planning.
//!
//! It replays a workload (a trace or generated job streams) against several *arms* — EC2-mode
//! clusters of container instances and the Fargate pool — and reports, side by side, what each
//! would cost, how well it would be used and how long tasks would wait.
//!
//! # Glossary
//! - **arm**: one launch configuration to compare (`[[arm]]` in a scenario): EC2 or FARGATE.
//! - **capacity provider**: where an arm's tasks run: an EC2 Auto Scaling group (fixed, or
//!   with managed scaling; on-demand or Spot), FARGATE or FARGATE_SPOT; a capacity-provider
//!   strategy (base, weight) splits tasks between them.
//! - **service**: long-running tasks kept at a desired count, with rolling deployments and
//!   target-tracking auto scaling.
//! - **container instance**: an EC2 instance registered with the cluster; it offers CPU units
//!   (`vCPU × 1024`), registered memory, ENI slots (awsvpc) and host ports (bridge/host).
//! - **task**: one run of a task definition: CPU units, memory, a run time, a task group.
//! - **task group**: `service:<name>`, a job's name, a trace's `group`, else `default`; what
//!   `spread` and `distinctInstance` count.
//! - **placement**: ECS's choice of instance: resources → constraints → strategy chain.
//! - **pending**: a task waiting for capacity (PROVISIONING), in arrival order.
//! - **Fargate size**: the valid CPU/memory pair a Fargate task is billed at (rounded up).
//! - **reservation / utilisation**: reserved ÷ registered (EC2) or requested ÷ billed (Fargate),
//!   integrated over time.
//!
//! # Codemap (arrows point down only)
//! Each line is a layer; a module uses only itself and the layers listed below it (modules on
//! one line use none of each other). `tests/it/layers.rs` reads this list and checks every
//! `crate::` path in `src/` against it.
//! - [`cli`]: clap commands; the only code that prints or exits; `anyhow` context.
//! - [`sweep`]: parameter sweeps: the sweep file, dotted-path patches of the scenario, the grid
//!   of variants × seeds and per-run seeds, parallel runs on a rayon pool, runs.csv / sweep.csv /
//!   sweep.json, resume, `--shard I/N` slices and `sim merge`. Uses `scenario`, `sim` and `report`.
//! - [`report`]: CSV/JSON/table exporters and run plots (SVG, PNG) that render bytes into an
//!   [`report::OutputPlan`] (an output folder's named files), which one atomic writer commits;
//!   summary.csv's row is one serde struct ([`report::SummaryRow`]) both ways, and the
//!   cheapest complete arm one rule ([`report::cost_verdict::CostVerdict`]).
//! - [`sim`]: ECS on the engine: one arm's world, event handlers, capacity providers and
//!   managed scaling, Spot, services, metrics; [`sim::run`] simulates every arm of a scenario.
//! - [`scenario`]: TOML → raw serde structs → validated [`scenario::Scenario`]; errors name file,
//!   line, column and key; the bounds a run stays within ([`scenario::limits`]); task-definition
//!   JSON files ([`scenario::task_definition_file`]).
//! - [`prices`]: price lists from AWS's own files: `prices.toml` ([`prices::PriceFile`]) and
//!   the streaming importer of AWS Price List offer files ([`prices::import_offers`]).
//! - [`trace`]: [`trace::TraceSource`] (tasks in arrival order), the streaming CSV reader and
//!   its replay options, generated job streams ([`trace::JobSpec`]), trace statistics
//!   ([`trace::trace_stats`]), importers of public cluster traces ([`trace::import`]).
//! - [`placement`]: the hot loop: [`placement::place`]; the reference scan; constraints,
//!   strategies and the cluster query language. Pure.
//! - [`model`]: instance types, Fargate sizes, prices and billing rules, task specs and task
//!   definitions, cluster state (struct of arrays). Pure.
//! - [`engine`]: event queue ordered by (time, kind, sequence), seeded RNG streams. Knows no ECS.
//! - [`time`], [`ids`], [`util`]: `SimTime`/`SimDuration` (integer ms) and the longest duration
//!   anything may last; dense ids; building blocks with no simulation knowledge (the external
//!   merge sort of trace import and sweep outputs, a bit set, nearest-rank percentiles, aligned
//!   text tables).
//!
//! `engine`, `model` and `placement` do no I/O, read no clock or environment and never iterate
//! a hash map. Modelling rules and their sources are in `docs/model.md`.

#![forbid(unsafe_code)]

pub mod cli;
pub mod engine;
pub mod ids;
pub mod model;
pub mod placement;
pub mod prices;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod sweep;
pub mod time;
pub mod trace;
pub mod util;
