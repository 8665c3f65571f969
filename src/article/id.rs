//! An article's id as a file name: whatever a newsroom's schema allows for
//! `id`, the id names exactly one file in its date folder, so it can never
//! climb out of it, hide, or break a path.

use std::fmt;

/// The longest id news accepts, in bytes (file systems take 255).
pub const MAX_ID_BYTES: usize = 200;

/// An id that is a safe file name: not empty, at most [`MAX_ID_BYTES`],
/// no `/`, `\`, control or NUL characters, not starting with `.`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(String);

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{id:?} cannot be an article's id: {reason}")]
pub struct InvalidId {
    pub id: String,
    pub reason: &'static str,
}

impl ArticleId {
    pub fn parse(id: &str) -> Result<Self, InvalidId> {
        let invalid = |reason| InvalidId {
            id: id.to_owned(),
            reason,
        };
        if id.is_empty() {
            return Err(invalid("it is empty"));
        }
        if id.len() > MAX_ID_BYTES {
            return Err(invalid("it is longer than 200 bytes"));
        }
        if id.starts_with('.') {
            return Err(invalid("a file name starting with `.` is hidden"));
        }
        if id.contains(['/', '\\']) {
            return Err(invalid("it would name a folder"));
        }
        if id.chars().any(char::is_control) {
            return Err(invalid("it holds a control character"));
        }
        Ok(Self(id.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The record's file name, `<id>.toml`.
    pub fn file_name(&self) -> String {
        format!("{}.toml", self.0)
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_file_names_are_ids() {
        assert!(ArticleId::parse("analysts-russian-japanese-relations").is_ok());
        assert!(ArticleId::parse("Ünïcode ok").is_ok());
        for bad in ["", "..", ".hidden", "a/b", "../x", "a\\b", "a\nb", "a\0b"] {
            assert!(ArticleId::parse(bad).is_err(), "{bad:?}");
        }
        assert!(ArticleId::parse(&"a".repeat(201)).is_err());
    }
}
