//! What a valid record is: the newsroom's JSON Schema, its tag vocabulary
//! and the built-in rules, checked into [`Finding`]s with locations.

mod finding;
mod json_schema;
mod rules;
mod suggest;
mod vocabulary;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use finding::{Finding, Rule, Severity};
pub use json_schema::{ArticleSchema, Temporal};
pub use rules::{MediaFiles, Placement, is_control, offset_date_time};
pub use suggest::did_you_mean;
pub use vocabulary::{Tag, Vocabulary, VocabularyEditor};

use crate::article::Record;
use crate::settings::{ConfigError, read_setting};

/// The default article schema, written by `news init` and used where a
/// newsroom has none.
pub const DEFAULT_ARTICLE_SCHEMA: &str = include_str!("../../schema/article.schema.json");
/// The default tag vocabulary, written by `news init` and used outside any
/// newsroom.
pub const DEFAULT_TAGS: &str = include_str!("../../schema/tags.toml");

/// Where a newsroom keeps its schema files, relative to its root.
pub const ARTICLE_SCHEMA_PATH: &str = "schema/article.schema.json";
pub const TAGS_PATH: &str = "schema/tags.toml";

/// Everything a record is checked against.
pub struct Schema {
    /// Shared by the schemas [`Schema::with_vocabulary`] makes.
    article: Arc<ArticleSchema>,
    vocabulary: Option<Vocabulary>,
}

impl Schema {
    /// The defaults embedded in the binary: the project's own `schema/`.
    pub fn builtin() -> Self {
        let article = ArticleSchema::parse(DEFAULT_ARTICLE_SCHEMA, Path::new(ARTICLE_SCHEMA_PATH))
            .expect("the embedded default schema compiles (tested)");
        let vocabulary = Vocabulary::parse(DEFAULT_TAGS, Path::new(TAGS_PATH))
            .expect("the embedded default vocabulary parses (tested)");
        Self {
            article: Arc::new(article),
            vocabulary: Some(vocabulary),
        }
    }

    /// A newsroom's schema: its `schema/article.schema.json`, or the
    /// built-in one where it has none; its `schema/tags.toml`, or no
    /// vocabulary (any tag goes) where it has none.
    pub fn load(root: &Path) -> Result<Self, ConfigError> {
        let read = |relative: &str| {
            let path = root.join(relative);
            Ok::<_, ConfigError>(read_setting(&path, root)?.map(|text| (path, text)))
        };
        Self::from_files(read(ARTICLE_SCHEMA_PATH)?, read(TAGS_PATH)?)
    }

    /// A newsroom's schema from the texts of its files, each with the path
    /// its findings name (none: the file is absent), wherever they were
    /// read: the work tree or a revision.
    pub fn from_files(
        article: Option<(PathBuf, String)>,
        tags: Option<(PathBuf, String)>,
    ) -> Result<Self, ConfigError> {
        let article = match article {
            Some((path, text)) => ArticleSchema::parse(&text, &path)?,
            None => ArticleSchema::parse(DEFAULT_ARTICLE_SCHEMA, Path::new(ARTICLE_SCHEMA_PATH))?,
        };
        let vocabulary = match tags {
            Some((path, text)) => Some(Vocabulary::parse(&text, &path)?),
            None => None,
        };
        Ok(Self {
            article: Arc::new(article),
            vocabulary,
        })
    }

    /// This schema with another vocabulary (none: any tag goes), to check
    /// records against a vocabulary a command is about to commit.
    pub fn with_vocabulary(&self, vocabulary: Option<Vocabulary>) -> Self {
        Self {
            article: Arc::clone(&self.article),
            vocabulary,
        }
    }

    pub fn article(&self) -> &ArticleSchema {
        &self.article
    }

    pub fn vocabulary(&self) -> Option<&Vocabulary> {
        self.vocabulary.as_ref()
    }

    /// Keys of the settings files this version does not know, which it
    /// ignores.
    pub fn warnings(&self) -> &[crate::settings::UnknownSetting] {
        self.vocabulary.as_ref().map_or(&[], Vocabulary::warnings)
    }

    /// Every finding of one record: the JSON Schema, then the built-in
    /// rules.
    pub fn check(&self, record: &Record<'_>, placement: Placement<'_>) -> Vec<Finding> {
        let mut findings = Vec::new();
        self.article.check(record, placement.path, &mut findings);
        rules::BuiltinRules {
            record,
            placement,
            schema: &self.article,
            vocabulary: self.vocabulary.as_ref(),
        }
        .check(&mut findings);
        findings
    }
}
