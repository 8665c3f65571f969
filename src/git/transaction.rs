//! The one commit path: all or nothing, as git does it.
//!
//! [`Repo::begin`] takes news's lock, finishes or undoes what a killed
//! command left (the journal), refuses a detached HEAD or an operation in
//! progress, takes `index.lock` and reads the index. [`Transaction::commit`]
//! journals what it is about to do, writes the work-tree files, runs the
//! hooks, makes the (signed) commit, writes the new index into
//! `index.lock`, moves HEAD by compare-and-swap and only then renames
//! `index.lock` over the index. Any failure before HEAD moves puts the
//! files back; a crash is finished or undone by the next command.

use std::collections::HashSet;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::error::Pending;
use super::hooks::{HookError, Hooks, temporary_index};
use super::identity::Signatures;
use super::index_file::Index;
use super::journal::{Journal, JournalFile, Sibling};
use super::lock::{LockFile, RepoLock, retry_while_locked};
use super::reference::Moved;
use super::sign::write_commit;
use super::worktree::{
    Filters, check_no_link, missing_folders, raw_id, read_file, remove_if_present,
    remove_new_folders, replace_file,
};
use super::{CommitId, GitError, Repo};

/// How many times a commit is re-applied on a tip that other commits keep
/// moving before news gives up.
const MAX_REAPPLY: usize = 64;

/// One file's new content, at a path relative to the top of the working
/// tree, `/`-separated, as the work tree should hold it; no content: the
/// file is removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    pub content: Option<Vec<u8>>,
}

impl FileChange {
    /// `path` with `content`.
    pub fn write(path: impl Into<String>, content: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            content: Some(content.into()),
        }
    }

    /// `path` removed.
    pub fn remove(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            content: None,
        }
    }
}

/// A file edited by hand: what HEAD and the work tree hold (none: no
/// such file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandEdit {
    pub head: Option<Vec<u8>>,
    pub work_tree: Option<Vec<u8>>,
    /// Whether the index holds a version that is neither HEAD's nor the
    /// work tree's (staged, then edited again): committing the work tree
    /// would drop it.
    pub staged_apart: bool,
}

/// A file (by its number in a commit) whose blob the pre-commit hook
/// staged anew (none: it unstaged the file).
type Restaged = (usize, Option<git2::Oid>);

/// How a commit is made.
#[derive(Clone, Debug)]
pub struct CommitOptions {
    /// Run the `pre-commit` and `commit-msg` hooks (`--no-verify` turns
    /// them off, as in git).
    pub verify: bool,
    /// Paths (relative to the top) the change was judged by, besides its
    /// own (the settings its records were checked against): a commit
    /// re-applied on a tip that moved meanwhile is refused when the
    /// commits since changed one of them, as when they changed its own.
    pub judged_by: Vec<String>,
    /// Whether two versions of a file say the same (the one news checked,
    /// and the one a pre-commit hook staged): a hook may reformat what
    /// news commits, not change what it says. Byte for byte by default.
    pub same_meaning: fn(&[u8], &[u8]) -> bool,
}

impl Default for CommitOptions {
    fn default() -> Self {
        Self {
            verify: true,
            judged_by: Vec::new(),
            same_meaning: |left, right| left == right,
        }
    }
}

/// A commit news made, and what its hooks said.
#[derive(Debug)]
pub struct Committed {
    pub commit: CommitId,
    /// Warnings to show: a failed `post-commit` hook.
    pub warnings: Vec<String>,
}

/// A commit in the making: news's lock and `index.lock` are held until it
/// is committed or dropped.
pub struct Transaction<'repo> {
    repo: &'repo Repo,
    top: PathBuf,
    head_ref: String,
    /// The tip of the branch when the transaction began.
    head: Option<git2::Oid>,
    /// The commit the change was made against (the tip, unless said).
    base: Option<git2::Oid>,
    index: Index,
    index_lock: Option<LockFile>,
    journal: Journal,
    /// Paths whose work-tree file is committed as it is (hand edits),
    /// rather than required to be clean.
    adopted: HashSet<String>,
    /// Whether the journal must stay for the next command: files were
    /// written and could not all be put back.
    keep_journal: bool,
    _news_lock: RepoLock,
}

