//! Issue 13 parts 2 and 6: sizes in the forms ECS accepts everywhere a size is given, slips of
//! unit caught (an error below Docker's 6 MiB, a warning below 128), and no task-definition or
//! scenario input that changes the answer silently ignored (Windows refused; the rest warned).

use crate::common::{load, sim, write};

/// One job and one Fargate arm, with the job's size lines `size`.
fn job(size: &str) -> String {
    format!(
        "horizon = \"1h\"\n[[workload.jobs]]\nname = \"etl\"\narrival = {{ poisson = {{ per_hour = 60 }} }}\nduration = \"5m\"\n{size}\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n"
    )
}

#[test]
fn sizes_take_the_forms_ecs_takes_everywhere_a_size_is_given() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(
        dir.path(),
        "td.json",
        r#"{"cpu": "0.5 vCPU", "memory": "1GB", "containerDefinitions": [{"name": "a", "memory": 512}]}"#,
    );
    let s = load(
        dir.path(),
        concat!(
            "horizon = \"1h\"\n",
            "[[instance_type]]\nname = \"big.box\"\nvcpu = 8\nmemory_mib = \"32 GB\"\nregistered_memory_mib = \"31GiB\"\nmax_enis = 4\nprice_per_hour = 1.0\n",
            "[[workload.jobs]]\nname = \"a\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = \"0.25 vCPU\"\nmemory = \"2 GB\"\n",
            "[[workload.jobs]]\nname = \"b\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = \"1024\"\nmemory = \"2048\"\n",
            "[[workload.jobs]]\nname = \"c\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ntask_definition = \"td.json\"\n",
            "[[workload.services]]\nname = \"web\"\ncpu = \"1 vCPU\"\nmemory = \"0.5 GiB\"\ndesired = 1\n",
            "[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"big.box\"]\ncapacity = { fixed = 1 }\nreserved_memory_mib = \"0.25 GB\"\n",
        ),
    );
    let sizes: Vec<(u32, u32)> = s
        .workload
        .jobs
        .iter()
        .map(|j| (j.cpu_units, j.memory_mib))
        .collect();
    assert_eq!(sizes, vec![(256, 2048), (1024, 2048), (512, 1024)]);
    let web = &s.workload.services[0];
    assert_eq!((web.cpu_units, web.memory_mib), (1024, 512));
    let t = s.catalog.get("big.box").expect("the added type");
    assert_eq!(
        (t.memory_mib, t.registered_memory_mib),
        (32 * 1024, 31 * 1024)
    );
    match &s.arms[0].kind {
        sim::scenario::ArmKind::Ec2(e) => assert_eq!(e.reserved_memory_mib, 256),
        other => panic!("expected an EC2 arm, got {other:?}"),
    }
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn a_small_plain_number_warns_with_the_likely_intent() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let s = load(dir.path(), &job("cpu = 1\nmemory = 64"));
    assert_eq!(
        s.warnings,
        vec![
            "`workload.jobs.cpu` = 1 (job `etl`): did you mean \"1 vCPU\" (1024 CPU units)? A plain number is CPU units (1 vCPU = 1024)",
            "`workload.jobs.memory` = 64 (job `etl`): did you mean \"64 GB\" (65536 MiB)? A plain number is MiB",
        ]
    );
    // The CLI prints them.
    let p = write(dir.path(), "s.toml", &job("cpu = 1024\nmemory = 16"));
    let out = sim().arg("validate").arg(&p).output().expect("sim runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "warning: `workload.jobs.memory` = 16 (job `etl`): did you mean \"16 GB\" (16384 MiB)?"
        ),
        "{text}"
    );
    // An instance type's memory too; a unit written out never warns.
    let s = load(
        dir.path(),
        &job(
            "cpu = \"0.125 vCPU\"\nmemory = \"0.125 GB\"\n[[instance_type]]\nname = \"m5.large\"\nmemory_mib = 8",
        ),
    );
    assert_eq!(
        s.warnings,
        vec![
            "`instance_type.memory_mib` = 8 (instance type `m5.large`): did you mean \"8 GB\" (8192 MiB)? A plain number is MiB"
        ]
    );
}

