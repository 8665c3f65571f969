use std::path::{Path, PathBuf};
use std::process::ExitCode;

use news::editorial::{InitOptions, init};

use crate::cli::{CommandError, Ui};

/// Create a newsroom, or make one in the git repository you are in
///
/// Writes news.toml, the default schema and tag vocabulary, and .taplo.toml
/// (so editors with Even Better TOML check articles as you type), and
/// commits just those files. A folder that exists joins the git repository
/// it is in; a new folder gets a repository of its own. With --demo, a new
/// repository holds example articles with a short editorial history by
/// several people.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news init                  make the repository you are in a newsroom",
    "news init desk             a newsroom in the folder desk",
    "news init --demo demo      a newsroom with example articles and history",
))]
pub struct Args {
    /// Where the newsroom goes (created if missing)
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,

    /// Add the demo articles and their history
    #[arg(long)]
    demo: bool,
}

pub fn run(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    let options = InitOptions {
        dir: cwd.join(&args.dir),
        demo: args.demo,
        notify: ui.notifier(),
    };
    let initialized = init(&options)?;
    let repository = if initialized.created_repository {
        "a new git repository"
    } else {
        "the existing git repository"
    };
    ui.status(&format!(
        "created a newsroom in {} ({repository}): {} articles, {} commits",
        args.dir.display(),
        initialized.articles,
        initialized.commits
    ))?;
    Ok(ExitCode::SUCCESS)
}
