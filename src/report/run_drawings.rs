//! A run's drawings: the run plots (`<name>.svg` and `<name>.png`) and report.html, rendered
//! from its data into an [`OutputPlan`], for `sim run` and `sim report` alike, so both draw
//! the same bytes from the same files.

use super::html::{Figure, report_html};
use super::output_plan::OutputPlan;
use super::plots::{PlotError, RUN_PLOT_NAMES, render_png, render_svg, run_plots};
use super::run_data::RunData;

/// The run's page, drawn with the plots.
pub const RUN_PAGE: &str = "report.html";

/// Render `run`'s plots and report.html into `plan`; each of [`RUN_PLOT_NAMES`] the run has
/// no data for is absent (an earlier run's would not match). With no run (`--no-plots`),
/// every plot and the page are absent. Returns the plots drawn, in order.
pub fn plan_run_drawings(
    plan: &mut OutputPlan,
    run: Option<&RunData>,
) -> Result<Vec<&'static str>, PlotError> {
    let plots = run.map(run_plots).unwrap_or_default();
    let mut svgs = Vec::new();
    for name in RUN_PLOT_NAMES {
        if let Some(p) = plots.iter().find(|p| p.name == name) {
            let svg = render_svg(p)?;
            let png = render_png(p)?;
            svgs.push((p, String::from_utf8_lossy(&svg).into_owned()));
            plan.file(format!("{name}.svg"), svg);
            plan.file(format!("{name}.png"), png);
        } else {
            plan.absent(format!("{name}.svg"));
            plan.absent(format!("{name}.png"));
        }
    }
    match run {
        Some(run) => {
            let figures = Figure::of_drawn(&svgs);
            plan.file(RUN_PAGE, report_html(run, &figures).into_bytes());
        }
        None => plan.absent(RUN_PAGE),
    }
    Ok(plots.iter().map(|p| p.name).collect())
}
