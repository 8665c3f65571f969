use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use news::editorial::{Filter, open_snapshot};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::cli::escape::escape;
use crate::cli::fit::truncate;
use crate::cli::ui::status_style;
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
    "news list --status review --oldest      (the editors' queue)",
    "news list --tag Japan --since '7 days ago'",
    "news list --grep Kishida -n 5",
    "news list --format json | jq -r '.[].id'",
))]
pub struct Args {
    /// Only articles with this tag (or one of its aliases)
    #[arg(long)]
    tag: Option<String>,

    /// Only articles in this status (draft, review, published, withheld,
    /// retracted); review is the editors' queue
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

    /// At most N articles, the newest (the oldest with --oldest)
    #[arg(short = 'n', long = "limit", value_name = "N")]
    limit: Option<usize>,

    /// Oldest first: `--status review --oldest` is the editors' queue
    #[arg(long)]
    oldest: bool,

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
    super::warn_settings(ui, cwd, snapshot.setting_warnings())?;
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
        oldest: args.oldest,
        since: args
            .since
            .as_deref()
            .map(|text| super::moment("--since", text, &snapshot.config().timezone, false))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|text| super::moment("--until", text, &snapshot.config().timezone, true))
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
    match args.format {
        Format::Json => {
            let out = ui.out();
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
            let timezone = snapshot.config().timezone;
            let rows: Vec<Row> = articles
                .iter()
                .map(|(_, article)| Row {
                    created: timezone
                        .at(article.created)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                    status: article.status.to_string(),
                    genre: article.genre.to_string(),
                    id: escape(&article.id).into_owned(),
                    headline: escape(&article.headline).into_owned(),
                })
                .collect();
            let layout = Layout::fitting(&rows, ui.width());
            ui.page();
            layout.write(ui.out(), &rows)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An article as a row of the text table.
struct Row {
    created: String,
    status: String,
    genre: String,
    id: String,
    headline: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Created,
    /// The creation date without its time.
    Day,
    Status,
    Genre,
    Id,
    /// Always last: cut to the room left.
    Headline,
}

impl Column {
    fn header(self) -> &'static str {
        match self {
            Column::Created | Column::Day => "CREATED",
            Column::Status => "STATUS",
            Column::Genre => "GENRE",
            Column::Id => "ID",
            Column::Headline => "HEADLINE",
        }
    }

    fn cell(self, row: &Row) -> &str {
        match self {
            Column::Created => &row.created,
            Column::Day => row.created.split(' ').next().unwrap_or_default(),
            Column::Status => &row.status,
            Column::Genre => &row.genre,
            Column::Id => &row.id,
            Column::Headline => &row.headline,
        }
    }
}

/// The columns shown and their widths.
struct Layout {
    columns: &'static [Column],
    widths: Vec<usize>,
    /// The room for the headline, when it must be cut.
    headline_room: Option<usize>,
}

impl Layout {
    const GAP: usize = 2;
    /// A headline cut shorter than this says too little to be worth its room.
    const SHORTEST_HEADLINE: usize = 12;

    /// The most informative set of columns that fits `width` (no limit when
    /// none): the genre goes first, then the time of day, the date, and
    /// only then the headline (cut to the room left, while a few words of
    /// it fit); the status and the full id always stay, even when they
    /// alone are wider than the terminal.
    fn fitting(rows: &[Row], width: Option<usize>) -> Self {
        use Column::*;
        const PREFERRED: [&[Column]; 7] = [
            &[Created, Status, Genre, Id, Headline],
            &[Created, Status, Id, Headline],
            &[Day, Status, Id, Headline],
            &[Status, Id, Headline],
            &[Created, Status, Id],
            &[Day, Status, Id],
            &[Status, Id],
        ];
        let Some(width) = width else {
            return Self::measure(PREFERRED[0], rows);
        };
        PREFERRED
            .iter()
            .map(|columns| Self::measure(columns, rows))
            .find_map(|layout| {
                // The genre is worth less than half a headline.
                let shortest = match layout.columns.contains(&Genre) {
                    true => 3 * Self::SHORTEST_HEADLINE,
                    false => Self::SHORTEST_HEADLINE,
                };
                layout.within(width, shortest)
            })
            .unwrap_or_else(|| Self::measure(PREFERRED[PREFERRED.len() - 1], rows))
    }

    /// `columns` at the width of their widest cell, the headline uncut.
    fn measure(columns: &'static [Column], rows: &[Row]) -> Self {
        let widths = columns
            .iter()
            .map(|column| {
                rows.iter()
                    .map(|row| column.cell(row).width())
                    .chain([column.header().width()])
                    .max()
                    .unwrap_or_default()
            })
            .collect();
        Self {
            columns,
            widths,
            headline_room: None,
        }
    }

    /// This layout within `width`, its headline cut to the room left; none
    /// when the other columns are too wide or leave too little of it.
    fn within(mut self, width: usize, shortest: usize) -> Option<Self> {
        let (others, headline) = match self.columns.split_last() {
            Some((Column::Headline, others)) => (others.len(), self.widths.last().copied()),
            _ => (self.columns.len(), None),
        };
        let fixed =
            self.widths[..others].iter().sum::<usize>() + Self::GAP * others.saturating_sub(1);
        match headline {
            None => (fixed <= width).then_some(self),
            Some(needed) => {
                let room = width.checked_sub(fixed + Self::GAP)?;
                if room < needed.min(shortest) {
                    return None;
                }
                self.headline_room = Some(room);
                Some(self)
            }
        }
    }

    fn write(&self, out: &mut impl Write, rows: &[Row]) -> std::io::Result<()> {
        let header = self.columns.iter().map(|column| (*column, column.header()));
        self.write_line(out, header, false)?;
        for row in rows {
            let cells = self
                .columns
                .iter()
                .map(|column| (*column, column.cell(row)));
            self.write_line(out, cells, true)?;
        }
        Ok(())
    }

    /// One line: cells padded to their column, the headline cut to its
    /// room; with `styled`, the status coloured (after padding, so that the
    /// colour's escapes take no room).
    fn write_line<'r>(
        &self,
        out: &mut impl Write,
        cells: impl Iterator<Item = (Column, &'r str)>,
        styled: bool,
    ) -> std::io::Result<()> {
        let mut line = String::new();
        for ((column, cell), width) in cells.zip(&self.widths) {
            match column {
                Column::Headline => match self.headline_room {
                    Some(room) => line.push_str(&truncate(cell, room)),
                    None => line.push_str(cell),
                },
                Column::Status if styled => {
                    let style = status_style(cell);
                    line.push_str(&format!("{style}{cell}{style:#}"));
                }
                _ => line.push_str(cell),
            }
            if column != Column::Headline {
                line.push_str(&" ".repeat(width - cell.width() + Self::GAP));
            }
        }
        writeln!(out, "{}", line.trim_end())
    }
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
