//! Fuzz target: the sweep file parser (`sim::sweep::spec::parse_str`) on arbitrary text.
//!
//! Only the sweep file is parsed (the scenario it names is not read). Contract: every input
//! gives a `SweepSpec` or a `SweepError`, never a panic.

use std::path::Path;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        if let Err(e) =
            sim::sweep::spec::parse_str(Path::new("/nonexistent/sim-fuzz/sweep.toml"), text)
        {
            let _ = e.to_string();
        }
    });
}
