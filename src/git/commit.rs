//! Committing files: a tree made from the tip's tree plus the change, a
//! commit on it, and HEAD moved by compare-and-swap.

use std::path::Path;

use super::identity::Signatures;
use super::lock::{Attempt, Backoff, retry_while_locked};
use super::{CommitId, GitError, Repo};

/// How many times a commit is re-applied on a tip that other commits keep
/// moving before news gives up.
const MAX_REAPPLY: usize = 64;

/// One file's new content, at a path relative to the top of the working
/// tree, `/`-separated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    pub content: Vec<u8>,
}

impl Repo {
    /// Commits `changes` on top of the current tip of HEAD's branch (or on
    /// an unborn branch), with nothing else: not the index, not other
    /// files. When another commit lands meanwhile, the change is re-applied
    /// on it, unless that commit touched the same paths: then
    /// [`GitError::Conflict`]. `based_on` is the commit the change was
    /// made against, when it is not the current tip.
    pub fn commit_files(
        &self,
        changes: &[FileChange],
        message: &str,
        signatures: &Signatures,
        based_on: Option<&CommitId>,
    ) -> Result<CommitId, GitError> {
        let repo = &self.inner;
        let author = signatures.author.to_signature()?;
        let committer = signatures.committer.to_signature()?;
        let head_ref = self.head_ref_name()?;
        let mut blobs = Vec::with_capacity(changes.len());
        for change in changes {
            let oid = repo
                .blob(&change.content)
                .map_err(|error| GitError::failed(format!("store {}", change.path), error))?;
            blobs.push((change.path.as_str(), oid));
        }
        let subject = message.lines().next().unwrap_or_default();
        let mut base: Option<Option<git2::Oid>> = match based_on {
            Some(commit) => Some(Some(
                git2::Oid::from_str(commit.as_str())
                    .map_err(|error| GitError::failed("read the base commit", error))?,
            )),
            None => None,
        };
        let mut backoff = Backoff::new();
        let mut reapplied = 0;
        loop {
            let tip = self.tip(&head_ref)?;
            let tip_id = tip.as_ref().map(git2::Commit::id);
            let first_base = *base.get_or_insert(tip_id);
            if first_base != tip_id {
                self.check_untouched(first_base, tip.as_ref(), &blobs)?;
            }
            let tree = self.tree_with(tip.as_ref(), &blobs)?;
            let parents: Vec<&git2::Commit<'_>> = tip.iter().collect();
            let commit = repo
                .commit(None, &author, &committer, message, &tree, &parents)
                .map_err(|error| GitError::failed("write the commit", error))?;
            let moved = match tip_id {
                Some(tip_id) => repo.reference_matching(
                    &head_ref,
                    commit,
                    true,
                    tip_id,
                    &format!("commit: {subject}"),
                ),
                None => repo.reference(
                    &head_ref,
                    commit,
                    false,
                    &format!("commit (initial): {subject}"),
                ),
            };
            match moved {
                Ok(_) => return Ok(CommitId(commit.to_string())),
                Err(error)
                    if matches!(
                        error.code(),
                        git2::ErrorCode::Modified | git2::ErrorCode::Exists
                    ) =>
                {
                    reapplied += 1;
                    if reapplied >= MAX_REAPPLY {
                        return Err(GitError::Busy {
                            what: format!(
                                "{head_ref}, moved by other commits {MAX_REAPPLY} times,"
                            ),
                            seconds: backoff.elapsed().as_secs(),
                        });
                    }
                }
                Err(error) if error.code() == git2::ErrorCode::Locked => {
                    if !backoff.wait() {
                        return Err(Attempt::Busy(format!("{head_ref} (its .lock file)"))
                            .into_git_error("move HEAD"));
                    }
                }
                Err(error) => return Err(GitError::failed(format!("move {head_ref}"), error)),
            }
        }
    }

    /// The ref a commit moves: HEAD's branch, or HEAD itself when detached.
    fn head_ref_name(&self) -> Result<String, GitError> {
        let head = retry_while_locked("HEAD", || self.inner.find_reference("HEAD"))
            .map_err(|error| error.into_git_error("read HEAD"))?;
        let target = head
            .symbolic_target()
            .map_err(|error| GitError::failed("read HEAD", error))?;
        Ok(target.unwrap_or("HEAD").to_owned())
    }

    fn tip(&self, head_ref: &str) -> Result<Option<git2::Commit<'_>>, GitError> {
        match self.inner.find_reference(head_ref) {
            Ok(reference) => reference
                .peel_to_commit()
                .map(Some)
                .map_err(|error| GitError::failed(format!("read {head_ref}"), error)),
            Err(error) if error.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(error) => Err(GitError::failed(format!("read {head_ref}"), error)),
        }
    }

    fn tree_with(
        &self,
        tip: Option<&git2::Commit<'_>>,
        blobs: &[(&str, git2::Oid)],
    ) -> Result<git2::Tree<'_>, GitError> {
        let repo = &self.inner;
        let write_tree = |error| GitError::failed("write the tree", error);
        let Some(tip) = tip else {
            // A first commit: a tree of just these files, built in memory so
            // that no unreferenced empty tree is left in the object store.
            let mut index = git2::Index::new().map_err(write_tree)?;
            for (path, oid) in blobs {
                index.add(&index_entry(path, *oid)).map_err(write_tree)?;
            }
            let tree = index.write_tree_to(repo).map_err(write_tree)?;
            return repo.find_tree(tree).map_err(write_tree);
        };
        let base = tip.tree().map_err(write_tree)?;
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (path, oid) in blobs {
            update.upsert(*path, *oid, git2::FileMode::Blob);
        }
        let tree = update.create_updated(repo, &base).map_err(write_tree)?;
        repo.find_tree(tree).map_err(write_tree)
    }

    /// Refuses when the commits between `base` and `tip` changed any of
    /// the paths being committed.
    fn check_untouched(
        &self,
        base: Option<git2::Oid>,
        tip: Option<&git2::Commit<'_>>,
        blobs: &[(&str, git2::Oid)],
    ) -> Result<(), GitError> {
        let base_tree = base
            .and_then(|base| self.inner.find_commit(base).ok())
            .and_then(|commit| commit.tree().ok());
        let tip_tree = tip.and_then(|tip| tip.tree().ok());
        let entry_of = |tree: &Option<git2::Tree<'_>>, path: &str| {
            tree.as_ref()
                .and_then(|tree| tree.get_path(Path::new(path)).ok())
                .map(|entry| entry.id())
        };
        for (path, _) in blobs {
            if entry_of(&base_tree, path) != entry_of(&tip_tree, path) {
                return Err(GitError::Conflict {
                    path: (*path).to_owned(),
                    commit: tip.map(|tip| tip.id().to_string()).unwrap_or_default(),
                });
            }
        }
        Ok(())
    }
}

fn index_entry(path: &str, id: git2::Oid) -> git2::IndexEntry {
    git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: u32::from(git2::FileMode::Blob),
        uid: 0,
        gid: 0,
        file_size: 0,
        id,
        flags: path.len().min(0xfff) as u16,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}
