//! The `news new` wizard on a real terminal: `script` (util-linux) gives
//! the process a pseudo-terminal and types the answers.

mod support;

use std::io::Write;
use std::process::Stdio;

use support::{AUTHOR, git};

#[test]
fn the_wizard_asks_only_for_what_the_flags_did_not_give() {
    let dir = tempfile::tempdir().unwrap();
    support::news(dir.path())
        .args(["init", "--demo", "demo"])
        .assert()
        .success();
    let root = dir.path().join("demo");
    // Headline; genre: two down from "news" is "opinion"; byline: the
    // default (the git name); section and place: none; disclaimer: the
    // newsroom's default. Tags come from the flag, the body from no editor.
    let keys = "Wizard headline\r\u{1b}[B\u{1b}[B\r\r\r\r\r";
    let command = format!("{} new --tag Japan", env!("CARGO_BIN_EXE_news"));
    let mut child = support::process_as("script", &root, AUTHOR)
        .args(["-qec", &command, "/dev/null"])
        .env("TERM", "xterm")
        .env("EDITOR", "true")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script runs");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(keys.as_bytes()).unwrap();
    // Keep the terminal open until news has read every answer.
    let waiter = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(5));
        drop(stdin);
    });
    let output = child.wait_with_output().unwrap();
    waiter.join().unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains("articles/"), "{shown}");
    let path = git(&root, &["show", "--name-only", "--format=", "HEAD"]);
    assert!(
        path.starts_with("articles/") && path.ends_with("/wizard-headline.toml\n"),
        "{path}"
    );
    let text = std::fs::read_to_string(root.join(path.trim())).unwrap();
    assert!(text.contains("genre = \"opinion\""), "{text}");
    assert!(
        text.contains(&format!("byline = [\"{}\"]", AUTHOR.0)),
        "{text}"
    );
    assert!(text.contains("tags = [\"Japan\"]"), "{text}");
    assert!(
        text.contains("disclaimer = \"TASS may not share the opinions of its contributors\""),
        "{text}"
    );
    assert!(!text.contains("section"), "{text}");
    assert!(!text.contains("[dateline]"), "{text}");
}

#[test]
fn an_invalid_edit_on_a_terminal_reopens_with_the_problems_at_the_top() {
    let dir = tempfile::tempdir().unwrap();
    support::news(dir.path())
        .args(["init", "--demo", "demo"])
        .assert()
        .success();
    let root = dir.path().join("demo");
    // The first round breaks the genre; the second sees news's notes at the
    // top, keeps a copy of them, and fixes the genre.
    let seen = dir.path().join("seen.txt");
    let editor = dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\nif grep -q '^#! ' \"$1\"; then grep '^#! ' \"$1\" > {seen}; sed -i 's/^genre = .*/genre = \"interview\"/; s/^section = .*/section = \"Interviews\"/' \"$1\"; else sed -i 's/^genre = .*/genre = \"intervew\"/' \"$1\"; fi\n",
            seen = seen.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let command = format!(
        "{} edit kuzminkov-on-the-economic-track",
        env!("CARGO_BIN_EXE_news")
    );
    let mut child = support::process_as("script", &root, AUTHOR)
        .args(["-qec", &command, "/dev/null"])
        .env("TERM", "xterm")
        .env("EDITOR", &editor)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script runs");
    let mut stdin = child.stdin.take().unwrap();
    // "Edit it again" is the default choice.
    stdin.write_all(b"\r").unwrap();
    let waiter = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(4));
        drop(stdin);
    });
    let output = child.wait_with_output().unwrap();
    waiter.join().unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains("error[invalid-value]"), "{shown}");
    let notes = std::fs::read_to_string(&seen).unwrap();
    assert!(
        notes.starts_with("#! news: this version is not valid."),
        "{notes}"
    );
    assert!(
        notes.contains("invalid-value") && notes.contains("intervew"),
        "{notes}"
    );
    let record = std::fs::read_to_string(
        root.join("articles/2015/09/24/kuzminkov-on-the-economic-track.toml"),
    )
    .unwrap();
    assert!(!record.contains("#! "), "the notes are not saved: {record}");
    assert!(record.contains("section = \"Interviews\""), "{record}");
    assert_eq!(
        git(
            &root,
            &[
                "log",
                "-1",
                "--format=%(trailers:key=News-Action,valueonly,separator=)"
            ]
        ),
        "edit\n"
    );
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}
