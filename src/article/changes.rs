//! Which fields differ between two versions of a record: what a commit
//! message's `Changed:` line names.

use serde_json::Value;

/// The fields whose values differ between two versions of a record (as
/// [`crate::article::Record::to_json`] gives them), in the newer
/// version's key order, then the removed ones: top-level keys, the keys
/// of a table (`dateline.place`), and of each table of an array of tables
/// whose length did not change (`media[0].credit`).
pub fn changed_fields(before: &Value, after: &Value) -> Vec<String> {
    let mut changed = Vec::new();
    collect("", before, after, &mut changed);
    changed
}

fn collect(prefix: &str, before: &Value, after: &Value, changed: &mut Vec<String>) {
    let name = |key: &str| match prefix {
        "" => key.to_owned(),
        _ => format!("{prefix}.{key}"),
    };
    let (Value::Object(before), Value::Object(after)) = (before, after) else {
        if before != after {
            changed.push(prefix.to_owned());
        }
        return;
    };
    for (key, new) in after {
        match (before.get(key), new) {
            (Some(old), _) if old == new => {}
            (Some(old @ Value::Object(_)), Value::Object(_)) => {
                collect(&name(key), old, new, changed)
            }
            (Some(Value::Array(old)), Value::Array(new))
                if old.len() == new.len() && new.iter().all(Value::is_object) =>
            {
                for (index, (old, new)) in old.iter().zip(new).enumerate() {
                    collect(&format!("{}[{index}]", name(key)), old, new, changed);
                }
            }
            _ => changed.push(name(key)),
        }
    }
    for key in before.keys().filter(|key| !after.contains_key(*key)) {
        changed.push(name(key));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_named_by_path_down_to_tables_in_arrays() {
        let before = json!({
            "headline": "A", "summary": "S", "tags": ["Japan"],
            "dateline": {"place": "MOSCOW", "source": "TASS"},
            "media": [{"uri": "a.jpg", "credit": "TASS"}],
        });
        let after = json!({
            "headline": "A", "urgency": 3, "tags": ["Japan", "Russia"],
            "dateline": {"place": "TOKYO", "source": "TASS"},
            "media": [{"uri": "a.jpg", "credit": "© TASS"}],
        });
        assert_eq!(
            changed_fields(&before, &after),
            [
                "urgency",
                "tags",
                "dateline.place",
                "media[0].credit",
                "summary"
            ]
        );
        assert!(changed_fields(&after, &after).is_empty());
    }
}
