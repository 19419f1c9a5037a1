//! Fuzz target: the cluster query language (`sim::placement::query::Expression`): parse
//! arbitrary text and, when it parses, evaluate it against three fake container instances.
//!
//! Contract: every input gives an `Expression` or a `QueryError` whose offset is a character
//! boundary within the text, and evaluation never panics.

use sim::placement::query::{Expression, InstanceView};

/// A container instance seen by the query language.
struct Fake {
    attributes: &'static [(&'static str, &'static str)],
    id: &'static str,
    tasks: u32,
    groups: &'static [&'static str],
}

impl InstanceView for Fake {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
    }
    fn ec2_instance_id(&self) -> &str {
        self.id
    }
    fn running_tasks_count(&self) -> u32 {
        self.tasks
    }
    fn any_task_group(&self, f: &mut dyn FnMut(&str) -> bool) -> bool {
        self.groups.iter().any(|g| f(g))
    }
}

const INSTANCES: [Fake; 3] = [
    Fake {
        attributes: &[
            ("ecs.instance-type", "m5.large"),
            ("ecs.availability-zone", "us-east-1a"),
            ("ecs.cpu-architecture", "x86_64"),
            ("ecs.os-type", "linux"),
            ("stack", "prod"),
            ("version", "1.14.5"),
        ],
        id: "i-0000000000000001",
        tasks: 3,
        groups: &["service:web", "database"],
    },
    Fake {
        attributes: &[
            ("ecs.instance-type", "c7g.xlarge"),
            ("ecs.availability-zone", "us-east-1b"),
            ("ecs.cpu-architecture", "arm64"),
            ("version", "2"),
        ],
        id: "i-0000000000000002",
        tasks: 0,
        groups: &[],
    },
    Fake {
        attributes: &[],
        id: "",
        tasks: u32::MAX,
        groups: &[""],
    },
];

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        match Expression::parse(text) {
            Ok(e) => {
                assert_eq!(e.as_str(), text);
                for i in &INSTANCES {
                    let _ = e.eval(i);
                }
                let _ = e.unsupported_subject();
                let _ = e.reads_task_state();
            }
            Err(e) => {
                assert!(e.offset <= text.len(), "offset past the end: {e}");
                assert!(
                    text.is_char_boundary(e.offset),
                    "offset inside a character: {e}"
                );
                let _ = e.to_string();
            }
        }
    });
}
