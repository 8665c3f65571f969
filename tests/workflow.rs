//! The editorial workflow (DESIGN §3): submit, return, publish, withhold,
//! correct and retract, run with the real binary and checked with git.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use support::demo::{DRAFT, DRAFT_PATH, FOUNDING, FOUNDING_PATH};
use support::{editor_script, git, head, news_as_reporter, run, stderr, stdout};

/// The review demo article.
const REVIEW: &str = "trade-commission-green-corridor-explained";
const REVIEW_PATH: &str = "articles/2015/09/22/trade-commission-green-corridor-explained.toml";

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited")
}

/// Runs `news ARGS` and asserts it succeeded; its stderr.
fn ok(root: &Path, args: &[&str]) -> String {
    let output = run(root, args);
    assert_eq!(code(&output), 0, "news {args:?}: {}", stderr(&output));
    stderr(&output)
}

/// Runs `news ARGS`, which must be refused with `expected` exit code and
/// commit nothing; its stderr.
fn refused(root: &Path, args: &[&str], expected: i32) -> String {
    let before = head(root);
    let output = run(root, args);
    assert_eq!(
        code(&output),
        expected,
        "news {args:?}: {}{}",
        stdout(&output),
        stderr(&output)
    );
    assert_eq!(head(root), before, "news {args:?} committed");
    assert_eq!(
        git(root, &["status", "--porcelain"]),
        "",
        "news {args:?} left changes"
    );
    stderr(&output)
}

/// `field = value` of the record's text (its first such line).
fn value_of<'t>(text: &'t str, field: &str) -> &'t str {
    let prefix = format!("{field} = ");
    text.lines()
        .find_map(|line| line.strip_prefix(prefix.as_str()))
        .unwrap_or_else(|| panic!("no {field} in {text}"))
}

/// A newsroom made by `news init`, set up as TASS's (Moscow time, TASS
/// datelines and disclaimer), committed with git.
fn tass_newsroom() -> tempfile::TempDir {
    let dir = support::initialized_newsroom();
    let root = dir.path();
    support::rewrite(
        &root.join("news.toml"),
        "timezone = \"UTC\"",
        "timezone = \"Europe/Moscow\"",
    );
    support::rewrite(
        &root.join("news.toml"),
        "# source = \"TASS\"",
        "source = \"TASS\"",
    );
    support::rewrite(
        &root.join("news.toml"),
        "opinion = \"The views expressed are the author's own\"",
        "opinion = \"TASS may not share the opinions of its contributors\"",
    );
    git(root, &["commit", "-q", "-am", "TASS's settings"]);
    dir
}

/// The founding article's body, as the example has it.
fn founding_body() -> String {
    let example =
        std::fs::read_to_string(support::project_dir().join("examples").join(FOUNDING_PATH))
            .unwrap();
    let start = example.find("body = \"\"\"\n").unwrap() + "body = \"\"\"\n".len();
    let end = start + example[start..].find("\"\"\"").unwrap();
    example[start..end].to_owned()
}

