//! Trees compared as a history walk needs them: read only as deep as
//! their ids differ, each tree read once across consecutive commits, from
//! the packs directly where it can be (see [`super::pack`]).

use std::rc::Rc;

use super::GitError;
use super::pack::{Kind, Packs};

/// A file a commit changed: its path, its blob before and after.
pub(super) type Changed = (String, Option<git2::Oid>, Option<git2::Oid>);

/// The ids of the entries at a path in two trees, or that they are the
/// same (equal ids on the way down mean equal below).
pub(super) enum Compared {
    Same,
    Differ {
        ours: Option<git2::Oid>,
        theirs: Option<git2::Oid>,
    },
}

/// A tree object, its entries read as they are asked for.
#[derive(Clone)]
pub(super) struct Tree {
    id: git2::Oid,
    /// The raw object, checked whole when read.
    data: Rc<[u8]>,
}

/// An entry of a [`Tree`].
#[derive(Clone, Copy)]
pub(super) struct Entry<'tree> {
    name: &'tree [u8],
    mode: u32,
    /// The raw id: made an `Oid` only when asked for.
    raw_id: &'tree [u8],
}

impl Entry<'_> {
    pub(super) fn name_bytes(&self) -> &[u8] {
        self.name
    }

    pub(super) fn id(&self) -> git2::Oid {
        git2::Oid::from_bytes(self.raw_id).expect("a tree entry's id is 20 bytes")
    }

    /// What the entry's mode makes it, as libgit2 says it.
    pub(super) fn kind(&self) -> git2::ObjectType {
        match self.mode & 0o170_000 {
            0o040_000 => git2::ObjectType::Tree,
            0o160_000 => git2::ObjectType::Commit,
            _ => git2::ObjectType::Blob,
        }
    }

    /// Whether the entry is a regular file (not a link, mode 120000).
    pub(super) fn is_file(&self) -> bool {
        self.mode & 0o170_000 == 0o100_000
    }

    /// The id of the entry when it is of `kind`; a blob must be a regular
    /// file: a record is one, and a link in its place is no record (as
    /// the safe read takes it).
    fn id_of(&self, kind: git2::ObjectType) -> Option<git2::Oid> {
        let of_kind = match kind {
            git2::ObjectType::Blob => self.is_file(),
            _ => self.kind() == kind,
        };
        of_kind.then(|| self.id())
    }
}

impl Tree {
    /// The tree `id` whose object is `data`; an error when it is not a
    /// well-formed tree (`<octal mode> <name>\0<20-byte id>` entries).
    fn parse(id: git2::Oid, data: Rc<[u8]>) -> Result<Self, git2::Error> {
        let mut rest: &[u8] = &data;
        while !rest.is_empty() {
            rest = next_entry(rest)
                .map(|(_, rest)| rest)
                .ok_or_else(|| git2::Error::from_str(&format!("tree {id} is damaged")))?;
        }
        Ok(Self { id, data })
    }

    pub(super) fn id(&self) -> git2::Oid {
        self.id
    }

    pub(super) fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        let mut rest: &[u8] = &self.data;
        std::iter::from_fn(move || {
            let (entry, after) = next_entry(rest)?;
            rest = after;
            Some(entry)
        })
    }

    pub(super) fn get_name(&self, name: &str) -> Option<Entry<'_>> {
        self.entries().find(|entry| entry.name == name.as_bytes())
    }
}

/// The first entry of a tree's raw entries, and the rest.
fn next_entry(data: &[u8]) -> Option<(Entry<'_>, &[u8])> {
    let space = data.iter().position(|byte| *byte == b' ')?;
    let mut mode = 0u32;
    for digit in &data[..space] {
        if !(b'0'..=b'7').contains(digit) || mode > 0o7_777_777 {
            return None;
        }
        mode = mode * 8 + u32::from(digit - b'0');
    }
    let after_mode = &data[space + 1..];
    let nul = after_mode.iter().position(|byte| *byte == 0)?;
    let entry = Entry {
        name: &after_mode[..nul],
        mode,
        raw_id: after_mode.get(nul + 1..nul + 21)?,
    };
    (space > 0 && nul > 0).then_some((entry, &after_mode[nul + 21..]))
}

/// The objects a walk reads: from the packs where they can be, else by
/// libgit2; and the trees it read lately, by id. A commit's trees are its
/// child's parent trees: kept for the next step, each is read once, not
/// twice.
pub(super) struct Trees<'repo> {
    repo: &'repo super::Repo,
    odb: git2::Odb<'repo>,
    /// The repository's, while this walk has them.
    packs: Option<Box<Packs>>,
    recent: std::collections::VecDeque<Tree>,
}

