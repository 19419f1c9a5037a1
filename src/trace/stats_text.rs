//! The readable report of `sim trace stats`: a pure rendering of [`TraceStats`].

use crate::trace::stats::{Percentiles, TraceStats};
use crate::util::text_table;

/// The arrivals-per-hour table has at most this many rows; longer traces are shown in bins of
/// whole hours.
pub const MAX_RATE_ROWS: usize = 48;

/// How many Fargate sizes the report lists (the JSON has all of them).
pub const TOP_SIZES: usize = 10;

const BAR_WIDTH: u64 = 40;

/// Render `stats` of the trace called `name` as plain text for a terminal.
pub fn render_text(stats: &TraceStats, name: &str) -> String {
    let mut out = String::new();
    let s = stats;
    let mut head = vec![row(["trace", name]), row(["rows", &s.rows.to_string()])];
    if s.rows == 0 {
        out.push_str(&text_table::render(&head, 2, false));
        return out;
    }
    let top: Vec<String> = s
        .top_groups
        .iter()
        .map(|g| format!("{} {}", g.name, g.rows))
        .collect();
    let more = if s.groups > s.top_groups.len() {
        format!(", … ({} more)", s.groups - s.top_groups.len())
    } else {
        String::new()
    };
    head.push(row([
        "groups",
        &format!("{}: {}{more}", s.groups, top.join(", ")),
    ]));
    head.push(row([
        "time span",
        &format!(
            "first arrival {}, last arrival {}, last end {}",
            secs(s.span.first_arrival_s),
            secs(s.span.last_arrival_s),
            secs(s.span.last_end_s)
        ),
    ]));
    head.push(row([
        "arrival rate",
        &format!(
            "mean {:.1} per hour over {} hours, peak {} in hour {}",
            s.arrivals.mean_per_hour,
            s.arrivals.per_hour.len(),
            s.arrivals.peak_per_hour,
            s.arrivals.peak_hour
        ),
    ]));
    head.push(row([
        "work",
        &format!(
            "{:.2} task-hours, {:.2} vCPU-hours, {:.2} GiB-hours",
            s.totals.task_hours, s.totals.vcpu_hours, s.totals.memory_gib_hours
        ),
    ]));
    head.push(row([
        "peak concurrent",
        &format!(
            "{} CPU units ({} vCPU) at {}; {} MiB ({} GiB) at {}; {} tasks at {}",
            s.peak.cpu_units,
            trim(s.peak.cpu_units as f64 / 1024.0, 2),
            secs(s.peak.cpu_at_s),
            s.peak.memory_mib,
            trim(s.peak.memory_mib as f64 / 1024.0, 2),
            secs(s.peak.memory_at_s),
            s.peak.tasks,
            secs(s.peak.tasks_at_s)
        ),
    ]));
    head.push(row(["", "(every task started on arrival)"]));
    if s.usage.cpu_rows > 0 {
        head.push(row([
            "cpu used",
            &format!(
                "{} rows, mean {:.1} units, {:.1}% of requested (duration-weighted)",
                s.usage.cpu_rows,
                s.usage.cpu_used_mean_units,
                100.0 * s.usage.cpu_used_of_requested
            ),
        ]));
    }
    if s.usage.memory_rows > 0 {
        head.push(row([
            "memory used",
            &format!(
                "{} rows, mean {:.1} MiB, {:.1}% of requested (duration-weighted)",
                s.usage.memory_rows,
                s.usage.memory_used_mean_mib,
                100.0 * s.usage.memory_used_of_requested
            ),
        ]));
    }
    out.push_str(&text_table::render(&head, 2, false));

    out.push_str("\nrequests and durations (nearest rank)\n");
    let mut pct = vec![row(["", "min", "p50", "p95", "p99", "max", "mean"])];
    let ints = |p: &Percentiles| [p.min, p.p50, p.p95, p.p99, p.max].map(|v| v.to_string());
    let [a, b, c, d, e] = ints(&s.cpu_units);
    pct.push(vec![
        "cpu_units".into(),
        a,
        b,
        c,
        d,
        e,
        format!("{:.1}", s.cpu_units.mean),
    ]);
    let [a, b, c, d, e] = ints(&s.memory_mib);
    pct.push(vec![
        "memory_mib".into(),
        a,
        b,
        c,
        d,
        e,
        format!("{:.1}", s.memory_mib.mean),
    ]);
    let ms = |v: u64| format!("{:.3}", v as f64 / 1000.0);
    let t = &s.duration_ms;
    pct.push(vec![
        "duration_s".into(),
        ms(t.min),
        ms(t.p50),
        ms(t.p95),
        ms(t.p99),
        ms(t.max),
        format!("{:.3}", t.mean / 1000.0),
    ]);
    out.push_str(&text_table::render(&pct, 1, true));
    for (col, p, unit) in [
        ("cpu_units", &s.cpu_units, ""),
        ("memory_mib", &s.memory_mib, ""),
        ("duration_s", &s.duration_ms, " ms"),
    ] {
        if p.resolution > 1 {
            out.push_str(&format!(
                "{col}: too many distinct values for exact percentiles; rounded up to a step of {}{unit}\n",
                p.resolution
            ));
        }
    }

    out.push_str(&rate_table(&s.arrivals.per_hour));
    out.push_str(&size_table(s));
    out
}

