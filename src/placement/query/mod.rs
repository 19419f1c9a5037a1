//! The ECS *cluster query language*, as used by `memberOf` placement constraints: a parser
//! (a small lexer, `lexer.rs`, and a recursive-descent parser, `parser.rs`, into the tree of
//! `ast.rs`) and an evaluator (`eval.rs`) that checks a parsed [`Expression`] against one
//! container instance seen through [`InstanceView`].
//!
//! # Syntax
//!
//! An expression is built from conditions of the form `subject operator [argument]`:
//!
//! * subjects: `agentConnected`, `agentVersion`, `attribute:<name>`, `ec2InstanceId`,
//!   `registeredAt`, `runningTasksCount`, `task:group`;
//! * operators: `==`/`equals`, `!=`/`not_equals`, `>`/`greater_than`,
//!   `>=`/`greater_than_equal`, `<`/`less_than`, `<=`/`less_than_equal`, `exists`,
//!   `!exists`/`not_exists`, `in`, `!in`/`not_in`, `=~`/`matches`, `!~`/`not_matches`;
//! * conditions combine with `&&`/`and`, `||`/`or`, `!`/`not` and parentheses.
//!
//! The grammar, from loosest to tightest binding:
//!
//! ```text
//! or        := and (("||" | "or") and)*
//! and       := unary (("&&" | "and") unary)*
//! unary     := ("!" | "not") unary | "(" or ")" | condition
//! condition := subject operator [argument]
//! ```
//!
//! Keywords and word operators are case-sensitive, as in the ECS documentation. Tokens are
//! `(`, `)`, `[`, `]`, `,`, quoted values (`'...'` or `"..."`, quotes stripped, no escapes) and
//! *words*: maximal runs of characters other than whitespace, those five punctuation characters
//! and quotes. Operators, keywords and subjects are whole words, so they must be separated from
//! their neighbours by whitespace (or punctuation): `a==b` is one word, not three tokens.
//! In unary position a word that starts with `!` (such as `!attribute:x`) is read as `!`
//! followed by the rest of the word; after a subject, `!=`, `!~`, `!in` and `!exists` are
//! operators (written without a space after the `!`).
//!
//! See [`Expression`] for the evaluation rules.

mod ast;
mod eval;
mod lexer;
mod parser;

use std::fmt;
use std::str::FromStr;

use ast::Node;
use lexer::lex;
use parser::Parser;

/// The longest expression accepted, in characters (ECS's own limit).
pub const MAX_EXPRESSION_CHARS: usize = 2000;

/// How deeply parentheses and `not`/`!` may nest before parsing is refused; keeps the parser's
/// recursion (and the evaluator's) bounded whatever the input.
pub const MAX_NESTING_DEPTH: usize = 64;

/// Upper bound, in bytes, on the compiled size of an `=~`/`!~` regular expression (and on its
/// lazy DFA cache), so that a hostile pattern cannot use unbounded memory.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// How many characters of a user value an error message quotes before cutting it short.
const MAX_SHOWN_CHARS: usize = 40;

/// The words that may follow a subject, for error messages.
const OPERATOR_LIST: &str = "`==`, `!=`, `>`, `>=`, `<`, `<=`, `exists`, `!exists`, `in`, \
                             `!in`, `=~`, `!~` or a word form such as `equals`";

/// The known subjects, for error messages.
const SUBJECT_LIST: &str = "`agentConnected`, `agentVersion`, `attribute:<name>`, \
                            `ec2InstanceId`, `registeredAt`, `runningTasksCount` or `task:group`";

