//! The workflow commands of DESIGN §3: `submit`, `return`, `publish`,
//! `withhold`, `correct` and `retract`, each one commit.

use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset, TimeDelta};

use news::article::CorrectionKind;
use news::editorial::{
    Action, Assignment, CorrectionChange, Desk, DeskError, Due, Saved, StoredArticle, Transition,
};

use crate::cli::{CommandError, Ui};

/// Send a draft to the editors for review, and commit
///
/// The record must be complete enough for review: the checks that apply
/// once an article is no longer a draft (a body, a disclaimer where the
/// genre needs one) refuse it otherwise. `news list --status review` is the
/// editors' queue.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news submit kuzminkov-on-the-economic-track",
    "news submit kuzminkov-on-the-economic-track -m 'Ready: checked the quotes with him'",
))]
pub struct SubmitArgs {
    /// The article's id, or its record's path
    id: String,

    #[command(flatten)]
    commit: super::CommitArgs,
}

/// Send an article in review back to its reporter, and commit
///
/// The note says what to fix; it goes in the commit message (`news log`
/// shows it), not in the article.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news return trade-commission-green-corridor-explained --note 'Check the customs figures first'",
))]
pub struct ReturnArgs {
    /// The article's id, or its record's path
    id: String,

    /// What the reporter should do, for the commit message
    #[arg(long, value_parser = super::note())]
    note: String,

    #[command(flatten)]
    commit: super::CommitArgs,
}

/// Publish an article, and commit
///
/// A draft or an article in review is published for the first time: its
/// status, its `published` time (now, or --at) and `version = 1` are set.
/// A withheld article is published again: its status and `updated` change,
/// its first publication time and version stay. An article that would not
/// pass the checks of a published one is refused with the findings, and an
/// embargoed one before its embargo. With --due, publishes every article in
/// review whose embargo has passed (for a scheduled job), one commit each;
/// an article in review without an embargo waits for an editor.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news publish trade-commission-green-corridor-explained",
    "news publish trade-commission-green-corridor-explained --at '2015-09-23 09:00'",
    "news publish --due                 (from cron, every few minutes)",
))]
pub struct PublishArgs {
    /// The article's id, or its record's path
    #[arg(required_unless_present = "due", conflicts_with = "due")]
    id: Option<String>,

    /// The publication time, not in the future: a time or a date in the
    /// newsroom's time zone, an RFC 3339 date-time, 2 hours ago…; now by
    /// default
    #[arg(long, value_name = "WHEN")]
    at: Option<String>,

    /// Publish every article in review whose embargo has passed
    #[arg(long, conflicts_with = "at")]
    due: bool,

    #[command(flatten)]
    commit: super::CommitArgs,
}

/// Withhold a published article (take it down for now), and commit
///
/// The note says why; it is internal and goes in the commit message. `news
/// publish` puts the article back, `news retract` withdraws it for good.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news withhold kishida-arrives-in-moscow-for-talks-with-lavrov --note 'Legal is checking a quote'",
))]
pub struct WithholdArgs {
    /// The article's id, or its record's path
    id: String,

    /// Why it is withheld, for the commit message
    #[arg(long, value_parser = super::note())]
    note: String,

    #[command(flatten)]
    commit: super::CommitArgs,
}

/// Retract a published or withheld article, for good, and commit
///
/// Appends a `retraction` entry with the note (public: readers see it above
/// the article), raises the version and sets `updated`. A retraction is
/// final, and a published article is never deleted.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news retract kishida-arrives-in-moscow-for-talks-with-lavrov --note 'The visit did not take place; this article was published in error.'",
))]
pub struct RetractArgs {
    /// The article's id, or its record's path
    id: String,

    /// The retraction notice readers see
    #[arg(long, value_parser = super::note())]
    note: String,

    #[command(flatten)]
    commit: super::CommitArgs,
}

/// Correct a published or withheld article, and commit
///
/// Makes the change (with --set, as `news set` does; without it, in
/// $VISUAL or $EDITOR, as `news edit` does), appends a `[[corrections]]`
/// entry with the note (public: readers see it under the article), raises
/// the version and sets `updated`. A correction that changes nothing
/// commits nothing.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news correct russia-japan-agree-to-resume-peace-treaty-dialogue --note 'An earlier version gave the wrong date of the meeting.'     (in the editor)",
    "news correct kishida-arrives-in-moscow-for-talks-with-lavrov --kind clarification --note 'The visit was postponed, not cancelled.' --set 'summary=The visit, postponed twice, is the first since 2013.'",
))]
pub struct CorrectArgs {
    /// The article's id, or its record's path
    id: String,

    /// The correction readers see, saying what was wrong
    #[arg(long, value_parser = super::note())]
    note: String,

    /// What kind of correction it is
    #[arg(long, value_enum, default_value_t = Kind::Correction)]
    kind: Kind,

