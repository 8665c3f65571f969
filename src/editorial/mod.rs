//! Editorial actions: each reads a record, changes it, checks it, writes it
//! atomically and commits exactly that file (DESIGN.md §5).

mod assign;
mod draft;
mod files;
mod guard;
mod init;
mod tags;
mod workflow;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

pub use crate::history::Action;
pub use crate::snapshot::{Filter, Listing, Snapshot, StoredArticle};
pub use assign::{Assignment, AssignmentError, check_field};
pub use draft::{Draft, parse_source, slug};
pub use init::{InitOptions, Initialized, init};
pub use tags::{TagCount, TagEdit, TagUsage, Tagged, tag_usage};
pub use workflow::{
    CorrectionChange, Due, Transition, Undecided, legal_next_steps, message_fault, note_fault,
};

use crate::article::{Article, ArticleId, FieldPath, Record, RecordEditor};
use crate::git::{CommitId, CommitOptions, FileChange, GitError, Notify, Repo, Signatures};
use crate::newsroom::{ConfigError, Newsroom, WalkError};
use crate::paths::PathNames;
use crate::schema::{Finding, Schema, Severity};
use crate::snapshot::SnapshotError;

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
    #[error("no article record at {}", path.display())]
    NoSuchRecord { path: PathBuf },
    #[error("the id {id:?} names {} records: {}; give the record's path instead", paths.len(), paths.iter().map(|path| path.display().to_string()).collect::<Vec<_>>().join(", "))]
    Ambiguous { id: String, paths: Vec<PathBuf> },
    #[error("{} was changed by another commit while it was being edited", path.display())]
    ChangedMeanwhile { path: PathBuf },
    #[error("`{field}` of {} was changed by another commit meanwhile", path.display())]
    FieldChangedMeanwhile { path: PathBuf, field: String },
    #[error("`{field}` of {} cannot be changed by hand: {reason}", path.display())]
    Guarded {
        path: PathBuf,
        field: String,
        reason: String,
    },
    #[error(
        "cannot {action} {id}: it is {}; {rule}; {}",
        status_phrase(status),
        next_steps(status, next)
    )]
    NotNow {
        id: String,
        action: Action,
        status: String,
        /// Which records the action takes, for people.
        rule: String,
        /// The workflow commands that may follow the status.
        next: Vec<Action>,
    },
    #[error("cannot publish {id} before its embargo, {}", embargo.format("%Y-%m-%d %H:%M %:z"))]
    Embargoed {
        id: String,
        embargo: DateTime<FixedOffset>,
    },
    #[error(
        "cannot {action} {id} at {}: its `{field}` is later, {}; a record's times only go forward",
        two_moments(*at, *time)[0],
        two_moments(*at, *time)[1]
    )]
    TooEarly {
        id: String,
        action: Action,
        at: DateTime<FixedOffset>,
        /// The record's field that holds the later time.
        field: String,
        time: DateTime<FixedOffset>,
    },
    #[error("the id {id:?} is taken; choose another with --id")]
    IdTaken { id: String },
    #[error("the article would not be valid")]
    Invalid { findings: Vec<Finding> },
    /// The record as it is cannot be read (the findings say why).
    #[error("the record cannot be read")]
    Unreadable { findings: Vec<Finding> },
    #[error("{0}")]
    Refused(String),
    /// What the command was given cannot be done as given (a tag with a
    /// control character, one both added and removed): a usage error.
    #[error("{0}")]
    Usage(String),
    #[error("tag {tag:?} is not in the newsroom's vocabulary (schema/tags.toml){}", suggestion.as_ref().map(|s| format!("; did you mean {s:?}?")).unwrap_or_default())]
    UnknownTag {
        tag: String,
        suggestion: Option<String>,
    },
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
}

impl From<SnapshotError> for DeskError {
    fn from(error: SnapshotError) -> Self {
        match error {
            SnapshotError::NoNewsroom { cwd } => DeskError::NoNewsroom { cwd },
            SnapshotError::NoSuchArticle { id, suggestion } => {
                DeskError::NoSuchArticle { id, suggestion }
            }
            SnapshotError::NoSuchRecord { path } => DeskError::NoSuchRecord { path },
            SnapshotError::Ambiguous { id, paths } => DeskError::Ambiguous { id, paths },
            SnapshotError::Unreadable { findings } => DeskError::Unreadable { findings },
            SnapshotError::Config(error) => DeskError::Config(error),
            SnapshotError::Walk(error) => DeskError::Walk(error),
            SnapshotError::Git(error) => DeskError::Git(error),
        }
    }
}

/// The newsroom `cwd` is in, for the read-only commands: its work tree,
/// or in a bare repository what HEAD holds. What a killed news command
/// left is finished or undone first, and said to `notify`.
pub fn open_snapshot(cwd: &Path, notify: Notify) -> Result<Snapshot, DeskError> {
    if let Ok(mut repo) = Repo::discover(cwd) {
        repo.set_notify(notify);
        repo.recover_if_idle();
    }
    Ok(Snapshot::open(cwd)?)
}

