//! `FIELD=VALUE` from the command line, typed by the schema: text, whole
//! numbers, date-times, dates and lists; `LIST+=ITEM` and `LIST-=ITEM`;
//! entries of lists by their place: `media[0]`, the last one `media[-1]`,
//! a new one at the end `media[+]`.

use std::fmt::Write as _;

use serde_json::Value as Json;
use toml_edit::{Array, Value};

use super::guard;
use crate::article::{EditError, FieldPath, RecordEditor, Segment};
use crate::newsroom::TimeZone;
use crate::schema::{ArticleSchema, Schema, did_you_mean};

/// One change to a record: a value for a field, its removal (`FIELD=`),
/// or an item added to or removed from a list (`tags+=Japan`,
/// `tags-=China`). Within one `set`, changes apply in order, so
/// `media[+].uri=… media[-1].credit=…` fills the entry it added.
#[derive(Clone, Debug)]
pub struct Assignment {
    target: Vec<Step>,
    change: Change,
}

/// One step of the field an assignment names.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    /// An entry of the list the steps before name, and how to add one,
    /// for messages (`media[+].uri=…`).
    Entry {
        place: Place,
        add: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// `[N]`
    Index(usize),
    /// `[-1]`: the last entry.
    Last,
    /// `[+]`: a new table at the end.
    New,
}

#[derive(Clone, Debug)]
enum Change {
    Set(Value),
    Remove,
    /// `LIST+=ITEM`: added unless the list holds it.
    Add(Value),
    /// `LIST-=ITEM`: the list must hold it.
    Drop(Value),
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssignmentError {
    #[error("{argument:?} is not FIELD=VALUE, LIST+=ITEM or LIST-=ITEM")]
    NotAnAssignment { argument: String },
    #[error("`{field}` is not a field of the schema{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownField {
        field: String,
        suggestion: Option<String>,
    },
    #[error("`{field}` cannot be set: {reason}")]
    Managed { field: String, reason: String },
    #[error("`{field}`: {value:?} is not {expected}")]
    BadValue {
        field: String,
        value: String,
        expected: String,
    },
    #[error("`{field}`: {reason}")]
    Misused { field: String, reason: String },
    #[error("tag {tag:?} is not in the newsroom's vocabulary (schema/tags.toml){}", match suggestion {
        Some(suggestion) => format!("; did you mean {suggestion:?}?"),
        None => "; add it there first if it is a new topic".to_owned(),
    })]
    UnknownTag {
        tag: String,
        suggestion: Option<String>,
    },
    #[error(transparent)]
    Edit(#[from] EditError),
}

/// What the text between the field and its value asks for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Operator {
    Set,
    Add,
    Drop,
}

