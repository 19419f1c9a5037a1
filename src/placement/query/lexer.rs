//! The lexer of the cluster query language: the text split into punctuation, quoted values and
//! words (the token rules are in the module documentation of `query`).

use super::QueryError;

/// The kind of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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
pub(super) struct Token<'a> {
    /// What kind of token this is.
    pub(super) kind: Kind,
    /// Byte offset of its first character.
    pub(super) offset: usize,
    /// Its text as written (with the quotes, for a quoted value).
    pub(super) text: &'a str,
    /// Its value: the text, without the quotes for a quoted value.
    pub(super) value: &'a str,
}

/// Whether `c` ends an unquoted word.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | ',' | '\'' | '"')
}

/// Splits `source` into tokens; the only lexical error is an unterminated quote.
pub(super) fn lex(source: &str) -> Result<Vec<Token<'_>>, QueryError> {
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

#[cfg(test)]
mod tests {
    use super::super::Expression;
    use super::super::tests::{ev, inst};

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
}
