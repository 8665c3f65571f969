//! What `news list` keeps of a snapshot's articles.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};

use crate::article::Article;
use crate::schema::Vocabulary;

/// What `news list` keeps; `None` keeps everything.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub tag: Option<String>,
    pub status: Option<String>,
    pub genre: Option<String>,
    pub byline: Option<String>,
    /// Created at or after this instant.
    pub since: Option<DateTime<FixedOffset>>,
    /// Text the headline, summary or body holds, in any case.
    pub grep: Option<String>,
    /// At most this many, the newest.
    pub limit: Option<usize>,
    /// Created before this instant (the end of a day named as a date).
    pub until: Option<DateTime<FixedOffset>>,
    /// Oldest first (the editors' queue), and `limit` keeps the oldest.
    pub oldest: bool,
}

/// What `news list` shows, and how many records it could not read.
#[derive(Debug)]
pub struct Listing {
    pub articles: Vec<(PathBuf, Article)>,
    /// Records left out because they cannot be read into the model.
    pub unreadable: usize,
}

/// The articles `filter` keeps, newest first (then by id), or oldest
/// first.
pub(super) fn filtered(
    articles: Vec<(PathBuf, Article)>,
    filter: &Filter,
    vocabulary: Option<&Vocabulary>,
) -> Vec<(PathBuf, Article)> {
    let canonical = |tag: &str| {
        vocabulary
            .and_then(|vocabulary| vocabulary.resolve(tag))
            .unwrap_or(tag)
            .to_owned()
    };
    let tag = filter.tag.as_deref().map(canonical);
    let byline = filter.byline.as_deref().map(str::to_lowercase);
    let grep = filter.grep.as_deref().map(str::to_lowercase);
    let mut articles: Vec<(PathBuf, Article)> = articles
        .into_iter()
        .filter(|(_, article)| {
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
                && grep.as_ref().is_none_or(|text| {
                    [
                        Some(&article.headline),
                        article.summary.as_ref(),
                        article.body.as_ref(),
                    ]
                    .into_iter()
                    .flatten()
                    .any(|field| field.to_lowercase().contains(text.as_str()))
                })
                && filter.since.is_none_or(|since| article.created >= since)
                && filter.until.is_none_or(|until| article.created < until)
        })
        .collect();
    articles.sort_by(|(_, left), (_, right)| {
        let (first, second) = match filter.oldest {
            true => (left, right),
            false => (right, left),
        };
        first
            .created
            .cmp(&second.created)
            .then_with(|| left.id.cmp(&right.id))
    });
    if let Some(limit) = filter.limit {
        articles.truncate(limit);
    }
    articles
}
