//! A sweep's drawings: the sweep plots (`sweep_*.svg` and `.png`) and its report.html,
//! rendered from sweep.csv and sweep.json into an [`OutputPlan`], for `sim sweep`, `sim merge`
//! and `sim report` alike.

use serde_json::Value;

use super::html::Figure;
use super::output_plan::OutputPlan;
use super::plots::{PlotError, render_png, render_svg};
use super::sweep_data::SweepData;
use super::sweep_html::sweep_report_html;
use super::sweep_plots::{SWEEP_PLOT_NAMES, sweep_plots};

/// The sweep's page, drawn with the plots.
pub const SWEEP_PAGE: &str = "report.html";

/// Every file the drawings of a sweep may write: each plot's SVG and PNG, then the page.
pub fn sweep_drawing_names() -> impl Iterator<Item = String> {
    SWEEP_PLOT_NAMES
        .into_iter()
        .flat_map(|n| [format!("{n}.svg"), format!("{n}.png")])
        .chain([SWEEP_PAGE.to_string()])
}

/// Render the plots of `data` and the sweep's report.html (`meta` is sweep.json) into
/// `plan`; a plot the sweep has no data for is absent (an earlier sweep's would not match).
pub fn plan_sweep_drawings(
    plan: &mut OutputPlan,
    data: &SweepData,
    meta: &Value,
) -> Result<(), PlotError> {
    let plots = sweep_plots(data);
    let mut svgs = Vec::new();
    for name in SWEEP_PLOT_NAMES {
        let Some(plot) = plots.iter().find(|p| p.name == name) else {
            plan.absent(format!("{name}.svg"));
            plan.absent(format!("{name}.png"));
            continue;
        };
        let svg = render_svg(plot)?;
        let png = render_png(plot)?;
        svgs.push((plot, String::from_utf8_lossy(&svg).into_owned()));
        plan.file(format!("{name}.svg"), svg);
        plan.file(format!("{name}.png"), png);
    }
    let figures = Figure::of_drawn(&svgs);
    plan.file(
        SWEEP_PAGE,
        sweep_report_html(data, meta, &figures).into_bytes(),
    );
    Ok(())
}
