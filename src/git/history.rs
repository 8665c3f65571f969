//! A file's history: the commits that changed it, found by comparing the
//! tree entries on its path commit by commit, reading only as deep as the
//! ids differ (libgit2 has no changed-path Bloom filters), and following
//! the file where it moved to another folder under the same name.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, TimeZone};

use super::commit_graph::{BloomKeys, CommitGraph};
use super::pack::Kind;
use super::trees::{Changed, Compared, Tree, Trees, blob_at, compare, diff_trees, subtree};
use super::{CommitId, GitError, Repo};

/// A commit, as a history shows it.
#[derive(Clone, Debug)]
pub struct CommitInfo {
    pub commit: CommitId,
    pub author: String,
    pub email: String,
    /// When it was authored, in the author's offset.
    pub when: DateTime<FixedOffset>,
    pub message: String,
    /// How many parents the commit has (2 and more: a merge).
    pub parents: usize,
    /// Whether the commit is where this shallow clone's history stops:
    /// what came before it is not in the repository.
    pub cut: bool,
}

impl CommitInfo {
    fn of(repo: &Repo, commit: &git2::Commit<'_>) -> Self {
        let author = commit.author();
        Self {
            cut: repo.is_shallow_root(commit.id()),
            commit: CommitId(commit.id().to_string()),
            author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
            when: signature_time(&author.when()),
            message: String::from_utf8_lossy(commit.message_bytes()).into_owned(),
            parents: commit.parent_count(),
        }
    }
}

/// The commits a walk reaches, in its order, with what it read of each.
#[derive(Default)]
struct Walk {
    order: Vec<git2::Oid>,
    nodes: HashMap<git2::Oid, Node>,
}

/// What a walk needs of a commit: its tree, parents and commit time.
struct Node {
    tree: git2::Oid,
    parents: Vec<git2::Oid>,
    time: i64,
}

impl Node {
    /// The raw commit object's `tree`, `parent` and `committer` lines
    /// (its header, up to the first empty line), read without copying.
    /// As git reads it: the parents are the `parent` lines right after
    /// `tree`; one further down is not a parent.
    fn parse(data: &[u8]) -> Option<Self> {
        let mut lines = data.split(|byte| *byte == b'\n');
        let tree = hex_id(lines.next()?.strip_prefix(b"tree ")?)?;
        let (mut parents, mut time) = (Vec::new(), None);
        let mut lines = lines.peekable();
        while let Some(id) = lines.peek().and_then(|line| line.strip_prefix(b"parent ")) {
            parents.push(hex_id(id)?);
            lines.next();
        }
        for line in lines {
            if line.is_empty() {
                break;
            } else if let Some(committer) = line.strip_prefix(b"committer ")
                && time.is_none()
            {
                // `Name <email> 1420000000 +0300`: the second field from
                // the end.
                let mut fields = committer.rsplitn(3, |byte| *byte == b' ');
                let _zone = fields.next();
                time = std::str::from_utf8(fields.next()?).ok()?.parse().ok();
            }
        }
        Some(Self {
            tree,
            parents,
            time: time?,
        })
    }
}

/// A commit header's 40 hexadecimal digits as an id.
fn hex_id(hex: &[u8]) -> Option<git2::Oid> {
    let digit = |hex: u8| char::from(hex).to_digit(16);
    let mut raw = [0u8; 20];
    for (byte, pair) in raw.iter_mut().zip(hex.chunks(2)) {
        *byte = (digit(pair[0])? * 16 + digit(*pair.get(1)?)?) as u8;
    }
    (hex.len() == 40).then(|| git2::Oid::from_bytes(&raw).ok())?
}

/// What a folder's walk hands on for each commit that changed files
/// there: the commit, the files, and the walk's reader for their blobs.
type CommitVisitor<'a> =
    dyn FnMut(&git2::Commit<'_>, Vec<Changed>, &mut Trees<'_>) -> Result<bool, GitError> + 'a;

/// A merge commit, and where it differs from each of its parents.
#[derive(Clone, Debug)]
pub struct Merge {
    pub info: CommitInfo,
    /// Each parent, the first first, with the files (from the top) in
    /// which the merge differs from it.
    pub parents: Vec<(CommitId, std::collections::BTreeSet<String>)>,
}

