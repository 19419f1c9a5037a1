//! The recursive-descent parser of the cluster query language: tokens to an [`ast`](super::ast)
//! tree, with the grammar of the module documentation of `query` and errors that say where,
//! what was found and what was expected.

use regex::{Regex, RegexBuilder};

use super::ast::{CmpOp, Condition, Node, Predicate, Subject};
use super::lexer::{Kind, Token};
use super::{
    MAX_NESTING_DEPTH, MAX_SHOWN_CHARS, OPERATOR_LIST, QueryError, REGEX_SIZE_LIMIT, SUBJECT_LIST,
};

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

/// `text` in backticks, cut short if it is long.
fn shown(text: &str) -> String {
    if text.chars().nth(MAX_SHOWN_CHARS).is_some() {
        let head: String = text.chars().take(MAX_SHOWN_CHARS).collect();
        format!("`{head}…`")
    } else {
        format!("`{text}`")
    }
}

/// Recursive-descent parser over the token list.
pub(super) struct Parser<'a> {
    /// The expression text.
    pub(super) source: &'a str,
    /// Its tokens.
    pub(super) tokens: Vec<Token<'a>>,
    /// Index of the next token.
    pub(super) pos: usize,
    /// Current nesting of parentheses and `not`.
    pub(super) depth: usize,
}

impl<'a> Parser<'a> {
    /// The next token, if any.
    pub(super) fn peek(&self) -> Option<Token<'a>> {
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
    pub(super) fn found(&self) -> String {
        self.peek()
            .map_or_else(|| "end of input".to_owned(), |t| shown(t.text))
    }

    /// An error at the next token.
    pub(super) fn error_here(&self, message: String) -> QueryError {
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
    pub(super) fn parse_or(&mut self) -> Result<Node, QueryError> {
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

#[cfg(test)]
mod tests {
    use super::super::tests::{err, ev, inst, with_groups};
    use super::super::{Expression, MAX_EXPRESSION_CHARS};
    use super::*;

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
