//! `news init`: a newsroom in a new or existing repository, and the demo
//! newsroom with an editorial history made through news's own commits.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, FixedOffset};

use super::{Action, CorrectionChange, Desk, DeskError, Transition};
use crate::article::{FieldPath, Record, RecordEditor};
use crate::git::{FileChange, GitError, Identity, Notify, Repo, Signatures};
use crate::newsroom::{CONFIG_FILE, Newsroom};
use crate::paths::repo_prefix;
use crate::schema::{ARTICLE_SCHEMA_PATH, DEFAULT_ARTICLE_SCHEMA, DEFAULT_TAGS, TAGS_PATH};

/// Associates the articles with the schema for Even Better TOML / taplo.
pub const TAPLO_CONFIG: &str = r#"# Even Better TOML (taplo) checks articles against the newsroom's schema as
# you type. `news validate` remains the judge: it also knows the rules a JSON
# Schema cannot say (ids, offsets, tags, dates).
include = ["articles/**/*.toml", "news.toml", "schema/*.toml"]

[[rule]]
include = ["articles/**/*.toml"]

[rule.schema]
path = "./schema/article.schema.json"
"#;

const DEMO_CONFIG: &str = include_str!("../../examples/news.toml");

/// The demo's articles, as `examples/` has them, oldest first.
const DEMO_ARTICLES: [(&str, &str); 5] = [
    (
        "articles/2015/09/21/kishida-arrives-in-moscow-for-talks-with-lavrov.toml",
        include_str!(
            "../../examples/articles/2015/09/21/kishida-arrives-in-moscow-for-talks-with-lavrov.toml"
        ),
    ),
    (
        "articles/2015/09/22/russia-japan-agree-to-resume-peace-treaty-dialogue.toml",
        include_str!(
            "../../examples/articles/2015/09/22/russia-japan-agree-to-resume-peace-treaty-dialogue.toml"
        ),
    ),
    (
        "articles/2015/09/22/trade-commission-green-corridor-explained.toml",
        include_str!(
            "../../examples/articles/2015/09/22/trade-commission-green-corridor-explained.toml"
        ),
    ),
    (
        "articles/2015/09/23/analysts-russian-japanese-relations-show-signs-of-thawing.toml",
        include_str!(
            "../../examples/articles/2015/09/23/analysts-russian-japanese-relations-show-signs-of-thawing.toml"
        ),
    ),
    (
        "articles/2015/09/24/kuzminkov-on-the-economic-track.toml",
        include_str!("../../examples/articles/2015/09/24/kuzminkov-on-the-economic-track.toml"),
    ),
];

/// The errors the demo's corrections fix: the article, the right text, and
/// the wrong text it was first published with.
const DEMO_ERRATA: [(&str, &str, &str); 1] = [(
    DEMO_ARTICLES[1].0,
    "will meet on October 8",
    "will meet on October 18",
)];

/// The photo the founding demo article shows, a placeholder, where its
/// `[[media]]` entry says (so the media-not-found rule finds it).
const DEMO_MEDIA: (&str, &[u8]) = (
    "media/2015/09/kishida-lavrov.jpg",
    include_bytes!("../../examples/media/2015/09/kishida-lavrov.jpg"),
);

#[derive(Clone)]
pub struct InitOptions {
    pub dir: PathBuf,
    pub demo: bool,
    /// Hears what the commits wait for.
    pub notify: Notify,
}

#[derive(Clone, Debug)]
pub struct Initialized {
    pub root: PathBuf,
    pub created_repository: bool,
    /// The top of the repository's work tree the newsroom is in.
    pub repository: PathBuf,
    pub articles: usize,
    pub commits: usize,
}

