use std::path::Path;
use std::process::ExitCode;

use news::editorial::{Assignment, Desk};

use crate::cli::{CommandError, Ui};

/// Change fields of an article without an editor, and commit
///
/// Values are typed by the schema: date-times (2015-09-23T18:02:00+03:00 or
/// `now`), dates, whole numbers, and lists (`tags=Russia, Japan` or
/// `tags=["Russia", "Japan"]`). Keys of tables by dotted path
/// (`dateline.place=MOSCOW`, `media[0].credit=© TASS`). `FIELD=` removes the
/// field. `LIST+=ITEM` adds an item unless the list holds it, `LIST-=ITEM`
/// removes one (`tags+=Japan`; tags through the vocabulary's aliases).
/// `media[+].uri=…` adds an entry to a list of tables and `media[-1]` is
/// its last entry; the assignments apply in order, so `media[+].uri=a.jpg
/// media[-1].kind=photo media[-1].credit=© TASS` fills the entry it added. Comments, key order
/// and unknown keys of the record are kept.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news set kishida-arrives-in-moscow status=review",
    "news set kishida-arrives-in-moscow 'tags=Japan, Russia' dateline.place=MOSCOW",
    "news set kishida-arrives-in-moscow published=now -m 'Cleared by the desk'",
    "news set kishida-arrives-in-moscow summary=      (an empty value removes the field)",
))]
pub struct Args {
    /// The article's id, or its record's path
    id: String,

    /// FIELD=VALUE, LIST+=ITEM or LIST-=ITEM, applied in order
    #[arg(value_name = "FIELD=VALUE", required = true)]
    assignments: Vec<String>,

    #[command(flatten)]
    commit: super::CommitArgs,
}

pub fn run(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    let mut desk = Desk::open(cwd, ui.notifier())?;
    super::warn_settings(ui, cwd, desk.setting_warnings())?;
    desk.set_verify(!args.commit.no_verify);
    let assignments = args
        .assignments
        .iter()
        .map(|argument| {
            Assignment::parse(argument, desk.schema(), &desk.newsroom().config().timezone)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| CommandError::usage(error.to_string()))?;
    match desk.set(&args.id, &assignments, args.commit.message.as_deref())? {
        Some(saved) => super::report(ui, &saved)?,
        None => ui.status(&format!(
            "{} has those values already; nothing committed",
            args.id
        ))?,
    }
    Ok(ExitCode::SUCCESS)
}
