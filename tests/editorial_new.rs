//! `news new`: flags, defaults, ids, and git behaviour (DESIGN.md §5).

mod support;

use std::path::Path;

use support::{
    AUTHOR, assert_fsck_clean, git, initialized_newsroom, news, news_as_reporter, stderr, stdout,
};

fn new_article(dir: &Path, headline: &str) -> String {
    let output = news_as_reporter(dir)
        .args([
            "new",
            "--headline",
            headline,
            "--genre",
            "news",
            "--created",
            "2015-09-23T18:02:00+03:00",
        ])
        .args(["--tag", "Japan", "--place", "MOSCOW", "--body-file", "-"])
        .write_stdin("The dialogue between Russia and Japan has resumed.\n")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn new_writes_and_commits_the_record_and_prints_its_path() {
    let dir = initialized_newsroom();
    let path = new_article(dir.path(), "Kishida arrives in Moscow");
    assert_eq!(path, "articles/2015/09/23/kishida-arrives-in-moscow.toml\n");
    let text = std::fs::read_to_string(dir.path().join(path.trim())).unwrap();
    assert_eq!(
        text,
        r#"id = "kishida-arrives-in-moscow"
headline = "Kishida arrives in Moscow"
genre = "news"
status = "draft"
byline = ["Alexandrova Lyudmila"]
language = "en"
created = 2015-09-23T18:02:00+03:00
tags = ["Japan"]
body = """
The dialogue between Russia and Japan has resumed.
"""

[dateline]
place = "MOSCOW"
date = 2015-09-23
"#
    );
    let log = git(
        dir.path(),
        &[
            "log",
            "-1",
            "--format=%an <%ae>|%s|%(trailers:key=News-Action,valueonly,separator=)|%(trailers:key=News-Id,valueonly,separator=)",
        ],
    );
    assert_eq!(
        log,
        format!(
            "{} <{}>|new: Kishida arrives in Moscow|new|kishida-arrives-in-moscow\n",
            AUTHOR.0, AUTHOR.1
        )
    );
    // The trailers are real trailers to git.
    let message = git(dir.path(), &["log", "-1", "--format=%B"]);
    let trailers = std::process::Command::new("git")
        .args(["interpret-trailers", "--parse"])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(message.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&trailers.stdout),
        "News-Id: kishida-arrives-in-moscow\nNews-Action: new\n"
    );
    assert_eq!(
        git(dir.path(), &["show", "--name-only", "--format=", "HEAD"]),
        path
    );
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "");
    support::assert_fsck_spotless(dir.path());
}

#[test]
fn new_leaves_the_users_staged_and_unstaged_work_exactly_as_it_was() {
    let dir = initialized_newsroom();
    let root = dir.path();
    std::fs::write(root.join("notes.txt"), "staged line\n").unwrap();
    git(root, &["add", "notes.txt"]);
    std::fs::write(root.join("notes.txt"), "staged line\nunstaged line\n").unwrap();
    std::fs::write(
        root.join("news.toml"),
        format!(
            "{}# a local note\n",
            std::fs::read_to_string(root.join("news.toml")).unwrap()
        ),
    )
    .unwrap();
    std::fs::write(root.join("scratch.txt"), "untracked\n").unwrap();
    let status_before = git(root, &["status", "--porcelain"]);
    let staged_before = git(root, &["diff", "--cached"]);
    let unstaged_before = git(root, &["diff"]);
    let path = new_article(root, "Lavrov meets Kishida");
    assert_eq!(git(root, &["status", "--porcelain"]), status_before);
    assert_eq!(git(root, &["diff", "--cached"]), staged_before);
    assert_eq!(git(root, &["diff"]), unstaged_before);
    assert_eq!(
        git(root, &["show", "--name-only", "--format=", "HEAD"]),
        path
    );
    assert_eq!(
        status_before,
        " M news.toml\nAM notes.txt\n?? scratch.txt\n"
    );
    assert_fsck_clean(root);
}

