//! Topic tags: `news tag` adds and removes them on articles, `news tags`
//! keeps the vocabulary of `schema/tags.toml` (DESIGN §1, §4). Each is one
//! commit, changing only the `tags` lines of records and the vocabulary's
//! entry.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml_edit::Value;

use super::{Action, Desk, DeskError, Saved, SettingsChange, Snapshot};
use crate::article::{FieldPath, Record, RecordEditor};
use crate::schema::{Schema, TAGS_PATH, Tag, Vocabulary, VocabularyEditor, did_you_mean};

/// One change `news tag` makes, in the order given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagEdit {
    /// `+TAG`, `--add TAG`.
    Add(String),
    /// `-TAG`, `--remove TAG`.
    Remove(String),
}

/// How a tag is used: a tag of the vocabulary, or one in use outside it.
#[derive(Clone, Debug)]
pub struct TagCount {
    pub tag: Tag,
    /// The articles that carry it (by its name or an alias).
    pub count: usize,
}

/// The tags of a newsroom with their counts.
#[derive(Clone, Debug)]
pub struct TagUsage {
    /// Whether the newsroom has a vocabulary (`schema/tags.toml`); without
    /// one any tag goes.
    pub controlled: bool,
    /// The vocabulary's tags in its order; without one, the tags in use.
    pub tags: Vec<TagCount>,
    /// Tags in use that the vocabulary does not know (`news validate`
    /// reports them), by name.
    pub unknown: Vec<TagCount>,
    /// Records that could not be read, and are not counted.
    pub unreadable: usize,
}

/// A tag change resolved against the vocabulary: what to add, as its
/// name; which spellings to remove.
enum Resolved {
    Add(String),
    Remove(Vec<String>),
}

/// The `tags` field of a record.
fn tags_field() -> FieldPath {
    FieldPath::root().key("tags")
}

/// What `news tag` did: the commit (none: the tags were as asked), and
/// what it warns about (a tag to remove that is nowhere).
#[derive(Debug)]
pub struct Tagged {
    pub saved: Option<Saved>,
    pub warnings: Vec<String>,
}

impl Desk {
    /// The vocabulary file as committed, which must be clean (as the work
    /// tree has it): its text and what it says (none: any tag goes).
    /// Records are checked against the committed vocabulary, so one with
    /// changes of its own is refused, naming it.
    fn vocabulary_file(&self) -> Result<Option<(String, Vocabulary)>, DeskError> {
        let path = self.newsroom.root().join(TAGS_PATH);
        let Some(bytes) = self
            .repo
            .read_clean(&self.repo_path(Path::new(TAGS_PATH)))
            .map_err(|error| self.named(error))?
        else {
            return Ok(None);
        };
        // Read the safe way (no link, not too large) as the settings are.
        let Some(text) = crate::settings::read_setting(&path, self.newsroom.root())? else {
            return Ok(None);
        };
        if text.as_bytes() != bytes {
            return Err(DeskError::ChangedMeanwhile {
                path: self.shown(Path::new(TAGS_PATH)),
            });
        }
        let vocabulary = Vocabulary::parse(&text, &path)?;
        Ok(Some((text, vocabulary)))
    }

    /// The vocabulary file as `edit` leaves it, and the schema that checks
    /// records against it.
    fn edit_vocabulary(
        &self,
        text: &str,
        edit: impl FnOnce(&mut VocabularyEditor),
    ) -> Result<(String, Schema), DeskError> {
        let path = self.newsroom.root().join(TAGS_PATH);
        let mut editor = VocabularyEditor::parse(text, &path)?;
        edit(&mut editor);
        let after = editor.to_string();
        let vocabulary = Vocabulary::parse(&after, &path)?;
        Ok((after, self.schema().with_vocabulary(Some(vocabulary))))
    }

