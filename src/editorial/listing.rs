//! Filtering the newsroom's articles (`news list`).

use std::path::PathBuf;

use chrono::NaiveDate;

use super::{Desk, DeskError};
use crate::article::Article;

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

impl Desk {
    /// The articles `filter` keeps, newest first (then by id).
    pub fn list(&self, filter: &Filter) -> Result<Vec<(PathBuf, Article)>, DeskError> {
        let vocabulary = self.schema().vocabulary();
        let canonical = |tag: &str| {
            vocabulary
                .and_then(|vocabulary| vocabulary.resolve(tag))
                .unwrap_or(tag)
                .to_owned()
        };
        let tag = filter.tag.as_deref().map(canonical);
        let byline = filter.byline.as_deref().map(str::to_lowercase);
        let timezone = self.newsroom().config().timezone;
        let mut articles: Vec<(PathBuf, Article)> = self
            .articles()?
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
        Ok(articles)
    }
}
