//! report.html and `sim report DIR`: the page renders in a real browser, and redrawing a run
//! from its files gives the bytes `sim run` wrote.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::common::{scenario, sim};

/// `sim run scenarios/quickstart.toml --out DIR`.
fn run_quickstart(out: &Path, extra: &[&str]) {
    sim()
        .args(["run", "--quiet", "--out"])
        .arg(out)
        .arg(scenario("quickstart.toml"))
        .args(extra)
        .assert()
        .success();
}

/// The files of `dir` whose names end with `ext`, sorted.
fn files_ending(dir: &Path, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(ext))
        .collect();
    v.sort();
    v
}

#[test]
fn sim_report_redraws_from_the_files_what_sim_run_drew() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run_quickstart(&a, &[]);
    std::fs::create_dir(&b).unwrap();
    let mut copied = files_ending(&a, ".csv");
    copied.push("run.json".into());
    assert!(copied.contains(&"waits.csv".to_string()), "{copied:?}");
    for f in &copied {
        std::fs::copy(a.join(f), b.join(f)).unwrap();
    }
    sim()
        .arg("report")
        .arg(&b)
        .assert()
        .success()
        .stdout(predicates::str::contains("report.html"));
    let mut drawn = files_ending(&a, ".svg");
    drawn.extend(files_ending(&a, ".png"));
    assert!(drawn.len() >= 8, "{drawn:?}");
    drawn.push("report.html".into());
    for f in &drawn {
        let (x, y) = (std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)));
        assert!(y.is_ok(), "sim report did not draw {f}");
        assert!(
            x == y.unwrap(),
            "{f}: sim report drew other bytes than sim run"
        );
    }
    // The page embeds every SVG as written.
    let page = std::fs::read_to_string(a.join("report.html")).unwrap();
    for svg in files_ending(&a, ".svg") {
        let text = std::fs::read_to_string(a.join(&svg)).unwrap();
        assert!(
            page.contains(text.trim_end()),
            "{svg} is not in report.html"
        );
    }
}

#[test]
fn sim_report_of_a_bad_folder_says_what_is_wrong_and_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let report = |needle: &str| {
        sim()
            .arg("report")
            .arg(dir)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(needle.to_string()));
    };
    report("neither a run's output folder");
    let summary = "arm,launch_type,tasks_arrived,tasks_completed,tasks_rejected,tasks_lost,\
                   tasks_pending_at_end,wait_p50_s,wait_p95_s,wait_p99_s,cost_usd,\
                   cost_per_task_hour_usd,cpu_reserved_util,mem_reserved_util,instance_hours,\
                   peak_instances\n\
                   a,EC2,1,1,0,0,0,1.000,1.000,1.000,0.5,0.5,0.5,0.5,1.0,1\n";
    std::fs::write(dir.join("summary.csv"), summary).unwrap();
    report("timeseries.csv` is missing");
    std::fs::write(
        dir.join("timeseries.csv"),
        "arm,time_s,instances,cpu_registered,cpu_reserved,mem_registered,mem_reserved,\
         tasks_running,tasks_pending,cost_cum_usd\na,0.000,1,1024,0,2048,0,0,0,0\n\
         a,60.000,1,1024,512,2048,1024,1,0,lots\n",
    )
    .unwrap();
    report("run.json` is missing");
    std::fs::write(
        dir.join("run.json"),
        r#"{"sim_version": "0", "scenario": "s", "scenario_sha256": "0", "seed": 1}"#,
    )
    .unwrap();
    report("timeseries.csv: line 3, column `cost_cum_usd`: expected a number");
    let ts = std::fs::read_to_string(dir.join("timeseries.csv")).unwrap();
    std::fs::write(dir.join("timeseries.csv"), ts.replace("lots", "0.01")).unwrap();
    sim().arg("report").arg(dir).assert().success();
    assert!(dir.join("report.html").is_file());
    assert!(dir.join("cost.svg").is_file());
}

/// Chromium's binary, if installed (Debian `chromium`, which `.ci/run` installs).
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

