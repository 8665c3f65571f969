//! Waiting for locks: news's own lock, and git's lock files held by other
//! processes (`index.lock`, ref locks), retried with backoff for a bounded
//! time.

use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

use super::GitError;

/// How long a command waits for a lock before it gives up.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// news's lock on a repository, held until dropped.
#[derive(Debug)]
pub struct RepoLock {
    _file: File,
}

impl RepoLock {
    pub(super) fn acquire(path: &Path) -> Result<Self, GitError> {
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|error| GitError::failed(format!("open {}", path.display()), error))?;
        let mut backoff = Backoff::new();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) => {
                    if !backoff.wait() {
                        return Err(GitError::Busy {
                            what: format!("{} (another news command)", path.display()),
                            seconds: LOCK_TIMEOUT.as_secs(),
                        });
                    }
                }
                Err(std::fs::TryLockError::Error(error)) => {
                    return Err(GitError::failed(format!("lock {}", path.display()), error));
                }
            }
        }
    }
}

/// The waits between tries at a lock another process holds: 5 ms, then
/// twice as long each time up to 100 ms, for [`LOCK_TIMEOUT`] in all.
pub(super) struct Backoff {
    started: Instant,
    pause: Duration,
}

impl Backoff {
    pub fn new() -> Self {
        Self {
            started: Instant::now(),
            pause: Duration::from_millis(5),
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Sleeps before the next try; `false`, without sleeping, once the
    /// time is up.
    pub fn wait(&mut self) -> bool {
        if self.started.elapsed() >= LOCK_TIMEOUT {
            return false;
        }
        std::thread::sleep(self.pause);
        self.pause = (self.pause * 2).min(Duration::from_millis(100));
        true
    }
}

/// A git2 failure, or a lock that stayed held.
pub(super) enum Attempt {
    Failed(git2::Error),
    Busy(String),
}

impl Attempt {
    pub fn into_git_error(self, action: &str) -> GitError {
        match self {
            Attempt::Failed(error) => GitError::failed(action, error),
            Attempt::Busy(what) => GitError::Busy {
                what,
                seconds: LOCK_TIMEOUT.as_secs(),
            },
        }
    }
}

/// Runs `operation` until it does not fail on a lock held by another
/// process, waiting longer each time, for at most [`LOCK_TIMEOUT`].
pub(super) fn retry_while_locked<T>(
    what: &str,
    mut operation: impl FnMut() -> Result<T, git2::Error>,
) -> Result<T, Attempt> {
    let mut backoff = Backoff::new();
    loop {
        match operation() {
            Err(error) if is_locked(&error) => {
                if !backoff.wait() {
                    return Err(Attempt::Busy(what.to_owned()));
                }
            }
            other => return other.map_err(Attempt::Failed),
        }
    }
}

fn is_locked(error: &git2::Error) -> bool {
    error.code() == git2::ErrorCode::Locked
        || (error.class() == git2::ErrorClass::Os && error.message().contains(".lock"))
        || error.message().contains("lock file")
}
