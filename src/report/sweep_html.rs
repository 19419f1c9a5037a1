//! A sweep's report.html: one self-contained page (inline CSS and SVG, no script, no network)
//! with what was swept, the table of sweep.csv (mean cost ± 95% half-width, cost ÷ the
//! cheapest arm's and p95 wait per arm, the cheapest arm and the EC2 ÷ Fargate ratio per
//! variant), the sweep plots with captions, and provenance from sweep.json. Pure: it returns
//! the page; the caller writes it.

use std::fmt::Write as _;

use serde_json::Value;

use super::html::{CSS, Figure, SWATCHES, escape};
use super::sweep_data::SweepData;

/// Variants shown in the page's table; the rest are in sweep.csv (the page says so).
pub const MAX_TABLE_VARIANTS: usize = 500;

/// What a sweep plot shows, in one line, by file stem.
pub fn sweep_caption(name: &str) -> Option<&'static str> {
    Some(match name {
        "sweep_cost" => {
            "Mean cost over the seeds against each swept parameter, per arm, with its 95% \
             confidence band."
        }
        "sweep_frontier" => {
            "Mean cost against mean p95 wait of every variant, per arm; the variants no other \
             beats on both are joined (the frontier)."
        }
        "sweep_ratio" => {
            "EC2 ÷ Fargate mean cost across the grid (each EC2 arm against the cheapest \
             Fargate arm of the variant when there are several): below 1 EC2 is cheaper; the \
             thick line separates the cells on either side of 1 (break-even)."
        }
        _ => return None,
    })
}

fn money(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("${v:.2}"))
}

/// The page for the sweep `data` (sweep.csv) described by `meta` (sweep.json), with `figures`.
pub fn sweep_report_html(data: &SweepData, meta: &Value, figures: &[Figure<'_>]) -> String {
    let text = |k: &str| meta.get(k).and_then(Value::as_str).unwrap_or("");
    let number = |k: &str| meta.get(k).and_then(Value::as_u64).unwrap_or(0);
    let file_name = |p: &str| {
        std::path::Path::new(p)
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned())
    };
    let name = file_name(text("sweep_file"));
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — sim sweep report</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n",
        escape(&name)
    );
    let _ = writeln!(h, "<h1>{}</h1>", escape(&name));

    h.push_str("<h2>Sweep</h2>\n<dl class=\"facts\">\n");
    let facts = [
        ("scenario", file_name(text("scenario_file"))),
        ("variants", number("variants").to_string()),
        ("seeds per variant", number("seeds").to_string()),
        ("runs", number("runs").to_string()),
        ("arms", data.arms.join(", ")),
    ];
    for (k, v) in facts {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(&v));
    }
    for (i, p) in data.parameters.iter().enumerate() {
        let _ = writeln!(
            h,
            "<dt>parameter</dt><dd><code>{}</code> = {}</dd>",
            escape(p),
            escape(&data.values_of(i).join(", "))
        );
    }
    h.push_str("</dl>\n");

    table(&mut h, data);

    if !figures.is_empty() {
        h.push_str("<h2>Plots</h2>\n");
    }
    for f in figures {
        let _ = write!(
            h,
            "<figure id=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            escape(f.name),
            f.svg.trim_end(),
            escape(sweep_caption(f.name).unwrap_or(f.title))
        );
    }
    let _ = writeln!(
        h,
        "<footer>Made by sim {} from sweep file <code>{}</code> (SHA-256 <code>{}</code>) and \
         scenario <code>{}</code> (SHA-256 <code>{}</code>). {}. <code>sim report DIR</code> \
         redraws this page from sweep.csv and sweep.json.</footer>",
        escape(text("sim_version")),
        escape(&name),
        escape(text("sweep_sha256")),
        escape(&file_name(text("scenario_file"))),
        escape(text("scenario_sha256")),
        escape(text("seed_rule"))
    );
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

