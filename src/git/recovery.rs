//! After a crash: finishing or undoing what a killed news command left,
//! from its journal, touching only what the journal proves is news's own.

use std::path::Path;

use super::index_file::Index;
use super::journal::{Journal, Written};
use super::lock::{LockFile, lock_path};
use super::transaction::{oid, stage};
use super::worktree::remove_if_present;
use super::{GitError, Repo};

impl Repo {
    /// Under news's lock: completes a journalled commit that landed, or
    /// undoes one that did not, and says what it did.
    pub(super) fn recover(&self, top: &Path) -> Result<(), GitError> {
        let git_dir = self.inner.path();
        let Some(journal) = Journal::load(git_dir)? else {
            return Ok(());
        };
        // The lock files first: they are news's when its witness proves it.
        let branch = self.inner.commondir().join(&journal.head_ref);
        for (target, witness) in [
            (branch.as_path(), journal.witness(git_dir, "ref")),
            (&self.index_path(), journal.witness(git_dir, "index")),
        ] {
            if LockFile::remove_proven(target, &witness)? {
                self.say(&format!(
                    "removed {}, left by an interrupted news command (pid {})",
                    lock_path(target).display(),
                    journal.pid
                ));
            }
        }
        remove_if_present(&journal.hook_index(git_dir))?;
        let tip = self.branch_target(&journal.head_ref)?;
        let landed = match (&journal.commit, tip) {
            (Some(commit), Some(tip)) => {
                let commit = oid(commit)?;
                tip == commit || self.inner.graph_descendant_of(tip, commit).unwrap_or(false)
            }
            _ => false,
        };
        let mut finished = Vec::new();
        for (number, file) in journal.files.iter().enumerate() {
            let written = if landed {
                let written = journal.written(top, number)?;
                journal.tidy(top, number)?;
                written
            } else {
                journal.undo(top, number)?
            };
            match written {
                Written::New if landed => finished.push(file),
                Written::New => self.say(&format!(
                    "put back {}: an interrupted news command (pid {}) had written it without committing",
                    file.path, journal.pid
                )),
                Written::Other => self.say(&format!(
                    "kept {} as it is: it changed after an interrupted news command (pid {})",
                    file.path, journal.pid
                )),
                Written::Old => {}
            }
        }
        if !finished.is_empty() {
            let witness = journal.witness(git_dir, "index");
            let mut lock = LockFile::acquire(&self.index_path(), &witness, &self.notify)?;
            let mut index = Index::read(git_dir, &self.index_path())?;
            for file in &finished {
                let Some(blob) = &file.new_blob else {
                    index.remove(file.path.as_bytes());
                    continue;
                };
                let metadata = std::fs::symlink_metadata(top.join(&file.path))
                    .map_err(|error| GitError::io(format!("stage {}", file.path), error))?;
                stage(&mut index, &file.path, oid(blob)?, &metadata)?;
            }
            lock.write(&index.to_bytes())?;
            lock.commit()?;
            self.say(&format!(
                "finished commit {} of an interrupted news command (pid {}): its index entries are updated",
                journal.commit.as_deref().map_or("", |commit| &commit[..commit.len().min(10)]),
                journal.pid
            ));
        }
        Journal::remove(git_dir)
    }

