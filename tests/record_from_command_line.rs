//! Every part of a record from the command line (`new`'s flags, `set`'s
//! list entries and items), and the warnings that save a correction
//! later (a reused headline, a body that repeats the dateline, a media
//! path that names no file).

mod support;

use std::path::Path;
use std::process::Output;

use support::{
    TempNewsroom, assert_fsck_clean, git, initialized_newsroom, news_as_reporter, stderr, stdout,
    validate_json,
};

const CREATED: &str = "2015-09-23T18:02:00+03:00";

fn commits(root: &Path) -> usize {
    git(root, &["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

/// `news new --headline HEADLINE --genre news --created … ARGS`.
fn new(root: &Path, headline: &str, args: &[&str]) -> Output {
    news_as_reporter(root)
        .args(["new", "--headline", headline, "--genre", "news"])
        .args(["--created", CREATED])
        .args(args)
        .output()
        .unwrap()
}

/// A new draft with `args`; its path relative to the root, and its text.
fn created(root: &Path, headline: &str, args: &[&str]) -> (String, String) {
    let output = new(root, headline, args);
    assert!(output.status.success(), "{}", stderr(&output));
    let path = stdout(&output).trim().to_owned();
    let text = std::fs::read_to_string(root.join(&path)).unwrap();
    (path, text)
}

fn set(root: &Path, id: &str, assignments: &[&str]) -> Output {
    news_as_reporter(root)
        .arg("set")
        .arg(id)
        .args(assignments)
        .output()
        .unwrap()
}

/// Asserts that `output` is a refusal with `code` whose message has
/// `expected`, and that nothing was committed or left behind.
fn assert_refused(root: &Path, before: usize, output: &Output, code: i32, expected: &str) {
    assert_eq!(output.status.code(), Some(code), "{}", stderr(output));
    assert!(stderr(output).contains(expected), "{}", stderr(output));
    assert_eq!(commits(root), before);
    assert_eq!(git(root, &["status", "--porcelain"]), "");
}

#[test]
fn new_writes_photos_with_their_credits_in_order_and_the_record_validates() {
    let dir = initialized_newsroom();
    let root = dir.path();
    std::fs::create_dir_all(root.join("media/2015/09")).unwrap();
    std::fs::write(
        root.join("media/2015/09/kishida-lavrov.jpg"),
        b"\xFF\xD8\xFF",
    )
    .unwrap();
    git(root, &["add", "media"]);
    git(root, &["commit", "-q", "-m", "The photo"]);
    let (path, text) = created(
        root,
        "Lavrov and Kishida meet",
        &[
            "--photo",
            "media/2015/09/kishida-lavrov.jpg",
            "--caption",
            "Fumio Kishida and Sergey Lavrov",
            "--credit",
            "© ITAR-TASS/Yuriy Smituk",
            "--photo",
            "https://tass.com/photos/2.jpg",
            "--credit",
            "© TASS",
        ],
    );
    assert!(
        text.ends_with(
            r#"
[[media]]
kind = "photo"
uri = "media/2015/09/kishida-lavrov.jpg"
caption = "Fumio Kishida and Sergey Lavrov"
credit = "© ITAR-TASS/Yuriy Smituk"

[[media]]
kind = "photo"
uri = "https://tass.com/photos/2.jpg"
credit = "© TASS"
"#
        ),
        "{text}"
    );
    // Committed as written, and valid without a warning.
    assert_eq!(git(root, &["show", &format!("HEAD:{path}")]), text);
    let (code, findings) = validate_json(root, &[]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
    assert_fsck_clean(root);
}

#[test]
fn new_refuses_a_credit_or_caption_without_its_photo_and_commits_nothing() {
    let dir = initialized_newsroom();
    let root = dir.path();
    let before = commits(root);
    let cases: [(&[&str], &str); 4] = [
        (
            &["--credit", "© TASS", "--photo", "a.jpg"],
            "--credit \"© TASS\" comes before any --photo",
        ),
        (
            &["--photo", "a.jpg", "--credit", "© A", "--photo", "b.jpg"],
            "--photo \"b.jpg\" has no --credit",
        ),
        (
            &[
                "--photo",
                "a.jpg",
                "--caption",
                "A",
                "--caption",
                "B",
                "--credit",
                "x",
            ],
            "--photo \"a.jpg\" has a second --caption \"B\"",
        ),
        (
            &["--caption", "Lavrov"],
            "--caption \"Lavrov\" comes before any --photo",
        ),
    ];
    for (args, expected) in cases {
        let output = new(root, "Lavrov and Kishida meet", args);
        assert_refused(root, before, &output, 2, expected);
        assert!(
            stderr(&output).contains("--photo URI --credit TEXT"),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn new_writes_sources_urgency_and_embargo() {
    let dir = initialized_newsroom();
    let root = dir.path();
    // The newsroom's zone decides the embargo's midnight and offset.
    let config = std::fs::read_to_string(root.join("news.toml"))
        .unwrap()
        .replace("timezone = \"UTC\"", "timezone = \"+03:00\"");
    std::fs::write(root.join("news.toml"), config).unwrap();
    git(root, &["commit", "-q", "-am", "Moscow time"]);
    let (_, text) = created(
        root,
        "Analysts see a thaw",
        &[
            "--source",
            "Andrei Fesyun; Higher School of Economics",
            "--source",
            "Viktor Kuzminkov",
            "--urgency",
            "3",
            "--embargo",
            "tomorrow",
        ],
    );
    let moscow = chrono::FixedOffset::east_opt(3 * 3600).unwrap();
    let tomorrow = chrono::Utc::now().with_timezone(&moscow).date_naive() + chrono::Days::new(1);
    assert!(
        text.contains(&format!(
            "created = {CREATED}\nembargo = {tomorrow}T00:00:00+03:00\nurgency = 3\n"
        )),
        "{text}"
    );
    assert!(
        text.ends_with(
            r#"
[[sources]]
name = "Andrei Fesyun"
affiliation = "Higher School of Economics"

[[sources]]
name = "Viktor Kuzminkov"
"#
        ),
        "{text}"
    );
    let (code, findings) = validate_json(root, &[]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");

    // An embargo given with another offset is written in the newsroom's.
    let (_, text) = created(root, "Talks end", &["--embargo", "2015-09-24T06:00:00Z"]);
    assert!(
        text.contains("embargo = 2015-09-24T09:00:00+03:00\n"),
        "{text}"
    );
}

#[test]
fn new_refuses_an_urgency_outside_1_to_9_and_an_unreadable_embargo() {
    let dir = initialized_newsroom();
    let root = dir.path();
    let before = commits(root);
    for (args, expected) in [
        (["--urgency", "12"], "12 is not in 1..=9"),
        (["--urgency", "0"], "0 is not in 1..=9"),
        (["--embargo", "next week"], "in N days"),
        (["--source", " ; Kyoto University"], "names no one"),
    ] {
        let output = new(root, "Talks end", &args);
        assert_refused(root, before, &output, 2, expected);
    }
}

#[test]
fn set_adds_a_media_entry_and_fills_it_in_one_commit() {
    let dir = initialized_newsroom();
    let root = dir.path();
    let (path, _) = created(root, "Lavrov and Kishida meet", &["--place", "MOSCOW"]);
    let before = commits(root);
    let output = set(
        root,
        "lavrov-and-kishida-meet",
        &[
            "media[+].uri=https://tass.com/photos/1.jpg",
            "media[-1].credit=© TASS",
            "media[-1].kind=photo",
            "media[+].uri=https://tass.com/photos/2.jpg",
            "media[-1].credit=© Reuters",
            "media[-1].kind=photo",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(commits(root), before + 1);
    let text = git(root, &["show", &format!("HEAD:{path}")]);
    assert!(
        text.ends_with(
            r#"
[dateline]
place = "MOSCOW"
date = 2015-09-23

[[media]]
uri = "https://tass.com/photos/1.jpg"
credit = "© TASS"
kind = "photo"

[[media]]
uri = "https://tass.com/photos/2.jpg"
credit = "© Reuters"
kind = "photo"
"#
        ),
        "{text}"
    );
    assert_eq!(git(root, &["status", "--porcelain"]), "");
    let (code, findings) = validate_json(root, &[]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");

    // The last entry, by its place from the end.
    let output = set(
        root,
        "lavrov-and-kishida-meet",
        &["media[-1].caption=Talks"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = git(root, &["show", &format!("HEAD:{path}")]);
    assert!(
        text.ends_with("credit = \"© Reuters\"\nkind = \"photo\"\ncaption = \"Talks\"\n"),
        "{text}"
    );
}

#[test]
fn set_says_plainly_when_a_list_is_empty_or_short() {
    let dir = initialized_newsroom();
    let root = dir.path();
    created(root, "Lavrov and Kishida meet", &[]);
    let before = commits(root);
    let output = set(root, "lavrov-and-kishida-meet", &["media[0].credit=x"]);
    assert_refused(
        root,
        before,
        &output,
        2,
        "the article has no media yet; add one with media[+].uri=…",
    );
    assert!(
        !stderr(&output).contains("a list index must follow"),
        "{}",
        stderr(&output)
    );
    let output = set(root, "lavrov-and-kishida-meet", &["sources[-1].name=x"]);
    assert_refused(
        root,
        before,
        &output,
        2,
        "the article has no sources yet; add one with sources[+].name=…",
    );
    // An entry that would be added without a value is refused as well.
    let output = set(root, "lavrov-and-kishida-meet", &["media[+]=x"]);
    assert_refused(root, before, &output, 2, "like media[+].uri=…");

    let output = set(
        root,
        "lavrov-and-kishida-meet",
        &[
            "media[+].uri=https://tass.com/1.jpg",
            "media[-1].credit=© TASS",
            "media[-1].kind=photo",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let before = commits(root);
    let output = set(root, "lavrov-and-kishida-meet", &["media[3].credit=x"]);
    assert_refused(
        root,
        before,
        &output,
        2,
        "there is no entry [3]: media has 1 entry, media[0]; add one with media[+].uri=…",
    );
}

#[test]
fn set_adds_tags_through_the_vocabulary_and_removes_them() {
    let dir = initialized_newsroom();
    let root = dir.path();
    let (path, _) = created(root, "Lavrov and Kishida meet", &["--tag", "Japan"]);
    let before = commits(root);

    // An unknown tag is refused with the name it may mean.
    let output = set(root, "lavrov-and-kishida-meet", &["tags+=Japn"]);
    assert_refused(root, before, &output, 2, "did you mean \"Japan\"?");

    // An alias, in any case, is written as the tag's name; a tag the
    // list holds already is not added twice.
    let output = set(
        root,
        "lavrov-and-kishida-meet",
        &["tags+=kurils", "tags+=JAPAN", "tags+=Russia"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(commits(root), before + 1);
    let text = git(root, &["show", &format!("HEAD:{path}")]);
    assert!(
        text.contains("tags = [\"Japan\", \"Kuril Islands\", \"Russia\"]\n"),
        "{text}"
    );

    // Adding what is there is no change, and commits nothing.
    let output = set(root, "lavrov-and-kishida-meet", &["tags+=Japan"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("nothing committed"),
        "{}",
        stderr(&output)
    );
    assert_eq!(commits(root), before + 1);

    // Removing a tag the article does not have names those it has.
    let output = set(root, "lavrov-and-kishida-meet", &["tags-=China"]);
    assert_refused(
        root,
        before + 1,
        &output,
        2,
        "\"China\" is not in it; it holds \"Japan\", \"Kuril Islands\", \"Russia\"",
    );
    let output = set(root, "lavrov-and-kishida-meet", &["tags-=South Kurils"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = git(root, &["show", &format!("HEAD:{path}")]);
    assert!(text.contains("tags = [\"Japan\", \"Russia\"]\n"), "{text}");
}

#[test]
fn new_warns_of_a_headline_another_article_has_and_still_creates_it() {
    let dir = initialized_newsroom();
    let root = dir.path();
    let (first, _) = created(root, "Lavrov and Kishida meet", &[]);
    let before = commits(root);
    let output = new(root, "  LAVROV and Kishida meet ", &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "articles/2015/09/23/lavrov-and-kishida-meet-2.toml\n"
    );
    assert!(
        stderr(&output).contains(&format!(
            "warning: an article with the headline \"LAVROV and Kishida meet\" exists already: lavrov-and-kishida-meet ({first}); this one is lavrov-and-kishida-meet-2"
        )),
        "{}",
        stderr(&output)
    );
    assert_eq!(commits(root), before + 1);
    // A different headline is no reason to warn.
    let output = new(root, "Lavrov and Kishida meet again", &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
}

/// A valid draft with a dateline, its body and its media `uri`.
fn record(id: &str, body: &str, uri: &str) -> String {
    format!(
        r#"id = "{id}"
headline = "Russia and Japan resume their dialogue"
genre = "news"
status = "draft"
byline = ["TASS"]
language = "en"
created = 2015-09-23T18:02:00+03:00
body = """
{body}
"""

[dateline]
place = "MOSCOW"
date = 2015-09-23
source = "TASS"

[[media]]
kind = "photo"
uri = "{uri}"
credit = "© TASS"
"#
    )
}

fn findings_of(root: &Path, id: &str) -> Vec<serde_json::Value> {
    let (code, findings) = validate_json(root, &[]);
    assert_eq!(code, 0, "warnings only: {findings:#?}");
    findings
        .into_iter()
        .filter(|finding| {
            finding["path"]
                .as_str()
                .is_some_and(|path| path.ends_with(&format!("/{id}.toml")))
        })
        .collect()
}

#[test]
fn warns_of_a_body_that_repeats_the_dateline_and_of_media_that_is_not_there() {
    let newsroom = TempNewsroom::new();
    let root = newsroom.root();
    newsroom.write("media/2015/09/talks.jpg", b"\xFF\xD8\xFF");
    let body = "The dialogue between Russia and Japan has resumed.";
    let place = |id: &str| format!("articles/2015/09/23/{id}.toml");
    newsroom.write(
        &place("clean"),
        record("clean", body, "media/2015/09/talks.jpg"),
    );
    newsroom.write(
        &place("a-url"),
        record(
            "a-url",
            "Moscow is ready to talk.",
            "https://tass.com/1.jpg",
        ),
    );
    newsroom.write(
        &place("repeated"),
        record(
            "repeated",
            &format!("MOSCOW, September 23. /TASS/. {body}"),
            "media/2015/09/talks.jpg",
        ),
    );
    newsroom.write(
        &place("source-only"),
        record(
            "source-only",
            &format!("/TASS/. {body}"),
            "media/2015/09/talks.jpg",
        ),
    );
    newsroom.write(
        &place("missing"),
        record("missing", body, "media/2015/09/gone.jpg"),
    );
    std::os::unix::fs::symlink("/etc/hostname", root.join("media/out.jpg")).unwrap();
    newsroom.write(&place("outside"), record("outside", body, "media/out.jpg"));

    assert_eq!(findings_of(root, "clean"), Vec::<serde_json::Value>::new());
    assert_eq!(findings_of(root, "a-url"), Vec::<serde_json::Value>::new());
    for (id, line, column, excerpt) in [
        ("repeated", 8, 8, "(\"MOSCOW, September 23. /TASS/.\")"),
        ("source-only", 8, 8, "(\"/TASS/.\")"),
    ] {
        let findings = findings_of(root, id);
        assert_eq!(findings.len(), 1, "{id}: {findings:#?}");
        let finding = &findings[0];
        assert_eq!(finding["rule"], "body-repeats-dateline");
        assert_eq!(finding["severity"], "warning");
        assert_eq!(finding["field"], "body");
        assert_eq!(
            (finding["line"].as_u64(), finding["column"].as_u64()),
            (Some(line), Some(column))
        );
        assert!(
            finding["message"].as_str().unwrap().contains(excerpt),
            "{finding:#}"
        );
    }
    for (id, expected) in [
        (
            "missing",
            "\"media/2015/09/gone.jpg\" names no file in the newsroom",
        ),
        ("outside", "\"media/out.jpg\" leads outside the newsroom"),
    ] {
        let findings = findings_of(root, id);
        assert_eq!(findings.len(), 1, "{id}: {findings:#?}");
        let finding = &findings[0];
        assert_eq!(finding["rule"], "media-not-found");
        assert_eq!(finding["severity"], "warning");
        assert_eq!(finding["field"], "media[0].uri");
        assert_eq!(
            (finding["line"].as_u64(), finding["column"].as_u64()),
            (Some(19), Some(7))
        );
        assert!(
            finding["message"].as_str().unwrap().contains(expected),
            "{finding:#}"
        );
    }

    // Outside a newsroom there is no folder to look in: no media rule.
    let loose = tempfile::tempdir().unwrap();
    std::fs::write(
        loose.path().join("missing.toml"),
        record("missing", body, "media/2015/09/gone.jpg"),
    )
    .unwrap();
    let (code, findings) = validate_json(loose.path(), &["missing.toml"]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
}

#[test]
fn new_and_set_say_the_warnings_their_change_brings() {
    let dir = initialized_newsroom();
    let root = dir.path();
    let output = news_as_reporter(root)
        .args(["new", "--headline", "Talks resume", "--genre", "news"])
        .args(["--place", "MOSCOW", "--body-file", "-"])
        .args(["--photo", "media/gone.jpg", "--credit", "© TASS"])
        .write_stdin("MOSCOW, September 23. The dialogue has resumed.\n")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let warnings = stderr(&output);
    assert!(warnings.contains("[body-repeats-dateline]"), "{warnings}");
    assert!(warnings.contains("[media-not-found]"), "{warnings}");
    // A change that brings no new warning says none.
    let output = set(root, "talks-resume", &["summary=Talks resume."]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
}
