//! The commit path under stress, through the binary with real git: races
//! with hand commits, locks held by others, kills at random moments, index
//! formats, line endings, staged work, and operations in progress. Each
//! test fails on the behaviour before the all-or-nothing commit path.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::demo::{DRAFT, DRAFT_PATH};
use support::{assert_fsck_clean, git, head, news_as_reporter, stderr};

fn demo() -> (tempfile::TempDir, PathBuf) {
    support::demo_newsroom()
}

/// Nothing of news's own is left in the repository or beside the records,
/// and no empty folder.
fn assert_no_leftovers(root: &Path) {
    let git_dir = root.join(".git");
    for entry in std::fs::read_dir(&git_dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "news.lock" {
            continue; // news's own lock file, the kernel's lock on it
        }
        assert!(
            !(name.ends_with(".lock")
                || name.starts_with("news-journal")
                || name.ends_with("-lock")),
            "{name} is left behind in .git"
        );
    }
    assert!(!git_dir.join("refs/heads/main.lock").exists());
    let mut stack = vec![root.join("articles")];
    while let Some(folder) = stack.pop() {
        let entries: Vec<_> = std::fs::read_dir(&folder).unwrap().collect();
        assert!(!entries.is_empty(), "{} is left empty", folder.display());
        for entry in entries {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(
                !name.starts_with(".news-"),
                "{} is left behind",
                entry.path().display()
            );
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            }
        }
    }
}

fn set(root: &Path, assignment: &str) -> std::process::Output {
    news_as_reporter(root)
        .args(["set", DRAFT, assignment])
        .output()
        .unwrap()
}

#[test]
fn news_set_and_hand_git_commits_in_a_loop_lose_nothing() {
    let (_dir, root) = demo();
    std::fs::write(root.join("notes.txt"), "0\n").unwrap();
    git(&root, &["add", "notes.txt"]);
    git(&root, &["commit", "-q", "-m", "notes"]);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hand = {
        let root = root.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut landed = 0;
            let mut round = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                round += 1;
                std::fs::write(root.join("notes.txt"), format!("{round}\n")).unwrap();
                let status = support::process_as("git", &root, ("Hand", "hand@example"))
                    .args(["commit", "-q", "-am", &format!("hand {round}")])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .unwrap();
                if status.success() {
                    landed += 1;
                }
            }
            landed
        })
    };
    let mut committed = Vec::new();
    for round in 0..25 {
        let value = format!("Summary number {round}");
        let output = set(&root, &format!("summary={value}"));
        if output.status.success() {
            committed.push(value);
        } else {
            // Refused while git held the index, never half done.
            let message = stderr(&output);
            assert!(message.contains("index.lock"), "{message}");
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let hand_commits = hand.join().unwrap();
    assert!(hand_commits > 0, "the hand commits raced for real");
    assert!(!committed.is_empty());
    let history = git(&root, &["log", "-p", "--format=%s", "--", DRAFT_PATH]);
    for value in &committed {
        assert!(
            history.contains(&format!("+summary = \"{value}\"")),
            "{value} is not in the history"
        );
    }
    let touching = git(&root, &["log", "--format=%s", "--", DRAFT_PATH]);
    assert!(
        !touching.lines().any(|subject| subject.starts_with("hand")),
        "a hand commit changed the record:\n{touching}"
    );
    let last = committed.last().unwrap();
    assert!(git(&root, &["show", &format!("HEAD:{DRAFT_PATH}")]).contains(last.as_str()));
    let status = git(&root, &["status", "--porcelain", "--", DRAFT_PATH]);
    assert_eq!(status, "", "the record is clean in the index and work tree");
    assert_fsck_clean(&root);
}

#[test]
fn a_lock_held_by_another_program_is_named_and_nothing_is_written() {
    let (_dir, root) = demo();
    let lock = root.join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    let before = head(&root);
    let record = std::fs::read(root.join(DRAFT_PATH)).unwrap();
    let started = Instant::now();
    let output = set(&root, "summary=Never");
    let waited = started.elapsed();
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains(&lock.display().to_string()), "{message}");
    assert!(message.contains("rm "), "{message}");
    assert!(message.contains("second"), "the lock's age: {message}");
    assert!(message.contains("waiting for"), "{message}");
    assert!(
        waited < Duration::from_secs(20),
        "bounded wait, took {waited:?}"
    );
    assert_eq!(head(&root), before);
    assert_eq!(std::fs::read(root.join(DRAFT_PATH)).unwrap(), record);
    assert!(lock.exists(), "another program's lock is not removed");
    std::fs::remove_file(&lock).unwrap();
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}

