//! Alibaba cluster-trace-v2018 `container_meta`: 8 columns, no header (schema.md §1.3):
//! container_id, machine_id, time_stamp (s), app_du, status, cpu_request (100 = 1 core),
//! cpu_limit, mem_size (normalised, 0 to 100 = a whole machine). A container has several rows
//! (one per recorded state). The table records no deletion, and its status values are not
//! documented, so each container is replayed as a long-running task from its first row to the
//! end of the trace (the last time_stamp in the file: censored), with the requests of its
//! latest row and `group` = app_du. Memory holds one entry per container (about 71,000 in the
//! full trace), not one per row.

use std::collections::HashMap;

use super::input::Records;
use super::{
    Collector, ImportError, RowError, SourceTask, field, non_negative, number, seconds_to_ms,
};

const COLUMNS: usize = 8;

/// What is kept per container.
#[derive(Debug, Clone)]
struct Container {
    order: u64,
    first_ms: i64,
    app: String,
    cpu: f64,
    memory: f64,
}

/// One parsed row.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    id: String,
    time_ms: i64,
    app: String,
    cpu: f64,
    memory: f64,
}

fn parse(rec: &csv::StringRecord) -> Result<Row, RowError> {
    if rec.len() != COLUMNS {
        return Err(RowError::new(
            "(row)",
            format!(
                "found {} fields; expected {COLUMNS} (container_id, machine_id, time_stamp, app_du, status, cpu_request, cpu_limit, mem_size)",
                rec.len()
            ),
        ));
    }
    let f = |i: usize, name: &str| field(rec, i, name, COLUMNS);
    let id = f(0, "container_id")?;
    if id.is_empty() {
        return Err(RowError::new(
            "container_id",
            "missing value; expected a container id".to_string(),
        ));
    }
    Ok(Row {
        id: id.to_string(),
        time_ms: seconds_to_ms(number(f(2, "time_stamp")?, "time_stamp")?, "time_stamp")?,
        app: f(3, "app_du")?.to_string(),
        cpu: non_negative(f(5, "cpu_request")?, "cpu_request")?,
        memory: non_negative(f(7, "mem_size")?, "mem_size")?,
    })
}

/// Import a v2018 `container_meta` file.
pub fn import(mut r: Records, c: &mut Collector) -> Result<(), ImportError> {
    c.assume("alibaba-2018-container: one long-running task per container, from its first row to the last time_stamp in the file (censored: the table records no deletion); requests of its latest row");
    c.assume("alibaba-2018-container: cpu_request 100 = 1 vCPU = 1024 units; mem_size 100 = one machine's memory; group = app_du; task_id = container_id");
    let mut containers: HashMap<String, Container> = HashMap::new();
    let mut end_ms = i64::MIN;
    while r.next(c)? {
        c.row_read();
        let row = match parse(&r.record) {
            Ok(row) => row,
            Err(e) => {
                c.bad_row(r.line, e)?;
                continue;
            }
        };
        end_ms = end_ms.max(row.time_ms);
        let order = containers.len() as u64;
        let k = containers.entry(row.id).or_insert_with(|| Container {
            order,
            first_ms: row.time_ms,
            app: row.app.clone(),
            cpu: row.cpu,
            memory: row.memory,
        });
        k.first_ms = k.first_ms.min(row.time_ms);
        k.app = row.app;
        k.cpu = row.cpu;
        k.memory = row.memory;
    }
    let mut all: Vec<(String, Container)> = containers.into_iter().collect();
    all.sort_by_key(|(_, k)| k.order);
    for (id, k) in all {
        if end_ms > k.first_ms {
            c.adjust("runs to the end of the trace (censored: no deletion recorded)");
        }
        c.push(SourceTask {
            arrival_ms: k.first_ms,
            duration_ms: end_ms - k.first_ms,
            cpu_units: k.cpu / 100.0 * 1024.0,
            memory_mib: k.memory / 100.0 * c.scale.machine_memory_mib,
            storage_gib: None,
            task_id: id,
            group: k.app,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{rows, run};
    use super::super::{ImportFormat, ImportOptions};

    #[test]
    fn each_container_runs_from_its_first_row_to_the_end_of_the_trace() {
        // Rows written from schema.md §1.3.
        let text = "c_2,m_1,300,app_1,started,400,400,1.56\n\
                    c_1,m_2,0,app_2,allocated,800,800,3.13\n\
                    c_1,m_2,100,app_2,started,800,800,3.13\n\
                    c_3,m_3,700000,app_1,started,50,100,0.1\n";
        let o = ImportOptions {
            machine_memory_mib: Some(100_000.0),
            ..ImportOptions::default()
        };
        let (s, out) = run(ImportFormat::Alibaba2018Container, text, &o).unwrap();
        assert_eq!(s.rows_read, 4);
        assert_eq!(
            rows(&out),
            vec![
                // 800/100 × 1024 = 8192 units; 3.13/100 × 100000 MiB = 3130.
                "0.000,700000.000,8192,3130,c_1,app_2,",
                // 400 → 4096 units; 1.56% → 1560 MiB.
                "300.000,699700.000,4096,1560,c_2,app_1,",
            ]
        );
        assert_eq!(s.dropped["zero or negative duration"], 1);
    }

    #[test]
    fn a_bad_number_names_line_and_column() {
        let text = "c_2,m_1,300,app_1,started,400,400,1.56\nc_2,m_1,x,app_1,started,400,400,1.56\n";
        let e = run(
            ImportFormat::Alibaba2018Container,
            text,
            &ImportOptions::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("line 2, column `time_stamp`: found `x`; expected a number"),
            "{e}"
        );
    }
}
