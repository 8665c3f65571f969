//! The typed article, for the commands that read records (show, list,
//! export). Validation works on the [`Record`](super::Record) instead, so
//! that it can point at the source of every problem; this model is read
//! from records that passed it.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Deserializer};
use toml::Spanned;
use toml::de::DeTable;

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Article {
    pub id: String,
    pub headline: String,
    pub genre: Genre,
    pub status: Status,
    pub version: Option<u32>,
    pub section: Option<String>,
    pub byline: Vec<String>,
    pub language: String,
    #[serde(deserialize_with = "offset_date_time")]
    pub created: DateTime<FixedOffset>,
    #[serde(default, deserialize_with = "optional_offset_date_time")]
    pub published: Option<DateTime<FixedOffset>>,
    #[serde(default, deserialize_with = "optional_offset_date_time")]
    pub updated: Option<DateTime<FixedOffset>>,
    #[serde(default, deserialize_with = "optional_offset_date_time")]
    pub embargo: Option<DateTime<FixedOffset>>,
    pub urgency: Option<u8>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub disclaimer: Option<String>,
    pub ed_note: Option<String>,
    pub body: Option<String>,
    pub dateline: Option<Dateline>,
    #[serde(default)]
    pub media: Vec<Media>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub corrections: Vec<Correction>,
    /// Keys the default schema does not know, kept as they are: a newsroom
    /// may extend its schema with fields of its own.
    #[serde(flatten)]
    pub extra: BTreeMap<String, toml::Value>,
}

/// An article's genre: one of the values the newsroom's schema allows
/// (`ArticleSchema::allowed_values(&["genre"])`); the model takes any, so
/// that a newsroom can add its own.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(transparent)]
pub struct Genre(pub String);

/// An article's status in the workflow, as the newsroom's schema names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(transparent)]
pub struct Status(pub String);

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Dateline {
    pub place: String,
    #[serde(default, deserialize_with = "optional_local_date")]
    pub date: Option<NaiveDate>,
    pub source: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Media {
    pub kind: MediaKind,
    pub uri: String,
    pub caption: Option<String>,
    pub credit: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MediaKind {
    Photo,
    Video,
    Graphic,
    Audio,
}

impl MediaKind {
    /// The kind as records write it.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Photo => "photo",
            MediaKind::Video => "video",
            MediaKind::Graphic => "graphic",
            MediaKind::Audio => "audio",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Source {
    pub name: String,
    pub affiliation: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Correction {
    #[serde(deserialize_with = "offset_date_time")]
    pub at: DateTime<FixedOffset>,
    pub kind: CorrectionKind,
    pub note: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CorrectionKind {
    Correction,
    Clarification,
    Update,
    Retraction,
}

/// A record that does not fit the model: run `news validate` on it to see
/// every problem with its location.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ModelError {
    pub message: String,
}

impl Article {
    pub(super) fn from_table(table: Spanned<DeTable<'_>>) -> Result<Self, ModelError> {
        Article::deserialize(toml::de::Deserializer::from(table)).map_err(|error| ModelError {
            message: error.message().to_owned(),
        })
    }
}

macro_rules! kebab_display {
    ($($kind:ty),*) => {$(
        impl fmt::Display for $kind {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // The serde names are the record's spelling.
                let debug = format!("{self:?}");
                let mut kebab = String::with_capacity(debug.len() + 2);
                for (index, character) in debug.chars().enumerate() {
                    if character.is_ascii_uppercase() && index > 0 {
                        kebab.push('-');
                    }
                    kebab.push(character.to_ascii_lowercase());
                }
                f.write_str(&kebab)
            }
        }
    )*};
}

kebab_display!(MediaKind, CorrectionKind);

impl fmt::Display for Genre {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn offset_date_time<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<DateTime<FixedOffset>, D::Error> {
    let datetime = toml::value::Datetime::deserialize(deserializer)?;
    if datetime.offset.is_none() || datetime.time.is_none() {
        return Err(serde::de::Error::custom(format!(
            "{datetime} is not a date-time with an offset"
        )));
    }
    DateTime::parse_from_rfc3339(&datetime.to_string()).map_err(serde::de::Error::custom)
}

fn optional_offset_date_time<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
    offset_date_time(deserializer).map(Some)
}

fn optional_local_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    let datetime = toml::value::Datetime::deserialize(deserializer)?;
    match (datetime.date, datetime.time, datetime.offset) {
        (Some(date), None, None) => NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        )
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("{datetime} is not a date"))),
        _ => Err(serde::de::Error::custom(format!(
            "{datetime} is not a local date"
        ))),
    }
}
