#!/bin/sh
# Fuzz one target with AFL++ for a fixed wall time, from the committed seed corpus.
#
#   fuzz/run.sh TARGET [SECONDS]      (default 600 s; run from anywhere)
#
# TARGET is one of: scenario trace import query sweep task_definition. Findings go to
# fuzz/out/TARGET/default/{crashes,hangs,queue}; statistics to fuzz/out/TARGET/default/fuzzer_stats.
# Needs `cargo install cargo-afl` and `cargo afl build --release` run in fuzz/ first
# (docs/fuzzing.md).
set -eu
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-600}
cd "$(dirname "$0")"
case $target in
    scenario|sweep) dict=dict/scenario.dict ;;
    query) dict=dict/query.dict ;;
    trace|import) dict=dict/csv.dict ;;
    task_definition) dict= ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
esac
mkdir -p out
# Shared machines: do not pin a core; no core-dump handler or CPU governor checks; no UI.
export AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
# A run stops after SECONDS of fuzzing (-V); -t 2000: an input taking over 2 s is a hang.
# SIM_FUZZ_IMPORT_FORMAT=<format> pins the import target to one importer (fuzz_targets/import.rs);
# its findings then go to out/import-<format>.
out=out/$target${SIM_FUZZ_IMPORT_FORMAT:+-$SIM_FUZZ_IMPORT_FORMAT}
exec cargo afl fuzz -i "corpus/$target" -o "$out" ${dict:+-x "$dict"} \
    -t 2000 -V "$seconds" "target/release/$target"