/// A committed change.
#[derive(Clone, Debug)]
pub struct Saved {
    pub id: String,
    /// Relative to the newsroom root.
    pub path: PathBuf,
    pub commit: CommitId,
    /// The commit message's first line: `<action>: <headline>`.
    pub subject: String,
    /// What the repository's hooks, and news, warned about.
    pub warnings: Vec<String>,
}

/// A newsroom with its repository and schema: where editorial actions
/// happen.
pub struct Desk {
    newsroom: Newsroom,
    repo: Repo,
    /// What the desk reads: the newsroom's work tree.
    snapshot: Snapshot,
    options: CommitOptions,
    /// The newsroom root relative to the top of the working tree, with a
    /// trailing `/` unless empty.
    prefix: String,
    /// The folder the command runs in, and how paths are named to people
    /// (relative to it).
    cwd: PathBuf,
    names: PathNames,
}

impl Desk {
    /// The newsroom `cwd` is in, with its repository. What a killed news
    /// command left is finished or undone first, and said to `notify`,
    /// which also hears what a command waits for.
    pub fn open(cwd: &Path, notify: Notify) -> Result<Self, DeskError> {
        let newsroom = Newsroom::discover(cwd)?.ok_or_else(|| DeskError::NoNewsroom {
            cwd: cwd.to_owned(),
        })?;
        Self::for_newsroom(newsroom, cwd, notify)
    }

    /// `newsroom`'s desk, naming paths to people from `cwd`.
    pub fn for_newsroom(newsroom: Newsroom, cwd: &Path, notify: Notify) -> Result<Self, DeskError> {
        let mut repo = match Repo::discover(newsroom.root()) {
            Ok(repo) => repo,
            Err(GitError::NotARepository { .. }) => {
                return Err(DeskError::NoRepository {
                    root: newsroom.root().to_owned(),
                });
            }
            Err(error) => return Err(error.into()),
        };
        repo.set_notify(notify);
        repo.recover_if_idle();
        let snapshot = Snapshot::work_tree(newsroom.clone())?;
        let prefix = match repo.workdir() {
            Some(top) => crate::paths::repo_prefix(top, newsroom.root()),
            None => String::new(),
        };
        // Records are checked against the settings: a commit re-applied on
        // a tip whose settings changed meanwhile is refused.
        let options = CommitOptions {
            judged_by: vec![
                format!("{prefix}{}", crate::newsroom::CONFIG_FILE),
                format!("{prefix}schema"),
            ],
            // A pre-commit hook may reformat what news checked, not change
            // what it says.
            same_meaning: crate::article::same_values,
            ..CommitOptions::default()
        };
        Ok(Self {
            newsroom,
            repo,
            snapshot,
            options,
            prefix,
            cwd: cwd.to_owned(),
            names: PathNames::for_people(cwd),
        })
    }

    /// Refuses a hand change (`set`, `edit`, `commit`) of `current` (the
    /// record at `at` in HEAD) into `text` that touches a publication
    /// fact the workflow manages; `shown` names the record. Where
    /// `current` cannot be judged (a status set wrongly by hand), the
    /// facts are compared with the last version that can: a broken
    /// version may be repaired by hand, its facts not changed.
    fn guard_facts(
        &self,
        shown: &Path,
        at: &Path,
        current: &str,
        text: &str,
    ) -> Result<(), DeskError> {
        // A record that does not parse is refused by the checks.
        let Ok(after) = crate::history::read_record(text.as_bytes()) else {
            return Ok(());
        };
        let Some(before) = self.judged_from(at, current)? else {
            return Ok(());
        };
        match guard::changed_facts(&before, &after).into_iter().next() {
            Some(guarded) => Err(DeskError::Guarded {
                path: shown.to_owned(),
                field: guarded.field,
                reason: guarded.reason,
            }),
            None => Ok(()),
        }
    }

    /// What a hand change of `current`, the record at `at` (relative to
    /// the root) in HEAD, is judged from (see [`crate::history::judged_from`]).
    fn judged_from(
        &self,
        at: &Path,
        current: &str,
    ) -> Result<Option<serde_json::Value>, DeskError> {
        let folder = format!("{}{}", self.prefix, crate::newsroom::ARTICLES_DIR);
        crate::history::judged_from(
            &self.repo,
            current.as_bytes(),
            "HEAD",
            &self.repo_path(at),
            &folder,
        )
        .map_err(DeskError::Git)
    }

    /// Refuses a change from `before` to `after` (texts of the record;
    /// `before` with the path it is at in HEAD; none: no record) that
    /// breaks a history rule of DESIGN §3, as `validate --base HEAD` would,
    /// with the findings. Where `before` cannot be judged, the change is
    /// judged from the last version that can, as `validate --base` does.
    fn keep_history(
        &self,
        path: &Path,
        before: Option<(&Path, &str)>,
        after: Option<&str>,
    ) -> Result<(), DeskError> {
        let new = match after.map(|text| crate::history::judgeable(text.as_bytes())) {
            None => None,
            Some(Some(record)) => Some(record),
            // The checks refuse a version that cannot be judged.
            Some(None) => return Ok(()),
        };
        let old = match before {
            None => None,
            Some((at, text)) => match self.judged_from(at, text)? {
                Some(record) => Some(record),
                None => return Ok(()),
            },
        };
        let violations = crate::history::judge(old.as_ref(), new.as_ref());
        if violations.is_empty() {
            return Ok(());
        }
        Err(DeskError::Invalid {
            findings: crate::history::located(&violations, "this change", &self.shown(path), after),
        })
    }

