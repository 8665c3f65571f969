use std::path::Path;
use std::process::ExitCode;

use news::editorial::Desk;

use crate::cli::{CommandError, Ui};

/// Commit records edited by hand, checked, with news's trailers
///
/// For records you changed in an editor of your own (with the taplo
/// language server, say), added by hand or removed by hand: each is
/// checked as `news edit` checks it and committed on its own, as `edit`,
/// `new` or `rm`, with the `Changed:` fields and the trailers. An invalid
/// record is refused with its findings and left as it is; the others are
/// still committed. With no id, every record that differs from HEAD.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news commit                                  # every record edited by hand",
    "news commit kishida-arrives-in-moscow -m \"Typo in the lead\"",
    "news commit articles/2015/09/21/kishida-arrives-in-moscow.toml",
))]
pub struct Args {
    /// Ids or record paths (default: every record edited by hand)
    #[arg(value_name = "ID")]
    ids: Vec<String>,

    #[command(flatten)]
    commit: super::CommitArgs,
}

pub fn run(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    let mut desk = Desk::open(cwd, ui.notifier())?;
    desk.set_verify(!args.commit.no_verify);
    desk.ready_to_commit()?;
    let paths = if args.ids.is_empty() {
        desk.hand_edited()?
    } else {
        args.ids
            .iter()
            .map(|reference| desk.hand_edited_record(reference))
            .collect::<Result<Vec<_>, _>>()?
    };
    if paths.is_empty() {
        ui.status("no record differs from HEAD; nothing committed")?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut refused = 0;
    for path in &paths {
        match desk.commit_hand_edit(path, args.commit.message.as_deref()) {
            Ok(Some(saved)) => super::report(ui, &saved)?,
            // Named, it is said; found (the other half of a move just
            // committed, say), it goes without saying.
            Ok(None) if args.ids.is_empty() => {}
            Ok(None) => ui.status(&format!(
                "{} is as committed; nothing to commit",
                desk.shown(path).display()
            ))?,
            // A record's refusal is said, and the next record goes on.
            Err(error) => {
                refused += 1;
                ui.error(&CommandError::from(error));
            }
        }
    }
    if refused > 0 {
        return Err(CommandError::refused(format!(
            "{refused} of {} record{} not committed; fix what is said above and run `news commit` again",
            paths.len(),
            if paths.len() == 1 { " was" } else { "s were" }
        )));
    }
    Ok(ExitCode::SUCCESS)
}
