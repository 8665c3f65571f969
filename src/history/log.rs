//! `news log`: the editorial history of a record, or of the newsroom, one
//! entry per commit, each classified from the record's change itself.

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use super::{Action, classify};
use crate::article::{Change, Record, changes, summary};
use crate::git::{CommitId, FileCommit, GitError, Repo};
use crate::time::TimeZone;

/// One commit's change to one record.
#[derive(Clone, Debug)]
pub struct Entry {
    pub commit: CommitId,
    /// The author date, in the newsroom's time zone.
    pub date: DateTime<FixedOffset>,
    pub author: String,
    pub email: String,
    /// What the change is, told from the record itself.
    pub action: Action,
    /// The commit's `News-Action` trailer, when it says something else.
    pub label: Option<String>,
    /// The action the trailer names, when it is one that agrees with the
    /// change (`set`, `tag` and `mv` are kinds of `edit`).
    pub labelled: Option<Action>,
    /// The record's `version` after the change.
    pub version: Option<i64>,
    /// The record's id (its file name).
    pub id: String,
    /// Where the record is after the change (was, when removed), relative
    /// to the top of the repository.
    pub path: String,
    /// Where it was before, when the change moved it.
    pub moved_from: Option<String>,
    /// Whether the commit is a merge that resolved the record differently
    /// from every parent.
    pub merge: bool,
    pub subject: String,
    /// The commit message's note: its body between the subject and the
    /// `Changed:` line and trailers (a return's or a withholding's
    /// reason, `-m`); none when it has none.
    pub note: Option<String>,
    pub changes: Vec<Change>,
    /// Why the record could not be read after (or before) the change.
    pub unreadable: Option<String>,
    /// Why the version before the change could not be read, when the
    /// changes are told against the last version before it that could.
    pub fixes: Option<String>,
    /// Whether the commit is where this shallow clone's history stops: the
    /// record may be older than it.
    pub history_cut: bool,
}

impl Entry {
    /// `headline, body, tags +Japan −China`.
    pub fn summary(&self) -> String {
        if let Some(problem) = &self.unreadable {
            return format!("the record cannot be read: {problem}");
        }
        if self.history_cut {
            return "as it was where this shallow clone's history starts; `git fetch --unshallow` brings what came before".to_owned();
        }
        match self.action {
            Action::New if self.moved_from.is_none() => return "created".to_owned(),
            Action::Rm => return "removed".to_owned(),
            _ => {}
        }
        let changed = match (&self.moved_from, self.changes.is_empty()) {
            (Some(from), true) => format!("moved from {from}"),
            (Some(from), false) => format!("moved from {from}; {}", summary(&self.changes)),
            (None, _) => summary(&self.changes),
        };
        match (&self.fixes, changed.is_empty()) {
            (None, _) => changed,
            (Some(problem), true) => format!("fixes a version that could not be read: {problem}"),
            (Some(problem), false) => {
                format!("{changed} (fixes a version that could not be read: {problem})")
            }
        }
    }
}

/// Which entries a log keeps.
#[derive(Clone, Debug, Default)]
pub struct LogFilter {
    /// Part of the author's name or email, in any case.
    pub author: Option<String>,
    pub since: Option<DateTime<FixedOffset>>,
    pub until: Option<DateTime<FixedOffset>>,
    pub action: Option<Action>,
    /// Only changes to this field (`headline`, `media`, `dateline.place`).
    pub field: Option<String>,
    pub limit: Option<usize>,
}

impl LogFilter {
    pub(super) fn keeps(&self, entry: &Entry) -> bool {
        let author = self.author.as_ref().is_none_or(|wanted| {
            let wanted = wanted.to_lowercase();
            entry.author.to_lowercase().contains(&wanted)
                || entry.email.to_lowercase().contains(&wanted)
        });
        // The field itself, a part of it, or what holds it (a list of
        // tables added or removed whole) changed.
        let within = |inner: &str, outer: &str| {
            inner == outer
                || inner.starts_with(&format!("{outer}."))
                || inner.starts_with(&format!("{outer}["))
        };
        let field = self.field.as_ref().is_none_or(|field| {
            entry
                .changes
                .iter()
                .any(|change| within(&change.field, field) || within(field, &change.field))
        });
        author
            && field
            && self.since.is_none_or(|since| entry.date >= since)
            && self.until.is_none_or(|until| entry.date <= until)
            && self.action.is_none_or(|action| {
                // `--action set` finds the edits made by `news set`.
                entry.action == action || entry.labelled == Some(action)
            })
    }

    pub(super) fn full(&self, entries: &[Entry]) -> bool {
        self.limit.is_some_and(|limit| entries.len() >= limit)
    }
}

/// The newsroom's editorial history as of `revision`: every change to a
/// record below `folder`, newest first.
pub fn newsroom_log(
    repo: &Repo,
    revision: &str,
    folder: &str,
    timezone: &TimeZone,
    filter: &LogFilter,
) -> Result<Vec<Entry>, GitError> {
    let mut entries = Vec::new();
    repo.folder_history(revision, folder, None, &mut |files| {
        for file in files {
            if filter.full(&entries) {
                return Ok(false);
            }
            if !file.path.ends_with(".toml") {
                continue;
            }
            // Where a shallow clone's history starts, every record is in
            // the first commit: only the one its label names was changed
            // there, as far as anyone can tell.
            if file.info.cut
                && trailer(&file.info.message, "News-Id").as_deref() != Some(id_of(&file.path))
            {
                continue;
            }
            let entry = entry(file, timezone);
            if filter.keeps(&entry) {
                entries.push(entry);
            }
        }
        Ok(true)
    })?;
    Ok(entries)
}

