//! A newsroom as read: its work tree, or its tree at a revision read
//! straight from git objects (no checkout, so a bare repository too).
//! Every read command reads records and settings through one; history,
//! `--rev`, exports and the cache build on it.

mod filter;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use filter::{Filter, Listing};

use crate::article::{Article, Record};
use crate::git::{GitError, Repo};
use crate::newsroom::{
    ARTICLES_DIR, CONFIG_FILE, Config, ConfigError, Newsroom, WalkError, toml_files,
};
use crate::schema::{ARTICLE_SCHEMA_PATH, Finding, Schema, TAGS_PATH, did_you_mean};
use crate::settings::UnknownSetting;

/// A record's bytes, or the rule and message that say why they cannot be
/// checked.
pub type RecordBytes = Result<Vec<u8>, (crate::schema::Rule, String)>;

/// A record as it is stored: its id, its path relative to the newsroom
/// root, and its text.
#[derive(Clone, Debug)]
pub struct StoredArticle {
    pub id: String,
    pub path: PathBuf,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("not inside a newsroom: no news.toml in {} or any folder above it", cwd.display())]
    NoNewsroom { cwd: PathBuf },
    #[error("no article with the id {id:?}{}", suggestion.as_ref().map(|s| format!("; did you mean {s:?}?")).unwrap_or_default())]
    NoSuchArticle {
        id: String,
        suggestion: Option<String>,
    },
    #[error("no article record at {}", path.display())]
    NoSuchRecord { path: PathBuf },
    #[error("the id {id:?} names {} records: {}", paths.len(), paths.iter().map(|path| path.display().to_string()).collect::<Vec<_>>().join(", "))]
    Ambiguous { id: String, paths: Vec<PathBuf> },
    /// The record cannot be read (the findings say why).
    #[error("the record cannot be read")]
    Unreadable { findings: Vec<Finding> },
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Walk(#[from] WalkError),
    #[error(transparent)]
    Git(#[from] GitError),
}

/// A newsroom's settings, schema and records, from one source.
pub struct Snapshot {
    config: Config,
    schema: Schema,
    source: Source,
}

enum Source {
    /// The work tree: files below the newsroom's root, read the safe way.
    WorkTree(Newsroom),
    /// The tree of a revision; the newsroom in the folder `prefix` of it
    /// (empty: at the top; otherwise `/`-terminated).
    Revision {
        repo: Repo,
        revision: String,
        prefix: String,
    },
}

impl Snapshot {
    /// The newsroom's work tree.
    pub fn work_tree(newsroom: Newsroom) -> Result<Self, SnapshotError> {
        Ok(Self {
            config: newsroom.config().clone(),
            schema: newsroom.schema()?,
            source: Source::WorkTree(newsroom),
        })
    }

    /// The newsroom at the top of `repo` as committed at `revision`: its
    /// settings, schema and vocabulary from that revision too.
    pub fn at_revision(repo: Repo, revision: &str) -> Result<Self, SnapshotError> {
        Self::at_revision_in(repo, revision, "")
    }

    /// The newsroom `cwd` is in as committed at `revision` (in the same
    /// folder of the repository as in the work tree).
    pub fn open_at(cwd: &Path, revision: &str) -> Result<Self, SnapshotError> {
        let repo = Repo::discover(cwd)?;
        let prefix = match (Newsroom::discover(cwd)?, repo.workdir()) {
            (Some(newsroom), Some(top)) => crate::paths::repo_prefix(top, newsroom.root()),
            _ => String::new(),
        };
        Self::at_revision_in(repo, revision, &prefix)
    }

    /// The newsroom in the folder `prefix` (`/`-terminated, or empty for
    /// the top) of `repo` as committed at `revision`.
    pub fn at_revision_in(repo: Repo, revision: &str, prefix: &str) -> Result<Self, SnapshotError> {
        let shown = |path: &str| PathBuf::from(format!("{revision}:{prefix}{path}"));
        let read = |path: &str| -> Result<Option<(PathBuf, String)>, SnapshotError> {
            let bytes = repo.file_at(revision, &format!("{prefix}{path}"))?;
            Ok(bytes.map(|bytes| (shown(path), String::from_utf8_lossy(&bytes).into_owned())))
        };
        let Some((config_path, config_text)) = read(CONFIG_FILE)? else {
            return Err(SnapshotError::NoNewsroom {
                cwd: shown(CONFIG_FILE),
            });
        };
        let config = Config::parse(&config_text, &config_path)?;
        let schema = Schema::from_files(read(ARTICLE_SCHEMA_PATH)?, read(TAGS_PATH)?)?;
        Ok(Self {
            config,
            schema,
            source: Source::Revision {
                repo,
                revision: revision.to_owned(),
                prefix: prefix.to_owned(),
            },
        })
    }

    /// The newsroom `cwd` is in, as its work tree has it; in a repository
    /// without a work tree, the newsroom committed at HEAD.
    pub fn open(cwd: &Path) -> Result<Self, SnapshotError> {
        match Newsroom::discover(cwd)? {
            Some(newsroom) => Self::work_tree(newsroom),
            None => match Repo::discover(cwd) {
                Ok(repo) if repo.is_bare() => Self::at_revision(repo, "HEAD"),
                _ => Err(SnapshotError::NoNewsroom {
                    cwd: cwd.to_owned(),
                }),
            },
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Keys of news.toml and schema/tags.toml this version does not know,
    /// which it ignores: for the command line to say once.
    pub fn setting_warnings(&self) -> impl Iterator<Item = &UnknownSetting> {
        self.config.warnings.iter().chain(self.schema.warnings())
    }

    /// The newsroom on disk, for a work tree.
    pub fn newsroom(&self) -> Option<&Newsroom> {
        match &self.source {
            Source::WorkTree(newsroom) => Some(newsroom),
            Source::Revision { .. } => None,
        }
    }

    /// The record of article `id`. Two records of that name (the
    /// duplicate-id rule's finding) are an error naming both.
    pub fn article(&self, id: &str) -> Result<StoredArticle, SnapshotError> {
        let paths = self.record_paths()?;
        let found: Vec<&PathBuf> = paths
            .iter()
            .filter(|path| id_of(path) == Some(id))
            .collect();
        match found[..] {
            [path] => self.stored(path),
            [] => {
                let ids = paths.iter().filter_map(|path| id_of(path));
                Err(SnapshotError::NoSuchArticle {
                    id: id.to_owned(),
                    suggestion: did_you_mean(id, ids).map(str::to_owned),
                })
            }
            _ => Err(SnapshotError::Ambiguous {
                id: id.to_owned(),
                paths: found.into_iter().cloned().collect(),
            }),
        }
    }

    /// The record `reference` names: an id, or the path of a record file
    /// (relative to `cwd` in a work tree, to the top of the repository at
    /// a revision), as the commands print them.
    pub fn find(&self, reference: &str, cwd: &Path) -> Result<StoredArticle, SnapshotError> {
        if reference_id(reference) == reference {
            return self.article(reference);
        }
        let wanted = match &self.source {
            Source::WorkTree(newsroom) => {
                let full = crate::paths::normalize(&cwd.join(reference));
                crate::paths::relative(&full, newsroom.root())
            }
            Source::Revision { .. } => crate::paths::normalize(Path::new(reference)),
        };
        let paths = self.record_paths()?;
        match paths.iter().find(|path| **path == wanted) {
            Some(path) => self.stored(path),
            None => Err(SnapshotError::NoSuchRecord {
                path: PathBuf::from(reference),
            }),
        }
    }

    fn stored(&self, path: &Path) -> Result<StoredArticle, SnapshotError> {
        let text =
            String::from_utf8(self.read(path)?).map_err(|error| SnapshotError::Unreadable {
                findings: self.check(path, error.as_bytes()),
            })?;
        Ok(StoredArticle {
            id: id_of(path).unwrap_or_default().to_owned(),
            path: path.to_owned(),
            text,
        })
    }

    /// Every article that fits the model, with its path relative to the
    /// root, and how many records could not be read into it: those are
    /// left out, and `news validate` says why.
    pub fn articles(&self) -> Result<(Vec<(PathBuf, Article)>, usize), SnapshotError> {
        let (count, articles): (usize, Vec<(PathBuf, Article)>) = match &self.source {
            // Files are read in parallel; git objects are read first (a
            // repository handle is not shared between threads).
            Source::WorkTree(newsroom) => {
                let paths = self.record_paths()?;
                let root = newsroom.root();
                let articles = paths
                    .par_iter()
                    .filter_map(|path| {
                        let full = root.join(path);
                        let bytes = crate::validate::read_record_file(&full, Some(root)).ok()?;
                        Some((path.clone(), parse_article(bytes)?))
                    })
                    .collect();
                (paths.len(), articles)
            }
            Source::Revision {
                repo,
                revision,
                prefix,
            } => {
                let records: Vec<(String, Vec<u8>)> = repo
                    .files_at(revision, &format!("{prefix}{ARTICLES_DIR}"))?
                    .into_iter()
                    .filter(|(path, _)| path.ends_with(".toml"))
                    .map(|(path, bytes)| (unprefixed(&path, prefix), bytes))
                    .collect();
                // Links and other entries that are not files count as
                // records that cannot be read.
                let count = self.record_paths()?.len();
                let articles = records
                    .into_par_iter()
                    .filter_map(|(path, bytes)| Some((PathBuf::from(path), parse_article(bytes)?)))
                    .collect();
                (count, articles)
            }
        };
        let unreadable = count - articles.len();
        Ok((articles, unreadable))
    }

    /// The articles `filter` keeps, newest first (then by id), or oldest
    /// first.
    pub fn list(&self, filter: &Filter) -> Result<Listing, SnapshotError> {
        let (articles, unreadable) = self.articles()?;
        Ok(Listing {
            articles: filter::filtered(articles, filter, self.schema.vocabulary()),
            unreadable,
        })
    }

    /// The paths of every record, relative to the newsroom root, sorted.
    pub fn record_paths(&self) -> Result<Vec<PathBuf>, SnapshotError> {
        match &self.source {
            Source::WorkTree(newsroom) => {
                let articles = newsroom.articles_dir();
                if !articles.is_dir() {
                    return Ok(Vec::new());
                }
                let root = newsroom.root();
                Ok(toml_files(&articles)?
                    .into_iter()
                    .filter_map(|file| file.strip_prefix(root).ok().map(Path::to_owned))
                    .collect())
            }
            Source::Revision {
                repo,
                revision,
                prefix,
            } => Ok(repo
                .paths_at(revision, &format!("{prefix}{ARTICLES_DIR}"))?
                .into_iter()
                .filter(|path| path.ends_with(".toml"))
                .map(|path| PathBuf::from(unprefixed(&path, prefix)))
                .collect()),
        }
    }

    /// Every record's bytes, or why they cannot be read, by path relative
    /// to the root.
    pub fn record_files(&self) -> Result<Vec<(PathBuf, RecordBytes)>, SnapshotError> {
        let paths = self.record_paths()?;
        match &self.source {
            Source::WorkTree(newsroom) => Ok(paths
                .into_par_iter()
                .map(|path| {
                    let bytes = crate::validate::read_record_file(
                        &newsroom.root().join(&path),
                        Some(newsroom.root()),
                    );
                    (path, bytes)
                })
                .collect()),
            Source::Revision {
                repo,
                revision,
                prefix,
            } => {
                let mut files: std::collections::HashMap<String, Vec<u8>> = repo
                    .files_at(revision, &format!("{prefix}{ARTICLES_DIR}"))?
                    .into_iter()
                    .map(|(path, bytes)| (unprefixed(&path, prefix), bytes))
                    .collect();
                Ok(paths
                    .into_iter()
                    .map(|path| {
                        let bytes = files.remove(&*path.to_string_lossy()).ok_or((
                            crate::schema::Rule::UnreadableFile,
                            "not a regular file (a link, say); an article is a file".to_owned(),
                        ));
                        (path, bytes)
                    })
                    .collect())
            }
        }
    }

    /// The regular files of a revision below the newsroom root, by path
    /// relative to it (where media paths are looked up); none for a work
    /// tree, whose files are looked at on disk.
    pub fn revision_files(&self) -> Result<Option<HashSet<String>>, SnapshotError> {
        match &self.source {
            Source::WorkTree(_) => Ok(None),
            Source::Revision {
                repo,
                revision,
                prefix,
            } => Ok(Some(
                repo.regular_paths_at(revision, prefix.trim_end_matches('/'))?
                    .into_iter()
                    .map(|path| unprefixed(&path, prefix))
                    .collect(),
            )),
        }
    }

    /// Where the record at `path` (relative to the root) is, as findings
    /// name it: in the work tree, or where the work tree would have it;
    /// in a bare repository, relative to the top.
    pub fn full_path(&self, path: &Path) -> PathBuf {
        match &self.source {
            Source::WorkTree(newsroom) => newsroom.root().join(path),
            Source::Revision { repo, prefix, .. } => match repo.workdir() {
                Some(top) => top.join(prefix).join(path),
                None => Path::new(prefix).join(path),
            },
        }
    }

    /// A path relative to the top of the repository, as
    /// [`Self::full_path`] names paths.
    pub fn top_path(&self, from_top: &str) -> PathBuf {
        match &self.source {
            Source::WorkTree(newsroom) => newsroom.root().join(from_top),
            Source::Revision { repo, .. } => match repo.workdir() {
                Some(top) => top.join(from_top),
                None => PathBuf::from(from_top),
            },
        }
    }

    /// The bytes of the record at `path` (relative to the root), through
    /// the one safe read of the work tree or from the revision's blob.
    fn read(&self, path: &Path) -> Result<Vec<u8>, SnapshotError> {
        match &self.source {
            Source::WorkTree(newsroom) => crate::validate::read_record_file(
                &newsroom.root().join(path),
                Some(newsroom.root()),
            )
            .map_err(|(rule, message)| SnapshotError::Unreadable {
                findings: vec![Finding::file(path, rule, message)],
            }),
            Source::Revision {
                repo,
                revision,
                prefix,
            } => {
                let shown = path.to_string_lossy();
                repo.file_at(revision, &format!("{prefix}{shown}"))?
                    .ok_or_else(|| SnapshotError::NoSuchArticle {
                        id: shown.into_owned(),
                        suggestion: None,
                    })
            }
        }
    }

    /// Every finding of `bytes` as the record at `path`.
    fn check(&self, path: &Path, bytes: &[u8]) -> Vec<Finding> {
        let newsroom = match &self.source {
            Source::WorkTree(newsroom) => Some(newsroom),
            Source::Revision { .. } => None,
        };
        let full = newsroom.map_or_else(|| path.to_owned(), |newsroom| newsroom.root().join(path));
        crate::validate::check_record(bytes, &full, path, newsroom, &self.schema)
    }
}

/// A record's bytes in the model, when they fit it.
fn parse_article(bytes: Vec<u8>) -> Option<Article> {
    let text = String::from_utf8(bytes).ok()?;
    Record::parse(&text).ok()?.into_article().ok()
}

/// The id a record's file name gives.
fn id_of(path: &Path) -> Option<&str> {
    path.file_stem().and_then(|stem| stem.to_str())
}

/// `path` (from the top) relative to the newsroom's folder `prefix`.
fn unprefixed(path: &str, prefix: &str) -> String {
    path.strip_prefix(prefix).unwrap_or(path).to_owned()
}

/// The id a reference names: an id, or a record's path (its file name).
pub fn reference_id(reference: &str) -> &str {
    let name = reference.rsplit(['/', '\\']).next().unwrap_or(reference);
    name.strip_suffix(".toml").unwrap_or(name)
}
