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
