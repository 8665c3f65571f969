//! An incremental cache of which commits changed which record, under
//! `.git/news/history/`, so that `news log <id>` reads one small file
//! instead of walking the whole history. It is only an accelerator: a
//! missing, stale or damaged cache is rebuilt (or passed by) and changes
//! no output.
//!
//! `state` names the tip the cache was built from, the articles folder, a
//! generation, and for each of 256 buckets (by a hash of the id) the
//! length and checksum of its file `<generation>-<bucket>`. Bucket files
//! are written before `state` is renamed over the old one and never
//! change after, so a reader never sees a half-written cache. A run whose
//! tip descends from the cached one extends the cache from where it
//! stopped; any other tip rebuilds it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::git::{ChangedFile, CommitId, Repo};

const MAGIC: &str = "news-history-cache 1";
const BUCKETS: usize = 256;

/// One commit that changed a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub commit: CommitId,
    /// Where the record is at the commit (was, when removed).
    pub path: String,
    /// Where it was at the first parent, when the commit moved it.
    pub moved_from: Option<String>,
}

/// The cache's `state` file.
#[derive(Clone, Debug, PartialEq, Eq)]
struct State {
    tip: String,
    folder: String,
    generation: u64,
    /// For each bucket: its length and checksum.
    buckets: Vec<(u64, u64)>,
}

/// The commits that changed record `id` (its file name without `.toml`)
/// as of `tip`, newest first, from the cache in `repo`, extended or built
/// first when it does not reach `tip`. `None` when the cache cannot be
/// used (then the caller walks the history itself).
pub fn changes_of(repo: &Repo, tip: &CommitId, folder: &str, id: &str) -> Option<Vec<Change>> {
    let dir = repo.news_dir().join("history");
    let state = read_state(&dir).filter(|state| state.folder == folder);
    let state = match state {
        Some(state) if state.tip == tip.as_str() => state,
        Some(state)
            if repo
                .is_ancestor(&CommitId::from_hex(&state.tip)?, tip.as_str())
                .unwrap_or(false) =>
        {
            update(repo, &dir, tip, folder, Some(state))?
        }
        _ => update(repo, &dir, tip, folder, None)?,
    };
    let bucket = bucket_of(id);
    let text = read_bucket(&dir, &state, bucket)?;
    let mut changes = Vec::new();
    for line in text.lines() {
        let (line_id, change) = parse_line(line)?;
        if line_id == id {
            changes.push(change);
        }
    }
    Some(changes)
}

/// Forgets the cache (when what it said did not hold).
pub fn forget(repo: &Repo) {
    let _ = fs::remove_dir_all(repo.news_dir().join("history"));
}

/// Builds the cache for `tip` (extending `old` when given), writes it,
/// and returns its state; none when it cannot be (another run updating
/// it at the same time, a read-only repository): the caller then walks
/// the history itself.
fn update(
    repo: &Repo,
    dir: &Path,
    tip: &CommitId,
    folder: &str,
    old: Option<State>,
) -> Option<State> {
    fs::create_dir_all(dir).ok()?;
    let _lock = LockGuard::take(&dir.join("state.lock"))?;
    let mut buckets: Vec<String> = vec![String::new(); BUCKETS];
    let since = old.as_ref().map(|state| state.tip.clone());
    repo.folder_changes(
        tip.as_str(),
        folder,
        since.as_deref(),
        &mut |commit, files| {
            for (id, change) in record_changes(commit, files) {
                let bucket = &mut buckets[bucket_of(&id)];
                bucket.push_str(&format!(
                    "{id}\t{}\t{}\t{}\n",
                    change.commit,
                    change.path,
                    change.moved_from.as_deref().unwrap_or("")
                ));
            }
            Ok(true)
        },
    )
    .ok()?;
    if let Some(old) = &old {
        for (number, bucket) in buckets.iter_mut().enumerate() {
            bucket.push_str(&read_bucket(dir, old, number)?);
        }
    }
    let generation = old.as_ref().map_or(0, |state| state.generation + 1);
    let mut state = State {
        tip: tip.as_str().to_owned(),
        folder: folder.to_owned(),
        generation,
        buckets: Vec::with_capacity(BUCKETS),
    };
    for (number, bucket) in buckets.iter().enumerate() {
        let path = bucket_path(dir, generation, number);
        write_new(&path, bucket.as_bytes()).ok()?;
        state
            .buckets
            .push((bucket.len() as u64, checksum(bucket.as_bytes())));
    }
    write_new(&dir.join("state.tmp"), render_state(&state).as_bytes()).ok()?;
    fs::rename(dir.join("state.tmp"), dir.join("state")).ok()?;
    if let Some(old) = old {
        for number in 0..BUCKETS {
            let _ = fs::remove_file(bucket_path(dir, old.generation, number));
        }
    }
    Some(state)
}

