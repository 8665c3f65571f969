//! Editorial history: what each commit did to a record, told from the
//! change itself.

mod action;
mod cache;
mod check;
mod log;
mod rules;

use std::path::Path;

pub use action::{Action, classify};
pub use check::{BaseRequest, located, validate_base};
pub use log::{Entry, LogFilter, newsroom_log, read_record, record_log, trailer};
pub use rules::{Violation, ever_published, judge};

use crate::git::{GitError, Repo};
use crate::newsroom::ARTICLES_DIR;
use crate::snapshot::{Snapshot, SnapshotError};
use crate::time::TimeZone;

/// A newsroom's history: its repository, and the newsroom as it is now
/// (its work tree, or HEAD in a bare repository) to find records in.
pub struct History {
    repo: Repo,
    snapshot: Snapshot,
    /// The newsroom root relative to the top of the repository, with a
    /// trailing `/` unless empty.
    prefix: String,
}

impl History {
    /// The history of the newsroom `cwd` is in.
    pub fn open(cwd: &Path) -> Result<Self, SnapshotError> {
        let snapshot = Snapshot::open(cwd)?;
        let repo = Repo::discover(cwd)?;
        let prefix = match (snapshot.newsroom(), repo.workdir()) {
            (Some(newsroom), Some(top)) => crate::paths::repo_prefix(top, newsroom.root()),
            _ => String::new(),
        };
        Ok(Self {
            repo,
            snapshot,
            prefix,
        })
    }

    pub fn timezone(&self) -> &TimeZone {
        &self.snapshot.config().timezone
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The path (relative to the top) of the record `reference` names,
    /// an id or a path (see [`Snapshot::find`]); a record no longer in the
    /// newsroom is looked for in its history.
    pub fn record_path(&self, reference: &str, cwd: &Path) -> Result<String, SnapshotError> {
        match self.snapshot.find(reference, cwd) {
            Ok(stored) => Ok(self.repo_path(&stored.path)),
            Err(SnapshotError::NoSuchArticle { id, suggestion }) => {
                let found = match self.repo.head_commit()? {
                    Some(_) => {
                        self.repo
                            .last_path_of("HEAD", &self.articles(), &format!("{id}.toml"))?
                    }
                    None => None,
                };
                found.ok_or(SnapshotError::NoSuchArticle { id, suggestion })
            }
            Err(error) => Err(error),
        }
    }

    /// The history of the record at `path` (relative to the top): from
    /// the cache when `cached` (built or extended first, as needed), else
    /// by walking the history.
    pub fn record(
        &self,
        path: &str,
        filter: &LogFilter,
        cached: bool,
    ) -> Result<Vec<Entry>, GitError> {
        let Some(tip) = self.repo.head_commit()? else {
            return Ok(Vec::new());
        };
        let folder = self.articles();
        if cached && let Some(entries) = self.cached_record(&tip, path, &folder, filter)? {
            return Ok(entries);
        }
        record_log(&self.repo, "HEAD", path, &folder, self.timezone(), filter)
    }

    /// The record's history as the cache lists it; none when the cache
    /// cannot be used, or says something the repository does not bear out
    /// (then it is forgotten).
    fn cached_record(
        &self,
        tip: &crate::git::CommitId,
        path: &str,
        folder: &str,
        filter: &LogFilter,
    ) -> Result<Option<Vec<Entry>>, GitError> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let id = name.strip_suffix(".toml").unwrap_or(name);
        let Some(changes) = cache::changes_of(&self.repo, tip, folder, id) else {
            return Ok(None);
        };
        let mut entries = Vec::new();
        for change in changes {
            if filter.limit.is_some_and(|limit| entries.len() >= limit) {
                break;
            }
            let before_path = change.moved_from.as_deref().unwrap_or(&change.path);
            let version = match self
                .repo
                .file_commit(&change.commit, &change.path, before_path)
            {
                Ok(version) if version.before != version.after || version.moved_from.is_some() => {
                    version
                }
                // A commit that changed nothing here: not a cache to trust.
                _ => {
                    cache::forget(&self.repo);
                    return Ok(None);
                }
            };
            let entry = log::entry(version, self.timezone());
            if filter.keeps(&entry) {
                entries.push(entry);
            }
        }
        Ok(Some(entries))
    }

    /// Every change to a record, newest first.
    pub fn newsroom(&self, filter: &LogFilter) -> Result<Vec<Entry>, GitError> {
        if self.repo.head_commit()?.is_none() {
            return Ok(Vec::new());
        }
        newsroom_log(
            &self.repo,
            "HEAD",
            &self.articles(),
            self.timezone(),
            filter,
        )
    }

    /// The articles folder, relative to the top.
    fn articles(&self) -> String {
        format!("{}{ARTICLES_DIR}", self.prefix)
    }

    fn repo_path(&self, path: &Path) -> String {
        let parts: Vec<String> = path
            .components()
            .map(|component| component.as_os_str().to_string_lossy().into_owned())
            .collect();
        format!("{}{}", self.prefix, parts.join("/"))
    }
}