impl Drop for Trees<'_> {
    /// Hands the packs back for the next walk, with what they keep.
    fn drop(&mut self) {
        *self.repo.packs.borrow_mut() = self.packs.take();
    }
}

impl<'repo> Trees<'repo> {
    /// As many as two commits' paths down to a file, and a full diff's
    /// folders at a few levels, hold.
    const KEPT: usize = 16;

    pub(super) fn new(repo: &'repo super::Repo) -> Result<Self, GitError> {
        let packs = repo
            .packs
            .borrow_mut()
            .take()
            .unwrap_or_else(|| Box::new(Packs::open(&repo.inner.commondir().join("objects"))));
        Ok(Self {
            repo,
            odb: repo
                .inner
                .odb()
                .map_err(|error| GitError::git("open the object database", error))?,
            packs: Some(packs),
            recent: std::collections::VecDeque::with_capacity(Self::KEPT),
        })
    }

    /// The object `id`, which must be of `kind`.
    pub(super) fn object(&mut self, id: git2::Oid, kind: Kind) -> Result<Rc<[u8]>, git2::Error> {
        let bytes: &[u8; 20] = id.as_bytes().try_into().expect("an id is 20 bytes");
        let packed = match self.packs.as_mut() {
            Some(packs) => packs.read(bytes)?,
            None => None,
        };
        let (found, data) = match packed {
            Some(object) => object,
            None => {
                let object = self.odb.read(id)?;
                (Kind::of(object.kind()), object.data().into())
            }
        };
        if found != kind {
            return Err(git2::Error::from_str(&format!(
                "object {id} is a {found:?}, not a {kind:?}"
            )));
        }
        Ok(data)
    }

    /// Whether commit `id` is where a shallow clone's history stops.
    pub(super) fn is_shallow(&self, id: git2::Oid) -> bool {
        self.repo.is_shallow_root(id)
    }

    /// The content of the blob `id`.
    pub(super) fn blob(&mut self, id: git2::Oid) -> Result<Vec<u8>, GitError> {
        self.object(id, Kind::Blob)
            .map(|data| data.to_vec())
            .map_err(|error| GitError::git(format!("read the blob {id}"), error))
    }

    pub(super) fn get(&mut self, id: git2::Oid) -> Result<Tree, git2::Error> {
        if let Some(tree) = self
            .recent
            .iter()
            .find(|kept| kept.id.as_bytes() == id.as_bytes())
        {
            return Ok(tree.clone());
        }
        let tree = Tree::parse(id, self.object(id, Kind::Tree)?)?;
        if self.recent.len() == Self::KEPT {
            self.recent.pop_front();
        }
        self.recent.push_back(tree.clone());
        Ok(tree)
    }
}

/// The tree at `components` below `root`, if there is one.
pub(super) fn subtree(
    trees: &mut Trees<'_>,
    root: &Tree,
    components: &[&str],
) -> Result<Option<Tree>, GitError> {
    let failed = |error| GitError::git("read a tree", error);
    let mut tree = root.clone();
    for component in components {
        let id = match tree
            .get_name(component)
            .and_then(|entry| entry.id_of(git2::ObjectType::Tree))
        {
            Some(id) => id,
            None => return Ok(None),
        };
        tree = trees.get(id).map_err(failed)?;
    }
    Ok(Some(tree))
}