/// A commit that changed a file.
#[derive(Clone, Debug)]
pub struct FileCommit {
    pub info: CommitInfo,
    /// Where the file is at the commit (where it was, if removed).
    pub path: String,
    /// Where it was at the first parent, when it was elsewhere.
    pub moved_from: Option<String>,
    /// The file at the first parent; none: not there.
    pub before: Option<Vec<u8>>,
    /// The file at the commit; none: removed.
    pub after: Option<Vec<u8>>,
}

impl Repo {
    /// Every commit reachable from `revision` that changed the file at
    /// `path` (relative to the top), newest first, each once: a commit
    /// whose file differs from its parent's, a merge whose file differs
    /// from every parent's. Where a commit has the file and its parent has
    /// none at that path, the parent's file of the same name below
    /// `folder` is taken as the same file, moved. With `since`, only the
    /// commits that are not in `since`'s history (`since..revision`).
    pub fn file_history(
        &self,
        revision: &str,
        path: &str,
        folder: &str,
        since: Option<&str>,
    ) -> Result<Vec<FileCommit>, GitError> {
        let tip = self.commit_id(revision)?;
        let since = since.map(|since| self.commit_id(since)).transpose()?;
        let graph = self.commit_graph.get_or_init(|| {
            CommitGraph::open(&self.inner.commondir().join("objects"))
                .filter(CommitGraph::has_bloom_filters)
        });
        if let Some(graph) = graph
            && let Some(start) = graph.position(tip.as_bytes())
        {
            let hidden = match since {
                Some(since) => graph
                    .position(since.as_bytes())
                    .map(|since| reachable(graph, since)),
                None => Some(Vec::new()),
            };
            if let Some(hidden) = hidden {
                return self.file_history_in_graph(graph, start, &hidden, path, folder);
            }
        }
        let mut paths: HashMap<git2::Oid, String> = HashMap::new();
        let mut found = Vec::new();
        let mut tip = tip;
        if since.is_none() {
            match self.file_history_linear(tip, path, folder, &mut found)? {
                Some((merge, here)) => {
                    tip = merge;
                    paths.insert(merge, here);
                }
                None => return Ok(found),
            }
        }
        let walk = self.ordered_commits(tip, since)?;
        let mut trees = Trees::new(self)?;
        for id in &walk.order {
            let here = paths.remove(id).unwrap_or_else(|| path.to_owned());
            let (tree, parents) = self.trees_of(&walk, *id, &mut trees)?;
            let (change, parents) = self.examine(*id, &tree, &parents, here, folder, &mut trees)?;
            for (parent, parent_path) in parents {
                paths.entry(parent).or_insert(parent_path);
            }
            found.extend(change);
        }
        Ok(found)
    }

    /// The part of [`Self::file_history`] down the chain of commits with
    /// one parent from `tip`: each examined as it is read, nothing kept
    /// (there, the order of every walk is the chain's order). Where the
    /// chain meets a merge: that commit, and where the file is there, for
    /// the ordered walk to go on from; none when it ends at a root.
    fn file_history_linear(
        &self,
        tip: git2::Oid,
        path: &str,
        folder: &str,
        found: &mut Vec<FileCommit>,
    ) -> Result<Option<(git2::Oid, String)>, GitError> {
        let failed = |error| GitError::git(format!("read the history of {path}"), error);
        let mut trees = Trees::new(self)?;
        let (mut id, mut node, mut here) = (tip, read_node(&mut trees, tip)?, path.to_owned());
        loop {
            let tree = trees.get(node.tree).map_err(failed)?;
            let parent = match node.parents.as_slice() {
                [parent] => *parent,
                [] => {
                    let (change, _) = self.examine(id, &tree, &[], here, folder, &mut trees)?;
                    found.extend(change);
                    return Ok(None);
                }
                _ => return Ok(Some((id, here))),
            };
            let parent_node = read_node(&mut trees, parent)?;
            let parent_tree = trees.get(parent_node.tree).map_err(failed)?;
            let (change, parents) = self.examine(
                id,
                &tree,
                &[(parent, parent_tree)],
                here,
                folder,
                &mut trees,
            )?;
            found.extend(change);
            here = match parents.into_iter().next() {
                Some((_, parent_path)) => parent_path,
                None => path.to_owned(),
            };
            (id, node) = (parent, parent_node);
        }
    }

