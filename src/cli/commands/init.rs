use std::path::{Path, PathBuf};
use std::process::ExitCode;

use news::editorial::{InitOptions, init};

use crate::cli::ui::plural;
use crate::cli::{CommandError, Ui};

/// Create a newsroom, in the git repository you are in or in a new one
///
/// Writes news.toml, the default schema and tag vocabulary, and .taplo.toml
/// (so editors with Even Better TOML check articles as you type), and
/// commits just those files. A DIR inside a git repository's work tree,
/// whether it exists or not, joins that repository: the newsroom is DIR,
/// its commits are the repository's. Elsewhere DIR gets a new repository;
/// for a repository of its own inside another, run `git init DIR` first.
/// With --demo, DIR must be new or empty and always gets its own
/// repository, holding example articles with a short editorial history by
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
        "a new git repository".to_owned()
    } else {
        format!("the git repository at {}", initialized.repository.display())
    };
    ui.status(&format!(
        "created a newsroom in {} ({repository}): {}, {}",
        args.dir.display(),
        plural(initialized.articles, "article"),
        plural(initialized.commits, "commit")
    ))?;
    Ok(ExitCode::SUCCESS)
}