    /// A git error whose path (relative to the top of the work tree) is
    /// named as people are shown paths.
    fn named(&self, error: GitError) -> DeskError {
        let shown = |path: &str| {
            let top = self.repo.workdir().unwrap_or(self.newsroom.root());
            self.names.name(&top.join(path)).display().to_string()
        };
        DeskError::Git(match error {
            GitError::Uncommitted { path, state } => GitError::Uncommitted {
                path: shown(&path),
                state,
            },
            GitError::Conflict { path, commit } => GitError::Conflict {
                path: shown(&path),
                commit,
            },
            other => other,
        })
    }

    /// A path relative to the newsroom root, as people are shown it:
    /// relative to the current folder.
    pub fn shown(&self, path: &Path) -> PathBuf {
        self.names.name(&self.newsroom.root().join(path))
    }

    /// Whether the repository's `pre-commit` and `commit-msg` hooks run
    /// (`--no-verify` turns them off).
    pub fn set_verify(&mut self, verify: bool) {
        self.options.verify = verify;
    }

    pub fn newsroom(&self) -> &Newsroom {
        &self.newsroom
    }

    /// Refuses an edit of `stored` into `text` that changes a publication
    /// fact the workflow manages (see `guard`), before any other check.
    pub fn guard_edit(&self, stored: &StoredArticle, text: &str) -> Result<(), DeskError> {
        self.guard_facts(&stored.path, &stored.path, &stored.text, text)
    }

    /// Whether a commit could be made now (see [`Repo::ready_to_commit`]).
    pub fn ready_to_commit(&self) -> Result<(), DeskError> {
        Ok(self.repo.ready_to_commit()?)
    }

    pub fn schema(&self) -> &Schema {
        self.snapshot.schema()
    }

    /// Keys of the settings files this version ignores (see
    /// [`Snapshot::setting_warnings`]).
    pub fn setting_warnings(&self) -> impl Iterator<Item = &crate::settings::UnknownSetting> {
        self.snapshot.setting_warnings()
    }

    pub fn signatures(&self) -> Result<Signatures, DeskError> {
        Ok(self.repo.signatures()?)
    }

    /// The stored record `reference` names: an id or a record's path
    /// (see [`Snapshot::find`]).
    pub fn article(&self, reference: &str) -> Result<StoredArticle, DeskError> {
        Ok(self.snapshot.find(reference, &self.cwd)?)
    }

    /// Every finding of `text` as the record at `path` (relative to the
    /// root).
    pub fn check(&self, path: &Path, text: &str) -> Vec<Finding> {
        self.check_bytes(path, text.as_bytes())
    }

    fn check_bytes(&self, path: &Path, bytes: &[u8]) -> Vec<Finding> {
        self.check_against(self.snapshot.schema(), path, bytes)
    }

    fn check_against(&self, schema: &Schema, path: &Path, bytes: &[u8]) -> Vec<Finding> {
        let full = self.newsroom.root().join(path);
        crate::validate::check_record(
            bytes,
            &full,
            &self.shown(path),
            Some(&self.newsroom),
            schema,
        )
    }

    /// Sets fields of article `id` and commits the result; `None` when the
    /// fields had those values already, and nothing was committed. When
    /// another commit changed the record meanwhile, the assignments are
    /// applied to its version, unless it changed one of the same fields.
    pub fn set(
        &self,
        id: &str,
        assignments: &[Assignment],
        message: Option<&str>,
    ) -> Result<Option<Saved>, DeskError> {
        self.repo.ready_to_commit()?;
        let stored = self.article(id)?;
        // Bad assignments are refused before any lock is taken; a record
        // that does not parse is judged under the lock, where a record
        // with conflicts or uncommitted edits is refused as such first.
        match self.assign(&stored, &stored.text, assignments) {
            Ok(_) | Err(DeskError::Invalid { .. }) => {}
            Err(error) => return Err(error),
        }
        self.commit_record(&stored.path, Action::Set, message, None, None, |current| {
            let current = current.ok_or_else(|| DeskError::ChangedMeanwhile {
                path: self.shown(&stored.path),
            })?;
            if current != stored.text {
                changed_fields_untouched(&stored, &self.shown(&stored.path), current, assignments)?;
            }
            self.assign(&stored, current, assignments)
        })
    }

    fn assign(
        &self,
        stored: &StoredArticle,
        text: &str,
        assignments: &[Assignment],
    ) -> Result<String, DeskError> {
        let mut editor = RecordEditor::parse(text).map_err(|_| DeskError::Invalid {
            findings: self.check(&stored.path, text),
        })?;
        for assignment in assignments {
            assignment.apply(&mut editor)?;
        }
        Ok(editor.to_string())
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
        self.commit_record(&stored.path, action, message, None, signatures, |current| {
            if current != Some(stored.text.as_str()) {
                return Err(DeskError::ChangedMeanwhile {
                    path: self.shown(&stored.path),
                });
            }
            Ok(text.to_owned())
        })
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
        self.commit_record(path, action, None, version, Some(signatures), |_| {
            Ok(text.to_owned())
        })?
        .ok_or_else(|| DeskError::Refused(format!("{} has that text already", path.display())))
    }

