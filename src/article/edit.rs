//! Format-preserving changes to a record's text: comments, key order,
//! spacing and unknown keys stay as they were (toml_edit).

use toml_edit::visit::{self, Visit};
use toml_edit::visit_mut::{self, VisitMut};
use toml_edit::{Array, DocumentMut, Item, RawString, Table, Value};

use super::field_path::{FieldPath, Segment};
use super::record::SyntaxError;

/// A record's text, open for changes.
pub struct RecordEditor {
    document: DocumentMut,
}

/// A change that cannot be made at that path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot change `{field}`: {reason}")]
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
        let (last, parents) = path
            .segments()
            .split_last()
            .ok_or_else(|| edit_error(path, "no field named"))?;
        let Segment::Key(last) = last else {
            return Err(edit_error(path, "set a whole list with `field=[…]`"));
        };
        let table = self
            .table_mut(path, parents, true)?
            .ok_or_else(|| edit_error(path, "no such table"))?;
        match table.get_mut(last) {
            Some(Item::Value(old)) => {
                *value.decor_mut() = old.decor().clone();
                *old = value;
            }
            Some(_) => return Err(edit_error(path, "it is a table; set its keys instead")),
            None => {
                table.insert(last, Item::Value(value));
            }
        }
        Ok(())
    }

    /// Sets the top-level `key` to `value`. A key new to the record is
    /// written where a person would put it: right after the first key of
    /// `after` that the record has (else after its other top-level keys).
    pub fn set_after(&mut self, key: &str, value: Value, after: &[&str]) -> Result<(), EditError> {
        let table = self.document.as_table_mut();
        let new = !table.contains_key(key);
        self.set(&FieldPath::root().key(key), value)?;
        let table = self.document.as_table_mut();
        let Some(anchor) = after.iter().find(|anchor| table.contains_key(anchor)) else {
            return Ok(());
        };
        if !new {
            return Ok(());
        }
        // The keys after the anchor go to the end, behind the new key:
        // tables keep their place in the text, which their position gives.
        let behind: Vec<String> = table
            .iter()
            .map(|(name, _)| name.to_owned())
            .skip_while(|name| name != anchor)
            .skip(1)
            .filter(|name| name != key)
            .collect();
        for name in behind {
            if let Some((name, item)) = table.remove_entry(&name) {
                table.insert_formatted(&name, item);
            }
        }
        Ok(())
    }

    /// Removes the key at `path`, or the entry of a list (`media[1]`);
    /// whether it was there. An entry of a list that is not there is an
    /// error: the index names nothing.
    pub fn remove(&mut self, path: &FieldPath) -> Result<bool, EditError> {
        let Some((last, parents)) = path.segments().split_last() else {
            return Ok(false);
        };
        match last {
            Segment::Key(last) => Ok(self
                .table_mut(path, parents, false)?
                .is_some_and(|table| table.remove(last).is_some())),
            Segment::Index(index) => {
                let Some((Segment::Key(list), parents)) = parents.split_last() else {
                    return Err(edit_error(path, "a list index must follow the list's name"));
                };
                let Some(table) = self.table_mut(path, parents, false)? else {
                    return Ok(false);
                };
                let missing = || edit_error(path, &format!("there is no entry [{index}]"));
                match table.get_mut(list) {
                    Some(Item::ArrayOfTables(array)) if *index < array.len() => {
                        let removed = array.remove(*index);
                        let next = array.get(*index).and_then(Table::position);
                        keep_comments_above(&mut self.document, &removed, next);
                        Ok(true)
                    }
                    Some(Item::Value(Value::Array(array))) if *index < array.len() => {
                        remove_value(array, *index);
                        Ok(true)
                    }
                    Some(Item::ArrayOfTables(_) | Item::Value(Value::Array(_))) => Err(missing()),
                    Some(_) => Err(edit_error(path, "it is not a list")),
                    None => Err(missing()),
                }
            }
        }
    }

    /// How many entries the list at `path` has (an array of tables or an
    /// array of values); none when the record has no such key.
    pub fn list_len(&mut self, path: &FieldPath) -> Result<Option<usize>, EditError> {
        match self.item_mut(path, false)? {
            None => Ok(None),
            Some(Item::ArrayOfTables(array)) => Ok(Some(array.len())),
            Some(Item::Value(Value::Array(array))) => Ok(Some(array.len())),
            Some(_) => Err(edit_error(path, "it is not a list")),
        }
    }

    /// Adds an empty table at the end of the list of tables at `path`
    /// (made when missing), next to its last entry; its index.
    pub fn push_table(&mut self, path: &FieldPath) -> Result<usize, EditError> {
        let (Some(Segment::Key(key)), Some(table)) =
            (path.segments().last(), self.parent_mut(path, true)?)
        else {
            return Err(edit_error(path, "no such table"));
        };
        match table.get_mut(key) {
            None => {
                let mut array = toml_edit::ArrayOfTables::new();
                array.push(Table::new());
                table.insert(key, Item::ArrayOfTables(array));
                Ok(0)
            }
            Some(Item::ArrayOfTables(array)) => {
                // A table without a position is written after the one
                // before it: after the list's last entry.
                array.push(Table::new());
                Ok(array.len() - 1)
            }
            Some(Item::Value(Value::Array(array)))
                if array.iter().all(|item| item.is_inline_table()) =>
            {
                array.push(toml_edit::InlineTable::new());
                Ok(array.len() - 1)
            }
            Some(_) => Err(edit_error(path, "it is not a list of tables")),
        }
    }

    /// Adds `value` at the end of the list at `path` (made when missing),
    /// laid out like the entry before it; whether it was added: a value
    /// the list holds already is not added twice.
    pub fn push_item(&mut self, path: &FieldPath, value: Value) -> Result<bool, EditError> {
        match self.item_mut(path, true)? {
            None => {
                self.set(path, Value::Array(toml_edit::Array::from_iter([value])))?;
                Ok(true)
            }
            Some(Item::Value(Value::Array(array))) => {
                if array.iter().any(|item| same_value(item, &value)) {
                    return Ok(false);
                }
                push_value(array, value);
                Ok(true)
            }
            Some(_) => Err(edit_error(path, "it is not a list of values")),
        }
    }

    /// Removes `value` from the list at `path`; an error naming what the
    /// list holds when it does not hold `value`.
    pub fn remove_item(&mut self, path: &FieldPath, value: &Value) -> Result<(), EditError> {
        let array = match self.item_mut(path, false)? {
            None => return Err(edit_error(path, &format!("the article has no {path}"))),
            Some(Item::Value(Value::Array(array))) => array,
            Some(_) => return Err(edit_error(path, "it is not a list of values")),
        };
        let Some(index) = array.iter().position(|item| same_value(item, value)) else {
            let shown = |item: &Value| {
                let mut item = item.clone();
                item.decor_mut().clear();
                item.to_string()
            };
            let reason = if array.is_empty() {
                "the list is empty".to_owned()
            } else {
                let items: Vec<String> = array.iter().map(shown).collect();
                format!(
                    "{} is not in it; it holds {}",
                    shown(value),
                    items.join(", ")
                )
            };
            return Err(edit_error(path, &reason));
        };
        self.remove(&path.index(index))?;
        Ok(())
    }

    /// Puts `new` in the place of `old` in the list at `path`, laid out
    /// as `old` was; whether the list held `old`.
    pub fn replace_item(
        &mut self,
        path: &FieldPath,
        old: &Value,
        mut new: Value,
    ) -> Result<bool, EditError> {
        let array = match self.item_mut(path, false)? {
            None => return Ok(false),
            Some(Item::Value(Value::Array(array))) => array,
            Some(_) => return Err(edit_error(path, "it is not a list of values")),
        };
        let Some(item) = array.iter_mut().find(|item| same_value(item, old)) else {
            return Ok(false);
        };
        *new.decor_mut() = item.decor().clone();
        *item = new;
        Ok(true)
    }

    /// The item at `path`: none when a key on the way or at the end is
    /// missing (tables on the way are made when `create`).
    fn item_mut(&mut self, path: &FieldPath, create: bool) -> Result<Option<&mut Item>, EditError> {
        let Some(Segment::Key(key)) = path.segments().last() else {
            return Err(edit_error(path, "name a field, not an entry of a list"));
        };
        Ok(self
            .parent_mut(path, create)?
            .and_then(|table| table.get_mut(key)))
    }

    /// The table holding the last key of `path`.
    fn parent_mut(
        &mut self,
        path: &FieldPath,
        create: bool,
    ) -> Result<Option<&mut dyn toml_edit::TableLike>, EditError> {
        let parents = path
            .segments()
            .split_last()
            .map_or(&[][..], |(_, parents)| parents);
        self.table_mut(path, parents, create)
    }

    /// The table `parents` lead to (`media[0]` names an entry of a list
    /// of tables); missing tables are made when `create`, else none.
    fn table_mut(
        &mut self,
        path: &FieldPath,
        parents: &[Segment],
        create: bool,
    ) -> Result<Option<&mut dyn toml_edit::TableLike>, EditError> {
        let mut table = self.document.as_table_mut() as &mut dyn toml_edit::TableLike;
        let mut segments = parents.iter();
        while let Some(segment) = segments.next() {
            let Segment::Key(key) = segment else {
                return Err(edit_error(path, "a list index must follow the list's name"));
            };
            if !table.contains_key(key) {
                if let Some(Segment::Index(index)) = segments.clone().next() {
                    return Err(edit_error(path, &format!("there is no entry [{index}]")));
                }
                if !create {
                    return Ok(None);
                }
                table.insert(key, Item::Table(Table::new()));
            }
            let item = table
                .get_mut(key)
                .ok_or_else(|| edit_error(path, "no such table"))?;
            table = match item {
                Item::Table(inner) => inner,
                Item::Value(Value::InlineTable(inner)) => inner,
                Item::ArrayOfTables(array) => {
                    let Some(Segment::Index(index)) = segments.next() else {
                        return Err(edit_error(
                            path,
                            "name an entry of the list, like `media[0].credit`",
                        ));
                    };
                    array
                        .get_mut(*index)
                        .ok_or_else(|| edit_error(path, &format!("there is no entry [{index}]")))?
                }
                Item::Value(Value::Array(array)) => {
                    let Some(Segment::Index(index)) = segments.next() else {
                        return Err(edit_error(path, "a value on the way is not a table"));
                    };
                    array
                        .get_mut(*index)
                        .ok_or_else(|| edit_error(path, &format!("there is no entry [{index}]")))?
                        .as_inline_table_mut()
                        .ok_or_else(|| edit_error(path, "a value on the way is not a table"))?
                }
                _ => return Err(edit_error(path, "a value on the way is not a table")),
            };
        }
        Ok(Some(table))
    }
}

