//! The only place that names git2. The rest of news sees [`Repo`],
//! [`Transaction`], [`CommitId`], [`Identity`] and [`GitError`].
//!
//! Commits are built from HEAD's tree plus the change, never from the
//! index, so a user's staged and unstaged work is never swept in (§5),
//! and made all or nothing by one transaction (`transaction.rs`) with a
//! journal for crashes (`journal.rs`, `recovery.rs`). git's index is read
//! and written by news itself (`index_file/`), the branch moved by news
//! itself (`reference.rs`), the hooks run and commits signed as git does
//! (`hooks.rs`, `sign.rs`).

mod commit;
mod commit_graph;
mod config;
mod error;
mod history;
mod hooks;
mod identity;
#[allow(
    dead_code,
    reason = "the whole index format is modelled (flags, stat fields, removal); the commit path uses part of it today"
)]
mod index_file;
mod journal;
mod lock;
mod outcome;
mod pack;
mod recovery;
mod reference;
mod sign;
#[cfg(test)]
mod test_repo;
mod transaction;
mod trees;
mod worktree;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use error::{Cause, GitError, Pending};
pub use history::{CommitInfo, FileCommit, Merge};
pub use hooks::HookError;
pub use identity::{Identity, Signatures};
pub use index_file::IndexError;
pub use sign::SignError;
pub use transaction::{CommitOptions, Committed, FileChange, HandEdit, Transaction};

/// Where the git layer says what it is waiting for or what it did on the
/// way ("waiting for …", a journal finished): the command line prints it,
/// the library never does.
pub type Notify = Arc<dyn Fn(&str) + Send + Sync>;

/// A commit's id, as hex.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CommitId(String);

impl CommitId {
    /// A full commit id (40 or 64 hex digits), as git writes it.
    pub fn from_hex(hex: &str) -> Option<Self> {
        let full = matches!(hex.len(), 40 | 64)
            && hex
                .bytes()
                .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte));
        full.then(|| Self(hex.to_owned()))
    }

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

/// Whether a tree entry's mode is a regular file's (not a link, a folder
/// or a submodule).
fn is_regular(mode: i32) -> bool {
    mode == 0o100644 || mode == 0o100755
}

/// A git repository: a working tree with its `.git`, a linked worktree, or
/// a bare repository.
pub struct Repo {
    inner: git2::Repository,
    notify: Notify,
    /// git's commit-graph with Bloom filters, read once when a history
    /// walk first wants it.
    commit_graph: std::cell::OnceCell<Option<commit_graph::CommitGraph>>,
    /// The packs, opened when a history walk first reads them and handed
    /// from walk to walk (none while one has them).
    packs: std::cell::RefCell<Option<Box<pack::Packs>>>,
    /// The commits of a shallow clone whose parents are not there
    /// (`.git/shallow`), read once.
    shallow: std::cell::OnceCell<std::collections::HashSet<git2::Oid>>,
}

impl Repo {
    /// The repository `start` is in (any subfolder, any linked worktree).
    pub fn discover(start: &Path) -> Result<Self, GitError> {
        git2::Repository::discover(start)
            .map(Self::wrap)
            .map_err(|error| GitError::open(start.to_owned(), error))
    }

    /// Creates a repository in `dir` on branch `main`.
    pub fn init(dir: &Path) -> Result<Self, GitError> {
        let mut options = git2::RepositoryInitOptions::new();
        options.initial_head("main").mkpath(true);
        git2::Repository::init_opts(dir, &options)
            .map(Self::wrap)
            .map_err(|error| {
                GitError::git(format!("create a repository in {}", dir.display()), error)
            })
    }

    fn wrap(inner: git2::Repository) -> Self {
        static SETTINGS: std::sync::Once = std::sync::Once::new();
        SETTINGS.call_once(|| {
            // libgit2 hashes every object it reads (its default, said
            // here): a damaged pack or loose object is an error, never
            // another object's content. The history walks read packs
            // through news's own reader, which hashes too (`pack`).
            git2::opts::strict_hash_verification(true);
            // A history walk reads each object about once: libgit2's object
            // cache, evicting as it fills, costs more than it saves (twice
            // the time over 150,000 commits) and holds hundreds of MB. Packs
            // are mapped in windows of 4 MB, at most 32 MB at once (libgit2
            // maps a whole pack of up to 1 GB by default).
            git2::opts::enable_caching(false);
            // SAFETY: set once, before any repository is opened.
            unsafe {
                let _ = git2::opts::set_mwindow_size(4 << 20);
                let _ = git2::opts::set_mwindow_mapped_limit(32 << 20);
            }
        });
        Self {
            inner,
            notify: Arc::new(|_| {}),
            commit_graph: std::cell::OnceCell::new(),
            packs: std::cell::RefCell::new(None),
            shallow: std::cell::OnceCell::new(),
        }
    }