#[test]
fn memory_below_the_docker_minimum_is_refused_with_the_likely_intent() {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (size, at) in [
        ("cpu = 1024\nmemory = 2", "s.toml:7:10"),
        ("cpu = 1024\nmemory = \"5\"", "s.toml:7:10"),
    ] {
        let p = write(dir.path(), "s.toml", &job(size));
        let out = sim().arg("validate").arg(&p).output().expect("sim runs");
        assert_eq!(out.status.code(), Some(2), "{size}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(at), "{err}");
        assert!(
            err.contains("`workload.jobs.memory`: found")
                && err.contains("expected at least 6 MiB, the least memory Docker gives a container (docs/reference/ecs-facts.md §2.2); did you mean"),
            "{err}"
        );
    }
}

#[test]
fn a_windows_task_definition_on_a_linux_arm_is_refused_not_priced_as_linux() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(
        dir.path(),
        "win.json",
        r#"{"family": "iis", "cpu": "1 vCPU", "memory": "2 GB",
            "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE", "cpuArchitecture": "X86_64"},
            "containerDefinitions": [{"name": "iis", "image": "mcr.microsoft.com/windows/servercore/iis"}]}"#,
    );
    let p = write(
        dir.path(),
        "s.toml",
        &job("task_definition = \"win.json\"\nmax_tasks = 10"),
    );
    let out = sim()
        .arg("run")
        .arg(&p)
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg("--quiet")
        .output()
        .expect("sim runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    // Issue 15 models Windows: the task definition now makes the job Windows, and a Linux arm
    // cannot run it (docs/model.md §19).
    for part in [
        "s.toml:9:8",
        "arm `fargate` is linux",
        "job `etl` is windows",
        "expected `os = \"windows\"`",
    ] {
        assert!(err.contains(part), "{part}: {err}");
    }
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_task_definition_an_arm_could_not_run_or_with_unmodelled_fields_warns() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(
        dir.path(),
        "td.json",
        r#"{"requiresCompatibilities": ["EC2"], "ipcMode": "host", "memroy": "1 GB",
            "containerDefinitions": [{"name": "a", "cpu": 256, "memory": 512, "essential": true,
              "healthCheck": {"command": ["CMD-SHELL", "true"]}}]}"#,
    );
    let s = load(dir.path(), &job("task_definition = \"td.json\""));
    assert_eq!(
        s.warnings,
        vec![
            "`workload.jobs.task_definition`: td.json: `memroy` is not a field of an ECS task definition; ignored (a typo?)",
            "`workload.jobs.task_definition`: td.json: `containerDefinitions[0].healthCheck` is not modelled: a service task counts as healthy 40 s after it is RUNNING, as without health checks (docs/model.md §16.4)",
            "arm `fargate`: the task definition of job `etl` has requiresCompatibilities [EC2], without FARGATE, so ECS would not run it on this arm; sim runs it as if it were compatible",
            "arm `fargate`: the task definition of job `etl` has no task-level `cpu` and `memory`, which Fargate requires (docs/reference/ecs-facts.md §1.1); sim rounds the container sum up to a Fargate size",
        ]
    );
}

#[test]
fn a_sweep_may_set_sizes_with_units() {
    let dir = tempfile::tempdir().expect("temporary folder");
    // Fixed arrivals, durations and start latency, so the variants differ only by their size (the sweep draws
    // each variant's seed apart).
    write(
        dir.path(),
        "base.toml",
        &(job("cpu = 1024\nmemory = 2048").replace(
            "{ poisson = { per_hour = 60 } }",
            "{ fixed_interval = \"1m\" }",
        ) + "task_start_latency = \"45s\"\n"),
    );
    write(
        dir.path(),
        "sw.toml",
        "scenario = \"base.toml\"\nseeds = 1\n[parameters]\n\"workload.jobs.etl.memory\" = [\"2 GB\", 2048, \"4GiB\"]\n\"workload.jobs.etl.cpu\" = [\"1 vCPU\"]\n",
    );
    sim()
        .args(["sweep", "sw.toml", "--out", "out", "--quiet", "--no-plots"])
        .current_dir(dir.path())
        .assert()
        .success();
    let csv = std::fs::read_to_string(dir.path().join("out/sweep.csv")).expect("sweep.csv");
    let header: Vec<&str> = csv.lines().next().expect("header").split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "cost_usd_mean")
        .expect("cost_usd_mean");
    let cost: Vec<f64> = csv
        .lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .nth(col)
                .expect("cell")
                .parse()
                .expect("a number")
        })
        .collect();
    assert_eq!(cost.len(), 3);
    assert_eq!(cost[0], cost[1], "\"2 GB\" is 2048 MiB");
    assert!(cost[2] > cost[0], "4 GiB costs more on Fargate: {cost:?}");
}