    /// The one way a record is committed: in a transaction (news's lock
    /// and `index.lock` held), `rebuild` makes the new text from the
    /// record as it is now (none: no such file), which must be clean; the
    /// result keeps the record's line endings, is checked, written and
    /// committed. `None` when the text does not change.
    fn commit_record(
        &self,
        path: &Path,
        action: Action,
        message: Option<&str>,
        version: Option<u32>,
        signatures: Option<&Signatures>,
        rebuild: impl FnOnce(Option<&str>) -> Result<String, DeskError>,
    ) -> Result<Option<Saved>, DeskError> {
        self.commit_rebuilt(path, action, message, signatures, |current| {
            Ok(Rebuilt {
                text: rebuild(current)?,
                version,
                changed: Vec::new(),
            })
        })
    }

    /// [`Desk::commit_record`] for a rebuild that also says what the
    /// commit message tells (the version, the fields asked for): the
    /// workflow's transitions, which know them only from the record as it
    /// is under the lock. A change by hand (`set`, `edit`) is refused when
    /// it touches a publication fact; the workflow's own actions set
    /// those facts, and every change is held to the history rules.
    fn commit_rebuilt(
        &self,
        path: &Path,
        action: Action,
        message: Option<&str>,
        signatures: Option<&Signatures>,
        rebuild: impl FnOnce(Option<&str>) -> Result<Rebuilt, DeskError>,
    ) -> Result<Option<Saved>, DeskError> {
        let signatures = self.signer(signatures)?;
        let transaction = self.repo.begin()?;
        let current = self.read_current(&transaction, path)?;
        let Rebuilt {
            text,
            version,
            changed,
        } = rebuild(current.as_deref())?;
        let schema = self.schema_at_tip(&transaction)?;
        // Tags a command gives are written by their names in the
        // vocabulary committed at the tip (which may have moved since they
        // were read); a hand edit is the person's own.
        let text = match action {
            Action::Set | Action::Correct => tags_by_name(current.as_deref(), text, &schema),
            _ => text,
        };
        let Some(mut revision) = self.revise(&schema, path, action, current.as_deref(), text)?
        else {
            return Ok(None);
        };
        if revision.changed.is_empty() {
            revision.changed = changed;
        }
        if revision.changed.is_empty() && message.is_some_and(ends_with_changed_paragraph) {
            // The note must not be taken for news's `Changed:` paragraph:
            // news writes its own after it, the fields that changed.
            revision.changed = current
                .as_deref()
                .map(|current| fields_changed(current, &revision.text))
                .unwrap_or_default();
        }
        let message = Message {
            action,
            headline: headline_of(&revision.text),
            ids: vec![id_of(path)],
            note: message.map(str::to_owned),
            changed: revision.changed,
            version,
        };
        let change = FileChange::write(self.repo_path(path), revision.text);
        self.finish(
            transaction,
            &[change],
            path,
            &message,
            &signatures,
            revision.warnings,
        )
        .map(Some)
    }

    /// Several records (and a settings file) committed together, the way
    /// [`Desk::commit_record`] commits one: in one transaction, under the
    /// lock (waited for while another news command holds it). There the
    /// settings file at `settings` is read, which must be clean (as
    /// committed; none: absent), and `plan` judges the change by it: what
    /// the settings file becomes, the schema that checks the records, and
    /// the records to change (a scan it makes at the tip, or the records
    /// given). Each record is then read clean as it is now, rebuilt by the
    /// plan, checked, and all are written in one commit. Nothing is read
    /// or judged before the lock: another news command's commit in flight
    /// is never taken for a hand edit. The subject is the one record's
    /// headline, or the plan's `what` and the count of records. `None`
    /// when nothing changes.
    fn commit_records<'a>(
        &self,
        action: Action,
        note: Option<&str>,
        settings: &Path,
        plan: impl FnOnce(&crate::git::Transaction<'_>, Option<String>) -> Result<Batch<'a>, DeskError>,
    ) -> Result<Option<Saved>, DeskError> {
        let signatures = self.signatures()?;
        let transaction = self.repo.begin()?;
        let repo_path = self.repo_path(settings);
        let before = self.setting_under_lock(&transaction, settings)?;
        let Batch {
            what,
            after,
            schema,
            paths,
            mut rebuild,
        } = plan(&transaction, before.clone())?;
        let mut changes = Vec::new();
        if let Some(after) = after
            && before.as_ref() != Some(&after)
        {
            changes.push(FileChange::write(repo_path, after));
        }
        let mut revised = Vec::new();
        let mut warnings = Vec::new();
        for path in &paths {
            let current = self.read_current(&transaction, path)?.ok_or_else(|| {
                DeskError::ChangedMeanwhile {
                    path: self.shown(path),
                }
            })?;
            let text = rebuild(path, &current)?;
            let Some(revision) = self.revise(&schema, path, action, Some(&current), text)? else {
                continue;
            };
            warnings.extend(revision.warnings);
            revised.push((path, headline_of(&revision.text), revision.changed));
            changes.push(FileChange::write(self.repo_path(path), revision.text));
        }
        if changes.is_empty() {
            return Ok(None);
        }
        let headline = match (&revised[..], what.as_deref()) {
            ([(_, headline, _)], None) => headline.clone(),
            ([], None) => format!("the vocabulary ({})", settings.display()),
            (records, None) => format!("{} articles", records.len()),
            ([], Some(what)) => what.to_owned(),
            ([_], Some(what)) => format!("{what} (1 article)"),
            (records, Some(what)) => format!("{what} ({} articles)", records.len()),
        };
        let mut changed: Vec<String> = revised
            .iter()
            .flat_map(|(_, _, changed)| changed.iter().cloned())
            .collect();
        changed.sort();
        changed.dedup();
        let message = Message {
            action,
            headline,
            ids: revised.iter().map(|(path, _, _)| id_of(path)).collect(),
            note: note.map(str::to_owned),
            changed,
            version: None,
        };
        let path = match revised.first() {
            Some((path, _, _)) => path.as_path(),
            None => settings,
        };
        self.finish(transaction, &changes, path, &message, &signatures, warnings)
            .map(Some)
    }