/// A parsed cluster-query-language expression, ready to be evaluated against container
/// instances with [`Expression::eval`].
///
/// # Evaluation rules
///
/// * **Subject values.** `attribute:<name>` is [`InstanceView::attribute`];
///   `ec2InstanceId` is [`InstanceView::ec2_instance_id`]; `runningTasksCount` is
///   [`InstanceView::running_tasks_count`] as a decimal number; `agentConnected` is always
///   `true` (a simulated agent is always connected). `agentVersion` and `registeredAt` parse
///   but are not modelled by the simulator: they always evaluate as absent, and
///   [`Expression::unsupported_subject`] reports them.
/// * **`task:group` is multi-valued** (the groups of the tasks on the instance): a positive
///   operator holds when *any* group satisfies it, and a negative one (`!=`, `!in`, `!~`,
///   `!exists`) when *no* group satisfies its positive form. So `task:group != database` and
///   `not(task:group == database)` both select instances running no `database` task, and
///   `task:group exists` selects instances running any task.
/// * **Absent values** (a missing attribute, no task groups, `agentVersion`, `registeredAt`):
///   the positive operators (`==`, `>`, `>=`, `<`, `<=`, `in`, `=~`, `exists`) are false and
///   the negative ones (`!=`, `!in`, `!~`, `!exists`) are true.
/// * **Equality** (`==`, `!=`, `in`, `!in`) is exact, case-sensitive string equality, except
///   for `runningTasksCount`, which compares numerically when the argument is a number (so
///   `runningTasksCount == 1.0` holds on an instance with one task).
/// * **Ordering** (`>`, `>=`, `<`, `<=`): if both sides parse as finite `f64` numbers they
///   compare numerically; otherwise, if both are dotted strings of digits (`1.14.5`), they
///   compare component by component as numbers, missing trailing components counting as `0`;
///   otherwise they compare as strings, byte by byte.
/// * **Regular expressions** (`=~`, `!~`) use the `regex` crate rather than Java's engine
///   (so look-around and back-references are rejected at parse time), and, like Java's
///   `String.matches`, must match the *whole* value: the pattern is anchored as `^(?:pat)$`.
///   The pattern is compiled when the expression is parsed; an invalid or oversized pattern is
///   a parse error.
#[derive(Debug, Clone)]
pub struct Expression {
    /// The text the expression was parsed from.
    source: String,
    /// The parsed form.
    root: Node,
}

impl Expression {
    /// Parses `source` with the full grammar (all subjects and operators of the cluster query
    /// language; see the [module documentation](self)).
    ///
    /// Unquoted values may be any word except `and`, `or`, `&&` and `||`, which must be
    /// quoted to be used as values; inside an `in` list any word is a value. Attribute names
    /// may contain letters, digits, `-`, `_`, `.`, `/` and `\`, as ECS allows.
    ///
    /// # Errors
    ///
    /// A [`QueryError`] when the text is empty, longer than [`MAX_EXPRESSION_CHARS`]
    /// characters, nests parentheses and `not` more than [`MAX_NESTING_DEPTH`] deep, names an
    /// unknown subject or operator, lacks or has a malformed argument, has an unterminated
    /// quote, bracket or parenthesis, has trailing tokens, or has an invalid `=~`/`!~` regular
    /// expression.
    pub fn parse(source: &str) -> Result<Expression, QueryError> {
        if let Some((offset, _)) = source.char_indices().nth(MAX_EXPRESSION_CHARS) {
            let chars = source.chars().count();
            return Err(QueryError::new(
                offset,
                format!(
                    "expected at most {MAX_EXPRESSION_CHARS} characters, found an expression \
                     of {chars} characters"
                ),
            ));
        }
        let tokens = lex(source)?;
        let mut parser = Parser {
            source,
            tokens,
            pos: 0,
            depth: 0,
        };
        let root = parser.parse_or()?;
        if parser.peek().is_some() {
            return Err(parser.error_here(format!(
                "expected `and`, `&&`, `or`, `||` or end of input, found {}",
                parser.found()
            )));
        }
        Ok(Expression {
            source: source.to_owned(),
            root,
        })
    }

    /// The original text the expression was parsed from.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Evaluates the expression against one container instance: whether the instance is a
    /// member of the set the expression describes (see the evaluation rules on [`Expression`]).
    pub fn eval<I: InstanceView + ?Sized>(&self, instance: &I) -> bool {
        self.root.eval(instance)
    }

