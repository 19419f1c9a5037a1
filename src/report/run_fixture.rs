//! A small hand-written run, shared by the tests of the plots and of report.html: two arms over
//! an hour, sampled every half hour: an EC2 fleet growing from one instance to two under
//! managed scaling, and Fargate, which has nothing registered at the start.

use super::{RunData, RunFiles};

pub const SUMMARY: &str = "\
arm,launch_type,tasks_arrived,tasks_completed,tasks_rejected,tasks_lost,tasks_running_at_end,tasks_pending_at_end,wait_mean_s,wait_p50_s,wait_p95_s,wait_p99_s,cost_usd,cost_per_task_hour_usd,cpu_reserved_util,mem_reserved_util,cpu_used_util,mem_used_util,instance_hours,peak_instances,interruptions,eni_blocked_placements,cost_ec2_on_demand_usd,cost_ec2_spot_usd,cost_fargate_vcpu_usd,cost_fargate_memory_usd,cost_fargate_storage_usd,spot_savings_usd
ec2,EC2,4,4,0,0,0,0,1.500,0.000,5.000,5.000,0.250000,0.062500,0.500000,0.300000,,,1.500000,2,0,0,0.150000,0.100000,0,0,0,0.200000
fargate,FARGATE,2,2,0,0,0,0,45.000,30.000,60.000,60.000,0.125000,0.031250,0.900000,0.800000,,,0.000000,0,0,0,0,0,0.100000,0.025000,0,0
";

pub const BREAKEVEN: &str = "\
ec2_arm,fargate_arm,instance_type,ec2_cost_usd,fargate_cost_usd,ec2_utilisation,breakeven_utilisation,catalog_breakeven_utilisation
ec2,fargate,m5.large,0.250000,0.125000,0.400000,0.800000,
";

pub const TIMESERIES: &str = "\
arm,time_s,instances,cpu_registered,cpu_reserved,mem_registered,mem_reserved,tasks_running,tasks_pending,cost_rate_usd_h,cost_cum_usd,instances_launching
ec2,0.000,1,4096,0,8192,0,0,3,0.2,0.000000,1
ec2,1800.000,2,4096,2048,8192,4096,0,1,0.2,0.100000,1
ec2,3600.000,2,8192,4096,16384,2048,0,0,0.3,0.250000,0
fargate,0.000,0,0,0,0,0,0,0,0,0.000000,0
fargate,1800.000,0,1024,768,2048,1024,0,0,0.1,0.050000,0
fargate,3600.000,0,1024,1024,2048,2048,0,0,0.15,0.125000,0
";

pub const SCALING: &str = "\
time_s,arm,provider,metric,target,desired,running,action
0.000,ec2,ec2,200.000,100.000,2,1,scale_out
0.000,ec2,service:web,70.000,50.000,2,2,none
1800.000,ec2,ec2,150.000,100.000,2,2,none
3600.000,ec2,ec2,,100.000,2,2,none
";

pub const WAITS: &str = "\
arm,quantile,wait_s
ec2,0.000,0.000
ec2,0.250,0.000
ec2,0.500,0.000
ec2,0.750,1.000
ec2,1.000,5.000
fargate,0.000,30.000
fargate,0.500,30.000
fargate,1.000,60.000
";

pub const RUN_JSON: &str = r#"{
  "sim_version": "9.9.9",
  "scenario": "tiny <test>",
  "scenario_file": "scenarios/tiny.toml",
  "scenario_sha256": "abc123",
  "seed": 7,
  "arms": [],
  "wall_time_s": 3.14159,
  "events_processed": 10,
  "warnings": ["one & only"]
}"#;

pub fn files() -> RunFiles {
    RunFiles {
        summary: SUMMARY.into(),
        timeseries: TIMESERIES.into(),
        scaling: Some(SCALING.into()),
        waits: Some(WAITS.into()),
        breakeven: Some(BREAKEVEN.into()),
        usage: None,
        commitments: None,
        run_json: RUN_JSON.into(),
    }
}

pub fn run() -> RunData {
    RunData::parse(&files()).expect("the fixture parses")
}