/// Each record a commit changed, by id: a record removed from one path
/// and added at another in the same commit moved.
fn record_changes(commit: &CommitId, files: Vec<ChangedFile>) -> Vec<(String, Change)> {
    let id_of = |path: &str| {
        path.rsplit('/')
            .next()
            .and_then(|name| name.strip_suffix(".toml"))
            .map(str::to_owned)
    };
    let mut by_id: Vec<(String, Change, bool)> = Vec::new();
    for file in files {
        let Some(id) = id_of(&file.path) else {
            continue;
        };
        match by_id.iter_mut().find(|(known, _, _)| *known == id) {
            // The same id leaving one path and arriving at another.
            Some((_, change, arrived)) => {
                if file.after && !*arrived {
                    change.moved_from = Some(std::mem::replace(&mut change.path, file.path));
                    *arrived = true;
                } else if !file.after && *arrived {
                    change.moved_from = Some(file.path);
                }
            }
            None => by_id.push((
                id,
                Change {
                    commit: commit.clone(),
                    path: file.path,
                    moved_from: None,
                },
                file.after,
            )),
        }
    }
    by_id
        .into_iter()
        .map(|(id, change, _)| (id, change))
        .collect()
}

fn parse_line(line: &str) -> Option<(&str, Change)> {
    let mut fields = line.split('\t');
    let id = fields.next()?;
    let commit = CommitId::from_hex(fields.next()?)?;
    let path = fields.next()?.to_owned();
    let moved_from = Some(fields.next()?)
        .filter(|from| !from.is_empty())
        .map(str::to_owned);
    if fields.next().is_some() || id.is_empty() || path.is_empty() {
        return None;
    }
    Some((
        id,
        Change {
            commit,
            path,
            moved_from,
        },
    ))
}

fn read_state(dir: &Path) -> Option<State> {
    let text = fs::read_to_string(dir.join("state")).ok()?;
    let mut lines = text.lines();
    if lines.next()? != MAGIC {
        return None;
    }
    let mut field = |name: &str| {
        lines
            .next()?
            .strip_prefix(name)?
            .strip_prefix(' ')
            .map(str::to_owned)
    };
    let tip = field("tip")?;
    let folder = field("folder")?;
    let generation = field("generation")?.parse().ok()?;
    let buckets = lines
        .map(|line| {
            let (length, sum) = line.split_once(' ')?;
            Some((length.parse().ok()?, u64::from_str_radix(sum, 16).ok()?))
        })
        .collect::<Option<Vec<_>>>()?;
    (buckets.len() == BUCKETS).then_some(State {
        tip,
        folder,
        generation,
        buckets,
    })
}

fn render_state(state: &State) -> String {
    let mut text = format!(
        "{MAGIC}\ntip {}\nfolder {}\ngeneration {}\n",
        state.tip, state.folder, state.generation
    );
    for (length, sum) in &state.buckets {
        text.push_str(&format!("{length} {sum:016x}\n"));
    }
    text
}

/// The bucket's text, when it is whole and as the state says.
fn read_bucket(dir: &Path, state: &State, number: usize) -> Option<String> {
    let bytes = fs::read(bucket_path(dir, state.generation, number)).ok()?;
    let (length, sum) = *state.buckets.get(number)?;
    if bytes.len() as u64 != length || checksum(&bytes) != sum {
        return None;
    }
    String::from_utf8(bytes).ok()
}

fn bucket_path(dir: &Path, generation: u64, number: usize) -> PathBuf {
    dir.join(format!("{generation}-{number:02x}"))
}

fn bucket_of(id: &str) -> usize {
    (checksum(id.as_bytes()) % BUCKETS as u64) as usize
}

/// FNV-1a, 64 bits: enough to tell a damaged file, not a cryptographic
/// hash.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Writes a file that did not exist, whole. It is not synced: after a
/// crash, a torn bucket fails its checksum and the cache is rebuilt.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let _ = fs::remove_file(path);
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

/// An exclusive lock file, removed when dropped.
struct LockGuard(PathBuf);

impl LockGuard {
    fn take(path: &Path) -> Option<Self> {
        // A lock older than a minute was left by a killed command.
        if let Ok(metadata) = fs::metadata(path)
            && metadata
                .modified()
                .ok()
                .and_then(|modified| modified.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 60)
        {
            let _ = fs::remove_file(path);
        }
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .ok()
            .map(|_| Self(path.to_owned()))
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_in_one_commit_is_one_change_with_where_it_came_from() {
        let commit = CommitId::from_hex("0123456789abcdef0123456789abcdef01234567").unwrap();
        let files = vec![
            ChangedFile {
                path: "articles/2015/09/20/a.toml".to_owned(),
                before: false,
                after: true,
            },
            ChangedFile {
                path: "articles/2015/09/24/a.toml".to_owned(),
                before: true,
                after: false,
            },
            ChangedFile {
                path: "articles/2015/09/24/b.toml".to_owned(),
                before: true,
                after: true,
            },
        ];
        let changes = record_changes(&commit, files);
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].1.path, "articles/2015/09/20/a.toml");
        assert_eq!(
            changes[0].1.moved_from.as_deref(),
            Some("articles/2015/09/24/a.toml")
        );
        assert_eq!(changes[1].1.moved_from, None);
        let state = State {
            tip: commit.as_str().to_owned(),
            folder: "articles".to_owned(),
            generation: 3,
            buckets: vec![(10, 0xabc); BUCKETS],
        };
        assert_eq!(read_state_text(&render_state(&state)), Some(state));
    }

    fn read_state_text(text: &str) -> Option<State> {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("state"), text).unwrap();
        read_state(dir.path())
    }
}
