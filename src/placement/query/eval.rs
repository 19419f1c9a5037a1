//! The evaluator of the cluster query language: a parsed tree checked against one container
//! instance seen through [`InstanceView`], with the rules documented on
//! [`Expression`](super::Expression). It runs for every candidate instance of a `memberOf`
//! constraint, so it allocates nothing.

use std::cmp::Ordering;

use super::InstanceView;
use super::ast::{CmpOp, Condition, Node, Predicate, Subject};

impl Node {
    /// Evaluates this node against `instance`.
    pub(super) fn eval<I: InstanceView + ?Sized>(&self, instance: &I) -> bool {
        match self {
            Node::Or(items) => items.iter().any(|n| n.eval(instance)),
            Node::And(items) => items.iter().all(|n| n.eval(instance)),
            Node::Not(inner) => !inner.eval(instance),
            Node::Condition(c) => c.eval(instance),
        }
    }

    /// The first unmodelled subject, in reading order.
    pub(super) fn unsupported_subject(&self) -> Option<&'static str> {
        match self {
            Node::Or(items) | Node::And(items) => items.iter().find_map(Node::unsupported_subject),
            Node::Not(inner) => inner.unsupported_subject(),
            Node::Condition(c) => match c.subject {
                Subject::AgentVersion => Some("agentVersion"),
                Subject::RegisteredAt => Some("registeredAt"),
                _ => None,
            },
        }
    }

    pub(super) fn reads_task_state(&self) -> bool {
        match self {
            Node::Or(items) | Node::And(items) => items.iter().any(Node::reads_task_state),
            Node::Not(inner) => inner.reads_task_state(),
            Node::Condition(c) => {
                matches!(c.subject, Subject::TaskGroup | Subject::RunningTasksCount)
            }
        }
    }
}

impl Condition {
    /// Evaluates this condition against `instance`.
    fn eval<I: InstanceView + ?Sized>(&self, instance: &I) -> bool {
        let p = &self.predicate;
        let value: Option<&str> = match &self.subject {
            Subject::TaskGroup => {
                // Positive: some group satisfies it (none present: false). Negative: every
                // group satisfies it, i.e. none satisfies the positive form (none present: true).
                return if p.when_absent() {
                    !instance.any_task_group(&mut |group| !p.test(group, false))
                } else {
                    instance.any_task_group(&mut |group| p.test(group, false))
                };
            }
            Subject::Attribute(name) => instance.attribute(name),
            Subject::Ec2InstanceId => Some(instance.ec2_instance_id()),
            Subject::RunningTasksCount => {
                // Formatted on the stack: this runs for every candidate instance.
                let mut buf = [0u8; 10];
                let digits = decimal(instance.running_tasks_count(), &mut buf);
                return p.test(digits, true);
            }
            Subject::AgentConnected => Some("true"),
            Subject::AgentVersion | Subject::RegisteredAt => None,
        };
        match value {
            Some(v) => p.test(v, false),
            None => p.when_absent(),
        }
    }
}

impl Predicate {
    /// The result for an absent value: false for positive operators, true for negative ones.
    fn when_absent(&self) -> bool {
        match self {
            Predicate::Equals(_)
            | Predicate::Compare(..)
            | Predicate::Exists
            | Predicate::In(_)
            | Predicate::Matches(_) => false,
            Predicate::NotEquals(_)
            | Predicate::NotExists
            | Predicate::NotIn(_)
            | Predicate::NotMatches(_) => true,
        }
    }

    /// Tests a present value; `numeric` makes equality numeric when both sides are numbers.
    fn test(&self, value: &str, numeric: bool) -> bool {
        match self {
            Predicate::Equals(arg) => equal(value, arg, numeric),
            Predicate::NotEquals(arg) => !equal(value, arg, numeric),
            Predicate::Compare(op, arg) => {
                let ord = compare(value, arg);
                match op {
                    CmpOp::Gt => ord == Ordering::Greater,
                    CmpOp::Ge => ord != Ordering::Less,
                    CmpOp::Lt => ord == Ordering::Less,
                    CmpOp::Le => ord != Ordering::Greater,
                }
            }
            Predicate::Exists => true,
            Predicate::NotExists => false,
            Predicate::In(list) => list.iter().any(|a| equal(value, a, numeric)),
            Predicate::NotIn(list) => !list.iter().any(|a| equal(value, a, numeric)),
            Predicate::Matches(re) => re.is_match(value),
            Predicate::NotMatches(re) => !re.is_match(value),
        }
    }
}