/// The id of the record at `path`: its file name.
fn id_of(path: &str) -> &str {
    path.rsplit('/')
        .next()
        .and_then(|name| name.strip_suffix(".toml"))
        .unwrap_or_default()
}

/// A record's text read into JSON, or why it cannot be.
pub fn read_record(bytes: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8".to_owned())?;
    Record::parse(text)
        .map(|record| record.to_json())
        .map_err(|error| error.message)
}

pub(super) fn entry(version: FileCommit, timezone: &TimeZone) -> Entry {
    let before = version.before.as_deref().map(read_record).transpose();
    let after = version.after.as_deref().map(read_record).transpose();
    let (action, changes, unreadable, record) = match (before, after) {
        // Where a shallow clone's history stops, what the commit changed
        // is not known: the record is as it was there, and the action is
        // the one the commit's label gives this record, else an edit; not
        // a `new`.
        (_, Ok(after)) if version.info.cut => {
            let message = &version.info.message;
            let labelled = trailer(message, "News-Action")
                .filter(|_| trailer(message, "News-Id").as_deref() == Some(id_of(&version.path)))
                .as_deref()
                .and_then(Action::parse);
            // `set`, `tag` and `mv` are told as the edits they are.
            let action = labelled
                .filter(|label| !label.agrees_with(Action::Edit))
                .unwrap_or(Action::Edit);
            (action, Vec::new(), None, after)
        }
        (Ok(before), Ok(after)) => (
            classify(before.as_ref(), after.as_ref()),
            changes(before.as_ref(), after.as_ref()),
            None,
            after,
        ),
        (Err(problem), Ok(after)) => (
            Action::Edit,
            Vec::new(),
            Some(format!("{problem} (before this commit; it fixes that)")),
            after,
        ),
        (_, Err(problem)) => (Action::Edit, Vec::new(), Some(problem), None),
    };
    let info = version.info;
    let trailer_label = trailer(&info.message, "News-Action");
    let labelled = trailer_label
        .as_deref()
        .and_then(Action::parse)
        .filter(|label| label.agrees_with(action));
    let label = trailer_label.filter(|_| labelled.is_none());
    let id = id_of(&version.path).to_owned();
    Entry {
        commit: info.commit,
        date: timezone.at(info.when),
        author: info.author,
        email: info.email,
        action,
        label,
        labelled,
        version: record
            .as_ref()
            .and_then(|record| record.get("version"))
            .and_then(Value::as_i64),
        id,
        path: version.path,
        moved_from: version.moved_from,
        merge: info.parents > 1,
        subject: info.message.lines().next().unwrap_or_default().to_owned(),
        note: note(&info.message),
        changes,
        unreadable,
        fixes: None,
        history_cut: info.cut,
    }
}

/// A commit message's note: the paragraphs after the subject, but for the
/// trailers (the last paragraph, when each of its lines is `Key: value`)
/// and, in a message news wrote (a `News-Action` trailer), the `Changed:`
/// paragraph news writes right before them ([`is_changed_paragraph`]).
/// Every other paragraph is the person's, a `Changed: …` one too.
pub fn note(message: &str) -> Option<String> {
    let mut paragraphs: Vec<&str> = message
        .split_once('\n')
        .map_or("", |(_, body)| body)
        .split("\n\n")
        .map(|paragraph| paragraph.trim_matches('\n'))
        .filter(|paragraph| !paragraph.trim().is_empty())
        .collect();
    let is_trailer = |line: &str| {
        line.split_once(": ").is_some_and(|(key, _)| {
            !key.is_empty()
                && key
                    .chars()
                    .all(|character| character.is_ascii_alphanumeric() || character == '-')
        })
    };
    let trailers = paragraphs
        .last()
        .copied()
        .filter(|last| last.lines().all(is_trailer));
    if let Some(trailers) = trailers {
        paragraphs.pop();
        let by_news = trailers
            .lines()
            .any(|line| line.starts_with("News-Action:"));
        if by_news
            && paragraphs
                .last()
                .is_some_and(|last| is_changed_paragraph(last))
        {
            paragraphs.pop();
        }
    }
    let note = paragraphs.join("\n\n");
    (!note.trim().is_empty()).then_some(note)
}

/// Whether `paragraph` reads as the `Changed:` paragraph news writes in a
/// commit message: one line, `Changed: ` and the fields, comma-separated
/// paths without spaces (`Changed: headline, dateline.place`). News writes
/// one after a note that ends with such a paragraph, so that the note is
/// never taken for it.
pub fn is_changed_paragraph(paragraph: &str) -> bool {
    let paragraph = paragraph.trim();
    !paragraph.contains('\n')
        && paragraph.strip_prefix("Changed: ").is_some_and(|fields| {
            fields.split(", ").all(|field| {
                !field.is_empty() && !field.contains(|character: char| character.is_whitespace())
            })
        })
}

/// The value of the last `key: value` trailer of a commit message.
pub fn trailer(message: &str, key: &str) -> Option<String> {
    let prefix = format!("{key}:");
    message
        .trim_end()
        .rsplit("\n\n")
        .next()?
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix(&prefix))
        .map(|value| value.trim().to_owned())
}
