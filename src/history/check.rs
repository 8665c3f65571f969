//! `news validate --base REV`: the pull-request check. The records that
//! changed since REV are checked as they are now, and each of their
//! changes since REV, commit by commit (and the working copy's), is judged
//! by the history rules of DESIGN §3.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::{judge, judgeable, judged_from};
use crate::article::{FieldPath, Record};
use crate::git::Repo;
use crate::newsroom::{ARTICLES_DIR, Newsroom};
use crate::paths::PathNames;
use crate::schema::{Finding, Rule};
use crate::snapshot::SnapshotError;
use crate::validate::{Progress, Report, Request, ValidateError, validate, validate_records_at};

/// What `validate --base` compares.
pub struct BaseRequest<'a> {
    pub cwd: &'a Path,
    /// The revision the change starts from (`origin/main`).
    pub base: &'a str,
    /// Where it ends: a revision, or (none) the working copy.
    pub revision: Option<&'a str>,
    pub names: &'a PathNames,
}

/// One step in a record's history since the base: a commit, or the
/// working copy's edit.
struct Step {
    /// `commit 1a2b3c4d5e (set: …)` or `the working copy`.
    label: String,
    /// The revision and path (from the top) `before` was read at.
    before_at: (String, String),
    before: Option<Vec<u8>>,
    after: Option<Vec<u8>>,
    /// The only rules the step is held to (none: every rule).
    only: Option<&'static [Rule]>,
}

/// What a merge is held to against a parent other than its first: it may
/// not undo that parent's status change or deletion (a retraction dropped
/// by keeping the branch's file). Its other changes are the first line's.
const OTHER_PARENT_RULES: &[Rule] = &[Rule::IllegalTransition, Rule::PublishedDeleted];