/// One row per variant: parameters, per arm mean cost ± half-width, cost ÷ the cheapest
/// arm's and p95 wait, the cheapest arm and the ratio.
fn table(h: &mut String, data: &SweepData) {
    h.push_str("<h2>Results</h2>\n");
    let _ = writeln!(
        h,
        "<p class=\"lead\">Per variant, over its seeds: mean cost ± 95% confidence half-width, \
         mean cost ÷ the cheapest arm's (<code>cost_vs_cheapest</code>; below 1 only for an arm \
         that did not run every task) and mean p95 wait (arrival to RUNNING) of each arm; the \
         cheapest arm among those that ran every task; EC2 ÷ Fargate mean cost (with one arm of \
         each). The figures are those of <code>sweep.csv</code>.</p>"
    );
    h.push_str("<div class=\"scroll\"><table>\n<tr><th>variant</th>");
    for p in &data.parameters {
        let short = p.rsplit('.').next().unwrap_or(p);
        let _ = write!(h, "<th title=\"{}\">{}</th>", escape(p), escape(short));
    }
    for (i, a) in data.arms.iter().enumerate() {
        let swatch = SWATCHES[i % SWATCHES.len()];
        let _ = write!(
            h,
            "<th><span class=\"swatch\" style=\"background:{swatch}\"></span>{} cost</th>\
             <th>{} ÷ cheapest</th><th>{} p95 wait</th>",
            escape(a),
            escape(a),
            escape(a)
        );
    }
    h.push_str("<th>cheapest</th><th>EC2 ÷ Fargate</th></tr>\n");
    let mut variants: Vec<usize> = data.rows.iter().map(|r| r.variant).collect();
    variants.dedup();
    for &v in variants.iter().take(MAX_TABLE_VARIANTS) {
        let rows: Vec<_> = data.rows.iter().filter(|r| r.variant == v).collect();
        let Some(first) = rows.first() else { continue };
        let _ = write!(h, "<tr><td>{v}</td>");
        for value in &first.values {
            let _ = write!(h, "<td class=\"text\">{}</td>", escape(value));
        }
        for a in &data.arms {
            match rows.iter().find(|r| &r.arm == a) {
                Some(r) => {
                    let ci = r
                        .cost_ci95
                        .map_or_else(String::new, |c| format!(" ± {c:.2}"));
                    let wait = r
                        .wait_p95_mean
                        .map_or_else(|| "–".into(), |w| format!("{w:.1} s"));
                    let vs = r
                        .cost_vs_cheapest
                        .map_or_else(|| "–".into(), |x| format!("{x:.3}"));
                    let _ = write!(
                        h,
                        "<td>{}{}</td><td>{}</td><td>{}</td>",
                        money(r.cost_mean),
                        escape(&ci),
                        escape(&vs),
                        escape(&wait)
                    );
                }
                None => h.push_str("<td>–</td><td>–</td><td>–</td>"),
            }
        }
        let ratio = first
            .ratio
            .map_or_else(|| "–".into(), |r| format!("{r:.3}"));
        let _ = writeln!(
            h,
            "<td class=\"text\">{}</td><td>{}</td></tr>",
            escape(&first.cheapest),
            escape(&ratio)
        );
    }
    h.push_str("</table></div>\n");
    if variants.len() > MAX_TABLE_VARIANTS {
        let _ = writeln!(
            h,
            "<p>The first {MAX_TABLE_VARIANTS} of {} variants; every one is in <code>sweep.csv</code>.</p>",
            variants.len()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "variant,w.per_hour,arm,launch_type,runs,cost_usd_mean,cost_usd_sd,cost_usd_ci95,wait_mean_s_mean,wait_mean_s_sd,wait_mean_s_ci95,wait_p95_s_mean,wait_p95_s_sd,wait_p95_s_ci95,cpu_reserved_util_mean,cpu_reserved_util_sd,cpu_reserved_util_ci95,mem_reserved_util_mean,mem_reserved_util_sd,mem_reserved_util_ci95,cheapest_arm,ec2_fargate_cost_ratio,cost_vs_cheapest
0,10,ec2,EC2,2,12.5,1,0.75,,,,30,,,,,,,,,fargate,1.25,1.25
0,10,far<gate>,FARGATE,2,10,0,0,,,,60,,,,,,,,,fargate,1.25,1
1,20,ec2,EC2,2,15,1,0.75,,,,31,,,,,,,,,ec2,0.75,1
1,20,far<gate>,FARGATE,2,20,0,0,,,,61,,,,,,,,,ec2,0.75,1.333333
";
    const JSON: &str = r#"{"sim_version":"9.9","sweep_file":"dir/s.toml","sweep_sha256":"abc","scenario_file":"dir/base.toml","scenario_sha256":"def","parameters":["w.per_hour"],"variants":2,"seeds":2,"runs":4,"arms":["ec2","far<gate>"],"seed_rule":"rule"}"#;

    #[test]
    fn the_page_has_the_grid_the_table_the_plots_and_provenance_escaped() {
        let data = SweepData::parse(CSV.as_bytes(), JSON.as_bytes()).expect("parses");
        let meta: Value = serde_json::from_str(JSON).expect("json");
        let svg = "<svg viewBox=\"0 0 10 5\"></svg>\n";
        let figs = [Figure {
            name: "sweep_ratio",
            title: "t",
            svg,
        }];
        let h = sweep_report_html(&data, &meta, &figs);
        assert!(h.starts_with("<!DOCTYPE html>") && h.ends_with("</html>\n"));
        assert!(h.contains("<h1>s.toml</h1>"));
        assert!(h.contains("<code>w.per_hour</code> = 10, 20"));
        // Variant 0: ec2 $12.50 ± 0.75 and 30.0 s; the Fargate arm's name escaped.
        assert!(
            h.contains("<td>$12.50 ± 0.75</td><td>1.250</td><td>30.0 s</td>"),
            "{h}"
        );
        assert!(h.contains("<td>$20.00 ± 0.00</td><td>1.333</td><td>61.0 s</td>"));
        assert!(h.contains("<th>ec2 ÷ cheapest</th>"));
        assert!(h.contains("far&lt;gate&gt; cost"));
        assert!(!h.contains("far<gate>"));
        assert!(h.contains("<td class=\"text\">fargate</td><td>1.250</td></tr>"));
        assert!(h.contains("<td class=\"text\">ec2</td><td>0.750</td></tr>"));
        assert!(h.contains("<svg viewBox=\"0 0 10 5\"></svg>\n<figcaption>EC2 ÷ Fargate"));
        assert!(h.contains("SHA-256 <code>abc</code>") && h.contains("sim 9.9"));
        assert!(!h.contains("http"), "no external reference");
    }
}
