//! The CI and notebook scripts find the binaries where cargo puts them, wherever that is.

use std::path::Path;
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn target_dir(env: Option<&Path>) -> String {
    let mut cmd = Command::new("bash");
    cmd.arg(repo().join(".ci/target-dir"));
    match env {
        Some(dir) => cmd.env("CARGO_TARGET_DIR", dir),
        None => cmd.env_remove("CARGO_TARGET_DIR"),
    };
    let out = cmd.output().expect("bash runs .ci/target-dir");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .trim()
        .to_string()
}

#[test]
fn target_dir_is_cargos_own() {
    let moved = tempfile::tempdir().expect("a temporary folder");
    assert_eq!(
        target_dir(Some(moved.path())),
        moved.path().display().to_string()
    );
    // Without CARGO_TARGET_DIR (and no config moving it) cargo uses ./target.
    if !repo().join(".cargo").exists() {
        assert_eq!(
            target_dir(None),
            repo().join("target").display().to_string()
        );
    }
}

#[test]
fn ci_and_notebook_scripts_do_not_assume_target() {
    for script in [".ci/run", "notebooks/run_all.sh"] {
        let text = std::fs::read_to_string(repo().join(script)).expect("the script");
        for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
            assert!(
                !line.contains("target/debug") && !line.contains("target/release"),
                "{script} assumes ./target: {line}"
            );
        }
        assert!(
            text.contains(".ci/target-dir"),
            "{script} does not ask cargo"
        );
    }
}
