//! The controlled tag vocabulary, `schema/tags.toml` (DESIGN.md §1).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use toml::de::DeTable;

use super::suggest::did_you_mean;
use crate::article::{keep_comments_above, remove_value};
use crate::settings::{ConfigError, Known, UnknownSetting, unknown_keys};

/// Tag names and the aliases accepted for them.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    tags: Vec<Tag>,
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
    tag: Vec<RawTag>,
}

/// A `[[tag]]` as read, with where its spellings are in the file.
#[derive(Deserialize)]
struct RawTag {
    name: toml::Spanned<String>,
    #[serde(default)]
    aliases: Vec<toml::Spanned<String>>,
    #[serde(default)]
    uri: Option<String>,
}

/// One `[[tag]]` of the vocabulary.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Tag {
    pub name: String,
    /// Other spellings accepted on input, written as `name`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A concept URI, for exports.
    #[serde(default)]
    pub uri: Option<String>,
}

impl Tag {
    /// Its name, then its aliases.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
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
        // One rule everywhere: two spellings that differ only in case are
        // the same spelling, as input resolves them.
        let mut seen: HashMap<String, usize> = HashMap::new();
        for raw in file.tag {
            let index = vocabulary.tags.len();
            let entry = Tag {
                name: raw.name.get_ref().clone(),
                aliases: raw
                    .aliases
                    .iter()
                    .map(|alias| alias.get_ref().clone())
                    .collect(),
                uri: raw.uri,
            };
            for spelling in std::iter::once(&raw.name).chain(&raw.aliases) {
                let text_of = spelling.get_ref();
                let key = text_of.to_lowercase();
                let other = seen.get(&key).copied();
                let other_tag = match other {
                    Some(other) if other == index => Some(&entry),
                    Some(other) => vocabulary.tags.get(other),
                    None => None,
                };
                if let Some(other_tag) = other_tag {
                    let location = crate::article::locate(text, &spelling.span());
                    return Err(ConfigError::Syntax {
                        path: path.to_owned(),
                        line: location.line,
                        column: location.column,
                        message: match other_tag.name == entry.name && other == Some(index) {
                            true => format!(
                                "`{text_of}` is given twice for the tag `{}` (spellings are told apart in any case); remove one",
                                entry.name
                            ),
                            false => format!(
                                "`{text_of}` is already a name or alias of the tag `{}` (spellings are told apart in any case); give it to one tag only",
                                other_tag.name
                            ),
                        },
                    });
                }
                seen.insert(key, index);
                vocabulary.accepted.insert(text_of.clone(), index);
            }
            vocabulary.tags.push(entry);
        }
        Ok(vocabulary)
    }

    /// The tag's name, when `tag` is a name or an alias.
    pub fn resolve(&self, tag: &str) -> Option<&str> {
        self.accepted
            .get(tag)
            .map(|&index| self.tags[index].name.as_str())
    }

    /// The tag's name, when `tag` is a name or an alias in any case.
    pub fn resolve_ignoring_case(&self, tag: &str) -> Option<&str> {
        self.resolve(tag).or_else(|| {
            self.accepted
                .iter()
                .find(|(accepted, _)| accepted.to_lowercase() == tag.to_lowercase())
                .map(|(_, &index)| self.tags[index].name.as_str())
        })
    }

    /// The tag whose name or one of whose aliases is `spelling` in any
    /// case: what a new name or alias would be confused with.
    pub fn colliding(&self, spelling: &str) -> Option<&Tag> {
        let wanted = spelling.to_lowercase();
        self.tags
            .iter()
            .find(|tag| tag.spellings().any(|known| known.to_lowercase() == wanted))
    }

    /// The tag named `name` (in any case; not an alias).
    pub fn named(&self, name: &str) -> Option<&Tag> {
        self.tags.iter().find(|tag| tag.name == name).or_else(|| {
            self.tags
                .iter()
                .find(|tag| tag.name.to_lowercase() == name.to_lowercase())
        })
    }

    /// Every tag, in the file's order.
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// The accepted spelling nearest to `tag`, written as its name.
    pub fn suggest(&self, tag: &str) -> Option<&str> {
        let nearest = did_you_mean(tag, self.accepted.keys().map(String::as_str))?;
        self.resolve(nearest)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(|tag| tag.name.as_str())
    }

    /// Keys of the file this version does not know, which it ignores.
    pub fn warnings(&self) -> &[UnknownSetting] {
        &self.warnings
    }
}

