//! Fuzz target: the scenario loader (`sim::scenario::load_str`) on arbitrary text.
//!
//! The scenario is "read" from a path in a folder that does not exist, so relative
//! `workload.trace`, task definition and load-curve paths resolve to nothing: the target reads
//! no project file and writes nothing. Contract: every input gives `Ok` or a `ScenarioError`,
//! never a panic.

use std::path::Path;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let path = Path::new("/nonexistent/sim-fuzz/scenario.toml");
        if let Err(e) = sim::scenario::load_str(path, text) {
            // Rendering the message (file, line, column, caret) is part of the contract.
            let _ = e.to_string();
        }
    });
}
