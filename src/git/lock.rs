//! Locks: news's own lock (the kernel's, so a killed process releases it)
//! and git's lock files (`index.lock`, ref locks), which another process
//! may hold. A held lock is waited for, briefly and visibly: after
//! [`NOTICE_AFTER`] a "waiting for …" line, and at most [`LOCK_TIMEOUT`].

use std::fs::File;
use std::io::{Seek, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::{GitError, Notify};

/// How long a command waits for a lock before it gives up.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a command waits in silence before it says what it waits for.
pub const NOTICE_AFTER: Duration = Duration::from_secs(1);

/// news's lock on a repository, held until dropped.
#[derive(Debug)]
pub struct RepoLock {
    _file: File,
}

impl RepoLock {
    /// Waits for the lock at `path`.
    pub(super) fn acquire(path: &Path, notify: &Notify) -> Result<Self, GitError> {
        Self::take(path, Some(notify))
    }

    /// The lock if no other news command holds it right now.
    pub(super) fn try_acquire(path: &Path) -> Result<Option<Self>, GitError> {
        match Self::take(path, None) {
            Ok(lock) => Ok(Some(lock)),
            Err(GitError::Busy { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    fn take(path: &Path, notify: Option<&Notify>) -> Result<Self, GitError> {
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|error| GitError::io(format!("open {}", path.display()), error))?;
        let what = format!("another news command ({})", path.display());
        let mut backoff = Backoff::new(&what, notify);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if notify.is_some() => backoff.wait()?,
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(GitError::Busy {
                        what,
                        waited: Duration::ZERO,
                    });
                }
                Err(std::fs::TryLockError::Error(error)) => {
                    return Err(GitError::io(format!("lock {}", path.display()), error));
                }
            }
        }
    }
}

/// A git lock file (`<file>.lock`), created as git creates it —
/// exclusively — but as a hard link to a file of news's own name
/// (`witness`): while the witness exists, it proves which `.lock` file is
/// news's, so that a killed command's lock can be told from another
/// program's. Removed when dropped, unless committed over its file.
#[derive(Debug)]
pub(super) struct LockFile {
    path: PathBuf,
    target: PathBuf,
    witness: PathBuf,
    file: Option<File>,
}

impl LockFile {
    /// Takes `<target>.lock`, waiting for a live holder within the bound;
    /// a lock that stays is named with its age and refused.
    pub(super) fn acquire(
        target: &Path,
        witness: &Path,
        notify: &Notify,
    ) -> Result<Self, GitError> {
        let path = lock_path(target);
        let what = path.display().to_string();
        // A witness of this name is left by a dead process of the same pid.
        let _ = std::fs::remove_file(witness);
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(witness)
            .map_err(|error| GitError::io(format!("create {}", witness.display()), error))?;
        let mut lock = Self {
            path,
            target: target.to_owned(),
            witness: witness.to_owned(),
            file: Some(file),
        };
        let mut backoff = Backoff::new(&what, Some(notify));
        loop {
            match std::fs::hard_link(witness, &lock.path) {
                Ok(()) => return Ok(lock),
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                    if backoff.wait().is_err() {
                        lock.file = None;
                        let _ = std::fs::remove_file(witness);
                        return Err(GitError::Locked {
                            age: age_of(&lock.path),
                            path: lock.path.clone(),
                        });
                    }
                }
                Err(error) => {
                    lock.file = None;
                    let _ = std::fs::remove_file(witness);
                    return Err(GitError::io(format!("create {what}"), error));
                }
            }
        }
    }

    /// Removes the `.lock` file of `target` if `witness` proves it is the
    /// one a news command made, and the witness; true if it was.
    pub(super) fn remove_proven(target: &Path, witness: &Path) -> Result<bool, GitError> {
        let path = lock_path(target);
        let same = match (
            std::fs::symlink_metadata(&path),
            std::fs::symlink_metadata(witness),
        ) {
            (Ok(lock), Ok(witness)) => lock.dev() == witness.dev() && lock.ino() == witness.ino(),
            _ => false,
        };
        if same {
            std::fs::remove_file(&path)
                .map_err(|error| GitError::io(format!("remove {}", path.display()), error))?;
        }
        match std::fs::remove_file(witness) {
            Ok(()) => Ok(same),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(same),
            Err(error) => Err(GitError::io(format!("remove {}", witness.display()), error)),
        }
    }

    /// Writes `content` into the lock file (in place of what an earlier
    /// call wrote), ready to be committed.
    pub(super) fn write(&mut self, content: &[u8]) -> Result<(), GitError> {
        let action = || format!("write {}", self.path.display());
        let Some(file) = self.file.as_mut() else {
            return Ok(());
        };
        file.set_len(0)
            .and_then(|()| file.seek(std::io::SeekFrom::Start(0)))
            .and_then(|_| file.write_all(content))
            .and_then(|()| file.flush())
            .map_err(|error| GitError::io(action(), error))
    }

    /// Renames the lock file over its target: the new content takes effect.
    pub(super) fn commit(mut self) -> Result<(), GitError> {
        std::fs::rename(&self.path, &self.target).map_err(|error| {
            GitError::io(
                format!(
                    "rename {} to {}",
                    self.path.display(),
                    self.target.display()
                ),
                error,
            )
        })?;
        self.file = None;
        let _ = std::fs::remove_file(&self.witness);
        Ok(())
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
            let _ = std::fs::remove_file(&self.witness);
        }
    }
}

