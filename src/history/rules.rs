//! The history rules of DESIGN §3, judged on one change of one record
//! (before → after, as JSON): what `validate --base` checks commit by
//! commit, and what `news commit` and `news edit` refuse.

use serde_json::Value;

use super::action::WORKFLOW;
use crate::schema::Rule;

/// A history rule a change breaks, and the field it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub rule: Rule,
    /// The top-level key (none: the record as a whole).
    pub field: Option<String>,
    pub message: String,
}

/// The statuses DESIGN §3's table lets a record go to from `from`.
fn next_statuses(from: &str) -> Vec<&'static str> {
    WORKFLOW
        .iter()
        .filter(|(_, starts, _, _)| starts.contains(&from))
        .filter_map(|(_, _, to, _)| *to)
        .collect()
}

/// The facts only publishing and what follows it set.
pub const PUBLICATION_FACTS: [&str; 4] = ["version", "published", "updated", "corrections"];

/// Every status a record can have (DESIGN §3).
const STATUSES: [&str; 5] = ["draft", "review", "published", "withheld", "retracted"];

/// A version of a record that the history rules can judge: it parses, and
/// its status is one of the workflow's. Any other version is the current
/// checks' finding; the rules judge each change from the last version
/// they could read, so that a broken version in between lets nothing
/// through.
pub fn judgeable(bytes: &[u8]) -> Option<Value> {
    let record = super::read_record(bytes).ok()?;
    let status = record.get("status").and_then(Value::as_str)?;
    STATUSES.contains(&status).then_some(record)
}

/// What a change from `before`, the record at `path` (from the top) at
/// `revision`, is judged from: `before` itself where the rules can judge
/// it, else the newest version in the history of `revision` that they
/// can (`before` was broken). None: there never was one.
pub fn judged_from(
    repo: &crate::git::Repo,
    before: &[u8],
    revision: &str,
    path: &str,
    folder: &str,
) -> Result<Option<Value>, crate::git::GitError> {
    if let Some(record) = judgeable(before) {
        return Ok(Some(record));
    }
    let versions = repo.file_history(revision, path, folder, None)?;
    Ok(versions
        .iter()
        .find_map(|version| version.after.as_deref().and_then(judgeable)))
}

/// Whether a record is or was published: a status past review, or a fact
/// only publishing sets.
pub fn ever_published(record: &Value) -> bool {
    let status = record.get("status").and_then(Value::as_str);
    !matches!(status, Some("draft" | "review"))
        || PUBLICATION_FACTS
            .iter()
            .any(|field| record.get(field).is_some())
}

