//! The ECS *cluster query language*, as used by `memberOf` placement constraints: a parser
//! (a small lexer and a recursive-descent parser into an AST) and an evaluator that checks a
//! parsed [`Expression`] against one container instance seen through [`InstanceView`].
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

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use regex::{Regex, RegexBuilder};

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

// ---------------------------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------------------------

/// The kind of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `,`
    Comma,
    /// An unquoted word: a subject, operator, keyword or value.
    Word,
    /// A quoted value.
    Quoted,
}

/// A token and where it starts in the source.
#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    /// What kind of token this is.
    kind: Kind,
    /// Byte offset of its first character.
    offset: usize,
    /// Its text as written (with the quotes, for a quoted value).
    text: &'a str,
    /// Its value: the text, without the quotes for a quoted value.
    value: &'a str,
}

/// Whether `c` ends an unquoted word.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | ',' | '\'' | '"')
}

/// Splits `source` into tokens; the only lexical error is an unterminated quote.
fn lex(source: &str) -> Result<Vec<Token<'_>>, QueryError> {
    let mut tokens = Vec::new();
    let mut chars = source.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let punct = match c {
            '(' => Some(Kind::LParen),
            ')' => Some(Kind::RParen),
            '[' => Some(Kind::LBracket),
            ']' => Some(Kind::RBracket),
            ',' => Some(Kind::Comma),
            _ => None,
        };
        if let Some(kind) = punct {
            let text = &source[start..start + 1];
            tokens.push(Token {
                kind,
                offset: start,
                text,
                value: text,
            });
        } else if c == '\'' || c == '"' {
            let body_start = start + 1;
            let Some(len) = source[body_start..].find(c) else {
                return Err(QueryError::new(
                    start,
                    format!("expected a closing `{c}` for this quoted value, found end of input"),
                ));
            };
            let end = body_start + len + 1;
            tokens.push(Token {
                kind: Kind::Quoted,
                offset: start,
                text: &source[start..end],
                value: &source[body_start..end - 1],
            });
            // Skip the body and the closing quote.
            while chars.next_if(|&(i, _)| i < end).is_some() {}
        } else if !c.is_whitespace() {
            let mut end = source.len();
            while let Some(&(i, next)) = chars.peek() {
                if ends_word(next) {
                    end = i;
                    break;
                }
                chars.next();
            }
            let text = &source[start..end];
            tokens.push(Token {
                kind: Kind::Word,
                offset: start,
                text,
                value: text,
            });
        }
    }
    Ok(tokens)
}

/// `text` in backticks, cut short if it is long.
fn shown(text: &str) -> String {
    if text.chars().nth(MAX_SHOWN_CHARS).is_some() {
        let head: String = text.chars().take(MAX_SHOWN_CHARS).collect();
        format!("`{head}…`")
    } else {
        format!("`{text}`")
    }
}

// ---------------------------------------------------------------------------------------------
// AST
// ---------------------------------------------------------------------------------------------

/// A node of the parsed expression.
#[derive(Debug, Clone)]
enum Node {
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
struct Condition {
    /// What is tested.
    subject: Subject,
    /// The test applied to its value(s).
    predicate: Predicate,
}

/// The thing a condition tests.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Subject {
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
enum CmpOp {
    /// `>` / `greater_than`
    Gt,
    /// `>=` / `greater_than_equal`
    Ge,
    /// `<` / `less_than`
    Lt,
    /// `<=` / `less_than_equal`
    Le,
}

/// An operator, before its argument is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpKind {
    /// `==` / `equals`
    Equals,
    /// `!=` / `not_equals`
    NotEquals,
    /// An ordering comparison.
    Compare(CmpOp),
    /// `exists`
    Exists,
    /// `!exists` / `not_exists`
    NotExists,
    /// `in`
    In,
    /// `!in` / `not_in`
    NotIn,
    /// `=~` / `matches`
    Matches,
    /// `!~` / `not_matches`
    NotMatches,
}