    /// Adds and removes tags on the articles `references` name (ids or
    /// paths), in one commit. A tag to add is written as the vocabulary
    /// names it; one the vocabulary does not know is refused, unless
    /// `add_new`: then it joins the vocabulary in the same commit. A tag
    /// to remove goes in any of its spellings. The tags are judged by the
    /// committed vocabulary; when another commit changes it before this
    /// one is made, this one is refused, to be run again.
    pub fn tag(
        &self,
        references: &[String],
        edits: &[TagEdit],
        add_new: bool,
        note: Option<&str>,
    ) -> Result<Tagged, DeskError> {
        self.repo.ready_to_commit()?;
        let mut stored: Vec<crate::snapshot::StoredArticle> = Vec::new();
        for reference in references {
            let found = self.article(reference)?;
            if !stored.iter().any(|known| known.path == found.path) {
                stored.push(found);
            }
        }
        let file = self.vocabulary_file()?;
        let vocabulary = file.as_ref().map(|(_, vocabulary)| vocabulary);
        let mut new_tags: Vec<String> = Vec::new();
        let mut resolved = Vec::new();
        for edit in edits {
            let (TagEdit::Add(tag) | TagEdit::Remove(tag)) = edit;
            let tag = tag.trim();
            if tag.is_empty() {
                return Err(DeskError::Refused(
                    "a tag cannot be empty: give +TAG or -TAG".to_owned(),
                ));
            }
            if matches!(edit, TagEdit::Add(_)) {
                plain_spelling(tag)?;
            }
            let known = vocabulary.and_then(|vocabulary| vocabulary.resolve_ignoring_case(tag));
            resolved.push(match (edit, vocabulary, known) {
                (TagEdit::Add(_), None, _) => Resolved::Add(tag.to_owned()),
                (TagEdit::Add(_), Some(_), Some(name)) => Resolved::Add(name.to_owned()),
                (TagEdit::Add(_), Some(vocabulary), None) => {
                    let spelt = |known: &String| same_spelling(known, tag);
                    if !add_new {
                        return Err(DeskError::UnknownTag {
                            tag: tag.to_owned(),
                            suggestion: vocabulary.suggest(tag).map(str::to_owned),
                        });
                    }
                    if !new_tags.iter().any(spelt) {
                        new_tags.push(tag.to_owned());
                    }
                    let name = new_tags.iter().find(|known| spelt(known));
                    Resolved::Add(name.cloned().unwrap_or_else(|| tag.to_owned()))
                }
                (TagEdit::Remove(_), Some(vocabulary), Some(name)) => Resolved::Remove(
                    vocabulary
                        .named(name)
                        .map(|known| known.spellings().map(str::to_owned).collect())
                        .unwrap_or_else(|| vec![name.to_owned()]),
                ),
                // A tag outside the vocabulary can still be removed: that
                // is the fix.
                (TagEdit::Remove(_), _, _) => Resolved::Remove(vec![tag.to_owned()]),
            });
        }
        // A tag both added and removed says two things.
        for change in &resolved {
            let Resolved::Add(name) = change else {
                continue;
            };
            let removed = resolved.iter().any(|other| match other {
                Resolved::Remove(spellings) => spellings.iter().any(|s| same_spelling(s, name)),
                Resolved::Add(_) => false,
            });
            if removed {
                return Err(DeskError::Refused(format!(
                    "the tag {name:?} is both added and removed; give it once, as +TAG or -TAG"
                )));
            }
        }
        let warnings = self.nowhere(&stored, edits, &resolved, vocabulary);
        let edited = match (&file, new_tags.is_empty()) {
            (Some((text, _)), false) => Some(self.edit_vocabulary(text, |editor| {
                for tag in &new_tags {
                    editor.add(tag, &[]);
                }
            })?),
            _ => None,
        };
        let unchanged = self.schema().with_vocabulary(vocabulary.cloned());
        let schema = edited.as_ref().map_or(&unchanged, |(_, schema)| schema);
        let settings = SettingsChange {
            path: Path::new(TAGS_PATH),
            before: file.as_ref().map(|(text, _)| text.as_str()),
            after: edited.as_ref().map(|(after, _)| after.as_str()),
            schema,
        };
        let paths: Vec<PathBuf> = stored.into_iter().map(|known| known.path).collect();
        let saved = self.commit_records(
            Action::Tag,
            None,
            note,
            settings,
            |_| Ok(paths),
            |path, current| self.retagged(path, current, &resolved, schema.vocabulary()),
        )?;
        Ok(Tagged { saved, warnings })
    }