/// Takes entry `index` out of `array` together with the rest of its
/// line: the comment after an entry is kept in the next entry's prefix
/// (or the array's trailing text), so it goes with the entry it follows.
/// The comment ending the line before, and comment lines above the
/// entry, stay where they were. Entries sharing a line just close up.
pub(crate) fn remove_value(array: &mut Array, index: usize) -> Value {
    let last = index + 1 == array.len();
    let removed = array.remove(index);
    let before = prefix_text(&removed, index);
    let after = if !last {
        array.get(index).map(|next| prefix_text(next, index + 1))
    } else {
        None
    }
    .unwrap_or_else(|| {
        let trailing = raw_text(Some(array.trailing()));
        if array.trailing_comma() {
            trailing
        } else {
            format!("{}{trailing}", raw_text(removed.decor().suffix()))
        }
    });
    let kept = match (split_line(&after), split_line(&before)) {
        // The next entry, or the bracket, is on the removed one's line:
        // it takes the removed one's place.
        (None, _) if last => after,
        (None, _) => before,
        // The entry had a line of its own: that line goes.
        (Some((_, rest)), Some((head, above))) => format!("{head}{}{rest}", lines_of(above)),
        // It shared its line with the entry before: the line's comment
        // stays with that entry.
        (Some(_), None) if index > 0 => after,
        // It shared its line with the opening bracket.
        (Some((_, rest)), None) => format!("\n{rest}"),
    };
    match array.get_mut(index) {
        Some(next) if !last => next.decor_mut().set_prefix(kept),
        _ => array.set_trailing(kept),
    }
    removed
}

