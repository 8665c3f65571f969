use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use news::editorial::{Filter, open_snapshot};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::cli::escape::escape;
use crate::cli::{CommandError, Ui};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table
    #[value(alias = "table")]
    Text,
    /// An array of objects
    Json,
}

/// List the newsroom's articles, newest first
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news list --status draft",
    "news list --tag Japan --since '7 days ago'",
    "news list --grep Kishida -n 5",
    "news list --format json | jq -r '.[].id'",
))]
pub struct Args {
    /// Only articles with this tag (or one of its aliases)
    #[arg(long)]
    tag: Option<String>,

    /// Only articles in this status (draft, review, published, withheld, retracted)
    #[arg(long)]
    status: Option<String>,

    /// Only articles of this genre
    #[arg(long)]
    genre: Option<String>,

    /// Only articles whose byline has this name (or part of it)
    #[arg(long)]
    byline: Option<String>,

    /// Only articles created at or after WHEN: a date, a time, yesterday,
    /// 2 days ago… (in the newsroom's time zone)
    #[arg(long, value_name = "WHEN")]
    since: Option<String>,

    /// Only articles created up to WHEN (a date includes that whole day)
    #[arg(long, value_name = "WHEN")]
    until: Option<String>,

    /// Only articles whose headline, summary or body holds TEXT (any case)
    #[arg(long, value_name = "TEXT")]
    grep: Option<String>,

    /// At most N articles, the newest
    #[arg(short = 'n', long = "limit", value_name = "N")]
    limit: Option<usize>,

    /// How to write the list
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    path: String,
    headline: &'a str,
    genre: String,
    status: String,
    byline: &'a [String],
    tags: &'a [String],
    created: String,
    published: Option<String>,
    section: Option<&'a str>,
}

pub fn run(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    let snapshot = open_snapshot(cwd, ui.notifier())?;
    let schema = snapshot.schema();
    let filter = Filter {
        tag: args
            .tag
            .as_deref()
            .map(|tag| known_tag(tag, schema))
            .transpose()?,
        status: args
            .status
            .as_deref()
            .map(|status| allowed("--status", "status", status, schema))
            .transpose()?,
        genre: args
            .genre
            .as_deref()
            .map(|genre| allowed("--genre", "genre", genre, schema))
            .transpose()?,
        byline: args.byline.clone(),
        grep: args.grep.clone(),
        limit: args.limit,
        since: args
            .since
            .as_deref()
            .map(|text| moment("--since", text, &snapshot, false))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|text| moment("--until", text, &snapshot, true))
            .transpose()?,
    };
    if let (Some(since), Some(until)) = (filter.since, filter.until)
        && since >= until
    {
        return Err(CommandError::usage(format!(
            "--since {} is not before --until {}: nothing could be listed",
            args.since.as_deref().unwrap_or_default(),
            args.until.as_deref().unwrap_or_default()
        )));
    }
    let listing = snapshot
        .list(&filter)
        .map_err(news::editorial::DeskError::from)?;
    if listing.unreadable > 0 {
        ui.warn(&format!(
            "{} record{} could not be read and {} not listed; `news validate` says why",
            listing.unreadable,
            if listing.unreadable == 1 { "" } else { "s" },
            if listing.unreadable == 1 { "is" } else { "are" },
        ))?;
    }
    let articles = listing.articles;
    let out = ui.out();
    match args.format {
        Format::Json => {
            let listed: Vec<Listed<'_>> = articles
                .iter()
                .map(|(path, article)| Listed {
                    id: &article.id,
                    path: path.display().to_string(),
                    headline: &article.headline,
                    genre: article.genre.to_string(),
                    status: article.status.to_string(),
                    byline: &article.byline,
                    tags: &article.tags,
                    created: article.created.to_rfc3339(),
                    published: article.published.map(|published| published.to_rfc3339()),
                    section: article.section.as_deref(),
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &listed)?;
            writeln!(out)?;
        }
        Format::Text => {
            let rows: Vec<[String; 5]> = articles
                .iter()
                .map(|(_, article)| {
                    [
                        article.created.format("%Y-%m-%d %H:%M").to_string(),
                        article.status.to_string(),
                        article.genre.to_string(),
                        escape(&article.id).into_owned(),
                        escape(&article.headline).into_owned(),
                    ]
                })
                .collect();
            let header = ["CREATED", "STATUS", "GENRE", "ID", "HEADLINE"].map(str::to_owned);
            let mut widths = [0; 5];
            for row in std::iter::once(&header).chain(&rows) {
                for (width, cell) in widths.iter_mut().zip(row) {
                    *width = (*width).max(cell.width());
                }
            }
            for row in std::iter::once(&header).chain(&rows) {
                let mut line = String::new();
                for (index, cell) in row.iter().enumerate() {
                    if index == row.len() - 1 {
                        line.push_str(cell);
                    } else {
                        line.push_str(cell);
                        line.push_str(&" ".repeat(widths[index] - cell.width() + 2));
                    }
                }
                writeln!(out, "{}", line.trim_end())?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The instant `--since`/`--until` names, in the newsroom's time zone; for
/// `--until`, the end of what it names (a date includes its whole day).
fn moment(
    flag: &str,
    text: &str,
    snapshot: &news::editorial::Snapshot,
    end: bool,
) -> Result<chrono::DateTime<chrono::FixedOffset>, CommandError> {
    let timezone = snapshot.config().timezone;
    timezone
        .parse_moment(text, timezone.now())
        .ok()
        .and_then(|moment| {
            if end {
                timezone.end_of(moment)
            } else {
                timezone.start_of(moment)
            }
        })
        .ok_or_else(|| {
            CommandError::usage(format!(
                "{flag} {text:?} is not a time news reads; give {}",
                news::time::DATE_FORMS
            ))
        })
}

/// `value` of `key` as the newsroom's schema spells it (any case), or a
/// usage error with the nearest value and the list.
fn allowed(
    flag: &str,
    key: &str,
    value: &str,
    schema: &news::schema::Schema,
) -> Result<String, CommandError> {
    let values = schema.article().allowed_values(&[key]);
    if values.is_empty() {
        return Ok(value.to_owned());
    }
    if let Some(found) = values
        .iter()
        .find(|known| known.eq_ignore_ascii_case(value))
    {
        return Ok((*found).to_owned());
    }
    let suggestion = news::schema::did_you_mean(value, values.iter().copied())
        .map(|near| format!("; did you mean `{near}`?"))
        .unwrap_or_default();
    Err(CommandError::usage(format!(
        "{flag} {value:?} is not a {key} of this newsroom{suggestion}"
    ))
    .with_hint(format!("its schema lists: {}", values.join(", "))))
}

/// `tag` as the vocabulary names it (aliases and any case accepted), or a
/// usage error with the nearest tag.
fn known_tag(tag: &str, schema: &news::schema::Schema) -> Result<String, CommandError> {
    let Some(vocabulary) = schema.vocabulary() else {
        return Ok(tag.to_owned());
    };
    if let Some(name) = vocabulary.resolve_ignoring_case(tag) {
        return Ok(name.to_owned());
    }
    let suggestion = vocabulary
        .suggest(tag)
        .map(|near| format!("; did you mean `{near}`?"))
        .unwrap_or_default();
    Err(CommandError::usage(format!(
        "--tag {tag:?} is not in the vocabulary (schema/tags.toml){suggestion}"
    )))
}
