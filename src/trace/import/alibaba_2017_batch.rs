//! Alibaba cluster-trace-v2017 `batch_task`: one row per task (a group of `instance_num`
//! identical instances), rows grouped by job, not by time. Header optional (the official file
//! has none; the shipped copy adds one with stray spaces). Each instance of a `Terminated` task
//! becomes one ECS task that runs for the whole task's wall time (`task_end_time −
//! task_create_time`: an upper bound, as per-instance times are in `batch_instance`). CPU
//! `plan_cpu` 100 = 1 core; memory `plan_mem` is a fraction of a machine's memory.

use super::input::Records;
use super::{
    Collector, ImportError, RowError, SourceTask, field, integer, non_negative, number,
    optional_number, seconds_to_ms,
};

const COLUMNS: usize = 8;
/// Instances per row accepted (the real trace has at most tens of thousands).
const MAX_INSTANCES: i64 = 10_000_000;

/// One parsed row.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    create_ms: i64,
    end_ms: Option<i64>,
    job: String,
    task: String,
    instances: u64,
    status: String,
    cpu: Option<f64>,
    memory: Option<f64>,
}

fn parse(rec: &csv::StringRecord) -> Result<Row, RowError> {
    if rec.len() != COLUMNS {
        return Err(RowError::new(
            "(row)",
            format!("found {} fields; expected {COLUMNS}", rec.len()),
        ));
    }
    let f = |i: usize, name: &str| field(rec, i, name, COLUMNS);
    let instances = integer(f(4, "instance_num")?, "instance_num")?;
    if !(0..=MAX_INSTANCES).contains(&instances) {
        return Err(RowError::new(
            "instance_num",
            format!("found `{instances}`; expected 0 to {MAX_INSTANCES}"),
        ));
    }
    let request = |i: usize, name: &str| -> Result<Option<f64>, RowError> {
        let v = optional_number(f(i, name)?, name)?;
        if let Some(x) = v {
            non_negative(&x.to_string(), name)?;
        }
        Ok(v)
    };
    Ok(Row {
        create_ms: seconds_to_ms(
            number(f(0, "create_timestamp")?, "create_timestamp")?,
            "create_timestamp",
        )?,
        end_ms: optional_number(f(1, "modify_timestamp")?, "modify_timestamp")?
            .map(|s| seconds_to_ms(s, "modify_timestamp"))
            .transpose()?,
        job: f(2, "job_id")?.to_string(),
        task: f(3, "task_id")?.to_string(),
        instances: instances as u64,
        status: f(5, "status")?.to_string(),
        cpu: request(6, "plan_cpu")?,
        memory: request(7, "plan_mem")?,
    })
}

/// Import a `batch_task` file.
pub fn import(mut r: Records, c: &mut Collector) -> Result<(), ImportError> {
    c.assume("alibaba-2017-batch: only Terminated tasks; each of instance_num instances is one task running for the task's whole wall time (task_end_time − task_create_time, an upper bound)");
    c.assume("alibaba-2017-batch: plan_cpu 100 = 1 vCPU = 1024 units; group = job_id; task_id = task_id-instance");
    let mut first = true;
    while r.next(c)? {
        if std::mem::take(&mut first)
            && r.record
                .get(0)
                .is_some_and(|s| s.trim().parse::<f64>().is_err())
        {
            if r.record.len() != COLUMNS {
                return Err(c.bad_header(format!(
                    "found {} columns; expected {COLUMNS} (task_create_time, task_end_time, job_id, task_id, instance_num, status, plan_cpu, plan_mem) or no header",
                    r.record.len()
                )));
            }
            continue;
        }
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
        let Some(end_ms) = row.end_ms else {
            c.drop_tasks("no end time", row.instances);
            continue;
        };
        let (Some(cpu), Some(memory)) = (row.cpu, row.memory) else {
            c.drop_tasks("no CPU or memory request", row.instances);
            continue;
        };
        for i in 0..c.instances_kept(row.instances) {
            c.push(SourceTask {
                arrival_ms: row.create_ms,
                duration_ms: end_ms - row.create_ms,
                cpu_units: cpu / 100.0 * 1024.0,
                memory_mib: memory * c.scale.machine_memory_mib,
                storage_gib: None,
                task_id: format!("{}-{i}", row.task),
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

    const HEADER: &str = "task_create_time, task_end_time, job_id, task_id,number_of_instances, status, number_of_cpus_requested_per_instance_in_the_task,normalized_memory_requested_per_instance_in_the_task\r\n";

    #[test]
    fn instances_become_tasks_sorted_by_creation() {
        let text = HEADER.to_string()
            + "6459,6524,3,4,2,Terminated,50,0.007956928\r\n"
            + "6457,6533,3,5,1,Terminated,100,0.016\r\n"
            + "6000,,3,6,7,Waiting,,\r\n"
            + "-1078,100,4,7,1,Terminated,40,0.004395206\r\n"
            + "7000,7100,5,8,3,Terminated,,\r\n";
        let (s, out) = run(
            ImportFormat::Alibaba2017Batch,
            &text,
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(s.rows_read, 5);
        assert_eq!(
            rows(&out),
            vec![
                // -1078 s is the earliest creation: 0. 40/100 × 1024 = 409.6 → 410 units;
                // 0.004395206 × 262144 MiB = 1152.17 → 1153.
                "0.000,1178.000,410,1153,7-0,4,",
                "7535.000,76.000,1024,4195,5-0,3,",
                "7537.000,65.000,512,2086,4-0,3,",
                "7537.000,65.000,512,2086,4-1,3,",
            ]
        );
        assert_eq!(s.dropped["status Waiting (not Terminated)"], 7);
        assert_eq!(s.dropped["no CPU or memory request"], 3);
    }

    #[test]
    fn the_official_file_has_no_header_and_bad_rows_name_their_line() {
        let text = "6459,6524,3,4,1,Terminated,50,0.0079\n6457,6533,3,5,x,Terminated,100,0.016\n";
        let e = run(
            ImportFormat::Alibaba2017Batch,
            text,
            &ImportOptions::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("line 2, column `instance_num`: found `x`; expected an integer"),
            "{e}"
        );
        let o = ImportOptions {
            skip_bad_rows: true,
            machine_memory_mib: Some(100_000.0),
            ..ImportOptions::default()
        };
        let (s, out) = run(ImportFormat::Alibaba2017Batch, text, &o).unwrap();
        assert_eq!((s.rows_read, s.bad_rows, s.tasks_written), (2, 1, 1));
        assert_eq!(rows(&out), vec!["0.000,65.000,512,790,4-0,3,"]);
    }

    #[test]
    fn a_stray_quote_spoils_one_row_not_the_rest_of_the_file() {
        // Quotes are not CSV quoting in these traces: a `"` is just a bad character.
        let text = "6459,6524,3,4,1,Terminated,50,0.0079\n5,10,1,4,\"2,Terminated,50,0.01\n6460,6525,3,6,1,Terminated,50,0.0079\n";
        let o = ImportOptions {
            skip_bad_rows: true,
            machine_memory_mib: Some(100_000.0),
            ..ImportOptions::default()
        };
        let (s, _) = run(ImportFormat::Alibaba2017Batch, text, &o).unwrap();
        assert_eq!((s.rows_read, s.bad_rows, s.tasks_written), (3, 1, 2));
    }
}
