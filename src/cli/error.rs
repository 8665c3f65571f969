//! The one place errors become what the user sees: `error: …`, its causes,
//! a `hint: …`, and the exit code.

use std::process::ExitCode;

use news::editorial::DeskError;
use news::git::GitError;
use news::newsroom::ConfigError;
use news::validate::ValidateError;

#[derive(Debug)]
pub struct CommandError {
    message: String,
    causes: Vec<String>,
    hint: Option<String>,
    /// Shown before the message: the findings of a refused change.
    details: Option<String>,
    code: u8,
    broken_pipe: bool,
    /// The file the message names by its absolute path, to be named as
    /// people are shown paths (relative to the current folder).
    names: Option<Box<std::path::Path>>,
}

impl CommandError {
    /// Exit 2: the command line was wrong.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(message, 2)
    }

    /// Exit 2: the newsroom's settings or the environment are wrong.
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(message, 2)
    }

    fn new(message: impl Into<String>, code: u8) -> Self {
        Self {
            message: message.into(),
            causes: Vec::new(),
            hint: None,
            details: None,
            code,
            broken_pipe: false,
            names: None,
        }
    }

    /// The same error with the absolute path of the file it names given
    /// as `names` gives it.
    pub fn with_paths_for(mut self, names: &news::paths::PathNames) -> Self {
        if let Some(path) = self.names.take() {
            let shown = names.name(&path);
            self.message =
                self.message
                    .replacen(&path.display().to_string(), &shown.display().to_string(), 1);
        }
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    fn with_causes_of(mut self, error: &dyn std::error::Error) -> Self {
        self.causes.push(error.to_string());
        self.with_causes(error)
    }

    fn with_causes(mut self, error: &dyn std::error::Error) -> Self {
        let mut source = error.source();
        while let Some(cause) = source {
            self.causes.push(cause.to_string());
            source = cause.source();
        }
        self
    }

    /// Exit 1: the action was refused.
    pub fn refused(message: impl Into<String>) -> Self {
        Self::new(message, 1)
    }

    /// The same error, told with `message` (its details, hint and exit
    /// code kept).
    pub fn retold(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    pub fn with_details(mut self, details: String) -> Self {
        self.details = Some(details);
        self
    }

    pub fn details(&self) -> Option<&str> {
        self.details.as_deref()
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn causes(&self) -> &[String] {
        &self.causes
    }

    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }

    pub fn is_broken_pipe(&self) -> bool {
        self.broken_pipe
    }
}

impl From<std::io::Error> for CommandError {
    fn from(error: std::io::Error) -> Self {
        let broken_pipe = error.kind() == std::io::ErrorKind::BrokenPipe;
        Self {
            broken_pipe,
            ..Self::config(format!("cannot write the output: {error}"))
        }
    }
}

impl From<serde_json::Error> for CommandError {
    fn from(error: serde_json::Error) -> Self {
        match error.io_error_kind() {
            Some(kind) => std::io::Error::from(kind).into(),
            None => Self::refused(format!("cannot write JSON: {error}")),
        }
    }
}

impl From<ConfigError> for CommandError {
    fn from(error: ConfigError) -> Self {
        let hint = match &error {
            ConfigError::Read { .. } => "check that the file exists and can be read",
            ConfigError::Syntax { .. } | ConfigError::Invalid { .. } => {
                "fix the file; `news init` writes working defaults, and schema/README.md in news's own repository documents them"
            }
            ConfigError::TooOld { .. } => {
                "install a newer news: `cargo install --path .` in an up-to-date checkout of news"
            }
        };
        let names = error.path().is_absolute().then(|| error.path().into());
        Self {
            names,
            ..Self::config(error.to_string())
                .with_causes(&error)
                .with_hint(hint)
        }
    }
}

impl From<ValidateError> for CommandError {
    fn from(error: ValidateError) -> Self {
        match error {
            ValidateError::NoNewsroom { .. } => Self::usage(error.to_string()).with_hint(
                "run it inside a newsroom, name the files to check (`news validate FILE…`), or create a newsroom with `news init`",
            ),
            ValidateError::NoSuchPath { .. } => Self::usage(error.to_string()),
            ValidateError::Config(error) => error.into(),
            ValidateError::Walk(ref walk) => Self::config(error.to_string()).with_causes(walk),
            ValidateError::Snapshot(error) => DeskError::from(error).into(),
        }
    }
}

impl From<GitError> for CommandError {
    fn from(error: GitError) -> Self {
        let refused = || Self::refused(error.to_string()).with_causes(&error);
        let config = || Self::config(error.to_string()).with_causes(&error);
        match &error {
            GitError::NoIdentity => config().with_hint(
                "tell git who you are: git config --global user.name \"Your Name\" and git config --global user.email you@example.com",
            ),
            GitError::BadDate { .. } => config(),
            GitError::UnknownRevision { shallow: true, .. } => Self::usage(error.to_string()).with_hint(
                "the history before this clone's first commit is not here: `git fetch --unshallow` (in CI, check out with the whole history, e.g. fetch-depth: 0)",
            ),
            GitError::NotACommit { .. } => Self::usage(error.to_string())
                .with_hint("give a commit, a branch or a tag of a commit; `git log --oneline` lists the commits"),
            GitError::UnknownRevision { .. } => Self::usage(error.to_string()).with_hint(
                "`git log --oneline` lists the commits; a branch of another repository may need `git fetch` first",
            ),
            GitError::NotARepository { .. } => config()
                .with_hint("run `news init` in the folder, or `git init` and then `news init`"),
            GitError::NotOwned { path, .. } => config().with_hint(format!(
                "if you trust it: git config --global --add safe.directory {}",
                path.display()
            )),
            GitError::PermissionDenied { .. } => {
                refused().with_hint("check the permissions of the repository's files")
            }
            GitError::Damaged { .. } => refused().with_hint(
                "`git fsck` names the damaged objects; restore them from a clone or a backup of the repository",
            ),
            GitError::DiskFull { .. } => {
                refused().with_hint("free some space on the disk and run the command again; nothing was committed")
            }
            GitError::Conflict { .. } => refused()
                .with_hint("look at the other change with `git show`, then run the command again"),
            GitError::Busy { .. } => refused()
                .with_hint("another git or news command is running; wait for it and try again"),
            GitError::Locked { path, .. } => refused().with_hint(format!(
                "if no git command is running (a `git commit` may be waiting for its editor), remove it: rm {}",
                path.display()
            )),
            GitError::Detached { .. } => refused().with_hint(
                "switch to a branch first: `git switch <branch>`, or `git switch -c <new-branch>` to keep this commit",
            ),
            GitError::InProgress { operation } => refused().with_hint(match *operation {
                "merge" => "finish it (`git commit`) or abort it (`git merge --abort`) first",
                "rebase" => "finish it (`git rebase --continue`) or abort it (`git rebase --abort`) first",
                "cherry-pick" => "finish it (`git cherry-pick --continue`) or abort it (`git cherry-pick --abort`) first",
                "revert" => "finish it (`git revert --continue`) or abort it (`git revert --abort`) first",
                "bisect" => "end it with `git bisect reset` first",
                _ => "finish it (`git am --continue`) or abort it (`git am --abort`) first",
            }),
            GitError::Uncommitted {
                state: news::git::Pending::Conflicted,
                ..
            } => refused().with_hint("resolve the conflict and commit it with git first"),
            GitError::Uncommitted { path, .. } if is_setting(path) => {
                refused().with_hint(format!(
                    "commit them with `git commit {path}`, or discard them with `git restore {path}`; news checks records against the committed settings"
                ))
            }
            GitError::Uncommitted { .. } => refused().with_hint(
                "commit them with `news commit` (it checks the record and adds the trailers), or discard them with `git restore` (`git status` shows them)",
            ),
            GitError::Hook(
                news::git::HookError::Changed { .. }
                | news::git::HookError::Unstaged { .. }
                | news::git::HookError::Restaged { .. },
            ) => refused().with_hint(
                "nothing was committed; what the hook wrote in a file is left there (`git status` shows it, `git restore` discards it); let the hook only reformat, or skip it with --no-verify",
            ),
            GitError::Hook(_) => refused().with_hint("fix what the hook says, or skip the hooks with --no-verify"),
            GitError::Bare { .. } | GitError::NotAFile { .. } | GitError::BehindLink { .. } => {
                config()
            }
            GitError::Sign(_)
            | GitError::Index(_)
            | GitError::Git { .. }
            | GitError::Io { .. } => refused(),
        }
    }
}

impl From<DeskError> for CommandError {
    fn from(error: DeskError) -> Self {
        match error {
            DeskError::NoNewsroom { .. } => Self::usage(error.to_string())
                .with_hint("run it inside a newsroom, or create one with `news init`"),
            DeskError::NoRepository { .. } => {
                Self::config(error.to_string()).with_hint("run `git init` in the newsroom's folder")
            }
            DeskError::NoSuchArticle { .. } | DeskError::NoSuchRecord { .. } => {
                Self::refused(error.to_string())
                    .with_hint("`news list` shows the newsroom's articles")
            }
            DeskError::UnknownTag { .. } => Self::refused(error.to_string()).with_hint(
                "`news tags` lists the vocabulary; a new topic joins it with `news tag … --new` or `news tags add`",
            ),
            DeskError::Ambiguous { .. } => Self::refused(error.to_string()).with_hint(
                "ids are unique in a newsroom: `news validate` reports the duplicate-id; rename one record",
            ),
            DeskError::ChangedMeanwhile { .. } => Self::refused(error.to_string()).with_hint(
                "nothing was committed; run the command again: it reads the other commit's version",
            ),
            DeskError::FieldChangedMeanwhile { .. }
            | DeskError::IdTaken { .. }
            | DeskError::Guarded { .. }
            | DeskError::NotNow { .. }
            | DeskError::Refused(_) => Self::refused(error.to_string()),
            DeskError::TooEarly { .. } => Self::refused(error.to_string())
                .with_hint("check the record's times and the computer's clock"),
            DeskError::Embargoed { .. } => Self::refused(error.to_string()).with_hint(
                "publish it once the embargo has passed (`news publish --due` does, for a scheduled job); a time given with --at is at or after it",
            ),
            DeskError::Invalid { ref findings } => {
                Self::refused(format!("{error}; nothing was written"))
                    .with_details(rendered(findings))
            }
            DeskError::Unreadable { ref findings } => {
                Self::refused(error.to_string()).with_details(rendered(findings))
            }
            DeskError::Assignment(ref assignment) => Self::usage(assignment.to_string()),
            DeskError::Usage(message) => Self::usage(message),
            DeskError::Config(error) => error.into(),
            DeskError::Git(error) => error.into(),
            DeskError::Walk(ref walk) => Self::refused(error.to_string()).with_causes(walk),
            DeskError::Write { ref source, .. } => {
                let message = error.to_string();
                Self::refused(message).with_causes_of(source)
            }
        }
    }
}

/// Findings as the text format writes them, uncoloured, for the details
/// of an error.
fn rendered(findings: &[news::schema::Finding]) -> String {
    let mut rendered = anstream::StripStream::new(Vec::new());
    let _ = super::findings::write(&mut rendered, super::findings::Format::Text, findings);
    String::from_utf8_lossy(&rendered.into_inner()).into_owned()
}

/// Whether `path` is one of a newsroom's settings files, which `news
/// commit` does not commit (it commits records).
fn is_setting(path: &str) -> bool {
    let path = path.replace('\\', "/");
    [
        news::schema::TAGS_PATH,
        news::schema::ARTICLE_SCHEMA_PATH,
        news::newsroom::CONFIG_FILE,
    ]
    .iter()
    .any(|setting| path == *setting || path.ends_with(&format!("/{setting}")))
}
