//! What changed between two versions of a record, field by field: the one
//! diff behind a commit message's `Changed:` line, `news log -p` and
//! `news diff`.

use serde::Serialize;
use serde_json::Value;

/// One change to one field.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// The field's path: `headline`, `dateline.place`, `media[0].credit`;
    /// for an item added to or removed from a list, the list (`tags`).
    pub field: String,
    pub kind: ChangeKind,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A field that was not there.
    Added,
    /// A field that is gone.
    Removed,
    /// A field whose value changed.
    Changed,
    /// An item added to a list (`tags +Japan`).
    ItemAdded,
    /// An item removed from a list (`tags −China`).
    ItemRemoved,
}

/// The changes from `before` to `after` (records as
/// [`crate::article::Record::to_json`] gives them; none: no record), in
/// the newer version's key order, then what was removed: scalars old →
/// new, a list's items added and removed, tables by key, arrays of
/// tables by index.
pub fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<Change> {
    let empty = Value::Object(serde_json::Map::new());
    let mut changes = Vec::new();
    collect(
        "",
        before.unwrap_or(&empty),
        after.unwrap_or(&empty),
        &mut changes,
    );
    changes
}

/// The fields that differ between two versions, each named once, in the
/// order of [`changes`].
pub fn changed_fields(before: &Value, after: &Value) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    for change in changes(Some(before), Some(after)) {
        if !fields.contains(&change.field) {
            fields.push(change.field);
        }
    }
    fields
}

fn collect(prefix: &str, before: &Value, after: &Value, changes: &mut Vec<Change>) {
    let (Value::Object(before), Value::Object(after)) = (before, after) else {
        if before != after {
            changes.push(changed(prefix, before, after));
        }
        return;
    };
    let name = |key: &str| match prefix {
        "" => key.to_owned(),
        _ => format!("{prefix}.{key}"),
    };
    for (key, new) in after {
        let field = name(key);
        match (before.get(key), new) {
            (Some(old), _) if old == new => {}
            (None, new) => changes.push(Change {
                field,
                kind: ChangeKind::Added,
                old: None,
                new: Some(new.clone()),
            }),
            (Some(old @ Value::Object(_)), Value::Object(_)) => collect(&field, old, new, changes),
            (Some(Value::Array(old)), Value::Array(new)) => array(&field, old, new, changes),
            (Some(old), new) => changes.push(changed(&field, old, new)),
        }
    }
    for (key, old) in before.iter().filter(|(key, _)| !after.contains_key(*key)) {
        changes.push(Change {
            field: name(key),
            kind: ChangeKind::Removed,
            old: Some(old.clone()),
            new: None,
        });
    }
}

/// An array of tables by index; a list by the items added and removed
/// (a list only reordered is changed as a whole).
fn array(field: &str, old: &[Value], new: &[Value], changes: &mut Vec<Change>) {
    let tables = old.iter().chain(new).all(Value::is_object);
    if tables {
        for (index, (old, new)) in old.iter().zip(new).enumerate() {
            collect(&format!("{field}[{index}]"), old, new, changes);
        }
        for (index, added) in new.iter().enumerate().skip(old.len()) {
            changes.push(Change {
                field: format!("{field}[{index}]"),
                kind: ChangeKind::Added,
                old: None,
                new: Some(added.clone()),
            });
        }
        for (index, removed) in old.iter().enumerate().skip(new.len()) {
            changes.push(Change {
                field: format!("{field}[{index}]"),
                kind: ChangeKind::Removed,
                old: Some(removed.clone()),
                new: None,
            });
        }
        return;
    }
    let added: Vec<&Value> = new.iter().filter(|item| !old.contains(item)).collect();
    let removed: Vec<&Value> = old.iter().filter(|item| !new.contains(item)).collect();
    if added.is_empty() && removed.is_empty() {
        changes.push(changed(
            field,
            &Value::Array(old.to_vec()),
            &Value::Array(new.to_vec()),
        ));
        return;
    }
    for item in added {
        changes.push(Change {
            field: field.to_owned(),
            kind: ChangeKind::ItemAdded,
            old: None,
            new: Some(item.clone()),
        });
    }
    for item in removed {
        changes.push(Change {
            field: field.to_owned(),
            kind: ChangeKind::ItemRemoved,
            old: Some(item.clone()),
            new: None,
        });
    }
}

fn changed(field: &str, old: &Value, new: &Value) -> Change {
    Change {
        field: field.to_owned(),
        kind: ChangeKind::Changed,
        old: Some(old.clone()),
        new: Some(new.clone()),
    }
}

/// One line saying what changed: `headline, body, tags +Japan −China`.
pub fn summary(changes: &[Change]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for change in changes {
        let (sign, item) = match change.kind {
            ChangeKind::ItemAdded => ('+', &change.new),
            ChangeKind::ItemRemoved => ('−', &change.old),
            _ => {
                if !parts.contains(&change.field) {
                    parts.push(change.field.clone());
                }
                continue;
            }
        };
        let item = match item {
            Some(Value::String(text)) => format!("{sign}{text}"),
            Some(other) => format!("{sign}{other}"),
            None => String::new(),
        };
        let list = format!("{} ", change.field);
        match parts.iter_mut().find(|part| part.starts_with(&list)) {
            Some(part) => {
                part.push(' ');
                part.push_str(&item);
            }
            None => parts.push(format!("{list}{item}")),
        }
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_named_by_path_down_to_tables_in_arrays() {
        let before = json!({
            "headline": "A", "summary": "S", "tags": ["Japan", "China"],
            "dateline": {"place": "MOSCOW", "source": "TASS"},
            "media": [{"uri": "a.jpg", "credit": "TASS"}],
        });
        let after = json!({
            "headline": "A", "urgency": 3, "tags": ["Japan", "Russia"],
            "dateline": {"place": "TOKYO", "source": "TASS"},
            "media": [{"uri": "a.jpg", "credit": "© TASS"}, {"uri": "b.jpg", "credit": "X"}],
        });
        assert_eq!(
            changed_fields(&before, &after),
            [
                "urgency",
                "tags",
                "dateline.place",
                "media[0].credit",
                "media[1]",
                "summary"
            ]
        );
        let all = changes(Some(&before), Some(&after));
        assert_eq!(
            all[1],
            Change {
                field: "tags".to_owned(),
                kind: ChangeKind::ItemAdded,
                old: None,
                new: Some(json!("Russia")),
            }
        );
        assert_eq!(all[2].kind, ChangeKind::ItemRemoved);
        assert_eq!(all[2].old, Some(json!("China")));
        assert_eq!(
            summary(&all),
            "urgency, tags +Russia −China, dateline.place, media[0].credit, media[1], summary"
        );
        assert!(changed_fields(&after, &after).is_empty());
    }

    #[test]
    fn a_new_record_is_every_field_added_and_a_removed_one_every_field_removed() {
        let record = json!({"id": "a", "headline": "A"});
        let added = changes(None, Some(&record));
        assert!(added.iter().all(|change| change.kind == ChangeKind::Added));
        assert_eq!(added.len(), 2);
        let removed = changes(Some(&record), None);
        assert!(
            removed
                .iter()
                .all(|change| change.kind == ChangeKind::Removed)
        );
    }
}
