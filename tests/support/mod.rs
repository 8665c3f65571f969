//! Shared helpers for the end-to-end tests: the real binary, run in
//! temporary folders with a cleared environment.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The project's own folder, where the fixtures and examples are.
pub fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `news` with an environment that holds nothing of the user's.
pub fn news(cwd: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_news"));
    command
        .current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", cwd)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("TZ", "UTC")
        .env("LC_ALL", "C.UTF-8");
    command
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Runs `news validate --format json ARGS` and returns the exit code and
/// the parsed findings.
pub fn validate_json(cwd: &Path, args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let output = news(cwd)
        .arg("validate")
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("news runs");
    let findings: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is JSON ({error}): {}\nstderr: {}",
                stdout(&output),
                stderr(&output)
            )
        });
    let findings = findings.as_array().expect("an array of findings").clone();
    (output.status.code().expect("exited"), findings)
}

/// A newsroom in a temporary folder: `news.toml` and the given articles.
pub struct TempNewsroom {
    pub dir: tempfile::TempDir,
}

pub const NEWS_TOML: &str = r#"[newsroom]
name = "Test Desk"
source = "TASS"
timezone = "Europe/Moscow"
language = "en"
"#;

impl TempNewsroom {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::write(dir.path().join("news.toml"), NEWS_TOML).expect("write news.toml");
        Self { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` to `relative` below the root, making folders.
    pub fn write(&self, relative: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("make folders");
        std::fs::write(&path, text).expect("write file");
        path
    }

    /// Writes a valid article with `id`, created on 2015-09-`day`.
    pub fn article(&self, id: &str, day: u32) -> PathBuf {
        self.write(
            &format!("articles/2015/09/{day:02}/{id}.toml"),
            article(id, day),
        )
    }
}

/// A valid published news article.
pub fn article(id: &str, day: u32) -> String {
    format!(
        r#"id = "{id}"
headline = "Kishida arrives in Moscow"
genre = "news"
status = "published"
byline = ["TASS"]
language = "en"
created = 2015-09-{day:02}T09:40:00+03:00
published = 2015-09-{day:02}T09:55:00+03:00
tags = ["Japan", "Russia"]
body = """
Japanese Foreign Minister Fumio Kishida has arrived in Moscow.
"""
"#
    )
}

/// The identity the git tests commit as.
pub const AUTHOR: (&str, &str) = ("Alexandrova Lyudmila", "l.alexandrova@newsroom.example");

/// `news` with a pinned identity, as a reporter's shell would have it.
pub fn news_as_reporter(cwd: &Path) -> Command {
    let mut command = news(cwd);
    command
        .env("GIT_AUTHOR_NAME", AUTHOR.0)
        .env("GIT_AUTHOR_EMAIL", AUTHOR.1)
        .env("GIT_COMMITTER_NAME", AUTHOR.0)
        .env("GIT_COMMITTER_EMAIL", AUTHOR.1)
        .timeout(std::time::Duration::from_secs(60));
    command
}

/// Runs the `git` command line in `dir` with the user's configuration kept
/// out; panics when it fails. Returns its stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Plain Git")
        .env("GIT_AUTHOR_EMAIL", "plain@git.example")
        .env("GIT_COMMITTER_NAME", "Plain Git")
        .env("GIT_COMMITTER_EMAIL", "plain@git.example")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("git prints UTF-8")
}

/// A newsroom made by `news init` in a new repository.
pub fn initialized_newsroom() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    news_as_reporter(dir.path()).arg("init").assert().success();
    dir
}

/// `git fsck --strict` finds no fault. Dangling objects are no fault: a
/// commit re-applied on a moved tip leaves its first try behind, as git's
/// own commands leave theirs, for `git gc`.
pub fn assert_fsck_clean(dir: &Path) {
    assert_fsck(dir, &["--no-dangling"]);
}

/// `git fsck --strict` finds nothing at all, not even dangling objects.
pub fn assert_fsck_spotless(dir: &Path) {
    assert_fsck(dir, &[]);
}

fn assert_fsck(dir: &Path, extra: &[&str]) {
    let output = std::process::Command::new("git")
        .args(["fsck", "--strict", "--no-progress"])
        .args(extra)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git fsck failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "",
        "git fsck reports something"
    );
}

/// `program`, run in `dir` as `who` with the user's configuration kept
/// out, for tests that start and watch processes themselves.
pub fn process_as(
    program: impl AsRef<std::ffi::OsStr>,
    dir: &Path,
    who: (&str, &str),
) -> std::process::Command {
    let mut command = std::process::Command::new(program);
    command
        .current_dir(dir)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", who.0)
        .env("GIT_AUTHOR_EMAIL", who.1)
        .env("GIT_COMMITTER_NAME", who.0)
        .env("GIT_COMMITTER_EMAIL", who.1);
    command
}

/// The demo newsroom in a temporary folder: the folder, and the newsroom's
/// root inside it.
pub fn demo_newsroom() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    news(dir.path())
        .args(["init", "--demo", "demo"])
        .assert()
        .success();
    let root = dir.path().join("demo");
    (dir, root)
}

/// An editor for `$EDITOR`: a shell script in `dir` that runs `script`
/// with the file to edit as `$1`. Returns its path.
pub fn editor_script(dir: &Path, script: &str) -> PathBuf {
    let path = dir.join("editor.sh");
    std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).expect("write the editor");
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("make the editor executable");
    path
}

/// The demo newsroom's articles that tests work on.
pub mod demo {
    /// The founding article: published, an opinion piece.
    pub const FOUNDING: &str = "analysts-russian-japanese-relations-show-signs-of-thawing";
    pub const FOUNDING_PATH: &str =
        "articles/2015/09/23/analysts-russian-japanese-relations-show-signs-of-thawing.toml";
    /// A draft.
    pub const DRAFT: &str = "kuzminkov-on-the-economic-track";
    pub const DRAFT_PATH: &str = "articles/2015/09/24/kuzminkov-on-the-economic-track.toml";
}

/// `news` as the reporter in `cwd`, run to its end.
pub fn run(cwd: &Path, args: &[&str]) -> Output {
    news_as_reporter(cwd).args(args).output().unwrap()
}

/// Replaces `from` with `to` in the file at `path`, as a hand edit would;
/// panics when `from` is not there.
pub fn rewrite(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read the record");
    assert!(text.contains(from), "{from:?} is not in {}", path.display());
    std::fs::write(path, text.replace(from, to)).expect("write the record");
}

/// The commit HEAD names in the repository at `dir`.
pub fn head(dir: &Path) -> String {
    git(dir, &["rev-parse", "HEAD"])
}

/// A bare clone of the repository at `root`, made at `bare`.
pub fn bare_clone(root: &Path, bare: &Path) -> PathBuf {
    let parent = bare.parent().expect("a folder for the clone");
    git(
        parent,
        &[
            "clone",
            "-q",
            "--bare",
            root.to_str().unwrap(),
            bare.to_str().unwrap(),
        ],
    );
    bare.to_owned()
}

/// Kills a running news command, for the crash tests. Even rounds kill
/// after a random part of `span` (about one command's run), anywhere in
/// it; odd rounds wait for the command's journal to appear and kill then,
/// after a random part of a tenth of `span`, so that some kills land while
/// it writes however fast this machine is. Returns whether the kill left
/// the journal behind, that is, landed in the middle of a commit.
pub fn kill_at_random(
    child: &mut std::process::Child,
    root: &Path,
    round: usize,
    seed: &mut u64,
    span: std::time::Duration,
) -> bool {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    let span = span.as_micros() as u64;
    let journal = root.join(".git/news-journal.json");
    if round.is_multiple_of(2) {
        std::thread::sleep(std::time::Duration::from_micros(*seed % (span + 1)));
    } else {
        while !journal.exists() {
            if child.try_wait().unwrap().is_some() {
                return journal.exists();
            }
        }
        std::thread::sleep(std::time::Duration::from_micros(*seed % (span / 10 + 1)));
    }
    let _ = child.kill();
    let _ = child.wait();
    journal.exists()
}