    /// The settings file at `path` (relative to the root) as it is under
    /// the lock `transaction` holds: it must be clean (as committed), and
    /// is read the safe way (no link, not too large) as the settings are;
    /// none when absent.
    fn setting_under_lock(
        &self,
        transaction: &crate::git::Transaction<'_>,
        path: &Path,
    ) -> Result<Option<String>, DeskError> {
        let Some(bytes) = transaction
            .read_clean(&self.repo_path(path))
            .map_err(|error| self.named(error))?
        else {
            return Ok(None);
        };
        let full = self.newsroom.root().join(path);
        let text = crate::settings::read_setting(&full, self.newsroom.root())?;
        match text {
            Some(text) if text.as_bytes() == bytes => Ok(Some(text)),
            // Under the lock no news command writes it: what differs from
            // the committed file is a change of the work tree's own
            // (a filter, say), which news does not judge by.
            _ => Err(DeskError::ChangedMeanwhile {
                path: self.shown(path),
            }),
        }
    }

    /// The schema a record committed under the lock of `transaction` is
    /// checked against: the newsroom's, with the vocabulary committed at
    /// the tip, which the commit keeps. The work tree's may be older (a
    /// commit made since this command read it) or not committed at all.
    fn schema_at_tip(
        &self,
        transaction: &crate::git::Transaction<'_>,
    ) -> Result<Schema, DeskError> {
        let tags = crate::schema::TAGS_PATH;
        let text = match transaction.tip() {
            Some(tip) => self
                .repo
                .file_at(tip.as_str(), &self.repo_path(Path::new(tags)))?,
            None => None,
        };
        let path = self.newsroom.root().join(tags);
        let vocabulary = text
            .map(|bytes| crate::schema::Vocabulary::parse(&String::from_utf8_lossy(&bytes), &path))
            .transpose()?;
        Ok(self.schema().with_vocabulary(vocabulary))
    }

    /// The record at `path` as it is now, read under the lock that
    /// `transaction` holds: it must be clean (as committed); none when
    /// there is no such file.
    fn read_current(
        &self,
        transaction: &crate::git::Transaction<'_>,
        path: &Path,
    ) -> Result<Option<String>, DeskError> {
        transaction
            .read_clean(&self.repo_path(path))
            .map_err(|error| self.named(error))?
            .map(|bytes| {
                String::from_utf8(bytes).map_err(|error| DeskError::Invalid {
                    findings: self.check_bytes(path, error.as_bytes()),
                })
            })
            .transpose()
    }

    /// `text` as the next version of the record at `path`, now `current`
    /// (none: no record): with `current`'s line endings, refused when a
    /// hand change (`set`, `edit`, `tag`) touches what the workflow
    /// manages or breaks a history rule, or when it has errors against
    /// `schema`. `None` when it is `current`.
    fn revise(
        &self,
        schema: &Schema,
        path: &Path,
        action: Action,
        current: Option<&str>,
        text: String,
    ) -> Result<Option<Revision>, DeskError> {
        let text = keep_line_endings(current, text);
        if current == Some(text.as_str()) {
            return Ok(None);
        }
        let mut changed = Vec::new();
        if let Some(current) = current {
            // The workflow's own actions set the facts it manages; every
            // change is held to the history rules.
            if matches!(action, Action::Set | Action::Edit | Action::Tag) {
                self.guard_facts(&self.shown(path), path, current, &text)?;
                changed = fields_changed(current, &text);
            }
            self.keep_history(path, Some((path, current)), Some(&text))?;
        }
        let warnings = self.reject_errors_in(schema, path, &text, current)?;
        Ok(Some(Revision {
            text,
            changed,
            warnings,
        }))
    }

    /// Commits `changes` with `message`: the end of every commit path.
    fn finish(
        &self,
        transaction: crate::git::Transaction<'_>,
        changes: &[FileChange],
        path: &Path,
        message: &Message,
        signatures: &Signatures,
        warnings: Vec<String>,
    ) -> Result<Saved, DeskError> {
        let committed = transaction
            .commit(changes, &message.text(), signatures, &self.options)
            .map_err(|error| self.named(error))?;
        Ok(Saved {
            id: message.ids.first().cloned().unwrap_or_default(),
            path: path.to_owned(),
            commit: committed.commit,
            subject: message.subject(),
            warnings: [warnings, committed.warnings].concat(),
        })
    }

