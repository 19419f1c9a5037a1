//! The built-in instance-type catalog (embedded from `data/instance_types.csv`) and a scenario's
//! resolved view of it.

use serde::Deserialize;

use crate::model::instance_type::default_registered_memory_mib;
use crate::model::{Architecture, InstanceType};

/// The instance-type table compiled into the binary (data/instance_types.csv).
pub const INSTANCE_TYPES_CSV: &str = include_str!("../../data/instance_types.csv");

#[derive(Debug, Deserialize)]
struct Row {
    instance_type: String,
    vcpu: u32,
    memory_mib_nominal: u32,
    arch: String,
    max_enis: u32,
    awsvpc_tasks_no_trunking: u32,
    awsvpc_tasks_with_trunking: String,
    linux_on_demand_usd_per_hour_us_east_1: f64,
}

/// Instance types by name, in a fixed order (built-ins in file order, then scenario additions).
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    types: Vec<InstanceType>,
}

impl Catalog {
    /// The built-in catalog. The embedded table is checked by a unit test, so a malformed row
    /// is a build defect, not user input; such rows would be skipped rather than panic.
    pub fn builtin() -> Catalog {
        let mut reader = csv::Reader::from_reader(INSTANCE_TYPES_CSV.as_bytes());
        let types = reader
            .deserialize::<Row>()
            .filter_map(Result::ok)
            .filter_map(|r| {
                let architecture = Architecture::parse(&r.arch)?;
                let trunk_tasks = r.awsvpc_tasks_with_trunking.parse::<u32>().ok();
                debug_assert_eq!(r.awsvpc_tasks_no_trunking, r.max_enis.saturating_sub(1));
                Some(InstanceType {
                    registered_memory_mib: default_registered_memory_mib(
                        &r.instance_type,
                        r.memory_mib_nominal,
                    ),
                    name: r.instance_type,
                    vcpu: r.vcpu,
                    memory_mib: r.memory_mib_nominal,
                    max_enis: r.max_enis,
                    trunk_tasks,
                    price_per_hour: r.linux_on_demand_usd_per_hour_us_east_1,
                    architecture,
                })
            })
            .collect();
        Catalog { types }
    }

    /// Every type, in catalog order.
    pub fn types(&self) -> &[InstanceType] {
        &self.types
    }

    /// The type called `name`.
    pub fn get(&self, name: &str) -> Option<&InstanceType> {
        self.types.iter().find(|t| t.name == name)
    }

    /// Add a type, or replace the one with the same name (keeping its position).
    pub fn upsert(&mut self, t: InstanceType) {
        match self.types.iter_mut().find(|x| x.name == t.name) {
            Some(slot) => *slot = t,
            None => self.types.push(t),
        }
    }

    /// Names of all types, for "expected one of" messages.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.types.iter().map(|t| t.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_all_39_types_from_the_reference_table() {
        let c = Catalog::builtin();
        let rows = INSTANCE_TYPES_CSV
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .count();
        assert_eq!(rows, 39);
        assert_eq!(c.types().len(), 39);
    }

    #[test]
    fn spot_check_well_known_values() {
        // docs/reference/ecs-facts.md §3 spot checks and §2.4 selected rows.
        let c = Catalog::builtin();
        let m5 = c.get("m5.large").unwrap();
        assert_eq!((m5.vcpu, m5.cpu_units(), m5.memory_mib), (2, 2048, 8192));
        assert_eq!(m5.price_per_hour, 0.096);
        assert_eq!(m5.awsvpc_task_slots(false), 2);
        assert_eq!(m5.awsvpc_task_slots(true), 10);
        let t3 = c.get("t3.medium").unwrap();
        assert_eq!(t3.trunk_tasks, None);
        assert_eq!(t3.awsvpc_task_slots(true), 2);
        assert_eq!(t3.price_per_hour, 0.0416);
        assert_eq!(
            c.get("c7g.large").unwrap().architecture,
            Architecture::Arm64
        );
        assert_eq!(c.get("m6i.8xlarge").unwrap().awsvpc_task_slots(true), 90);
    }

    #[test]
    fn every_type_matches_its_reference_row() {
        let c = Catalog::builtin();
        for line in INSTANCE_TYPES_CSV.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let t = c.get(f[0]).unwrap();
            assert_eq!(t.cpu_units().to_string(), f[3], "{}", f[0]);
            assert_eq!(t.memory_mib.to_string(), f[5], "{}", f[0]);
            assert_eq!(t.max_enis.to_string(), f[7], "{}", f[0]);
            assert_eq!(t.awsvpc_task_slots(false).to_string(), f[9], "{}", f[0]);
            let trunk = t
                .trunk_tasks
                .map_or("not_supported".to_string(), |n| n.to_string());
            assert_eq!(trunk, f[10], "{}", f[0]);
        }
    }

    #[test]
    fn upsert_replaces_in_place_or_appends() {
        let mut c = Catalog::builtin();
        let mut t = c.get("m5.large").unwrap().clone();
        t.price_per_hour = 1.0;
        c.upsert(t.clone());
        assert_eq!(c.types()[0].price_per_hour, 1.0);
        t.name = "x1.custom".into();
        c.upsert(t);
        assert_eq!(c.types().len(), 40);
        assert_eq!(c.types()[39].name, "x1.custom");
    }
}
