//! What can go wrong in the git layer, with the cause kept: a `git2::Error`
//! or an `io::Error` stays the source of every error it caused, and the
//! failures a user acts on differently (not a repository, not yours, no
//! permission, a full disk) are told apart.

use std::path::PathBuf;
use std::time::Duration;

use super::hooks::HookError;
use super::index_file::IndexError;
use super::sign::SignError;

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{} is not in a git repository", path.display())]
    NotARepository {
        path: PathBuf,
        #[source]
        source: git2::Error,
    },
    #[error("the repository at {} is not owned by you, and git trusts it only when safe.directory names it", path.display())]
    NotOwned {
        path: PathBuf,
        #[source]
        source: git2::Error,
    },
    #[error("permission denied: cannot {action}")]
    PermissionDenied {
        action: String,
        #[source]
        source: Cause,
    },
    #[error("the disk is full: cannot {action}")]
    DiskFull {
        action: String,
        #[source]
        source: Cause,
    },
    /// An object does not hash to its id: a damaged pack, index or loose
    /// object.
    #[error("the repository is damaged: cannot {action}")]
    Damaged {
        action: String,
        #[source]
        source: Cause,
    },
    /// A revision the user named that names no commit here.
    #[error("cannot find the revision {revision:?}{}", if *shallow { " in this shallow clone" } else { "" })]
    UnknownRevision {
        revision: String,
        /// Whether the repository's history is cut short.
        shallow: bool,
        #[source]
        source: git2::Error,
    },
    /// A revision the user named that names something other than a
    /// commit (a tag of a blob, a tree).
    #[error("the revision {revision:?} names no commit")]
    NotACommit {
        revision: String,
        #[source]
        source: git2::Error,
    },
    #[error(
        "no identity to commit as: neither GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL nor user.name and user.email are set"
    )]
    NoIdentity,
    #[error("{variable} is not a date git understands: {value:?}")]
    BadDate { variable: String, value: String },
    #[error("{path} was changed by commit {commit} while this command ran")]
    Conflict { path: String, commit: String },
    #[error("{what} stayed locked for {} seconds", waited.as_secs())]
    Busy { what: String, waited: Duration },
    #[error("{} exists (for {}), and news cannot tell which program left it", path.display(), age_text(*age))]
    Locked { path: PathBuf, age: Duration },
    #[error("HEAD is detached (at {commit}); news commits only on a branch")]
    Detached { commit: String },
    #[error("a {operation} is in progress; news does not commit in the middle of it")]
    InProgress { operation: &'static str },
    #[error("{path} has {state}; news does not overwrite them")]
    Uncommitted { path: String, state: Pending },
    #[error("{} is a bare repository: there is no work tree to commit from", path.display())]
    Bare { path: PathBuf },
    #[error("{path} is not a regular file")]
    NotAFile { path: String },
    #[error("{path} lies behind the link {link}; news never reads or writes through a link")]
    BehindLink { path: String, link: String },
    #[error(transparent)]
    Hook(#[from] HookError),
    #[error("cannot sign the commit")]
    Sign(#[from] SignError),
    #[error("cannot use the index")]
    Index(#[from] IndexError),
    #[error("cannot {action}")]
    Git {
        action: String,
        #[source]
        source: git2::Error,
    },
    #[error("cannot {action}")]
    Io {
        action: String,
        #[source]
        source: std::io::Error,
    },
}

/// What a path holds that is not committed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pending {
    /// The index differs from HEAD.
    Staged,
    /// The work tree differs from the index.
    Unstaged,
    /// In the work tree, in neither HEAD nor the index.
    Untracked,
    /// In HEAD or the index, missing from the work tree.
    Deleted,
    /// Unmerged entries in the index.
    Conflicted,
}

impl std::fmt::Display for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Pending::Staged => "staged changes (git diff --cached)",
            Pending::Unstaged => "uncommitted changes (git diff)",
            Pending::Untracked => "never been committed (it is untracked)",
            Pending::Deleted => "been deleted without a commit (git status)",
            Pending::Conflicted => "merge conflicts",
        })
    }
}

/// The underlying failure of a [`GitError::PermissionDenied`] or
/// [`GitError::DiskFull`].
#[derive(Debug, thiserror::Error)]
pub enum Cause {
    #[error(transparent)]
    Git(#[from] git2::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl GitError {
    /// A libgit2 failure while doing `action`, told apart by its cause.
    pub(super) fn git(action: impl Into<String>, source: git2::Error) -> Self {
        let action = action.into();
        // libgit2 keeps errno of a failed write or open; its own message
        // can be empty ("no error") when the disk filled up.
        let os = std::io::Error::last_os_error();
        let os_failure = source.class() == git2::ErrorClass::Os
            || source.message().is_empty()
            || source.message() == "no error";
        match os.kind() {
            std::io::ErrorKind::StorageFull if os_failure || mentions_full(&source) => {
                GitError::DiskFull {
                    action,
                    source: source.into(),
                }
            }
            std::io::ErrorKind::PermissionDenied if source.class() == git2::ErrorClass::Os => {
                GitError::PermissionDenied {
                    action,
                    source: source.into(),
                }
            }
            _ if mentions_full(&source) => GitError::DiskFull {
                action,
                source: source.into(),
            },
            _ if source.code() == git2::ErrorCode::HashsumMismatch
                || source.message().contains(super::pack::DAMAGED) =>
            {
                GitError::Damaged {
                    action,
                    source: source.into(),
                }
            }
            _ => GitError::Git { action, source },
        }
    }

    /// A file-system failure while doing `action`, told apart by its kind.
    pub(super) fn io(action: impl Into<String>, source: std::io::Error) -> Self {
        let action = action.into();
        match source.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                GitError::DiskFull {
                    action,
                    source: source.into(),
                }
            }
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                GitError::PermissionDenied {
                    action,
                    source: source.into(),
                }
            }
            _ => GitError::Io { action, source },
        }
    }

    /// A failure to open the repository `path` is in.
    pub(super) fn open(path: PathBuf, source: git2::Error) -> Self {
        match source.code() {
            git2::ErrorCode::NotFound => GitError::NotARepository { path, source },
            git2::ErrorCode::Owner => GitError::NotOwned { path, source },
            _ => GitError::git(format!("open the repository at {}", path.display()), source),
        }
    }
}

fn mentions_full(error: &git2::Error) -> bool {
    error.message().contains("No space left") || error.message().contains("Disk quota")
}

/// `42 seconds`, `3 minutes`, `2 hours`, `5 days`.
pub(super) fn age_text(age: Duration) -> String {
    let seconds = age.as_secs();
    let (count, unit) = match seconds {
        0..120 => (seconds, "second"),
        120..7200 => (seconds / 60, "minute"),
        7200..172_800 => (seconds / 3600, "hour"),
        _ => (seconds / 86_400, "day"),
    };
    format!("{count} {unit}{}", if count == 1 { "" } else { "s" })
}
