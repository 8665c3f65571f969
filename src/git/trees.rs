//! Trees compared as a history walk needs them: read only as deep as
//! their ids differ, each tree read once across consecutive commits.

use super::GitError;

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

/// The trees a walk read lately, by id. A commit's trees are its child's
/// parent trees: kept for the next step, each is read once, not twice.
pub(super) struct Trees<'repo> {
    repo: &'repo git2::Repository,
    /// Each with its id, compared as bytes (`Oid`'s `==` calls into
    /// libgit2).
    recent: std::collections::VecDeque<(git2::Oid, git2::Tree<'repo>)>,
}

impl<'repo> Trees<'repo> {
    /// As many as two commits' paths down to a file, and a full diff's
    /// folders at a few levels, hold.
    const KEPT: usize = 16;

    pub(super) fn new(repo: &'repo git2::Repository) -> Self {
        Self {
            repo,
            recent: std::collections::VecDeque::with_capacity(Self::KEPT),
        }
    }

    pub(super) fn get(&mut self, id: git2::Oid) -> Result<git2::Tree<'repo>, git2::Error> {
        if let Some((_, tree)) = self
            .recent
            .iter()
            .find(|(kept, _)| kept.as_bytes() == id.as_bytes())
        {
            return Ok(tree.clone());
        }
        let tree = self.repo.find_tree(id)?;
        if self.recent.len() == Self::KEPT {
            self.recent.pop_front();
        }
        self.recent.push_back((id, tree.clone()));
        Ok(tree)
    }
}

/// The tree at `components` below `root`, if there is one.
pub(super) fn subtree<'repo>(
    trees: &mut Trees<'repo>,
    root: &git2::Tree<'repo>,
    components: &[&str],
) -> Result<Option<git2::Tree<'repo>>, GitError> {
    let failed = |error| GitError::git("read a tree", error);
    let mut tree = root.clone();
    for component in components {
        let id = match tree.get_name(component) {
            Some(entry) if entry.kind() == Some(git2::ObjectType::Tree) => entry.id(),
            _ => return Ok(None),
        };
        tree = trees.get(id).map_err(failed)?;
    }
    Ok(Some(tree))
}

/// The blobs that differ between the trees `old` and `new` (none:
/// empty), named below `prefix`, descending only into folders whose
/// ids differ.
pub(super) fn diff_trees<'repo>(
    trees: &mut Trees<'repo>,
    old: Option<&git2::Tree<'repo>>,
    new: Option<&git2::Tree<'repo>>,
    prefix: &str,
    changed: &mut Vec<Changed>,
) -> Result<(), GitError> {
    if old.map(git2::Tree::id) == new.map(git2::Tree::id) {
        return Ok(());
    }
    let failed = |error| GitError::git(format!("compare {prefix}"), error);
    // Both trees' entries are in git's order: walked side by side.
    let (old_len, new_len) = (
        old.map_or(0, git2::Tree::len),
        new.map_or(0, git2::Tree::len),
    );
    let (mut at_old, mut at_new) = (0, 0);
    while at_old < old_len || at_new < new_len {
        let was = old.and_then(|tree| tree.get(at_old));
        let is = new.and_then(|tree| tree.get(at_new));
        let order = match (&was, &is) {
            (Some(was), Some(is)) => git_order(was, is),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, _) => std::cmp::Ordering::Greater,
        };
        let (was, is) = match order {
            std::cmp::Ordering::Less => {
                at_old += 1;
                (was, None)
            }
            std::cmp::Ordering::Greater => {
                at_new += 1;
                (None, is)
            }
            std::cmp::Ordering::Equal => {
                at_old += 1;
                at_new += 1;
                (was, is)
            }
        };
        if was.as_ref().map(git2::TreeEntry::id) == is.as_ref().map(git2::TreeEntry::id) {
            continue;
        }
        let entry = is
            .as_ref()
            .or(was.as_ref())
            .expect("one side has the entry");
        let path = format!("{prefix}/{}", String::from_utf8_lossy(entry.name_bytes()));
        let of_kind = |entry: &Option<git2::TreeEntry<'_>>, kind| {
            entry
                .as_ref()
                .filter(|entry| entry.kind() == Some(kind))
                .map(git2::TreeEntry::id)
        };
        let (old_tree, new_tree) = (
            of_kind(&was, git2::ObjectType::Tree),
            of_kind(&is, git2::ObjectType::Tree),
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
            of_kind(&was, git2::ObjectType::Blob),
            of_kind(&is, git2::ObjectType::Blob),
        );
        if old_blob != new_blob {
            changed.push((path, old_blob, new_blob));
        }
    }
    Ok(())
}

/// The entries at `path` in `ours` and `theirs`, read down only while
/// their ids differ.
pub(super) fn compare<'repo>(
    trees: &mut Trees<'repo>,
    ours: &git2::Tree<'repo>,
    theirs: &git2::Tree<'repo>,
    path: &[&str],
) -> Result<Compared, git2::Error> {
    if ours.id() == theirs.id() {
        return Ok(Compared::Same);
    }
    let (mut ours, mut theirs) = (Some(ours.clone()), Some(theirs.clone()));
    for (depth, component) in path.iter().enumerate() {
        let entry = |tree: &Option<git2::Tree<'_>>| {
            tree.as_ref().and_then(|tree| {
                tree.get_name(component)
                    .map(|entry| (entry.id(), entry.kind()))
            })
        };
        let (here, there) = (entry(&ours), entry(&theirs));
        if here.map(|(id, _)| id) == there.map(|(id, _)| id) {
            return Ok(Compared::Same);
        }
        if depth + 1 == path.len() {
            let blob = |entry: Option<(git2::Oid, Option<git2::ObjectType>)>| {
                entry
                    .filter(|(_, kind)| *kind == Some(git2::ObjectType::Blob))
                    .map(|(id, _)| id)
            };
            return Ok(Compared::Differ {
                ours: blob(here),
                theirs: blob(there),
            });
        }
        let mut subtree = |entry: Option<(git2::Oid, Option<git2::ObjectType>)>| {
            entry
                .filter(|(_, kind)| *kind == Some(git2::ObjectType::Tree))
                .map(|(id, _)| trees.get(id))
                .transpose()
        };
        ours = subtree(here)?;
        theirs = subtree(there)?;
    }
    Ok(Compared::Same)
}

/// The blob at `path` in `tree`.
pub(super) fn blob_at(tree: &git2::Tree<'_>, path: &str) -> Result<Option<git2::Oid>, GitError> {
    match tree.get_path(std::path::Path::new(path)) {
        Ok(entry) if entry.kind() == Some(git2::ObjectType::Blob) => Ok(Some(entry.id())),
        Ok(_) => Ok(None),
        Err(error) if error.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(error) => Err(GitError::git(format!("read {path}"), error)),
    }
}

/// How git orders tree entries: by name, a folder's as if it ended in `/`.
fn git_order(left: &git2::TreeEntry<'_>, right: &git2::TreeEntry<'_>) -> std::cmp::Ordering {
    let (a, b) = (left.name_bytes(), right.name_bytes());
    let common = a.len().min(b.len());
    a[..common].cmp(&b[..common]).then_with(|| {
        // Past the shorter name: its end, or the `/` a folder's name has.
        let next = |name: &[u8], entry: &git2::TreeEntry<'_>| {
            name.get(common)
                .copied()
                .or_else(|| (entry.kind() == Some(git2::ObjectType::Tree)).then_some(b'/'))
        };
        next(a, left).cmp(&next(b, right))
    })
}