    /// Creates article from `draft` at `now`, with a unique id, and
    /// commits it. An id is taken when HEAD's tree, the index or the work
    /// tree has a record by that name. An article with the same headline
    /// is warned about: a second one is more often a slip than news.
    pub fn create(
        &self,
        draft: &Draft,
        now: DateTime<FixedOffset>,
        signatures: Option<&Signatures>,
    ) -> Result<Saved, DeskError> {
        let signatures = self.signer(signatures)?;
        let config = self.newsroom.config();
        let created_on = config.timezone.local_date(&now);
        // The folder and the dateline take the year in the newsroom's zone.
        if !config.timezone.fits_record(now) {
            return Err(out_of_range(now));
        }
        let same_headline = self.same_headline(&draft.headline)?;
        let transaction = self.repo.begin()?;
        let mut taken = self.newsroom.article_ids()?;
        let articles = self.repo_path(Path::new(crate::newsroom::ARTICLES_DIR)) + "/";
        taken.extend(
            transaction
                .tracked_names(&articles)?
                .into_iter()
                .filter_map(|name| name.strip_suffix(".toml").map(str::to_owned)),
        );
        let id = match &draft.id {
            Some(id) if taken.contains(id) => return Err(DeskError::IdTaken { id: id.clone() }),
            Some(id) => id.clone(),
            None => unique_id(&slug(&draft.headline), &taken),
        };
        let id =
            ArticleId::parse(&id).map_err(|invalid| DeskError::Refused(invalid.to_string()))?;
        let path = Newsroom::article_path(&id, created_on);
        let id = id.as_str().to_owned();
        let repo_path = self.repo_path(&path);
        if transaction
            .read_clean(&repo_path)
            .map_err(|error| self.named(error))?
            .is_some()
        {
            return Err(DeskError::IdTaken { id });
        }
        let text = draft
            .to_record(
                &id,
                now,
                created_on,
                config,
                &signatures,
                self.snapshot.schema().vocabulary(),
            )
            .ok_or_else(|| out_of_range(now))?;
        let schema = self.schema_at_tip(&transaction)?;
        let findings = self.reject_errors_in(&schema, &path, &text, None)?;
        let message = Message::new(Action::New, &headline_of(&text), &id);
        let mut warnings = Vec::new();
        if !same_headline.is_empty() {
            let others: Vec<String> = same_headline
                .iter()
                .map(|(other, other_path)| {
                    format!("{other} ({})", self.shown(other_path).display())
                })
                .collect();
            let articles = match others.len() {
                1 => "an article with the headline".to_owned(),
                count => format!("{count} articles with the headline"),
            };
            warnings.push(format!(
                "{articles} {:?} exist{} already: {}; this one is {id}",
                draft.headline.trim(),
                if others.len() == 1 { "s" } else { "" },
                others.join(", ")
            ));
        }
        warnings.extend(findings);
        let change = FileChange::write(repo_path, text);
        self.finish(
            transaction,
            &[change],
            &path,
            &message,
            &signatures,
            warnings,
        )
    }

    /// The ids and paths of the articles whose headline is `headline`,
    /// trimmed and in any case.
    fn same_headline(&self, headline: &str) -> Result<Vec<(String, PathBuf)>, DeskError> {
        let wanted = headline.trim().to_lowercase();
        let (articles, _) = self.articles()?;
        let mut same: Vec<(String, PathBuf)> = articles
            .into_iter()
            .filter(|(_, article)| article.headline.trim().to_lowercase() == wanted)
            .map(|(path, article)| (article.id, path))
            .collect();
        same.sort();
        Ok(same)
    }

    /// Every article of the newsroom with its path relative to the root,
    /// and how many records could not be read (see [`Snapshot::articles`]).
    pub fn articles(&self) -> Result<(Vec<(PathBuf, Article)>, usize), DeskError> {
        Ok(self.snapshot.articles()?)
    }

    /// The identity given, or the repository's.
    fn signer(&self, given: Option<&Signatures>) -> Result<Signatures, DeskError> {
        match given {
            Some(signatures) => Ok(signatures.clone()),
            None => self.signatures(),
        }
    }

    /// Refuses `text` as the record at `path` when it has errors against
    /// `schema`; its warnings otherwise, as lines for people: those the
    /// record's text `before` the change did not have.
    fn reject_errors_in(
        &self,
        schema: &Schema,
        path: &Path,
        text: &str,
        before: Option<&str>,
    ) -> Result<Vec<String>, DeskError> {
        if text.len() as u64 > crate::files::MAX_FILE_BYTES {
            return Err(DeskError::Invalid {
                findings: vec![Finding::file(
                    path,
                    crate::schema::Rule::FileTooLarge,
                    format!(
                        "the record would be {:.1} MiB; a record may be at most {} MiB",
                        text.len() as f64 / (1024.0 * 1024.0),
                        crate::files::MAX_FILE_BYTES / (1024 * 1024)
                    ),
                )],
            });
        }
        let findings = self.check_against(schema, path, text.as_bytes());
        if findings
            .iter()
            .any(|finding| finding.severity == Severity::Error)
        {
            if findings.iter().any(|finding| {
                finding.severity == Severity::Error
                    && finding.rule == crate::schema::Rule::UnknownTag
            }) {
                self.tags_not_committed(schema, text)?;
            }
            return Err(DeskError::Invalid { findings });
        }
        let warning = |finding: &Finding| format!("{} [{}]", finding.message, finding.rule);
        let had: Vec<String> = match before {
            Some(before) if !findings.is_empty() => self
                .check_against(schema, path, before.as_bytes())
                .iter()
                .map(warning)
                .collect(),
            _ => Vec::new(),
        };
        Ok(findings
            .iter()
            .map(warning)
            .filter(|line| !had.contains(line))
            .collect())
    }

