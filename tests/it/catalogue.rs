//! The bad-input catalogue: malformed scenarios, sweep files and traces, each with the exact
//! first line of stderr it gets, exit status 2, and nothing left in the output folder.
//!
//! The table is also the documentation: docs/bad-input.md is generated from it, and a test
//! checks the two agree (`UPDATE_BAD_INPUT_DOC=1 cargo test --test it catalogue` rewrites it).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::common::{root, sim};

/// What kind of input a case breaks (a heading of docs/bad-input.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Scenario,
    Sweep,
    Trace,
    Import,
}

impl Kind {
    fn heading(self) -> &'static str {
        match self {
            Kind::Scenario => "Scenario files (`sim run`)",
            Kind::Sweep => "Sweep files (`sim sweep`)",
            Kind::Trace => "Traces (`sim run` with a trace, `sim trace stats`)",
            Kind::Import => "Trace import (`sim trace import`)",
        }
    }
}

/// One malformed input and the exact message it gets.
struct Case {
    kind: Kind,
    name: &'static str,
    /// Files written in the case's folder before the run: (name, contents). `<HH>` in the
    /// contents stands for the byte with hex value HH.
    files: &'static [(&'static str, &'static str)],
    /// The command line, run in the case's folder; outputs go to `out` (or `out.csv`).
    args: &'static [&'static str],
    /// The exact first line of stderr.
    message: &'static str,
}

/// A valid scenario: one job, an EC2 arm and a Fargate arm (14 lines).
macro_rules! base {
    () => {
        "horizon = \"1h\"\n\
         [[workload.jobs]]\n\
         name = \"etl\"\n\
         arrival = { poisson = { per_hour = 60 } }\n\
         duration = \"5m\"\n\
         cpu = 1024\n\
         memory = 2048\n\
         [[arm]]\n\
         name = \"ec2\"\n\
         launch_type = \"EC2\"\n\
         instance_types = [\"m5.large\"]\n\
         capacity = { fixed = 2 }\n\
         [[arm]]\n\
         name = \"fargate\"\n\
         launch_type = \"FARGATE\"\n"
    };
}

/// A scenario whose workload is `trace.csv`, with a Fargate arm (5 lines).
macro_rules! traced {
    () => {
        "horizon = \"1h\"\n\
         [workload]\n\
         trace = \"trace.csv\"\n\
         [[arm]]\n\
         name = \"fargate\"\n\
         launch_type = \"FARGATE\"\n"
    };
}

/// The header of a trace with the required columns.
macro_rules! header {
    () => {
        "arrival_s,duration_s,cpu_units,memory_mib\n"
    };
}

const RUN: &[&str] = &["run", "s.toml", "--out", "out", "--quiet"];
const SWEEP: &[&str] = &["sweep", "sw.toml", "--out", "out", "--quiet"];
const STATS: &[&str] = &["trace", "stats", "trace.csv"];

/// A scenario case: `s.toml` is `text`, run with `sim run`.
macro_rules! scenario {
    ($name:expr, $text:expr, $msg:expr) => {
        Case {
            kind: Kind::Scenario,
            name: $name,
            files: &[("s.toml", $text)],
            args: RUN,
            message: $msg,
        }
    };
}

/// A sweep case: `base.toml` is the base scenario, `sw.toml` is `text`.
macro_rules! sweep {
    ($name:expr, $text:expr, $msg:expr) => {
        Case {
            kind: Kind::Sweep,
            name: $name,
            files: &[("base.toml", base!()), ("sw.toml", $text)],
            args: SWEEP,
            message: $msg,
        }
    };
}

/// A trace case: `trace.csv` is `text`, replayed by `sim run`.
macro_rules! trace {
    ($name:expr, $text:expr, $msg:expr) => {
        Case {
            kind: Kind::Trace,
            name: $name,
            files: &[("s.toml", traced!()), ("trace.csv", $text)],
            args: RUN,
            message: $msg,
        }
    };
}

/// An import case: `in.csv` is `text`, imported as `format`.
macro_rules! import {
    ($name:expr, $format:expr, $text:expr, $msg:expr) => {
        Case {
            kind: Kind::Import,
            name: $name,
            files: &[("in.csv", $text)],
            args: &[
                "trace", "import", "--format", $format, "in.csv", "-o", "out.csv",
            ],
            message: $msg,
        }
    };
}

/// A scenario case whose job is sized by `td.json` (`text`), run with `sim run`.
macro_rules! taskdef {
    ($name:expr, $text:expr, $msg:expr) => {
        Case {
            kind: Kind::Scenario,
            name: $name,
            files: &[
                (
                    "s.toml",
                    "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ntask_definition = \"td.json\"\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
                ),
                ("td.json", $text),
            ],
            args: RUN,
            message: $msg,
        }
    };
}

