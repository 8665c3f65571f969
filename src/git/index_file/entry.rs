//! One index entry: stat data, mode, object id, flags and path, read from
//! and written to the on-disk layouts of versions 2, 3 and 4.

use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;
use std::sync::Arc;

use super::bytes::{Cursor, SharedBytes, be16, be32, put_varint};

/// Bytes of an entry before its path: ten 32-bit stat and mode words, the
/// 20-byte id and the 16-bit flags.
pub(super) const FIXED_LEN: usize = 62;
const ID_LEN: usize = 20;

// The 16-bit flags word.
const ASSUME_VALID: u16 = 0x8000;
pub(super) const EXTENDED: u16 = 0x4000;
const STAGE_MASK: u16 = 0x3000;
const STAGE_SHIFT: u16 = 12;
const NAME_MASK: u16 = 0x0fff;
// The 16-bit extended flags word (version 3 and later).
const SKIP_WORKTREE: u16 = 0x4000;
const INTENT_TO_ADD: u16 = 0x2000;

/// The mode of a sparse directory entry.
pub(super) const DIRECTORY_MODE: u32 = 0o040000;
const FILE_TYPE_MASK: u32 = 0o170000;
const REGULAR: u32 = 0o100000;
const SYMLINK: u32 = 0o120000;

/// The id of the empty blob, which a smudged entry (size 0) may still have.
const EMPTY_BLOB: [u8; ID_LEN] = [
    0xe6, 0x9d, 0xe2, 0x9b, 0xb2, 0xd1, 0xd6, 0x43, 0x4b, 0x8b, 0x29, 0xae, 0x77, 0x5a, 0xd8, 0xc2,
    0xe4, 0x8c, 0x53, 0x91,
];

/// Bookkeeping that is not on disk (`Entry::marks`).
pub(super) mod mark {
    /// The entry comes from the shared index of a split index but differs
    /// from it, so the split index holds a replacement for it (git's
    /// CE_UPDATE_IN_BASE).
    pub(in super::super) const UPDATED_IN_BASE: u8 = 1;
    /// The fsmonitor bitmap marks the entry as not known to be clean.
    pub(in super::super) const FSMONITOR_DIRTY: u8 = 2;
    /// news set the entry from a file it had just hashed; it is not
    /// smudged as racily clean (git's CE_UPTODATE).
    pub(in super::super) const UP_TO_DATE: u8 = 4;
}

#[derive(Clone, Debug)]
pub(crate) struct Entry {
    ctime: (u32, u32),
    mtime: (u32, u32),
    dev: u32,
    ino: u32,
    mode: u32,
    uid: u32,
    gid: u32,
    size: u32,
    id: [u8; ID_LEN],
    /// The flags word as read, its name-length bits cleared.
    flags: u16,
    extended_flags: u16,
    path: SharedBytes,
    /// Position + 1 of the entry in the shared index of a split index;
    /// 0 for an entry that is not there.
    pub(super) origin: u32,
    pub(super) marks: u8,
}

impl Entry {
    /// An entry for `path` at stage 0 with `stat` as its stat data.
    pub(super) fn from_stat(path: &[u8], id: [u8; ID_LEN], mode: u32, stat: &Metadata) -> Self {
        // git keeps the low 32 bits of each (`fill_stat_data`).
        Self {
            ctime: (stat.ctime() as u32, stat.ctime_nsec() as u32),
            mtime: (stat.mtime() as u32, stat.mtime_nsec() as u32),
            dev: stat.dev() as u32,
            ino: stat.ino() as u32,
            mode,
            uid: stat.uid(),
            gid: stat.gid(),
            size: stat.size() as u32,
            id,
            flags: 0,
            extended_flags: 0,
            path: SharedBytes::from_vec(path.to_vec()),
            origin: 0,
            marks: mark::UP_TO_DATE,
        }
    }

    pub(crate) fn id(&self) -> git2::Oid {
        git2::Oid::from_bytes(&self.id).unwrap_or(git2::Oid::ZERO_SHA1)
    }