/// A `tags.toml`'s text, open for changes that keep its comments, order
/// and layout (toml_edit); [`Vocabulary::parse`] reads the result.
pub struct VocabularyEditor {
    document: toml_edit::DocumentMut,
}

impl VocabularyEditor {
    /// Opens a `tags.toml` whose `[[tag]]` entries can be edited; `path`
    /// is only for messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_owned(),
            message,
        };
        let document = text
            .parse::<toml_edit::DocumentMut>()
            .map_err(|error| invalid(error.message().trim_end().to_owned()))?;
        match document.get("tag") {
            None | Some(toml_edit::Item::ArrayOfTables(_)) => Ok(Self { document }),
            Some(_) => Err(invalid(
                "`tag` is not written as [[tag]] tables; news edits only those".to_owned(),
            )),
        }
    }

    fn entries(&mut self) -> &mut toml_edit::ArrayOfTables {
        if self.document.get("tag").is_none() {
            self.document
                .insert("tag", toml_edit::Item::ArrayOfTables(Default::default()));
        }
        self.document
            .get_mut("tag")
            .and_then(toml_edit::Item::as_array_of_tables_mut)
            .expect("`tag` is an array of tables (checked when opened)")
    }

    fn index_of(&mut self, name: &str) -> Option<usize> {
        self.entries()
            .iter()
            .position(|entry| entry.get("name").and_then(toml_edit::Item::as_str) == Some(name))
    }

    /// Adds a `[[tag]]` after the last one.
    pub fn add(&mut self, name: &str, aliases: &[String]) {
        let mut entry = toml_edit::Table::new();
        entry.insert("name", toml_edit::value(name));
        if !aliases.is_empty() {
            entry.insert(
                "aliases",
                toml_edit::value(toml_edit::Array::from_iter(aliases)),
            );
        }
        self.entries().push(entry);
    }

    /// Removes the `[[tag]]` named `name`; whether it was there. The
    /// comments above it (`# Places`, heading a group of tags) stay: above
    /// the tag that follows, or at the end of the file.
    pub fn remove(&mut self, name: &str) -> bool {
        let Some(index) = self.index_of(name) else {
            return false;
        };
        let entries = self.entries();
        let removed = entries.remove(index);
        let next = entries.get(index).and_then(toml_edit::Table::position);
        keep_comments_above(&mut self.document, &removed, next);
        true
    }

    /// Renames the tag `old` to `new`; `old` becomes one of its aliases
    /// when `keep_alias`. `new`, if it was an alias of the tag, is one no
    /// longer. Whether `old` was there.
    pub fn rename(&mut self, old: &str, new: &str, keep_alias: bool) -> bool {
        let Some(index) = self.index_of(old) else {
            return false;
        };
        let Some(entry) = self.entries().get_mut(index) else {
            return false;
        };
        if let Some(toml_edit::Item::Value(name)) = entry.get_mut("name") {
            let decor = name.decor().clone();
            *name = toml_edit::Value::from(new);
            *name.decor_mut() = decor;
        }
        drop_alias(entry, new);
        // A new name that differs only in case is the old spelling still:
        // not an alias of itself.
        if keep_alias && old.to_lowercase() != new.to_lowercase() {
            add_aliases(entry, &[old.to_owned()]);
        }
        true
    }

    /// Removes the tag `from` and, when `keep_alias`, gives `into` its
    /// name and aliases as aliases. Whether both were there.
    pub fn merge(&mut self, from: &str, into: &str, keep_alias: bool) -> bool {
        let (Some(from_index), Some(into_index)) = (self.index_of(from), self.index_of(into))
        else {
            return false;
        };
        let spellings: Vec<String> = {
            let aliases = self
                .entries()
                .get(from_index)
                .and_then(|entry| entry.get("aliases"))
                .and_then(toml_edit::Item::as_array)
                .map(|aliases| {
                    aliases
                        .iter()
                        .filter_map(|alias| alias.as_str().map(str::to_owned))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            std::iter::once(from.to_owned()).chain(aliases).collect()
        };
        if keep_alias && let Some(entry) = self.entries().get_mut(into_index) {
            add_aliases(entry, &spellings);
        }
        self.remove(from)
    }
}

/// Takes `alias` (in any case) out of the entry's aliases, if it is one;
/// the aliases left keep the array's layout (`["A", "B"]` without `"A"`
/// is `["B"]`).
fn drop_alias(entry: &mut toml_edit::Table, alias: &str) {
    let wanted = alias.to_lowercase();
    if let Some(aliases) = entry
        .get_mut("aliases")
        .and_then(toml_edit::Item::as_array_mut)
    {
        let dropped = |aliases: &toml_edit::Array| {
            aliases
                .iter()
                .position(|known| known.as_str().map(str::to_lowercase) == Some(wanted.clone()))
        };
        while let Some(index) = dropped(aliases) {
            remove_value(aliases, index);
        }
    }
}

/// Adds `new` to the entry's aliases (made when missing), after those it
/// has.
fn add_aliases(entry: &mut toml_edit::Table, new: &[String]) {
    match entry
        .get_mut("aliases")
        .and_then(toml_edit::Item::as_array_mut)
    {
        Some(aliases) => {
            for alias in new {
                if !aliases.iter().any(|known| known.as_str() == Some(alias)) {
                    aliases.push(alias.as_str());
                }
            }
        }
        None => {
            entry.insert(
                "aliases",
                toml_edit::value(toml_edit::Array::from_iter(new)),
            );
        }
    }
}

impl std::fmt::Display for VocabularyEditor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.document)
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
        assert_eq!(
            error.to_string(),
            "tags.toml:5:8: `B` is already a name or alias of the tag `A` (spellings are told apart in any case); give it to one tag only"
        );
        // In any case, as input resolves them; and twice in one tag.
        let text =
            "[[tag]]\nname = \"Nippon\"\naliases = [\"russia\"]\n[[tag]]\nname = \"Russia\"\n";
        let error = Vocabulary::parse(text, Path::new("tags.toml")).unwrap_err();
        assert!(
            error.to_string().starts_with(
                "tags.toml:5:8: `Russia` is already a name or alias of the tag `Nippon`"
            ),
            "{error}"
        );
        let text = "[[tag]]\nname = \"China\"\naliases = [\"china\"]\n";
        let error = Vocabulary::parse(text, Path::new("tags.toml")).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("tags.toml:3:12: `china` is given twice for the tag `China`"),
            "{error}"
        );
    }

    #[test]
    fn renames_to_a_case_variant_without_an_alias_of_itself() {
        let text = edited(|editor| editor.rename("Japan", "JAPAN", true));
        assert!(text.ends_with("[[tag]]\nname = \"JAPAN\"\n"), "{text}");
        let text = edited(|editor| editor.rename("Kuril Islands", "Kurils", true));
        assert!(
            text.contains("name = \"Kurils\"\naliases = [\"South Kurils\", \"Kuril Islands\"]\n"),
            "{text}"
        );
    }

    const FILE: &str = "# The vocabulary.\n\n# Topics\n[[tag]]\nname = \"Politics\"\n\n[[tag]]\nname = \"Diplomacy\"  # relations\naliases = [\"Foreign Policy\"]\n\n# Places\n[[tag]]\nname = \"Kuril Islands\"\naliases = [\"Kurils\", \"South Kurils\"]\n\n[[tag]]\nname = \"Japan\"\n";

    fn edited(change: impl FnOnce(&mut VocabularyEditor) -> bool) -> String {
        let mut editor = VocabularyEditor::parse(FILE, Path::new("tags.toml")).unwrap();
        assert!(change(&mut editor));
        let text = editor.to_string();
        Vocabulary::parse(&text, Path::new("tags.toml")).unwrap();
        text
    }

    #[test]
    fn adds_a_tag_after_the_last() {
        let text = edited(|editor| {
            editor.add("Arctic", &["North Pole".to_owned()]);
            true
        });
        assert_eq!(
            text,
            format!("{FILE}\n[[tag]]\nname = \"Arctic\"\naliases = [\"North Pole\"]\n")
        );
    }

    #[test]
    fn removes_a_tag_keeping_the_comment_above_it() {
        let text = edited(|editor| editor.remove("Kuril Islands"));
        assert_eq!(
            text,
            "# The vocabulary.\n\n# Topics\n[[tag]]\nname = \"Politics\"\n\n[[tag]]\nname = \"Diplomacy\"  # relations\naliases = [\"Foreign Policy\"]\n\n# Places\n[[tag]]\nname = \"Japan\"\n"
        );
        let text = edited(|editor| editor.remove("Politics"));
        assert!(
            text.starts_with(
                "# The vocabulary.\n\n# Topics\n[[tag]]\nname = \"Diplomacy\"  # relations\n"
            ),
            "{text}"
        );
        let mut editor = VocabularyEditor::parse(FILE, Path::new("tags.toml")).unwrap();
        assert!(!editor.remove("Arctic"));
    }

    #[test]
    fn removes_the_last_tag_of_a_group_keeping_its_heading() {
        let file = format!(
            "{FILE}\n# Organisations\n[[tag]]\nname = \"United Nations\"\naliases = [\"UN\"]\n"
        );
        let mut editor = VocabularyEditor::parse(&file, Path::new("tags.toml")).unwrap();
        assert!(editor.remove("United Nations"));
        assert_eq!(editor.to_string(), format!("{FILE}\n# Organisations\n"));
        // A group's only tag, with a group after it.
        assert!(editor.remove("Japan"));
        assert!(editor.remove("Kuril Islands"));
        assert_eq!(
            editor.to_string(),
            "# The vocabulary.\n\n# Topics\n[[tag]]\nname = \"Politics\"\n\n[[tag]]\nname = \"Diplomacy\"  # relations\naliases = [\"Foreign Policy\"]\n\n# Places\n\n# Organisations\n"
        );
        let text = editor.to_string();
        let vocabulary = Vocabulary::parse(&text, Path::new("tags.toml")).unwrap();
        assert_eq!(vocabulary.names().count(), 2);
    }

    #[test]
    fn drops_an_alias_keeping_the_comments_of_the_others() {
        let file = "[[tag]]\nname = \"Japan\"\naliases = [\n  \"Nippon\",  # in Japanese\n  \"Nihon\",  # also\n  \"JP\",\n]\n";
        let mut editor = VocabularyEditor::parse(file, Path::new("tags.toml")).unwrap();
        assert!(editor.rename("Japan", "Nihon", false));
        assert_eq!(
            editor.to_string(),
            "[[tag]]\nname = \"Nihon\"\naliases = [\n  \"Nippon\",  # in Japanese\n  \"JP\",\n]\n"
        );
    }

    #[test]
    fn renames_a_tag_keeping_the_old_name_as_an_alias() {
        let text = edited(|editor| editor.rename("Diplomacy", "Foreign Policy", true));
        assert!(
            text.contains("name = \"Foreign Policy\"  # relations\naliases = [\"Diplomacy\"]\n"),
            "{text}"
        );
        let text = edited(|editor| editor.rename("Japan", "Nippon", false));
        assert!(text.ends_with("[[tag]]\nname = \"Nippon\"\n"), "{text}");
        let text = edited(|editor| editor.rename("Japan", "Nippon", true));
        assert!(
            text.ends_with("[[tag]]\nname = \"Nippon\"\naliases = [\"Japan\"]\n"),
            "{text}"
        );
    }

    #[test]
    fn merges_a_tag_into_another() {
        let text = edited(|editor| editor.merge("Kuril Islands", "Japan", true));
        assert!(
            text.ends_with(
                "# Places\n[[tag]]\nname = \"Japan\"\naliases = [\"Kuril Islands\", \"Kurils\", \"South Kurils\"]\n"
            ),
            "{text}"
        );
        let text = edited(|editor| editor.merge("Kuril Islands", "Japan", false));
        assert!(
            text.ends_with("# Places\n[[tag]]\nname = \"Japan\"\n"),
            "{text}"
        );
    }

    #[test]
    fn finds_collisions_in_any_case() {
        let vocabulary = Vocabulary::parse(TAGS, Path::new("tags.toml")).unwrap();
        assert_eq!(
            vocabulary.colliding("kurils").map(|tag| tag.name.as_str()),
            Some("Kuril Islands")
        );
        assert_eq!(
            vocabulary.colliding("JAPAN").map(|tag| tag.name.as_str()),
            Some("Japan")
        );
        assert!(vocabulary.colliding("Arctic").is_none());
    }
}