    pub(super) fn say(&self, line: &str) {
        (self.notify)(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::journal::Sibling;
    use crate::git::lock::lock_path;
    use crate::git::test_repo::Sandbox;
    use crate::git::worktree::raw_id;

    fn repository() -> (Sandbox, Repo) {
        let sandbox = Sandbox::new("a.toml", "a = 1\n");
        let repo = Repo::discover(&sandbox.top()).unwrap();
        (sandbox, repo)
    }

    /// A journal as a command with a dead pid left it.
    fn left_journal(repo: &Repo, files: &str) -> Journal {
        let text = format!(
            r#"{{"pid": 4000000, "started": 0, "head_ref": "refs/heads/main", "commit": null, "files": [{files}]}}"#
        );
        std::fs::write(Journal::path(repo.inner.path()), text).unwrap();
        Journal::load(repo.inner.path()).unwrap().unwrap()
    }

    #[test]
    fn locks_a_killed_command_left_are_removed_and_others_kept() {
        let (sandbox, repo) = repository();
        let top = sandbox.top();
        let journal = left_journal(&repo, "");
        let git_dir = repo.inner.path();
        // news's: the ref lock and the index lock, each with its witness.
        let branch = git_dir.join("refs/heads/main");
        for (target, what) in [(&branch, "ref"), (&repo.index_path(), "index")] {
            let witness = journal.witness(git_dir, what);
            std::fs::write(&witness, "").unwrap();
            std::fs::hard_link(&witness, lock_path(target)).unwrap();
        }
        std::fs::write(journal.hook_index(git_dir), "").unwrap();
        repo.recover(&top).unwrap();
        assert!(!lock_path(&branch).exists());
        assert!(!lock_path(&repo.index_path()).exists());
        assert!(!journal.witness(git_dir, "ref").exists());
        assert!(!journal.hook_index(git_dir).exists());
        assert!(!Journal::path(git_dir).exists());
        sandbox.git(&["commit", "-q", "--allow-empty", "-m", "git works again"]);

        // Another program's lock, with no witness, stays.
        let journal = left_journal(&repo, "");
        std::fs::write(lock_path(&repo.index_path()), "").unwrap();
        repo.recover(&top).unwrap();
        assert!(lock_path(&repo.index_path()).exists());
        drop(journal);
    }

    #[test]
    fn a_journal_naming_a_path_outside_the_work_tree_is_refused_and_kept() {
        let (sandbox, repo) = repository();
        let top = sandbox.top();
        let precious = sandbox.path("precious-of-the-recovery-test");
        std::fs::write(&precious, "mine\n").unwrap();
        let id = raw_id(b"mine\n").unwrap();
        let files = format!(
            r#"{{"path": "../precious-of-the-recovery-test", "old_file": null, "new_file": "{id}", "new_blob": "{id}"}}"#
        );
        let text = format!(
            r#"{{"pid": 4000000, "started": 0, "head_ref": "refs/heads/main", "commit": null, "files": [{files}]}}"#
        );
        std::fs::write(Journal::path(repo.inner.path()), text).unwrap();
        let error = repo.recover(&top).unwrap_err();
        assert!(error.to_string().contains("news-journal.json"), "{error}");
        assert_eq!(std::fs::read_to_string(&precious).unwrap(), "mine\n");
        assert!(Journal::path(repo.inner.path()).exists());
        std::fs::remove_file(precious).unwrap();
    }

    #[test]
    fn an_uncommitted_write_is_put_back_and_a_landed_one_staged() {
        let (sandbox, repo) = repository();
        let top = sandbox.top();
        let git_dir = repo.inner.path().to_owned();
        // Not landed: the new content is written, the old kept as backup.
        let full = top.join("a.toml");
        let files = format!(
            r#"{{"path": "a.toml", "old_file": "{}", "new_file": "{}", "new_blob": "{}"}}"#,
            raw_id(b"a = 1\n").unwrap(),
            raw_id(b"a = 2\n").unwrap(),
            raw_id(b"a = 2\n").unwrap()
        );
        let journal = left_journal(&repo, &files);
        std::fs::hard_link(&full, journal.sibling(&top, 0, Sibling::Backup)).unwrap();
        std::fs::remove_file(&full).unwrap();
        std::fs::write(&full, "a = 2\n").unwrap();
        std::fs::write(journal.sibling(&top, 0, Sibling::Temporary), "a = 2\n").unwrap();
        repo.recover(&top).unwrap();
        assert_eq!(std::fs::read_to_string(&full).unwrap(), "a = 1\n");
        assert_eq!(sandbox.git(&["status", "--porcelain"]), "");

        // Landed: HEAD has the commit, the index does not have the entry yet.
        std::fs::write(&full, "a = 3\n").unwrap();
        let blob = sandbox.git(&["hash-object", "-w", "a.toml"]);
        sandbox.git(&[
            "update-index",
            "--cacheinfo",
            &format!("100644,{},a.toml", blob.trim()),
        ]);
        let tree = sandbox.git(&["write-tree"]);
        sandbox.git(&[
            "update-index",
            "--cacheinfo",
            &format!("100644,{},a.toml", raw_id(b"a = 1\n").unwrap()),
        ]);
        let commit = sandbox.git(&["commit-tree", tree.trim(), "-p", "HEAD", "-m", "news"]);
        sandbox.git(&["update-ref", "refs/heads/main", commit.trim()]);
        assert_eq!(sandbox.git(&["status", "--porcelain"]), "MM a.toml\n");
        let files = format!(
            r#"{{"path": "a.toml", "old_file": null, "new_file": "{0}", "new_blob": "{0}"}}"#,
            blob.trim()
        );
        let text = format!(
            r#"{{"pid": 4000000, "started": 0, "head_ref": "refs/heads/main", "commit": "{}", "files": [{files}]}}"#,
            commit.trim()
        );
        std::fs::write(Journal::path(&git_dir), text).unwrap();
        repo.recover(&top).unwrap();
        assert_eq!(sandbox.git(&["status", "--porcelain"]), "");
    }

    #[test]
    fn a_hand_edit_committed_as_it_is_and_killed_before_its_backup_needs_nothing_put_back() {
        let (sandbox, repo) = repository();
        let top = sandbox.top();
        let full = top.join("a.toml");
        std::fs::write(&full, "a = 9\n").unwrap();
        let id = raw_id(b"a = 9\n").unwrap();
        let files = format!(
            r#"{{"path": "a.toml", "old_file": "{id}", "new_file": "{id}", "new_blob": "{id}"}}"#
        );
        let journal = left_journal(&repo, &files);
        assert!(!journal.sibling(&top, 0, Sibling::Backup).exists());
        repo.recover(&top).unwrap();
        assert_eq!(std::fs::read_to_string(&full).unwrap(), "a = 9\n");
        assert!(!Journal::path(repo.inner.path()).exists());
    }
}
