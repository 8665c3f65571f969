//! Tests against the real git: repositories made with the git command line
//! in temporary folders, index files written by git, read and written by
//! news, then checked with git.

mod changes;
mod corrupt;
mod kinds;
mod round_trip;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::Index;

/// A repository made by `git init` in a temporary folder, with git's
/// configuration limited to what a test sets.
pub(super) struct Repo {
    root: tempfile::TempDir,
}

impl Repo {
    /// A repository on `main` with `files` (path, content) committed.
    pub(super) fn with_files(files: &[(&str, &str)]) -> Self {
        let repo = Self {
            root: tempfile::tempdir().expect("temporary folder"),
        };
        std::fs::create_dir(repo.work()).expect("work tree");
        repo.git(&["init", "-q", "-b", "main"]);
        for (path, content) in files {
            repo.write(path, content);
        }
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "Start"]);
        repo
    }

    /// A repository with a few folders of articles.
    pub(super) fn newsroom() -> Self {
        let mut files = Vec::new();
        for folder in ["articles/2024", "articles/2025", "desk", "photos/2025/06"] {
            for number in 0..6 {
                files.push((
                    format!("{folder}/item-{number}.toml"),
                    format!("n = {number}\n"),
                ));
            }
        }
        files.push(("README".into(), "newsroom\n".into()));
        let borrowed: Vec<(&str, &str)> = files
            .iter()
            .map(|(path, content)| (path.as_str(), content.as_str()))
            .collect();
        Self::with_files(&borrowed)
    }

    pub(super) fn work(&self) -> PathBuf {
        self.root.path().join("work")
    }

    pub(super) fn git_dir(&self) -> PathBuf {
        self.work().join(".git")
    }

    pub(super) fn index_path(&self) -> PathBuf {
        self.git_dir().join("index")
    }

    pub(super) fn write(&self, path: &str, content: &str) {
        let full = self.work().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(full, content).expect("file written");
    }

    /// git with only this repository's configuration; panics on failure.
    pub(super) fn git(&self, args: &[&str]) -> String {
        let output = self.run_git(args);
        assert!(
            output.status.success(),
            "git {args:?} failed ({}): {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    pub(super) fn run_git(&self, args: &[&str]) -> Output {
        Command::new("git")
            .args(args)
            .current_dir(self.work())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.root.path())
            .env("LC_ALL", "C")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Plain Git")
            .env("GIT_AUTHOR_EMAIL", "plain@git.example")
            .env("GIT_COMMITTER_NAME", "Plain Git")
            .env("GIT_COMMITTER_EMAIL", "plain@git.example")
            .output()
            .expect("git runs")
    }

    pub(super) fn read(&self) -> Index {
        Index::read(&self.git_dir(), &self.index_path()).expect("index reads")
    }

    pub(super) fn index_bytes(&self) -> Vec<u8> {
        std::fs::read(self.index_path()).expect("index file")
    }

    /// Writes `index` as the repository's index.
    pub(super) fn store(&self, index: &Index) {
        std::fs::write(self.index_path(), index.to_bytes()).expect("index written");
    }

    /// `git hash-object -w` of `path`, and the file's metadata.
    pub(super) fn hash(&self, path: &str) -> (git2::Oid, std::fs::Metadata) {
        let id = self.git(&["hash-object", "-w", "--", path]);
        let id = git2::Oid::from_str(id.trim()).expect("an object id");
        let metadata = std::fs::symlink_metadata(self.work().join(path)).expect("metadata");
        (id, metadata)
    }

    /// `git status --porcelain` as a sorted list of lines.
    pub(super) fn status(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .git(&["status", "--porcelain", "--untracked-files=all"])
            .lines()
            .map(str::to_owned)
            .collect();
        lines.sort();
        lines
    }

    /// The shared index files of a split index, with their content.
    pub(super) fn shared_indexes(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut found: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(self.git_dir())
            .expect("git dir")
            .filter_map(Result::ok)
            .filter(|entry| {
                entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with("sharedindex.")
            })
            .map(|entry| {
                let content = std::fs::read(entry.path()).expect("shared index");
                (entry.path(), content)
            })
            .collect();
        found.sort();
        found
    }
}

/// `index`'s entries as `git ls-files --stage` prints them.
pub(super) fn ls_files(index: &Index) -> String {
    let mut out = String::new();
    for entry in index.entries() {
        out.push_str(&format!(
            "{:06o} {} {}\t{}\n",
            entry.mode(),
            entry.id(),
            entry.stage(),
            String::from_utf8_lossy(entry.path())
        ));
    }
    out
}

/// The entries news read are the ones git lists.
pub(super) fn assert_entries_match_git(repo: &Repo, index: &Index) {
    let from_git = repo.git(&["ls-files", "--stage", "--sparse"]);
    assert_eq!(ls_files(index), from_git, "entries differ from git's");
}

/// The extension signatures in an index file, in order (walking the
/// extensions from the offset EOIE gives, or else after `entries_end`).
pub(super) fn signatures(bytes: &[u8], entries_end: usize) -> Vec<String> {
    let mut found = Vec::new();
    let mut at = entries_end;
    let limit = bytes.len() - 20;
    while at + 8 <= limit {
        found.push(String::from_utf8_lossy(&bytes[at..at + 4]).into_owned());
        let size = u32::from_be_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]);
        at += 8 + size as usize;
    }
    found
}

/// Where the extensions start in an index file news can read.
pub(super) fn entries_end(bytes: &[u8]) -> usize {
    let version = u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    let count = u32::from_be_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    let file: std::sync::Arc<[u8]> = bytes.into();
    let (_, end) = super::entry::read_entries(&file, 12, bytes.len() - 20, count, version)
        .expect("entries read");
    end
}

/// Asserts that news writes `repo`'s index back byte for byte, and that
/// what it read is what git lists.
pub(super) fn assert_round_trip(repo: &Repo) -> Index {
    let before = repo.index_bytes();
    let index = repo.read();
    assert_entries_match_git(repo, &index);
    let after = index.to_bytes();
    if after != before {
        let first = before
            .iter()
            .zip(&after)
            .position(|(a, b)| a != b)
            .unwrap_or(before.len().min(after.len()));
        panic!(
            "index written differs from git's: {} bytes against {}, first difference at {first}",
            after.len(),
            before.len()
        );
    }
    index
}

/// Whether the file at `path` has `signature` among its extensions.
pub(super) fn has_extension(path: &Path, signature: &[u8; 4]) -> bool {
    let bytes = std::fs::read(path).expect("index file");
    let end = entries_end(&bytes);
    signatures(&bytes, end)
        .iter()
        .any(|found| found.as_bytes() == signature)
}
