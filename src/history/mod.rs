//! Editorial history: what each commit did to a record, told from the
//! change itself.

mod action;
mod cache;
mod check;
mod log;
mod rules;

use std::path::Path;

pub use action::{Action, WORKFLOW, classify};
pub use check::{BaseRequest, located, validate_base};
pub use log::{Entry, LogFilter, is_changed_paragraph, newsroom_log, read_record, trailer};
pub use rules::{PUBLICATION_FACTS, Violation, ever_published, judge, judgeable, judged_from};

use crate::git::{FileCommit, GitError, Repo};
use crate::newsroom::ARTICLES_DIR;
use crate::snapshot::{Snapshot, SnapshotError};
use crate::time::TimeZone;
use cache::Cache;

/// A newsroom's history: its repository, and where the newsroom is in it.
pub struct History {
    repo: Repo,
    /// Where the command runs: references to records are read from here.
    cwd: std::path::PathBuf,
    /// The newsroom root relative to the top of the repository, with a
    /// trailing `/` unless empty.
    prefix: String,
    timezone: TimeZone,
}

impl History {
    /// The history of the newsroom `cwd` is in (its work tree's settings,
    /// or in a bare repository HEAD's). Its records and schema are read
    /// only when needed: a cached log needs neither.
    pub fn open(cwd: &Path) -> Result<Self, SnapshotError> {
        let repo = Repo::discover(cwd)?;
        let (prefix, timezone) = match crate::newsroom::Newsroom::discover(cwd)? {
            Some(newsroom) => (
                repo.workdir()
                    .map(|top| crate::paths::repo_prefix(top, newsroom.root()))
                    .unwrap_or_default(),
                newsroom.config().timezone,
            ),
            None => (String::new(), Snapshot::open(cwd)?.config().timezone),
        };
        Ok(Self {
            repo,
            cwd: cwd.to_owned(),
            prefix,
            timezone,
        })
    }

    pub fn timezone(&self) -> &TimeZone {
        &self.timezone
    }

    /// The path (relative to the top) of the record `reference` names,
    /// an id or a path (see [`Snapshot::find`]); a record no longer in the
    /// newsroom is looked for in its history.
    pub fn record_path(&self, reference: &str) -> Result<String, SnapshotError> {
        match Snapshot::open(&self.cwd)?.find(reference, &self.cwd) {
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

    /// The history of the record `reference` names (an id or a path):
    /// from the cache when `cached` (built or extended first, as needed),
    /// else by walking the history.
    pub fn record(
        &self,
        reference: &str,
        filter: &LogFilter,
        cached: bool,
    ) -> Result<Vec<Entry>, SnapshotError> {
        let Some(tip) = self.repo.head_commit()? else {
            // Nothing committed: a record that exists has no history yet.
            self.record_path(reference)?;
            return Ok(Vec::new());
        };
        let folder = self.articles();
        let id = crate::snapshot::reference_id(reference);
        let cache = Cache::of(&self.repo, &folder);
        let mut kept = cached.then(|| cache.get(id)).flatten();
        // An id the cache has at this very tip needs nothing else (and an
        // entry that does not hold is not used again below).
        if id == reference
            && let Some(entry) = kept.take_if(|entry| entry.tip == tip)
            && let Some(entries) = self.cached_entries(&cache, id, entry.changes, filter)?
        {
            return Ok(entries);
        }
        let path = self.record_path(reference)?;
        let changes = match kept {
            Some(entry) if entry.tip == tip => Some(entry.changes),
            // Extended from where it stopped: the commits since only.
            Some(entry)
                if self
                    .repo
                    .is_ancestor(&entry.tip, tip.as_str())
                    .unwrap_or(false) =>
            {
                let newer =
                    self.repo
                        .file_history("HEAD", &path, &folder, Some(entry.tip.as_str()))?;
                Some(
                    newer
                        .iter()
                        .map(cache::Change::of)
                        .chain(entry.changes)
                        .collect(),
                )
            }
            _ => None,
        };
        if let Some(changes) = changes {
            cache.put(
                id,
                cache::Entry {
                    tip: tip.clone(),
                    changes: changes.clone(),
                },
            );
            if let Some(entries) = self.cached_entries(&cache, id, changes, filter)? {
                return Ok(entries);
            }
        }
        let versions = self.repo.file_history("HEAD", &path, &folder, None)?;
        if cached {
            cache.put(
                id,
                cache::Entry {
                    tip,
                    changes: versions.iter().map(cache::Change::of).collect(),
                },
            );
        }
        let mut entries = Vec::new();
        for index in 0..versions.len() {
            if filter.full(&entries) {
                break;
            }
            let version = versions[index].clone();
            let entry = self.entry_of(version, |n| {
                Ok(versions
                    .get(index + 1 + n)
                    .map(|version| version.after.clone()))
            })?;
            if filter.keeps(&entry) {
                entries.push(entry);
            }
        }
        Ok(entries)
    }

    /// The record's history as the cache lists it; none when the cache
    /// says something the repository does not bear out (then it is
    /// forgotten).
    fn cached_entries(
        &self,
        cache: &Cache,
        id: &str,
        changes: Vec<cache::Change>,
        filter: &LogFilter,
    ) -> Result<Option<Vec<Entry>>, GitError> {
        let mut entries = Vec::new();
        let version_of = |change: &cache::Change| {
            let before_path = change.moved_from.as_deref().unwrap_or(&change.path);
            match self
                .repo
                .file_commit(&change.commit, &change.path, before_path)
            {
                Ok(version) if version.before != version.after || version.moved_from.is_some() => {
                    Some(version)
                }
                // A commit that changed nothing here: not a cache to trust.
                _ => None,
            }
        };
        for (index, change) in changes.iter().enumerate() {
            if filter.full(&entries) {
                break;
            }
            let Some(version) = version_of(change) else {
                cache.forget(id);
                return Ok(None);
            };
            let entry = self.entry_of(version, |n| {
                Ok(changes
                    .get(index + 1 + n)
                    .and_then(version_of)
                    .map(|version| version.after))
            })?;
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
        newsroom_log(&self.repo, "HEAD", &self.articles(), &self.timezone, filter)
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

    /// The log entry of `version`. Where the record before it cannot be
    /// read (a broken commit it fixes), its changes are told against the
    /// last version before that can: what a fix changed shows, and the
    /// entry says what it fixes. `older(n)` is the record after the `n`th
    /// older change, the nearest first; none past the oldest.
    fn entry_of(
        &self,
        mut version: FileCommit,
        mut older: impl FnMut(usize) -> Result<Option<Option<Vec<u8>>>, GitError>,
    ) -> Result<Entry, GitError> {
        let problem = match version.before.as_deref().map(read_record) {
            Some(Err(problem)) => problem,
            _ => return Ok(log::entry(version, &self.timezone)),
        };
        let mut n = 0;
        while let Some(after) = older(n)? {
            // A removal is what the record was, too: nothing.
            if after
                .as_deref()
                .is_none_or(|bytes| read_record(bytes).is_ok())
            {
                version.before = after;
                let mut entry = log::entry(version, &self.timezone);
                entry.fixes = Some(problem);
                return Ok(entry);
            }
            n += 1;
        }
        Ok(log::entry(version, &self.timezone))
    }
}
