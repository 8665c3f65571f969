//! The built-in rules: what JSON Schema cannot say about a record.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};
use toml::de::DeValue;

use super::finding::{Finding, Rule};
use super::json_schema::{ArticleSchema, Temporal, describe_toml_type};
use super::vocabulary::Vocabulary;
use crate::article::{Entry, FieldPath, Record};
use crate::time::TimeZone;

/// Where a record lives, for the rules that compare it with its file.
#[derive(Clone, Copy, Debug)]
pub struct Placement<'p> {
    /// The path findings name.
    pub path: &'p Path,
    /// The id the file name gives (`x` for `x.toml`).
    pub file_id: Option<&'p str>,
    /// The date of the `YYYY/MM/DD/` folder the file is in.
    pub folder_date: Option<NaiveDate>,
    /// The newsroom's time zone; without one, `created`'s own offset.
    pub timezone: Option<&'p TimeZone>,
    /// Where media paths are looked up; none outside a newsroom.
    pub media: Option<MediaFiles<'p>>,
}

/// The files a record's media paths may name.
#[derive(Clone, Copy, Debug)]
pub enum MediaFiles<'p> {
    /// Below the root of the newsroom's work tree, read the safe way.
    WorkTree(&'p Path),
    /// The paths (relative to the newsroom root) of the regular files a
    /// revision holds.
    Listed(&'p std::collections::HashSet<String>),
}

impl MediaFiles<'_> {
    /// Why `uri` (relative to the newsroom root) names no file, if it
    /// does not.
    fn problem(&self, uri: &str) -> Option<&'static str> {
        const MISSING: &str = "names no file in the newsroom; add the file there (the path is from the folder of news.toml), or give a URL";
        const OUTSIDE: &str = "leads outside the newsroom; keep the file inside it, or give a URL";
        match self {
            MediaFiles::WorkTree(root) => {
                match crate::files::look_inside(&root.join(uri), Some(root)) {
                    Ok(_) => None,
                    Err(crate::files::ReadError::Outside { .. }) => Some(OUTSIDE),
                    Err(crate::files::ReadError::NotAFile { .. }) => {
                        Some("is not a file (a folder, pipe or device); name the file")
                    }
                    Err(_) => Some(MISSING),
                }
            }
            MediaFiles::Listed(files) => {
                let normal = crate::paths::normalize(Path::new(uri));
                if normal.starts_with("..") {
                    return Some(OUTSIDE);
                }
                let normal = normal.to_string_lossy().replace('\\', "/");
                (!files.contains(&normal)).then_some(MISSING)
            }
        }
    }
}

/// Fields that are one line of text for readers.
const ONE_LINE_FIELDS: [&[&str]; 5] = [
    &["headline"],
    &["byline"],
    &["section"],
    &["dateline", "place"],
    &["dateline", "source"],
];

pub(super) struct BuiltinRules<'c> {
    pub record: &'c Record<'c>,
    pub placement: Placement<'c>,
    pub schema: &'c ArticleSchema,
    pub vocabulary: Option<&'c Vocabulary>,
}

