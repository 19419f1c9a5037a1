//! Fargate task sizes and the rounding of a task's request to a billable size.

use serde::Deserialize;

use crate::model::FargateRates;

/// The valid Fargate CPU/memory pairs compiled into the binary (data/fargate_sizes.csv).
pub const FARGATE_SIZES_CSV: &str = include_str!("../../data/fargate_sizes.csv");

/// A valid Fargate task size (docs/reference/ecs-facts.md §1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FargateSize {
    /// CPU units (1 vCPU = 1024).
    pub cpu_units: u32,
    /// Memory, MiB.
    pub memory_mib: u32,
}

#[derive(Debug, Deserialize)]
struct Row {
    cpu_units: u32,
    memory_mib: u32,
    linux: String,
}

/// All valid Linux Fargate sizes.
#[derive(Debug, Clone, PartialEq)]
pub struct FargateSizes {
    sizes: Vec<FargateSize>,
}

impl Default for FargateSizes {
    fn default() -> Self {
        Self::builtin()
    }
}

impl FargateSizes {
    /// The 74 Linux sizes of data/fargate_sizes.csv (checked by a unit test).
    pub fn builtin() -> FargateSizes {
        let mut reader = csv::Reader::from_reader(FARGATE_SIZES_CSV.as_bytes());
        let sizes = reader
            .deserialize::<Row>()
            .filter_map(Result::ok)
            .filter(|r| r.linux == "yes")
            .map(|r| FargateSize {
                cpu_units: r.cpu_units,
                memory_mib: r.memory_mib,
            })
            .collect();
        FargateSizes { sizes }
    }

    /// Every size, smallest CPU first.
    pub fn sizes(&self) -> &[FargateSize] {
        &self.sizes
    }

    /// The cheapest valid size that covers both `cpu_units` and `memory_mib` at `rates`
    /// (AWS guidance: "round the number up to the nearest Fargate size", §1.1; cheapest-covering
    /// is the derived algorithm there). Ties go to the smaller CPU. `None` when the request is
    /// larger than every size.
    pub fn round_up(
        &self,
        cpu_units: u32,
        memory_mib: u32,
        rates: FargateRates,
    ) -> Option<FargateSize> {
        let mut best: Option<(f64, FargateSize)> = None;
        for &s in &self.sizes {
            if s.cpu_units >= cpu_units && s.memory_mib >= memory_mib {
                let price = rates.per_hour(s.cpu_units, s.memory_mib);
                if best.is_none_or(|(p, _)| price < p) {
                    best = Some((price, s));
                }
            }
        }
        best.map(|(_, s)| s)
    }

    /// The sizes in the order [`FargateSizes::round_up`] prefers them at `rates` (cheapest
    /// first, ties to the smaller CPU), so that rounding is a search for the first that covers.
    pub fn ranked(&self, rates: FargateRates) -> RankedSizes {
        let mut sizes: Vec<(f64, usize, FargateSize)> = self
            .sizes
            .iter()
            .enumerate()
            .map(|(i, s)| (rates.per_hour(s.cpu_units, s.memory_mib), i, *s))
            .collect();
        sizes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        RankedSizes {
            sizes: sizes.into_iter().map(|(_, _, s)| s).collect(),
        }
    }
}

/// Fargate sizes cheapest first at one set of rates (see [`FargateSizes::ranked`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RankedSizes {
    sizes: Vec<FargateSize>,
}

impl RankedSizes {
    /// The cheapest size covering both requests: the same answer as
    /// [`FargateSizes::round_up`] at the rates it was ranked for.
    pub fn round_up(&self, cpu_units: u32, memory_mib: u32) -> Option<FargateSize> {
        self.sizes
            .iter()
            .find(|s| s.cpu_units >= cpu_units && s.memory_mib >= memory_mib)
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Architecture, Pricing};

    fn x86() -> FargateRates {
        Pricing::us_east_1().fargate(Architecture::X86_64)
    }

    #[test]
    fn ranked_rounding_agrees_with_the_direct_search() {
        let f = FargateSizes::builtin();
        for rates in [
            x86(),
            Pricing::us_east_1().fargate(Architecture::Arm64),
            FargateRates {
                vcpu_hour: 1.0,
                gb_hour: 0.0,
            },
        ] {
            let ranked = f.ranked(rates);
            for cpu in (0..17_000).step_by(97) {
                for mem in (0..125_000).step_by(613) {
                    assert_eq!(
                        ranked.round_up(cpu, mem),
                        f.round_up(cpu, mem, rates),
                        "{cpu}/{mem}"
                    );
                }
            }
        }
    }

    #[test]
    fn all_74_sizes_are_embedded() {
        assert_eq!(FargateSizes::builtin().sizes().len(), 74);
    }

    #[test]
    fn rounds_up_to_the_cheapest_covering_size() {
        let f = FargateSizes::builtin();
        let r = |c, m| f.round_up(c, m, x86()).map(|s| (s.cpu_units, s.memory_mib));
        assert_eq!(r(1, 1), Some((256, 512)));
        assert_eq!(r(256, 512), Some((256, 512)));
        assert_eq!(r(257, 512), Some((512, 1024)));
        assert_eq!(r(256, 3000), Some((512, 3072)));
        assert_eq!(r(1024, 2048), Some((1024, 2048)));
        // docs/reference/ecs-facts.md §1.1: 1 vCPU + 10 GiB is not valid -> 2048/10240.
        assert_eq!(r(1024, 10240), Some((2048, 10240)));
        assert_eq!(r(4096, 30721), Some((8192, 32768)));
        assert_eq!(r(16384, 122880), Some((16384, 122880)));
        assert_eq!(r(16385, 1024), None);
        assert_eq!(r(1024, 122881), None);
    }

    #[test]
    fn price_of_each_size_matches_the_reference_csv() {
        let p = Pricing::us_east_1();
        for line in FARGATE_SIZES_CSV.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let (c, m): (u32, u32) = (f[0].parse().unwrap(), f[2].parse().unwrap());
            let x: f64 = f[7].parse().unwrap();
            let a: f64 = f[8].parse().unwrap();
            assert!(
                (p.fargate(Architecture::X86_64).per_hour(c, m) - x).abs() < 1e-9,
                "{line}"
            );
            assert!(
                (p.fargate(Architecture::Arm64).per_hour(c, m) - a).abs() < 1e-9,
                "{line}"
            );
        }
    }
}