fn row<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_string()).collect()
}

/// `1234.5 s (0.34 h)`.
fn secs(s: f64) -> String {
    format!("{} s ({:.2} h)", trim(s, 3), s / 3600.0)
}

/// `x` with at most `decimals` decimals, trailing zeros dropped.
fn trim(x: f64, decimals: usize) -> String {
    let t = format!("{x:.decimals$}");
    if t.contains('.') {
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        t
    }
}

/// Arrivals per hour (or per bin of whole hours), with a bar.
fn rate_table(per_hour: &[u64]) -> String {
    let bin = per_hour.len().div_ceil(MAX_RATE_ROWS).max(1);
    let bins: Vec<(usize, usize, u64)> = per_hour
        .chunks(bin)
        .enumerate()
        .map(|(i, c)| (i * bin, i * bin + c.len() - 1, c.iter().sum()))
        .collect();
    let peak = bins.iter().map(|b| b.2).max().unwrap_or(0).max(1);
    let mut out = if bin == 1 {
        "\narrivals per hour\n".to_string()
    } else {
        format!("\narrivals per {bin} hours\n")
    };
    let mut rows = vec![row(["hour", "arrivals", ""])];
    for (first, last, n) in bins {
        let label = if first == last {
            first.to_string()
        } else {
            format!("{first}-{last}")
        };
        let bar = "#".repeat((n * BAR_WIDTH).div_ceil(peak) as usize);
        rows.push(vec![label, n.to_string(), bar]);
    }
    // Hours right-aligned, the bar left-aligned: render the two parts and join them.
    let numbers: Vec<Vec<String>> = rows.iter().map(|r| r[..2].to_vec()).collect();
    for (line, r) in text_table::render(&numbers, 0, false).lines().zip(&rows) {
        out.push_str(line);
        if !r[2].is_empty() {
            out.push_str("  ");
            out.push_str(&r[2]);
        }
        out.push('\n');
    }
    out
}

