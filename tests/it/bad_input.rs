//! Bad input: every malformed scenario or trace exits 2 with a message naming file, line or row, field and expected form.
//!
//! One table of cases, each run through the real binary (`sim run` and `sim validate`), and one
//! test that reports every failing case at once.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use crate::common::{sim, write};

/// How a case is run.
#[derive(Debug, Clone, Copy)]
enum Cmd {
    /// `sim run s.toml --out DIR --quiet` and `sim validate s.toml`, each expected to fail alike.
    Both,
    /// `sim run s.toml --out DIR --quiet --only ARMS`.
    RunOnly(&'static str),
}

/// How the scenario file is put on disk.
#[derive(Debug, Clone, Copy)]
enum Setup {
    /// `scenario` written as `s.toml`.
    Text,
    /// No `s.toml` at all.
    Missing,
    /// `s.toml` is a folder.
    Folder,
    /// The text returned by the function written as `s.toml`.
    Generated(fn() -> String),
}

/// `x = [[[[…` 100,000 deep: the parser must refuse it, not overflow its stack.
fn deep_arrays() -> String {
    format!("x = {}", "[".repeat(100_000))
}

/// One malformed input and what its error must say.
struct Case {
    name: &'static str,
    /// The scenario (TOML text), written as `s.toml`; `<FF>` stands for the byte 0xFF.
    scenario: &'static str,
    /// A CSV trace written as `trace.csv` beside the scenario; `<FF>` as in `scenario`.
    trace: Option<&'static str>,
    /// A task definition written as `taskdef.json` beside the scenario.
    taskdef: Option<&'static str>,
    /// Fragments that stderr must contain.
    expect: &'static [&'static str],
    cmd: Cmd,
    setup: Setup,
}

const BASE: Case = Case {
    name: "",
    scenario: "",
    trace: None,
    taskdef: None,
    expect: &[],
    cmd: Cmd::Both,
    setup: Setup::Text,
};

// Building blocks of the scenarios; the line each takes is noted so that the expected
// `s.toml:LINE:COLUMN:` locations can be checked by eye.

/// 1 line: `horizon = "1h"`.
macro_rules! head {
    () => {
        "horizon = \"1h\"\n"
    };
}

/// 6 lines: a valid job.
macro_rules! job {
    () => {
        "[[workload.jobs]]\n\
         name = \"etl\"\n\
         arrival = { poisson = { per_hour = 60 } }\n\
         duration = \"5m\"\n\
         cpu = 1024\n\
         memory = 2048\n"
    };
}

/// 5 lines: a valid EC2 arm.
macro_rules! ec2 {
    () => {
        "[[arm]]\n\
         name = \"ec2\"\n\
         launch_type = \"EC2\"\n\
         instance_types = [\"m5.large\"]\n\
         capacity = { fixed = 2 }\n"
    };
}

/// 3 lines: an EC2 arm without its capacity keys.
macro_rules! bare_ec2 {
    () => {
        "[[arm]]\n\
         name = \"ec2\"\n\
         launch_type = \"EC2\"\n"
    };
}

/// 5 lines: a valid service.
macro_rules! service {
    () => {
        "[[workload.services]]\n\
         name = \"web\"\n\
         cpu = 512\n\
         memory = 1024\n\
         desired = 2\n"
    };
}

/// 2 lines: `[pricing]` with an EC2 Spot discount.
macro_rules! spot_pricing {
    () => {
        "[pricing]\n\
         spot_discount = 0.65\n"
    };
}

/// 3 lines: a valid Fargate arm.
macro_rules! fargate {
    () => {
        "[[arm]]\n\
         name = \"fargate\"\n\
         launch_type = \"FARGATE\"\n"
    };
}

/// 2 lines: the workload is the trace.
macro_rules! with_trace {
    () => {
        "[workload]\n\
         trace = \"trace.csv\"\n"
    };
}

/// The header of a trace with the required columns only.
macro_rules! trace_header {
    () => {
        "arrival_s,duration_s,cpu_units,memory_mib\n"
    };
}

/// An EC2 arm with 21 capacity providers (ECS allows 20 in a strategy).
fn many_providers() -> String {
    let mut s = format!("{}{}{}", head!(), job!(), bare_ec2!());
    for i in 0..21 {
        s.push_str(&format!(
            "[[arm.capacity_providers]]\nname = \"p{i}\"\ninstance_types = [\"m5.large\"]\ncapacity = {{ fixed = 1 }}\n"
        ));
    }
    s
}

/// A Fargate arm whose strategy has 21 entries.
fn many_shares() -> String {
    let entries: Vec<String> = (0..21)
        .map(|i| format!("{{ provider = \"p{i}\", weight = 1 }}"))
        .collect();
    format!(
        "{}{}{}capacity_provider_strategy = [{}]\n",
        head!(),
        job!(),
        fargate!(),
        entries.join(", ")
    )
}