    /// Where to say what the git layer waits for or did on the way.
    pub fn set_notify(&mut self, notify: Notify) {
        self.notify = notify;
    }

    /// Where news keeps files of its own in the repository (caches):
    /// `news/` in the common git folder, shared by linked worktrees.
    pub fn news_dir(&self) -> PathBuf {
        self.inner.commondir().join("news")
    }

    fn news_lock_path(&self) -> PathBuf {
        self.inner.commondir().join("news.lock")
    }

    /// The top of the working tree; none for a bare repository.
    pub fn workdir(&self) -> Option<&Path> {
        self.inner.workdir()
    }

    /// The commit HEAD points at; none on an unborn branch.
    pub fn head_commit(&self) -> Result<Option<CommitId>, GitError> {
        Ok(self.head()?.map(|commit| CommitId(commit.id().to_string())))
    }

    pub(super) fn head(&self) -> Result<Option<git2::Commit<'_>>, GitError> {
        match self.inner.head() {
            Ok(head) => head
                .peel_to_commit()
                .map(Some)
                .map_err(|error| GitError::git("read HEAD", error)),
            Err(error)
                if matches!(
                    error.code(),
                    git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
                ) =>
            {
                Ok(None)
            }
            Err(error) => Err(GitError::git("read HEAD", error)),
        }
    }

    /// The author and committer as git would take them.
    pub fn signatures(&self) -> Result<Signatures, GitError> {
        let config = self
            .inner
            .config()
            .map_err(|error| GitError::git("read the git configuration", error))?;
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
    /// Whether this is a shallow clone: its history is cut short.
    pub fn is_shallow(&self) -> bool {
        self.inner.is_shallow()
    }

    /// Whether commit `id` is where a shallow clone's history stops: its
    /// parents are not in the repository, and a walk takes it for a root,
    /// as git does.
    pub(super) fn is_shallow_root(&self, id: git2::Oid) -> bool {
        self.shallow
            .get_or_init(|| {
                let listed = std::fs::read_to_string(self.inner.commondir().join("shallow"));
                listed
                    .unwrap_or_default()
                    .lines()
                    .filter_map(|line| git2::Oid::from_str(line.trim()).ok())
                    .collect()
            })
            .contains(&id)
    }

    pub fn is_bare(&self) -> bool {
        self.inner.is_bare()
    }

    /// Every regular file below `folder` (relative to the top,
    /// `/`-separated; empty for all) in the tree of `revision`, with its
    /// content. Links are left out: a link is a blob too, holding its
    /// target.
    pub fn files_at(
        &self,
        revision: &str,
        folder: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, GitError> {
        self.blobs_at(revision, folder)?
            .into_iter()
            .filter(|(_, _, mode)| is_regular(*mode))
            .map(|(path, id, _)| {
                let blob = self
                    .inner
                    .find_blob(id)
                    .map_err(|error| GitError::git(format!("read {path} at {revision}"), error))?;
                Ok((path, blob.content().to_vec()))
            })
            .collect()
    }

    /// The paths (relative to the top) of the index's entries below
    /// `folder`, as git's index holds them now (read without a lock, as
    /// `git status` reads it).
    pub fn indexed_paths(&self, folder: &str) -> Result<Vec<String>, GitError> {
        let index = index_file::Index::read(self.inner.path(), &self.index_path())?;
        let prefix = format!("{folder}/");
        Ok(index
            .paths()
            .filter(|path| path.starts_with(prefix.as_bytes()))
            .map(|path| String::from_utf8_lossy(path).into_owned())
            .collect())
    }

    /// The paths of the regular files below `folder` (relative to the
    /// top, `/`-separated; empty for all) in the tree of `revision`.
    pub fn regular_paths_at(&self, revision: &str, folder: &str) -> Result<Vec<String>, GitError> {
        Ok(self
            .blobs_at(revision, folder)?
            .into_iter()
            .filter(|(_, _, mode)| is_regular(*mode))
            .map(|(path, _, _)| path)
            .collect())
    }

    /// The paths of the files below `folder` (relative to the top,
    /// `/`-separated; empty for all) in the tree of `revision`, links
    /// included, sorted.
    pub fn paths_at(&self, revision: &str, folder: &str) -> Result<Vec<String>, GitError> {
        let mut paths: Vec<String> = self
            .blobs_at(revision, folder)?
            .into_iter()
            .map(|(path, _, _)| path)
            .collect();
        paths.sort();
        Ok(paths)
    }

    /// Every blob below `folder` in the tree of `revision`: its path from
    /// the top, its id and its mode; none when there is no such folder.
    fn blobs_at(
        &self,
        revision: &str,
        folder: &str,
    ) -> Result<Vec<(String, git2::Oid, i32)>, GitError> {
        let failed = |error| GitError::git(format!("read {folder} at {revision}"), error);
        let tree = self.tree_at(revision)?;
        let tree = if folder.is_empty() {
            tree
        } else {
            match tree.get_path(Path::new(folder)) {
                Ok(entry) => entry
                    .to_object(&self.inner)
                    .and_then(|object| object.peel_to_tree())
                    .map_err(failed)?,
                Err(error) if error.code() == git2::ErrorCode::NotFound => return Ok(Vec::new()),
                Err(error) => return Err(failed(error)),
            }
        };
        let prefix = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        let mut blobs = Vec::new();
        tree.walk(git2::TreeWalkMode::PreOrder, |parent, entry| {
            if entry.kind() == Some(git2::ObjectType::Blob) {
                let name = String::from_utf8_lossy(entry.name_bytes());
                blobs.push((
                    format!("{prefix}{parent}{name}"),
                    entry.id(),
                    entry.filemode(),
                ));
            }
            git2::TreeWalkResult::Ok
        })
        .map_err(failed)?;
        Ok(blobs)
    }

    /// The content of `path` in the tree of `revision`, if it is there.
    /// A link, or a path behind one, is refused as the work tree would.
    pub fn file_at(&self, revision: &str, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let tree = self.tree_at(revision)?;
        let failed = |error| GitError::git(format!("read {path} at {revision}"), error);
        let entry = match tree.get_path(Path::new(path)) {
            Ok(entry) => entry,
            Err(error) if error.code() == git2::ErrorCode::NotFound => {
                // A folder on the way may be a link.
                let mut folder = String::new();
                for component in path.split('/') {
                    if !folder.is_empty() {
                        folder.push('/');
                    }
                    folder.push_str(component);
                    if let Ok(entry) = tree.get_path(Path::new(&folder))
                        && entry.filemode() == 0o120000
                    {
                        return Err(GitError::BehindLink {
                            path: path.to_owned(),
                            link: format!("{revision}:{folder}"),
                        });
                    }
                }
                return Ok(None);
            }
            Err(error) => return Err(failed(error)),
        };
        if !is_regular(entry.filemode()) {
            return Err(GitError::NotAFile {
                path: format!("{revision}:{path}"),
            });
        }
        entry
            .to_object(&self.inner)
            .and_then(|object| object.peel_to_blob())
            .map(|blob| Some(blob.content().to_vec()))
            .map_err(failed)
    }

    fn tree_at(&self, revision: &str) -> Result<git2::Tree<'_>, GitError> {
        self.inner
            .revparse_single(revision)
            .and_then(|object| object.peel_to_tree())
            .map_err(|error| self.revision_error(revision, error))
    }

    /// Why `revision` named no commit: a name that names none here (exit
    /// 2, with how to fetch it), or a repository that cannot be read.
    pub(super) fn revision_error(&self, revision: &str, error: git2::Error) -> GitError {
        let names_none = matches!(
            error.code(),
            git2::ErrorCode::NotFound | git2::ErrorCode::InvalidSpec | git2::ErrorCode::Ambiguous
        ) && error.class() != git2::ErrorClass::Odb;
        match (names_none, error.code()) {
            (true, _) => GitError::UnknownRevision {
                revision: revision.to_owned(),
                shallow: self.is_shallow(),
                source: error,
            },
            (false, git2::ErrorCode::Peel) => GitError::NotACommit {
                revision: revision.to_owned(),
                source: error,
            },
            (false, _) => GitError::git(format!("find the revision {revision:?}"), error),
        }
    }
}