    /// Change a field as `news set` does (repeat for several); without
    /// --set, the editor opens
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    assignments: Vec<String>,

    #[command(flatten)]
    commit: super::CommitArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Something was wrong
    Correction,
    /// Something was unclear
    Clarification,
    /// Something new was added
    Update,
    /// Not a correction: `news retract` retracts an article (hidden; told
    /// so when asked for)
    #[value(hide = true)]
    Retraction,
}

impl Kind {
    /// The kind of correction entry `correct` writes; a retraction is
    /// refused, pointing to `news retract`, which makes one.
    fn of_correction(self, id: &str) -> Result<CorrectionKind, CommandError> {
        match self {
            Kind::Correction => Ok(CorrectionKind::Correction),
            Kind::Clarification => Ok(CorrectionKind::Clarification),
            Kind::Update => Ok(CorrectionKind::Update),
            Kind::Retraction => Err(CommandError::usage(
                "--kind retraction: a retraction is not a correction; `news retract` retracts an article, for good",
            )
            .with_hint(format!("to retract it: `news retract {id} --note '…'` (the notice readers see)"))),
        }
    }
}

/// The desk for a workflow command, with its commit options.
fn open(ui: &mut Ui, cwd: &Path, commit: &super::CommitArgs) -> Result<Desk, CommandError> {
    let mut desk = Desk::open(cwd, ui.notifier())?;
    super::warn_settings(ui, cwd, desk.setting_warnings())?;
    desk.set_verify(!commit.no_verify);
    Ok(desk)
}

/// Takes article `id` one step, now, and says what was committed.
fn step(
    ui: &mut Ui,
    cwd: &Path,
    id: &str,
    transition: Transition<'_>,
    commit: &super::CommitArgs,
) -> Result<ExitCode, CommandError> {
    let desk = open(ui, cwd, commit)?;
    let stored = desk.article(id)?;
    let now = desk.newsroom().config().timezone.now();
    let saved = desk
        .transition(&stored, &transition, now, commit.message.as_deref(), None)
        .map_err(|error| refusal(error, &transition, &stored.id))?;
    done(ui, &stored, saved)
}

