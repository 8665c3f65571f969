//! The split index (`link`): most entries live in a shared index file,
//! `$GIT_DIR/sharedindex.<id>`, and the index file holds only what differs
//! from it: a delete bitmap and a replace bitmap over the shared entries'
//! positions, the replacing entries (with empty paths, in bitmap order),
//! then entries to add (sorted). This follows git's `split-index.c`:
//! `read_link_extension`, `merge_base_index`, `replace_entry`,
//! `mark_entry_for_delete` and `prepare_to_write_split_index`.
//!
//! news keeps the split form when it writes: the shared index is never
//! rewritten (git rewrites it on its own schedule, splitIndex.maxPercentChange),
//! the link keeps the same shared index id, and the entries news changed
//! become replacements or additions as git would make them.

use std::path::{Path, PathBuf};

use super::bytes::Cursor;
use super::entry::{Entry, mark};
use super::ewah::{self, Bitmap};

pub(super) const ID_LEN: usize = 20;

/// What the index file says about its shared index.
pub(super) struct Link {
    pub(super) shared_id: [u8; ID_LEN],
    pub(super) delete: Bitmap,
    pub(super) replace: Bitmap,
}

impl Link {
    /// git's `read_link_extension`.
    pub(super) fn parse(data: &[u8]) -> Result<Self, String> {
        let mut cursor = Cursor::new(data, "link extension");
        let mut shared_id = [0u8; ID_LEN];
        shared_id.copy_from_slice(cursor.take(ID_LEN)?);
        if cursor.remaining() == 0 {
            return Ok(Self {
                shared_id,
                delete: Bitmap::default(),
                replace: Bitmap::default(),
            });
        }
        let (delete, used) = Bitmap::parse(cursor.rest())
            .map_err(|what| format!("the delete bitmap of the link extension: {what}"))?;
        cursor.take(used)?;
        let (replace, used) = Bitmap::parse(cursor.rest())
            .map_err(|what| format!("the replace bitmap of the link extension: {what}"))?;
        cursor.take(used)?;
        if cursor.remaining() != 0 {
            return Err("the link extension has bytes after its bitmaps".into());
        }
        Ok(Self {
            shared_id,
            delete,
            replace,
        })
    }

    /// Whether there is a shared index at all (an all-zero id says none).
    pub(super) fn has_shared_index(&self) -> bool {
        self.shared_id != [0; ID_LEN]
    }

    pub(super) fn shared_index_path(&self, git_dir: &Path) -> PathBuf {
        let hex: String = self
            .shared_id
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        git_dir.join(format!("sharedindex.{hex}"))
    }
}

/// git's `merge_base_index`: the shared entries, with the replacements
/// put in place and the deletions taken out, merged with the additions.
/// `split_entries` are the entries of the index file itself.
pub(super) fn merge(
    mut base: Vec<Entry>,
    split_entries: Vec<Entry>,
    link: &Link,
) -> Result<Vec<Entry>, String> {
    for (position, entry) in base.iter_mut().enumerate() {
        entry.origin = position as u32 + 1;
    }
    let base_len = base.len();
    let mut split_entries = split_entries.into_iter();
    let mut replaced = 0usize;
    for position in link.replace.ones() {
        let target = base.get_mut(position).ok_or_else(|| {
            format!("the link extension replaces entry {position} of a shared index of {base_len}")
        })?;
        let mut replacement = split_entries.next().ok_or_else(|| {
            format!("the link extension replaces more entries than the index holds ({replaced})")
        })?;
        if !replacement.path().is_empty() {
            return Err(format!(
                "replacement entry {replaced} should have an empty path but has {:?}",
                String::from_utf8_lossy(replacement.path())
            ));
        }
        replacement.set_path(target.path_bytes());
        replacement.origin = position as u32 + 1;
        replacement.marks = mark::UPDATED_IN_BASE;
        *target = replacement;
        replaced += 1;
    }
    let mut deleted = vec![false; base_len];
    for position in link.delete.ones() {
        let slot = deleted.get_mut(position).ok_or_else(|| {
            format!("the link extension deletes entry {position} of a shared index of {base_len}")
        })?;
        *slot = true;
    }
    let mut kept = deleted.iter();
    base.retain(|_| kept.next() == Some(&false));

    let mut additions: Vec<Entry> = split_entries.collect();
    if let Some(unnamed) = additions.iter().position(|entry| entry.path().is_empty()) {
        return Err(format!(
            "added entry {} of the split index has an empty path",
            replaced + unnamed
        ));
    }
    if !additions.is_sorted_by(|a, b| key(a) <= key(b)) {
        additions.sort_by(|a, b| key(a).cmp(&key(b)));
    }
    if additions.is_empty() {
        return Ok(base);
    }

    // Merge the two sorted lists; an addition for a (path, stage) the base
    // has replaces it as git's add_index_entry does, keeping the base
    // position (replace_index_entry_in_base).
    let mut merged = Vec::with_capacity(base.len() + additions.len());
    let mut base = base.into_iter().peekable();
    for mut addition in additions {
        while let Some(next) = base.next_if(|entry| key(entry) < key(&addition)) {
            merged.push(next);
        }
        if let Some(same) = base.next_if(|entry| key(entry) == key(&addition)) {
            addition.origin = same.origin;
            if same.origin != 0 {
                addition.marks |= mark::UPDATED_IN_BASE;
            }
        }
        // A merged entry replaces the conflict stages of its path.
        if addition.stage() == 0 {
            while base
                .next_if(|entry| entry.path() == addition.path())
                .is_some()
            {}
        }
        merged.push(addition);
    }
    merged.extend(base);
    Ok(merged)
}

fn key(entry: &Entry) -> (&[u8], u8) {
    (entry.path(), entry.stage())
}

/// The link extension's data: the shared index id and the two bitmaps.
pub(super) fn write_link(
    shared_id: &[u8; ID_LEN],
    delete: impl IntoIterator<Item = usize>,
    replace: impl IntoIterator<Item = usize>,
    out: &mut Vec<u8>,
) {
    out.extend_from_slice(shared_id);
    ewah::write(delete, out);
    ewah::write(replace, out);
}