/// One editorial command on `DRAFT` (or a new article), killed at once.
fn spawn_victim(root: &Path, round: usize, editor: &Path) -> std::process::Child {
    let mut command = support::process_as(
        env!("CARGO_BIN_EXE_news"),
        root,
        ("K", "k@newsroom.example"),
    );
    match round % 3 {
        0 => command.args(["set", DRAFT, &format!("summary=Round {round}")]),
        1 => command.args([
            "new",
            "--headline",
            &format!("Killed round {round}"),
            "--genre",
            "news",
            "--byline",
            "K",
        ]),
        _ => command
            .env("EDITOR", editor)
            .env("ROUND", round.to_string())
            .args(["edit", DRAFT]),
    };
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn commands_killed_at_random_moments_leave_nothing_half_done() {
    let (dir, root) = demo();
    let editor = support::editor_script(
        dir.path(),
        r#"sed -i "s/^headline = .*/headline = \"Edited in round $ROUND\"/" "$1""#,
    );
    // How long one command takes here, to spread the kills over it.
    let started = Instant::now();
    for round in 0..3 {
        let status = spawn_victim(&root, round, &editor).wait().unwrap();
        assert!(status.success(), "round {round} runs when not killed");
    }
    let span = started.elapsed() / 3;
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut mid_write = 0;
    for round in 3..60 {
        let mut child = spawn_victim(&root, round, &editor);
        if support::kill_at_random(&mut child, &root, round, &mut seed, span) {
            mid_write += 1;
        }
        // The next command on the same record finishes or undoes what
        // was left, and works.
        let output = set(&root, &format!("summary=After round {round}"));
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(
            git(&root, &["status", "--porcelain"]),
            "",
            "round {round}: work tree, index and HEAD agree"
        );
        assert_no_leftovers(&root);
    }
    eprintln!("{mid_write} of 57 kills landed while a command was writing");
    assert!(
        mid_write > 0,
        "no kill landed while a command was writing; the test proved nothing"
    );
    let output = Command::new("git")
        .args(["fsck", "--strict", "--no-dangling"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(output.status.success());
    // Every record news lists is committed.
    let listed = news_as_reporter(&root)
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    for article in listed.as_array().unwrap() {
        let path = article["path"].as_str().unwrap();
        assert_eq!(git(&root, &["ls-files", path]).trim(), path);
    }
}

#[test]
fn a_staged_change_on_the_record_is_kept_and_refused() {
    let (_dir, root) = demo();
    let path = root.join(DRAFT_PATH);
    let committed = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        committed.replace("headline =", "# staged\nheadline ="),
    )
    .unwrap();
    git(&root, &["add", DRAFT_PATH]);
    std::fs::write(&path, &committed).unwrap();
    let before = head(&root);
    let output = set(&root, "summary=Over the staged change");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("staged"), "{}", stderr(&output));
    assert_eq!(head(&root), before);
    assert!(git(&root, &["diff", "--cached"]).contains("+# staged"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), committed);
}

#[test]
fn new_refuses_an_id_that_head_or_the_index_holds_even_without_its_file() {
    let (_dir, root) = demo();
    std::fs::remove_file(root.join(DRAFT_PATH)).unwrap();
    let output = news_as_reporter(&root)
        .args([
            "new",
            "--headline",
            "Again",
            "--genre",
            "news",
            "--id",
            DRAFT,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("taken"), "{}", stderr(&output));
    assert_eq!(
        git(&root, &["status", "--porcelain"]),
        format!(" D {DRAFT_PATH}\n")
    );
    // A slug that collides with it gets another name.
    let output = news_as_reporter(&root)
        .args([
            "new",
            "--headline",
            "Kuzminkov on the economic track",
            "--genre",
            "news",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(support::stdout(&output).contains(&format!("{DRAFT}-2.toml")));
}

/// A clone of the demo newsroom with `config` set before checkout.
fn clone_with(root: &Path, config: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let clone = dir.path().join("clone");
    let mut args = vec!["clone", "-q"];
    for setting in config {
        args.extend(["-c", setting]);
    }
    let source = root.display().to_string();
    let target = clone.display().to_string();
    args.extend([source.as_str(), target.as_str()]);
    git(dir.path(), &args);
    (dir, clone)
}

fn assert_crlf_kept_and_committed_as(clone: &Path, committed_crlf: bool) {
    let path = clone.join(DRAFT_PATH);
    assert!(std::fs::read_to_string(&path).unwrap().contains("\r\n"));
    let output = set(clone, "summary=Kept its line endings");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("Kept its line endings"));
    assert_eq!(
        text.matches("\r\n").count(),
        text.matches('\n').count(),
        "every line ends in CRLF:\n{text:?}"
    );
    let blob = git(clone, &["show", &format!("HEAD:{DRAFT_PATH}")]);
    assert_eq!(blob.contains('\r'), committed_crlf);
    assert_eq!(git(clone, &["status", "--porcelain"]), "");
}

#[test]
fn an_autocrlf_clone_edits_its_records_and_keeps_crlf() {
    let (_dir, root) = demo();
    let (_clone_dir, clone) = clone_with(&root, &["core.autocrlf=true"]);
    assert_crlf_kept_and_committed_as(&clone, false);
}

#[test]
fn an_eol_attribute_is_honoured() {
    let (_dir, root) = demo();
    std::fs::write(root.join(".gitattributes"), "*.toml text eol=crlf\n").unwrap();
    git(&root, &["add", ".gitattributes"]);
    git(&root, &["commit", "-q", "-m", "attributes"]);
    let (_clone_dir, clone) = clone_with(&root, &[]);
    assert_crlf_kept_and_committed_as(&clone, false);
}

#[test]
fn a_crlf_record_stays_crlf_without_conversion() {
    let (_dir, root) = demo();
    let path = root.join(DRAFT_PATH);
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(&path, text).unwrap();
    git(&root, &["commit", "-q", "-am", "crlf"]);
    assert_crlf_kept_and_committed_as(&root, true);
}

#[test]
fn edit_keeps_the_records_own_leading_comment_lines() {
    let (dir, root) = demo();
    let path = root.join(DRAFT_PATH);
    let text = format!(
        "#! keep me: a comment of the record's own\n{}",
        std::fs::read_to_string(&path).unwrap()
    );
    std::fs::write(&path, &text).unwrap();
    git(&root, &["commit", "-q", "-am", "comment"]);
    let editor =
        support::editor_script(dir.path(), r#"sed -i 's/^urgency = .*/urgency = 2/' "$1""#);
    let output = news_as_reporter(&root)
        .env("EDITOR", &editor)
        .args(["edit", DRAFT])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.starts_with("#! keep me"), "{after}");
}

/// Leaves `root` in the middle of a cherry-pick that stopped on a
/// conflict, or of a rebase.
fn refuses_while(root: &Path, operation: &str) {
    let before = head(root);
    let record = std::fs::read(root.join(DRAFT_PATH)).unwrap();
    let output = set(root, "summary=Mid-operation");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(&format!("a {operation} is in progress")),
        "{}",
        stderr(&output)
    );
    assert_eq!(head(root), before);
    assert_eq!(std::fs::read(root.join(DRAFT_PATH)).unwrap(), record);
}

fn conflicting_branch(root: &Path) {
    git(root, &["switch", "-q", "-c", "side"]);
    std::fs::write(root.join("notes.txt"), "side\n").unwrap();
    git(root, &["add", "notes.txt"]);
    git(root, &["commit", "-q", "-m", "side"]);
    git(root, &["switch", "-q", "main"]);
    std::fs::write(root.join("notes.txt"), "main\n").unwrap();
    git(root, &["add", "notes.txt"]);
    git(root, &["commit", "-q", "-m", "main"]);
}

#[test]
fn nothing_is_committed_during_a_cherry_pick_or_a_rebase_or_on_a_detached_head() {
    let (_dir, root) = demo();
    conflicting_branch(&root);
    let picked = support::process_as("git", &root, ("G", "g@example"))
        .args(["cherry-pick", "side"])
        .output()
        .unwrap();
    assert!(
        !picked.status.success(),
        "the cherry-pick stops on a conflict"
    );
    refuses_while(&root, "cherry-pick");
    git(&root, &["cherry-pick", "--abort"]);

    let rebased = support::process_as("git", &root, ("G", "g@example"))
        .args(["rebase", "side"])
        .output()
        .unwrap();
    assert!(!rebased.status.success(), "the rebase stops on a conflict");
    refuses_while(&root, "rebase");
    git(&root, &["rebase", "--abort"]);

    git(&root, &["checkout", "-q", "--detach"]);
    let output = set(&root, "summary=Detached");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("detached"), "{}", stderr(&output));
    git(&root, &["switch", "-q", "main"]);
    let output = set(&root, "summary=On a branch again");
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn eight_concurrent_sets_of_different_fields_all_land() {
    let (_dir, root) = demo();
    let fields = [
        "summary=A summary",
        "urgency=4",
        "section=Economy",
        "ed-note=Check the figures",
        "dateline.place=TOKYO",
        "tags=Japan, Economy",
        "embargo=2015-09-25T10:00:00+03:00",
        "headline=Kuzminkov on the economic track, revised",
    ];
    let children: Vec<_> = fields
        .iter()
        .map(|field| {
            support::process_as(
                env!("CARGO_BIN_EXE_news"),
                &root,
                ("S", "s@newsroom.example"),
            )
            .args(["set", DRAFT, field])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let text = git(&root, &["show", &format!("HEAD:{DRAFT_PATH}")]);
    for expected in [
        "A summary",
        "urgency = 4",
        "Economy",
        "Check the figures",
        "TOKYO",
        "2015-09-25T10:00:00+03:00",
        "revised",
    ] {
        assert!(text.contains(expected), "{expected} is missing:\n{text}");
    }
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}

#[test]
fn a_repository_owned_by_someone_else_is_named_as_such() {
    // Only root can give a folder away: CI runs as root; a developer's
    // run as another user says so and checks nothing here.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("not root: the ownership check needs root to chown");
        return;
    }
    let (_dir, root) = demo();
    let chown = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(&root)
        .status()
        .unwrap();
    assert!(chown.success());
    let output = set(&root, "summary=Not mine");
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("not owned by you"), "{message}");
    assert!(message.contains("safe.directory"), "{message}");
}

#[test]
fn a_full_disk_is_named_and_nothing_is_committed() {
    // A small file system of its own, in a user and mount namespace of
    // its own, filled up before news runs.
    let (dir, root) = demo();
    let before = head(&root);
    let script = format!(
        r#"set -e
mkdir -p "$1/full"
mount -t tmpfs -o size=3M tmpfs "$1/full"
cp -a "$2" "$1/full/demo"
dd if=/dev/zero of="$1/full/filler" bs=4k 2>/dev/null || true
cd "$1/full/demo"
set +e
"$3" set {DRAFT} "summary=$(head -c 20000 /dev/urandom | base64 -w0)"
echo "exit=$?"
echo "head=$(git rev-parse HEAD)"
echo "status=$(git status --porcelain | tr '\n' ' ')"
"#
    );
    let output = Command::new("unshare")
        .args(["-r", "-m", "sh", "-c", &script, "sh"])
        .arg(dir.path())
        .arg(&root)
        .arg(env!("CARGO_BIN_EXE_news"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir.path())
        .env("GIT_AUTHOR_NAME", "A")
        .env("GIT_AUTHOR_EMAIL", "a@example")
        .env("GIT_COMMITTER_NAME", "A")
        .env("GIT_COMMITTER_EMAIL", "a@example")
        .output()
        .unwrap();
    let printed = support::stdout(&output);
    let message = stderr(&output);
    assert!(printed.contains("exit=1"), "{printed}\n{message}");
    assert!(message.contains("the disk is full"), "{message}");
    assert!(
        printed.contains(&format!("head={}", before.trim())),
        "{printed}"
    );
    assert!(
        printed.contains("status=\n") || printed.ends_with("status=\n"),
        "{printed}"
    );
}

/// `news set` in a repository whose index git keeps in a special form:
/// the commit lands, git reads the index news wrote, the record is clean,
/// and the form is kept.
fn set_keeps_the_index_form(setup: &[&[&str]], signature: &[u8]) {
    let (_dir, root) = demo();
    for command in setup {
        git(&root, command);
    }
    let output = set(&root, "summary=In a special index");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
    assert_eq!(
        git(&root, &["ls-files", "-s", DRAFT_PATH])
            .split_whitespace()
            .nth(1),
        git(&root, &["rev-parse", &format!("HEAD:{DRAFT_PATH}")])
            .split_whitespace()
            .next()
    );
    let index = std::fs::read(root.join(".git/index")).unwrap();
    assert!(
        index
            .windows(signature.len())
            .any(|window| window == signature),
        "the index keeps {}",
        String::from_utf8_lossy(signature)
    );
    let output = set(&root, "summary=Twice in a special index");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
    assert_fsck_clean(&root);
}

#[test]
fn a_split_index_is_read_written_and_kept() {
    set_keeps_the_index_form(
        &[
            &["config", "core.splitIndex", "true"],
            &["update-index", "--split-index"],
        ],
        b"link",
    );
}

#[test]
fn an_index_of_version_4_is_read_written_and_kept() {
    set_keeps_the_index_form(
        &[&["update-index", "--index-version", "4"]],
        b"DIRC\0\0\0\x04",
    );
}

#[test]
fn the_untracked_cache_survives_news_commits() {
    set_keeps_the_index_form(
        &[
            &["config", "core.untrackedCache", "true"],
            &["update-index", "--untracked-cache"],
            &["status", "--porcelain"],
        ],
        b"UNTR",
    );
}

#[test]
fn a_pipe_in_place_of_a_record_is_refused_not_waited_on() {
    let (_dir, root) = demo();
    let path = root.join(DRAFT_PATH);
    std::fs::remove_file(&path).unwrap();
    let made = Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(made.success());
    let output = news_as_reporter(&root)
        .args(["set", DRAFT, "urgency=2"])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("not a regular file"),
        "{}",
        stderr(&output)
    );
    let listed = news_as_reporter(&root)
        .arg("list")
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert!(listed.status.success(), "{}", stderr(&listed));
}

#[test]
fn a_command_killed_while_it_moves_the_branch_leaves_no_lock_behind() {
    let (_dir, root) = demo();
    let ref_lock = root.join(".git/refs/heads/main.lock");
    let mut caught = 0;
    for attempt in 0..200 {
        let mut child = support::process_as(
            env!("CARGO_BIN_EXE_news"),
            &root,
            ("K", "k@newsroom.example"),
        )
        .args(["set", DRAFT, &format!("summary=Attempt {attempt}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        // Watch for the branch's lock file and kill the command holding it.
        let killed = loop {
            if ref_lock.exists() {
                let _ = child.kill();
                break true;
            }
            if child.try_wait().unwrap().is_some() {
                break false;
            }
        };
        let _ = child.wait();
        if killed && ref_lock.exists() {
            caught += 1;
            let output = set(&root, &format!("summary=After attempt {attempt}"));
            assert!(output.status.success(), "{}", stderr(&output));
            assert!(!ref_lock.exists());
            assert_eq!(git(&root, &["status", "--porcelain"]), "");
            assert_no_leftovers(&root);
            git(
                &root,
                &["commit", "-q", "--allow-empty", "-m", "git commits again"],
            );
            if caught == 3 {
                break;
            }
        }
    }
    eprintln!("{caught} kills landed while the branch was locked");
    assert!(caught > 0, "no kill landed while the branch was locked");
}

/// `git ls-files -s` in `git ls-tree -r` form: what a commit of the index
/// must hold.
fn index_as_tree(root: &Path) -> String {
    git(root, &["ls-files", "-s"])
        .lines()
        .map(|line| {
            let (meta, path) = line.split_once('\t').unwrap();
            let mut fields = meta.split_whitespace();
            let (mode, id) = (fields.next().unwrap(), fields.next().unwrap());
            format!("{mode} blob {id}\t{path}\n")
        })
        .collect()
}

#[test]
fn the_cache_tree_news_leaves_makes_git_commit_the_index_exactly() {
    let (_dir, root) = demo();
    let folder = root.join("articles/2015/09/24");
    // git's own commit leaves a valid cache tree; news's commits keep it
    // valid; git then commits a staged file in the same folder from it.
    std::fs::write(folder.join("notes.txt"), "one\n").unwrap();
    git(&root, &["add", "articles/2015/09/24/notes.txt"]);
    git(&root, &["commit", "-q", "-m", "notes"]);
    let output = set(&root, "urgency=2");
    assert!(output.status.success(), "{}", stderr(&output));
    let output = news_as_reporter(&root)
        .args(["new", "--headline", "A fresh folder", "--genre", "news"])
        .args(["--created", "2031-05-06T10:00:00+03:00"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        git(&root, &["write-tree"]),
        git(&root, &["rev-parse", "HEAD^{tree}"])
    );

    // A staged change whose tree git cached (write-tree) before news
    // commits beside it.
    std::fs::write(folder.join("notes.txt"), "two\n").unwrap();
    git(&root, &["add", "articles/2015/09/24/notes.txt"]);
    git(&root, &["write-tree"]);
    let output = set(&root, "urgency=3");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        git(&root, &["diff", "--cached", "--name-only"]),
        "articles/2015/09/24/notes.txt\n"
    );
    git(&root, &["commit", "-q", "-m", "notes two"]);
    assert_eq!(git(&root, &["ls-tree", "-r", "HEAD"]), index_as_tree(&root));
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
    assert!(git(&root, &["show", "HEAD:articles/2015/09/24/notes.txt"]).contains("two"));
    assert!(git(&root, &["show", &format!("HEAD:{DRAFT_PATH}")]).contains("urgency = 3"));
    assert_fsck_clean(&root);
}

#[test]
fn a_refused_new_leaves_no_folder_and_stray_journals_are_removed() {
    let (_dir, root) = demo();
    std::fs::write(root.join(".git/news-journal.json.4000000.tmp"), "").unwrap();
    let hooks = root.join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::write(hooks.join("pre-commit"), "#!/bin/sh\nexit 1\n").unwrap();
    std::fs::set_permissions(
        hooks.join("pre-commit"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let output = news_as_reporter(&root)
        .args(["new", "--headline", "Refused", "--genre", "news"])
        .args(["--created", "2044-04-04T10:00:00+03:00"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(!root.join("articles/2044").exists());
    assert_no_leftovers(&root);
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}

#[test]
fn a_record_with_merge_conflicts_is_refused_as_such() {
    let (_dir, root) = demo();
    let path = root.join(DRAFT_PATH);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("headline = ", "headline = \"Mine\"\n# "),
    )
    .unwrap();
    git(&root, &["stash", "-q"]);
    std::fs::write(
        &path,
        text.replace("headline = ", "headline = \"Theirs\"\n# "),
    )
    .unwrap();
    git(&root, &["commit", "-q", "-am", "theirs"]);
    let popped = Command::new("git")
        .args(["stash", "pop"])
        .current_dir(&root)
        .env("HOME", &root)
        .output()
        .unwrap();
    assert!(!popped.status.success(), "the stash pop conflicts");
    let output = set(&root, "urgency=3");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("merge conflicts"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn entries_news_writes_keep_their_size_even_when_racily_clean() {
    // The demo makes its commits within a second or two: every entry is
    // racily clean when the next index is written. git checks such
    // entries' content and smudges only the changed ones; so does news.
    let (_dir, root) = demo();
    let listed = git(&root, &["ls-files", "--debug"]);
    assert!(!listed.contains("size: 0\t"), "{listed}");
    assert!(!listed.contains("size: 0\n"), "{listed}");
}

#[test]
fn a_commit_is_not_reapplied_on_a_tip_whose_settings_changed_meanwhile() {
    let (dir, root) = demo();
    let (in_hook, go) = (dir.path().join("in-hook"), dir.path().join("go"));
    let hook = root.join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\ntouch '{}'\nwhile [ ! -f '{}' ]; do sleep 0.05; done\n",
            in_hook.display(),
            go.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let tagging = support::process_as(
        env!("CARGO_BIN_EXE_news"),
        &root,
        ("K", "k@newsroom.example"),
    )
    .args(["tag", DRAFT, "+Politics"])
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let started = Instant::now();
    while !in_hook.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the hook never ran"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Meanwhile, a commit made without the index drops the tag from the
    // vocabulary and moves the branch.
    let vocabulary = git(&root, &["show", "HEAD:schema/tags.toml"])
        .replace("[[tag]]\nname = \"Politics\"\n", "");
    let scratch = dir.path().join("vocabulary.toml");
    std::fs::write(&scratch, vocabulary).unwrap();
    let blob = git(&root, &["hash-object", "-w", scratch.to_str().unwrap()]);
    let index = dir.path().join("scratch-index");
    let with_index = |args: &[&str]| {
        let output = Command::new("git")
            .args(args)
            .current_dir(&root)
            .env("GIT_INDEX_FILE", &index)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    };
    with_index(&["read-tree", "HEAD"]);
    let cacheinfo = format!("100644,{},schema/tags.toml", blob.trim());
    with_index(&["update-index", "--cacheinfo", &cacheinfo]);
    let tree = with_index(&["write-tree"]);
    let other = git(
        &root,
        &["commit-tree", &tree, "-p", "HEAD", "-m", "Drop Politics"],
    );
    git(&root, &["update-ref", "refs/heads/main", other.trim()]);
    std::fs::write(&go, "").unwrap();
    let output = tagging.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("schema was changed by commit"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        head(&root).trim(),
        other.trim(),
        "nothing was committed on it"
    );
    let valid = support::run(&root, &["validate", "--rev", "HEAD"]);
    assert_eq!(valid.status.code(), Some(0), "{}", stderr(&valid));
    assert_fsck_clean(&root);
}