impl BuiltinRules<'_> {
    pub fn check(&self, findings: &mut Vec<Finding>) {
        self.id_matches_file(findings);
        self.record.walk(|field, entry| {
            self.date_time_kind(field, &entry, findings);
            self.one_line(field, &entry, findings);
        });
        self.times_in_order(findings);
        self.tags_in_vocabulary(findings);
        self.folder_date(findings);
        self.body_repeats_dateline(findings);
        self.media_found(findings);
    }

    fn finding(
        &self,
        entry: &Entry<'_, '_>,
        rule: Rule,
        message: String,
        field: FieldPath,
    ) -> Finding {
        Finding::at(
            self.placement.path,
            self.record.text(),
            &entry.span(),
            rule,
            message,
        )
        .with_field(field)
    }

    fn id_matches_file(&self, findings: &mut Vec<Finding>) {
        let field = FieldPath::root().key("id");
        let (Some(entry), Some(file_id)) = (self.record.get(&field), self.placement.file_id) else {
            return;
        };
        let Some(id) = entry.value.get_ref().as_str() else {
            return;
        };
        if id != file_id {
            let message = format!(
                "`id` is {id:?} but the file is named `{file_id}.toml`; the id and the file name must be the same"
            );
            findings.push(self.finding(&entry, Rule::IdMatchesFile, message, field));
        }
    }

    fn date_time_kind(
        &self,
        field: &FieldPath,
        entry: &Entry<'_, '_>,
        findings: &mut Vec<Finding>,
    ) {
        let value = entry.value.get_ref();
        let datetime = value.as_datetime();
        let shape = datetime.map(|datetime| {
            (
                datetime.date.is_some(),
                datetime.time.is_some(),
                datetime.offset.is_some(),
            )
        });
        let found = describe_toml_type(value);
        let problem = match (self.schema.temporal_kind(field), shape) {
            (Some(Temporal::OffsetDateTime), Some((true, true, true))) => None,
            (_, Some((true, true, false))) => Some((
                Rule::DatetimeOffset,
                format!(
                    "`{field}` has no offset from UTC; write it like 2015-09-23T18:02:00+03:00"
                ),
            )),
            (Some(Temporal::OffsetDateTime), _) => Some((
                Rule::WrongType,
                format!(
                    "`{field}` should be a date-time with an offset, like 2015-09-23T18:02:00+03:00, not {found}{}",
                    unquote_hint(value)
                ),
            )),
            (Some(Temporal::LocalDate), Some((true, false, false))) => None,
            (Some(Temporal::LocalDate), _) => Some((
                Rule::WrongType,
                format!(
                    "`{field}` should be a date, like 2015-09-23, not {found}{}",
                    unquote_hint(value)
                ),
            )),
            (None, _) => None,
        };
        if let Some((rule, message)) = problem {
            findings.push(self.finding(entry, rule, message, field.clone()));
        }
    }

    fn one_line(&self, field: &FieldPath, entry: &Entry<'_, '_>, findings: &mut Vec<Finding>) {
        let Some(text) = entry.value.get_ref().as_str() else {
            return;
        };
        if !ONE_LINE_FIELDS.iter().any(|keys| field.has_keys(keys)) {
            return;
        }
        // A field the schema already flagged (a headline on two lines) is
        // one problem, not two.
        if findings
            .iter()
            .any(|finding| finding.field.as_ref() == Some(field))
        {
            return;
        }
        if let Some(character) = text.chars().find(|&character| is_control(character)) {
            let message = format!(
                "`{field}` contains the control character U+{:04X}; one-line fields hold printable text only",
                u32::from(character)
            );
            findings.push(self.finding(entry, Rule::ControlCharacter, message, field.clone()));
        }
    }

    /// The times of a record in their order: `created`, then
    /// `published`, then `updated` and each correction's `at`.
    fn times_in_order(&self, findings: &mut Vec<Finding>) {
        let at = |field: &FieldPath| {
            let entry = self.record.get(field)?;
            let time = offset_date_time(entry.value.get_ref())?;
            Some((entry, time))
        };
        let published_field = FieldPath::root().key("published");
        let Some((published, published_at)) = at(&published_field) else {
            return;
        };
        if let Some((_, created_at)) = at(&FieldPath::root().key("created"))
            && published_at < created_at
        {
            let message =
                format!("`published` ({published_at}) is earlier than `created` ({created_at})");
            findings.push(self.finding(
                &published,
                Rule::PublishedBeforeCreated,
                message,
                published_field,
            ));
        }
        // A published article is out since its last publication: its
        // first, or a withheld one's return (`updated`, also moved by
        // corrections).
        let status = self
            .record
            .get(&FieldPath::root().key("status"))
            .and_then(|entry| entry.value.get_ref().as_str().map(str::to_owned));
        let embargo_field = FieldPath::root().key("embargo");
        if status.as_deref() == Some("published")
            && let Some((embargo, embargo_at)) = at(&embargo_field)
        {
            let out = at(&FieldPath::root().key("updated"))
                .map_or(published_at, |(_, updated_at)| updated_at.max(published_at));
            if out < embargo_at {
                let message = format!(
                    "the article is published (at {out}), yet embargoed until {embargo_at}; an embargo holds back what is not out yet"
                );
                findings.push(self.finding(
                    &embargo,
                    Rule::PublishedBeforeEmbargo,
                    message,
                    embargo_field,
                ));
            }
        }
        let corrections = match self.record.get(&FieldPath::root().key("corrections")) {
            Some(entry) => match entry.value.get_ref() {
                DeValue::Array(entries) => entries.len(),
                _ => 0,
            },
            None => 0,
        };
        let later = std::iter::once(FieldPath::root().key("updated")).chain(
            (0..corrections)
                .map(|index| FieldPath::root().key("corrections").index(index).key("at")),
        );
        for field in later {
            if let Some((entry, time)) = at(&field)
                && time < published_at
            {
                let message = format!(
                    "`{field}` ({time}) is earlier than `published` ({published_at}); what follows a publication comes after it"
                );
                findings.push(self.finding(&entry, Rule::UpdatedBeforePublished, message, field));
            }
        }
    }

    fn tags_in_vocabulary(&self, findings: &mut Vec<Finding>) {
        let Some(vocabulary) = self.vocabulary else {
            return;
        };
        let field = FieldPath::root().key("tags");
        let Some(DeValue::Array(tags)) = self.record.get(&field).map(|entry| entry.value.get_ref())
        else {
            return;
        };
        for (index, tag) in tags.iter().enumerate() {
            let Some(name) = tag.get_ref().as_str() else {
                continue;
            };
            if vocabulary.resolve(name).is_some() {
                continue;
            }
            let mut message =
                format!("tag {name:?} is not in the newsroom's vocabulary (schema/tags.toml)");
            match vocabulary.suggest(name) {
                Some(suggestion) => message.push_str(&format!("; did you mean {suggestion:?}?")),
                None => message.push_str("; add it there first if it is a new topic"),
            }
            let entry = Entry {
                key_span: None,
                value: tag,
            };
            findings.push(self.finding(&entry, Rule::UnknownTag, message, field.index(index)));
        }
    }

    fn folder_date(&self, findings: &mut Vec<Finding>) {
        let Some(folder_date) = self.placement.folder_date else {
            return;
        };
        let field = FieldPath::root().key("created");
        let Some(entry) = self.record.get(&field) else {
            return;
        };
        let Some(created) = offset_date_time(entry.value.get_ref()) else {
            return;
        };
        let (local, zone) = match self.placement.timezone {
            Some(timezone) => (timezone.local_date(&created), timezone.to_string()),
            None => (created.date_naive(), created.offset().to_string()),
        };
        if local != folder_date {
            let message = format!(
                "`created` is {local} in {zone}, but the file is in the folder for {folder_date}; move it to {}",
                local.format("%Y/%m/%d/")
            );
            findings.push(self.finding(&entry, Rule::FolderDate, message, field));
        }
    }
}

