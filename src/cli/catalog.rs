//! `sim catalog`: the built-in reference data.

use std::path::Path;

use crate::cli::UsageError;
use crate::model::price_book::FargateOsArch;
use crate::model::{Architecture, Catalog, FargateSizes, Os, PriceOrigin, Pricing};
use crate::scenario::prices::{item, price_catalog, region_pricing};

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

/// Print the chosen table; `region` and `price_list` apply to `prices` only.
pub fn catalog(what: What, region: Option<&str>, price_list: Option<&Path>) -> anyhow::Result<()> {
    if !matches!(what, What::Prices) && (region.is_some() || price_list.is_some()) {
        return Err(UsageError(
            "`--region` and `--price-list` go with `sim catalog prices` only".to_string(),
        )
        .into());
    }
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
        What::Prices => prices(region, price_list)?,
    };
    say!("{text}")?;
    Ok(())
}

/// `sim catalog prices`: every price a run in the region would use before the scenario's own
/// keys, each with its origin (footnoted) and an UNCERTAIN mark (docs/model.md §21).
fn prices(region: Option<&str>, price_list: Option<&Path>) -> anyhow::Result<String> {
    let list = match price_list {
        Some(p) => Some(crate::scenario::price_list_file::read_price_list(
            p,
            &p.display().to_string(),
        )?),
        None => None,
    };
    if let (Some(r), Some(l)) = (region, &list)
        && r != l.region
    {
        return Err(UsageError(format!(
            "`--region {r}`: the price list `{}` is for `{}`; expected one region (drop `--region` to take the list's)",
            l.name, l.region
        ))
        .into());
    }
    let region = region
        .map(str::to_string)
        .or_else(|| list.as_ref().map(|l| l.region.clone()))
        .unwrap_or_else(|| "us-east-1".to_string());
    let mut pricing = region_pricing(&region, list.as_ref());
    let mut catalog = Catalog::builtin();
    price_catalog(&mut catalog, &mut pricing, list.as_ref());
    let mut notes: Vec<String> = Vec::new();
    let mut note = |o: &PriceOrigin| -> String {
        let i = match notes.iter().position(|n| *n == o.origin) {
            Some(i) => i,
            None => {
                notes.push(o.origin.clone());
                notes.len() - 1
            }
        };
        format!("[{}]", i + 1)
    };
    let mark = |o: &PriceOrigin| if o.uncertain { "UNCERTAIN" } else { "" }.to_string();
    let mut out = format!(
        "region {region}{}\nbilling: Fargate per second, 1-minute minimum (Windows 5 minutes); EC2 per second, 60-second minimum\n\nFargate, USD per hour:\n",
        list.as_ref()
            .map(|l| format!(", price list {}", l.name))
            .unwrap_or_default()
    );
    let mut rows = vec![
        ["os_arch", "rate", "usd", "per", "origin", "uncertain"]
            .map(String::from)
            .to_vec(),
    ];
    for oa in FargateOsArch::ALL {
        let mut its = vec![
            (item::fargate_vcpu(oa), "vcpu_hour"),
            (item::fargate_gb(oa), "gb_hour"),
        ];
        if oa == FargateOsArch::WindowsX86 {
            its.push((
                item::FARGATE_WINDOWS_LICENCE.to_string(),
                "os_licence_vcpu_hour",
            ));
        }
        for (it, rate) in its {
            rows.push(match pricing.origins.get(&it) {
                Some(o) => vec![
                    oa.as_str().to_string(),
                    rate.to_string(),
                    o.list_usd.to_string(),
                    o.unit.to_string(),
                    note(o),
                    mark(o),
                ],
                None => vec![
                    oa.as_str().to_string(),
                    rate.to_string(),
                    "-".into(),
                    "".into(),
                    "none: give it in [pricing] or a price list".into(),
                    "".into(),
                ],
            });
        }
    }
    rows.push(match pricing.origins.get(item::FARGATE_STORAGE) {
        Some(o) => vec![
            "storage".into(),
            "gb_hour above 20 GiB".into(),
            o.list_usd.to_string(),
            o.unit.to_string(),
            note(o),
            mark(o),
        ],
        None => vec![
            "storage".into(),
            "gb_hour above 20 GiB".into(),
            "-".into(),
            "".into(),
            "none: give it in [pricing] or a price list".into(),
            "".into(),
        ],
    });
    out.push_str(&table(&rows, 2));
    out.push_str(&format!(
        "Fargate Spot: on-demand x (1 - {}) by default (docs/model.md)\n\nEC2 on-demand, USD per instance-hour:\n",
        crate::scenario::load::defaults::DEFAULT_FARGATE_SPOT_DISCOUNT
    ));
    let mut rows = vec![
        [
            "type",
            "linux",
            "origin",
            "uncertain",
            "windows",
            "origin",
            "uncertain",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for t in catalog.types() {
        let mut row = vec![t.name.clone()];
        for os in [Os::Linux, Os::Windows] {
            match pricing.origins.get(&item::ec2(os, &t.name)) {
                Some(o) => row.extend([format!("{:.4}", o.list_usd), note(o), mark(o)]),
                None => row.extend(["-".into(), "".into(), "".into()]),
            }
        }
        rows.push(row);
    }
    out.push_str(&table(&rows, 1));
    out.push_str("-: no price known for the region; give it in [pricing] (`ec2`, `ec2_windows`) or a price list\n\n");
    out.push_str(&crate::model::other_charges::builtin_lines(&region));
    out.push_str("\norigins:\n");
    for (i, n) in notes.iter().enumerate() {
        out.push_str(&format!("[{}] {n}\n", i + 1));
    }
    Ok(out)
}
