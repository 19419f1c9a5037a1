//! `sim catalog`: the built-in reference data.

use crate::model::{Architecture, Catalog, FargateSizes, Pricing};

/// Which table to print.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum What {
    /// EC2 instance types: CPU, memory, ENIs, trunking, price.
    InstanceTypes,
    /// Valid Fargate task sizes with their hourly prices.
    FargateSizes,
    /// Fargate rates and EC2 on-demand prices.
    Prices,
}

fn table(rows: &[Vec<String>], left: usize) -> String {
    crate::util::text_table::render(rows, left, false)
}

/// Print the chosen table.
pub fn catalog(what: What) -> anyhow::Result<()> {
    let pricing = Pricing::us_east_1();
    let s = |x: &dyn ToString| x.to_string();
    let text = match what {
        What::InstanceTypes => {
            let mut rows = vec![
                [
                    "type",
                    "arch",
                    "vcpu",
                    "cpu_units",
                    "memory_mib",
                    "registered_mib",
                    "max_enis",
                    "awsvpc_tasks",
                    "trunk_tasks",
                    "usd_per_hour",
                ]
                .map(String::from)
                .to_vec(),
            ];
            for t in Catalog::builtin().types() {
                rows.push(vec![
                    t.name.clone(),
                    s(&t.architecture),
                    s(&t.vcpu),
                    s(&t.cpu_units()),
                    s(&t.memory_mib),
                    s(&t.registered_memory_mib),
                    s(&t.max_enis),
                    s(&t.awsvpc_task_slots(false)),
                    t.trunk_tasks
                        .map_or_else(|| "-".to_string(), |n| n.to_string()),
                    format!("{:.4}", t.price_per_hour),
                ]);
            }
            format!(
                "{}\nregistered_mib: memory registered with ECS (see docs/model.md); prices: us-east-1 Linux on-demand\n",
                table(&rows, 2)
            )
        }
        What::FargateSizes => {
            let mut rows = vec![
                [
                    "cpu_units",
                    "vcpu",
                    "memory_mib",
                    "x86_usd_per_hour",
                    "arm_usd_per_hour",
                ]
                .map(String::from)
                .to_vec(),
            ];
            for z in FargateSizes::builtin().sizes() {
                rows.push(vec![
                    s(&z.cpu_units),
                    format!("{}", f64::from(z.cpu_units) / 1024.0),
                    s(&z.memory_mib),
                    format!(
                        "{:.7}",
                        pricing
                            .fargate(Architecture::X86_64)
                            .per_hour(z.cpu_units, z.memory_mib)
                    ),
                    format!(
                        "{:.7}",
                        pricing
                            .fargate(Architecture::Arm64)
                            .per_hour(z.cpu_units, z.memory_mib)
                    ),
                ]);
            }
            table(&rows, 0)
        }
        What::Prices => {
            let x = pricing.fargate(Architecture::X86_64);
            let a = pricing.fargate(Architecture::Arm64);
            let mut out = format!(
                "region {}\nFargate Linux/x86:  ${} per vCPU-hour, ${} per GB-hour\nFargate Linux/ARM:  ${} per vCPU-hour, ${} per GB-hour\nFargate storage above 20 GiB: ${} per GB-hour\nbilling: Fargate per second, 1-minute minimum; EC2 per second, 60-second minimum\n\n",
                pricing.region,
                x.vcpu_hour,
                x.gb_hour,
                a.vcpu_hour,
                a.gb_hour,
                pricing.fargate_storage_gb_hour
            );
            let mut rows = vec![["type", "usd_per_hour"].map(String::from).to_vec()];
            for t in Catalog::builtin().types() {
                rows.push(vec![t.name.clone(), format!("{:.4}", t.price_per_hour)]);
            }
            out.push_str(&table(&rows, 1));
            out.push('\n');
            out.push_str(&crate::model::other_charges::builtin_lines(&pricing.region));
            out
        }
    };
    say!("{text}")?;
    Ok(())
}
