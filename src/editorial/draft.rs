//! A new article from what the reporter gave (flags or prompts) and the
//! newsroom's defaults.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use crate::article::{Media, Source};
use crate::git::Signatures;
use crate::newsroom::Config;
use crate::schema::Vocabulary;

/// What a reporter says about a new article. Empty means "use the
/// default".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub headline: String,
    pub genre: String,
    pub byline: Vec<String>,
    pub tags: Vec<String>,
    pub section: Option<String>,
    pub place: Option<String>,
    pub body: Option<String>,
    pub disclaimer: Option<String>,
    pub summary: Option<String>,
    pub language: Option<String>,
    pub id: Option<String>,
    /// Not publishable before; written in the newsroom's time zone.
    pub embargo: Option<DateTime<FixedOffset>>,
    pub urgency: Option<u8>,
    pub media: Vec<Media>,
    /// The people quoted.
    pub sources: Vec<Source>,
}

/// A person quoted, from `NAME` or `NAME; AFFILIATION`; why not when the
/// name is blank.
pub fn parse_source(text: &str) -> Result<Source, String> {
    let (name, affiliation) = match text.split_once(';') {
        Some((name, affiliation)) => (name.trim(), Some(affiliation.trim())),
        None => (text.trim(), None),
    };
    if name.is_empty() {
        return Err(format!(
            "{text:?} names no one; give NAME or \"NAME; AFFILIATION\""
        ));
    }
    Ok(Source {
        name: name.to_owned(),
        affiliation: affiliation
            .filter(|affiliation| !affiliation.is_empty())
            .map(str::to_owned),
    })
}

impl Draft {
    /// The record text, in the order of DESIGN.md §2; none when a date
    /// falls outside the years TOML holds (0000 to 9999).
    pub fn to_record(
        &self,
        id: &str,
        created: DateTime<FixedOffset>,
        created_on: NaiveDate,
        config: &Config,
        signatures: &Signatures,
        vocabulary: Option<&Vocabulary>,
    ) -> Option<String> {
        let mut record = DocumentMut::new();
        record["id"] = value(id);
        record["headline"] = value(self.headline.trim());
        record["genre"] = value(self.genre.as_str());
        record["status"] = value("draft");
        if let Some(section) = non_empty(&self.section) {
            record["section"] = value(section);
        }
        let byline: Vec<&str> = if self.byline.is_empty() {
            vec![signatures.author.name.as_str()]
        } else {
            self.byline.iter().map(|name| name.trim()).collect()
        };
        record["byline"] = value(Array::from_iter(byline));
        let language = non_empty(&self.language).unwrap_or(&config.language);
        record["language"] = value(language);
        record["created"] = value(toml_datetime(created)?);
        if let Some(embargo) = self.embargo {
            record["embargo"] = value(toml_datetime(config.timezone.at(embargo))?);
        }
        if let Some(urgency) = self.urgency {
            record["urgency"] = value(i64::from(urgency));
        }
        if !self.tags.is_empty() {
            // Aliases are accepted on input and written as the tag's name.
            let tags = self.tags.iter().map(|tag| {
                let tag = tag.trim();
                vocabulary
                    .and_then(|vocabulary| vocabulary.resolve(tag))
                    .unwrap_or(tag)
                    .to_owned()
            });
            let mut unique: Vec<String> = Vec::new();
            for tag in tags {
                if !unique.contains(&tag) {
                    unique.push(tag);
                }
            }
            record["tags"] = value(Array::from_iter(unique));
        }
        if let Some(summary) = non_empty(&self.summary) {
            record["summary"] = value(summary);
        }
        let disclaimer = non_empty(&self.disclaimer)
            .or_else(|| config.disclaimers.get(&self.genre).map(String::as_str));
        if let Some(disclaimer) = disclaimer {
            record["disclaimer"] = value(disclaimer);
        }
        if let Some(body) = non_empty(&self.body) {
            let mut body = body.trim_end().to_owned();
            body.push('\n');
            record["body"] = value(body);
        }
        if let Some(place) = non_empty(&self.place) {
            let mut dateline = Table::new();
            dateline["place"] = value(place);
            dateline["date"] = value(toml_edit::Datetime {
                date: Some(toml_date(created_on)?),
                time: None,
                offset: None,
            });
            if let Some(source) = &config.source {
                dateline["source"] = value(source.as_str());
            }
            record["dateline"] = Item::Table(dateline);
        }
        if !self.media.is_empty() {
            let mut media = ArrayOfTables::new();
            for item in &self.media {
                let mut table = Table::new();
                table["kind"] = value(item.kind.as_str());
                table["uri"] = value(item.uri.trim());
                if let Some(caption) = non_empty(&item.caption) {
                    table["caption"] = value(caption);
                }
                table["credit"] = value(item.credit.trim());
                media.push(table);
            }
            record["media"] = Item::ArrayOfTables(media);
        }
        if !self.sources.is_empty() {
            let mut sources = ArrayOfTables::new();
            for source in &self.sources {
                let mut table = Table::new();
                table["name"] = value(source.name.trim());
                if let Some(affiliation) = non_empty(&source.affiliation) {
                    table["affiliation"] = value(affiliation);
                }
                sources.push(table);
            }
            record["sources"] = Item::ArrayOfTables(sources);
        }
        Some(record.to_string())
    }
}

