use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use news::editorial::{Desk, TagEdit};

use crate::cli::{CommandError, Ui};

/// Add and remove topic tags on articles, in one commit
///
/// After the articles' ids (or records' paths), `+TAG` adds a tag and
/// `-TAG` removes one: `-China` is a tag, not an option, and so is every
/// word that starts with one `-` after the first id but `-m` and `-q`
/// (the other global options go before the command; `--remove TAG`
/// removes a tag named `m` or `q`). A tag is written as the vocabulary
/// (schema/tags.toml) names it, aliases and any case accepted; a tag it
/// does not know is refused, unless --new adds it to the vocabulary in
/// the same commit. A tag goes in any of its spellings. Only the `tags`
/// lines of the records change; a change that changes nothing commits
/// nothing. Retagging a published article needs no correction.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news tag kishida-arrives-in-moscow +Japan -China",
    "news tag kishida-arrives-in-moscow lavrov-meets-kishida +Diplomacy",
    "news tag articles/2015/09/23/kishida-arrives-in-moscow.toml +Kurils   (written \"Kuril Islands\")",
    "news tag kishida-arrives-in-moscow +'Arctic Council' --new -m 'New topic'",
    "news tag kishida-arrives-in-moscow --remove -C      (a tag that looks like an option)",
))]
pub struct Args {
    #[command(flatten)]
    options: Options,

    /// The articles' ids or records' paths, and the changes: +TAG adds,
    /// -TAG removes
    #[arg(
        value_name = "ID|+TAG|-TAG",
        required = true,
        num_args = 1..,
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    words: Vec<String>,
}

/// The options, wherever they come: clap reads those before the first
/// id; those after it are read from the words.
#[derive(Debug, clap::Args)]
struct Options {
    /// Add TAG (also: +TAG)
    #[arg(long, value_name = "TAG", allow_hyphen_values = true)]
    add: Vec<String>,

    /// Remove TAG (also: -TAG)
    #[arg(long, value_name = "TAG", allow_hyphen_values = true)]
    remove: Vec<String>,

    /// Add tags the vocabulary does not know to it, in the same commit
    #[arg(long)]
    new: bool,

    #[command(flatten)]
    commit: super::CommitArgs,
}

/// The options found after the first id, read as clap reads them.
#[derive(Debug, clap::Parser)]
#[command(name = "news tag", no_binary_name = true, disable_help_flag = true)]
struct Later {
    #[command(flatten)]
    options: Options,
}

/// What the words say: the articles, the changes in order, and the long
/// options among them.
struct Words {
    references: Vec<String>,
    edits: Vec<TagEdit>,
    options: Vec<String>,
    /// `-q` or `--quiet` among them: the global option, as every other
    /// command takes it after its arguments.
    quiet: bool,
}

fn split(words: &[String]) -> Result<Words, CommandError> {
    let known = Later::command();
    let mut split = Words {
        references: Vec::new(),
        edits: Vec::new(),
        options: Vec::new(),
        quiet: false,
    };
    let mut words = words.iter();
    let mut options_end = false;
    while let Some(word) = words.next() {
        if !options_end && word == "--" {
            options_end = true;
        } else if !options_end && (word == "-q" || word == "--quiet") {
            split.quiet = true;
        } else if !options_end && (word.starts_with("--") || is_short_option(&known, word)) {
            let name = word[2..].split('=').next().unwrap_or_default();
            let arg = known.get_arguments().find(|arg| {
                arg.get_long() == Some(name)
                    || (word.len() == 2
                        && arg.get_short().map(String::from).as_deref() == Some(&word[1..]))
            });
            let takes_value = arg.is_some_and(|arg| arg.get_action().takes_values());
            let takes_hyphens = arg.is_some_and(clap::Arg::is_allow_hyphen_values_set);
            split.options.push(word.clone());
            if takes_value && !word.contains('=') {
                // `-m -Russia`: the word after is a tag change, not the
                // option's value, which is missing.
                match words.next() {
                    Some(value) if takes_hyphens || !value.starts_with(['-', '+']) => {
                        split.options.push(value.clone())
                    }
                    next => {
                        return Err(CommandError::usage(format!(
                            "`{word}` needs a value after it{}",
                            next.map(|next| format!(
                                ", and `{next}` is a tag change (for a message that starts so, write --{}={next})",
                                arg.and_then(clap::Arg::get_long).unwrap_or("message")
                            ))
                            .unwrap_or_default()
                        ))
                        .with_hint("`news tag --help` lists the options"));
                    }
                }
            }
        } else if let Some(tag) = word.strip_prefix('+') {
            split.edits.push(TagEdit::Add(tag.to_owned()));
        } else if let Some(tag) = word.strip_prefix('-') {
            split.edits.push(TagEdit::Remove(tag.to_owned()));
        } else {
            split.references.push(word.clone());
        }
    }
    Ok(split)
}

