//! Outputs: exporters render bytes from results (pure) into an [`OutputPlan`] (the named files
//! of an output folder), which commits them through [`writer`], the one place that writes
//! files, atomically.

pub mod assumptions;
pub mod breakeven_csv;
pub mod breakeven_row;
pub mod commitment_curve;
pub mod commitments_csv;
pub mod comparison;
pub mod cost_breakdown_row;
pub mod cost_verdict;
pub mod csv_out;
mod csv_table;
pub mod downsample;
pub mod html;
pub mod output_plan;
pub mod plots;
pub mod run_data;
pub mod run_data_error;
pub mod run_drawings;
pub mod run_files;
#[cfg(test)]
pub(crate) mod run_fixture;
pub mod run_json;
pub mod run_meta;
pub mod summary_plots;
pub mod summary_row;
pub mod sweep_data;
pub mod sweep_drawings;
pub mod sweep_html;
pub mod sweep_params;
pub mod sweep_plots;
pub mod waits_csv;
pub mod writer;

pub use breakeven_csv::{breakeven_csv, has_breakeven};
pub use commitments_csv::{commitments_csv, usage_csv};
pub use comparison::comparison_table;
pub use csv_out::{scaling_csv, tasks_csv, timeseries_csv};
pub use output_plan::OutputPlan;
pub use plots::{Plot, PlotError, RUN_PLOT_NAMES, render_png, render_svg, run_plots};
pub use run_data::{RunData, RunDataError, RunFiles};
pub use run_drawings::plan_run_drawings;
pub use run_json::{RunInfo, run_json};
pub use summary_plots::{BreakevenRow, CostBreakdownRow, breakeven_plot, cost_breakdown_plot};
pub use summary_row::{SummaryRow, summary_csv};
pub use sweep_data::{SweepData, SweepDataError};
pub use sweep_drawings::{plan_sweep_drawings, sweep_drawing_names};
pub use sweep_plots::{SWEEP_PLOT_NAMES, sweep_plots};
pub use waits_csv::waits_csv;
pub use writer::{AppendFile, AtomicFile, OutputError, write_atomic};
