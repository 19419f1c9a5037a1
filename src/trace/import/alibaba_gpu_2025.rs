//! Alibaba cluster-trace-gpu-v2025 `disaggregated_DLRM_trace.csv`: long-running DLRM inference
//! instances, with a header, absolute requests (vCPUs, GiB), times in seconds from the trace
//! start. Arrival is `creation_time` (empty: running before the trace, so 0); duration is
//! `deletion_time − creation_time`, and an empty `deletion_time` (alive at the end) runs to the
//! trace end, the latest time in the file (censored). Those instances are held in memory until
//! the end (one entry per instance alive at the trace end). `HN` instances need a GPU: group
//! `gpu` (dropped with `--cpu-only`); `CN` instances are grouped by `app_name`.

use super::input::Records;
use super::{
    Collector, ImportError, RowError, SourceTask, field, header_columns, non_negative,
    optional_number, seconds_to_ms,
};

const WANTED: [&str; 7] = [
    "instance_sn",
    "role",
    "app_name",
    "cpu_request",
    "gpu_request",
    "memory_request",
    "disk_request",
];
const TIMES: [&str; 2] = ["creation_time", "deletion_time"];

/// Import the DLRM instance list.
pub fn import(mut r: Records, c: &mut Collector) -> Result<(), ImportError> {
    c.assume("alibaba-gpu-2025: arrival = creation_time (empty: 0, running before the trace); duration = deletion_time − creation_time; empty deletion_time runs to the trace end (the latest time in the file: censored)");
    c.assume("alibaba-gpu-2025: cpu_request vCPUs × 1024 units; memory_request GiB × 1024 MiB; disk_request GiB as storage_gib; HN (GPU) instances in group `gpu` (dropped with --cpu-only), CN instances grouped by app_name");
    if !r.next(c)? {
        return Err(c.bad_header("the file is empty; expected a header row".to_string()));
    }
    let [sn, role, app, cpu, gpu, mem, disk] = header_columns(c, &r.record, WANTED)?;
    let [created, deleted] = header_columns(c, &r.record, TIMES)?;
    let width = r.record.len();
    let mut end_ms: i64 = 0;
    let mut alive_at_end: Vec<SourceTask> = Vec::new();
    while r.next(c)? {
        c.row_read();
        let rec = &r.record;
        let parsed = (|| -> Result<(SourceTask, Option<i64>), RowError> {
            if rec.len() != width {
                return Err(RowError::new(
                    "(row)",
                    format!(
                        "found {} fields; expected {width}, one per header column",
                        rec.len()
                    ),
                ));
            }
            let f = |i: usize, n: &str| field(rec, i, n, width);
            let role = f(role, "role")?;
            let needs_gpu =
                role == "HN" || non_negative(f(gpu, "gpu_request")?, "gpu_request")? > 0.0;
            let time = |i: usize, n: &str| -> Result<Option<i64>, RowError> {
                optional_number(f(i, n)?, n)?
                    .map(|s| seconds_to_ms(s, n))
                    .transpose()
            };
            let created = time(created, "creation_time")?.unwrap_or(0);
            let deleted = time(deleted, "deletion_time")?;
            let disk = f(disk, "disk_request")?;
            let storage_gib = if disk.is_empty() {
                None
            } else {
                Some(non_negative(disk, "disk_request")?)
            };
            Ok((
                SourceTask {
                    arrival_ms: created,
                    duration_ms: deleted.map_or(0, |d| d - created),
                    cpu_units: non_negative(f(cpu, "cpu_request")?, "cpu_request")? * 1024.0,
                    memory_mib: non_negative(f(mem, "memory_request")?, "memory_request")? * 1024.0,
                    storage_gib,
                    task_id: f(sn, "instance_sn")?.to_string(),
                    group: if needs_gpu {
                        "gpu".to_string()
                    } else {
                        f(app, "app_name")?.to_string()
                    },
                },
                deleted,
            ))
        })();
        match parsed {
            Err(e) => c.bad_row(r.line, e)?,
            Ok((t, _)) if t.group == "gpu" && c.options().cpu_only => {
                c.drop_tasks("needs a GPU (--cpu-only)", 1);
            }
            Ok((t, deleted)) => {
                end_ms = end_ms.max(t.arrival_ms).max(deleted.unwrap_or(0));
                match deleted {
                    Some(_) => c.push(t)?,
                    None => alive_at_end.push(t),
                }
            }
        }
    }
    for mut t in alive_at_end {
        t.duration_ms = end_ms - t.arrival_ms;
        if t.duration_ms > 0 {
            c.adjust("alive at the trace end: censored there");
        }
        c.push(t)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{rows, run};
    use super::super::{ImportFormat, ImportOptions};

    const TEXT: &str = "instance_sn,role,app_name,cpu_request,cpu_limit,gpu_request,gpu_limit,rdma_request,rdma_limit,memory_request,memory_limit,disk_request,disk_limit,max_instance_per_node,creation_time,scheduled_time,deletion_time\n\
        instance_0,HN,app_0,12,12,1,1,25,25,120.0,120.0,640.0,800.0,8,,,\n\
        instance_1,CN,app_1,8,8,0,0,0,0,40.0,40.0,50.0,60.0,-1,,,75\n\
        instance_2,CN,app_1,8,8,0,0,0,0,40.5,40.5,,,-1,475.0,480.0,1000.0\n\
        instance_3,CN,app_2,64,64,0,0,0,0,320.0,320.0,100,100,-1,2000,2001,\n";

    #[test]
    fn instances_run_until_deleted_or_the_trace_end() {
        let (s, out) = run(
            ImportFormat::AlibabaGpu2025,
            TEXT,
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(s.rows_read, 4);
        assert_eq!(
            rows(&out),
            vec![
                // Deleted at 75 s, existed before the trace: 0 → 75 s; 8 vCPU = 8192 units,
                // 40 GiB = 40960 MiB.
                "0.000,75.000,8192,40960,instance_1,app_1,50",
                // No times at all: alive from 0 to the trace end (2000 s, the latest time).
                "0.000,2000.000,12288,122880,instance_0,gpu,640",
                "475.000,525.000,8192,41472,instance_2,app_1,",
                // Created at the latest time in the file: zero duration, dropped.
            ]
        );
        assert_eq!(s.dropped["zero or negative duration"], 1);
        assert_eq!(s.adjusted["alive at the trace end: censored there"], 1);
    }

    #[test]
    fn cpu_only_drops_gpu_instances() {
        let o = ImportOptions {
            cpu_only: true,
            ..ImportOptions::default()
        };
        let (s, out) = run(ImportFormat::AlibabaGpu2025, TEXT, &o).unwrap();
        assert_eq!(rows(&out).len(), 2);
        assert_eq!(s.dropped["needs a GPU (--cpu-only)"], 1);
    }
}