#[test]
fn ids_are_unique_slugs_and_an_explicit_id_must_be_free() {
    let dir = initialized_newsroom();
    assert_eq!(
        new_article(dir.path(), "Talks resume"),
        "articles/2015/09/23/talks-resume.toml\n"
    );
    assert_eq!(
        new_article(dir.path(), "Talks resume!"),
        "articles/2015/09/23/talks-resume-2.toml\n"
    );
    let output = news_as_reporter(dir.path())
        .args([
            "new",
            "--headline",
            "Other",
            "--genre",
            "news",
            "--id",
            "talks-resume",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("taken"), "{}", stderr(&output));
}

#[test]
fn defaults_come_from_news_toml_and_the_identity() {
    let dir = initialized_newsroom();
    let output = news_as_reporter(dir.path())
        .args([
            "new",
            "--headline",
            "Why the thaw matters",
            "--genre",
            "opinion",
            "--created",
            "2015-09-23T23:30:00+00:00",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    // The newsroom's zone is UTC: the folder is the 23rd.
    let path = stdout(&output);
    assert_eq!(path, "articles/2015/09/23/why-the-thaw-matters.toml\n");
    let text = std::fs::read_to_string(dir.path().join(path.trim())).unwrap();
    assert!(
        text.contains("disclaimer = \"The views expressed are the author's own\""),
        "{text}"
    );
    assert!(
        text.contains("byline = [\"Alexandrova Lyudmila\"]"),
        "{text}"
    );
}

#[test]
fn a_missing_value_without_a_terminal_names_each_flag_and_does_not_wait() {
    let dir = initialized_newsroom();
    let output = news_as_reporter(dir.path())
        .args(["new", "--byline", "X"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).lines().next().unwrap(),
        "error: missing headline (give it with --headline), genre (give it with --genre)"
    );
    assert_eq!(git(dir.path(), &["rev-list", "--count", "HEAD"]), "1\n");
}

#[test]
fn an_invalid_draft_writes_and_commits_nothing() {
    let dir = initialized_newsroom();
    let output = news_as_reporter(dir.path())
        .args([
            "new",
            "--headline",
            "Tags",
            "--genre",
            "news",
            "--tag",
            "Kurils islands",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("error[unknown-tag]"), "{text}");
    assert!(text.contains("did you mean \"Kuril Islands\"?"), "{text}");
    assert!(!dir.path().join("articles").exists());
    assert_eq!(git(dir.path(), &["rev-list", "--count", "HEAD"]), "1\n");
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "");
}

#[test]
fn aliases_are_written_as_the_tag_name() {
    let dir = initialized_newsroom();
    let output = news_as_reporter(dir.path())
        .args([
            "new",
            "--headline",
            "Islands",
            "--genre",
            "news",
            "--tag",
            "Kurils",
            "--tag",
            "Kuril Islands",
        ])
        .output()
        .unwrap();
    let text = std::fs::read_to_string(dir.path().join(stdout(&output).trim())).unwrap();
    assert!(text.contains("tags = [\"Kuril Islands\"]"), "{text}");
}

#[test]
fn identity_comes_from_the_environment_first_then_the_config() {
    let dir = initialized_newsroom();
    git(dir.path(), &["config", "user.name", "Config Name"]);
    git(
        dir.path(),
        &["config", "user.email", "config@newsroom.example"],
    );
    news(dir.path())
        .args(["new", "--headline", "From config", "--genre", "news"])
        .assert()
        .success();
    assert_eq!(
        git(dir.path(), &["log", "-1", "--format=%an <%ae>|%cn"]),
        "Config Name <config@newsroom.example>|Config Name\n"
    );
    news(dir.path())
        .args([
            "new",
            "--headline",
            "From the environment",
            "--genre",
            "news",
        ])
        .env("GIT_AUTHOR_NAME", "Env Author")
        .env("GIT_AUTHOR_EMAIL", "env@newsroom.example")
        .env("GIT_AUTHOR_DATE", "2015-09-23T18:02:00+03:00")
        .assert()
        .success();
    assert_eq!(
        git(dir.path(), &["log", "-1", "--format=%an <%ae>|%cn|%aI"]),
        "Env Author <env@newsroom.example>|Config Name|2015-09-23T18:02:00+03:00\n"
    );
}

#[test]
fn works_from_a_subfolder_and_in_a_linked_worktree() {
    let dir = initialized_newsroom();
    let root = dir.path();
    std::fs::create_dir_all(root.join("schema/deep")).unwrap();
    let path = new_article(&root.join("schema/deep"), "From below");
    // The path printed is relative to the folder news ran in, as git
    // prints paths for people.
    assert_eq!(path, "../../articles/2015/09/23/from-below.toml\n");
    assert!(root.join("schema/deep").join(path.trim()).is_file());

    let worktree = tempfile::tempdir().unwrap();
    let worktree = worktree.path().join("wt");
    git(
        root,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "desk-b",
            worktree.to_str().unwrap(),
        ],
    );
    let path = new_article(&worktree, "From a worktree");
    assert_eq!(
        git(&worktree, &["show", "--name-only", "--format=%s", "HEAD"]),
        format!("new: From a worktree\n\n{path}")
    );
    assert_eq!(
        git(root, &["log", "-1", "--format=%s", "main"]),
        "new: From below\n"
    );
    assert_eq!(git(&worktree, &["status", "--porcelain"]), "");
    assert_fsck_clean(root);
}

/// `news new --headline HEADLINE --genre news`, started in `root` and left
/// running.
fn spawn_new(root: &Path, headline: &str) -> std::process::Child {
    support::process_as(env!("CARGO_BIN_EXE_news"), root, AUTHOR)
        .args(["new", "--headline", headline, "--genre", "news"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("news starts")
}

#[test]
fn twenty_concurrent_news_new_give_twenty_commits_and_records() {
    let dir = initialized_newsroom();
    let root = dir.path().to_owned();
    let children: Vec<std::process::Child> = (0..20)
        .map(|number| spawn_new(&root, &format!("Concurrent story {number}")))
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(git(&root, &["rev-list", "--count", "HEAD"]), "21\n");
    let tracked = git(&root, &["ls-files", "articles"]);
    assert_eq!(tracked.lines().count(), 20, "{tracked}");
    let on_disk = std::fs::read_dir(root.join(tracked.lines().next().unwrap()).parent().unwrap())
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|extension| extension == "toml")
        })
        .count();
    assert_eq!(on_disk, 20);
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
    assert_fsck_clean(&root);
}

#[test]
fn news_and_plain_git_commit_side_by_side_without_losing_either() {
    let dir = initialized_newsroom();
    let root = dir.path().to_owned();
    let mut children = Vec::new();
    for number in 0..8 {
        children.push(spawn_new(&root, &format!("Story {number}")));
        std::fs::write(root.join(format!("page-{number}.txt")), "x\n").unwrap();
        children.push(
            support::process_as("sh", &root, ("Plain Git", "plain@git.example"))
                .arg("-c")
                .arg(format!(
                    // `git add` locks the index before it reads it; the
                    // commit is made with plumbing and a compare-and-swap
                    // of the branch, as a careful tool would. (`git commit`
                    // itself reads the index before it locks it, and can
                    // drop an entry another process adds in between.)
                    // git does not wait for a lock: it is retried here.
                    "for i in $(seq 1 100); do git add page-{number}.txt 2>/dev/null && break; sleep 0.02; done; \
                     for i in $(seq 1 50); do \
                       old=$(git rev-parse HEAD) && tree=$(git write-tree) && \
                       new=$(git commit-tree \"$tree\" -p \"$old\" -m 'page {number}') && \
                       git update-ref refs/heads/main \"$new\" \"$old\" 2>/dev/null && exit 0; \
                       sleep 0.02; \
                     done; exit 1"
                ))
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap(),
        );
    }
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(git(&root, &["rev-list", "--count", "HEAD"]), "17\n");
    assert_eq!(git(&root, &["ls-files", "articles"]).lines().count(), 8);
    assert_eq!(git(&root, &["ls-files", "page-*.txt"]).lines().count(), 8);
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
    assert_fsck_clean(&root);
}

/// Holds the lock file `lock` (relative to the top) for 400 ms while
/// `news new` runs, and returns the new article's path: news waits.
fn new_article_while_locked(root: &Path, lock: &str, headline: &str) -> String {
    let lock = root.join(lock);
    std::fs::write(&lock, "").unwrap();
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(400));
        std::fs::remove_file(lock).unwrap();
    });
    let path = new_article(root, headline);
    releaser.join().unwrap();
    assert_eq!(
        git(root, &["log", "-1", "--format=%s"]),
        format!("new: {headline}\n")
    );
    assert_eq!(git(root, &["ls-files", path.trim()]), path);
    assert_eq!(git(root, &["status", "--porcelain"]), "");
    assert_fsck_clean(root);
    path
}

#[test]
fn a_held_index_lock_is_waited_for() {
    let dir = initialized_newsroom();
    new_article_while_locked(dir.path(), ".git/index.lock", "Waited for the index");
}

#[test]
fn a_held_ref_lock_is_waited_for() {
    let dir = initialized_newsroom();
    new_article_while_locked(
        dir.path(),
        ".git/refs/heads/main.lock",
        "Waited for the branch",
    );
}
