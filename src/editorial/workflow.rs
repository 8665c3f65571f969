//! The editorial workflow of DESIGN §3: submit, return, publish, withhold,
//! correct and retract. Each is one commit through the one commit path
//! ([`Desk::commit_rebuilt`]): the transition is judged and made on the
//! record as it is under the lock, so a commit made meanwhile is built on,
//! or the transition refused when it no longer applies.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde_json::Value as Json;
use toml_edit::Value;

use super::draft::toml_datetime;
use super::{
    Action, Assignment, Desk, DeskError, Rebuilt, Saved, changed_fields_untouched, fields_changed,
    out_of_range,
};
use crate::article::{CorrectionKind, FieldPath, Record, RecordEditor};
use crate::git::Signatures;
use crate::history::WORKFLOW;
use crate::schema::{Finding, Severity};
use crate::snapshot::StoredArticle;

/// A step of the workflow, with what it needs.
#[derive(Clone, Copy, Debug)]
pub enum Transition<'a> {
    /// draft → review.
    Submit,
    /// review → draft, sent back to the reporter; the note goes in the
    /// commit message.
    Return { note: &'a str },
    /// draft or review → published, the first time (`published`, `version
    /// = 1`); withheld → published again (`updated`; the first `published`
    /// and the version stay).
    Publish,
    /// published → withheld (`updated`); the note, internal, goes in the
    /// commit message.
    Withhold { note: &'a str },
    /// published or withheld, the status kept: the change, a new
    /// `[[corrections]]` entry with the public note, `version + 1`,
    /// `updated`.
    Correct {
        note: &'a str,
        kind: CorrectionKind,
        change: CorrectionChange<'a>,
    },
    /// published or withheld → retracted, for good: a `retraction` entry
    /// with the public note, `version + 1`, `updated`.
    Retract { note: &'a str },
}

/// The change a correction makes.
#[derive(Clone, Copy, Debug)]
pub enum CorrectionChange<'a> {
    /// Fields set as `news set` sets them: applied to the record as it is
    /// now, unless another commit changed one of those fields meanwhile.
    Assignments(&'a [Assignment]),
    /// The whole record as edited from the text that was read (the
    /// editor): refused when another commit changed the record meanwhile.
    Text(&'a str),
}

/// The workflow commands that may follow `status` (none: it is final, or
/// a status the workflow does not know).
pub fn legal_next_steps(status: &str) -> Vec<Action> {
    WORKFLOW
        .iter()
        .filter(|(_, from, _, _)| from.contains(&status))
        .map(|(action, ..)| *action)
        .collect()
}

impl Transition<'_> {
    pub fn action(&self) -> Action {
        match self {
            Transition::Submit => Action::Submit,
            Transition::Return { .. } => Action::Return,
            Transition::Publish => Action::Publish,
            Transition::Withhold { .. } => Action::Withhold,
            Transition::Correct { .. } => Action::Correct,
            Transition::Retract { .. } => Action::Retract,
        }
    }

    /// The note the transition needs (none for submit and publish).
    pub fn note(&self) -> Option<&str> {
        match self {
            Transition::Submit | Transition::Publish => None,
            Transition::Return { note }
            | Transition::Withhold { note }
            | Transition::Correct { note, .. }
            | Transition::Retract { note } => Some(note),
        }
    }

    /// Whether the note is internal, for the commit message (the others
    /// are public, in the record's `[[corrections]]`).
    fn internal_note(&self) -> Option<&str> {
        match self {
            Transition::Return { note } | Transition::Withhold { note } => Some(note),
            _ => None,
        }
    }

    /// Whether the transition writes its time into the record
    /// (`published`, `updated`, a correction's `at`).
    fn writes_time(&self) -> bool {
        !matches!(self, Transition::Submit | Transition::Return { .. })
    }

    /// The status the transition leads to (none: the status stays).
    fn leads_to(&self) -> Option<&'static str> {
        let action = self.action();
        WORKFLOW
            .iter()
            .find(|(row, ..)| *row == action)
            .and_then(|(_, _, to, _)| *to)
    }
}

impl Desk {
    /// Takes `stored` one step of the workflow, at `at` (written in the
    /// newsroom's time zone), and commits it with `message` (why, for the
    /// commit message; a return's or a withholding's note comes first).
    /// `None` when a correction changes nothing, and nothing was committed.
    /// Refused, with nothing committed: a transition the table does not
    /// allow from the record's status, a publication before the embargo,
    /// a result that breaks the schema or the history rules (with the
    /// findings), a blank note.
    pub fn transition(
        &self,
        stored: &StoredArticle,
        transition: &Transition<'_>,
        at: DateTime<FixedOffset>,
        message: Option<&str>,
        signatures: Option<&Signatures>,
    ) -> Result<Option<Saved>, DeskError> {
        if let Some(fault) = transition.note().and_then(note_fault) {
            return Err(DeskError::Refused(format!(
                "{}: {fault}",
                transition.action()
            )));
        }
        if let Some(fault) = message.and_then(message_fault) {
            return Err(DeskError::Refused(format!("the message: {fault}")));
        }
        self.ready_to_commit()?;
        if let Transition::Correct {
            change: CorrectionChange::Assignments(assignments),
            ..
        } = transition
        {
            // Bad assignments are refused before any lock is taken.
            match self.assign(stored, &stored.text, assignments) {
                Ok(_) | Err(DeskError::Invalid { .. }) => {}
                Err(error) => return Err(error),
            }
        }
        let at = self.newsroom.config().timezone.at(at);
        let when = Value::from(toml_datetime(at).ok_or_else(|| out_of_range(at))?);
        let body = [transition.internal_note(), message]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        let body = (!body.is_empty()).then_some(body);
        self.commit_rebuilt(
            &stored.path,
            transition.action(),
            body.as_deref(),
            signatures,
            |current| {
                let current = current.ok_or_else(|| DeskError::ChangedMeanwhile {
                    path: self.shown(&stored.path),
                })?;
                self.rebuild(stored, current, transition, at, when)
            },
        )
    }

    /// Refuses `action` on `stored` as it was read when the transition
    /// table does not allow it from its status (before an editor opens,
    /// say); the commit judges the record again under the lock.
    pub fn may(&self, stored: &StoredArticle, action: Action) -> Result<(), DeskError> {
        match Record::parse(&stored.text) {
            Ok(record) => allowed(&stored.id, &status_of(&record.to_json()), action),
            // A record that does not parse is refused by the checks.
            Err(_) => Ok(()),
        }
    }

    /// The record `current` after `transition` at `at` (`when`, as TOML).
    fn rebuild(
        &self,
        stored: &StoredArticle,
        current: &str,
        transition: &Transition<'_>,
        at: DateTime<FixedOffset>,
        when: Value,
    ) -> Result<Rebuilt, DeskError> {
        let invalid = || DeskError::Invalid {
            findings: self.check(&stored.path, current),
        };
        let record = Record::parse(current).map_err(|_| invalid())?.to_json();
        let status = status_of(&record);
        if status.is_empty() {
            return Err(invalid());
        }
        allowed(&stored.id, &status, transition.action())?;
        if transition.writes_time() {
            self.not_before(&stored.id, transition.action(), &record, at)?;
        }
        let version = record
            .get("version")
            .and_then(Json::as_u64)
            .and_then(|version| u32::try_from(version).ok());
        // The change a correction asks for comes first; the correction
        // entry is added to it.
        let (base, changed) = match transition {
            Transition::Correct { change, .. } => {
                let changed_text = match change {
                    CorrectionChange::Assignments(assignments) => {
                        if current != stored.text {
                            changed_fields_untouched(
                                stored,
                                &self.shown(&stored.path),
                                current,
                                assignments,
                            )?;
                        }
                        self.assign(stored, current, assignments)?
                    }
                    CorrectionChange::Text(text) => {
                        if current != stored.text {
                            return Err(DeskError::ChangedMeanwhile {
                                path: self.shown(&stored.path),
                            });
                        }
                        self.guard_facts(&self.shown(&stored.path), &stored.path, current, text)?;
                        (*text).to_owned()
                    }
                };
                let changed = fields_changed(current, &changed_text);
                if changed.is_empty() {
                    // Nothing to correct: the text stays, nothing is
                    // committed.
                    return Ok(Rebuilt {
                        text: current.to_owned(),
                        version: None,
                        changed,
                    });
                }
                (changed_text, changed)
            }
            _ => (current.to_owned(), Vec::new()),
        };
        let mut editor = RecordEditor::parse(&base).map_err(|_| DeskError::Invalid {
            findings: self.check(&stored.path, &base),
        })?;
        let edit = |result: Result<(), crate::article::EditError>| {
            result.map_err(|error| DeskError::Refused(error.to_string()))
        };
        if let Some(to) = transition.leads_to() {
            edit(editor.set_after("status", Value::from(to), &[]))?;
        }
        if let Transition::Publish = transition {
            // Every publication, the first or again, waits for the embargo.
            let embargo = Record::parse(&base).ok().and_then(|record| {
                record
                    .get(&FieldPath::root().key("embargo"))
                    .and_then(|entry| crate::schema::offset_date_time(entry.value.get_ref()))
            });
            if let Some(embargo) = embargo.filter(|embargo| at < *embargo) {
                return Err(DeskError::Embargoed {
                    id: stored.id.clone(),
                    embargo: self.newsroom.config().timezone.at(embargo),
                });
            }
        }
        let mut new_version = None;
        match transition {
            Transition::Submit | Transition::Return { .. } => {}
            Transition::Publish if status == "withheld" => {
                edit(editor.set_after("updated", when, &["published", "created"]))?;
            }
            Transition::Publish => {
                edit(editor.set_after("published", when, &["created"]))?;
                edit(editor.set_after("version", Value::from(1), &["status"]))?;
                new_version = Some(1);
            }
            Transition::Withhold { .. } => {
                edit(editor.set_after("updated", when, &["published", "created"]))?;
            }
            Transition::Correct { note, kind, .. } => {
                new_version = Some(self.correction(&mut editor, version, when, *kind, note)?);
            }
            Transition::Retract { note } => {
                new_version = Some(self.correction(
                    &mut editor,
                    version,
                    when,
                    CorrectionKind::Retraction,
                    note,
                )?);
            }
        }
        Ok(Rebuilt {
            text: editor.to_string(),
            version: new_version,
            changed,
        })
    }

    /// Refuses `action` on article `id` at `at` when `record` (as JSON)
    /// holds a later time (`created`, `published`, `updated`, a
    /// correction's `at`): a record's times only go forward.
    fn not_before(
        &self,
        id: &str,
        action: Action,
        record: &Json,
        at: DateTime<FixedOffset>,
    ) -> Result<(), DeskError> {
        let time = |value: &Json| {
            value
                .as_str()
                .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
        };
        let corrections = record
            .get("corrections")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(index, entry)| {
                let time = entry.get("at").and_then(time)?;
                Some((format!("corrections[{index}].at"), time))
            });
        let latest = ["created", "published", "updated"]
            .into_iter()
            .filter_map(|field| Some((field.to_owned(), record.get(field).and_then(time)?)))
            .chain(corrections)
            .max_by_key(|(_, time)| *time);
        match latest {
            Some((field, time)) if at < time => Err(DeskError::TooEarly {
                id: id.to_owned(),
                action,
                at,
                field,
                time: self.newsroom.config().timezone.at(time),
            }),
            _ => Ok(()),
        }
    }

    /// Appends a `[[corrections]]` entry, raises the version (a record
    /// without one counts as version 1) and sets `updated`; the new
    /// version.
    fn correction(
        &self,
        editor: &mut RecordEditor,
        version: Option<u32>,
        when: Value,
        kind: CorrectionKind,
        note: &str,
    ) -> Result<u32, DeskError> {
        let refused = |error: crate::article::EditError| DeskError::Refused(error.to_string());
        let next = version.unwrap_or(1).saturating_add(1);
        editor
            .set_after("version", Value::from(i64::from(next)), &["status"])
            .map_err(refused)?;
        editor
            .set_after("updated", when.clone(), &["published", "created"])
            .map_err(refused)?;
        let corrections = FieldPath::root().key("corrections");
        let index = editor.push_table(&corrections).map_err(refused)?;
        let entry = corrections.index(index);
        editor
            .set(&entry.clone().key("at"), when)
            .map_err(refused)?;
        editor
            .set(&entry.clone().key("kind"), Value::from(kind.to_string()))
            .map_err(refused)?;
        editor
            .set(&entry.key("note"), Value::from(note.trim()))
            .map_err(refused)?;
        Ok(next)
    }

    /// The records in review whose embargo has passed at `now`, the
    /// earliest embargo first: what `news publish --due` publishes. A
    /// record in review without an embargo waits for an editor: it was
    /// never scheduled. A record that cannot be read as an article (its
    /// TOML, an embargo that is not a date-time with an offset) may be
    /// due: it is listed apart, unless it reads as a record with another
    /// status.
    pub fn due(&self, now: DateTime<FixedOffset>) -> Result<Due, DeskError> {
        let (articles, unreadable) = self.articles()?;
        let mut undecided = Vec::new();
        if unreadable > 0 {
            let read: std::collections::HashSet<&PathBuf> =
                articles.iter().map(|(path, _)| path).collect();
            for path in self.snapshot.record_paths()? {
                if read.contains(&path) {
                    continue;
                }
                if let Some(record) = self.undecided(&path) {
                    undecided.push(record);
                }
            }
        }
        let mut due: Vec<_> = articles
            .into_iter()
            .filter(|(_, article)| article.status.0 == "review")
            .filter_map(|(path, article)| {
                article
                    .embargo
                    .filter(|embargo| *embargo <= now)
                    .map(|embargo| (embargo, article.id, path))
            })
            .collect();
        due.sort();
        let articles = due
            .into_iter()
            .map(|(_, _, path)| {
                Ok(self
                    .snapshot
                    .find(&path.to_string_lossy(), self.newsroom.root())?)
            })
            .collect::<Result<_, DeskError>>()?;
        Ok(Due {
            articles,
            undecided,
        })
    }

    /// The record at `path`, which does not read as an article, when it
    /// may be in review: its TOML does not parse, or its status is review
    /// or unreadable.
    fn undecided(&self, path: &Path) -> Option<Undecided> {
        let root = self.newsroom.root();
        let shown = self.shown(path);
        let bytes = match crate::validate::read_record_file(&root.join(path), Some(root)) {
            Ok(bytes) => bytes,
            Err((_, reason)) => {
                return Some(Undecided {
                    path: shown,
                    reason,
                    findings: Vec::new(),
                });
            }
        };
        if let Ok(record) = Record::parse(&String::from_utf8_lossy(&bytes)) {
            match record.to_json().get("status").and_then(Json::as_str) {
                Some(status) if status != "review" => return None,
                _ => {}
            }
        }
        let findings = self
            .check_bytes(path, &bytes)
            .into_iter()
            .filter(|finding| finding.severity == Severity::Error)
            .collect();
        Some(Undecided {
            path: shown,
            reason: "it cannot be read as an article".to_owned(),
            findings,
        })
    }
}

