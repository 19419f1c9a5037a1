//! Run plots: each plot is first its data ([`Plot`], a pure function of the run's files read
//! back as [`RunData`], so `sim report` redraws what `sim run` drew), then rendered to SVG or
//! PNG bytes. Nothing here writes a file (the CLI hands the bytes to
//! [`super::write_atomic`]).
//!
//! Text is drawn with DejaVu Sans embedded in the binary (plotters' `ab_glyph` feature), so a
//! machine without fonts renders the same pictures (`docs/reference/toolchain.md` §2).
//!
//! # Plots never hide or mislead
//!
//! The rules every plot keeps (issue 14 point 8):
//! - **No line hides another.** Each arm's line has its own colour, dash pattern and marker
//!   ([`arm_look`]); markers of different arms sit at different places along their lines. A
//!   series identical to an earlier one of its panel says so in the legend
//!   (`fargate-b (same as fargate-a)`, [`mark_identical`]).
//! - **Time plots span the run**, 0 → its end ([`TimeAxis`]), however early a line stops; in
//!   hours up to [`DAYS_ABOVE_H`] hours, in days above.
//! - **An outlier does not flatten the rest.** The scaling plot's axis ends at
//!   [`SCALING_CLIP_TARGETS`] × the highest target when a metric goes higher; clipped values
//!   are drawn at the top edge, each excursion marked with an outlined triangle no arm's line uses, and the title and
//!   legend say "values above N% clipped".
//! - **Nothing is drawn where it is not true.** A break-even above 100% utilisation is not
//!   drawn at 100%: its legend entry says "never below 100%". Each EC2 curve is drawn once,
//!   whatever the number of Fargate arms; a break-even is drawn in its Fargate arm's look.
//!
//! The module by job: [`plot`] the plot as data and arms' looks, [`run_plots`], [`wait_cdf`] and
//! [`scaling_plot`] the run plots (with [`time_axis`] their x axis; the cost breakdown and the
//! break-even view are in [`super::summary_plots`]), [`render`] the renderer (backends, font,
//! layout), drawing one panel in [`panel_ctx`], with [`heat_scale`] and [`marks`].

mod heat_scale;
mod marks;
mod panel_ctx;
pub mod plot;
mod render;
pub mod run_plots;
pub mod scaling_plot;
#[cfg(test)]
mod testing;
pub mod time_axis;
pub mod wait_cdf;

pub use plot::{
    Axis, Band, BarComponent, Bars, ColorScale, HeatMap, LineStyle, Marker, Panel, Plot, Series,
    arm_look, mark_identical, with_data,
};
pub use render::{PlotError, render_png, render_svg};
pub use run_plots::{
    MAX_POINTS, RUN_PLOT_NAMES, cost_plot, fleet_plot, run_plots, utilisation_plot,
};
pub use scaling_plot::{SCALING_CLIP_TARGETS, scaling_plot};
pub use time_axis::{DAYS_ABOVE_H, TimeAxis};
pub use wait_cdf::{wait_cdf, wait_cdf_plot};
