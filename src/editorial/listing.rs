//! Filtering the newsroom's articles (`news list`).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{Archive, Desk, DeskError, StoredArticle};
use crate::article::Article;
use crate::git::{Notify, Repo};
use crate::newsroom::TimeZone;
use crate::schema::Vocabulary;

/// What `news list` keeps; `None` keeps everything.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub tag: Option<String>,
    pub status: Option<String>,
    pub genre: Option<String>,
    pub byline: Option<String>,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

/// What `news list` shows, and how many records it could not read.
#[derive(Debug)]
pub struct Listing {
    pub articles: Vec<(PathBuf, Article)>,
    /// Records left out because they cannot be read into the model.
    pub unreadable: usize,
}

/// A newsroom to read from: its working tree, or, in a bare repository,
/// what HEAD holds.
pub enum Reader {
    Worktree(Desk),
    Archive(Archive),
}

impl Reader {
    /// The newsroom `cwd` is in; in a repository without a working tree,
    /// the newsroom committed at HEAD.
    pub fn open(cwd: &Path, notify: Notify) -> Result<Self, DeskError> {
        match Desk::open(cwd, notify) {
            Ok(desk) => Ok(Reader::Worktree(desk)),
            Err(DeskError::NoNewsroom { .. })
                if Repo::discover(cwd).is_ok_and(|repo| repo.is_bare()) =>
            {
                Archive::open(cwd, "HEAD").map(Reader::Archive)
            }
            Err(error) => Err(error),
        }
    }

    pub fn article(&self, id: &str) -> Result<StoredArticle, DeskError> {
        match self {
            Reader::Worktree(desk) => desk.article(id),
            Reader::Archive(archive) => archive.article(id),
        }
    }

    /// The articles `filter` keeps, newest first (then by id).
    pub fn list(&self, filter: &Filter) -> Result<Listing, DeskError> {
        let ((articles, unreadable), vocabulary, timezone) = match self {
            Reader::Worktree(desk) => (
                desk.articles()?,
                desk.schema().vocabulary(),
                desk.newsroom().config().timezone,
            ),
            Reader::Archive(archive) => (
                archive.articles()?,
                archive.vocabulary(),
                archive.timezone(),
            ),
        };
        Ok(Listing {
            articles: filtered(articles, filter, vocabulary, timezone),
            unreadable,
        })
    }
}

fn filtered(
    articles: Vec<(PathBuf, Article)>,
    filter: &Filter,
    vocabulary: Option<&Vocabulary>,
    timezone: TimeZone,
) -> Vec<(PathBuf, Article)> {
    let canonical = |tag: &str| {
        vocabulary
            .and_then(|vocabulary| vocabulary.resolve(tag))
            .unwrap_or(tag)
            .to_owned()
    };
    let tag = filter.tag.as_deref().map(canonical);
    let byline = filter.byline.as_deref().map(str::to_lowercase);
    let mut articles: Vec<(PathBuf, Article)> = articles
        .into_iter()
        .filter(|(_, article)| {
            let created_on = timezone.local_date(&article.created);
            tag.as_ref()
                .is_none_or(|tag| article.tags.iter().any(|own| canonical(own) == *tag))
                && filter
                    .status
                    .as_ref()
                    .is_none_or(|status| article.status.to_string() == *status)
                && filter
                    .genre
                    .as_ref()
                    .is_none_or(|genre| article.genre.to_string() == *genre)
                && byline.as_ref().is_none_or(|wanted| {
                    article
                        .byline
                        .iter()
                        .any(|name| name.to_lowercase().contains(wanted.as_str()))
                })
                && filter.since.is_none_or(|since| created_on >= since)
                && filter.until.is_none_or(|until| created_on <= until)
        })
        .collect();
    articles.sort_by(|(_, left), (_, right)| {
        right
            .created
            .cmp(&left.created)
            .then_with(|| left.id.cmp(&right.id))
    });
    articles
}
