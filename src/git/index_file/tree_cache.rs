//! The cache tree (`TREE`): for each directory, the tree object its index
//! entries would make and how many entries it spans, so `git commit` and
//! `git status` can skip directories that did not change.
//!
//! Kept and written back, with every node along a changed path
//! invalidated (entry count -1, no id, subtrees kept) exactly as git's
//! `cache_tree_invalidate_path` does. Dropping it would also be valid but
//! would make git rebuild every tree on the next commit; keeping it stale
//! would make git commit the old trees, so invalidation is not optional.

use super::bytes::Cursor;

const ID_LEN: usize = 20;

/// A folder's tree in a commit's parent and in the commit (none: absent).
pub(crate) type BeforeAfter<T> = (Option<T>, Option<T>);

#[derive(Debug)]
pub(super) struct TreeCache {
    root: Node,
}

#[derive(Debug)]
struct Node {
    name: Vec<u8>,
    /// Entries the tree spans; negative when invalid.
    entry_count: i32,
    id: [u8; ID_LEN],
    /// Sorted as git sorts them: shorter names first, then bytes.
    children: Vec<Node>,
}

impl TreeCache {
    pub(super) fn parse(data: &[u8]) -> Result<Self, String> {
        let mut cursor = Cursor::new(data, "cache tree");
        // Depth-first, iteratively: a hostile file must not exhaust the stack.
        let mut open: Vec<(Node, usize)> = Vec::new();
        loop {
            let (node, subtrees) = read_node(&mut cursor)?;
            if open.is_empty() && !node.name.is_empty() {
                return Err("the cache tree does not start at the root".into());
            }
            open.push((node, subtrees));
            while let Some((_, 0)) = open.last() {
                let Some((done, _)) = open.pop() else { break };
                match open.last_mut() {
                    Some((parent, remaining)) => {
                        if let Some(last) = parent.children.last()
                            && subtree_order(&last.name, &done.name) != std::cmp::Ordering::Less
                        {
                            return Err("the cache tree's subtrees are out of order".into());
                        }
                        parent.children.push(done);
                        *remaining -= 1;
                    }
                    None => {
                        if cursor.remaining() != 0 {
                            return Err("the cache tree has bytes after its last tree".into());
                        }
                        return Ok(Self { root: done });
                    }
                }
            }
        }
    }

    /// Invalidates the root and every tree on the way to `path`; a subtree
    /// named like `path` itself goes (the path is now a file).
    pub(super) fn invalidate(&mut self, path: &[u8]) {
        let mut node = &mut self.root;
        let mut rest = path;
        loop {
            node.entry_count = -1;
            match rest.iter().position(|&byte| byte == b'/') {
                None => {
                    let found = node
                        .children
                        .binary_search_by(|child| subtree_order(&child.name, rest));
                    if let Ok(at) = found {
                        node.children.remove(at);
                    }
                    return;
                }
                Some(slash) => {
                    let (component, tail) = (&rest[..slash], &rest[slash + 1..]);
                    let found = node
                        .children
                        .binary_search_by(|child| subtree_order(&child.name, component));
                    match found {
                        Ok(at) => {
                            node = &mut node.children[at];
                            rest = tail;
                        }
                        Err(_) => return,
                    }
                }
            }
        }
    }

    /// The tree the index's entries below `dir` make (`""`: the root),
    /// when the cache holds it valid.
    pub(super) fn valid_id(&self, dir: &[u8]) -> Option<[u8; ID_LEN]> {
        let mut node = &self.root;
        if !dir.is_empty() {
            for component in dir.split(|&byte| byte == b'/') {
                let at = node
                    .children
                    .binary_search_by(|child| subtree_order(&child.name, component))
                    .ok()?;
                node = &node.children[at];
            }
        }
        (node.entry_count >= 0).then_some(node.id)
    }

    /// After a commit of `path`, already staged: the trees on the way to it
    /// become valid again where the index below them is known to equal the
    /// commit's tree — as `git commit` leaves the cache tree valid.
    ///
    /// `trees(dir)` gives the tree of `dir` in the commit's parent and in
    /// the commit; `entries(dir)` how many index entries lie below `dir`,
    /// and how many of those the commit changed. A node staging
    /// invalidated keeps the id it had: when that is the parent's tree,
    /// the index below it was the parent's, and is now the commit's. A
    /// folder the parent lacks gets a node when all its entries are the
    /// commit's own.
    pub(super) fn revalidate(
        &mut self,
        path: &[u8],
        trees: &dyn Fn(&[u8]) -> BeforeAfter<[u8; ID_LEN]>,
        entries: &dyn Fn(&[u8]) -> (i32, i32),
    ) {
        let mut node = &mut self.root;
        let mut end = 0;
        loop {
            let dir = &path[..end];
            let (before, after) = trees(dir);
            match (before, after) {
                (Some(before), Some(after)) if node.id == before => {
                    node.id = after;
                    node.entry_count = entries(dir).0;
                }
                _ => node.entry_count = -1,
            }
            let start = if end == 0 { 0 } else { end + 1 };
            let Some(slash) = path[start..].iter().position(|&byte| byte == b'/') else {
                return;
            };
            let component = &path[start..start + slash];
            end = start + slash;
            let at = match node
                .children
                .binary_search_by(|child| subtree_order(&child.name, component))
            {
                Ok(at) => at,
                Err(at) => {
                    let (before, after) = trees(&path[..end]);
                    let (count, ours) = entries(&path[..end]);
                    let Some(after) = after.filter(|_| before.is_none() && count == ours) else {
                        return;
                    };
                    node.children.insert(
                        at,
                        Node {
                            name: component.to_vec(),
                            entry_count: count,
                            id: after,
                            children: Vec::new(),
                        },
                    );
                    at
                }
            };
            node = &mut node.children[at];
        }
    }

