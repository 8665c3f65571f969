//! Findings: one problem in one file, with where it is and which rule it
//! breaks.

use std::fmt;
use std::path::PathBuf;

use crate::article::{FieldPath, Location, Span, line_text, locate};
use crate::settings::{ConfigError, UnknownSetting};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The rule a finding breaks. Each has a stable id that CI configurations
/// and people can search for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// The file is not TOML.
    TomlSyntax,
    /// The file is not UTF-8.
    InvalidUtf8,
    /// The file holds nothing.
    EmptyFile,
    /// The file starts with a byte-order mark.
    ByteOrderMark,
    /// The file is larger than any article should be.
    FileTooLarge,
    /// The file could not be read, or is not a regular file.
    UnreadableFile,
    /// A symbolic link leads outside the newsroom.
    OutsideNewsroom,
    /// A key of news.toml or schema/tags.toml this version does not know.
    UnknownSetting,
    /// A settings file (news.toml, the schema, the vocabulary) that cannot
    /// be read or used: nothing else can be judged without it.
    InvalidSettings,
    /// A required key is missing.
    MissingField,
    /// A key the schema does not know.
    UnknownKey,
    /// A value of the wrong TOML type.
    WrongType,
    /// A value of the right type that the schema does not allow.
    InvalidValue,
    /// Any other JSON Schema keyword of a newsroom's own schema.
    Schema,
    /// `id` differs from the file name.
    IdMatchesFile,
    /// Two records of the newsroom share an id.
    DuplicateId,
    /// A date-time without an offset.
    DatetimeOffset,
    /// `published` is earlier than `created`.
    PublishedBeforeCreated,
    /// A tag outside the newsroom's vocabulary.
    UnknownTag,
    /// A control character in a one-line field.
    ControlCharacter,
    /// The `articles/YYYY/MM/DD/` folder disagrees with `created`.
    FolderDate,
    /// The body starts with the dateline, which readers see already.
    BodyRepeatsDateline,
    /// A media `uri` that is a path in the newsroom names no file there.
    MediaNotFound,
    /// Once published, `id`, `created` or `published` changed.
    PublishedFactChanged,
    /// Once published, `version` or `updated` changed without the
    /// workflow step that sets it.
    WorkflowFactChanged,
    /// An earlier `[[corrections]]` entry changed or went.
    CorrectionChanged,
    /// A published headline or body changed without a new correction and
    /// a higher version.
    CorrectionNeeded,
    /// A record that is or was published was deleted.
    PublishedDeleted,
    /// A status change the workflow's transition table does not allow.
    IllegalTransition,
    /// A step of the workflow without all that the step changes (a
    /// retraction without its entry, a correction without a higher
    /// version…).
    IncompleteTransition,
    /// A record never published gained a fact only the workflow sets.
    UnpublishedFacts,
    /// A published record whose embargo has not passed by its
    /// publication.
    PublishedBeforeEmbargo,
    /// `updated`, or a correction's `at`, is earlier than `published`.
    UpdatedBeforePublished,
}

impl Rule {
    pub fn id(self) -> &'static str {
        match self {
            Rule::TomlSyntax => "toml-syntax",
            Rule::InvalidUtf8 => "invalid-utf8",
            Rule::EmptyFile => "empty-file",
            Rule::ByteOrderMark => "byte-order-mark",
            Rule::FileTooLarge => "file-too-large",
            Rule::UnreadableFile => "unreadable-file",
            Rule::OutsideNewsroom => "outside-newsroom",
            Rule::UnknownSetting => "unknown-setting",
            Rule::InvalidSettings => "invalid-settings",
            Rule::MissingField => "missing-field",
            Rule::UnknownKey => "unknown-key",
            Rule::WrongType => "wrong-type",
            Rule::InvalidValue => "invalid-value",
            Rule::Schema => "schema",
            Rule::IdMatchesFile => "id-matches-file",
            Rule::DuplicateId => "duplicate-id",
            Rule::DatetimeOffset => "datetime-offset",
            Rule::PublishedBeforeCreated => "published-before-created",
            Rule::UnknownTag => "unknown-tag",
            Rule::ControlCharacter => "control-character",
            Rule::FolderDate => "folder-date",
            Rule::BodyRepeatsDateline => "body-repeats-dateline",
            Rule::MediaNotFound => "media-not-found",
            Rule::PublishedFactChanged => "published-fact-changed",
            Rule::WorkflowFactChanged => "workflow-fact-changed",
            Rule::CorrectionChanged => "correction-changed",
            Rule::CorrectionNeeded => "correction-needed",
            Rule::PublishedDeleted => "published-deleted",
            Rule::IllegalTransition => "illegal-transition",
            Rule::IncompleteTransition => "incomplete-transition",
            Rule::UnpublishedFacts => "unpublished-facts",
            Rule::PublishedBeforeEmbargo => "published-before-embargo",
            Rule::UpdatedBeforePublished => "updated-before-published",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Rule::ByteOrderMark
            | Rule::FolderDate
            | Rule::UnknownSetting
            | Rule::BodyRepeatsDateline
            | Rule::MediaNotFound => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub path: PathBuf,
    pub location: Location,
    pub severity: Severity,
    pub rule: Rule,
    pub message: String,
    /// The key path the finding is about (`media[0].credit`); for a missing
    /// key, the key that should be there.
    pub field: Option<FieldPath>,
    /// The text of the line the finding points at, for showing it.
    pub source_line: String,
}

impl Finding {
    /// A finding at `span` of `text`.
    pub fn at(
        path: impl Into<PathBuf>,
        text: &str,
        span: &Span,
        rule: Rule,
        message: impl Into<String>,
    ) -> Self {
        let location = locate(text, span);
        Self {
            path: path.into(),
            location,
            severity: rule.severity(),
            rule,
            message: message.into(),
            field: None,
            source_line: line_text(text, location.line).to_owned(),
        }
    }

    /// A settings file that cannot be used, named as `path`.
    pub fn invalid_settings(path: impl Into<PathBuf>, error: &ConfigError) -> Self {
        Self {
            path: path.into(),
            location: error.location(),
            severity: Rule::InvalidSettings.severity(),
            rule: Rule::InvalidSettings,
            message: error.what(),
            field: None,
            source_line: String::new(),
        }
    }

    /// A key of a settings file this version does not know, named as
    /// `path`.
    pub fn unknown_setting(path: impl Into<PathBuf>, setting: &UnknownSetting) -> Self {
        Self {
            path: path.into(),
            location: setting.location,
            severity: Rule::UnknownSetting.severity(),
            rule: Rule::UnknownSetting,
            message: setting.message.clone(),
            field: Some(setting.field.clone()),
            source_line: setting.source_line.clone(),
        }
    }

    /// A finding about a whole file, pointing at its start.
    pub fn file(path: impl Into<PathBuf>, rule: Rule, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            location: Location::START,
            severity: rule.severity(),
            rule,
            message: message.into(),
            field: None,
            source_line: String::new(),
        }
    }

    pub fn with_field(mut self, field: FieldPath) -> Self {
        self.field = (!field.is_root()).then_some(field);
        self
    }

    /// The order findings are reported in: by file, then by position.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.path,
            self.location.line,
            self.location.column,
            self.rule,
            &self.message,
        )
    }
}
