//! Alibaba cluster-trace-v2018 `batch_task`: 9 columns, no header (schema.md §1.5): task_name,
//! instance_num, job_name, task_type, status, start_time, end_time, plan_cpu (100 = 1 core),
//! plan_mem (normalised, 0 to 100 = a whole machine). Rows are not in time order. Each instance
//! of a `Terminated` task becomes one ECS task running from `start_time` to `end_time` (the
//! task's wall time: an upper bound, as per-instance times are in `batch_instance`).

use super::input::Records;
use super::{
    Collector, ImportError, RowError, SourceTask, field, integer, non_negative, optional_number,
    seconds_to_ms,
};

const COLUMNS: usize = 9;
/// Instances per row accepted.
const MAX_INSTANCES: i64 = 10_000_000;

/// One parsed row.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    task: String,
    instances: u64,
    job: String,
    status: String,
    start_ms: Option<i64>,
    end_ms: Option<i64>,
    cpu: Option<f64>,
    memory: Option<f64>,
}

fn parse(rec: &csv::StringRecord) -> Result<Row, RowError> {
    if rec.len() != COLUMNS {
        return Err(RowError::new(
            "(row)",
            format!(
                "found {} fields; expected {COLUMNS} (task_name, instance_num, job_name, task_type, status, start_time, end_time, plan_cpu, plan_mem)",
                rec.len()
            ),
        ));
    }
    let f = |i: usize, name: &str| field(rec, i, name, COLUMNS);
    let instances = integer(f(1, "instance_num")?, "instance_num")?;
    if !(0..=MAX_INSTANCES).contains(&instances) {
        return Err(RowError::new(
            "instance_num",
            format!("found `{instances}`; expected 0 to {MAX_INSTANCES}"),
        ));
    }
    let time = |i: usize, name: &str| -> Result<Option<i64>, RowError> {
        optional_number(f(i, name)?, name)?
            .map(|s| seconds_to_ms(s, name))
            .transpose()
    };
    let request = |i: usize, name: &str| -> Result<Option<f64>, RowError> {
        let t = f(i, name)?;
        if t.is_empty() {
            return Ok(None);
        }
        non_negative(t, name).map(Some)
    };
    Ok(Row {
        task: f(0, "task_name")?.to_string(),
        instances: instances as u64,
        job: f(2, "job_name")?.to_string(),
        status: f(4, "status")?.to_string(),
        start_ms: time(5, "start_time")?,
        end_ms: time(6, "end_time")?,
        cpu: request(7, "plan_cpu")?,
        memory: request(8, "plan_mem")?,
    })
}

/// Import a v2018 `batch_task` file.
pub fn import(mut r: Records, c: &mut Collector) -> Result<(), ImportError> {
    c.assume("alibaba-2018-batch: only Terminated tasks; each of instance_num instances is one task running from start_time to end_time (an upper bound)");
    c.assume("alibaba-2018-batch: plan_cpu 100 = 1 vCPU = 1024 units; plan_mem 100 = one machine's memory; group = job_name; task_id = job_name/task_name-instance");
    while r.next(c)? {
        c.row_read();
        let row = match parse(&r.record) {
            Ok(row) => row,
            Err(e) => {
                c.bad_row(r.line, e)?;
                continue;
            }
        };
        if row.status != "Terminated" {
            c.drop_tasks(
                &format!("status {} (not Terminated)", row.status),
                row.instances,
            );
            continue;
        }
        let (Some(start_ms), Some(end_ms)) = (row.start_ms, row.end_ms) else {
            c.drop_tasks("no start or end time", row.instances);
            continue;
        };
        let (Some(cpu), Some(memory)) = (row.cpu, row.memory) else {
            c.drop_tasks("no CPU or memory request", row.instances);
            continue;
        };
        for i in 0..c.instances_kept(row.instances) {
            c.push(SourceTask {
                arrival_ms: start_ms,
                duration_ms: end_ms - start_ms,
                cpu_units: cpu / 100.0 * 1024.0,
                memory_mib: memory / 100.0 * c.scale.machine_memory_mib,
                storage_gib: None,
                task_id: format!("{}/{}-{i}", row.job, row.task),
                group: row.job.clone(),
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{rows, run};
    use super::super::{ImportFormat, ImportOptions};

    #[test]
    fn terminated_instances_become_tasks() {
        // Rows written from schema.md §1.5 (values in the style of the real table).
        let text = "M1,2,j_1,1,Terminated,157213,157322,100,0.39\n\
                    R2_1,1,j_1,1,Terminated,157100,157200,50,1.5\n\
                    M1,5,j_2,1,Running,157000,0,100,0.39\n\
                    J3_1_2,1,j_3,1,Terminated,157300,157300,100,0.39\n\
                    M4,1,j_4,1,Failed,157000,157010,,\n";
        let (s, out) = run(
            ImportFormat::Alibaba2018Batch,
            text,
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(s.rows_read, 5);
        assert_eq!(
            rows(&out),
            vec![
                // 50/100 × 1024 = 512 units; 1.5/100 × 393216 MiB = 5898.24 → 5899.
                "0.000,100.000,512,5899,j_1/R2_1-0,j_1,",
                // 0.39/100 × 393216 = 1533.5 → 1534.
                "113.000,109.000,1024,1534,j_1/M1-0,j_1,",
                "113.000,109.000,1024,1534,j_1/M1-1,j_1,",
            ]
        );
        assert_eq!(s.dropped["status Running (not Terminated)"], 5);
        assert_eq!(s.dropped["status Failed (not Terminated)"], 1);
        assert_eq!(s.dropped["zero or negative duration"], 1);
    }

    #[test]
    fn a_short_row_is_an_error_with_its_line() {
        let text = "M1,2,j_1,1,Terminated,157213,157322,100,0.39\nM1,2,j_1\n";
        let e = run(
            ImportFormat::Alibaba2018Batch,
            text,
            &ImportOptions::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("line 2: found 3 fields"), "{e}");
    }
}
