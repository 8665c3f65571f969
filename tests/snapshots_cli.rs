//! The look of what people read, snapshotted (insta): `list`, `show`,
//! `validate` with findings, and every command's `--help`, at 80 columns
//! with no colour and no pager, so that a change to the look is deliberate.
//! The snapshots are in tests/snapshots/; after a deliberate change,
//! `INSTA_UPDATE=always cargo test --test snapshots_cli` rewrites them (or
//! `cargo insta review`), to be read before they are committed.

mod support;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use support::{stderr, stdout};

/// `news` at a fixed width, uncoloured, unpaged, at a fixed time.
fn news(cwd: &Path) -> Command {
    let mut command = support::news_as_reporter(cwd);
    command
        .env("COLUMNS", "80")
        .env("NO_COLOR", "1")
        .env("NEWS_PAGER", "cat")
        .env("GIT_AUTHOR_DATE", "2015-09-25T12:00:00+03:00")
        .env("GIT_COMMITTER_DATE", "2015-09-25T12:00:00+03:00");
    command
}

/// What `news ARGS` printed on stdout, having exited with `code`.
fn run(cwd: &Path, args: &[&str], code: i32) -> String {
    let output = news(cwd).args(args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(code),
        "news {args:?}: {}",
        stderr(&output)
    );
    stdout(&output)
}

/// The demo newsroom and a draft of our own, created at a fixed time with
/// a body of two paragraphs.
fn newsroom() -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = support::demo_newsroom();
    let body = dir.path().join("body.md");
    std::fs::write(
        &body,
        "Russian and Japanese diplomats will meet again in Tokyo in October to prepare the President's visit, the Foreign Ministry said on Friday.\n\nThe date of the visit itself has not been set.\n",
    )
    .unwrap();
    run(
        &root,
        &[
            "new",
            "--headline",
            "Diplomats to meet in Tokyo before the visit",
            "--genre",
            "news",
            "--place",
            "MOSCOW",
            "--tag",
            "Japan",
            "--created",
            "2015-09-25 10:30",
            "--body-file",
            body.to_str().unwrap(),
        ],
        0,
    );
    (dir, root)
}

#[test]
fn list() {
    let (_dir, root) = newsroom();
    insta::assert_snapshot!("list_80_columns", run(&root, &["list"], 0));
    let wide = news(&root)
        .arg("list")
        .env("COLUMNS", "120")
        .output()
        .unwrap();
    insta::assert_snapshot!("list_120_columns", stdout(&wide));
    insta::assert_snapshot!(
        "list_filtered",
        run(
            &root,
            &["list", "--status", "published", "--tag", "Kuril Islands"],
            0
        )
    );
}

#[test]
fn show() {
    let (_dir, root) = newsroom();
    insta::assert_snapshot!(
        "show_draft",
        run(
            &root,
            &["show", "diplomats-to-meet-in-tokyo-before-the-visit"],
            0
        )
    );
    insta::assert_snapshot!(
        "show_published_opinion",
        run(
            &root,
            &[
                "show",
                "analysts-russian-japanese-relations-show-signs-of-thawing"
            ],
            0
        )
    );
}

#[test]
fn validate_with_findings() {
    let (_dir, root) = newsroom();
    // An unknown key (a typo), a genre the schema does not have, and a
    // record in the folder of another day than its `created`.
    let path = "articles/2015/09/24/talks-in-tokyo.toml";
    std::fs::write(
        root.join(path),
        r#"id = "talks-in-tokyo"
headline = "Talks in Tokyo"
genre = "op-ed"
status = "draft"
byline = ["Alexandrova Lyudmila"]
language = "en"
created = 2015-09-25T10:30:00+03:00
dsclaimer = "TASS may not share the opinions of its contributors"
body = "Text."
"#,
    )
    .unwrap();
    let output = news(&root).arg("validate").output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    insta::assert_snapshot!(
        "validate_findings",
        format!("{}--- stderr\n{}", stdout(&output), stderr(&output))
    );
}

#[test]
fn help() {
    let root = Path::new("/");
    insta::assert_snapshot!("help_news", run(root, &["--help"], 0));
    for command in [
        "init", "new", "edit", "set", "tag", "tags", "show", "list", "validate",
    ] {
        insta::assert_snapshot!(
            format!("help_{command}"),
            run(root, &[command, "--help"], 0)
        );
    }
    for command in [
        "submit", "return", "publish", "withhold", "correct", "retract",
    ] {
        insta::assert_snapshot!(
            format!("help_{command}"),
            run(root, &[command, "--help"], 0)
        );
    }
}

#[test]
fn show_workflow() {
    let (_dir, root) = newsroom();
    // Corrections under the body, dated for readers.
    insta::assert_snapshot!(
        "show_corrected",
        run(
            &root,
            &["show", "russia-japan-agree-to-resume-peace-treaty-dialogue"],
            0
        )
    );
    // A retraction notice above the article (written by hand: the
    // command dates it now).
    support::rewrite(
        &root.join("articles/2015/09/21/kishida-arrives-in-moscow-for-talks-with-lavrov.toml"),
        "status = \"published\"\nversion = 1",
        "status = \"retracted\"\nversion = 2",
    );
    let path =
        root.join("articles/2015/09/21/kishida-arrives-in-moscow-for-talks-with-lavrov.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n[[corrections]]\nat = 2015-09-23T22:30:00+00:00\nkind = \"retraction\"\nnote = \"The visit was postponed; this article was published in error.\"\n");
    std::fs::write(&path, text).unwrap();
    insta::assert_snapshot!(
        "show_retracted",
        run(
            &root,
            &["show", "kishida-arrives-in-moscow-for-talks-with-lavrov"],
            0
        )
    );
    // The embargo on a draft.
    run(
        &root,
        &[
            "new",
            "--headline",
            "Putin to visit Tokyo",
            "--genre",
            "news",
            "--created",
            "2015-09-25 11:00",
            "--embargo",
            "2015-09-26 09:00",
        ],
        0,
    );
    insta::assert_snapshot!(
        "show_embargoed",
        run(&root, &["show", "putin-to-visit-tokyo"], 0)
    );
}
