//! The article JSON Schema (draft 2020-12), and its errors turned into
//! findings that name the field and point at the source.

use std::path::Path;

use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::{Location as SchemaLocation, LocationSegment};
use serde_json::Value as Json;
use toml::de::DeValue;

use super::finding::{Finding, Rule};
use super::suggest::did_you_mean;
use crate::article::{FieldPath, Record, Segment};
use crate::settings::ConfigError;

/// What a date field of the schema holds, from its `format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Temporal {
    /// `"format": "date-time"`: a TOML offset date-time.
    OffsetDateTime,
    /// `"format": "date"`: a TOML local date.
    LocalDate,
}

pub struct ArticleSchema {
    document: Json,
    validator: jsonschema::Validator,
    /// Date fields by the keys of their path (`corrections`, `at`).
    temporal_fields: Vec<(Vec<String>, Temporal)>,
}

impl ArticleSchema {
    /// Reads and compiles a schema; `path` is only for messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let document: Json = serde_json::from_str(text).map_err(|error| ConfigError::Syntax {
            path: path.to_owned(),
            // serde_json counts a column 0 at the end of the text; places
            // here count from 1.
            line: error.line().max(1),
            column: error.column().max(1),
            message: error.to_string(),
        })?;
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&document)
            .map_err(|error| ConfigError::Invalid {
                path: path.to_owned(),
                message: format!("not a usable JSON Schema: {error}"),
            })?;
        let mut temporal_fields = Vec::new();
        collect_temporal_fields(&document, &mut Vec::new(), &mut temporal_fields);
        Ok(Self {
            document,
            validator,
            temporal_fields,
        })
    }

    /// What the schema says `field` holds, when it is a date field.
    pub fn temporal_kind(&self, field: &FieldPath) -> Option<Temporal> {
        self.temporal_fields
            .iter()
            .find(|(keys, _)| field.has_keys(keys))
            .map(|(_, kind)| *kind)
    }

    /// The schema of the field at `keys` (indexes left out), following
    /// `properties` and `items`.
    pub fn property(&self, keys: &[&str]) -> Option<&Json> {
        let mut node = &self.document;
        for key in keys {
            if let Some(items) = node.get("items") {
                node = items;
            }
            node = node.get("properties")?.get(*key)?;
        }
        Some(node)
    }

    /// The values the schema allows at `keys` (its `enum`), in its order:
    /// the newsroom's genres, statuses, media kinds. Empty when the schema
    /// names none (any value of the type goes).
    pub fn allowed_values(&self, keys: &[&str]) -> Vec<&str> {
        self.property(keys)
            .and_then(|node| node.get("enum"))
            .and_then(Json::as_array)
            .map(|values| values.iter().filter_map(Json::as_str).collect())
            .unwrap_or_default()
    }

    /// Whether the table at `keys` takes keys its schema does not name.
    pub fn allows_other_keys(&self, keys: &[&str]) -> bool {
        let node = if keys.is_empty() {
            Some(&self.document)
        } else {
            self.property(keys)
        };
        let node = node.map(|node| node.get("items").unwrap_or(node));
        !matches!(
            node.and_then(|node| node.get("additionalProperties")),
            Some(Json::Bool(false))
        )
    }

    /// The names the table at `keys` declares.
    pub fn property_names(&self, keys: &[&str]) -> Vec<&str> {
        let node = if keys.is_empty() {
            Some(&self.document)
        } else {
            self.property(keys)
        };
        node.map(|node| node.get("items").unwrap_or(node))
            .and_then(|node| node.get("properties"))
            .and_then(Json::as_object)
            .map(|properties| properties.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Adds a finding for every schema error of `record`.
    pub fn check(&self, record: &Record<'_>, path: &Path, findings: &mut Vec<Finding>) {
        let instance = record.to_json();
        // Most records are valid: the quick yes/no first, the detailed
        // errors only for the rest.
        if self.validator.is_valid(&instance) {
            return;
        }
        // An `errorMessage` explains every keyword of its node at once: one
        // finding for a value however many of them it fails.
        let mut explained: Vec<(String, &str)> = Vec::new();
        for error in self.validator.iter_errors(&instance) {
            let field = field_path(&instance, error.instance_path());
            let keyword = error.schema_path();
            let explanation = self.explanation(keyword);
            if let Some(explanation) = explanation {
                let value = (error.instance_path().as_str().to_owned(), explanation);
                if explained.contains(&value) {
                    continue;
                }
                explained.push(value);
            }
            let reporter = Reporter {
                schema: self,
                record,
                path,
                field: &field,
                explanation,
            };
            reporter.report(error.kind(), keyword, &instance, findings);
        }
    }

    /// The schema node holding the keyword at `keyword`.
    fn node_of(&self, keyword: &SchemaLocation) -> Option<&Json> {
        let pointer = keyword.as_str();
        let parent = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
        self.document.pointer(parent)
    }

    /// The `errorMessage` the schema gives for the rule at `keyword`: on the
    /// keyword's own node, or on the `then` of a conditional rule.
    fn explanation(&self, keyword: &SchemaLocation) -> Option<&str> {
        let mut pointer = keyword.as_str();
        while let Some((parent, _)) = pointer.rsplit_once('/') {
            if let Some(message) = self
                .document
                .pointer(parent)
                .and_then(|node| node.get("errorMessage"))
                .and_then(Json::as_str)
            {
                return Some(message);
            }
            // Only climb out of a `then` branch's own keywords, not into
            // the schemas of unrelated parent objects.
            if !parent.ends_with("/then") && !parent.contains("/then/") {
                break;
            }
            pointer = parent;
        }
        None
    }
}

struct Reporter<'s, 'r, 'a> {
    schema: &'s ArticleSchema,
    record: &'r Record<'a>,
    path: &'r Path,
    field: &'r FieldPath,
    explanation: Option<&'s str>,
}

