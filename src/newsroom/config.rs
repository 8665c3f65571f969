//! `news.toml`, the newsroom's settings (DESIGN.md §1), and the error type
//! for settings files that cannot be used.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::article::{Location, locate};
use crate::settings::ConfigError;
use crate::time::TimeZone;

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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    newsroom: NewsroomTable,
    #[serde(default)]
    defaults: DefaultsTable,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct NewsroomTable {
    name: String,
    source: Option<String>,
    timezone: Option<toml::Spanned<String>>,
    language: Option<String>,
    base_uri: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DefaultsTable {
    #[serde(default)]
    disclaimer: BTreeMap<String, String>,
}

impl Config {
    /// Reads `news.toml` text; `path` is only for messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let file: ConfigFile =
            toml::from_str(text).map_err(|error| ConfigError::toml(path, text, &error))?;
        let newsroom = file.newsroom;
        let timezone = match newsroom.timezone {
            Some(zone) => {
                zone.get_ref()
                    .parse()
                    .map_err(|error: crate::time::UnknownTimeZone| {
                        let Location { line, column, .. } = locate(text, &zone.span());
                        ConfigError::Syntax {
                            path: path.to_owned(),
                            line,
                            column,
                            message: format!("`newsroom.timezone`: {error}"),
                        }
                    })?
            }
            None => TimeZone::default(),
        };
        Ok(Config {
            name: newsroom.name,
            source: newsroom.source,
            timezone,
            language: newsroom.language.unwrap_or_else(|| "en".to_owned()),
            base_uri: newsroom.base_uri,
            disclaimers: file.defaults.disclaimer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn locates_a_bad_time_zone_and_an_unknown_key() {
        let text = "[newsroom]\nname = \"X\"\ntimezone = \"Mars/Olympus\"\n";
        let error = Config::parse(text, Path::new("news.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("news.toml:3:12: `newsroom.timezone`"),
            "{error}"
        );
        let text = "[newsroom]\nname = \"X\"\ntimzone = \"UTC\"\n";
        let error = Config::parse(text, Path::new("news.toml"))
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("news.toml:3:1:"), "{error}");
        assert!(error.contains("timzone"), "{error}");
    }
}
