//! Commands about a record's file rather than its fields: committing a
//! record edited by hand (`news commit`), moving a record to the folder
//! its `created` implies (`news mv`), removing a draft (`news rm`).

use std::path::{Path, PathBuf};

use super::guard;
use super::{Action, Desk, DeskError, Message, Saved, fields_changed, headline_of, id_of};
use crate::article::{ArticleId, Record};
use crate::git::FileChange;
use crate::newsroom::{ARTICLES_DIR, Newsroom};
use crate::snapshot::StoredArticle;

impl Desk {
    /// Refuses, before anyone edits, a record whose file is not as
    /// committed (hand edits, staged changes, conflicts): `news edit`
    /// would otherwise throw the editor's work away at the end.
    pub fn ready_to_edit(&self, stored: &StoredArticle) -> Result<(), DeskError> {
        self.ready_to_commit()?;
        match self
            .repo
            .read_clean(&self.repo_path(&stored.path))
            .map_err(|error| self.named(error))?
        {
            Some(bytes) if bytes == stored.text.as_bytes() => Ok(()),
            _ => Err(DeskError::ChangedMeanwhile {
                path: self.shown(&stored.path),
            }),
        }
    }

    /// The records (paths relative to the root) whose work-tree file or
    /// index entry differs from HEAD: edited, added or removed by hand.
    pub fn hand_edited(&self) -> Result<Vec<PathBuf>, DeskError> {
        let transaction = self.repo.begin()?;
        let folder = format!("{}{ARTICLES_DIR}/", self.prefix);
        let mut paths: Vec<String> = transaction
            .tracked_paths(&folder)?
            .into_iter()
            .filter(|path| path.ends_with(".toml"))
            .collect();
        paths.extend(
            self.snapshot
                .record_paths()?
                .iter()
                .map(|path| self.repo_path(path)),
        );
        paths.sort();
        paths.dedup();
        let mut edited = Vec::new();
        for path in paths {
            // What cannot be read clean (a pipe in its place, say) is
            // named too: committing it says why it cannot be.
            if transaction.read_clean(&path).is_err() {
                edited.push(self.root_path(&path));
            }
        }
        Ok(edited)
    }

    /// The record `reference` names among those edited by hand: an id or
    /// a path, also of a record removed by hand.
    pub fn hand_edited_record(&self, reference: &str) -> Result<PathBuf, DeskError> {
        match self.article(reference) {
            Ok(stored) => Ok(stored.path),
            Err(DeskError::NoSuchArticle { .. } | DeskError::NoSuchRecord { .. }) => {
                let removed = self.hand_edited()?.into_iter().find(|path| {
                    id_of(path) == reference || self.shown(path) == Path::new(reference)
                });
                removed.ok_or_else(|| DeskError::NoSuchArticle {
                    id: reference.to_owned(),
                    suggestion: None,
                })
            }
            Err(error) => Err(error),
        }
    }

