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
