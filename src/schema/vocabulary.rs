//! The controlled tag vocabulary, `schema/tags.toml` (DESIGN.md §1).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::suggest::did_you_mean;
use crate::settings::ConfigError;

/// Tag names and the aliases accepted for them.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    names: Vec<String>,
    /// Every accepted spelling (names and aliases) to its name's index.
    accepted: HashMap<String, usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TagsFile {
    #[serde(default)]
    tag: Vec<TagEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TagEntry {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
}

impl Vocabulary {
    /// Reads a `tags.toml`; `path` is only for messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let file: TagsFile =
            toml::from_str(text).map_err(|error| ConfigError::toml(path, text, &error))?;
        let mut vocabulary = Vocabulary::default();
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