    /// As [`Self::file_history`], walking the commit-graph from the commit
    /// at `start`: commits by commit time, newest first, leaving out those
    /// marked in `hidden`; a commit with one parent whose Bloom filter says
    /// the path did not change is passed by without reading it.
    fn file_history_in_graph(
        &self,
        graph: &CommitGraph,
        start: u32,
        hidden: &[bool],
        path: &str,
        folder: &str,
    ) -> Result<Vec<FileCommit>, GitError> {
        let failed = |error| GitError::git(format!("read the history of {path}"), error);
        let damaged = || {
            GitError::git(
                "read the commit-graph",
                git2::Error::from_str(
                    "the commit-graph is damaged; remove .git/objects/info/commit-graph",
                ),
            )
        };
        let is_hidden = |position: u32| hidden.get(position as usize).copied().unwrap_or(false);
        // Children before their parents, newest first among the commits
        // whose children are all done: each commit's count of children
        // still to come, over the commits the walk reaches.
        let mut children = vec![0u32; graph.len()];
        let mut reached = vec![false; graph.len()];
        let mut stack = vec![start];
        while let Some(position) = stack.pop() {
            if is_hidden(position) || std::mem::replace(&mut reached[position as usize], true) {
                continue;
            }
            for parent in graph.parents(position).ok_or_else(damaged)? {
                children[parent as usize] += 1;
                stack.push(parent);
            }
        }
        let mut queue = std::collections::BinaryHeap::new();
        let mut paths: HashMap<u32, String> = HashMap::new();
        let mut keys: HashMap<String, BloomKeys> = HashMap::new();
        let order = |position: u32| -> Result<(u64, Vec<u8>, u32), GitError> {
            Ok((
                graph.commit_time(position).ok_or_else(damaged)?,
                graph.id(position).ok_or_else(damaged)?.to_vec(),
                position,
            ))
        };
        if !is_hidden(start) {
            queue.push(order(start)?);
        }
        let mut found = Vec::new();
        let mut trees = Trees::new(self)?;
        while let Some((_, _, position)) = queue.pop() {
            let here = paths.remove(&position).unwrap_or_else(|| path.to_owned());
            let parents = graph.parents(position).ok_or_else(damaged)?;
            let key = keys
                .entry(here.clone())
                .or_insert_with(|| graph.bloom_keys(&here).unwrap_or(BloomKeys::none()));
            let unchanged =
                parents.len() == 1 && graph.may_have_changed(position, key) == Some(false);
            let parent_paths: Vec<(u32, String)> = if unchanged {
                vec![(parents[0], here)]
            } else {
                let id = git2::Oid::from_bytes(graph.id(position).ok_or_else(damaged)?)
                    .map_err(failed)?;
                let (tree, parents) = self.trees_of(&Walk::default(), id, &mut trees)?;
                let (change, parent_paths) =
                    self.examine(id, &tree, &parents, here, folder, &mut trees)?;
                found.extend(change);
                parent_paths
                    .into_iter()
                    .map(|(parent, parent_path)| {
                        graph
                            .position(parent.as_bytes())
                            .map(|parent| (parent, parent_path))
                            .ok_or_else(damaged)
                    })
                    .collect::<Result<_, _>>()?
            };
            for (parent, parent_path) in parent_paths {
                paths.entry(parent).or_insert(parent_path);
                let waiting = &mut children[parent as usize];
                *waiting = waiting.saturating_sub(1);
                if *waiting == 0 && !is_hidden(parent) {
                    queue.push(order(parent)?);
                }
            }
        }
        Ok(found)
    }

