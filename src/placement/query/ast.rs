//! The parsed form of a cluster-query-language expression: a tree of `and`, `or` and `not`
//! over `subject operator [argument]` conditions.

use regex::Regex;

/// A node of the parsed expression.
#[derive(Debug, Clone)]
pub(super) enum Node {
    /// True when any alternative is (two or more alternatives).
    Or(Vec<Node>),
    /// True when every part is (two or more parts).
    And(Vec<Node>),
    /// Negation.
    Not(Box<Node>),
    /// A single `subject operator [argument]`.
    Condition(Condition),
}

/// A single `subject operator [argument]` condition.
#[derive(Debug, Clone)]
pub(super) struct Condition {
    /// What is tested.
    pub(super) subject: Subject,
    /// The test applied to its value(s).
    pub(super) predicate: Predicate,
}

/// The thing a condition tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Subject {
    /// `agentConnected`: always `true` in the simulator.
    AgentConnected,
    /// `agentVersion`: not modelled, always absent.
    AgentVersion,
    /// `attribute:<name>`.
    Attribute(String),
    /// `ec2InstanceId`.
    Ec2InstanceId,
    /// `registeredAt`: not modelled, always absent.
    RegisteredAt,
    /// `runningTasksCount`.
    RunningTasksCount,
    /// `task:group`: multi-valued.
    TaskGroup,
}

/// An ordering operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CmpOp {
    /// `>` / `greater_than`
    Gt,
    /// `>=` / `greater_than_equal`
    Ge,
    /// `<` / `less_than`
    Lt,
    /// `<=` / `less_than_equal`
    Le,
}

/// An operator with its argument.
#[derive(Debug, Clone)]
pub(super) enum Predicate {
    /// `== v`
    Equals(String),
    /// `!= v`
    NotEquals(String),
    /// `> v`, `>= v`, `< v`, `<= v`
    Compare(CmpOp, String),
    /// `exists`
    Exists,
    /// `!exists`
    NotExists,
    /// `in [..]`
    In(Vec<String>),
    /// `!in [..]`
    NotIn(Vec<String>),
    /// `=~ pattern`, anchored.
    Matches(Regex),
    /// `!~ pattern`, anchored.
    NotMatches(Regex),
}