/// Adds `value` at the end of `array`, laid out like the entry before
/// it. On a line of its own when that entry has one: the comment after
/// that entry stays on its line, and what comes before the closing
/// bracket stays before it.
fn push_value(array: &mut Array, mut value: Value) {
    let count = array.len();
    let trailing_comma = array.trailing_comma();
    let trailing = raw_text(Some(array.trailing()));
    let Some(last) = array.get_mut(count.wrapping_sub(1)) else {
        value.decor_mut().clear();
        array.push(value);
        return;
    };
    // The text between the last entry (and its comma) and the bracket.
    let closing = if trailing_comma {
        trailing
    } else {
        let suffix = raw_text(last.decor().suffix());
        last.decor_mut().set_suffix("");
        format!("{suffix}{trailing}")
    };
    let before = prefix_text(last, count - 1);
    let (prefix, closing) = match (before.rfind('\n'), split_line(&closing)) {
        (Some(at), Some((end_of_line, rest))) => (
            format!("{end_of_line}{}", &before[at + 1..]),
            format!("\n{rest}"),
        ),
        (Some(at), None) => (format!("\n{}", &before[at + 1..]), closing),
        (None, _) if count > 1 => (before, closing),
        (None, _) => (" ".to_owned(), closing),
    };
    let decor = value.decor_mut();
    decor.set_prefix(prefix);
    if trailing_comma {
        decor.set_suffix("");
        array.set_trailing(closing);
    } else {
        decor.set_suffix(closing);
        array.set_trailing("");
    }
    array.push_formatted(value);
}