    /// Warnings for the tags to remove that are neither on any of `stored`
    /// nor in the vocabulary: a slip, most likely (`-Japna`, `-mWhy`).
    fn nowhere(
        &self,
        stored: &[crate::snapshot::StoredArticle],
        edits: &[TagEdit],
        resolved: &[Resolved],
        vocabulary: Option<&Vocabulary>,
    ) -> Vec<String> {
        let carried: Vec<String> = stored
            .iter()
            .flat_map(|known| record_tags(&known.text).unwrap_or_default())
            .collect();
        let mut warnings = Vec::new();
        for (edit, change) in edits.iter().zip(resolved) {
            let (TagEdit::Remove(tag), Resolved::Remove(spellings)) = (edit, change) else {
                continue;
            };
            let tag = tag.trim();
            let known = vocabulary.is_some_and(|v| v.resolve_ignoring_case(tag).is_some());
            let on_record = carried
                .iter()
                .any(|held| spellings.iter().any(|s| same_spelling(s, held)));
            if known || on_record {
                continue;
            }
            let candidates = carried
                .iter()
                .map(String::as_str)
                .chain(vocabulary.into_iter().flat_map(Vocabulary::names));
            let near = did_you_mean(tag, candidates)
                .map(|near| format!("; did you mean {near:?}?"))
                .unwrap_or_default();
            let ids: Vec<&str> = stored.iter().map(|known| known.id.as_str()).collect();
            warnings.push(format!(
                "{tag:?} is not a tag of {} nor in the vocabulary, so there was nothing to remove{near}",
                ids.join(", ")
            ));
        }
        warnings
    }

    /// `text` with the tag changes made, in order, to its `tags` list.
    fn retagged(
        &self,
        path: &Path,
        text: &str,
        changes: &[Resolved],
        vocabulary: Option<&Vocabulary>,
    ) -> Result<String, DeskError> {
        let invalid = || DeskError::Invalid {
            findings: self.check(path, text),
        };
        let mut tags = record_tags(text).map_err(|_| invalid())?;
        let mut editor = RecordEditor::parse(text).map_err(|_| invalid())?;
        let field = tags_field();
        let refused = |error: crate::article::EditError| DeskError::Refused(error.to_string());
        for change in changes {
            match change {
                Resolved::Add(name) => {
                    let held = tags.iter().any(|tag| {
                        let known = vocabulary.and_then(|v| v.resolve_ignoring_case(tag));
                        known.unwrap_or(tag) == name
                    });
                    if !held {
                        editor
                            .push_item(&field, Value::from(name.as_str()))
                            .map_err(refused)?;
                        tags.push(name.clone());
                    }
                }
                Resolved::Remove(spellings) => {
                    let gone = |tag: &String| {
                        spellings
                            .iter()
                            .any(|spelling| same_spelling(spelling, tag))
                    };
                    for tag in tags.iter().filter(|tag| gone(tag)) {
                        editor
                            .remove_item(&field, &Value::from(tag.as_str()))
                            .map_err(refused)?;
                    }
                    tags.retain(|tag| !gone(tag));
                }
            }
        }
        Ok(editor.to_string())
    }

    /// The vocabulary, or a refusal saying that the newsroom has none.
    fn controlled_vocabulary(&self) -> Result<(String, Vocabulary), DeskError> {
        self.vocabulary_file()?.ok_or_else(|| {
            DeskError::Refused(format!(
                "the newsroom has no {TAGS_PATH}, so any tag goes; create one (news init writes the default) to keep a vocabulary"
            ))
        })
    }