/// The Fargate size mix, top [`TOP_SIZES`].
fn size_table(s: &TraceStats) -> String {
    let f = &s.fargate;
    let mut out =
        "\nFargate sizes (cheapest size covering each request; us-east-1 Linux/x86 on-demand)\n"
            .to_string();
    let mut rows = vec![row([
        "cpu_units",
        "memory_mib",
        "tasks",
        "share",
        "usd_per_hour",
        "task_hours",
        "usd",
    ])];
    let share = |n: u64| format!("{:.1}%", 100.0 * n as f64 / s.rows as f64);
    for z in f.sizes.iter().take(TOP_SIZES) {
        rows.push(vec![
            z.cpu_units.to_string(),
            z.memory_mib.to_string(),
            z.tasks.to_string(),
            share(z.tasks),
            format!("{:.5}", z.usd_per_hour),
            format!("{:.2}", z.task_hours),
            format!("{:.2}", z.usd),
        ]);
    }
    let rest = &f.sizes[f.sizes.len().min(TOP_SIZES)..];
    if !rest.is_empty() {
        let n: u64 = rest.iter().map(|z| z.tasks).sum();
        rows.push(vec![
            format!("{} more", rest.len()),
            String::new(),
            n.to_string(),
            share(n),
            String::new(),
            format!("{:.2}", rest.iter().map(|z| z.task_hours).sum::<f64>()),
            format!("{:.2}", rest.iter().map(|z| z.usd).sum::<f64>()),
        ]);
    }
    out.push_str(&text_table::render(&rows, 0, true));
    out.push_str(&format!(
        "no Fargate size fits: {} tasks ({})\n",
        f.no_fit,
        share(f.no_fit)
    ));
    out.push_str(&format!(
        "Fargate bill if each task ran once on arrival: ${:.2} (per second, 1-minute minimum, storage above 20 GiB)\n",
        f.usd
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::CsvTrace;
    use crate::trace::stats::trace_stats_of;
    use std::path::Path;

    fn stats(text: &str) -> TraceStats {
        let mut t = CsvTrace::from_reader(
            Path::new("t.csv"),
            Box::new(std::io::Cursor::new(text.to_string())),
        )
        .unwrap();
        trace_stats_of(&mut t).unwrap()
    }

    #[test]
    fn the_report_shows_each_section() {
        let text = render_text(
            &stats(
                "arrival_s,duration_s,cpu_units,memory_mib,group,cpu_used_units\n0,100,256,512,web,128\n10,50,512,1024,web,\n3700,30,32768,1024,big,\n",
            ),
            "t.csv",
        );
        for want in [
            "trace            t.csv",
            "rows             3",
            "groups           2: web 2, big 1",
            "last end 3730 s (1.04 h)",
            "mean 1.5 per hour over 2 hours, peak 2 in hour 0",
            "peak concurrent  32768 CPU units (32 vCPU) at 3700 s (1.03 h)",
            "cpu used         1 rows, mean 128.0 units, 50.0% of requested",
            "cpu_units 256 512 32768 32768 32768 11178.7",
            "duration_s 30.000 50.000 100.000 100.000 100.000 60.000",
            "\n0 2 ########################################\n1 1 ####################\n",
            "256 512 1 33.3% 0.01234 0.03 0.00",
            "no Fargate size fits: 1 tasks (33.3%)",
        ] {
            // Compare with runs of spaces collapsed: alignment is the table's business.
            let squeezed = |t: &str| {
                t.lines()
                    .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert!(
                squeezed(&text).contains(&squeezed(want)),
                "missing `{want}` in\n{text}"
            );
        }
        assert!(!text.contains("memory used"));
        assert!(!text.contains("rounded up to a step"));
    }

    #[test]
    fn an_empty_trace_says_so_briefly() {
        let text = render_text(
            &stats("arrival_s,duration_s,cpu_units,memory_mib\n"),
            "e.csv",
        );
        assert_eq!(text, "trace  e.csv\nrows   0\n");
    }

    #[test]
    fn long_traces_are_binned_into_at_most_48_rows() {
        let mut per_hour = vec![1u64; 100];
        per_hour[99] = 9;
        let text = rate_table(&per_hour);
        assert!(text.starts_with("\narrivals per 3 hours\n"), "{text}");
        // A blank line, the title, the header, then ⌈100 / 3⌉ bins; the last holds hour 99 only.
        assert_eq!(text.lines().count(), 3 + 34);
        assert!(text.contains("\n   99         9  #"), "{text}");
        assert!(text.contains("\n  0-2         3  #"), "{text}");
    }
}
