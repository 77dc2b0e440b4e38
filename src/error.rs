//! The one error type the command line sees, and the location it points at.
//!
//! Every stage has its own typed error (`ConfigError`, `ContentError`, ...). They all
//! end up here so that `main` can print one friendly report: where (file:line:column
//! when known), what went wrong, and what to do about it. Nothing below `main` prints.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a file: the path, and a 1-based line and column when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    /// A location that names only the file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            file: path.into(),
            line: None,
            column: None,
        }
    }

    /// The location of byte `offset` inside `text`, which was read from `path`.
    /// Columns count characters, not bytes, as editors do.
    pub fn at_offset(path: impl Into<PathBuf>, text: &str, offset: usize) -> Self {
        let (line, column) = line_col(text, offset);
        Location {
            file: path.into(),
            line: Some(line),
            column: Some(column),
        }
    }

    /// Best-effort location of the first `key = …` line in `text` (read from
    /// `path`), for errors found after parsing; the file alone when absent.
    pub fn of_key(path: impl Into<PathBuf>, text: &str, key: &str) -> Self {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix(key)
                && rest.trim_start().starts_with('=')
            {
                let indent = line.len() - trimmed.len();
                return Location::at_offset(path, text, offset + indent);
            }
            offset += line.len();
        }
        Location::file(path)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// 1-based line and column of byte `offset` in `text`. Offsets past the end, or in
/// the middle of a character, are clamped rather than trusted.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Every error a command can end with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Content(#[from] crate::content::ContentError),
    #[error(transparent)]
    Extract(#[from] crate::extract::ExtractError),
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {message}\n  what to do: {hint}")]
    Io {
        path: PathBuf,
        message: String,
        hint: String,
    },
}

impl Error {
    /// An IO failure on `path`, with advice for the reader.
    pub fn io(path: &Path, err: &std::io::Error, hint: &str) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            message: err.to_string(),
            hint: hint.to_string(),
        }
    }
}

/// Several errors at once: a build reports every broken file, not only the first.
#[derive(Debug)]
pub struct Errors(pub Vec<Error>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, err) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {err}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

impl From<Error> for Errors {
    fn from(err: Error) -> Self {
        Errors(vec![err])
    }
}

macro_rules! errors_from_stage {
    ($($ty:path),*) => {$(
        impl From<$ty> for Errors {
            fn from(err: $ty) -> Self {
                Errors(vec![Error::from(err)])
            }
        }
    )*};
}
errors_from_stage!(
    crate::config::ConfigError,
    crate::content::ContentError,
    crate::extract::ExtractError,
    crate::render::RenderError,
    crate::output::OutputError
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_characters() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4));
        assert_eq!(line_col(text, 8), (3, 1));
        // past the end and inside a character are clamped
        assert_eq!(line_col(text, 99), (3, 2));
        assert_eq!(line_col(text, 6), (2, 3));
    }

    #[test]
    fn location_display() {
        let loc = Location::at_offset("site.toml", "a = 1\nb = 2", 6);
        assert_eq!(loc.to_string(), "site.toml:2:1");
        assert_eq!(Location::file("x.md").to_string(), "x.md");
    }
}
