//! The ECS world as data: resources, instance types, Fargate sizes, prices and billing rules,
//! tasks and task definitions, and the state of a cluster's container instances. Pure: no I/O,
//! no clock, no randomness.

pub mod architecture;
pub mod billing;
pub mod capacity_index;
pub mod catalog;
pub mod cluster;
pub mod commitment;
pub mod commitment_search;
pub mod distribution;
pub mod ecs_fees;
pub mod fargate;
pub mod group_table;
pub mod instance_type;
pub mod network_mode;
pub mod os;
pub mod other_charges;
pub mod price_book;
pub mod price_list;
pub mod pricing;
pub mod task_definition;
pub mod task_spec;

pub use architecture::Architecture;
pub use catalog::Catalog;
pub use cluster::{Cluster, Fit};
pub use distribution::Distribution;
pub use fargate::{FargateSize, FargateSizes, RankedSizes};
pub use group_table::GroupTable;
pub use instance_type::InstanceType;
pub use network_mode::NetworkMode;
pub use os::Os;
pub use price_book::{FargateOsArch, PriceBook};
pub use price_list::PriceList;
pub use pricing::{FargateRates, FargateWindowsRates, PriceOrigin, Pricing, catalog_breakeven};
pub use task_definition::TaskDefinition;
pub use task_spec::{TaskLabel, TaskSpec};
