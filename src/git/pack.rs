//! Commits and trees read straight from the repository's pack files, for
//! the history walks, which read hundreds of thousands of small objects.
//! libgit2 reads each through a binary search of the pack index, a zlib
//! stream and a delta-base cache of 16 MB; this reader finds an id by
//! interpolation (ids are uniform), inflates each object in one call into
//! its final buffer (libdeflate: the pack gives the size), and keeps the
//! objects it resolved, since the versions of one tree are each other's
//! delta bases.
//!
//! Every object it gives is hashed and must have the id it was asked for:
//! a damaged pack or index is an error, never another object's content.
//! Otherwise it only ever declines: an object it does not find or cannot
//! read here (a loose object, an alternate's, a pack it does not know, an
//! entry it cannot inflate, a delta chain through objects too big to
//! keep) is read by libgit2.

use rustc_hash::FxHashMap;
use std::fs::File;
use std::path::Path;
use std::rc::Rc;

/// A pack object's type, as the pack names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Commit,
    Tree,
    Blob,
    Tag,
}

impl Kind {
    /// The kind libgit2 names `kind`; a tag for any other.
    pub(super) fn of(kind: git2::ObjectType) -> Self {
        match kind {
            git2::ObjectType::Commit => Kind::Commit,
            git2::ObjectType::Tree => Kind::Tree,
            git2::ObjectType::Blob => Kind::Blob,
            _ => Kind::Tag,
        }
    }

    /// The name git hashes an object of this kind under.
    fn name(self) -> &'static str {
        match self {
            Kind::Commit => "commit",
            Kind::Tree => "tree",
            Kind::Blob => "blob",
            Kind::Tag => "tag",
        }
    }
}

/// What the reader says of an object whose pack is damaged.
pub(super) const DAMAGED: &str = "is damaged";

/// An object read from a pack: its type and inflated content.
pub(super) type Object = (Kind, Rc<[u8]>);

/// The repository's packs, opened once for a walk.
pub(super) struct Packs {
    packs: Vec<Pack>,
    inflater: libdeflater::Decompressor,
    resolved: Resolved,
}