    pub(super) fn write(&self, out: &mut Vec<u8>) {
        let mut stack = vec![std::slice::from_ref(&self.root).iter()];
        while let Some(level) = stack.last_mut() {
            match level.next() {
                Some(node) => {
                    out.extend_from_slice(&node.name);
                    out.push(0);
                    let count = if node.entry_count < 0 {
                        -1
                    } else {
                        node.entry_count
                    };
                    out.extend_from_slice(format!("{count} {}\n", node.children.len()).as_bytes());
                    if count >= 0 {
                        out.extend_from_slice(&node.id);
                    }
                    stack.push(node.children.iter());
                }
                None => {
                    stack.pop();
                }
            }
        }
    }

    /// Whether the root is valid (for tests).
    #[cfg(test)]
    pub(super) fn root_is_valid(&self) -> bool {
        self.root.entry_count >= 0
    }
}

/// git's `subtree_name_cmp`: by length, then bytes.
fn subtree_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn read_node(cursor: &mut Cursor<'_>) -> Result<(Node, usize), String> {
    let name = cursor.until_nul()?.to_vec();
    let entry_count = read_int(cursor, b' ')?;
    let subtrees = read_int(cursor, b'\n')?;
    let subtrees = usize::try_from(subtrees)
        .map_err(|_| format!("the cache tree gives {subtrees} subtrees"))?;
    let mut id = [0u8; ID_LEN];
    if entry_count >= 0 {
        id.copy_from_slice(cursor.take(ID_LEN)?);
    }
    // Each subtree takes at least 5 bytes; never trust the count for the
    // allocation.
    let capacity = subtrees.min(cursor.remaining() / 5);
    let node = Node {
        name,
        entry_count,
        id,
        children: Vec::with_capacity(capacity),
    };
    Ok((node, subtrees))
}

/// An optionally negative decimal number followed by `end`.
fn read_int(cursor: &mut Cursor<'_>, end: u8) -> Result<i32, String> {
    let rest = cursor.rest();
    let len = rest
        .iter()
        .position(|&byte| byte == end)
        .ok_or("the cache tree has an unterminated number")?;
    let text = std::str::from_utf8(cursor.take(len)?)
        .ok()
        .filter(|text| !text.starts_with('+'))
        .and_then(|text| text.parse::<i32>().ok());
    cursor.take(1)?;
    text.ok_or_else(|| "the cache tree has a malformed number".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &[(&str, i32, usize)]) -> Vec<u8> {
        let mut out = Vec::new();
        for &(name, count, subtrees) in text {
            out.extend_from_slice(name.as_bytes());
            out.push(0);
            out.extend_from_slice(format!("{count} {subtrees}\n").as_bytes());
            if count >= 0 {
                out.extend_from_slice(&[7; ID_LEN]);
            }
        }
        out
    }

    #[test]
    fn invalidation_follows_the_path_and_drops_a_replaced_directory() {
        let data = tree(&[("", 5, 2), ("a", 2, 1), ("deep", 1, 0), ("bb", 2, 0)]);
        let mut cache = TreeCache::parse(&data).expect("parses");
        let mut out = Vec::new();
        cache.write(&mut out);
        assert_eq!(out, data);

        cache.invalidate(b"a/deep/file");
        let mut out = Vec::new();
        cache.write(&mut out);
        assert_eq!(
            out,
            tree(&[("", -1, 2), ("a", -1, 1), ("deep", -1, 0), ("bb", 2, 0)])
        );

        cache.invalidate(b"bb");
        let mut out = Vec::new();
        cache.write(&mut out);
        assert_eq!(out, tree(&[("", -1, 1), ("a", -1, 1), ("deep", -1, 0)]));
    }

    #[test]
    fn corrupt_trees_are_refused() {
        assert!(TreeCache::parse(b"").is_err());
        assert!(TreeCache::parse(b"\x005 1\n").is_err());
        assert!(TreeCache::parse(&tree(&[("", -1, 2), ("b", -1, 0), ("a", -1, 0)])).is_err());
        assert!(TreeCache::parse(&tree(&[("", -1, 1000000)])).is_err());
        assert!(TreeCache::parse(b"\0x 0\n").is_err());
    }
}
