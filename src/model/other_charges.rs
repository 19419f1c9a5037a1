//! Charges besides compute that differ between the modes or are shared by them
//! (docs/reference/pricing.md §4): public IPv4 addresses, Application Load Balancers and NAT
//! gateway processing. The rates, where they come from, and the pure arithmetic on them; the
//! simulator meters the addresses, the summary adds the shared costs (docs/model.md §18).

/// Where a rate of a run comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateSource {
    /// The scenario's `[pricing]` key.
    Scenario,
    /// Built in, from docs/reference/pricing.md (the text says which section and how sure).
    BuiltIn(&'static str),
}

/// One rate of the run: its value and where it comes from; `None` when the region has no
/// built-in value and the scenario gave none (an arm that needs it is refused at load).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// USD per unit.
    pub usd: f64,
    /// Its source.
    pub source: RateSource,
}

/// The public IPv4 rate's label wherever it is shown: the AWS table was not captured, every
/// secondary source read states $0.005 (docs/reference/pricing.md §4.1).
pub const IPV4_SOURCE: &str = "docs/reference/pricing.md §4.1, UNCERTAIN: secondary sources only (the AWS VPC pricing table was not captured)";
/// The ALB rates' source in us-east-1 (pricing-page example values).
pub const ALB_SOURCE_US_EAST_1: &str = "docs/reference/pricing.md §4.2 [ELB-Page]";
/// The ALB rates' source in ap-southeast-1.
pub const ALB_SOURCE_AP_SOUTHEAST_1: &str =
    "docs/reference/pricing.md §4.2 [3P-APS1-2026] (Pricing API query 2026-08-21, third party)";
/// The NAT processing rate's source in us-east-1.
pub const NAT_SOURCE_US_EAST_1: &str = "docs/reference/pricing.md §4.3, UNCERTAIN: the AWS page's example is US East (Ohio); us-east-1 from third parties [3P-NAT]";

/// The NAT gateway-hour rate's source in ap-southeast-1.
pub const NAT_SOURCE_AP_SOUTHEAST_1: &str =
    "docs/reference/pricing.md §4.3 [3P-APS1-2026] (Pricing API query 2026-08-21, third party)";

/// The rates there are, in [`builtin_rates`]' order.
pub const RATES: usize = 5;

/// The built-in rates of `region`, each `None` where docs/reference/pricing.md gives none:
/// (public IPv4 per IP-hour, ALB per ALB-hour, ALB per LCU-hour, NAT per GB processed, NAT per
/// gateway-hour).
pub fn builtin_rates(region: &str) -> [Option<Rate>; RATES] {
    let b = |usd, s| {
        Some(Rate {
            usd,
            source: RateSource::BuiltIn(s),
        })
    };
    match region {
        "us-east-1" => [
            b(0.005, IPV4_SOURCE),
            b(0.0225, ALB_SOURCE_US_EAST_1),
            b(0.008, ALB_SOURCE_US_EAST_1),
            b(0.045, NAT_SOURCE_US_EAST_1),
            b(0.045, NAT_SOURCE_US_EAST_1),
        ],
        // §4.2 and §4.3: ALB $0.0252/h and $0.008/LCU-h; NAT's per-GB rate was not found
        // (only its $0.059 gateway-hour); no public IPv4 rate for the region.
        "ap-southeast-1" => [
            None,
            b(0.0252, ALB_SOURCE_AP_SOUTHEAST_1),
            b(0.008, ALB_SOURCE_AP_SOUTHEAST_1),
            None,
            b(0.059, NAT_SOURCE_AP_SOUTHEAST_1),
        ],
        _ => [None; RATES],
    }
}

/// What each rate is priced per, in [`builtin_rates`]' order.
const RATE_UNITS: [&str; RATES] = [
    "public IPv4 address-hour",
    "ALB-hour",
    "LCU-hour",
    "GB through a NAT gateway",
    "NAT gateway-hour",
];

/// One line per rate: `  <label>: $x per <unit> (<source>)`; a rate that is `None` reads
/// "no built-in rate".
fn rate_lines(rates: [Option<Rate>; RATES], which: [bool; RATES]) -> String {
    let mut out = String::new();
    for (i, r) in rates.iter().enumerate() {
        if !which[i] {
            continue;
        }
        out.push_str(&match r {
            Some(r) => format!(
                "  ${} per {} ({})\n",
                r.usd,
                RATE_UNITS[i],
                match r.source {
                    RateSource::Scenario => "from the scenario's [pricing]",
                    RateSource::BuiltIn(s) => s,
                }
            ),
            None => format!("  {}: no built-in rate\n", RATE_UNITS[i]),
        });
    }
    out
}