impl Repo {
    /// Starts a commit; see the module's documentation.
    pub fn begin(&self) -> Result<Transaction<'_>, GitError> {
        let top = self.work_tree()?.to_owned();
        let news_lock = RepoLock::acquire(&self.news_lock_path(), &self.notify)?;
        self.recover(&top)?;
        Journal::remove_strays(self.inner.path())?;
        self.check_state()?;
        let head_ref = self.branch()?;
        let git_dir = self.inner.path();
        // The journal comes first: it names the witness that will prove
        // which index.lock is news's.
        let journal = Journal::start(&head_ref);
        journal.save(git_dir)?;
        let witness = journal.witness(git_dir, "index");
        let opened = LockFile::acquire(&self.index_path(), &witness, &self.notify)
            .and_then(|lock| Ok((lock, Index::read(git_dir, &self.index_path())?)))
            .and_then(|(lock, index)| Ok((lock, index, self.branch_target(&head_ref)?)));
        let (index_lock, index, head) = match opened {
            Ok(opened) => opened,
            Err(error) => {
                let _ = Journal::remove(git_dir);
                return Err(error);
            }
        };
        Ok(Transaction {
            repo: self,
            top,
            head_ref,
            head,
            base: head,
            index,
            index_lock: Some(index_lock),
            journal,
            adopted: HashSet::new(),
            keep_journal: false,
            _news_lock: news_lock,
        })
    }

    /// The content of the work-tree file `path` when HEAD, the index and
    /// the work tree agree on it, as [`Transaction::read_clean`] says,
    /// read without any lock, as `git status` reads: for a command to
    /// refuse early, before it asks for input.
    pub fn read_clean(&self, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let top = self.work_tree()?;
        let index = Index::read(self.inner.path(), &self.index_path())?;
        let head = self.branch_target(&self.branch()?)?;
        clean_content(self, top, &index, head, path)
    }

    /// Whether a commit could be made now: on a branch, with no operation
    /// in progress. Commands call it before they ask for input, so that
    /// nobody edits for nothing; [`Repo::begin`] checks it again.
    pub fn ready_to_commit(&self) -> Result<(), GitError> {
        self.work_tree()?;
        self.check_state()?;
        self.branch().map(drop)
    }

    /// Finishes or undoes what a killed news command left, when no news
    /// command is running; the read-only commands call this so that they
    /// do not show its half-written files. Does nothing in a bare
    /// repository. A failure is said, not returned: the command reads on,
    /// and the next commit tries again under the lock.
    pub fn recover_if_idle(&self) {
        let Some(top) = self.inner.workdir() else {
            return;
        };
        if !Journal::path(self.inner.path()).exists() {
            return;
        }
        let recovered = match RepoLock::try_acquire(&self.news_lock_path()) {
            Ok(Some(_lock)) => self
                .recover(top)
                .and_then(|()| Journal::remove_strays(self.inner.path())),
            Ok(None) => Ok(()),
            Err(error) => Err(error),
        };
        if let Err(error) = recovered {
            self.say(&format!(
                "could not finish what an interrupted news command left: {error}"
            ));
        }
    }

    pub(super) fn work_tree(&self) -> Result<&Path, GitError> {
        self.inner.workdir().ok_or_else(|| GitError::Bare {
            path: self.inner.path().to_owned(),
        })
    }

    pub(super) fn index_path(&self) -> PathBuf {
        self.inner.path().join("index")
    }

    /// Refuses to commit in the middle of a merge, rebase, cherry-pick,
    /// revert, bisect or `git am`.
    fn check_state(&self) -> Result<(), GitError> {
        use git2::RepositoryState as State;
        let operation = match self.inner.state() {
            State::Clean => return Ok(()),
            State::Merge => "merge",
            State::Revert | State::RevertSequence => "revert",
            State::CherryPick | State::CherryPickSequence => "cherry-pick",
            State::Bisect => "bisect",
            State::Rebase | State::RebaseInteractive | State::RebaseMerge => "rebase",
            State::ApplyMailbox | State::ApplyMailboxOrRebase => "git am",
        };
        Err(GitError::InProgress { operation })
    }

    /// The branch HEAD is on (born or not); refuses a detached HEAD.
    fn branch(&self) -> Result<String, GitError> {
        let head = retry_while_locked("HEAD", &self.notify, "read HEAD", || {
            self.inner.find_reference("HEAD")
        })?;
        let target = head
            .symbolic_target()
            .map_err(|error| GitError::git("read HEAD", error))?;
        match target {
            Some(target) => Ok(target.to_owned()),
            None => Err(GitError::Detached {
                commit: head
                    .target()
                    .map(|id| id.to_string()[..10].to_owned())
                    .unwrap_or_default(),
            }),
        }
    }

    /// The commit the branch `head_ref` points at; none when unborn.
    pub(super) fn tip(&self, head_ref: &str) -> Result<Option<git2::Commit<'_>>, GitError> {
        self.branch_target(head_ref)?
            .map(|id| self.inner.find_commit(id))
            .transpose()
            .map_err(|error| GitError::git(format!("read {head_ref}"), error))
    }
}

