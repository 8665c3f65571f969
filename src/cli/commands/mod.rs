//! One module per subcommand, and the one `match` that dispatches them.

mod validate;

use std::path::Path;
use std::process::ExitCode;

use super::{CommandError, Ui};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Validate(validate::Args),
}

pub fn run(ui: &mut Ui, cwd: &Path, command: &Command) -> Result<ExitCode, CommandError> {
    match command {
        Command::Validate(args) => validate::run(ui, cwd, args),
    }
}