    /// Commits the record at `path` (relative to the root) as edited by
    /// hand: a changed record as an `edit`, a new one as `new`, a removed
    /// one as `rm`, each checked as the commands that make them check.
    /// `None` when it is as committed.
    pub fn commit_hand_edit(
        &self,
        path: &Path,
        note: Option<&str>,
    ) -> Result<Option<Saved>, DeskError> {
        self.repo.ready_to_commit()?;
        let signatures = self.signatures()?;
        let mut transaction = self.repo.begin()?;
        let repo_path = self.repo_path(path);
        if transaction.read_clean(&repo_path).is_ok() {
            return Ok(None);
        }
        let edit = self.adopt(&mut transaction, path)?;
        // A record moved by hand: gone from one folder, new in another,
        // under the same name. It is one change, committed as one.
        let moved = match (&edit.head, &edit.work_tree) {
            (None, Some(_)) | (Some(_), None) => {
                self.moved_counterpart(&transaction, &repo_path, edit.head.is_none())?
            }
            _ => None,
        };
        let (old_path, old, new_path, new) = match moved {
            Some(other) => {
                let other_edit = self.adopt(&mut transaction, &other)?;
                match edit.head {
                    None => (
                        other.clone(),
                        other_edit.head,
                        path.to_owned(),
                        edit.work_tree,
                    ),
                    Some(_) => (
                        path.to_owned(),
                        edit.head,
                        other.clone(),
                        other_edit.work_tree,
                    ),
                }
            }
            None => (path.to_owned(), edit.head, path.to_owned(), edit.work_tree),
        };
        let text = |path: &Path, bytes: Vec<u8>| {
            String::from_utf8(bytes).map_err(|error| DeskError::Invalid {
                findings: self.check_bytes(path, error.as_bytes()),
            })
        };
        let head = old.map(|bytes| text(&old_path, bytes)).transpose()?;
        let mut changes = Vec::new();
        let (message, warnings) = match (head, new) {
            (None, None) => return Ok(None),
            (Some(head), None) => {
                self.removable(&old_path, &head)?;
                self.keep_history(&old_path, Some((&old_path, &head)), None)?;
                changes.push(FileChange::remove(self.repo_path(&old_path)));
                let message = Message::new(Action::Rm, &headline_of(&head), &id_of(&old_path));
                (message, Vec::new())
            }
            (head, Some(bytes)) => {
                let work = text(&new_path, bytes.clone())?;
                let action = match &head {
                    Some(_) if old_path != new_path => Action::Mv,
                    Some(_) => Action::Edit,
                    None => {
                        self.new_by_hand(&new_path, &work)?;
                        self.unique_id(&transaction, &new_path)?;
                        Action::New
                    }
                };
                if let Some(head) = &head {
                    self.guard_facts(&self.shown(&new_path), &old_path, head, &work)?;
                }
                let schema = self.schema_at_tip(&transaction)?;
                let warnings = self.reject_errors_in(&schema, &new_path, &work, head.as_deref())?;
                let before = head.as_deref().map(|head| (old_path.as_path(), head));
                self.keep_history(&new_path, before, Some(&work))?;
                let mut message = Message::new(action, &headline_of(&work), &id_of(&new_path));
                if let Some(head) = &head {
                    message.changed = fields_changed(head, &work);
                }
                if old_path != new_path {
                    changes.push(FileChange::remove(self.repo_path(&old_path)));
                    message.note = Some(format!(
                        "Moved from {} to {}.",
                        old_path.display(),
                        new_path.display()
                    ));
                }
                changes.push(FileChange::write(self.repo_path(&new_path), bytes));
                (message, warnings)
            }
        };
        let message = Message {
            note: [message.note, note.map(str::to_owned)]
                .into_iter()
                .flatten()
                .reduce(|moved, note| format!("{note}\n\n{moved}")),
            ..message
        };
        self.finish(
            transaction,
            &changes,
            &new_path,
            &message,
            &signatures,
            warnings,
        )
        .map(Some)
    }

    /// Takes the record at `path` as edited by hand into `transaction`,
    /// refusing one whose staged version would be lost.
    fn adopt(
        &self,
        transaction: &mut crate::git::Transaction<'_>,
        path: &Path,
    ) -> Result<crate::git::HandEdit, DeskError> {
        let edit = transaction
            .adopt(&self.repo_path(path))
            .map_err(|error| self.named(error))?;
        if edit.staged_apart {
            return Err(DeskError::Refused(format!(
                "{} has staged changes (git diff --cached) and other changes in the file (git diff); news commit commits the file as it is, which would drop the staged version: stage the file (git add) or unstage it (git restore --staged) first",
                self.shown(path).display()
            )));
        }
        Ok(edit)
    }

