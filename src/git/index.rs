//! Updating index entries as git does: take `index.lock` first, then read
//! the index, change it, write the new index into the lock file and rename
//! it over the index. (libgit2's own write reads before it locks, so a
//! `git add` running at the same moment could lose its entry.)

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::lock::{Backoff, LOCK_TIMEOUT};
use super::{GitError, Repo};

impl Repo {
    /// Updates the index entries of `paths` (relative to the top) to match
    /// their files, leaving every other entry exactly as it was.
    pub fn stage(&self, paths: &[String]) -> Result<(), GitError> {
        let Some(top) = self.inner.workdir() else {
            return Ok(());
        };
        let gitdir = self.inner.path();
        let index_path = gitdir.join("index");
        let lock = IndexLock::acquire(&index_path)?;
        let scratch = gitdir.join(format!("news-index-{}.tmp", std::process::id()));
        let failed = |error: &dyn std::fmt::Display| GitError::failed("update the index", error);
        match std::fs::copy(&index_path, &scratch) {
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(failed(&error)),
        }
        let updated = update_entries(&scratch, top, paths);
        let bytes = std::fs::read(&scratch);
        let _ = std::fs::remove_file(&scratch);
        updated?;
        lock.commit(&bytes.map_err(|error| failed(&error))?)
    }
}

fn update_entries(index_file: &Path, top: &Path, paths: &[String]) -> Result<(), GitError> {
    let failed = |path: &str, error: &dyn std::fmt::Display| {
        GitError::failed(format!("stage {path}"), error)
    };
    let mut index = git2::Index::open(index_file).map_err(|error| failed("the index", &error))?;
    for path in paths {
        let full = top.join(path);
        let metadata = std::fs::symlink_metadata(&full).map_err(|error| failed(path, &error))?;
        let content = std::fs::read(&full).map_err(|error| failed(path, &error))?;
        let id = git2::Oid::hash_object(git2::ObjectType::Blob, &content)
            .map_err(|error| failed(path, &error))?;
        index
            .add(&entry(path, id, &metadata))
            .map_err(|error| failed(path, &error))?;
    }
    index.write().map_err(|error| failed("the index", &error))
}

/// An index entry with the file's stat data, so that git sees it clean.
fn entry(path: &str, id: git2::Oid, metadata: &std::fs::Metadata) -> git2::IndexEntry {
    let time =
        |seconds: i64, nanoseconds: i64| git2::IndexTime::new(seconds as i32, nanoseconds as u32);
    let executable = metadata.permissions().mode() & 0o111 != 0;
    git2::IndexEntry {
        ctime: time(metadata.ctime(), metadata.ctime_nsec()),
        mtime: time(metadata.mtime(), metadata.mtime_nsec()),
        dev: metadata.dev() as u32,
        ino: metadata.ino() as u32,
        mode: if executable { 0o100755 } else { 0o100644 },
        uid: metadata.uid(),
        gid: metadata.gid(),
        file_size: metadata.size() as u32,
        id,
        flags: path.len().min(0xfff) as u16,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// `index.lock`, created the way git creates it, removed unless committed.
struct IndexLock {
    path: PathBuf,
    index: PathBuf,
    file: Option<File>,
}

impl IndexLock {
    fn acquire(index: &Path) -> Result<Self, GitError> {
        let path = index.with_extension("lock");
        let mut backoff = Backoff::new();
        loop {
            match File::options().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    return Ok(Self {
                        path,
                        index: index.to_owned(),
                        file: Some(file),
                    });
                }
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                    if !backoff.wait() {
                        return Err(GitError::Busy {
                            what: format!("the index ({})", path.display()),
                            seconds: LOCK_TIMEOUT.as_secs(),
                        });
                    }
                }
                Err(error) => {
                    return Err(GitError::failed(
                        format!("create {}", path.display()),
                        error,
                    ));
                }
            }
        }
    }

    /// Writes `content` as the new index.
    /// On failure the lock is removed and the index left as it was.
    fn commit(mut self, content: &[u8]) -> Result<(), GitError> {
        let failed = |error: std::io::Error| GitError::failed("write the index", error);
        if let Some(file) = self.file.as_mut() {
            file.write_all(content).map_err(failed)?;
            file.sync_all().map_err(failed)?;
        }
        std::fs::rename(&self.path, &self.index).map_err(failed)?;
        self.file = None;
        Ok(())
    }
}

impl Drop for IndexLock {
    fn drop(&mut self) {
        if self.file.is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
