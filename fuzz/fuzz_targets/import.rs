//! Fuzz target: the six trace importers of `sim trace import`
//! (`sim::trace::import::import_from_reader`), plain or gzip input.
//!
//! Input: byte 0 selects the format (`% 6`, in `ImportFormat::ALL` order: google-2011,
//! alibaba-2017-batch, alibaba-2018-container, alibaba-2018-batch, alibaba-gpu-2023,
//! alibaba-gpu-2025); byte 1 selects the options (bit 0 `--skip-bad-rows`, bit 1 `--cpu-only`,
//! bit 2 a custom machine scale, bits 3-7 `--max-instances` 1..=32). The rest is the source
//! file. `--max-instances` is always set: without it a single batch row may legitimately ask
//! for billions of tasks (`instance_num`), which is slow by design, not a bug. The sorter keeps
//! 16 tasks in memory, so longer inputs exercise the spill-and-merge path (anonymous temporary
//! files, removed when closed). The output trace goes to memory. Contract: every input gives a
//! summary or an `ImportError`, never a panic.
//!
//! With `SIM_FUZZ_IMPORT_FORMAT=<format name>` in the environment, byte 0 is ignored and every
//! input goes to that one importer (to give each format its own fuzzing time).

use std::io::Cursor;
use std::path::Path;

use sim::trace::import::{ImportFormat, ImportOptions, import_from_reader};

fn main() {
    let pinned: Option<ImportFormat> = std::env::var("SIM_FUZZ_IMPORT_FORMAT")
        .ok()
        .map(|name| name.parse().expect("SIM_FUZZ_IMPORT_FORMAT: a format name"));
    afl::fuzz!(|data: &[u8]| {
        let [format, flags, rest @ ..] = data else {
            return;
        };
        let format =
            pinned.unwrap_or(ImportFormat::ALL[usize::from(*format) % ImportFormat::ALL.len()]);
        let custom = flags & 4 != 0;
        let options = ImportOptions {
            machine_cpu: custom.then_some(48.0),
            machine_memory_mib: custom.then_some(65_536.0),
            skip_bad_rows: flags & 1 != 0,
            cpu_only: flags & 2 != 0,
            max_instances: Some(u64::from(flags >> 3) + 1),
        };
        let mut out = Vec::new();
        let input = Box::new(Cursor::new(rest.to_vec()));
        match import_from_reader(format, Path::new("fuzz.csv"), input, &options, &mut out, 16) {
            Ok(summary) => {
                // The output must be a trace the simulator reads back.
                assert!(
                    sim::trace::CsvTrace::from_reader(
                        Path::new("out.csv"),
                        Box::new(Cursor::new(out))
                    )
                    .is_ok(),
                    "imported trace has a bad header ({summary:?})"
                );
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    });
}