    /// The other half of a move made by hand, relative to the root: for a
    /// record new at `repo_path` (`added`), a committed record of the same
    /// name that is gone from the work tree; for one gone, a new one of
    /// the same name.
    fn moved_counterpart(
        &self,
        transaction: &crate::git::Transaction<'_>,
        repo_path: &str,
        added: bool,
    ) -> Result<Option<PathBuf>, DeskError> {
        let name = repo_path.rsplit('/').next().unwrap_or(repo_path);
        let same_name = |other: &str| other != repo_path && other.rsplit('/').next() == Some(name);
        let candidates: Vec<String> = match added {
            true => transaction
                .tracked_paths(&format!("{}{ARTICLES_DIR}/", self.prefix))?
                .into_iter()
                .filter(|other| same_name(other))
                .filter(|other| {
                    !self
                        .repo
                        .workdir()
                        .is_some_and(|top| top.join(other).exists())
                })
                .collect(),
            false => self
                .snapshot
                .record_paths()?
                .iter()
                .map(|other| self.repo_path(other))
                .filter(|other| same_name(other))
                .filter(|other| {
                    matches!(
                        transaction.read_clean(other),
                        Err(crate::git::GitError::Uncommitted {
                            state: crate::git::Pending::Untracked,
                            ..
                        })
                    )
                })
                .collect(),
        };
        Ok(match &candidates[..] {
            [other] => Some(self.root_path(other)),
            _ => None,
        })
    }

    /// Refuses a new record whose id another record has, in the work tree
    /// or committed: ids are unique in a newsroom.
    fn unique_id(
        &self,
        transaction: &crate::git::Transaction<'_>,
        path: &Path,
    ) -> Result<(), DeskError> {
        let repo_path = self.repo_path(path);
        let name = repo_path
            .rsplit('/')
            .next()
            .unwrap_or(&repo_path)
            .to_owned();
        let mut others: Vec<String> = transaction
            .tracked_paths(&format!("{}{ARTICLES_DIR}/", self.prefix))?
            .into_iter()
            .chain(
                self.snapshot
                    .record_paths()?
                    .iter()
                    .map(|other| self.repo_path(other)),
            )
            .filter(|other| *other != repo_path && other.rsplit('/').next() == Some(&name))
            .collect();
        others.sort();
        others.dedup();
        match others.first() {
            None => Ok(()),
            Some(other) => Err(DeskError::Refused(format!(
                "the id {:?} of {} is also the id of {}; ids are unique in a newsroom (a record moved by hand is committed as a move when its old file is gone)",
                id_of(path),
                self.shown(path).display(),
                self.shown(&self.root_path(other)).display()
            ))),
        }
    }

    /// Moves article `reference`'s record to the folder its `created`
    /// gives in the newsroom's time zone (the fix the folder-date warning
    /// asks for). `None` when it is there already.
    pub fn move_to_its_folder(&self, reference: &str) -> Result<Option<Saved>, DeskError> {
        self.repo.ready_to_commit()?;
        let stored = self.article(reference)?;
        let unreadable = || DeskError::Invalid {
            findings: self.check(&stored.path, &stored.text),
        };
        let article = Record::parse(&stored.text)
            .map_err(|_| unreadable())?
            .into_article()
            .map_err(|_| unreadable())?;
        let id = ArticleId::parse(&stored.id)
            .map_err(|invalid| DeskError::Refused(invalid.to_string()))?;
        let date = self.newsroom.config().timezone.local_date(&article.created);
        let target = Newsroom::article_path(&id, date);
        if target == stored.path {
            return Ok(None);
        }
        let signatures = self.signatures()?;
        let transaction = self.repo.begin()?;
        let (from, to) = (self.repo_path(&stored.path), self.repo_path(&target));
        if transaction
            .read_clean(&from)
            .map_err(|error| self.named(error))?
            .as_deref()
            != Some(stored.text.as_bytes())
        {
            return Err(DeskError::ChangedMeanwhile {
                path: self.shown(&stored.path),
            });
        }
        if transaction
            .read_clean(&to)
            .map_err(|error| self.named(error))?
            .is_some()
        {
            return Err(DeskError::Refused(format!(
                "{} exists already; news moves no record over another",
                self.shown(&target).display()
            )));
        }
        let mut message = Message::new(Action::Mv, &headline_of(&stored.text), &stored.id);
        message.note = Some(format!(
            "Moved from {} to {}, the folder of its creation date.",
            stored.path.display(),
            target.display()
        ));
        let changes = [
            FileChange::remove(from),
            FileChange::write(to, stored.text.as_bytes()),
        ];
        self.finish(
            transaction,
            &changes,
            &target,
            &message,
            &signatures,
            Vec::new(),
        )
        .map(Some)
    }

