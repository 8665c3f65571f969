use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use news::editorial::{Filter, open_snapshot};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::cli::escape::escape;
use crate::cli::{CommandError, Ui};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table
    Table,
    /// An array of objects
    Json,
}

/// List the newsroom's articles, newest first
#[derive(Debug, clap::Args)]
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

    /// Only articles created on or after this date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    since: Option<NaiveDate>,

    /// Only articles created on or before this date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    until: Option<NaiveDate>,

    /// How to write the list
    #[arg(long, value_enum, default_value_t = Format::Table)]
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
    let filter = Filter {
        tag: args.tag.clone(),
        status: args.status.clone(),
        genre: args.genre.clone(),
        byline: args.byline.clone(),
        since: args.since,
        until: args.until,
    };
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
        Format::Table => {
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