    /// Refuses `text` when a tag of it is unknown to `schema` (the
    /// committed vocabulary) but known to the work tree's vocabulary file,
    /// which has uncommitted changes: those are to be committed first.
    fn tags_not_committed(&self, schema: &Schema, text: &str) -> Result<(), DeskError> {
        let (Some(work_tree), Some(tags)) = (self.schema().vocabulary(), tags::record_tags(text))
        else {
            return Ok(());
        };
        let committed = schema.vocabulary();
        let Some(tag) = tags.iter().find(|tag| {
            committed.is_none_or(|committed| committed.resolve(tag).is_none())
                && work_tree.resolve(tag).is_some()
        }) else {
            return Ok(());
        };
        let path = Path::new(crate::schema::TAGS_PATH);
        match self.repo.read_clean(&self.repo_path(path)) {
            Err(GitError::Uncommitted { .. }) => {
                let shown = self.shown(path);
                Err(DeskError::Refused(format!(
                    "tag {tag:?} is only in the uncommitted changes of {shown}, and news checks records against the committed vocabulary: commit them first (git commit {shown}), or discard them (git restore {shown})",
                    shown = shown.display()
                )))
            }
            _ => Ok(()),
        }
    }

    fn repo_path(&self, path: &Path) -> String {
        let relative: Vec<String> = path
            .components()
            .map(|component| component.as_os_str().to_string_lossy().into_owned())
            .collect();
        format!("{}{}", self.prefix, relative.join("/"))
    }
}

/// Refuses when the commit that changed `stored` into `current` changed a
/// field that `assignments` set: their values differ between the two.
fn changed_fields_untouched(
    stored: &StoredArticle,
    shown: &Path,
    current: &str,
    assignments: &[Assignment],
) -> Result<(), DeskError> {
    let changed = || DeskError::ChangedMeanwhile {
        path: shown.to_owned(),
    };
    let before = Record::parse(&stored.text).map_err(|_| changed())?;
    let after = Record::parse(current).map_err(|_| changed())?;
    let value =
        |record: &Record<'_>, field: &FieldPath| record.get(field).map(|entry| entry.to_json());
    for assignment in assignments {
        if value(&before, &assignment.field()) != value(&after, &assignment.field()) {
            return Err(DeskError::FieldChangedMeanwhile {
                path: shown.to_owned(),
                field: assignment.field().to_string(),
            });
        }
    }
    Ok(())
}

/// A status as a sentence says it: "it is a draft", "it is in review".
fn status_phrase(status: &str) -> String {
    match status {
        "draft" => "a draft".to_owned(),
        "review" => "in review".to_owned(),
        other => other.to_owned(),
    }
}

/// What may follow `status`, for the refusal of a transition.
fn next_steps(status: &str, next: &[Action]) -> String {
    let commands: Vec<String> = next.iter().map(|action| format!("news {action}")).collect();
    match commands.split_last() {
        None if status == "retracted" => "a retraction is final".to_owned(),
        None => format!("the workflow does not take a record on from {status:?}"),
        Some((last, [])) => format!("from {status} the next step is {last}"),
        Some((last, rest)) => format!(
            "from {status} the next steps are {} or {last}",
            rest.join(", ")
        ),
    }
}

fn out_of_range(instant: DateTime<FixedOffset>) -> DeskError {
    DeskError::Refused(format!(
        "{} falls outside the years a record can hold (0000 to 9999, also in the newsroom's time zone)",
        instant.to_utc().format("%Y-%m-%d %H:%M UTC")
    ))
}

/// `text` with each tag it adds to the record `before` (none: a new
/// record) written by its name in `schema`'s vocabulary; an added alias of
/// a tag the record carries already is dropped.
fn tags_by_name(before: Option<&str>, text: String, schema: &Schema) -> String {
    let Some(vocabulary) = schema.vocabulary() else {
        return text;
    };
    // A record whose tags are not a list of strings is refused by the
    // checks: nothing to write by name.
    let (Some(given), Ok(mut editor)) = (tags::record_tags(&text), RecordEditor::parse(&text))
    else {
        return text;
    };
    let had = before.and_then(tags::record_tags).unwrap_or_default();
    let field = tags::tags_field();
    let mut kept: Vec<String> = Vec::new();
    let mut changed = false;
    for tag in given {
        let name = vocabulary
            .resolve_ignoring_case(&tag)
            .map_or_else(|| tag.clone(), str::to_owned);
        let given = !had.contains(&tag);
        if given && kept.contains(&name) {
            changed |= editor.remove_item(&field, &tag.as_str().into()).is_ok();
            continue;
        }
        if given && name != tag {
            changed |= editor
                .replace_item(&field, &tag.as_str().into(), name.as_str().into())
                .unwrap_or(false);
        }
        kept.push(name);
    }
    match changed {
        true => editor.to_string(),
        false => text,
    }
}