impl Reporter<'_, '_, '_> {
    fn report(
        &self,
        kind: &ValidationErrorKind,
        keyword: &SchemaLocation,
        instance: &Json,
        findings: &mut Vec<Finding>,
    ) {
        let field = self.field;
        let value = instance_at(instance, field);
        let (rule, message) = match kind {
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let missing = field.key(name);
                let span = self.record.table_span(field);
                let message = self.explained(format!("missing field `{missing}`"));
                findings.push(self.finding(&span, Rule::MissingField, message, missing));
                return;
            }
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                let known = self
                    .schema
                    .node_of(keyword)
                    .and_then(|node| node.get("properties"));
                for key in unexpected {
                    let unknown = field.key(key.as_str());
                    let span = self
                        .record
                        .get(&unknown)
                        .and_then(|entry| entry.key_span)
                        .unwrap_or(0..0);
                    let mut message = format!("unknown key `{unknown}`");
                    let suggestion = known
                        .and_then(Json::as_object)
                        .and_then(|known| did_you_mean(key, known.keys().map(String::as_str)));
                    if let Some(suggestion) = suggestion {
                        message.push_str(&format!("; did you mean `{suggestion}`?"));
                    }
                    findings.push(self.finding(&span, Rule::UnknownKey, message, unknown));
                }
                return;
            }
            ValidationErrorKind::Type { .. } => {
                // Date fields are strings to JSON Schema; the date-time
                // rules say what is wrong with them in TOML's terms.
                if self.schema.temporal_kind(field).is_some() {
                    return;
                }
                let expected = self
                    .schema
                    .node_of(keyword)
                    .and_then(|node| node.get("type"))
                    .map_or_else(|| "another type".to_owned(), describe_json_types);
                let found = self
                    .record
                    .get(field)
                    .map_or("nothing", |entry| describe_toml_type(entry.value.get_ref()));
                (
                    Rule::WrongType,
                    format!("`{field}` should be {expected}, not {found}"),
                )
            }
            ValidationErrorKind::Enum { options } => {
                let options: Vec<&str> = options
                    .as_array()
                    .map(|options| options.iter().filter_map(Json::as_str).collect())
                    .unwrap_or_default();
                let mut message = format!(
                    "`{field}` is {}, which is not one of: {}",
                    preview(value),
                    options.join(", ")
                );
                let given = value.and_then(Json::as_str).unwrap_or_default();
                if let Some(suggestion) = did_you_mean(given, options.iter().copied()) {
                    message.push_str(&format!("; did you mean `{suggestion}`?"));
                }
                (Rule::InvalidValue, message)
            }
            ValidationErrorKind::Constant { expected_value } => (
                Rule::InvalidValue,
                format!("`{field}` must be {expected_value}, not {}", preview(value)),
            ),
            ValidationErrorKind::Pattern { pattern } => {
                let message = match self.explanation {
                    Some(_) => format!("`{field}` {} is not allowed", preview(value)),
                    None => format!(
                        "`{field}` {} does not match the pattern `{pattern}`",
                        preview(value)
                    ),
                };
                (Rule::InvalidValue, message)
            }
            ValidationErrorKind::MinLength { limit: 1 } => {
                (Rule::InvalidValue, format!("`{field}` must not be empty"))
            }
            ValidationErrorKind::MinLength { limit } | ValidationErrorKind::MaxLength { limit } => {
                let length = value
                    .and_then(Json::as_str)
                    .map_or(0, |text| text.chars().count());
                let bound = if matches!(kind, ValidationErrorKind::MinLength { .. }) {
                    "at least"
                } else {
                    "at most"
                };
                (
                    Rule::InvalidValue,
                    format!("`{field}` is {length} characters long; {bound} {limit} are allowed"),
                )
            }
            ValidationErrorKind::MinItems { limit } => (
                Rule::InvalidValue,
                format!("`{field}` needs at least {limit} {}", entries(*limit)),
            ),
            ValidationErrorKind::MaxItems { limit } => (
                Rule::InvalidValue,
                format!("`{field}` may have at most {limit} {}", entries(*limit)),
            ),
            ValidationErrorKind::Minimum { limit }
            | ValidationErrorKind::ExclusiveMinimum { limit } => (
                Rule::InvalidValue,
                format!(
                    "`{field}` is {}; it must be at least {limit}",
                    preview(value)
                ),
            ),
            ValidationErrorKind::Maximum { limit }
            | ValidationErrorKind::ExclusiveMaximum { limit } => (
                Rule::InvalidValue,
                format!(
                    "`{field}` is {}; it must be at most {limit}",
                    preview(value)
                ),
            ),
            ValidationErrorKind::UniqueItems => {
                let repeated = value.and_then(Json::as_array).and_then(|items| {
                    items
                        .iter()
                        .enumerate()
                        .find(|(index, item)| items[..*index].contains(item))
                });
                if let Some((index, item)) = repeated {
                    let element = field.index(index);
                    let span = self.span_of(&element);
                    let message = format!("`{field}` lists {} more than once", preview(Some(item)));
                    findings.push(self.finding(&span, Rule::InvalidValue, message, element));
                    return;
                }
                (
                    Rule::InvalidValue,
                    format!("`{field}` lists a value more than once"),
                )
            }
            ValidationErrorKind::Format { format } => (
                Rule::InvalidValue,
                format!("`{field}` {} is not a valid {format}", preview(value)),
            ),
            other => {
                let named = match field.is_root() {
                    true => "the record".to_owned(),
                    false => format!("`{field}`"),
                };
                (
                    Rule::Schema,
                    format!("{named}: {}", describe_other(other, value)),
                )
            }
        };
        let span = self.span_of(field);
        findings.push(self.finding(&span, rule, self.explained(message), field.clone()));
    }

    fn explained(&self, message: String) -> String {
        match self.explanation {
            Some(explanation) => format!("{message}: {explanation}"),
            None => message,
        }
    }

    fn span_of(&self, field: &FieldPath) -> std::ops::Range<usize> {
        self.record.get(field).map_or(0..0, |entry| entry.span())
    }

    fn finding(
        &self,
        span: &std::ops::Range<usize>,
        rule: Rule,
        message: String,
        field: FieldPath,
    ) -> Finding {
        Finding::at(self.path, self.record.text(), span, rule, message).with_field(field)
    }
}