impl Assignment {
    /// Reads `FIELD=VALUE`, `LIST+=ITEM` or `LIST-=ITEM`, typing the value
    /// by what the schema says the field holds; a tag goes through the
    /// vocabulary's aliases to its name. Dates are read in the newsroom's
    /// `timezone`.
    pub fn parse(
        argument: &str,
        schema: &Schema,
        timezone: &TimeZone,
    ) -> Result<Self, AssignmentError> {
        let not_an_assignment = || AssignmentError::NotAnAssignment {
            argument: argument.to_owned(),
        };
        let (name, text) = argument.split_once('=').ok_or_else(not_an_assignment)?;
        let (name, operator) = if let Some(name) = name.strip_suffix('+') {
            (name, Operator::Add)
        } else if let Some(name) = name.strip_suffix('-') {
            (name, Operator::Drop)
        } else {
            (name, Operator::Set)
        };
        if let Some(place) = unsupported_place(name.trim()) {
            return Err(AssignmentError::Misused {
                field: name.trim().to_owned(),
                reason: format!(
                    "[{place}] is not a place in a list: give [N] for entry N (counting from 0), [-1] for the last entry, or [+] for a new one"
                ),
            });
        }
        let mut target = parse_target(name.trim()).ok_or_else(not_an_assignment)?;
        let article = schema.article();
        for position in 0..target.len() {
            if let Step::Entry { .. } = target[position] {
                let list = &target[..position];
                let add = how_to_add(&shown(list), &keys(list), article);
                if let Step::Entry { add: hint, .. } = &mut target[position] {
                    *hint = add;
                }
            }
        }
        let field = shown(&target);
        let keys = keys(&target);
        if let Some(reason) = guard::managed(keys[0], false) {
            return Err(AssignmentError::Managed {
                field,
                reason: reason.to_owned(),
            });
        }
        if let Some(suggestion) = unknown_key(&keys, article) {
            return Err(AssignmentError::UnknownField { field, suggestion });
        }
        let property = article.property(&keys);
        let misused = |reason: String| AssignmentError::Misused {
            field: field.clone(),
            reason,
        };
        let change = match (operator, target.last()) {
            (
                Operator::Set,
                Some(Step::Entry {
                    place: Place::New,
                    add,
                }),
            ) => {
                return Err(misused(format!("name a key of the new entry, like {add}")));
            }
            (Operator::Set, _) if text.is_empty() => {
                if target.iter().any(|step| {
                    matches!(
                        step,
                        Step::Entry {
                            place: Place::New,
                            ..
                        }
                    )
                }) {
                    return Err(misused(
                        "a new entry is made by giving it a value".to_owned(),
                    ));
                }
                Change::Remove
            }
            (Operator::Set, _) => {
                let mut value = typed_value(&field, text, property, timezone)?;
                // Tags are written by their names, as `tags+=` writes them.
                if keys == ["tags"]
                    && let (Some(vocabulary), Some(tags)) =
                        (schema.vocabulary(), value.as_array_mut())
                {
                    for tag in tags.iter_mut() {
                        let Some(given) = tag.as_str() else { continue };
                        match vocabulary.resolve_ignoring_case(given) {
                            Some(name) => *tag = Value::from(name),
                            None => {
                                return Err(AssignmentError::UnknownTag {
                                    tag: given.to_owned(),
                                    suggestion: vocabulary.suggest(given).map(str::to_owned),
                                });
                            }
                        }
                    }
                }
                Change::Set(value)
            }
            (_, Some(Step::Entry { .. })) => {
                return Err(misused(format!(
                    "add to or remove from the list itself, like {}+=…",
                    shown(&target[..target.len() - 1])
                )));
            }
            (_, _) => {
                let items = match property {
                    None => None,
                    Some(node) if node.get("type").and_then(Json::as_str) == Some("array") => {
                        node.get("items")
                    }
                    Some(_) => {
                        return Err(misused(format!("it is not a list; set it with {field}=…")));
                    }
                };
                if items.is_some_and(holds_tables) {
                    return Err(misused(format!(
                        "it is a list of tables; add an entry with {}",
                        how_to_add(&field, &keys, article)
                    )));
                }
                if text.trim().is_empty() {
                    let sign = if operator == Operator::Add { '+' } else { '-' };
                    return Err(AssignmentError::BadValue {
                        field,
                        value: text.to_owned(),
                        expected: format!("an item, like {}{sign}=Japan", shown(&target)),
                    });
                }
                let mut item = typed_value(&field, text.trim(), items, timezone)?;
                if keys == ["tags"]
                    && let (Some(vocabulary), Some(tag)) = (schema.vocabulary(), item.as_str())
                {
                    match (vocabulary.resolve_ignoring_case(tag), operator) {
                        (Some(name), _) => item = Value::from(name),
                        // A tag outside the vocabulary can still be removed.
                        (None, Operator::Drop) => {}
                        (None, _) => {
                            return Err(AssignmentError::UnknownTag {
                                tag: tag.to_owned(),
                                suggestion: vocabulary.suggest(tag).map(str::to_owned),
                            });
                        }
                    }
                }
                if operator == Operator::Add {
                    Change::Add(item)
                } else {
                    Change::Drop(item)
                }
            }
        };
        Ok(Self { target, change })
    }

