//! git's commit-graph file (gitformat-commit-graph(5)), read by news
//! itself: libgit2 cannot read the one git 2.47 writes, and has no use for
//! its changed-path Bloom filters. With them, a history walk skips every
//! commit whose filter says the path did not change, without reading a
//! tree.
//!
//! Only what the walk needs is read: the commits' ids, parents and commit
//! times, and the Bloom filters. Anything unexpected (another hash, a
//! split graph, a damaged file) means no graph: the walk reads the
//! commits as it would without one.

use std::path::Path;

const SIGNATURE: &[u8; 4] = b"CGPH";
const HASH_LENGTH: usize = 20;
/// A parent slot that holds no parent.
const NO_PARENT: u32 = 0x7000_0000;
/// The high bit of the second parent slot: more parents, in `EDGE`.
const EXTRA_EDGES: u32 = 0x8000_0000;

/// A commit-graph file, whole in memory.
pub(super) struct CommitGraph {
    data: Vec<u8>,
    commits: usize,
    fanout: usize,
    lookup: usize,
    commit_data: usize,
    extra_edges: Option<usize>,
    bloom: Option<Bloom>,
}

/// The changed-path Bloom filters.
struct Bloom {
    index: usize,
    data: usize,
    hash_version: u32,
    hashes: u32,
}

/// A path's keys in the Bloom filters: two hashes per name checked.
pub(super) struct BloomKeys(Vec<(u32, u32)>);

impl BloomKeys {
    /// No keys: a filter then says "maybe" to everything (as with none).
    pub(super) fn none() -> Self {
        Self(Vec::new())
    }
}

impl CommitGraph {
    /// The repository's commit-graph (`objects/info/commit-graph`), when
    /// there is one news can read.
    pub(super) fn open(objects: &Path) -> Option<Self> {
        let data = std::fs::read(objects.join("info/commit-graph")).ok()?;
        Self::parse(data)
    }

    fn parse(data: Vec<u8>) -> Option<Self> {
        if data.get(..4)? != SIGNATURE || data[4] != 1 || data[5] != 1 || data[7] != 0 {
            return None;
        }
        let chunks = data[6] as usize;
        let mut found = std::collections::HashMap::new();
        for number in 0..=chunks {
            let at = 8 + number * 12;
            let id = data.get(at..at + 4)?;
            let offset = u64::from_be_bytes(data.get(at + 4..at + 12)?.try_into().ok()?) as usize;
            if offset > data.len() {
                return None;
            }
            found.insert(<[u8; 4]>::try_from(id).ok()?, offset);
        }
        let chunk = |id: &[u8; 4]| found.get(id).copied();
        let fanout = chunk(b"OIDF")?;
        let commits = u32_at(&data, fanout + 255 * 4)? as usize;
        let lookup = chunk(b"OIDL")?;
        let commit_data = chunk(b"CDAT")?;
        if data.len() < commit_data + commits * (HASH_LENGTH + 16) {
            return None;
        }
        let bloom = match (chunk(b"BIDX"), chunk(b"BDAT")) {
            (Some(index), Some(bloom_data)) => {
                let hash_version = u32_at(&data, bloom_data)?;
                let hashes = u32_at(&data, bloom_data + 4)?;
                ((hash_version == 1 || hash_version == 2) && hashes > 0).then_some(Bloom {
                    index,
                    data: bloom_data + 12,
                    hash_version,
                    hashes,
                })
            }
            _ => None,
        };
        Some(Self {
            data,
            commits,
            fanout,
            lookup,
            commit_data,
            extra_edges: chunk(b"EDGE"),
            bloom,
        })
    }

    /// How many commits it holds.
    pub(super) fn len(&self) -> usize {
        self.commits
    }

    pub(super) fn has_bloom_filters(&self) -> bool {
        self.bloom.is_some()
    }