fn describe_other(kind: &ValidationErrorKind, value: Option<&Json>) -> String {
    match kind {
        ValidationErrorKind::AnyOf { .. } => "matches none of the allowed forms".to_owned(),
        ValidationErrorKind::OneOfNotValid { .. } => "matches none of the allowed forms".to_owned(),
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            "matches more than one of the allowed forms".to_owned()
        }
        ValidationErrorKind::Not { .. } => format!("{} is not allowed here", preview(value)),
        ValidationErrorKind::FalseSchema => "the schema allows nothing here".to_owned(),
        other => format!("{other:?}"),
    }
}

fn entries(count: u64) -> &'static str {
    if count == 1 { "entry" } else { "entries" }
}

/// A short, quoted rendering of a value for messages.
fn preview(value: Option<&Json>) -> String {
    const LIMIT: usize = 40;
    let Some(value) = value else {
        return "missing".to_owned();
    };
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        return text;
    }
    let cut: String = text.chars().take(LIMIT).collect();
    format!("{cut}…")
}

fn describe_json_types(types: &Json) -> String {
    let name = |name: &str| match name {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean",
        "array" => "an array",
        "object" => "a table",
        "null" => "nothing",
        _ => "another type",
    };
    match types {
        Json::String(single) => name(single).to_owned(),
        Json::Array(several) => several
            .iter()
            .filter_map(Json::as_str)
            .map(name)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "another type".to_owned(),
    }
}