    pub(crate) fn id_bytes(&self) -> &[u8; ID_LEN] {
        &self.id
    }

    pub(crate) fn mode(&self) -> u32 {
        self.mode
    }

    /// Repository-relative, `/`-separated; a sparse directory entry's ends
    /// in `/`.
    pub(crate) fn path(&self) -> &[u8] {
        &self.path
    }

    /// 0 for a merged entry, 1–3 for the sides of a conflict.
    pub(crate) fn stage(&self) -> u8 {
        ((self.flags & STAGE_MASK) >> STAGE_SHIFT) as u8
    }

    /// Seconds and nanoseconds.
    pub(crate) fn ctime(&self) -> (u32, u32) {
        self.ctime
    }

    /// Seconds and nanoseconds.
    pub(crate) fn mtime(&self) -> (u32, u32) {
        self.mtime
    }

    pub(crate) fn dev(&self) -> u32 {
        self.dev
    }

    pub(crate) fn ino(&self) -> u32 {
        self.ino
    }

    pub(crate) fn uid(&self) -> u32 {
        self.uid
    }

    pub(crate) fn gid(&self) -> u32 {
        self.gid
    }

    /// The file's size truncated to 32 bits; 0 when git smudged a racily
    /// clean entry.
    pub(crate) fn size(&self) -> u32 {
        self.size
    }

    pub(crate) fn is_assume_valid(&self) -> bool {
        self.flags & ASSUME_VALID != 0
    }

    pub(crate) fn is_skip_worktree(&self) -> bool {
        self.extended_flags & SKIP_WORKTREE != 0
    }

    pub(crate) fn is_intent_to_add(&self) -> bool {
        self.extended_flags & INTENT_TO_ADD != 0
    }

    /// A directory entry of a sparse index (mode 040000, path ending in
    /// `/`), standing for a whole tree outside the sparse checkout.
    pub(crate) fn is_sparse_directory(&self) -> bool {
        self.mode == DIRECTORY_MODE && self.path.last() == Some(&b'/')
    }

    pub(super) fn path_bytes(&self) -> SharedBytes {
        self.path.clone()
    }

    pub(super) fn set_path(&mut self, path: SharedBytes) {
        self.path = path;
    }

    pub(super) fn has_extended_flags(&self) -> bool {
        self.flags & EXTENDED != 0
    }

    /// Whether `stat` (from `symlink_metadata` of the work-tree file) shows
    /// the file as git last recorded it, so that its content is still
    /// `id()`.
    ///
    /// Compared, as git's `ie_match_stat` does with its defaults
    /// (core.checkStat=default, core.trustctime and core.fileMode true):
    /// the file type and, for regular files, the executable bit (a mode
    /// change is a change); mtime and ctime (a write or a chmod/rename moves
    /// them; nanoseconds too, which git compares only when built with
    /// USE_NSEC: stricter, so at worst news hashes a clean file again);
    /// inode number, uid and gid (a file replaced by another); and size
    /// (truncated to 32 bits as stored). The device number is not compared:
    /// git leaves it out unless built with USE_STDEV, because it changes
    /// across reboots and network mounts while the file does not. A stored
    /// size of 0 with an id other than the empty blob's is git's "smudged"
    /// marker for a racily clean entry and never matches.
    ///
    /// This does not detect racily clean entries (a file changed within the
    /// same timestamp as the index was written): see
    /// `Index::is_racily_clean`, and hash the file when that says yes.
    pub(crate) fn matches_stat(&self, stat: &Metadata) -> bool {
        let kind = stat.file_type();
        let type_matches = match self.mode & FILE_TYPE_MASK {
            REGULAR => kind.is_file() && (self.mode ^ stat.mode()) & 0o100 == 0,
            SYMLINK => kind.is_symlink(),
            _ => false,
        };
        let smudged = self.size == 0 && self.id != EMPTY_BLOB;
        type_matches
            && !smudged
            && self.mtime == (stat.mtime() as u32, stat.mtime_nsec() as u32)
            && self.ctime == (stat.ctime() as u32, stat.ctime_nsec() as u32)
            && self.ino == stat.ino() as u32
            && self.uid == stat.uid()
            && self.gid == stat.gid()
            && self.size == stat.size() as u32
    }

