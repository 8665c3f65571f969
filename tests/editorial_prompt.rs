//! The `news new` wizard on a real terminal: `script` (util-linux) gives
//! the process a pseudo-terminal and types the answers.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use support::{AUTHOR, git};

/// Runs `news ARGS` on a pseudo-terminal in `root` with `editor` as
/// `$EDITOR`, types `keys`, and keeps the terminal open for a few seconds
/// so that news reads every answer. Returns whether it succeeded, and what
/// the terminal showed.
fn on_terminal(root: &Path, args: &str, editor: &str, keys: &str) -> (bool, String) {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_news"));
    let mut child = support::process_as("script", root, AUTHOR)
        .args(["-qec", &command, "/dev/null"])
        .env("TERM", "xterm")
        .env("EDITOR", editor)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script runs");
    let mut stdin = child.stdin.take().expect("a piped stdin");
    stdin.write_all(keys.as_bytes()).expect("type the keys");
    let waiter = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(4));
        drop(stdin);
    });
    let output = child.wait_with_output().expect("script ends");
    waiter.join().expect("the waiter ends");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn the_wizard_asks_only_for_what_the_flags_did_not_give() {
    let (_dir, root) = support::demo_newsroom();
    // Headline; genre: two down from "news" is "opinion"; byline: the
    // default (the git name); section and place: none; disclaimer: the
    // newsroom's default. Tags come from the flag, the body from no editor.
    let keys = "Wizard headline\r\u{1b}[B\u{1b}[B\r\r\r\r\r";
    let (succeeded, shown) = on_terminal(&root, "new --tag Japan", "true", keys);
    assert!(succeeded, "{shown}");
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
    let (dir, root) = support::demo_newsroom();
    // The first round breaks the genre; the second sees news's notes at the
    // top, keeps a copy of them, and fixes the genre.
    let seen = dir.path().join("seen.txt");
    let editor = support::editor_script(
        dir.path(),
        &format!(
            "if grep -q '^#! ' \"$1\"; then grep '^#! ' \"$1\" > {seen}; sed -i 's/^genre = .*/genre = \"interview\"/; s/^section = .*/section = \"Interviews\"/' \"$1\"; else sed -i 's/^genre = .*/genre = \"intervew\"/' \"$1\"; fi",
            seen = seen.display()
        ),
    );
    // "Edit it again" is the default choice.
    let (succeeded, shown) = on_terminal(
        &root,
        "edit kuzminkov-on-the-economic-track",
        editor.to_str().unwrap(),
        "\r",
    );
    assert!(succeeded, "{shown}");
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
