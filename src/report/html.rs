//! report.html: one self-contained page per run (inline CSS and SVG, no script, no network):
//! the scenario, the comparison table, every plot with a caption, and provenance. Pure: it
//! returns the page; the CLI writes it. Nothing in it depends on the wall clock, so the page
//! is byte-identical for a seed.

use std::fmt::Write as _;

use serde_json::Value;

use super::cost_verdict::{CostVerdict, saving};
use super::plots::Plot;
use super::run_data::{ArmData, RunData};
use super::summary_row::SummaryRow;
use crate::sim::Completion;

/// One plot of the page.
#[derive(Debug, Clone, Copy)]
pub struct Figure<'a> {
    /// The plot's file stem (`utilisation`, …): picks the caption.
    pub name: &'a str,
    /// The plot's title (the caption when the plot has no caption of its own).
    pub title: &'a str,
    /// The SVG document, as written to `<name>.svg`.
    pub svg: &'a str,
}

impl<'a> Figure<'a> {
    /// The figures of plots drawn as `(plot, its SVG document)`, in order.
    pub fn of_drawn(drawn: &'a [(&'a Plot, String)]) -> Vec<Figure<'a>> {
        drawn
            .iter()
            .map(|(p, svg)| Figure {
                name: p.name,
                title: &p.title,
                svg,
            })
            .collect()
    }
}

/// What a plot shows, in one line, by file stem.
pub fn caption(name: &str) -> Option<&'static str> {
    Some(match name {
        "utilisation" => {
            "Reserved CPU and memory as a share of what is registered (EC2: the container \
             instances; Fargate: requested ÷ billed task size), per arm over time."
        }
        "fleet" => {
            "Container instances of each EC2 arm (dashed: still launching), and tasks waiting \
             for capacity on every arm, over time."
        }
        "cost" => {
            "Cost accrued since the start, per arm: the gap at the right is the difference in the bill."
        }
        "wait_cdf" => {
            "Share of started tasks that waited at most a given time from arrival to RUNNING: \
             the further left and the steeper, the better."
        }
        "scaling" => {
            "Managed scaling of each capacity provider: CapacityProviderReservation against its \
             target (dashed); above the target the provider scales out, below it scales in."
        }
        "cost_breakdown" => {
            "What each arm paid, by component (EC2 On-Demand and Spot instance-hours, Fargate \
             vCPU, memory and storage); the hatched part past it is what Spot saved against \
             On-Demand prices."
        }
        "breakeven" => {
            "Each EC2 arm's cost against the utilisation its fleet would run at, next to the \
             Fargate arm's cost: the solid vertical line is where they cost the same for this \
             workload, the dotted one the instance type's catalog break-even, the marker where \
             the run was."
        }
        "commitments" => {
            "Each arm's Savings Plan and Reserved Instance fees per clock hour (dashed) and the \
             part of them that covered usage (solid); the gap is commitment paid for and unused."
        }
        _ => return None,
    })
}

/// `s` with `&`, `<`, `>`, `"` and `'` escaped, safe in HTML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) const CSS: &str = "\
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif;
  color: #1a1a1a; background: #fff; margin: 0; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 32px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.lead { color: #444; margin: 0 0 12px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.88em; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 7px; border-bottom: 1px solid #e3e3e3; text-align: right; white-space: nowrap; }