impl Packs {
    /// Every pack in `objects/pack` whose index is version 2 and agrees
    /// with its pack; none is an error (libgit2 reads them all instead).
    pub(super) fn open(objects: &Path) -> Self {
        let mut packs = Vec::new();
        if let Ok(entries) = std::fs::read_dir(objects.join("pack")) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|extension| extension == "idx")
                    && let Some(pack) = Pack::open(&path)
                {
                    packs.push(pack);
                }
            }
        }
        // The biggest first: most objects are there.
        packs.sort_by_key(|pack| std::cmp::Reverse(pack.count));
        Self {
            packs,
            inflater: libdeflater::Decompressor::new(),
            resolved: Resolved::default(),
        }
    }

    /// The object `id`, when a pack has it and it reads cleanly; an
    /// error when what the pack gives for it is another object (a
    /// damaged pack or index, which libgit2 would read the same way).
    pub(super) fn read(&mut self, id: &[u8; 20]) -> Result<Option<Object>, git2::Error> {
        let Some((pack, offset)) = self.find(id) else {
            return Ok(None);
        };
        let read = self.read_at(pack, offset);
        let damaged = |what: &str| {
            git2::Error::from_str(&format!(
                "object {} in {} {DAMAGED}: {what}",
                git2::Oid::from_bytes(id).map_or_else(|_| String::new(), |id| id.to_string()),
                self.packs[pack].path.display(),
            ))
        };
        let Some((kind, data)) = read.map_err(damaged)? else {
            return Ok(None);
        };
        if object_id(kind, &data) != *id {
            return Err(damaged("what it holds has another id"));
        }
        Ok(Some((kind, data)))
    }

    fn find(&self, id: &[u8; 20]) -> Option<(usize, u64)> {
        self.packs
            .iter()
            .enumerate()
            .find_map(|(number, pack)| Some((number, pack.offset_of(id)?)))
    }

    /// The object at `offset` in pack `pack`, its delta chain resolved;
    /// none when it is not for this reader; an error saying what is wrong
    /// when its delta chain loops, which libgit2 would follow for ever.
    fn read_at(&mut self, pack: usize, offset: u64) -> Result<Option<Object>, &'static str> {
        // Down the chain to an object at hand: kept, or whole in the pack.
        let mut deltas = Vec::new();
        let mut at = (pack, offset);
        let (kind, mut data) = loop {
            if let Some(object) = self.resolved.get(at) {
                break object;
            }
            let Some(entry) = self.packs[at.0].entry(at.1)? else {
                return Ok(None);
            };
            // A chain through objects too big to keep would be resolved
            // again for each of them: libgit2's cache of bases does
            // better there.
            let too_big = |size| size > Resolved::LARGEST_KEPT;
            if !deltas.is_empty()
                && matches!(entry.kind, EntryKind::Whole(_))
                && too_big(entry.size)
            {
                return Ok(None);
            }
            let Some(content) = self.inflate(at, &entry) else {
                return Ok(None);
            };
            let is_delta = !matches!(entry.kind, EntryKind::Whole(_));
            if is_delta && delta_sizes(&content).is_none_or(|(_, size, _)| too_big(size)) {
                return Ok(None);
            }
            let base = match entry.kind {
                EntryKind::Whole(kind) => {
                    let object: Object = (kind, content);
                    self.resolved.keep(at, &object);
                    break object;
                }
                EntryKind::OffsetDelta(base) => (at.0, base),
                EntryKind::RefDelta(id) => match self.find(&id) {
                    Some(base) => base,
                    None => return Ok(None),
                },
            };
            deltas.push((at, content));
            // git makes chains of at most 4095 deltas: a longer one, or
            // one back to where it passed, loops.
            if deltas.len() > Self::LONGEST_CHAIN || deltas.iter().any(|(place, _)| *place == base)
            {
                return Err("its chain of deltas loops");
            }
            at = base;
        };
        // Back up, each delta applied to the object below it.
        while let Some((at, delta)) = deltas.pop() {
            let Some(applied) = apply_delta(&data, &delta) else {
                return Ok(None);
            };
            data = applied;
            self.resolved.keep(at, &(kind, data.clone()));
        }
        Ok(Some((kind, data)))
    }

    /// The longest delta chain read here.
    const LONGEST_CHAIN: usize = 10_000;

    /// The largest object read here: the commits and trees of a
    /// newsroom are far smaller, and a size past it is more likely damage.
    const LARGEST_READ: usize = 256 << 20;

    /// The content of `entry`, inflated to exactly its size.
    fn inflate(&mut self, at: (usize, u64), entry: &Entry) -> Option<Rc<[u8]>> {
        if entry.size > Self::LARGEST_READ {
            return None;
        }
        let input = self.packs[at.0].bytes_from(entry.data)?;
        // The pack says how big the object is: inflated in one call,
        // which may read past the stream's end (the next entries).
        let mut output = zeroed(entry.size);
        let inflated = self
            .inflater
            .zlib_decompress(input, Rc::get_mut(&mut output)?)
            .ok()?;
        (inflated == entry.size).then_some(output)
    }
}

/// One pack: its index mapped whole, its data in windows.
struct Pack {
    path: std::path::PathBuf,
    index: memmap2::Mmap,
    count: usize,
    data: File,
    len: u64,
    windows: Windows,
}

/// The offset of the table that follows the fan-out in an index.
const IDS_AT: usize = 8 + 256 * 4;