/// Whether `word` is one of the command's own short options (`-m`): the
/// global ones (`-C`) are tags after the first id, but `-q` (see `split`).
fn is_short_option(command: &clap::Command, word: &str) -> bool {
    let mut chars = word.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some('-'), Some(short), None) => command
            .get_arguments()
            .any(|arg| arg.get_short() == Some(short)),
        _ => false,
    }
}

pub fn run(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    let words = split(&args.words)?;
    if words.quiet {
        ui.set_quiet();
    }
    let later = Later::command()
        .try_get_matches_from(&words.options)
        .and_then(|matches| Later::from_arg_matches(&matches))
        .map_err(|error| {
            let rendered = error.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            CommandError::usage(first.trim_start_matches("error: ").to_owned())
                .with_hint("`news tag --help` lists the options")
        })?;
    let (first, later) = (&args.options, &later.options);
    let mut edits: Vec<TagEdit> = Vec::new();
    for options in [first, later] {
        edits.extend(options.add.iter().cloned().map(TagEdit::Add));
        edits.extend(options.remove.iter().cloned().map(TagEdit::Remove));
    }
    edits.extend(words.edits);
    if words.references.is_empty() {
        return Err(CommandError::usage(
            "name the articles to tag: news tag ID… +TAG -TAG",
        ));
    }
    if edits.is_empty() {
        return Err(CommandError::usage(
            "say which tags to add or remove: +TAG or -TAG after the ids",
        ));
    }
    for edit in &edits {
        let TagEdit::Add(added) = edit else {
            continue;
        };
        let removed = edits.iter().any(|other| {
            matches!(other, TagEdit::Remove(tag)
                if tag.trim().to_lowercase() == added.trim().to_lowercase())
        });
        if removed {
            return Err(CommandError::usage(format!(
                "the tag {:?} is both added and removed; give it once, as +TAG or -TAG",
                added.trim()
            )));
        }
    }
    let new = first.new || later.new;
    let message = later
        .commit
        .message
        .as_deref()
        .or(first.commit.message.as_deref());
    let mut desk = Desk::open(cwd, ui.notifier())?;
    super::warn_settings(ui, cwd, desk.setting_warnings())?;
    desk.set_verify(!(first.commit.no_verify || later.commit.no_verify));
    let tagged = desk.tag(&words.references, &edits, new, message)?;
    for warning in &tagged.warnings {
        ui.warn(warning)?;
    }
    // `-mWhy` is read as removing the tag "mWhy": say how to give a note.
    if edits.iter().any(|edit| {
        matches!(edit, TagEdit::Remove(tag) if tag.len() > 1 && tag.starts_with('m')
            && tagged.warnings.iter().any(|warning| warning.contains(&format!("{tag:?}"))))
    }) {
        ui.warn("to give the commit a message, write -m and the message as two words: -m 'Why'")?;
    }
    match tagged.saved {
        Some(saved) => super::report(ui, &saved)?,
        None => ui.status(&format!(
            "the tags of {} are as asked already; nothing committed",
            words.references.join(", ")
        ))?,
    }
    Ok(ExitCode::SUCCESS)
}