    /// The tag of `vocabulary` named `name` (in any case), or a refusal
    /// that names the alias's tag or the nearest name.
    fn vocabulary_tag<'v>(vocabulary: &'v Vocabulary, name: &str) -> Result<&'v Tag, DeskError> {
        if let Some(tag) = vocabulary.named(name) {
            return Ok(tag);
        }
        Err(DeskError::Refused(
            match vocabulary.resolve_ignoring_case(name) {
                Some(tag) => {
                    format!("{name:?} is an alias of the tag {tag:?}; name the tag itself")
                }
                None => format!(
                    "there is no tag {name:?} in the vocabulary ({TAGS_PATH}){}",
                    did_you_mean(name, vocabulary.names())
                        .map(|near| format!("; did you mean {near:?}?"))
                        .unwrap_or_default()
                ),
            },
        ))
    }

    /// Adds the tag `name` with `aliases` to the vocabulary and commits
    /// it. A name or alias that is already a name or alias of a tag, in
    /// any case, is refused: it would say two things.
    pub fn add_tag(
        &self,
        name: &str,
        aliases: &[String],
        note: Option<&str>,
    ) -> Result<Saved, DeskError> {
        self.repo.ready_to_commit()?;
        let (text, vocabulary) = self.controlled_vocabulary()?;
        let name = name.trim();
        let aliases: Vec<String> = aliases
            .iter()
            .map(|alias| alias.trim().to_owned())
            .collect();
        let mut given: Vec<&str> = Vec::new();
        for spelling in std::iter::once(name).chain(aliases.iter().map(String::as_str)) {
            if spelling.is_empty() {
                return Err(DeskError::Refused(
                    "a tag's name or alias cannot be empty".to_owned(),
                ));
            }
            plain_spelling(spelling)?;
            if let Some(tag) = vocabulary.colliding(spelling) {
                let role = match same_spelling(&tag.name, spelling) {
                    true => "the name".to_owned(),
                    false => "an alias".to_owned(),
                };
                return Err(DeskError::Refused(format!(
                    "{spelling:?} is {role} of the tag {:?} already (tags and aliases are told apart in any case)",
                    tag.name
                )));
            }
            if given.iter().any(|other| same_spelling(other, spelling)) {
                return Err(DeskError::Refused(format!("{spelling:?} is given twice")));
            }
            given.push(spelling);
        }
        let (after, schema) = self.edit_vocabulary(&text, |editor| editor.add(name, &aliases))?;
        self.commit_vocabulary(
            &text,
            &after,
            &schema,
            &format!("add {name:?} to the vocabulary"),
            note,
            |_| Ok(Vec::new()),
        )?
        .ok_or_else(|| DeskError::Refused(format!("{name:?} is in the vocabulary already")))
    }

    /// Commits the vocabulary, changed from `before` to `after` (records
    /// are checked against `schema`, which has it), alone; `check` runs
    /// under the lock and may refuse.
    fn commit_vocabulary(
        &self,
        before: &str,
        after: &str,
        schema: &Schema,
        what: &str,
        note: Option<&str>,
        check: impl FnOnce(&crate::git::Transaction<'_>) -> Result<Vec<PathBuf>, DeskError>,
    ) -> Result<Option<Saved>, DeskError> {
        let settings = SettingsChange {
            path: Path::new(TAGS_PATH),
            before: Some(before),
            after: Some(after),
            schema,
        };
        self.commit_records(
            Action::Tag,
            Some(what),
            note,
            settings,
            check,
            |_, current| Ok(current.to_owned()),
        )
    }

    /// Removes the tag `name` from the vocabulary and commits it; refused
    /// while articles carry it, naming them: in the work tree, and, under
    /// the lock, as committed at the tip.
    pub fn remove_tag(&self, name: &str, note: Option<&str>) -> Result<Saved, DeskError> {
        self.repo.ready_to_commit()?;
        let (text, vocabulary) = self.controlled_vocabulary()?;
        let tag = Self::vocabulary_tag(&vocabulary, name)?.clone();
        let spellings: Vec<String> = tag.spellings().map(str::to_owned).collect();
        let refuse_if_used = |users: Vec<(String, PathBuf)>| -> Result<Vec<PathBuf>, DeskError> {
            if users.is_empty() {
                return Ok(Vec::new());
            }
            let ids: Vec<String> = users.iter().map(|(id, _)| id.clone()).collect();
            Err(DeskError::Refused(format!(
                "the tag {:?} is used by {}: {}; take it off them first (news tag ID… {}), or fold it into another tag (news tags merge {} OTHER)",
                tag.name,
                match ids.len() {
                    1 => "1 article".to_owned(),
                    count => format!("{count} articles"),
                },
                ids.join(", "),
                shell_word(&format!("-{}", tag.name)),
                shell_word(&tag.name),
            )))
        };
        refuse_if_used(self.carrying_in_work_tree(&spellings)?)?;
        let (after, schema) = self.edit_vocabulary(&text, |editor| {
            editor.remove(&tag.name);
        })?;
        let what = format!("remove {:?} from the vocabulary", tag.name);
        self.commit_vocabulary(&text, &after, &schema, &what, note, |transaction| {
            refuse_if_used(self.carrying_at_tip(transaction, &spellings)?)
        })?
        .ok_or_else(|| DeskError::Refused(format!("{:?} is not in the vocabulary", tag.name)))
    }

    /// The ids and paths of the work tree's records whose tags hold one
    /// of `spellings` (in any case), sorted by id.
    fn carrying_in_work_tree(
        &self,
        spellings: &[String],
    ) -> Result<Vec<(String, PathBuf)>, DeskError> {
        let files = self.snapshot.record_files()?;
        self.carrying(files, spellings)
    }

    /// [`Desk::carrying_in_work_tree`] in the records committed at the tip
    /// that `transaction` holds, under its lock: what the commit follows.
    fn carrying_at_tip(
        &self,
        transaction: &crate::git::Transaction<'_>,
        spellings: &[String],
    ) -> Result<Vec<(String, PathBuf)>, DeskError> {
        let Some(tip) = transaction.tip() else {
            return Ok(Vec::new());
        };
        let folder = self.repo_path(Path::new(crate::newsroom::ARTICLES_DIR));
        let files = self
            .repo
            .files_at(tip.as_str(), &folder)?
            .into_iter()
            .filter(|(path, _)| path.ends_with(".toml"))
            .map(|(path, bytes)| {
                let path = path.strip_prefix(&self.prefix).unwrap_or(&path).to_owned();
                (PathBuf::from(path), Ok(bytes))
            })
            .collect();
        self.carrying(files, spellings)
    }

    /// The ids and paths of the records of `files` whose tags hold one of
    /// `spellings` (in any case), sorted by id. A record that cannot be
    /// read might carry one: refused, naming the records.
    fn carrying(
        &self,
        files: Vec<(PathBuf, crate::snapshot::RecordBytes)>,
        spellings: &[String],
    ) -> Result<Vec<(String, PathBuf)>, DeskError> {
        let mut found = Vec::new();
        let mut unreadable = Vec::new();
        for (path, bytes) in files {
            let tags = bytes
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .and_then(|text| record_tags(&text).ok());
            match tags {
                None => unreadable.push(self.shown(&path).display().to_string()),
                Some(tags) => {
                    if tags
                        .iter()
                        .any(|tag| spellings.iter().any(|s| same_spelling(s, tag)))
                    {
                        found.push((super::id_of(&path), path));
                    }
                }
            }
        }
        if !unreadable.is_empty() {
            unreadable.sort();
            return Err(DeskError::Refused(format!(
                "cannot tell which articles carry the tag: {} cannot be read ({}); fix {} (`news validate` says what is wrong) and run the command again",
                match unreadable.len() {
                    1 => "1 record".to_owned(),
                    count => format!("{count} records"),
                },
                unreadable.join(", "),
                if unreadable.len() == 1 { "it" } else { "them" },
            )));
        }
        found.sort();
        Ok(found)
    }

    /// Renames the tag `old` to `new` (with `into`: folds `old` into the
    /// existing tag `new`) on every article and in the vocabulary, in one
    /// commit that changes only `tags` lines and the vocabulary's entries.
    /// The articles carrying any spelling of `old` get `new`: those of the
    /// work tree, and, under the lock, those committed at the tip. In the
    /// vocabulary `old` (and, when folded, its aliases) stays an alias,
    /// unless `drop_alias`. `None` when no article and no vocabulary has
    /// `old` (a newsroom without a vocabulary).
    pub fn rename_tag(
        &self,
        old: &str,
        new: &str,
        into: bool,
        drop_alias: bool,
        note: Option<&str>,
    ) -> Result<Option<Saved>, DeskError> {
        self.repo.ready_to_commit()?;
        let (old, new) = (old.trim(), new.trim());
        if new.is_empty() || old.is_empty() {
            return Err(DeskError::Refused("a tag cannot be empty".to_owned()));
        }
        plain_spelling(new)?;
        let file = self.vocabulary_file()?;
        let (spellings, target, edited) = match &file {
            None => (vec![old.to_owned()], new.to_owned(), None),
            Some((text, vocabulary)) => {
                let from = Self::vocabulary_tag(vocabulary, old)?;
                let target = match into {
                    true => {
                        let target = Self::vocabulary_tag(vocabulary, new)?;
                        if target.name == from.name {
                            return Err(DeskError::Refused(format!(
                                "{old:?} and {new:?} are the same tag"
                            )));
                        }
                        target.name.clone()
                    }
                    false => {
                        if new == from.name {
                            return Err(DeskError::Refused(format!(
                                "the tag is named {new:?} already"
                            )));
                        }
                        if let Some(other) = vocabulary
                            .colliding(new)
                            .filter(|other| other.name != from.name)
                        {
                            return Err(DeskError::Refused(format!(
                                "{new:?} is a name or alias of the tag {:?} already; to fold {:?} into it: news tags merge {} {}",
                                other.name,
                                from.name,
                                shell_word(&from.name),
                                shell_word(&other.name)
                            )));
                        }
                        new.to_owned()
                    }
                };
                let from_name = from.name.clone();
                let edited = self.edit_vocabulary(text, |editor| {
                    match into {
                        true => editor.merge(&from_name, &target, !drop_alias),
                        false => editor.rename(&from_name, &target, !drop_alias),
                    };
                })?;
                let spellings = from.spellings().map(str::to_owned).collect();
                (spellings, target, Some(edited))
            }
        };
        let scanned: Vec<PathBuf> = self
            .carrying_in_work_tree(&spellings)?
            .into_iter()
            .map(|(_, path)| path)
            .collect();
        let unchanged = self.schema().with_vocabulary(None);
        let settings = SettingsChange {
            path: Path::new(TAGS_PATH),
            before: file.as_ref().map(|(text, _)| text.as_str()),
            after: edited.as_ref().map(|(after, _)| after.as_str()),
            schema: edited.as_ref().map_or(&unchanged, |(_, schema)| schema),
        };
        let what = match into {
            true => format!("merge {:?} into {target:?}", spellings[0]),
            false => format!("rename {:?} to {target:?}", spellings[0]),
        };
        self.commit_records(
            Action::Tag,
            Some(&what),
            note,
            settings,
            |transaction| {
                let mut paths = scanned;
                for (_, path) in self.carrying_at_tip(transaction, &spellings)? {
                    if !paths.contains(&path) {
                        paths.push(path);
                    }
                }
                paths.sort();
                Ok(paths)
            },
            |path, current| self.renamed(path, current, &spellings, &target),
        )
    }

    /// `text` with each of `spellings` (in any case) in its `tags`
    /// replaced by `target` (removed where `target` is there already).
    fn renamed(
        &self,
        path: &Path,
        text: &str,
        spellings: &[String],
        target: &str,
    ) -> Result<String, DeskError> {
        let invalid = || DeskError::Invalid {
            findings: self.check(path, text),
        };
        let tags = record_tags(text).map_err(|_| invalid())?;
        let mut editor = RecordEditor::parse(text).map_err(|_| invalid())?;
        let field = tags_field();
        let refused = |error: crate::article::EditError| DeskError::Refused(error.to_string());
        let renamed = |tag: &String| spellings.iter().any(|s| same_spelling(s, tag));
        let mut held = tags.iter().any(|tag| tag == target);
        for tag in tags.iter().filter(|tag| renamed(tag)) {
            let old = Value::from(tag.as_str());
            if held {
                editor.remove_item(&field, &old).map_err(refused)?;
            } else {
                editor
                    .replace_item(&field, &old, Value::from(target))
                    .map_err(refused)?;
                held = true;
            }
        }
        Ok(editor.to_string())
    }
}

