use std::path::{Path, PathBuf};
use std::process::ExitCode;

use news::history::{BaseRequest, validate_base};
use news::paths::PathNames;
use news::schema::{Finding, Severity};
use news::validate::{Request, ValidateError, validate, validate_revision};

use crate::cli::findings::{self, Format};
use crate::cli::{CommandError, Ui};

/// Check articles against the schema and the built-in rules
///
/// With no PATH, checks every article of the newsroom the current folder is
/// in. A folder means every .toml file below it (for a newsroom's root, its
/// articles). Outside a newsroom, files are checked against the built-in
/// defaults. Exits 1 when there is an error, 0 when there are only warnings.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news validate",
    "news validate articles/2015/09",
    "news validate --rev origin/main       as committed, without a checkout",
    "news validate --base origin/main      the pull-request check: what changed, and how",
    "news validate --format github        annotations in GitHub Actions",
    "news validate --format codeclimate   a code quality report for GitLab",
))]
pub struct Args {
    /// Files or folders to check
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// How to write the findings
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Check the newsroom as committed at REV, read from git without a
    /// checkout (works in a bare repository)
    #[arg(long, value_name = "REV", conflicts_with = "paths")]
    rev: Option<String>,

    /// Check only the records changed since REV (and the working copy, or
    /// --rev), and each of their changes since, commit by commit, against
    /// the history rules: the pull-request check (`--base origin/main`)
    #[arg(long, value_name = "REV", conflicts_with = "paths")]
    base: Option<String>,
}

pub fn run(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    // People read paths from where they are; CI reads them from the top
    // of the repository.
    let names = match args.format {
        Format::Text => PathNames::for_people(cwd),
        _ => PathNames::for_machines(cwd),
    };
    let progress = ui.progress("checking");
    // A bare repository has no work tree: its newsroom is HEAD's.
    let bare =
        args.paths.is_empty() && news::git::Repo::discover(cwd).is_ok_and(|repo| repo.is_bare());
    let revision = args.rev.as_deref().or(bare.then_some("HEAD"));
    let report = match (&args.base, revision) {
        (Some(base), revision) => validate_base(
            &BaseRequest {
                cwd,
                base,
                revision,
                names: &names,
            },
            &progress,
        ),
        (None, Some(revision)) => validate_revision(cwd, revision, &names, &progress),
        (None, None) => {
            let request = Request {
                paths: args.paths.clone(),
                cwd: cwd.to_owned(),
                names: names.clone(),
                records: None,
            };
            validate(&request, &progress)
        }
    };
    progress.finish();
    let report = match report {
        Ok(report) => report,
        Err(error) => return Err(stopped(ui, args.format, &names, revision, error)),
    };
    let verdict = if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // A reader that stops early (`| head`) ends the output, not the
    // verdict: CI reads the exit code.
    match findings::write(ui.out(), args.format, &report.findings) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => return Ok(verdict),
        written => written?,
    }
    ui.status(&findings::summary(
        report.files_checked,
        report.count(Severity::Error),
        report.count(Severity::Warning),
    ))?;
    Ok(verdict)
}

/// A validation that a settings file stopped (exit 2) is still a finding
/// where that file is in the machine formats, so that CI points at it.
fn stopped(
    ui: &mut Ui,
    format: Format,
    names: &PathNames,
    revision: Option<&str>,
    error: ValidateError,
) -> CommandError {
    let Some(settings) = error.settings() else {
        return error.into();
    };
    if format != Format::Text {
        let named = settings.path();
        // A file at a revision is named `REV:path`, as git writes it;
        // machines read the path from the top of the repository.
        let at_revision = revision.and_then(|revision| {
            let named = named.to_str()?;
            named
                .strip_prefix(&format!("{revision}:"))
                .map(PathBuf::from)
        });
        let shown = at_revision.unwrap_or_else(|| names.name(named));
        let finding = Finding::invalid_settings(shown, settings);
        match findings::write(ui.out(), format, &[finding]) {
            Err(write) if write.kind() != std::io::ErrorKind::BrokenPipe => return write.into(),
            _ => {}
        }
    }
    error.into()
}
