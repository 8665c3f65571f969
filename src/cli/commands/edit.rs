use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use dialoguer::Select;
use dialoguer::theme::ColorfulTheme;
use news::editorial::{Action, Desk, DeskError, Saved, StoredArticle};
use news::schema::{Finding, Severity};

use crate::cli::findings::{self, Format};
use crate::cli::{CommandError, Ui};

/// The prefix of the lines news puts at the top of a record it reopens.
const NOTE: &str = "#! ";

/// Edit an article in $VISUAL or $EDITOR, then check and commit it
///
/// Edits a copy. When the result is not valid, on a terminal you can edit it
/// again (with the problems listed at the top) or abort; an aborted or
/// unchanged edit commits nothing, and an aborted one keeps your version in
/// a file whose path is printed.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news edit kishida-arrives-in-moscow",
    "news edit kishida-arrives-in-moscow -m 'Fix a name in the lead'",
    "EDITOR=nano news edit kishida-arrives-in-moscow",
))]
pub struct Args {
    /// The article's id, or its record's path
    id: String,

    #[command(flatten)]
    commit: super::CommitArgs,
}

pub fn run(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    let mut desk = Desk::open(cwd, ui.notifier())?;
    super::warn_settings(ui, cwd, desk.setting_warnings())?;
    desk.set_verify(!args.commit.no_verify);
    let stored = desk.article(&args.id)?;
    desk.ready_to_edit(&stored)?;
    let signatures = desk.signatures()?;
    edit_and_commit(ui, &desk, &stored, |text| {
        desk.save(
            &stored,
            text,
            Action::Edit,
            args.commit.message.as_deref(),
            Some(&signatures),
        )
    })
}

/// Opens a copy of `stored` in the editor until the result is valid (on a
/// terminal, reopened with the problems at the top) or the person gives
/// up, then hands the result to `commit`: `news edit`, and `news correct`
/// without `--set`. An unchanged or aborted edit commits nothing; an
/// aborted or refused one keeps the person's version in a file.
pub(super) fn edit_and_commit(
    ui: &mut Ui,
    desk: &Desk,
    stored: &StoredArticle,
    commit: impl Fn(&str) -> Result<Option<Saved>, DeskError>,
) -> Result<ExitCode, CommandError> {
    let editor = editor_command(ui.can_prompt()).ok_or_else(|| {
        CommandError::usage(
            "no editor: $VISUAL and $EDITOR are not set, and this is no terminal to start vi on",
        )
        .with_hint(
            "set $EDITOR, or give the fields on the command line: `news set`, `news correct --set`",
        )
    })?;
    let copy = tempfile::Builder::new()
        .prefix(&format!("news-edit-{}-", stored.id))
        .suffix(".toml")
        .tempfile()
        .map_err(|error| CommandError::refused(format!("cannot make a copy to edit: {error}")))?;
    let copy_path = copy.path().to_owned();
    let mut text = stored.text.clone();
    let mut notes = String::new();
    loop {
        std::fs::write(&copy_path, format!("{notes}{text}")).map_err(|error| {
            CommandError::refused(format!("cannot write {}: {error}", copy_path.display()))
        })?;
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$@\""))
            .arg("news-edit")
            .arg(&copy_path)
            .status()
            .map_err(|error| {
                CommandError::config(format!("cannot start the editor `{editor}`: {error}"))
            })?;
        // The copy as the editor left it: a regular file in its folder
        // (not a link put in its place, nor a pipe), of a record's size.
        let folder = copy_path.parent().unwrap_or(Path::new("/"));
        if std::fs::symlink_metadata(&copy_path).is_ok_and(|found| found.file_type().is_symlink()) {
            return Err(CommandError::refused(format!(
                "{} was replaced by a link; news reads no record through a link",
                copy_path.display()
            )));
        }
        // As git takes an empty message: an emptied or deleted copy ends
        // the edit.
        let aborted = |what: &str| {
            CommandError::refused(format!(
                "the editor left the copy {what}: the edit is aborted; nothing committed"
            ))
        };
        if !copy_path.exists() {
            return Err(aborted("deleted"));
        }
        let edited = news::files::read_inside(&copy_path, Some(folder))
            .map_err(|error| CommandError::refused(error.to_string()))
            .and_then(|bytes| {
                String::from_utf8(bytes).map_err(|_| {
                    CommandError::refused(format!("{} is not UTF-8", copy_path.display()))
                })
            })?;
        text = without_notes(&edited, &notes);
        if text.trim().is_empty() {
            return Err(aborted("empty"));
        }
        if !status.success() {
            return Err(abort(
                copy,
                &stored.text,
                &text,
                format!("the editor `{editor}` failed ({status})"),
            ));
        }
        if text == stored.text {
            ui.status("nothing changed; nothing committed")?;
            return Ok(ExitCode::SUCCESS);
        }
        if let Err(error) = desk.guard_edit(stored, &text) {
            return Err(keep_on_error(copy, error));
        }
        let problems = desk.check(&stored.path, &text);
        if !problems
            .iter()
            .any(|finding| finding.severity == Severity::Error)
        {
            match commit(&text).map_err(|error| keep_on_error(copy, error))? {
                Some(saved) => super::report(ui, &saved)?,
                None => ui.status("nothing changed; nothing committed")?,
            }
            return Ok(ExitCode::SUCCESS);
        }
        let mut shown = anstream::StripStream::new(Vec::new());
        findings::write(&mut shown, Format::Text, &problems)?;
        ui.err().write_all(&shown.into_inner())?;
        if !ui.can_prompt() {
            return Err(abort(
                copy,
                &stored.text,
                &text,
                "the edited article is not valid".to_owned(),
            ));
        }
        let choice = Select::with_theme(&ColorfulTheme::default())
            .with_prompt("The article is not valid")
            .items(["Edit it again", "Abort (your version is kept in a file)"])
            .default(0)
            .interact()
            .map_err(|error| CommandError::refused(format!("the prompt failed: {error}")))?;
        if choice == 1 {
            return Err(abort(copy, &stored.text, &text, "aborted".to_owned()));
        }
        notes = notes_for(&problems);
    }
}

