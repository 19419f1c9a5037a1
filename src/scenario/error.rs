//! Errors in scenario files, located by line and column.

use std::path::PathBuf;

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read. The OS error is part of the message, not a `source()`, so
    /// that printing the error chain does not say it twice.
    #[error("cannot read scenario `{path}`: {error}")]
    Read {
        /// The scenario file.
        path: PathBuf,
        /// What the OS said.
        error: std::io::Error,
    },
    /// The file was read but is not a valid scenario.
    #[error("{}:{line}:{column}: {message}{}", path.display(), snippet_text(snippet, *column))]
    Invalid {
        /// The scenario file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column (characters).
        column: usize,
        /// What was found and what was expected.
        message: String,
        /// The offending line of the file.
        snippet: String,
    },
}

fn snippet_text(snippet: &str, column: usize) -> String {
    if snippet.is_empty() {
        return String::new();
    }
    format!(
        "\n  | {snippet}\n  | {}^",
        " ".repeat(column.saturating_sub(1))
    )
}

/// Maps byte offsets in a scenario's text to lines and columns.
#[derive(Debug, Clone)]
pub struct SourceMap<'a> {
    /// The scenario file.
    pub path: &'a std::path::Path,
    /// Its text.
    pub text: &'a str,
}

impl SourceMap<'_> {
    /// An error at byte `offset` with `message`.
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> ScenarioError {
        let (line, column) = self.line_column(offset);
        let offset = offset.min(self.text.len());
        let mut start = offset;
        while start > 0 && !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let line_start = self.text[..start].rfind('\n').map_or(0, |p| p + 1);
        let line_end = self.text[line_start..]
            .find('\n')
            .map_or(self.text.len(), |p| line_start + p);
        let snippet = self.text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string();
        ScenarioError::Invalid {
            path: self.path.to_path_buf(),
            line,
            column,
            message: message.into(),
            snippet,
        }
    }

    /// Whether nothing but blanks or a comment follows byte `offset` on its line: where the
    /// TOML parser reports a `key =` with no value as an unquoted string.
    pub fn line_ends_at(&self, offset: usize) -> bool {
        let offset = offset.min(self.text.len());
        if !self.text.is_char_boundary(offset) {
            return false;
        }
        let rest = &self.text[offset..];
        let rest = rest[..rest.find('\n').unwrap_or(rest.len())].trim();
        rest.is_empty() || rest.starts_with('#')
    }

    /// A TOML parser's message, made plain: a `key =` with nothing after it is reported as
    /// such (the parser says "string values must be quoted"), and the key the error is in is
    /// named when the message does not name it already.
    pub fn toml_message(&self, offset: usize, message: String) -> String {
        let message = if message.starts_with("string values must be quoted")
            && self.line_ends_at(offset)
        {
            "no value after `=`; expected a value (a quoted string, a number, true or false, an array or an inline table)".to_string()
        } else {
            message
        };
        match self.key_before(offset) {
            Some(k) if !message.contains(&format!("`{k}`")) => format!("field `{k}`: {message}"),
            _ => message,
        }
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let mut start = offset;
        while start > 0 && !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let before = &self.text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |p| p + 1);
        let column = self.text[line_start..start].chars().count() + 1;
        (line, column)
    }

    /// An error for a span, with the key written before it named in the message when the
    /// message does not already name a field.
    pub fn error_in(
        &self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> ScenarioError {
        self.error_at(span.start, message)
    }

    /// The key whose value encloses `offset` on its line (`key = value`, or `key = { .. }` /
    /// `key = [ .. ]` still open at `offset`), else the key that `offset` is at (`key = ...`,
    /// e.g. a duplicate key), to name the field in messages from the TOML parser that do not.
    pub fn key_before(&self, offset: usize) -> Option<String> {
        let offset = offset.min(self.text.len());
        if !self.text.is_char_boundary(offset) {
            return None;
        }
        let line_start = self.text[..offset].rfind('\n').map_or(0, |p| p + 1);
        let head = &self.text[line_start..offset];
        for eq in unquoted(head, '=').0.into_iter().rev() {
            let value = &head[eq + 1..];
            if value.trim().is_empty() || still_open(value) {
                let key = head[..eq].trim_end();
                let word: String = key
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '"' | '.'))
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let word = word.trim_matches('"').to_string();
                return (!word.is_empty()).then_some(word);
            }
        }
        let rest = &self.text[offset..];
        let key_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-')))
            .unwrap_or(rest.len());
        let after = rest[key_len..].trim_start_matches([' ', '\t']);
        (key_len > 0 && after.starts_with('=')).then(|| rest[..key_len].to_string())
    }
}

/// Byte offsets of `wanted` in `text` outside TOML strings, and whether a string is still
/// open at the end of `text`.
fn unquoted(text: &str, wanted: char) -> (Vec<usize>, bool) {
    let mut out = Vec::new();
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == wanted => out.push(i),
            None => {}
        }
    }
    (out, quote.is_some())
}

/// Whether `value` (the text after a `=`) is still open at its end: a string not closed, or
/// more `{`/`[` than `}`/`]` outside strings.
fn still_open(value: &str) -> bool {
    let (_, in_string) = unquoted(value, '"');
    let count = |c: char| unquoted(value, c).0.len();
    in_string || count('{') + count('[') > count('}') + count(']')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines_and_columns() {
        let text = "a = 1\nbb = \"x\"\n";
        let m = SourceMap {
            path: std::path::Path::new("s.toml"),
            text,
        };
        match m.error_at(11, "bad") {
            ScenarioError::Invalid {
                line,
                column,
                snippet,
                ..
            } => {
                assert_eq!((line, column), (2, 6));
                assert_eq!(snippet, "bb = \"x\"");
            }
            other => panic!("{other}"),
        }
        assert_eq!(m.key_before(11).as_deref(), Some("bb"));
        assert_eq!(m.key_before(6).as_deref(), Some("bb"), "at a key: that key");
        let e = m.error_at(11, "bad").to_string();
        assert!(e.starts_with("s.toml:2:6: bad"), "{e}");
        let nested = "a = { b = { c = 1, d = 2 } }";
        let m = SourceMap {
            path: std::path::Path::new("s.toml"),
            text: nested,
        };
        let d = nested.find('d').unwrap_or_default();
        assert_eq!(
            m.key_before(d).as_deref(),
            Some("b"),
            "in `b`, not after `c =`"
        );
        let m = SourceMap {
            path: std::path::Path::new("s.toml"),
            text: "x = [{ e = \"a == {\" }, 5]",
        };
        assert_eq!(
            m.key_before(23).as_deref(),
            Some("x"),
            "strings are skipped"
        );
        let m = SourceMap {
            path: std::path::Path::new("s.toml"),
            text: "a = 1\nb = \"x = y",
        };
        assert_eq!(
            m.key_before(15).as_deref(),
            Some("b"),
            "in an unclosed string"
        );
    }
}
