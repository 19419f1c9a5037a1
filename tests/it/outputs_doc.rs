//! docs/outputs.md names every column of every CSV file `sim run` writes, in the file's own
//! section. The columns are read from the headers of a real run (scale-from-zero, with
//! `--tasks-csv`: it writes all six files), not from a list kept here, so a column added to an
//! output without a line on the page fails this test.

use crate::common::{root, scenario, sim};

/// The text of the page's section `## <title>`, up to the next `## `.
fn section<'a>(page: &'a str, title: &str) -> &'a str {
    let start = page
        .find(&format!("\n## {title}\n"))
        .unwrap_or_else(|| panic!("docs/outputs.md has no section `## {title}`"));
    let rest = &page[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    &rest[..end]
}

#[test]
fn every_column_of_every_csv_is_on_the_page() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    sim()
        .arg("run")
        .arg(scenario("scale-from-zero.toml"))
        .arg("--out")
        .arg(dir.path())
        .args(["--tasks-csv", "--no-plots", "--quiet"])
        .assert()
        .success();
    let page = std::fs::read_to_string(root().join("docs/outputs.md")).expect("docs/outputs.md");
    let mut missing = Vec::new();
    for file in [
        "summary.csv",
        "timeseries.csv",
        "waits.csv",
        "breakeven.csv",
        "tasks.csv",
        "scaling.csv",
        "usage.csv",
    ] {
        let text = std::fs::read_to_string(dir.path().join(file))
            .unwrap_or_else(|e| panic!("the run wrote no {file}: {e}"));
        let header = text.lines().next().unwrap_or_default();
        let part = section(&page, file);
        for column in header.split(',') {
            if !part.contains(&format!("`{column}`")) {
                missing.push(format!("{file}: `{column}`"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "columns docs/outputs.md does not name in the file's section:\n  {}",
        missing.join("\n  ")
    );
}
