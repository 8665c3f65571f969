use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use news::article::{Media, MediaKind, Source};
use news::editorial::{Desk, Draft};

use crate::cli::prompt;
use crate::cli::{CommandError, Ui};

/// Draft a new article and commit it
///
/// Prints the new record's path, relative to the current folder. On a
/// terminal, asks for what the flags did not give; otherwise a missing
/// --headline or --genre is an error. The byline defaults to your git name,
/// the disclaimer to news.toml's for the genre.
#[derive(Debug, clap::Args)]
#[command(after_long_help = examples!(
    "news new                   ask for the headline, the genre and the rest",
    "news new --headline 'Kishida arrives in Moscow' --genre news --tag Japan",
    "news new --headline 'Talks resume' --genre news --body-file body.md",
    "news new --headline 'Talks resume' --genre news --created '2015-09-23 18:02'",
))]
pub struct Args {
    /// The headline: one line, up to 200 characters
    #[arg(long)]
    headline: Option<String>,

    /// The genre: one of the newsroom schema's (news, analysis, opinion,
    /// interview, feature, obituary, fact-check, explainer by default)
    #[arg(long)]
    genre: Option<String>,

    /// A name for the byline (repeat for several)
    #[arg(long = "byline", value_name = "NAME")]
    bylines: Vec<String>,

    /// A tag from the vocabulary (repeat for several)
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,

    /// The section, like "Expert Opinions"
    #[arg(long)]
    section: Option<String>,

    /// The dateline's place, like MOSCOW
    #[arg(long)]
    place: Option<String>,

    /// Read the body (Markdown) from FILE, or from standard input with -
    #[arg(long, value_name = "FILE")]
    body_file: Option<PathBuf>,

    /// The disclaimer; news.toml's for the genre by default
    #[arg(long)]
    disclaimer: Option<String>,

    /// A one-paragraph summary
    #[arg(long)]
    summary: Option<String>,

    /// How urgent the news is, from 1 (most) to 9 (least), as IPTC counts
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=9))]
    urgency: Option<u8>,

    /// Not to be published before WHEN: a time or a date in the newsroom's
    /// time zone, tomorrow, in 2 hours…
    #[arg(long, value_name = "WHEN")]
    embargo: Option<String>,

    #[command(flatten)]
    photos: PhotoFlags,

    /// A person quoted, with their affiliation after a semicolon (repeat
    /// for several)
    #[arg(long = "source", value_name = "NAME[; AFFILIATION]", value_parser = news::editorial::parse_source)]
    sources: Vec<Source>,

    /// A BCP 47 language tag; news.toml's by default
    #[arg(long)]
    language: Option<String>,

    /// The id; made from the headline by default
    #[arg(long)]
    id: Option<String>,

    /// When the article was created: 2015-09-23T18:02:00+03:00, a time or a
    /// date in the newsroom's time zone, yesterday, 2 hours ago; now by
    /// default
    #[arg(long, value_name = "WHEN")]
    created: Option<String>,

    /// Do not run the repository's pre-commit and commit-msg hooks
    #[arg(long)]
    no_verify: bool,
}

pub fn run(ui: &mut Ui, cwd: &Path, args: &Args) -> Result<ExitCode, CommandError> {
    let mut desk = Desk::open(cwd, ui.notifier())?;
    super::warn_settings(ui, cwd, desk.setting_warnings())?;
    desk.set_verify(!args.no_verify);
    desk.ready_to_commit()?;
    if let Some(genre) = &args.genre {
        check_genre(genre, &desk)?;
    }
    let body = match &args.body_file {
        Some(path) if path.as_os_str() == "-" => {
            if std::io::stdin().is_terminal() {
                return Err(CommandError::usage(
                    "--body-file - reads the body from standard input, which is a terminal",
                )
                .with_hint("pipe the body in, or name a file"));
            }
            let mut body = String::new();
            std::io::stdin()
                .take(news::files::MAX_FILE_BYTES + 1)
                .read_to_string(&mut body)
                .map_err(|error| {
                    CommandError::usage(format!(
                        "cannot read the body from standard input: {error}"
                    ))
                })?;
            if body.len() as u64 > news::files::MAX_FILE_BYTES {
                return Err(CommandError::usage(format!(
                    "the body on standard input is larger than {} MiB, the most a record may hold",
                    news::files::MAX_FILE_BYTES / (1024 * 1024)
                )));
            }
            Some(body)
        }
        Some(path) => {
            let bytes = news::files::read_inside(&cwd.join(path), None)
                .map_err(|error| CommandError::usage(format!("cannot read the body: {error}")))?;
            Some(String::from_utf8(bytes).map_err(|_| {
                CommandError::usage(format!("the body in {} is not UTF-8", path.display()))
            })?)
        }
        None => None,
    };
    let mut draft = Draft {
        headline: args.headline.clone().unwrap_or_default(),
        genre: args.genre.clone().unwrap_or_default(),
        byline: args.bylines.clone(),
        tags: args.tags.clone(),
        section: args.section.clone(),
        place: args.place.clone(),
        body,
        disclaimer: args.disclaimer.clone(),
        summary: args.summary.clone(),
        language: args.language.clone(),
        id: args.id.clone(),
        embargo: args
            .embargo
            .as_deref()
            .map(|text| super::record_moment("--embargo", text, &desk.newsroom().config().timezone))
            .transpose()?,
        urgency: args.urgency,
        media: args.photos.media()?,
        sources: args.sources.clone(),
    };
    if ui.can_prompt() {
        let signatures = desk.signatures()?;
        prompt::complete_draft(&mut draft, &desk, &signatures.author.name)?;
    } else {
        let missing: Vec<String> = [("headline", &draft.headline), ("genre", &draft.genre)]
            .into_iter()
            .filter(|(_, value)| value.trim().is_empty())
            .map(|(field, _)| format!("{field} (give it with --{field})"))
            .collect();
        if !missing.is_empty() {
            return Err(
                CommandError::usage(format!("missing {}", missing.join(", ")))
                    .with_hint("run `news new` on a terminal to be asked for what is missing"),
            );
        }
    }
    let timezone = desk.newsroom().config().timezone;
    let now = match &args.created {
        Some(text) => super::record_moment("--created", text, &timezone)?,
        None => timezone.now(),
    };
    let saved = desk.create(&draft, now, None)?;
    writeln!(ui.out(), "{}", desk.shown(&saved.path).display())?;
    super::report(ui, &saved)?;
    Ok(ExitCode::SUCCESS)
}

