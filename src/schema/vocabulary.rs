//! The controlled tag vocabulary, `schema/tags.toml` (DESIGN.md §1).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use toml::de::DeTable;

use super::suggest::did_you_mean;
use crate::settings::{ConfigError, Known, UnknownSetting, unknown_keys};

/// Tag names and the aliases accepted for them.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    names: Vec<String>,
    /// Every accepted spelling (names and aliases) to its name's index.
    accepted: HashMap<String, usize>,
    /// Keys of the file this version does not know, which it ignores.
    warnings: Vec<UnknownSetting>,
}

/// The keys of tags.toml this version knows; others are warnings (see
/// `newsroom::Config`).
const KNOWN: &[(&str, Known)] = &[(
    "tag",
    Known::Tables(&[
        ("name", Known::Value),
        ("aliases", Known::Value),
        ("uri", Known::Value),
    ]),
)];

#[derive(Deserialize)]
struct TagsFile {
    #[serde(default)]
    tag: Vec<TagEntry>,
}

#[derive(Deserialize)]
struct TagEntry {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    /// A concept URI, for exports; read so that its type is checked.
    #[serde(default, rename = "uri")]
    _uri: Option<String>,
}

impl Vocabulary {
    /// Reads a `tags.toml`; `path` is only for messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let toml_error = |error: toml::de::Error| ConfigError::toml(path, text, &error);
        let table = DeTable::parse(text).map_err(toml_error)?;
        let warnings = unknown_keys(text, path, table.get_ref(), KNOWN);
        let file =
            TagsFile::deserialize(toml::de::Deserializer::from(table)).map_err(toml_error)?;
        let mut vocabulary = Vocabulary {
            warnings,
            ..Vocabulary::default()
        };
        for entry in file.tag {
            let index = vocabulary.names.len();
            for spelling in std::iter::once(&entry.name).chain(&entry.aliases) {
                if let Some(&other) = vocabulary.accepted.get(spelling) {
                    return Err(ConfigError::Invalid {
                        path: path.to_owned(),
                        message: format!(
                            "`{spelling}` is given for both `{}` and `{}`",
                            vocabulary.names[other], entry.name
                        ),
                    });
                }
                vocabulary.accepted.insert(spelling.clone(), index);
            }
            vocabulary.names.push(entry.name);
        }
        Ok(vocabulary)
    }

    /// The tag's name, when `tag` is a name or an alias.
    pub fn resolve(&self, tag: &str) -> Option<&str> {
        self.accepted
            .get(tag)
            .map(|&index| self.names[index].as_str())
    }

    /// The tag's name, when `tag` is a name or an alias in any case.
    pub fn resolve_ignoring_case(&self, tag: &str) -> Option<&str> {
        self.resolve(tag).or_else(|| {
            self.accepted
                .iter()
                .find(|(accepted, _)| accepted.to_lowercase() == tag.to_lowercase())
                .map(|(_, &index)| self.names[index].as_str())
        })
    }

    /// The accepted spelling nearest to `tag`, written as its name.
    pub fn suggest(&self, tag: &str) -> Option<&str> {
        let nearest = did_you_mean(tag, self.accepted.keys().map(String::as_str))?;
        self.resolve(nearest)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// Keys of the file this version does not know, which it ignores.
    pub fn warnings(&self) -> &[UnknownSetting] {
        &self.warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAGS: &str = r#"
[[tag]]
name = "Kuril Islands"
aliases = ["Kurils", "South Kurils"]

[[tag]]
name = "Japan"
"#;

    #[test]
    fn accepts_names_and_aliases_and_suggests_names() {
        let vocabulary = Vocabulary::parse(TAGS, Path::new("tags.toml")).unwrap();
        assert_eq!(vocabulary.resolve("Kurils"), Some("Kuril Islands"));
        assert_eq!(vocabulary.resolve("Japan"), Some("Japan"));
        assert_eq!(vocabulary.resolve("japan"), None);
        assert_eq!(vocabulary.suggest("japan"), Some("Japan"));
        assert_eq!(vocabulary.suggest("South Kuril"), Some("Kuril Islands"));
    }

    #[test]
    fn warns_of_unknown_keys_and_reads_the_rest() {
        let text = "colour = \"red\"\n[[tag]]\nname = \"A\"\nuri = \"http://example.com/a\"\n[[tag]]\nname = \"B\"\nalias = [\"C\"]\n";
        let vocabulary = Vocabulary::parse(text, Path::new("tags.toml")).unwrap();
        let warnings: Vec<String> = vocabulary
            .warnings()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            warnings,
            [
                "tags.toml:1:1: unknown key `colour`, ignored",
                "tags.toml:7:1: unknown key `alias` in [[tag]], ignored; did you mean `aliases`?",
            ]
        );
        assert_eq!(vocabulary.warnings()[1].field.to_string(), "tag[1].alias");
        assert_eq!(vocabulary.resolve("B"), Some("B"));
        let error = Vocabulary::parse("[[tag]]\nname = \"A\"\nuri = 3\n", Path::new("tags.toml"))
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("tags.toml:3:7:"), "{error}");
    }

    #[test]
    fn the_default_vocabulary_has_no_unknown_keys() {
        let vocabulary =
            Vocabulary::parse(crate::schema::DEFAULT_TAGS, Path::new("tags.toml")).unwrap();
        assert_eq!(vocabulary.warnings(), []);
    }

    #[test]
    fn refuses_a_spelling_given_for_two_tags() {
        let text = "[[tag]]\nname = \"A\"\naliases = [\"B\"]\n[[tag]]\nname = \"B\"\n";
        let error = Vocabulary::parse(text, Path::new("tags.toml")).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("`B` is given for both `A` and `B`")
        );
    }
}