/// What `news publish --due` finds.
#[derive(Debug)]
pub struct Due {
    /// The records in review whose embargo has passed, the earliest
    /// embargo first.
    pub articles: Vec<StoredArticle>,
    /// The records that may be in review but cannot be read as articles:
    /// whether they are due is not known.
    pub undecided: Vec<Undecided>,
}

/// A record of which `news publish --due` cannot tell whether it is due.
#[derive(Debug)]
pub struct Undecided {
    /// Its path, as shown.
    pub path: PathBuf,
    /// Why it cannot be read.
    pub reason: String,
    /// The errors `news validate` finds in it.
    pub findings: Vec<Finding>,
}

/// What is wrong with a note a person wrote for a transition (`--note`):
/// it says nothing, or it holds a control character ([`message_fault`]).
pub fn note_fault(note: &str) -> Option<String> {
    match note.trim().is_empty() {
        true => Some("the note is empty; say why, in a few words".to_owned()),
        false => message_fault(note),
    }
}

/// What is wrong with text a person wrote for a commit message or a
/// record (a note, `-m`): a control character other than a line break
/// (an escape sequence would act on the terminal of whoever reads it).
pub fn message_fault(text: &str) -> Option<String> {
    text.chars()
        .find(|&character| character != '\n' && crate::schema::is_control(character))
        .map(|character| {
            format!(
                "it contains the control character U+{:04X}; write printable text, on lines",
                u32::from(character)
            )
        })
}

/// Refuses `action` on article `id` in `status` when the table does not
/// allow it, naming the status and what may follow it.
fn allowed(id: &str, status: &str, action: Action) -> Result<(), DeskError> {
    match WORKFLOW.iter().find(|(row, ..)| *row == action) {
        Some((_, from, _, rule)) if !from.contains(&status) => Err(DeskError::NotNow {
            id: id.to_owned(),
            action,
            status: status.to_owned(),
            rule: (*rule).to_owned(),
            next: legal_next_steps(status),
        }),
        _ => Ok(()),
    }
}

/// A record's status (empty when it has none).
fn status_of(record: &Json) -> String {
    record
        .get("status")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned()
}