/// Keeps the comments written above `removed`, a table just taken out
/// of `document`, where they were: above the table that came after it,
/// else at the end of the text. When that table is `next_entry` (the
/// position of the entry that followed in the same list), the comments
/// head it as they headed the removed one (`# Places` over a group of
/// `[[tag]]`s); above another table they keep their blank lines.
pub(crate) fn keep_comments_above(
    document: &mut DocumentMut,
    removed: &Table,
    next_entry: Option<isize>,
) {
    let above = raw_text(removed.decor().prefix());
    let Some(position) = removed.position().filter(|_| above.contains('#')) else {
        return;
    };
    let mut following = Following {
        after: position,
        found: None,
    };
    following.visit_document(document);
    match following.found {
        Some(at) => PrependAbove {
            at,
            text: &above,
            attach: next_entry == Some(at),
        }
        .visit_document_mut(document),
        None => {
            let trailing = raw_text(Some(document.trailing()));
            document.set_trailing(format!("{above}{trailing}"));
        }
    }
}

/// Finds the first table written after the one at `after`.
struct Following {
    after: isize,
    found: Option<isize>,
}

impl<'doc> Visit<'doc> for Following {
    fn visit_document(&mut self, document: &'doc DocumentMut) {
        visit::visit_table_like(self, document.as_table());
    }

    fn visit_table(&mut self, table: &'doc Table) {
        if let Some(position) = written_position(table)
            && position > self.after
            && self.found.is_none_or(|found| position < found)
        {
            self.found = Some(position);
        }
        visit::visit_table(self, table);
    }
}

/// Puts `text` above the table at `at`, before its own comments; when
/// `attach`, its own blank lines give way to those of `text`.
struct PrependAbove<'a> {
    at: isize,
    text: &'a str,
    attach: bool,
}