pub(super) fn describe_toml_type(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(datetime) => match (datetime.date, datetime.time, datetime.offset) {
            (Some(_), Some(_), Some(_)) => "a date-time",
            (Some(_), Some(_), None) => "a local date-time",
            (Some(_), None, _) => "a local date",
            _ => "a local time",
        },
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The record path of a JSON instance location. Objects and arrays are told
/// apart by walking the instance, so a table key that looks like a number
/// stays a key.
fn field_path(instance: &Json, location: &jsonschema::paths::Location) -> FieldPath {
    let mut current = Some(instance);
    let mut path = FieldPath::root();
    for segment in location.segments() {
        let text = match &segment {
            LocationSegment::Property(name) => name.to_string(),
            LocationSegment::Index(index) => index.to_string(),
        };
        let step = match current {
            Some(Json::Array(_)) => text
                .parse()
                .map(Segment::Index)
                .unwrap_or(Segment::Key(text)),
            _ => Segment::Key(text),
        };
        current = current.and_then(|value| match (&step, value) {
            (Segment::Index(index), Json::Array(items)) => items.get(*index),
            (Segment::Key(key), Json::Object(table)) => table.get(key),
            _ => None,
        });
        path.push(step);
    }
    path
}

fn instance_at<'j>(instance: &'j Json, field: &FieldPath) -> Option<&'j Json> {
    field
        .segments()
        .iter()
        .try_fold(instance, |value, segment| match (segment, value) {
            (Segment::Key(key), Json::Object(table)) => table.get(key),
            (Segment::Index(index), Json::Array(items)) => items.get(*index),
            _ => None,
        })
}

fn collect_temporal_fields(
    node: &Json,
    keys: &mut Vec<String>,
    found: &mut Vec<(Vec<String>, Temporal)>,
) {
    match node.get("format").and_then(Json::as_str) {
        Some("date-time") => found.push((keys.clone(), Temporal::OffsetDateTime)),
        Some("date") => found.push((keys.clone(), Temporal::LocalDate)),
        _ => {}
    }
    if let Some(properties) = node.get("properties").and_then(Json::as_object) {
        for (key, child) in properties {
            keys.push(key.clone());
            collect_temporal_fields(child, keys, found);
            keys.pop();
        }
    }
    if let Some(items) = node.get("items") {
        collect_temporal_fields(items, keys, found);
    }
}
