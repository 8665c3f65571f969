//! One module per subcommand, and the one `match` that dispatches them.

mod commit;
mod diff;
mod edit;
mod init;
mod list;
mod log;
mod mv;
pub mod new;
mod rm;
mod set;
mod show;
mod tag;
mod tags;
mod validate;
mod workflow;

use std::path::Path;
use std::process::ExitCode;

use news::editorial::Saved;
use news::settings::UnknownSetting;

use super::{CommandError, Ui};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Init(init::Args),
    New(new::Args),
    Edit(edit::Args),
    Set(set::Args),
    Tag(tag::Args),
    Tags(tags::Args),
    Commit(commit::Args),
    Mv(mv::Args),
    Rm(rm::Args),
    Show(show::Args),
    List(list::Args),
    Log(log::Args),
    Diff(diff::Args),
    Validate(validate::Args),
    Submit(workflow::SubmitArgs),
    Return(workflow::ReturnArgs),
    Publish(workflow::PublishArgs),
    Withhold(workflow::WithholdArgs),
    Correct(workflow::CorrectArgs),
    Retract(workflow::RetractArgs),
}

/// Says, once per command, which keys of the newsroom's settings files this
/// version ignores (a newer news may have written them).
fn warn_settings<'s>(
    ui: &mut Ui,
    cwd: &Path,
    warnings: impl IntoIterator<Item = &'s UnknownSetting>,
) -> Result<(), CommandError> {
    let names = news::paths::PathNames::for_people(cwd);
    for setting in warnings {
        let path = match setting.path.is_absolute() {
            true => names.name(&setting.path),
            false => setting.path.clone(),
        };
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
        Command::Tag(args) => tag::run(ui, cwd, args),
        Command::Tags(args) => tags::run(ui, cwd, args),
        Command::Commit(args) => commit::run(ui, cwd, args),
        Command::Mv(args) => mv::run(ui, cwd, args),
        Command::Rm(args) => rm::run(ui, cwd, args),
        Command::Show(args) => show::run(ui, cwd, args),
        Command::List(args) => list::run(ui, cwd, args),
        Command::Log(args) => log::run(ui, cwd, args),
        Command::Diff(args) => diff::run(ui, cwd, args),
        Command::Validate(args) => validate::run(ui, cwd, args),
        Command::Submit(args) => workflow::submit(ui, cwd, args),
        Command::Return(args) => workflow::return_(ui, cwd, args),
        Command::Publish(args) => workflow::publish(ui, cwd, args),
        Command::Withhold(args) => workflow::withhold(ui, cwd, args),
        Command::Correct(args) => workflow::correct(ui, cwd, args),
        Command::Retract(args) => workflow::retract(ui, cwd, args),
    }
}

/// The options of the commands that commit what they change.
#[derive(Debug, clap::Args)]
pub struct CommitArgs {
    /// A note for the commit message (why)
    #[arg(short, long, value_name = "MSG", value_parser = Note { said: false })]
    message: Option<String>,

    /// Do not run the repository's pre-commit and commit-msg hooks
    #[arg(long)]
    no_verify: bool,
}

/// A time option written into a record (`--at`, `--created`,
/// `--embargo`): as [`moment`] reads it, within the years a record holds.
fn record_moment(
    flag: &str,
    text: &str,
    timezone: &news::time::TimeZone,
) -> Result<chrono::DateTime<chrono::FixedOffset>, CommandError> {
    let instant = moment(flag, text, timezone, false)?;
    match timezone.fits_record(instant) {
        true => Ok(instant),
        false => Err(CommandError::usage(format!(
            "{flag} {text:?} falls outside the years a record can hold (0000 to 9999)"
        ))),
    }
}

/// The one parser of notes people write in options (`--note`, `-m`):
/// printable text, and for a note (`said`) something said. Its refusal
/// names the option without echoing the text, which may hold the very
/// escape sequences it refuses.
#[derive(Clone, Copy, Debug)]
struct Note {
    /// Whether the note must say something.
    said: bool,
}

impl clap::builder::TypedValueParser for Note {
    type Value = String;

    fn parse_ref(
        &self,
        command: &clap::Command,
        argument: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let option = argument
            .and_then(|argument| argument.get_long())
            .map_or_else(|| "the note".to_owned(), |long| format!("--{long}"));
        let refuse = |fault: String| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("{option}: {fault}\n"),
            )
            .with_cmd(command)
        };
        let text = value
            .to_str()
            .ok_or_else(|| refuse("it is not valid UTF-8".to_owned()))?;
        let fault = match self.said {
            true => news::editorial::note_fault(text),
            false => news::editorial::message_fault(text),
        };
        match fault {
            Some(fault) => Err(refuse(fault)),
            None => Ok(text.to_owned()),
        }
    }
}

/// The parser of a note that must say something (`--note`).
fn note() -> Note {
    Note { said: true }
}

/// Says what a commit did: the hooks' warnings, then `committed <short
/// id> <subject>`, the subject as `git log --oneline` shows it.
fn report(ui: &mut Ui, saved: &Saved) -> std::io::Result<()> {
    for warning in &saved.warnings {
        ui.warn(warning)?;
    }
    ui.status(&format!(
        "committed {} {}",
        saved.commit.short(),
        saved.subject
    ))
}

/// The instant a date option names, read in the newsroom's time zone (the
/// one time parser, `TimeZone::parse_moment`); with `end`, the end of what
/// it names (`--until 2015-09-23` includes that day). An unreadable one is
/// a usage error showing the forms news reads.
fn moment(
    flag: &str,
    text: &str,
    timezone: &news::time::TimeZone,
    end: bool,
) -> Result<chrono::DateTime<chrono::FixedOffset>, CommandError> {
    let moment = match timezone.parse_moment(text, timezone.now()) {
        Err(skipped @ news::time::UnknownDate::Skipped { .. }) => {
            return Err(CommandError::usage(format!("{flag}: {skipped}")));
        }
        read => read.ok(),
    };
    moment
        .and_then(|moment| match end {
            true => timezone.end_of(moment),
            false => timezone.start_of(moment),
        })
        .ok_or_else(|| {
            CommandError::usage(format!(
                "{flag} {text:?} is not a time news reads; give {}",
                news::time::DATE_FORMS
            ))
        })
}