pub fn validate_base(
    request: &BaseRequest<'_>,
    progress: &dyn Progress,
) -> Result<Report, ValidateError> {
    let git = |error| ValidateError::Snapshot(SnapshotError::Git(error));
    let repo = Repo::discover(request.cwd).map_err(git)?;
    let newsroom = Newsroom::discover(request.cwd)?;
    let prefix = match (&newsroom, repo.workdir()) {
        (Some(newsroom), Some(top)) => crate::paths::repo_prefix(top, newsroom.root()),
        _ => String::new(),
    };
    let folder = format!("{prefix}{ARTICLES_DIR}");
    // What differs now, and what any commit since the base touched (a
    // change undone later is still judged, commit by commit).
    let changed: Vec<String> = repo
        .changed_paths(request.base, request.revision, &folder)
        .map_err(git)?
        .into_iter()
        .filter(|path| path.ends_with(".toml"))
        .collect();
    let shown = |from_top: &str| -> PathBuf {
        match repo.workdir() {
            Some(top) => request.names.name(&top.join(from_top)),
            None => PathBuf::from(from_top),
        }
    };
    // The records as they are now, where they still are: read once.
    let now: BTreeMap<&String, Option<Vec<u8>>> = changed
        .iter()
        .map(|from_top| (from_top, file_now(&repo, request, from_top)))
        .collect();
    let present: Vec<&String> = changed.iter().filter(|path| now[path].is_some()).collect();
    // A change of the settings (the schema, the vocabulary, news.toml)
    // can break any record: then every record is checked.
    let everything = settings_changed(&repo, request, &prefix).map_err(git)?;
    let mut report = match (request.revision, present.is_empty()) {
        (None, _) if everything => {
            let root = newsroom
                .as_ref()
                .map_or(request.cwd, |newsroom| newsroom.root());
            validate(
                &Request {
                    paths: vec![root.to_owned()],
                    cwd: request.cwd.to_owned(),
                    names: request.names.clone(),
                    records: None,
                },
                progress,
            )?
        }
        (Some(revision), _) if everything => {
            validate_records_at(request.cwd, revision, None, request.names, progress)?
        }
        (_, true) => Report::default(),
        (None, false) => {
            let top = repo.workdir().unwrap_or(request.cwd);
            // The newsroom's records as git's index has them: the other
            // records an id must not repeat, without walking 50,000 files.
            let records = repo
                .indexed_paths(&folder)
                .map_err(git)?
                .into_iter()
                .filter(|path| path.ends_with(".toml"))
                .map(|path| top.join(path))
                .collect();
            validate(
                &Request {
                    paths: present.iter().map(|path| top.join(path)).collect(),
                    cwd: request.cwd.to_owned(),
                    names: request.names.clone(),
                    records: Some(records),
                },
                progress,
            )?
        }
        (Some(revision), false) => {
            let only: HashSet<PathBuf> = present
                .iter()
                .map(|path| PathBuf::from(path.strip_prefix(&prefix).unwrap_or(path)))
                .collect();
            validate_records_at(request.cwd, revision, Some(&only), request.names, progress)?
        }
    };
    // One history per record: a moved record's two paths are one id.
    let mut by_id: BTreeMap<String, String> = BTreeMap::new();
    for path in &changed {
        let id = path.rsplit('/').next().unwrap_or(path).to_owned();
        let entry = by_id.entry(id).or_insert_with(|| path.clone());
        if now[path].is_some() {
            *entry = path.clone();
        }
    }
    let tip = request.revision.unwrap_or("HEAD");
    let has_tip = request.revision.is_some() || repo.head_commit().map_err(git)?.is_some();
    let merges = match has_tip {
        true => repo.merges(tip, request.base, &folder).map_err(git)?,
        false => Vec::new(),
    };
    for path in by_id.values() {
        let current = now[path].clone();
        let mut steps: Vec<Step> = Vec::new();
        if has_tip {
            let commits = repo
                .file_history(tip, path, &folder, Some(request.base))
                .map_err(git)?;
            let listed: HashSet<String> = commits
                .iter()
                .map(|commit| commit.info.commit.to_string())
                .collect();
            steps.extend(commits.into_iter().rev().map(|commit| Step {
                label: label(&commit.info),
                before_at: (
                    format!("{}^", commit.info.commit),
                    commit.moved_from.unwrap_or(commit.path),
                ),
                before: commit.before,
                after: commit.after,
                only: None,
            }));
            // A merge that took another parent's version of the record is
            // still a change on its first parent's line (a retraction
            // undone by taking the branch's file): judged from there too.
            // Against its other parents, a merge may not undo what they
            // did (a retraction dropped by keeping the branch's file).
            for merge in &merges {
                let merged = merge.info.commit.to_string();
                for (number, (parent, changed)) in merge.parents.iter().enumerate() {
                    let first = number == 0;
                    if !changed.contains(path) || (first && listed.contains(&merged)) {
                        continue;
                    }
                    let parent = parent.to_string();
                    steps.push(Step {
                        label: label(&merge.info),
                        before: repo.file_at(&parent, path).map_err(git)?,
                        after: repo.file_at(&merged, path).map_err(git)?,
                        before_at: (parent, path.clone()),
                        only: (!first).then_some(OTHER_PARENT_RULES),
                    });
                }
            }
        }
        if request.revision.is_none() {
            let committed = match has_tip {
                true => repo.file_at("HEAD", path).ok().flatten(),
                false => None,
            };
            if committed != current {
                steps.push(Step {
                    label: "the working copy".to_owned(),
                    before_at: ("HEAD".to_owned(), path.clone()),
                    before: committed,
                    after: current.clone(),
                    only: None,
                });
            }
        }
        for step in &steps {
            report.findings.extend(
                step_findings(&repo, path, step, &folder, current.as_deref(), &shown)
                    .map_err(git)?,
            );
        }
    }
    report.put_in_order();
    Ok(report)
}

/// A commit as findings name it: `commit 1a2b3c4d5e (set: …)`.
fn label(info: &crate::git::CommitInfo) -> String {
    format!(
        "commit {} ({})",
        info.commit.short(),
        info.message.lines().next().unwrap_or_default()
    )
}