/// Creates a newsroom in `options.dir`, with `news.toml`, the default
/// schema and vocabulary, `.taplo.toml`, and a first commit of just those
/// files. A folder inside a git repository's work tree, whether it exists
/// or not, joins that repository (the newsroom is that folder; its commits
/// are the repository's), as `git add` would; elsewhere the folder gets a
/// repository of its own. The demo always gets its own: its made-up history
/// belongs in no one's real repository.
pub fn init(options: &InitOptions) -> Result<Initialized, DeskError> {
    let dir = &options.dir;
    if dir.join(CONFIG_FILE).exists() {
        return Err(DeskError::Refused(format!(
            "{} is a newsroom already",
            dir.display()
        )));
    }
    // A newsroom inside another would hide the outer one's articles below
    // it, and have its settings read as articles.
    let outer = dir
        .ancestors()
        .skip(1)
        .find(|folder| folder.join(CONFIG_FILE).is_file());
    if let Some(outer) = outer {
        return Err(DeskError::Refused(format!(
            "{} is inside the newsroom at {}; a newsroom cannot hold another",
            dir.display(),
            outer.display()
        )));
    }
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if options.demo && occupied {
        return Err(DeskError::Refused(format!(
            "{} is not empty; the demo newsroom goes in a new folder",
            dir.display()
        )));
    }
    let adopted = if options.demo {
        None
    } else {
        // The folder itself, or the nearest one above it that exists.
        let start = dir
            .ancestors()
            .find(|folder| folder.is_dir())
            .unwrap_or(dir);
        match Repo::discover(start) {
            Ok(repo) => Some(repo),
            Err(GitError::NotARepository { .. }) => None,
            Err(error) => return Err(error.into()),
        }
    };
    let top = match &adopted {
        Some(repo) => Some(work_tree_top(repo, dir)?),
        None => None,
    };
    std::fs::create_dir_all(dir).map_err(|source| DeskError::Write {
        path: dir.clone(),
        source,
    })?;
    let (mut repo, created_repository) = match adopted {
        Some(repo) => (repo, false),
        None => (Repo::init(dir)?, true),
    };
    repo.set_notify(options.notify.clone());
    let signatures = if options.demo {
        Signatures::both(editor(demo_time("2015-09-21T09:00:00+03:00")))
    } else {
        repo.signatures()?
    };
    let name = if options.demo {
        "TASS".to_owned()
    } else {
        std::fs::canonicalize(dir)
            .ok()
            .and_then(|dir| {
                dir.file_name()
                    .map(|name| name.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "Newsroom".to_owned())
    };
    let config = if options.demo {
        DEMO_CONFIG.to_owned()
    } else {
        default_config(&name)
    };
    let files: [(&str, &str); 4] = [
        (CONFIG_FILE, &config),
        (ARTICLE_SCHEMA_PATH, DEFAULT_ARTICLE_SCHEMA),
        (TAGS_PATH, DEFAULT_TAGS),
        (".taplo.toml", TAPLO_CONFIG),
    ];
    let top = top.unwrap_or_else(|| dir.clone());
    let prefix = repo_prefix(&top, dir);
    let mut changes = Vec::new();
    for (path, content) in files {
        if dir.join(path).exists() {
            continue;
        }
        changes.push(FileChange::write(
            format!("{prefix}{path}"),
            content.as_bytes(),
        ));
    }
    if options.demo {
        changes.push(FileChange::write(
            format!("{prefix}{}", DEMO_MEDIA.0),
            DEMO_MEDIA.1,
        ));
    }
    let message = format!(
        "{action}: {name}\n\nNews-Action: {action}\n",
        action = Action::Init.as_str()
    );
    repo.commit_files(&changes, &message, &signatures, None)?;
    let mut initialized = Initialized {
        root: dir.clone(),
        created_repository,
        repository: std::fs::canonicalize(&top).unwrap_or(top),
        articles: 0,
        commits: 1,
    };
    if options.demo {
        let desk = Desk::for_newsroom(Newsroom::open(dir)?, dir, options.notify.clone())?;
        let (articles, commits) = demo_history(&desk)?;
        initialized.articles = articles;
        initialized.commits += commits;
    }
    Ok(initialized)
}

/// The top of `repo`'s work tree, which `dir` (existing or not) must be in:
/// a newsroom needs a work tree, and its files never go in a git folder.
fn work_tree_top(repo: &Repo, dir: &Path) -> Result<PathBuf, DeskError> {
    let refuse = |why: &str| {
        Err(DeskError::Refused(format!(
            "{} is {why}; a newsroom goes in a repository's work tree",
            dir.display()
        )))
    };
    let Some(top) = repo.workdir() else {
        return refuse("inside a bare repository");
    };
    let canonical = |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let top = canonical(top);
    // `dir` as it will be: its nearest existing folder resolved, the rest
    // as given.
    let existing = dir
        .ancestors()
        .find(|folder| folder.is_dir())
        .unwrap_or(dir);
    let rest = dir.strip_prefix(existing).unwrap_or(Path::new(""));
    let resolved = canonical(existing).join(rest);
    let inside = resolved.strip_prefix(&top).ok().filter(|relative| {
        relative.components().all(
            |component| matches!(component, std::path::Component::Normal(name) if name != ".git"),
        )
    });
    match inside {
        Some(_) => Ok(top),
        None => refuse("inside a git folder, not its work tree"),
    }
}

fn default_config(name: &str) -> String {
    let name = toml_edit::Value::from(name).to_string();
    format!(
        r#"# A newsroom's settings. This file marks the newsroom's root folder:
# `news validate` run in it (or given it) checks every article below.
# min-version = "{}"           # older versions of news refuse this newsroom
[newsroom]
name = {}
# source = "TASS"                 # default dateline source
timezone = "UTC"                  # IANA name or fixed offset like "+03:00"
language = "en"                   # of new articles
# base-uri = "https://example.com/" # for exports (to come): uri = base-uri + id

[defaults.disclaimer]             # prefilled by `news new` for these genres
opinion = "The views expressed are the author's own"
analysis = "The views expressed are the author's own"
"#,
        crate::newsroom::VERSION,
        name.trim()
    )
}

fn demo_time(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("demo times are RFC 3339")
}

fn reporter(when: DateTime<FixedOffset>) -> Identity {
    Identity {
        name: "Alexandrova Lyudmila".to_owned(),
        email: "l.alexandrova@newsroom.example".to_owned(),
        when: Some(when),
    }
}

fn editor(when: DateTime<FixedOffset>) -> Identity {
    Identity {
        name: "Mikhail Petrov".to_owned(),
        email: "m.petrov@newsroom.example".to_owned(),
        when: Some(when),
    }
}

/// Replays the example articles as a newsroom would have made them:
/// drafted by a reporter, edited, then submitted, published and corrected
/// through the workflow's own transitions, each step a commit at the time
/// the record gives.
fn demo_history(desk: &Desk) -> Result<(usize, usize), DeskError> {
    let mut commits = 0;
    for (path, final_text) in DEMO_ARTICLES {
        let path = Path::new(path);
        let record = Record::parse(final_text).expect("the demo articles parse");
        let time = |key: &str| {
            record
                .get(&FieldPath::root().key(key))
                .and_then(|entry| crate::schema::offset_date_time(entry.value.get_ref()))
        };
        let text_of = |key: &str| {
            record
                .get(&FieldPath::root().key(key))
                .and_then(|entry| entry.value.get_ref().as_str().map(str::to_owned))
        };
        let created = time("created").expect("demo articles have created");
        let status = text_of("status").unwrap_or_default();
        let by_reporter = text_of("genre").as_deref() != Some("news");
        let author = |when| {
            if by_reporter {
                reporter(when)
            } else {
                editor(when)
            }
        };
        // The article as first written: with the error a correction fixed.
        let erratum = DEMO_ERRATA
            .iter()
            .find(|(errant, ..)| Path::new(errant) == path);
        let first_text = match erratum {
            Some((_, right, wrong)) => final_text.replace(right, wrong),
            None => final_text.to_owned(),
        };

        // The reporter's first draft: no media, sources or publication yet.
        let draft = strip(
            &first_text,
            &[
                "version",
                "published",
                "updated",
                "media",
                "sources",
                "corrections",
            ],
            "draft",
        );
        desk.record(
            path,
            &draft,
            Action::New,
            None,
            &Signatures::both(author(created)),
        )?;
        commits += 1;

        // The editor adds what the desk gathered.
        let gathered = strip(&first_text, &crate::history::PUBLICATION_FACTS, "draft");
        let gathered_at = created + Duration::minutes(12);
        if gathered != draft {
            desk.record(
                path,
                &gathered,
                Action::Edit,
                None,
                &Signatures::both(editor(gathered_at)),
            )?;
            commits += 1;
        }
        let step = |transition: Transition<'_>, when, signatures: Signatures| {
            let stored = desk.article(&path.to_string_lossy())?;
            desk.transition(&stored, &transition, when, None, Some(&signatures))?
                .ok_or_else(|| {
                    DeskError::Refused(format!("the demo's {transition:?} changed nothing"))
                })
        };
        match status.as_str() {
            "review" => {
                let when = created + Duration::minutes(40);
                step(Transition::Submit, when, Signatures::both(author(when)))?;
                commits += 1;
            }
            "published" => {
                let published = time("published").expect("published articles have published");
                let submitted = (published - Duration::minutes(5)).max(gathered_at);
                step(
                    Transition::Submit,
                    submitted,
                    Signatures::both(author(submitted)),
                )?;
                step(
                    Transition::Publish,
                    published,
                    Signatures::both(editor(published)),
                )?;
                commits += 2;
                if let (Some(updated), Some((_, right, wrong))) = (time("updated"), erratum) {
                    let corrections = record
                        .to_article()
                        .expect("the demo articles fit the model")
                        .corrections;
                    let correction = corrections
                        .first()
                        .expect("a corrected demo article says why");
                    let stored = desk.article(&path.to_string_lossy())?;
                    let corrected = stored.text.replace(wrong, right);
                    let transition = Transition::Correct {
                        note: &correction.note,
                        kind: correction.kind,
                        change: CorrectionChange::Text(&corrected),
                    };
                    desk.transition(
                        &stored,
                        &transition,
                        updated,
                        None,
                        Some(&Signatures::both(editor(updated))),
                    )?;
                    commits += 1;
                }
            }
            _ => {}
        }
    }
    Ok((DEMO_ARTICLES.len(), commits))
}

/// `text` without the keys `remove`, with `status` set.
fn strip(text: &str, remove: &[&str], status: &str) -> String {
    let mut editor = RecordEditor::parse(text).expect("the demo articles parse");
    for key in remove {
        let _ = editor.remove(&FieldPath::root().key(*key));
    }
    editor
        .set(
            &FieldPath::root().key("status"),
            toml_edit::Value::from(status),
        )
        .expect("status is a top-level key");
    editor.to_string()
}
