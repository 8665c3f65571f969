//! `news.toml`, the newsroom's settings (DESIGN.md §1), and the error type
//! for settings files that cannot be used.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::article::{Location, locate};
use crate::settings::{ConfigError, Known, UnknownSetting, unknown_keys};
use crate::time::TimeZone;

/// The version of news this is, as `min-version` is compared with.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The settings of `news.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub name: String,
    /// The default dateline source.
    pub source: Option<String>,
    pub timezone: TimeZone,
    pub language: String,
    /// Exports: an article's uri is base-uri + id.
    pub base_uri: Option<String>,
    /// Disclaimers `news new` fills in, by genre.
    pub disclaimers: BTreeMap<String, String>,
    /// Keys this version does not know, which it ignores.
    pub warnings: Vec<UnknownSetting>,
}

/// The keys of news.toml this version knows; others are warnings, so that
/// a news.toml written for a newer news still works with this one (the
/// newer one sets `min-version` where that would be wrong).
const KNOWN: &[(&str, Known)] = &[
    ("min-version", Known::Value),
    (
        "newsroom",
        Known::Table(&[
            ("name", Known::Value),
            ("source", Known::Value),
            ("timezone", Known::Value),
            ("language", Known::Value),
            ("base-uri", Known::Value),
        ]),
    ),
    ("defaults", Known::Table(&[("disclaimer", Known::Value)])),
];

#[derive(Deserialize)]
#[serde(expecting = "the settings of a newsroom")]
struct ConfigFile {
    newsroom: NewsroomTable,
    #[serde(default)]
    defaults: DefaultsTable,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "kebab-case",
    expecting = "a table: [newsroom] with name = \"…\""
)]
struct NewsroomTable {
    name: String,
    source: Option<String>,
    timezone: Option<toml::Spanned<String>>,
    language: Option<toml::Spanned<String>>,
    base_uri: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(expecting = "a table: [defaults]")]
struct DefaultsTable {
    #[serde(default)]
    disclaimer: BTreeMap<String, String>,
}

impl Config {
    /// Reads `news.toml` text; `path` is only for messages. Settings that
    /// need a newer news (`min-version`) are refused before anything else
    /// is read: what a newer news wrote may mean something else to this one.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let toml_error = |error: toml::de::Error| ConfigError::toml(path, text, &error);
        let table = DeTable::parse(text).map_err(toml_error)?;
        check_min_version(table.get_ref(), text, path)?;
        let warnings = unknown_keys(text, path, table.get_ref(), KNOWN);
        let file =
            ConfigFile::deserialize(toml::de::Deserializer::from(table)).map_err(toml_error)?;
        let newsroom = file.newsroom;
        let timezone = match newsroom.timezone {
            Some(zone) => {
                zone.get_ref()
                    .parse()
                    .map_err(|error: crate::time::UnknownTimeZone| {
                        wrong_value(
                            path,
                            text,
                            &zone.span(),
                            format!("`newsroom.timezone`: {error}"),
                        )
                    })?
            }
            None => TimeZone::default(),
        };
        let language = match newsroom.language {
            Some(language) if is_language_tag(language.get_ref()) => language.into_inner(),
            Some(language) => {
                return Err(wrong_value(
                    path,
                    text,
                    &language.span(),
                    format!(
                        "`newsroom.language` {:?} is not a BCP 47 language tag such as `en`, `ru` or `pt-BR`",
                        language.get_ref()
                    ),
                ));
            }
            None => "en".to_owned(),
        };
        Ok(Config {
            name: newsroom.name,
            source: newsroom.source,
            timezone,
            language,
            base_uri: newsroom.base_uri,
            disclaimers: file.defaults.disclaimer,
            warnings,
        })
    }
}

/// A setting of news.toml (`text`, at `path`) whose value, at `span`, is
/// wrong: `message` says how.
fn wrong_value(
    path: &Path,
    text: &str,
    span: &std::ops::Range<usize>,
    message: String,
) -> ConfigError {
    let Location { line, column, .. } = locate(text, span);
    ConfigError::Syntax {
        path: path.to_owned(),
        line,
        column,
        message,
    }
}

/// Whether `tag` has the shape of a BCP 47 language tag, as the default
/// schema's `language` rule has it: a language of 2–3 letters, then an
/// optional script (4 letters), region (2 letters or 3 digits) and
/// variants (5–8 letters and digits, or a digit and 3 more).
fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-').peekable();
    let letters = |subtag: &str, lengths: std::ops::RangeInclusive<usize>| {
        lengths.contains(&subtag.len()) && subtag.bytes().all(|byte| byte.is_ascii_alphabetic())
    };
    if !subtags
        .next()
        .is_some_and(|language| letters(language, 2..=3))
    {
        return false;
    }
    subtags.next_if(|script| letters(script, 4..=4));
    subtags.next_if(|region| {
        letters(region, 2..=2) || (region.len() == 3 && region.bytes().all(|b| b.is_ascii_digit()))
    });
    subtags.all(|variant| {
        let alphanumeric = variant.bytes().all(|byte| byte.is_ascii_alphanumeric());
        alphanumeric
            && ((5..=8).contains(&variant.len())
                || (variant.len() == 4 && variant.as_bytes()[0].is_ascii_digit()))
    })
}