/// The history rules `step` breaks, located in `current`, the record as
/// it is now (a deleted record: at `path`, saying so). The change is
/// judged from the record before it, on its own first parent's line; where
/// that version cannot be judged (a broken commit the step fixes), from
/// the last one before it that can. A version that cannot be judged is
/// itself the current checks' finding, or was fixed since.
fn step_findings(
    repo: &Repo,
    path: &str,
    step: &Step,
    folder: &str,
    current: Option<&[u8]>,
    shown: &dyn Fn(&str) -> PathBuf,
) -> Result<Vec<Finding>, crate::git::GitError> {
    let after = match step.after.as_deref().map(judgeable) {
        None => None,
        Some(Some(record)) => Some(record),
        Some(None) => return Ok(Vec::new()),
    };
    let before = match &step.before {
        None => None,
        Some(bytes) => {
            let (revision, before_path) = &step.before_at;
            match judged_from(repo, bytes, revision, before_path, folder)? {
                Some(record) => Some(record),
                None => return Ok(Vec::new()),
            }
        }
    };
    let mut violations = judge(before.as_ref(), after.as_ref());
    if let Some(only) = step.only {
        violations.retain(|violation| only.contains(&violation.rule));
    }
    let text = current.and_then(|bytes| std::str::from_utf8(bytes).ok());
    Ok(located(&violations, &step.label, &shown(path), text))
}

/// Findings of `violations` in `text`, the record as it is now, at the
/// field each is about (none: the record is deleted, and the finding says
/// so), each message led by `label`.
pub fn located(
    violations: &[super::Violation],
    label: &str,
    path: &Path,
    text: Option<&str>,
) -> Vec<Finding> {
    let record = text.and_then(|text| Record::parse(text).ok());
    violations
        .iter()
        .map(|violation| {
            let message = format!("{label}: {}", violation.message);
            let field = violation
                .field
                .as_deref()
                .map(|field| FieldPath::root().key(field));
            let at = match (&record, text, &field) {
                (Some(record), Some(text), Some(field)) => record
                    .get(field)
                    .map(|entry| Finding::at(path, text, &entry.span(), violation.rule, &message)),
                _ => None,
            };
            let finding = match (at, text) {
                (Some(finding), _) => finding,
                (None, Some(_)) => Finding::file(path, violation.rule, &message),
                (None, None) => Finding::file(
                    path,
                    violation.rule,
                    format!("{message} (the record is deleted; this is where it was)"),
                ),
            };
            match field {
                Some(field) => finding.with_field(field),
                None => finding,
            }
        })
        .collect()
}

/// Whether the newsroom's settings (its `schema/` folder, `news.toml`)
/// differ between the base and the target (the work tree as `git diff`
/// sees it, or the revision).
fn settings_changed(
    repo: &Repo,
    request: &BaseRequest<'_>,
    prefix: &str,
) -> Result<bool, crate::git::GitError> {
    let schema = format!("{prefix}schema");
    if !repo
        .changed_paths(request.base, request.revision, &schema)?
        .is_empty()
    {
        return Ok(true);
    }
    let settings = format!("{prefix}{}", crate::newsroom::CONFIG_FILE);
    Ok(repo.file_at(request.base, &settings)? != file_now(repo, request, &settings))
}

/// The file at `from_top` (relative to the top) as the target has it:
/// the revision's, or the work tree's; none when it has none, or it
/// cannot be read.
fn file_now(repo: &Repo, request: &BaseRequest<'_>, from_top: &str) -> Option<Vec<u8>> {
    match (request.revision, repo.workdir()) {
        (Some(revision), _) => repo.file_at(revision, from_top).ok().flatten(),
        (None, Some(top)) => crate::files::read_inside(&top.join(from_top), Some(top)).ok(),
        (None, None) => None,
    }
}
