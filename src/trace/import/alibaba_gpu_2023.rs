//! Alibaba cluster-trace-gpu-v2023 ("openb") pod list: one row per pod with a header (name,
//! cpu_milli, memory_mib, num_gpu, gpu_milli, gpu_spec, qos, pod_phase, creation_time,
//! deletion_time, scheduled_time), absolute requests, times in seconds. Arrival is
//! `creation_time`, duration `deletion_time − scheduled_time`; `Pending` pods never ran and are
//! dropped; `Running` pods end at the trace end (censored). Pods that need a GPU go to group
//! `gpu` (an EC2 arm can constrain them; Fargate has no GPUs) or are dropped with `--cpu-only`;
//! the others go to group `cpu`.

use super::input::Records;
use super::{
    Collector, ImportError, RowError, SourceTask, field, header_columns, non_negative,
    optional_number, seconds_to_ms,
};

const WANTED: [&str; 8] = [
    "name",
    "cpu_milli",
    "memory_mib",
    "num_gpu",
    "gpu_milli",
    "pod_phase",
    "creation_time",
    "deletion_time",
];
const SCHEDULED: &str = "scheduled_time";

/// Import an `openb_pod_list_*.csv` file.
pub fn import(mut r: Records, c: &mut Collector) -> Result<(), ImportError> {
    c.assume("alibaba-gpu-2023: arrival = creation_time, duration = deletion_time − scheduled_time; Pending pods dropped; Running pods censored at their deletion_time (the trace end)");
    c.assume("alibaba-gpu-2023: cpu_milli 1000 = 1 vCPU = 1024 units; memory_mib as is; GPU pods in group `gpu` (dropped with --cpu-only), the others in group `cpu`");
    if !r.next(c)? {
        return Err(c.bad_header("the file is empty; expected a header row".to_string()));
    }
    let [name, cpu, mem, gpus, gpu_milli, phase, created, deleted] =
        header_columns(c, &r.record, WANTED)?;
    let [scheduled] = header_columns(c, &r.record, [SCHEDULED])?;
    let width = r.record.len();
    while r.next(c)? {
        c.row_read();
        let rec = &r.record;
        let parsed = (|| -> Result<Option<SourceTask>, RowError> {
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
            let phase = f(phase, "pod_phase")?;
            let needs_gpu = non_negative(f(gpus, "num_gpu")?, "num_gpu")? > 0.0
                || non_negative(f(gpu_milli, "gpu_milli")?, "gpu_milli")? > 0.0;
            let cpu_milli = non_negative(f(cpu, "cpu_milli")?, "cpu_milli")?;
            let memory = non_negative(f(mem, "memory_mib")?, "memory_mib")?;
            let time = |i: usize, n: &str| -> Result<Option<i64>, RowError> {
                optional_number(f(i, n)?, n)?
                    .map(|s| seconds_to_ms(s, n))
                    .transpose()
            };
            let created = time(created, "creation_time")?;
            let deleted = time(deleted, "deletion_time")?;
            let scheduled = time(scheduled, SCHEDULED)?;
            let (Some(created), Some(deleted), Some(scheduled)) = (created, deleted, scheduled)
            else {
                return Ok(None);
            };
            if phase == "Pending" {
                return Ok(None);
            }
            Ok(Some(SourceTask {
                arrival_ms: created,
                duration_ms: deleted - scheduled,
                cpu_units: cpu_milli * 1024.0 / 1000.0,
                memory_mib: memory,
                storage_gib: None,
                task_id: f(name, "name")?.to_string(),
                group: if needs_gpu { "gpu" } else { "cpu" }.to_string(),
            }))
        })();
        match parsed {
            Err(e) => c.bad_row(r.line, e)?,
            Ok(None) => c.drop_tasks("never scheduled (Pending, or no scheduled_time)", 1),
            Ok(Some(t)) if t.group == "gpu" && c.options().cpu_only => {
                c.drop_tasks("needs a GPU (--cpu-only)", 1);
            }
            Ok(Some(t)) => {
                if rec.get(phase).map(str::trim) == Some("Running") {
                    c.adjust("Running at the trace end: censored at deletion_time");
                }
                c.push(t)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{rows, run};
    use super::super::{ImportFormat, ImportOptions};

    const TEXT: &str = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n\
        openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0\n\
        openb-pod-0001,3152,12288,0,0,,BE,Succeeded,100,800,110\n\
        openb-pod-0002,6000,12288,1,460,V100|A10,LS,Failed,200,300,250\n\
        openb-pod-0003,1000,1024,0,0,,BE,Pending,300,900,\n";

    #[test]
    fn pods_become_tasks_with_gpu_pods_in_their_own_group() {
        let (s, out) = run(
            ImportFormat::AlibabaGpu2023,
            TEXT,
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(s.rows_read, 4);
        assert_eq!(
            rows(&out),
            vec![
                // 12000 milli × 1024 / 1000 = 12288 units.
                "0.000,12537496.000,12288,16384,openb-pod-0000,gpu,",
                // 3152 milli → 3227.6 → 3228 units (SOURCE.md's example); 800 − 110 = 690 s.
                "100.000,690.000,3228,12288,openb-pod-0001,cpu,",
                "200.000,50.000,6144,12288,openb-pod-0002,gpu,",
            ]
        );
        assert_eq!(
            s.dropped["never scheduled (Pending, or no scheduled_time)"],
            1
        );
        assert_eq!(
            s.adjusted["Running at the trace end: censored at deletion_time"],
            1
        );
    }

    #[test]
    fn cpu_only_drops_gpu_pods() {
        let o = ImportOptions {
            cpu_only: true,
            ..ImportOptions::default()
        };
        let (s, out) = run(ImportFormat::AlibabaGpu2023, TEXT, &o).unwrap();
        assert_eq!(
            rows(&out),
            vec!["0.000,690.000,3228,12288,openb-pod-0001,cpu,"]
        );
        assert_eq!(s.dropped["needs a GPU (--cpu-only)"], 2);
    }

    #[test]
    fn a_missing_column_is_a_header_error() {
        let e = run(
            ImportFormat::AlibabaGpu2023,
            "name,cpu_milli\nx,1\n",
            &ImportOptions::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("line 1 (header): missing column `memory_mib`"),
            "{e}"
        );
    }
}