impl Pack {
    fn open(index_path: &Path) -> Option<Self> {
        let index_file = File::open(index_path).ok()?;
        let data = File::open(index_path.with_extension("pack")).ok()?;
        // SAFETY: git never rewrites a pack or its index in place: a
        // repack writes new files and removes these, which leaves the
        // mapping as it was.
        let index = unsafe { memmap2::Mmap::map(&index_file) }.ok()?;
        if index.get(..8)? != b"\xfftOc\0\0\0\x02" {
            return None;
        }
        let count = be32(&index, IDS_AT - 4)? as usize;
        // Ids, checksums, offsets, the large offsets, two checksums.
        let small = IDS_AT + count * 28;
        let large = index.len().checked_sub(small + 40)?;
        if large % 8 != 0 {
            return None;
        }
        let len = data.metadata().ok()?.len();
        let mut header = [0; 12];
        let mut trailer = [0; 20];
        use std::os::unix::fs::FileExt;
        data.read_exact_at(&mut header, 0).ok()?;
        data.read_exact_at(&mut trailer, len.checked_sub(20)?)
            .ok()?;
        let agrees = &header[..4] == b"PACK"
            && matches!(be32(&header, 4)?, 2 | 3)
            && be32(&header, 8)? as usize == count
            && index.get(index.len() - 40..index.len() - 20)? == trailer;
        agrees.then(|| Self {
            path: index_path.with_extension("pack"),
            index,
            count,
            data,
            len,
            windows: Default::default(),
        })
    }

    /// Where `id` is in the pack: the fan-out gives the ids that share its
    /// first byte, and since ids are uniform, where one falls among them
    /// is close to where its value falls between theirs (an
    /// interpolation search, two or three looks instead of a dozen).
    fn offset_of(&self, id: &[u8; 20]) -> Option<u64> {
        let first = usize::from(id[0]);
        let mut below = match first {
            0 => 0,
            _ => be32(&self.index, 8 + (first - 1) * 4)? as usize,
        };
        let mut above = be32(&self.index, 8 + first * 4)? as usize;
        if above > self.count {
            return None;
        }
        let id_at = |at: usize| self.index.get(IDS_AT + at * 20..IDS_AT + at * 20 + 20);
        let value = |id: &[u8]| u64::from_be_bytes(id[..8].try_into().expect("8 bytes"));
        let wanted = value(id);
        // The values just outside the range: those of its first byte's.
        let (mut low, mut high) = (
            (first as u64) << 56,
            ((first as u64) << 56) | ((1 << 56) - 1),
        );
        while below < above {
            let span = u128::from(high - low) + 1;
            let fraction = u128::from(wanted.saturating_sub(low)).min(span - 1);
            let guess = below + ((fraction * (above - below) as u128) / span) as usize;
            let found = id_at(guess)?;
            match found.cmp(id.as_slice()) {
                std::cmp::Ordering::Equal => return self.offset(guess),
                std::cmp::Ordering::Less => {
                    below = guess + 1;
                    low = value(found);
                }
                std::cmp::Ordering::Greater => {
                    above = guess;
                    high = value(found);
                }
            }
        }
        None
    }

    /// The pack offset of the `at`th object of the index.
    fn offset(&self, at: usize) -> Option<u64> {
        let offsets = IDS_AT + self.count * 24;
        let small = be32(&self.index, offsets + at * 4)?;
        if small & 0x8000_0000 == 0 {
            return Some(u64::from(small));
        }
        let large = offsets + self.count * 4 + (small & 0x7fff_ffff) as usize * 8;
        Some(u64::from_be_bytes(
            self.index.get(large..large + 8)?.try_into().ok()?,
        ))
    }

    /// The entry header at `offset` (see [`parse_entry`]); none when the
    /// pack's bytes there cannot be mapped; an error when they are not an
    /// entry's header.
    fn entry(&mut self, offset: u64) -> Result<Option<Entry>, &'static str> {
        let Some(bytes) = self.bytes_from(offset) else {
            return Ok(None);
        };
        parse_entry(bytes, offset)
            .map(Some)
            .ok_or("the header of its entry in the pack cannot be read")
    }

    /// The pack's bytes from `offset` to the end of the window that holds
    /// it (at least 4 MB of them, or the rest of the pack).
    fn bytes_from(&mut self, offset: u64) -> Option<&[u8]> {
        if offset >= self.len.saturating_sub(20) {
            return None;
        }
        let number = offset / Windows::STEP;
        let window = self.windows.get(&self.data, number, self.len)?;
        window.get((offset - number * Windows::STEP) as usize..)
    }
}