impl VisitMut for PrependAbove<'_> {
    fn visit_document_mut(&mut self, document: &mut DocumentMut) {
        visit_mut::visit_table_like_mut(self, document.as_table_mut());
    }

    fn visit_table_mut(&mut self, table: &mut Table) {
        if written_position(table) == Some(self.at) {
            let own = raw_text(table.decor().prefix());
            let own = if own.contains('#') || !self.attach {
                own.as_str()
            } else {
                own.trim_start_matches(['\n', '\r', ' ', '\t'])
            };
            let prefix = format!("{}{own}", self.text);
            table.decor_mut().set_prefix(prefix);
            return;
        }
        visit_mut::visit_table_mut(self, table);
    }
}

/// Where a table with a header of its own is in the text.
fn written_position(table: &Table) -> Option<isize> {
    if table.is_implicit() || table.is_dotted() {
        return None;
    }
    table.position()
}

/// The text before entry `index` of an array; one that has none set is
/// written as toml_edit writes it.
fn prefix_text(value: &Value, index: usize) -> String {
    match value.decor().prefix() {
        Some(prefix) => raw_text(Some(prefix)),
        None if index == 0 => String::new(),
        None => " ".to_owned(),
    }
}

fn raw_text(raw: Option<&RawString>) -> String {
    raw.and_then(RawString::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// `text` split after its first line break: the end of the line it
/// starts on, and the lines after.
fn split_line(text: &str) -> Option<(&str, &str)> {
    text.find('\n').map(|at| text.split_at(at + 1))
}

/// The whole lines of `text`, without the indentation that ends it.
fn lines_of(text: &str) -> &str {
    &text[..text.rfind('\n').map_or(0, |at| at + 1)]
}

/// Whether two values are the same, however they are written.
fn same_value(left: &Value, right: &Value) -> bool {
    match (left.as_str(), right.as_str()) {
        (Some(left), Some(right)) => left == right,
        _ => {
            let bare = |value: &Value| {
                let mut value = value.clone();
                value.decor_mut().clear();
                value.to_string()
            };
            bare(left) == bare(right)
        }
    }
}

fn edit_error(path: &FieldPath, reason: &str) -> EditError {
    EditError {
        field: path.to_string(),
        reason: reason.to_owned(),
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
    fn puts_a_new_top_level_key_after_its_neighbour() {
        let text = "id = \"a\"\nstatus = \"draft\" # kept\ncreated = 2015-09-23T18:02:00+03:00\ntags = [\"A\"]\n\n[dateline]\nplace = \"MOSCOW\"\n";
        let mut editor = RecordEditor::parse(text).unwrap();
        editor
            .set_after("version", Value::from(1), &["status"])
            .unwrap();
        editor
            .set_after("updated", Value::from("u"), &["published", "created"])
            .unwrap();
        editor
            .set_after("status", Value::from("review"), &["id"])
            .unwrap();
        assert_eq!(
            editor.to_string(),
            "id = \"a\"\nstatus = \"review\" # kept\nversion = 1\ncreated = 2015-09-23T18:02:00+03:00\nupdated = \"u\"\ntags = [\"A\"]\n\n[dateline]\nplace = \"MOSCOW\"\n"
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
        assert!(editor.remove(&FieldPath::root().key("id")).unwrap());
        assert!(!editor.remove(&FieldPath::root().key("id")).unwrap());
        assert_eq!(editor.to_string(), "[dateline]\nplace = \"MOSCOW\"\n");
    }

    #[test]
    fn removes_inside_lists_of_tables_and_lists() {
        let text = "tags = [\"A\", \"B\"]\n\n[[media]]\nuri = \"a.jpg\"\ncaption = \"A\"\n\n[[media]]\nuri = \"b.jpg\"\n";
        let mut editor = RecordEditor::parse(text).unwrap();
        let caption = FieldPath::root().key("media").index(0).key("caption");
        assert!(editor.remove(&caption).unwrap());
        assert!(!editor.to_string().contains("caption"));
        assert!(
            editor
                .remove(&FieldPath::root().key("media").index(1))
                .unwrap()
        );
        assert!(!editor.to_string().contains("b.jpg"));
        assert!(
            editor
                .remove(&FieldPath::root().key("tags").index(0))
                .unwrap()
        );
        assert!(editor.to_string().contains("tags = [\"B\"]"), "{editor}");
        assert!(
            editor
                .remove(&FieldPath::root().key("media").index(5))
                .is_err()
        );
        let tags = FieldPath::root().key("tags");
        assert!(
            editor
                .replace_item(&tags, &Value::from("B"), Value::from("C"))
                .unwrap()
        );
        assert!(
            !editor
                .replace_item(&tags, &Value::from("B"), Value::from("D"))
                .unwrap()
        );
        assert!(editor.to_string().contains("tags = [\"C\"]"), "{editor}");
        assert!(
            editor
                .remove(&FieldPath::root().key("media").index(5).key("caption"))
                .is_err()
        );
    }

    fn tags_after(text: &str, change: impl FnOnce(&mut RecordEditor, &FieldPath)) -> String {
        let mut editor = RecordEditor::parse(text).unwrap();
        change(&mut editor, &FieldPath::root().key("tags"));
        let text = editor.to_string();
        RecordEditor::parse(&text).unwrap();
        text
    }

    const COMMENTED: &str = "tags = [\n  \"Russia\",   # the country\n  \"China\",    # added by the desk\n  \"Japan\",\n]\n";

    #[test]
    fn removes_an_entry_with_its_own_comment_only() {
        let dropped = |text: &str, tag: &str| {
            tags_after(text, |editor, tags| {
                editor.remove_item(tags, &Value::from(tag)).unwrap();
            })
        };
        let cases = [
            // (record, tag removed, record after)
            (
                COMMENTED,
                "China",
                "tags = [\n  \"Russia\",   # the country\n  \"Japan\",\n]\n",
            ),
            (
                COMMENTED,
                "Russia",
                "tags = [\n  \"China\",    # added by the desk\n  \"Japan\",\n]\n",
            ),
            (
                COMMENTED,
                "Japan",
                "tags = [\n  \"Russia\",   # the country\n  \"China\",    # added by the desk\n]\n",
            ),
            // The last entry without a comma after it, and its comment.
            (
                "tags = [\n  \"A\",  # a\n  \"B\"  # b\n]\n",
                "B",
                "tags = [\n  \"A\"  # a\n]\n",
            ),
            (
                "tags = [\n  \"A\",  # a\n  \"B\",  # b\n]\n",
                "B",
                "tags = [\n  \"A\",  # a\n]\n",
            ),
            // Comment lines above the entry and before the bracket stay.
            (
                "tags = [ # kept\n  \"A\",\n  # above B\n  \"B\",  # b\n  \"C\",\n  # the end\n]\n",
                "B",
                "tags = [ # kept\n  \"A\",\n  # above B\n  \"C\",\n  # the end\n]\n",
            ),
            (
                "tags = [ # kept\n  \"A\",  # a\n  \"B\",\n]\n",
                "A",
                "tags = [ # kept\n  \"B\",\n]\n",
            ),
            (
                "tags = [\n  \"A\",\n  \"B\",  # b\n  # the end\n]\n",
                "B",
                "tags = [\n  \"A\",\n  # the end\n]\n",
            ),
            // Entries sharing a line close up; the line's comment stays.
            (
                "tags = [\n  \"A\", \"B\",  # a and b\n  \"C\",\n]\n",
                "B",
                "tags = [\n  \"A\",  # a and b\n  \"C\",\n]\n",
            ),
            (
                "tags = [\n  \"A\", \"B\",  # a and b\n  \"C\",\n]\n",
                "A",
                "tags = [\n  \"B\",  # a and b\n  \"C\",\n]\n",
            ),
            (
                "tags = [ \"A\",  # a\n  \"B\" ]\n",
                "A",
                "tags = [\n  \"B\" ]\n",
            ),
            // Arrays on one line.
            (
                "tags = [\"A\", \"B\", \"C\"]\n",
                "A",
                "tags = [\"B\", \"C\"]\n",
            ),
            (
                "tags = [\"A\", \"B\", \"C\"]\n",
                "B",
                "tags = [\"A\", \"C\"]\n",
            ),
            (
                "tags = [ \"A\", \"B\" ]  # two\n",
                "B",
                "tags = [ \"A\" ]  # two\n",
            ),
            ("tags = [\"A\", \"B\",]\n", "B", "tags = [\"A\",]\n"),
            ("tags = [ \"A\" ]\n", "A", "tags = [ ]\n"),
            ("tags = [\n  \"A\",  # a\n]\n", "A", "tags = [\n]\n"),
        ];
        for (text, tag, expected) in cases {
            assert_eq!(dropped(text, tag), expected, "removing {tag} from\n{text}");
        }
    }

    #[test]
    fn merging_two_spellings_keeps_the_other_comments() {
        // What `news tags merge China Japan` does to a record with both.
        let text = tags_after(COMMENTED, |editor, tags| {
            editor.remove_item(tags, &Value::from("China")).unwrap();
            assert!(
                editor
                    .replace_item(tags, &Value::from("Russia"), Value::from("Rossiya"))
                    .unwrap()
            );
        });
        assert_eq!(
            text,
            "tags = [\n  \"Rossiya\",   # the country\n  \"Japan\",\n]\n"
        );
    }

    #[test]
    fn adds_an_entry_on_its_own_line_leaving_the_comments() {
        let added = |text: &str| {
            tags_after(text, |editor, tags| {
                assert!(editor.push_item(tags, Value::from("Korea")).unwrap());
            })
        };
        assert_eq!(
            added(COMMENTED),
            "tags = [\n  \"Russia\",   # the country\n  \"China\",    # added by the desk\n  \"Japan\",\n  \"Korea\",\n]\n"
        );
        assert_eq!(
            added("tags = [\n  \"A\",\n  \"B\",  # b\n  # the end\n]\n"),
            "tags = [\n  \"A\",\n  \"B\",  # b\n  \"Korea\",\n  # the end\n]\n"
        );
        assert_eq!(
            added("tags = [\n  \"A\",\n  \"B\"  # b\n]\n"),
            "tags = [\n  \"A\",\n  \"B\",  # b\n  \"Korea\"\n]\n"
        );
        assert_eq!(
            added("tags = [\n  \"A\"]\n"),
            "tags = [\n  \"A\",\n  \"Korea\"]\n"
        );
        assert_eq!(
            added("tags = [ \"A\", \"B\" ]\n"),
            "tags = [ \"A\", \"B\", \"Korea\" ]\n"
        );
        assert_eq!(added("tags = [\"A\"]\n"), "tags = [\"A\", \"Korea\"]\n");
        assert_eq!(added("tags = []\n"), "tags = [\"Korea\"]\n");
    }

    #[test]
    fn removes_an_entry_of_a_list_of_tables_keeping_the_comments_above() {
        let text = "id = \"a\"\n\n# Pictures\n[[media]]\nuri = \"a.jpg\"  # the first\n\n# Sound\n[[media]]\nuri = \"b.mp3\"\n\n[dateline]\nplace = \"MOSCOW\"\n";
        let media = FieldPath::root().key("media");
        let mut editor = RecordEditor::parse(text).unwrap();
        assert!(editor.remove(&media.index(0)).unwrap());
        assert_eq!(
            editor.to_string(),
            "id = \"a\"\n\n# Pictures\n\n# Sound\n[[media]]\nuri = \"b.mp3\"\n\n[dateline]\nplace = \"MOSCOW\"\n"
        );
        assert!(editor.remove(&media.index(0)).unwrap());
        assert_eq!(
            editor.to_string(),
            "id = \"a\"\n\n# Pictures\n\n# Sound\n\n[dateline]\nplace = \"MOSCOW\"\n"
        );
        let mut editor = RecordEditor::parse(text).unwrap();
        assert!(editor.remove(&FieldPath::root().key("dateline")).unwrap());
        assert!(editor.remove(&media.index(1)).unwrap());
        assert_eq!(
            editor.to_string(),
            "id = \"a\"\n\n# Pictures\n[[media]]\nuri = \"a.jpg\"  # the first\n\n# Sound\n"
        );
    }
}
