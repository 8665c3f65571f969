//! git's index file (`.git/index`), read and written as gitformat-index(5)
//! describes it, without libgit2.
//!
//! libgit2 1.9 refuses an index with the split index (`link`) or sparse
//! index (`sdir`) extension, drops the untracked cache (`UNTR`) and
//! fsmonitor (`FSMN`) extensions when it writes, and hashes the whole file
//! on every read. This module reads versions 2, 3 and 4 with every
//! extension git writes, changes stage-0 entries, and writes the file back
//! in the version it was read in with every extension kept or brought up
//! to date (see `extension` for each one).
//!
//! The trailing SHA-1 is not verified on read: git itself can skip it, and
//! on a 500,000-entry index it costs more than the rest of the read. The
//! header, the version and every length are checked, so a corrupt or
//! truncated file is an error, never a panic.

mod bytes;
mod entry;
mod error;
mod ewah;
mod extension;
mod fsmonitor;
mod split;
mod tree_cache;
mod untracked;

#[cfg(test)]
mod tests;

use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha1::{Digest, Sha1};

use self::bytes::{be32, patch_u32, put_u32};
pub(crate) use self::entry::Entry;
use self::entry::mark;
pub use self::error::IndexError;
use self::extension::Extension;
use self::fsmonitor::Fsmonitor;
use self::split::Link;
use self::tree_cache::{BeforeAfter, TreeCache};

const SIGNATURE: &[u8; 4] = b"DIRC";
const HEADER_LEN: usize = 12;
const CHECKSUM_LEN: usize = 20;

pub(crate) struct Index {
    /// The index file, for error messages.
    path: PathBuf,
    version: u32,
    /// The whole index (for a split index: the shared entries merged with
    /// the index file's own), sorted by path bytes, then stage.
    entries: Vec<Entry>,
    /// In the order they were read, EOIE included.
    extensions: Vec<Extension>,
    /// For a split index: the shared index's id and its entry count.
    split: Option<SplitState>,
    /// Entries per block of the offset table (IEOT), if the file had one
    /// with several blocks.
    offset_table_block: Option<usize>,
    /// The file's trailer was all zeros (index.skipHash): write zeros too.
    skip_hash: bool,
    /// The file's mtime when read: entries modified at or after it may be
    /// racily clean.
    mtime: (u32, u32),
    /// The size of the file read, to size the buffer written.
    read_len: usize,
    /// An entry was added, changed or removed since the read.
    changed: bool,
    /// Paths added to or removed from the index since the read, for the
    /// untracked cache.
    added_or_removed: Vec<Vec<u8>>,
}

struct SplitState {
    shared_id: [u8; split::ID_LEN],
    base_len: usize,
}