    /// The first subject in the expression (in reading order) that the simulator does not
    /// model — `agentVersion` or `registeredAt` — so scenario validation can refuse it with a
    /// clear message; `None` if every subject is supported.
    pub fn unsupported_subject(&self) -> Option<&'static str> {
        self.root.unsupported_subject()
    }

    /// Whether the expression reads the tasks on an instance (`task:group`,
    /// `runningTasksCount`), so that placing a task can make it true on an instance where it
    /// was false.
    pub fn reads_task_state(&self) -> bool {
        self.root.reads_task_state()
    }
}

impl fmt::Display for Expression {
    /// Writes the original text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl FromStr for Expression {
    type Err = QueryError;

    /// Same as [`Expression::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Expression::parse(s)
    }
}

/// What the evaluator needs to know about a container instance.
pub trait InstanceView {
    /// Value of an attribute such as `ecs.instance-type`, `ecs.availability-zone`,
    /// `ecs.cpu-architecture`, `ecs.os-type`, or a custom one; `None` if the instance lacks it.
    fn attribute(&self, name: &str) -> Option<&str>;

    /// The instance id used by `ec2InstanceId`.
    fn ec2_instance_id(&self) -> &str;

    /// Number of tasks placed on the instance (`runningTasksCount`).
    fn running_tasks_count(&self) -> u32;

    /// Calls `f` with the task group of each task group present on the instance; returns true
    /// as soon as `f` does.
    fn any_task_group(&self, f: &mut dyn FnMut(&str) -> bool) -> bool;
}

/// Why an expression could not be parsed: the byte offset into the expression where the
/// problem was found, and a lowercase message saying what was found and what was expected,
/// with user values in backticks, e.g.
/// "at offset 27: expected an operator (`==`, `!=`, `in`, ...), found `foo`".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at offset {offset}: {message}")]
pub struct QueryError {
    /// Byte offset into the expression text (at most its length; always a character boundary).
    pub offset: usize,
    /// What was found and what was expected.
    pub message: String,
}

