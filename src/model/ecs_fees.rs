//! The ECS fees besides compute: the ECS Managed Instances management fee per instance-hour and
//! the ECS Anywhere fee per external instance-hour (docs/reference/managed-instances.md §1.8, §2).

/// The management fees built in, USD per instance-hour: the only published one, the
/// c6a.2xlarge example of aws.amazon.com/ecs/pricing ("$0.037 per instance hour", "Billed per
/// second with a one-minute minimum"; docs/reference/managed-instances.md §1.8
/// [ECS-Page-harvest]; the example does not state its region). No per-type table is published.
pub const BUILTIN_MANAGEMENT_FEES: [(&str, f64); 1] = [("c6a.2xlarge", 0.037)];

/// Where [`BUILTIN_MANAGEMENT_FEES`] comes from, for the price origins.
pub const BUILTIN_MANAGEMENT_FEE_SOURCE: &str = "built-in (docs/reference/managed-instances.md §1.8: the aws.amazon.com/ecs/pricing example, region not stated)";

/// The ECS Anywhere fee: "$0.01025 per hour for each registered external instance"
/// (docs/reference/managed-instances.md §2 [PL-2022] [ECS-Page-harvest]; us-east-1 price list).
pub const ECS_ANYWHERE_INSTANCE_HOUR: f64 = 0.01025;

/// The built-in management fee of `instance_type`, if one is published.
pub fn builtin_management_fee(instance_type: &str) -> Option<f64> {
    BUILTIN_MANAGEMENT_FEES
        .iter()
        .find(|(t, _)| *t == instance_type)
        .map(|&(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_published_example_is_built_in() {
        assert_eq!(builtin_management_fee("c6a.2xlarge"), Some(0.037));
        assert_eq!(builtin_management_fee("m5.large"), None);
    }
}
