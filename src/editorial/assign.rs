//! `FIELD=VALUE` from the command line, typed by the schema: text, whole
//! numbers, date-times, dates and lists.

use serde_json::Value as Json;
use toml_edit::{Array, Value};

use super::guard;
use crate::article::{EditError, FieldPath, RecordEditor, Segment};
use crate::newsroom::TimeZone;
use crate::schema::{ArticleSchema, did_you_mean};

/// One change: a value for a field, or its removal (`FIELD=`).
#[derive(Clone, Debug)]
pub struct Assignment {
    pub field: FieldPath,
    pub value: Option<Value>,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssignmentError {
    #[error("{argument:?} is not FIELD=VALUE")]
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
    #[error(transparent)]
    Edit(#[from] EditError),
}

impl Assignment {
    /// Reads `FIELD=VALUE`, typing the value by what the schema says the
    /// field holds; `now` is read in the newsroom's `timezone`.
    pub fn parse(
        argument: &str,
        schema: &ArticleSchema,
        timezone: &TimeZone,
    ) -> Result<Self, AssignmentError> {
        let (name, text) =
            argument
                .split_once('=')
                .ok_or_else(|| AssignmentError::NotAnAssignment {
                    argument: argument.to_owned(),
                })?;
        let field = parse_field(name.trim()).ok_or_else(|| AssignmentError::NotAnAssignment {
            argument: argument.to_owned(),
        })?;
        let keys: Vec<&str> = field.keys().collect();
        if let Some(reason) = guard::managed(keys[0], false) {
            return Err(AssignmentError::Managed {
                field: field.to_string(),
                reason: reason.to_owned(),
            });
        }
        let property = schema.property(&keys);
        if property.is_none() && !schema.allows_other_keys(&keys[..keys.len() - 1]) {
            let known = schema.property_names(&keys[..keys.len() - 1]);
            return Err(AssignmentError::UnknownField {
                field: field.to_string(),
                suggestion: did_you_mean(keys[keys.len() - 1], known).map(str::to_owned),
            });
        }
        if text.is_empty() {
            return Ok(Self { field, value: None });
        }
        let value = typed_value(&field, text, property, timezone)?;
        Ok(Self {
            field,
            value: Some(value),
        })
    }

    pub fn apply(&self, editor: &mut RecordEditor) -> Result<(), AssignmentError> {
        match &self.value {
            Some(value) => editor.set(&self.field, value.clone())?,
            None => {
                editor.remove(&self.field)?;
            }
        }
        Ok(())
    }
}

/// `dateline.place`, `media[0].credit`.
fn parse_field(name: &str) -> Option<FieldPath> {
    let mut path = FieldPath::root();
    for part in name.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(open) => (&part[..open], &part[open..]),
            None => (part, ""),
        };
        if key.is_empty() {
            return None;
        }
        path.push(Segment::Key(key.to_owned()));
        while let Some(inner) = rest.strip_prefix('[') {
            let close = inner.find(']')?;
            path.push(Segment::Index(inner[..close].parse().ok()?));
            rest = &inner[close + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    (!path.is_root()).then_some(path)
}

fn typed_value(
    field: &FieldPath,
    text: &str,
    property: Option<&Json>,
    timezone: &TimeZone,
) -> Result<Value, AssignmentError> {
    let bad = |expected: &str| AssignmentError::BadValue {
        field: field.to_string(),
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
            let in_range =
                chrono::DateTime::parse_from_rfc3339(&datetime.to_string()).is_ok_and(|instant| {
                    use chrono::Datelike;
                    (0..=9999).contains(&timezone.local_date(&instant).year())
                });
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
        Assignment::parse(argument, Schema::builtin().article(), &TimeZone::default())
    }

    #[test]
    fn types_values_by_the_schema() {
        assert_eq!(
            parse("headline=A b").unwrap().value.unwrap().as_str(),
            Some("A b")
        );
        assert_eq!(
            parse("urgency=3").unwrap().value.unwrap().as_integer(),
            Some(3)
        );
        let tags = parse("tags=Russia, Japan").unwrap().value.unwrap();
        assert_eq!(tags.to_string(), "[\"Russia\", \"Japan\"]");
        let byline = parse("byline=[\"Doe, Jane\"]").unwrap().value.unwrap();
        assert_eq!(byline.as_array().unwrap().len(), 1);
        let embargo = parse("embargo=2015-09-23T18:00:00+03:00")
            .unwrap()
            .value
            .unwrap();
        assert!(embargo.as_datetime().is_some());
        assert!(
            parse("dateline.date=2015-09-23")
                .unwrap()
                .value
                .unwrap()
                .as_datetime()
                .is_some()
        );
        assert_eq!(
            parse("media[0].credit=© TASS").unwrap().field.to_string(),
            "media[0].credit"
        );
        assert!(parse("summary=").unwrap().value.is_none());
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
            parse("embargo=2015-09-23T18:00:00")
                .unwrap()
                .value
                .unwrap()
                .to_string()
                .trim(),
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
        assert!(matches!(
            parse("media[x].credit=a"),
            Err(AssignmentError::NotAnAssignment { .. })
        ));
    }
}
