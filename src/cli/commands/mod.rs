//! One module per subcommand, and the one `match` that dispatches them.

mod edit;
mod init;
mod list;
pub mod new;
mod set;
mod show;
mod validate;

use std::path::Path;
use std::process::ExitCode;

use news::settings::UnknownSetting;

use super::{CommandError, Ui};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Init(init::Args),
    New(new::Args),
    Edit(edit::Args),
    Set(set::Args),
    Show(show::Args),
    List(list::Args),
    Validate(validate::Args),
}

/// Says, once per command, which keys of the newsroom's settings files this
/// version ignores (a newer news may have written them).
fn warn_settings<'s>(
    ui: &mut Ui,
    cwd: &Path,
    warnings: impl IntoIterator<Item = &'s UnknownSetting>,
) -> Result<(), CommandError> {
    for setting in warnings {
        let path = setting.path.strip_prefix(cwd).unwrap_or(&setting.path);
        ui.warn(&format!(
            "{}:{}:{}: {}",
            path.display(),
            setting.location.line,
            setting.location.column,
            setting.message
        ))?;
    }
    Ok(())
}

pub fn run(ui: &mut Ui, cwd: &Path, command: &Command) -> Result<ExitCode, CommandError> {
    match command {
        Command::Init(args) => init::run(ui, cwd, args),
        Command::New(args) => new::run(ui, cwd, args),
        Command::Edit(args) => edit::run(ui, cwd, args),
        Command::Set(args) => set::run(ui, cwd, args),
        Command::Show(args) => show::run(ui, cwd, args),
        Command::List(args) => list::run(ui, cwd, args),
        Command::Validate(args) => validate::run(ui, cwd, args),
    }
}
