//! Outputs: exporters render bytes from results (pure); [`writer`] is the one place that writes
//! files, atomically.

pub mod breakeven_csv;
pub mod comparison;
pub mod csv_out;
pub mod downsample;
pub mod html;
pub mod plots;
pub mod run_data;
pub mod run_json;
pub mod summary_plots;
pub mod sweep_data;
pub mod sweep_html;
pub mod sweep_params;
pub mod sweep_plots;
pub mod text_table;
pub mod waits_csv;
pub mod writer;

pub use breakeven_csv::{breakeven_csv, has_breakeven};
pub use comparison::comparison_table;
pub use csv_out::{scaling_csv, summary_csv, summary_record, tasks_csv, timeseries_csv};
pub use plots::{Plot, PlotError, RUN_PLOT_NAMES, render_png, render_svg, run_plots};
pub use run_data::{RunData, RunDataError, RunFiles};
pub use run_json::{RunInfo, run_json};
pub use summary_plots::{BreakevenRow, CostBreakdownRow, breakeven_plot, cost_breakdown_plot};
pub use sweep_data::{SweepData, SweepDataError};
pub use sweep_plots::{SWEEP_PLOT_NAMES, sweep_plots};
pub use waits_csv::waits_csv;
pub use writer::{AppendFile, AtomicFile, OutputError, write_atomic};
