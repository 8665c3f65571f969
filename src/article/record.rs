//! A record as parsed from its text, with the source span of every key and
//! value. Borrowed from the text, so checking a record copies little.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::field_path::{FieldPath, Segment};
use super::model::{Article, ModelError};
use super::source::Span;

/// A parsed record: its text and the tables it holds, with spans.
#[derive(Debug)]
pub struct Record<'a> {
    text: &'a str,
    root: Spanned<DeTable<'a>>,
}

/// The text is not TOML: what the parser said, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

/// A value found at a [`FieldPath`], with the span of the key that names it
/// (none for array elements and the root).
#[derive(Clone, Debug)]
pub struct Entry<'r, 'a> {
    pub key_span: Option<Span>,
    pub value: &'r Spanned<DeValue<'a>>,
}

impl<'r, 'a> Entry<'r, 'a> {
    /// The value as JSON (no spans: equal values compare equal wherever
    /// they stand).
    pub fn to_json(&self) -> serde_json::Value {
        value_to_json(self.value.get_ref())
    }

    /// Where a finding about this entry points: the key for a table (where
    /// the header or key stands), the value for anything else.
    pub fn span(&self) -> Span {
        match (&self.key_span, self.value.get_ref()) {
            (Some(_), DeValue::Table(_)) => self.value.span(),
            (Some(key), _) if self.value.span().is_empty() => key.clone(),
            _ => self.value.span(),
        }
    }
}

/// Whether two texts of TOML say the same: the same keys and values,
/// however written (order of tables aside from arrays, quoting, spacing,
/// comments, line endings). Either not TOML: false.
pub fn same_values(left: &[u8], right: &[u8]) -> bool {
    let read = |bytes: &[u8]| {
        std::str::from_utf8(bytes)
            .ok()
            .and_then(|text| Record::parse(text).ok().map(|record| record.to_json()))
    };
    matches!((read(left), read(right)), (Some(left), Some(right)) if left == right)
}

impl<'a> Record<'a> {
    pub fn parse(text: &'a str) -> Result<Self, SyntaxError> {
        let root = DeTable::parse(text).map_err(|error| SyntaxError {
            message: error.message().trim_end().to_owned(),
            span: error.span().unwrap_or(0..0),
        })?;
        Ok(Self { text, root })
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    pub fn table(&self) -> &DeTable<'a> {
        self.root.get_ref()
    }

    /// The entry at `path`, if the record has one there. The root itself
    /// is no entry: see [`Record::table_span`].
    pub fn get(&self, path: &FieldPath) -> Option<Entry<'_, 'a>> {
        let (Segment::Key(first), rest) = path.segments().split_first()? else {
            return None;
        };
        let mut entry = key_entry(self.table(), first)?;
        for segment in rest {
            entry = match (segment, entry.value.get_ref()) {
                (Segment::Key(key), DeValue::Table(table)) => key_entry(table, key)?,
                (Segment::Index(index), DeValue::Array(array)) => Entry {
                    key_span: None,
                    value: array.get(*index)?,
                },
                _ => return None,
            };
        }
        Some(entry)
    }

    /// Where a finding about a missing key of the table at `path` points:
    /// the table's header, or the start of the file for the top level.
    pub fn table_span(&self, path: &FieldPath) -> Span {
        if path.is_root() {
            return 0..0;
        }
        self.get(path).map_or(0..0, |entry| entry.span())
    }

    /// Calls `visit` for every value in the record, depth first, in key
    /// order, with its path.
    pub fn walk(&self, mut visit: impl FnMut(&FieldPath, Entry<'_, 'a>)) {
        walk_table(self.table(), &mut FieldPath::root(), &mut visit);
    }

    /// The record as JSON, for JSON Schema: date-times become RFC 3339
    /// strings, non-finite floats become null.
    pub fn to_json(&self) -> serde_json::Value {
        table_to_json(self.table())
    }

    /// Reads the record into the typed model.
    pub fn to_article(&self) -> Result<Article, ModelError> {
        Article::from_table(self.root.clone())
    }

    /// Reads the record into the typed model, consuming it.
    pub fn into_article(self) -> Result<Article, ModelError> {
        Article::from_table(self.root)
    }
}

fn key_entry<'r, 'a>(table: &'r DeTable<'a>, key: &str) -> Option<Entry<'r, 'a>> {
    table.get_key_value(key).map(|(key, value)| Entry {
        key_span: Some(key.span()),
        value,
    })
}

fn walk_table<'r, 'a>(
    table: &'r DeTable<'a>,
    path: &mut FieldPath,
    visit: &mut impl FnMut(&FieldPath, Entry<'r, 'a>),
) {
    for (key, value) in table {
        path.push(Segment::Key(key.get_ref().to_string()));
        let entry = Entry {
            key_span: Some(key.span()),
            value,
        };
        visit(path, entry);
        walk_value(value.get_ref(), path, visit);
        path.pop();
    }
}

fn walk_value<'r, 'a>(
    value: &'r DeValue<'a>,
    path: &mut FieldPath,
    visit: &mut impl FnMut(&FieldPath, Entry<'r, 'a>),
) {
    match value {
        DeValue::Table(table) => walk_table(table, path, visit),
        DeValue::Array(array) => {
            for (index, item) in array.iter().enumerate() {
                path.push(Segment::Index(index));
                let entry = Entry {
                    key_span: None,
                    value: item,
                };
                visit(path, entry);
                walk_value(item.get_ref(), path, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

fn table_to_json(table: &DeTable<'_>) -> serde_json::Value {
    serde_json::Value::Object(
        table
            .iter()
            .map(|(key, value)| (key.get_ref().to_string(), value_to_json(value.get_ref())))
            .collect(),
    )
}

fn value_to_json(value: &DeValue<'_>) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        // A line ending is a line ending: TOML lets a multi-line string's
        // CRLF be read as LF, so a record saved by a Windows editor says
        // the same as before and compares equal.
        DeValue::String(string) if string.contains('\r') => {
            Json::String(string.replace("\r\n", "\n"))
        }
        DeValue::String(string) => Json::String(string.to_string()),
        DeValue::Integer(integer) => {
            i64::from_str_radix(integer.as_str(), integer.radix()).map_or(Json::Null, Json::from)
        }
        DeValue::Float(float) => float
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Json::Null, Json::Number),
        DeValue::Boolean(boolean) => Json::Bool(*boolean),
        DeValue::Datetime(datetime) => Json::String(datetime.to_string()),
        DeValue::Array(array) => Json::Array(
            array
                .iter()
                .map(|item| value_to_json(item.get_ref()))
                .collect(),
        ),
        DeValue::Table(table) => table_to_json(table),
    }
}