const CASES: &[Case] = &[
    // ---- TOML itself ----
    Case {
        name: "toml syntax: value missing",
        scenario: concat!(head!(), "seed =\n", job!(), fargate!()),
        expect: &["s.toml:2:7:", "field `seed`", "expected"],
        ..BASE
    },
    Case {
        name: "toml syntax: unterminated string",
        scenario: concat!("horizon = \"1h\n", job!(), fargate!()),
        expect: &[
            "s.toml:1:14:",
            "field `horizon`: invalid basic string, expected `\"`",
        ],
        ..BASE
    },
    Case {
        name: "toml syntax: duplicate key",
        scenario: concat!(head!(), "horizon = \"2h\"\n", job!(), fargate!()),
        expect: &["s.toml:2:1:", "field `horizon`: duplicate key"],
        ..BASE
    },
    Case {
        name: "toml: integer too large",
        scenario: concat!(head!(), "seed = 99999999999999999999\n", job!(), fargate!()),
        expect: &[
            "s.toml:2:8:",
            "field `seed`",
            "expected an integer that fits in 64 bits",
        ],
        ..BASE
    },
    Case {
        name: "toml: arrays nested 100000 deep",
        expect: &["s.toml:1:"],
        setup: Setup::Generated(deep_arrays),
        ..BASE
    },
    // ---- unknown keys ----
    Case {
        name: "unknown top-level key",
        scenario: concat!(head!(), "horizonn = \"2h\"\n", job!(), fargate!()),
        expect: &["s.toml:2:1:", "unknown field `horizonn`", "expected"],
        ..BASE
    },
    Case {
        name: "unknown key in [[arm]]",
        scenario: concat!(head!(), job!(), fargate!(), "colour = \"red\"\n"),
        expect: &["s.toml:11:1:", "unknown field `colour`", "expected"],
        ..BASE
    },
    Case {
        name: "unknown key in [[workload.jobs]]",
        scenario: concat!(head!(), job!(), "priority = 3\n", fargate!()),
        expect: &["s.toml:8:1:", "unknown field `priority`", "expected"],
        ..BASE
    },
    Case {
        name: "unknown key in [pricing]",
        scenario: concat!(head!(), "[pricing]\nvcpu_hour = 0.04\n", job!(), fargate!()),
        expect: &["s.toml:3:1:", "unknown field `vcpu_hour`", "expected"],
        ..BASE
    },
    Case {
        name: "unknown key in [[instance_type]]",
        scenario: concat!(
            head!(),
            "[[instance_type]]\nname = \"m5.large\"\ngpus = 1\n",
            job!(),
            fargate!()
        ),
        expect: &["s.toml:4:1:", "unknown field `gpus`", "expected"],
        ..BASE
    },
    Case {
        name: "unknown key in capacity",
        scenario: concat!(
            head!(),
            job!(),
            "[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 2, spare = 1 }\n"
        ),
        expect: &["s.toml:12:", "unknown field `spare`", "expected"],
        ..BASE
    },
    Case {
        name: "unknown key inside an arrival",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60, burst = 2 } }\nduration = \"5m\"\ncpu = 1024\nmemory = 2048\n",
            fargate!()
        ),
        expect: &[
            "s.toml:4:11:",
            "field `arrival`: unknown field `burst` in `poisson`, expected `per_hour`",
        ],
        ..BASE
    },
    Case {
        name: "unknown arrival process",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { bursty = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 1024\nmemory = 2048\n",
            fargate!()
        ),
        expect: &[
            "s.toml:4:11:",
            "field `arrival`: unknown arrival process `bursty`; expected { poisson = { per_hour = 120 } }",
        ],
        ..BASE
    },
    Case {
        name: "unknown key inside a distribution",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = { lognormal = { median = \"5m\", sigma = 0.5, mu = 1 } }\ncpu = 1024\nmemory = 2048\n",
            fargate!()
        ),
        expect: &[
            "s.toml:5:",
            "unknown field `mu` in `lognormal`",
            "expected `median` and `sigma`",
        ],
        ..BASE
    },
    Case {
        name: "unknown distribution",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = { gaussian = { mean = \"5m\" } }\ncpu = 1024\nmemory = 2048\n",
            fargate!()
        ),
        expect: &[
            "s.toml:5:",
            "unknown distribution `gaussian`",
            "expected",
            "lognormal",
        ],
        ..BASE
    },
    // ---- wrong types ----
    Case {
        name: "cpu in a unit ECS does not take",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = \"1024 units\"\nmemory = 2048\n",
            fargate!()
        ),
        expect: &[
            "s.toml:6:7:",
            "`workload.jobs.cpu`: found \"1024 units\"; expected CPU units as an integer (1024) or a string: \"1024\", \"1 vCPU\", \"0.25 vCPU\"",
        ],
        ..BASE
    },
    Case {
        name: "number for [pricing]",
        scenario: concat!(head!(), "pricing = 5\n", job!(), fargate!()),
        expect: &[
            "s.toml:2:11:",
            "field `pricing`: invalid type: integer `5`, expected a table",
        ],
        ..BASE
    },
    Case {
        name: "negative vcpu",
        scenario: concat!(
            head!(),
            "[[instance_type]]\nname = \"m5.large\"\nvcpu = -1\n",
            job!(),
            fargate!()
        ),
        expect: &[
            "s.toml:4:8:",
            "field `vcpu`: invalid value: integer `-1`, expected an integer in 0..=4294967295",
        ],
        ..BASE
    },
    Case {
        name: "number for an arrival",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = 5\nduration = \"5m\"\ncpu = 1024\nmemory = 2048\n",
            fargate!()
        ),
        expect: &[
            "s.toml:4:11:",
            "field `arrival`: found the integer 5; expected { poisson = { per_hour = 120 } }, { fixed_interval = \"5m\" } or { diurnal",
        ],
        ..BASE
    },
    Case {
        name: "diurnal without peak_at",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { diurnal = { mean_per_hour = 60, peak_ratio = 2 } }\nduration = \"5m\"\ncpu = 1024\nmemory = 2048\n",
            fargate!()
        ),
        expect: &["s.toml:4:11:", "field `arrival`: `diurnal` needs `peak_at`"],
        ..BASE
    },
    Case {
        name: "bool for horizon",
        scenario: concat!("horizon = true\n", job!(), fargate!()),
        expect: &[
            "s.toml:1:11:",
            "horizon",
            "the boolean true",
            "expected a duration",
        ],
        ..BASE
    },
    Case {
        name: "string for an arm table",
        scenario: concat!(head!(), "arm = \"fargate\"\n", job!()),
        expect: &[
            "s.toml:2:7:",
            "field `arm`: invalid type: string \"fargate\", expected an array",
        ],
        ..BASE
    },
    // ---- durations ----
    Case {
        name: "duration with a spelled-out unit",
        scenario: concat!("horizon = \"10 minutes\"\n", job!(), fargate!()),
        expect: &[
            "s.toml:1:11:",
            "horizon",
            "`10 minutes` is not a duration",
            "expected",
        ],
        ..BASE
    },
    Case {
        name: "negative duration",
        scenario: concat!("horizon = \"-5s\"\n", job!(), fargate!()),
        expect: &[
            "s.toml:1:11:",
            "horizon",
            "`-5s` is not a duration",
            "expected a non-negative number",
        ],
        ..BASE
    },
    Case {
        name: "duration with unknown unit",
        scenario: concat!("horizon = \"5x\"\n", job!(), fargate!()),
        expect: &["s.toml:1:11:", "horizon", "unknown unit `x`", "expected"],
        ..BASE
    },
    Case {
        name: "empty duration",
        scenario: concat!("horizon = \"\"\n", job!(), fargate!()),
        expect: &[
            "s.toml:1:11:",
            "horizon",
            "`` is not a duration",
            "expected",
        ],
        ..BASE
    },
    Case {
        name: "zero horizon",
        scenario: concat!("horizon = 0\n", job!(), fargate!()),
        expect: &[
            "s.toml:1:11:",
            "`horizon`: found 0",
            "expected a positive duration",
        ],
        ..BASE
    },
    Case {
        name: "zero metrics_interval",
        scenario: concat!(head!(), "metrics_interval = \"0s\"\n", job!(), fargate!()),
        expect: &[
            "s.toml:2:20:",
            "`metrics_interval`: found 0",
            "expected a positive duration",
        ],
        ..BASE
    },
    Case {
        name: "NaN horizon",
        scenario: concat!("horizon = nan\n", job!(), fargate!()),
        expect: &[
            "s.toml:1:11:",
            "horizon",
            "`NaN` is not a duration",
            "expected",
        ],
        ..BASE
    },
    Case {
        name: "negative number of seconds",
        scenario: concat!("horizon = -5\n", job!(), fargate!()),
        expect: &["s.toml:1:11:", "horizon", "-5", "expected a duration"],
        ..BASE
    },
    Case {
        name: "NaN per_hour",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = nan } }\nduration = \"5m\"\ncpu = 1024\nmemory = 2048\n",
            fargate!()
        ),
        expect: &[
            "s.toml:4:11:",
            "`workload.jobs.arrival.poisson.per_hour`: found NaN",
            "expected a positive rate",
        ],
        ..BASE
    },
    Case {
        name: "horizon gives too many samples",
        scenario: concat!(
            "horizon = \"36500d\"\nmetrics_interval = \"1ms\"\n",
            job!(),
            fargate!()
        ),
        expect: &[
            "s.toml:1:11:",
            "`horizon` / `metrics_interval`",
            "expected a longer metrics_interval",
        ],
        ..BASE
    },
    // ---- names that must resolve ----
    Case {
        name: "unknown instance type",
        scenario: concat!(
            head!(),
            job!(),
            "[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.lrge\"]\ncapacity = { fixed = 2 }\n"
        ),
        expect: &[
            "s.toml:11:19:",
            "`arm.instance_types`: unknown instance type `m5.lrge`",
            "did you mean `m5.large`?",
            "expected",
        ],
        ..BASE
    },
    Case {
        name: "unknown launch_type",
        scenario: concat!(
            head!(),
            job!(),
            "[[arm]]\nname = \"x\"\nlaunch_type = \"ECS\"\n"
        ),
        expect: &[
            "s.toml:10:15:",
            "`arm.launch_type`: found `ECS`",
            "expected `EC2`, `FARGATE` or `FARGATE_SPOT`",
        ],
        ..BASE
    },
    Case {
        name: "unknown placement strategy type",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            "placement_strategy = [{ type = \"pack\", field = \"cpu\" }]\n"
        ),
        expect: &[
            "s.toml:13:23:",
            "`arm.placement_strategy`",
            "unknown placement strategy type `pack`",
            "expected `binpack`, `spread` or `random`",
        ],
        ..BASE
    },
    Case {
        name: "bad binpack field",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            "placement_strategy = [{ type = \"binpack\", field = \"disk\" }]\n"
        ),
        expect: &[
            "s.toml:13:23:",
            "`arm.placement_strategy`",
            "binpack field `disk`",
            "expected `cpu` or `memory`",
        ],
        ..BASE
    },
    Case {
        name: "bad spread field",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            "placement_strategy = [{ type = \"spread\", field = \"zone\" }]\n"
        ),
        expect: &[
            "s.toml:13:23:",
            "`arm.placement_strategy`",
            "spread field `zone`",
            "expected `instanceId`",
        ],
        ..BASE
    },
    Case {
        name: "unknown key in a placement strategy",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            "placement_strategy = [{ type = \"binpack\", fields = \"cpu\" }]\n"
        ),
        expect: &["s.toml:13:", "unknown field `fields`", "expected"],
        ..BASE
    },
    Case {
        name: "unknown constraint type",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            "placement_constraints = [{ type = \"distinctHost\" }]\n"
        ),
        expect: &[
            "s.toml:13:26:",
            "`arm.placement_constraints`",
            "unknown constraint type `distinctHost`",
            "expected `distinctInstance` or `memberOf`",
        ],
        ..BASE
    },
    Case {
        name: "memberOf with a syntax error",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            "placement_constraints = [{ type = \"memberOf\", expression = \"attribute:ecs.instance-type ==\" }]\n"
        ),
        expect: &[
            "s.toml:13:26:",
            "`arm.placement_constraints`",
            "memberOf expression `attribute:ecs.instance-type ==`",
            "expected",
        ],
        ..BASE
    },
    Case {
        name: "memberOf with an unsupported subject",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            "placement_constraints = [{ type = \"memberOf\", expression = \"agentVersion >= 1.0.0\" }]\n"
        ),
        expect: &[
            "s.toml:13:26:",
            "subject `agentVersion` is not modelled",
            "expected `attribute:<name>` (ecs.instance-type",
        ],
        ..BASE
    },
    Case {
        name: "more than 10 constraints per task, arm and job combined",
        scenario: concat!(
            head!(),
            job!(),
            "placement_constraints = [{ type = \"distinctInstance\" }, { type = \"distinctInstance\" }, { type = \"distinctInstance\" }, { type = \"distinctInstance\" }, { type = \"distinctInstance\" }, { type = \"distinctInstance\" }]\n",
            ec2!(),
            "placement_constraints = [{ type = \"distinctInstance\" }, { type = \"distinctInstance\" }, { type = \"distinctInstance\" }, { type = \"distinctInstance\" }, { type = \"distinctInstance\" }]\n"
        ),
        expect: &[
            "s.toml:10:8:",
            "arm `ec2` and job `etl` together give 11 placement constraints",
            "at most 10 per task",
        ],
        ..BASE
    },
    Case {
        name: "memberOf without expression",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            "placement_constraints = [{ type = \"memberOf\" }]\n"
        ),
        expect: &["s.toml:13:26:", "`memberOf` needs an `expression`"],
        ..BASE
    },
    Case {
        name: "distinctInstance with an expression",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            "placement_constraints = [{ type = \"distinctInstance\", expression = \"task:group == etl\" }]\n"
        ),
        expect: &[
            "s.toml:13:26:",
            "`arm.placement_constraints`",
            "`distinctInstance` takes no expression",
        ],
        ..BASE
    },
    Case {
        name: "job constraint with a bad regex",
        scenario: concat!(
            head!(),
            job!(),
            "placement_constraints = [{ type = \"memberOf\", expression = \"attribute:ecs.instance-type =~ m5.(\" }]\n",
            ec2!()
        ),
        expect: &[
            "s.toml:8:26:",
            "`workload.jobs.placement_constraints`",
            "memberOf expression",
        ],
        ..BASE
    },
    Case {
        name: "unknown network_mode",
        scenario: concat!(head!(), job!(), ec2!(), "network_mode = \"nat\"\n"),
        expect: &[
            "s.toml:13:16:",
            "`arm.network_mode`: found `nat`",
            "expected `awsvpc`, `bridge` or `host`",
        ],
        ..BASE
    },
    Case {
        name: "unknown cpu_architecture",
        scenario: concat!(head!(), job!(), fargate!(), "cpu_architecture = \"x86\"\n"),
        expect: &[
            "s.toml:11:20:",
            "`arm.cpu_architecture`: found `x86`",
            "expected `X86_64` or `ARM64`",
        ],
        ..BASE
    },
    Case {
        name: "unknown pricing.ec2 type",
        scenario: concat!(
            head!(),
            "[pricing]\nec2 = { \"m5.lrge\" = 0.1 }\n",
            job!(),
            fargate!()
        ),
        expect: &[
            "s.toml:3:",
            "`pricing.ec2`: unknown instance type `m5.lrge`",
            "expected",
        ],
        ..BASE
    },
    Case {
        name: "region with no built-in prices",
        scenario: concat!(
            head!(),
            "[pricing]\nregion = \"mars-east-1\"\n",
            job!(),
            fargate!()
        ),
        expect: &[
            "s.toml:3:10:",
            "`pricing.region`: no built-in or price-list price in `mars-east-1` for everything the arms use (built in: EC2 for us-east-1; Fargate for us-east-1,",
            "missing `pricing.fargate_gb_hour`, `pricing.fargate_vcpu_hour`",
        ],
        ..BASE
    },
    Case {
        name: "negative price",
        scenario: concat!(
            head!(),
            "[pricing]\nfargate_vcpu_hour = -0.04\n",
            job!(),
            fargate!()
        ),
        expect: &[
            "s.toml:3:21:",
            "`pricing.fargate_vcpu_hour`: found -0.04",
            "expected a non-negative number",
        ],
        ..BASE
    },
    Case {
        name: "new instance type without its sizes",
        scenario: concat!(
            head!(),
            "[[instance_type]]\nname = \"z9.huge\"\nvcpu = 4\n",
            job!(),
            fargate!()
        ),
        expect: &[
            "s.toml:2:",
            "`z9.huge` is not a built-in type",
            "`memory_mib` is required",
        ],
        ..BASE
    },
    Case {
        name: "unknown purchase option",
        scenario: concat!(head!(), job!(), ec2!(), "purchase = \"reserved\"\n"),
        expect: &[
            "s.toml:13:12:",
            "`arm.purchase`: found `reserved`",
            "expected `on-demand` or `spot`",
        ],
        ..BASE
    },
    // ---- [pricing] Spot discounts ----
    Case {
        name: "spot_discount of 1",
        scenario: concat!(
            head!(),
            "[pricing]\nspot_discount = 1.0\n",
            job!(),
            fargate!()
        ),
        expect: &[
            "s.toml:3:17:",
            "`pricing.spot_discount`: found 1",
            "expected the fraction off the on-demand price, 0 <= x < 1",
        ],
        ..BASE
    },
    Case {
        name: "negative fargate_spot_discount",
        scenario: concat!(
            head!(),
            "[pricing]\nfargate_spot_discount = -0.1\n",
            job!(),
            fargate!()
        ),
        expect: &[
            "s.toml:3:25:",
            "`pricing.fargate_spot_discount`: found -0.1",
            "0 <= x < 1",
        ],
        ..BASE
    },
    Case {
        name: "spot purchase without [pricing] spot_discount",
        scenario: concat!(head!(), job!(), ec2!(), "purchase = \"spot\"\n"),
        expect: &[
            "s.toml:13:12:",
            "arm `ec2`: purchase = \"spot\" needs the EC2 Spot discount",
            "set `[pricing] spot_discount`",
        ],
        ..BASE
    },
    Case {
        name: "spot provider without [pricing] spot_discount",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "[[arm.capacity_providers]]\nname = \"cheap\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 2 }\npurchase = \"spot\"\n"
        ),
        expect: &[
            "s.toml:15:12:",
            "provider `cheap` of arm `ec2`: purchase = \"spot\" needs the EC2 Spot discount",
            "set `[pricing] spot_discount`",
        ],
        ..BASE
    },
    // ---- capacity: fixed or managed ----
    Case {
        name: "fixed together with max",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "instance_types = [\"m5.large\"]\ncapacity = { fixed = 2, max = 10 }\n"
        ),
        expect: &[
            "s.toml:12:31:",
            "`arm.capacity`: `fixed` together with `max`",
            "expected either { fixed = N }",
        ],
        ..BASE
    },
    Case {
        name: "managed capacity without max",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "instance_types = [\"m5.large\"]\ncapacity = { min = 1 }\n"
        ),
        expect: &[
            "s.toml:12:12:",
            "`arm.capacity`: `max` is required for managed scaling",
        ],
        ..BASE
    },
    Case {
        name: "managed capacity with min above max",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "instance_types = [\"m5.large\"]\ncapacity = { min = 5, max = 3 }\n"
        ),
        expect: &[
            "s.toml:12:20:",
            "`arm.capacity.min`: found 5; expected at most `max` (3)",
        ],
        ..BASE
    },
    Case {
        name: "managed capacity with max 0",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "instance_types = [\"m5.large\"]\ncapacity = { max = 0 }\n"
        ),
        expect: &[
            "s.toml:12:20:",
            "`arm.capacity.max`: found 0; expected an integer in 1..=100000",
        ],
        ..BASE
    },
    Case {
        name: "target_capacity 0",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "instance_types = [\"m5.large\"]\ncapacity = { max = 10, managed_scaling = { target_capacity = 0 } }\n"
        ),
        expect: &[
            "s.toml:12:62:",
            "`arm.capacity.managed_scaling.target_capacity`: found 0; expected an integer in 1..=100",
        ],
        ..BASE
    },
    Case {
        name: "maximum step below minimum step",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "instance_types = [\"m5.large\"]\ncapacity = { max = 10, managed_scaling = { minimum_scaling_step_size = 5, maximum_scaling_step_size = 2 } }\n"
        ),
        expect: &[
            "s.toml:12:",
            "`arm.capacity.managed_scaling.maximum_scaling_step_size`: found 2; expected at least `minimum_scaling_step_size` (5)",
        ],
        ..BASE
    },
    Case {
        name: "step size above 10000",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "instance_types = [\"m5.large\"]\ncapacity = { max = 10, managed_scaling = { minimum_scaling_step_size = 10001 } }\n"
        ),
        expect: &[
            "s.toml:12:",
            "`arm.capacity.managed_scaling.minimum_scaling_step_size`: found 10001; expected an integer in 1..=10000",
        ],
        ..BASE
    },
    Case {
        name: "instance_warmup_period above 10000 s",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "instance_types = [\"m5.large\"]\ncapacity = { max = 10, managed_scaling = { instance_warmup_period = \"3h\" } }\n"
        ),
        expect: &[
            "s.toml:12:",
            "`arm.capacity.managed_scaling.instance_warmup_period`: found 3h; expected a duration of at most 10000 s",
        ],
        ..BASE
    },
    Case {
        name: "unknown key in managed_scaling",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "instance_types = [\"m5.large\"]\ncapacity = { max = 10, managed_scaling = { target = 90 } }\n"
        ),
        expect: &[
            "s.toml:12:",
            "unknown field `target`",
            "`target_capacity`, `minimum_scaling_step_size`, `maximum_scaling_step_size`",
        ],
        ..BASE
    },
    // ---- purchase, interruptions ----
    Case {
        name: "spot_interruptions_per_hour on an on-demand arm",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            "spot_interruptions_per_hour = 0.05\n"
        ),
        expect: &[
            "s.toml:13:31:",
            "`arm.spot_interruptions_per_hour` applies to purchase = \"spot\"",
            "arm `ec2` is on-demand",
        ],
        ..BASE
    },
    Case {
        name: "spot_interruptions_per_hour above 60",
        scenario: concat!(
            head!(),
            spot_pricing!(),
            job!(),
            ec2!(),
            "purchase = \"spot\"\nspot_interruptions_per_hour = 100\n"
        ),
        expect: &[
            "s.toml:16:31:",
            "`arm.spot_interruptions_per_hour`: found 100; expected a number in 0..=60",
        ],
        ..BASE
    },
    Case {
        name: "unknown on_interruption",
        scenario: concat!(head!(), job!(), ec2!(), "on_interruption = \"retry\"\n"),
        expect: &[
            "s.toml:13:19:",
            "`arm.on_interruption`: found `retry`; expected `restart` or `lose`",
        ],
        ..BASE
    },
    Case {
        name: "purchase on a FARGATE arm",
        scenario: concat!(head!(), job!(), fargate!(), "purchase = \"spot\"\n"),
        expect: &[
            "s.toml:11:12:",
            "`arm.purchase` applies to EC2 arms only",
            "FARGATE_SPOT",
        ],
        ..BASE
    },
    // ---- [[arm.capacity_providers]] ----
    Case {
        name: "arm-level instance_types beside capacity_providers",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            "[[arm.capacity_providers]]\nname = \"a\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\n"
        ),
        expect: &[
            "s.toml:11:18:",
            "`arm.instance_types`: arm `ec2` has [[arm.capacity_providers]]; set it per provider in [[arm.capacity_providers]]",
        ],
        ..BASE
    },
    Case {
        name: "arm-level purchase beside capacity_providers",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "purchase = \"on-demand\"\n",
            "[[arm.capacity_providers]]\nname = \"a\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\n"
        ),
        expect: &[
            "s.toml:11:12:",
            "`arm.purchase`: arm `ec2` has [[arm.capacity_providers]]; set it per provider",
        ],
        ..BASE
    },
    Case {
        name: "capacity provider named FARGATE",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "[[arm.capacity_providers]]\nname = \"FARGATE\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\n"
        ),
        expect: &[
            "s.toml:12:8:",
            "`arm.capacity_providers.name`: found `FARGATE`",
            "expected a non-empty name other than `FARGATE` and `FARGATE_SPOT`",
        ],
        ..BASE
    },
    Case {
        name: "capacity provider with an empty name",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "[[arm.capacity_providers]]\nname = \" \"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\n"
        ),
        expect: &[
            "s.toml:12:8:",
            "`arm.capacity_providers.name`: found ``",
            "expected a non-empty name",
        ],
        ..BASE
    },
    Case {
        name: "duplicate capacity provider names",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "[[arm.capacity_providers]]\nname = \"a\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\n",
            "[[arm.capacity_providers]]\nname = \"a\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\n"
        ),
        expect: &[
            "s.toml:16:8:",
            "`arm.capacity_providers.name`: `a` is used by another provider of arm `ec2`",
            "expected unique names",
        ],
        ..BASE
    },
    Case {
        name: "capacity provider without capacity",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "[[arm.capacity_providers]]\nname = \"a\"\ninstance_types = [\"m5.large\"]\n"
        ),
        expect: &[
            "s.toml:12:8:",
            "provider `a` of arm `ec2`: `capacity` is required for a capacity provider",
            "expected capacity = { fixed = N }",
        ],
        ..BASE
    },
    Case {
        name: "capacity provider with an unknown instance type",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "[[arm.capacity_providers]]\nname = \"a\"\ninstance_types = [\"m5.lrge\"]\ncapacity = { fixed = 1 }\n"
        ),
        expect: &[
            "s.toml:13:19:",
            "`arm.capacity_providers.instance_types`: unknown instance type `m5.lrge` (did you mean `m5.large`?)",
        ],
        ..BASE
    },
    Case {
        name: "capacity provider with a bad managed capacity",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "[[arm.capacity_providers]]\nname = \"a\"\ninstance_types = [\"m5.large\"]\ncapacity = { min = 4, max = 2 }\n"
        ),
        expect: &[
            "s.toml:14:",
            "`arm.capacity_providers.capacity.min`: found 4; expected at most `max` (2)",
        ],
        ..BASE
    },
    Case {
        name: "unknown key in a capacity provider",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "[[arm.capacity_providers]]\nname = \"a\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\nnetwork_mode = \"awsvpc\"\n"
        ),
        expect: &[
            "s.toml:15:",
            "unknown field `network_mode`",
            "expected one of",
        ],
        ..BASE
    },
    Case {
        name: "empty capacity_providers",
        scenario: concat!(head!(), job!(), bare_ec2!(), "capacity_providers = []\n"),
        expect: &[
            "s.toml:9:8:",
            "arm `ec2`: `capacity_providers` is empty",
            "expected at least one [[arm.capacity_providers]]",
        ],
        ..BASE
    },
    Case {
        name: "more than 20 capacity providers",
        setup: Setup::Generated(many_providers),
        expect: &[
            "s.toml:",
            "arm `ec2`: more than 20 [[arm.capacity_providers]]",
            "at most 20",
        ],
        ..BASE
    },
    Case {
        name: "several capacity providers and no strategy",
        scenario: concat!(
            head!(),
            job!(),
            bare_ec2!(),
            "[[arm.capacity_providers]]\nname = \"a\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\n",
            "[[arm.capacity_providers]]\nname = \"b\"\ninstance_types = [\"m5.large\"]\ncapacity = { max = 4 }\n"
        ),
        expect: &[
            "s.toml:9:8:",
            "arm `ec2` has 2 capacity providers (`a`, `b`) but no `capacity_provider_strategy`",
            "capacity_provider_strategy = [{ provider = \"a\", weight = 1 }, { provider = \"b\", weight = 1 }]",
        ],
        ..BASE
    },
    Case {
        name: "capacity_providers on a FARGATE arm",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "[[arm.capacity_providers]]\nname = \"a\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\n"
        ),
        expect: &[
            "s.toml:11:",
            "`arm.capacity_providers` applies to EC2 arms only",
        ],
        ..BASE
    },
    // ---- capacity_provider_strategy ----
    Case {
        name: "empty capacity_provider_strategy",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "capacity_provider_strategy = []\n"
        ),
        expect: &[
            "s.toml:11:30:",
            "`arm.capacity_provider_strategy`: empty",
            "expected at least one { provider, base, weight }",
        ],
        ..BASE
    },
    Case {
        name: "unknown EC2 provider in a strategy",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            "capacity_provider_strategy = [{ provider = \"ec3\", weight = 1 }]\n"
        ),
        expect: &[
            "s.toml:13:44:",
            "`arm.capacity_provider_strategy`: unknown provider `ec3` (did you mean `ec2`?)",
            "expected one of the arm's capacity providers: `ec2`",
        ],
        ..BASE
    },
    Case {
        name: "unknown Fargate provider in a strategy",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "capacity_provider_strategy = [{ provider = \"FARGATE_SPOTT\", weight = 1 }]\n"
        ),
        expect: &[
            "s.toml:11:44:",
            "unknown provider `FARGATE_SPOTT` (did you mean `FARGATE_SPOT`?) on a Fargate arm",
            "expected `FARGATE` or `FARGATE_SPOT`",
        ],
        ..BASE
    },
    Case {
        name: "Fargate provider in an EC2 strategy",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            "capacity_provider_strategy = [{ provider = \"ec2\", weight = 1 }, { provider = \"FARGATE_SPOT\", weight = 1 }]\n"
        ),
        expect: &[
            "s.toml:13:",
            "`FARGATE_SPOT` is a Fargate provider and arm `ec2` is an EC2 arm",
            "a strategy may mix only Auto Scaling group providers or only Fargate providers, docs/reference/ecs-facts.md §5.1",
        ],
        ..BASE
    },
    Case {
        name: "EC2 provider in a Fargate strategy",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            fargate!(),
            "capacity_provider_strategy = [{ provider = \"ec2\", weight = 1 }]\n"
        ),
        expect: &[
            "s.toml:16:44:",
            "unknown provider `ec2` on a Fargate arm",
            "a strategy may mix only Auto Scaling group providers or only Fargate providers",
        ],
        ..BASE
    },
    Case {
        name: "provider twice in a strategy",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "capacity_provider_strategy = [{ provider = \"FARGATE\", weight = 1 }, { provider = \"FARGATE\", weight = 2 }]\n"
        ),
        expect: &[
            "s.toml:11:",
            "`arm.capacity_provider_strategy`: provider `FARGATE` is listed twice",
        ],
        ..BASE
    },
    Case {
        name: "two providers with a base",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "capacity_provider_strategy = [{ provider = \"FARGATE\", base = 1, weight = 1 }, { provider = \"FARGATE_SPOT\", base = 2 }]\n"
        ),
        expect: &[
            "s.toml:11:",
            "`arm.capacity_provider_strategy.base`: both `FARGATE` and `FARGATE_SPOT` have base > 0",
            "ECS allows a base on only one provider",
        ],
        ..BASE
    },
    Case {
        name: "all strategy weights 0",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "capacity_provider_strategy = [{ provider = \"FARGATE\", base = 2 }]\n"
        ),
        expect: &[
            "s.toml:11:30:",
            "at least one provider needs weight > 0; ECS refuses all-zero weights",
        ],
        ..BASE
    },
    Case {
        name: "strategy base above 100000",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "capacity_provider_strategy = [{ provider = \"FARGATE\", base = 100001, weight = 1 }]\n"
        ),
        expect: &[
            "s.toml:11:",
            "`arm.capacity_provider_strategy.base`: found 100001; expected an integer in 0..=100000",
        ],
        ..BASE
    },
    Case {
        name: "strategy weight above 1000",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "capacity_provider_strategy = [{ provider = \"FARGATE\", weight = 1001 }]\n"
        ),
        expect: &[
            "s.toml:11:",
            "`arm.capacity_provider_strategy.weight`: found 1001; expected an integer in 0..=1000",
        ],
        ..BASE
    },
    Case {
        name: "more than 20 strategy entries",
        setup: Setup::Generated(many_shares),
        expect: &[
            "s.toml:",
            "`arm.capacity_provider_strategy`: more than 20 entries",
        ],
        ..BASE
    },
    Case {
        name: "unknown key in a strategy entry",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "capacity_provider_strategy = [{ provider = \"FARGATE\", share = 1 }]\n"
        ),
        expect: &["s.toml:11:", "unknown field `share`", "`base`, `weight`"],
        ..BASE
    },
    Case {
        name: "strategy on a FARGATE_SPOT launch type",
        scenario: concat!(
            head!(),
            job!(),
            "[[arm]]\nname = \"spot\"\nlaunch_type = \"FARGATE_SPOT\"\n",
            "capacity_provider_strategy = [{ provider = \"FARGATE\", weight = 1 }]\n"
        ),
        expect: &[
            "s.toml:11:30:",
            "launch_type = \"FARGATE_SPOT\" already means [{ provider = \"FARGATE_SPOT\", weight = 1 }]",
        ],
        ..BASE
    },
    // ---- Fargate keys ----
    Case {
        name: "Fargate interruptions without FARGATE_SPOT",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "spot_interruptions_per_hour = 0.1\n"
        ),
        expect: &[
            "s.toml:11:31:",
            "`arm.spot_interruptions_per_hour` applies to FARGATE_SPOT tasks, and arm `fargate` runs none",
        ],
        ..BASE
    },
    Case {
        name: "Fargate interruptions with a weight-0 FARGATE_SPOT",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "capacity_provider_strategy = [{ provider = \"FARGATE\", weight = 1 }, { provider = \"FARGATE_SPOT\" }]\n",
            "spot_interruptions_per_hour = 0.1\n"
        ),
        expect: &["s.toml:12:31:", "applies to FARGATE_SPOT tasks"],
        ..BASE
    },
    Case {
        name: "fargate_vcpu_quota 0",
        scenario: concat!(head!(), job!(), fargate!(), "fargate_vcpu_quota = 0\n"),
        expect: &[
            "s.toml:11:22:",
            "`arm.fargate_vcpu_quota`: found 0; expected an integer in 1..=1000000",
        ],
        ..BASE
    },
    Case {
        name: "fargate_vcpu_quota on an EC2 arm",
        scenario: concat!(head!(), job!(), ec2!(), "fargate_vcpu_quota = 100\n"),
        expect: &[
            "s.toml:13:22:",
            "`arm.fargate_vcpu_quota` applies to FARGATE arms only",
        ],
        ..BASE
    },
    // ---- subnet_ips ----
    Case {
        name: "subnet_ips on a bridge arm",
        scenario: concat!(head!(), job!(), ec2!(), "subnet_ips = 100\n"),
        expect: &[
            "s.toml:13:14:",
            "subnet_ips applies to awsvpc tasks",
            "network_mode is bridge",
        ],
        ..BASE
    },
    Case {
        name: "subnet_ips for an unknown zone",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "subnet_ips = { \"us-east-1a\" = 5, \"us-east-1b\" = 5, \"us-east-1c\" = 5, \"us-east-1z\" = 5 }\n"
        ),
        expect: &[
            "s.toml:11:14:",
            "`arm.subnet_ips`: unknown zone `us-east-1z`",
            "expected the arm's zones: `us-east-1a`, `us-east-1b`, `us-east-1c`",
        ],
        ..BASE
    },
    Case {
        name: "subnet_ips missing a zone",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "availability_zones = [\"us-east-1a\", \"us-east-1b\"]\n",
            "subnet_ips = { \"us-east-1a\" = 5 }\n"
        ),
        expect: &[
            "s.toml:12:14:",
            "`arm.subnet_ips`: no entry for zone `us-east-1b`",
        ],
        ..BASE
    },
    Case {
        name: "negative subnet_ips",
        scenario: concat!(head!(), job!(), fargate!(), "subnet_ips = -1\n"),
        expect: &[
            "s.toml:11:14:",
            "`arm.subnet_ips`: found the integer -1; expected an integer in 0..=16777216",
        ],
        ..BASE
    },
    Case {
        name: "subnet_ips as a string",
        scenario: concat!(head!(), job!(), fargate!(), "subnet_ips = \"many\"\n"),
        expect: &[
            "s.toml:11:14:",
            "`arm.subnet_ips`: found the string \"many\"; expected an integer",
        ],
        ..BASE
    },
    // ---- [[workload.services]] ----
    Case {
        name: "service without desired",
        scenario: concat!(
            head!(),
            "[[workload.services]]\nname = \"web\"\ncpu = 512\nmemory = 1024\n",
            fargate!()
        ),
        expect: &["s.toml:", "missing field `desired`"],
        ..BASE
    },
    Case {
        name: "service with an empty name",
        scenario: concat!(
            head!(),
            "[[workload.services]]\nname = \"\"\ncpu = 512\nmemory = 1024\ndesired = 2\n",
            fargate!()
        ),
        expect: &[
            "s.toml:3:8:",
            "`workload.services.name`: found ``; expected a non-empty name without `,`",
        ],
        ..BASE
    },
    Case {
        name: "service name with a comma",
        scenario: concat!(
            head!(),
            "[[workload.services]]\nname = \"a,b\"\ncpu = 512\nmemory = 1024\ndesired = 2\n",
            fargate!()
        ),
        expect: &["s.toml:3:8:", "`workload.services.name`: found `a,b`"],
        ..BASE
    },
    Case {
        name: "duplicate service names",
        scenario: concat!(head!(), service!(), service!(), fargate!()),
        expect: &[
            "s.toml:8:8:",
            "`workload.services.name`: `web` is used by another service",
            "expected unique names",
        ],
        ..BASE
    },
    Case {
        name: "service desired above 5000",
        scenario: concat!(
            head!(),
            "[[workload.services]]\nname = \"web\"\ncpu = 512\nmemory = 1024\ndesired = 5001\n",
            fargate!()
        ),
        expect: &[
            "s.toml:6:11:",
            "`workload.services.desired`: found 5001; expected an integer in 0..=5000",
        ],
        ..BASE
    },
    Case {
        name: "service cpu 0",
        scenario: concat!(
            head!(),
            "[[workload.services]]\nname = \"web\"\ncpu = 0\nmemory = 1024\ndesired = 2\n",
            fargate!()
        ),
        expect: &["s.toml:4:7:", "`workload.services.cpu`: found 0"],
        ..BASE
    },
    Case {
        name: "service ephemeral storage below 20",
        scenario: concat!(
            head!(),
            service!(),
            "ephemeral_storage_gib = 10\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:25:",
            "`workload.services.ephemeral_storage_gib`: found 10; expected an integer in 20..=200",
        ],
        ..BASE
    },
    Case {
        name: "service host port twice",
        scenario: concat!(head!(), service!(), "host_ports = [80, 80]\n", fargate!()),
        expect: &[
            "s.toml:7:19:",
            "`workload.services.host_ports`: port 80 is listed twice",
        ],
        ..BASE
    },
    Case {
        name: "service constraint of an unknown type",
        scenario: concat!(
            head!(),
            service!(),
            "placement_constraints = [{ type = \"sameZone\" }]\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:26:",
            "`workload.services.placement_constraints`: unknown constraint type `sameZone`",
        ],
        ..BASE
    },
    Case {
        name: "service placement strategy of an unknown type",
        scenario: concat!(
            head!(),
            service!(),
            "placement_strategy = [{ type = \"pack\" }]\n",
            fargate!()
        ),
        expect: &["s.toml:7:23:", "`workload.services.placement_strategy`"],
        ..BASE
    },
    Case {
        name: "service and arm constraints above 10",
        scenario: concat!(
            head!(),
            service!(),
            "placement_constraints = [{ type = \"distinctInstance\" }, { type = \"distinctInstance\" }, { type = \"distinctInstance\" }, { type = \"distinctInstance\" }, { type = \"distinctInstance\" }, { type = \"distinctInstance\" }]\n",
            ec2!(),
            "placement_constraints = [{ type = \"distinctInstance\" }, { type = \"distinctInstance\" }, { type = \"distinctInstance\" }, { type = \"distinctInstance\" }, { type = \"distinctInstance\" }]\n"
        ),
        expect: &[
            "s.toml:9:8:",
            "arm `ec2` and service `web` together give 11 placement constraints",
        ],
        ..BASE
    },
    Case {
        name: "service deployment at the horizon",
        scenario: concat!(
            head!(),
            service!(),
            "deployments = [\"30m\", \"1h\"]\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:23:",
            "`workload.services.deployments`: found 1h; expected a time before the horizon (1h)",
        ],
        ..BASE
    },
    Case {
        name: "deployment minimum_healthy_percent above 100",
        scenario: concat!(
            head!(),
            service!(),
            "deployment = { minimum_healthy_percent = 150 }\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:42:",
            "`workload.services.deployment.minimum_healthy_percent`: found 150; expected an integer in 0..=100",
        ],
        ..BASE
    },
    Case {
        name: "deployment maximum_percent below 100",
        scenario: concat!(
            head!(),
            service!(),
            "deployment = { maximum_percent = 50 }\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:34:",
            "`workload.services.deployment.maximum_percent`: found 50; expected an integer in 100..=1000",
        ],
        ..BASE
    },
    Case {
        name: "deployment that can never progress",
        scenario: concat!(
            head!(),
            "[[workload.services]]\nname = \"web\"\ncpu = 512\nmemory = 1024\ndesired = 3\n",
            "deployments = [\"30m\"]\ndeployment = { minimum_healthy_percent = 100, maximum_percent = 125 }\n",
            fargate!()
        ),
        expect: &[
            "s.toml:8:14:",
            "service `web`: a deployment can never progress",
            "floor(3 × 125 / 100) = 3",
            "ceil(3 × 100 / 100) = 3",
            "docs/reference/ecs-facts.md §6.1",
        ],
        ..BASE
    },
    Case {
        name: "unknown key in a service",
        scenario: concat!(head!(), service!(), "replicas = 3\n", fargate!()),
        expect: &["s.toml:7:", "unknown field `replicas`", "`desired`"],
        ..BASE
    },
    Case {
        name: "service task_definition beside cpu and memory",
        scenario: concat!(
            head!(),
            service!(),
            "task_definition = \"taskdef.json\"\n",
            fargate!()
        ),
        taskdef: Some(
            r#"{"family":"web","cpu":"512","memory":"1024","containerDefinitions":[{"name":"a"}]}"#,
        ),
        expect: &[
            "s.toml:4:7:",
            "`workload.services.cpu`: `web` also has a `task_definition`",
            "expected `cpu` and `memory` or a `task_definition`, not both",
        ],
        ..BASE
    },
    Case {
        name: "job task_definition file missing",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\n",
            "task_definition = \"nope.json\"\n",
            fargate!()
        ),
        expect: &[
            "s.toml:6:19:",
            "`workload.jobs.task_definition`: cannot read",
            "expected an ECS task definition JSON file",
        ],
        ..BASE
    },
    Case {
        name: "task definition container memory not a number",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\n",
            "task_definition = \"taskdef.json\"\n",
            fargate!()
        ),
        taskdef: Some(r#"{"containerDefinitions":[{"name":"a","memory":"lots"}]}"#),
        expect: &[
            "s.toml:6:19:",
            "`workload.jobs.task_definition`: taskdef.json: `containerDefinitions[0].memory`: found \"lots\"; expected an integer",
        ],
        ..BASE
    },
    Case {
        name: "task definition without any memory",
        scenario: concat!(
            head!(),
            "[workload]\ntask_definition = \"taskdef.json\"\n",
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\n",
            fargate!()
        ),
        taskdef: Some(
            r#"{"taskDefinition":{"family":"etl","containerDefinitions":[{"name":"a","cpu":256}]}}"#,
        ),
        expect: &[
            "s.toml:3:19:",
            "`workload.task_definition`: taskdef.json: `taskDefinition.containerDefinitions[0].memory`: no `memory` or `memoryReservation`, and no task-level `memory`",
        ],
        ..BASE
    },
    Case {
        name: "job without a size",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\n",
            fargate!()
        ),
        expect: &[
            "s.toml:3:8:",
            "`workload.jobs`: `etl` has no size; expected `cpu` and `memory`, or `task_definition = \"taskdef.json\"`",
        ],
        ..BASE
    },
    Case {
        name: "job with cpu but no memory",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 256\n",
            fargate!()
        ),
        expect: &[
            "s.toml:6:7:",
            "`workload.jobs.cpu`: `etl` has `cpu` but no `memory`",
        ],
        ..BASE
    },
    Case {
        name: "services without a horizon",
        scenario: concat!(service!(), fargate!()),
        expect: &[
            "s.toml:1:1:",
            "no `horizon`, and the workload has services: services run until the horizon",
            "expected `horizon = \"24h\"`",
        ],
        ..BASE
    },
    // ---- service autoscaling ----
    Case {
        name: "autoscaling without load",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 1, max = 4 }\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:15:",
            "`workload.services.autoscaling` needs `load`",
        ],
        ..BASE
    },
    Case {
        name: "autoscaling target 0",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 0, min = 1, max = 4, load = 0.5 }\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:38:",
            "`workload.services.autoscaling.target_cpu_percent`: found 0; expected a number with 0 < x <= 100",
        ],
        ..BASE
    },
    Case {
        name: "autoscaling min above max",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 5, max = 4, load = 0.5 }\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:48:",
            "`workload.services.autoscaling.min`: found 5; expected at most `max` (4)",
        ],
        ..BASE
    },
    Case {
        name: "autoscaling max 0",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 0, max = 0, load = 0.5 }\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:57:",
            "`workload.services.autoscaling.max`: found 0; expected an integer in 1..=5000",
        ],
        ..BASE
    },
    Case {
        name: "autoscaling max above 5000",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 0, max = 6000, load = 0.5 }\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:57:",
            "`workload.services.autoscaling.max`: found 6000",
        ],
        ..BASE
    },
    Case {
        name: "autoscaling cooldown not a duration",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 1, max = 4, load = 0.5, scale_in_cooldown = \"5 minutes\" }\n",
            fargate!()
        ),
        expect: &["s.toml:7:", "`5 minutes` is not a duration"],
        ..BASE
    },
    Case {
        name: "autoscaling scale-out cooldown negative",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 1, max = 4, load = 0.5, scale_out_cooldown = -5 }\n",
            fargate!()
        ),
        expect: &["s.toml:7:", "scale_out_cooldown"],
        ..BASE
    },
    Case {
        name: "unknown key in autoscaling",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 1, max = 4, load = 0.5, metric = \"cpu\" }\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:",
            "unknown field `metric`",
            "`target_cpu_percent`",
        ],
        ..BASE
    },
    Case {
        name: "negative constant load",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 1, max = 4, load = -1 }\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:",
            "`workload.services.autoscaling.load`: found -1; expected a number >= 0",
        ],
        ..BASE
    },
    Case {
        name: "diurnal load with peak_ratio below 1",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 1, max = 4, load = { diurnal = { mean = 0.5, peak_ratio = 0.5, peak_at = \"14h\" } } }\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:",
            "`workload.services.autoscaling.load.diurnal.peak_ratio`: found 0.5; expected a number in 1..=1000",
        ],
        ..BASE
    },
    Case {
        name: "load of an unknown form",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 1, max = 4, load = { hourly = 1 } }\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:",
            "unknown load form `hourly`",
            "{ csv = \"load.csv\" }",
        ],
        ..BASE
    },
    Case {
        name: "load CSV that does not exist",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 1, max = 4, load = { csv = \"nope.csv\" } }\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:",
            "`workload.services.autoscaling.load.csv`: cannot open",
            "nope.csv",
        ],
        ..BASE
    },
    Case {
        name: "load CSV without a load column",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 1, max = 4, load = { csv = \"trace.csv\" } }\n",
            fargate!()
        ),
        trace: Some("time_s,value\n0,1\n"),
        expect: &[
            "s.toml:7:",
            "trace.csv: line 1 (header): missing required column `load`",
        ],
        ..BASE
    },
    Case {
        name: "load CSV with time going back",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 1, max = 4, load = { csv = \"trace.csv\" } }\n",
            fargate!()
        ),
        trace: Some("time_s,load\n10,0.5\n5,0.6\n"),
        expect: &[
            "s.toml:7:",
            "trace.csv: row 2 (line 3), column `time_s`: found 5, earlier than the previous row's 10",
        ],
        ..BASE
    },
    Case {
        name: "load CSV with a negative load",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 1, max = 4, load = { csv = \"trace.csv\" } }\n",
            fargate!()
        ),
        trace: Some("time_s,load\n0,0.5\n60,-2\n"),
        expect: &[
            "trace.csv: row 2 (line 3), column `load`: found `-2`; expected a finite number >= 0",
        ],
        ..BASE
    },
    Case {
        name: "load CSV with no rows",
        scenario: concat!(
            head!(),
            service!(),
            "autoscaling = { target_cpu_percent = 60, min = 1, max = 4, load = { csv = \"trace.csv\" } }\n",
            fargate!()
        ),
        trace: Some("time_s,load\n"),
        expect: &["s.toml:7:", "trace.csv: no data rows"],
        ..BASE
    },
    // ---- arm structure ----
    Case {
        name: "EC2-only key on a FARGATE arm",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "instance_types = [\"m5.large\"]\n"
        ),
        expect: &[
            "s.toml:11:18:",
            "`arm.instance_types` applies to EC2 arms only",
        ],
        ..BASE
    },
    Case {
        name: "capacity on a FARGATE arm",
        scenario: concat!(head!(), job!(), fargate!(), "capacity = { fixed = 2 }\n"),
        expect: &["s.toml:11:12:", "`arm.capacity` applies to EC2 arms only"],
        ..BASE
    },
    Case {
        name: "EC2 arm without capacity",
        scenario: concat!(
            head!(),
            job!(),
            "[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\n"
        ),
        expect: &[
            "s.toml:9:8:",
            "arm `ec2`: `capacity` is required for an EC2 arm",
            "expected capacity = { fixed = N }",
        ],
        ..BASE
    },
    Case {
        name: "EC2 arm without instance_types",
        scenario: concat!(
            head!(),
            job!(),
            "[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ncapacity = { fixed = 2 }\n"
        ),
        expect: &[
            "s.toml:9:8:",
            "arm `ec2`: `instance_types` is required for an EC2 arm",
            "expected",
        ],
        ..BASE
    },
    Case {
        name: "zero fixed capacity",
        scenario: concat!(
            head!(),
            job!(),
            "[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 0 }\n"
        ),
        expect: &[
            "s.toml:12:22:",
            "`arm.capacity.fixed`: found 0",
            "expected an integer in 1..=",
        ],
        ..BASE
    },
    Case {
        name: "duplicate arm names",
        scenario: concat!(head!(), job!(), fargate!(), fargate!()),
        expect: &[
            "s.toml:12:8:",
            "`arm.name`: `fargate` is used by another arm",
            "expected unique names",
        ],
        ..BASE
    },
    Case {
        name: "arm name with a comma",
        scenario: concat!(
            head!(),
            job!(),
            "[[arm]]\nname = \"a,b\"\nlaunch_type = \"FARGATE\"\n"
        ),
        expect: &[
            "s.toml:9:8:",
            "`arm.name`: found `a,b`",
            "expected a non-empty name without `,`",
        ],
        ..BASE
    },
    Case {
        name: "no arms",
        scenario: concat!(head!(), job!()),
        expect: &["s.toml:", "no `[[arm]]`", "expected at least one"],
        ..BASE
    },
    Case {
        name: "missing launch_type",
        scenario: concat!(head!(), job!(), "[[arm]]\nname = \"x\"\n"),
        expect: &["s.toml:8:", "missing field `launch_type`"],
        ..BASE
    },
    // ---- workload ----
    Case {
        name: "duplicate job names",
        scenario: concat!(head!(), job!(), job!(), fargate!()),
        expect: &[
            "s.toml:9:8:",
            "`workload.jobs.name`: `etl` is used by another job",
            "expected unique names",
        ],
        ..BASE
    },
    Case {
        name: "empty workload: no [workload]",
        scenario: concat!(head!(), fargate!()),
        expect: &[
            "s.toml:1:1:",
            "the workload is empty",
            "expected `[workload]` with a `trace`, at least one `[[workload.jobs]]` or at least one `[[workload.services]]`",
        ],
        ..BASE
    },
    Case {
        name: "empty workload: bare [workload]",
        scenario: concat!(head!(), "[workload]\n", fargate!()),
        expect: &["s.toml:2:1:", "the workload is empty", "expected"],
        ..BASE
    },
    Case {
        name: "no horizon with an endless job",
        scenario: concat!(job!(), fargate!()),
        expect: &[
            "s.toml:1:1:",
            "no `horizon`",
            "expected `horizon = \"24h\"`",
        ],
        ..BASE
    },
    Case {
        name: "job missing cpu",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\nmemory = 2048\n",
            fargate!()
        ),
        expect: &[
            "s.toml:6:10:",
            "`workload.jobs.memory`: `etl` has `memory` but no `cpu`",
        ],
        ..BASE
    },
    Case {
        name: "zero cpu",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 0\nmemory = 2048\n",
            fargate!()
        ),
        expect: &[
            "s.toml:6:7:",
            "`workload.jobs.cpu`: found 0",
            "expected an integer in 1..=",
        ],
        ..BASE
    },
    Case {
        name: "fractional memory",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 1024\nmemory = 2048.5\n",
            fargate!()
        ),
        expect: &[
            "s.toml:7:10:",
            "field `memory`: found the number 2048.5; expected an integer (CPU units or MiB) or a string with a unit such as \"1 vCPU\" or \"2 GB\"",
        ],
        ..BASE
    },
    Case {
        name: "lognormal with negative sigma",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = { lognormal = { median = \"5m\", sigma = -0.5 } }\ncpu = 1024\nmemory = 2048\n",
            fargate!()
        ),
        expect: &[
            "s.toml:5:12:",
            "`workload.jobs.duration`: lognormal sigma is -0.5",
            "expected a number in 0..=10",
        ],
        ..BASE
    },
    Case {
        name: "uniform with min > max",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = { uniform = { min = \"5m\", max = \"1m\" } }\ncpu = 1024\nmemory = 2048\n",
            fargate!()
        ),
        expect: &[
            "s.toml:5:12:",
            "`workload.jobs.duration`: uniform min 5m and max 1m",
            "expected min <= max",
        ],
        ..BASE
    },
    Case {
        name: "zero fixed duration",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"0s\"\ncpu = 1024\nmemory = 2048\n",
            fargate!()
        ),
        expect: &[
            "s.toml:5:12:",
            "`workload.jobs.duration`: found 0",
            "expected a positive duration",
        ],
        ..BASE
    },
    Case {
        name: "zero fixed_interval",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { fixed_interval = \"0s\" }\nduration = \"5m\"\ncpu = 1024\nmemory = 2048\n",
            fargate!()
        ),
        expect: &[
            "s.toml:4:11:",
            "`workload.jobs.arrival.fixed_interval`: found 0",
            "expected a positive duration",
        ],
        ..BASE
    },
    Case {
        name: "diurnal peak_ratio below 1",
        scenario: concat!(
            head!(),
            "[[workload.jobs]]\nname = \"etl\"\narrival = { diurnal = { mean_per_hour = 60, peak_ratio = 0.5, peak_at = \"14h\" } }\nduration = \"5m\"\ncpu = 1024\nmemory = 2048\n",
            fargate!()
        ),
        expect: &[
            "s.toml:4:11:",
            "`workload.jobs.arrival.diurnal.peak_ratio`: found 0.5",
            "expected a number in 1..=1000",
        ],
        ..BASE
    },
    Case {
        name: "job end before start",
        scenario: concat!(
            head!(),
            job!(),
            "start = \"2h\"\nend = \"1h\"\n",
            fargate!()
        ),
        expect: &[
            "s.toml:9:7:",
            "`workload.jobs.end`: found 1h",
            "expected a time after `start`",
        ],
        ..BASE
    },
    Case {
        name: "zero max_tasks",
        scenario: concat!(head!(), job!(), "max_tasks = 0\n", fargate!()),
        expect: &[
            "s.toml:8:13:",
            "`workload.jobs.max_tasks`: found 0",
            "expected a positive integer",
        ],
        ..BASE
    },
    Case {
        name: "negative seed",
        scenario: concat!(head!(), "seed = -1\n", job!(), fargate!()),
        expect: &[
            "s.toml:2:8:",
            "`seed`: found -1",
            "expected a non-negative integer",
        ],
        ..BASE
    },
    Case {
        name: "scenario name with a slash",
        scenario: concat!(head!(), "name = \"a/b\"\n", job!(), fargate!()),
        expect: &[
            "s.toml:2:8:",
            "`name`: found `a/b`",
            "expected a non-empty name without `/`",
        ],
        ..BASE
    },
    Case {
        name: "ephemeral_storage_gib 500",
        scenario: concat!(head!(), job!(), "ephemeral_storage_gib = 500\n", fargate!()),
        expect: &[
            "s.toml:8:25:",
            "`workload.jobs.ephemeral_storage_gib`: found 500",
            "expected an integer in 20..=200",
        ],
        ..BASE
    },
    Case {
        name: "host port 70000",
        scenario: concat!(head!(), job!(), "host_ports = [8080, 70000]\n", ec2!()),
        expect: &[
            "s.toml:8:21:",
            "`workload.jobs.host_ports`: found 70000",
            "expected an integer in 1..=65535",
        ],
        ..BASE
    },
    Case {
        name: "duplicate host ports",
        scenario: concat!(head!(), job!(), "host_ports = [8080, 8080]\n", ec2!()),
        expect: &[
            "s.toml:8:21:",
            "`workload.jobs.host_ports`: port 8080 is listed twice",
            "expected distinct ports",
        ],
        ..BASE
    },
    Case {
        name: "job start not a duration",
        scenario: concat!(head!(), job!(), "start = \"soon\"\n", fargate!()),
        expect: &[
            "s.toml:8:9:",
            "field `start`: `soon` is not a duration",
            "expected",
        ],
        ..BASE
    },
    Case {
        name: "zero exponential task_start_latency",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "task_start_latency = { exponential = { mean = \"0s\" } }\n"
        ),
        expect: &[
            "s.toml:11:22:",
            "`arm.task_start_latency`: exponential mean is 0",
            "expected a positive duration",
        ],
        ..BASE
    },
    Case {
        name: "instance_launch_latency on a FARGATE arm",
        scenario: concat!(
            head!(),
            job!(),
            fargate!(),
            "instance_launch_latency = \"2m\"\n"
        ),
        expect: &[
            "s.toml:11:27:",
            "`arm.instance_launch_latency` applies to EC2 arms only",
        ],
        ..BASE
    },
    Case {
        name: "string for eni_trunking",
        scenario: concat!(head!(), job!(), ec2!(), "eni_trunking = \"yes\"\n"),
        expect: &[
            "s.toml:13:16:",
            "field `eni_trunking`",
            "string",
            "expected a boolean",
        ],
        ..BASE
    },
    Case {
        name: "availability zone listed twice",
        scenario: concat!(
            head!(),
            job!(),
            ec2!(),
            "availability_zones = [\"us-east-1a\", \"us-east-1a\"]\n"
        ),
        expect: &[
            "s.toml:13:22:",
            "`arm.availability_zones`: a zone is listed twice",
            "expected distinct zones",
        ],
        ..BASE
    },
    Case {
        name: "instance type listed twice",
        scenario: concat!(
            head!(),
            job!(),
            "[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\", \"m5.large\"]\ncapacity = { fixed = 2 }\n"
        ),
        expect: &[
            "s.toml:11:31:",
            "`arm.instance_types`: `m5.large` is listed twice",
        ],
        ..BASE
    },
    Case {
        name: "zero vcpu in [[instance_type]]",
        scenario: concat!(
            head!(),
            "[[instance_type]]\nname = \"m5.large\"\nvcpu = 0\n",
            job!(),
            fargate!()
        ),
        expect: &[
            "s.toml:4:8:",
            "`instance_type.vcpu`: found 0",
            "expected a positive integer",
        ],
        ..BASE
    },
    Case {
        name: "empty scenario file",
        expect: &["s.toml:1:1:", "the workload is empty", "expected"],
        ..BASE
    },
    // ---- command line ----
    Case {
        name: "unknown arm in --only",
        scenario: concat!(head!(), job!(), ec2!(), fargate!()),
        expect: &[
            "--only: no arm named `fargat`",
            "s.toml",
            "expected one of ec2, fargate",
        ],
        cmd: Cmd::RunOnly("ec2,fargat"),
        ..BASE
    },
    Case {
        name: "scenario file does not exist",
        expect: &["cannot read scenario", "s.toml", "No such file"],
        setup: Setup::Missing,
        ..BASE
    },
    Case {
        name: "scenario is a folder",
        expect: &["cannot read scenario", "s.toml"],
        setup: Setup::Folder,
        ..BASE
    },
    Case {
        name: "scenario is not UTF-8",
        scenario: concat!(head!(), "name = \"caf<FF>\"\n", job!(), fargate!()),
        expect: &[
            "s.toml:2:12:",
            "found the byte 0xFF, which is not valid UTF-8",
            "expected a UTF-8 text file",
        ],
        ..BASE
    },
    // ---- traces ----
    Case {
        name: "trace file missing",
        scenario: concat!(with_trace!(), fargate!()),
        expect: &[
            "s.toml:2:9:",
            "`workload.trace`: cannot open",
            "trace.csv",
            "expected a CSV trace file",
        ],
        ..BASE
    },
    Case {
        name: "trace is an empty file",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(""),
        expect: &[
            "trace.csv: line 1: the file is empty",
            "expected a header with",
        ],
        ..BASE
    },
    Case {
        name: "trace missing a required column",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some("arrival_s,duration_s,memory_mib\n0,10,512\n"),
        expect: &[
            "trace.csv: line 1 (header): missing required column `cpu_units`",
            "expected a header with",
        ],
        ..BASE
    },
    Case {
        name: "trace non-number",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(concat!(trace_header!(), "0,10,512,1024\n5,10,abc,1024\n")),
        expect: &["trace.csv: row 2 (line 3), column `cpu_units`: found `abc`; expected a number"],
        ..BASE
    },
    Case {
        name: "trace NaN",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(concat!(trace_header!(), "0,NaN,512,1024\n")),
        expect: &[
            "trace.csv: row 1 (line 2), column `duration_s`: found `NaN`; expected a finite number",
        ],
        ..BASE
    },
    Case {
        name: "trace infinite memory",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(concat!(trace_header!(), "0,10,512,inf\n")),
        expect: &[
            "trace.csv: row 1 (line 2), column `memory_mib`: found `inf`; expected a finite number",
        ],
        ..BASE
    },
    Case {
        name: "trace negative arrival",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(concat!(trace_header!(), "-1,10,512,1024\n")),
        expect: &[
            "trace.csv: row 1 (line 2), column `arrival_s`: found `-1`; expected a number >= 0",
        ],
        ..BASE
    },
    Case {
        name: "trace zero duration",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(concat!(trace_header!(), "0,10,512,1024\n1,0,512,1024\n")),
        expect: &[
            "trace.csv: row 2 (line 3), column `duration_s`: found `0`; expected a number > 0",
        ],
        ..BASE
    },
    Case {
        name: "trace rows out of order",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(concat!(trace_header!(), "5,10,512,1024\n4,10,512,1024\n")),
        expect: &[
            "trace.csv: row 2 (line 3), column `arrival_s`: found 4, earlier than the previous row's 5",
            "expected rows sorted by arrival_s",
        ],
        ..BASE
    },
    Case {
        name: "trace row with too few fields",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(concat!(trace_header!(), "0,10,512,1024\n1,10,512\n")),
        expect: &[
            "trace.csv: row 2 (line 3): found 3 fields (no value for `memory_mib`); expected 4, one per header column",
        ],
        ..BASE
    },
    Case {
        name: "trace empty required value",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(concat!(trace_header!(), "0,10,,1024\n")),
        expect: &[
            "trace.csv: row 1 (line 2), column `cpu_units`: missing value; expected a number",
        ],
        ..BASE
    },
    Case {
        name: "trace negative optional usage",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(concat!(
            "arrival_s,duration_s,cpu_units,memory_mib,cpu_used_units\n",
            "0,10,512,1024,-3\n"
        )),
        expect: &[
            "trace.csv: row 1 (line 2), column `cpu_used_units`: found `-3`; expected a number >= 0",
        ],
        ..BASE
    },
    Case {
        name: "trace arrival beyond 100 years",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(concat!(trace_header!(), "1e300,10,512,1024\n")),
        expect: &[
            "trace.csv: row 1 (line 2), column `arrival_s`: found `1e300`; expected at most 3153600000 (100 years)",
        ],
        ..BASE
    },
    Case {
        name: "trace value not UTF-8",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(concat!(
            trace_header!(),
            "0,10,512,1024\n1,10,5<FF>12,1024\n"
        )),
        expect: &[
            "trace.csv: row 2 (line 3), column `cpu_units`: the value is not valid UTF-8; expected UTF-8 text",
        ],
        ..BASE
    },
    Case {
        name: "trace header not UTF-8",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some("arrival_s,dur<FF>,cpu_units,memory_mib\n0,10,512,1024\n"),
        expect: &[
            "trace.csv: row 0 (line 1): header field 2 is not valid UTF-8; expected UTF-8 text",
        ],
        ..BASE
    },
    Case {
        name: "trace row after a quoted line break",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(
            "arrival_s,duration_s,cpu_units,memory_mib,task_id\n0,10,512,1024,\"a\nb\"\n1,10,x,1024,c\n",
        ),
        expect: &["trace.csv: row 2 (line 4), column `cpu_units`: found `x`; expected a number"],
        ..BASE
    },
    Case {
        name: "trace cpu_units beyond u32",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(concat!(trace_header!(), "0,10,1e10,1024\n")),
        expect: &[
            "trace.csv: row 1 (line 2), column `cpu_units`: found `1e10`; expected at most 4294967295",
        ],
        ..BASE
    },
    Case {
        name: "trace usage beyond u32",
        scenario: concat!(with_trace!(), fargate!()),
        trace: Some(
            "arrival_s,duration_s,cpu_units,memory_mib,cpu_used_units\n0,10,512,1024,1e308\n",
        ),
        expect: &[
            "trace.csv: row 1 (line 2), column `cpu_used_units`: found `1e308`; expected at most 4294967295",
        ],
        ..BASE
    },
    Case {
        name: "more timeseries samples than sim keeps",
        scenario: concat!(
            "horizon = \"30d\"\nmetrics_interval = \"1s\"\n",
            job!(),
            fargate!()
        ),
        expect: &[
            "s.toml:1:11:",
            "gives more than 2000000 samples",
            "expected a longer metrics_interval",
        ],
        ..BASE
    },
    Case {
        name: "replay time_scale not positive",
        scenario: concat!(with_trace!(), "time_scale = 0\n", fargate!()),
        trace: Some(concat!(trace_header!(), "0,10,512,1024\n")),
        expect: &[
            "s.toml:3:14:",
            "`workload.time_scale`: found 0",
            "expected a number > 0 and at most 1000",
        ],
        ..BASE
    },
    Case {
        name: "replay time_scale a string",
        scenario: concat!(with_trace!(), "time_scale = \"2x\"\n", fargate!()),
        trace: Some(concat!(trace_header!(), "0,10,512,1024\n")),
        expect: &["s.toml:3:14:", "field `time_scale`", "expected a number"],
        ..BASE
    },
    Case {
        name: "replay start not a duration",
        scenario: concat!(with_trace!(), "start = \"1 hour\"\n", fargate!()),
        trace: Some(concat!(trace_header!(), "0,10,512,1024\n")),
        expect: &["s.toml:3:9:", "`1 hour` is not a duration"],
        ..BASE
    },
    Case {
        name: "replay end not after start",
        scenario: concat!(with_trace!(), "start = \"2h\"\nend = \"1h\"\n", fargate!()),
        trace: Some(concat!(trace_header!(), "0,10,512,1024\n")),
        expect: &[
            "s.toml:4:7:",
            "`workload.end`: found 1h",
            "expected a trace time after `workload.start` (2h)",
        ],
        ..BASE
    },
    Case {
        name: "replay sample above 1",
        scenario: concat!(with_trace!(), "sample = 1.5\n", fargate!()),
        trace: Some(concat!(trace_header!(), "0,10,512,1024\n")),
        expect: &[
            "s.toml:3:10:",
            "`workload.sample`: found 1.5",
            "expected a fraction of rows to keep, 0 < f <= 1",
        ],
        ..BASE
    },
    Case {
        name: "replay cpu_scale negative",
        scenario: concat!(with_trace!(), "cpu_scale = -2\n", fargate!()),
        trace: Some(concat!(trace_header!(), "0,10,512,1024\n")),
        expect: &[
            "s.toml:3:13:",
            "`workload.cpu_scale`: found -2",
            "expected a number > 0",
        ],
        ..BASE
    },
    Case {
        name: "replay memory_scale too large",
        scenario: concat!(with_trace!(), "memory_scale = 5000\n", fargate!()),
        trace: Some(concat!(trace_header!(), "0,10,512,1024\n")),
        expect: &[
            "s.toml:3:16:",
            "`workload.memory_scale`: found 5000",
            "at most 1000",
        ],
        ..BASE
    },
    Case {
        name: "replay option without a trace",
        scenario: concat!(head!(), job!(), "[workload]\nsample = 0.5\n", fargate!()),
        expect: &[
            "s.toml:9:10:",
            "`workload.sample` applies to the trace only, and there is no `workload.trace`",
        ],
        ..BASE
    },
    Case {
        name: "trace is a folder",
        scenario: "[workload]\ntrace = \".\"\n[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\n",
        expect: &[
            "s.toml:2:9:",
            "`workload.trace`:",
            "is a folder; expected a CSV trace file",
        ],
        ..BASE
    },
    Case {
        name: "trace path not a string",
        scenario: concat!("[workload]\ntrace = 5\n", fargate!()),
        expect: &[
            "s.toml:2:9:",
            "field `trace`",
            "integer",
            "expected a string",
        ],
        ..BASE
    },
];