    /// What `commit` did to the file at `path`: the change, when it made
    /// one, and where each parent has the file.
    #[allow(clippy::type_complexity)]
    fn examine<'repo>(
        &'repo self,
        id: git2::Oid,
        tree: &Tree,
        parent_trees: &[(git2::Oid, Tree)],
        path: String,
        folder: &str,
        trees: &mut Trees<'repo>,
    ) -> Result<(Option<FileCommit>, Vec<(git2::Oid, String)>), GitError> {
        let failed = |error| GitError::git(format!("read the history of {path}"), error);
        let name = path.rsplit('/').next().unwrap_or(&path).to_owned();
        let components: Vec<&str> = path.split('/').collect();
        // The file here, once a parent's differs; whether every parent's
        // differs; where and what it was at the first one.
        let mut ours = None;
        let mut differs_from_all = true;
        let mut first: Option<(String, Option<git2::Oid>)> = None;
        let mut parents = Vec::new();
        for (number, (parent, parent_tree)) in parent_trees.iter().enumerate() {
            let mut parent_path = path.clone();
            let mut theirs = None;
            match compare(trees, tree, parent_tree, &components).map_err(failed)? {
                Compared::Same => differs_from_all = false,
                Compared::Differ {
                    ours: here,
                    theirs: there,
                } => {
                    ours = Some(here);
                    theirs = there;
                    if here.is_some()
                        && there.is_none()
                        && let Some((moved, blob)) = find_named(trees, parent_tree, folder, &name)?
                    {
                        // Moved: a change even with the same content.
                        parent_path = moved;
                        theirs = Some(blob);
                    }
                }
            }
            parents.push((*parent, parent_path.clone()));
            if number == 0 {
                first = Some((parent_path, theirs));
            }
        }
        let changed = match first {
            // A root commit changes the file when it has it.
            None => {
                ours = Some(blob_at(trees, tree, &path)?);
                ours.flatten().is_some()
            }
            Some(_) => differs_from_all,
        };
        if !changed {
            return Ok((None, parents));
        }
        let ours = ours.flatten();
        let (before_path, before) = first.unwrap_or((path.clone(), None));
        let commit = self.inner.find_commit(id).map_err(failed)?;
        let change = FileCommit {
            info: CommitInfo::of(self, &commit),
            moved_from: (before_path != path && before.is_some()).then_some(before_path),
            path,
            before: before.map(|id| trees.blob(id)).transpose()?,
            after: ours.map(|id| trees.blob(id)).transpose()?,
        };
        Ok((Some(change), parents))
    }

    /// The commits reachable from `revision`, newest first, that changed
    /// files below `folder` (relative to the top): each with those files,
    /// before (at the first parent) and after. A merge counts with the
    /// files it left different from every parent. `visit` returns whether
    /// to go on.
    pub fn folder_history(
        &self,
        revision: &str,
        folder: &str,
        since: Option<&str>,
        visit: &mut dyn FnMut(Vec<FileCommit>) -> Result<bool, GitError>,
    ) -> Result<(), GitError> {
        self.walk_folder(revision, folder, since, &mut |commit, changed, trees| {
            let info = CommitInfo::of(self, commit);
            let files = changed
                .into_iter()
                .map(|(path, before, after)| {
                    Ok(FileCommit {
                        info: info.clone(),
                        path,
                        moved_from: None,
                        before: before.map(|id| trees.blob(id)).transpose()?,
                        after: after.map(|id| trees.blob(id)).transpose()?,
                    })
                })
                .collect::<Result<Vec<_>, GitError>>()?;
            visit(files)
        })
    }

    /// The merge commits reachable from `revision` and not from `since`,
    /// newest first, each with the files below `folder` in which it
    /// differs from each parent. Trees are compared only where their
    /// ids differ; no file is read.
    pub fn merges(
        &self,
        revision: &str,
        since: &str,
        folder: &str,
    ) -> Result<Vec<Merge>, GitError> {
        let failed = |error| GitError::git("walk the history", error);
        let components: Vec<&str> = folder.split('/').filter(|part| !part.is_empty()).collect();
        let mut trees = Trees::new(self)?;
        let mut walk = self.inner.revwalk().map_err(failed)?;
        walk.push(self.commit_id(revision)?).map_err(failed)?;
        walk.hide(self.commit_id(since)?).map_err(failed)?;
        let mut merges = Vec::new();
        for id in walk {
            let commit = self
                .inner
                .find_commit(id.map_err(failed)?)
                .map_err(failed)?;
            // Where a shallow clone starts, the parents are not there.
            if commit.parent_count() < 2 || self.is_shallow_root(commit.id()) {
                continue;
            }
            let new = folder_at(&mut trees, commit.id(), &components)?;
            let mut parents = Vec::new();
            for parent in commit.parent_ids() {
                let old = folder_at(&mut trees, parent, &components)?;
                let mut changed = Vec::new();
                diff_trees(&mut trees, old.as_ref(), new.as_ref(), folder, &mut changed)?;
                let changed = changed.into_iter().map(|(path, _, _)| path).collect();
                parents.push((CommitId(parent.to_string()), changed));
            }
            merges.push(Merge {
                info: CommitInfo::of(self, &commit),
                parents,
            });
        }
        Ok(merges)
    }

    /// The change `commit` made to the file at `path`, which was at
    /// `before_path` in its first parent.
    pub fn file_commit(
        &self,
        commit: &CommitId,
        path: &str,
        before_path: &str,
    ) -> Result<FileCommit, GitError> {
        let failed = |error| GitError::git(format!("read {path} at {commit}"), error);
        let commit = self
            .inner
            .find_commit(git2::Oid::from_str(commit.as_str()).map_err(failed)?)
            .map_err(failed)?;
        let mut trees = Trees::new(self)?;
        let tree = trees.get(commit.tree_id()).map_err(failed)?;
        let after = blob_at(&mut trees, &tree, path)?;
        let before = match commit.parents().next() {
            Some(parent) => {
                let tree = trees.get(parent.tree_id()).map_err(failed)?;
                blob_at(&mut trees, &tree, before_path)?
            }
            None => None,
        };
        Ok(FileCommit {
            info: CommitInfo::of(self, &commit),
            path: path.to_owned(),
            moved_from: (before_path != path).then(|| before_path.to_owned()),
            before: before.map(|id| trees.blob(id)).transpose()?,
            after: after.map(|id| trees.blob(id)).transpose()?,
        })
    }

    /// Walks the commits reachable from `revision` (not from `since`),
    /// newest first, handing each that changed files below `folder` to
    /// `visit` with those files' blobs before and after.
    fn walk_folder(
        &self,
        revision: &str,
        folder: &str,
        since: Option<&str>,
        visit: &mut CommitVisitor<'_>,
    ) -> Result<(), GitError> {
        let failed = |error| GitError::git(format!("read the history of {folder}"), error);
        let since = since.map(|since| self.commit_id(since)).transpose()?;
        let components: Vec<&str> = folder.split('/').filter(|part| !part.is_empty()).collect();
        let walk = self.ordered_commits(self.commit_id(revision)?, since)?;
        let mut trees = Trees::new(self)?;
        for id in &walk.order {
            let (tree, parent_trees) = self.trees_of(&walk, *id, &mut trees)?;
            let tree = subtree(&mut trees, &tree, &components)?;
            let parents: Vec<Option<Tree>> = parent_trees
                .iter()
                .map(|(_, parent)| subtree(&mut trees, parent, &components))
                .collect::<Result<_, _>>()?;
            let mut changed: Vec<Changed> = Vec::new();
            let first = parents.first().and_then(Option::as_ref);
            diff_trees(&mut trees, first, tree.as_ref(), folder, &mut changed)?;
            // A merge's own changes: files that differ from every parent.
            for other in parents.iter().skip(1).flatten() {
                let mut kept = Vec::with_capacity(changed.len());
                for (path, before, after) in changed {
                    let below = path.strip_prefix(folder).unwrap_or(&path);
                    let theirs = blob_at(&mut trees, other, below.trim_start_matches('/'))?;
                    if theirs != after {
                        kept.push((path, before, after));
                    }
                }
                changed = kept;
            }
            if changed.is_empty() {
                continue;
            }
            let commit = self.inner.find_commit(*id).map_err(failed)?;
            if !visit(&commit, changed, &mut trees)? {
                break;
            }
        }
        Ok(())
    }

    /// Where a file named `name` below `folder` last was, in the newest
    /// commit reachable from `revision` that has one.
    pub fn last_path_of(
        &self,
        revision: &str,
        folder: &str,
        name: &str,
    ) -> Result<Option<String>, GitError> {
        let failed = |error| GitError::git(format!("look for {name} in the history"), error);
        let mut walk = self.inner.revwalk().map_err(failed)?;
        walk.set_sorting(git2::Sort::TIME).map_err(failed)?;
        walk.push(self.commit_id(revision)?).map_err(failed)?;
        let mut trees = Trees::new(self)?;
        for id in walk {
            let node = read_node(&mut trees, id.map_err(failed)?)?;
            let tree = trees.get(node.tree).map_err(failed)?;
            if let Some((path, _)) = find_named(&mut trees, &tree, folder, name)? {
                return Ok(Some(path));
            }
        }
        Ok(None)
    }

    /// The paths (relative to the top) of the files below `folder` that
    /// differ between `base` and `target` (none: the work tree and the
    /// index, as `git diff REV` compares them: a file git does not track
    /// is not among them), on either side, and those any commit between
    /// them changed (a change undone later is still a change). Trees are
    /// compared only where their ids differ; no file is read.
    pub fn changed_paths(
        &self,
        base: &str,
        target: Option<&str>,
        folder: &str,
    ) -> Result<std::collections::BTreeSet<String>, GitError> {
        let components: Vec<&str> = folder.split('/').filter(|part| !part.is_empty()).collect();
        let mut trees = Trees::new(self)?;
        let subtree_at = |trees: &mut Trees<'_>, revision: &str| {
            folder_at(trees, self.commit_id(revision)?, &components)
        };
        let base_tree = subtree_at(&mut trees, base)?;
        let mut changed = Vec::new();
        let mut paths = std::collections::BTreeSet::new();
        match target {
            Some(target) => {
                let target_tree = subtree_at(&mut trees, target)?;
                diff_trees(
                    &mut trees,
                    base_tree.as_ref(),
                    target_tree.as_ref(),
                    folder,
                    &mut changed,
                )?;
            }
            None => {
                let head = match self.head()? {
                    Some(_) => subtree_at(&mut trees, "HEAD")?,
                    None => None,
                };
                diff_trees(
                    &mut trees,
                    base_tree.as_ref(),
                    head.as_ref(),
                    folder,
                    &mut changed,
                )?;
                paths.extend(self.work_tree_changes(&mut trees, head.as_ref(), folder)?);
            }
        }
        let tip = match (target, self.head()?) {
            (Some(target), _) => Some(target),
            (None, Some(_)) => Some("HEAD"),
            (None, None) => None,
        };
        if let Some(tip) = tip {
            self.walk_folder(tip, folder, Some(base), &mut |_, files, _| {
                changed.extend(files);
                Ok(true)
            })?;
        }
        paths.extend(changed.into_iter().map(|(path, _, _)| path));
        Ok(paths)
    }

    /// The files below `folder` whose index entry differs from `head`
    /// (HEAD's tree of the folder) or whose work-tree file differs from
    /// the index: git's own stat check, then the content where the stat
    /// data does not settle it.
    fn work_tree_changes(
        &self,
        trees: &mut Trees<'_>,
        head: Option<&Tree>,
        folder: &str,
    ) -> Result<Vec<String>, GitError> {
        let top = self.work_tree()?;
        let index = super::index_file::Index::read(self.inner.path(), &self.index_path())?;
        let prefix = format!("{folder}/");
        let mut changed = Vec::new();
        // Staged: the cache tree says when the index holds HEAD's folder.
        let cached = index.cached_tree(folder.as_bytes());
        if cached.is_none() || cached != head.map(Tree::id) {
            let mut staged: std::collections::HashSet<String> = std::collections::HashSet::new();
            for entry in index.entries() {
                let Some(path) = std::str::from_utf8(entry.path())
                    .ok()
                    .filter(|path| path.starts_with(&prefix))
                else {
                    continue;
                };
                let below = &path[prefix.len()..];
                let theirs = match head {
                    Some(tree) => blob_at(trees, tree, below)?,
                    None => None,
                };
                staged.insert(path.to_owned());
                if theirs != Some(entry.id()) {
                    changed.push(path.to_owned());
                }
            }
            // HEAD's files the index does not have: every file of HEAD's
            // folder, as a change from nothing.
            let mut files = Vec::new();
            diff_trees(trees, None, head, folder, &mut files)?;
            changed.extend(
                files
                    .into_iter()
                    .map(|(path, _, _)| path)
                    .filter(|path| !staged.contains(path)),
            );
        }
        // Unstaged: as git compares them, the stat data first (on every
        // core, as git's preloaded index), then the content of the files
        // whose stat data does not settle it.
        use rayon::prelude::*;
        let entries: Vec<&super::index_file::Entry> = index
            .entries()
            .filter(|entry| entry.path().starts_with(prefix.as_bytes()))
            .collect();
        let unsettled: Vec<(&super::index_file::Entry, bool)> = entries
            .par_iter()
            .filter_map(|entry| {
                let full = top.join(std::str::from_utf8(entry.path()).ok()?);
                match std::fs::symlink_metadata(&full) {
                    Ok(metadata)
                        if entry.matches_stat(&metadata) && !index.is_racily_clean(entry) =>
                    {
                        None
                    }
                    Ok(metadata) if metadata.is_file() => Some((*entry, false)),
                    _ => Some((*entry, true)),
                }
            })
            .collect();
        let filters = super::worktree::Filters::new(&self.inner, top, &index);
        for (entry, gone) in unsettled {
            let path = String::from_utf8_lossy(entry.path()).into_owned();
            let differs = gone
                || match std::fs::read(top.join(&path)) {
                    Ok(content) => filters.blob_id(&path, &content, false)? != entry.id(),
                    Err(_) => true,
                };
            if differs {
                changed.push(path);
            }
        }
        Ok(changed)
    }

    /// Whether `commit` is `revision` or one of its ancestors.
    pub fn is_ancestor(&self, commit: &CommitId, revision: &str) -> Result<bool, GitError> {
        let commit = git2::Oid::from_str(commit.as_str())
            .map_err(|error| GitError::git("read a commit id", error))?;
        let tip = self.commit_id(revision)?;
        Ok(commit == tip
            || self
                .inner
                .graph_descendant_of(tip, commit)
                .map_err(|error| GitError::git("walk the history", error))?)
    }

    /// The commits `tip` reaches and `hidden` does not, in the order every
    /// history walk of news takes (the commit-graph walk too): children
    /// before their parents, and among the commits whose children are all
    /// done, the newest first (then the larger id), so that two walks of
    /// one history agree even on commits made in the same second.
    fn ordered_commits(&self, tip: git2::Oid, hidden: Option<git2::Oid>) -> Result<Walk, GitError> {
        let failed = |error| GitError::git("walk the history", error);
        let mut trees = Trees::new(self)?;
        let mut read = |id: git2::Oid| read_node(&mut trees, id);
        let mut nodes: HashMap<git2::Oid, Node> = HashMap::new();
        match hidden {
            // libgit2 knows when the rest is all hidden.
            Some(hidden) => {
                let mut walk = self.inner.revwalk().map_err(failed)?;
                walk.push(tip).map_err(failed)?;
                walk.hide(hidden).map_err(failed)?;
                for id in walk {
                    let id = id.map_err(failed)?;
                    nodes.insert(id, read(id)?);
                }
            }
            // Everything: each commit read once, here.
            None => {
                let mut stack = vec![tip];
                while let Some(id) = stack.pop() {
                    if nodes.contains_key(&id) {
                        continue;
                    }
                    let node = read(id)?;
                    stack.extend(
                        node.parents
                            .iter()
                            .filter(|parent| !nodes.contains_key(parent)),
                    );
                    nodes.insert(id, node);
                }
            }
        }
        if !nodes.contains_key(&tip) {
            // The tip is hidden: nothing to walk.
            return Ok(Walk::default());
        }
        let reached: Vec<git2::Oid> = nodes.keys().copied().collect();
        let order = walk_order(
            tip,
            &reached,
            |id, each| {
                for parent in nodes[&id]
                    .parents
                    .iter()
                    .filter(|parent| nodes.contains_key(parent))
                {
                    each(*parent);
                }
            },
            |id| (nodes[&id].time, key_of(id)),
        );
        Ok(Walk { order, nodes })
    }

    /// The tree of commit `id` and its parents' (id and tree), from what
    /// `walk` read of them, or from the repository.
    #[allow(clippy::type_complexity)]
    fn trees_of(
        &self,
        walk: &Walk,
        id: git2::Oid,
        trees: &mut Trees<'_>,
    ) -> Result<(Tree, Vec<(git2::Oid, Tree)>), GitError> {
        let failed = |error| GitError::git(format!("read commit {id}"), error);
        let (tree, parents) = match walk.nodes.get(&id) {
            Some(node) => (node.tree, node.parents.clone()),
            None => {
                let node = read_node(trees, id)?;
                (node.tree, node.parents)
            }
        };
        let parent_trees = parents
            .into_iter()
            .map(|parent| {
                let tree = match walk.nodes.get(&parent) {
                    Some(node) => node.tree,
                    None => read_node(trees, parent)?.tree,
                };
                Ok((parent, trees.get(tree).map_err(failed)?))
            })
            .collect::<Result<Vec<_>, GitError>>()?;
        Ok((trees.get(tree).map_err(failed)?, parent_trees))
    }

    fn commit_id(&self, revision: &str) -> Result<git2::Oid, GitError> {
        self.inner
            .revparse_single(revision)
            .and_then(|object| object.peel_to_commit())
            .map(|commit| commit.id())
            .map_err(|error| self.revision_error(revision, error))
    }
}