/// `<target>.lock`, as git names a lock file.
pub(super) fn lock_path(target: &Path) -> PathBuf {
    let mut path = target.as_os_str().to_owned();
    path.push(".lock");
    PathBuf::from(path)
}

/// How long ago a file was last changed; zero when unknown.
pub(super) fn age_of(path: &Path) -> Duration {
    std::fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok())
        .unwrap_or_default()
}

/// The waits between tries at a lock another process holds: 5 ms, then
/// twice as long each time up to 100 ms, for [`LOCK_TIMEOUT`] in all.
pub(super) struct Backoff<'a> {
    what: &'a str,
    notify: Option<&'a Notify>,
    started: Instant,
    pause: Duration,
    told: bool,
}

impl<'a> Backoff<'a> {
    pub fn new(what: &'a str, notify: Option<&'a Notify>) -> Self {
        Self {
            what,
            notify,
            started: Instant::now(),
            pause: Duration::from_millis(5),
            told: false,
        }
    }

    /// Sleeps before the next try; [`GitError::Busy`], without sleeping,
    /// once the time is up.
    pub fn wait(&mut self) -> Result<(), GitError> {
        let waited = self.started.elapsed();
        if waited >= LOCK_TIMEOUT {
            return Err(GitError::Busy {
                what: self.what.to_owned(),
                waited,
            });
        }
        if !self.told && waited >= NOTICE_AFTER {
            self.told = true;
            if let Some(notify) = self.notify {
                notify(&format!(
                    "waiting for {} (at most {} seconds)…",
                    self.what,
                    LOCK_TIMEOUT.as_secs()
                ));
            }
        }
        std::thread::sleep(self.pause);
        self.pause = (self.pause * 2).min(Duration::from_millis(100));
        Ok(())
    }
}

/// Runs `operation` until it does not fail on a lock held by another
/// process, waiting longer each time, for at most [`LOCK_TIMEOUT`].
pub(super) fn retry_while_locked<T>(
    what: &str,
    notify: &Notify,
    action: &str,
    mut operation: impl FnMut() -> Result<T, git2::Error>,
) -> Result<T, GitError> {
    let mut backoff = Backoff::new(what, Some(notify));
    loop {
        match operation() {
            Err(error) if error.code() == git2::ErrorCode::Locked => backoff.wait()?,
            other => return other.map_err(|error| GitError::git(action, error)),
        }
    }
}