/// Whether two spellings of a tag are the same, as the vocabulary tells
/// them apart: in any case.
fn same_spelling(one: &str, other: &str) -> bool {
    one == other || one.to_lowercase() == other.to_lowercase()
}

/// Refuses a tag's name or alias that holds a control character (a
/// newline, a tab): it cannot be shown, listed or typed back.
fn plain_spelling(spelling: &str) -> Result<(), DeskError> {
    match spelling.chars().any(char::is_control) {
        true => Err(DeskError::Refused(format!(
            "a tag cannot hold a control character (a newline, a tab): {spelling:?}"
        ))),
        false => Ok(()),
    }
}

/// `word` as a shell reads it back as one word: quoted when it holds a
/// space or another character the shell would read.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_.,+/:@=".contains(c);
    match !word.is_empty() && word.chars().all(plain) {
        true => word.to_owned(),
        false => format!("'{}'", word.replace('\'', r"'\''")),
    }
}

/// The strings of a record's `tags` list (none: no list).
fn record_tags(text: &str) -> Result<Vec<String>, crate::article::SyntaxError> {
    let record = Record::parse(text)?;
    Ok(record
        .get(&tags_field())
        .map(|entry| entry.to_json())
        .and_then(|tags| {
            tags.as_array().map(|tags| {
                tags.iter()
                    .filter_map(|tag| tag.as_str().map(str::to_owned))
                    .collect()
            })
        })
        .unwrap_or_default())
}

