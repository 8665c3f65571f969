//! The journal: what a committing news command is about to do, written
//! under news's lock before it touches the work tree, so that the next
//! command can finish or undo exactly what a killed one left — and
//! nothing the journal cannot prove was news's own.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::GitError;
use super::worktree::remove_if_present;

const FILE_NAME: &str = "news-journal.json";

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Journal {
    pub pid: u32,
    /// Seconds since the Unix epoch.
    pub started: i64,
    pub head_ref: String,
    pub old_tip: Option<String>,
    /// The commit that HEAD is about to move to, once it is made.
    pub commit: Option<String>,
    /// news's own hard link to the `index.lock` it creates: the proof
    /// that a `.lock` file is news's (see `LockFile`).
    pub witness: PathBuf,
    pub files: Vec<JournalFile>,
}

/// One work-tree file the command writes.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct JournalFile {
    /// Relative to the top of the work tree, `/`-separated.
    pub path: String,
    /// The raw id of the file's bytes before (none: there was no file).
    pub old_file: Option<String>,
    /// The raw id of the bytes news writes.
    pub new_file: String,
    /// The blob committed for it (after git's clean filters).
    pub new_blob: String,
    /// A hard link to the old file, beside it.
    pub backup: Option<PathBuf>,
    /// The temporary file the new content is written to, beside it.
    pub temporary: PathBuf,
}

impl Journal {
    /// A journal for this process, with nothing done yet.
    pub(super) fn start(git_dir: &Path, head_ref: &str) -> Self {
        Self {
            pid: std::process::id(),
            started: chrono::Utc::now().timestamp(),
            head_ref: head_ref.to_owned(),
            old_tip: None,
            commit: None,
            witness: git_dir.join(format!("news-{}.index-lock", std::process::id())),
            files: Vec::new(),
        }
    }

    pub(super) fn path(git_dir: &Path) -> PathBuf {
        git_dir.join(FILE_NAME)
    }

    /// Writes the journal (a temporary file renamed over it).
    pub(super) fn save(&self, git_dir: &Path) -> Result<(), GitError> {
        let path = Self::path(git_dir);
        let action = || format!("write {}", path.display());
        let text = serde_json::to_vec_pretty(self)
            .map_err(|error| GitError::io(action(), std::io::Error::other(error)))?;
        let temporary = git_dir.join(format!("{FILE_NAME}.{}.tmp", std::process::id()));
        std::fs::write(&temporary, text)
            .and_then(|()| std::fs::rename(&temporary, &path))
            .map_err(|error| {
                let _ = std::fs::remove_file(&temporary);
                GitError::io(action(), error)
            })
    }

    /// The journal a command left, if any. One that cannot be read is
    /// an error: it is kept for a person to look at.
    pub(super) fn load(git_dir: &Path) -> Result<Option<Self>, GitError> {
        let path = Self::path(git_dir);
        let text = match std::fs::read(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(GitError::io(format!("read {}", path.display()), error)),
        };
        serde_json::from_slice(&text).map(Some).map_err(|error| {
            GitError::io(
                format!(
                    "read {} (news's record of an unfinished command; move it away if you have checked the work tree)",
                    path.display()
                ),
                std::io::Error::new(std::io::ErrorKind::InvalidData, error),
            )
        })
    }

    pub(super) fn remove(git_dir: &Path) -> Result<(), GitError> {
        remove_if_present(&Self::path(git_dir))
    }
}