    /// Makes the change in `editor`: entries counted from the end are
    /// found, and new entries made, in the record as it is now.
    pub fn apply(&self, editor: &mut RecordEditor) -> Result<(), AssignmentError> {
        let path = self.resolve(editor)?;
        match &self.change {
            Change::Set(value) => editor.set(&path, value.clone())?,
            Change::Remove => {
                editor.remove(&path)?;
            }
            Change::Add(item) => {
                editor.push_item(&path, item.clone())?;
            }
            Change::Drop(item) => editor.remove_item(&path, item)?,
        }
        Ok(())
    }

    /// The part of the record the change depends on: the field itself,
    /// or the whole list when it adds to one, removes from one, or names
    /// an entry by its place from the end (`media` for
    /// `media[-1].credit`).
    pub fn field(&self) -> FieldPath {
        let mut path = FieldPath::root();
        for step in &self.target {
            match step {
                Step::Key(key) => path.push(Segment::Key(key.clone())),
                Step::Entry {
                    place: Place::Index(index),
                    ..
                } => path.push(Segment::Index(*index)),
                Step::Entry { .. } => break,
            }
        }
        path
    }

    /// The path the target names in `editor`'s record; a new entry is
    /// added for each `[+]`.
    fn resolve(&self, editor: &mut RecordEditor) -> Result<FieldPath, AssignmentError> {
        let mut path = FieldPath::root();
        for step in &self.target {
            let (place, add) = match step {
                Step::Key(key) => {
                    path.push(Segment::Key(key.clone()));
                    continue;
                }
                Step::Entry { place, add } => (*place, add),
            };
            let index = if place == Place::New {
                editor.push_table(&path)?
            } else {
                let count = editor.list_len(&path)?.unwrap_or(0);
                match place {
                    Place::Index(index) if index < count => index,
                    Place::Last if count > 0 => count - 1,
                    _ => {
                        let list = path.to_string();
                        let reason = match (place, count) {
                            (_, 0) => format!("the article has no {list} yet; add one with {add}"),
                            (Place::Index(index), 1) => format!(
                                "there is no entry [{index}]: {list} has 1 entry, {list}[0]; add one with {add}"
                            ),
                            (Place::Index(index), _) => format!(
                                "there is no entry [{index}]: {list} has {count} entries, {list}[0] to {list}[{}]; add one with {add}",
                                count - 1
                            ),
                            _ => format!("there is no such entry; add one with {add}"),
                        };
                        return Err(EditError {
                            field: shown(&self.target),
                            reason,
                        }
                        .into());
                    }
                }
            };
            path.push(Segment::Index(index));
        }
        Ok(path)
    }
}

/// The first `[…]` of `name` that is no place a list has: `[-2]`, `[x]`.
fn unsupported_place(name: &str) -> Option<&str> {
    name.split('[').skip(1).find_map(|part| {
        let place = part.split(']').next()?;
        let known = place == "+" || place == "-1" || place.parse::<usize>().is_ok();
        (!known && part.contains(']')).then_some(place)
    })
}

/// `dateline.place`, `media[0].credit`, `media[-1].credit`,
/// `media[+].uri`; `Entry` steps without their hint yet.
/// Refuses a field path (`headline`, `dateline.place`, `media[0].credit`)
/// that names no field of `schema`, as `set` refuses it.
pub fn check_field(path: &str, schema: &Schema) -> Result<(), AssignmentError> {
    let unknown = |suggestion| AssignmentError::UnknownField {
        field: path.to_owned(),
        suggestion,
    };
    let target = parse_target(path).ok_or_else(|| unknown(None))?;
    match unknown_key(&keys(&target), schema.article()) {
        Some(suggestion) => Err(unknown(suggestion)),
        None => Ok(()),
    }
}