/// The built-in other charges of `region`, one line each with its source (`sim catalog
/// prices`).
pub fn builtin_lines(region: &str) -> String {
    format!(
        "other charges (docs/model.md §18):\n{}",
        rate_lines(builtin_rates(region), [true; RATES])
    )
}

/// The per-LCU capacities of an Application Load Balancer (docs/reference/pricing.md §4.2): an
/// LCU is 25 new connections a second, 3,000 active connections a minute, 1 GB an hour processed
/// for EC2, container or IP targets, or 1,000 rule evaluations a second.
pub const LCU_NEW_CONNECTIONS_PER_SECOND: f64 = 25.0;
/// Active connections per LCU.
pub const LCU_ACTIVE_CONNECTIONS: f64 = 3_000.0;
/// GB processed per hour per LCU (EC2, container and IP targets).
pub const LCU_PROCESSED_GB_PER_HOUR: f64 = 1.0;
/// Rule evaluations per second per LCU.
pub const LCU_RULE_EVALUATIONS_PER_SECOND: f64 = 1_000.0;

/// A service's load balancer: the traffic that sets its LCUs, constant over the run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadBalancer {
    /// Requests a second (`requests_per_second`).
    pub requests_per_second: f64,
    /// New connections a second; *our default*: one per request (no keep-alive).
    pub new_connections_per_second: f64,
    /// Active connections (per minute, as AWS counts them); not given: 0.
    pub active_connections: f64,
    /// GB processed an hour; not given: 0.
    pub processed_gb_per_hour: f64,
    /// Rule evaluations a second; *our default*: one per request.
    pub rule_evaluations_per_second: f64,
}

impl LoadBalancer {
    /// LCUs an hour: *our choice* (AWS's aggregation rule was not captured, §4.2), the largest
    /// of the four dimensions, each divided by its capacity per LCU.
    pub fn lcus(&self) -> f64 {
        [
            self.new_connections_per_second / LCU_NEW_CONNECTIONS_PER_SECOND,
            self.active_connections / LCU_ACTIVE_CONNECTIONS,
            self.processed_gb_per_hour / LCU_PROCESSED_GB_PER_HOUR,
            self.rule_evaluations_per_second / LCU_RULE_EVALUATIONS_PER_SECOND,
        ]
        .into_iter()
        .fold(0.0, f64::max)
    }

    /// What it costs for `hours` at `alb_hour` per ALB-hour and `lcu_hour` per LCU-hour.
    pub fn cost(&self, hours: f64, alb_hour: f64, lcu_hour: f64) -> f64 {
        hours * (alb_hour + self.lcus() * lcu_hour)
    }
}

/// The charges besides compute of a run: the resolved rates and what the workload declares.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OtherCharges {
    /// USD per public IPv4 address-hour, when some arm assigns public IPs (else unused).
    pub public_ipv4_hour: Option<Rate>,
    /// USD per ALB-hour, when some service has a load balancer.
    pub alb_hour: Option<Rate>,
    /// USD per LCU-hour.
    pub alb_lcu_hour: Option<Rate>,
    /// USD per GB processed by a NAT gateway, when some job or service sends traffic through one.
    pub nat_gb: Option<Rate>,
    /// USD per NAT gateway-hour, when some arm has `nat_gateways`.
    pub nat_gateway_hour: Option<Rate>,
    /// Whether the load balancer and NAT costs count in the comparison of arms
    /// (`[pricing] include_shared_costs`).
    pub include_shared_costs: bool,
    /// Per service (scenario order), its load balancer, if any.
    pub service_load_balancers: Vec<Option<LoadBalancer>>,
    /// Per job stream (scenario order), GB through the NAT gateway per task-hour (0: none).
    pub job_nat_gb_per_task_hour: Vec<f64>,
    /// Per service (scenario order), GB through the NAT gateway per task-hour (0: none).
    pub service_nat_gb_per_task_hour: Vec<f64>,
}

