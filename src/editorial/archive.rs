//! A newsroom as committed at a revision, read straight from git: what the
//! read-only commands use in a bare repository (DESIGN.md §5).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{DeskError, StoredArticle};
use crate::article::{Article, Record};
use crate::git::Repo;
use crate::newsroom::{ARTICLES_DIR, CONFIG_FILE, Config, TimeZone};
use crate::schema::{TAGS_PATH, Vocabulary, did_you_mean};

pub struct Archive {
    repo: Repo,
    revision: String,
    config: Config,
    vocabulary: Option<Vocabulary>,
}

impl Archive {
    /// The newsroom at the top of the repository `start` is in, as of
    /// `revision`.
    pub fn open(start: &Path, revision: &str) -> Result<Self, DeskError> {
        let repo = Repo::discover(start).map_err(|_| DeskError::NoNewsroom {
            cwd: start.to_owned(),
        })?;
        let read = |path: &str| -> Result<Option<String>, DeskError> {
            Ok(repo
                .file_at(revision, path)?
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
        };
        let config_text = read(CONFIG_FILE)?.ok_or_else(|| DeskError::NoNewsroom {
            cwd: start.to_owned(),
        })?;
        let config = Config::parse(&config_text, &shown(revision, CONFIG_FILE))?;
        let vocabulary = match read(TAGS_PATH)? {
            Some(text) => Some(Vocabulary::parse(&text, &shown(revision, TAGS_PATH))?),
            None => None,
        };
        Ok(Self {
            repo,
            revision: revision.to_owned(),
            config,
            vocabulary,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn vocabulary(&self) -> Option<&Vocabulary> {
        self.vocabulary.as_ref()
    }

    pub fn timezone(&self) -> TimeZone {
        self.config.timezone
    }

    fn records(&self) -> Result<Vec<(String, Vec<u8>)>, DeskError> {
        Ok(self
            .repo
            .files_at(&self.revision, ARTICLES_DIR)?
            .into_iter()
            .filter(|(path, _)| path.ends_with(".toml"))
            .collect())
    }

    /// Every article that fits the model, with its path, and how many
    /// records did not.
    pub fn articles(&self) -> Result<(Vec<(PathBuf, Article)>, usize), DeskError> {
        let records = self.records()?;
        let articles: Vec<(PathBuf, Article)> = records
            .par_iter()
            .filter_map(|(path, bytes)| {
                let text = std::str::from_utf8(bytes).ok()?;
                let article = Record::parse(text).ok()?.into_article().ok()?;
                Some((PathBuf::from(path), article))
            })
            .collect();
        let unreadable = records.len() - articles.len();
        Ok((articles, unreadable))
    }

    /// The record of article `id`.
    pub fn article(&self, id: &str) -> Result<StoredArticle, DeskError> {
        let records = self.records()?;
        let stem = |path: &str| -> String {
            Path::new(path)
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        match records.iter().find(|(path, _)| stem(path) == id) {
            Some((path, bytes)) => Ok(StoredArticle {
                id: id.to_owned(),
                path: PathBuf::from(path),
                text: String::from_utf8_lossy(bytes).into_owned(),
            }),
            None => {
                let ids: Vec<String> = records.iter().map(|(path, _)| stem(path)).collect();
                Err(DeskError::NoSuchArticle {
                    id: id.to_owned(),
                    suggestion: did_you_mean(id, ids.iter().map(String::as_str)).map(str::to_owned),
                })
            }
        }
    }
}

fn shown(revision: &str, path: &str) -> PathBuf {
    PathBuf::from(format!("{revision}:{path}"))
}
