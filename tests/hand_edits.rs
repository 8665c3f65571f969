//! Records changed by hand: `news edit` refuses them before the editor
//! opens; `news commit` checks and commits them with the trailers; `news
//! mv` and `news rm` change a record's file, as commits; every status line
//! repeats the commit's subject.

mod support;

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Instant;

use support::demo::{DRAFT, DRAFT_PATH, FOUNDING, FOUNDING_PATH};
use support::run;
use support::{assert_fsck_clean, git, head, news_as_reporter, stderr};

fn commit_count(root: &Path) -> usize {
    git(root, &["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

/// The last line a command wrote on stderr.
fn status_line(output: &Output) -> String {
    stderr(output).lines().last().unwrap_or_default().to_owned()
}

/// `committed <id> <subject>` for HEAD, as the status line should say it.
fn committed_line(root: &Path) -> String {
    format!(
        "committed {} {}",
        git(root, &["rev-parse", "--short=10", "HEAD"]).trim(),
        git(root, &["log", "-1", "--format=%s"]).trim()
    )
}

/// Replaces the line starting with `key = ` in the record at `path`.
fn hand_edit(root: &Path, path: &str, key: &str, line: &str) {
    let file = root.join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    let prefix = format!("{key} = ");
    let edited: Vec<String> = text
        .lines()
        .map(|old| {
            if old.starts_with(&prefix) {
                line.to_owned()
            } else {
                old.to_owned()
            }
        })
        .collect();
    assert_ne!(edited.join("\n") + "\n", text, "{key} is in {path}");
    std::fs::write(&file, edited.join("\n") + "\n").unwrap();
}

#[test]
fn edit_refuses_a_hand_edited_record_before_the_editor_opens() {
    let (dir, root) = support::demo_newsroom();
    hand_edit(
        &root,
        DRAFT_PATH,
        "headline",
        r#"headline = "Edited by hand""#,
    );
    let opened = dir.path().join("editor-was-opened");
    let editor = support::editor_script(dir.path(), &format!("touch {}", opened.display()));
    let before = head(&root);
    let output = news_as_reporter(&root)
        .env("EDITOR", &editor)
        .args(["edit", DRAFT])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(!opened.exists(), "the editor never opened");
    assert!(stderr(&output).contains("uncommitted changes"));
    assert!(stderr(&output).contains("news commit"));
    assert_eq!(head(&root), before);
    let text = std::fs::read_to_string(root.join(DRAFT_PATH)).unwrap();
    assert!(text.contains("Edited by hand"), "the hand edit is kept");
}

#[test]
fn commit_records_hand_edits_with_the_changed_fields_and_trailers() {
    let (_dir, root) = support::demo_newsroom();
    hand_edit(
        &root,
        DRAFT_PATH,
        "headline",
        r#"headline = "Edited by hand""#,
    );
    hand_edit(
        &root,
        DRAFT_PATH,
        "section",
        r#"section = "Economy, by hand""#,
    );
    let before = commit_count(&root);
    let output = run(&root, &["commit"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(commit_count(&root), before + 1);
    let subject = git(&root, &["log", "-1", "--format=%s"]);
    assert_eq!(subject.trim(), "edit: Edited by hand");
    assert!(
        stderr(&output).contains("edit: Edited by hand"),
        "the status line repeats the subject: {}",
        stderr(&output)
    );
    let trailers = git(
        &root,
        &[
            "log",
            "-1",
            "--format=%(trailers:key=News-Id,key=News-Action,valueonly)",
        ],
    );
    assert_eq!(trailers.trim(), format!("{DRAFT}\nedit"));
    assert!(git(&root, &["log", "-1", "--format=%b"]).contains("Changed: headline, section"));
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
    assert_fsck_clean(&root);
    // Nothing is left to commit.
    let again = run(&root, &["commit"]);
    assert!(again.status.success());
    assert!(stderr(&again).contains("nothing committed"));
    assert_eq!(commit_count(&root), before + 1);
}

#[test]
fn commit_refuses_an_invalid_record_with_its_findings_and_commits_the_others() {
    let (_dir, root) = support::demo_newsroom();
    hand_edit(&root, DRAFT_PATH, "byline", "byline = []");
    hand_edit(
        &root,
        FOUNDING_PATH,
        "section",
        r#"section = "Opinions, by hand""#,
    );
    let invalid = std::fs::read_to_string(root.join(DRAFT_PATH)).unwrap();
    let before = commit_count(&root);
    let output = run(&root, &["commit"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("byline"), "the finding names the field: {err}");
    assert!(
        err.contains(DRAFT_PATH),
        "the finding names the file: {err}"
    );
    assert!(err.contains("1 of 2 records were not committed"), "{err}");
    assert_eq!(
        commit_count(&root),
        before + 1,
        "the valid one is committed"
    );
    assert_eq!(
        git(&root, &["log", "-1", "--format=%s"]).trim(),
        "edit: Analysts: Russian-Japanese relations show signs of thawing"
    );
    assert_eq!(
        std::fs::read_to_string(root.join(DRAFT_PATH)).unwrap(),
        invalid,
        "the invalid record is left as it was"
    );
    assert_eq!(
        git(&root, &["status", "--porcelain"]).trim(),
        format!("M {DRAFT_PATH}")
    );
}

#[test]
fn commit_refuses_a_hand_change_of_a_managed_field() {
    let (_dir, root) = support::demo_newsroom();
    hand_edit(&root, DRAFT_PATH, "status", r#"status = "published""#);
    let before = head(&root);
    let output = run(&root, &["commit", DRAFT]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("news publish"),
        "{}",
        stderr(&output)
    );
    assert_eq!(head(&root), before);
}

#[test]
fn commit_adds_a_record_made_by_hand_as_new_and_refuses_one_born_published() {
    let (_dir, root) = support::demo_newsroom();
    let draft = std::fs::read_to_string(root.join(DRAFT_PATH)).unwrap();
    let copy = draft.replace(DRAFT, "made-by-hand");
    let path = "articles/2015/09/24/made-by-hand.toml";
    std::fs::write(root.join(path), &copy).unwrap();
    let output = run(&root, &["commit", path]);
    assert!(output.status.success(), "{}", stderr(&output));
    let trailers = git(
        &root,
        &[
            "log",
            "-1",
            "--format=%(trailers:key=News-Action,valueonly)",
        ],
    );
    assert_eq!(trailers.trim(), "new");
    assert_eq!(git(&root, &["ls-files", path]).trim(), path);

    let founding = std::fs::read_to_string(root.join(FOUNDING_PATH)).unwrap();
    let born_published = founding.replace(FOUNDING, "born-published");
    let path = "articles/2015/09/23/born-published.toml";
    std::fs::write(root.join(path), born_published).unwrap();
    let before = head(&root);
    let output = run(&root, &["commit", "born-published"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("starts as a draft"),
        "{}",
        stderr(&output)
    );
    assert_eq!(head(&root), before);
}

#[test]
fn commit_records_a_draft_removed_by_hand_and_refuses_a_published_one() {
    let (_dir, root) = support::demo_newsroom();
    std::fs::remove_file(root.join(DRAFT_PATH)).unwrap();
    let output = run(&root, &["commit", DRAFT]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("rm: Interview"),
        "{}",
        stderr(&output)
    );
    assert_eq!(git(&root, &["ls-files", DRAFT_PATH]), "");
    assert_eq!(git(&root, &["status", "--porcelain"]), "");

    std::fs::remove_file(root.join(FOUNDING_PATH)).unwrap();
    let before = head(&root);
    let output = run(&root, &["commit"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("retract"), "{}", stderr(&output));
    assert_eq!(head(&root), before);
    assert_eq!(
        git(&root, &["ls-files", FOUNDING_PATH]).trim(),
        FOUNDING_PATH
    );
}

#[test]
fn mv_moves_a_record_to_the_folder_of_its_creation_date_as_a_rename() {
    let (_dir, root) = support::demo_newsroom();
    let set = run(&root, &["set", DRAFT, "created=2015-09-20T10:00:00+03:00"]);
    assert!(set.status.success(), "{}", stderr(&set));
    let warned = run(&root, &["validate"]);
    assert!(
        stderr(&warned).contains("warning") || support::stdout(&warned).contains("folder-date")
    );
    let output = run(&root, &["mv", DRAFT]);
    assert!(output.status.success(), "{}", stderr(&output));
    let moved = "articles/2015/09/20/kuzminkov-on-the-economic-track.toml";
    assert!(root.join(moved).is_file());
    assert!(!root.join(DRAFT_PATH).exists());
    assert!(
        !root.join("articles/2015/09/24").exists(),
        "the emptied folder goes, as with git rm"
    );
    let renames = git(
        &root,
        &["show", "-M", "--name-status", "--format=%s", "HEAD"],
    );
    assert!(
        renames.contains(&format!("R100\t{DRAFT_PATH}\t{moved}")),
        "{renames}"
    );
    assert!(renames.starts_with("mv: Interview"));
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
    assert!(!support::stdout(&run(&root, &["validate"])).contains("folder-date"));
    let before = head(&root);
    let again = run(&root, &["mv", DRAFT]);
    assert!(again.status.success());
    assert!(stderr(&again).contains("nothing committed"));
    assert_eq!(head(&root), before);
    assert_fsck_clean(&root);
}

#[test]
fn rm_removes_a_draft_and_refuses_a_published_article() {
    let (_dir, root) = support::demo_newsroom();
    let before = head(&root);
    let output = run(&root, &["rm", FOUNDING]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("news retract"),
        "{}",
        stderr(&output)
    );
    assert_eq!(head(&root), before);
    assert!(root.join(FOUNDING_PATH).is_file());

    let output = run(
        &root,
        &["rm", DRAFT, "-m", "Spiked: the interview was cancelled"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!root.join(DRAFT_PATH).exists());
    assert_eq!(git(&root, &["ls-files", DRAFT_PATH]), "");
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
    let body = git(&root, &["log", "-1", "--format=%B"]);
    assert!(body.contains("Spiked: the interview was cancelled"));
    assert!(body.contains("News-Action: rm"));

    // A record with uncommitted hand edits is not removed.
    let review = "trade-commission-green-corridor-explained";
    let review_path = "articles/2015/09/22/trade-commission-green-corridor-explained.toml";
    hand_edit(&root, review_path, "section", r#"section = "Hand""#);
    let output = run(&root, &["rm", review]);
    assert_eq!(output.status.code(), Some(1));
    assert!(root.join(review_path).is_file());
}

#[test]
fn status_lines_repeat_the_commit_subject_and_set_names_what_changed() {
    let (_dir, root) = support::demo_newsroom();
    let output = run(
        &root,
        &[
            "new",
            "--headline",
            "Lavrov and Kishida meet again",
            "--genre",
            "news",
            "--byline",
            "A",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(status_line(&output), committed_line(&root));
    let id = "lavrov-and-kishida-meet-again";
    let output = run(
        &root,
        &["set", id, "summary=A second round of talks.", "urgency=3"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        status_line(&output),
        committed_line(&root),
        "the status line is the subject"
    );
    assert!(committed_line(&root).ends_with(" set: Lavrov and Kishida meet again"));
    assert!(git(&root, &["log", "-1", "--format=%b"]).contains("Changed: summary, urgency"));
}

/// `news rm` and `news mv` killed at random moments: the next command
/// finishes or undoes what they left, and nothing is half done.
#[test]
fn rm_and_mv_killed_at_random_moments_leave_nothing_half_done() {
    let (_dir, root) = support::demo_newsroom();
    let spawn = |args: &[&str]| {
        support::process_as(env!("CARGO_BIN_EXE_news"), &root, support::AUTHOR)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let new_draft = |round: usize| {
        let output = run(
            &root,
            &[
                "new",
                "--headline",
                &format!("Round {round}"),
                "--genre",
                "news",
                "--byline",
                "K",
                "--created",
                "2015-09-23T12:00:00+03:00",
            ],
        );
        assert!(output.status.success(), "{}", stderr(&output));
        let set = run(
            &root,
            &[
                "set",
                &format!("round-{round}"),
                "created=2015-09-21T12:00:00+03:00",
            ],
        );
        assert!(set.status.success(), "{}", stderr(&set));
    };
    let started = Instant::now();
    new_draft(0);
    assert!(spawn(&["rm", "round-0"]).wait().unwrap().success());
    let span = started.elapsed() / 3;
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut mid_write = 0;
    for round in 1..40 {
        new_draft(round);
        let id = format!("round-{round}");
        let verb = if round % 2 == 0 { "rm" } else { "mv" };
        let mut child = spawn(&[verb, &id]);
        if support::kill_at_random(&mut child, &root, round, &mut seed, span) {
            mid_write += 1;
        }
        // Any command recovers: work tree, index and HEAD agree after.
        let listed = run(&root, &["list"]);
        assert!(listed.status.success(), "{}", stderr(&listed));
        let output = run(&root, &["set", FOUNDING, &format!("summary=After {round}")]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(
            git(&root, &["status", "--porcelain", "--ignored"]),
            "",
            "round {round}: nothing half done"
        );
        let tracked = git(&root, &["ls-files", "articles"]);
        let copies = tracked
            .lines()
            .filter(|path| path.ends_with(&format!("/{id}.toml")))
            .count();
        assert!(copies <= 1, "round {round}: one record or none: {tracked}");
    }
    eprintln!("{mid_write} of 39 kills landed while a command was writing");
    assert!(
        mid_write > 0,
        "no kill landed while a command was writing; the test proved nothing"
    );
    assert_fsck_clean(&root);
}

#[test]
fn a_record_published_before_a_plain_move_and_unpublish_is_still_never_removed() {
    let (_dir, root) = support::demo_newsroom();
    std::fs::create_dir_all(root.join("articles/2015/09/20")).unwrap();
    let moved = format!("articles/2015/09/20/{FOUNDING}.toml");
    git(&root, &["mv", FOUNDING_PATH, &moved]);
    git(&root, &["commit", "-q", "-m", "plain mv"]);
    let text = std::fs::read_to_string(root.join(&moved)).unwrap();
    let unpublished: String = text
        .lines()
        .filter(|line| !line.starts_with("published = ") && !line.starts_with("version = "))
        .map(|line| match line.starts_with("status = ") {
            true => "status = \"draft\"\n".to_owned(),
            false => format!("{line}\n"),
        })
        .collect();
    std::fs::write(root.join(&moved), unpublished).unwrap();
    git(&root, &["commit", "-q", "-am", "plain unpublish"]);
    let before = head(&root);
    let output = run(&root, &["rm", &moved]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("is or was published"));
    std::fs::remove_file(root.join(&moved)).unwrap();
    let output = run(&root, &["commit"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(head(&root), before);
}

#[test]
fn commit_refuses_a_duplicate_id_and_commits_a_move_by_hand_as_one_rename() {
    let (_dir, root) = support::demo_newsroom();
    std::fs::create_dir_all(root.join("articles/2015/09/20")).unwrap();
    let copy = format!("articles/2015/09/20/{DRAFT}.toml");
    std::fs::copy(root.join(DRAFT_PATH), root.join(&copy)).unwrap();
    let before = head(&root);
    let output = run(&root, &["commit"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("ids are unique"),
        "{}",
        stderr(&output)
    );
    assert_eq!(head(&root), before);

    // The old file gone too: a move made by hand, one commit, a rename.
    std::fs::remove_file(root.join(DRAFT_PATH)).unwrap();
    let output = run(&root, &["commit"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        git(&root, &["rev-parse", "HEAD~1"]),
        before,
        "one commit for the move"
    );
    let renamed = git(
        &root,
        &["show", "-M", "--name-status", "--format=%s", "HEAD"],
    );
    assert!(
        renamed.contains(&format!("R100\t{DRAFT_PATH}\t{copy}")),
        "{renamed}"
    );
    assert!(renamed.starts_with("mv: "), "{renamed}");
    assert_eq!(git(&root, &["status", "--porcelain"]), "");

    // A published record moved by hand is a move too, not a new record.
    std::fs::create_dir_all(root.join("articles/2015/09/19")).unwrap();
    let published = format!("articles/2015/09/19/{FOUNDING}.toml");
    git(&root, &["mv", FOUNDING_PATH, &published]);
    let output = run(&root, &["commit"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}

#[test]
fn commit_keeps_a_staged_version_it_would_otherwise_drop() {
    let (_dir, root) = support::demo_newsroom();
    hand_edit(&root, DRAFT_PATH, "section", r#"section = "Staged""#);
    git(&root, &["add", DRAFT_PATH]);
    let committed = git(&root, &["show", &format!("HEAD:{DRAFT_PATH}")]);
    std::fs::write(root.join(DRAFT_PATH), &committed).unwrap();
    let before = head(&root);
    let output = run(&root, &["commit"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("staged changes"));
    assert_eq!(head(&root), before);
    assert!(
        git(&root, &["diff", "--cached"]).contains("Staged"),
        "the staged version stays"
    );
}
