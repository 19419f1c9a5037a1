//! Sharded sweeps on a real Slurm cluster (issue 6, part 6): a one-node cluster on 127.0.0.1
//! (the recipe of `docs/reference/toolchain.md` §6) runs the shipped example sweep as an
//! array job with the shipped job file `scenarios/slurm/sweep.sbatch`; `sim merge` of the
//! shards must equal a local `sim sweep` byte for byte.
//!
//! Skipped, with the reason printed, where Slurm is not installed (`.ci/run` installs it when it
//! runs as root with apt) or the test does not run as root. Everything runs in a private
//! temporary folder: its own munged (own socket), slurmctld and slurmd on free ports, so a
//! system cluster or a concurrent run is not disturbed. Every daemon started is stopped by pid,
//! also when the test fails (a guard's `Drop`).

#![allow(clippy::print_stderr)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{root, sim};

/// The example sweep submitted (90 runs), and the number of array tasks.
const SWEEP: &str = "scenarios/breakeven-sweep.toml";
const SHARDS: u32 = 3;

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| {
        std::env::split_paths(&p).any(|d| d.join(name).is_file())
            || ["/usr/sbin", "/sbin"]
                .iter()
                .any(|d| Path::new(d).join(name).is_file())
    })
}

fn program(name: &str) -> PathBuf {
    for d in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .chain(["/usr/sbin".into(), "/sbin".into()])
    {
        if d.join(name).is_file() {
            return d.join(name);
        }
    }
    PathBuf::from(name)
}

/// Why the test cannot run here, if it cannot.
fn skip_reason() -> Option<String> {
    let missing: Vec<&str> = ["sbatch", "sinfo", "slurmctld", "slurmd", "munged", "munge"]
        .into_iter()
        .filter(|p| !on_path(p))
        .collect();
    if !missing.is_empty() {
        return Some(format!(
            "Slurm is not installed ({} not found); `.ci/run` installs it as root: apt-get install slurmctld slurmd slurm-client munge",
            missing.join(", ")
        ));
    }
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("not root: the one-node cluster's daemons run as root".into());
    }
    if std::fs::metadata("/etc/munge/munge.key").is_err() {
        return Some("/etc/munge/munge.key is missing (the munge package creates it)".into());
    }
    None
}

/// A free TCP port on 127.0.0.1 (free when asked; the daemons bind it a moment later).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

/// The daemons started, by pid file; stopped (SIGTERM, then SIGKILL) on drop.
struct Daemons {
    pid_files: Vec<PathBuf>,
    logs: Vec<PathBuf>,
    ok: bool,
}

fn alive(pid: &str) -> bool {
    // A zombie (exited, not yet reaped by init) counts as stopped.
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        s.rsplit(')')
            .next()
            .is_some_and(|r| !r.trim_start().starts_with('Z'))
    })
}

impl Drop for Daemons {
    fn drop(&mut self) {
        if !self.ok {
            for log in &self.logs {
                if let Ok(text) = std::fs::read_to_string(log) {
                    let tail: Vec<&str> = text.lines().rev().take(30).collect();
                    eprintln!("--- {} (last lines)", log.display());
                    for l in tail.into_iter().rev() {
                        eprintln!("{l}");
                    }
                }
            }
        }
        // slurmd, then slurmctld, then munged: the reverse of the start.
        for f in self.pid_files.iter().rev() {
            let Ok(pid) = std::fs::read_to_string(f) else {
                continue;
            };
            let pid = pid.trim().to_string();
            if pid.is_empty() || pid.parse::<u32>().is_err() {
                continue;
            }
            let _ = Command::new("kill").args(["-TERM", &pid]).status();
            let t = Instant::now();
            while alive(&pid) && t.elapsed() < Duration::from_secs(10) {
                std::thread::sleep(Duration::from_millis(50));
            }
            if alive(&pid) {
                let _ = Command::new("kill").args(["-KILL", &pid]).status();
            }
            eprintln!("slurm test: stopped {} (pid {pid})", f.display());
        }
    }
}

fn run_ok(cmd: &mut Command, what: &str) {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what}: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn slurm_conf(s: &Path, host: &str, munge_socket: &Path) -> String {
    let (ctld, d) = (free_port(), free_port());
    let p = |name: &str| s.join(name).display().to_string();
    format!(
        "ClusterName=simtest
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld}
SlurmdPort={d}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={sock}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
StateSaveLocation={state}
SlurmdSpoolDir={spool}
SlurmctldPidFile={ctld_pid}
SlurmdPidFile={d_pid}
SlurmctldLogFile={ctld_log}
SlurmdLogFile={d_log}
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
NodeName={host} NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=simtest Nodes=ALL Default=YES MaxTime=INFINITE State=UP
",
        sock = munge_socket.display(),
        state = p("state"),
        spool = p("spool"),
        ctld_pid = p("slurmctld.pid"),
        d_pid = p("slurmd.pid"),
        ctld_log = p("log/slurmctld.log"),
        d_log = p("log/slurmd.log"),
    )
}