/// Refuses a genre the newsroom's schema does not list (any goes when it
/// lists none).
fn check_genre(genre: &str, desk: &Desk) -> Result<(), CommandError> {
    let genres = desk.schema().article().allowed_values(&["genre"]);
    if genres.is_empty() || genres.contains(&genre) {
        return Ok(());
    }
    let suggestion = news::schema::did_you_mean(genre, genres.iter().copied())
        .map(|near| format!("; did you mean `{near}`?"))
        .unwrap_or_default();
    Err(CommandError::usage(format!(
        "`{genre}` is not a genre of this newsroom{suggestion}"
    ))
    .with_hint(format!("its schema lists: {}", genres.join(", "))))
}

/// `--photo URI --credit TEXT [--caption TEXT]`, repeatable: the flags in
/// the order given, since each --credit and --caption belongs to the
/// --photo before it (clap's derive keeps each flag's values apart).
#[derive(Debug, Default)]
struct PhotoFlags {
    given: Vec<(PhotoFlag, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PhotoFlag {
    Photo,
    Credit,
    Caption,
}

impl PhotoFlag {
    const ALL: [PhotoFlag; 3] = [PhotoFlag::Photo, PhotoFlag::Credit, PhotoFlag::Caption];

    fn id(self) -> &'static str {
        match self {
            PhotoFlag::Photo => "photo",
            PhotoFlag::Credit => "credit",
            PhotoFlag::Caption => "caption",
        }
    }

    fn arg(self) -> clap::Arg {
        let (value_name, help) = match self {
            PhotoFlag::Photo => (
                "URI",
                "A photo: a path from the newsroom's folder (where news.toml is) or a URL; give its --credit after it (repeat for several)",
            ),
            PhotoFlag::Credit => (
                "TEXT",
                "The credit of the --photo before it, like \"© TASS\"",
            ),
            PhotoFlag::Caption => ("TEXT", "The caption of the --photo before it"),
        };
        clap::Arg::new(self.id())
            .long(self.id())
            .value_name(value_name)
            .help(help)
            .action(clap::ArgAction::Append)
    }
}

impl clap::FromArgMatches for PhotoFlags {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut given: Vec<(usize, PhotoFlag, String)> = Vec::new();
        for flag in PhotoFlag::ALL {
            let (Some(indices), Some(values)) = (
                matches.indices_of(flag.id()),
                matches.get_many::<String>(flag.id()),
            ) else {
                continue;
            };
            given.extend(
                indices
                    .zip(values)
                    .map(|(index, value)| (index, flag, value.clone())),
            );
        }
        given.sort_by_key(|(index, _, _)| *index);
        Ok(Self {
            given: given
                .into_iter()
                .map(|(_, flag, value)| (flag, value))
                .collect(),
        })
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl clap::Args for PhotoFlags {
    fn augment_args(command: clap::Command) -> clap::Command {
        PhotoFlag::ALL
            .into_iter()
            .fold(command, |command, flag| command.arg(flag.arg()))
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

impl PhotoFlags {
    /// The photos, each with the --credit and --caption that follow its
    /// --photo; a usage error naming the flag out of place.
    fn media(&self) -> Result<Vec<Media>, CommandError> {
        let usage = |message: String| {
            CommandError::usage(message)
                .with_hint("give each photo as --photo URI --credit TEXT [--caption TEXT]")
        };
        // Each photo's URI, credit and caption.
        let mut photos: Vec<(&str, Option<&str>, Option<&str>)> = Vec::new();
        for (flag, value) in &self.given {
            if *flag == PhotoFlag::Photo {
                photos.push((value, None, None));
                continue;
            }
            let Some((uri, credit, caption)) = photos.last_mut() else {
                return Err(usage(format!(
                    "--{} {value:?} comes before any --photo",
                    flag.id()
                )));
            };
            let slot = if *flag == PhotoFlag::Credit {
                credit
            } else {
                caption
            };
            if slot.is_some() {
                return Err(usage(format!(
                    "--photo {uri:?} has a second --{} {value:?}",
                    flag.id()
                )));
            }
            *slot = Some(value);
        }
        photos
            .into_iter()
            .map(|(uri, credit, caption)| {
                let credit =
                    credit.ok_or_else(|| usage(format!("--photo {uri:?} has no --credit")))?;
                Ok(Media {
                    kind: MediaKind::Photo,
                    uri: uri.to_owned(),
                    caption: caption.map(str::to_owned),
                    credit: credit.to_owned(),
                })
            })
            .collect()
    }
}