/// Every history rule the change from `before` to `after` breaks (none:
/// no record).
pub fn judge(before: Option<&Value>, after: Option<&Value>) -> Vec<Violation> {
    let mut violations = Vec::new();
    let mut broke = |rule: Rule, field: Option<&str>, message: String| {
        violations.push(Violation {
            rule,
            field: field.map(str::to_owned),
            message,
        })
    };
    let status = |record: &Value| {
        record
            .get("status")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let (before, after) = match (before, after) {
        (None, None) => return violations,
        (None, Some(after)) => {
            if let Some(status) = status(after).filter(|status| status != "draft") {
                broke(
                    Rule::IllegalTransition,
                    Some("status"),
                    format!(
                        "a new record starts as a draft, not {status:?}; the workflow commands take it further"
                    ),
                );
            }
            return violations;
        }
        (Some(before), None) => {
            if ever_published(before) {
                broke(
                    Rule::PublishedDeleted,
                    None,
                    "a record that is or was published was deleted; retract it instead (news retract)"
                        .to_owned(),
                );
            }
            return violations;
        }
        (Some(before), Some(after)) => (before, after),
    };
    let published = ever_published(before);
    if published {
        for field in ["id", "created", "published"] {
            if before.get(field) != after.get(field) {
                broke(
                    Rule::PublishedFactChanged,
                    Some(field),
                    format!(
                        "`{field}` changed from {} to {}; once an article is published it never changes",
                        shown(before.get(field)),
                        shown(after.get(field))
                    ),
                );
            }
        }
    }
    let corrections = |record: &Value| {
        record
            .get("corrections")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (old, new) = (corrections(before), corrections(after));
    for (index, entry) in old.iter().enumerate() {
        if new.get(index) != Some(entry) {
            broke(
                Rule::CorrectionChanged,
                Some("corrections"),
                format!(
                    "correction {} was changed or removed; corrections are appended, never changed",
                    index + 1
                ),
            );
            break;
        }
    }
    // `version` and `updated` change only with the workflow's steps: a
    // status change, or a new correction or retraction entry.
    let step = status(before) != status(after) || new.len() > old.len();
    if published && !step {
        for field in ["version", "updated"] {
            if before.get(field) != after.get(field) {
                broke(
                    Rule::WorkflowFactChanged,
                    Some(field),
                    format!(
                        "`{field}` changed from {} to {} without the workflow step that sets it (news correct, news retract, news withhold, news publish)",
                        shown(before.get(field)),
                        shown(after.get(field))
                    ),
                );
            }
        }
    }
    let live = matches!(status(before).as_deref(), Some("published" | "withheld"));
    if live {
        let version = |record: &Value| record.get("version").and_then(Value::as_i64);
        let corrected = new.len() > old.len() && version(after) > version(before);
        for field in ["headline", "body"] {
            if before.get(field) != after.get(field) && !corrected {
                broke(
                    Rule::CorrectionNeeded,
                    Some(field),
                    format!(
                        "the published `{field}` changed without a new [[corrections]] entry and a higher version; correct it with news correct"
                    ),
                );
            }
        }
    }
    let (from, to) = (status(before), status(after));
    if !published
        && matches!(to.as_deref(), Some("draft" | "review"))
        && let Some(field) = PUBLICATION_FACTS
            .iter()
            .find(|field| after.get(**field).is_some())
    {
        broke(
            Rule::UnpublishedFacts,
            Some(field),
            format!(
                "a record that was never published gained `{field}`, which only the workflow sets (news publish, news correct, news retract)"
            ),
        );
    }
    if let Some((field, missing)) = incomplete(before, after, from.as_deref(), to.as_deref()) {
        broke(Rule::IncompleteTransition, Some(field), missing);
    }
    if let (Some(from), Some(to)) = (from, to)
        && from != to
        && let next = next_statuses(&from)
        && !next.contains(&to.as_str())
    {
        let next = match next.is_empty() {
            true => format!("{from} is final"),
            false => format!("from {from} it may go to {}", next.join(" or ")),
        };
        broke(
            Rule::IllegalTransition,
            Some("status"),
            format!(
                "the status went from {from} to {to}, which the workflow does not allow; {next}"
            ),
        );
    }
    violations
}

/// What a change that is a step of the workflow (DESIGN §3's table) left
/// out of what that step changes, with the field of the first thing
/// missing.
fn incomplete(
    before: &Value,
    after: &Value,
    from: Option<&str>,
    to: Option<&str>,
) -> Option<(&'static str, String)> {
    let version = |record: &Value| record.get("version").and_then(Value::as_i64);
    let entries = |record: &Value| {
        record
            .get("corrections")
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    };
    let new_entries: Vec<&Value> = after
        .get("corrections")
        .and_then(Value::as_array)
        .map(|all| all.iter().skip(entries(before)).collect())
        .unwrap_or_default();
    // Set, and not earlier than before (two steps may share a second).
    let updated = time(after, "updated").is_some_and(|now| Some(now) >= time(before, "updated"));
    // A correction or a retraction: one version higher for each new entry
    // (a merge may bring two), and `updated` the time of the latest.
    let count = i64::try_from(new_entries.len()).unwrap_or(i64::MAX);
    let raised = version(after) == Some(version(before).unwrap_or(1).saturating_add(count));
    let latest_entry = new_entries
        .iter()
        .filter_map(|entry| time(entry, "at"))
        .max();
    let updated_at_entry = updated && time(after, "updated") == latest_entry;
    let same_version = version(after) == version(before);
    let (step, needs): (&str, Vec<(&'static str, bool, &str)>) = match (from, to) {
        (Some("draft" | "review"), Some("published")) => (
            "a first publication",
            vec![
                (
                    "published",
                    after.get("published").is_some(),
                    "a `published` time",
                ),
                ("version", version(after) == Some(1), "`version = 1`"),
            ],
        ),
        (Some("published"), Some("withheld")) => (
            "withholding",
            vec![
                ("updated", updated, "a later `updated` time"),
                ("version", same_version, "the same version"),
            ],
        ),
        (Some("withheld"), Some("published")) => (
            "publishing a withheld article again",
            vec![
                ("updated", updated, "a later `updated` time"),
                ("version", same_version, "the same version"),
            ],
        ),
        (Some("published" | "withheld"), Some("retracted")) => (
            "a retraction",
            vec![
                (
                    "corrections",
                    new_entries.iter().any(|entry| {
                        entry.get("kind").and_then(Value::as_str) == Some("retraction")
                    }),
                    "a new [[corrections]] entry of kind \"retraction\"",
                ),
                ("version", raised, "a version one higher for each new entry"),
                (
                    "updated",
                    updated_at_entry,
                    "an `updated` time that is the new entry's `at`",
                ),
            ],
        ),
        (Some(old), Some(new)) if old == new && !new_entries.is_empty() => (
            "a correction",
            vec![
                ("version", raised, "a version one higher for each new entry"),
                (
                    "updated",
                    updated_at_entry,
                    "an `updated` time that is the new entry's `at`",
                ),
            ],
        ),
        _ => return None,
    };
    let lacking: Vec<&str> = needs
        .iter()
        .filter(|(_, present, _)| !present)
        .map(|(_, _, what)| *what)
        .collect();
    let (field, _, _) = needs.iter().find(|(_, present, _)| !present)?;
    Some((
        *field,
        format!(
            "{step} without {}; the workflow commands make every step whole (news publish, news withhold, news correct, news retract)",
            lacking.join(" and ")
        ),
    ))
}

/// The date-time at `field` of a record, as JSON gives it (RFC 3339).
fn time(record: &Value, field: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_rfc3339(record.get(field)?.as_str()?).ok()
}

fn shown(value: Option<&Value>) -> String {
    match value {
        Some(value) => value.to_string(),
        None => "nothing".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(before: Option<Value>, after: Option<Value>) -> Vec<&'static str> {
        judge(before.as_ref(), after.as_ref())
            .into_iter()
            .map(|violation| violation.rule.id())
            .collect()
    }

    #[test]
    fn each_rule_of_the_history_is_told_apart() {
        let published = json!({
            "id": "a", "status": "published", "version": 1, "headline": "H", "body": "B",
            "created": "2015-09-23T18:02:00+03:00", "published": "2015-09-23T18:24:00+03:00",
            "corrections": [{"note": "first"}],
        });
        let with = |key: &str, value: Value| {
            let mut record = published.clone();
            record[key] = value;
            record
        };
        assert!(rules(Some(published.clone()), Some(published.clone())).is_empty());
        assert_eq!(
            rules(
                Some(published.clone()),
                Some(with("published", json!("2016-01-01T00:00:00Z")))
            ),
            ["published-fact-changed"]
        );
        assert_eq!(
            rules(Some(published.clone()), Some(with("body", json!("B2")))),
            ["correction-needed"]
        );
        let mut corrected = with("body", json!("B2"));
        corrected["corrections"] = json!([{"note": "first"}, {"note": "second"}]);
        corrected["version"] = json!(2);
        assert_eq!(
            rules(Some(published.clone()), Some(corrected.clone())),
            ["incomplete-transition"],
            "a correction sets `updated`"
        );
        corrected["updated"] = json!("2015-09-24T10:00:00+03:00");
        assert_eq!(
            rules(Some(published.clone()), Some(corrected.clone())),
            ["incomplete-transition"],
            "`updated` is the new entry's `at`"
        );
        corrected["corrections"][1]["at"] = json!("2015-09-24T10:00:00+03:00");
        assert!(rules(Some(published.clone()), Some(corrected.clone())).is_empty());
        let mut jumped = corrected.clone();
        jumped["version"] = json!(9);
        assert_eq!(
            rules(Some(published.clone()), Some(jumped)),
            ["incomplete-transition"],
            "one version for each new entry"
        );
        let mut unraised = corrected.clone();
        unraised["version"] = json!(1);
        assert_eq!(
            rules(Some(published.clone()), Some(unraised)),
            ["correction-needed", "incomplete-transition"]
        );
        assert_eq!(
            rules(
                Some(published.clone()),
                Some(with("corrections", json!([{"note": "changed"}])))
            ),
            ["correction-changed"]
        );
        assert_eq!(rules(Some(published.clone()), None), ["published-deleted"]);
        let retracted = with("status", json!("retracted"));
        assert_eq!(
            rules(Some(retracted), Some(published.clone())),
            ["illegal-transition"]
        );
        assert_eq!(rules(None, Some(published.clone())), ["illegal-transition"]);
        // Each step whole: a retraction has its entry, a higher version
        // and `updated`; withholding sets `updated`.
        let mut retraction = with("status", json!("retracted"));
        assert_eq!(
            rules(Some(published.clone()), Some(retraction.clone())),
            ["incomplete-transition"]
        );
        retraction["corrections"] = json!([
            {"note": "first"},
            {"kind": "retraction", "note": "gone", "at": "2015-09-25T10:00:00+03:00"}
        ]);
        retraction["version"] = json!(2);
        retraction["updated"] = json!("2015-09-25T10:00:00+03:00");
        assert!(rules(Some(published.clone()), Some(retraction)).is_empty());
        assert_eq!(
            rules(
                Some(published.clone()),
                Some(with("status", json!("withheld")))
            ),
            ["incomplete-transition"]
        );
        let mut withheld = with("status", json!("withheld"));
        withheld["updated"] = json!("2015-09-25T10:00:00+03:00");
        assert!(rules(Some(published.clone()), Some(withheld.clone())).is_empty());
        withheld["version"] = json!(7);
        assert_eq!(
            rules(Some(published.clone()), Some(withheld)),
            ["incomplete-transition"],
            "withholding keeps the version"
        );
        // A draft that gains a publication fact without being published.
        let review =
            json!({"status": "review", "headline": "H", "embargo": "2015-09-24T00:00:00+03:00"});
        let mut stray = review.clone();
        stray["published"] = json!("2015-09-23T18:24:00+03:00");
        assert_eq!(
            rules(Some(review.clone()), Some(stray)),
            ["unpublished-facts"]
        );

        let draft = json!({"status": "draft", "headline": "H"});
        assert!(rules(Some(draft.clone()), None).is_empty());
        assert!(
            rules(
                Some(draft.clone()),
                Some(json!({"status": "review", "headline": "X"}))
            )
            .is_empty()
        );
    }
}