impl Index {
    /// Reads `index_path` (a missing file is an empty version-2 index).
    /// `git_dir` is the repository's git dir (for a split index,
    /// `sharedindex.<hex>` lives there). Does not verify the trailing
    /// SHA-1 but checks the header, the version (2–4), and that every
    /// length stays inside the file.
    pub(crate) fn read(git_dir: &Path, index_path: &Path) -> Result<Index, IndexError> {
        if is_sha256_repository(git_dir) {
            return Err(IndexError::Sha256 {
                path: index_path.to_owned(),
            });
        }
        let read_error = |source| IndexError::Read {
            path: index_path.to_owned(),
            source,
        };
        let mut handle = match std::fs::File::open(index_path) {
            Ok(handle) => handle,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self::empty(index_path));
            }
            Err(source) => return Err(read_error(source)),
        };
        // The mtime of the file read, not of one renamed over it since.
        let metadata = handle.metadata().map_err(read_error)?;
        let mut bytes = Vec::with_capacity(metadata.len() as usize);
        std::io::Read::read_to_end(&mut handle, &mut bytes).map_err(read_error)?;
        let (file, mtime) = (Arc::<[u8]>::from(bytes), mtime_of(&metadata));
        Self::parse(git_dir, index_path, file, mtime)
    }

    /// Parses `file`, the content of `index_path` as read at `mtime`.
    fn parse(
        git_dir: &Path,
        index_path: &Path,
        file: Arc<[u8]>,
        mtime: (u32, u32),
    ) -> Result<Index, IndexError> {
        let corrupt = |what: String| IndexError::Corrupt {
            path: index_path.to_owned(),
            what,
        };
        let (version, count) = read_header(index_path, &file)?;
        let limit = file.len() - CHECKSUM_LEN;
        let (mut entries, entries_end) =
            entry::read_entries(&file, HEADER_LEN, limit, count, version).map_err(corrupt)?;

        let mut extensions = Vec::new();
        let mut link = None;
        let mut fsmonitor_bitmap = None;
        let mut offset_table_block = None;
        for raw in extension::split_extensions(&file, entries_end, limit).map_err(corrupt)? {
            let signature = raw.signature;
            let data = raw.data;
            let extension = match signature {
                extension::TREE => {
                    let tree = TreeCache::parse(&data).map_err(corrupt)?;
                    Extension::Tree { raw: data, tree }
                }
                extension::LINK => {
                    link = Some(Link::parse(&data).map_err(corrupt)?);
                    Extension::Link { raw: data }
                }
                extension::FSMONITOR => {
                    let (fsmonitor, bitmap) = Fsmonitor::parse(&data).map_err(corrupt)?;
                    fsmonitor_bitmap = Some(bitmap);
                    Extension::Fsmonitor {
                        raw: data,
                        fsmonitor,
                    }
                }
                extension::OFFSET_TABLE => {
                    offset_table_block = extension::parse_offset_table(&data).map_err(corrupt)?;
                    Extension::OffsetTable
                }
                extension::END_OF_ENTRIES => {
                    if data.len() != extension::END_OF_ENTRIES_LEN {
                        return Err(corrupt(format!(
                            "the EOIE extension has {} bytes instead of {}",
                            data.len(),
                            extension::END_OF_ENTRIES_LEN
                        )));
                    }
                    Extension::EndOfEntries
                }
                extension::UNTRACKED => Extension::Untracked { raw: data },
                extension::SPARSE_DIRECTORIES => Extension::Kept {
                    signature,
                    raw: data,
                },
                _ if signature[0].is_ascii_uppercase() => Extension::Kept {
                    signature,
                    raw: data,
                },
                _ => {
                    return Err(IndexError::MandatoryExtension {
                        path: index_path.to_owned(),
                        signature: String::from_utf8_lossy(&signature).into_owned(),
                    });
                }
            };
            extensions.push(extension);
        }

        let mut split = None;
        if let Some(link) = link {
            let mut base = Vec::new();
            if link.has_shared_index() {
                let shared_path = link.shared_index_path(git_dir);
                base = read_shared_index(&shared_path, &link.shared_id)?;
            }
            let base_len = base.len();
            entries = split::merge(base, entries, &link).map_err(corrupt)?;
            split = Some(SplitState {
                shared_id: link.shared_id,
                base_len,
            });
        }
        if let Some(bitmap) = fsmonitor_bitmap {
            if bitmap.bit_size() > entries.len() {
                return Err(corrupt(format!(
                    "the fsmonitor bitmap covers {} entries but the index has {}",
                    bitmap.bit_size(),
                    entries.len()
                )));
            }
            for position in bitmap.ones() {
                if let Some(entry) = entries.get_mut(position) {
                    entry.marks |= mark::FSMONITOR_DIRTY;
                }
            }
        }
        let skip_hash = file[limit..].iter().all(|&byte| byte == 0);
        Ok(Self {
            path: index_path.to_owned(),
            version,
            entries,
            extensions,
            split,
            offset_table_block,
            skip_hash,
            mtime,
            read_len: file.len(),
            changed: false,
            added_or_removed: Vec::new(),
        })
    }

    fn empty(index_path: &Path) -> Self {
        Self {
            path: index_path.to_owned(),
            version: 2,
            entries: Vec::new(),
            extensions: Vec::new(),
            split: None,
            offset_table_block: None,
            skip_hash: false,
            mtime: (0, 0),
            read_len: 0,
            changed: false,
            added_or_removed: Vec::new(),
        }
    }

    /// The index format version (2, 3 or 4) the file has and will be
    /// written in.
    pub(crate) fn version(&self) -> u32 {
        self.version
    }

    /// The number of entries, every stage counted.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Every entry, every stage, in index order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }

    /// The stage-0 entry of `path` (repository-relative, `/`-separated).
    pub(crate) fn entry(&self, path: &[u8]) -> Option<&Entry> {
        self.position(path, 0).ok().map(|at| &self.entries[at])
    }

    /// Whether `path` has conflict stages (1–3).
    pub(crate) fn is_conflicted(&self, path: &[u8]) -> bool {
        let at = match self.position(path, 0) {
            Ok(at) => at + 1,
            Err(at) => at,
        };
        self.entries
            .get(at)
            .is_some_and(|entry| entry.path() == path && entry.stage() != 0)
    }

    /// Every stage-0 path, in index order. A sparse index yields its
    /// sparse directory entries as they are (`dir/`), not the files in them.
    pub(crate) fn paths(&self) -> impl Iterator<Item = &[u8]> {
        self.entries
            .iter()
            .filter(|entry| entry.stage() == 0)
            .map(Entry::path)
    }

    /// Whether `entry`'s stat data cannot be trusted even when it matches
    /// the file: the file was modified in or after the second the index
    /// was written, so a later change within that second would look the
    /// same (git's "racily clean" entries; see
    /// Documentation/technical/racy-git.adoc). Hash such a file.
    pub(crate) fn is_racily_clean(&self, entry: &Entry) -> bool {
        entry.is_racy(self.mtime)
    }

    /// Adds or replaces the stage-0 entry of `path` with this blob id, mode
    /// (0o100644 or 0o100755) and the stat data of the work-tree file (so
    /// git sees it clean), with no skip-worktree, intent-to-add or
    /// assume-valid flag, as `git add` leaves it. Refuses a path that lies
    /// inside a sparse directory entry, a conflicted path, a path where
    /// the index has a file in place of one of its directories or a
    /// directory in its place, and a path git would not accept.
    pub(crate) fn upsert(
        &mut self,
        path: &[u8],
        id: git2::Oid,
        mode: u32,
        stat: &Metadata,
    ) -> Result<(), IndexError> {
        let shown = || String::from_utf8_lossy(path).into_owned();
        if !is_valid_path(path) {
            return Err(IndexError::InvalidPath {
                index: self.path.clone(),
                entry: shown(),
            });
        }
        if mode != 0o100644 && mode != 0o100755 {
            return Err(IndexError::Mode {
                index: self.path.clone(),
                entry: shown(),
                mode,
            });
        }
        if self.is_conflicted(path) {
            return Err(IndexError::Conflicted {
                index: self.path.clone(),
                entry: shown(),
            });
        }
        self.check_directories(path)?;
        let mut raw_id = [0u8; split::ID_LEN];
        let id_bytes = id.as_bytes();
        if id_bytes.len() != raw_id.len() {
            return Err(IndexError::Sha256 {
                path: self.path.clone(),
            });
        }
        raw_id.copy_from_slice(id_bytes);
        let mut new = Entry::from_stat(path, raw_id, mode, stat);
        // git marks a changed entry for the fsmonitor to look at again.
        new.marks |= mark::FSMONITOR_DIRTY;
        match self.position(path, 0) {
            Ok(at) => self.entries[at].replace_with(new),
            Err(at) => {
                self.entries.insert(at, new);
                self.added_or_removed.push(path.to_vec());
            }
        }
        self.touched(path);
        Ok(())
    }

    /// Removes the stage-0 entry of `path`, if any. A path inside a sparse
    /// directory entry has no entry of its own, so nothing is removed.
    pub(crate) fn remove(&mut self, path: &[u8]) {
        if let Ok(at) = self.position(path, 0) {
            self.entries.remove(at);
            self.added_or_removed.push(path.to_vec());
            self.touched(path);
        }
    }

    /// The whole file as git would write it, in the version it was read in
    /// (2, 3, or 4 with its path compression), with every extension kept
    /// or brought up to date, and a SHA-1 trailer (zeros if the file read
    /// had zeros, as index.skipHash writes).
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.read_len + 4096);
        out.extend_from_slice(SIGNATURE);
        put_u32(self.version, &mut out);
        put_u32(0, &mut out);

        // Entries modified at or after the index read was written lose
        // that protection once the index is rewritten later: git smudges
        // them (size 0) when it cannot vouch for their content, and so
        // does news, for every such entry it did not just hash itself.
        let smudged = |entry: &Entry| {
            self.changed && entry.marks & mark::UP_TO_DATE == 0 && entry.is_racy(self.mtime)
        };

        let mut link = Vec::new();
        let blocks = match &self.split {
            None => self.write_entries(
                &mut out,
                self.entries
                    .iter()
                    .map(|entry| (entry, false, smudged(entry))),
            ),
            Some(split) => {
                // prepare_to_write_split_index: shared entries still present
                // and unchanged are left to the shared index, changed ones
                // are replaced (empty path, in shared-index order), missing
                // ones deleted, and entries not from it added.
                let mut present = vec![false; split.base_len];
                let mut replacements = Vec::new();
                for entry in &self.entries {
                    let Some(position) = (entry.origin as usize).checked_sub(1) else {
                        continue;
                    };
                    if let Some(slot) = present.get_mut(position) {
                        *slot = true;
                    }
                    let smudge = smudged(entry);
                    if entry.marks & mark::UPDATED_IN_BASE != 0 || smudge {
                        replacements.push((position, entry, smudge));
                    }
                }
                replacements.sort_by_key(|(position, _, _)| *position);
                split::write_link(
                    &split.shared_id,
                    present
                        .iter()
                        .enumerate()
                        .filter(|(_, present)| !**present)
                        .map(|(position, _)| position),
                    replacements.iter().map(|(position, _, _)| *position),
                    &mut link,
                );
                let additions = self
                    .entries
                    .iter()
                    .filter(|entry| entry.origin == 0)
                    .map(|entry| (entry, false, smudged(entry)));
                self.write_entries(
                    &mut out,
                    replacements
                        .iter()
                        .map(|&(_, entry, smudge)| (entry, true, smudge))
                        .chain(additions),
                )
            }
        };
        let written: usize = blocks.iter().map(|(_, count)| count).sum();
        patch_u32(&mut out, 8, written as u32);

        let entries_end = out.len();
        let mut headers = Vec::new();
        let mut end_of_entries = false;
        for extension in &self.extensions {
            let signature = match extension {
                Extension::Tree { .. } => extension::TREE,
                Extension::Link { .. } => extension::LINK,
                Extension::Fsmonitor { .. } => extension::FSMONITOR,
                Extension::OffsetTable => extension::OFFSET_TABLE,
                Extension::EndOfEntries => {
                    end_of_entries = true;
                    continue;
                }
                Extension::Untracked { .. } => extension::UNTRACKED,
                Extension::Kept { signature, .. } => *signature,
            };
            if signature == extension::OFFSET_TABLE && written == 0 {
                continue;
            }
            let mut untracked_data = None;
            if let Extension::Untracked { raw } = extension
                && !self.added_or_removed.is_empty()
            {
                let paths = self.added_or_removed.iter().map(Vec::as_slice);
                match untracked::invalidate(raw, paths) {
                    Some(data) => untracked_data = Some(data),
                    // git would discard it on reading: drop it.
                    None => continue,
                }
            }
            let header_at = out.len();
            out.extend_from_slice(&signature);
            put_u32(0, &mut out);
            match extension {
                Extension::Tree { raw, tree } => {
                    if self.changed {
                        tree.write(&mut out);
                    } else {
                        out.extend_from_slice(raw);
                    }
                }
                Extension::Link { raw } => {
                    if self.changed {
                        out.extend_from_slice(&link);
                    } else {
                        out.extend_from_slice(raw);
                    }
                }
                Extension::Fsmonitor { raw, fsmonitor } => {
                    if self.changed {
                        let dirty = self.entries.iter().enumerate().filter_map(|(at, entry)| {
                            (entry.marks & mark::FSMONITOR_DIRTY != 0 || smudged(entry))
                                .then_some(at)
                        });
                        fsmonitor.write(dirty, &mut out);
                    } else {
                        out.extend_from_slice(raw);
                    }
                }
                Extension::OffsetTable => {
                    put_u32(1, &mut out);
                    for &(offset, count) in &blocks {
                        put_u32(offset as u32, &mut out);
                        put_u32(count as u32, &mut out);
                    }
                }
                Extension::Untracked { raw } => match &untracked_data {
                    Some(data) => out.extend_from_slice(data),
                    None => out.extend_from_slice(raw),
                },
                Extension::Kept { raw, .. } => out.extend_from_slice(raw),
                Extension::EndOfEntries => {}
            }
            let size = out.len() - header_at - 8;
            patch_u32(&mut out, header_at + 4, size as u32);
            headers.extend_from_slice(&out[header_at..header_at + 8]);
        }
        if end_of_entries {
            out.extend_from_slice(&extension::END_OF_ENTRIES);
            put_u32(extension::END_OF_ENTRIES_LEN as u32, &mut out);
            put_u32(entries_end as u32, &mut out);
            out.extend_from_slice(&Sha1::digest(&headers));
        }
        if self.skip_hash {
            out.resize(out.len() + CHECKSUM_LEN, 0);
        } else {
            let checksum = Sha1::digest(&out);
            out.extend_from_slice(&checksum);
        }
        out
    }

    /// Writes `entries` (entry, write with an empty path, smudge) and
    /// returns the blocks of the offset table: (offset, entry count).
    fn write_entries<'a>(
        &self,
        out: &mut Vec<u8>,
        entries: impl Iterator<Item = (&'a Entry, bool, bool)>,
    ) -> Vec<(usize, usize)> {
        let mut previous = Vec::new();
        let mut blocks: Vec<(usize, usize)> = Vec::new();
        for (entry, strip_name, smudge) in entries {
            let new_block = match (blocks.last(), self.offset_table_block) {
                (None, _) => true,
                (Some(&(_, count)), Some(block)) => count >= block,
                (Some(_), None) => false,
            };
            if new_block {
                if blocks.last().is_some()
                    && let Some(first) = previous.first_mut()
                {
                    // As git does: nothing in common with the previous
                    // block's last path, so each block decodes alone.
                    *first = 0;
                }
                blocks.push((out.len(), 0));
            }
            let compression = (self.version == 4).then_some(&mut previous);
            entry.write(out, compression, strip_name, smudge);
            if let Some((_, count)) = blocks.last_mut() {
                *count += 1;
            }
        }
        blocks
    }

    /// After `path` was added, changed or removed: invalidate the cache
    /// tree along it.
    fn touched(&mut self, path: &[u8]) {
        self.changed = true;
        for extension in &mut self.extensions {
            if let Extension::Tree { tree, .. } = extension {
                tree.invalidate(path);
            }
        }
    }

    /// Looks at the work-tree files of the entries git would smudge when
    /// the index is written (racily clean: changed in the second the read
    /// index was written), as git's `ce_smudge_racily_clean_entry` does:
    /// an entry whose file still has its stat data and its content is
    /// marked up to date, so that it keeps its size; the rest are smudged.
    pub(crate) fn confirm_racy_entries(&mut self, top: &Path) {
        if !self.changed {
            return;
        }
        let mtime = self.mtime;
        for entry in &mut self.entries {
            if entry.marks & mark::UP_TO_DATE != 0 || entry.stage() != 0 || !entry.is_racy(mtime) {
                continue;
            }
            let Ok(path) = std::str::from_utf8(entry.path()) else {
                continue;
            };
            let file = top.join(path);
            let unchanged = std::fs::symlink_metadata(&file)
                .ok()
                .filter(|stat| stat.is_file() && entry.matches_stat(stat))
                .and_then(|_| std::fs::read(&file).ok())
                .and_then(|content| git2::Oid::hash_object(git2::ObjectType::Blob, &content).ok())
                .is_some_and(|id| id == entry.id());
            if unchanged {
                entry.marks |= mark::UP_TO_DATE;
            }
        }
    }

    /// The tree the cache tree (`TREE`) holds valid for the entries below
    /// `dir` (`""`: all of them), if it does.
    pub(crate) fn cached_tree(&self, dir: &[u8]) -> Option<git2::Oid> {
        self.extensions
            .iter()
            .find_map(|extension| match extension {
                Extension::Tree { tree, .. } => tree
                    .valid_id(dir)
                    .and_then(|id| git2::Oid::from_bytes(&id).ok()),
                _ => None,
            })
    }

    /// After a commit of `paths` (staged already), makes the cache tree
    /// valid again along them where it is known to hold (see
    /// `TreeCache::revalidate`); `trees(dir)` gives the tree of `dir` in
    /// the commit's parent and in the commit.
    pub(crate) fn record_commit(
        &mut self,
        paths: &[&[u8]],
        trees: &dyn Fn(&[u8]) -> BeforeAfter<git2::Oid>,
    ) {
        let raw = |id: Option<git2::Oid>| {
            id.and_then(|id| <[u8; split::ID_LEN]>::try_from(id.as_bytes()).ok())
        };
        let trees = |dir: &[u8]| {
            let (before, after) = trees(dir);
            (raw(before), raw(after))
        };
        let counts: Vec<(Vec<u8>, i32, i32)> = paths
            .iter()
            .flat_map(|path| {
                std::iter::once(&path[..0]).chain(
                    path.iter()
                        .enumerate()
                        .filter(|(_, byte)| **byte == b'/')
                        .map(|(slash, _)| &path[..slash]),
                )
            })
            .map(|dir| {
                let ours = paths
                    .iter()
                    .filter(|path| dir.is_empty() || path.starts_with(&[dir, b"/"].concat()))
                    .count();
                (dir.to_vec(), self.entries_below(dir) as i32, ours as i32)
            })
            .collect();
        let entries = |dir: &[u8]| {
            counts
                .iter()
                .find(|(known, _, _)| known == dir)
                .map_or((-1, 0), |(_, count, ours)| (*count, *ours))
        };
        for extension in &mut self.extensions {
            if let Extension::Tree { tree, .. } = extension {
                for path in paths {
                    tree.revalidate(path, &trees, &entries);
                }
            }
        }
    }

    /// How many entries lie below `dir` (`""`: all): those whose path
    /// starts with `dir/`, a contiguous run in the index's order.
    fn entries_below(&self, dir: &[u8]) -> usize {
        if dir.is_empty() {
            return self.entries.len();
        }
        let from = [dir, b"/"].concat();
        let to = [dir, b"0"].concat(); // '0' follows '/'
        let start = self
            .entries
            .partition_point(|entry| entry.path() < from.as_slice());
        let end = self
            .entries
            .partition_point(|entry| entry.path() < to.as_slice());
        end - start
    }

    /// Where (path, stage) is or would be.
    fn position(&self, path: &[u8], stage: u8) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|entry| entry.path().cmp(path).then(entry.stage().cmp(&stage)))
    }

    /// Refuses `path` if a directory on the way to it is a file or a sparse
    /// directory entry in the index, or if the index has entries below it.
    fn check_directories(&self, path: &[u8]) -> Result<(), IndexError> {
        let shown = || String::from_utf8_lossy(path).into_owned();
        for (slash, _) in path.iter().enumerate().filter(|(_, byte)| **byte == b'/') {
            let directory = &path[..slash];
            if self.has_any_stage(directory) {
                return Err(IndexError::DirectoryFileConflict {
                    index: self.path.clone(),
                    entry: shown(),
                    other: String::from_utf8_lossy(directory).into_owned(),
                });
            }
            if let Some(sparse) = self.entry(&path[..=slash])
                && sparse.is_sparse_directory()
            {
                return Err(IndexError::InsideSparseDirectory {
                    index: self.path.clone(),
                    entry: shown(),
                    directory: String::from_utf8_lossy(sparse.path()).into_owned(),
                });
            }
        }
        let mut below = path.to_vec();
        below.push(b'/');
        let at = self.position(&below, 0).unwrap_or_else(|at| at);
        if let Some(inner) = self.entries.get(at)
            && inner.path().starts_with(&below)
        {
            return Err(IndexError::DirectoryFileConflict {
                index: self.path.clone(),
                entry: shown(),
                other: String::from_utf8_lossy(inner.path()).into_owned(),
            });
        }
        Ok(())
    }

    fn has_any_stage(&self, path: &[u8]) -> bool {
        let at = self.position(path, 0).unwrap_or_else(|at| at);
        self.entries
            .get(at)
            .is_some_and(|entry| entry.path() == path)
    }
}

