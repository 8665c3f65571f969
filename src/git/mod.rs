//! The only place that names git2. The rest of news sees [`Repo`],
//! [`CommitId`], [`Identity`] and [`GitError`].
//!
//! Commits are built from HEAD's tree plus the change, never from the
//! index, so a user's staged and unstaged work is never swept in (§5).

mod commit;
mod identity;
mod index;
mod lock;

use std::fmt;
use std::path::{Path, PathBuf};

pub use commit::FileChange;
pub use identity::{Identity, Signatures};
pub use lock::RepoLock;

/// A commit's id, as hex.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CommitId(String);

impl CommitId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn short(&self) -> &str {
        &self.0[..self.0.len().min(10)]
    }
}

impl fmt::Display for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{} is not in a git repository", path.display())]
    NotARepository { path: PathBuf },
    #[error(
        "no identity to commit as: neither GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL nor user.name and user.email are set"
    )]
    NoIdentity,
    #[error("{variable} is not a date git understands: {value:?}")]
    BadDate { variable: String, value: String },
    #[error("{} was changed by commit {commit} while this command ran", path)]
    Conflict { path: String, commit: String },
    #[error("{what} stayed locked for {seconds} seconds")]
    Busy { what: String, seconds: u64 },
    #[error("cannot {action}: {detail}")]
    Failed { action: String, detail: String },
}

impl GitError {
    fn failed(action: impl Into<String>, error: impl fmt::Display) -> Self {
        GitError::Failed {
            action: action.into(),
            detail: error.to_string(),
        }
    }
}

/// A git repository: a working tree with its `.git`, a linked worktree, or
/// a bare repository.
pub struct Repo {
    inner: git2::Repository,
}

impl Repo {
    /// The repository `start` is in (any subfolder, any linked worktree).
    pub fn discover(start: &Path) -> Result<Self, GitError> {
        git2::Repository::discover(start)
            .map(|inner| Self { inner })
            .map_err(|_| GitError::NotARepository {
                path: start.to_owned(),
            })
    }

    /// Creates a repository in `dir` on branch `main`.
    pub fn init(dir: &Path) -> Result<Self, GitError> {
        let mut options = git2::RepositoryInitOptions::new();
        options.initial_head("main").mkpath(true);
        git2::Repository::init_opts(dir, &options)
            .map(|inner| Self { inner })
            .map_err(|error| {
                GitError::failed(format!("create a repository in {}", dir.display()), error)
            })
    }

    /// The top of the working tree; none for a bare repository.
    pub fn workdir(&self) -> Option<&Path> {
        self.inner.workdir()
    }

    /// The content of `path` (relative to the top, `/`-separated) in the
    /// commit HEAD points at; none when HEAD is unborn or lacks the path.
    pub fn head_file(&self, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let Some(tree) = self.head_tree()? else {
            return Ok(None);
        };
        let entry = match tree.get_path(Path::new(path)) {
            Ok(entry) => entry,
            Err(error) if error.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(error) => return Err(GitError::failed(format!("read {path} at HEAD"), error)),
        };
        let blob = entry
            .to_object(&self.inner)
            .and_then(|object| object.peel_to_blob())
            .map_err(|error| GitError::failed(format!("read {path} at HEAD"), error))?;
        Ok(Some(blob.content().to_vec()))
    }

    /// The commit HEAD points at; none on an unborn branch.
    pub fn head_commit(&self) -> Result<Option<CommitId>, GitError> {
        Ok(self.head()?.map(|commit| CommitId(commit.id().to_string())))
    }

    fn head_tree(&self) -> Result<Option<git2::Tree<'_>>, GitError> {
        self.head()?
            .map(|commit| commit.tree())
            .transpose()
            .map_err(|error| GitError::failed("read the tree of HEAD", error))
    }

    fn head(&self) -> Result<Option<git2::Commit<'_>>, GitError> {
        match self.inner.head() {
            Ok(head) => head
                .peel_to_commit()
                .map(Some)
                .map_err(|error| GitError::failed("read HEAD", error)),
            Err(error)
                if matches!(
                    error.code(),
                    git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
                ) =>
            {
                Ok(None)
            }
            Err(error) => Err(GitError::failed("read HEAD", error)),
        }
    }

    /// Takes news's own lock on this repository (shared by all its
    /// worktrees), so that news commands commit one at a time. The lock is
    /// the kernel's: it goes when the process does, even on SIGKILL.
    pub fn lock(&self) -> Result<RepoLock, GitError> {
        RepoLock::acquire(&self.inner.commondir().join("news.lock"))
    }

    /// The author and committer as git would take them.
    pub fn signatures(&self) -> Result<Signatures, GitError> {
        let config = self
            .inner
            .config()
            .map_err(|error| GitError::failed("read the git configuration", error))?;
        let get = |key: &str| {
            config
                .get_string(key)
                .ok()
                .filter(|value| !value.is_empty())
        };
        Signatures::from_environment(get("user.name"), get("user.email"))
    }
}

impl Repo {
    pub fn is_bare(&self) -> bool {
        self.inner.is_bare()
    }

    /// Every file below `folder` (relative to the top, `/`-separated; empty
    /// for all) in the tree of `revision`, with its content.
    pub fn files_at(
        &self,
        revision: &str,
        folder: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, GitError> {
        let tree = self.tree_at(revision)?;
        let tree = if folder.is_empty() {
            tree
        } else {
            match tree.get_path(Path::new(folder)) {
                Ok(entry) => entry
                    .to_object(&self.inner)
                    .and_then(|object| object.peel_to_tree())
                    .map_err(|error| {
                        GitError::failed(format!("read {folder} at {revision}"), error)
                    })?,
                Err(error) if error.code() == git2::ErrorCode::NotFound => return Ok(Vec::new()),
                Err(error) => {
                    return Err(GitError::failed(
                        format!("read {folder} at {revision}"),
                        error,
                    ));
                }
            }
        };
        let mut blobs = Vec::new();
        tree.walk(git2::TreeWalkMode::PreOrder, |parent, entry| {
            if entry.kind() == Some(git2::ObjectType::Blob) {
                blobs.push((
                    format!("{parent}{}", entry.name().unwrap_or_default()),
                    entry.id(),
                ));
            }
            git2::TreeWalkResult::Ok
        })
        .map_err(|error| GitError::failed(format!("walk {folder} at {revision}"), error))?;
        let prefix = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        blobs
            .into_iter()
            .map(|(path, id)| {
                let blob = self.inner.find_blob(id).map_err(|error| {
                    GitError::failed(format!("read {prefix}{path} at {revision}"), error)
                })?;
                Ok((format!("{prefix}{path}"), blob.content().to_vec()))
            })
            .collect()
    }

    /// The content of `path` in the tree of `revision`, if it is there.
    pub fn file_at(&self, revision: &str, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let tree = self.tree_at(revision)?;
        match tree.get_path(Path::new(path)) {
            Ok(entry) => entry
                .to_object(&self.inner)
                .and_then(|object| object.peel_to_blob())
                .map(|blob| Some(blob.content().to_vec()))
                .map_err(|error| GitError::failed(format!("read {path} at {revision}"), error)),
            Err(error) if error.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(error) => Err(GitError::failed(
                format!("read {path} at {revision}"),
                error,
            )),
        }
    }

    fn tree_at(&self, revision: &str) -> Result<git2::Tree<'_>, GitError> {
        self.inner
            .revparse_single(revision)
            .and_then(|object| object.peel_to_tree())
            .map_err(|error| GitError::failed(format!("find the revision {revision:?}"), error))
    }
}
