//! Topic tags: `news tag` adds and removes them on articles, `news tags`
//! keeps the vocabulary of `schema/tags.toml` (DESIGN §1, §4). Each is one
//! commit, changing only the `tags` lines of records and the vocabulary's
//! entry.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml_edit::Value;

use super::{Action, Batch, Desk, DeskError, Saved, Snapshot};
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
pub(super) fn tags_field() -> FieldPath {
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
    /// The vocabulary of the settings text `text` that
    /// [`Desk::commit_records`] read under the lock, with its text (none:
    /// the newsroom has none, and any tag goes).
    fn vocabulary_of(
        &self,
        text: Option<String>,
    ) -> Result<Option<(String, Vocabulary)>, DeskError> {
        let Some(text) = text else {
            return Ok(None);
        };
        let path = self.newsroom.root().join(TAGS_PATH);
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
    /// vocabulary committed when news's lock is held, after any news
    /// command running meanwhile.
    pub fn tag(
        &self,
        references: &[String],
        edits: &[TagEdit],
        add_new: bool,
        note: Option<&str>,
    ) -> Result<Tagged, DeskError> {
        self.repo.ready_to_commit()?;
        let mut paths: Vec<PathBuf> = Vec::new();
        for reference in references {
            let found = self.article(reference)?;
            if !paths.contains(&found.path) {
                paths.push(found.path);
            }
        }
        for edit in edits {
            let (TagEdit::Add(tag) | TagEdit::Remove(tag)) = edit;
            let tag = tag.trim();
            if tag.is_empty() {
                return Err(DeskError::Usage(
                    "a tag cannot be empty: give +TAG or -TAG".to_owned(),
                ));
            }
            if matches!(edit, TagEdit::Add(_)) {
                plain_spelling(tag)?;
            }
        }
        let mut warnings = Vec::new();
        let saved = self.commit_records(
            Action::Tag,
            note,
            Path::new(TAGS_PATH),
            |transaction, text| {
                let file = self.vocabulary_of(text)?;
                let vocabulary = file.as_ref().map(|(_, vocabulary)| vocabulary);
                if add_new && vocabulary.is_none() {
                    warnings.push(format!(
                    "the newsroom has no {TAGS_PATH}, so any tag goes; --new has nothing to add to"
                ));
                }
                let (resolved, new_tags) = Self::resolve_edits(edits, vocabulary, add_new)?;
                let mut carried = Vec::new();
                for path in &paths {
                    if let Some(text) = self.read_current(transaction, path)? {
                        carried.extend(record_tags(&text).unwrap_or_default());
                    }
                }
                let ids: Vec<String> = paths.iter().map(|path| super::id_of(path)).collect();
                warnings.extend(nowhere(&ids, &carried, edits, &resolved, vocabulary));
                let (after, schema) = match (&file, new_tags.is_empty()) {
                    (Some((text, _)), false) => {
                        let (after, schema) = self.edit_vocabulary(text, |editor| {
                            for tag in &new_tags {
                                editor.add(tag, &[]);
                            }
                        })?;
                        (Some(after), schema)
                    }
                    _ => (None, self.schema().with_vocabulary(vocabulary.cloned())),
                };
                let vocabulary = schema.vocabulary().cloned();
                Ok(Batch {
                    what: None,
                    after,
                    schema,
                    paths: paths.clone(),
                    rebuild: Box::new(move |path, current| {
                        self.retagged(path, current, &resolved, vocabulary.as_ref())
                    }),
                })
            },
        )?;
        Ok(Tagged { saved, warnings })
    }

    /// The tag changes of `edits` resolved against `vocabulary`, and the
    /// tags new to it that `add_new` adds to it.
    fn resolve_edits(
        edits: &[TagEdit],
        vocabulary: Option<&Vocabulary>,
        add_new: bool,
    ) -> Result<(Vec<Resolved>, Vec<String>), DeskError> {
        let mut new_tags: Vec<String> = Vec::new();
        let mut resolved = Vec::new();
        for edit in edits {
            let (TagEdit::Add(tag) | TagEdit::Remove(tag)) = edit;
            let tag = tag.trim();
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
                return Err(DeskError::Usage(format!(
                    "the tag {name:?} is both added and removed; give it once, as +TAG or -TAG"
                )));
            }
        }
        Ok((resolved, new_tags))
    }

    /// `text` with the tag changes made to its `tags` list: the tags to
    /// remove go, in any of their spellings; those to add come at the
    /// end, unless it carries them already, in any spelling.
    fn retagged(
        &self,
        path: &Path,
        text: &str,
        changes: &[Resolved],
        vocabulary: Option<&Vocabulary>,
    ) -> Result<String, DeskError> {
        let removed = |tag: &str| {
            changes.iter().any(|change| match change {
                Resolved::Remove(spellings) => spellings.iter().any(|s| same_spelling(s, tag)),
                Resolved::Add(_) => false,
            })
        };
        let added: Vec<String> = changes
            .iter()
            .filter_map(|change| match change {
                Resolved::Add(name) => Some(name.clone()),
                Resolved::Remove(_) => None,
            })
            .collect();
        self.retag(
            path,
            text,
            vocabulary,
            |tag| (!removed(tag)).then(|| tag.to_owned()),
            &added,
        )
    }

    /// `text` with its `tags` list changed, line by line: each tag it has
    /// becomes `rewrite`'s spelling of it (none: it goes), and the tags of
    /// `added` it does not carry come at the end. Never two spellings of
    /// one tag (its name and aliases in `vocabulary`, in any case): where
    /// the change would make two, the first's place is kept, with the
    /// spelling the change gives.
    fn retag(
        &self,
        path: &Path,
        text: &str,
        vocabulary: Option<&Vocabulary>,
        rewrite: impl Fn(&str) -> Option<String>,
        added: &[String],
    ) -> Result<String, DeskError> {
        let tags = record_tags(text).ok_or_else(|| self.unreadable_tags(path, text))?;
        let canonical = |tag: &str| {
            let name = vocabulary.and_then(|vocabulary| vocabulary.resolve_ignoring_case(tag));
            name.unwrap_or(tag).to_lowercase()
        };
        let (kept, added) = retag_list(&tags, canonical, rewrite, added);
        let mut editor = RecordEditor::parse(text).map_err(|_| self.unreadable_tags(path, text))?;
        let field = tags_field();
        let refused = |error: crate::article::EditError| DeskError::Refused(error.to_string());
        // From the end, so that the places before stay; then each kept tag
        // is one of its spelling, and is found by it.
        for (index, slot) in kept.iter().enumerate().rev() {
            if slot.is_none() {
                editor.remove(&field.index(index)).map_err(refused)?;
            }
        }
        for (old, slot) in tags.iter().zip(&kept) {
            if let Some(new) = slot
                && new != old
            {
                editor
                    .replace_item(
                        &field,
                        &Value::from(old.as_str()),
                        Value::from(new.as_str()),
                    )
                    .map_err(refused)?;
            }
        }
        for name in &added {
            editor
                .push_item(&field, Value::from(name.as_str()))
                .map_err(refused)?;
        }
        Ok(editor.to_string())
    }

    /// The refusal of a record at `path` whose tags cannot be read: its
    /// findings, or, when the checks find nothing, what is wrong.
    fn unreadable_tags(&self, path: &Path, text: &str) -> DeskError {
        let findings = self.check(path, text);
        match findings.is_empty() {
            false => DeskError::Invalid { findings },
            true => DeskError::Refused(format!(
                "`tags` of {} is not a list of strings; fix it (`news validate` checks it) and run the command again",
                self.shown(path).display()
            )),
        }
    }

    /// The vocabulary of `text`, or a refusal saying that the newsroom has
    /// none.
    fn controlled_vocabulary(
        &self,
        text: Option<String>,
    ) -> Result<(String, Vocabulary), DeskError> {
        self.vocabulary_of(text)?.ok_or_else(|| {
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
        let name = name.trim();
        let aliases: Vec<String> = aliases
            .iter()
            .map(|alias| alias.trim().to_owned())
            .collect();
        let mut given: Vec<&str> = Vec::new();
        for spelling in std::iter::once(name).chain(aliases.iter().map(String::as_str)) {
            if spelling.is_empty() {
                return Err(DeskError::Usage(
                    "a tag's name or alias cannot be empty".to_owned(),
                ));
            }
            plain_spelling(spelling)?;
            if given.iter().any(|other| same_spelling(other, spelling)) {
                return Err(DeskError::Usage(format!("{spelling:?} is given twice")));
            }
            given.push(spelling);
        }
        self.commit_records(Action::Tag, note, Path::new(TAGS_PATH), |_, text| {
            let (text, vocabulary) = self.controlled_vocabulary(text)?;
            for spelling in &given {
                if let Some(tag) = vocabulary.colliding(spelling) {
                    let role = match same_spelling(&tag.name, spelling) {
                        true => "the name",
                        false => "an alias",
                    };
                    return Err(DeskError::Refused(format!(
                        "{spelling:?} is {role} of the tag {:?} already (tags and aliases are told apart in any case)",
                        tag.name
                    )));
                }
            }
            let (after, schema) =
                self.edit_vocabulary(&text, |editor| editor.add(name, &aliases))?;
            Ok(Batch {
                what: Some(format!("add {name:?} to the vocabulary")),
                after: Some(after),
                schema,
                paths: Vec::new(),
                rebuild: Box::new(|_, current| Ok(current.to_owned())),
            })
        })?
        .ok_or_else(|| DeskError::Refused(format!("{name:?} is in the vocabulary already")))
    }

    /// Removes the tag `name` from the vocabulary and commits it; refused
    /// while articles carry it, naming them: in the work tree and as
    /// committed at the tip, under the lock.
    pub fn remove_tag(&self, name: &str, note: Option<&str>) -> Result<Saved, DeskError> {
        self.repo.ready_to_commit()?;
        self.commit_records(
            Action::Tag,
            note,
            Path::new(TAGS_PATH),
            |transaction, text| {
                let (text, vocabulary) = self.controlled_vocabulary(text)?;
                let tag = Self::vocabulary_tag(&vocabulary, name)?.clone();
                let spellings: Vec<String> = tag.spellings().map(str::to_owned).collect();
                refuse_if_carried(&tag, self.carrying_in_work_tree(&spellings)?)?;
                refuse_if_carried(&tag, self.carrying_at_tip(transaction, &spellings)?)?;
                let (after, schema) = self.edit_vocabulary(&text, |editor| {
                    editor.remove(&tag.name);
                })?;
                Ok(Batch {
                    what: Some(format!("remove {:?} from the vocabulary", tag.name)),
                    after: Some(after),
                    schema,
                    paths: Vec::new(),
                    rebuild: Box::new(|_, current| Ok(current.to_owned())),
                })
            },
        )?
        .ok_or_else(|| DeskError::Refused(format!("{:?} is not in the vocabulary", name.trim())))
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
    /// read, or whose `tags` is not a list of strings, might carry one:
    /// refused, naming the records.
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
                .and_then(|text| record_tags(&text));
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
    /// The articles carrying any spelling of `old` get `new` (once: a
    /// record that has it, by any spelling, keeps the first's place):
    /// those of the work tree and those committed at the tip, judged by
    /// the vocabulary as it is under the lock. In the vocabulary `old`
    /// (and, when folded, its aliases) stays an alias, unless
    /// `drop_alias`. `None` when no article and no vocabulary has `old` (a
    /// newsroom without a vocabulary).
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
            return Err(DeskError::Usage("a tag cannot be empty".to_owned()));
        }
        plain_spelling(new)?;
        self.commit_records(
            Action::Tag,
            note,
            Path::new(TAGS_PATH),
            |transaction, text| {
                let file = self.vocabulary_of(text)?;
                let (spellings, target, after, schema) = match &file {
                    None => (
                        vec![old.to_owned()],
                        new.to_owned(),
                        None,
                        self.schema().with_vocabulary(None),
                    ),
                    Some((text, vocabulary)) => {
                        let from = Self::vocabulary_tag(vocabulary, old)?;
                        let target = Self::rename_target(vocabulary, from, old, new, into)?;
                        let (after, schema) = self.edit_vocabulary(text, |editor| {
                            match into {
                                true => editor.merge(&from.name, &target, !drop_alias),
                                false => editor.rename(&from.name, &target, !drop_alias),
                            };
                        })?;
                        let spellings = from.spellings().map(str::to_owned).collect();
                        (spellings, target, Some(after), schema)
                    }
                };
                let mut paths: Vec<PathBuf> = Vec::new();
                let carriers = [
                    self.carrying_in_work_tree(&spellings)?,
                    self.carrying_at_tip(transaction, &spellings)?,
                ];
                for (_, path) in carriers.into_iter().flatten() {
                    if !paths.contains(&path) {
                        paths.push(path);
                    }
                }
                paths.sort();
                let what = match into {
                    true => format!("merge {:?} into {target:?}", spellings[0]),
                    false => format!("rename {:?} to {target:?}", spellings[0]),
                };
                let vocabulary = schema.vocabulary().cloned();
                Ok(Batch {
                    what: Some(what),
                    after,
                    schema,
                    paths,
                    rebuild: Box::new(move |path, current| {
                        let renamed = |tag: &str| spellings.iter().any(|s| same_spelling(s, tag));
                        self.retag(
                            path,
                            current,
                            vocabulary.as_ref(),
                            |tag| Some(if renamed(tag) { &target } else { tag }.to_owned()),
                            &[],
                        )
                    }),
                })
            },
        )
    }

    /// The name the tag `from` (given as `old`) gets: `new`, a tag of
    /// `vocabulary` when `into` (folding `from` into it), else a name no
    /// other tag has as a name or alias.
    fn rename_target(
        vocabulary: &Vocabulary,
        from: &Tag,
        old: &str,
        new: &str,
        into: bool,
    ) -> Result<String, DeskError> {
        if into {
            let target = Self::vocabulary_tag(vocabulary, new)?;
            if target.name == from.name {
                return Err(DeskError::Refused(format!(
                    "{old:?} and {new:?} are the same tag"
                )));
            }
            return Ok(target.name.clone());
        }
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
        Ok(new.to_owned())
    }
}

/// The refusal to remove `tag` from the vocabulary while `users` (ids and
/// paths) carry it.
fn refuse_if_carried(tag: &Tag, users: Vec<(String, PathBuf)>) -> Result<(), DeskError> {
    if users.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = users.into_iter().map(|(id, _)| id).collect();
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
}

/// Warnings for the tags to remove that are neither `carried` by the
/// articles `ids` nor in the vocabulary: a slip, most likely (`-Japna`,
/// `-mWhy`).
fn nowhere(
    ids: &[String],
    carried: &[String],
    edits: &[TagEdit],
    resolved: &[Resolved],
    vocabulary: Option<&Vocabulary>,
) -> Vec<String> {
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
        warnings.push(format!(
            "{tag:?} is not a tag of {} nor in the vocabulary, so there was nothing to remove{near}",
            ids.join(", ")
        ));
    }
    warnings
}