/// The tags of the vocabulary (or, without one, those in use) with
/// how many articles carry each.
pub fn tag_usage(snapshot: &Snapshot) -> Result<TagUsage, DeskError> {
    let (articles, unreadable) = snapshot.articles()?;
    let vocabulary = snapshot.schema().vocabulary();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    for (_, article) in &articles {
        let mut names: Vec<(&str, bool)> = article
            .tags
            .iter()
            .map(|tag| match vocabulary.map(|v| v.resolve(tag)) {
                Some(Some(name)) => (name, true),
                Some(None) => (tag.as_str(), false),
                None => (tag.as_str(), true),
            })
            .collect();
        names.sort();
        names.dedup();
        for (name, known) in names {
            let counted = if known { &mut counts } else { &mut unknown };
            *counted.entry(name.to_owned()).or_default() += 1;
        }
    }
    let in_use = |counts: BTreeMap<String, usize>| -> Vec<TagCount> {
        counts
            .into_iter()
            .map(|(name, count)| TagCount {
                tag: Tag {
                    name,
                    aliases: Vec::new(),
                    uri: None,
                },
                count,
            })
            .collect()
    };
    let tags = match vocabulary {
        Some(vocabulary) => vocabulary
            .tags()
            .iter()
            .map(|tag| TagCount {
                tag: tag.clone(),
                count: counts.get(&tag.name).copied().unwrap_or_default(),
            })
            .collect(),
        None => in_use(counts),
    };
    Ok(TagUsage {
        controlled: vocabulary.is_some(),
        tags,
        unknown: in_use(unknown),
        unreadable,
    })
}