/// An operator with its argument.
#[derive(Debug, Clone)]
enum Predicate {
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

/// The operator a word names, if any.
fn operator_kind(word: &str) -> Option<OpKind> {
    Some(match word {
        "==" | "equals" => OpKind::Equals,
        "!=" | "not_equals" => OpKind::NotEquals,
        ">" | "greater_than" => OpKind::Compare(CmpOp::Gt),
        ">=" | "greater_than_equal" => OpKind::Compare(CmpOp::Ge),
        "<" | "less_than" => OpKind::Compare(CmpOp::Lt),
        "<=" | "less_than_equal" => OpKind::Compare(CmpOp::Le),
        "exists" => OpKind::Exists,
        "!exists" | "not_exists" => OpKind::NotExists,
        "in" => OpKind::In,
        "!in" | "not_in" => OpKind::NotIn,
        "=~" | "matches" => OpKind::Matches,
        "!~" | "not_matches" => OpKind::NotMatches,
        _ => return None,
    })
}

/// Whether `c` may appear in an attribute name (ECS allows letters, digits, hyphens,
/// underscores, forward and back slashes and periods).
fn is_attribute_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '\\')
}

/// Compiles an `=~`/`!~` pattern, anchored for a whole-value match, within the size limit.
fn compile_regex(pattern: &str, offset: usize) -> Result<Regex, QueryError> {
    let build = |p: &str| {
        RegexBuilder::new(p)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
    };
    // Compiling the bare pattern first guarantees it is balanced on its own, so wrapping it
    // cannot change its meaning (e.g. `a)|(b` would otherwise escape the anchors). The one way
    // a valid pattern can still swallow the wrapper is by ending inside a `#` comment of
    // verbose mode (`(?x)a#`); then a newline ends the comment first.
    build(pattern)
        .and_then(|_| {
            build(&format!("^(?:{pattern})$")).or_else(|_| build(&format!("^(?:{pattern}\n)$")))
        })
        .map_err(|e| {
            QueryError::new(
                offset,
                format!(
                    "expected a valid regular expression, found {} ({})",
                    shown(pattern),
                    regex_reason(&e)
                ),
            )
        })
}

