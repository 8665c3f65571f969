use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use news::history::{Action, Entry, History, LogFilter};
use serde::Serialize;

use crate::cli::escape::escape;
use crate::cli::ui::{COMMIT, EMPHASIS, WARNING, status_style};
use crate::cli::{CommandError, Ui, changes};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line per change, for people
    Text,
    /// An array of entries, newest first
    Json,
}

/// The editorial history of an article, or of the newsroom
///
/// One entry per commit that changed the record, newest first: the commit,
/// when (in the newsroom's time zone), who, the editorial action (told from
/// the change itself; a `News-Action` trailer that says otherwise is shown
/// too), the version, and what changed. Commits made with plain git count
/// the same. Without an id, every change to every record.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news log analysts-russian-japanese-relations-show-signs-of-thawing",
    "news log analysts-russian-japanese-relations-show-signs-of-thawing -p",
    "news log analysts-russian-japanese-relations-show-signs-of-thawing --field headline",
    "news log --action publish --since '7 days ago'",
    "news log --author Alexandrova -n 20 --format json",
))]
pub struct Args {
    /// The article's id, or its record's path (none: the whole newsroom)
    id: Option<String>,

    /// Show each change field by field
    #[arg(short, long)]
    patch: bool,

    /// Only commits by this author (part of the name or email, any case)
    #[arg(long, value_name = "NAME")]
    author: Option<String>,

    /// Only commits made at or after WHEN (a date, a time, yesterday…)
    #[arg(long, value_name = "WHEN")]
    since: Option<String>,

    /// Only commits made up to WHEN (a date includes that whole day)
    #[arg(long, value_name = "WHEN")]
    until: Option<String>,

    /// Only this editorial action: new, edit, submit, return, publish,
    /// withhold, correct, retract, rm
    #[arg(long, value_name = "ACTION")]
    action: Option<String>,

    /// Only commits that changed this field (headline, body, tags,
    /// dateline.place, media…)
    #[arg(long, value_name = "FIELD")]
    field: Option<String>,

    /// At most N entries, the newest
    #[arg(short = 'n', long = "limit", value_name = "N")]
    limit: Option<usize>,

    /// How to write the history
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Walk the history instead of reading (and keeping) the history
    /// cache in .git/news/; the output is the same
    #[arg(long)]
    no_cache: bool,
}

/// An entry as `--format json` gives it (DESIGN §4).
#[derive(Serialize)]
struct Logged<'a> {
    commit: &'a str,
    date: String,
    author: &'a str,
    email: &'a str,
    action: &'a str,
    /// The commit's `News-Action` trailer, when it says something else.
    label: Option<&'a str>,
    version: Option<i64>,
    id: &'a str,
    path: &'a str,
    moved_from: Option<&'a str>,
    merge: bool,
    subject: &'a str,
    /// The commit message's note (between the subject and the `Changed:`
    /// line and trailers), null when it has none.
    note: Option<&'a str>,
    summary: String,
    unreadable: Option<&'a str>,
    /// Why the version before could not be read, when the changes are
    /// told against the last one that could.
    fixes: Option<&'a str>,
    /// Whether the commit is where a shallow clone's history stops.
    history_cut: bool,
    changes: &'a [news::article::Change],
}

