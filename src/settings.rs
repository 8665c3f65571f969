//! Settings files (news.toml, the schema, the vocabulary): reading one
//! the safe way, and what can be wrong with it. A leaf module: the schema
//! and the newsroom both use it, and it uses neither.

use std::path::{Path, PathBuf};

use crate::article::{Location, locate};
use crate::files::{ReadError, read_inside};

/// A settings file (news.toml, the schema, the vocabulary) that cannot be
/// used. Commands stop on these (exit 2): without its settings a newsroom
/// cannot judge its records.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: ReadError,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
}

impl ConfigError {
    /// A TOML error of the file at `path` whose text is `text`.
    pub fn toml(path: &Path, text: &str, error: &toml::de::Error) -> Self {
        let Location { line, column, .. } = error
            .span()
            .map_or(Location::START, |span| locate(text, &span));
        ConfigError::Syntax {
            path: path.to_owned(),
            line,
            column,
            message: error.message().trim_end().to_owned(),
        }
    }
}

/// The text of a settings file of the newsroom at `root`, read the safe
/// way; none when there is no such file.
pub fn read_setting(path: &Path, root: &Path) -> Result<Option<String>, ConfigError> {
    let failed = |source| ConfigError::Read {
        path: path.to_owned(),
        source,
    };
    match read_inside(path, Some(root)) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|error| {
            failed(ReadError::Io {
                path: path.to_owned(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidData, error.utf8_error()),
            })
        }),
        Err(ReadError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Ok(None)
        }
        Err(error) => Err(failed(error)),
    }
}