/// The tree of the folder at `components` in commit `id`; none when the
/// commit has no such folder.
fn folder_at(
    trees: &mut Trees<'_>,
    id: git2::Oid,
    components: &[&str],
) -> Result<Option<Tree>, GitError> {
    let node = read_node(trees, id)?;
    let root = trees
        .get(node.tree)
        .map_err(|error| GitError::git("read a tree", error))?;
    subtree(trees, &root, components)
}

/// The tree, parents and commit time of commit `id`, from its raw object.
fn read_node(trees: &mut Trees<'_>, id: git2::Oid) -> Result<Node, GitError> {
    let object = trees
        .object(id, Kind::Commit)
        .map_err(|error| GitError::git(format!("read commit {id}"), error))?;
    let mut node = Node::parse(&object).ok_or_else(|| {
        GitError::git(
            "read a commit",
            git2::Error::from_str(&format!("commit {id} cannot be read")),
        )
    })?;
    if trees.is_shallow(id) {
        node.parents.clear();
    }
    Ok(node)
}

/// The order every history walk of news takes: children before their
/// parents, and among the commits whose children are all done, the newest
/// first (then the larger id), so that two walks of one history agree
/// even on commits made in the same second. `reached` are the commits of
/// the walk, `tip` among them; `parents` hands over those of a commit's
/// parents the walk reached, `rank` gives its commit time and id.
pub fn walk_order<K: Copy + Eq + std::hash::Hash>(
    tip: K,
    reached: &[K],
    parents: impl Fn(K, &mut dyn FnMut(K)),
    rank: impl Fn(K) -> (i64, CommitKey),
) -> Vec<K> {
    let mut children: HashMap<K, u32> = HashMap::with_capacity(reached.len());
    for commit in reached {
        parents(*commit, &mut |parent| {
            *children.entry(parent).or_default() += 1
        });
    }
    // By rank; each commit once, so ids break every tie.
    let mut queue = std::collections::BinaryHeap::new();
    let mut commits: HashMap<CommitKey, K> = HashMap::new();
    let (time, id) = rank(tip);
    queue.push((time, id));
    commits.insert(id, tip);
    let mut order = Vec::with_capacity(reached.len());
    while let Some((_, id)) = queue.pop() {
        let Some(commit) = commits.remove(&id) else {
            continue;
        };
        order.push(commit);
        parents(commit, &mut |parent| {
            let waiting = children.entry(parent).or_default();
            *waiting = waiting.saturating_sub(1);
            if *waiting == 0 {
                let (time, id) = rank(parent);
                queue.push((time, id));
                commits.insert(id, parent);
            }
        });
    }
    order
}