/// The entry header at the start of `bytes`, at `offset` in its pack:
/// type, inflated size, where its data starts and, for a delta, its base
/// (an offset delta's before it, after the pack's header).
fn parse_entry(bytes: &[u8], offset: u64) -> Option<Entry> {
    let mut read = bytes.iter().copied();
    let mut byte = read.next()?;
    let code = (byte >> 4) & 7;
    let mut size = usize::from(byte & 15);
    let mut shift = 4;
    while byte & 0x80 != 0 {
        byte = read.next()?;
        size |= usize::from(byte & 0x7f).checked_shl(shift)?;
        shift += 7;
        if shift > 60 {
            return None;
        }
    }
    let mut used = bytes.len() - read.len();
    let kind = match code {
        1 => EntryKind::Whole(Kind::Commit),
        2 => EntryKind::Whole(Kind::Tree),
        3 => EntryKind::Whole(Kind::Blob),
        4 => EntryKind::Whole(Kind::Tag),
        6 => {
            let mut byte = read.next()?;
            let mut distance = u64::from(byte & 0x7f);
            while byte & 0x80 != 0 {
                byte = read.next()?;
                distance = (distance.checked_add(1)? << 7) | u64::from(byte & 0x7f);
                if distance > offset {
                    return None;
                }
            }
            used = bytes.len() - read.len();
            // A base before the entry, and after the pack's header.
            EntryKind::OffsetDelta(
                offset
                    .checked_sub(distance)
                    .filter(|base| *base >= 12 && *base < offset)?,
            )
        }
        7 => {
            let id = bytes.get(used..used + 20)?.try_into().ok()?;
            used += 20;
            EntryKind::RefDelta(id)
        }
        _ => return None,
    };
    Some(Entry {
        kind,
        size,
        data: offset + used as u64,
    })
}

/// Mapped windows of a pack: each `SIZE` bytes long, starting every
/// `STEP` bytes, so that whatever starts in one has `STEP` bytes after it;
/// the most recently used are kept.
#[derive(Default)]
struct Windows {
    /// By number, the most recently used last.
    mapped: Vec<(u64, memmap2::Mmap)>,
}

impl Windows {
    const STEP: u64 = 4 << 20;
    const SIZE: u64 = 2 * Self::STEP;
    const KEPT: usize = 3;

    fn get(&mut self, file: &File, number: u64, len: u64) -> Option<&memmap2::Mmap> {
        if let Some(place) = self.mapped.iter().position(|(kept, _)| *kept == number) {
            let window = self.mapped.remove(place);
            self.mapped.push(window);
            return self.mapped.last().map(|(_, window)| window);
        }
        let start = number * Self::STEP;
        let size = Self::SIZE.min(len - start);
        // SAFETY: as for the index, git never rewrites a pack in place.
        let window = unsafe {
            memmap2::MmapOptions::new()
                .offset(start)
                .len(usize::try_from(size).ok()?)
                .map(file)
        }
        .ok()?;
        if self.mapped.len() == Self::KEPT {
            self.mapped.remove(0);
        }
        self.mapped.push((number, window));
        self.mapped.last().map(|(_, window)| window)
    }
}

struct Entry {
    kind: EntryKind,
    /// The inflated size: the object's, or the delta's.
    size: usize,
    /// Where the deflated data starts.
    data: u64,
}

enum EntryKind {
    Whole(Kind),
    OffsetDelta(u64),
    RefDelta([u8; 20]),
}

/// The objects resolved lately, by place: two generations of at most
/// `BUDGET` bytes each, the older dropped when the newer fills, so that
/// what was used lately stays.
#[derive(Default)]
struct Resolved {
    newer: FxHashMap<(usize, u64), Object>,
    older: FxHashMap<(usize, u64), Object>,
    bytes: usize,
}

impl Resolved {
    const BUDGET: usize = 4 << 20;
    /// The largest object kept.
    const LARGEST_KEPT: usize = Self::BUDGET / 8;

