//! docs/validation.md's table is what the tests measure: every test of `validation` that makes
//! rows checks that the doc's rows naming it (last column `validation::<test>`) are, in order
//! and byte for byte, the rows it has just measured; every row of the doc names one of those
//! tests. The runs are seeded, so the figures are exact. After a change that moves a figure,
//! rewrite the table from fresh runs with
//! `UPDATE_VALIDATION_DOC=1 cargo test --test it validation::print_table -- --ignored`.

use std::collections::BTreeSet;

use super::Row;
use crate::common::root;

/// The document that holds the table.
const DOC: &str = "docs/validation.md";

/// The header and separator lines that open the table.
pub(super) const HEADER: &str = "| case | theory or source | expected | measured | tolerance | test |\n\
                                 | --- | --- | --- | --- | --- | --- |\n";

/// The tests that make rows of the table (each calls [`assert_documented`]).
const ROW_TESTS: [&str; 11] = [
    "mmc_1_erlang_c",
    "mmc_4_erlang_c",
    "mmc_16_erlang_c",
    "mmcc_erlang_b_with_on_no_capacity_fail",
    "mginf_fargate_concurrency",
    "fargate_billing_examples",
    "fargate_size_rounding_and_prices",
    "cloudwatch_reservation_example",
    "eni_density_of_every_catalog_type",
    "breakeven_utilisation_by_family",
    "little_law_on_shipped_scenarios",
];

fn read_doc() -> String {
    std::fs::read_to_string(root().join(DOC)).unwrap_or_else(|e| panic!("read {DOC}: {e}"))
}

/// The lines of the table: from the header to the first line that is not a table row.
fn table_lines(doc: &str) -> Vec<(usize, &str)> {
    let first = HEADER.lines().next().unwrap_or_default();
    doc.lines()
        .enumerate()
        .skip_while(|(_, l)| *l != first)
        .skip(2)
        .take_while(|(_, l)| l.starts_with('|'))
        .map(|(i, l)| (i + 1, l))
        .collect()
}

/// The test a table row names in its last column.
fn test_of(line: &str) -> Option<&str> {
    line.strip_suffix("` |")?
        .rsplit_once("| `validation::")
        .map(|(_, t)| t)
}

/// The doc's rows for each test of `rows` are `rows`, measured just now.
pub(super) fn assert_documented(rows: &[Row]) {
    let doc = read_doc();
    let table = table_lines(&doc);
    let tests: BTreeSet<&str> = rows.iter().map(|r| r.test).collect();
    for test in tests {
        let have: Vec<(usize, &str)> = table
            .iter()
            .copied()
            .filter(|(_, l)| test_of(l) == Some(test))
            .collect();
        let want: Vec<String> = rows
            .iter()
            .filter(|r| r.test == test)
            .map(Row::markdown)
            .collect();
        let Some(k) = (0..have.len().max(want.len()))
            .find(|&k| have.get(k).map(|(_, l)| *l) != want.get(k).map(String::as_str))
        else {
            continue;
        };
        panic!(
            "{DOC}: row {} of `validation::{test}` is not what the test measured \
             (the doc has {} row(s) for it, the test {}):\n  doc ({}):      {}\n  measured: {}\n\
             rewrite the table: UPDATE_VALIDATION_DOC=1 cargo test --test it \
             validation::print_table -- --ignored",
            k + 1,
            have.len(),
            want.len(),
            have.get(k)
                .map_or("past the table".to_owned(), |(n, _)| format!("line {n}")),
            have.get(k).map_or("(no row)", |(_, l)| l),
            want.get(k).map_or("(no row)", String::as_str),
        );
    }
}

/// `doc` with its table replaced by `table` (header included).
pub(super) fn with_table(doc: &str, table: &str) -> String {
    let lines = table_lines(doc);
    let (Some(&(first, _)), Some(&(last, _))) = (lines.first(), lines.last()) else {
        panic!("{DOC}: no table found");
    };
    let all: Vec<&str> = doc.lines().collect();
    let mut out = String::new();
    // `first` and `last` are 1-based; the header and separator are the two lines before.
    for l in &all[..first - 3] {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(table);
    for l in &all[last..] {
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// Write `table` into the doc when `UPDATE_VALIDATION_DOC` is set.
pub(super) fn update_if_asked(table: &str) {
    if std::env::var_os("UPDATE_VALIDATION_DOC").is_some() {
        let path = root().join(DOC);
        std::fs::write(&path, with_table(&read_doc(), table))
            .unwrap_or_else(|e| panic!("write {DOC}: {e}"));
    }
}

#[test]
fn every_row_of_the_table_names_a_test_that_measures_it() {
    let doc = read_doc();
    let table = table_lines(&doc);
    assert!(!table.is_empty(), "{DOC} has its table");
    for (n, l) in &table {
        let t = test_of(l);
        assert!(
            t.is_some_and(|t| ROW_TESTS.contains(&t)),
            "{DOC} line {n}: the row names no test that measures it: {l}"
        );
    }
    for t in ROW_TESTS {
        assert!(
            table.iter().any(|(_, l)| test_of(l) == Some(t)),
            "{DOC}: no row of `validation::{t}`"
        );
    }
    // Rewriting the table with itself leaves the doc as it is.
    let same: String = HEADER.to_owned()
        + &table
            .iter()
            .map(|(_, l)| format!("{l}\n"))
            .collect::<String>();
    assert_eq!(with_table(&doc, &same), doc);
}