/// A date-time with its offset, to the second, as TOML writes it.
pub(super) fn toml_datetime(instant: DateTime<FixedOffset>) -> Option<toml_edit::Datetime> {
    Some(toml_edit::Datetime {
        date: Some(toml_date(instant.date_naive())?),
        time: Some(toml_edit::Time {
            hour: instant.hour() as u8,
            minute: instant.minute() as u8,
            second: Some(instant.second() as u8),
            nanosecond: None,
        }),
        offset: Some(match instant.offset().local_minus_utc() {
            0 => toml_edit::Offset::Z,
            seconds => toml_edit::Offset::Custom {
                minutes: i16::try_from(seconds / 60).ok()?,
            },
        }),
    })
}

/// A date, when its year is one TOML holds.
fn toml_date(date: NaiveDate) -> Option<toml_edit::Date> {
    Some(toml_edit::Date {
        year: u16::try_from(date.year())
            .ok()
            .filter(|year| *year <= 9999)?,
        month: date.month() as u8,
        day: date.day() as u8,
    })
}

fn non_empty(text: &Option<String>) -> Option<&str> {
    text.as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

/// An id from a headline: lowercase ASCII letters and digits in words
/// joined by single hyphens, at most 80 characters, cut at a word.
pub fn slug(headline: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for character in headline.chars() {
        match fold(character) {
            Some(folded) => word.push_str(folded),
            None if !word.is_empty() => words.push(std::mem::take(&mut word)),
            None => {}
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    let mut slug = String::new();
    for word in words {
        if slug.len() + word.len() + 1 > 80 && !slug.is_empty() {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word[..word.len().min(80)]);
    }
    if slug.is_empty() {
        "article".to_owned()
    } else {
        slug
    }
}

/// A character as the lowercase ASCII it reads as; `None` for a character
/// that separates words. Latin letters lose their accents, Cyrillic is
/// transliterated, apostrophes vanish inside a word, other scripts
/// separate.
fn fold(character: char) -> Option<&'static str> {
    const ASCII: [&str; 36] = [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f", "g", "h",
        "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
    ];
    if character.is_ascii_alphanumeric() {
        let index = character.to_ascii_lowercase().to_digit(36)? as usize;
        return Some(ASCII[index]);
    }
    if character == '\'' || character == '’' {
        return Some("");
    }
    let lower: String = character.to_lowercase().collect();
    let mapped = match lower.as_str() {
        "à" | "á" | "â" | "ã" | "ä" | "å" | "ā" => "a",
        "ç" | "č" | "ć" => "c",
        "è" | "é" | "ê" | "ë" | "ē" | "ě" => "e",
        "ì" | "í" | "î" | "ï" => "i",
        "ñ" | "ń" => "n",
        "ò" | "ó" | "ô" | "õ" | "ö" | "ø" => "o",
        "ù" | "ú" | "û" | "ü" | "ů" => "u",
        "ý" | "ÿ" => "y",
        "š" | "ś" => "s",
        "ž" | "ź" | "ż" => "z",
        "ß" => "ss",
        "ł" => "l",
        "а" => "a",
        "б" => "b",
        "в" => "v",
        "г" => "g",
        "д" => "d",
        "е" | "ё" | "э" => "e",
        "ж" => "zh",
        "з" => "z",
        "и" | "й" => "i",
        "к" => "k",
        "л" => "l",
        "м" => "m",
        "н" => "n",
        "о" => "o",
        "п" => "p",
        "р" => "r",
        "с" => "s",
        "т" => "t",
        "у" => "u",
        "ф" => "f",
        "х" => "kh",
        "ц" => "ts",
        "ч" => "ch",
        "ш" => "sh",
        "щ" => "shch",
        "ы" => "y",
        "ю" => "yu",
        "я" => "ya",
        "ъ" | "ь" => "",
        _ => return None,
    };
    Some(mapped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_valid_ids() {
        assert_eq!(
            slug("Analysts: Russian-Japanese relations show signs of thawing"),
            "analysts-russian-japanese-relations-show-signs-of-thawing"
        );
        assert_eq!(slug("Putin’s visit — “soon”"), "putins-visit-soon");
        assert_eq!(slug("Café à Genève"), "cafe-a-geneve");
        assert_eq!(slug("Лавров и Кисида"), "lavrov-i-kisida");
        assert_eq!(slug("東京"), "article");
        let long = slug(&"word ".repeat(40));
        assert!(long.len() <= 80 && !long.ends_with('-'), "{long}");
    }
}
