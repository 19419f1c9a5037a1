//! Building blocks with no simulation knowledge: an external merge sort, a bit set, exact
//! percentiles, aligned text tables.

pub mod bit_set;
pub mod external_sort;
pub mod percentile;
pub mod text_table;

pub use bit_set::BitSet;
pub use external_sort::{ExternalSort, Record, Sorted};
