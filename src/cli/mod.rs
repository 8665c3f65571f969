//! The command line around the library: arguments, output, exit codes.

/// The "Examples:" block at the end of a command's `--help`, under a
/// heading styled as clap styles its own (clap drops the style when it does
/// not colour).
macro_rules! examples {
    ($($line:literal),+ $(,)?) => {
        concat!("\x1b[1m\x1b[4mExamples:\x1b[0m\n", $("  ", $line, "\n"),+)
    };
}

mod changes;
mod commands;
mod error;
mod escape;
mod findings;
mod fit;
mod pager;
mod prompt;
mod ui;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

pub use error::CommandError;
pub use ui::{ColorWhen, Ui};

/// The heading the options every command takes are listed under, apart from
/// the command's own.
const GLOBAL: &str = "Global options";

/// A command-line content-management system for newsrooms: articles are
/// TOML records in a git repository, every editorial action a commit
#[derive(Debug, Parser)]
#[command(name = "news", version)]
struct Cli {
    /// Run as if news was started in DIR
    #[arg(short = 'C', global = true, value_name = "DIR", help_heading = GLOBAL)]
    directory: Option<PathBuf>,

    /// When to colour the output
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = ColorWhen::Auto,
        value_name = "WHEN",
        help_heading = GLOBAL
    )]
    color: ColorWhen,

    /// Print only data and errors, no status or progress
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    quiet: bool,

    /// Write straight to the terminal, not through a pager
    #[arg(long, global = true, help_heading = GLOBAL)]
    no_pager: bool,

    #[command(subcommand)]
    command: commands::Command,
}

/// Runs the command line and says how it went, as an exit code: 0 success,
/// 1 validation failed or action refused, 2 usage or configuration error.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let mut ui = Ui::new(cli.color, cli.quiet, !cli.no_pager);
    let cwd = std::env::current_dir().map(|cwd| match &cli.directory {
        Some(directory) => cwd.join(directory),
        None => cwd,
    });
    let outcome = match &cwd {
        Err(error) => Err(CommandError::config(format!(
            "cannot read the current folder: {error}"
        ))),
        Ok(cwd) if !cwd.is_dir() => Err(CommandError::usage(format!(
            "-C {}: {}",
            cwd.display(),
            match cwd.exists() {
                true => "not a folder",
                false => "no such folder",
            }
        ))),
        Ok(cwd) => commands::run(&mut ui, cwd, &cli.command)
            .map_err(|error| error.with_paths_for(&news::paths::PathNames::for_people(cwd))),
    };
    ui.finish();
    match outcome {
        Ok(code) => code,
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            ui.error(&error);
            error.exit_code()
        }
    }
}