    /// Removes article `reference`'s record, which must never have been
    /// published (a published article is retracted, never deleted).
    pub fn remove(&self, reference: &str, note: Option<&str>) -> Result<Saved, DeskError> {
        self.repo.ready_to_commit()?;
        let stored = self.article(reference)?;
        self.removable(&stored.path, &stored.text)?;
        let signatures = self.signatures()?;
        let transaction = self.repo.begin()?;
        let repo_path = self.repo_path(&stored.path);
        if transaction
            .read_clean(&repo_path)
            .map_err(|error| self.named(error))?
            .as_deref()
            != Some(stored.text.as_bytes())
        {
            return Err(DeskError::ChangedMeanwhile {
                path: self.shown(&stored.path),
            });
        }
        let mut message = Message::new(Action::Rm, &headline_of(&stored.text), &stored.id);
        message.note = note.map(str::to_owned);
        let change = FileChange::remove(repo_path);
        self.finish(
            transaction,
            &[change],
            &stored.path,
            &message,
            &signatures,
            Vec::new(),
        )
    }

    /// Refuses to remove a record that is or was published, or that does
    /// not parse (whether it was published cannot be told).
    fn removable(&self, path: &Path, text: &str) -> Result<(), DeskError> {
        let shown = self.shown(path);
        let record = Record::parse(text).map_err(|_| {
            DeskError::Refused(format!(
                "{} does not parse, so whether it was ever published cannot be told; fix it first (`news validate {}` says what is wrong)",
                shown.display(),
                shown.display()
            ))
        })?;
        let published = || {
            DeskError::Refused(format!(
                "{} is or was published, and a published article is never deleted; retract it with `news retract`",
                shown.display()
            ))
        };
        if crate::history::ever_published(&record.to_json()) {
            return Err(published());
        }
        // Was it ever, in any version its history holds, wherever it was?
        if self.repo.is_shallow() {
            return Err(DeskError::Refused(format!(
                "this clone is shallow, so whether {} was ever published cannot be told; fetch its history first (git fetch --unshallow)",
                shown.display()
            )));
        }
        if self.repo.head_commit()?.is_some() {
            let folder = format!("{}{ARTICLES_DIR}", self.prefix);
            let versions = self
                .repo
                .file_history("HEAD", &self.repo_path(path), &folder, None)?;
            let ever = versions.iter().any(|version| {
                [&version.before, &version.after].into_iter().any(|bytes| {
                    bytes
                        .as_deref()
                        .and_then(|bytes| crate::history::read_record(bytes).ok())
                        .is_some_and(|record| crate::history::ever_published(&record))
                })
            });
            if ever {
                return Err(published());
            }
        }
        Ok(())
    }

    /// Refuses a record new to the newsroom that carries a publication
    /// fact.
    fn new_by_hand(&self, path: &Path, text: &str) -> Result<(), DeskError> {
        let Ok(record) = Record::parse(text) else {
            // The checks refuse it with the syntax error.
            return Ok(());
        };
        match guard::new_record_fact(&record) {
            Some(guarded) => Err(DeskError::Guarded {
                path: self.shown(path),
                field: guarded.field,
                reason: guarded.reason,
            }),
            None => Ok(()),
        }
    }

    /// A path relative to the top of the work tree, relative to the
    /// newsroom root.
    fn root_path(&self, repo_path: &str) -> PathBuf {
        PathBuf::from(repo_path.strip_prefix(&self.prefix).unwrap_or(repo_path))
    }
}