/// The version and entry count, after checking the signature and that the
/// file can hold a header and a checksum.
fn read_header(path: &Path, file: &[u8]) -> Result<(u32, u32), IndexError> {
    let corrupt = |what: &str| IndexError::Corrupt {
        path: path.to_owned(),
        what: what.to_owned(),
    };
    if file.len() < HEADER_LEN + CHECKSUM_LEN {
        return Err(corrupt("it is too short to hold a header and a checksum"));
    }
    if u32::try_from(file.len()).is_err() {
        return Err(corrupt("it is larger than 4 GiB"));
    }
    if &file[..4] != SIGNATURE {
        return Err(corrupt("it does not start with the signature DIRC"));
    }
    let version = be32(&file[4..]);
    if !(2..=4).contains(&version) {
        return Err(IndexError::Version {
            path: path.to_owned(),
            version,
        });
    }
    Ok((version, be32(&file[8..])))
}

/// The entries of a split index's shared index (its extensions are git's
/// business: it writes none that apply to the merged index).
fn read_shared_index(
    path: &Path,
    expected_id: &[u8; split::ID_LEN],
) -> Result<Vec<Entry>, IndexError> {
    let file: Arc<[u8]> = std::fs::read(path)
        .map_err(|source| IndexError::Read {
            path: path.to_owned(),
            source,
        })?
        .into();
    let (version, count) = read_header(path, &file)?;
    let limit = file.len() - CHECKSUM_LEN;
    let corrupt = |what: String| IndexError::Corrupt {
        path: path.to_owned(),
        what,
    };
    // git checks that the shared index is the one the link names by its
    // trailing checksum; comparing the stored trailer costs nothing.
    if file[limit..] != expected_id[..] {
        return Err(corrupt(
            "its checksum is not the id the split index links to".into(),
        ));
    }
    let (entries, _) =
        entry::read_entries(&file, HEADER_LEN, limit, count, version).map_err(corrupt)?;
    Ok(entries)
}