th { background: #f4f4f4; font-weight: 600; vertical-align: bottom; white-space: normal; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
td.text { white-space: normal; }
table.arms td:first-child { white-space: nowrap; }
tr.best td { background: #eef7ee; }
.badge { display: inline-block; font-size: 0.78em; background: #2e7d32; color: #fff;
  border-radius: 3px; padding: 0 5px; margin-left: 6px; vertical-align: 1px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
p.verdict { font-weight: 600; }
figure { margin: 18px 0 28px; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid #e6e6e6; }
figcaption { color: #444; font-size: 0.93em; margin-top: 6px; }
footer { margin-top: 36px; color: #555; font-size: 0.88em; border-top: 1px solid #ddd; padding-top: 8px; }
code { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 0.92em; overflow-wrap: anywhere; }
ul.warnings { color: #8a4b00; }
tr.uncertain td { background: #fff6e5; }
@media print {
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, table, tr { break-inside: avoid; page-break-inside: avoid; }
  figure svg { border: none; }
}
";

/// The plots' colours by arm position (Okabe and Ito), for the swatches of the table.
pub(crate) const SWATCHES: [&str; 7] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
];

/// The page for `run`, with `figures` in order.
pub fn report_html(run: &RunData, figures: &[Figure<'_>]) -> String {
    let m = &run.meta;
    let mut h = String::new();
    let title = format!("{} — sim report", m.scenario);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n",
        escape(&title)
    );
    let _ = writeln!(h, "<h1>{}</h1>", escape(&m.scenario));
    scenario_section(&mut h, run);
    comparison_section(&mut h, run);
    if !figures.is_empty() {
        h.push_str("<h2>Plots</h2>\n");
    }
    for f in figures {
        let _ = write!(
            h,
            "<figure id=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            escape(f.name),
            f.svg.trim_end(),
            escape(caption(f.name).unwrap_or(f.title))
        );
    }
    assumptions_section(&mut h, run);
    provenance(&mut h, run);
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

fn scenario_section(h: &mut String, run: &RunData) {
    let m = &run.meta;
    let detail = m.scenario_detail.as_ref().and_then(Value::as_object);
    if let Some(d) = detail.and_then(|d| d.get("description")?.as_str()) {
        let _ = writeln!(h, "<p class=\"lead\">{}</p>", escape(d));
    }
    h.push_str("<h2>Scenario</h2>\n<dl class=\"facts\">\n");
    let mut fact = |k: &str, v: &str| {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
    };
    fact("scenario", &m.scenario);
    let has_assumptions = detail.is_some_and(|d| d.contains_key("assumptions"));
    for (k, v) in detail.into_iter().flatten() {
        match (k.as_str(), v.as_f64()) {
            ("name" | "description" | "arms" | "seed" | "assumptions", _) => {}
            // Listed, with their sources, under "Assumptions".
            ("other_charges", _) if has_assumptions => {}
            ("horizon_s", Some(s)) => fact("horizon", &duration(s)),
            ("horizon_s", None) => fact("horizon", "until the workload is done"),
            ("metrics_interval_s", Some(s)) => fact("sampled every", &duration(s)),
            _ => fact(&k.replace('_', " "), &value_text(v)),
        }
    }
    fact("seed", &m.seed.to_string());
    // The arms as the scenario defines them, one row each, when run.json describes them.
    let arms: Vec<&serde_json::Map<String, Value>> = detail
        .and_then(|d| d.get("arms")?.as_array())
        .map(|a| a.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default();
    if arms.is_empty() {
        fact(
            "arms",
            &run.arms
                .iter()
                .map(|a| format!("{} ({})", a.arm, a.launch_type))
                .collect::<Vec<_>>()
                .join(", "),
        );
        h.push_str("</dl>\n");
        return;
    }
    h.push_str("</dl>\n");
    // An arm described in a line (run.json `scenario_details`) shows that line; otherwise
    // every field is shown.
    let keys: Vec<&str> = if arms
        .iter()
        .all(|a| a.get("description").is_some_and(Value::is_string))
    {
        vec!["name", "launch_type", "description"]
    } else {
        let mut keys = vec!["name"];
        for a in &arms {
            for k in a.keys() {
                if !keys.contains(&k.as_str()) {
                    keys.push(k);
                }
            }
        }
        keys
    };
    h.push_str("<div class=\"scroll\"><table class=\"arms\">\n<tr>");
    for k in &keys {
        let label = match *k {
            "name" => "arm",
            "launch_type" => "launch",
            "description" => "configuration",
            k => k,
        };
        let _ = write!(
            h,
            "<th class=\"text\">{}</th>",
            escape(&label.replace('_', " "))
        );
    }
    h.push_str("</tr>\n");
    for a in &arms {
        h.push_str("<tr>");
        for k in &keys {
            let v = a.get(*k).map(value_text).unwrap_or_default();
            let _ = write!(h, "<td class=\"text\">{}</td>", escape(&v));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table></div>\n");
}

/// The prices the run used (run.json `prices`), with origins and UNCERTAIN marks
/// (docs/model.md §21); nothing for a run.json without them.
fn prices_table(h: &mut String, run: &RunData) {
    let prices = &run.meta.prices;
    if prices.is_empty() {
        return;
    }
    h.push_str("<h3>Prices used</h3>\n<div class=\"scroll\"><table class=\"arms\">\n<tr><th class=\"text\">item</th><th>USD</th><th class=\"text\">per</th><th class=\"text\">origin</th></tr>\n");
    for p in prices {
        let text = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or_default();
        let usd = p.get("usd").and_then(Value::as_f64).unwrap_or(f64::NAN);
        let uncertain = p.get("uncertain").and_then(Value::as_bool) == Some(true);
        let _ = writeln!(
            h,
            "<tr><td class=\"text\">{}</td><td>{}</td><td class=\"text\">{}</td><td class=\"text\">{}{}</td></tr>",
            escape(text("item")),
            usd,
            escape(text("unit")),
            if uncertain {
                "<strong>UNCERTAIN</strong> "
            } else {
                ""
            },
            escape(text("origin"))
        );
    }
    h.push_str("</table></div>\n");
}

/// A JSON value as short text: lists comma-separated, objects as `key: value; …`.
fn value_text(v: &Value) -> String {
    match v {
        Value::Null => "–".into(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(value_text).collect::<Vec<_>>().join(", "),
        Value::Object(o) => o
            .iter()
            .map(|(k, v)| format!("{}: {}", k.replace('_', " "), value_text(v)))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Bool(_) | Value::Number(_) => v.to_string(),
    }
}

/// Seconds as hours (or minutes, or seconds when short).
fn duration(s: f64) -> String {
    if s >= 3_600.0 {
        format!("{} h", trim(s / 3_600.0))
    } else if s >= 60.0 {
        format!("{} min", trim(s / 60.0))
    } else {
        format!("{} s", trim(s))
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The outcome cell: `complete`, or the outcome, when and why.
fn outcome_cell(a: &ArmData) -> String {
    let s = &a.summary;
    let c = s.completion();
    let mut out = c.as_str().to_string();
    if c == Completion::Saturated
        && let Some(t) = s.end_s()
    {
        out.push_str(&format!(" at {}", wait(t)));
    }
    if let Some(w) = s.outcome_reason {
        out.push_str(&format!(" ({})", w.describe()));
    }
    out
}

/// The cheapest of the arms that did all the work and the next, when there are two or more
/// and it does not tie with the next.
fn cheapest(run: &RunData) -> Option<(usize, usize)> {
    CostVerdict::of(
        run.arms
            .iter()
            .map(|a| a.summary.comparable().then(|| a.summary.compared_cost())),
    )
    .clear_winner()
}

fn comparison_section(h: &mut String, run: &RunData) {
    h.push_str("<h2>Comparison</h2>\n");
    let best = cheapest(run);
    if let Some((b, next)) = best {
        let (b, next) = (&run.arms[b], &run.arms[next]);
        let (bc, nc) = (b.summary.compared_cost(), next.summary.compared_cost());
        let (saving, rel) = saving(bc, nc);
        // The verdict is on the compared cost (cost_compared_usd): compute, or the whole bill
        // when the scenario asks for shared costs (docs/model.md §18.4).
        let basis = if run
            .arms
            .iter()
            .any(|a| (a.summary.compared_cost() - a.summary.cost_usd).abs() > 1e-9)
        {
            " on the compared cost (cost_compared_usd)"
        } else {
            ""
        };
        let _ = writeln!(
            h,
            "<p class=\"verdict\">Cheapest{basis}: {} (${bc:.2}), {rel:.1}% (${saving:.2}) less than {} (${nc:.2}).</p>",
            escape(&b.arm),
            escape(&next.arm),
        );
    }
    let best = best.map(|(b, _)| b);
    let short: Vec<String> = run
        .arms
        .iter()
        .filter_map(|a| a.summary.shortfall(wait))
        .collect();
    if !short.is_empty() {
        let _ = writeln!(
            h,
            "<p>Not compared, its cost covers less work: {}.</p>",
            escape(&short.join("; "))
        );
    }
    let header = [
        "arm",
        "launch",
        "cost",
        "per task-hour",
        "wait p50",
        "wait p95",
        "wait p99",
        "CPU reserved",
        "memory reserved",
        "instance-hours",
        "peak instances",
        "tasks done / running / pending / rejected / lost",
        "outcome",
    ];
    h.push_str("<div class=\"scroll\"><table>\n<tr>");
    for c in header {
        let class = if c == "launch" || c == "outcome" {
            " class=\"text\""
        } else {
            ""
        };
        let _ = write!(h, "<th{class}>{c}</th>");
    }
    h.push_str("</tr>\n");
    for (i, a) in run.arms.iter().enumerate() {
        let s = &a.summary;
        let is_best = best == Some(i);
        let fargate = a.launch_type == "FARGATE";
        let badge = if is_best {
            "<span class=\"badge\">cheapest</span>"
        } else {
            ""
        };
        let cells = [
            format!("${:.2}", s.cost_usd),
            opt(s.cost_per_task_hour_usd, |c| format!("${c:.4}")),
            opt(s.wait_p50_s, wait),
            opt(s.wait_p95_s, wait),
            opt(s.wait_p99_s, wait),
            opt(s.cpu_reserved_util, pct),
            opt(s.mem_reserved_util, pct),
            // Fargate has no instances.
            if fargate {
                "–".into()
            } else {
                format!("{:.1}", s.instance_hours)
            },
            if fargate {
                "–".into()
            } else {
                s.peak_instances.to_string()
            },
            format!(
                "{} / {} / {} / {} / {}",
                s.tasks_completed,
                s.tasks_running_at_end,
                s.tasks_pending_at_end,
                s.tasks_rejected,
                s.tasks_lost
            ),
            outcome_cell(a),
        ];
        let _ = write!(
            h,
            "<tr{}><td><span class=\"swatch\" style=\"background:{}\"></span>{}{badge}</td><td class=\"text\">{}</td>",
            if is_best { " class=\"best\"" } else { "" },
            SWATCHES[i % SWATCHES.len()],
            escape(&a.arm),
            escape(&a.launch_type)
        );
        let last = cells.len() - 1;
        for (k, c) in cells.into_iter().enumerate() {
            let class = if k == last { " class=\"text\"" } else { "" };
            let _ = write!(h, "<td{class}>{}</td>", escape(&c));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table></div>\n");
    cost_parts(h, run);
    h.push_str(
        "<p>Cost in USD. Waits run from a task's arrival to RUNNING (nearest-rank percentiles \
         over the tasks that started); CPU and memory reserved are time-averaged shares of what \
         was registered (Fargate: requested ÷ billed). An arm is <em>incomplete</em> when tasks \
         were still waiting at its end, <em>saturated</em> when it hit one of sim's bounds and \
         stopped there (its figures cover the run up to then; the other arms went on). The \
         figures are those of <code>summary.csv</code>.</p>\n",
    );
}

/// The parts of the bill beyond compute, per arm, when any arm has one: the public IPv4 and
/// Windows licence parts of `cost`, the shared costs, commitment fees, the whole bill, the
/// effective cost with commitments and the compared figure
/// (summary.csv's columns of the same names, docs/outputs.md).
fn cost_parts(h: &mut String, run: &RunData) {
    type Part = (&'static str, fn(&SummaryRow) -> f64);
    let parts: [Part; 8] = [
        ("public IPv4 (in cost)", |s| s.cost_public_ipv4_usd),
        ("Windows licence (in cost)", |s| {
            s.cost_fargate_os_licence_usd
        }),
        ("load balancers", |s| s.cost_load_balancer_usd),
        ("NAT", |s| s.cost_nat_usd),
        ("commitment fees", |s| s.commitment_fee_usd),
        ("whole bill", |s| s.cost_total_usd),
        ("effective (with commitments)", |s| {
            s.cost_effective_usd.unwrap_or(s.cost_usd)
        }),
        ("compared", SummaryRow::compared_cost),
    ];
    let extra = |s: &SummaryRow| parts[..5].iter().any(|(_, f)| f(s).abs() > 0.0);
    if !run.arms.iter().any(|a| extra(&a.summary)) {
        return;
    }
    h.push_str("<div class=\"scroll\"><table class=\"cost-parts\">\n<tr><th>arm</th><th>cost</th>");
    for (label, _) in &parts {
        let _ = write!(h, "<th>{label}</th>");
    }
    h.push_str("</tr>\n");
    for a in &run.arms {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>${:.2}</td>",
            escape(&a.arm),
            a.summary.cost_usd
        );
        for (_, f) in &parts {
            let _ = write!(h, "<td>${:.2}</td>", f(&a.summary));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table></div>\n");
}

fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or_else(|| "–".to_string(), f)
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

fn wait(s: f64) -> String {
    if s >= 3_600.0 {
        format!("{:.2} h", s / 3_600.0)
    } else if s >= 120.0 {
        format!("{:.1} min", s / 60.0)
    } else {
        format!("{s:.1} s")
    }
}

/// run.json's `scenario_details.assumptions`: one row per price, Spot discount and
/// interruption rate, quota, other charge and commitment, with its source
/// (report/assumptions.rs).
fn assumptions_section(h: &mut String, run: &RunData) {
    let rows: Vec<&serde_json::Map<String, Value>> = run
        .meta
        .scenario_detail
        .as_ref()
        .and_then(|d| d.get("assumptions")?.as_array())
        .map(|a| a.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default();
    if rows.is_empty() && run.meta.prices.is_empty() {
        return;
    }
    h.push_str(
        "<h2>Assumptions</h2>\n<p>What the figures rest on, each with where it comes from. \
         Values marked UNCERTAIN come from secondary or conflicting sources \
         (<code>docs/reference/</code> says which).</p>\n",
    );
    prices_table(h, run);
    if rows.is_empty() {
        return;
    }
    h.push_str(
        "<h3>Spot, quotas, other charges and commitments</h3>\n<div class=\"scroll\"><table class=\"assumptions\">\n\
         <tr><th class=\"text\">topic</th><th class=\"text\">item</th><th class=\"text\">value</th><th class=\"text\">source</th></tr>\n",
    );
    for r in rows {
        let cell = |k: &str| r.get(k).map(value_text).unwrap_or_default();
        let source = cell("source");
        let class = if source.contains("UNCERTAIN") {
            " class=\"uncertain\""
        } else {
            ""
        };
        let _ = writeln!(
            h,
            "<tr{class}><td class=\"text\">{}</td><td class=\"text\">{}</td><td class=\"text\">{}</td><td class=\"text\">{}</td></tr>",
            escape(&cell("topic")),
            escape(&cell("item")),
            escape(&cell("value")),
            escape(&source)
        );
    }
    h.push_str("</table></div>\n");
}

fn provenance(h: &mut String, run: &RunData) {
    let m = &run.meta;
    if !m.warnings.is_empty() {
        h.push_str("<h2>Warnings</h2>\n<ul class=\"warnings\">\n");
        for w in &m.warnings {
            let _ = writeln!(h, "<li>{}</li>", escape(w));
        }
        h.push_str("</ul>\n");
    }
    let file = std::path::Path::new(&m.scenario_file)
        .file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
    let _ = writeln!(
        h,
        "<footer>Made by sim {} with seed {} from scenario file <code>{}</code> \
         (SHA-256 <code>{}</code>). The same scenario file and seed give this page byte for \
         byte; <code>sim report DIR</code> redraws it from the run's CSV files.</footer>",
        escape(&m.sim_version),
        m.seed,
        escape(&file),
        escape(&m.scenario_sha256)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::run_data::{RunData, fixture};

    fn page(run: &RunData) -> String {
        let svg = "<svg width=\"10\" height=\"5\" viewBox=\"0 0 10 5\"></svg>\n";
        let figs = [
            Figure {
                name: "cost",
                title: "Cumulative cost",
                svg,
            },
            Figure {
                name: "new_kind",
                title: "A <new> plot",
                svg,
            },
        ];
        report_html(run, &figs)
    }

    #[test]
    fn the_page_has_the_table_the_plots_and_provenance_and_escapes_data() {
        let h = page(&fixture::run());
        assert!(h.starts_with("<!DOCTYPE html>"));
        assert!(h.ends_with("</html>\n"));
        assert!(
            h.contains("<h1>tiny &lt;test&gt;</h1>"),
            "the name is escaped"
        );
        assert!(!h.contains("tiny <test>"));
        // Table: the figures of summary.csv, fargate the cheapest.
        assert!(h.contains("<td>$0.25</td>"));
        assert!(h.contains("<td>$0.0625</td>"));
        assert!(h.contains("<td>30.0 s</td><td>60.0 s</td><td>60.0 s</td>"));
        assert!(h.contains("<td>90.0%</td>"));
        assert!(h.contains(
            "<tr class=\"best\"><td><span class=\"swatch\" style=\"background:#D55E00\"></span>fargate<span class=\"badge\">cheapest</span>"
        ));
        assert_eq!(h.matches("class=\"badge\"").count(), 1);
        assert!(h.contains("Cheapest: fargate ($0.12), 50.0% ($0.12) less than ec2 ($0.25)."));
        // Plots: inline, each with a caption (its title when it has no caption of its own).
        assert_eq!(h.matches("<svg").count(), 2);
        assert!(h.contains(caption("cost").unwrap()));
        assert!(h.contains("<figcaption>A &lt;new&gt; plot</figcaption>"));
        // Provenance, no wall time, no network, no script.
        assert!(h.contains("sim 9.9.9 with seed 7"));
        assert!(h.contains("<code>tiny.toml</code>"));
        assert!(h.contains("<code>abc123</code>"));
        assert!(!h.contains("3.14"), "no wall time");
        assert!(h.contains("<li>one &amp; only</li>"));
        for bad in ["http://", "https://", "<script", "<link", "src="] {
            assert!(!h.contains(bad), "{bad}");
        }
        assert!(h.contains("@media print"));
        assert!(h.contains("break-inside: avoid"));
        assert_eq!(h, page(&fixture::run()), "deterministic");
    }

    #[test]
    fn a_scenario_object_in_run_json_is_shown() {
        let mut files = fixture::files();
        files.run_json = fixture::RUN_JSON
            .replace(
                r#""tiny <test>""#,
                r#"{"name": "tiny", "description": "Two & two", "horizon_s": 86400, "seed": 7,
                    "arms": [{"name": "ec2", "launch_type": "EC2", "instance_types": ["m5.large", "c5.large"],
                              "capacity": {"min": 0, "max": 10}},
                             {"name": "fargate", "launch_type": "FARGATE", "strategy": null}]}"#,
            )
            .into();
        let h = page(&RunData::parse(&files).unwrap());
        assert!(h.contains("<p class=\"lead\">Two &amp; two</p>"));
        assert!(h.contains("<dt>horizon</dt><dd>24 h</dd>"));
        assert!(h.contains("<th class=\"text\">instance types</th>"));
        assert!(h.contains("<td class=\"text\">m5.large, c5.large</td>"));
        assert!(h.contains("<td class=\"text\">max: 10; min: 0</td>"));
        assert_eq!(h.matches("<dt>seed</dt>").count(), 1);
    }

    #[test]
    fn arms_described_in_a_line_show_that_line() {
        let mut files = fixture::files();
        files.run_json = fixture::RUN_JSON
            .replace(
                r#""seed": 7,"#,
                r#""seed": 7, "scenario_details": {"name": "tiny", "description": null,
                    "horizon_s": null, "seed": 7, "metrics_interval_s": 60.0,
                    "arms": [{"name": "ec2", "launch_type": "EC2", "instance_types": ["m5.large"],
                              "capacity_providers": [{"name": "ec2", "min": 0}],
                              "description": "EC2 m5.large, managed 0-10 instances, target 100%"},
                             {"name": "fargate", "launch_type": "FARGATE", "instance_types": [],
                              "capacity_providers": [], "description": "Fargate x86_64"}]},"#,
            )
            .into();
        let h = page(&RunData::parse(&files).unwrap());
        assert!(h.contains("<dt>horizon</dt><dd>until the workload is done</dd>"));
        assert!(h.contains("<dt>sampled every</dt><dd>1 min</dd>"));
        assert!(h.contains(
            "<tr><th class=\"text\">arm</th><th class=\"text\">launch</th><th class=\"text\">configuration</th></tr>"
        ));
        assert!(h.contains(
            "<tr><td class=\"text\">ec2</td><td class=\"text\">EC2</td><td class=\"text\">EC2 m5.large, managed 0-10 instances, target 100%</td></tr>"
        ));
        assert!(!h.contains("capacity providers"));
        assert!(!h.contains("<p class=\"lead\">"), "no description");
    }

    #[test]
    fn arms_that_did_less_work_are_not_marked_cheapest() {
        let mut run = fixture::run();
        run.arms[1].summary.tasks_rejected = 1;
        let h = page(&run);
        assert!(
            !h.contains("class=\"badge\""),
            "one complete arm: nothing to compare"
        );
        assert!(h.contains("Not compared, its cost covers less work: fargate rejected 1 tasks."));
        assert_eq!(escape("a&b<c>\"'"), "a&amp;b&lt;c&gt;&quot;&#39;");
    }

    #[test]
    fn assumptions_and_cost_parts_are_shown_and_the_verdict_follows_the_compared_cost() {
        let mut files = fixture::files();
        files.run_json = fixture::RUN_JSON
            .replace(
                r#""seed": 7,"#,
                r#""seed": 7, "scenario_details": {"name": "tiny", "description": null,
                    "horizon_s": null, "seed": 7, "metrics_interval_s": 60.0, "arms": [],
                    "other_charges": ["a line"],
                    "assumptions": [
                      {"topic": "spot", "item": "arm f: FARGATE_SPOT price", "value": "70.0% off on-demand", "source": "built-in <x>"},
                      {"topic": "other charges", "item": "public IPv4", "value": "$0.005 per address-hour", "source": "built-in: UNCERTAIN: secondary"}]},"#,
            )
            .into();
        let mut run = RunData::parse(&files).unwrap();
        let h = page(&run);
        assert!(h.contains("<h2>Assumptions</h2>"));
        assert!(h.contains(
            "<tr><td class=\"text\">spot</td><td class=\"text\">arm f: FARGATE_SPOT price</td><td class=\"text\">70.0% off on-demand</td><td class=\"text\">built-in &lt;x&gt;</td></tr>"
        ));
        assert!(h.contains("<tr class=\"uncertain\"><td class=\"text\">other charges</td>"));
        // The other-charges lines are not repeated among the scenario's facts.
        assert!(!h.contains("<dt>other charges</dt>"), "{h}");
        // No charge beyond compute: no cost-parts table.
        assert!(!h.contains("cost-parts"));
        // The EC2 arm is cheaper on the whole bill, which the scenario compares by: fargate
        // $0.125 + $0.50 = $0.625 against $0.25, so $0.375 (60.0%) less.
        run.arms[0].summary.cost_public_ipv4_usd = 0.01;
        run.arms[1].summary.cost_load_balancer_usd = 0.5;
        run.arms[1].summary.cost_total_usd = run.arms[1].summary.cost_usd + 0.5;
        run.arms[0].summary.cost_total_usd = run.arms[0].summary.cost_usd;
        for a in &mut run.arms {
            a.summary.cost_compared_usd = Some(a.summary.cost_total_usd);
        }
        let h = page(&run);
        assert!(
            h.contains("Cheapest on the compared cost (cost_compared_usd): ec2 ($0.25), 60.0% ($0.38) less than fargate ($0.62)."),
            "{h}"
        );
        assert!(h.contains("<th>load balancers</th>"));
        assert!(h.contains("<tr><td>fargate</td><td>$0.12</td><td>$0.00</td><td>$0.00</td><td>$0.50</td><td>$0.00</td><td>$0.00</td><td>$0.62</td><td>$0.12</td><td>$0.62</td></tr>"), "{h}");
    }
}