#[test]
fn the_founding_article_walks_the_whole_workflow() {
    let dir = tass_newsroom();
    let root = dir.path();
    let first = git(root, &["rev-list", "--max-parents=0", "HEAD"]);
    let first = first.trim();
    let body = root.join("body.md");
    std::fs::write(&body, founding_body()).unwrap();
    git(root, &["add", "body.md"]);
    git(root, &["commit", "-q", "-m", "the body to paste"]);
    let output = run(
        root,
        &[
            "new",
            "--headline",
            "Analysts: Russian-Japanese relations show signs of thawing",
            "--genre",
            "opinion",
            "--section",
            "Expert Opinions",
            "--tag",
            "Russia",
            "--tag",
            "Japan",
            "--place",
            "MOSCOW",
            "--created",
            "2015-09-23 18:02",
            "--body-file",
            body.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout(&output).trim(), FOUNDING_PATH);

    ok(root, &["submit", FOUNDING]);
    ok(
        root,
        &["return", FOUNDING, "--note", "Name the experts' institutes"],
    );
    ok(root, &["submit", FOUNDING, "-m", "Institutes named"]);
    let said = ok(root, &["publish", FOUNDING, "--at", "2015-09-23 18:24"]);
    assert!(
        said.contains("publish: Analysts: Russian-Japanese relations show signs of thawing"),
        "{said}"
    );
    ok(
        root,
        &[
            "correct",
            FOUNDING,
            "--note",
            "An earlier version of this article gave the wrong section.",
            "--set",
            "summary=Experts see the dialogue resumed.",
        ],
    );
    ok(
        root,
        &["withhold", FOUNDING, "--note", "Legal is checking a quote"],
    );
    ok(root, &["publish", FOUNDING]);
    ok(
        root,
        &[
            "retract",
            FOUNDING,
            "--note",
            "The experts' quotes could not be confirmed.",
        ],
    );

    // Each step a commit, with its action and the version where it changed.
    let log = git(
        root,
        &[
            "log",
            "--reverse",
            "--format=%s|%(trailers:key=News-Id,valueonly,separator=)|%(trailers:key=News-Action,valueonly,separator=)|%(trailers:key=News-Version,valueonly,separator=)",
            "--",
            FOUNDING_PATH,
        ],
    );
    let headline = "Analysts: Russian-Japanese relations show signs of thawing";
    let expected: Vec<String> = [
        ("new", ""),
        ("submit", ""),
        ("return", ""),
        ("submit", ""),
        ("publish", "1"),
        ("correct", "2"),
        ("withhold", ""),
        ("publish", ""),
        ("retract", "3"),
    ]
    .iter()
    .map(|(action, version)| format!("{action}: {headline}|{FOUNDING}|{action}|{version}"))
    .collect();
    assert_eq!(log.lines().collect::<Vec<_>>(), expected);
    // The internal notes are in the commit messages, not the record.
    let messages = git(root, &["log", "--format=%B", "--", FOUNDING_PATH]);
    for note in [
        "Name the experts' institutes",
        "Legal is checking a quote",
        "Institutes named",
    ] {
        assert!(messages.contains(note), "{note}: {messages}");
    }

    // The first publication time never changed.
    let commits = git(
        root,
        &["log", "--reverse", "--format=%H", "--", FOUNDING_PATH],
    );
    let commits: Vec<&str> = commits.lines().collect();
    for commit in &commits[4..] {
        let text = git(root, &["show", &format!("{commit}:{FOUNDING_PATH}")]);
        assert_eq!(value_of(&text, "published"), "2015-09-23T18:24:00+03:00");
    }

    // The history passes the history rules, commit by commit.
    let output = run(root, &["validate", "--base", first]);
    assert_eq!(code(&output), 0, "{}{}", stdout(&output), stderr(&output));

    // The record's final text: the correction and the retraction appended,
    // the times in the newsroom's zone.
    let text = std::fs::read_to_string(root.join(FOUNDING_PATH)).unwrap();
    let updated = value_of(&text, "updated");
    assert!(updated.ends_with("+03:00"), "{updated}");
    let corrected = text
        .lines()
        .filter_map(|line| line.strip_prefix("at = "))
        .next()
        .unwrap();
    let body = founding_body();
    assert_eq!(
        text,
        format!(
            r#"id = "{FOUNDING}"
headline = "{headline}"
genre = "opinion"
status = "retracted"
version = 3
section = "Expert Opinions"
byline = ["Alexandrova Lyudmila"]
language = "en"
created = 2015-09-23T18:02:00+03:00
published = 2015-09-23T18:24:00+03:00
updated = {updated}
tags = ["Russia", "Japan"]
disclaimer = "TASS may not share the opinions of its contributors"
body = """
{body}"""
summary = "Experts see the dialogue resumed."

[dateline]
place = "MOSCOW"
date = 2015-09-23
source = "TASS"

[[corrections]]
at = {corrected}
kind = "correction"
note = "An earlier version of this article gave the wrong section."

[[corrections]]
at = {updated}
kind = "retraction"
note = "The experts' quotes could not be confirmed."
"#
        )
    );
    support::assert_fsck_clean(root);
    assert_eq!(git(root, &["status", "--porcelain"]), "");
}

/// The legal next steps the refusal names for each status.
const NEXT: [(&str, &str); 5] = [
    (
        "draft",
        "from draft the next steps are news submit or news publish",
    ),
    (
        "review",
        "from review the next steps are news return or news publish",
    ),
    (
        "published",
        "from published the next steps are news withhold, news correct or news retract",
    ),
    (
        "withheld",
        "from withheld the next steps are news publish, news correct or news retract",
    ),
    ("retracted", "a retraction is final"),
];

/// Asserts that each of `commands` is refused on `id` in `status`, naming
/// the status and what may follow it.
fn refused_from(root: &Path, id: &str, status: &str, commands: &[&[&str]]) {
    let next = NEXT
        .iter()
        .find(|(from, _)| *from == status)
        .map(|(_, next)| *next)
        .unwrap();
    for command in commands {
        let mut args = vec![command[0], id];
        args.extend_from_slice(&command[1..]);
        let said = refused(root, &args, 1);
        let phrase = match status {
            "draft" => "a draft",
            "review" => "in review",
            other => other,
        };
        assert!(
            said.contains(&format!("cannot {} {id}: it is {phrase};", command[0])),
            "{args:?}: {said}"
        );
        assert!(said.contains(next), "{args:?}: {said}");
    }
}

#[test]
fn every_transition_the_table_does_not_allow_is_refused_naming_the_next_steps() {
    let (_dir, root) = support::demo_newsroom();
    let return_ = &["return", "--note", "n"][..];
    let withhold = &["withhold", "--note", "n"][..];
    let correct = &["correct", "--note", "n", "--set", "summary=S"][..];
    let retract = &["retract", "--note", "n"][..];
    refused_from(
        &root,
        DRAFT,
        "draft",
        &[return_, withhold, correct, retract],
    );
    refused_from(
        &root,
        REVIEW,
        "review",
        &[&["submit"], withhold, correct, retract],
    );
    refused_from(
        &root,
        FOUNDING,
        "published",
        &[&["submit"], return_, &["publish"]],
    );
    ok(&root, &["withhold", FOUNDING, "--note", "Legal"]);
    refused_from(
        &root,
        FOUNDING,
        "withheld",
        &[&["submit"], return_, withhold],
    );
    ok(
        &root,
        &["retract", FOUNDING, "--note", "Published in error."],
    );
    refused_from(
        &root,
        FOUNDING,
        "retracted",
        &[
            &["submit"],
            return_,
            &["publish"],
            withhold,
            correct,
            retract,
        ],
    );
    // What news refuses, validate --base would have refused too.
    let output = run(&root, &["validate", "--base", "HEAD~2"]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
}

#[test]
fn publishing_an_incomplete_record_is_refused_with_the_findings() {
    let (_dir, root) = support::demo_newsroom();
    // No body.
    let said = refused(&root, &["publish", DRAFT], 1);
    assert!(said.contains("error[missing-field]"), "{said}");
    assert!(said.contains("body"), "{said}");
    assert!(said.contains(DRAFT_PATH), "{said}");
    assert!(
        said.contains(&format!(
            "error: cannot publish {DRAFT}: it would not pass the checks of a published article; nothing was written"
        )),
        "{said}"
    );
    let said = refused(&root, &["submit", DRAFT], 1);
    assert!(said.contains("body"), "{said}");
    assert!(
        said.contains(&format!(
            "error: cannot submit {DRAFT}: it would not pass the checks of an article in review; nothing was written"
        )),
        "{said}"
    );
    // An opinion without its disclaimer, committed with plain git.
    let path = "articles/2015/09/25/no-disclaimer.toml";
    std::fs::create_dir_all(root.join("articles/2015/09/25")).unwrap();
    std::fs::write(
        root.join(path),
        r#"id = "no-disclaimer"
headline = "Experts doubt the visit"
genre = "opinion"
status = "draft"
byline = ["Alexandrova Lyudmila"]
language = "en"
created = 2015-09-25T10:00:00+03:00
body = "The visit will wait, experts say."
"#,
    )
    .unwrap();
    git(&root, &["add", path]);
    git(&root, &["commit", "-q", "-m", "a draft by hand"]);
    let said = refused(&root, &["publish", "no-disclaimer"], 1);
    assert!(said.contains("disclaimer"), "{said}");
    assert!(said.contains(path), "{said}");
    assert!(said.contains("nothing was written"), "{said}");
}

/// A news draft made on 25 September 2015 with a body, embargoed until
/// `embargo`.
fn embargoed_draft(dir: &Path, root: &Path, headline: &str, embargo: &str) {
    let body = dir.join("body.md");
    std::fs::write(&body, "Putin will visit Tokyo, the Kremlin said.\n").unwrap();
    ok(
        root,
        &[
            "new",
            "--headline",
            headline,
            "--genre",
            "news",
            "--created",
            "2015-09-25 10:00",
            "--body-file",
            body.to_str().unwrap(),
            "--embargo",
            embargo,
        ],
    );
}

#[test]
fn an_embargoed_article_waits_for_its_embargo_and_publish_due_publishes_it() {
    let (dir, root) = support::demo_newsroom();
    let new = |headline: &str, embargo: &str| embargoed_draft(dir.path(), &root, headline, embargo);
    new("Putin to visit Tokyo", "in 2 days");
    new("Abe to welcome Putin", "2015-09-26 09:00");
    ok(&root, &["submit", "putin-to-visit-tokyo"]);
    ok(&root, &["submit", "abe-to-welcome-putin"]);

    // The editors' queue, oldest first.
    let queue = run(
        &root,
        &["list", "--status", "review", "--oldest", "--format", "json"],
    );
    let queue: serde_json::Value = serde_json::from_slice(&queue.stdout).unwrap();
    let ids: Vec<&str> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|article| article["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [REVIEW, "abe-to-welcome-putin", "putin-to-visit-tokyo"]
    );
    let show = run(&root, &["show", "putin-to-visit-tokyo"]);
    assert!(
        stdout(&show).contains("Embargoed until "),
        "{}",
        stdout(&show)
    );

    let said = refused(&root, &["publish", "putin-to-visit-tokyo"], 1);
    assert!(
        said.contains("cannot publish putin-to-visit-tokyo before its embargo"),
        "{said}"
    );
    assert!(said.contains("hint:"), "{said}");
    // A publication time ahead is refused: the future is the embargo's.
    for at in ["tomorrow", "in 3 days", "2999-01-01"] {
        let said = refused(&root, &["publish", "putin-to-visit-tokyo", "--at", at], 2);
        assert!(
            said.contains(&format!("--at {at:?} is in the future")),
            "{said}"
        );
        assert!(said.contains("news publish --due"), "{said}");
    }

    // --due publishes the reviewed article whose embargo passed, not the
    // one still embargoed nor the one in review with no embargo.
    let said = ok(&root, &["publish", "--due"]);
    assert!(said.contains("publish: Abe to welcome Putin"), "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");
    let log = git(
        &root,
        &[
            "log",
            "-1",
            "--format=%(trailers:key=News-Id,valueonly,separator=)",
        ],
    );
    assert_eq!(log.trim(), "abe-to-welcome-putin");
    let said = ok(&root, &["publish", "--due"]);
    assert!(said.contains("nothing is due"), "{said}");

    // --at before an embargo that has passed is refused; at or after it
    // publishes the article, at that time.
    new("Putin lands in Tokyo", "3 hours ago");
    refused(
        &root,
        &["publish", "putin-lands-in-tokyo", "--at", "4 hours ago"],
        1,
    );
    ok(
        &root,
        &["publish", "putin-lands-in-tokyo", "--at", "2 hours ago"],
    );
    let text = std::fs::read_to_string(root.join("articles/2015/09/25/putin-lands-in-tokyo.toml"))
        .unwrap();
    assert!(
        value_of(&text, "published") > value_of(&text, "embargo"),
        "{text}"
    );
    assert_eq!(value_of(&text, "status"), "\"published\"");
}

/// Appends to the founding article, by hand, a correction dated 2999
/// (valid, as `news validate` says) and commits it with git.
fn commit_a_correction_from_the_future(root: &Path) {
    let text = std::fs::read_to_string(root.join(FOUNDING_PATH)).unwrap();
    std::fs::write(
        root.join(FOUNDING_PATH),
        format!(
            "{text}\n[[corrections]]\nat = 2999-01-01T00:00:00+03:00\nkind = \"update\"\nnote = \"Later.\"\n"
        ),
    )
    .unwrap();
    let output = run(root, &["validate", FOUNDING_PATH]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    git(
        root,
        &["commit", "-q", "-am", "a correction from the future"],
    );
}

/// A retraction and a correction of the founding article, each of which
/// appends an entry dated now.
const RETRACT_FOUNDING: &[&str] = &["retract", FOUNDING, "--note", "Wrong."];
const CORRECT_FOUNDING: &[&str] = &[
    "correct",
    FOUNDING,
    "--note",
    "Wrong.",
    "--set",
    "summary=S",
];

#[test]
fn a_transition_never_writes_a_time_earlier_than_the_records_times() {
    let (_dir, root) = support::demo_newsroom();
    ok(&root, &["withhold", FOUNDING, "--note", "Legal"]);
    let text = std::fs::read_to_string(root.join(FOUNDING_PATH)).unwrap();
    let updated = value_of(&text, "updated").to_owned();
    // Before the withholding, and before the first publication.
    for at in ["2015-09-20", "2015-09-23 18:30"] {
        let said = refused(&root, &["publish", FOUNDING, "--at", at], 1);
        assert!(
            said.contains(&format!("cannot publish {FOUNDING} at ")),
            "{said}"
        );
        assert!(said.contains("its `updated` is later"), "{said}");
    }
    let text = std::fs::read_to_string(root.join(FOUNDING_PATH)).unwrap();
    assert_eq!(value_of(&text, "updated"), updated);
    assert_eq!(value_of(&text, "status"), "\"withheld\"");
    // A correction dated later than now, by hand: no transition goes
    // before it, with or without --at.
    commit_a_correction_from_the_future(&root);
    for command in [
        &["publish", FOUNDING][..],
        RETRACT_FOUNDING,
        CORRECT_FOUNDING,
    ] {
        let said = refused(&root, command, 1);
        assert!(
            said.contains("its `corrections[0].at` is later, 2999-01-01 00:00 +03:00"),
            "{command:?}: {said}"
        );
    }
}

#[test]
fn a_withheld_article_published_again_waits_for_its_embargo() {
    let (_dir, root) = support::demo_newsroom();
    ok(&root, &["withhold", FOUNDING, "--note", "Hold"]);
    ok(
        &root,
        &[
            "correct",
            FOUNDING,
            "--note",
            "Embargoed.",
            "--set",
            "embargo=2999-01-01T00:00:00+03:00",
        ],
    );
    let said = refused(&root, &["publish", FOUNDING], 1);
    assert!(
        said.contains(&format!(
            "cannot publish {FOUNDING} before its embargo, 2999-01-01 00:00 +03:00"
        )),
        "{said}"
    );
    let text = std::fs::read_to_string(root.join(FOUNDING_PATH)).unwrap();
    assert_eq!(value_of(&text, "status"), "\"withheld\"");
}

#[test]
fn overlapping_publish_due_runs_skip_what_the_other_published() {
    let (dir, root) = support::demo_newsroom();
    for headline in ["Abe to welcome Putin", "Putin to visit Tokyo"] {
        embargoed_draft(dir.path(), &root, headline, "2015-09-26 09:00");
    }
    ok(&root, &["submit", "abe-to-welcome-putin"]);
    ok(&root, &["submit", "putin-to-visit-tokyo"]);
    // The first run's first commit waits in its hook, the lock held and
    // its first article written, until the second run has found the other
    // article due and says it waits for the lock; then it goes on, and
    // the second finds that article published.
    let marker = dir.path().join("in-hook");
    let release = dir.path().join("release");
    let hook = root.join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\nif [ ! -e '{0}' ]; then touch '{0}'; \
             for _ in $(seq 600); do [ -e '{1}' ] && break; sleep 0.05; done; fi\nexit 0\n",
            marker.display(),
            release.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let first = support::process_as(env!("CARGO_BIN_EXE_news"), &root, support::AUTHOR)
        .args(["publish", "--due"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while !marker.exists() {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut second = support::process_as(env!("CARGO_BIN_EXE_news"), &root, support::AUTHOR)
        .args(["publish", "--due"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = String::new();
    let mut lines = std::io::BufReader::new(second.stderr.take().unwrap());
    while !said.contains("waiting for") {
        let mut line = String::new();
        if std::io::BufRead::read_line(&mut lines, &mut line).unwrap() == 0 {
            break;
        }
        said += &line;
    }
    assert!(
        said.contains("waiting for"),
        "the second run waits for the first: {said}"
    );
    std::fs::write(&release, "").unwrap();
    std::io::Read::read_to_string(&mut lines, &mut said).unwrap();
    let second = second.wait_with_output().unwrap();
    let first = first.wait_with_output().unwrap();
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert_eq!(code(&second), 0, "{said}");
    assert!(
        said.contains("skipped putin-to-visit-tokyo: it is no longer in review but published"),
        "{said}"
    );
    let published = git(&root, &["log", "--format=%s", "--grep=^publish: ", "-2"]);
    assert_eq!(
        published,
        "publish: Putin to visit Tokyo\npublish: Abe to welcome Putin\n"
    );
}

#[test]
fn publish_due_reports_the_records_in_review_it_cannot_read() {
    let (_dir, root) = support::demo_newsroom();
    let add_line = |path: &str, line: &str| {
        support::rewrite(
            &root.join(path),
            "language = \"en\"",
            &format!("language = \"en\"\n{line}"),
        );
    };
    // A draft that cannot be read is not due, whatever its embargo.
    add_line(DRAFT_PATH, "embargo = \"2015-09-23\"");
    git(
        &root,
        &["commit", "-q", "-am", "a draft with a bad embargo"],
    );
    let said = ok(&root, &["publish", "--due"]);
    assert!(said.contains("nothing is due"), "{said}");
    for (line, rule) in [
        ("embargo = \"2015-09-23\"", "wrong-type"),
        ("embargo = 2015-09-23T10:00:00", "datetime-offset"),
        ("embargo = [", "toml-syntax"),
    ] {
        let before = std::fs::read_to_string(root.join(REVIEW_PATH)).unwrap();
        add_line(REVIEW_PATH, line);
        git(&root, &["commit", "-q", "-am", "a bad embargo"]);
        let said = refused(&root, &["publish", "--due"], 1);
        assert!(
            said.contains(&format!("cannot tell whether {REVIEW_PATH} is due")),
            "{line}: {said}"
        );
        assert!(said.contains(&format!("error[{rule}]")), "{line}: {said}");
        assert!(
            said.contains("1 record that may be due could not be read"),
            "{line}: {said}"
        );
        std::fs::write(root.join(REVIEW_PATH), before).unwrap();
        git(&root, &["commit", "-q", "-am", "the embargo mended"]);
    }
}

#[test]
fn show_tells_when_an_article_was_published_and_taken_down_and_a_passed_embargo() {
    let (_dir, root) = support::demo_newsroom();
    let shown = |id: &str| stdout(&run(&root, &["show", id]));
    // When it was taken down: its `updated`, as show writes times.
    let taken_down = |root: &Path| {
        let text = std::fs::read_to_string(root.join(FOUNDING_PATH)).unwrap();
        let updated = value_of(&text, "updated");
        format!("{} {}", updated[..16].replace('T', " "), &updated[19..])
    };
    ok(&root, &["withhold", FOUNDING, "--note", "Legal"]);
    let text = shown(FOUNDING);
    assert!(
        text.contains(&format!(
            "opinion · published 2015-09-23 18:24 +03:00 · withheld {}\n",
            taken_down(&root)
        )),
        "{text}"
    );
    ok(
        &root,
        &["retract", FOUNDING, "--note", "Published in error."],
    );
    let text = shown(FOUNDING);
    assert!(
        text.contains(&format!(
            "opinion · published 2015-09-23 18:24 +03:00 · retracted {} · version 2\n",
            taken_down(&root)
        )),
        "{text}"
    );
    ok(&root, &["set", REVIEW, "embargo=2015-09-23 09:00"]);
    let text = shown(REVIEW);
    assert!(
        text.contains("\nEmbargo passed 2015-09-23 09:00 +03:00\n"),
        "{text}"
    );
    assert!(!text.contains("Embargoed until"), "{text}");
}

#[test]
fn bad_input_is_refused_before_anything_is_committed() {
    let (_dir, root) = support::demo_newsroom();
    for note in ["", "   "] {
        let said = refused(&root, &["return", REVIEW, "--note", note], 2);
        assert!(said.contains("the note is empty"), "{said}");
        let said = refused(&root, &["retract", FOUNDING, "--note", note], 2);
        assert!(said.contains("the note is empty"), "{said}");
    }
    // Notes and messages hold printable text: the refusal does not echo
    // the escape sequence it refuses.
    let escape = "Fixed\u{1b}[2J\rX";
    for args in [
        &["return", REVIEW, "--note", escape][..],
        &["withhold", FOUNDING, "--note", escape],
        &["retract", FOUNDING, "--note", escape],
        &["correct", FOUNDING, "--note", escape, "--set", "summary=S"],
        &["submit", DRAFT, "-m", escape],
        &["set", DRAFT, "summary=S", "-m", escape],
    ] {
        let said = refused(&root, args, 2);
        assert!(
            said.contains("contains the control character U+001B"),
            "{args:?}: {said}"
        );
        assert!(!said.contains('\u{1b}'), "{args:?}: {said}");
    }
    ok(
        &root,
        &[
            "return",
            REVIEW,
            "--note",
            "Check the figures.\nAnd the quotes.",
        ],
    );
    let said = refused(&root, &["withhold", FOUNDING], 2);
    assert!(said.contains("--note"), "{said}");
    let said = refused(&root, &["publish", REVIEW, "--at", "someday"], 2);
    assert!(
        said.contains("--at \"someday\" is not a time news reads"),
        "{said}"
    );
    // A time a record cannot hold is named, plainly.
    for at in ["1000000 days ago", "9999-12-31T23:59:59-05:00"] {
        let said = refused(&root, &["publish", REVIEW, "--at", at], 2);
        assert!(
            said.contains(&format!(
                "--at {at:?} falls outside the years a record can hold (0000 to 9999)"
            )),
            "{said}"
        );
    }
    let said = refused(
        &root,
        &[
            "new",
            "--headline",
            "H",
            "--genre",
            "news",
            "--created",
            "1000000 days ago",
        ],
        2,
    );
    assert!(
        said.contains("--created \"1000000 days ago\" falls outside"),
        "{said}"
    );
    refused(&root, &["publish", REVIEW, "--due"], 2);
    refused(&root, &["publish"], 2);
    // A correction sets no managed field, and no unknown one.
    let said = refused(
        &root,
        &["correct", FOUNDING, "--note", "n", "--set", "status=draft"],
        2,
    );
    assert!(said.contains("news submit"), "{said}");
    let said = refused(
        &root,
        &["correct", FOUNDING, "--note", "n", "--set", "sumary=x"],
        2,
    );
    assert!(said.contains("did you mean `summary`"), "{said}");
    // Publishing before `created` is refused.
    let said = refused(&root, &["publish", REVIEW, "--at", "2015-09-01"], 1);
    assert!(
        said.contains(&format!(
            "cannot publish {REVIEW} at 2015-09-01 00:00 +03:00: its `created` is later, 2015-09-22 20:15 +03:00"
        )),
        "{said}"
    );
    // A record with uncommitted edits is not taken a step.
    support::rewrite(&root.join(REVIEW_PATH), "Check the customs", "Check the");
    let before = head(&root);
    let output = run(&root, &["publish", REVIEW]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert_eq!(head(&root), before);
}

#[test]
fn a_correction_changes_only_what_it_corrects_and_appends_its_entry() {
    let (_dir, root) = support::demo_newsroom();
    ok(
        &root,
        &[
            "correct",
            FOUNDING,
            "--kind",
            "clarification",
            "--note",
            "The experts spoke to TASS on 23 September.",
            "--set",
            "section=Opinions",
        ],
    );
    let diff = git(&root, &["diff", "--unified=0", "HEAD~1", "HEAD"]);
    let changed: Vec<&str> = diff
        .lines()
        .filter(|line| {
            (line.starts_with('+') || line.starts_with('-'))
                && !line.starts_with("+++")
                && !line.starts_with("---")
        })
        .collect();
    let text = std::fs::read_to_string(root.join(FOUNDING_PATH)).unwrap();
    let updated = value_of(&text, "updated");
    assert_eq!(
        changed,
        [
            "-version = 1".to_owned(),
            "-section = \"Expert Opinions\"".to_owned(),
            "+version = 2".to_owned(),
            "+section = \"Opinions\"".to_owned(),
            format!("+updated = {updated}"),
            "+".to_owned(),
            "+[[corrections]]".to_owned(),
            format!("+at = {updated}"),
            "+kind = \"clarification\"".to_owned(),
            "+note = \"The experts spoke to TASS on 23 September.\"".to_owned(),
        ]
    );
    let message = git(&root, &["log", "-1", "--format=%B"]);
    assert!(message.contains("Changed: section"), "{message}");
    assert!(message.contains("News-Version: 2"), "{message}");
    // The same values again: nothing to correct, nothing committed.
    let before = head(&root);
    let said = ok(
        &root,
        &[
            "correct",
            FOUNDING,
            "--note",
            "n",
            "--set",
            "section=Opinions",
        ],
    );
    assert!(said.contains("nothing committed"), "{said}");
    assert_eq!(head(&root), before);
    let show = stdout(&run(&root, &["show", FOUNDING]));
    assert!(
        show.contains("Clarification, "),
        "the correction is shown to readers: {show}"
    );
}

#[test]
fn a_correction_without_set_is_made_in_the_editor() {
    let (dir, root) = support::demo_newsroom();
    let fix = editor_script(
        dir.path(),
        "sed -i 's/far greater emphasis/much greater emphasis/' \"$1\"",
    );
    let output = news_as_reporter(&root)
        .env("EDITOR", &fix)
        .args([
            "correct",
            FOUNDING,
            "--note",
            "An earlier version misquoted Viktor Kuzminkov.",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = std::fs::read_to_string(root.join(FOUNDING_PATH)).unwrap();
    assert!(text.contains("much greater emphasis"));
    assert!(text.contains("note = \"An earlier version misquoted Viktor Kuzminkov.\""));
    assert_eq!(value_of(&text, "version"), "2");
    let message = git(&root, &["log", "-1", "--format=%B"]);
    assert!(message.contains("News-Action: correct"), "{message}");
    assert!(message.contains("Changed: body"), "{message}");

    // The editor may not touch what the workflow manages.
    let sneaky: PathBuf = editor_script(
        dir.path(),
        "sed -i 's/^version = 2/version = 9/; s/much greater/far greater/' \"$1\"",
    );
    let before = head(&root);
    let output = news_as_reporter(&root)
        .env("EDITOR", &sneaky)
        .args(["correct", FOUNDING, "--note", "n"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert!(stderr(&output).contains("`version`"), "{}", stderr(&output));
    assert_eq!(head(&root), before);
    // A draft is not corrected: refused before the editor opens.
    let output = news_as_reporter(&root)
        .env("EDITOR", "false")
        .args(["correct", DRAFT, "--note", "n"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("it is a draft"),
        "{}",
        stderr(&output)
    );
}

/// A publication time given with --at within the minute of clock skew is
/// written as now, never in the future: the next step is not refused.
#[test]
fn a_publication_time_a_little_ahead_is_written_as_now() {
    let (_dir, root) = support::demo_newsroom();
    let ahead = chrono::Utc::now() + chrono::TimeDelta::seconds(40);
    let ahead = ahead.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    ok(&root, &["publish", REVIEW, "--at", &ahead]);
    let after = chrono::Utc::now();
    let text = std::fs::read_to_string(root.join(REVIEW_PATH)).unwrap();
    let published = chrono::DateTime::parse_from_rfc3339(value_of(&text, "published")).unwrap();
    assert!(published <= after, "published {published}, now {after}");
    ok(&root, &["withhold", REVIEW, "--note", "Legal"]);
    let text = std::fs::read_to_string(root.join(REVIEW_PATH)).unwrap();
    assert_eq!(value_of(&text, "status"), "\"withheld\"");
}

/// A refusal for a time before the record's: its hint names --at only for
/// the command that has it, and two times that read the same to the minute
/// are shown to the second.
#[test]
fn a_too_early_refusal_names_at_only_where_it_is_and_shows_seconds() {
    let (_dir, root) = support::demo_newsroom();
    let text = std::fs::read_to_string(root.join(REVIEW_PATH)).unwrap();
    let created = value_of(&text, "created").to_owned();
    assert!(created.starts_with("2015-09-22T20:15"), "{created}");
    support::rewrite(
        &root.join(REVIEW_PATH),
        &format!("created = {created}"),
        "created = 2015-09-22T20:15:40+03:00",
    );
    git(&root, &["commit", "-q", "-am", "created, by hand"]);
    let said = refused(
        &root,
        &["publish", REVIEW, "--at", "2015-09-22T20:15:10+03:00"],
        1,
    );
    assert!(
        said.contains(&format!(
            "cannot publish {REVIEW} at 2015-09-22 20:15:10 +03:00: its `created` is later, 2015-09-22 20:15:40 +03:00"
        )),
        "{said}"
    );
    assert!(said.contains("give --at a time at or after it"), "{said}");
    // A correction dated later than now, by hand: withhold has no --at.
    commit_a_correction_from_the_future(&root);
    for command in [
        &["withhold", FOUNDING, "--note", "Legal"][..],
        RETRACT_FOUNDING,
        CORRECT_FOUNDING,
    ] {
        let said = refused(&root, command, 1);
        assert!(said.contains("is later, 2999-01-01 00:00 +03:00"), "{said}");
        assert!(!said.contains("--at"), "{command:?}: {said}");
        assert!(said.contains("the computer's clock"), "{command:?}: {said}");
    }
}

/// `correct --kind retraction` is refused, pointing to `news retract`.
#[test]
fn a_correction_of_kind_retraction_points_to_retract() {
    let (_dir, root) = support::demo_newsroom();
    let said = refused(
        &root,
        &[
            "correct",
            FOUNDING,
            "--kind",
            "retraction",
            "--note",
            "Wrong.",
            "--set",
            "summary=S",
        ],
        2,
    );
    assert!(
        said.contains("`news retract` retracts an article"),
        "{said}"
    );
    assert!(
        said.contains(&format!("news retract {FOUNDING} --note")),
        "{said}"
    );
    assert!(!said.contains("a similar value exists"), "{said}");
}