/// A commit's id as the history index keeps it.
pub type CommitKey = [u8; 20];

fn key_of(id: git2::Oid) -> CommitKey {
    let mut key = CommitKey::default();
    let bytes = id.as_bytes();
    key[..bytes.len().min(20)].copy_from_slice(&bytes[..bytes.len().min(20)]);
    key
}

/// Which commits of `graph` the commit at `start` reaches, itself
/// included, by position.
fn reachable(graph: &CommitGraph, start: u32) -> Vec<bool> {
    let mut seen = vec![false; graph.len()];
    let mut stack = vec![start];
    while let Some(position) = stack.pop() {
        match seen.get_mut(position as usize) {
            Some(seen) if !*seen => *seen = true,
            _ => continue,
        }
        stack.extend(graph.parents(position).unwrap_or_default());
    }
    seen
}

/// The first file named `name` below `folder` in `tree`, and its blob,
/// in git's order, a folder's files before those of the folders after it.
fn find_named(
    trees: &mut Trees<'_>,
    tree: &Tree,
    folder: &str,
    name: &str,
) -> Result<Option<(String, git2::Oid)>, GitError> {
    let failed = |error| GitError::git(format!("look for {name} below {folder}"), error);
    let components: Vec<&str> = folder.split('/').filter(|part| !part.is_empty()).collect();
    let Some(below) = subtree(trees, tree, &components)? else {
        return Ok(None);
    };
    // Depth first, each folder's entries in order: what is left to see,
    // the next last.
    let mut left = Vec::new();
    let push_entries = |left: &mut Vec<_>, path: &str, tree: &Tree| {
        let start = left.len();
        left.extend(tree.entries().map(|entry| {
            let entry_path = format!("{path}/{}", String::from_utf8_lossy(entry.name_bytes()));
            (
                entry_path,
                entry.kind(),
                entry.name_bytes() == name.as_bytes() && entry.is_file(),
                entry.id(),
            )
        }));
        left[start..].reverse();
    };
    push_entries(&mut left, folder, &below);
    while let Some((path, kind, named, id)) = left.pop() {
        match kind {
            git2::ObjectType::Blob if named => return Ok(Some((path, id))),
            git2::ObjectType::Tree => {
                let tree = trees.get(id).map_err(failed)?;
                push_entries(&mut left, &path, &tree);
            }
            _ => {}
        }
    }
    Ok(None)
}

/// A signature's time in its own offset.
pub(super) fn signature_time(time: &git2::Time) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(time.offset_minutes() * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero is an offset"));
    offset
        .timestamp_opt(time.seconds(), 0)
        .single()
        .unwrap_or_else(|| DateTime::UNIX_EPOCH.with_timezone(&offset))
}