#[test]
fn a_sweep_sharded_over_a_slurm_array_job_merges_to_the_local_sweep() {
    if let Some(why) = skip_reason() {
        eprintln!("slurm test skipped: {why}");
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let s = tmp.path().to_path_buf();
    // munged (running as the munge user) must reach its socket folder.
    std::fs::set_permissions(&s, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    for d in ["state", "spool", "log", "work", "munge"] {
        std::fs::create_dir_all(s.join(d)).unwrap();
    }
    let mut daemons = Daemons {
        pid_files: Vec::new(),
        logs: vec![s.join("log/slurmctld.log"), s.join("log/slurmd.log")],
        ok: false,
    };

    // munged: a private one on its own socket, with the system's key.
    let m = s.join("munge");
    run_ok(
        Command::new("chown").arg("munge:munge").arg(&m),
        "chown munge",
    );
    daemons.pid_files.push(m.join("munged.pid"));
    daemons.logs.push(m.join("munged.log"));
    run_ok(
        Command::new("runuser")
            .args(["-u", "munge", "--"])
            .arg(program("munged"))
            .arg(format!("--socket={}", m.join("socket").display()))
            .arg(format!("--pid-file={}", m.join("munged.pid").display()))
            .arg(format!("--log-file={}", m.join("munged.log").display()))
            .arg(format!("--seed-file={}", m.join("munged.seed").display())),
        "start munged",
    );

    let host = Command::new("hostname").arg("-s").output().unwrap();
    let host = String::from_utf8_lossy(&host.stdout).trim().to_string();
    let conf = s.join("slurm.conf");
    std::fs::write(&conf, slurm_conf(&s, &host, &m.join("socket"))).unwrap();
    daemons.pid_files.push(s.join("slurmctld.pid"));
    run_ok(
        Command::new(program("slurmctld")).arg("-f").arg(&conf),
        "start slurmctld",
    );
    daemons.pid_files.push(s.join("slurmd.pid"));
    run_ok(
        Command::new(program("slurmd")).arg("-f").arg(&conf),
        "start slurmd",
    );
    let slurm = |name: &str| {
        let mut c = Command::new(name);
        c.env("SLURM_CONF", &conf);
        c
    };

    // Wait for the node to be idle.
    let t = Instant::now();
    loop {
        let out = slurm("sinfo").args(["-h", "-o", "%T"]).output().unwrap();
        // `idle`, not `idle*` (not responding) nor `idle~`.
        if String::from_utf8_lossy(&out.stdout).trim() == "idle" {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "the node is not idle after 60 s: sinfo says {:?} {:?}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    let up = started.elapsed();

    // The array job, with the shipped job file, waited for (with a time limit of our own).
    let work = s.join("work");
    let sim_bin = PathBuf::from(env!("CARGO_BIN_EXE_sim"));
    let mut job = slurm("sbatch")
        .arg("--wait")
        .arg(format!("--array=0-{}", SHARDS - 1))
        .arg(format!("--chdir={}", work.display()))
        .arg(format!("--output={}/slurm-%A_%a.out", work.display()))
        .arg(root().join("scenarios/slurm/sweep.sbatch"))
        .env("SIM", &sim_bin)
        .env("SWEEP", root().join(SWEEP))
        .env("OUT", work.join("shards"))
        .current_dir(&work)
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let t = Instant::now();
    let status = loop {
        if let Some(st) = job.try_wait().unwrap() {
            break st;
        }
        if t.elapsed() > Duration::from_secs(600) {
            let _ = job.kill();
            let _ = slurm("scancel").arg("--user=root").status();
            panic!("the array job did not finish in 600 s");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let job_time = t.elapsed();
    for i in 0..SHARDS {
        for f in std::fs::read_dir(&work).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            if name.starts_with("slurm-") && name.ends_with(&format!("_{i}.out")) {
                daemons.logs.push(f.path());
            }
        }
    }
    assert!(status.success(), "sbatch --wait: {status}");

    let shards: Vec<PathBuf> = (0..SHARDS)
        .map(|i| work.join(format!("shards/{i}")))
        .collect();
    sim()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(work.join("merged"))
        .assert()
        .success();
    sim()
        .arg("sweep")
        .arg(root().join(SWEEP))
        .arg("--out")
        .arg(work.join("local"))
        .arg("--quiet")
        .assert()
        .success();
    for f in ["runs.csv", "sweep.csv"] {
        let merged = std::fs::read(work.join("merged").join(f)).unwrap();
        let local = std::fs::read(work.join("local").join(f)).unwrap();
        assert!(merged == local, "merged {f} differs from the local sweep's");
    }
    daemons.ok = true;
    eprintln!(
        "slurm test: cluster up in {:.1}s, array job of {SHARDS} shards in {:.1}s, all in {:.1}s",
        up.as_secs_f64(),
        job_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