/// The blobs that differ between the trees `old` and `new` (none:
/// empty), named below `prefix`, descending only into folders whose
/// ids differ.
pub(super) fn diff_trees(
    trees: &mut Trees<'_>,
    old: Option<&Tree>,
    new: Option<&Tree>,
    prefix: &str,
    changed: &mut Vec<Changed>,
) -> Result<(), GitError> {
    if old.map(Tree::id) == new.map(Tree::id) {
        return Ok(());
    }
    let failed = |error| GitError::git(format!("compare {prefix}"), error);
    // Both trees' entries are in git's order: walked side by side.
    let mut was_entries = old.into_iter().flat_map(Tree::entries).peekable();
    let mut is_entries = new.into_iter().flat_map(Tree::entries).peekable();
    loop {
        let order = match (was_entries.peek(), is_entries.peek()) {
            (Some(was), Some(is)) => git_order(was, is),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => break,
        };
        let (was, is) = match order {
            std::cmp::Ordering::Less => (was_entries.next(), None),
            std::cmp::Ordering::Greater => (None, is_entries.next()),
            std::cmp::Ordering::Equal => (was_entries.next(), is_entries.next()),
        };
        if was.map(|entry| entry.raw_id) == is.map(|entry| entry.raw_id) {
            continue;
        }
        let entry = is.or(was).expect("one side has the entry");
        let path = format!("{prefix}/{}", String::from_utf8_lossy(entry.name));
        let of_kind = |entry: Option<Entry<'_>>, kind| entry.and_then(|entry| entry.id_of(kind));
        let (old_tree, new_tree) = (
            of_kind(was, git2::ObjectType::Tree),
            of_kind(is, git2::ObjectType::Tree),
        );
        if old_tree.is_some() || new_tree.is_some() {
            let old_tree = old_tree
                .map(|id| trees.get(id))
                .transpose()
                .map_err(failed)?;
            let new_tree = new_tree
                .map(|id| trees.get(id))
                .transpose()
                .map_err(failed)?;
            diff_trees(trees, old_tree.as_ref(), new_tree.as_ref(), &path, changed)?;
        }
        let (old_blob, new_blob) = (
            of_kind(was, git2::ObjectType::Blob),
            of_kind(is, git2::ObjectType::Blob),
        );
        if old_blob != new_blob {
            changed.push((path, old_blob, new_blob));
        }
    }
    Ok(())
}

/// The entries at `path` in `ours` and `theirs`, read down only while
/// their ids differ.
pub(super) fn compare(
    trees: &mut Trees<'_>,
    ours: &Tree,
    theirs: &Tree,
    path: &[&str],
) -> Result<Compared, git2::Error> {
    if ours.id() == theirs.id() {
        return Ok(Compared::Same);
    }
    let (mut ours, mut theirs) = (Some(ours.clone()), Some(theirs.clone()));
    for (depth, component) in path.iter().enumerate() {
        // Each side's entry: its id, and its ids as a file and a folder.
        let entry = |tree: &Option<Tree>| {
            tree.as_ref().and_then(|tree| {
                tree.get_name(component).map(|entry| {
                    (
                        entry.id(),
                        entry.id_of(git2::ObjectType::Blob),
                        entry.id_of(git2::ObjectType::Tree),
                    )
                })
            })
        };
        let (here, there) = (entry(&ours), entry(&theirs));
        if here.map(|(id, ..)| id) == there.map(|(id, ..)| id) {
            return Ok(Compared::Same);
        }
        let of_kind = |entry: Option<(git2::Oid, Option<git2::Oid>, Option<git2::Oid>)>, kind| {
            entry.and_then(|(_, file, folder)| match kind {
                git2::ObjectType::Blob => file,
                _ => folder,
            })
        };
        if depth + 1 == path.len() {
            return Ok(Compared::Differ {
                ours: of_kind(here, git2::ObjectType::Blob),
                theirs: of_kind(there, git2::ObjectType::Blob),
            });
        }
        ours = of_kind(here, git2::ObjectType::Tree)
            .map(|id| trees.get(id))
            .transpose()?;
        theirs = of_kind(there, git2::ObjectType::Tree)
            .map(|id| trees.get(id))
            .transpose()?;
    }
    Ok(Compared::Same)
}

/// The blob at `path` in `tree`.
pub(super) fn blob_at(
    trees: &mut Trees<'_>,
    tree: &Tree,
    path: &str,
) -> Result<Option<git2::Oid>, GitError> {
    let (folders, name) = match path.rsplit_once('/') {
        Some((folders, name)) => (folders.split('/').collect::<Vec<_>>(), name),
        None => (Vec::new(), path),
    };
    Ok(subtree(trees, tree, &folders)?
        .and_then(|folder| folder.get_name(name)?.id_of(git2::ObjectType::Blob)))
}

/// How git orders tree entries: by name, a folder's as if it ended in `/`.
fn git_order(left: &Entry<'_>, right: &Entry<'_>) -> std::cmp::Ordering {
    let (a, b) = (left.name, right.name);
    let common = a.len().min(b.len());
    a[..common].cmp(&b[..common]).then_with(|| {
        // Past the shorter name: its end, or the `/` a folder's name has.
        let next = |name: &[u8], entry: &Entry<'_>| {
            name.get(common)
                .copied()
                .or_else(|| (entry.kind() == git2::ObjectType::Tree).then_some(b'/'))
        };
        next(a, left).cmp(&next(b, right))
    })
}
