//! The layers of `src/lib.rs`'s codemap are the real ones: every `crate::X` path written in a
//! module of `src/` names itself or a layer listed below it, so the code and its map agree.
//!
//! The scan is textual and exact: it reads the codemap's bullet list (one line per layer, the
//! modules are the ``[`x`]`` links before its first `:`) and every `crate::<name>` in every
//! `.rs` file under `src/` (comments and doc links included: a doc link upwards is a dependency
//! on what the layer above means). `super::` chains that climb out of a top-level module, and
//! `crate::{…}` groups (which hide the layer they name), are refused too. One rule is finer than
//! a folder: `scenario::load` is the reading stage, so only `cli`, `sweep` and `scenario` itself
//! may reach into it; the layers below take the validated `Scenario` and `scenario::limits`.
//!
//! Exceptions: none. If one is ever needed, list it in `EXCEPTIONS` with the reason.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `(file under src/, module it may use although it is a layer above, why)`.
const EXCEPTIONS: &[(&str, &str, &str)] = &[];

/// The top-level modules that may name `crate::scenario::load::…` (the loader's insides).
const LOADER_USERS: &[&str] = &["cli", "sweep", "scenario"];

/// The layers of the codemap, top first; each a list of module names.
fn codemap_layers(lib: &str) -> Vec<Vec<String>> {
    let mut layers = Vec::new();
    let mut inside = false;
    for line in lib.lines() {
        let Some(doc) = line.strip_prefix("//!") else {
            continue;
        };
        let doc = doc.trim_start();
        if doc.starts_with("# ") {
            inside = doc.starts_with("# Codemap");
            continue;
        }
        let Some(item) = doc.strip_prefix("- ").filter(|_| inside) else {
            continue;
        };
        let head = item.split(':').next().unwrap_or("");
        let names: Vec<String> = head
            .split("[`")
            .skip(1)
            .filter_map(|s| s.split_once("`]").map(|(name, _)| name.to_string()))
            .collect();
        assert!(!names.is_empty(), "codemap line names no module: {item}");
        layers.push(names);
    }
    layers
}

/// The top-level modules `src/lib.rs` declares.
fn declared_modules(lib: &str) -> Vec<String> {
    lib.lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';').to_string())
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The identifier at the start of `s` (`sim::x` → `sim`).
fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The crate-root names a line of a file at module `depth` (`sim/mod.rs` and `sim.rs` are 1,
/// `sim/x.rs` is 2) refers to: `crate::x`, and `super::…::x` chains that climb to the root.
fn root_names(line: &str, depth: usize) -> Vec<&str> {
    let mut names: Vec<&str> = line
        .match_indices("crate::")
        .map(|(i, p)| ident(&line[i + p.len()..]))
        .collect();
    for (i, _) in line.match_indices("super::") {
        if line[..i].ends_with("super::") {
            continue; // counted from the first `super::` of its chain
        }
        let (mut ups, mut rest) = (0, &line[i..]);
        while let Some(r) = rest.strip_prefix("super::") {
            ups += 1;
            rest = r;
        }
        if ups >= depth {
            names.push(ident(rest));
        }
    }
    names
}

#[test]
fn every_module_uses_only_its_own_layer_or_those_below_it() {
    let src = crate::common::root().join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let layers = codemap_layers(&lib);
    let mut rank: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, layer) in layers.iter().enumerate() {
        for m in layer {
            assert!(
                rank.insert(m, layers.len() - i).is_none(),
                "`{m}` is in the codemap twice"
            );
        }
    }
    let declared = declared_modules(&lib);
    let mapped: Vec<&str> = rank.keys().copied().collect();
    let mut sorted = declared.clone();
    sorted.sort();
    assert_eq!(
        sorted, mapped,
        "the codemap in src/lib.rs must list every `pub mod` of the crate, each once"
    );

    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for path in &files {
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let top = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let own = *rank
            .get(top.as_str())
            .unwrap_or_else(|| panic!("src/{rel}: `{top}` is not in the codemap"));
        // Module depth below the crate root: `sim/mod.rs` and `sim.rs` are 1, `sim/x.rs` is 2.
        let depth = rel.split('/').count() - usize::from(rel.ends_with("/mod.rs"));
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let at = format!("src/{rel}:{}", n + 1);
            if line.contains("crate::{") {
                wrong.push(format!(
                    "{at}: `crate::{{…}}` hides which layers it uses; write one `use crate::x::…` per module"
                ));
            }
            if line.contains("crate::scenario::load::") && !LOADER_USERS.contains(&top.as_str()) {
                wrong.push(format!(
                    "{at}: `{top}` reaches into the loader `scenario::load`; take the validated \
                     `Scenario` or `scenario::limits` instead"
                ));
            }
            for m in root_names(line, depth) {
                if m == top {
                    continue;
                }
                let Some(&theirs) = rank.get(m) else {
                    continue; // not a top-level module (`*`, an item of lib.rs)
                };
                if theirs >= own
                    && !EXCEPTIONS
                        .iter()
                        .any(|(file, module, _)| *file == rel && *module == m)
                {
                    wrong.push(format!(
                        "{at}: `{top}` uses `{m}`, which the codemap puts {} it",
                        if theirs == own { "beside" } else { "above" }
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "layers point upwards (fix the code, or the codemap in src/lib.rs if the order is \
         really different):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_layer_scan_sees_use_lines_paths_and_super_chains() {
    let lib = "//! # Codemap (arrows point down only)\n//! - [`cli`]: top\n//! - [`time`], [`ids`]: bottom\n//!\n//! # Other\n//! - [`x`]: not a layer\npub mod cli;\npub mod ids;\npub mod time;\n";
    assert_eq!(
        codemap_layers(lib),
        vec![vec!["cli".to_string()], vec!["time".into(), "ids".into()]]
    );
    assert_eq!(declared_modules(lib), ["cli", "ids", "time"]);
    assert_eq!(
        root_names("use crate::sim::billing; x = crate::model::Y;", 2),
        ["sim", "model"]
    );
    // From `a/b.rs` (depth 2), `super::super::x` is the root's `x`; `super::y` is `a::y`.
    assert_eq!(root_names("use super::super::report::X;", 2), ["report"]);
    assert_eq!(root_names("use super::y;", 2), Vec::<&str>::new());
    // In `a.rs` (depth 1) the test module's `use super::*` names no module.
    assert_eq!(root_names("    use super::*;", 1), [""]);
}
