//! What changed between a golden output file and a fresh one, said in one message: the file,
//! the first differing line (1-based) with the expected and the actual line, for a CSV the
//! columns whose values differ on that line, and how many lines differ in all.

use std::fmt::Write as _;

/// `None` when `expected` and `actual` are the same bytes, else a message saying what changed
/// in `file` (a CSV when its name ends in `.csv`: the first line is its header).
pub fn describe(file: &str, expected: &[u8], actual: &[u8]) -> Option<String> {
    if expected == actual {
        return None;
    }
    let (want, have) = (
        String::from_utf8_lossy(expected),
        String::from_utf8_lossy(actual),
    );
    let want: Vec<&str> = want.lines().collect();
    let have: Vec<&str> = have.lines().collect();
    let mut msg = String::new();
    let Some(first) = (0..want.len().max(have.len())).find(|&i| want.get(i) != have.get(i)) else {
        // Same lines: only line endings or a final newline differ.
        let _ = write!(
            msg,
            "{file}: the lines are the same but the bytes differ (line endings or final newline)"
        );
        return Some(msg);
    };
    let show = |l: Option<&&str>| {
        l.map_or_else(|| "(no line: end of file)".to_owned(), |s| (*s).to_owned())
    };
    let _ = writeln!(msg, "{file}: first difference at line {}", first + 1);
    let _ = writeln!(msg, "  expected: {}", show(want.get(first)));
    let _ = writeln!(msg, "  actual:   {}", show(have.get(first)));
    if file.ends_with(".csv") {
        let _ = writeln!(msg, "  {}", csv_columns(&want, &have, first));
    }
    let differing = (0..want.len().max(have.len()))
        .filter(|&i| want.get(i) != have.get(i))
        .count();
    let _ = write!(
        msg,
        "  {differing} line(s) differ; expected {} line(s), actual {}",
        want.len(),
        have.len()
    );
    Some(msg)
}

/// Split one CSV line into its fields (quoted fields as the csv crate reads them).
fn fields(line: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    r.records()
        .next()
        .and_then(Result::ok)
        .map(|rec| rec.iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Which columns of a CSV differ at line index `at` (0 is the header).
fn csv_columns(want: &[&str], have: &[&str], at: usize) -> String {
    let (wh, hh) = (
        fields(want.first().copied().unwrap_or("")),
        fields(have.first().copied().unwrap_or("")),
    );
    if at == 0 || wh != hh {
        let added: Vec<&String> = hh.iter().filter(|c| !wh.contains(c)).collect();
        let removed: Vec<&String> = wh.iter().filter(|c| !hh.contains(c)).collect();
        return format!("header changed: columns added {added:?}, removed {removed:?}");
    }
    let (Some(w), Some(h)) = (want.get(at), have.get(at)) else {
        return "rows added or removed at the end".to_owned();
    };
    let (w, h) = (fields(w), fields(h));
    let changed: Vec<String> = (0..w.len().max(h.len()))
        .filter(|&i| w.get(i) != h.get(i))
        .map(|i| {
            format!(
                "{} ({} -> {})",
                wh.get(i).map_or("(extra column)", String::as_str),
                w.get(i).map_or("-", String::as_str),
                h.get(i).map_or("-", String::as_str)
            )
        })
        .collect();
    format!("columns that differ: {}", changed.join(", "))
}

#[test]
fn the_message_names_the_line_and_the_columns() {
    let want = b"arm,cost_usd,wait_s\na,1.0,2\nb,3.0,4\n";
    let have = b"arm,cost_usd,wait_s\na,1.0,2\nb,3.5,5\n";
    let m = describe("summary.csv", want, have).expect("they differ");
    assert!(m.contains("summary.csv: first difference at line 3"), "{m}");
    assert!(
        m.contains("expected: b,3.0,4") && m.contains("actual:   b,3.5,5"),
        "{m}"
    );
    assert!(
        m.contains("columns that differ: cost_usd (3.0 -> 3.5), wait_s (4 -> 5)"),
        "{m}"
    );
    assert!(
        m.contains("1 line(s) differ; expected 3 line(s), actual 3"),
        "{m}"
    );
    assert_eq!(describe("summary.csv", want, want), None);
}

#[test]
fn the_message_says_when_the_header_or_the_length_changed() {
    let m = describe("t.csv", b"a,b\n1,2\n", b"a,c\n1,2\n").expect("they differ");
    assert!(
        m.contains(r#"header changed: columns added ["c"], removed ["b"]"#),
        "{m}"
    );
    let m = describe("t.csv", b"a,b\n1,2\n", b"a,b\n1,2\n3,4\n").expect("they differ");
    assert!(
        m.contains("line 3") && m.contains("expected: (no line: end of file)"),
        "{m}"
    );
    assert!(m.contains("rows added or removed at the end"), "{m}");
    let m = describe("t.csv", b"a\n", b"a\r\n").expect("they differ");
    assert!(m.contains("line endings"), "{m}");
}
