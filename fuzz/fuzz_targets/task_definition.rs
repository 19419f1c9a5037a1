//! Fuzz target: the ECS task definition JSON reader (`sim::model::task_definition::parse`)
//! that scenarios use through `task_definition = "file.json"`.
//!
//! Contract: every input gives a task definition or a `TaskDefinitionError`, never a panic.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        if let Err(e) = sim::model::task_definition::parse("fuzz.json", text) {
            let _ = e.to_string();
        }
    });
}
