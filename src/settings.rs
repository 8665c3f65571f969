//! Settings files (news.toml, the schema, the vocabulary): reading one
//! the safe way, and what can be wrong with it. A leaf module: the schema
//! and the newsroom both use it, and it uses neither.

use std::fmt;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::article::{FieldPath, Location, line_text, locate};
use crate::files::{ReadError, read_inside};
use crate::schema::did_you_mean;

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
    /// The settings say they need a newer news than this one.
    #[error("{}:{line}:{column}: {}", path.display(), self.what())]
    TooOld {
        path: PathBuf,
        line: usize,
        column: usize,
        needed: String,
        running: &'static str,
    },
}

impl ConfigError {
    /// The settings file that cannot be used, as the error names it.
    pub fn path(&self) -> &Path {
        match self {
            ConfigError::Read { path, .. }
            | ConfigError::Syntax { path, .. }
            | ConfigError::Invalid { path, .. }
            | ConfigError::TooOld { path, .. } => path,
        }
    }

    /// Where in the file the error is: its start, when the error has no
    /// place of its own.
    pub fn location(&self) -> Location {
        match *self {
            ConfigError::Syntax { line, column, .. } | ConfigError::TooOld { line, column, .. } => {
                Location {
                    line,
                    column,
                    end_line: line,
                    end_column: column,
                }
            }
            ConfigError::Read { .. } | ConfigError::Invalid { .. } => Location::START,
        }
    }

    /// What is wrong, without the file's name or the place in it.
    pub fn what(&self) -> String {
        match self {
            ConfigError::Read { source, .. } => {
                let causes =
                    std::iter::successors(Some(source as &dyn std::error::Error), |error| {
                        error.source()
                    });
                causes
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(": ")
            }
            ConfigError::Syntax { message, .. } | ConfigError::Invalid { message, .. } => {
                message.clone()
            }
            ConfigError::TooOld {
                needed, running, ..
            } => format!("this newsroom needs news {needed} or later; this is news {running}"),
        }
    }

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

/// The keys a settings table knows, to tell the ones it does not.
#[derive(Clone, Copy, Debug)]
pub enum Known {
    /// A value, or a table of free keys (disclaimers by genre): nothing
    /// below it is checked.
    Value,
    /// A table with these keys.
    Table(&'static [(&'static str, Known)]),
    /// An array of tables, each with these keys.
    Tables(&'static [(&'static str, Known)]),
}

/// A key of a settings file that this version of news does not know. A
/// warning, not an error: the file may have been written for a newer news,
/// and the settings this one knows still hold. The library returns these;
/// the command line says them, and `news validate` reports them as findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSetting {
    pub path: PathBuf,
    /// Where the key stands.
    pub location: Location,
    /// The text of the key's line.
    pub source_line: String,
    /// The key's path: `newsroom.timzone`, `tag[3].colour`.
    pub field: FieldPath,
    /// What is wrong and what to do, without the place: "unknown key
    /// `timzone` in [newsroom], ignored; did you mean `timezone`?".
    pub message: String,
}

impl fmt::Display for UnknownSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.location.line,
            self.location.column,
            self.message
        )
    }
}

/// The keys of `table` (the settings file at `path`, whose text is `text`)
/// that `known` does not list, in the order they stand in the file.
pub fn unknown_keys(
    text: &str,
    path: &Path,
    table: &DeTable<'_>,
    known: &'static [(&'static str, Known)],
) -> Vec<UnknownSetting> {
    let mut found = Vec::new();
    let mut walk = Walk {
        text,
        path,
        top: known,
        found: &mut found,
    };
    walk.table(table, known, &FieldPath::root(), "");
    found.sort_by_key(|warning| (warning.location.line, warning.location.column));
    found
}

struct Walk<'w> {
    text: &'w str,
    path: &'w Path,
    top: &'static [(&'static str, Known)],
    found: &'w mut Vec<UnknownSetting>,
}

impl Walk<'_> {
    /// `header` is how the file names the table: `[newsroom]`, `[[tag]]`,
    /// or nothing for the top level.
    fn table(
        &mut self,
        table: &DeTable<'_>,
        known: &'static [(&'static str, Known)],
        field: &FieldPath,
        header: &str,
    ) {
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            let here = field.key(name);
            let dotted = match header {
                "" => name.to_owned(),
                _ => format!("{}.{name}", header.trim_matches(['[', ']'])),
            };
            match known.iter().find(|(known_name, _)| *known_name == name) {
                Some((_, Known::Value)) => {}
                Some((_, Known::Table(keys))) => {
                    if let DeValue::Table(inner) = value.get_ref() {
                        self.table(inner, keys, &here, &format!("[{dotted}]"));
                    }
                }
                Some((_, Known::Tables(keys))) => {
                    if let DeValue::Array(items) = value.get_ref() {
                        for (index, item) in items.iter().enumerate() {
                            if let DeValue::Table(inner) = item.get_ref() {
                                self.table(
                                    inner,
                                    keys,
                                    &here.index(index),
                                    &format!("[[{dotted}]]"),
                                );
                            }
                        }
                    }
                }
                None => {
                    let mut message = format!("unknown key `{name}`");
                    if !header.is_empty() {
                        message.push_str(&format!(" in {header}"));
                    }
                    message.push_str(", ignored");
                    let at_top = !header.is_empty()
                        && self.top.iter().any(|(top_name, _)| *top_name == name);
                    if at_top {
                        message.push_str(&format!(
                            "; `{name}` belongs at the top of the file, before any [table]"
                        ));
                    } else if let Some(near) =
                        did_you_mean(name, known.iter().map(|(known_name, _)| *known_name))
                    {
                        message.push_str(&format!("; did you mean `{near}`?"));
                    }
                    let location = locate(self.text, &key.span());
                    self.found.push(UnknownSetting {
                        path: self.path.to_owned(),
                        location,
                        source_line: line_text(self.text, location.line).to_owned(),
                        field: here,
                        message,
                    });
                }
            }
        }
    }
}
