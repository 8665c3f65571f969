use std::path::Path;
use std::process::ExitCode;

use news::editorial::Desk;

use crate::cli::{CommandError, Ui};

/// Remove an article that was never published, and commit
///
/// A published article is never deleted: retract it. A record removed by
/// hand (`rm`, `git rm`) is committed with `news commit`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news rm kuzminkov-on-the-economic-track",
    "news rm kuzminkov-on-the-economic-track -m \"Spiked: the interview was cancelled\"",
    "news rm articles/2015/09/24/kuzminkov-on-the-economic-track.toml",
))]
pub struct Args {
    /// The article's id, or its record's path
    id: String,

    #[command(flatten)]
    commit: super::CommitArgs,
}

pub fn run(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    let mut desk = Desk::open(cwd, ui.notifier())?;
    desk.set_verify(!args.commit.no_verify);
    let saved = desk.remove(&args.id, args.commit.message.as_deref())?;
    super::report(ui, &saved)?;
    Ok(ExitCode::SUCCESS)
}
