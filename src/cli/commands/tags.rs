use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use news::editorial::{Desk, Saved, TagCount, open_snapshot, tag_usage};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::cli::escape::escape;
use crate::cli::ui::plural;
use crate::cli::{CommandError, Ui};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table
    #[value(alias = "table")]
    Text,
    /// An array of objects: name, aliases, uri, count
    Json,
}

/// List the tag vocabulary with usage counts, or change it
///
/// The vocabulary is schema/tags.toml; without it any tag goes, and this
/// lists the tags in use. `add`, `remove`, `rename` and `merge` change the
/// vocabulary, and `rename` and `merge` retag every article, in one commit
/// that changes only the vocabulary's entries and the records' `tags`
/// lines.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
#[command(after_long_help = examples!(
    "news tags",
    "news tags --unused",
    "news tags --format json | jq -r '.[] | select(.count > 10) | .name'",
    "news tags add 'Arctic Council' --alias 'AC'",
    "news tags rename 'Kuril Islands' 'Kurils'     (the old name stays an alias)",
    "news tags merge Business Economy",
    "news tags remove Weather",
))]
pub struct Args {
    #[command(subcommand)]
    change: Option<Change>,

    /// Only the tags no article carries (exit 1 when a record cannot be
    /// read: it may carry them)
    #[arg(long)]
    unused: bool,

    /// How to write the list
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, clap::Subcommand)]
enum Change {
    /// Add a tag to the vocabulary
    ///
    /// A name or alias that is already the name or an alias of a tag, in
    /// any case, is refused.
    Add {
        /// The tag's name, as records are to write it
        name: String,

        /// Another spelling accepted on input and written as NAME
        #[arg(long = "alias", value_name = "ALIAS")]
        aliases: Vec<String>,

        #[command(flatten)]
        commit: super::CommitArgs,
    },
    /// Remove a tag from the vocabulary; refused while articles carry it
    Remove {
        /// The tag's name
        name: String,

        #[command(flatten)]
        commit: super::CommitArgs,
    },
    /// Rename a tag in the vocabulary and on every article that carries it
    ///
    /// Articles that carry the tag by any of its spellings get NEW. The old
    /// name stays an alias, unless --drop-alias.
    Rename {
        /// The tag's name now
        old: String,

        /// Its new name
        new: String,

        /// Do not keep the old name as an alias
        #[arg(long)]
        drop_alias: bool,

        #[command(flatten)]
        commit: super::CommitArgs,
    },
    /// Fold a tag into another, on every article and in the vocabulary
    ///
    /// Articles that carry FROM by any of its spellings get INTO; FROM's
    /// name and aliases become aliases of INTO, unless --drop-alias.
    Merge {
        /// The tag that goes
        from: String,

        /// The tag that stays
        into: String,

        /// Do not keep FROM's name and aliases as aliases of INTO
        #[arg(long)]
        drop_alias: bool,

        #[command(flatten)]
        commit: super::CommitArgs,
    },
}

#[derive(Serialize)]
struct Listed<'a> {
    name: &'a str,
    aliases: &'a [String],
    uri: Option<&'a str>,
    count: usize,
}

pub fn run(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    let Some(change) = &args.change else {
        return list(ui, cwd, args);
    };
    let mut desk = Desk::open(cwd, ui.notifier())?;
    super::warn_settings(ui, cwd, desk.setting_warnings())?;
    let commit = match change {
        Change::Add { commit, .. }
        | Change::Remove { commit, .. }
        | Change::Rename { commit, .. }
        | Change::Merge { commit, .. } => commit,
    };
    desk.set_verify(!commit.no_verify);
    let note = commit.message.as_deref();
    let saved: Option<Saved> = match change {
        Change::Add { name, aliases, .. } => Some(desk.add_tag(name, aliases, note)?),
        Change::Remove { name, .. } => Some(desk.remove_tag(name, note)?),
        Change::Rename {
            old,
            new,
            drop_alias,
            ..
        } => desk.rename_tag(old, new, false, *drop_alias, note)?,
        Change::Merge {
            from,
            into,
            drop_alias,
            ..
        } => desk.rename_tag(from, into, true, *drop_alias, note)?,
    };
    match saved {
        Some(saved) => super::report(ui, &saved)?,
        None => ui.status("no article carries that tag; nothing committed")?,
    }
    Ok(ExitCode::SUCCESS)
}

fn list(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    let snapshot = open_snapshot(cwd, ui.notifier())?;
    super::warn_settings(ui, cwd, snapshot.setting_warnings())?;
    let usage = tag_usage(&snapshot)?;
    if !usage.controlled {
        ui.status(
            "the newsroom has no schema/tags.toml, so any tag goes; these are the tags in use",
        )?;
    }
    if usage.unreadable > 0 {
        let one = usage.unreadable == 1;
        ui.warn(&format!(
            "{} could not be read and {} not counted{}; `news validate` says why",
            plural(usage.unreadable, "record"),
            if one { "is" } else { "are" },
            match args.unused {
                true => format!(
                    ", so a tag listed as unused may be carried by {}",
                    if one { "it" } else { "them" }
                ),
                false => String::new(),
            },
        ))?;
    }
    if !usage.unknown.is_empty() {
        let unknown: Vec<String> = usage
            .unknown
            .iter()
            .map(|tag| format!("{:?} ({})", tag.tag.name, tag.count))
            .collect();
        ui.warn(&format!(
            "{} in use {} not in the vocabulary: {}; `news validate` reports them",
            plural(unknown.len(), "tag"),
            if unknown.len() == 1 { "is" } else { "are" },
            unknown.join(", ")
        ))?;
    }
    let tags: Vec<&TagCount> = usage
        .tags
        .iter()
        .filter(|tag| !args.unused || tag.count == 0)
        .collect();
    match args.format {
        Format::Json => {
            let listed: Vec<Listed<'_>> = tags
                .iter()
                .map(|tag| Listed {
                    name: &tag.tag.name,
                    aliases: &tag.tag.aliases,
                    uri: tag.tag.uri.as_deref(),
                    count: tag.count,
                })
                .collect();
            let out = ui.out();
            serde_json::to_writer_pretty(&mut *out, &listed)?;
            writeln!(out)?;
        }
        Format::Text => {
            let rows: Vec<(String, String, String)> = tags
                .iter()
                .map(|tag| {
                    (
                        tag.count.to_string(),
                        escape(&tag.tag.name).into_owned(),
                        escape(&tag.tag.aliases.join(", ")).into_owned(),
                    )
                })
                .collect();
            let count_width = rows
                .iter()
                .map(|row| row.0.width())
                .chain(["COUNT".width()])
                .max()
                .unwrap_or_default();
            let name_width = rows
                .iter()
                .map(|row| row.1.width())
                .chain(["TAG".width()])
                .max()
                .unwrap_or_default();
            ui.page();
            let out = ui.out();
            let line = |count: &str, name: &str, aliases: &str| {
                let line = format!(
                    "{}{count}  {name}{}  {aliases}",
                    " ".repeat(count_width - count.width()),
                    " ".repeat(name_width - name.width()),
                );
                line.trim_end().to_owned()
            };
            writeln!(out, "{}", line("COUNT", "TAG", "ALIASES"))?;
            for (count, name, aliases) in &rows {
                writeln!(out, "{}", line(count, name, aliases))?;
            }
        }
    }
    // Which tags no article carries cannot be told while a record cannot
    // be read: the list is not an answer to rely on.
    if args.unused && usage.unreadable > 0 {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
