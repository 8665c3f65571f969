//! The untracked cache (`UNTR`): for each directory git scanned, the
//! untracked files it found there and the directory's stat data, so that
//! `git status` rescans only directories whose stat data changed.
//!
//! A directory's stat data does not change when a file in it enters or
//! leaves the index, so git invalidates the cached directories along each
//! path it adds to or removes from the index (`untracked_cache_add_to_index`,
//! `untracked_cache_remove_from_index`). Kept byte for byte after such a
//! change, the cache would hide a file news removed from the index: still
//! in the work tree, but in no cached untracked list. So news does the same
//! invalidation, editing the extension in place: the directories and their
//! order stay, an invalidated directory loses its valid and check-only bits,
//! its stat data and its untracked names (as git's `write_one_dir` writes an
//! invalid directory). A cache git itself could not parse
//! (`read_untracked_extension` discards those) is dropped.

use super::bytes::{Cursor, put_varint};
use super::ewah::{self, Bitmap};

/// `DIR_SHOW_OTHER_DIRECTORIES` in the cache's dir_flags: an untracked
/// directory is listed as one name, so a change may affect every parent.
const SHOW_OTHER_DIRECTORIES: u32 = 1 << 1;
/// The on-disk stat data of one directory (`struct stat_data`).
const STAT_LEN: usize = 36;
const ID_LEN: usize = 20;

/// One directory block, in depth-first order.
struct Directory<'a> {
    name: &'a [u8],
    /// The whole block as read.
    raw: &'a [u8],
    /// The number of its subdirectories.
    subdirectories: u64,
    children: Vec<usize>,
}

/// Returns the extension's data with the directories along `paths`
/// invalidated, or None if the data is not an untracked cache git could
/// read (then the extension is best dropped).
pub(super) fn invalidate<'p>(
    data: &[u8],
    paths: impl IntoIterator<Item = &'p [u8]>,
) -> Option<Vec<u8>> {
    // The extension ends with a NUL that guards the string lists.
    let (&0, data) = data.split_last()? else {
        return None;
    };
    let mut cursor = Cursor::new(data, "untracked cache");
    let ident_len = usize::try_from(cursor.varint().ok()?).ok()?;
    cursor.take(ident_len).ok()?;
    let fixed = cursor.take(2 * STAT_LEN + 4 + 2 * ID_LEN).ok()?;
    let dir_flags = super::bytes::be32(&fixed[2 * STAT_LEN..]);
    cursor.until_nul().ok()?;
    let header_len = cursor.position();
    if cursor.remaining() == 0 {
        // No directory cached: nothing to invalidate.
        let mut out = data.to_vec();
        out.push(0);
        return Some(out);
    }
    let count = usize::try_from(cursor.varint().ok()?).ok()?;
    if count == 0 {
        return None;
    }

    // Depth-first, iteratively.
    let mut directories: Vec<Directory<'_>> = Vec::new();
    let mut open: Vec<(usize, u64)> = Vec::new();
    loop {
        let start = cursor.position();
        let untracked = cursor.varint().ok()?;
        let subdirectories = cursor.varint().ok()?;
        let name = cursor.until_nul().ok()?;
        for _ in 0..untracked {
            cursor.until_nul().ok()?;
        }
        let index = directories.len();
        if index == count {
            return None;
        }
        directories.push(Directory {
            name,
            raw: data.get(start..cursor.position())?,
            subdirectories,
            children: Vec::new(),
        });
        if let Some((parent, remaining)) = open.last_mut() {
            directories[*parent].children.push(index);
            *remaining -= 1;
        }
        open.push((index, subdirectories));
        while let Some(&(_, 0)) = open.last() {
            open.pop();
        }
        if open.is_empty() {
            break;
        }
    }
    if directories.len() != count {
        return None;
    }
    let (valid, used) = Bitmap::parse(cursor.rest()).ok()?;
    cursor.take(used).ok()?;
    let (check_only, used) = Bitmap::parse(cursor.rest()).ok()?;
    cursor.take(used).ok()?;
    let (hashed, used) = Bitmap::parse(cursor.rest()).ok()?;
    cursor.take(used).ok()?;
    let mut valid_positions = Vec::new();
    for index in valid.ones() {
        if index >= count {
            return None;
        }
        valid_positions.push(index);
    }
    let valid = valid_positions;
    let stats = cursor.take(valid.len().checked_mul(STAT_LEN)?).ok()?;
    let hashes = cursor
        .take(hashed.ones().count().checked_mul(ID_LEN)?)
        .ok()?;
    if cursor.remaining() != 0 {
        return None;
    }

    let mut invalid = vec![false; count];
    for path in paths {
        invalidate_path(&directories, dir_flags, path, &mut invalid);
    }

    let mut out = Vec::with_capacity(data.len() + 1);
    out.extend_from_slice(&data[..header_len]);
    put_varint(count as u64, &mut out);
    for (index, directory) in directories.iter().enumerate() {
        if invalid[index] {
            put_varint(0, &mut out);
            put_varint(directory.subdirectories, &mut out);
            out.extend_from_slice(directory.name);
            out.push(0);
        } else {
            out.extend_from_slice(directory.raw);
        }
    }
    let still = |index: &usize| !invalid.get(*index).copied().unwrap_or(true);
    ewah::write(valid.iter().copied().filter(still), &mut out);
    ewah::write(check_only.ones().filter(still), &mut out);
    ewah::write(hashed.ones().take_while(|&index| index < count), &mut out);
    for (stat, index) in stats.chunks(STAT_LEN).zip(&valid) {
        if still(index) {
            out.extend_from_slice(stat);
        }
    }
    out.extend_from_slice(hashes);
    out.push(0);
    Some(out)
}

/// git's `invalidate_one_component`: the directory holding `path` always;
/// its parents too when the cache lists untracked directories as one name.
/// A directory the cache lacks ends the walk (git would create it empty and
/// unwritten).
fn invalidate_path(
    directories: &[Directory<'_>],
    dir_flags: u32,
    path: &[u8],
    invalid: &mut [bool],
) {
    let mut chain = vec![0usize];
    let mut rest = path;
    while let Some(slash) = rest.iter().position(|&byte| byte == b'/') {
        let component = &rest[..slash];
        rest = &rest[slash + 1..];
        let Some(&current) = chain.last() else { return };
        let child = directories[current]
            .children
            .iter()
            .copied()
            .find(|&child| directories[child].name == component);
        match child {
            Some(child) => chain.push(child),
            None => {
                if dir_flags & SHOW_OTHER_DIRECTORIES != 0 {
                    mark_all(&chain, invalid);
                }
                return;
            }
        }
    }
    if dir_flags & SHOW_OTHER_DIRECTORIES != 0 {
        mark_all(&chain, invalid);
    } else if let Some(&leaf) = chain.last() {
        invalid[leaf] = true;
    }
}

fn mark_all(chain: &[usize], invalid: &mut [bool]) {
    for &index in chain {
        invalid[index] = true;
    }
}
