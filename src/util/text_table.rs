//! Aligned plain-text tables for the terminal (rendered here; only the CLI prints).

/// Render `rows` (the first is the header) as aligned columns two spaces apart: the first
/// `left` columns left-aligned (names), the rest right-aligned (numbers). With `rule`, a line of
/// dashes goes under the header.
pub fn render(rows: &[Vec<String>], left: usize, rule: bool) -> String {
    let cols = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|v| v.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (v, &w))| {
                if c < left {
                    format!("{v:<w$}")
                } else {
                    format!("{v:>w$}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if rule && i == 0 {
            out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * cols.saturating_sub(1)));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_names_left_and_numbers_right() {
        let rows = vec![
            vec!["arm".to_string(), "cost".to_string()],
            vec!["ec2".to_string(), "12.50".to_string()],
            vec!["fargate".to_string(), "3.00".to_string()],
        ];
        assert_eq!(
            render(&rows, 1, true),
            "arm       cost\n--------------\nec2      12.50\nfargate   3.00\n"
        );
    }
}
