//! Helpers shared by the plots' tests.

use super::{LineStyle, Series, arm_look};
use crate::report::run_data::{RunData, fixture};

pub(super) fn run() -> RunData {
    fixture::run()
}

pub(super) fn line(label: &str, color: usize, style: LineStyle, points: &[(f64, f64)]) -> Series {
    Series {
        label: label.into(),
        color,
        style,
        marker: None,
        points: points.to_vec(),
    }
}

/// The main line of the arm at position `k`, in its own dash and marker.
pub(super) fn arm(label: &str, k: usize, points: &[(f64, f64)]) -> Series {
    let (style, marker) = arm_look(k);
    Series {
        marker: Some(marker),
        ..line(label, k, style, points)
    }
}