/// Writes `n` in decimal into the end of `buf` and returns the digits.
fn decimal(mut n: u32, buf: &mut [u8; 10]) -> &str {
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written, so this cannot fail.
    std::str::from_utf8(&buf[start..]).unwrap_or("0")
}

/// `s` as a finite number, if it is one.
fn number(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Equality: exact string equality, or numeric equality when `numeric` and both are numbers.
fn equal(value: &str, arg: &str, numeric: bool) -> bool {
    value == arg
        || (numeric
            && matches!((number(value), number(arg)), (Some(a), Some(b)) if a.partial_cmp(&b) == Some(Ordering::Equal)))
}

/// `s` as the components of a dotted version of digits (`1.14.5`), if it is one.
fn version(s: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = s.split('.').collect();
    parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .then_some(parts)
}

/// Compares two non-negative integers written as digit strings of any length.
fn compare_digits(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Ordering used by `>`, `>=`, `<`, `<=`: numeric, else version, else byte-wise string order.
fn compare(a: &str, b: &str) -> Ordering {
    if let (Some(x), Some(y)) = (number(a), number(b)) {
        return x.partial_cmp(&y).unwrap_or(Ordering::Equal);
    }
    if let (Some(x), Some(y)) = (version(a), version(b)) {
        let len = x.len().max(y.len());
        return (0..len)
            .map(|i| {
                compare_digits(
                    x.get(i).copied().unwrap_or("0"),
                    y.get(i).copied().unwrap_or("0"),
                )
            })
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal);
    }
    a.cmp(b)
}

#[cfg(test)]
mod tests {
    use super::super::Expression;
    use super::super::tests::{Inst, ev, inst, with_groups};
    use super::*;

    // --- semantics -----------------------------------------------------------------------

    #[test]
    fn precedence() {
        // `a` true, `b` false, `c` false.
        let i = inst(&[("a", "1"), ("b", "0"), ("c", "0")]);
        let (a, b, c) = ("attribute:a == 1", "attribute:b == 1", "attribute:c == 1");
        // `or` binds looser than `and`: a or (b and c).
        assert!(ev(&format!("{a} or {b} and {c}"), &i));
        assert!(ev(&format!("{a} || {b} && {c}"), &i));
        assert!(!ev(&format!("({a} or {b}) and {c}"), &i));
        // `not` binds tighter than `and`: (not b) and c.
        assert!(!ev(&format!("not {b} and {c}"), &i));
        assert!(ev(&format!("not ({b} and {c})"), &i));
        assert!(!ev(&format!("! {b} && {c}"), &i));
        assert!(ev(&format!("!({b} && {c})"), &i));
        // `!` glued to a subject.
        assert!(ev(&format!("!{b}"), &i));
        assert!(ev("!!attribute:a == 1", &i));
        // Chains.
        assert!(ev(&format!("{b} or {c} or {a}"), &i));
        assert!(!ev(&format!("{a} and {a} and {b}"), &i));
        assert!(ev(&format!("((({a})))"), &i));
    }

    #[test]
    fn every_operator_spelling() {
        let i = inst(&[("n", "5"), ("s", "abc")]);
        let cases: &[(&str, bool)] = &[
            ("attribute:s == abc", true),
            ("attribute:s equals abc", true),
            ("attribute:s == abd", false),
            ("attribute:s != abc", false),
            ("attribute:s not_equals abc", false),
            ("attribute:s != abd", true),
            ("attribute:n > 4", true),
            ("attribute:n greater_than 5", false),
            ("attribute:n >= 5", true),
            ("attribute:n greater_than_equal 6", false),
            ("attribute:n < 6", true),
            ("attribute:n less_than 5", false),
            ("attribute:n <= 5", true),
            ("attribute:n less_than_equal 4", false),
            ("attribute:s exists", true),
            ("attribute:zz exists", false),
            ("attribute:s !exists", false),
            ("attribute:zz not_exists", true),
            ("attribute:s in [x, abc]", true),
            ("attribute:s in [x]", false),
            ("attribute:s !in [x, abc]", false),
            ("attribute:s not_in [x, y]", true),
            ("attribute:s =~ a.c", true),
            ("attribute:s matches 'b'", false),
            ("attribute:s !~ a.*", false),
            ("attribute:s not_matches \"x.*\"", true),
        ];
        for (expr, want) in cases {
            assert_eq!(ev(expr, &i), *want, "{expr}");
        }
    }

    #[test]
    fn absent_values() {
        let i = inst(&[]);
        let positive = [
            "== x", "> x", ">= x", "< x", "<= x", "in [x]", "=~ x", "exists",
        ];
        let negative = ["!= x", "!in [x]", "!~ x", "!exists"];
        for op in positive {
            assert!(!ev(&format!("attribute:missing {op}"), &i), "{op}");
            assert!(!ev(&format!("task:group {op}"), &i), "{op}");
        }
        for op in negative {
            assert!(ev(&format!("attribute:missing {op}"), &i), "{op}");
            assert!(ev(&format!("task:group {op}"), &i), "{op}");
        }
    }

    #[test]
    fn knows_which_expressions_read_task_state() {
        let r = |s: &str| Expression::parse(s).unwrap().reads_task_state();
        assert!(r("task:group == db"));
        assert!(r(
            "attribute:ecs.instance-type == m5.large or not(runningTasksCount > 2)"
        ));
        assert!(!r(
            "attribute:ecs.availability-zone in [a, b] and ec2InstanceId != i-1"
        ));
    }

    #[test]
    fn task_group_positive_is_any_negative_is_none() {
        let i = with_groups(&["web", "database"]);
        assert!(ev("task:group exists", &i));
        assert!(!ev("task:group !exists", &i));
        // A `database` task is here, so "!= database" is false, as `not(== database)` is.
        assert!(!ev("task:group != database", &i));
        assert!(!ev("not(task:group == database)", &i));
        assert!(ev("task:group != cache", &i));
        assert!(ev("task:group != database", &with_groups(&["web"])));
        assert!(ev("task:group =~ data.*", &i));
        assert!(!ev("task:group !~ data.*", &i));
        assert!(ev("task:group in [x, web]", &i));
        assert!(!ev("task:group !in [web]", &i)); // `web` is in the list.
        assert!(ev("task:group !in [x, y]", &i));
    }

    #[test]
    fn agent_connected_and_instance_id() {
        let i = inst(&[]);
        assert!(ev("agentConnected == true", &i));
        assert!(!ev("agentConnected == false", &i));
        assert!(ev("agentConnected exists", &i));
        assert!(ev("ec2InstanceId == i-abcd1234", &i));
        assert!(ev("ec2InstanceId != i-wxyx7890", &i));
        assert!(ev("ec2InstanceId =~ 'i-[0-9a-f]{8}'", &i));
    }

    #[test]
    fn ordering_rules() {
        let v = |x: &'static str| inst(&[("v", x)]);
        // Numeric.
        assert!(ev("attribute:v > 9", &v("10")));
        assert!(ev("attribute:v < 1e3", &v("999.5")));
        assert!(ev("attribute:v >= -1", &v("-1")));
        // Versions, component-wise.
        assert!(ev("attribute:v < 1.14.5", &v("1.9.0")));
        assert!(ev("attribute:v > 1.14.5", &v("1.14.10")));
        assert!(ev("attribute:v >= 1.14.0", &v("1.14")));
        assert!(ev("attribute:v <= 1.14", &v("1.14.0")));
        assert!(!ev("attribute:v < 1.2.3", &v("1.2.3")));
        assert!(ev("attribute:v > 2.0.0", &v("10.0.0")));
        assert!(ev(
            "attribute:v > 1.2.3",
            &v("99999999999999999999999999.0.0")
        ));
        // Strings, byte-wise.
        assert!(ev("attribute:v < 2018-02-14", &v("2018-02-13")));
        assert!(ev("attribute:v > m5.large", &v("t2.small")));
        assert!(ev("attribute:v > 10", &v("abc")));
        // Equality stays exact for attributes.
        assert!(!ev("attribute:v == 1", &v("1.0")));
        // runningTasksCount is numeric.
        assert!(ev("runningTasksCount > 1", &with_groups(&["a", "b"])));
        assert!(ev("runningTasksCount <= 0", &with_groups(&[])));
        assert!(ev("runningTasksCount != 1", &with_groups(&[])));
    }

    #[test]
    fn decimal_formatting() {
        let mut buf = [0u8; 10];
        for n in [0, 1, 9, 10, 42, 1000, 4_294_967_295] {
            assert_eq!(decimal(n, &mut buf), n.to_string());
        }
        let i = Inst {
            tasks: u32::MAX,
            ..inst(&[])
        };
        assert!(ev("runningTasksCount == 4294967295", &i));
        assert!(ev("runningTasksCount > 1e9", &i));
    }
}
