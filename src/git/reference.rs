//! Moving a branch as git does — `<ref>.lock`, compare, write, rename,
//! then the reflogs — with the lock file made as a hard link to a witness
//! the journal names, so that a lock left by a killed news command can be
//! told from another program's and removed. (libgit2 takes the same lock
//! with a name of its own, which a kill leaves behind, blocking git too.)

use std::io::Write;
use std::path::Path;

use super::lock::LockFile;
use super::{GitError, Notify, Repo};

/// How a compare-and-swap of a branch ended.
pub(super) enum Moved {
    Yes,
    /// The branch no longer pointed at the expected commit.
    Elsewhere,
}

impl Repo {
    /// Moves the branch `name` from `expected` (none: unborn) to `new`, and
    /// records it in the reflogs of the branch and of HEAD.
    pub(super) fn move_branch(
        &self,
        name: &str,
        expected: Option<git2::Oid>,
        new: git2::Oid,
        witness: &Path,
        committer: &git2::Signature<'_>,
        message: &str,
    ) -> Result<Moved, GitError> {
        let target = self.inner.commondir().join(name);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder)
                .map_err(|error| GitError::io(format!("create {}", folder.display()), error))?;
        }
        let mut lock = LockFile::acquire(&target, witness, &self.notify)?;
        let current = self.branch_target(name)?;
        if current != expected {
            return Ok(Moved::Elsewhere);
        }
        lock.write(format!("{new}\n").as_bytes())?;
        lock.commit()?;
        if self.logs_ref_updates() {
            let old = expected.unwrap_or(git2::Oid::ZERO_SHA1);
            let line = reflog_line(old, new, committer, message);
            append(
                &self.inner.commondir().join("logs").join(name),
                &line,
                &self.notify,
            );
            append(&self.inner.path().join("logs/HEAD"), &line, &self.notify);
        }
        Ok(Moved::Yes)
    }

    /// The commit a branch points at (loose or packed); none when unborn.
    pub(super) fn branch_target(&self, name: &str) -> Result<Option<git2::Oid>, GitError> {
        match self.inner.find_reference(name) {
            Ok(reference) => reference
                .resolve()
                .map(|reference| reference.target())
                .map_err(|error| GitError::git(format!("read {name}"), error)),
            Err(error) if error.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(error) => Err(GitError::git(format!("read {name}"), error)),
        }
    }

    /// `core.logAllRefUpdates`, whose default is on in a repository with
    /// a work tree.
    fn logs_ref_updates(&self) -> bool {
        self.inner
            .config()
            .ok()
            .and_then(|config| config.get_string("core.logAllRefUpdates").ok())
            .is_none_or(|value| !matches!(value.as_str(), "false" | "no" | "off" | "0"))
    }
}

/// One reflog line: `<old> <new> <name> <<email>> <seconds> <±hhmm>\t<message>`.
fn reflog_line(
    old: git2::Oid,
    new: git2::Oid,
    committer: &git2::Signature<'_>,
    message: &str,
) -> String {
    let when = committer.when();
    let offset = when.offset_minutes();
    let sign = if offset < 0 { '-' } else { '+' };
    let message: String = message
        .chars()
        .map(|character| if character == '\n' { ' ' } else { character })
        .collect();
    format!(
        "{old} {new} {} <{}> {} {sign}{:02}{:02}\t{message}\n",
        String::from_utf8_lossy(committer.name_bytes()),
        String::from_utf8_lossy(committer.email_bytes()),
        when.seconds(),
        offset.abs() / 60,
        offset.abs() % 60,
    )
}

/// Appends a reflog line; a reflog that cannot be written is said, not
/// fatal (the branch has moved), as in git.
fn append(path: &Path, line: &str, notify: &Notify) {
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| {
            std::fs::File::options()
                .create(true)
                .append(true)
                .open(path)
        })
        .and_then(|mut file| file.write_all(line.as_bytes()));
    if let Err(error) = written {
        notify(&format!(
            "warning: cannot write the reflog {}: {error}",
            path.display()
        ));
    }
}
