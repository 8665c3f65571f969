use std::path::Path;
use std::process::ExitCode;

use news::editorial::Desk;

use crate::cli::{CommandError, Ui};

/// Move a record to the folder its creation date gives, and commit
///
/// A record lives in articles/YYYY/MM/DD/, the date of `created` in the
/// newsroom's time zone; `news validate` warns (folder-date) when it does
/// not. This moves it there, in one commit that git shows as a rename.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news mv kishida-arrives-in-moscow     # created 2015-09-20: to articles/2015/09/20/",
    "news mv articles/2015/09/24/kishida-arrives-in-moscow.toml",
    "news validate | grep folder-date && news mv kishida-arrives-in-moscow",
))]
pub struct Args {
    /// The article's id, or its record's path
    id: String,

    /// Do not run the repository's pre-commit and commit-msg hooks
    #[arg(long)]
    no_verify: bool,
}

pub fn run(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    let mut desk = Desk::open(cwd, ui.notifier())?;
    desk.set_verify(!args.no_verify);
    match desk.move_to_its_folder(&args.id)? {
        Some(saved) => {
            super::report(ui, &saved)?;
            ui.status(&format!("now at {}", desk.shown(&saved.path).display()))?;
        }
        None => ui.status(&format!(
            "{} is in the folder of its creation date already; nothing committed",
            args.id
        ))?,
    }
    Ok(ExitCode::SUCCESS)
}
