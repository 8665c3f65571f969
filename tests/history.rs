//! `news log`, `news diff` and `show --rev` on histories made by news and
//! by plain git: a branch and a merge, a moved file, a commit that broke
//! the record and one that fixed it, a plain commit that publishes.

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde_json::Value;
use support::demo::{DRAFT, DRAFT_PATH, FOUNDING, FOUNDING_PATH};
use support::run;
use support::{git, news_as_reporter, stderr, stdout};

fn log_json(root: &Path, args: &[&str]) -> Vec<Value> {
    let output = run(root, &[&["log", "--format", "json"], args].concat());
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice::<Value>(&output.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn actions(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|entry| entry["action"].as_str().unwrap())
        .collect()
}

/// Rewrites the record at `path` with `edit`, then commits it with plain
/// git and `message`.
fn git_commit(root: &Path, path: &str, message: &str, edit: impl Fn(String) -> String) {
    let file = root.join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, edit(text)).unwrap();
    git(root, &["add", path]);
    let output = std::process::Command::new("git")
        .args(["commit", "-q", "-m", message])
        .current_dir(root)
        .env("GIT_AUTHOR_NAME", "Plain Git")
        .env("GIT_AUTHOR_EMAIL", "plain@newsroom.example")
        .env("GIT_COMMITTER_NAME", "Plain Git")
        .env("GIT_COMMITTER_EMAIL", "plain@newsroom.example")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The draft's section set on a branch `desk`, its summary on the
/// current branch, then `desk` merged in by plain git.
fn edit_on_two_branches_and_merge(root: &Path) {
    git(root, &["checkout", "-q", "-b", "desk"]);
    let set = run(root, &["set", DRAFT, "section=Economy"]);
    assert!(set.status.success(), "{}", stderr(&set));
    git(root, &["checkout", "-q", "-"]);
    let set = run(root, &["set", DRAFT, "summary=Talks on trade."]);
    assert!(set.status.success(), "{}", stderr(&set));
    git(root, &["merge", "-q", "--no-edit", "desk"]);
}

#[test]
fn a_record_log_gives_each_commit_with_action_version_and_changes() {
    let (_dir, root) = support::demo_newsroom();
    let entries = log_json(&root, &[FOUNDING]);
    assert_eq!(actions(&entries), ["publish", "submit", "edit", "new"]);
    let publish = &entries[0];
    assert_eq!(publish["version"], 1);
    assert_eq!(publish["path"], FOUNDING_PATH);
    assert_eq!(
        publish["commit"].as_str().unwrap(),
        git(&root, &["log", "-1", "--format=%H", "--", FOUNDING_PATH]).trim()
    );
    let status = publish["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|change| change["field"] == "status")
        .unwrap();
    assert_eq!(status["kind"], "changed");
    assert_eq!(
        (&status["old"], &status["new"]),
        (&"review".into(), &"published".into())
    );
    assert!(
        publish["date"].as_str().unwrap().ends_with("+03:00"),
        "newsroom's zone"
    );
    // The same commits as git's own log of the path.
    let ours: Vec<&str> = entries
        .iter()
        .map(|entry| entry["commit"].as_str().unwrap())
        .collect();
    let gits = git(&root, &["log", "--format=%H", "--", FOUNDING_PATH]);
    assert_eq!(ours, gits.lines().collect::<Vec<_>>());
}

#[test]
fn a_plain_git_commit_that_publishes_is_a_publish_and_a_wrong_label_is_shown() {
    let (_dir, root) = support::demo_newsroom();
    let publish = |text: String| {
        text.replace(
            "status = \"review\"",
            "status = \"published\"\npublished = 2015-09-22T21:00:00+03:00\nversion = 1",
        )
    };
    let path = "articles/2015/09/22/trade-commission-green-corridor-explained.toml";
    git_commit(
        &root,
        path,
        "Publish it\n\nNews-Id: trade-commission-green-corridor-explained\nNews-Action: edit\n",
        publish,
    );
    let entries = log_json(
        &root,
        &["trade-commission-green-corridor-explained", "-n", "1"],
    );
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["action"], "publish");
    assert_eq!(
        entries[0]["label"], "edit",
        "the trailer that disagrees is shown"
    );
    assert_eq!(entries[0]["author"], "Plain Git");
    let text = run(
        &root,
        &[
            "log",
            "trade-commission-green-corridor-explained",
            "-n",
            "1",
        ],
    );
    assert!(
        stdout(&text).contains("publish (labelled edit)"),
        "{}",
        stdout(&text)
    );

    // Without a trailer at all, the change alone says what it is.
    git_commit(&root, DRAFT_PATH, "Submit by hand", |text| {
        text.replace("status = \"draft\"", "status = \"review\"")
    });
    let entries = log_json(&root, &[DRAFT, "-n", "1"]);
    assert_eq!(entries[0]["action"], "submit");
    assert!(entries[0]["label"].is_null());
}

#[test]
fn filters_by_field_action_author_and_count() {
    let (_dir, root) = support::demo_newsroom();
    for (assignment, id) in [
        ("headline=Kuzminkov on the economy", DRAFT),
        ("section=Economy", DRAFT),
        ("headline=Kuzminkov on trade", DRAFT),
    ] {
        let output = run(&root, &["set", id, assignment]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let headline = log_json(&root, &[DRAFT, "--field", "headline"]);
    assert_eq!(headline.len(), 3, "two sets and the new record");
    assert!(headline.iter().all(|entry| {
        entry["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|change| change["field"] == "headline")
    }));
    assert_eq!(log_json(&root, &[DRAFT, "-n", "1"]).len(), 1);
    // As `git log -n`, with an id and without.
    for limit in [0, 1, 2] {
        let text = limit.to_string();
        assert_eq!(log_json(&root, &[DRAFT, "-n", &text]).len(), limit);
        assert_eq!(log_json(&root, &["-n", &text]).len(), limit);
    }
    let published = log_json(&root, &["--action", "publish"]);
    assert!(!published.is_empty());
    assert!(
        actions(&published)
            .iter()
            .all(|action| *action == "publish")
    );
    let by = log_json(&root, &["--author", "PETROV"]);
    assert!(!by.is_empty());
    assert!(by.iter().all(|entry| entry["author"] == "Mikhail Petrov"));
    // A misspelt field is a usage error, not an empty log; a part of a
    // list of tables finds the commits that changed the list.
    let bad = run(&root, &["log", "--field", "headlines"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("`headlines` is not a field of the schema; did you mean `headline`?"),
        "{}",
        stderr(&bad)
    );
    for path in [
        "headline.x",
        "dateline.nope",
        "media[x].credit",
        "dateline..place",
    ] {
        let bad = run(&root, &["log", "--field", path]);
        assert_eq!(bad.status.code(), Some(2), "{path}: {}", stderr(&bad));
    }
    let corrected = log_json(&root, &["--field", "corrections[0].note"]);
    assert_eq!(actions(&corrected), ["correct"]);
    let bad = run(&root, &["log", "--action", "publsh"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("did you mean `publish`?"));
    let patch = run(&root, &["log", DRAFT, "-p", "-n", "1", "--color", "never"]);
    assert!(
        stdout(&patch).contains(r#"headline: "Kuzminkov on the economy" → "Kuzminkov on trade""#),
        "{}",
        stdout(&patch)
    );
}

#[test]
fn a_branch_and_a_merge_show_each_edit_once_and_the_merge_that_resolved_it() {
    let (_dir, root) = support::demo_newsroom();
    edit_on_two_branches_and_merge(&root);
    let entries = log_json(&root, &[DRAFT]);
    let summaries: Vec<String> = entries
        .iter()
        .map(|entry| format!("{}:{}", entry["merge"], entry["summary"].as_str().unwrap()))
        .collect();
    assert_eq!(
        summaries.iter().filter(|s| *s == "false:section").count(),
        1,
        "{summaries:?}"
    );
    assert_eq!(
        summaries.iter().filter(|s| *s == "false:summary").count(),
        1,
        "{summaries:?}"
    );
    assert_eq!(
        summaries.iter().filter(|s| s.starts_with("true:")).count(),
        1
    );
    assert!(
        summaries[0].starts_with("true:"),
        "the merge that made a version neither parent had comes first: {summaries:?}"
    );
}

#[test]
fn a_moved_record_and_a_broken_commit_do_not_stop_the_log() {
    let (_dir, root) = support::demo_newsroom();
    assert!(
        run(&root, &["set", DRAFT, "created=2015-09-20T10:00:00+03:00"])
            .status
            .success()
    );
    let moved = run(&root, &["mv", DRAFT]);
    assert!(moved.status.success(), "{}", stderr(&moved));
    let new_path = "articles/2015/09/20/kuzminkov-on-the-economic-track.toml";
    git_commit(&root, new_path, "Break it", |text| {
        text.replace("headline = ", "headline = = ")
    });
    git_commit(&root, new_path, "Fix it", |text| {
        text.replace("headline = = ", "headline = ")
    });
    let entries = log_json(&root, &[DRAFT]);
    let unreadable: Vec<&Value> = entries
        .iter()
        .filter(|entry| !entry["unreadable"].is_null())
        .collect();
    assert_eq!(unreadable.len(), 1, "the break: {entries:#?}");
    // The fix put back what was there: nothing changed since the last
    // version that could be read, and the entry says what it fixed.
    let fix = &entries[0];
    assert_eq!(fix["changes"], serde_json::json!([]), "{fix:#}");
    assert!(
        fix["summary"]
            .as_str()
            .unwrap()
            .starts_with("fixes a version that could not be read: "),
        "{fix:#}"
    );
    assert_eq!(fix["fixes"], unreadable[0]["unreadable"]);
    let mv = entries
        .iter()
        .find(|entry| !entry["moved_from"].is_null())
        .expect("the move is in the log");
    assert_eq!(mv["moved_from"], DRAFT_PATH);
    assert_eq!(mv["path"], new_path);
    assert_eq!(
        entries.last().unwrap()["action"],
        "new",
        "the log reaches back past the move"
    );
    assert_eq!(entries.len(), 6, "{entries:#?}");
}

#[test]
fn diff_and_show_rev_read_any_version() {
    let (_dir, root) = support::demo_newsroom();
    let before = git(&root, &["rev-parse", "HEAD"]).trim().to_owned();
    assert!(
        run(&root, &["set", DRAFT, "tags-=Economy", "tags+=Diplomacy"])
            .status
            .success()
    );
    let file = root.join(DRAFT_PATH);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("Expert Opinions", "Interviews")).unwrap();

    // No REV: HEAD against the working copy.
    let diff = run(&root, &["diff", DRAFT, "--format", "json"]);
    assert!(diff.status.success(), "{}", stderr(&diff));
    let diff: Value = serde_json::from_slice(&diff.stdout).unwrap();
    let changes = diff["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0]["field"], "section");
    // Two REVs: the tags as items added and removed.
    let diff = run(&root, &["diff", DRAFT, &before, "HEAD", "--color", "never"]);
    assert!(
        stdout(&diff).contains("tags: +Diplomacy −Economy"),
        "{}",
        stdout(&diff)
    );
    // show --rev: the record as it was, in every format.
    let old = run(
        &root,
        &["show", DRAFT, "--rev", &before, "--format", "toml"],
    );
    assert_eq!(
        stdout(&old),
        git(&root, &["show", &format!("{before}:{DRAFT_PATH}")])
    );
    let json = run(
        &root,
        &["show", DRAFT_PATH, "--rev", &before, "--format", "json"],
    );
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        json["tags"],
        serde_json::json!(["Russia", "Japan", "Economy"])
    );
    let missing = run(&root, &["show", DRAFT, "--rev", "no-such-rev"]);
    assert_ne!(missing.status.code(), Some(0));
}

#[test]
fn log_into_a_pipe_that_closes_exits_quietly() {
    let (_dir, root) = support::demo_newsroom();
    for round in 0..20 {
        assert!(
            run(&root, &["set", DRAFT, &format!("section=Round {round}")])
                .status
                .success()
        );
    }
    let mut child = support::process_as(env!("CARGO_BIN_EXE_news"), &root, support::AUTHOR)
        .args(["log", "-p"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn validate_rev_gives_the_work_trees_findings_from_git_objects_even_in_a_bare_clone() {
    let (dir, root) = support::demo_newsroom();
    git_commit(&root, DRAFT_PATH, "Break two rules", |text| {
        text.replace("genre = \"interview\"", "genre = \"intervew\"")
            .replace("[[sources]]", "urgency = 12\n\n[[sources]]")
    });
    let (code, work_tree) = support::validate_json(&root, &[]);
    assert_eq!(code, 1);
    assert!(work_tree.len() >= 2, "{work_tree:#?}");
    // The work tree moves on; --rev HEAD still reads the commit.
    std::fs::remove_file(root.join(DRAFT_PATH)).unwrap();
    let at_head = run(&root, &["validate", "--rev", "HEAD", "--format", "json"]);
    assert_eq!(at_head.status.code(), Some(1));
    let at_head: Vec<Value> = serde_json::from_slice(&at_head.stdout).unwrap();
    assert_eq!(at_head, work_tree);
    let bare = support::bare_clone(&root, &dir.path().join("bare.git"));
    for args in [&["validate", "--rev", "HEAD"][..], &["validate"][..]] {
        let output = run(&bare, &[args, &["--format", "json"]].concat());
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        let findings: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(findings, work_tree, "{args:?} in a bare clone");
    }
    let text = run(&bare, &["validate", "--rev", "HEAD~1"]);
    assert_eq!(text.status.code(), Some(0), "the commit before is valid");
}

/// A change made to a record's text by hand.
type Edit = fn(String) -> String;

const CORRECTED_PATH: &str =
    "articles/2015/09/22/russia-japan-agree-to-resume-peace-treaty-dialogue.toml";

/// `validate --base <base> --format json`: the exit code and the rule ids.
fn base_rules(root: &Path, base: &str) -> (Option<i32>, Vec<String>) {
    let output = run(root, &["validate", "--base", base, "--format", "json"]);
    let findings: Vec<Value> =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", stderr(&output)));
    (
        output.status.code(),
        findings
            .iter()
            .map(|finding| finding["rule"].as_str().unwrap().to_owned())
            .collect(),
    )
}

/// `validate --base <base>`, which must fail (`what` was committed since
/// the base) and whose text output must name `rule` by its id: the rule
/// ids of its JSON findings, and the text output.
fn refused_since(root: &Path, base: &str, what: &str, rule: &str) -> (Vec<String>, String) {
    let (code, rules) = base_rules(root, base);
    assert_eq!(code, Some(1), "{what}: {rules:?}");
    let text = stdout(&run(root, &["validate", "--base", base]));
    assert!(text.contains(&format!("error[{rule}]")), "{what}: {text}");
    (rules, text)
}

#[test]
fn validate_base_judges_each_change_since_the_base_by_the_history_rules() {
    let cases: [(&str, &str, Edit, &str); 5] = [
        (
            "a published body edited without a correction",
            FOUNDING_PATH,
            |text| text.replace("Tokyo froze a while ago", "Tokyo had frozen"),
            "correction-needed",
        ),
        (
            "the first publication time changed",
            FOUNDING_PATH,
            |text| {
                text.replace(
                    "published = 2015-09-23T18:24:00+03:00",
                    "published = 2015-09-23T19:00:00+03:00",
                )
            },
            "published-fact-changed",
        ),
        (
            "an old correction edited",
            CORRECTED_PATH,
            |text| text.replacen("note = \"", "note = \"Edited: ", 1),
            "correction-changed",
        ),
        (
            "retracted back to published",
            FOUNDING_PATH,
            |text| text.replace("status = \"published\"", "status = \"retracted\""),
            "illegal-transition",
        ),
        (
            "a published record deleted",
            FOUNDING_PATH,
            |_| String::new(),
            "published-deleted",
        ),
    ];
    for (what, path, edit, rule) in cases {
        let (_dir, root) = support::demo_newsroom();
        let base = git(&root, &["rev-parse", "HEAD"]).trim().to_owned();
        if rule == "published-deleted" {
            git(&root, &["rm", "-q", path]);
            git(&root, &["commit", "-q", "-m", "Delete it"]);
        } else if rule == "illegal-transition" {
            // Retracted, committed; then back to published by hand.
            git_commit(&root, path, "Retract", edit);
            git_commit(&root, path, "Unretract", |text| {
                text.replace("status = \"retracted\"", "status = \"published\"")
            });
        } else {
            git_commit(&root, path, what, edit);
        }
        let (rules, text) = refused_since(&root, &base, what, rule);
        assert!(rules.contains(&rule.to_owned()), "{what}: {rules:?}");
        // A deleted record's finding says so, at the record's path.
        if rule == "published-deleted" {
            assert!(text.contains("the record is deleted"));
            assert!(text.contains(FOUNDING_PATH));
        }
    }
}

const REVIEW_PATH: &str = "articles/2015/09/22/trade-commission-green-corridor-explained.toml";

#[test]
fn validate_base_finds_workflow_steps_made_by_hand_that_are_not_whole() {
    let cases: [(&str, &str, Edit, &str); 5] = [
        (
            "retracted without its entry, version and update time",
            FOUNDING_PATH,
            |text| text.replace("status = \"published\"", "status = \"retracted\""),
            "incomplete-transition",
        ),
        (
            "withheld without an update time",
            FOUNDING_PATH,
            |text| text.replace("status = \"published\"", "status = \"withheld\""),
            "incomplete-transition",
        ),
        (
            "a correction without a higher version",
            FOUNDING_PATH,
            |text| {
                text.replace(
                    "[dateline]",
                    "updated = 2015-09-24T10:00:00+03:00\n\n[[corrections]]\nat = 2015-09-24T10:00:00+03:00\nkind = \"clarification\"\nnote = \"Clarified.\"\n\n[dateline]",
                )
            },
            "incomplete-transition",
        ),
        (
            "a draft that gained a publication time",
            DRAFT_PATH,
            |text| {
                text.replace(
                    "created = 2015-09-24T11:00:00+03:00",
                    "created = 2015-09-24T11:00:00+03:00\npublished = 2015-09-24T12:00:00+03:00",
                )
            },
            "unpublished-facts",
        ),
        (
            "published before its embargo",
            REVIEW_PATH,
            |text| {
                text.replace("status = \"review\"", "status = \"published\"\nversion = 1")
                    .replace(
                        "created = 2015-09-22T20:15:00+03:00",
                        "created = 2015-09-22T20:15:00+03:00\npublished = 2015-09-23T09:00:00+03:00\nembargo = 2015-09-24T00:00:00+03:00",
                    )
            },
            "published-before-embargo",
        ),
    ];
    for (what, path, edit, rule) in cases {
        let (_dir, root) = support::demo_newsroom();
        let base = git(&root, &["rev-parse", "HEAD"]).trim().to_owned();
        git_commit(&root, path, what, edit);
        let (rules, _) = refused_since(&root, &base, what, rule);
        assert_eq!(rules, [rule], "{what}");
    }
}

#[test]
fn times_after_a_publication_are_not_earlier_than_it() {
    let (_dir, root) = support::demo_newsroom();
    git_commit(&root, FOUNDING_PATH, "Backdated update", |text| {
        text.replace(
            "[dateline]",
            "updated = 2015-09-20T10:00:00+03:00\n\n[dateline]",
        )
    });
    let (code, findings) = support::validate_json(&root, &[]);
    assert_eq!(code, 1);
    let rules: Vec<&str> = findings
        .iter()
        .map(|finding| finding["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["updated-before-published"], "{findings:#?}");
    assert_eq!(findings[0]["path"], FOUNDING_PATH);
    // An embargo that has not passed by the publication: refused by set,
    // found by validate.
    let (_dir, root) = support::demo_newsroom();
    let before = git(&root, &["rev-parse", "HEAD"]);
    let output = run(&root, &["set", FOUNDING, "embargo=2030-01-01"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("error[published-before-embargo]"),
        "{}",
        stderr(&output)
    );
    assert_eq!(git(&root, &["rev-parse", "HEAD"]), before);
    git_commit(&root, FOUNDING_PATH, "Embargo by hand", |text| {
        text.replace(
            "[dateline]",
            "embargo = 2030-01-01T00:00:00+03:00\n\n[dateline]",
        )
    });
    let (code, findings) = support::validate_json(&root, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings[0]["rule"], "published-before-embargo",
        "{findings:#?}"
    );
}

#[test]
fn validate_base_passes_a_legal_correction_and_checks_only_what_changed() {
    let (_dir, root) = support::demo_newsroom();
    let base = git(&root, &["rev-parse", "HEAD"]).trim().to_owned();
    // Another record, broken before the base, is not this change's affair.
    git_commit(&root, FOUNDING_PATH, "A legal correction", |text| {
        text.replace("Tokyo froze a while ago", "Tokyo had frozen")
            .replace("version = 1", "version = 2")
            .replace(
                "[dateline]",
                "updated = 2015-09-24T10:00:00+03:00\n\n[[corrections]]\nat = 2015-09-24T10:00:00+03:00\nkind = \"correction\"\nnote = \"An earlier version said Tokyo froze the dialogue a while ago.\"\n\n[dateline]",
            )
    });
    let (code, rules) = base_rules(&root, &base);
    assert_eq!((code, rules.clone()), (Some(0), Vec::new()), "{rules:?}");
    let (code, rules) = base_rules(&root, "HEAD");
    assert_eq!(
        (code, rules),
        (Some(0), Vec::new()),
        "nothing changed since HEAD"
    );
    // The same against a revision, read from git: --rev HEAD.
    let output = run(&root, &["validate", "--base", &base, "--rev", "HEAD"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn edit_set_and_commit_refuse_what_validate_base_head_would_reject() {
    let (dir, root) = support::demo_newsroom();
    let before = git(&root, &["rev-parse", "HEAD"]);
    let set = run(&root, &["set", FOUNDING, "headline=Analysts: a thaw"]);
    assert_eq!(set.status.code(), Some(1), "{}", stderr(&set));
    assert!(
        stderr(&set).contains("correction-needed"),
        "{}",
        stderr(&set)
    );
    let editor = support::editor_script(
        dir.path(),
        r#"sed -i 's/Tokyo froze a while ago/Tokyo had frozen/' "$1""#,
    );
    let edit = news_as_reporter(&root)
        .env("EDITOR", &editor)
        .args(["edit", FOUNDING])
        .output()
        .unwrap();
    assert_eq!(edit.status.code(), Some(1), "{}", stderr(&edit));
    assert!(
        stderr(&edit).contains("correction-needed"),
        "{}",
        stderr(&edit)
    );
    let file = root.join(FOUNDING_PATH);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("Tokyo froze a while ago", "Tokyo had frozen"),
    )
    .unwrap();
    let commit = run(&root, &["commit"]);
    assert_eq!(commit.status.code(), Some(1), "{}", stderr(&commit));
    assert!(stderr(&commit).contains("correction-needed"));
    assert_eq!(
        git(&root, &["rev-parse", "HEAD"]),
        before,
        "nothing committed"
    );
    // A draft's headline is the reporter's to change.
    assert!(
        run(&root, &["set", DRAFT, "headline=Kuzminkov on trade"])
            .status
            .success()
    );
}

#[test]
fn the_history_cache_is_extended_and_a_damaged_or_deleted_one_changes_no_output() {
    let (_dir, root) = support::demo_newsroom();
    let walked = |root: &Path| run(root, &["log", DRAFT, "--format", "json", "--no-cache"]).stdout;
    let cached = |root: &Path| {
        let output = run(root, &["log", DRAFT, "--format", "json"]);
        assert!(output.status.success(), "{}", stderr(&output));
        output.stdout
    };
    let folder = root.join(".git/news/history");
    let buckets = || -> Vec<PathBuf> {
        std::fs::read_dir(&folder)
            .map(|entries| entries.map(|entry| entry.unwrap().path()).collect())
            .unwrap_or_default()
    };
    assert_eq!(cached(&root), walked(&root));
    let kept = buckets();
    assert_eq!(kept.len(), 1, "the first run kept the record's history");
    let head = |root: &Path| git(root, &["rev-parse", "HEAD"]).trim().to_owned();
    assert!(
        std::fs::read_to_string(&kept[0])
            .unwrap()
            .contains(&head(&root))
    );
    // A new commit: the entry is extended from where it stopped.
    assert!(
        run(&root, &["set", DRAFT, "section=Economy"])
            .status
            .success()
    );
    assert_eq!(cached(&root), walked(&root));
    let text = std::fs::read_to_string(&kept[0]).unwrap();
    assert!(text.contains(&head(&root)), "{text}");
    // Damaged: the output stays.
    let mut bytes = std::fs::read(&kept[0]).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&kept[0], bytes).unwrap();
    assert_eq!(cached(&root), walked(&root));
    // An entry that names commits the repository does not have, with a
    // checksum that holds: not trusted either.
    let text = std::fs::read_to_string(&kept[0]).unwrap();
    let body_start = text.match_indices('\n').nth(2).unwrap().0 + 1;
    let body =
        text[body_start..].replacen(&head(&root), "0123456789abcdef0123456789abcdef01234567", 1);
    let fnv = body.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    let header: Vec<&str> = text.lines().take(2).collect();
    std::fs::write(
        &kept[0],
        format!("{}\n{}\n{fnv:016x}\n{body}", header[0], header[1]),
    )
    .unwrap();
    assert_eq!(cached(&root), walked(&root));
    std::fs::remove_dir_all(root.join(".git/news")).unwrap();
    assert_eq!(cached(&root), walked(&root));
    // History rewritten under the cache: read again, still the same.
    git(&root, &["reset", "-q", "--hard", "HEAD~1"]);
    assert_eq!(cached(&root), walked(&root));
    assert_eq!(
        git(&root, &["status", "--porcelain"]),
        "",
        "the cache is not in the work tree"
    );
}

/// The demo newsroom with the founding article edited on two branches
/// and merged, and the draft moved to another day's folder.
fn merged_and_moved() -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = support::demo_newsroom();
    edit_on_two_branches_and_merge(&root);
    assert!(
        run(&root, &["set", DRAFT, "created=2015-09-20T10:00:00+03:00"])
            .status
            .success()
    );
    assert!(run(&root, &["mv", DRAFT]).status.success());
    (dir, root)
}

#[test]
fn a_commit_graph_with_bloom_filters_gives_the_same_history() {
    let (_dir, root) = merged_and_moved();
    let base = git(&root, &["rev-parse", "HEAD~2"]).trim().to_owned();
    let logs = |root: &Path| {
        [DRAFT, FOUNDING]
            .map(|id| stdout(&run(root, &["log", id, "--format", "json", "--no-cache"])))
    };
    let base_rules = |root: &Path| {
        stdout(&run(
            root,
            &["validate", "--base", &base, "--format", "json"],
        ))
    };
    let (without, checked) = (logs(&root), base_rules(&root));
    git(
        &root,
        &["commit-graph", "write", "--reachable", "--changed-paths"],
    );
    assert!(root.join(".git/objects/info/commit-graph").is_file());
    assert_eq!(logs(&root), without);
    assert_eq!(base_rules(&root), checked);
    let entries: Vec<Value> = serde_json::from_str(&without[0]).unwrap();
    assert!(entries.len() >= 6, "{entries:#?}");
}

#[test]
fn validate_base_finds_an_id_the_change_repeats_elsewhere_in_the_newsroom() {
    let (_dir, root) = support::demo_newsroom();
    let base = git(&root, &["rev-parse", "HEAD"]).trim().to_owned();
    std::fs::create_dir_all(root.join("articles/2015/09/20")).unwrap();
    let copy = format!("articles/2015/09/20/{DRAFT}.toml");
    std::fs::copy(root.join(DRAFT_PATH), root.join(&copy)).unwrap();
    git(&root, &["add", &copy]);
    git(&root, &["commit", "-q", "-m", "A copy by plain git"]);
    let (code, rules) = base_rules(&root, &base);
    assert_eq!(code, Some(1), "{rules:?}");
    assert!(rules.contains(&"duplicate-id".to_owned()), "{rules:?}");
}

#[test]
fn dates_where_the_clocks_skip_are_read_or_refused_by_name() {
    let (_dir, root) = support::demo_newsroom();
    support::rewrite(
        &root.join("news.toml"),
        "timezone = \"Europe/Moscow\"",
        "timezone = \"America/Sao_Paulo\"",
    );
    // 2018-11-04 has no midnight in São Paulo: the day starts at 01:00.
    let output = run(&root, &["log", "--since", "2018-11-04"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = run(&root, &["log", "--since", "2018-11-04 00:30"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("does not exist in America/Sao_Paulo"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn log_shows_the_notes_of_returns_and_withholdings_and_messages() {
    let (_dir, root) = support::demo_newsroom();
    let review = "trade-commission-green-corridor-explained";
    let output = run(
        &root,
        &[
            "return",
            review,
            "--note",
            "Check the customs figures.\nAnd the quotes.",
            "-m",
            "From the desk",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let output = run(
        &root,
        &["withhold", FOUNDING, "--note", "Legal is checking"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    // JSON: the note, null when there is none (a submit without -m).
    let entries = log_json(&root, &[review]);
    assert_eq!(actions(&entries), ["return", "submit", "new"]);
    assert_eq!(
        entries[0]["note"],
        "Check the customs figures.\nAnd the quotes.\n\nFrom the desk"
    );
    assert_eq!(entries[1]["note"], Value::Null);
    let entries = log_json(&root, &[FOUNDING]);
    assert_eq!(entries[0]["note"], "Legal is checking");
    // Text: below the entry, indented, in a record's log and the
    // newsroom's, with and without -p.
    for args in [&["log", review][..], &["log"], &["log", "-p", review]] {
        let output = run(&root, args);
        let text = stdout(&output);
        assert!(
            text.contains("  status\n    Check the customs figures.\n    And the quotes.\n\n    From the desk\n"),
            "{args:?}: {text}"
        );
    }
    let text = stdout(&run(&root, &["log", FOUNDING]));
    assert!(text.contains("\n    Legal is checking\n"), "{text}");
}

#[test]
fn validate_base_checks_every_record_when_the_settings_changed() {
    let (_dir, root) = support::demo_newsroom();
    let base = git(&root, &["rev-parse", "HEAD"]).trim().to_owned();
    // The vocabulary loses a tag records use; no record changes.
    support::rewrite(
        &root.join("schema/tags.toml"),
        "[[tag]]\nname = \"Diplomacy\"\naliases = [\"Foreign Policy\", \"Foreign Relations\"]\n",
        "",
    );
    for committed in [false, true] {
        if committed {
            git(&root, &["commit", "-q", "-am", "Drop Diplomacy"]);
        }
        let (code, rules) = base_rules(&root, &base);
        assert_eq!(code, Some(1), "committed: {committed}: {rules:?}");
        assert!(rules.iter().all(|rule| rule == "unknown-tag"), "{rules:?}");
        assert!(rules.len() >= 2, "{rules:?}");
    }
    let output = run(
        &root,
        &[
            "validate", "--base", &base, "--rev", "HEAD", "--format", "json",
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).contains("unknown-tag"));
}

#[test]
fn log_keeps_a_note_that_starts_with_changed() {
    let (_dir, root) = support::demo_newsroom();
    let said = "Changed: the lawyer asked us to hold it.";
    let output = run(&root, &["withhold", FOUNDING, "--note", said, "-q"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let entries = log_json(&root, &["-n", "1"]);
    assert_eq!(entries[0]["note"], said);
    let text = stdout(&run(&root, &["log", "-n", "1"]));
    assert!(text.contains(&format!("\n    {said}\n")), "{text}");

    // A note that reads as news's own `Changed:` paragraph: news writes
    // its own after it, and the log shows the person's.
    let output = run(&root, &["publish", FOUNDING, "-m", "Changed: headline"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let message = git(&root, &["log", "-1", "--format=%B"]);
    assert!(
        // `updated` too, unless the withholding was the same second.
        message.contains("Changed: headline\n\nChanged: status"),
        "{message}"
    );
    assert_eq!(
        log_json(&root, &["-n", "1"])[0]["note"],
        "Changed: headline"
    );

    // A correction: news's `Changed:` paragraph is left out, the person's
    // kept.
    let output = run(
        &root,
        &[
            "correct",
            FOUNDING,
            "--note",
            "Wrong summary.",
            "--set",
            "summary=S",
            "-m",
            "Changed: summary\n\nAsked by the desk.",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let message = git(&root, &["log", "-1", "--format=%B"]);
    assert!(
        message.contains("Asked by the desk.\n\nChanged: "),
        "{message}"
    );
    assert_eq!(
        log_json(&root, &["-n", "1"])[0]["note"],
        "Changed: summary\n\nAsked by the desk."
    );

    // A plain git commit: every paragraph is the person's.
    support::rewrite(
        &root.join(FOUNDING_PATH),
        "summary = \"S\"",
        "summary = \"T\"",
    );
    git(
        &root,
        &[
            "commit",
            "-q",
            "-am",
            "Fix the summary\n\nChanged: summary\n\nSigned-off-by: T <t@x>",
        ],
    );
    assert_eq!(log_json(&root, &["-n", "1"])[0]["note"], "Changed: summary");
}

/// The commits `news log <id>` lists.
fn logged_commits(root: &Path, id: &str) -> Vec<String> {
    log_json(root, &[id, "--no-cache"])
        .iter()
        .map(|entry| entry["commit"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_history_is_the_same_however_the_repository_is_packed() {
    let (_dir, root) = merged_and_moved();
    let base = git(&root, &["rev-parse", "HEAD~4"]).trim().to_owned();
    let everything = |root: &Path| {
        let mut outputs: Vec<String> = [DRAFT, FOUNDING]
            .iter()
            .map(|id| {
                stdout(&run(
                    root,
                    &["log", id, "-p", "--format", "json", "--no-cache"],
                ))
            })
            .collect();
        outputs.push(stdout(&run(root, &["log", "--format", "json"])));
        outputs.push(stdout(&run(root, &["diff", FOUNDING, &base, "HEAD"])));
        outputs.push(stdout(&run(
            root,
            &["validate", "--base", &base, "--format", "json"],
        )));
        outputs
    };
    let loose = everything(&root);
    assert!(loose[0].contains("\"commit\""), "{}", loose[0]);
    git(&root, &["gc", "-q"]);
    assert_eq!(everything(&root), loose, "after git gc");
    git(
        &root,
        &[
            "repack",
            "-a",
            "-d",
            "-f",
            "-q",
            "--depth=250",
            "--window=250",
        ],
    );
    assert_eq!(everything(&root), loose, "with long delta chains");
    git(
        &root,
        &[
            "-c",
            "pack.indexVersion=1",
            "repack",
            "-a",
            "-d",
            "-f",
            "-q",
        ],
    );
    assert_eq!(
        everything(&root),
        loose,
        "with an index of version 1, read by libgit2"
    );
}

#[test]
fn a_shallow_clone_logs_its_history_from_where_it_starts() {
    let (dir, root) = support::demo_newsroom();
    for round in 0..4 {
        let output = run(&root, &["set", FOUNDING, &format!("summary=Round {round}")]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let shallow = dir.path().join("shallow");
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "3",
            &format!("file://{}", root.display()),
            "shallow",
        ],
    );
    assert!(shallow.join(".git/shallow").is_file());
    let theirs: Vec<String> = git(&shallow, &["log", "--format=%H", "--", FOUNDING_PATH])
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(theirs.len(), 3, "the clone holds three commits of it");
    assert_eq!(logged_commits(&shallow, FOUNDING), theirs);
    // Where the clone's history starts the record is not made anew: the
    // entry says the history is cut there, and lists no changes.
    let entries = log_json(&shallow, &[FOUNDING]);
    let cut = entries.last().unwrap();
    assert_eq!(cut["history_cut"], true, "{cut:#}");
    // The action its label gives this record: news set made it, an edit.
    assert_eq!(cut["action"], "edit", "{cut:#}");
    assert_eq!(cut["changes"], serde_json::json!([]));
    assert!(
        cut["summary"]
            .as_str()
            .unwrap()
            .contains("git fetch --unshallow"),
        "{cut:#}"
    );
    assert!(
        entries[..entries.len() - 1]
            .iter()
            .all(|entry| entry["history_cut"] == false)
    );
    // The newsroom's log lists, where the clone starts, only the record
    // that commit's label names: not every record the clone holds.
    let newsroom = log_json(&shallow, &[]);
    let cut: Vec<&Value> = newsroom
        .iter()
        .filter(|entry| entry["history_cut"] == true)
        .collect();
    assert_eq!(cut.len(), 1, "{newsroom:#?}");
    assert_eq!(cut[0]["id"], FOUNDING);
    assert_eq!(
        log_json(&root, &[FOUNDING]).last().unwrap()["history_cut"],
        false
    );
    // A base past where the clone starts (CI's default checkout) is a
    // usage error that says how to fetch the rest, not a failed check.
    every_read_of_the_revision_is_refused(
        &shallow,
        "HEAD~5",
        "error: cannot find the revision \"HEAD~5\" in this shallow clone\nhint: ",
    );
    assert!(
        stderr(&run(&shallow, &["validate", "--base", "HEAD~5"])).contains("git fetch --unshallow")
    );
    let output = run(&root, &["validate", "--base", "no-such-branch"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with("error: cannot find the revision \"no-such-branch\"\nhint: "),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_parent_line_past_the_authors_is_not_a_parent_as_git_reads_it() {
    let (_dir, root) = support::demo_newsroom();
    let head = git(&root, &["rev-parse", "HEAD"]).trim().to_owned();
    // A side commit that edits the draft, named only by a stray line.
    let side = {
        assert!(
            run(&root, &["set", DRAFT, "summary=Only on the side"])
                .status
                .success()
        );
        let side = git(&root, &["rev-parse", "HEAD"]).trim().to_owned();
        git(&root, &["reset", "-q", "--hard", &head]);
        side
    };
    let tree = git(&root, &["rev-parse", "HEAD^{tree}"]).trim().to_owned();
    let raw = format!(
        "tree {tree}\nparent {head}\nauthor A <a@example> 1443000000 +0300\n\
         committer A <a@example> 1443000000 +0300\nparent {side}\n\nStray parent line\n"
    );
    std::fs::write(root.join(".git/raw-commit"), raw).unwrap();
    let odd = git(
        &root,
        &[
            "hash-object",
            "-t",
            "commit",
            "-w",
            "--literally",
            ".git/raw-commit",
        ],
    )
    .trim()
    .to_owned();
    git(&root, &["update-ref", "refs/heads/main", &odd]);
    let theirs: Vec<String> = git(&root, &["log", "--format=%H", "--", DRAFT_PATH])
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(!theirs.contains(&side));
    assert_eq!(logged_commits(&root, DRAFT), theirs, "loose");
    git(&root, &["gc", "-q"]);
    assert_eq!(logged_commits(&root, DRAFT), theirs, "packed");
}

/// Points the pack index's entries for `first` and `second` at each
/// other's objects, as a damaged index could.
fn swap_in_pack_index(root: &Path, first: &str, second: &str) {
    let folder = root.join(".git/objects/pack");
    let index = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|extension| extension == "idx"))
        .unwrap();
    let mut bytes = std::fs::read(&index).unwrap();
    let ids = git(
        root,
        &[
            "cat-file",
            "--batch-all-objects",
            "--batch-check=%(objectname)",
        ],
    );
    let ids: Vec<&str> = ids.lines().collect();
    let offsets = 8 + 256 * 4 + ids.len() * 24;
    let place = |id: &str| offsets + 4 * ids.iter().position(|listed| *listed == id).unwrap();
    let (a, b) = (place(first), place(second));
    for byte in 0..4 {
        bytes.swap(a + byte, b + byte);
    }
    overwrite(&index, &bytes);
}

/// Writes `bytes` over a file git made read-only.
fn overwrite(path: &Path, bytes: &[u8]) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_damaged_pack_index_or_loose_object_is_an_error_never_another_version() {
    let (_dir, root) = support::demo_newsroom();
    for round in 0..12 {
        assert!(
            run(&root, &["set", FOUNDING, &format!("summary=s {round}")])
                .status
                .success()
        );
    }
    let tree = |revision: &str| {
        git(&root, &["rev-parse", &format!("{revision}^{{tree}}")])
            .trim()
            .to_owned()
    };
    let (newest, older) = (tree("HEAD"), tree("HEAD~10"));
    let commands: [&[&str]; 5] = [
        &["log", FOUNDING, "-p", "--no-cache"],
        &["log"],
        &["diff", FOUNDING, "HEAD~1", "HEAD"],
        &["show", FOUNDING, "--rev", "HEAD"],
        &["validate", "--rev", "HEAD"],
    ];
    let refused = |root: &Path, what: &str| {
        for command in commands {
            let output = run(root, command);
            assert!(
                !output.status.success(),
                "{what}: {command:?} gave {}",
                stdout(&output)
            );
            assert!(!stdout(&output).contains("s 2"), "{what}: {command:?}");
            let message = stderr(&output);
            assert!(
                message.contains("the repository is damaged"),
                "{what}: {command:?}: {message}"
            );
            assert!(
                message.contains("git fsck"),
                "{what}: {command:?}: {message}"
            );
        }
    };
    // A loose tree whose file holds another tree.
    let loose = |id: &str| root.join(format!(".git/objects/{}/{}", &id[..2], &id[2..]));
    let kept = std::fs::read(loose(&newest)).unwrap();
    overwrite(&loose(&newest), &std::fs::read(loose(&older)).unwrap());
    refused(&root, "a loose object holding another");
    std::fs::write(loose(&newest), kept).unwrap();
    assert!(run(&root, commands[0]).status.success(), "repaired");
    // A pack index that points each id at the other's object.
    git(&root, &["repack", "-a", "-d", "-f", "-q"]);
    swap_in_pack_index(&root, &newest, &older);
    refused(&root, "a pack index pointing elsewhere");
}

#[test]
fn a_published_record_saved_with_windows_line_endings_says_the_same() {
    let (_dir, root) = support::demo_newsroom();
    let base = git(&root, &["rev-parse", "HEAD"]);
    let base = base.trim();
    let file = root.join(FOUNDING_PATH);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("body = \"\"\"\n"), "a multi-line body");
    // Only the section changes; every line now ends in CRLF.
    let edited = text.replace("section = \"Expert Opinions\"", "section = \"Asia\"");
    assert_ne!(edited, text);
    std::fs::write(&file, edited.replace('\n', "\r\n")).unwrap();
    let commit = run(&root, &["commit", FOUNDING]);
    assert_eq!(commit.status.code(), Some(0), "{}", stderr(&commit));
    assert_eq!(base_rules(&root, base), (Some(0), Vec::new()));
    let entries = log_json(&root, &[FOUNDING, "-n", "1"]);
    let changed: Vec<&str> = entries[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| change["field"].as_str().unwrap())
        .collect();
    assert_eq!(changed, ["section"]);
    // A real change of the body is still one.
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("Tokyo froze", "Tokyo had frozen")).unwrap();
    git(&root, &["commit", "-qam", "hand edit"]);
    let (code, rules) = base_rules(&root, base);
    assert_eq!(
        (code, rules),
        (Some(1), vec!["correction-needed".to_owned()])
    );
}

#[test]
fn a_broken_version_in_between_lets_no_change_of_a_published_record_through() {
    let break_headline: Edit = |text| text.replacen("headline = \"", "headline = \"\"\"", 1);
    let status_five: Edit = |text| text.replacen("status = \"published\"", "status = 5", 1);
    let status_typo: Edit =
        |text| text.replacen("status = \"published\"", "status = \"publishd\"", 1);
    for (breaking, how) in [
        (break_headline, "not TOML"),
        (status_five, "a status that is not a string"),
        (status_typo, "a status the workflow does not have"),
    ] {
        let (_dir, root) = support::demo_newsroom();
        let base = git(&root, &["rev-parse", "HEAD"]);
        let base = base.trim();
        let original = std::fs::read_to_string(root.join(FOUNDING_PATH)).unwrap();
        git_commit(&root, FOUNDING_PATH, "break it", breaking);
        let broken = git(&root, &["rev-parse", "HEAD"]);
        // Put back, with another headline and publication time.
        let sneaky = original
            .replacen("headline = \"Analysts:", "headline = \"Sneaky:", 1)
            .replacen(
                "published = 2015-09-23T18:24",
                "published = 2015-09-23T19:24",
                1,
            );
        assert_ne!(sneaky, original);
        git_commit(&root, FOUNDING_PATH, "fix it", |_| sneaky.clone());
        let (code, mut rules) = base_rules(&root, base);
        rules.sort();
        assert_eq!(
            (code, rules),
            (
                Some(1),
                vec![
                    "correction-needed".to_owned(),
                    "published-fact-changed".to_owned()
                ]
            ),
            "{how}"
        );
        // The log shows what the fix changed against the last version
        // that could be read: the standards editor's "who changed the
        // headline" finds it.
        let fix = git(&root, &["rev-parse", "HEAD"]);
        for cache in [&["--no-cache"][..], &[], &[]] {
            let mut args = vec![FOUNDING, "--field", "headline"];
            args.extend(cache);
            let changed = log_json(&root, &args);
            assert_eq!(changed[0]["commit"], fix.trim(), "{how}: {changed:#?}");
            assert!(
                changed[0]["changes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|change| change["field"] == "published"),
                "{how}: {changed:#?}"
            );
        }
        // From the broken version as the base: judged from the last
        // version before it that could be read.
        let (code, rules) = base_rules(&root, broken.trim());
        assert_eq!(code, Some(1), "{how}: {rules:?}");
        assert!(rules.contains(&"correction-needed".to_owned()), "{how}");

        // `news commit` from a broken HEAD holds the change to the rules.
        git(&root, &["reset", "-q", "--hard", broken.trim()]);
        std::fs::write(root.join(FOUNDING_PATH), &sneaky).unwrap();
        let commit = run(&root, &["commit", FOUNDING]);
        assert_eq!(commit.status.code(), Some(1), "{how}: {}", stderr(&commit));
        // Its publication time is a fact no hand may change, judged from
        // the last version before the broken one.
        assert!(
            stderr(&commit).contains("`published` of ")
                && stderr(&commit).contains("cannot be changed by hand"),
            "{how}: {}",
            stderr(&commit)
        );
        assert_eq!(git(&root, &["rev-parse", "HEAD"]), broken, "{how}");
        let headline_only = original.replacen("headline = \"Analysts:", "headline = \"Sneaky:", 1);
        std::fs::write(root.join(FOUNDING_PATH), &headline_only).unwrap();
        let commit = run(&root, &["commit", FOUNDING]);
        assert_eq!(commit.status.code(), Some(1), "{how}: {}", stderr(&commit));
        assert!(stderr(&commit).contains("correction-needed"), "{how}");
        // Nor its version, by hand.
        let version = original.replacen("version = 1", "version = 7", 1);
        assert_ne!(version, original);
        std::fs::write(root.join(FOUNDING_PATH), &version).unwrap();
        let commit = run(&root, &["commit", FOUNDING]);
        assert_eq!(commit.status.code(), Some(1), "{how}: {}", stderr(&commit));
        assert!(
            stderr(&commit).contains("`version` of "),
            "{how}: {}",
            stderr(&commit)
        );
        assert_eq!(git(&root, &["rev-parse", "HEAD"]), broken, "{how}");
        // The broken version put back as it was passes.
        std::fs::write(root.join(FOUNDING_PATH), &original).unwrap();
        let commit = run(&root, &["commit", FOUNDING]);
        assert_eq!(commit.status.code(), Some(0), "{how}: {}", stderr(&commit));
        assert_eq!(base_rules(&root, base), (Some(0), Vec::new()), "{how}");
    }
}

#[test]
fn a_link_in_place_of_a_record_is_no_record_in_its_history() {
    let (_dir, root) = support::demo_newsroom();
    let base = git(&root, &["rev-parse", "HEAD"]);
    let file = root.join(FOUNDING_PATH);
    let record = std::fs::read_to_string(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", &file).unwrap();
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-qm", "a link in its place"]);
    std::fs::remove_file(&file).unwrap();
    std::fs::write(&file, &record).unwrap();
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-qm", "the record back"]);
    // The link's target is never read as a record: as git checks it
    // out, a link there is no record (the safe read refuses it too).
    for cache in [&["--no-cache"][..], &[], &[]] {
        let mut args = vec![FOUNDING, "-n", "2"];
        args.extend(cache);
        let entries = log_json(&root, &args);
        assert_eq!(actions(&entries), ["new", "rm"], "{entries:#?}");
        assert!(entries.iter().all(|entry| entry["unreadable"].is_null()));
    }
    let (code, rules) = base_rules(&root, base.trim());
    assert_eq!(code, Some(1));
    assert!(rules.contains(&"published-deleted".to_owned()), "{rules:?}");
}

#[test]
fn version_and_updated_change_only_with_a_step_of_the_workflow() {
    let (_dir, root) = support::demo_newsroom();
    let base = git(&root, &["rev-parse", "HEAD"]);
    git_commit(&root, FOUNDING_PATH, "a higher version by hand", |text| {
        text.replacen("version = 1", "version = 2", 1)
    });
    let (code, rules) = base_rules(&root, base.trim());
    assert_eq!(
        (code, rules),
        (Some(1), vec!["workflow-fact-changed".to_owned()])
    );
    git(&root, &["reset", "-q", "--hard", base.trim()]);
    git_commit(&root, FOUNDING_PATH, "an update time by hand", |text| {
        text.replacen(
            "published = 2015-09-23T18:24:00+03:00",
            "published = 2015-09-23T18:24:00+03:00\nupdated = 2015-09-24T10:00:00+03:00",
            1,
        )
    });
    let (code, rules) = base_rules(&root, base.trim());
    assert_eq!(
        (code, rules),
        (Some(1), vec!["workflow-fact-changed".to_owned()])
    );
    // The workflow's own steps set them: a correction, a withholding.
    git(&root, &["reset", "-q", "--hard", base.trim()]);
    for args in [
        &[
            "correct",
            FOUNDING,
            "--note",
            "A name was misspelt.",
            "--set",
            "summary=Fixed.",
        ][..],
        &["withhold", FOUNDING, "--note", "Legal review."],
    ] {
        let output = run(&root, args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    }
    assert_eq!(base_rules(&root, base.trim()), (Some(0), Vec::new()));
}

#[test]
fn a_revision_that_names_no_commit_is_a_usage_error() {
    let (_dir, root) = support::demo_newsroom();
    let blob = git(&root, &["hash-object", "-w", "news.toml"]);
    git(
        &root,
        &["tag", "-a", "a-blob", "-m", "not a commit", blob.trim()],
    );
    every_read_of_the_revision_is_refused(
        &root,
        "a-blob",
        "error: the revision \"a-blob\" names no commit\nhint: ",
    );
}

/// `validate --base/--rev`, `diff` and `show --rev` of `revision` in
/// `root`: each a usage error (exit 2) whose message starts with `said`.
fn every_read_of_the_revision_is_refused(root: &Path, revision: &str, said: &str) {
    for args in [
        &["validate", "--base", revision][..],
        &["validate", "--rev", revision],
        &["diff", FOUNDING, revision],
        &["show", FOUNDING, "--rev", revision],
    ] {
        let output = run(root, args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).starts_with(said),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

/// `news` with its commits dated `date` (author and committer).
fn run_dated(root: &Path, date: &str, args: &[&str]) {
    let output = support::news_as_reporter(root)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
}

#[test]
fn each_change_is_judged_on_its_own_line_of_history_and_a_merge_on_its_first_parents() {
    // A correction on main, then (later by the clock) an edit on a branch
    // cut before it, merged: each judged from its own parent, not from
    // whichever commit came before it in time.
    let (_dir, root) = support::demo_newsroom();
    let base = git(&root, &["rev-parse", "HEAD"]).trim().to_owned();
    git(&root, &["branch", "desk"]);
    run_dated(
        &root,
        "2030-01-01T10:00:00+03:00",
        &[
            "correct",
            FOUNDING,
            "--note",
            "A name was misspelt.",
            "--set",
            "summary=Fixed.",
        ],
    );
    git(&root, &["checkout", "-q", "desk"]);
    run_dated(
        &root,
        "2030-01-01T11:00:00+03:00",
        &["set", FOUNDING, "dateline.place=TOKYO"],
    );
    git(&root, &["checkout", "-q", "-"]);
    git(&root, &["merge", "-q", "--no-edit", "desk"]);
    let merged = std::fs::read_to_string(root.join(FOUNDING_PATH)).unwrap();
    assert!(merged.contains("TOKYO") && merged.contains("A name was misspelt."));
    assert_eq!(base_rules(&root, &base), (Some(0), Vec::new()));

    // A merge that takes the branch's file undoes what main did: a
    // retraction on main, the branch's version taken in the merge.
    let (_dir, root) = support::demo_newsroom();
    let base = git(&root, &["rev-parse", "HEAD"]).trim().to_owned();
    git(&root, &["branch", "desk"]);
    let output = run(
        &root,
        &["retract", FOUNDING, "--note", "The interview was invented."],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    git(&root, &["checkout", "-q", "desk"]);
    let output = run(&root, &["tag", FOUNDING, "+Economy"]);
    assert!(output.status.success(), "{}", stderr(&output));
    git(&root, &["checkout", "-q", "-"]);
    // It may conflict; either way the branch's file is taken.
    let _ = std::process::Command::new("git")
        .args(["merge", "-q", "--no-commit", "desk"])
        .current_dir(&root)
        .output()
        .unwrap();
    git(&root, &["checkout", "desk", "--", FOUNDING_PATH]);
    git(
        &root,
        &["commit", "-q", "-m", "merge desk, taking its version"],
    );
    let (code, rules) = base_rules(&root, &base);
    assert_eq!(code, Some(1), "{rules:?}");
    assert!(
        rules.contains(&"illegal-transition".to_owned()),
        "{rules:?}"
    );

    // The other way round: the branch merges main but keeps its own file
    // (`git merge -s ours`), and main takes the branch by fast-forward.
    // Against main, its second parent, the merge undoes the retraction.
    let (_dir, root) = support::demo_newsroom();
    git(&root, &["checkout", "-q", "-b", "feat"]);
    let output = run(&root, &["tag", FOUNDING, "+Economy"]);
    assert!(output.status.success(), "{}", stderr(&output));
    git(&root, &["checkout", "-q", "-"]);
    let output = run(
        &root,
        &["retract", FOUNDING, "--note", "The interview was invented."],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let retracted = git(&root, &["rev-parse", "HEAD"]).trim().to_owned();
    git(&root, &["checkout", "-q", "feat"]);
    git(&root, &["merge", "-q", "-s", "ours", "--no-edit", "-"]);
    git(&root, &["checkout", "-q", "-"]);
    git(&root, &["merge", "-q", "--ff-only", "feat"]);
    assert!(
        std::fs::read_to_string(root.join(FOUNDING_PATH))
            .unwrap()
            .contains("status = \"published\"")
    );
    let (code, rules) = base_rules(&root, &retracted);
    assert_eq!(
        (code, rules),
        (Some(1), vec!["illegal-transition".to_owned()])
    );
}