impl Transaction<'_> {
    /// The content of the work-tree file `path` when HEAD, the index and
    /// the work tree agree on it (compared as git compares, through its
    /// filters); none when none of them has it. Anything else is
    /// [`GitError::Uncommitted`]: news never overwrites it.
    pub fn read_clean(&self, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        clean_content(self.repo, &self.top, &self.index, self.head, path)
    }

    /// Takes the work-tree file `path` as it is, edited by hand, for this
    /// commit: what HEAD and the work tree hold. A conflicted path is
    /// refused, and so is a link.
    pub fn adopt(&mut self, path: &str) -> Result<HandEdit, GitError> {
        check_no_link(&self.top, path)?;
        if self.index.is_conflicted(path.as_bytes()) {
            return self.pending(path, Pending::Conflicted);
        }
        let work_tree = read_file(&self.top.join(path), path)?;
        let head = match self.head {
            Some(head) => self.repo.file_at(&head.to_string(), path)?,
            None => None,
        };
        let staged_apart = match self.index.entry(path.as_bytes()) {
            Some(entry) => {
                let head_blob = head_blob(self.repo, self.head, path)?;
                let work_blob = match &work_tree {
                    Some(content) => Some(
                        Filters::new(&self.repo.inner, &self.top, &self.index)
                            .blob_id(path, content, false)?,
                    ),
                    None => None,
                };
                Some(entry.id()) != head_blob && Some(entry.id()) != work_blob
            }
            None => false,
        };
        self.adopted.insert(path.to_owned());
        Ok(HandEdit {
            head,
            work_tree,
            staged_apart,
        })
    }

    /// What the work tree holds at `path` before the change: the file as
    /// it is when adopted, otherwise the clean file.
    fn before(&self, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        if self.adopted.contains(path) {
            check_no_link(&self.top, path)?;
            read_file(&self.top.join(path), path)
        } else {
            self.read_clean(path)
        }
    }

    fn pending<T>(&self, path: &str, state: Pending) -> Result<T, GitError> {
        Err(GitError::Uncommitted {
            path: path.to_owned(),
            state,
        })
    }

    /// The names of the files below `folder` (`/`-terminated, relative to
    /// the top) that HEAD's tree or the index hold.
    pub fn tracked_names(&self, folder: &str) -> Result<HashSet<String>, GitError> {
        Ok(self
            .tracked_paths(folder)?
            .into_iter()
            .filter_map(|path| path.rsplit('/').next().map(str::to_owned))
            .collect())
    }

    /// The paths (relative to the top) of the files below `folder`
    /// (`/`-terminated) that HEAD's tree or the index hold.
    pub fn tracked_paths(&self, folder: &str) -> Result<HashSet<String>, GitError> {
        let mut paths: HashSet<String> = self
            .index
            .paths()
            .filter(|path| path.starts_with(folder.as_bytes()))
            .map(|path| String::from_utf8_lossy(path).into_owned())
            .collect();
        // When the cache tree says the index holds HEAD's tree below the
        // folder, HEAD has no path the index lacks: no need to walk it.
        let dir = folder.trim_end_matches('/');
        let cached = self.index.cached_tree(dir.as_bytes());
        if cached.is_some() && cached == subtree(self.head_tree()?.as_ref(), dir.as_bytes()) {
            return Ok(paths);
        }
        if let Some(head) = self.head {
            paths.extend(self.repo.paths_at(&head.to_string(), dir)?);
        }
        Ok(paths)
    }

    /// The tip of the branch as the transaction found it, under the lock
    /// (none: the branch is unborn): what the commit will follow.
    pub fn tip(&self) -> Option<CommitId> {
        self.head.map(|id| CommitId(id.to_string()))
    }

    fn head_tree(&self) -> Result<Option<git2::Tree<'_>>, GitError> {
        let Some(head) = self.head else {
            return Ok(None);
        };
        self.repo
            .inner
            .find_commit(head)
            .and_then(|commit| commit.tree())
            .map(Some)
            .map_err(|error| GitError::git("read the tree of HEAD", error))
    }

    /// Makes the change the base of the commit when it was prepared on an
    /// older commit than the current tip: it is then re-applied only if
    /// the commits since did not touch its paths.
    pub fn based_on(&mut self, commit: &CommitId) -> Result<(), GitError> {
        self.base = Some(oid(commit.as_str())?);
        Ok(())
    }

    /// Writes `changes` to the work tree and commits exactly them; see the
    /// module's documentation. Each path must be clean ([`Self::read_clean`])
    /// or adopted ([`Self::adopt`]).
    pub fn commit(
        mut self,
        changes: &[FileChange],
        message: &str,
        signatures: &Signatures,
        options: &CommitOptions,
    ) -> Result<Committed, GitError> {
        let repo = &self.repo.inner;
        let author = signatures.author.to_signature()?;
        let committer = signatures.committer.to_signature()?;
        let filters = Filters::new(repo, &self.top, &self.index);
        let mut blobs = Vec::with_capacity(changes.len());
        let mut old = Vec::with_capacity(changes.len());
        for change in changes {
            let before = self.before(&change.path)?;
            let blob = change
                .content
                .as_deref()
                .map(|content| filters.blob_id(&change.path, content, true))
                .transpose()?;
            blobs.push((change.path.as_str(), blob));
            let id = |bytes: Option<&[u8]>| -> Result<Option<String>, GitError> {
                Ok(bytes.map(raw_id).transpose()?.map(|id| id.to_string()))
            };
            self.journal.files.push(JournalFile {
                path: change.path.clone(),
                old_file: id(before.as_deref())?,
                new_file: id(change.content.as_deref())?,
                new_blob: blob.map(|blob| blob.to_string()),
                new_folders: match change.content {
                    Some(_) => missing_folders(&self.top, &change.path),
                    None => 0,
                },
            });
            old.push(before.is_some());
        }
        self.journal.save(repo.path())?;
        let outcome =
            self.write_and_commit(changes, &blobs, &old, message, &author, &committer, options);
        let commit = match outcome {
            Ok(commit) => commit,
            Err(error) => {
                // The branch did not move: put every file back as it was;
                // the journal stays for the next command if that fails.
                self.keep_journal = self.restore().is_err();
                return Err(error);
            }
        };
        for (number, change) in changes.iter().enumerate() {
            let _ = remove_if_present(&self.journal.sibling(&self.top, number, Sibling::Backup));
            if change.content.is_none() {
                // As `git rm` does: the folders the file leaves empty go.
                remove_new_folders(&self.top, &change.path, usize::MAX);
            }
        }
        let mut warnings = Vec::new();
        // post-commit runs even with --no-verify, as in git.
        if let Ok(hooks) = Hooks::of(repo)
            && hooks.has("post-commit")
        {
            let hooks = hooks.with_author(&author);
            if let Some(warning) = hooks.post_commit(hooks.repository_index()) {
                warnings.push(warning);
            }
            let output = hooks.take_output();
            if !output.trim().is_empty() {
                self.repo.say(output.trim_end());
            }
        }
        Ok(Committed {
            commit: CommitId(commit.to_string()),
            warnings,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn write_and_commit(
        &mut self,
        changes: &[FileChange],
        blobs: &[(&str, Option<git2::Oid>)],
        old: &[bool],
        message: &str,
        author: &git2::Signature<'_>,
        committer: &git2::Signature<'_>,
        options: &CommitOptions,
    ) -> Result<git2::Oid, GitError> {
        let repo = &self.repo.inner;
        let git_dir = repo.path().to_owned();
        // The stat data of each file as news wrote it: what a hook does to
        // the file afterwards shows as a change, as with `git commit --only`.
        let mut written = Vec::with_capacity(changes.len());
        for (number, change) in changes.iter().enumerate() {
            let full = self.top.join(&change.path);
            if old[number] {
                let backup = self.journal.sibling(&self.top, number, Sibling::Backup);
                std::fs::hard_link(&full, &backup)
                    .or_else(|_| std::fs::copy(&full, &backup).map(|_| ()))
                    .map_err(|error| {
                        GitError::io(format!("keep a copy of {}", full.display()), error)
                    })?;
            }
            written.push(match &change.content {
                Some(content) => {
                    let temporary = self.journal.sibling(&self.top, number, Sibling::Temporary);
                    Some(replace_file(&full, &temporary, content)?)
                }
                None => {
                    remove_if_present(&full)?;
                    None
                }
            });
        }
        let mut tip = self.repo.tip(&self.head_ref)?;
        let first_base = self.base;
        if first_base != tip.as_ref().map(git2::Commit::id) {
            self.check_untouched(first_base, tip.as_ref(), blobs, options)?;
        }
        let (message, restaged) = self.run_hooks(tip.as_ref(), blobs, message, author, options)?;
        let mut blobs = blobs.to_vec();
        for &(number, staged) in &restaged {
            let path = blobs[number].0;
            let refused = |error| GitError::Hook(error);
            let staged = staged.ok_or_else(|| {
                refused(HookError::Unstaged {
                    path: path.to_owned(),
                })
            })?;
            let content = repo.find_blob(staged).map_err(|error| {
                GitError::git(format!("read what the hook staged of {path}"), error)
            })?;
            let checked = changes[number].content.as_deref().unwrap_or_default();
            if !(options.same_meaning)(checked, content.content()) {
                return Err(refused(HookError::Changed {
                    path: path.to_owned(),
                }));
            }
            written[number] = self.take_from_hook(number, path, staged)?;
            blobs[number].1 = Some(staged);
        }
        let blobs = &blobs[..];
        if !restaged.is_empty() {
            // What a crash now would have to finish or undo.
            self.journal.save(&git_dir)?;
        }
        let mut tree = self.repo.tree_with(tip.as_ref(), blobs)?;
        for ((path, blob), metadata) in blobs.iter().zip(&written) {
            match (blob, metadata) {
                (Some(blob), Some(metadata)) => stage(&mut self.index, path, *blob, metadata)?,
                _ => self.index.remove(path.as_bytes()),
            }
        }
        let paths: Vec<&[u8]> = blobs.iter().map(|(path, _)| path.as_bytes()).collect();
        let subject = message.lines().next().unwrap_or_default().to_owned();
        let witness = self.journal.witness(&git_dir, "ref");
        for _ in 0..MAX_REAPPLY {
            let parents: Vec<&git2::Commit<'_>> = tip.iter().collect();
            let commit = write_commit(repo, author, committer, &message, &tree, &parents)?;
            // The index as the commit leaves it, ready to take effect.
            let parent_tree = tip
                .as_ref()
                .map(git2::Commit::tree)
                .transpose()
                .map_err(|error| GitError::git("read the tree of HEAD", error))?;
            self.index.record_commit(&paths, &|dir| {
                (
                    subtree(parent_tree.as_ref(), dir),
                    subtree(Some(&tree), dir),
                )
            });
            self.index.confirm_racy_entries(&self.top);
            let index_bytes = self.index.to_bytes();
            if let Some(lock) = self.index_lock.as_mut() {
                lock.write(&index_bytes)?;
            }
            self.journal.commit = Some(commit.to_string());
            self.journal.save(&git_dir)?;
            let tip_id = tip.as_ref().map(git2::Commit::id);
            let reflog = match tip_id {
                Some(_) => format!("commit: {subject}"),
                None => format!("commit (initial): {subject}"),
            };
            match self.repo.move_branch(
                &self.head_ref,
                tip_id,
                commit,
                &witness,
                committer,
                &reflog,
            )? {
                Moved::Yes => {
                    if let Some(lock) = self.index_lock.take() {
                        lock.commit()?;
                    }
                    return Ok(commit);
                }
                Moved::Elsewhere => {
                    tip = self.repo.tip(&self.head_ref)?;
                    self.check_untouched(first_base, tip.as_ref(), blobs, options)?;
                    tree = self.repo.tree_with(tip.as_ref(), blobs)?;
                }
            }
        }
        Err(GitError::Busy {
            what: format!(
                "{}, moved by other commits {MAX_REAPPLY} times,",
                self.head_ref
            ),
            waited: std::time::Duration::ZERO,
        })
    }

    /// Puts back the files the journal names, as they were before.
    fn restore(&self) -> Result<(), GitError> {
        let mut outcome = Ok(());
        for number in 0..self.journal.files.len() {
            if let Err(error) = self.journal.undo(&self.top, number)
                && outcome.is_ok()
            {
                outcome = Err(error);
            }
        }
        outcome
    }

    /// The `number`th file as the pre-commit hook staged it, `staged`
    /// (a formatter that rewrote and added it): that blob is committed, as
    /// git commits what its hook stages, and the journal says so. Refused
    /// when the file does not hold it. Returns the stat data to stage it
    /// with.
    fn take_from_hook(
        &mut self,
        number: usize,
        path: &str,
        staged: git2::Oid,
    ) -> Result<Option<std::fs::Metadata>, GitError> {
        let full = self.top.join(path);
        let refused = || {
            GitError::Hook(HookError::Restaged {
                path: path.to_owned(),
            })
        };
        let bytes = read_file(&full, path)?.ok_or_else(refused)?;
        let filters = Filters::new(&self.repo.inner, &self.top, &self.index);
        if filters.blob_id(path, &bytes, false)? != staged {
            return Err(refused());
        }
        let file = &mut self.journal.files[number];
        file.new_file = Some(raw_id(&bytes)?.to_string());
        file.new_blob = Some(staged.to_string());
        std::fs::symlink_metadata(&full)
            .map(Some)
            .map_err(|error| GitError::io(format!("read {}", full.display()), error))
    }

    /// `pre-commit` with an index of HEAD plus the change (as `git commit
    /// --only` hands it), then `commit-msg`; returns the message as the
    /// hooks left it, and each file (by its number) whose blob the
    /// pre-commit hook staged anew (none: it unstaged the file).
    fn run_hooks(
        &self,
        tip: Option<&git2::Commit<'_>>,
        blobs: &[(&str, Option<git2::Oid>)],
        message: &str,
        author: &git2::Signature<'_>,
        options: &CommitOptions,
    ) -> Result<(String, Vec<Restaged>), GitError> {
        let repo = &self.repo.inner;
        if !options.verify {
            return Ok((message.to_owned(), Vec::new()));
        }
        let hooks = Hooks::of(repo)?.with_author(author);
        if !["pre-commit", "prepare-commit-msg", "commit-msg"]
            .iter()
            .any(|name| hooks.has(name))
        {
            return Ok((message.to_owned(), Vec::new()));
        }
        let tree = tip
            .map(git2::Commit::tree)
            .transpose()
            .map_err(|error| GitError::git("read the tree of HEAD", error))?;
        let entries: Vec<(&str, Option<git2::Oid>, u32)> = blobs
            .iter()
            .map(|(path, blob)| (*path, *blob, file_mode(&self.top.join(path))))
            .collect();
        let index = temporary_index(repo, tree.as_ref(), &entries)?;
        let mut restaged = Vec::new();
        if hooks.has("pre-commit") {
            hooks.pre_commit(index.path())?;
            let staged = git2::Index::open(index.path())
                .map_err(|error| GitError::git("read the index the pre-commit hook left", error))?;
            for (number, (path, blob)) in blobs.iter().enumerate() {
                let now = staged.get_path(Path::new(path), 0).map(|entry| entry.id);
                if blob.is_some() && *blob != now {
                    restaged.push((number, now));
                }
            }
        }
        let message = hooks.commit_msg(message, index.path())?;
        let output = hooks.take_output();
        if !output.trim().is_empty() {
            self.repo.say(output.trim_end());
        }
        Ok((message, restaged))
    }

    /// Refuses when the commits between `base` and `tip` changed any of
    /// the paths being committed, or those it was judged by.
    fn check_untouched(
        &self,
        base: Option<git2::Oid>,
        tip: Option<&git2::Commit<'_>>,
        blobs: &[(&str, Option<git2::Oid>)],
        options: &CommitOptions,
    ) -> Result<(), GitError> {
        let repo = &self.repo.inner;
        let base_tree = base
            .and_then(|base| repo.find_commit(base).ok())
            .and_then(|commit| commit.tree().ok());
        let tip_tree = tip.and_then(|tip| tip.tree().ok());
        let entry_of = |tree: &Option<git2::Tree<'_>>, path: &str| {
            tree.as_ref()
                .and_then(|tree| tree.get_path(Path::new(path)).ok())
                .map(|entry| entry.id())
        };
        let own = blobs.iter().map(|(path, _)| *path);
        for path in own.chain(options.judged_by.iter().map(String::as_str)) {
            if entry_of(&base_tree, path) != entry_of(&tip_tree, path) {
                return Err(GitError::Conflict {
                    path: path.to_owned(),
                    commit: tip.map(|tip| tip.id().to_string()).unwrap_or_default(),
                });
            }
        }
        Ok(())
    }
}

/// The content of the work-tree file `path` (below `top`) when `head`'s
/// tree, `index` and the work tree agree on it (compared as git compares,
/// through its filters); none when none of them has it. Anything else is
/// [`GitError::Uncommitted`].
fn clean_content(
    repo: &Repo,
    top: &Path,
    index: &Index,
    head: Option<git2::Oid>,
    path: &str,
) -> Result<Option<Vec<u8>>, GitError> {
    let pending = |state| {
        Err(GitError::Uncommitted {
            path: path.to_owned(),
            state,
        })
    };
    check_no_link(top, path)?;
    let full = top.join(path);
    let content = read_file(&full, path)?;
    let head = head_blob(repo, head, path)?;
    if index.is_conflicted(path.as_bytes()) {
        return pending(Pending::Conflicted);
    }
    let entry = index.entry(path.as_bytes());
    let Some(content) = content else {
        return match (head, entry) {
            (None, None) => Ok(None),
            _ => pending(Pending::Deleted),
        };
    };
    let Some(entry) = entry else {
        return match head {
            None => pending(Pending::Untracked),
            Some(_) => pending(Pending::Staged),
        };
    };
    if head != Some(entry.id()) {
        return pending(Pending::Staged);
    }
    let metadata = std::fs::symlink_metadata(&full)
        .map_err(|error| GitError::io(format!("read {}", full.display()), error))?;
    if !entry.matches_stat(&metadata) || index.is_racily_clean(entry) {
        let filters = Filters::new(&repo.inner, top, index);
        if filters.blob_id(path, &content, false)? != entry.id() {
            return pending(Pending::Unstaged);
        }
    }
    Ok(Some(content))
}

/// The blob at `path` in the tree of commit `head`.
fn head_blob(
    repo: &Repo,
    head: Option<git2::Oid>,
    path: &str,
) -> Result<Option<git2::Oid>, GitError> {
    let Some(head) = head else {
        return Ok(None);
    };
    let tree = repo
        .inner
        .find_commit(head)
        .and_then(|commit| commit.tree())
        .map_err(|error| GitError::git("read the tree of HEAD", error))?;
    match tree.get_path(Path::new(path)) {
        Ok(entry) => Ok(Some(entry.id())),
        Err(error) if error.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(error) => Err(GitError::git(format!("read {path} at HEAD"), error)),
    }
}

impl Drop for Transaction<'_> {
    /// Releases `index.lock` (removed unless committed), then the journal,
    /// unless it must stay; news's own lock goes last.
    fn drop(&mut self) {
        drop(self.index_lock.take());
        if !self.keep_journal {
            let _ = Journal::remove(self.repo.inner.path());
        }
    }
}