impl QueryError {
    /// Builds an error at `offset`.
    fn new(offset: usize, message: impl Into<String>) -> Self {
        QueryError {
            offset,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-built container instance (shared by the unit tests of the lexer, parser and
    /// evaluator).
    #[derive(Default)]
    pub(super) struct Inst {
        pub(super) attrs: Vec<(&'static str, &'static str)>,
        pub(super) id: &'static str,
        pub(super) tasks: u32,
        pub(super) groups: Vec<&'static str>,
    }

    impl InstanceView for Inst {
        fn attribute(&self, name: &str) -> Option<&str> {
            self.attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
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

    pub(super) fn inst(attrs: &[(&'static str, &'static str)]) -> Inst {
        Inst {
            attrs: attrs.to_vec(),
            id: "i-abcd1234",
            ..Inst::default()
        }
    }

    pub(super) fn with_groups(groups: &[&'static str]) -> Inst {
        Inst {
            groups: groups.to_vec(),
            tasks: u32::try_from(groups.len()).unwrap_or(u32::MAX),
            ..inst(&[])
        }
    }

    pub(super) fn ev(expr: &str, i: &Inst) -> bool {
        match Expression::parse(expr) {
            Ok(e) => e.eval(i),
            Err(err) => panic!("`{expr}` should parse: {err}"),
        }
    }

    pub(super) fn err(expr: &str) -> QueryError {
        match Expression::parse(expr) {
            Ok(e) => panic!("`{expr}` should not parse: {e:?}"),
            Err(e) => e,
        }
    }

    // --- documented examples -------------------------------------------------------------

    #[test]
    fn example_instance_type_equals() {
        let e = "attribute:ecs.instance-type == t2.small";
        assert!(ev(e, &inst(&[("ecs.instance-type", "t2.small")])));
        assert!(!ev(e, &inst(&[("ecs.instance-type", "t2.medium")])));
        assert!(!ev(e, &inst(&[])));
    }

    #[test]
    fn example_availability_zone_in() {
        let e = "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]";
        assert!(ev(e, &inst(&[("ecs.availability-zone", "us-east-1a")])));
        assert!(ev(e, &inst(&[("ecs.availability-zone", "us-east-1b")])));
        assert!(!ev(e, &inst(&[("ecs.availability-zone", "us-east-1c")])));
        assert!(!ev(e, &inst(&[])));
    }

    #[test]
    fn example_matches_and_not_equals() {
        let e =
            "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d";
        let i = |t, z| inst(&[("ecs.instance-type", t), ("ecs.availability-zone", z)]);
        assert!(ev(e, &i("g2.2xlarge", "us-east-1a")));
        assert!(!ev(e, &i("g2.2xlarge", "us-east-1d")));
        assert!(!ev(e, &i("t2.small", "us-east-1a")));
        // Full match, as Java's `String.matches`.
        assert!(!ev(e, &i("xg2.2xlarge", "us-east-1a")));
    }

    #[test]
    fn example_task_group_equals() {
        let e = "task:group == service:production";
        assert!(ev(e, &with_groups(&["service:production"])));
        assert!(ev(e, &with_groups(&["db", "service:production"])));
        assert!(!ev(e, &with_groups(&["service:staging"])));
        assert!(!ev(e, &with_groups(&[])));
    }

    #[test]
    fn example_not_task_group() {
        let e = "not(task:group == database)";
        assert!(ev(e, &with_groups(&[])));
        assert!(ev(e, &with_groups(&["web"])));
        assert!(!ev(e, &with_groups(&["web", "database"])));
    }

    #[test]
    fn example_running_tasks_count() {
        let e = "runningTasksCount == 1";
        assert!(ev(e, &with_groups(&["a"])));
        assert!(!ev(e, &with_groups(&[])));
        assert!(!ev(e, &with_groups(&["a", "b"])));
        assert!(ev("runningTasksCount == 1.0", &with_groups(&["a"])));
        assert!(ev("runningTasksCount in [0, 2]", &with_groups(&["a", "b"])));
    }

    #[test]
    fn example_agent_version_unsupported() {
        let e = "agentVersion < 1.14.5";
        let parsed = Expression::parse(e).map_err(|e| e.to_string());
        assert_eq!(
            parsed.as_ref().map(Expression::unsupported_subject),
            Ok(Some("agentVersion"))
        );
        // Not modelled: always absent, so positive operators are false, negative ones true.
        assert!(!ev(e, &inst(&[])));
        assert!(ev("not(agentVersion < 1.14.5)", &inst(&[])));
        assert!(ev("agentVersion != 1.14.5", &inst(&[])));
    }

    #[test]
    fn example_registered_at_unsupported() {
        let e = "registeredAt < 2018-02-13";
        let parsed = Expression::parse(e).map_err(|e| e.to_string());
        assert_eq!(
            parsed.as_ref().map(Expression::unsupported_subject),
            Ok(Some("registeredAt"))
        );
        assert!(!ev(e, &inst(&[])));
        assert!(ev("!(registeredAt < 2018-02-13)", &inst(&[])));
    }

    #[test]
    fn example_instance_id_in_quoted() {
        let e = "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']";
        assert!(ev(e, &inst(&[])));
        let other = Inst {
            id: "i-wxyx7890",
            ..inst(&[])
        };
        assert!(ev(e, &other));
        let neither = Inst {
            id: "i-00000000",
            ..inst(&[])
        };
        assert!(!ev(e, &neither));
    }

    // --- API -----------------------------------------------------------------------------

    #[test]
    fn as_str_display_from_str() {
        let text = "  task:group exists ";
        let e: Expression = match text.parse() {
            Ok(e) => e,
            Err(err) => panic!("{err}"),
        };
        assert_eq!(e.as_str(), text);
        assert_eq!(e.to_string(), text);
    }

    #[test]
    fn unsupported_subject_reports_first_in_reading_order() {
        let check = |expr: &str| {
            Expression::parse(expr)
                .map(|e| e.unsupported_subject())
                .map_err(|e| e.to_string())
        };
        assert_eq!(
            check("task:group exists or runningTasksCount > 1"),
            Ok(None)
        );
        assert_eq!(
            check("agentConnected == true and (registeredAt < x or agentVersion < 1)"),
            Ok(Some("registeredAt"))
        );
        assert_eq!(
            check("not not agentVersion exists"),
            Ok(Some("agentVersion"))
        );
    }
}