/// A one-line reason for a regex compilation failure.
fn regex_reason(error: &regex::Error) -> String {
    match error {
        regex::Error::CompiledTooBig(limit) => {
            format!("it compiles to more than {limit} bytes")
        }
        _ => {
            // Syntax errors are multi-line, with the reason on the last line: "error: ...".
            let text = error.to_string();
            let last = text.lines().map(str::trim).rfind(|l| !l.is_empty());
            match last {
                Some(line) => line.strip_prefix("error: ").unwrap_or(line).to_owned(),
                None => text,
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

/// Recursive-descent parser over the token list.
struct Parser<'a> {
    /// The expression text.
    source: &'a str,
    /// Its tokens.
    tokens: Vec<Token<'a>>,
    /// Index of the next token.
    pos: usize,
    /// Current nesting of parentheses and `not`.
    depth: usize,
}

impl<'a> Parser<'a> {
    /// The next token, if any.
    fn peek(&self) -> Option<Token<'a>> {
        self.tokens.get(self.pos).copied()
    }

    /// Moves past the next token.
    fn advance(&mut self) {
        self.pos += 1;
    }

    /// Offset of the next token, or the end of the source.
    fn here(&self) -> usize {
        self.peek().map_or(self.source.len(), |t| t.offset)
    }

    /// Describes the next token for an error message.
    fn found(&self) -> String {
        self.peek()
            .map_or_else(|| "end of input".to_owned(), |t| shown(t.text))
    }

    /// An error at the next token.
    fn error_here(&self, message: String) -> QueryError {
        QueryError::new(self.here(), message)
    }

    /// Consumes the next token if it is one of the keyword words `words`.
    fn eat_keyword(&mut self, words: &[&str]) -> bool {
        match self.peek() {
            Some(t) if t.kind == Kind::Word && words.contains(&t.text) => {
                self.advance();
                true
            }
            _ => false,
        }
    }

    /// Enters one level of nesting at `offset`, refusing to go deeper than the limit.
    fn enter(&mut self, offset: usize) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_NESTING_DEPTH {
            return Err(QueryError::new(
                offset,
                format!(
                    "expected at most {MAX_NESTING_DEPTH} nested levels of parentheses and \
                     `not`, found more"
                ),
            ));
        }
        Ok(())
    }

    /// `or := and (("||" | "or") and)*`
    fn parse_or(&mut self) -> Result<Node, QueryError> {
        let first = self.parse_and()?;
        let mut items = vec![first];
        while self.eat_keyword(&["||", "or"]) {
            items.push(self.parse_and()?);
        }
        Ok(if items.len() == 1 {
            items.swap_remove(0)
        } else {
            Node::Or(items)
        })
    }

    /// `and := unary (("&&" | "and") unary)*`
    fn parse_and(&mut self) -> Result<Node, QueryError> {
        let first = self.parse_unary()?;
        let mut items = vec![first];
        while self.eat_keyword(&["&&", "and"]) {
            items.push(self.parse_unary()?);
        }
        Ok(if items.len() == 1 {
            items.swap_remove(0)
        } else {
            Node::And(items)
        })
    }

    /// `unary := ("!" | "not") unary | "(" or ")" | condition`
    fn parse_unary(&mut self) -> Result<Node, QueryError> {
        let Some(tok) = self.peek() else {
            return Err(self
                .error_here("expected a condition, `not` or `(`, found end of input".to_owned()));
        };
        match tok.kind {
            Kind::Word if tok.text == "!" || tok.text == "not" => {
                self.advance();
                self.negated(tok.offset)
            }
            Kind::Word if tok.text.starts_with('!') => {
                // `!subject ...`: read the `!`, leave the rest of the word as the next token.
                let rest = &tok.text[1..];
                self.tokens[self.pos] = Token {
                    kind: Kind::Word,
                    offset: tok.offset + 1,
                    text: rest,
                    value: rest,
                };
                self.negated(tok.offset)
            }
            Kind::LParen => {
                self.enter(tok.offset)?;
                self.advance();
                let inner = self.parse_or()?;
                match self.peek() {
                    Some(t) if t.kind == Kind::RParen => self.advance(),
                    _ => {
                        return Err(self.error_here(format!(
                            "expected `)` to close the `(` at offset {}, found {}",
                            tok.offset,
                            self.found()
                        )));
                    }
                }
                self.depth -= 1;
                Ok(inner)
            }
            Kind::Word | Kind::Quoted => self.parse_condition(),
            Kind::RParen | Kind::LBracket | Kind::RBracket | Kind::Comma => Err(self.error_here(
                format!("expected a condition, `not` or `(`, found {}", self.found()),
            )),
        }
    }

    /// The operand of a `not`/`!` that started at `offset` (already consumed).
    fn negated(&mut self, offset: usize) -> Result<Node, QueryError> {
        self.enter(offset)?;
        let inner = self.parse_unary()?;
        self.depth -= 1;
        Ok(Node::Not(Box::new(inner)))
    }

    /// `condition := subject operator [argument]`
    fn parse_condition(&mut self) -> Result<Node, QueryError> {
        let subject = self.parse_subject()?;
        let op_tok = match self.peek() {
            Some(t) if t.kind == Kind::Word => operator_kind(t.text).map(|op| (op, t)),
            _ => None,
        };
        let Some((op, op_tok)) = op_tok else {
            return Err(self.error_here(format!(
                "expected an operator ({OPERATOR_LIST}), found {}",
                self.found()
            )));
        };
        self.advance();
        let predicate = match op {
            OpKind::Exists => Predicate::Exists,
            OpKind::NotExists => Predicate::NotExists,
            OpKind::In => Predicate::In(self.parse_list(op_tok.text)?),
            OpKind::NotIn => Predicate::NotIn(self.parse_list(op_tok.text)?),
            OpKind::Equals => Predicate::Equals(self.parse_value(op_tok.text)?.to_owned()),
            OpKind::NotEquals => Predicate::NotEquals(self.parse_value(op_tok.text)?.to_owned()),
            OpKind::Compare(cmp) => {
                Predicate::Compare(cmp, self.parse_value(op_tok.text)?.to_owned())
            }
            OpKind::Matches | OpKind::NotMatches => {
                let offset = self.here();
                let pattern = self.parse_value(op_tok.text)?;
                let regex = compile_regex(pattern, offset)?;
                if op == OpKind::Matches {
                    Predicate::Matches(regex)
                } else {
                    Predicate::NotMatches(regex)
                }
            }
        };
        Ok(Node::Condition(Condition { subject, predicate }))
    }

    /// A subject word.
    fn parse_subject(&mut self) -> Result<Subject, QueryError> {
        let tok = match self.peek() {
            Some(t) if t.kind == Kind::Word => t,
            _ => {
                return Err(self.error_here(format!(
                    "expected a subject ({SUBJECT_LIST}), found {}",
                    self.found()
                )));
            }
        };
        let subject = match tok.text {
            "agentConnected" => Subject::AgentConnected,
            "agentVersion" => Subject::AgentVersion,
            "ec2InstanceId" => Subject::Ec2InstanceId,
            "registeredAt" => Subject::RegisteredAt,
            "runningTasksCount" => Subject::RunningTasksCount,
            "task:group" => Subject::TaskGroup,
            word => {
                let Some(name) = word.strip_prefix("attribute:") else {
                    let hint = if word.contains(['=', '<', '>', '~']) {
                        " (separate the operator from the subject with whitespace)"
                    } else {
                        ""
                    };
                    return Err(self.error_here(format!(
                        "expected a subject ({SUBJECT_LIST}), found {}{hint}",
                        shown(word)
                    )));
                };
                let name_offset = tok.offset + "attribute:".len();
                if name.is_empty() {
                    let after = match self.source[name_offset..].chars().next() {
                        None => "end of input".to_owned(),
                        Some(c) if c.is_whitespace() => "whitespace".to_owned(),
                        Some(c) => format!("`{c}`"),
                    };
                    return Err(QueryError::new(
                        name_offset,
                        format!("expected an attribute name after `attribute:`, found {after}"),
                    ));
                }
                if let Some((i, c)) = name
                    .char_indices()
                    .find(|&(_, c)| !is_attribute_name_char(c))
                {
                    return Err(QueryError::new(
                        name_offset + i,
                        format!(
                            "expected an attribute name (letters, digits, `-`, `_`, `.`, `/`, \
                             `\\`) followed by whitespace, found `{c}` in {}",
                            shown(name)
                        ),
                    ));
                }
                Subject::Attribute(name.to_owned())
            }
        };
        self.advance();
        Ok(subject)
    }

    /// The single value after operator `op`.
    fn parse_value(&mut self, op: &str) -> Result<&'a str, QueryError> {
        match self.peek() {
            Some(t) if t.kind == Kind::Quoted => {
                self.advance();
                Ok(t.value)
            }
            Some(t) if t.kind == Kind::Word && matches!(t.text, "and" | "or" | "&&" | "||") => {
                Err(self.error_here(format!(
                    "expected a value after `{op}`, found {} (quote it to use it as a value)",
                    self.found()
                )))
            }
            Some(t) if t.kind == Kind::Word => {
                self.advance();
                Ok(t.value)
            }
            _ => Err(self.error_here(format!(
                "expected a value after `{op}`, found {}",
                self.found()
            ))),
        }
    }

    /// The bracketed, comma-separated, non-empty list after operator `op`.
    fn parse_list(&mut self, op: &str) -> Result<Vec<String>, QueryError> {
        let open = match self.peek() {
            Some(t) if t.kind == Kind::LBracket => t.offset,
            _ => {
                return Err(self.error_here(format!(
                    "expected `[` to start the list of values after `{op}`, found {}",
                    self.found()
                )));
            }
        };
        self.advance();
        let mut values = Vec::new();
        loop {
            match self.peek() {
                Some(t) if matches!(t.kind, Kind::Word | Kind::Quoted) => {
                    values.push(t.value.to_owned());
                    self.advance();
                }
                _ => {
                    return Err(self.error_here(format!(
                        "expected a value in the list, found {}",
                        self.found()
                    )));
                }
            }
            match self.peek() {
                Some(t) if t.kind == Kind::Comma => self.advance(),
                Some(t) if t.kind == Kind::RBracket => {
                    self.advance();
                    return Ok(values);
                }
                _ => {
                    return Err(self.error_here(format!(
                        "expected `,` or `]` to close the list opened at offset {open}, found {}",
                        self.found()
                    )));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluator
// ---------------------------------------------------------------------------------------------

impl Node {
    /// Evaluates this node against `instance`.
    fn eval<I: InstanceView + ?Sized>(&self, instance: &I) -> bool {
        match self {
            Node::Or(items) => items.iter().any(|n| n.eval(instance)),
            Node::And(items) => items.iter().all(|n| n.eval(instance)),
            Node::Not(inner) => !inner.eval(instance),
            Node::Condition(c) => c.eval(instance),
        }
    }

    /// The first unmodelled subject, in reading order.
    fn unsupported_subject(&self) -> Option<&'static str> {
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

    fn reads_task_state(&self) -> bool {
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

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-built container instance.
    #[derive(Default)]
    struct Inst {
        attrs: Vec<(&'static str, &'static str)>,
        id: &'static str,
        tasks: u32,
        groups: Vec<&'static str>,
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

    fn inst(attrs: &[(&'static str, &'static str)]) -> Inst {
        Inst {
            attrs: attrs.to_vec(),
            id: "i-abcd1234",
            ..Inst::default()
        }
    }

    fn with_groups(groups: &[&'static str]) -> Inst {
        Inst {
            groups: groups.to_vec(),
            tasks: u32::try_from(groups.len()).unwrap_or(u32::MAX),
            ..inst(&[])
        }
    }

    fn ev(expr: &str, i: &Inst) -> bool {
        match Expression::parse(expr) {
            Ok(e) => e.eval(i),
            Err(err) => panic!("`{expr}` should parse: {err}"),
        }
    }

    fn err(expr: &str) -> QueryError {
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

    #[test]
    fn lexing_details() {
        let i = inst(&[("a b", "x"), ("k", "and"), ("e", ""), ("x", "a b")]);
        // Quoted values keep spaces and punctuation; empty quoted values are allowed.
        assert!(ev("attribute:x == 'a b'", &i));
        assert!(ev("attribute:e == ''", &i));
        assert!(ev("attribute:k == \"and\"", &i));
        assert!(ev("attribute:k in [and, or]", &i));
        // Punctuation separates tokens without whitespace.
        assert!(ev("attribute:x in['a b']and(attribute:k in[and])", &i));
        // Unicode whitespace separates tokens; values may contain any other character.
        assert!(ev("attribute:x\u{3000}!=\tcafé", &i));
        assert!(ev("attribute:u == ünïcødé", &inst(&[("u", "ünïcødé")])));
        // Word operators are case-sensitive.
        assert!(Expression::parse("attribute:x EQUALS y").is_err());
        assert!(Expression::parse("attribute:x exists AND attribute:y exists").is_err());
    }

    #[test]
    fn regex_is_anchored_and_cannot_escape() {
        let i = inst(&[("t", "g2.large")]);
        assert!(ev("attribute:t =~ 'g2\\..*'", &i));
        assert!(!ev("attribute:t =~ g2", &i));
        assert!(ev("attribute:t =~ 'large|g2.large'", &i));
        assert!(!ev("attribute:t =~ 'g|x'", &i));
        let e = err("attribute:t =~ 'a)|(b'");
        assert_eq!(e.offset, 15);
        // A verbose-mode pattern ending in a comment still works (and stays anchored).
        assert!(ev("attribute:t =~ '(?x) g2 [.] large # comment'", &i));
        assert!(!ev("attribute:t =~ '(?x) g2 # comment'", &i));
    }

    // --- errors --------------------------------------------------------------------------

    #[test]
    fn error_empty() {
        for src in ["", "   ", "\n\t"] {
            let e = err(src);
            assert_eq!(e.offset, src.len());
            assert_eq!(
                e.message,
                "expected a condition, `not` or `(`, found end of input"
            );
        }
    }

    #[test]
    fn error_unknown_subject() {
        let e = err("attribute:a exists and foo == 1");
        assert_eq!(e.offset, 23);
        assert_eq!(
            e.message,
            format!("expected a subject ({SUBJECT_LIST}), found `foo`")
        );
        let e = err("'quoted' == 1");
        assert_eq!(e.offset, 0);
        assert!(e.message.ends_with("found `'quoted'`"), "{}", e.message);
        let e = err("attribute: == 1");
        assert_eq!(e.offset, 10);
        assert_eq!(
            e.message,
            "expected an attribute name after `attribute:`, found whitespace"
        );
        let e = err("attribute:ecs.instance-type==t2.small");
        assert_eq!(e.offset, 27);
        assert!(e.message.contains("found `=` in"), "{}", e.message);
        let e = err("TASK:GROUP exists");
        assert_eq!(e.offset, 0);
        let e = err("task:group==x");
        assert_eq!(e.offset, 0);
        assert!(
            e.message.ends_with(
                "found `task:group==x` (separate the operator from the subject with whitespace)"
            ),
            "{}",
            e.message
        );
    }

    #[test]
    fn error_missing_operator() {
        let e = err("attribute:ecs.instance-type foo t2.small");
        assert_eq!(e.offset, 28);
        assert_eq!(
            e.message,
            format!("expected an operator ({OPERATOR_LIST}), found `foo`")
        );
        assert_eq!(
            e.to_string(),
            format!("at offset 28: expected an operator ({OPERATOR_LIST}), found `foo`")
        );
        let e = err("task:group");
        assert_eq!(e.offset, 10);
        assert!(e.message.ends_with("found end of input"));
        // `! in` with a space is not an operator.
        let e = err("task:group ! in [a]");
        assert_eq!(e.offset, 11);
    }

    #[test]
    fn error_missing_argument() {
        let e = err("attribute:a ==");
        assert_eq!(e.offset, 14);
        assert_eq!(e.message, "expected a value after `==`, found end of input");
        let e = err("attribute:a == and attribute:b exists");
        assert_eq!(e.offset, 15);
        assert_eq!(
            e.message,
            "expected a value after `==`, found `and` (quote it to use it as a value)"
        );
        let e = err("(attribute:a greater_than)");
        assert_eq!(e.offset, 25);
        assert_eq!(
            e.message,
            "expected a value after `greater_than`, found `)`"
        );
        let e = err("attribute:a in b");
        assert_eq!(e.offset, 15);
        assert_eq!(
            e.message,
            "expected `[` to start the list of values after `in`, found `b`"
        );
        let e = err("attribute:a in []");
        assert_eq!(e.offset, 16);
        assert_eq!(e.message, "expected a value in the list, found `]`");
        let e = err("attribute:a in [x,]");
        assert_eq!(e.offset, 18);
        let e = err("attribute:a in [x y]");
        assert_eq!(e.offset, 18);
    }

    #[test]
    fn error_unclosed() {
        let e = err("(attribute:a exists");
        assert_eq!(e.offset, 19);
        assert_eq!(
            e.message,
            "expected `)` to close the `(` at offset 0, found end of input"
        );
        let e = err("attribute:a in [x, y");
        assert_eq!(e.offset, 20);
        assert_eq!(
            e.message,
            "expected `,` or `]` to close the list opened at offset 15, found end of input"
        );
        let e = err("attribute:a == 'abc");
        assert_eq!(e.offset, 15);
        assert_eq!(
            e.message,
            "expected a closing `'` for this quoted value, found end of input"
        );
        let e = err("not (");
        assert_eq!(e.offset, 5);
    }

    #[test]
    fn error_trailing_tokens() {
        let e = err("attribute:a exists attribute:b exists");
        assert_eq!(e.offset, 19);
        assert_eq!(
            e.message,
            "expected `and`, `&&`, `or`, `||` or end of input, found `attribute:b`"
        );
        let e = err("attribute:a exists)");
        assert_eq!(e.offset, 18);
        let e = err("attribute:a == b c");
        assert_eq!(e.offset, 17);
        let e = err("attribute:a exists and");
        assert_eq!(e.offset, 22);
        assert_eq!(
            e.message,
            "expected a condition, `not` or `(`, found end of input"
        );
    }

    #[test]
    fn error_bad_regex() {
        let e = err("attribute:a =~ 'g2.('");
        assert_eq!(e.offset, 15);
        assert!(
            e.message
                .starts_with("expected a valid regular expression, found `g2.(` ("),
            "{}",
            e.message
        );
        assert!(e.message.contains("unclosed group"), "{}", e.message);
        // Java look-around is not supported by the `regex` crate.
        assert_eq!(err("attribute:a !~ '(?=x)'").offset, 15);
        // Too big once compiled.
        let e = err("attribute:a =~ '(\\w{500}){500}'");
        assert!(e.message.contains("bytes"), "{}", e.message);
    }

    #[test]
    fn error_too_long() {
        let head = "attribute:a == ";
        let ok = format!("{head}{}", "x".repeat(MAX_EXPRESSION_CHARS - head.len()));
        assert!(Expression::parse(&ok).is_ok());
        let long = format!("{ok}y");
        let e = err(&long);
        assert_eq!(e.offset, MAX_EXPRESSION_CHARS);
        assert_eq!(
            e.message,
            "expected at most 2000 characters, found an expression of 2001 characters"
        );
        // Characters, not bytes.
        let wide = format!("{head}{}", "é".repeat(MAX_EXPRESSION_CHARS - head.len()));
        assert!(Expression::parse(&wide).is_ok());
    }

    #[test]
    fn error_too_deep() {
        let nest = |n: usize| format!("{}task:group exists{}", "(".repeat(n), ")".repeat(n));
        assert!(Expression::parse(&nest(MAX_NESTING_DEPTH)).is_ok());
        let e = err(&nest(MAX_NESTING_DEPTH + 1));
        assert_eq!(e.offset, MAX_NESTING_DEPTH);
        assert_eq!(
            e.message,
            "expected at most 64 nested levels of parentheses and `not`, found more"
        );
        let nots = format!("{}task:group exists", "not ".repeat(400));
        assert_eq!(err(&nots).offset, 4 * MAX_NESTING_DEPTH);
        let bangs = format!("{}task:group exists", "!".repeat(400));
        assert_eq!(err(&bangs).offset, MAX_NESTING_DEPTH);
        let opens = "(".repeat(MAX_EXPRESSION_CHARS);
        assert_eq!(err(&opens).offset, MAX_NESTING_DEPTH);
    }

    #[test]
    fn fuzz_parse_never_panics() {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 33
        };
        let fragments = [
            "attribute:",
            "ecs.instance-type",
            "task:group",
            "runningTasksCount",
            "agentVersion",
            "registeredAt",
            "ec2InstanceId",
            "agentConnected",
            "==",
            "!=",
            ">",
            ">=",
            "<",
            "<=",
            "exists",
            "!exists",
            "in",
            "!in",
            "=~",
            "!~",
            "and",
            "or",
            "&&",
            "||",
            "not",
            "!",
            "(",
            ")",
            "[",
            "]",
            ",",
            "'",
            "\"",
            " ",
            "  ",
            "\t",
            "x",
            "1",
            "1.2.3",
            "g2.*",
            "(?=",
            "é",
            "\u{0}",
            "\u{3000}",
            "🦀",
            "\u{301}",
            "a)|(b",
            "attribute:a",
        ];
        let instances = [
            inst(&[("ecs.instance-type", "g2.large"), ("a", "1")]),
            with_groups(&["x", "1"]),
        ];
        for round in 0..20_000 {
            let source = if round % 2 == 0 {
                let len = usize::try_from(next() % 48).unwrap_or(0);
                let bytes: Vec<u8> = (0..len).map(|_| (next() & 0xff) as u8).collect();
                String::from_utf8_lossy(&bytes).into_owned()
            } else {
                let len = next() % 24;
                (0..len)
                    .map(|_| {
                        let k = usize::try_from(next()).unwrap_or(0) % fragments.len();
                        fragments[k]
                    })
                    .collect::<Vec<_>>()
                    .join(if next() % 2 == 0 { " " } else { "" })
            };
            match Expression::parse(&source) {
                Ok(e) => {
                    for i in &instances {
                        let _ = e.eval(i);
                    }
                    let _ = e.unsupported_subject();
                }
                Err(e) => {
                    assert!(e.offset <= source.len(), "{source:?}: {e}");
                    assert!(source.is_char_boundary(e.offset), "{source:?}: {e}");
                    assert!(!e.message.is_empty());
                }
            }
        }
    }
}