    fn get(&mut self, at: (usize, u64)) -> Option<Object> {
        if let Some(object) = self.newer.get(&at) {
            return Some(object.clone());
        }
        let object = self.older.remove(&at)?;
        self.keep(at, &object);
        Some(object)
    }

    fn keep(&mut self, at: (usize, u64), object: &Object) {
        let size = object.1.len();
        if size > Self::LARGEST_KEPT {
            return;
        }
        if self.bytes + size > Self::BUDGET {
            self.older = std::mem::take(&mut self.newer);
            self.bytes = 0;
        }
        self.bytes += size;
        self.newer.insert(at, object.clone());
    }
}

/// `base` changed by the git delta `delta`; none if the delta does not
/// fit the base.
fn apply_delta(base: &[u8], delta: &[u8]) -> Option<Rc<[u8]>> {
    let (base_size, result_size, mut at) = delta_sizes(delta)?;
    if base_size != base.len() || result_size > Packs::LARGEST_READ {
        return None;
    }
    let mut result = zeroed(result_size);
    let out = Rc::get_mut(&mut result)?;
    let mut written = 0;
    while at < delta.len() {
        let op = delta[at];
        at += 1;
        let piece = if op & 0x80 != 0 {
            // Copy from the base: which bytes of offset and size follow.
            let mut field = |bits: u8, first: u32| {
                let mut value = 0usize;
                for bit in 0..bits {
                    if op & (1 << (first + u32::from(bit))) != 0 {
                        value |= usize::from(*delta.get(at)?) << (8 * bit);
                        at += 1;
                    }
                }
                Some(value)
            };
            let offset = field(4, 0)?;
            let length = match field(3, 4)? {
                0 => 0x10000,
                length => length,
            };
            base.get(offset..offset.checked_add(length)?)?
        } else if op != 0 {
            let length = usize::from(op);
            at += length;
            delta.get(at - length..at)?
        } else {
            return None;
        };
        out.get_mut(written..written + piece.len())?
            .copy_from_slice(piece);
        written += piece.len();
    }
    (written == result_size).then_some(result)
}

/// A buffer of `size` zeros, to be written over.
fn zeroed(size: usize) -> Rc<[u8]> {
    std::iter::repeat_n(0, size).collect()
}

/// A delta's header: the sizes of its base and of its result, and where
/// its instructions start.
fn delta_sizes(delta: &[u8]) -> Option<(usize, usize, usize)> {
    let mut at = 0;
    let mut size = || {
        let mut value = 0usize;
        let mut shift = 0;
        loop {
            let byte = *delta.get(at)?;
            at += 1;
            value |= usize::from(byte & 0x7f).checked_shl(shift)?;
            shift += 7;
            if byte & 0x80 == 0 || shift > 60 {
                return (byte & 0x80 == 0).then_some(value);
            }
        }
    };
    let (base, result) = (size()?, size()?);
    Some((base, result, at))
}