    /// Where commit `id` is in the graph.
    pub(super) fn position(&self, id: &[u8]) -> Option<u32> {
        if id.len() != HASH_LENGTH {
            return None;
        }
        let first = id[0] as usize;
        let start = match first {
            0 => 0,
            _ => u32_at(&self.data, self.fanout + (first - 1) * 4)? as usize,
        };
        let end = u32_at(&self.data, self.fanout + first * 4)? as usize;
        let (mut low, mut high) = (start, end.min(self.commits));
        while low < high {
            let middle = (low + high) / 2;
            match self.id(middle as u32)?.cmp(id) {
                std::cmp::Ordering::Equal => return Some(middle as u32),
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
            }
        }
        None
    }

    pub(super) fn id(&self, position: u32) -> Option<&[u8]> {
        let at = self.lookup + position as usize * HASH_LENGTH;
        self.data.get(at..at + HASH_LENGTH)
    }

    /// The commit's parents, by position.
    pub(super) fn parents(&self, position: u32) -> Option<Vec<u32>> {
        let at = self.commit_data + position as usize * (HASH_LENGTH + 16) + HASH_LENGTH;
        let (first, second) = (u32_at(&self.data, at)?, u32_at(&self.data, at + 4)?);
        let mut parents = Vec::with_capacity(2);
        if first != NO_PARENT {
            parents.push(first);
        }
        if second & EXTRA_EDGES != 0 {
            let mut at = self.extra_edges? + (second & !EXTRA_EDGES) as usize * 4;
            loop {
                let edge = u32_at(&self.data, at)?;
                parents.push(edge & !EXTRA_EDGES);
                if edge & EXTRA_EDGES != 0 {
                    break;
                }
                at += 4;
            }
        } else if second != NO_PARENT {
            parents.push(second);
        }
        parents
            .iter()
            .all(|parent| (*parent as usize) < self.commits)
            .then_some(parents)
    }

    /// When the commit was made (seconds since the epoch).
    pub(super) fn commit_time(&self, position: u32) -> Option<u64> {
        let at = self.commit_data + position as usize * (HASH_LENGTH + 16) + HASH_LENGTH + 8;
        let high = u32_at(&self.data, at)? as u64 & 0x3;
        let low = u32_at(&self.data, at + 4)? as u64;
        Some((high << 32) | low)
    }

    /// The keys of `path` for these filters: the path and each folder it
    /// is in, as git looks them up.
    pub(super) fn bloom_keys(&self, path: &str) -> Option<BloomKeys> {
        let bloom = self.bloom.as_ref()?;
        let mut names = vec![path];
        let mut rest = path;
        while let Some((folder, _)) = rest.rsplit_once('/') {
            names.push(folder);
            rest = folder;
        }
        Some(BloomKeys(
            names
                .into_iter()
                .map(|name| {
                    let bytes = name.as_bytes();
                    (
                        murmur3(bytes, 0x293a_e76f, bloom.hash_version),
                        murmur3(bytes, 0x7e64_6e2c, bloom.hash_version),
                    )
                })
                .collect(),
        ))
    }