    /// Whether git could take a later change of the file for no change,
    /// given that the index was written at `index_mtime`: the file's mtime
    /// is not older than the index (git's `is_racy_timestamp`). Compared in
    /// whole seconds, as git built without USE_NSEC compares them: a file
    /// changed later within that second keeps its stat data to the second,
    /// which is all such a git looks at.
    pub(super) fn is_racy(&self, index_mtime: (u32, u32)) -> bool {
        let kind = self.mode & FILE_TYPE_MASK;
        (kind == REGULAR || kind == SYMLINK) && index_mtime.0 != 0 && self.mtime.0 >= index_mtime.0
    }

    /// Appends the on-disk form. `previous` is the previous entry's path
    /// for version 4's prefix compression (None for versions 2 and 3).
    /// `strip_name` writes an empty path (a split index's replacement
    /// entries); `smudge` writes size 0 so that git compares the content.
    pub(super) fn write(
        &self,
        out: &mut Vec<u8>,
        previous: Option<&mut Vec<u8>>,
        strip_name: bool,
        smudge: bool,
    ) {
        let name: &[u8] = if strip_name { &[] } else { &self.path };
        let start = out.len();
        // The fixed part goes through one stack buffer: one bounds check
        // and one copy instead of a dozen pushes.
        let mut fixed = [0u8; FIXED_LEN + 2];
        let words = [
            self.ctime.0,
            self.ctime.1,
            self.mtime.0,
            self.mtime.1,
            self.dev,
            self.ino,
            self.mode,
            self.uid,
            self.gid,
            if smudge { 0 } else { self.size },
        ];
        for (slot, word) in fixed.chunks_exact_mut(4).zip(words) {
            slot.copy_from_slice(&word.to_be_bytes());
        }
        fixed[40..60].copy_from_slice(&self.id);
        let name_len = name.len().min(usize::from(NAME_MASK)) as u16;
        fixed[60..62].copy_from_slice(&((self.flags & !NAME_MASK) | name_len).to_be_bytes());
        let fixed_len = if self.has_extended_flags() {
            fixed[62..64].copy_from_slice(&self.extended_flags.to_be_bytes());
            FIXED_LEN + 2
        } else {
            FIXED_LEN
        };
        out.extend_from_slice(&fixed[..fixed_len]);
        match previous {
            None => {
                let fixed = out.len() - start;
                let padded = (fixed + name.len() + 8) & !7;
                out.extend_from_slice(name);
                out.resize(start + padded, 0);
            }
            Some(previous) => {
                let common = previous
                    .iter()
                    .zip(name)
                    .take_while(|(a, b)| a == b)
                    .count();
                put_varint((previous.len() - common) as u64, out);
                out.extend_from_slice(&name[common..]);
                out.push(0);
                previous.truncate(common);
                previous.extend_from_slice(&name[common..]);
            }
        }
    }

    /// The same entry with new content: the id, mode and stat data of the
    /// file just hashed, flags as `git add` leaves them.
    pub(super) fn replace_with(&mut self, new: Entry) {
        let (origin, marks) = (self.origin, self.marks);
        *self = new;
        self.origin = origin;
        self.marks |= marks | mark::UP_TO_DATE;
        if origin != 0 {
            self.marks |= mark::UPDATED_IN_BASE;
        }
    }
}

