//! The newsroom repository (DESIGN.md §1): where it is, its settings, and
//! the article files it holds.

mod config;
mod walk;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

pub use crate::files::{MAX_FILE_BYTES, ReadError, check_folder, read_inside};
pub use crate::settings::{ConfigError, read_setting};
pub use crate::time::{TimeZone, UnknownTimeZone};
pub use config::{Config, VERSION};
pub use walk::{WalkError, toml_files, toml_stems};

use crate::article::ArticleId;
use crate::schema::Schema;

/// The settings file that marks a newsroom's root.
pub const CONFIG_FILE: &str = "news.toml";
/// The folder that holds the articles, by date.
pub const ARTICLES_DIR: &str = "articles";

/// A newsroom: its root folder and settings.
#[derive(Clone, Debug)]
pub struct Newsroom {
    root: PathBuf,
    config: Config,
}

impl Newsroom {
    /// The newsroom whose root is `root`.
    pub fn open(root: &Path) -> Result<Self, ConfigError> {
        let path = root.join(CONFIG_FILE);
        let text = read_setting(&path, root)?.ok_or_else(|| ConfigError::Read {
            path: path.clone(),
            source: ReadError::Io {
                path: path.clone(),
                source: std::io::ErrorKind::NotFound.into(),
            },
        })?;
        let config = Config::parse(&text, &path)?;
        Ok(Self {
            root: root.to_owned(),
            config,
        })
    }

    /// The newsroom `start` is in: the nearest folder upward from it that
    /// holds `news.toml`. `start` should be absolute.
    pub fn discover(start: &Path) -> Result<Option<Self>, ConfigError> {
        match find_root(start) {
            Some(root) => Self::open(&root).map(Some),
            None => Ok(None),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn articles_dir(&self) -> PathBuf {
        self.root.join(ARTICLES_DIR)
    }

    /// The path of article `id`'s record, relative to the root, if the
    /// newsroom has one: the file named `<id>.toml` below `articles/`.
    pub fn find_article(&self, id: &str) -> Result<Option<PathBuf>, WalkError> {
        let articles = self.articles_dir();
        if !articles.is_dir() {
            return Ok(None);
        }
        let wanted = format!("{id}.toml");
        Ok(toml_files(&articles)?
            .into_iter()
            .find(|path| path.file_name().is_some_and(|name| *name == *wanted))
            .and_then(|path| path.strip_prefix(&self.root).ok().map(Path::to_owned)))
    }

    /// The ids of every article, by file name.
    pub fn article_ids(&self) -> Result<std::collections::HashSet<String>, WalkError> {
        let articles = self.articles_dir();
        if !articles.is_dir() {
            return Ok(Default::default());
        }
        toml_stems(&articles)
    }

    /// Where a new article created on `date` goes, relative to the root.
    pub fn article_path(id: &ArticleId, date: NaiveDate) -> PathBuf {
        Path::new(ARTICLES_DIR)
            .join(date.format("%Y/%m/%d").to_string())
            .join(id.file_name())
    }

    /// The newsroom's schema, vocabulary and defaults.
    pub fn schema(&self) -> Result<Schema, ConfigError> {
        Schema::load(&self.root)
    }

    /// The date an article's folder stands for, when `path` (inside this
    /// newsroom) is `articles/YYYY/MM/DD/<file>`.
    pub fn folder_date(&self, path: &Path) -> Option<NaiveDate> {
        record_folder_date(path.strip_prefix(&self.root).ok()?)
    }
}

/// The date an article's folder stands for, when `relative` (to the
/// newsroom root) is `articles/YYYY/MM/DD/<file>`.
pub fn record_folder_date(relative: &Path) -> Option<NaiveDate> {
    let mut components = relative
        .components()
        .map(|component| component.as_os_str().to_str());
    if components.next()?? != ARTICLES_DIR {
        return None;
    }
    let (year, month, day) = (
        components.next()??,
        components.next()??,
        components.next()??,
    );
    let _file = components.next()?;
    if components.next().is_some() {
        return None;
    }
    date_from_folders(year, month, day)
}

/// The nearest folder upward from `start` (itself included) that holds
/// `news.toml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        // Whatever stands there marks the root: a news.toml that is not a
        // regular file is refused when read, never passed over.
        .find(|folder| std::fs::symlink_metadata(folder.join(CONFIG_FILE)).is_ok())
        .map(Path::to_owned)
}

/// The date of `YYYY`/`MM`/`DD` folder names, written with all their digits.
pub fn date_from_folders(year: &str, month: &str, day: &str) -> Option<NaiveDate> {
    let digits = |text: &str, width: usize| {
        (text.len() == width && text.bytes().all(|byte| byte.is_ascii_digit()))
            .then(|| text.parse::<u32>().ok())
            .flatten()
    };
    let year = i32::try_from(digits(year, 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(month, 2)?, digits(day, 2)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dates_from_well_formed_folders_only() {
        assert_eq!(
            date_from_folders("2015", "09", "23"),
            NaiveDate::from_ymd_opt(2015, 9, 23)
        );
        assert_eq!(date_from_folders("2015", "9", "23"), None);
        assert_eq!(date_from_folders("2015", "02", "30"), None);
        assert_eq!(date_from_folders("fixtures", "09", "23"), None);
    }
}
