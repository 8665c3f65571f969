//! What can go wrong reading an index or changing an entry. Every message
//! names the index file; an io::Error stays the source, not part of the
//! message, so the command line prints it as a cause.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("cannot read the index file {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the index file {} is corrupt: {what}", path.display())]
    Corrupt { path: PathBuf, what: String },
    #[error("the index file {} has version {version}; git writes only versions 2, 3 and 4", path.display())]
    Version { path: PathBuf, version: u32 },
    #[error(
        "the index file {} needs the extension {signature:?}, which news does not understand",
        path.display()
    )]
    MandatoryExtension { path: PathBuf, signature: String },
    #[error(
        "the index file {} belongs to a SHA-256 repository; news reads only SHA-1 indexes",
        path.display()
    )]
    Sha256 { path: PathBuf },
    #[error("cannot stage {entry} in {}: it has unresolved merge conflicts", index.display())]
    Conflicted { index: PathBuf, entry: String },
    #[error(
        "cannot stage {entry} in {}: it lies inside {directory}, which this sparse index keeps as one directory entry",
        index.display()
    )]
    InsideSparseDirectory {
        index: PathBuf,
        entry: String,
        directory: String,
    },
    #[error("cannot stage {entry} in {}: the index already holds {other}", index.display())]
    DirectoryFileConflict {
        index: PathBuf,
        entry: String,
        other: String,
    },
    #[error("cannot stage {entry:?} in {}: git does not allow this path", index.display())]
    InvalidPath { index: PathBuf, entry: String },
    #[error("cannot stage {entry} in {}: mode {mode:o} is not a regular file's", index.display())]
    Mode {
        index: PathBuf,
        entry: String,
        mode: u32,
    },
}