pub fn run(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    let history = History::open(cwd).map_err(news::editorial::DeskError::from)?;
    let timezone = *history.timezone();
    let filter = LogFilter {
        author: args.author.clone(),
        since: args
            .since
            .as_deref()
            .map(|text| super::moment("--since", text, &timezone, false))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|text| super::moment("--until", text, &timezone, true))
            .transpose()?,
        action: args.action.as_deref().map(action).transpose()?,
        field: args
            .field
            .as_deref()
            .map(|name| field(cwd, name))
            .transpose()?,
        limit: args.limit,
    };
    let entries = match &args.id {
        Some(reference) => history
            .record(reference, &filter, !args.no_cache)
            .map_err(news::editorial::DeskError::from)?,
        None => history.newsroom(&filter)?,
    };
    // The repository's caches are not freed one by one at the end: the
    // process is ending (as git leaves its own to the system).
    std::mem::forget(history);
    match args.format {
        Format::Json => {
            let logged: Vec<Logged<'_>> = entries.iter().map(logged).collect();
            let out = ui.out();
            serde_json::to_writer_pretty(&mut *out, &logged)?;
            writeln!(out)?;
        }
        Format::Text => {
            ui.page();
            let whole_newsroom = args.id.is_none();
            for entry in &entries {
                write_entry(ui.out(), entry, whole_newsroom, args.patch)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn logged(entry: &Entry) -> Logged<'_> {
    Logged {
        commit: entry.commit.as_str(),
        date: entry.date.to_rfc3339(),
        author: &entry.author,
        email: &entry.email,
        action: entry.action.as_str(),
        label: entry.label.as_deref(),
        version: entry.version,
        id: &entry.id,
        path: &entry.path,
        moved_from: entry.moved_from.as_deref(),
        merge: entry.merge,
        subject: &entry.subject,
        note: entry.note.as_deref(),
        summary: entry.summary(),
        unreadable: entry.unreadable.as_deref(),
        fixes: entry.fixes.as_deref(),
        history_cut: entry.history_cut,
        changes: &entry.changes,
    }
}

/// `fe463deea2  2015-09-23 18:24  Alexandrova Lyudmila  publish v1  status,
/// published, version`; with `patch`, the changes below it.
fn write_entry(
    out: &mut impl Write,
    entry: &Entry,
    whole_newsroom: bool,
    patch: bool,
) -> std::io::Result<()> {
    let action = entry.action.as_str();
    let style = match entry.action {
        Action::Publish => status_style("published"),
        Action::Retract => status_style("retracted"),
        Action::Withhold => status_style("withheld"),
        Action::Submit => status_style("review"),
        _ => EMPHASIS,
    };
    write!(
        out,
        "{COMMIT}{}{COMMIT:#}  {}  {}  {style}{action}{style:#}",
        entry.commit.short(),
        entry.date.format("%Y-%m-%d %H:%M"),
        escape(&entry.author),
    )?;
    if let Some(label) = &entry.label {
        write!(out, " {WARNING}(labelled {}){WARNING:#}", escape(label))?;
    }
    if entry.merge {
        write!(out, " (merge)")?;
    }
    if let Some(version) = entry.version {
        write!(out, " v{version}")?;
    }
    if whole_newsroom {
        write!(out, "  {}", escape(&entry.id))?;
    }
    writeln!(out, "  {}", escape(&entry.summary()))?;
    if let Some(note) = &entry.note {
        for line in note.lines() {
            match line.trim_end() {
                "" => writeln!(out)?,
                line => writeln!(out, "    {}", escape(line))?,
            }
        }
    }
    if patch && !entry.changes.is_empty() {
        changes::write(out, &entry.changes, "    ")?;
        writeln!(out)?;
    }
    Ok(())
}

/// An editorial action by name, or a usage error listing them.
fn action(name: &str) -> Result<Action, CommandError> {
    Action::parse(&name.to_lowercase()).ok_or_else(|| {
        let names: Vec<&str> = Action::ALL.iter().map(|action| action.as_str()).collect();
        let suggestion = news::schema::did_you_mean(name, names.iter().copied())
            .map(|near| format!("; did you mean `{near}`?"))
            .unwrap_or_default();
        CommandError::usage(format!(
            "--action {name:?} is not an editorial action{suggestion}"
        ))
        .with_hint(format!("the actions are: {}", names.join(", ")))
    })
}

/// A field of the record by its path (`headline`, `dateline.place`,
/// `media[0].credit`), or a usage error when the schema has no such field,
/// as `set` refuses it: a misspelt field would find nothing and say
/// nothing.
fn field(cwd: &Path, path: &str) -> Result<String, CommandError> {
    let snapshot = news::snapshot::Snapshot::open(cwd).map_err(news::editorial::DeskError::from)?;
    news::editorial::check_field(path, snapshot.schema())
        .map(|()| path.to_owned())
        .map_err(|error| CommandError::usage(format!("--field {path:?}: {error}")))
}
