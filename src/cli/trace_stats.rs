//! `sim trace stats`: summarise a trace file.

use std::path::Path;

use crate::trace::stats_text::render_text;

/// Read the trace at `path` in one pass and print its figures, as a report or as JSON.
pub fn trace_stats(path: &Path, json: bool) -> anyhow::Result<()> {
    let stats = crate::trace::trace_stats(path)?;
    let text = if json {
        let mut j = serde_json::to_string_pretty(&stats)?;
        j.push('\n');
        j
    } else {
        render_text(&stats, &path.display().to_string())
    };
    say!("{text}")?;
    Ok(())
}
