//! Editorial actions: each reads a record, changes it, checks it, writes it
//! atomically and commits exactly that file (DESIGN.md §5).

mod archive;
mod assign;
mod draft;
mod init;
mod listing;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

pub use archive::Archive;
pub use assign::{Assignment, AssignmentError};
pub use draft::{Draft, slug};
pub use init::{InitOptions, Initialized, init};
pub use listing::{Filter, Reader};

use crate::article::{Article, Record, RecordEditor};
use crate::git::{CommitId, FileChange, GitError, Repo, Signatures};
use crate::newsroom::{ConfigError, Newsroom, WalkError, write_atomically};
use crate::schema::{Finding, Schema, Severity, did_you_mean};

/// What a commit did, as its `News-Action` trailer says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Init,
    New,
    Edit,
    Set,
    Submit,
    Publish,
    Correct,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Init => "init",
            Action::New => "new",
            Action::Edit => "edit",
            Action::Set => "set",
            Action::Submit => "submit",
            Action::Publish => "publish",
            Action::Correct => "correct",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("not inside a newsroom: no news.toml in {} or any folder above it", cwd.display())]
    NoNewsroom { cwd: PathBuf },
    #[error("the newsroom at {} is not in a git repository", root.display())]
    NoRepository { root: PathBuf },
    #[error("no article with the id {id:?}{}", suggestion.as_ref().map(|s| format!("; did you mean {s:?}?")).unwrap_or_default())]
    NoSuchArticle {
        id: String,
        suggestion: Option<String>,
    },
    #[error("{} has uncommitted changes; commit or discard them first (git diff {})", path.display(), path.display())]
    Uncommitted { path: PathBuf },
    #[error("{} was changed by another commit while it was being edited", path.display())]
    ChangedMeanwhile { path: PathBuf },
    #[error("the article would not be valid")]
    Invalid { findings: Vec<Finding> },
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Assignment(#[from] AssignmentError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Walk(#[from] WalkError),
    #[error(transparent)]
    Git(#[from] GitError),
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A record as it is stored: its id, its path relative to the newsroom
/// root, and its text.
#[derive(Clone, Debug)]
pub struct StoredArticle {
    pub id: String,
    pub path: PathBuf,
    pub text: String,
}

/// A committed change.
#[derive(Clone, Debug)]
pub struct Saved {
    pub id: String,
    /// Relative to the newsroom root.
    pub path: PathBuf,
    pub commit: CommitId,
}

/// A newsroom with its repository and schema: where editorial actions
/// happen.
pub struct Desk {
    newsroom: Newsroom,
    repo: Repo,
    schema: Schema,
    /// The newsroom root relative to the top of the working tree, with a
    /// trailing `/` unless empty.
    prefix: String,
}

impl Desk {
    /// The newsroom `cwd` is in, with its repository.
    pub fn open(cwd: &Path) -> Result<Self, DeskError> {
        let newsroom = Newsroom::discover(cwd)?.ok_or_else(|| DeskError::NoNewsroom {
            cwd: cwd.to_owned(),
        })?;
        Self::for_newsroom(newsroom)
    }

    pub fn for_newsroom(newsroom: Newsroom) -> Result<Self, DeskError> {
        let repo = Repo::discover(newsroom.root()).map_err(|_| DeskError::NoRepository {
            root: newsroom.root().to_owned(),
        })?;
        let schema = newsroom.schema()?;
        let prefix = match repo.workdir() {
            Some(top) => repo_prefix(top, newsroom.root()),
            None => String::new(),
        };
        Ok(Self {
            newsroom,
            repo,
            schema,
            prefix,
        })
    }

    pub fn newsroom(&self) -> &Newsroom {
        &self.newsroom
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    pub fn signatures(&self) -> Result<Signatures, DeskError> {
        Ok(self.repo.signatures()?)
    }

    /// The stored record of article `id`.
    pub fn article(&self, id: &str) -> Result<StoredArticle, DeskError> {
        let Some(path) = self.newsroom.find_article(id)? else {
            let ids = self.newsroom.article_ids()?;
            let suggestion = did_you_mean(id, ids.iter().map(String::as_str)).map(str::to_owned);
            return Err(DeskError::NoSuchArticle {
                id: id.to_owned(),
                suggestion,
            });
        };
        let full = self.newsroom.root().join(&path);
        let text = std::fs::read_to_string(&full)
            .map_err(|source| DeskError::Read { path: full, source })?;
        Ok(StoredArticle {
            id: id.to_owned(),
            path,
            text,
        })
    }

    /// Every finding of `text` as the record at `path` (relative to the
    /// root).
    pub fn check(&self, path: &Path, text: &str) -> Vec<Finding> {
        let full = self.newsroom.root().join(path);
        crate::validate::check_record(
            text.as_bytes(),
            &full,
            path,
            Some(&self.newsroom),
            &self.schema,
        )
    }

    /// Sets fields of article `id` and commits the result; `None` when the
    /// fields had those values already, and nothing was committed.
    pub fn set(
        &self,
        id: &str,
        assignments: &[Assignment],
        message: Option<&str>,
    ) -> Result<Option<Saved>, DeskError> {
        let stored = self.article(id)?;
        let mut editor = RecordEditor::parse(&stored.text).map_err(|_| DeskError::Invalid {
            findings: self.check(&stored.path, &stored.text),
        })?;
        for assignment in assignments {
            assignment.apply(&mut editor)?;
        }
        self.save(&stored, &editor.to_string(), Action::Set, message, None)
    }

    /// Saves `text` as the new version of `stored` and commits it: refuses
    /// when the file has uncommitted changes or changed since `stored` was
    /// read, or when the result is not valid. `None` when nothing changed.
    pub fn save(
        &self,
        stored: &StoredArticle,
        text: &str,
        action: Action,
        message: Option<&str>,
        signatures: Option<&Signatures>,
    ) -> Result<Option<Saved>, DeskError> {
        if text == stored.text {
            return Ok(None);
        }
        let signatures = self.signer(signatures)?;
        self.reject_errors(&stored.path, text)?;
        let message = commit_message(action, &headline_of(text), &stored.id, message, None);
        let commit = self.commit_record(
            &stored.path,
            text,
            Some(&stored.text),
            &message,
            &signatures,
        )?;
        Ok(Some(Saved {
            id: stored.id.clone(),
            path: stored.path.clone(),
            commit,
        }))
    }

    /// Writes and commits a record as given, for histories made by news
    /// itself (the demo newsroom): a new file, or the next version of one
    /// that is committed and unchanged.
    pub fn record(
        &self,
        path: &Path,
        text: &str,
        action: Action,
        version: Option<u32>,
        signatures: &Signatures,
    ) -> Result<Saved, DeskError> {
        self.reject_errors(path, text)?;
        let id = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default()
            .to_owned();
        let message = commit_message(action, &headline_of(text), &id, None, version);
        let commit = self.commit_record(path, text, None, &message, signatures)?;
        Ok(Saved {
            id,
            path: path.to_owned(),
            commit,
        })
    }

    /// Under the repository lock: refuses a file with uncommitted changes,
    /// or one whose content is no longer `expected` (what the change was
    /// made from, when the caller read it), then writes and commits `text`.
    fn commit_record(
        &self,
        path: &Path,
        text: &str,
        expected: Option<&str>,
        message: &str,
        signatures: &Signatures,
    ) -> Result<CommitId, DeskError> {
        let _lock = self.repo.lock()?;
        let full = self.newsroom.root().join(path);
        let on_disk = match std::fs::read(&full) {
            Ok(bytes) => Some(bytes),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => return Err(DeskError::Read { path: full, source }),
        };
        let base = self.repo.head_commit()?;
        if on_disk.is_some() && self.repo.head_file(&self.repo_path(path))? != on_disk {
            return Err(DeskError::Uncommitted {
                path: path.to_owned(),
            });
        }
        if let Some(expected) = expected
            && on_disk.as_deref() != Some(expected.as_bytes())
        {
            return Err(DeskError::ChangedMeanwhile {
                path: path.to_owned(),
            });
        }
        self.write_and_commit(
            path,
            text,
            on_disk.as_deref(),
            message,
            signatures,
            base.as_ref(),
        )
    }

    /// Creates article from `draft` at `now`, with a unique id, and
    /// commits it.
    pub fn create(
        &self,
        draft: &Draft,
        now: DateTime<FixedOffset>,
        signatures: Option<&Signatures>,
    ) -> Result<Saved, DeskError> {
        let signatures = self.signer(signatures)?;
        let config = self.newsroom.config();
        let created_on = config.timezone.local_date(&now);
        let _lock = self.repo.lock()?;
        let taken = self.newsroom.article_ids()?;
        let id = match &draft.id {
            Some(id) if taken.contains(id) => {
                return Err(DeskError::Refused(format!(
                    "the id {id:?} is taken; choose another with --id"
                )));
            }
            Some(id) => id.clone(),
            None => unique_id(&slug(&draft.headline), &taken),
        };
        let path = Newsroom::article_path(&id, created_on);
        let text = draft.to_record(
            &id,
            now,
            created_on,
            config,
            &signatures,
            self.schema.vocabulary(),
        );
        self.reject_errors(&path, &text)?;
        let message = commit_message(Action::New, &draft.headline, &id, None, None);
        let commit = self.write_and_commit(&path, &text, None, &message, &signatures, None)?;
        Ok(Saved { id, path, commit })
    }

    /// Every article of the newsroom with its path relative to the root,
    /// read into the model. Records that do not fit the model are skipped:
    /// `news validate` reports them.
    pub fn articles(&self) -> Result<Vec<(PathBuf, Article)>, DeskError> {
        use rayon::prelude::*;
        let articles = self.newsroom.articles_dir();
        if !articles.is_dir() {
            return Ok(Vec::new());
        }
        let files = crate::newsroom::toml_files(&articles)?;
        let root = self.newsroom.root();
        Ok(files
            .par_iter()
            .filter_map(|file| {
                let text = std::fs::read_to_string(file).ok()?;
                let article = Record::parse(&text).ok()?.into_article().ok()?;
                Some((file.strip_prefix(root).ok()?.to_owned(), article))
            })
            .collect())
    }

    /// The identity given, or the repository's.
    fn signer(&self, given: Option<&Signatures>) -> Result<Signatures, DeskError> {
        match given {
            Some(signatures) => Ok(signatures.clone()),
            None => self.signatures(),
        }
    }

    fn reject_errors(&self, path: &Path, text: &str) -> Result<(), DeskError> {
        let findings = self.check(path, text);
        if findings
            .iter()
            .any(|finding| finding.severity == Severity::Error)
        {
            return Err(DeskError::Invalid { findings });
        }
        Ok(())
    }

    /// Writes the file, commits it, updates its index entry. If the commit
    /// is refused, the file gets its old content back.
    fn write_and_commit(
        &self,
        path: &Path,
        text: &str,
        old: Option<&[u8]>,
        message: &str,
        signatures: &Signatures,
        based_on: Option<&CommitId>,
    ) -> Result<CommitId, DeskError> {
        let full = self.newsroom.root().join(path);
        write_atomically(&full, text.as_bytes()).map_err(|source| DeskError::Write {
            path: full.clone(),
            source,
        })?;
        let repo_path = self.repo_path(path);
        let change = FileChange {
            path: repo_path.clone(),
            content: text.as_bytes().to_vec(),
        };
        let commit = match self
            .repo
            .commit_files(&[change], message, signatures, based_on)
        {
            Ok(commit) => commit,
            Err(error) => {
                // Put back what was there, so that nothing uncommitted is
                // left behind by a refused commit.
                let _ = match old {
                    Some(old) => write_atomically(&full, old),
                    None => std::fs::remove_file(&full),
                };
                return Err(error.into());
            }
        };
        self.repo.stage(&[repo_path])?;
        Ok(commit)
    }

    fn repo_path(&self, path: &Path) -> String {
        let relative: Vec<String> = path
            .components()
            .map(|component| component.as_os_str().to_string_lossy().into_owned())
            .collect();
        format!("{}{}", self.prefix, relative.join("/"))
    }
}

/// `dir` relative to `top`, `/`-separated, with a trailing `/`; empty when
/// they are the same folder.
fn repo_prefix(top: &Path, dir: &Path) -> String {
    let canonical = |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let (top, dir) = (canonical(top), canonical(dir));
    match dir.strip_prefix(&top) {
        Ok(relative) if relative.as_os_str().is_empty() => String::new(),
        Ok(relative) => {
            let parts: Vec<String> = relative
                .components()
                .map(|component| component.as_os_str().to_string_lossy().into_owned())
                .collect();
            format!("{}/", parts.join("/"))
        }
        Err(_) => String::new(),
    }
}

/// `base`, or `base-2`, `base-3`… whichever is not taken.
fn unique_id(base: &str, taken: &std::collections::HashSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_owned();
    }
    (2..)
        .map(|number| format!("{base}-{number}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| base.to_owned())
}

fn headline_of(text: &str) -> String {
    Record::parse(text)
        .ok()
        .and_then(|record| {
            record
                .get(&crate::article::FieldPath::root().key("headline"))
                .and_then(|entry| entry.value.get_ref().as_str().map(str::to_owned))
        })
        .unwrap_or_default()
}

/// `<action>: <headline>`, an optional body, and the trailers `git
/// interpret-trailers` reads.
pub fn commit_message(
    action: Action,
    headline: &str,
    id: &str,
    body: Option<&str>,
    version: Option<u32>,
) -> String {
    let mut message = format!("{}: {headline}\n\n", action.as_str());
    if let Some(body) = body.map(str::trim).filter(|body| !body.is_empty()) {
        message.push_str(body);
        message.push_str("\n\n");
    }
    message.push_str(&format!(
        "News-Id: {id}\nNews-Action: {}\n",
        action.as_str()
    ));
    if let Some(version) = version {
        message.push_str(&format!("News-Version: {version}\n"));
    }
    message
}