impl BuiltinRules<'_> {
    fn body_repeats_dateline(&self, findings: &mut Vec<Finding>) {
        let text = |field: &FieldPath| {
            self.record
                .get(field)
                .and_then(|entry| entry.value.get_ref().as_str().map(str::trim))
                .filter(|text| !text.is_empty())
        };
        let dateline = FieldPath::root().key("dateline");
        let field = FieldPath::root().key("body");
        let (Some(entry), Some(place)) = (self.record.get(&field), text(&dateline.key("place")))
        else {
            return;
        };
        let Some(body) = entry.value.get_ref().as_str() else {
            return;
        };
        let source = text(&dateline.key("source"));
        if let Some(repeated) = leading_dateline(body.trim_start(), place, source) {
            let message = format!(
                "the body starts with the dateline ({repeated:?}), which readers see from [dateline] already; start the body after it"
            );
            findings.push(self.finding(&entry, Rule::BodyRepeatsDateline, message, field));
        }
    }

    fn media_found(&self, findings: &mut Vec<Finding>) {
        let Some(files) = self.placement.media else {
            return;
        };
        let media = FieldPath::root().key("media");
        let Some(DeValue::Array(entries)) =
            self.record.get(&media).map(|entry| entry.value.get_ref())
        else {
            return;
        };
        for index in 0..entries.len() {
            let field = media.index(index).key("uri");
            let Some(entry) = self.record.get(&field) else {
                continue;
            };
            let Some(uri) = entry.value.get_ref().as_str() else {
                continue;
            };
            if uri.trim().is_empty() || has_scheme(uri) {
                continue;
            }
            let problem = match uri.starts_with(['/', '\\']) {
                true => {
                    "is an absolute path, which names a file on one machine only; give a path inside the newsroom (from the folder of news.toml) or a URL"
                }
                false => match files.problem(uri) {
                    Some(problem) => problem,
                    None => continue,
                },
            };
            let message = format!("the media path {uri:?} {problem}");
            findings.push(self.finding(&entry, Rule::MediaNotFound, message, field));
        }
    }
}

