//! The journal: what a committing news command is about to do, written
//! under news's lock before it touches the work tree, so that the next
//! command can finish or undo exactly what a killed one left — and
//! nothing the journal cannot prove was news's own.
//!
//! The journal names no file but the records: every file news makes on
//! the way has a name made from the command's pid (the lock witnesses in
//! the git dir, the temporary and backup files beside each record), so a
//! damaged or crafted journal cannot point news at anything else.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::GitError;
use super::worktree::{raw_id, read_file, remove_if_present, remove_new_folders};

const FILE_NAME: &str = "news-journal.json";

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Journal {
    pub pid: u32,
    /// Seconds since the Unix epoch.
    pub started: i64,
    /// The branch the commit moves (`refs/heads/…`).
    pub head_ref: String,
    /// The commit that the branch is about to move to, once it is made.
    pub commit: Option<String>,
    pub files: Vec<JournalFile>,
}

/// One work-tree file the command writes.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct JournalFile {
    /// Relative to the top of the work tree, `/`-separated.
    pub path: String,
    /// The raw id of the file's bytes before (none: there was no file).
    pub old_file: Option<String>,
    /// The raw id of the bytes news writes (none: news removes the file).
    pub new_file: Option<String>,
    /// The blob committed for it, after git's clean filters (none: the
    /// commit removes it).
    pub new_blob: Option<String>,
    /// How many of the folders it lies in news made for it (the innermost
    /// ones), to be removed again when the file is.
    #[serde(default)]
    pub new_folders: usize,
}

/// What a journalled file holds now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Written {
    /// The bytes news wrote.
    New,
    /// What it held before (or nothing, as before).
    Old,
    /// Something else: changed since, by someone else.
    Other,
}

/// What a file beside a record is for.
#[derive(Clone, Copy)]
pub(super) enum Sibling {
    /// The new content, before it is renamed over the record.
    Temporary,
    /// A hard link to the record as it was.
    Backup,
}

impl Journal {
    /// A journal for this process, with nothing done yet.
    pub(super) fn start(head_ref: &str) -> Self {
        Self {
            pid: std::process::id(),
            started: chrono::Utc::now().timestamp(),
            head_ref: head_ref.to_owned(),
            commit: None,
            files: Vec::new(),
        }
    }

    pub(super) fn path(git_dir: &Path) -> PathBuf {
        git_dir.join(FILE_NAME)
    }

    /// news's own hard link to the lock file of `what` ("index", "ref"):
    /// the proof that a `.lock` file is news's (see `LockFile`).
    pub(super) fn witness(&self, git_dir: &Path, what: &str) -> PathBuf {
        git_dir.join(format!("news-{}.{what}-lock", self.pid))
    }

    /// The temporary index `git commit --only` would hand the hooks.
    pub(super) fn hook_index(&self, git_dir: &Path) -> PathBuf {
        git_dir.join(format!("next-index-{}.lock", self.pid))
    }

    /// A file beside the `number`th record, named after this command.
    pub(super) fn sibling(&self, top: &Path, number: usize, kind: Sibling) -> PathBuf {
        let full = top.join(&self.files[number].path);
        let kind = match kind {
            Sibling::Temporary => "tmp",
            Sibling::Backup => "old",
        };
        full.with_file_name(format!(".news-{}-{number}.{kind}", self.pid))
    }

    /// What the `number`th file holds now. Anything but a regular file is
    /// someone else's.
    pub(super) fn written(&self, top: &Path, number: usize) -> Result<Written, GitError> {
        let file = &self.files[number];
        let now = match read_file(&top.join(&file.path), &file.path) {
            Ok(Some(bytes)) => Some(raw_id(&bytes)?.to_string()),
            Ok(None) => None,
            Err(_) => return Ok(Written::Other),
        };
        Ok(if now == file.new_file {
            Written::New
        } else if now == file.old_file {
            Written::Old
        } else {
            Written::Other
        })
    }

    /// Removes the temporary and backup files news made beside the
    /// `number`th file.
    pub(super) fn tidy(&self, top: &Path, number: usize) -> Result<(), GitError> {
        remove_if_present(&self.sibling(top, number, Sibling::Temporary))?;
        remove_if_present(&self.sibling(top, number, Sibling::Backup))
    }

    /// Puts the `number`th file back as it was, when it still holds what
    /// news wrote (what it holds otherwise is kept); tidies beside it, and
    /// removes the folders news made for it once it is gone. Returns what
    /// the file held.
    pub(super) fn undo(&self, top: &Path, number: usize) -> Result<Written, GitError> {
        let file = &self.files[number];
        let full = top.join(&file.path);
        let written = self.written(top, number)?;
        // Bytes news wrote that are the bytes that were there (a hand
        // edit committed as it is) need nothing put back.
        if written == Written::New && file.old_file != file.new_file {
            match file.old_file {
                Some(_) => {
                    let backup = self.sibling(top, number, Sibling::Backup);
                    std::fs::rename(&backup, &full).map_err(|error| {
                        GitError::io(format!("put back {}", full.display()), error)
                    })?
                }
                None => remove_if_present(&full)?,
            }
        }
        self.tidy(top, number)?;
        if file.old_file.is_none() && !full.exists() {
            remove_new_folders(top, &file.path, file.new_folders);
        }
        Ok(written)
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

    /// The journal a command left, if any. One that cannot be read, or
    /// that names a path outside the work tree or a ref that is not a
    /// branch, is an error: it is kept for a person to look at.
    pub(super) fn load(git_dir: &Path) -> Result<Option<Self>, GitError> {
        let path = Self::path(git_dir);
        let text = match std::fs::read(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(GitError::io(format!("read {}", path.display()), error)),
        };
        let refused = |problem: String| {
            GitError::io(
                format!(
                    "use {}, news's record of an unfinished command; look at the work tree, then move the file away",
                    path.display()
                ),
                std::io::Error::new(std::io::ErrorKind::InvalidData, problem),
            )
        };
        let journal: Self =
            serde_json::from_slice(&text).map_err(|error| refused(error.to_string()))?;
        if !journal.head_ref.starts_with("refs/heads/") || !is_inside(&journal.head_ref) {
            return Err(refused(format!("{:?} is not a branch", journal.head_ref)));
        }
        if let Some(file) = journal.files.iter().find(|file| !is_inside(&file.path)) {
            return Err(refused(format!(
                "{:?} is not a path inside the work tree",
                file.path
            )));
        }
        Ok(Some(journal))
    }

    pub(super) fn remove(git_dir: &Path) -> Result<(), GitError> {
        remove_if_present(&Self::path(git_dir))
    }

    /// Removes the temporary journals killed commands left (their names
    /// are news's alone; no other news command runs while this one holds
    /// news's lock).
    pub(super) fn remove_strays(git_dir: &Path) -> Result<(), GitError> {
        let entries = std::fs::read_dir(git_dir)
            .map_err(|error| GitError::io(format!("list {}", git_dir.display()), error))?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&format!("{FILE_NAME}.")) && name.ends_with(".tmp") {
                remove_if_present(&entry.path())?;
            }
        }
        Ok(())
    }
}

/// A relative path that stays below where it starts: no root, no `..`.
fn is_inside(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|component| matches!(component, Component::Normal(_)))
}
