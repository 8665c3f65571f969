//! A repository made with the git command line, for the git layer's
//! tests: it lives at `<sandbox>/repo`, and the sandbox is also HOME for
//! the git commands run there, so the machine's configuration stays out.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(super) struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    /// A repository on branch main with one commit of `file`.
    pub(super) fn new(file: &str, content: &str) -> Sandbox {
        let sandbox = Self::unborn();
        std::fs::write(sandbox.top().join(file), content).expect("write the first file");
        sandbox.git(&["add", file]);
        sandbox.git(&["commit", "-q", "-m", "first"]);
        sandbox
    }

    /// A repository on an unborn branch main.
    pub(super) fn unborn() -> Sandbox {
        let sandbox = Sandbox {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        sandbox.git_in(sandbox.dir.path(), &["init", "-q", "-b", "main", "repo"]);
        sandbox
    }

    /// The sandbox itself: HOME for the git commands.
    pub(super) fn home(&self) -> &Path {
        self.dir.path()
    }

    pub(super) fn top(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    /// A path in the sandbox, beside the repository.
    pub(super) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs git in the repository; panics when it fails. Its stdout.
    pub(super) fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.top(), args)
    }

    pub(super) fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let output = git_command(self.dir.path(), dir)
            .args(args)
            .output()
            .expect("run git");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    pub(super) fn git_output(&self, args: &[&str]) -> Output {
        git_command(self.dir.path(), &self.top())
            .args(args)
            .output()
            .expect("run git")
    }

    pub(super) fn repo(&self) -> git2::Repository {
        git2::Repository::open(self.top()).expect("open the repository")
    }

    /// The configuration of the repository at `top` alone, without the
    /// machine's.
    pub(super) fn local_config_at(top: &Path) -> git2::Config {
        let repo = git2::Repository::open(top).expect("open the repository");
        let mut config = git2::Config::new().expect("a configuration");
        config
            .add_file(
                &repo.commondir().join("config"),
                git2::ConfigLevel::Local,
                false,
            )
            .expect("read the repository's configuration");
        config
    }
}

/// git, run in `dir` with `home` as HOME and a fixed identity.
pub(super) fn git_command(home: &Path, dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    command
}