/// The dateline `body` starts with, if it does: the place in any case
/// followed by a comma, a dash or the source (`MOSCOW, September 23.
/// /TASS/.`, `Moscow — `, `MOSCOW /TASS/`), or the source between slashes
/// (`/TASS/.`). A place followed by a space alone starts a sentence
/// ("Moscow is ready…"), not a dateline.
fn leading_dateline<'b>(body: &'b str, place: &str, source: Option<&str>) -> Option<&'b str> {
    let starts_with = |text: &str, prefix: &str| {
        text.get(..prefix.len())
            .is_some_and(|head| head.to_lowercase() == prefix.to_lowercase())
    };
    let slashed = source.map(|source| format!("/{source}/"));
    let slashed = slashed.as_deref();
    // The source between slashes, where the first line has it.
    let line = body.lines().next().unwrap_or_default();
    let through_source = slashed.and_then(|slashed| {
        let (at, _) = line
            .char_indices()
            .find(|(at, _)| starts_with(&line[*at..], slashed))?;
        let end = at + slashed.len();
        Some(end + usize::from(line[end..].starts_with('.')))
    });
    if let Some(slashed) = slashed
        && starts_with(body, slashed)
    {
        return Some(&body[..through_source.unwrap_or(slashed.len())]);
    }
    if !starts_with(body, place) {
        return None;
    }
    let rest = &body[place.len()..];
    let after_space = rest.trim_start_matches([' ', '\t']);
    let dash = after_space.starts_with(['—', '–', '-', '(']);
    // `/TASS/`, not `Moscow/Beijing`.
    let source_follows = after_space.strip_prefix('/').is_some_and(|after| {
        after.split_once('/').is_some_and(|(name, _)| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|character| character.is_alphanumeric() || " -".contains(character))
        })
    });
    if !(rest.starts_with(',') || dash || source_follows) {
        return None;
    }
    let end = match through_source {
        Some(end) => end,
        None if dash => {
            body.len() - after_space.len() + after_space.chars().next().map_or(0, char::len_utf8)
        }
        // The place and what follows its comma, to the end of the
        // sentence: `MOSCOW, September 23.`
        None => line.find(". ").map_or(line.len(), |end| end + 1),
    };
    let mut end = end.min(80);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    Some(body[..end].trim_end())
}

/// Whether `uri` starts with a URI scheme (`https:`, `mailto:`), as
/// RFC 3986 spells one: a letter, then letters, digits, `+`, `-`, `.`.
fn has_scheme(uri: &str) -> bool {
    uri.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|first: char| first.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || "+-.".contains(character))
    })
}

/// Characters that must not stand in a one-line field: C0 and C1 controls
/// (line breaks among them), Unicode line separators, and the bidirectional
/// overrides that make text display other than it reads.
pub fn is_control(character: char) -> bool {
    character.is_control()
        || matches!(character, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn unquote_hint(value: &DeValue<'_>) -> &'static str {
    match value.as_str() {
        Some(text) if text.parse::<toml::value::Datetime>().is_ok() => " (write it without quotes)",
        _ => "",
    }
}

/// A TOML offset date-time as chrono's.
pub fn offset_date_time(value: &DeValue<'_>) -> Option<DateTime<FixedOffset>> {
    let datetime = value.as_datetime()?;
    datetime.offset?;
    DateTime::parse_from_rfc3339(&datetime.to_string()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_dateline_repeated_at_the_start_of_the_body() {
        fn found(body: &str) -> Option<&str> {
            leading_dateline(body, "MOSCOW", Some("TASS"))
        }
        assert_eq!(
            found("MOSCOW, September 23. /TASS/. The dialogue resumed."),
            Some("MOSCOW, September 23. /TASS/.")
        );
        assert_eq!(
            found("Moscow, September 23. The dialogue resumed."),
            Some("Moscow, September 23.")
        );
        assert_eq!(found("MOSCOW — The dialogue resumed."), Some("MOSCOW —"));
        assert_eq!(found("MOSCOW (TASS) - The dialogue"), Some("MOSCOW ("));
        assert_eq!(found("MOSCOW /TASS/. The dialogue"), Some("MOSCOW /TASS/."));
        assert_eq!(found("/TASS/. The dialogue"), Some("/TASS/."));
        assert_eq!(found("Moscow is ready to talk."), None);
        assert_eq!(found("Moscow/Beijing relations grow."), None);
        assert_eq!(found("Moscowians say"), None);
        assert_eq!(found("The dialogue, in MOSCOW, resumed."), None);
        assert_eq!(leading_dateline("/TASS/. x", "MOSCOW", None), None);
        // Case folding that changes a text's length does not lose the place.
        assert_eq!(
            leading_dateline("İSTANBUL, May 2. /AA/. x", "İstanbul", Some("aa")),
            Some("İSTANBUL, May 2. /AA/.")
        );
        assert_eq!(
            leading_dateline(
                "МОСКВА, 23 сентября. /ТАСС/. Диалог",
                "Москва",
                Some("ТАСС")
            ),
            Some("МОСКВА, 23 сентября. /ТАСС/.")
        );
    }

    #[test]
    fn tells_urls_from_paths() {
        for uri in [
            "https://tass.com/a.jpg",
            "mailto:x@y",
            "urn:isbn:1",
            "git+ssh://h/p",
        ] {
            assert!(has_scheme(uri), "{uri}");
        }
        for uri in ["media/a.jpg", "./a:b.jpg", "1x:a", ":a", "a b:c"] {
            assert!(!has_scheme(uri), "{uri}");
        }
    }
}