/// Whether `keys` name a field `schema` does not allow, and then the name
/// it may have meant: the first key the schema does not name must stand
/// in a table that takes other keys, not below a value
/// (`dateline.place.sub`) nor in a table that names all of its keys.
fn unknown_key(keys: &[&str], schema: &ArticleSchema) -> Option<Option<String>> {
    let depth = (1..=keys.len()).find(|depth| schema.property(&keys[..*depth]).is_none())?;
    let parent = &keys[..depth - 1];
    let in_a_table = parent.is_empty()
        || schema.property(parent).is_some_and(|node| {
            let node = node.get("items").unwrap_or(node);
            node.get("type").is_none_or(|kind| kind == "object")
        });
    if in_a_table && schema.allows_other_keys(parent) {
        return None;
    }
    let known = schema.property_names(parent);
    Some(did_you_mean(keys[depth - 1], known).map(str::to_owned))
}

fn parse_target(name: &str) -> Option<Vec<Step>> {
    let mut target = Vec::new();
    for part in name.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(open) => (&part[..open], &part[open..]),
            None => (part, ""),
        };
        // Bare keys, as the record's fields are named: a quoted one
        // (`"dateline.place"`) would be read as something else.
        let bare = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-';
        if key.is_empty() || !key.bytes().all(bare) {
            return None;
        }
        target.push(Step::Key(key.to_owned()));
        while let Some(inner) = rest.strip_prefix('[') {
            let close = inner.find(']')?;
            let place = match &inner[..close] {
                "+" => Place::New,
                "-1" => Place::Last,
                index => Place::Index(index.parse().ok()?),
            };
            target.push(Step::Entry {
                place,
                add: String::new(),
            });
            rest = &inner[close + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    (!target.is_empty()).then_some(target)
}

/// The keys of `steps`, without their entries.
fn keys(steps: &[Step]) -> Vec<&str> {
    steps
        .iter()
        .filter_map(|step| match step {
            Step::Key(key) => Some(key.as_str()),
            Step::Entry { .. } => None,
        })
        .collect()
}

/// `steps` as written: `media[-1].credit`.
fn shown(steps: &[Step]) -> String {
    let mut text = String::new();
    for step in steps {
        match step {
            Step::Key(key) if text.is_empty() => text.push_str(key),
            Step::Key(key) => {
                let _ = write!(text, ".{key}");
            }
            Step::Entry { place, .. } => match place {
                Place::Index(index) => {
                    let _ = write!(text, "[{index}]");
                }
                Place::Last => text.push_str("[-1]"),
                Place::New => text.push_str("[+]"),
            },
        }
    }
    text
}

/// How to add an entry to the list `list` (at schema `keys`): a new table
/// by a key it requires (`media[+].uri=…`), or an item (`tags+=…`).
fn how_to_add(list: &str, keys: &[&str], schema: &crate::schema::ArticleSchema) -> String {
    let items = schema.property(keys).and_then(|node| node.get("items"));
    let Some(items) = items.filter(|items| holds_tables(items)) else {
        return format!("{list}+=…");
    };
    // The first key the entry requires that is not one of a few fixed
    // values: the one that says which entry it is (a media's uri).
    let required: Vec<&str> = items
        .get("required")
        .and_then(Json::as_array)
        .map(|keys| keys.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    let properties = items.get("properties").and_then(Json::as_object);
    let is_free = |key: &&str| {
        properties
            .and_then(|properties| properties.get(*key))
            .is_none_or(|property| property.get("enum").is_none())
    };
    let key = required
        .iter()
        .copied()
        .find(is_free)
        .or(required.first().copied())
        .or_else(|| properties.and_then(|properties| properties.keys().next().map(String::as_str)))
        .unwrap_or("KEY");
    format!("{list}[+].{key}=…")
}

/// Whether a list whose items the schema node `items` describes holds
/// tables.
fn holds_tables(items: &Json) -> bool {
    items.get("type").and_then(Json::as_str) == Some("object") || items.get("properties").is_some()
}

fn typed_value(
    field: &str,
    text: &str,
    property: Option<&Json>,
    timezone: &TimeZone,
) -> Result<Value, AssignmentError> {
    let bad = |expected: &str| AssignmentError::BadValue {
        field: field.to_owned(),
        value: text.to_owned(),
        expected: expected.to_owned(),
    };
    let format = property
        .and_then(|node| node.get("format"))
        .and_then(Json::as_str);
    let kind = property
        .and_then(|node| node.get("type"))
        .and_then(Json::as_str);
    match (kind, format) {
        (_, Some("date-time")) => {
            let moment = timezone
                .parse_moment(text, timezone.now())
                .map_err(|_| bad(crate::time::DATE_FORMS))?;
            let instant = timezone
                .start_of(moment)
                .ok_or_else(|| bad("a time that exists in the newsroom's time zone"))?;
            let text = instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
            let datetime: toml_edit::Datetime = text.parse().map_err(|_| {
                bad("a date-time between the years 0000 and 9999 in the newsroom's time zone")
            })?;
            if datetime.offset.is_none() || datetime.time.is_none() {
                return Err(bad(
                    "a date-time with an offset, like 2015-09-23T18:02:00+03:00",
                ));
            }
            // A record's date folders and datelines are in the newsroom's
            // zone: years TOML cannot write there are refused too.
            let in_range = chrono::DateTime::parse_from_rfc3339(&datetime.to_string())
                .is_ok_and(|instant| timezone.fits_record(instant));
            if !in_range {
                return Err(bad(
                    "a date-time between the years 0000 and 9999 in the newsroom's time zone",
                ));
            }
            Ok(Value::from(datetime))
        }
        (_, Some("date")) => {
            // A day a person names (today, yesterday…), as TOML writes it.
            let day = match timezone.parse_moment(text, timezone.now()) {
                Ok(crate::time::Moment::Day(day)) => day.format("%Y-%m-%d").to_string(),
                _ => text.to_owned(),
            };
            let date: toml_edit::Datetime = day
                .parse()
                .map_err(|_| bad("a date like 2015-09-23, today or yesterday"))?;
            if date.time.is_some() {
                return Err(bad("a date like 2015-09-23"));
            }
            Ok(Value::from(date))
        }
        (Some("integer"), _) => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| bad("a whole number")),
        (Some("boolean"), _) => text
            .trim()
            .parse::<bool>()
            .map(Value::from)
            .map_err(|_| bad("true or false")),
        (Some("array"), _) => {
            let items: Vec<String> = if text.trim_start().starts_with('[') {
                let parsed: toml_edit::Value = text
                    .parse()
                    .map_err(|_| bad("a list like [\"A\", \"B\"]"))?;
                let array = parsed
                    .as_array()
                    .ok_or_else(|| bad("a list like [\"A\", \"B\"]"))?;
                array
                    .iter()
                    .map(|item| item.as_str().map(str::to_owned))
                    .collect::<Option<_>>()
                    .ok_or_else(|| bad("a list of text"))?
            } else {
                text.split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(str::to_owned)
                    .collect()
            };
            Ok(Value::Array(Array::from_iter(items)))
        }
        _ => Ok(Value::from(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    fn parse(argument: &str) -> Result<Assignment, AssignmentError> {
        Assignment::parse(argument, &Schema::builtin(), &TimeZone::default())
    }

    /// The value `argument` sets.
    fn value(argument: &str) -> Value {
        match parse(argument).unwrap().change {
            Change::Set(value) => value,
            other => panic!("{argument} sets no value: {other:?}"),
        }
    }

    /// `text` after the assignments, or the first error.
    fn applied(text: &str, arguments: &[&str]) -> Result<String, AssignmentError> {
        let mut editor = RecordEditor::parse(text).unwrap();
        for argument in arguments {
            parse(argument)?.apply(&mut editor)?;
        }
        Ok(editor.to_string())
    }

    #[test]
    fn types_values_by_the_schema() {
        assert_eq!(value("headline=A b").as_str(), Some("A b"));
        assert_eq!(value("urgency=3").as_integer(), Some(3));
        let tags = value("tags=Russia, Japan");
        assert_eq!(tags.to_string(), "[\"Russia\", \"Japan\"]");
        let byline = value("byline=[\"Doe, Jane\"]");
        assert_eq!(byline.as_array().unwrap().len(), 1);
        let embargo = value("embargo=2015-09-23T18:00:00+03:00");
        assert!(embargo.as_datetime().is_some());
        assert!(value("dateline.date=2015-09-23").as_datetime().is_some());
        assert_eq!(
            parse("media[0].credit=© TASS").unwrap().field().to_string(),
            "media[0].credit"
        );
        assert!(matches!(parse("summary=").unwrap().change, Change::Remove));
    }

    #[test]
    fn refuses_what_cannot_be_set() {
        assert!(matches!(
            parse("embargo=someday"),
            Err(AssignmentError::BadValue { .. })
        ));
        // A date-time without an offset is read in the newsroom's zone and
        // written with its offset (UTC here): records keep their offsets.
        assert_eq!(
            value("embargo=2015-09-23T18:00:00").to_string().trim(),
            "2015-09-23T18:00:00+00:00"
        );
        assert!(matches!(
            parse("urgency=high"),
            Err(AssignmentError::BadValue { .. })
        ));
        assert!(matches!(
            parse("id=other"),
            Err(AssignmentError::Managed { .. })
        ));
        assert!(matches!(
            parse("status=published"),
            Err(AssignmentError::Managed { .. })
        ));
        assert_eq!(
            parse("sumary=x").unwrap_err().to_string(),
            "`sumary` is not a field of the schema; did you mean `summary`?"
        );
        assert!(matches!(
            parse("headline"),
            Err(AssignmentError::NotAnAssignment { .. })
        ));
        // Every level of the path is checked: below a value, in a closed
        // table, and keys that are not bare.
        for (argument, message) in [
            ("a.b.c.d=1", "`a.b.c.d` is not a field of the schema"),
            (
                "dateline.place.sub=x",
                "`dateline.place.sub` is not a field of the schema",
            ),
            (
                "sources[0].nme=x",
                "`sources[0].nme` is not a field of the schema; did you mean `name`?",
            ),
        ] {
            assert_eq!(parse(argument).unwrap_err().to_string(), message);
        }
        for argument in [
            "\"dateline.place\"=x",
            "dateline.\"place\"=x",
            "head line=x",
        ] {
            assert!(
                matches!(
                    parse(argument),
                    Err(AssignmentError::NotAnAssignment { .. })
                ),
                "{argument}"
            );
        }
        assert_eq!(
            parse("media[x].credit=a").unwrap_err().to_string(),
            "`media[x].credit`: [x] is not a place in a list: give [N] for entry N (counting from 0), [-1] for the last entry, or [+] for a new one"
        );
        assert!(matches!(
            parse("media[-2].credit=a"),
            Err(AssignmentError::Misused { .. })
        ));
    }

    #[test]
    fn adds_entries_and_fills_the_last_in_order() {
        let text = "id = \"a\"\n\n[dateline]\nplace = \"MOSCOW\"\n";
        let after = applied(
            text,
            &[
                "media[+].uri=media/a.jpg",
                "media[-1].credit=© TASS",
                "media[-1].kind=photo",
                "media[+].uri=media/b.jpg",
                "media[-1].credit=© B",
            ],
        )
        .unwrap();
        assert_eq!(
            after,
            "id = \"a\"\n\n[dateline]\nplace = \"MOSCOW\"\n\n[[media]]\nuri = \"media/a.jpg\"\ncredit = \"© TASS\"\nkind = \"photo\"\n\n[[media]]\nuri = \"media/b.jpg\"\ncredit = \"© B\"\n"
        );
        // A new entry goes after the list's last, before later tables.
        let text = "id = \"a\"\n\n[[media]]\nuri = \"a.jpg\"\n\n[[sources]]\nname = \"X\"\n";
        let after = applied(text, &["media[+].uri=b.jpg"]).unwrap();
        assert_eq!(
            after,
            "id = \"a\"\n\n[[media]]\nuri = \"a.jpg\"\n\n[[media]]\nuri = \"b.jpg\"\n\n[[sources]]\nname = \"X\"\n"
        );
    }

    #[test]
    fn says_plainly_that_a_list_is_empty_or_short() {
        let error = applied("id = \"a\"\n", &["media[0].credit=x"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot change `media[0].credit`: the article has no media yet; add one with media[+].uri=…"
        );
        let error = applied("id = \"a\"\n", &["media[-1].credit=x"]).unwrap_err();
        assert!(error.to_string().contains("no media yet"), "{error}");
        let error = applied("id = \"a\"\n", &["sources[0]="]).unwrap_err();
        assert!(
            error.to_string().contains("add one with sources[+].name=…"),
            "{error}"
        );
        let text = "[[media]]\nuri = \"a.jpg\"\n\n[[media]]\nuri = \"b.jpg\"\n";
        let error = applied(text, &["media[2].credit=x"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot change `media[2].credit`: there is no entry [2]: media has 2 entries, media[0] to media[1]; add one with media[+].uri=…"
        );
    }

    #[test]
    fn adds_to_and_removes_from_lists_keeping_their_layout() {
        let text = "tags = [\"Russia\", \"Japan\"]  # topics\n";
        assert_eq!(
            applied(text, &["tags+=Kurils", "tags-=Russia"]).unwrap(),
            "tags = [\"Japan\", \"Kuril Islands\"]  # topics\n"
        );
        // Already there (in any case, or as an alias): nothing changes.
        assert_eq!(applied(text, &["tags+=japan"]).unwrap(), text);
        let text = "tags = [\n  \"Russia\",\n  \"Japan\",\n]\n";
        assert_eq!(
            applied(text, &["tags+=Economy"]).unwrap(),
            "tags = [\n  \"Russia\",\n  \"Japan\",\n  \"Economy\",\n]\n"
        );
        assert_eq!(
            applied("tags = [\"Russia\"]\n", &["tags+=Japan"]).unwrap(),
            "tags = [\"Russia\", \"Japan\"]\n"
        );
        assert_eq!(
            applied("id = \"a\"\n", &["byline+=Jane Doe"]).unwrap(),
            "id = \"a\"\nbyline = [\"Jane Doe\"]\n"
        );
        let error = applied(text, &["tags-=China"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot change `tags`: \"China\" is not in it; it holds \"Russia\", \"Japan\""
        );
    }

    #[test]
    fn refuses_list_operations_that_mean_nothing() {
        assert_eq!(
            parse("tags+=Japn").unwrap_err().to_string(),
            "tag \"Japn\" is not in the newsroom's vocabulary (schema/tags.toml); did you mean \"Japan\"?"
        );
        // A tag outside the vocabulary can be removed: that is the fix.
        assert!(parse("tags-=Japn").is_ok());
        // The whole list is read as `tags+=` reads an item: by name.
        assert_eq!(
            value("tags=Japan, kurils").to_string(),
            "[\"Japan\", \"Kuril Islands\"]"
        );
        assert!(matches!(
            parse("tags=Japan, Japn"),
            Err(AssignmentError::UnknownTag { .. })
        ));
        assert!(
            parse("headline+=x")
                .unwrap_err()
                .to_string()
                .contains("it is not a list; set it with headline=…")
        );
        assert!(
            parse("media+=x")
                .unwrap_err()
                .to_string()
                .contains("add an entry with media[+].uri=…")
        );
        assert!(
            parse("media[+]=x")
                .unwrap_err()
                .to_string()
                .contains("like media[+].uri=…")
        );
        assert!(parse("media[+].caption=").is_err());
        assert!(parse("tags+=").is_err());
        assert!(matches!(
            parse("corrections[+].note=x"),
            Err(AssignmentError::Managed { .. })
        ));
        assert_eq!(
            parse("media[-1].credit=x").unwrap().field().to_string(),
            "media"
        );
        assert_eq!(parse("tags+=Japan").unwrap().field().to_string(), "tags");
    }
}