    /// Whether the commit at `position` may have changed the path of
    /// `keys` against its first parent: `Some(false)` only when its filter
    /// says it certainly did not; `None` when it has no filter.
    pub(super) fn may_have_changed(&self, position: u32, keys: &BloomKeys) -> Option<bool> {
        let bloom = self.bloom.as_ref()?;
        let end = u32_at(&self.data, bloom.index + position as usize * 4)? as usize;
        let start = match position {
            0 => 0,
            _ => u32_at(&self.data, bloom.index + (position as usize - 1) * 4)? as usize,
        };
        let filter = self.data.get(bloom.data + start..bloom.data + end)?;
        if filter.is_empty() {
            // No filter was computed (or it would have been too large).
            return Some(true);
        }
        let bits = filter.len() as u64 * 8;
        let contains = |(first, second): &(u32, u32)| {
            (0..bloom.hashes).all(|number| {
                let hash = first.wrapping_add(number.wrapping_mul(*second)) as u64 % bits;
                filter[(hash / 8) as usize] & (1 << (hash % 8)) != 0
            })
        };
        Some(keys.0.iter().all(contains))
    }
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// MurmurHash3 (x86, 32 bits) as git computes it: version 1 took each
/// byte as a signed char, version 2 as unsigned.
fn murmur3(data: &[u8], seed: u32, version: u32) -> u32 {
    const C1: u32 = 0xcc9e_2d51;
    const C2: u32 = 0x1b87_3593;
    let byte = |value: u8| -> u32 {
        match version {
            1 => value as i8 as i32 as u32,
            _ => value as u32,
        }
    };
    let mut hash = seed;
    let blocks = data.len() / 4;
    for block in 0..blocks {
        let at = block * 4;
        let mut k = byte(data[at])
            | (byte(data[at + 1]) << 8)
            | (byte(data[at + 2]) << 16)
            | (byte(data[at + 3]) << 24);
        k = k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
        hash ^= k;
        hash = hash
            .rotate_left(13)
            .wrapping_mul(5)
            .wrapping_add(0xe654_6b64);
    }
    let tail = &data[blocks * 4..];
    let mut k = 0u32;
    if tail.len() >= 3 {
        k ^= byte(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        k ^= byte(tail[1]) << 8;
    }
    if !tail.is_empty() {
        k ^= byte(tail[0]);
        k = k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
        hash ^= k;
    }
    hash ^= data.len() as u32;
    hash ^= hash >> 16;
    hash = hash.wrapping_mul(0x85eb_ca6b);
    hash ^= hash >> 13;
    hash = hash.wrapping_mul(0xc2b2_ae35);
    hash ^= hash >> 16;
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur3_gives_the_reference_values() {
        // The values of git's t/helper/test-bloom.c (t0095-bloom.sh).
        assert_eq!(murmur3(b"", 0, 1), 0x0000_0000);
        assert_eq!(murmur3(b"Hello world!", 0, 1), 0x627b_0c2c);
        assert_eq!(
            murmur3(b"The quick brown fox jumps over the lazy dog", 0, 1),
            0x2e4f_f723
        );
    }

    #[test]
    fn a_graph_git_wrote_is_read_and_its_filters_agree_with_the_history() {
        let sandbox = crate::git::test_repo::Sandbox::unborn();
        for (number, path) in ["a/x.txt", "b/y.txt", "a/x.txt", "c.txt"]
            .iter()
            .enumerate()
        {
            let full = sandbox.top().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, format!("{number}\n")).unwrap();
            sandbox.git(&["add", path]);
            sandbox.git(&["commit", "-q", "-m", &format!("commit {number}")]);
        }
        sandbox.git(&["commit-graph", "write", "--reachable", "--changed-paths"]);
        let graph = CommitGraph::open(&sandbox.top().join(".git/objects")).expect("a graph");
        assert!(graph.has_bloom_filters());
        let head = sandbox.git(&["rev-parse", "HEAD"]);
        let head = git2::Oid::from_str(head.trim()).unwrap();
        let mut position = graph.position(head.as_bytes()).expect("HEAD is in it");
        let keys = graph.bloom_keys("a/x.txt").unwrap();
        let mut changed = Vec::new();
        loop {
            changed.push(graph.may_have_changed(position, &keys).unwrap());
            match graph.parents(position).unwrap().first() {
                Some(parent) => position = *parent,
                None => break,
            }
        }
        // Newest first: c.txt, a/x.txt, b/y.txt, a/x.txt. A filter may
        // say "maybe" wrongly, never "no" wrongly.
        assert!(changed[1] && changed[3], "{changed:?}");
        assert_eq!(changed.len(), 4);
        assert!(graph.commit_time(position).unwrap() > 1_000_000_000);
    }
}
