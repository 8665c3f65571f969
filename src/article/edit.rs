//! Format-preserving changes to a record's text: comments, key order,
//! spacing and unknown keys stay as they were (toml_edit).

use toml_edit::{DocumentMut, Item, Table, Value};

use super::field_path::{FieldPath, Segment};
use super::record::SyntaxError;

/// A record's text, open for changes.
pub struct RecordEditor {
    document: DocumentMut,
}

/// A change that cannot be made at that path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot set `{field}`: {reason}")]
pub struct EditError {
    pub field: String,
    pub reason: String,
}

impl RecordEditor {
    pub fn parse(text: &str) -> Result<Self, SyntaxError> {
        text.parse::<DocumentMut>()
            .map(|document| Self { document })
            .map_err(|error| SyntaxError {
                message: error.message().trim_end().to_owned(),
                span: error.span().unwrap_or(0..0),
            })
    }

    /// Sets the value at `path`, keeping the comments and spacing around
    /// the old value. Missing tables on the way are created as `[table]`
    /// sections; an array index must already exist.
    pub fn set(&mut self, path: &FieldPath, mut value: Value) -> Result<(), EditError> {
        let error = |reason: &str| EditError {
            field: path.to_string(),
            reason: reason.to_owned(),
        };
        let (last, parents) = path
            .segments()
            .split_last()
            .ok_or_else(|| error("no field named"))?;
        let Segment::Key(last) = last else {
            return Err(error("set a whole list with `field=[…]`"));
        };
        let mut table = self.document.as_table_mut() as &mut dyn toml_edit::TableLike;
        let mut segments = parents.iter().peekable();
        while let Some(segment) = segments.next() {
            let Segment::Key(key) = segment else {
                return Err(error("a list index must follow the list's name"));
            };
            if !table.contains_key(key) {
                table.insert(key, Item::Table(Table::new()));
            }
            let item = table.get_mut(key).ok_or_else(|| error("no such table"))?;
            table = match item {
                Item::Table(inner) => inner,
                Item::Value(Value::InlineTable(inner)) => inner,
                Item::ArrayOfTables(array) => {
                    let Some(Segment::Index(index)) = segments.next() else {
                        return Err(error("name an entry of the list, like `media[0].credit`"));
                    };
                    array
                        .get_mut(*index)
                        .ok_or_else(|| error(&format!("there is no entry [{index}]")))?
                }
                _ => return Err(error("a value on the way is not a table")),
            };
        }
        match table.get_mut(last) {
            Some(Item::Value(old)) => {
                *value.decor_mut() = old.decor().clone();
                *old = value;
            }
            Some(_) => return Err(error("it is a table; set its keys instead")),
            None => {
                table.insert(last, Item::Value(value));
            }
        }
        Ok(())
    }

    /// Removes the key at `path`; whether it was there.
    pub fn remove(&mut self, path: &FieldPath) -> bool {
        let Some((Segment::Key(last), parents)) = path.segments().split_last() else {
            return false;
        };
        let mut table = self.document.as_table_mut() as &mut dyn toml_edit::TableLike;
        for segment in parents {
            let Segment::Key(key) = segment else {
                return false;
            };
            table = match table.get_mut(key) {
                Some(Item::Table(inner)) => inner,
                Some(Item::Value(Value::InlineTable(inner))) => inner,
                _ => return false,
            };
        }
        table.remove(last).is_some()
    }
}

impl std::fmt::Display for RecordEditor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# The founding article.\nid = \"a\"   # never changes\nheadline = \"Old\"  # was shorter\nkicker = \"kept\"\n\n[dateline]\nplace = \"MOSCOW\" # city\n";

    #[test]
    fn keeps_comments_order_spacing_and_unknown_keys() {
        let mut editor = RecordEditor::parse(TEXT).unwrap();
        editor
            .set(
                &FieldPath::root().key("headline"),
                Value::from("New headline"),
            )
            .unwrap();
        editor
            .set(
                &FieldPath::root().key("dateline").key("source"),
                Value::from("TASS"),
            )
            .unwrap();
        assert_eq!(
            editor.to_string(),
            "# The founding article.\nid = \"a\"   # never changes\nheadline = \"New headline\"  # was shorter\nkicker = \"kept\"\n\n[dateline]\nplace = \"MOSCOW\" # city\nsource = \"TASS\"\n"
        );
    }

    #[test]
    fn creates_tables_and_removes_keys() {
        let mut editor = RecordEditor::parse("id = \"a\"\n").unwrap();
        editor
            .set(
                &FieldPath::root().key("dateline").key("place"),
                Value::from("MOSCOW"),
            )
            .unwrap();
        assert!(editor.remove(&FieldPath::root().key("id")));
        assert!(!editor.remove(&FieldPath::root().key("id")));
        assert_eq!(editor.to_string(), "[dateline]\nplace = \"MOSCOW\"\n");
    }
}
