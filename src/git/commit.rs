//! Trees for commits: the tip's tree plus the change, never the index.

use super::identity::Signatures;
use super::transaction::{CommitOptions, FileChange};
use super::{CommitId, GitError, Repo};

impl Repo {
    /// Writes `changes` to the work tree and commits exactly them on the
    /// tip of HEAD's branch, through [`Repo::begin`]. `based_on` is the
    /// commit the change was made against, when it is not the current
    /// tip: the change is re-applied only if the commits since did not
    /// touch its paths ([`GitError::Conflict`]).
    pub fn commit_files(
        &self,
        changes: &[FileChange],
        message: &str,
        signatures: &Signatures,
        based_on: Option<&CommitId>,
    ) -> Result<CommitId, GitError> {
        let mut transaction = self.begin()?;
        if let Some(base) = based_on {
            transaction.based_on(base)?;
        }
        let committed =
            transaction.commit(changes, message, signatures, &CommitOptions::default())?;
        Ok(committed.commit)
    }

    /// The tree of `tip` with `blobs` put in, or taken out where they are
    /// none (a tree of just them on an unborn branch).
    pub(super) fn tree_with(
        &self,
        tip: Option<&git2::Commit<'_>>,
        blobs: &[(&str, Option<git2::Oid>)],
    ) -> Result<git2::Tree<'_>, GitError> {
        let repo = &self.inner;
        let write_tree = |error| GitError::git("write the tree", error);
        let Some(tip) = tip else {
            // A first commit: a tree of just these files, built in memory so
            // that no unreferenced empty tree is left in the object store.
            let mut index = git2::Index::new().map_err(write_tree)?;
            for (path, oid) in blobs {
                if let Some(oid) = oid {
                    index
                        .add(&index_entry(path, *oid, 0o100644))
                        .map_err(write_tree)?;
                }
            }
            let tree = index.write_tree_to(repo).map_err(write_tree)?;
            return repo.find_tree(tree).map_err(write_tree);
        };
        let base = tip.tree().map_err(write_tree)?;
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (path, oid) in blobs {
            match oid {
                Some(oid) => update.upsert(*path, *oid, git2::FileMode::Blob),
                None => update.remove(*path),
            };
        }
        let tree = update.create_updated(repo, &base).map_err(write_tree)?;
        repo.find_tree(tree).map_err(write_tree)
    }
}

/// A libgit2 index entry without stat data, for indexes of news's own
/// making (a first commit's tree, the hooks' temporary index).
pub(super) fn index_entry(path: &str, id: git2::Oid, mode: u32) -> git2::IndexEntry {
    git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: 0,
        id,
        flags: path.len().min(0xfff) as u16,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}