/// A record's `tags` after a change, as its entries' fates: each of
/// `tags` rewritten by `rewrite` (none: removed), and the tags of `add`
/// that it does not carry, to come at the end. No two entries are left
/// with one `canonical` name where the change touched that name: the one
/// the record carried unchanged keeps its place (else the first), with
/// the spelling the change gave.
fn retag_list(
    tags: &[String],
    canonical: impl Fn(&str) -> String,
    rewrite: impl Fn(&str) -> Option<String>,
    add: &[String],
) -> (Vec<Option<String>>, Vec<String>) {
    let mut kept: Vec<Option<String>> = tags.iter().map(|tag| rewrite(tag)).collect();
    let touched: Vec<(String, String)> = tags
        .iter()
        .zip(&kept)
        .filter_map(|(old, new)| {
            let new = new.as_ref().filter(|new| *new != old)?;
            Some((canonical(new), new.clone()))
        })
        .collect();
    // Where a name the change touched stays: on an entry the record
    // carried already, unchanged (its line and its comment are its own),
    // else on the first.
    let stays = |name: &str, kept: &[Option<String>]| {
        let of_name = |at: &usize| {
            kept[*at]
                .as_deref()
                .is_some_and(|tag| canonical(tag) == name)
        };
        let unchanged =
            (0..kept.len()).find(|at| of_name(at) && kept[*at].as_ref() == Some(&tags[*at]));
        unchanged.or_else(|| (0..kept.len()).find(of_name))
    };
    let mut done: Vec<&String> = Vec::new();
    for (name, spelling) in &touched {
        if done.contains(&name) {
            continue;
        }
        done.push(name);
        let Some(place) = stays(name, &kept) else {
            continue;
        };
        for (at, slot) in kept.iter_mut().enumerate() {
            if slot.as_deref().is_some_and(|tag| canonical(tag) == *name) {
                *slot = (at == place).then(|| spelling.clone());
            }
        }
    }
    let mut added: Vec<String> = Vec::new();
    for tag in add {
        let name = canonical(tag);
        let held = kept
            .iter()
            .flatten()
            .chain(&added)
            .any(|held| canonical(held) == name);
        if !held {
            added.push(tag.clone());
        }
    }
    (kept, added)
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
        true => Err(DeskError::Usage(format!(
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

/// The strings of a record's `tags` list (empty: no list); none when
/// the record does not parse or its `tags` is not a list of strings: its
/// tags cannot be told.
pub(super) fn record_tags(text: &str) -> Option<Vec<String>> {
    let record = Record::parse(text).ok()?;
    let Some(tags) = record.get(&tags_field()).map(|entry| entry.to_json()) else {
        return Some(Vec::new());
    };
    tags.as_array()?
        .iter()
        .map(|tag| tag.as_str().map(str::to_owned))
        .collect()
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
