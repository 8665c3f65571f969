//! The extensions after the entries, each kept in the order git wrote
//! them, and what becomes of each when news writes the index:
//!
//! - `TREE` (cache tree): parsed; paths news changes invalidate their
//!   trees; written back (see `tree_cache`).
//! - `link` (split index): written back with bitmaps for the entries as
//!   they now are (see `split`).
//! - `FSMN` (fsmonitor): written back with its bitmap moved along with the
//!   entries and the changed ones marked dirty (see `fsmonitor`).
//! - `IEOT` (index entry offset table): byte offsets of blocks of entries,
//!   which move whenever an entry before them changes length. Recomputed,
//!   not dropped: git reads large indexes in parallel only with it. The
//!   blocks keep the entry count of the blocks read, so an unchanged index
//!   is written as git wrote it (version 4 restarts its path compression at
//!   each block, as git does, so that each block decodes on its own).
//! - `EOIE` (end of index entries): the offset of the first extension and
//!   a SHA-1 over the signature and size of every extension, both of which
//!   move; recomputed over what news writes and kept last, where git looks
//!   for it.
//! - `REUC` (resolve undo): kept byte for byte. It records conflicts that
//!   were resolved; news refuses conflicted paths and never resolves one.
//! - `UNTR` (untracked cache): kept, with the directories along each path
//!   news adds to or removes from the index invalidated as git does (see
//!   `untracked`): their stat data does not change when only the index
//!   does, so byte for byte it would hide a file news unstaged.
//! - `sdir` (sparse index): kept (it has no data); the sparse directory
//!   entries it announces are kept as they are, and news refuses to stage a
//!   path inside one.
//! - Any other optional extension (uppercase first letter): kept byte for
//!   byte in its place, as git itself would ignore it.
//! - Any other mandatory extension (lowercase first letter): the index is
//!   refused, since news cannot know what it changes.

use super::bytes::{Cursor, SharedBytes, be32};
use super::fsmonitor::Fsmonitor;
use super::tree_cache::TreeCache;

pub(super) type Signature = [u8; 4];

pub(super) const TREE: Signature = *b"TREE";
pub(super) const LINK: Signature = *b"link";
pub(super) const FSMONITOR: Signature = *b"FSMN";
pub(super) const OFFSET_TABLE: Signature = *b"IEOT";
pub(super) const END_OF_ENTRIES: Signature = *b"EOIE";
pub(super) const SPARSE_DIRECTORIES: Signature = *b"sdir";
pub(super) const UNTRACKED: Signature = *b"UNTR";

/// The size of EOIE's data: a 32-bit offset and a SHA-1.
pub(super) const END_OF_ENTRIES_LEN: usize = 4 + 20;

#[derive(Debug)]
pub(super) enum Extension {
    Tree {
        raw: SharedBytes,
        tree: TreeCache,
    },
    Link {
        raw: SharedBytes,
    },
    Fsmonitor {
        raw: SharedBytes,
        fsmonitor: Fsmonitor,
    },
    Untracked {
        raw: SharedBytes,
    },
    OffsetTable,
    EndOfEntries,
    /// REUC, sdir and any optional extension news does not know.
    Kept {
        signature: Signature,
        raw: SharedBytes,
    },
}

/// One extension's signature and data, as found in the file.
pub(super) struct Raw {
    pub(super) signature: Signature,
    pub(super) data: SharedBytes,
}

/// Splits `file[start..limit]` into extensions.
pub(super) fn split_extensions(
    file: &std::sync::Arc<[u8]>,
    start: usize,
    limit: usize,
) -> Result<Vec<Raw>, String> {
    let mut found = Vec::new();
    let mut at = start;
    while at < limit {
        let header = file
            .get(at..at + 8)
            .filter(|_| at + 8 <= limit)
            .ok_or_else(|| format!("an extension header at offset {at} runs past the end"))?;
        let mut signature = [0u8; 4];
        signature.copy_from_slice(&header[..4]);
        let size = be32(&header[4..]) as usize;
        let data_at = at + 8;
        if size > limit - data_at {
            return Err(format!(
                "the {} extension at offset {at} claims {size} bytes, past the end of the file",
                String::from_utf8_lossy(&signature)
            ));
        }
        found.push(Raw {
            signature,
            data: SharedBytes::slice(file, data_at..data_at + size),
        });
        at = data_at + size;
    }
    Ok(found)
}

/// The block size of an offset table: the entry count of its first block
/// when it has several, none when it has one (one block covering every
/// entry).
pub(super) fn parse_offset_table(data: &[u8]) -> Result<Option<usize>, String> {
    let mut cursor = Cursor::new(data, "IEOT extension");
    let version = cursor.u32()?;
    if version != 1 {
        return Err(format!("the IEOT extension has version {version}"));
    }
    if !cursor.remaining().is_multiple_of(8) || cursor.remaining() == 0 {
        return Err("the IEOT extension is not a list of blocks".into());
    }
    let blocks = cursor.remaining() / 8;
    cursor.u32()?;
    let first = cursor.u32()? as usize;
    Ok((blocks > 1 && first > 0).then_some(first))
}