fn done(
    ui: &mut Ui,
    stored: &StoredArticle,
    saved: Option<Saved>,
) -> Result<ExitCode, CommandError> {
    match saved {
        Some(saved) => super::report(ui, &saved)?,
        None => ui.status(&format!(
            "the correction changes nothing in {}; nothing committed",
            stored.id
        ))?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn submit(ui: &mut Ui, cwd: &Path, args: &SubmitArgs) -> Result<ExitCode, CommandError> {
    step(ui, cwd, &args.id, Transition::Submit, &args.commit)
}

pub fn return_(ui: &mut Ui, cwd: &Path, args: &ReturnArgs) -> Result<ExitCode, CommandError> {
    let transition = Transition::Return { note: &args.note };
    step(ui, cwd, &args.id, transition, &args.commit)
}

pub fn withhold(ui: &mut Ui, cwd: &Path, args: &WithholdArgs) -> Result<ExitCode, CommandError> {
    let transition = Transition::Withhold { note: &args.note };
    step(ui, cwd, &args.id, transition, &args.commit)
}

pub fn retract(ui: &mut Ui, cwd: &Path, args: &RetractArgs) -> Result<ExitCode, CommandError> {
    let transition = Transition::Retract { note: &args.note };
    step(ui, cwd, &args.id, transition, &args.commit)
}

pub fn publish(ui: &mut Ui, cwd: &Path, args: &PublishArgs) -> Result<ExitCode, CommandError> {
    let desk = open(ui, cwd, &args.commit)?;
    let timezone = desk.newsroom().config().timezone;
    let message = args.commit.message.as_deref();
    let Some(id) = &args.id else {
        return publish_due(ui, &desk, message);
    };
    let now = timezone.now();
    let at = match &args.at {
        Some(text) => not_ahead(
            "--at",
            text,
            super::record_moment("--at", text, &timezone)?,
            now,
        )?,
        None => now,
    };
    let stored = desk.article(id)?;
    let saved = desk
        .transition(&stored, &Transition::Publish, at, message, None)
        .map_err(|error| match error {
            // Only this command takes --at.
            DeskError::TooEarly { .. } => CommandError::from(error).with_hint(
                "give --at a time at or after it; without --at, check the record's times and the computer's clock",
            ),
            error => refusal(error, &Transition::Publish, &stored.id),
        })?;
    done(ui, &stored, saved)
}

/// A refused transition of article `id`, told as one: the result that
/// would not be valid says what was refused.
fn refusal(error: DeskError, transition: &Transition<'_>, id: &str) -> CommandError {
    let DeskError::Invalid { .. } = error else {
        return error.into();
    };
    let action = transition.action();
    let what = match transition {
        Transition::Submit => "it would not pass the checks of an article in review",
        Transition::Publish => "it would not pass the checks of a published article",
        _ => "the result would not be valid",
    };
    CommandError::from(error).retold(format!("cannot {action} {id}: {what}; nothing was written"))
}

/// A publication time, never ahead of `now`: a time up to a minute ahead
/// (clock skew) is now; one further ahead is refused: a future publication
/// is an embargo, not a time to write now.
fn not_ahead(
    flag: &str,
    text: &str,
    at: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> Result<DateTime<FixedOffset>, CommandError> {
    if at <= now {
        return Ok(at);
    }
    if at <= now + TimeDelta::minutes(1) {
        return Ok(now);
    }
    Err(CommandError::usage(format!(
        "{flag} {text:?} is in the future; an article is published at a time that has come"
    ))
    .with_hint(
        "to publish it later, set its embargo (`news set ID embargo=WHEN`): `news publish --due` publishes an article in review once its embargo has passed",
    ))
}

/// Publishes each article in review whose embargo has passed, one commit
/// each; one that is refused is reported and the others still go. A record
/// that may be in review but cannot be read is reported too: whether it is
/// due is not known.
fn publish_due(ui: &mut Ui, desk: &Desk, message: Option<&str>) -> Result<ExitCode, CommandError> {
    let now = desk.newsroom().config().timezone.now();
    let Due {
        articles: due,
        undecided,
    } = desk.due(now)?;
    for record in &undecided {
        let mut rendered = anstream::StripStream::new(Vec::new());
        crate::cli::findings::write(
            &mut rendered,
            crate::cli::findings::Format::Text,
            &record.findings,
        )?;
        let details = String::from_utf8_lossy(&rendered.into_inner()).into_owned();
        let error = CommandError::refused(format!(
            "cannot tell whether {} is due: {}",
            record.path.display(),
            record.reason
        ))
        .with_hint(format!(
            "`news validate {}` shows what is wrong",
            record.path.display()
        ));
        ui.error(&match details.is_empty() {
            true => error,
            false => error.with_details(details),
        });
    }
    if due.is_empty() && undecided.is_empty() {
        ui.status("nothing is due: no article in review has an embargo that has passed")?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut refused = 0;
    for stored in &due {
        match desk.transition(stored, &Transition::Publish, now, message, None) {
            Ok(saved) => {
                done(ui, stored, saved)?;
            }
            // Taken a step meanwhile (another `publish --due`, an editor):
            // no longer due.
            Err(DeskError::NotNow { id, status, .. }) => {
                ui.status(&format!(
                    "skipped {id}: it is no longer in review but {status}, by a commit made meanwhile"
                ))?;
            }
            Err(DeskError::Embargoed { id, .. }) => {
                ui.status(&format!(
                    "skipped {id}: its embargo was moved meanwhile, and has not passed"
                ))?;
            }
            Err(error) => {
                refused += 1;
                ui.error(&refusal(error, &Transition::Publish, &stored.id));
            }
        }
    }
    let mut failures = Vec::new();
    if refused > 0 {
        failures.push(format!(
            "{refused} of {} due article{} could not be published",
            due.len(),
            if due.len() == 1 { "" } else { "s" }
        ));
    }
    if !undecided.is_empty() {
        failures.push(format!(
            "{} record{} that may be due could not be read",
            undecided.len(),
            if undecided.len() == 1 { "" } else { "s" }
        ));
    }
    match failures.is_empty() {
        true => Ok(ExitCode::SUCCESS),
        false => Err(CommandError::refused(failures.join("; "))),
    }
}

pub fn correct(ui: &mut Ui, cwd: &Path, args: &CorrectArgs) -> Result<ExitCode, CommandError> {
    let kind = args.kind.of_correction(&args.id)?;
    let desk = open(ui, cwd, &args.commit)?;
    let timezone = desk.newsroom().config().timezone;
    let assignments = args
        .assignments
        .iter()
        .map(|argument| Assignment::parse(argument, desk.schema(), &timezone))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| CommandError::usage(error.to_string()))?;
    let stored = desk.article(&args.id)?;
    let message = args.commit.message.as_deref();
    if !assignments.is_empty() {
        let transition = Transition::Correct {
            note: &args.note,
            kind,
            change: CorrectionChange::Assignments(&assignments),
        };
        let saved = desk
            .transition(&stored, &transition, timezone.now(), message, None)
            .map_err(|error| refusal(error, &transition, &stored.id))?;
        return done(ui, &stored, saved);
    }
    // The editor, as `news edit` opens it; the correction is made on what
    // it gives back.
    desk.may(&stored, Action::Correct)?;
    desk.ready_to_edit(&stored)?;
    let signatures = desk.signatures()?;
    super::edit::edit_and_commit(ui, &desk, &stored, |text| {
        let transition = Transition::Correct {
            note: &args.note,
            kind,
            change: CorrectionChange::Text(text),
        };
        desk.transition(
            &stored,
            &transition,
            timezone.now(),
            message,
            Some(&signatures),
        )
    })
}
