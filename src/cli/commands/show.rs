use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use news::article::{Record, reader_text};
use news::editorial::{DeskError, open_snapshot};
use news::snapshot::{Snapshot, reference_id};

use crate::cli::escape::escape;
use crate::cli::fit::wrap;
use crate::cli::{CommandError, Ui};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// As a reader sees it
    Text,
    /// The record as stored
    Toml,
    /// The record as one JSON object; date-times as RFC 3339 strings
    Json,
}

/// Show one article
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news show kishida-arrives-in-moscow",
    "news show kishida-arrives-in-moscow --rev HEAD~3",
    "news show kishida-arrives-in-moscow --format toml",
    "news show kishida-arrives-in-moscow --format json | jq .headline",
))]
pub struct Args {
    /// The article's id, or its record's path
    id: String,

    /// How to show it
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// The article as it was at REV (a commit, branch or tag), read from
    /// git without a checkout
    #[arg(long, value_name = "REV")]
    rev: Option<String>,
}

pub fn run(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    let snapshot = match &args.rev {
        Some(revision) => Snapshot::open_at(cwd, revision).map_err(DeskError::from)?,
        None => open_snapshot(cwd, ui.notifier())?,
    };
    super::warn_settings(ui, cwd, snapshot.setting_warnings())?;
    let stored = match &args.rev {
        // At a revision the record may lie elsewhere: it is found by id.
        Some(_) => snapshot.article(reference_id(&args.id)),
        None => snapshot.find(&args.id, cwd),
    }
    .map_err(DeskError::from)?;
    let unreadable = |message: String| {
        CommandError::refused(format!(
            "{} cannot be read: {message}",
            stored.path.display()
        ))
        .with_hint(match &args.rev {
            Some(revision) => format!("`news validate --rev {revision}` shows what is wrong"),
            None => format!(
                "`news validate {}` shows what is wrong",
                stored.path.display()
            ),
        })
    };
    match args.format {
        Format::Toml => {
            ui.page();
            write!(ui.out(), "{}", terminal_safe(&stored.text))?;
        }
        Format::Json => {
            let record = Record::parse(&stored.text).map_err(|error| unreadable(error.message))?;
            let out = ui.out();
            serde_json::to_writer_pretty(&mut *out, &record.to_json())?;
            writeln!(out)?;
        }
        Format::Text => {
            let record = Record::parse(&stored.text).map_err(|error| unreadable(error.message))?;
            let article = record
                .to_article()
                .map_err(|error| unreadable(error.message))?;
            let text = terminal_safe(&reader_text(
                &article,
                &snapshot.config().timezone,
                snapshot.config().timezone.now(),
            ));
            let text = match ui.width() {
                Some(width) => wrap(&text, width),
                None => text,
            };
            ui.page();
            write!(ui.out(), "{text}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Escapes control characters line by line, keeping the line breaks (and
/// tabs, which a body may hold).
fn terminal_safe(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            line.split('\t')
                .map(|part| escape(part.strip_suffix('\r').unwrap_or(part)).into_owned())
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}