/// Reads `count` entries of a version-`version` index from
/// `file[start..limit]` (limit: where the trailing checksum starts).
/// Returns them and the offset just past the last one.
pub(super) fn read_entries(
    file: &Arc<[u8]>,
    start: usize,
    limit: usize,
    count: u32,
    version: u32,
) -> Result<(Vec<Entry>, usize), String> {
    let data = file.get(..limit).unwrap_or(&[]);
    // Never trust the count for the allocation: each entry takes at least
    // FIXED_LEN + 1 bytes.
    let room = limit.saturating_sub(start) / (FIXED_LEN + 1);
    let mut entries = Vec::with_capacity((count as usize).min(room));
    let mut at = start;
    let mut previous = Vec::new();
    let (mut names, mut name_ranges) = if version == 4 {
        // Decompressed paths take about twice the compressed bytes.
        let compressed = limit
            .saturating_sub(start)
            .saturating_sub(entries.capacity() * FIXED_LEN);
        (
            Vec::with_capacity(compressed * 2),
            Vec::with_capacity(entries.capacity()),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    for number in 0..count {
        let fixed = data
            .get(at..at + FIXED_LEN)
            .ok_or_else(|| past_end(number, count))?;
        let flags = be16(&fixed[60..]);
        let mut name_at = at + FIXED_LEN;
        let extended_flags = if flags & EXTENDED != 0 {
            let word = data
                .get(name_at..name_at + 2)
                .ok_or_else(|| past_end(number, count))?;
            name_at += 2;
            be16(word)
        } else {
            0
        };
        let stored_len = usize::from(flags & NAME_MASK);
        let path;
        if version == 4 {
            let mut cursor = Cursor::new(data.get(name_at..).unwrap_or(&[]), "index entries");
            let strip = cursor.varint().map_err(|_| past_end(number, count))?;
            let suffix = cursor.until_nul().map_err(|_| past_end(number, count))?;
            let keep = usize::try_from(strip)
                .ok()
                .and_then(|strip| previous.len().checked_sub(strip))
                .ok_or_else(|| {
                    format!(
                        "entry {} removes {strip} bytes from the previous path, which has {}",
                        number + 1,
                        previous.len()
                    )
                })?;
            previous.truncate(keep);
            previous.extend_from_slice(suffix);
            if stored_len != usize::from(NAME_MASK) && stored_len != previous.len() {
                return Err(format!(
                    "entry {} says its path has {stored_len} bytes but has {}",
                    number + 1,
                    previous.len()
                ));
            }
            name_ranges.push(names.len()..names.len() + previous.len());
            names.extend_from_slice(&previous);
            path = SharedBytes::empty();
            at = name_at + cursor.position();
        } else {
            let name_len = if stored_len == usize::from(NAME_MASK) {
                data.get(name_at..)
                    .and_then(|rest| rest.iter().position(|&byte| byte == 0))
                    .ok_or_else(|| past_end(number, count))?
            } else {
                stored_len
            };
            let fixed_len = name_at - at;
            let size = (fixed_len + name_len + 8) & !7;
            if at + size > limit {
                return Err(past_end(number, count));
            }
            path = SharedBytes::slice(file, name_at..name_at + name_len);
            at += size;
        }
        let word = |offset: usize| be32(&fixed[offset..]);
        let mut id = [0u8; ID_LEN];
        id.copy_from_slice(&fixed[40..60]);
        entries.push(Entry {
            ctime: (word(0), word(4)),
            mtime: (word(8), word(12)),
            dev: word(16),
            ino: word(20),
            mode: word(24),
            uid: word(28),
            gid: word(32),
            size: word(36),
            id,
            flags: flags & !NAME_MASK,
            extended_flags,
            path,
            origin: 0,
            marks: 0,
        });
    }
    if version == 4 {
        let names: Arc<[u8]> = Arc::from(names);
        for (entry, range) in entries.iter_mut().zip(name_ranges) {
            entry.path = SharedBytes::slice(&names, range);
        }
    }
    Ok((entries, at))
}

fn past_end(number: u32, count: u32) -> String {
    format!(
        "entry {} of {count} runs past the end of the entries",
        number + 1
    )
}