/// The id git gives an object of `kind` holding `data`. Not libgit2's
/// `Oid::hash_object`, which news uses for what it writes: its
/// collision-detecting SHA-1 is several times slower, and a walk hashes
/// every object it reads.
fn object_id(kind: Kind, data: &[u8]) -> [u8; 20] {
    use sha1::Digest;
    use std::io::Write;
    let mut header = [0u8; 32];
    let mut cursor = std::io::Cursor::new(&mut header[..]);
    let _ = write!(cursor, "{} {}\0", kind.name(), data.len());
    let length = cursor.position() as usize;
    let mut hasher = sha1::Sha1::new();
    hasher.update(&header[..length]);
    hasher.update(data);
    hasher.finalize().into()
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::test_repo::Sandbox;

    /// A history of folders and files changed a little at a time, so that
    /// a pack holds long delta chains of trees and blobs.
    fn history(sandbox: &Sandbox, commits: usize) {
        for number in 0..commits {
            let folder = sandbox.top().join(format!("articles/{}", number % 7));
            std::fs::create_dir_all(&folder).unwrap();
            let text = format!(
                "headline = \"Story {number}\"\n{}",
                "body line\n".repeat(number % 50)
            );
            std::fs::write(folder.join(format!("story-{}.toml", number % 23)), text).unwrap();
            sandbox.git(&["add", "-A"]);
            sandbox.git(&["commit", "-q", "-m", &format!("Change {number}")]);
        }
    }

    /// Every object of the repository, read here and by libgit2.
    fn assert_every_object_reads_as_libgit2_reads_it(sandbox: &Sandbox) -> usize {
        let repo = sandbox.repo();
        let odb = repo.odb().unwrap();
        let mut packs = Packs::open(&repo.path().join("objects"));
        assert!(!packs.packs.is_empty(), "the repository is packed");
        let mut read = 0;
        for line in every_id(sandbox) {
            let id = git2::Oid::from_str(&line).unwrap();
            let (kind, data) = packs
                .read(&raw_id(&line))
                .unwrap()
                .unwrap_or_else(|| panic!("{id} is in a pack"));
            let theirs = odb.read(id).unwrap();
            assert_eq!(&*data, theirs.data(), "{id}");
            assert_eq!(kind, Kind::of(theirs.kind()), "{id}");
            read += 1;
        }
        read
    }

    #[test]
    fn every_object_of_a_repacked_history_reads_as_libgit2_reads_it() {
        let sandbox = Sandbox::new("news.toml", "[newsroom]\n");
        history(&sandbox, 120);
        sandbox.git(&["tag", "-a", "-m", "A tag", "v1"]);
        // Deep chains with newer versions as bases, as `git gc` makes them.
        sandbox.git(&["repack", "-a", "-d", "-f", "--depth=50", "--window=50"]);
        let read = assert_every_object_reads_as_libgit2_reads_it(&sandbox);
        assert!(read > 300, "{read}");
        let chains = sandbox.git(&["verify-pack", "-v", &pack_path(&sandbox)]);
        assert!(
            chains.contains("chain length = 10"),
            "deltas were read: {chains}"
        );
    }

    #[test]
    fn every_object_of_a_fast_import_pack_reads_as_libgit2_reads_it() {
        // fast-import makes each version a delta of the one before.
        let sandbox = Sandbox::new("news.toml", "[newsroom]\n");
        let mut stream = String::new();
        for number in 1..=200 {
            let text = format!(
                "headline = \"Story {number}\"\n{}",
                "line\n".repeat(number % 40)
            );
            stream += &format!(
                "blob\nmark :{number}\ndata {}\n{text}\ncommit refs/heads/imported\n\
                 committer K <k@example> {} +0000\ndata 3\nimp\n",
                text.len(),
                1_400_000_000 + number
            );
            stream += &format!("M 100644 :{number} articles/{}/story.toml\n\n", number % 5);
        }
        let mut import = crate::git::test_repo::git_command(sandbox.home(), &sandbox.top())
            .args(["fast-import", "--quiet"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Enough objects that each first byte has many ids to search.
        for number in 0..20_000 {
            let text = format!("blob number {number}");
            stream += &format!("blob\ndata {}\n{text}\n", text.len());
        }
        use std::io::Write;
        import
            .stdin
            .take()
            .unwrap()
            .write_all(stream.as_bytes())
            .unwrap();
        assert!(import.wait().unwrap().success());
        sandbox.git(&["repack", "-q"]);
        assert!(assert_every_object_reads_as_libgit2_reads_it(&sandbox) > 20_400);
        // Ids next to those there are not found.
        let objects = sandbox.repo().path().join("objects");
        let mut packs = Packs::open(&objects);
        for line in every_id(&sandbox).into_iter().take(2_000) {
            let mut id = raw_id(&line);
            id[19] ^= 0x80;
            assert!(
                packs.read(&id).unwrap().is_none(),
                "{line} with its last bit changed"
            );
        }
    }

    #[test]
    fn an_index_that_points_an_id_at_another_object_is_an_error_not_an_answer() {
        let sandbox = Sandbox::new("news.toml", "[newsroom]\n");
        history(&sandbox, 12);
        sandbox.git(&["repack", "-a", "-d", "-q"]);
        // Two commits' places in the index swapped: each id now leads to
        // the other commit, which git's own log would not notice.
        let ids = every_id(&sandbox);
        let (first, second) = (
            sandbox.git(&["rev-parse", "HEAD"]),
            sandbox.git(&["rev-parse", "HEAD~5"]),
        );
        let place = |id: &str| ids.iter().position(|listed| listed == id.trim()).unwrap();
        let index_path = std::path::PathBuf::from(pack_path(&sandbox)).with_extension("idx");
        let mut index = std::fs::read(&index_path).unwrap();
        let offsets = IDS_AT + ids.len() * 24;
        let (a, b) = (offsets + place(&first) * 4, offsets + place(&second) * 4);
        for byte in 0..4 {
            index.swap(a + byte, b + byte);
        }
        overwrite(&index_path, &index);
        let error = read_anew(&sandbox, &first).unwrap_err();
        assert!(error.message().contains(first.trim()), "{error}");
        assert!(error.message().contains("damaged"), "{error}");
    }

    #[test]
    fn a_loose_object_or_a_damaged_pack_is_left_to_libgit2() {
        let sandbox = Sandbox::new("news.toml", "[newsroom]\n");
        history(&sandbox, 5);
        sandbox.git(&["repack", "-a", "-d", "-q"]);
        std::fs::write(sandbox.top().join("loose.txt"), "not packed\n").unwrap();
        let loose = sandbox.git(&["hash-object", "-w", "loose.txt"]);
        let head = sandbox.git(&["rev-parse", "HEAD"]);
        assert!(read_anew(&sandbox, &head).unwrap().is_some());
        assert!(read_anew(&sandbox, &loose).unwrap().is_none());
        // A pack whose index names another pack's checksum is not read.
        let index = std::path::PathBuf::from(pack_path(&sandbox)).with_extension("idx");
        let mut bytes = std::fs::read(&index).unwrap();
        let at = bytes.len() - 40;
        bytes[at] ^= 1;
        overwrite(&index, &bytes);
        assert!(read_anew(&sandbox, &head).unwrap().is_none());
    }

    #[test]
    fn empty_files_and_an_empty_tree_read_as_libgit2_reads_them() {
        let sandbox = Sandbox::new("news.toml", "");
        sandbox.git(&["commit", "-q", "--allow-empty", "-m", "nothing"]);
        let empty_tree = sandbox.git(&["hash-object", "-t", "tree", "-w", "/dev/null"]);
        let orphan = sandbox.git(&["commit-tree", "-m", "empty", empty_tree.trim()]);
        sandbox.git(&["tag", "empty", orphan.trim()]);
        sandbox.git(&["repack", "-a", "-d", "-q"]);
        assert!(assert_every_object_reads_as_libgit2_reads_it(&sandbox) >= 5);
    }

    /// The id and pack offset of the first delta `git verify-pack` lists,
    /// and the pack's bytes.
    fn first_delta(sandbox: &Sandbox) -> (String, usize, Vec<u8>) {
        let pack = pack_path(sandbox);
        let listed = sandbox.git(&["verify-pack", "-v", &pack]);
        let (id, offset) = listed
            .lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>())
            .find(|fields| fields.len() == 7)
            .map(|fields| (fields[0].to_owned(), fields[4].parse::<usize>().unwrap()))
            .expect("a delta");
        (id, offset, std::fs::read(&pack).unwrap())
    }

    /// Writes `bytes` over the repository's pack, and reads `id` from it.
    fn read_damaged(
        sandbox: &Sandbox,
        id: &str,
        bytes: &[u8],
    ) -> Result<Option<Object>, git2::Error> {
        overwrite(Path::new(&pack_path(sandbox)), bytes);
        read_anew(sandbox, id)
    }

    /// The object `hex` as packs opened now read it.
    fn read_anew(sandbox: &Sandbox, hex: &str) -> Result<Option<Object>, git2::Error> {
        Packs::open(&sandbox.repo().path().join("objects")).read(&raw_id(hex))
    }

    /// Every object id of the repository, in the order of its pack index.
    fn every_id(sandbox: &Sandbox) -> Vec<String> {
        let listed = sandbox.git(&[
            "cat-file",
            "--batch-all-objects",
            "--batch-check=%(objectname)",
        ]);
        listed.lines().map(str::to_owned).collect()
    }

    fn raw_id(hex: &str) -> [u8; 20] {
        let id = git2::Oid::from_str(hex.trim()).unwrap();
        id.as_bytes().try_into().unwrap()
    }

    /// Writes `bytes` over a file git made read-only.
    fn overwrite(path: &Path, bytes: &[u8]) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Where the entry header at `offset` in `bytes` ends its size.
    fn after_size(bytes: &[u8], offset: usize) -> usize {
        let mut at = offset;
        while bytes[at] & 0x80 != 0 {
            at += 1;
        }
        at + 1
    }

    #[test]
    fn an_offset_delta_based_on_itself_is_an_error_not_a_loop() {
        let sandbox = Sandbox::new("news.toml", "[newsroom]\n");
        history(&sandbox, 30);
        sandbox.git(&["repack", "-a", "-d", "-f", "-q", "--depth=50"]);
        let (id, offset, mut bytes) = first_delta(&sandbox);
        assert_eq!((bytes[offset] >> 4) & 7, 6, "an offset delta");
        // Its distance back to its base made 0.
        let distance = after_size(&bytes, offset);
        bytes[distance] = 0;
        let error = read_damaged(&sandbox, &id, &bytes).unwrap_err();
        assert!(error.message().contains("damaged"), "{error}");
    }

    #[test]
    fn a_ref_delta_based_on_itself_is_an_error_not_a_loop() {
        let sandbox = Sandbox::new("news.toml", "[newsroom]\n");
        history(&sandbox, 30);
        sandbox.git(&[
            "-c",
            "repack.useDeltaBaseOffset=false",
            "repack",
            "-a",
            "-d",
            "-f",
            "-q",
        ]);
        let (id, offset, mut bytes) = first_delta(&sandbox);
        assert_eq!((bytes[offset] >> 4) & 7, 7, "a delta on a base named by id");
        let base = after_size(&bytes, offset);
        let own = git2::Oid::from_str(&id).unwrap();
        bytes[base..base + 20].copy_from_slice(own.as_bytes());
        let error = read_damaged(&sandbox, &id, &bytes).unwrap_err();
        assert!(error.message().contains("loops"), "{error}");
        assert!(error.message().contains(&id), "{error}");
    }

    #[test]
    fn a_delta_that_does_not_fit_its_base_is_refused() {
        // Base size 3, result size 2: copy 2 bytes from offset 1.
        assert_eq!(
            apply_delta(b"abc", &[3, 2, 0x91, 1, 2]),
            Some(Rc::from(&b"bc"[..]))
        );
        assert_eq!(apply_delta(b"abcd", &[3, 2, 0x91, 1, 2]), None);
        assert_eq!(
            apply_delta(b"abc", &[3, 2, 0x91, 2, 2]),
            None,
            "past the base"
        );
        assert_eq!(
            apply_delta(b"abc", &[3, 3, 2, b'x', b'y']),
            None,
            "short result"
        );
        assert_eq!(apply_delta(b"abc", &[3, 1, 0]), None, "reserved op");
        assert_eq!(
            apply_delta(b"abc", &[3, 1, 0x91, 0, 3]),
            None,
            "longer than it says"
        );
        let huge = [
            3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x91, 0, 3,
        ];
        assert_eq!(apply_delta(b"abc", &huge), None, "an impossible size");
    }

    fn pack_path(sandbox: &Sandbox) -> String {
        let folder = sandbox.repo().path().join("objects/pack");
        std::fs::read_dir(folder)
            .unwrap()
            .flatten()
            .map(|entry| entry.path())
            .find(|path| {
                path.extension()
                    .is_some_and(|extension| extension == "pack")
            })
            .unwrap()
            .display()
            .to_string()
    }
}