const CASES: &[Case] = &[
    // ---- scenario files ----
    scenario!(
        "TOML syntax error",
        "horizon = \"1h\nseed = 1\n",
        "error: s.toml:1:14: field `horizon`: invalid basic string, expected `\"`"
    ),
    scenario!(
        "value missing",
        "horizon = \"1h\"\nseed =\n",
        "error: s.toml:2:7: field `seed`: no value after `=`; expected a value (a quoted string, a number, true or false, an array or an inline table)"
    ),
    scenario!(
        "unknown top-level key",
        concat!("colour = \"red\"\n", base!()),
        "error: s.toml:1:1: unknown field `colour`, expected one of `name`, `seed`, `horizon`, `metrics_interval`, `pricing`, `instance_type`, `workload`, `arm`, `commitment`"
    ),
    scenario!(
        "unknown key in [[workload.jobs]]",
        concat!(
            base!(),
            "[[workload.jobs]]\nname = \"b\"\narrival = { poisson = { per_hour = 1 } }\nduration = \"5m\"\ncpu = 256\nmemory = 512\ncpus = 2\n"
        ),
        "error: s.toml:22:1: unknown field `cpus`, expected one of `name`, `arrival`, `duration`, `cpu`, `memory`, `ephemeral_storage_gib`, `start`, `end`, `max_tasks`, `host_ports`, `placement_constraints`, `task_definition`, `stop_timeout`, `os`, `nat_gb_per_task_hour`, `service_connect`, `service_connect_peak_rps`, `service_connect_large_namespace`"
    ),
    scenario!(
        "stop_timeout above 120 s",
        concat!(
            base!(),
            "[[workload.jobs]]\nname = \"b\"\narrival = { poisson = { per_hour = 1 } }\nduration = \"5m\"\ncpu = 256\nmemory = 512\nstop_timeout = \"3m\"\n"
        ),
        "error: s.toml:22:16: `workload.jobs.stop_timeout`: found 3m; expected at most 120s (\"`stopTimeout` max 120 s on Fargate\", docs/reference/ecs-facts.md §1.6)"
    ),
    Case {
        kind: Kind::Scenario,
        name: "task definition stopTimeout above 120 s",
        files: &[
            (
                "s.toml",
                "horizon = \"1h\"\n[[workload.services]]\nname = \"web\"\ndesired = 1\ntask_definition = \"td.json\"\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
            ),
            (
                "td.json",
                "{ \"cpu\": \"256\", \"memory\": \"512\", \"containerDefinitions\": [{ \"name\": \"app\", \"stopTimeout\": 300 }] }\n",
            ),
        ],
        args: RUN,
        message: "error: s.toml:5:19: `workload.services.task_definition`: td.json: `containerDefinitions[0].stopTimeout`: found 300; expected whole seconds in 0..=120 (\"`stopTimeout` max 120 s on Fargate\", docs/reference/ecs-facts.md §1.6)",
    },
    scenario!(
        "unknown key in [[arm]]",
        concat!(base!(), "spot = true\n"),
        "error: s.toml:16:1: unknown field `spot`, expected one of `name`, `launch_type`, `instance_types`, `availability_zones`, `network_mode`, `eni_trunking`, `placement_strategy`, `placement_constraints`, `capacity`, `purchase`, `spot_interruptions_per_hour`, `on_interruption`, `on_no_capacity`, `instance_launch_latency`, `task_start_latency`, `reserved_memory_mib`, `capacity_providers`, `capacity_provider_strategy`, `cpu_architecture`, `fargate_vcpu_quota`, `subnet_ips`, `assign_public_ip`, `nat_gateways`, `os`"
    ),
    scenario!(
        "unknown key in [pricing]",
        concat!(
            base!(),
            "[pricing]\nregion = \"us-east-1\"\ndiscount = 0.5\n"
        ),
        "error: s.toml:18:1: unknown field `discount`, expected one of `region`, `fargate_vcpu_hour`, `fargate_gb_hour`, `fargate_arm_vcpu_hour`, `fargate_arm_gb_hour`, `fargate_storage_gb_hour`, `fargate_spot_discount`, `spot_discount`, `ec2`, `public_ipv4_hour`, `alb_hour`, `alb_lcu_hour`, `nat_gb`, `nat_gateway_hour`, `include_shared_costs`, `fargate_windows_vcpu_hour`, `fargate_windows_gb_hour`, `fargate_windows_os_licence_vcpu_hour`, `ec2_windows`, `price_list`, `discount_percent`"
    ),
    scenario!(
        "unknown key in capacity",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 1024\nmemory = 2048\n[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixd = 2 }\n",
        "error: s.toml:12:14: field `capacity`: unknown field `fixd`, expected one of `fixed`, `min`, `max`, `managed_scaling`"
    ),
    scenario!(
        "cpu in a unit ECS does not take",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = \"1 vCPUs\"\nmemory = 2048\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
        "error: s.toml:6:7: `workload.jobs.cpu`: found \"1 vCPUs\"; expected CPU units as an integer (1024) or a string: \"1024\", \"1 vCPU\", \"0.25 vCPU\""
    ),
    scenario!(
        "memory in words",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 1024\nmemory = \"two GB\"\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
        "error: s.toml:7:10: `workload.jobs.memory`: found \"two GB\"; expected MiB as an integer (2048) or a string: \"2048\", \"512 MiB\", \"2 GB\", \"2GiB\", \"0.5 GB\""
    ),
    scenario!(
        "fractional memory as a number",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 1024\nmemory = 0.5\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
        "error: s.toml:7:10: field `memory`: found the number 0.5; expected an integer (CPU units or MiB) or a string with a unit such as \"1 vCPU\" or \"2 GB\""
    ),
    scenario!(
        "memory below the Docker minimum (GB meant)",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = \"1 vCPU\"\nmemory = 2\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
        "error: s.toml:7:10: `workload.jobs.memory`: found 2 MiB; expected at least 6 MiB, the least memory Docker gives a container (docs/reference/ecs-facts.md §2.2); did you mean \"2 GB\" (2048 MiB)? A plain number is MiB"
    ),
    taskdef!(
        "Windows task definition on a Linux arm",
        "{\"cpu\": \"1 vCPU\", \"memory\": \"2 GB\", \"runtimePlatform\": {\"operatingSystemFamily\": \"WINDOWS_SERVER_2022_CORE\"}, \"containerDefinitions\": [{\"name\": \"app\"}]}",
        "error: s.toml:8:8: arm `fargate` is linux (its `os`, default linux) and job `etl` is windows: ECS runs a task only on capacity of its own operating system; expected `os = \"windows\"` on an arm of its own for it, or the same `os` on both"
    ),
    scenario!(
        "Windows arm on FARGATE_SPOT",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 1024\nmemory = 2048\nos = \"windows\"\n[[arm]]\nname = \"win\"\nlaunch_type = \"FARGATE_SPOT\"\nos = \"windows\"\n",
        "error: s.toml:12:6: arm `win` is windows and runs FARGATE_SPOT tasks: \"Fargate Spot is not supported on Windows-based containers on Fargate\" (docs/reference/pricing.md §1.5); expected launch_type = \"FARGATE\" with no FARGATE_SPOT weight or base"
    ),
    scenario!(
        "Windows EC2 arm without Windows prices",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 1024\nmemory = 2048\nos = \"windows\"\n[[arm]]\nname = \"win\"\nlaunch_type = \"EC2\"\nos = \"windows\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\n",
        "error: s.toml:12:6: arm `win` is windows, and no Windows on-demand price is known for `m5.large` (none are built in, docs/reference/pricing.md §2.1); expected `ec2_windows = { \"<type>\" = <USD per hour> }` in [pricing], or a `price_list` that prices them under `[ec2.windows]` (`sim prices import`)"
    ),
    taskdef!(
        "GPU in a task definition",
        "{\"containerDefinitions\": [{\"name\": \"train\", \"memory\": 4096, \"resourceRequirements\": [{\"type\": \"GPU\", \"value\": \"1\"}]}]}",
        "error: s.toml:6:19: `workload.jobs.task_definition`: td.json: `containerDefinitions[0].resourceRequirements[0].type`: found \"GPU\"; GPUs are not modelled (no instance type in sim has a GPU, and ECS places a GPU task only on an instance with free GPUs); expected no resourceRequirements"
    ),
    taskdef!(
        "container memory above the task's",
        "{\"cpu\": \"1 vCPU\", \"memory\": \"1 GB\", \"containerDefinitions\": [{\"name\": \"app\", \"memory\": 2048}]}",
        "error: s.toml:6:19: `workload.jobs.task_definition`: td.json: `containerDefinitions[0].memory`: found 2048 MiB, more than the task's `memory` (1024 MiB); ECS refuses it (\"The total amount of memory reserved for all containers within a task must be lower than the task memory value\", ContainerDefinition `memory`, docs/model.md §17.3); expected at most 1024 MiB"
    ),
    taskdef!(
        "port range in a task definition",
        "{\"networkMode\": \"host\", \"containerDefinitions\": [{\"name\": \"app\", \"memory\": 512, \"portMappings\": [{\"containerPortRange\": \"8000-8099\"}]}]}",
        "error: s.toml:6:19: `workload.jobs.task_definition`: td.json: `containerDefinitions[0].portMappings[0].containerPortRange`: port ranges are not modelled (in host mode every port of the range is held on the instance, which changes where tasks fit); expected one `containerPort` (and `hostPort`) per mapping"
    ),
    scenario!(
        "bool for horizon",
        concat!(
            "seed = 1\nhorizon = true\n",
            "[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n"
        ),
        "error: s.toml:2:11: field `horizon`: found the boolean true; expected a duration such as \"90s\", \"15m\", \"2h\" or a number of seconds"
    ),
    scenario!(
        "cpu 0",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 0\nmemory = 2048\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
        "error: s.toml:6:7: `workload.jobs.cpu`: found 0; expected an integer in 1..=16777216"
    ),
    scenario!(
        "negative memory",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 256\nmemory = -1\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
        "error: s.toml:7:10: `workload.jobs.memory`: found -1; expected an integer in 1..=67108864"
    ),
    scenario!(
        "spot_discount above 1",
        concat!(base!(), "[pricing]\nspot_discount = 1.5\n"),
        "error: s.toml:17:17: `pricing.spot_discount`: found 1.5; expected the fraction off the on-demand price, 0 <= x < 1 (0.65 is 65% off)"
    ),
    scenario!(
        "zero horizon",
        "horizon = \"0s\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 256\nmemory = 512\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
        "error: s.toml:1:11: `horizon`: found 0; expected a positive duration such as \"24h\""
    ),
    scenario!(
        "duration with a spelled-out unit",
        "horizon = \"1 hour\"\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
        "error: s.toml:1:11: field `horizon`: `1 hour` is not a duration: unknown unit `hour`; expected a number with ms, s, m, h or d (e.g. \"90s\", \"15m\")"
    ),
    scenario!(
        "unknown instance type",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 256\nmemory = 512\n[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.huge\"]\ncapacity = { fixed = 1 }\n",
        "error: s.toml:11:19: `arm.instance_types`: unknown instance type `m5.huge`; expected a catalog type (see `sim catalog instance-types`) or one defined in [[instance_type]]"
    ),
    scenario!(
        "unknown launch_type",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 256\nmemory = 512\n[[arm]]\nname = \"x\"\nlaunch_type = \"LAMBDA\"\n",
        "error: s.toml:10:15: `arm.launch_type`: found `LAMBDA`; expected `EC2`, `FARGATE` or `FARGATE_SPOT`"
    ),
    scenario!(
        "unknown distribution",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = { weibull = { shape = 2 } }\ncpu = 256\nmemory = 512\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
        "error: s.toml:5:12: field `duration`: unknown distribution `weibull`; expected a duration (\"10m\"), { exponential = { mean = \"60s\" } }, { lognormal = { median = \"10m\", sigma = 0.8 } } or { uniform = { min = \"1m\", max = \"5m\" } }"
    ),
    scenario!(
        "unknown arrival process",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { hawkes = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 256\nmemory = 512\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
        "error: s.toml:4:11: field `arrival`: unknown arrival process `hawkes`; expected { poisson = { per_hour = 120 } }, { fixed_interval = \"5m\" } or { diurnal = { mean_per_hour = 120, peak_ratio = 3.0, peak_at = \"14h\" } }"
    ),
    scenario!(
        "lognormal with negative sigma",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = { lognormal = { median = \"5m\", sigma = -1 } }\ncpu = 256\nmemory = 512\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
        "error: s.toml:5:12: `workload.jobs.duration`: lognormal sigma is -1; expected a number in 0..=10"
    ),
    scenario!(
        "uniform with min above max",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = { uniform = { min = \"10m\", max = \"5m\" } }\ncpu = 256\nmemory = 512\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
        "error: s.toml:5:12: `workload.jobs.duration`: uniform min 10m and max 5m; expected min <= max and max > 0"
    ),
    scenario!(
        "negative arrival rate",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = -5 } }\nduration = \"5m\"\ncpu = 256\nmemory = 512\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
        "error: s.toml:4:11: `workload.jobs.arrival.poisson.per_hour`: found -5; expected a positive rate up to 36000000 per hour"
    ),
    scenario!(
        "fixed capacity together with max",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 256\nmemory = 512\n[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 2, max = 4 }\n",
        "error: s.toml:12:31: `arm.capacity`: `fixed` together with `max`; expected either { fixed = N } (a fixed fleet) or { min = A, max = B, managed_scaling = { .. } } (managed scaling)"
    ),
    scenario!(
        "managed capacity with min above max",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 256\nmemory = 512\n[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ncapacity = { min = 5, max = 2 }\n",
        "error: s.toml:12:20: `arm.capacity.min`: found 5; expected at most `max` (2)"
    ),
    scenario!(
        "unknown placement strategy",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 256\nmemory = 512\n[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\nplacement_strategy = [{ type = \"pack\" }]\n",
        "error: s.toml:13:23: `arm.placement_strategy`: unknown placement strategy type `pack`; expected `binpack`, `spread` or `random`"
    ),
    scenario!(
        "placement strategy on a Fargate arm",
        concat!(
            base!(),
            "placement_strategy = [{ type = \"binpack\", field = \"cpu\" }]\n"
        ),
        "error: s.toml:16:22: `arm.placement_strategy` applies to EC2 arms only; Fargate has no instances to configure (placement strategies and constraints are not supported on Fargate, docs/reference/ecs-facts.md §1.7)"
    ),
    scenario!(
        "unknown provider in a strategy",
        concat!(
            base!(),
            "capacity_provider_strategy = [{ provider = \"FARGATE_SPOTT\", weight = 1 }]\n"
        ),
        "error: s.toml:16:44: `arm.capacity_provider_strategy`: unknown provider `FARGATE_SPOTT` (did you mean `FARGATE_SPOT`?) on a Fargate arm; expected `FARGATE` or `FARGATE_SPOT` (a strategy may mix only Auto Scaling group providers or only Fargate providers, docs/reference/ecs-facts.md §5.1)"
    ),
    scenario!(
        "service desired above 5000",
        concat!(
            base!(),
            "[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = 6000\n"
        ),
        "error: s.toml:20:11: `workload.services.desired`: found 6000; expected an integer in 0..=5000"
    ),
    scenario!(
        "duplicate service names",
        concat!(
            base!(),
            "[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = 1\n[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = 1\n"
        ),
        "error: s.toml:22:8: `workload.services.name`: `web` is used by another service; expected unique names"
    ),
    scenario!(
        "duplicate arm names",
        concat!(
            base!(),
            "[[arm]]\nname = \"ec2\"\nlaunch_type = \"FARGATE\"\n"
        ),
        "error: s.toml:17:8: `arm.name`: `ec2` is used by another arm; expected unique names"
    ),
    scenario!(
        "no arms",
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 256\nmemory = 512\n",
        "error: s.toml:8:1: no `[[arm]]`; expected at least one launch configuration to simulate"
    ),
    scenario!(
        "missing trace file",
        traced!(),
        "error: s.toml:3:9: `workload.trace`: cannot open `trace.csv`: No such file or directory (os error 2); expected a CSV trace file (relative paths are relative to the scenario)"
    ),
    Case {
        kind: Kind::Scenario,
        name: "scenario file missing",
        files: &[],
        args: RUN,
        message: "error: cannot read scenario `s.toml`: No such file or directory (os error 2)",
    },
    scenario!(
        "empty scenario file",
        "",
        "error: s.toml:1:1: the workload is empty; expected `[workload]` with a `trace`, at least one `[[workload.jobs]]` or at least one `[[workload.services]]`"
    ),
    scenario!(
        "scenario not UTF-8",
        "horizon = \"1h<FF>\"\n",
        "error: s.toml:1:14: found the byte 0xFF, which is not valid UTF-8; expected a UTF-8 text file"
    ),
    // ---- sweep files ----
    sweep!(
        "sweep TOML syntax error",
        "scenario = \"base.toml\nseeds = 2\n",
        "error: sw.toml:1:22: field `scenario`: invalid basic string, expected `\"`"
    ),
    sweep!(
        "unknown top-level key",
        "scenario = \"base.toml\"\nseed = 2\n",
        "error: sw.toml:2:1: unknown field `seed`, expected one of `scenario`, `seeds`, `parameters`"
    ),
    sweep!(
        "base scenario missing",
        "scenario = \"nope.toml\"\n[parameters]\n\"arm.ec2.capacity.fixed\" = [1, 2]\n",
        "error: sw.toml:1:12: `scenario`: cannot read `nope.toml`: No such file or directory (os error 2); expected the base scenario file (a path relative to the sweep file)"
    ),
    sweep!(
        "scenario not a string",
        "scenario = 3\n",
        "error: sw.toml:1:12: field `scenario`: invalid type: integer `3`, expected a string"
    ),
    sweep!(
        "seeds 0",
        "scenario = \"base.toml\"\nseeds = 0\n",
        "error: sw.toml:2:9: `seeds`: found 0; expected a positive integer"
    ),
    sweep!(
        "seeds a string",
        "scenario = \"base.toml\"\nseeds = \"two\"\n",
        "error: sw.toml:2:9: `seeds`: found \"two\"; expected a positive integer"
    ),
    sweep!(
        "empty list of values",
        "scenario = \"base.toml\"\n[parameters]\n\"arm.ec2.capacity.fixed\" = []\n",
        "error: sw.toml:3:28: parameter `arm.ec2.capacity.fixed`: the list is empty; expected at least one value"
    ),
    sweep!(
        "parameter neither list nor range",
        "scenario = \"base.toml\"\n[parameters]\n\"arm.ec2.capacity.fixed\" = 3\n",
        "error: sw.toml:3:28: parameter `arm.ec2.capacity.fixed`: found 3; expected a list of values or a range `{ from = .., to = .., step = .. }`"
    ),
    sweep!(
        "range step 0",
        "scenario = \"base.toml\"\n[parameters]\n\"arm.ec2.capacity.fixed\" = { from = 1, to = 3, step = 0 }\n",
        "error: sw.toml:3:28: parameter `arm.ec2.capacity.fixed`: range `step`: found 0; expected a positive number"
    ),
    sweep!(
        "range going down",
        "scenario = \"base.toml\"\n[parameters]\n\"arm.ec2.capacity.fixed\" = { from = 5, to = 1, step = 1 }\n",
        "error: sw.toml:3:28: parameter `arm.ec2.capacity.fixed`: range: `to` (1) is below `from` (5); expected from <= to"
    ),
    sweep!(
        "range without step",
        "scenario = \"base.toml\"\n[parameters]\n\"arm.ec2.capacity.fixed\" = { from = 1, to = 3 }\n",
        "error: sw.toml:3:28: parameter `arm.ec2.capacity.fixed`: the range has no `step`; expected `from`, `to` and `step`"
    ),
    sweep!(
        "range with a string bound",
        "scenario = \"base.toml\"\n[parameters]\n\"arm.ec2.capacity.fixed\" = { from = \"1\", to = 3, step = 1 }\n",
        "error: sw.toml:3:28: parameter `arm.ec2.capacity.fixed`: range `from`: found \"1\"; expected a number"
    ),
    sweep!(
        "range with an unknown key",
        "scenario = \"base.toml\"\n[parameters]\n\"arm.ec2.capacity.fixed\" = { from = 1, to = 3, step = 1, by = 2 }\n",
        "error: sw.toml:3:28: parameter `arm.ec2.capacity.fixed`: unknown key `by` in a range; expected `from`, `to` and `step`"
    ),
    sweep!(
        "range of too many values",
        "scenario = \"base.toml\"\n[parameters]\n\"workload.jobs.etl.arrival.poisson.per_hour\" = { from = 1, to = 1000000, step = 1 }\n",
        "error: sw.toml:3:48: parameter `workload.jobs.etl.arrival.poisson.per_hour`: the range has 1000000 values; expected at most 100000 (a larger step or a narrower range)"
    ),
    sweep!(
        "unknown arm in a path",
        "scenario = \"base.toml\"\n[parameters]\n\"arm.ec3.capacity.fixed\" = [1, 2]\n",
        "error: sw.toml:3:28: parameter `arm.ec3.capacity.fixed`: no `arm` named `ec3`; the scenario has `ec2`, `fargate`"
    ),
    sweep!(
        "unknown key in a path",
        "scenario = \"base.toml\"\n[parameters]\n\"arm.ec2.capacity.fixd\" = [1, 2]\n",
        "error: sw.toml:3:27: variant 0 (`arm.ec2.capacity.fixd = 1`) is not a valid scenario: unknown field `fixd`, expected one of `fixed`, `min`, `max`, `managed_scaling` (at `arm.capacity.fixd` in the variant)"
    ),
    sweep!(
        "unknown job in a path",
        "scenario = \"base.toml\"\n[parameters]\n\"workload.jobs.nope.cpu\" = [256]\n",
        "error: sw.toml:3:28: parameter `workload.jobs.nope.cpu`: no `workload.jobs` named `nope`; the scenario has `etl`"
    ),
    sweep!(
        "value invalid for the scenario",
        "scenario = \"base.toml\"\n[parameters]\n\"arm.ec2.capacity.fixed\" = [2, 0]\n",
        "error: sw.toml:3:28: variant 1 (`arm.ec2.capacity.fixed = 0`) is not a valid scenario: `arm.capacity.fixed`: found 0; expected an integer in 1..=100000"
    ),
    sweep!(
        "value of the wrong type",
        "scenario = \"base.toml\"\n[parameters]\n\"workload.jobs.etl.cpu\" = [\"big\"]\n",
        "error: sw.toml:3:27: variant 0 (`workload.jobs.etl.cpu = \"big\"`) is not a valid scenario: `workload.jobs.cpu`: found \"big\"; expected CPU units as an integer (1024) or a string: \"1024\", \"1 vCPU\", \"0.25 vCPU\""
    ),
    sweep!(
        "whole list given as one table",
        "scenario = \"base.toml\"\n[parameters]\n\"arm.ec2.placement_strategy\" = [{ type = \"spread\", field = \"instanceId\" }]\n",
        "error: sw.toml:3:32: variant 0 (`arm.ec2.placement_strategy = { type = \"spread\", field = \"instanceId\" }`) is not a valid scenario: invalid type: map, expected an array (at `arm.placement_strategy` in the variant)"
    ),
    sweep!(
        "whole list with an unknown element",
        "scenario = \"base.toml\"\n[parameters]\n\"arm.ec2.placement_strategy\" = [[{ type = \"binpack\", field = \"memory\" }], [{ type = \"spread\", field = \"instanceId\", order = 1 }]]\n",
        "error: sw.toml:3:32: variant 1 (`arm.ec2.placement_strategy = [{ type = \"spread\", field = \"instanceId\", order = 1 }]`) is not a valid scenario: unknown field `order`, expected `type` or `field` (at `arm.placement_strategy.order` in the variant)"
    ),
    Case {
        kind: Kind::Sweep,
        name: "sweep file missing",
        files: &[],
        args: SWEEP,
        message: "error: cannot read sweep file `sw.toml`: No such file or directory (os error 2)",
    },
    // ---- traces ----
    trace!(
        "rows out of order",
        concat!(header!(), "10,60,256,512\n5,60,256,512\n"),
        "error: simulating `s.toml`: trace.csv: row 2 (line 3), column `arrival_s`: found 5, earlier than the previous row's 10; expected rows sorted by arrival_s (non-decreasing)"
    ),
    trace!(
        "value missing",
        concat!(header!(), "0,60,,512\n"),
        "error: simulating `s.toml`: trace.csv: row 1 (line 2), column `cpu_units`: missing value; expected a number"
    ),
    trace!(
        "negative duration",
        concat!(header!(), "0,-60,256,512\n"),
        "error: simulating `s.toml`: trace.csv: row 1 (line 2), column `duration_s`: found `-60`; expected a number > 0"
    ),
    trace!(
        "value not a number",
        concat!(header!(), "0,sixty,256,512\n"),
        "error: simulating `s.toml`: trace.csv: row 1 (line 2), column `duration_s`: found `sixty`; expected a number"
    ),
    trace!(
        "header without a required column",
        "arrival_s,duration_s,cpu_units\n0,60,256\n",
        "error: simulating `s.toml`: trace.csv: line 1 (header): missing required column `memory_mib`; expected a header with arrival_s, duration_s, cpu_units, memory_mib"
    ),
    trace!(
        "empty trace",
        "",
        "error: simulating `s.toml`: trace.csv: line 1: the file is empty; expected a header with arrival_s, duration_s, cpu_units, memory_mib, then one row per task"
    ),
    trace!(
        "row with too few fields",
        concat!(header!(), "0,60,256\n"),
        "error: simulating `s.toml`: trace.csv: row 1 (line 2): found 3 fields (no value for `memory_mib`); expected 4, one per header column"
    ),
    trace!(
        "infinite memory",
        concat!(header!(), "0,60,256,inf\n"),
        "error: simulating `s.toml`: trace.csv: row 1 (line 2), column `memory_mib`: found `inf`; expected a finite number"
    ),
    Case {
        kind: Kind::Trace,
        name: "rows out of order, read by trace stats",
        files: &[(
            "trace.csv",
            concat!(header!(), "10,60,256,512\n5,60,256,512\n"),
        )],
        args: STATS,
        message: "error: trace.csv: row 2 (line 3), column `arrival_s`: found 5, earlier than the previous row's 10; expected rows sorted by arrival_s (non-decreasing)",
    },
    // ---- trace import ----
    import!(
        "gzip corrupt",
        "google-2011",
        "<1F><8B><08><00>not gzip at all",
        "error: importing `in.csv` as google-2011: in.csv: line 1: cannot read further: corrupt deflate stream; expected a complete plain or gzip CSV file"
    ),
    import!(
        "google-2011 event type not a number",
        "google-2011",
        "0,,1,0,,SUBMIT,u,0,0,0.1,0.1,0,0\n",
        "error: importing `in.csv` as google-2011: in.csv: line 1, column `event type`: found `SUBMIT`; expected an integer"
    ),
    import!(
        "google-2011 row with too few fields",
        "google-2011",
        "0,,1,0\n",
        "error: importing `in.csv` as google-2011: in.csv: line 1: found 4 fields; expected 13 (task_events has 13 columns)"
    ),
    import!(
        "alibaba-2017-batch instance_num not a number",
        "alibaba-2017-batch",
        "6459,6524,3,4,x,Terminated,50,0.0079\n",
        "error: importing `in.csv` as alibaba-2017-batch: in.csv: line 1, column `instance_num`: found `x`; expected an integer"
    ),
    import!(
        "alibaba-2018-batch row with too few fields",
        "alibaba-2018-batch",
        "t1,1,j1,1,Terminated\n",
        "error: importing `in.csv` as alibaba-2018-batch: in.csv: line 1: found 5 fields; expected 9 (task_name, instance_num, job_name, task_type, status, start_time, end_time, plan_cpu, plan_mem)"
    ),
    Case {
        kind: Kind::Import,
        name: "source file missing",
        files: &[],
        args: &[
            "trace",
            "import",
            "--format",
            "google-2011",
            "in.csv",
            "-o",
            "out.csv",
        ],
        message: "error: importing `in.csv` as google-2011: cannot read `in.csv`: No such file or directory (os error 2)",
    },
    Case {
        kind: Kind::Import,
        name: "unknown format",
        files: &[("in.csv", "")],
        args: &[
            "trace",
            "import",
            "--format",
            "google-2019",
            "in.csv",
            "-o",
            "out.csv",
        ],
        message: "error: unknown trace format `google-2019`; expected one of google-2011, alibaba-2017-batch, alibaba-2018-container, alibaba-2018-batch, alibaba-gpu-2023, alibaba-gpu-2025",
    },
];

/// `text` as bytes, each `<HH>` (two hex digits) replaced by that byte.
fn bytes(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<'
            && i + 3 < b.len()
            && b[i + 3] == b'>'
            && let Ok(v) = u8::from_str_radix(&text[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 4;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// Every name in `dir`, recursively, relative to it.
fn listing(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            out.insert(p.strip_prefix(dir).unwrap_or(&p).display().to_string());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    out
}

/// Run `case` in a fresh folder: its first stderr line, or what else went wrong.
fn run(case: &Case) -> Result<String, String> {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let dir = tmp.path();
    for (name, text) in case.files {
        std::fs::write(dir.join(name), bytes(text)).expect("write input");
    }
    let before = listing(dir);
    let out = sim()
        .args(case.args)
        .current_dir(dir)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("sim starts");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let first = stderr.lines().next().unwrap_or("").to_string();
    let mut problems = Vec::new();
    if out.status.code() != Some(2) {
        problems.push(format!("exit status {:?}, expected 2", out.status.code()));
    }
    if stderr.contains("panicked") {
        problems.push("panicked".to_string());
    }
    let after = listing(dir);
    let new: Vec<&String> = after.difference(&before).collect();
    if !new.is_empty() {
        problems.push(format!("left behind: {new:?}"));
    }
    if problems.is_empty() {
        Ok(first)
    } else {
        Err(format!("{}; stderr: {stderr}", problems.join(", ")))
    }
}

#[test]
fn every_catalogued_input_gets_its_exact_message_exit_2_and_no_output() {
    assert!(CASES.len() >= 40, "the catalogue has {} cases", CASES.len());
    let mut names = BTreeSet::new();
    let mut failures = Vec::new();
    let dump = std::env::var_os("DUMP_BAD_INPUT").is_some();
    for case in CASES {
        assert!(
            names.insert((case.kind, case.name)),
            "duplicate case {}",
            case.name
        );
        match run(case) {
            // `DUMP_BAD_INPUT=1 … -- --nocapture`: print what each case gets, to review.
            #[allow(clippy::print_stdout)]
            Ok(first) if dump => println!("{}\t{}", case.name, first),
            Ok(first) if first == case.message => {}
            Ok(first) => failures.push(format!(
                "--- {:?} / {}:\n  expected: {}\n  got:      {first}",
                case.kind, case.name, case.message
            )),
            Err(e) => failures.push(format!("--- {:?} / {}: {e}", case.kind, case.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

/// docs/bad-input.md as generated from the table.
fn document() -> String {
    let mut s = String::from(
        "# Bad input: what `sim` says\n\n\
         Every malformed input below exits with status 2, prints the message shown (the first \
         line of stderr), and leaves no output file behind. The list is generated from the \
         table in `tests/it/catalogue.rs`, whose test runs each case through the real binary \
         and checks the message byte for byte; regenerate it with \
         `UPDATE_BAD_INPUT_DOC=1 cargo test --test it catalogue`. Messages name the file, the \
         line and column (or row), the field, and the form expected. More cases, checked by \
         fragments, are in `tests/it/bad_input.rs`.\n",
    );
    let mut kind = None;
    for case in CASES {
        if kind != Some(case.kind) {
            kind = Some(case.kind);
            let _ = write!(s, "\n## {}\n\n", case.kind.heading());
        }
        let _ = writeln!(
            s,
            "- **{}** (`sim {}`):\n  `` {} ``",
            case.name,
            case.args.join(" "),
            case.message
        );
    }
    s
}

#[test]
fn docs_bad_input_md_is_generated_from_the_catalogue() {
    let path = root().join("docs/bad-input.md");
    let want = document();
    if std::env::var_os("UPDATE_BAD_INPUT_DOC").is_some() {
        std::fs::write(&path, &want).expect("write docs/bad-input.md");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/bad-input.md is out of date: run UPDATE_BAD_INPUT_DOC=1 cargo test --test it catalogue"
    );
}