/// Headless Chromium on `url` with `args`, trying the headless modes this Chromium knows.
fn headless(chromium: &Path, args: &[&str], url: &str) -> Option<std::process::Output> {
    for mode in ["--headless=new", "--headless"] {
        let out = Command::new(chromium)
            .args([mode, "--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
            .args(args)
            .arg(url)
            .output()
            .ok()?;
        if out.status.success() {
            return Some(out);
        }
    }
    None
}

#[test]
#[allow(clippy::print_stderr)]
fn report_html_renders_in_headless_chromium_with_every_plot() {
    let Some(chromium) = chromium() else {
        eprintln!("skipped: no chromium or chromium-browser on PATH (.ci/run installs Debian's)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    run_quickstart(out, &[]);
    let url = format!("file://{}", out.join("report.html").display());
    let shot = out.join("shot.png");
    let started = Instant::now();
    let screenshot = format!("--screenshot={}", shot.display());
    let done = headless(&chromium, &[&screenshot, "--window-size=1280,4000"], &url);
    assert!(
        done.is_some() && shot.is_file(),
        "chromium took no screenshot: {done:?}"
    );
    eprintln!("screenshot in {:.1} s", started.elapsed().as_secs_f64());

    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert!(channels >= 3, "{:?}", info.color_type);
    let pixels: Vec<[u8; 3]> = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    assert_eq!(pixels.len(), (info.width * info.height) as usize);
    let non_white = pixels.iter().filter(|p| **p != [255, 255, 255]).count();
    let share = non_white as f64 / pixels.len() as f64;
    assert!(
        share >= 0.03,
        "the page is blank: {:.2}% non-white",
        share * 100.0
    );
    let mut colours = pixels.clone();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() >= 100, "{} distinct colours", colours.len());
    // The lines of the first two arms, in the plots' palette (Okabe and Ito blue, vermillion).
    for (name, c) in [("blue", [0, 114, 178]), ("vermillion", [213, 94, 0])] {
        let near = pixels
            .iter()
            .filter(|p| p.iter().zip(c).all(|(a, b)| a.abs_diff(b) <= 12))
            .count();
        assert!(
            near >= 500,
            "{near} pixels of the arms' {name}: no plot lines"
        );
    }

    // Every plot is in the page Chromium built.
    let dom = headless(&chromium, &["--dump-dom"], &url).expect("chromium dumps the DOM");
    let dom = String::from_utf8_lossy(&dom.stdout);
    let svgs = files_ending(out, ".svg");
    assert!(svgs.len() >= 4, "{svgs:?}");
    assert_eq!(
        dom.matches("<svg").count(),
        svgs.len(),
        "one <svg> per plot"
    );
    assert_eq!(dom.matches("<figure").count(), svgs.len());
    assert!(dom.contains("cheapest"));
    eprintln!(
        "chromium checks in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn sim_report_redraws_a_sweeps_plots_from_sweep_csv_and_sweep_json() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let base = std::fs::read_to_string(scenario("quickstart.toml"))
        .unwrap()
        .replace("horizon = \"24h\"", "horizon = \"1h\"");
    assert!(
        base.contains("horizon = \"1h\""),
        "quickstart's horizon moved"
    );
    std::fs::write(dir.join("base.toml"), base).unwrap();
    std::fs::write(
        dir.join("sweep.toml"),
        "scenario = \"base.toml\"\nseeds = 2\n[parameters]\n\"arm.ec2-m5.capacity.fixed\" = [6, 12]\n",
    )
    .unwrap();
    let out = dir.join("out");
    sim()
        .arg("sweep")
        .arg(dir.join("sweep.toml"))
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .assert()
        .success();
    let copy = dir.join("copy");
    std::fs::create_dir(&copy).unwrap();
    for f in ["sweep.csv", "sweep.json"] {
        std::fs::copy(out.join(f), copy.join(f)).unwrap();
    }
    sim().arg("report").arg(&copy).assert().success();
    let mut drawn = files_ending(&out, ".svg");
    drawn.extend(files_ending(&out, ".png"));
    assert!(!drawn.is_empty());
    assert_eq!(drawn.len(), files_ending(&copy, ".svg").len() * 2);
    // The sweep's page: every plot inline, and redrawn byte for byte.
    let page =
        std::fs::read_to_string(out.join("report.html")).expect("sim sweep wrote report.html");
    assert_eq!(
        page.matches("<svg").count(),
        files_ending(&out, ".svg").len()
    );
    drawn.push("report.html".into());
    for f in &drawn {
        assert!(
            std::fs::read(out.join(f)).unwrap() == std::fs::read(copy.join(f)).unwrap(),
            "{f}: sim report drew other bytes than sim sweep"
        );
    }
    std::fs::write(copy.join("sweep.csv"), "variant\n").unwrap();
    sim()
        .arg("report")
        .arg(&copy)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("sweep"));
}
