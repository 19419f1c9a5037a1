//! Errors in scenario files, located by line and column.

use std::path::PathBuf;

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario `{path}`: {source}")]
    Read {
        /// The scenario file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
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
        let offset = offset.min(self.text.len());
        let mut start = offset;
        while start > 0 && !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let before = &self.text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |p| p + 1);
        let column = self.text[line_start..start].chars().count() + 1;
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

    /// An error for a span, with the key written before it named in the message when the
    /// message does not already name a field.
    pub fn error_in(
        &self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> ScenarioError {
        self.error_at(span.start, message)
    }

    /// The key just before `offset` on its line (`key = value`), to name the field in messages
    /// from the TOML parser that do not.
    pub fn key_before(&self, offset: usize) -> Option<String> {
        let offset = offset.min(self.text.len());
        if !self.text.is_char_boundary(offset) {
            return None;
        }
        let line_start = self.text[..offset].rfind('\n').map_or(0, |p| p + 1);
        let head = &self.text[line_start..offset];
        let eq = head.rfind('=')?;
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
        (!word.is_empty()).then_some(word)
    }
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
        let e = m.error_at(11, "bad").to_string();
        assert!(e.starts_with("s.toml:2:6: bad"), "{e}");
    }
}
