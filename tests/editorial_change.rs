//! `news set`, `news edit`, `news show` and `news list` on a real newsroom.

mod support;

use std::path::{Path, PathBuf};

use support::demo::{DRAFT, DRAFT_PATH, FOUNDING, FOUNDING_PATH};
use support::{assert_fsck_clean, git, news, news_as_reporter, stderr, stdout};

fn demo() -> (tempfile::TempDir, PathBuf) {
    support::demo_newsroom()
}

fn commits(root: &Path) -> usize {
    git(root, &["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn set_changes_fields_keeping_comments_and_commits_only_that_file() {
    let (_dir, root) = demo();
    std::fs::write(root.join("unrelated.txt"), "mine\n").unwrap();
    let before = std::fs::read_to_string(root.join(DRAFT_PATH)).unwrap();
    let output = news_as_reporter(&root)
        .args([
            "set",
            DRAFT,
            "summary=The economic track, in his words.",
            "urgency=4",
            "tags=Japan, Kurils",
        ])
        .args([
            "dateline.place=MOSCOW",
            "-m",
            "Add the summary the desk asked for",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let after = std::fs::read_to_string(root.join(DRAFT_PATH)).unwrap();
    assert!(
        after.starts_with("# A draft: no body and no publication time yet.\n"),
        "{after}"
    );
    assert!(after.contains("summary = \"The economic track, in his words.\""));
    assert!(after.contains("urgency = 4"));
    // An alias is written as its tag's name.
    assert!(
        after.contains("tags = [\"Japan\", \"Kuril Islands\"]"),
        "{after}"
    );
    assert!(after.contains("[dateline]\nplace = \"MOSCOW\""), "{after}");
    // Everything that was there is still there, in its order.
    let kept: Vec<&str> = before
        .lines()
        .filter(|line| !line.starts_with("tags"))
        .collect();
    let mut remaining = after.lines();
    for line in kept {
        assert!(
            remaining.any(|candidate| candidate == line),
            "lost or moved: {line}"
        );
    }
    let log = git(&root, &["log", "-1", "--format=%an|%s|%b"]);
    assert!(
        log.starts_with("Alexandrova Lyudmila|set: Interview: Viktor Kuzminkov"),
        "{log}"
    );
    assert!(log.contains("Add the summary the desk asked for"), "{log}");
    assert!(log.contains("News-Action: set"), "{log}");
    assert_eq!(
        git(&root, &["show", "--name-only", "--format=", "HEAD"]),
        format!("{DRAFT_PATH}\n")
    );
    assert_eq!(git(&root, &["status", "--porcelain"]), "?? unrelated.txt\n");
    assert_fsck_clean(&root);
}

#[test]
fn set_refuses_bad_values_managed_fields_and_invalid_results() {
    let (_dir, root) = demo();
    let before = commits(&root);
    let cases: [(&[&str], i32, &str); 5] = [
        (&["embargo=someday"], 2, "N days ago"),
        (&["status=published"], 2, "workflow commands"),
        (&["sumary=x"], 2, "did you mean `summary`?"),
        (&["genre=opnion"], 1, "error[invalid-value]"),
        (&["headline="], 1, "missing field `headline`"),
    ];
    for (assignments, code, expected) in cases {
        let output = news_as_reporter(&root)
            .arg("set")
            .arg(DRAFT)
            .args(assignments)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(code),
            "{assignments:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(expected),
            "{assignments:?}: {}",
            stderr(&output)
        );
    }
    assert_eq!(commits(&root), before);
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}

#[test]
fn set_refuses_a_record_with_uncommitted_edits_and_leaves_them_alone() {
    let (_dir, root) = demo();
    let path = root.join(DRAFT_PATH);
    let edited = format!(
        "{}# my unsaved thought\n",
        std::fs::read_to_string(&path).unwrap()
    );
    std::fs::write(&path, &edited).unwrap();
    let output = news_as_reporter(&root)
        .args(["set", DRAFT, "summary=x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("has uncommitted changes"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
}

#[test]
fn set_on_an_unknown_id_suggests_the_nearest() {
    let (_dir, root) = demo();
    let output = news_as_reporter(&root)
        .args(["set", "kuzminkov-on-economic-track", "summary=x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(&format!("did you mean {DRAFT:?}?")),
        "{}",
        stderr(&output)
    );
}

/// An editor that runs `script` on the file it is given.
fn editor(dir: &Path, script: &str) -> String {
    support::editor_script(dir, script).display().to_string()
}

#[test]
fn edit_commits_a_valid_change() {
    let (dir, root) = demo();
    let script = editor(
        dir.path(),
        "sed -i 's/^section = .*/section = \"Interviews\"/' \"$1\"",
    );
    let output = news_as_reporter(&root)
        .args(["edit", DRAFT, "-m", "Move to Interviews"])
        .env("EDITOR", script)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        std::fs::read_to_string(root.join(DRAFT_PATH))
            .unwrap()
            .contains("section = \"Interviews\"")
    );
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

#[test]
fn an_unchanged_edit_commits_nothing() {
    let (_dir, root) = demo();
    let before = commits(&root);
    let output = news_as_reporter(&root)
        .args(["edit", DRAFT])
        .env("VISUAL", "true")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("nothing changed"));
    assert_eq!(commits(&root), before);
}

#[test]
fn an_editor_that_empties_or_deletes_the_copy_aborts_the_edit() {
    let (dir, root) = demo();
    let before = commits(&root);
    let record = std::fs::read_to_string(root.join(DRAFT_PATH)).unwrap();
    for (script, what) in [
        (": > \"$1\"", "empty"),
        ("printf '\\n  \\n' > \"$1\"", "empty"),
        ("rm \"$1\"", "deleted"),
    ] {
        let output = news_as_reporter(&root)
            .args(["edit", DRAFT])
            .env("EDITOR", editor(dir.path(), script))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert_eq!(
            stderr(&output),
            format!(
                "error: the editor left the copy {what}: the edit is aborted; nothing committed\n"
            )
        );
        assert_eq!(commits(&root), before);
        assert_eq!(
            std::fs::read_to_string(root.join(DRAFT_PATH)).unwrap(),
            record
        );
    }
}

#[test]
fn an_invalid_edit_without_a_terminal_keeps_the_copy_and_commits_nothing() {
    let (dir, root) = demo();
    let before = commits(&root);
    let original = std::fs::read_to_string(root.join(DRAFT_PATH)).unwrap();
    let script = editor(
        dir.path(),
        "sed -i 's/^genre = .*/genre = \"opnion\"/' \"$1\"",
    );
    let output = news_as_reporter(&root)
        .args(["edit", DRAFT])
        .env("EDITOR", script)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("error[invalid-value]"), "{text}");
    let kept = text
        .lines()
        .find_map(|line| line.strip_prefix("hint: your version is kept in "))
        .unwrap_or_else(|| panic!("no kept path in {text}"));
    assert!(
        std::fs::read_to_string(kept)
            .unwrap()
            .contains("genre = \"opnion\"")
    );
    std::fs::remove_file(kept).unwrap();
    assert_eq!(
        std::fs::read_to_string(root.join(DRAFT_PATH)).unwrap(),
        original
    );
    assert_eq!(commits(&root), before);
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}

#[test]
fn show_renders_the_article_as_text_toml_and_json() {
    let (_dir, root) = demo();
    let text = stdout(&news(&root).args(["show", FOUNDING]).output().unwrap());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "Analysts: Russian-Japanese relations show signs of thawing"
    );
    assert_eq!(
        lines[1],
        "Expert Opinions · opinion · published 2015-09-23 18:24 +03:00"
    );
    assert_eq!(lines[2], "By Alexandrova Lyudmila");
    assert!(
        lines[4].starts_with("MOSCOW, September 23. /TASS/. The dialogue between Russia and Japan")
    );
    assert!(text.contains("\nTASS may not share the opinions of its contributors\n"));
    assert!(text.contains("\nPhoto: Fumio Kishida and Sergey Lavrov. © ITAR-TASS/Yuriy Smituk\n"));

    let toml = stdout(
        &news(&root)
            .args(["show", FOUNDING, "--format", "toml"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        toml,
        std::fs::read_to_string(root.join(FOUNDING_PATH)).unwrap()
    );

    let json: serde_json::Value = serde_json::from_slice(
        &news(&root)
            .args(["show", FOUNDING, "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(json["published"], "2015-09-23T18:24:00+03:00");
    assert_eq!(json["media"][0]["credit"], "© ITAR-TASS/Yuriy Smituk");
    assert_eq!(json["dateline"]["date"], "2015-09-23");

    let missing = news(&root).args(["show", "nope"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn list_filters_and_prints_a_table_or_json() {
    let (_dir, root) = demo();
    let table = stdout(&news(&root).arg("list").output().unwrap());
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 6, "{table}");
    assert!(
        lines[0].starts_with("CREATED           STATUS     GENRE      ID"),
        "{table}"
    );
    assert!(
        lines[1].starts_with("2015-09-24 11:00  draft      interview  kuzminkov"),
        "{table}"
    );

    let json = |args: &[&str]| -> Vec<String> {
        let output = news(&root)
            .arg("list")
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let listed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        listed
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        json(&["--tag", "Kurils"]),
        [
            FOUNDING,
            "russia-japan-agree-to-resume-peace-treaty-dialogue"
        ]
    );
    assert_eq!(json(&["--status", "draft"]), [DRAFT]);
    assert_eq!(json(&["--genre", "opinion"]), [FOUNDING]);
    assert_eq!(json(&["--byline", "alexandrova"]).len(), 3);
    assert_eq!(json(&["--since", "2015-09-23"]), [DRAFT, FOUNDING]);
    assert_eq!(
        json(&["--until", "2015-09-21"]),
        ["kishida-arrives-in-moscow-for-talks-with-lavrov"]
    );

    let output = news(&root)
        .args(["list", "--status", "published", "--format", "json"])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = &listed[0];
    for key in [
        "id",
        "path",
        "headline",
        "genre",
        "status",
        "byline",
        "tags",
        "created",
        "published",
    ] {
        assert!(first.get(key).is_some(), "{key} missing from {first}");
    }
    assert_eq!(first["path"], FOUNDING_PATH);
    assert_eq!(first["published"], "2015-09-23T18:24:00+03:00");
}

#[test]
fn a_killed_set_leaves_the_old_record_or_the_new_never_a_torn_one() {
    let (_dir, root) = demo();
    let path = root.join(DRAFT_PATH);
    // A long record makes the write take long enough to be interrupted.
    let long_body = format!(
        "body = \"\"\"\n{}\"\"\"\n",
        "The economic track. ".repeat(200_000)
    );
    let original = std::fs::read_to_string(&path).unwrap();
    let big = original.replace("tags = [", &format!("{long_body}tags = ["));
    std::fs::write(&path, &big).unwrap();
    git(&root, &["commit", "-q", "-am", "long body"]);
    let mut outcomes = std::collections::BTreeSet::new();
    for (attempt, delay) in [0u64, 2, 5, 10, 20, 40, 80, 160].iter().enumerate() {
        let before = std::fs::read_to_string(&path).unwrap();
        let summary = format!("summary=Attempt {attempt}");
        let mut child = support::process_as(
            env!("CARGO_BIN_EXE_news"),
            &root,
            ("A", "a@newsroom.example"),
        )
        .args(["set", DRAFT, &summary])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(*delay));
        let _ = child.kill();
        let _ = child.wait();
        let after = std::fs::read_to_string(&path).unwrap();
        let expected_new = format!("Attempt {attempt}");
        if after == before {
            outcomes.insert("old");
        } else {
            assert!(
                after.contains(&expected_new),
                "attempt {attempt}: neither old nor new"
            );
            let record = news::article::Record::parse(&after).expect("a whole record");
            assert!(
                record
                    .get(&news::article::FieldPath::root().key("body"))
                    .is_some()
            );
            outcomes.insert("new");
        }
        // Whatever happened, the repository is sound, and the file is
        // either committed or an uncommitted whole record.
        assert_fsck_clean(&root);
        if !git(&root, &["status", "--porcelain"]).is_empty() {
            git(
                &root,
                &["commit", "-q", "-am", "keep the interrupted change"],
            );
        }
    }
    assert!(!outcomes.is_empty());
}

#[test]
fn show_and_list_read_a_bare_repository_from_head() {
    let (dir, root) = demo();
    let bare = support::bare_clone(&root, &dir.path().join("demo.git"));
    let from_worktree = news(&root)
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    let from_bare = news(&bare)
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    assert!(from_bare.status.success(), "{}", stderr(&from_bare));
    assert_eq!(stdout(&from_bare), stdout(&from_worktree));
    let tagged = news(&bare)
        .args(["list", "--tag", "Kurils", "--format", "json"])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&tagged.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);

    let shown = news(&bare)
        .args(["show", FOUNDING, "--format", "toml"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&shown),
        std::fs::read_to_string(root.join(FOUNDING_PATH)).unwrap()
    );
    let text = news(&bare).args(["show", FOUNDING]).output().unwrap();
    assert!(
        stdout(&text).starts_with("Analysts: Russian-Japanese relations show signs of thawing\n")
    );

    // Writing needs a working tree.
    let refused = news_as_reporter(&bare)
        .args(["new", "--headline", "X", "--genre", "news"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("not inside a newsroom"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn setting_the_values_a_record_has_commits_nothing_and_succeeds() {
    let (_dir, root) = demo();
    let before = commits(&root);
    let output = news_as_reporter(&root)
        .args(["set", DRAFT, "section=Expert Opinions"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("nothing committed"),
        "{}",
        stderr(&output)
    );
    assert_eq!(commits(&root), before);
}

#[test]
fn edit_without_an_editor_or_a_terminal_stops_at_once() {
    let (_dir, root) = demo();
    let output = news_as_reporter(&root)
        .args(["edit", DRAFT])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no editor"), "{}", stderr(&output));
}
