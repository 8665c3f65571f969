use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use news::editorial::{DeskError, open_snapshot};
use news::history::read_record;
use news::snapshot::{Snapshot, SnapshotError, reference_id};
use serde::Serialize;
use serde_json::Value;

use crate::cli::escape::escape;
use crate::cli::ui::EMPHASIS;
use crate::cli::{CommandError, Ui, changes};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The changes field by field, for people
    Text,
    /// `{id, from, to, changes: [{field, kind, old, new}]}`
    Json,
}

/// What changed in an article between two versions, field by field
///
/// With no REV: the last commit against the working copy (your uncommitted
/// edits); with one: that revision against the working copy; with two:
/// the first against the second. Scalars old → new, lists by the items
/// added and removed, tables by key, the body as a word diff.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news diff analysts-russian-japanese-relations-show-signs-of-thawing",
    "news diff analysts-russian-japanese-relations-show-signs-of-thawing HEAD~3",
    "news diff analysts-russian-japanese-relations-show-signs-of-thawing v1.0 HEAD --format json",
))]
pub struct Args {
    /// The article's id, or its record's path
    id: String,

    /// The older version (default HEAD)
    #[arg(value_name = "REV")]
    from: Option<String>,

    /// The newer version (default: the working copy)
    #[arg(value_name = "REV")]
    to: Option<String>,

    /// How to write the changes
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Serialize)]
struct Diffed<'a> {
    id: &'a str,
    from: &'a str,
    to: &'a str,
    changes: &'a [news::article::Change],
}

pub fn run(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    let from = args.from.as_deref().unwrap_or("HEAD");
    let id = match reference_id(&args.id) == args.id {
        true => args.id.clone(),
        // A path names the record in the working copy.
        false => {
            open_snapshot(cwd, ui.notifier())?
                .find(&args.id, cwd)
                .map_err(DeskError::from)?
                .id
        }
    };
    let old = version(cwd, Some(from), &id, ui)?;
    let new = version(cwd, args.to.as_deref(), &id, ui)?;
    if old.is_none() && new.is_none() {
        return Err(DeskError::NoSuchArticle {
            id,
            suggestion: None,
        }
        .into());
    }
    let to = args.to.as_deref().unwrap_or("the working copy");
    let changes = news::article::changes(old.as_ref(), new.as_ref());
    match args.format {
        Format::Json => {
            let out = ui.out();
            serde_json::to_writer_pretty(
                &mut *out,
                &Diffed {
                    id: &id,
                    from,
                    to,
                    changes: &changes,
                },
            )?;
            writeln!(out)?;
        }
        Format::Text if changes.is_empty() => {}
        Format::Text => {
            ui.page();
            let out = ui.out();
            writeln!(
                out,
                "{EMPHASIS}{}{EMPHASIS:#}: {} → {}",
                escape(&id),
                escape(from),
                escape(to)
            )?;
            changes::write(out, &changes, "    ")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The record of `id` at `revision` (none: the working copy) as JSON;
/// none when it is not there.
fn version(
    cwd: &Path,
    revision: Option<&str>,
    id: &str,
    ui: &Ui,
) -> Result<Option<Value>, CommandError> {
    let snapshot = match revision {
        Some(revision) => Snapshot::open_at(cwd, revision).map_err(DeskError::from)?,
        None => open_snapshot(cwd, ui.notifier())?,
    };
    let stored = match snapshot.article(id) {
        Ok(stored) => stored,
        Err(SnapshotError::NoSuchArticle { .. }) => return Ok(None),
        Err(error) => return Err(DeskError::from(error).into()),
    };
    read_record(stored.text.as_bytes())
        .map(Some)
        .map_err(|problem| {
            CommandError::refused(format!(
                "{} cannot be read at {}: {problem}",
                stored.path.display(),
                revision.unwrap_or("the working copy")
            ))
        })
}