/// `text` with the line endings of `old`: a record written with CRLF
/// stays CRLF, whatever the editor or the format-preserving edit wrote.
fn keep_line_endings(old: Option<&str>, text: String) -> String {
    let crlf = old.is_some_and(|old| {
        let lines = old.matches('\n').count();
        lines > 0 && old.matches("\r\n").count() == lines
    });
    if !crlf {
        return text;
    }
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// The id a record's file name gives.
fn id_of(path: &Path) -> String {
    path.file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or_default()
        .to_owned()
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

/// A record's next version, checked: its text, the fields that changed,
/// and the warnings it has that the version before did not.
struct Revision {
    text: String,
    changed: Vec<String>,
    warnings: Vec<String>,
}

/// What a command makes of a settings file, judged under the lock by
/// the file as it is there (see [`Desk::commit_records`]).
struct Batch<'a> {
    /// For the subject of a commit of several records: what it does.
    what: Option<String>,
    /// The settings file's new text; none: unchanged.
    after: Option<String>,
    /// The schema that checks the records, with the file as it will be.
    schema: Schema,
    /// The records to change, relative to the root.
    paths: Vec<PathBuf>,
    /// A record's new text, from its path and its text now.
    rebuild: Box<Rebuild<'a>>,
}

/// How a [`Batch`] makes a record's new text from its path and its text.
type Rebuild<'a> = dyn FnMut(&Path, &str) -> Result<String, DeskError> + 'a;

/// What a rebuild makes of a record: its new text, and for the commit
/// message the version it now has (where it changed) and the fields the
/// person asked to change.
struct Rebuilt {
    text: String,
    version: Option<u32>,
    changed: Vec<String>,
}

/// What a commit says: `<action>: <headline>`, a body (a note, the fields
/// that changed), and the trailers `git interpret-trailers` reads.
#[derive(Clone, Debug)]
struct Message {
    action: Action,
    headline: String,
    /// The articles the commit changes: a `News-Id` trailer each.
    ids: Vec<String>,
    note: Option<String>,
    /// The fields a `set` or an edit changed.
    changed: Vec<String>,
    version: Option<u32>,
}

impl Message {
    fn new(action: Action, headline: &str, id: &str) -> Self {
        Self {
            action,
            headline: headline.to_owned(),
            ids: vec![id.to_owned()],
            note: None,
            changed: Vec::new(),
            version: None,
        }
    }

    fn subject(&self) -> String {
        // A headline is one line; a record made by hand may break that
        // rule, and the subject must stay one line.
        let headline = self
            .headline
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        format!("{}: {headline}", self.action.as_str())
    }

    fn text(&self) -> String {
        let mut text = format!("{}\n\n", self.subject());
        if let Some(note) = self
            .note
            .as_deref()
            .map(str::trim)
            .filter(|note| !note.is_empty())
        {
            text.push_str(note);
            text.push_str("\n\n");
        }
        if !self.changed.is_empty() {
            text.push_str(&format!("Changed: {}\n\n", self.changed.join(", ")));
        } else if self
            .note
            .as_deref()
            .is_some_and(ends_with_changed_paragraph)
        {
            // A note that ends as news's `Changed:` paragraph reads would
            // be taken for it (`news log` leaves that out): news's own
            // comes after it.
            text.push_str("Changed: nothing\n\n");
        }
        for id in &self.ids {
            text.push_str(&format!("News-Id: {id}\n"));
        }
        text.push_str(&format!("News-Action: {}\n", self.action.as_str()));
        if let Some(version) = self.version {
            text.push_str(&format!("News-Version: {version}\n"));
        }
        text
    }
}

/// Two times as an error shows them, to the minute; to the second when
/// they would read the same to the minute.
fn two_moments(first: DateTime<FixedOffset>, second: DateTime<FixedOffset>) -> [String; 2] {
    let minutes = "%Y-%m-%d %H:%M %:z";
    let [first_text, second_text] = [first, second].map(|time| time.format(minutes).to_string());
    if first_text != second_text {
        return [first_text, second_text];
    }
    [first, second].map(|time| time.format("%Y-%m-%d %H:%M:%S %:z").to_string())
}

/// Whether a note's last paragraph reads as the `Changed:` paragraph news
/// writes before the trailers.
fn ends_with_changed_paragraph(note: &str) -> bool {
    note.trim()
        .rsplit("\n\n")
        .next()
        .is_some_and(crate::history::is_changed_paragraph)
}

/// The fields that differ between two versions of a record's text (none
/// when either does not parse).
fn fields_changed(before: &str, after: &str) -> Vec<String> {
    match (Record::parse(before), Record::parse(after)) {
        (Ok(before), Ok(after)) => {
            crate::article::changed_fields(&before.to_json(), &after.to_json())
        }
        _ => Vec::new(),
    }
}