/// $VISUAL, then $EDITOR, then (on a terminal) vi.
fn editor_command(on_terminal: bool) -> Option<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty())
        .or_else(|| on_terminal.then(|| "vi".to_owned()))
}

/// The problems as comment lines for the top of the reopened record.
fn notes_for(problems: &[Finding]) -> String {
    let mut notes = format!(
        "{NOTE}news: this version is not valid. Fix it, save and quit; these lines are removed.\n"
    );
    let shift = problems
        .iter()
        .filter(|finding| finding.severity == Severity::Error)
        .count()
        + 1;
    for finding in problems
        .iter()
        .filter(|finding| finding.severity == Severity::Error)
    {
        let message: String = finding
            .message
            .chars()
            .filter(|character| !character.is_control())
            .collect();
        notes.push_str(&format!(
            "{NOTE}line {}: {}[{}]: {message}\n",
            finding.location.line + shift,
            finding.severity.as_str(),
            finding.rule
        ));
    }
    notes
}

/// `text` without the note lines news put at its top: exactly those, so
/// that a record's own `#! ` comments stay.
fn without_notes(text: &str, notes: &str) -> String {
    let mut rest = text;
    for line in notes.split_inclusive('\n') {
        match rest.strip_prefix(line) {
            Some(after) => rest = after,
            None => break,
        }
    }
    rest.to_owned()
}

/// Ends an edit that commits nothing: the copy is kept when it holds work.
fn abort(copy: tempfile::NamedTempFile, original: &str, edited: &str, why: String) -> CommandError {
    if edited == original {
        return CommandError::refused(format!("{why}; nothing was committed"));
    }
    match copy.keep() {
        Ok((_, path)) => CommandError::refused(format!("{why}; nothing was committed"))
            .with_hint(format!("your version is kept in {}", path.display())),
        Err(error) => CommandError::refused(format!(
            "{why}; nothing was committed, and your version could not be kept: {error}"
        )),
    }
}

fn keep_on_error(copy: tempfile::NamedTempFile, error: DeskError) -> CommandError {
    let kept = copy.keep().map(|(_, path)| path);
    let error = CommandError::from(error);
    match kept {
        Ok(path) => error.with_hint(format!("your version is kept in {}", path.display())),
        Err(_) => error,
    }
}
