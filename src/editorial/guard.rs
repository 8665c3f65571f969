//! The publication facts the workflow manages (DESIGN §3): `id`,
//! `status`, `version`, `published`, `updated` and `[[corrections]]` are
//! changed only by the workflow commands, and `created` never changes once
//! the article is or was published. `set` and `edit` are refused when
//! their result changes one, with the command that does.

use serde_json::Value;

use crate::article::{FieldPath, Record};

/// Each managed field, and who changes it.
pub const MANAGED: [(&str, &str); 6] = [
    ("id", "an article's id never changes"),
    (
        "status",
        "the status changes through the workflow commands (news submit, news return, news publish, news withhold, news retract)",
    ),
    (
        "version",
        "the version is set by news publish and raised by news correct and news retract",
    ),
    (
        "published",
        "the first publication time is set by news publish",
    ),
    (
        "updated",
        "the update time is set by news withhold, news publish (of a withheld article), news correct and news retract",
    ),
    (
        "corrections",
        "corrections are appended by news correct and news retract, and never change",
    ),
];

/// Why `created` cannot change.
const CREATED: &str = "the creation time never changes once the article is or was published";

/// A managed field a change touched, and why it may not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guarded {
    pub field: String,
    pub reason: String,
}

/// Why `field` (a top-level key) may not be set directly; `published` is
/// whether the record is or was published (it has a `published` time).
pub fn managed(field: &str, published: bool) -> Option<&'static str> {
    MANAGED
        .iter()
        .find(|(name, _)| *name == field)
        .map(|(_, reason)| *reason)
        .or_else(|| (published && field == "created").then_some(CREATED))
}

/// The managed fields whose values differ between `before` and `after`
/// (records read into JSON).
pub fn changed_facts(before: &Value, after: &Value) -> Vec<Guarded> {
    let published = before.get("published").is_some();
    MANAGED
        .iter()
        .map(|(field, _)| *field)
        .chain(published.then_some("created"))
        .filter(|field| before.get(*field) != after.get(*field))
        .filter_map(|field| {
            managed(field, published).map(|reason| Guarded {
                field: field.to_owned(),
                reason: reason.to_owned(),
            })
        })
        .collect()
}

/// The publication fact a record new to the newsroom may not carry: it
/// starts as a draft, with none of the facts publishing sets (as `news
/// new` makes it).
pub fn new_record_fact(record: &Record<'_>) -> Option<Guarded> {
    let status = record
        .get(&FieldPath::root().key("status"))
        .map(|entry| entry.to_json());
    if status.as_ref().is_some_and(|status| status != "draft") {
        return Some(Guarded {
            field: "status".to_owned(),
            reason: "a new article starts as a draft; the workflow commands take it further"
                .to_owned(),
        });
    }
    crate::history::PUBLICATION_FACTS
        .into_iter()
        .find(|field| record.get(&FieldPath::root().key(*field)).is_some())
        .map(|field| Guarded {
            field: field.to_owned(),
            reason: managed(field, false).unwrap_or_default().to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_each_changed_fact_and_created_only_once_published() {
        let draft = "id = \"a\"\nstatus = \"draft\"\ncreated = 2015-09-23T18:02:00+03:00\n";
        let moved = "id = \"a\"\nstatus = \"draft\"\ncreated = 2015-09-24T18:02:00+03:00\n";
        let json = |text: &str| Record::parse(text).unwrap().to_json();
        assert_eq!(changed_facts(&json(draft), &json(moved)), vec![]);
        let published = "id = \"a\"\nstatus = \"published\"\npublished = 2015-09-23T18:24:00+03:00\ncreated = 2015-09-23T18:02:00+03:00\n";
        let changed = "id = \"b\"\nstatus = \"draft\"\ncreated = 2015-09-24T18:02:00+03:00\n\n[[corrections]]\nnote = \"x\"\n";
        let fields: Vec<String> = changed_facts(&json(published), &json(changed))
            .into_iter()
            .map(|guarded| guarded.field)
            .collect();
        assert_eq!(
            fields,
            ["id", "status", "published", "corrections", "created"]
        );
    }
}
