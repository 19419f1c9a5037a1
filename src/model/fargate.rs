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
    windows: String,
}

/// The smallest CPU a Windows task on Fargate gets: "The CPU units cannot be less than 1 vCPU
/// when you use Windows containers on Fargate" (docs/reference/pricing.md §1.5, [API-RegTD]).
pub const FARGATE_WINDOWS_MIN_CPU_UNITS: u32 = 1024;

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
        Self::from_column(|r| r.linux == "yes")
    }

    /// The 43 Windows sizes of data/fargate_sizes.csv (its `windows` column): cpu 1024 with
    /// 2–8 GB, 2048 with 4–16 GB, 4096 with 8–30 GB, in 1 GB steps; 8 and 16 vCPU are Linux only
    /// (docs/reference/pricing.md §1.5, [DG-CpuMemErr]). A Windows task of less than 1 vCPU is
    /// rounded up to 1 vCPU like any other request ([`FARGATE_WINDOWS_MIN_CPU_UNITS`]).
    pub fn builtin_windows() -> FargateSizes {
        Self::from_column(|r| r.windows == "yes")
    }

    /// The sizes of [`FargateSizes::builtin_windows`] for `Os::Windows`, else the Linux ones.
    pub fn for_os(os: crate::model::Os) -> FargateSizes {
        match os {
            crate::model::Os::Linux => Self::builtin(),
            crate::model::Os::Windows => Self::builtin_windows(),
        }
    }

    fn from_column(keep: fn(&Row) -> bool) -> FargateSizes {
        let mut reader = csv::Reader::from_reader(FARGATE_SIZES_CSV.as_bytes());
        let sizes = reader
            .deserialize::<Row>()
            .filter_map(Result::ok)
            .filter(keep)
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
    fn windows_sizes_round_to_the_smallest_that_fits() {
        // pricing.md §1.5: cpu 1024 (2–8 GB), 2048 (4–16 GB), 4096 (8–30 GB), 1 GB steps:
        // 7 + 13 + 23 = 43 sizes.
        let f = FargateSizes::builtin_windows();
        assert_eq!(f.sizes().len(), 43);
        let rates = Pricing::us_east_1().fargate_windows.rates;
        let ranked = f.ranked(rates);
        let r = |c, m| ranked.round_up(c, m).map(|s| (s.cpu_units, s.memory_mib));
        // Under 1 vCPU: 1 vCPU ("cannot be less than 1 vCPU"), with its smallest memory.
        assert_eq!(r(256, 512), Some((1024, 2048)));
        assert_eq!(r(1, 1), Some((FARGATE_WINDOWS_MIN_CPU_UNITS, 2048)));
        assert_eq!(r(1024, 2048), Some((1024, 2048)));
        assert_eq!(r(1024, 1024), Some((1024, 2048)));
        assert_eq!(r(1024, 8192), Some((1024, 8192)));
        // 8193 MiB is past 1 vCPU's 8 GB: the next CPU, at the next whole GB.
        assert_eq!(r(1024, 8193), Some((2048, 9216)));
        assert_eq!(r(2048, 2048), Some((2048, 4096)));
        assert_eq!(r(4096, 30720), Some((4096, 30720)));
        // Linux-only sizes are not offered: over 4 vCPU or 30 GB is refused.
        assert_eq!(r(4097, 8192), None);
        assert_eq!(r(8192, 16384), None);
        assert_eq!(r(1024, 30721), None);
        // The direct search agrees.
        assert_eq!(f.round_up(1024, 8193, rates), ranked.round_up(1024, 8193));
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
