//! An incremental cache of which commits changed which record, under
//! `.git/news/history/`, so that a second `news log <id>` reads a small
//! file instead of walking the whole history again. It is only an
//! accelerator: a missing, stale or damaged cache is passed by (the
//! history is walked, as with `--no-cache`) and changes no output.
//!
//! A record's entry says which tip it was read at and the commits that
//! changed the record up to there. A later run whose tip descends from
//! that one walks only the commits since (`tip..`) and extends the entry
//! from where it stopped; any other tip walks it all again. Entries live
//! in 256 bucket files (by a hash of the id), each with a checksum,
//! written whole to a temporary file and renamed into place, so a reader
//! never sees a half-written one.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::git::{CommitId, FileCommit, Repo};

const MAGIC: &str = "news-history-cache 2";
const BUCKETS: u64 = 256;

/// One commit that changed a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub commit: CommitId,
    /// Where the record is at the commit (was, when removed).
    pub path: String,
    /// Where it was at the first parent, when the commit moved it.
    pub moved_from: Option<String>,
}

impl Change {
    pub fn of(version: &FileCommit) -> Self {
        Self {
            commit: version.info.commit.clone(),
            path: version.path.clone(),
            moved_from: version.moved_from.clone(),
        }
    }
}

/// What the cache holds for a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The tip the history was read at.
    pub tip: CommitId,
    /// The commits that changed it up to there, newest first.
    pub changes: Vec<Change>,
}

/// The cache in `repo`, for the articles below `folder`.
pub struct Cache {
    dir: PathBuf,
    folder: String,
}

impl Cache {
    pub fn of(repo: &Repo, folder: &str) -> Self {
        Self {
            dir: repo.news_dir().join("history"),
            folder: folder.to_owned(),
        }
    }

    /// The entry of record `id`, when there is a whole one.
    pub fn get(&self, id: &str) -> Option<Entry> {
        let bucket = self.read_bucket(id)?;
        bucket
            .into_iter()
            .find(|(known, _)| known == id)
            .map(|(_, entry)| entry)
    }

    /// Keeps `entry` for record `id` (best effort: a cache that cannot be
    /// written is simply not there next time).
    pub fn put(&self, id: &str, entry: Entry) {
        let mut bucket = self.read_bucket(id).unwrap_or_default();
        bucket.retain(|(known, _)| known != id);
        bucket.push((id.to_owned(), entry));
        let mut body = String::new();
        for (id, entry) in &bucket {
            body.push_str(&format!("{id}\t{}\t{}\n", entry.tip, entry.changes.len()));
            for change in &entry.changes {
                body.push_str(&format!(
                    "{}\t{}\t{}\n",
                    change.commit,
                    change.path,
                    change.moved_from.as_deref().unwrap_or("")
                ));
            }
        }
        let text = format!(
            "{MAGIC}\n{}\n{:016x}\n{body}",
            self.folder,
            checksum(body.as_bytes())
        );
        let path = self.bucket_path(id);
        let temporary = path.with_extension(format!("{}.tmp", std::process::id()));
        let written = fs::create_dir_all(&self.dir)
            .and_then(|()| write_new(&temporary, text.as_bytes()))
            .and_then(|()| fs::rename(&temporary, &path));
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
        }
    }

    /// Forgets what the cache holds for `id` (when it did not hold).
    pub fn forget(&self, id: &str) {
        let _ = fs::remove_file(self.bucket_path(id));
    }

    fn bucket_path(&self, id: &str) -> PathBuf {
        self.dir
            .join(format!("{:02x}", checksum(id.as_bytes()) % BUCKETS))
    }

    /// The bucket of `id`, when it is whole and for this folder.
    fn read_bucket(&self, id: &str) -> Option<Vec<(String, Entry)>> {
        let text = fs::read_to_string(self.bucket_path(id)).ok()?;
        let mut lines = text.splitn(4, '\n');
        if lines.next()? != MAGIC || lines.next()? != self.folder {
            return None;
        }
        let sum = u64::from_str_radix(lines.next()?, 16).ok()?;
        let body = lines.next().unwrap_or_default();
        if checksum(body.as_bytes()) != sum {
            return None;
        }
        parse_body(body)
    }
}

fn parse_body(body: &str) -> Option<Vec<(String, Entry)>> {
    let mut lines = body.lines();
    let mut entries = Vec::new();
    while let Some(header) = lines.next() {
        let mut fields = header.split('\t');
        let id = fields.next()?.to_owned();
        let tip = CommitId::from_hex(fields.next()?)?;
        let count: usize = fields.next()?.parse().ok()?;
        let mut changes = Vec::with_capacity(count.min(1 << 16));
        for _ in 0..count {
            let mut fields = lines.next()?.split('\t');
            let commit = CommitId::from_hex(fields.next()?)?;
            let path = fields.next()?.to_owned();
            let moved_from = Some(fields.next()?)
                .filter(|from| !from.is_empty())
                .map(str::to_owned);
            if path.is_empty() {
                return None;
            }
            changes.push(Change {
                commit,
                path,
                moved_from,
            });
        }
        entries.push((id, Entry { tip, changes }));
    }
    Some(entries)
}

/// FNV-1a, 64 bits: enough to tell a damaged file, not a cryptographic
/// hash.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Writes a file that did not exist, whole. It is not synced: after a
/// crash, a torn bucket fails its checksum and is read again from git.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let _ = fs::remove_file(path);
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_a_damaged_bucket_is_no_entry() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache {
            dir: dir.path().join("history"),
            folder: "articles".to_owned(),
        };
        let commit = CommitId::from_hex("0123456789abcdef0123456789abcdef01234567").unwrap();
        let entry = Entry {
            tip: commit.clone(),
            changes: vec![Change {
                commit,
                path: "articles/2015/09/20/a.toml".to_owned(),
                moved_from: Some("articles/2015/09/24/a.toml".to_owned()),
            }],
        };
        cache.put("a", entry.clone());
        assert_eq!(cache.get("a"), Some(entry.clone()));
        assert_eq!(cache.get("b"), None);
        let path = cache.bucket_path("a");
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 3;
        bytes[last] ^= 1;
        fs::write(&path, bytes).unwrap();
        assert_eq!(cache.get("a"), None);
    }
}
