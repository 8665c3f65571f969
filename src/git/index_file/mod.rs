//! TEMPORARY shim over git2::Index until the index reader/writer lands.
use std::path::Path;

#[derive(Debug, thiserror::Error)]
#[error("index: {0}")]
pub struct IndexError(#[from] git2::Error);

pub(crate) struct Index {
    inner: git2::Index,
    paths: Vec<Vec<u8>>,
}

pub(crate) struct Entry(git2::IndexEntry);

impl Entry {
    pub(crate) fn id(&self) -> git2::Oid {
        self.0.id
    }
    pub(crate) fn mode(&self) -> u32 {
        self.0.mode
    }
    pub(crate) fn matches_stat(&self, metadata: &std::fs::Metadata) -> bool {
        use std::os::unix::fs::MetadataExt;
        self.0.file_size == metadata.size() as u32
            && self.0.mtime.seconds() == metadata.mtime() as i32
            && self.0.mtime.nanoseconds() == metadata.mtime_nsec() as u32
            && self.0.ino == metadata.ino() as u32
    }
}

impl Index {
    pub(crate) fn read(_git_dir: &Path, path: &Path) -> Result<Index, IndexError> {
        let inner = git2::Index::open(path)?;
        let paths = inner.iter().map(|entry| entry.path).collect();
        Ok(Index { inner, paths })
    }
    pub(crate) fn entry(&self, path: &[u8]) -> Option<Entry> {
        self.inner
            .get_path(Path::new(std::str::from_utf8(path).ok()?), 0)
            .map(Entry)
    }
    pub(crate) fn is_conflicted(&self, path: &[u8]) -> bool {
        (1..=3).any(|stage| {
            std::str::from_utf8(path)
                .ok()
                .and_then(|path| self.inner.get_path(Path::new(path), stage))
                .is_some()
        })
    }
    pub(crate) fn paths(&self) -> impl Iterator<Item = &[u8]> {
        self.paths.iter().map(Vec::as_slice)
    }
    pub(crate) fn upsert(
        &mut self,
        path: &[u8],
        id: git2::Oid,
        mode: u32,
        metadata: &std::fs::Metadata,
    ) -> Result<(), IndexError> {
        use std::os::unix::fs::MetadataExt;
        let time = |s: i64, n: i64| git2::IndexTime::new(s as i32, n as u32);
        self.inner.add(&git2::IndexEntry {
            ctime: time(metadata.ctime(), metadata.ctime_nsec()),
            mtime: time(metadata.mtime(), metadata.mtime_nsec()),
            dev: metadata.dev() as u32,
            ino: metadata.ino() as u32,
            mode,
            uid: metadata.uid(),
            gid: metadata.gid(),
            file_size: metadata.size() as u32,
            id,
            flags: path.len().min(0xfff) as u16,
            flags_extended: 0,
            path: path.to_vec(),
        })?;
        Ok(())
    }
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let dir = tempfile::tempdir().expect("shim");
        let path = dir.path().join("index");
        let mut copy = git2::Index::open(&path).expect("shim");
        for entry in self.inner.iter() {
            copy.add(&entry).expect("shim");
        }
        copy.write().expect("shim");
        std::fs::read(&path).expect("shim")
    }
}