/// Sets the index entry of `path` to `blob`, with the stat data of its
/// work-tree file so that git sees it clean; a new entry takes the file's
/// mode, an existing one keeps its own.
pub(super) fn stage(
    index: &mut Index,
    path: &str,
    blob: git2::Oid,
    metadata: &std::fs::Metadata,
) -> Result<(), GitError> {
    let mode = index
        .entry(path.as_bytes())
        .map(|entry| entry.mode())
        .unwrap_or_else(|| mode_of(metadata));
    index.upsert(path.as_bytes(), blob, mode, metadata)?;
    Ok(())
}

fn mode_of(metadata: &std::fs::Metadata) -> u32 {
    if metadata.permissions().mode() & 0o111 != 0 {
        0o100755
    } else {
        0o100644
    }
}

fn file_mode(full: &Path) -> u32 {
    std::fs::symlink_metadata(full)
        .map(|metadata| mode_of(&metadata))
        .unwrap_or(0o100644)
}

/// The id of the folder `dir` (`/`-separated; empty: the root) in `tree`.
fn subtree(tree: Option<&git2::Tree<'_>>, dir: &[u8]) -> Option<git2::Oid> {
    let tree = tree?;
    if dir.is_empty() {
        return Some(tree.id());
    }
    let entry = tree
        .get_path(Path::new(std::str::from_utf8(dir).ok()?))
        .ok()?;
    (entry.kind() == Some(git2::ObjectType::Tree)).then(|| entry.id())
}

pub(super) fn oid(hex: &str) -> Result<git2::Oid, GitError> {
    git2::Oid::from_str(hex)
        .map_err(|error| GitError::git(format!("read the commit id {hex}"), error))
}