impl OtherCharges {
    /// The load balancers' cost over a run of `hours` (0 without load balancers).
    pub fn load_balancer_cost(&self, hours: f64) -> f64 {
        let (Some(h), Some(l)) = (self.alb_hour, self.alb_lcu_hour) else {
            return 0.0;
        };
        self.service_load_balancers
            .iter()
            .flatten()
            .map(|lb| lb.cost(hours, h.usd, l.usd))
            // fold from +0.0: an empty `sum` of floats is -0.0, written "-0.000000".
            .fold(0.0, |a, b| a + b)
    }

    /// The rates a run uses, one line each with its source, and whether the shared costs are
    /// compared (`sim validate`); empty when nothing uses them. `public_ips`: some arm assigns
    /// public IPs; `behind_nat`: some arm's tasks sit behind NAT.
    /// `gateways`: some arm has `nat_gateways`.
    pub fn describe(&self, public_ips: bool, behind_nat: bool, gateways: bool) -> String {
        let lb = self.service_load_balancers.iter().any(Option::is_some);
        let which = [public_ips, lb, lb, behind_nat && self.uses_nat(), gateways];
        if !which.contains(&true) {
            return String::new();
        }
        let rates = [
            self.public_ipv4_hour,
            self.alb_hour,
            self.alb_lcu_hour,
            self.nat_gb,
            self.nat_gateway_hour,
        ];
        let compared = if self.include_shared_costs {
            "compared (include_shared_costs)"
        } else {
            "reported beside cost_usd, not compared"
        };
        let shared = if which[1] || which[3] || which[4] {
            format!("; shared costs {compared}")
        } else {
            String::new()
        };
        format!(
            "  other charges (docs/model.md §18){shared}:\n{}",
            rate_lines(rates, which)
                .lines()
                .map(|l| format!("  {l}\n"))
                .collect::<String>()
        )
    }

    /// Whether any job or service sends traffic through a NAT gateway.
    pub fn uses_nat(&self) -> bool {
        self.job_nat_gb_per_task_hour
            .iter()
            .chain(&self.service_nat_gb_per_task_hour)
            .any(|&g| g > 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lb(rps: f64) -> LoadBalancer {
        LoadBalancer {
            requests_per_second: rps,
            new_connections_per_second: rps,
            active_connections: 0.0,
            processed_gb_per_hour: 0.0,
            rule_evaluations_per_second: rps,
        }
    }

    #[test]
    fn lcus_are_the_largest_dimension() {
        // 100 rps: new connections 100 / 25 = 4 LCU, rule evaluations 100 / 1000 = 0.1: 4.
        assert_eq!(lb(100.0).lcus(), 4.0);
        // 6,000 active connections / 3,000 = 2 < 2.5 GB/h / 1 = 2.5.
        let l = LoadBalancer {
            active_connections: 6_000.0,
            processed_gb_per_hour: 2.5,
            ..lb(0.0)
        };
        assert_eq!(l.lcus(), 2.5);
        assert_eq!(lb(0.0).lcus(), 0.0);
        // 24 h at us-east-1: 24 × (0.0225 + 4 × 0.008) = 24 × 0.0545 = 1.308.
        assert!((lb(100.0).cost(24.0, 0.0225, 0.008) - 1.308).abs() < 1e-12);
    }

    #[test]
    fn only_the_regions_the_reference_prices_have_built_in_rates() {
        let [ip, alb, lcu, nat, gw] = builtin_rates("us-east-1");
        assert_eq!(gw.map(|r| r.usd), Some(0.045));
        assert_eq!(ip.map(|r| r.usd), Some(0.005));
        assert_eq!(alb.map(|r| r.usd), Some(0.0225));
        assert_eq!(lcu.map(|r| r.usd), Some(0.008));
        assert_eq!(nat.map(|r| r.usd), Some(0.045));
        assert!(
            matches!(ip.map(|r| r.source), Some(RateSource::BuiltIn(s)) if s.contains("UNCERTAIN"))
        );
        let [ip, alb, _, nat, gw] = builtin_rates("ap-southeast-1");
        assert_eq!((ip, nat), (None, None));
        assert_eq!(gw.map(|r| r.usd), Some(0.059));
        assert_eq!(alb.map(|r| r.usd), Some(0.0252));
        assert_eq!(builtin_rates("eu-west-1"), [None; RATES]);
    }
}