/// `text` as bytes, with every `<FF>` replaced by the byte 0xFF (never valid in UTF-8).
fn bytes(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, part) in text.split("<FF>").enumerate() {
        if i > 0 {
            out.push(0xFF);
        }
        out.extend_from_slice(part.as_bytes());
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

/// Run `case` once with `args`; `None` if everything held, else what went wrong.
fn check(case: &Case, dir: &Path, args: &[String]) -> Option<String> {
    let before = listing(dir);
    let out = sim()
        .args(args)
        .current_dir(dir)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("sim starts");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut problems = Vec::new();
    if out.status.code() != Some(2) {
        problems.push(format!("exit status {:?}, expected 2", out.status.code()));
    }
    if stderr.contains("panicked") {
        problems.push("panicked".to_string());
    }
    if !(stderr.contains("s.toml") || stderr.contains("trace.csv")) {
        problems.push("the message names neither s.toml nor trace.csv".to_string());
    }
    for e in case.expect {
        if !stderr.contains(e) {
            problems.push(format!("stderr lacks {e:?}"));
        }
    }
    let outdir = dir.join("out");
    if std::fs::read_dir(&outdir).is_ok_and(|mut d| d.next().is_some()) {
        problems.push(format!("files written in {}", outdir.display()));
    }
    let after = listing(dir);
    let new: Vec<&String> = after.difference(&before).collect();
    if !new.is_empty() {
        problems.push(format!("new files: {new:?}"));
    }
    if problems.is_empty() {
        return None;
    }
    Some(format!(
        "--- {} (sim {}):\n  {}\n  stderr:\n{}",
        case.name,
        args.join(" "),
        problems.join("\n  "),
        stderr
            .lines()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    ))
}

#[test]
fn every_bad_input_exits_2_naming_where_and_what() {
    assert!(CASES.len() >= 40, "the catalogue has {} cases", CASES.len());
    let mut names = BTreeSet::new();
    let mut failures = Vec::new();
    for case in CASES {
        assert!(names.insert(case.name), "duplicate case name {}", case.name);
        let tmp = tempfile::tempdir().expect("temporary folder");
        let dir = tmp.path();
        let s = dir.join("s.toml");
        match case.setup {
            Setup::Text => std::fs::write(&s, bytes(case.scenario)).expect("write scenario"),
            Setup::Generated(f) => {
                write(dir, "s.toml", &f());
            }
            Setup::Missing => {}
            Setup::Folder => std::fs::create_dir(&s).expect("create folder"),
        }
        if let Some(t) = case.trace {
            std::fs::write(dir.join("trace.csv"), bytes(t)).expect("write trace");
        }
        if let Some(t) = case.taskdef {
            std::fs::write(dir.join("taskdef.json"), t).expect("write task definition");
        }
        let s = s.display().to_string();
        let out = dir.join("out").display().to_string();
        let run = |extra: &[&str]| {
            let mut a: Vec<String> = ["run", &s, "--out", &out, "--quiet"]
                .iter()
                .map(|x| x.to_string())
                .collect();
            a.extend(extra.iter().map(|x| x.to_string()));
            a
        };
        let runs = match case.cmd {
            Cmd::Both => vec![run(&[]), vec!["validate".to_string(), s.clone()]],
            Cmd::RunOnly(only) => vec![run(&["--only", only])],
        };
        for args in runs {
            failures.extend(check(case, dir, &args));
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