/// Refuses settings whose top-level `min-version` is newer than this news.
fn check_min_version(table: &DeTable<'_>, text: &str, path: &Path) -> Result<(), ConfigError> {
    let Some(value) = table.get("min-version") else {
        return Ok(());
    };
    let Location { line, column, .. } = locate(text, &value.span());
    let DeValue::String(needed) = value.get_ref() else {
        return Err(not_a_version(path, line, column));
    };
    let parts = parse_version(needed).ok_or_else(|| not_a_version(path, line, column))?;
    if parts > running_version() {
        return Err(ConfigError::TooOld {
            path: path.to_owned(),
            line,
            column,
            needed: needed.to_string(),
            running: VERSION,
        });
    }
    Ok(())
}

fn not_a_version(path: &Path, line: usize, column: usize) -> ConfigError {
    ConfigError::Syntax {
        path: path.to_owned(),
        line,
        column,
        message: "`min-version`: expected a version of news such as \"0.3\" or \"0.3.1\""
            .to_owned(),
    }
}

/// `MAJOR[.MINOR[.PATCH]]` as three numbers, the missing ones zero.
fn parse_version(text: &str) -> Option<[u64; 3]> {
    let mut parts = [0; 3];
    for (index, part) in text.split('.').enumerate() {
        if index == 3 || part.is_empty() || !part.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        parts[index] = part.parse().ok()?;
    }
    Some(parts)
}

fn running_version() -> [u64; 3] {
    let number = |text: &str| text.parse().unwrap_or(0);
    [
        number(env!("CARGO_PKG_VERSION_MAJOR")),
        number(env!("CARGO_PKG_VERSION_MINOR")),
        number(env!("CARGO_PKG_VERSION_PATCH")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_have_the_default_schemas_shape() {
        for good in [
            "en",
            "ru",
            "pt-BR",
            "zh-Hant",
            "zh-Hant-TW",
            "es-419",
            "de-CH-1901",
            "sl-rozaj",
        ] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in [
            "",
            "e",
            "english",
            "not a language!!",
            "en-",
            "en--GB",
            "en-G",
            "pt_BR",
            "de-CH-19",
        ] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn reads_the_design_example() {
        let text = r#"
[newsroom]
name = "TASS"
source = "TASS"
timezone = "Europe/Moscow"
language = "en"
base-uri = "https://tass.com/"

[defaults.disclaimer]
opinion = "TASS may not share the opinions of its contributors"
"#;
        let config = Config::parse(text, Path::new("news.toml")).unwrap();
        assert_eq!(config.name, "TASS");
        assert_eq!(config.timezone.to_string(), "Europe/Moscow");
        assert_eq!(config.base_uri.as_deref(), Some("https://tass.com/"));
        assert_eq!(
            config.disclaimers["opinion"],
            "TASS may not share the opinions of its contributors"
        );
    }

    #[test]
    fn locates_a_bad_time_zone_and_a_value_of_the_wrong_type() {
        let text = "[newsroom]\nname = \"X\"\ntimezone = \"Mars/Olympus\"\n";
        let error = Config::parse(text, Path::new("news.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("news.toml:3:12: `newsroom.timezone`"),
            "{error}"
        );
        let text = "[newsroom]\nname = \"X\"\nlanguage = 3\n";
        let error = Config::parse(text, Path::new("news.toml"))
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("news.toml:3:12:"), "{error}");
    }

    #[test]
    fn warns_of_unknown_keys_with_the_nearest_known_one() {
        let text = "min-version = \"0.1\"\n[newsroom]\nname = \"X\"\ntimzone = \"UTC\"\nmin-version = \"9\"\n[defaults]\nbyline = \"TASS\"\n[archive]\nkeep = true\n";
        let config = Config::parse(text, Path::new("news.toml")).unwrap();
        let warnings: Vec<String> = config.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "news.toml:4:1: unknown key `timzone` in [newsroom], ignored; did you mean `timezone`?",
                "news.toml:5:1: unknown key `min-version` in [newsroom], ignored; `min-version` belongs at the top of the file, before any [table]",
                "news.toml:7:1: unknown key `byline` in [defaults], ignored",
                "news.toml:8:2: unknown key `archive`, ignored",
            ]
        );
        assert_eq!(config.warnings[0].field.to_string(), "newsroom.timzone");
        assert_eq!(config.warnings[0].source_line, "timzone = \"UTC\"");
    }

    #[test]
    fn compares_min_version_by_numbers() {
        assert_eq!(parse_version("0.3"), Some([0, 3, 0]));
        assert_eq!(parse_version("0.10.2"), Some([0, 10, 2]));
        assert!(parse_version("0.10") > parse_version("0.9"));
        for bad in ["", "0.", "v1", "1.2.3.4", "1.2-beta", " 1"] {
            assert_eq!(parse_version(bad), None, "{bad}");
        }
        let newer = "min-version = \"999.0\"\n[newsroom]\nname = \"X\"\n";
        let error = Config::parse(newer, Path::new("news.toml"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            format!(
                "news.toml:1:15: this newsroom needs news 999.0 or later; this is news {VERSION}"
            )
        );
        let older = "min-version = \"0.0.1\"\n[newsroom]\nname = \"X\"\n";
        assert!(Config::parse(older, Path::new("news.toml")).is_ok());
        let wrong = "min-version = 3\n[newsroom]\nname = \"X\"\n";
        let error = Config::parse(wrong, Path::new("news.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("news.toml:1:15: `min-version`"),
            "{error}"
        );
    }
}