fn mtime_of(metadata: &Metadata) -> (u32, u32) {
    use std::os::unix::fs::MetadataExt;
    (metadata.mtime() as u32, metadata.mtime_nsec() as u32)
}

/// git's `verify_path` for a regular file, as core.protectNTFS (on by
/// default) applies it: no empty, `.`, `..` or `.git` component (any
/// case), no NUL, no leading or trailing `/`.
fn is_valid_path(path: &[u8]) -> bool {
    !path.is_empty()
        && !path.contains(&0)
        && path.split(|&byte| byte == b'/').all(|component| {
            !component.is_empty()
                && component != b"."
                && component != b".."
                && !component.eq_ignore_ascii_case(b".git")
        })
}

/// Whether the repository's objects are SHA-256 (extensions.objectFormat),
/// looked up in the config of the common git dir.
fn is_sha256_repository(git_dir: &Path) -> bool {
    let common = match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(text) => git_dir.join(text.trim_end()),
        Err(_) => git_dir.to_owned(),
    };
    let Ok(config) = std::fs::read_to_string(common.join("config")) else {
        return false;
    };
    let mut section = String::new();
    for line in config.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix('[') {
            section = rest
                .split([']', ' ', '"'])
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            continue;
        }
        if section != "extensions" {
            continue;
        }
        if let Some((key, value)) = line.split_once('=')
            && key.trim().eq_ignore_ascii_case("objectformat")
        {
            let value = value.split(['#', ';']).next().unwrap_or_default();
            if value
                .trim()
                .trim_matches('"')
                .eq_ignore_ascii_case("sha256")
            {
                return true;
            }
        }
    }
    false
}
