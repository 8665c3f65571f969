//! The commit hooks of a repository, run as `git commit` runs them.
//!
//! git finds a hook at `core.hooksPath/<name>` (a relative path taken from
//! where hooks run: the top of the work tree, or the git dir of a bare
//! repository; `~` expanded), else at `<common git dir>/hooks/<name>`, and
//! runs it only when the file is executable; a non-executable one is
//! skipped with a hint (`advice.ignoredHook`). `git commit -m` runs
//! `pre-commit`, `prepare-commit-msg <file> message`, `commit-msg <file>`
//! and, once the commit is made, `post-commit`, each with the environment
//! of `run_commit_hook`: `GIT_INDEX_FILE` (the index the commit is made
//! from) and `GIT_EDITOR=:` (no editor is opened), on top of what git's own
//! setup exported (`GIT_AUTHOR_NAME`, `GIT_AUTHOR_EMAIL`, `GIT_AUTHOR_DATE`,
//! `GIT_PREFIX`, and `GIT_DIR` unless the git dir is the work tree's own
//! `.git`). A hook's standard input is `/dev/null`, and its standard output
//! goes where its standard error goes; here both are captured, so that the
//! caller decides where they are shown.

use std::cell::RefCell;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use super::commit::index_entry;
use super::config;
use super::outcome::{describe, with_output};

/// How much of a hook's output is kept: its beginning and its end.
const KEEP_HEAD: usize = 16 * 1024;
const KEEP_TAIL: usize = 48 * 1024;

/// How long the output of a hook that has exited is still read, when a
/// process it left behind keeps the output open.
const OUTPUT_GRACE: Duration = Duration::from_secs(2);

/// `ENOEXEC`, the same number on Linux, the BSDs and macOS: the file is not
/// a binary and has no `#!` line. git then runs it with `/bin/sh`.
const ENOEXEC: i32 = 8;

#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error("cannot read the git configuration")]
    OpenConfig(#[source] git2::Error),
    #[error("cannot read {key} from the git configuration")]
    Config {
        key: &'static str,
        #[source]
        source: git2::Error,
    },
    #[error("core.hooksPath {value:?} names a user's home directory, which news cannot look up")]
    UserHome { value: String },
    #[error("cannot run the {hook} hook ({})", path.display())]
    Start {
        hook: String,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the {hook} hook {}{}", describe(.status), with_output(.output, " and wrote nothing"))]
    Failed {
        hook: String,
        status: ExitStatus,
        output: String,
    },
    #[error("the commit message is empty after the {hook} hook")]
    EmptyMessage { hook: String },
    #[error("the pre-commit hook staged a version of {path} that the file does not hold")]
    Restaged { path: String },
    #[error(
        "the pre-commit hook changed what {path} says; news commits only what it checked, and a hook may only reformat it"
    )]
    Changed { path: String },
    #[error("the pre-commit hook unstaged {path}")]
    Unstaged { path: String },
    #[error("cannot {action} {}", path.display())]
    File {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write the temporary index {}", path.display())]
    Index {
        path: PathBuf,
        #[source]
        source: git2::Error,
    },
}

/// The commit hooks of a repository, found as git finds them:
/// `core.hooksPath` (relative to the top of the work tree for a non-bare
/// repository, `~` expanded), else `<common git dir>/hooks`. A hook runs
/// only if its file exists and is executable (a non-executable one is
/// skipped, as git skips it).
///
/// The output of hooks that succeed, and git's hint for a skipped
/// non-executable hook, are kept until [`Hooks::take_output`]; the output
/// of one that fails is in its error or warning.
pub(crate) struct Hooks {
    /// The hooks directory, absolute.
    dir: PathBuf,
    /// Where hooks run: the top of the work tree, or the git dir when bare.
    run_in: PathBuf,
    /// The git dir of this work tree (COMMIT_EDITMSG is there).
    git_dir: PathBuf,
    /// The repository's own index, as git names it for post-commit.
    index: PathBuf,
    /// What git exports besides GIT_INDEX_FILE and GIT_EDITOR.
    env: Vec<(&'static str, OsString)>,
    /// `advice.ignoredHook`: whether a non-executable hook is reported.
    hint_ignored: bool,
    hinted: RefCell<Vec<String>>,
    output: RefCell<Vec<u8>>,
}

impl Hooks {
    pub(crate) fn of(repo: &git2::Repository) -> Result<Hooks, HookError> {
        let config = repo.config().map_err(HookError::OpenConfig)?;
        Self::with_config(repo, &config)
    }

    /// As [`Hooks::of`], with the configuration given.
    fn with_config(repo: &git2::Repository, config: &git2::Config) -> Result<Hooks, HookError> {
        let git_dir = clean(&absolute(repo.path()));
        let top = repo.workdir().map(|top| clean(&absolute(top)));
        let run_in = top.clone().unwrap_or_else(|| git_dir.clone());
        let setting = |key| move |source| HookError::Config { key, source };
        let hooks_path = config::unless_unset(config.get_string("core.hooksPath"))
            .map_err(setting("core.hooksPath"))?;
        let dir = match hooks_path {
            Some(value) => run_in.join(expand_home(&value)?),
            None => clean(&absolute(repo.commondir())).join("hooks"),
        };
        let hint_ignored = config::unless_unset(config.get_bool("advice.ignoredHook"))
            .map_err(setting("advice.ignoredHook"))?
            .unwrap_or(true);
        let index = repository_index(&git_dir);
        let mut env = vec![("GIT_PREFIX", OsString::from(prefix(top.as_deref())))];
        // git exports GIT_DIR when the git dir is not the work tree's own
        // `.git` (a linked worktree, a separate git dir, a bare repository).
        if top.as_ref().map(|top| top.join(".git")) != Some(git_dir.clone()) {
            env.push(("GIT_DIR", git_dir.clone().into_os_string()));
        }
        Ok(Hooks {
            dir,
            run_in,
            git_dir,
            index,
            env,
            hint_ignored,
            hinted: RefCell::new(Vec::new()),
            output: RefCell::new(Vec::new()),
        })
    }

    /// Exports the author to the hooks as `git commit` does
    /// (`GIT_AUTHOR_NAME`, `GIT_AUTHOR_EMAIL`, and `GIT_AUTHOR_DATE` as
    /// `@<seconds> <zone>`).
    pub(crate) fn with_author(mut self, author: &git2::Signature<'_>) -> Hooks {
        let when = author.when();
        let offset = when.offset_minutes();
        let sign = if offset < 0 { '-' } else { '+' };
        let offset = offset.unsigned_abs();
        let date = format!(
            "@{} {sign}{:02}{:02}",
            when.seconds(),
            offset / 60,
            offset % 60
        );
        let text = |bytes: &[u8]| OsString::from(String::from_utf8_lossy(bytes).into_owned());
        self.env
            .retain(|(name, _)| !name.starts_with("GIT_AUTHOR_"));
        self.env.extend([
            ("GIT_AUTHOR_NAME", text(author.name_bytes())),
            ("GIT_AUTHOR_EMAIL", text(author.email_bytes())),
            ("GIT_AUTHOR_DATE", OsString::from(date)),
        ]);
        self
    }

    /// The repository's own index: git gives it to `post-commit` (the
    /// temporary index of the commit is gone by then).
    pub(crate) fn repository_index(&self) -> &Path {
        &self.index
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        matches!(self.find(name), Found::Runnable(_))
    }

    /// `pre-commit`, with `index_file` as GIT_INDEX_FILE. Err when it exits
    /// non-zero (or cannot start): the error carries the hook's name, its
    /// exit status and its stderr/stdout text (bounded).
    pub(crate) fn pre_commit(&self, index_file: &Path) -> Result<(), HookError> {
        self.run("pre-commit", &[], index_file)
    }

    /// `commit-msg` with the message written to `<git dir>/COMMIT_EDITMSG`
    /// as its argument; returns the message as the hook left it (hooks may
    /// rewrite it). Err when it exits non-zero.
    ///
    /// As `git commit -m` does, `prepare-commit-msg <file> message` runs
    /// first (git runs it even with `--no-verify`). The message is written
    /// ending in a newline, as git writes it, so that a hook appending a
    /// line appends a line. A message left empty (or blank) is an error, as
    /// in git; text that is not UTF-8 is read lossily.
    pub(crate) fn commit_msg(&self, message: &str, index_file: &Path) -> Result<String, HookError> {
        let prepare = self.has("prepare-commit-msg");
        let check = self.has("commit-msg");
        if !prepare && !check {
            // Still gives the hint for a non-executable one.
            self.run("prepare-commit-msg", &[], index_file)?;
            self.run("commit-msg", &[], index_file)?;
            return Ok(message.to_owned());
        }
        let file = self.git_dir.join("COMMIT_EDITMSG");
        let mut text = message.to_owned();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        fs::write(&file, &text).map_err(|source| HookError::File {
            action: "write",
            path: file.clone(),
            source,
        })?;
        self.run(
            "prepare-commit-msg",
            &[file.as_os_str(), OsStr::new("message")],
            index_file,
        )?;
        self.run("commit-msg", &[file.as_os_str()], index_file)?;
        let bytes = fs::read(&file).map_err(|source| HookError::File {
            action: "read",
            path: file.clone(),
            source,
        })?;
        let message = String::from_utf8_lossy(&bytes).into_owned();
        if message.trim().is_empty() {
            let hook = if check {
                "commit-msg"
            } else {
                "prepare-commit-msg"
            };
            return Err(HookError::EmptyMessage { hook: hook.into() });
        }
        Ok(message)
    }

    /// `post-commit`; its exit status does not undo the commit (as in git):
    /// returns a warning text for a failure rather than an error. git gives
    /// it the repository's own index ([`Hooks::repository_index`]).
    pub(crate) fn post_commit(&self, index_file: &Path) -> Option<String> {
        let error = self.run("post-commit", &[], index_file).err()?;
        Some(match error {
            HookError::Failed { status, output, .. } => format!(
                "the post-commit hook {} (the commit is made){}",
                describe(&status),
                with_output(&output, " and wrote nothing")
            ),
            error => {
                let mut text = format!("{error} (the commit is made)");
                let mut source = std::error::Error::source(&error);
                while let Some(cause) = source {
                    text.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                text
            }
        })
    }

    /// The output of the hooks that ran and succeeded, and git's hints,
    /// since the last call: what git would have shown on its standard
    /// error.
    pub(crate) fn take_output(&self) -> String {
        let bytes = std::mem::take(&mut *self.output.borrow_mut());
        String::from_utf8_lossy(&bytes).into_owned()
    }

    fn find(&self, name: &str) -> Found {
        let path = self.dir.join(name);
        match fs::metadata(&path) {
            Ok(metadata) if metadata.is_file() && metadata.permissions().mode() & 0o111 != 0 => {
                Found::Runnable(path)
            }
            Ok(metadata) if metadata.is_file() => Found::NotExecutable(path),
            _ => Found::Missing,
        }
    }

    fn run(&self, name: &str, args: &[&OsStr], index_file: &Path) -> Result<(), HookError> {
        let path = match self.find(name) {
            Found::Runnable(path) => path,
            Found::NotExecutable(path) => {
                self.hint(name, &path);
                return Ok(());
            }
            Found::Missing => return Ok(()),
        };
        let start_error = |source| HookError::Start {
            hook: name.to_owned(),
            path: path.clone(),
            source,
        };
        let (status, output) = self.execute(&path, args, index_file).map_err(start_error)?;
        if status.success() {
            self.output
                .borrow_mut()
                .extend_from_slice(output.as_bytes());
            Ok(())
        } else {
            Err(HookError::Failed {
                hook: name.to_owned(),
                status,
                output,
            })
        }
    }

    /// git's hint, once per hook name, unless `advice.ignoredHook` is off.
    fn hint(&self, name: &str, path: &Path) {
        if !self.hint_ignored || self.hinted.borrow().iter().any(|seen| seen == name) {
            return;
        }
        self.hinted.borrow_mut().push(name.to_owned());
        let hint = format!(
            "hint: The '{}' hook was ignored because it's not set as executable.\n\
             hint: You can disable this warning with `git config set advice.ignoredHook false`.\n",
            path.display()
        );
        self.output.borrow_mut().extend_from_slice(hint.as_bytes());
    }

    /// Runs the hook with its standard output and error into one pipe, and
    /// returns its status and what it wrote (bounded).
    fn execute(
        &self,
        path: &Path,
        args: &[&OsStr],
        index_file: &Path,
    ) -> io::Result<(ExitStatus, String)> {
        let (reader, writer) = io::pipe()?;
        let mut child = self.start(path, args, index_file, &writer)?;
        // The child holds the only write ends now: the pipe ends with it.
        drop(writer);
        let capture = Arc::new(Mutex::new(Capture::default()));
        let (done, finished) = mpsc::channel();
        {
            let capture = Arc::clone(&capture);
            std::thread::spawn(move || {
                read_into(reader, &capture);
                let _ = done.send(());
            });
        }
        let status = wait(&mut child)?;
        let complete = finished.recv_timeout(OUTPUT_GRACE).is_ok();
        let mut capture =
            std::mem::take(&mut *capture.lock().unwrap_or_else(PoisonError::into_inner));
        if !complete {
            capture.note(
                "[a process the hook started still holds its output; the rest is not shown]\n",
            );
        }
        Ok((status, capture.into_text()))
    }

    fn start(
        &self,
        path: &Path,
        args: &[&OsStr],
        index_file: &Path,
        output: &io::PipeWriter,
    ) -> io::Result<Child> {
        let mut busy = 0;
        loop {
            let mut command = self.command(path.as_os_str(), index_file, output)?;
            command.args(args);
            match command.spawn() {
                Ok(child) => return Ok(child),
                // Not a binary and no `#!`: git runs it with the shell.
                Err(error) if error.raw_os_error() == Some(ENOEXEC) => {
                    let mut command = self.command(OsStr::new("/bin/sh"), index_file, output)?;
                    command.arg(path).args(args);
                    return command.spawn();
                }
                // Still open for writing somewhere (just written, and a
                // process forked meanwhile has not yet exec'd).
                Err(error) if error.kind() == io::ErrorKind::ExecutableFileBusy && busy < 50 => {
                    busy += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(error) => return Err(error),
            }
        }
    }

    fn command(
        &self,
        program: &OsStr,
        index_file: &Path,
        output: &io::PipeWriter,
    ) -> io::Result<Command> {
        let mut command = Command::new(program);
        command
            .current_dir(&self.run_in)
            .envs(self.env.iter().map(|(name, value)| (name, value)))
            .env("GIT_INDEX_FILE", absolute(index_file))
            .env("GIT_EDITOR", ":")
            .stdin(Stdio::null())
            .stdout(output.try_clone()?)
            .stderr(output.try_clone()?);
        Ok(command)
    }
}

enum Found {
    Runnable(PathBuf),
    NotExecutable(PathBuf),
    Missing,
}

fn wait(child: &mut Child) -> io::Result<ExitStatus> {
    loop {
        match child.wait() {
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            result => return result,
        }
    }
}

fn read_into(mut reader: io::PipeReader, capture: &Mutex<Capture>) {
    let mut buffer = [0u8; 8192];
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => return,
            Ok(n) => capture
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(&buffer[..n]),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// A hook's output: its first [`KEEP_HEAD`] and last [`KEEP_TAIL`] bytes.
#[derive(Default)]
struct Capture {
    head: Vec<u8>,
    tail: Vec<u8>,
    left_out: usize,
    note: Option<&'static str>,
}

impl Capture {
    fn push(&mut self, mut bytes: &[u8]) {
        if self.head.len() < KEEP_HEAD {
            let take = bytes.len().min(KEEP_HEAD - self.head.len());
            self.head.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
        }
        self.tail.extend_from_slice(bytes);
        if self.tail.len() > 2 * KEEP_TAIL {
            let cut = self.tail.len() - KEEP_TAIL;
            self.tail.drain(..cut);
            self.left_out += cut;
        }
    }

    fn note(&mut self, note: &'static str) {
        self.note = Some(note);
    }

    fn into_text(mut self) -> String {
        if self.tail.len() > KEEP_TAIL {
            let cut = self.tail.len() - KEEP_TAIL;
            self.tail.drain(..cut);
            self.left_out += cut;
        }
        let mut text = String::from_utf8_lossy(&self.head).into_owned();
        if self.left_out > 0 {
            text.push_str(&format!("\n[… {} bytes left out …]\n", self.left_out));
        }
        text.push_str(&String::from_utf8_lossy(&self.tail));
        if let Some(note) = self.note {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(note);
        }
        text
    }
}

/// `~` and `~/…` expanded as git does.
fn expand_home(value: &str) -> Result<PathBuf, HookError> {
    config::expand_home(value)
        .map(PathBuf::from)
        .ok_or_else(|| HookError::UserHome {
            value: value.to_owned(),
        })
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// The path without `.` parts and a trailing `/`.
fn clean(path: &Path) -> PathBuf {
    path.components()
        .filter(|part| !matches!(part, Component::CurDir))
        .collect()
}

/// GIT_PREFIX: where news runs, relative to the top of the work tree, with
/// a trailing `/`; empty at the top, outside it, or in a bare repository.
fn prefix(top: Option<&Path>) -> String {
    let (Some(top), Ok(here)) = (top, std::env::current_dir()) else {
        return String::new();
    };
    let (Ok(top), Ok(here)) = (top.canonicalize(), here.canonicalize()) else {
        return String::new();
    };
    match here.strip_prefix(&top) {
        Ok(relative) if !relative.as_os_str().is_empty() => {
            format!("{}/", relative.to_string_lossy())
        }
        _ => String::new(),
    }
}

/// The index `git commit --only` hands its hooks: HEAD's tree plus the
/// change, in a file of the git dir, removed on drop.
pub(crate) struct TempIndex {
    path: PathBuf,
}

impl TempIndex {
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempIndex {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Makes the temporary index of `git commit --only`: HEAD's tree (none on
/// an unborn branch) plus `changes` (path relative to the top,
/// `/`-separated; blob id; mode such as `0o100644`), written to
/// `<git dir>/next-index-<pid>.lock` as git names it.
///
/// As in git, an entry keeps the stat data the repository's index has for
/// it when the index has the same blob there, and a changed file whose
/// work-tree copy holds the new content gets that file's stat data: so
/// `git diff-files` in a hook sees only what really differs from the work
/// tree.
pub(crate) fn temporary_index(
    repo: &git2::Repository,
    head_tree: Option<&git2::Tree<'_>>,
    changes: &[(&str, Option<git2::Oid>, u32)],
) -> Result<TempIndex, HookError> {
    static TAKEN: AtomicUsize = AtomicUsize::new(0);
    let pid = std::process::id();
    let name = match TAKEN.fetch_add(1, Ordering::Relaxed) {
        0 => format!("next-index-{pid}.lock"),
        n => format!("next-index-{pid}-{n}.lock"),
    };
    let git_dir = clean(&absolute(repo.path()));
    let path = git_dir.join(name);
    // A file of that name is left from a process of the same id that died.
    match fs::remove_file(&path) {
        Err(source) if source.kind() != io::ErrorKind::NotFound => {
            return Err(HookError::File {
                action: "remove the stale",
                path,
                source,
            });
        }
        _ => {}
    }
    let temp = TempIndex { path };
    let failed = |source| HookError::Index {
        path: temp.path.clone(),
        source,
    };
    let mut index = from_repository_index(&repository_index(&git_dir), &temp.path)
        .map_or_else(|| git2::Index::open(&temp.path), Ok)
        .map_err(failed)?;
    match head_tree {
        // Keeps the stat data of the entries that match.
        Some(tree) => index.read_tree(tree).map_err(failed)?,
        None => index.clear().map_err(failed)?,
    }
    for (path, id, mode) in changes {
        let Some(id) = id else {
            match index.remove_path(Path::new(path)) {
                Err(error) if error.code() != git2::ErrorCode::NotFound => {
                    return Err(failed(error));
                }
                _ => continue,
            }
        };
        let entry = match repo.workdir() {
            Some(top) => work_tree_entry(top, path, *id, *mode),
            None => None,
        };
        let entry = entry.unwrap_or_else(|| index_entry(path, *id, *mode));
        index.add(&entry).map_err(failed)?;
    }
    index.write().map_err(failed)?;
    Ok(temp)
}

/// The repository's index (`GIT_INDEX_FILE` when set, as git takes it).
fn repository_index(git_dir: &Path) -> PathBuf {
    match std::env::var_os("GIT_INDEX_FILE") {
        Some(index) => absolute(Path::new(&index)),
        None => git_dir.join("index"),
    }
}

/// A copy of the repository's index at `path`, when there is one that
/// libgit2 reads (not a split index, say); its stat data only saves hooks
/// from re-reading files, so without it the index starts empty.
fn from_repository_index(index: &Path, path: &Path) -> Option<git2::Index> {
    let copy = fs::copy(index, path)
        .ok()
        .and_then(|_| git2::Index::open(path).ok());
    if copy.is_none() {
        let _ = fs::remove_file(path);
    }
    copy
}

/// The entry with the stat data of the work-tree file, when that file
/// holds the content being committed.
fn work_tree_entry(top: &Path, path: &str, id: git2::Oid, mode: u32) -> Option<git2::IndexEntry> {
    let file = top.join(path);
    let metadata = fs::symlink_metadata(&file).ok()?;
    if !metadata.is_file() {
        return None;
    }
    let content = fs::read(&file).ok()?;
    if git2::Oid::hash_object(git2::ObjectType::Blob, &content).ok()? != id {
        return None;
    }
    let time =
        |seconds: i64, nanoseconds: i64| git2::IndexTime::new(seconds as i32, nanoseconds as u32);
    Some(git2::IndexEntry {
        ctime: time(metadata.ctime(), metadata.ctime_nsec()),
        mtime: time(metadata.mtime(), metadata.mtime_nsec()),
        dev: metadata.dev() as u32,
        ino: metadata.ino() as u32,
        uid: metadata.uid(),
        gid: metadata.gid(),
        file_size: metadata.size() as u32,
        ..index_entry(path, id, mode)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::git::test_repo::{Sandbox, git_command};

    /// The hooks of a sandbox's repository, from its own configuration.
    trait HookSandbox {
        fn hooks_at(&self, top: &Path) -> Hooks;
        fn hooks(&self) -> Hooks;
    }

    impl HookSandbox for Sandbox {
        fn hooks_at(&self, top: &Path) -> Hooks {
            let repo = git2::Repository::open(top).expect("open the repository");
            Hooks::with_config(&repo, &Sandbox::local_config_at(top)).expect("find the hooks")
        }

        fn hooks(&self) -> Hooks {
            self.hooks_at(&self.top())
        }
    }

    fn sandbox() -> Sandbox {
        Sandbox::new("a.txt", "a\n")
    }

    fn write_hook(dir: &Path, name: &str, script: &str, mode: u32) -> PathBuf {
        fs::create_dir_all(dir).expect("create the hooks folder");
        let path = dir.join(name);
        fs::write(&path, script).expect("write the hook");
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).expect("chmod the hook");
        path
    }

    fn hook(sandbox: &Sandbox, name: &str, script: &str) -> PathBuf {
        write_hook(&sandbox.top().join(".git/hooks"), name, script, 0o755)
    }

    fn blob(repo: &git2::Repository, content: &str) -> git2::Oid {
        repo.blob(content.as_bytes()).expect("store a blob")
    }

    fn head_tree(repo: &git2::Repository) -> git2::Tree<'_> {
        repo.head()
            .and_then(|head| head.peel_to_tree())
            .expect("HEAD's tree")
    }

    #[test]
    fn a_failing_pre_commit_is_an_error_with_its_output() {
        let sandbox = sandbox();
        hook(
            &sandbox,
            "pre-commit",
            "#!/bin/sh\necho 'on stdout'\necho 'on stderr' >&2\nexit 3\n",
        );
        let hooks = sandbox.hooks();
        assert!(hooks.has("pre-commit"));
        let error = hooks
            .pre_commit(&sandbox.top().join(".git/index"))
            .expect_err("the hook fails");
        let HookError::Failed {
            hook,
            status,
            output,
        } = &error
        else {
            panic!("not a hook failure: {error:?}");
        };
        assert_eq!(hook, "pre-commit");
        assert_eq!(status.code(), Some(3));
        assert_eq!(output, "on stdout\non stderr\n");
        assert_eq!(
            error.to_string(),
            "the pre-commit hook exited with status 3:\non stdout\non stderr"
        );
    }

    #[test]
    fn pre_commit_gets_the_temporary_index_and_runs_at_the_top() {
        let sandbox = sandbox();
        let seen = sandbox.path("seen");
        hook(
            &sandbox,
            "pre-commit",
            &format!(
                "#!/bin/sh\n\
                 {{ echo \"$GIT_INDEX_FILE\"; echo \"$PWD\"; echo \"$GIT_EDITOR\"; \
                 echo \"$GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL> $GIT_AUTHOR_DATE\"; \
                 echo \"${{GIT_DIR-unset}}\"; readlink /proc/self/fd/0; }} > '{}'\n\
                 echo checked\n",
                seen.display()
            ),
        );
        let repo = sandbox.repo();
        let tree = head_tree(&repo);
        let change = blob(&repo, "b\n");
        let index = temporary_index(&repo, Some(&tree), &[("b.txt", Some(change), 0o100644)])
            .expect("write the temporary index");
        let author = git2::Signature::new(
            "Ann Author",
            "ann@example.com",
            &git2::Time::new(1_700_000_000, -90),
        )
        .expect("a signature");
        let hooks = sandbox.hooks().with_author(&author);
        hooks.pre_commit(index.path()).expect("the hook passes");

        let seen = fs::read_to_string(&seen).expect("the hook wrote what it saw");
        let lines: Vec<&str> = seen.lines().collect();
        assert_eq!(Path::new(lines[0]), index.path());
        assert_eq!(Path::new(lines[1]), sandbox.top());
        assert_eq!(lines[2], ":");
        assert_eq!(lines[3], "Ann Author <ann@example.com> @1700000000 -0130");
        assert_eq!(lines[4], "unset", "no GIT_DIR for the work tree's own .git");
        assert_eq!(lines[5], "/dev/null");
        assert_eq!(hooks.take_output(), "checked\n");
        assert_eq!(hooks.take_output(), "");
    }

    #[test]
    fn the_temporary_index_holds_head_and_the_change() {
        let sandbox = sandbox();
        fs::write(sandbox.top().join("c.txt"), "c\n").expect("write c.txt");
        fs::write(sandbox.top().join("keep.txt"), "keep\n").expect("write keep.txt");
        sandbox.git(&["add", "c.txt", "keep.txt"]);
        sandbox.git(&["commit", "-q", "-m", "second"]);
        // Staged work of the user's is not swept in.
        fs::write(sandbox.top().join("c.txt"), "c staged\n").expect("write c.txt");
        sandbox.git(&["add", "c.txt"]);
        // The change, written to the work tree as well (as news does).
        fs::write(sandbox.top().join("a.txt"), "a changed\n").expect("write a.txt");
        fs::create_dir(sandbox.top().join("dir")).expect("create dir");
        write_hook(&sandbox.top().join("dir"), "new.sh", "new\n", 0o755);
        let repo = sandbox.repo();
        let tree = head_tree(&repo);
        let changed = blob(&repo, "a changed\n");
        let added = blob(&repo, "new\n");
        let index = temporary_index(
            &repo,
            Some(&tree),
            &[
                ("a.txt", Some(changed), 0o100644),
                ("dir/new.sh", Some(added), 0o100755),
            ],
        )
        .expect("write the temporary index");
        let path = index.path().to_owned();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        let file_name = file_name.unwrap_or_default();
        assert!(
            file_name.starts_with(&format!("next-index-{}", std::process::id()))
                && file_name.ends_with(".lock"),
            "{file_name}"
        );
        assert_eq!(path.parent(), Some(sandbox.top().join(".git").as_path()));

        let stage = git_command(sandbox.home(), &sandbox.top())
            .env("GIT_INDEX_FILE", &path)
            .args(["ls-files", "--stage"])
            .output()
            .expect("run git ls-files");
        assert!(stage.status.success());
        let c = sandbox.git(&["rev-parse", "HEAD:c.txt"]);
        let keep = sandbox.git(&["rev-parse", "HEAD:keep.txt"]);
        assert_eq!(
            String::from_utf8_lossy(&stage.stdout),
            format!(
                "100644 {changed} 0\ta.txt\n100644 {} 0\tc.txt\n100755 {added} 0\tdir/new.sh\n\
                 100644 {} 0\tkeep.txt\n",
                c.trim(),
                keep.trim()
            )
        );
        // The stat data is the index's and the work tree's: only c.txt,
        // staged apart from HEAD, differs from its file.
        let differ = git_command(sandbox.home(), &sandbox.top())
            .env("GIT_INDEX_FILE", &path)
            .args(["diff-files", "--name-only"])
            .output()
            .expect("run git diff-files");
        assert_eq!(String::from_utf8_lossy(&differ.stdout), "c.txt\n");

        drop(index);
        assert!(!path.exists(), "the temporary index is removed");
    }

    #[test]
    fn the_temporary_index_of_a_first_commit_holds_the_change_only() {
        let sandbox = Sandbox::unborn();
        let repo = sandbox.repo();
        let id = blob(&repo, "x\n");
        let index = temporary_index(&repo, None, &[("x.txt", Some(id), 0o100644)])
            .expect("write the index");
        let stage = git_command(sandbox.home(), &sandbox.top())
            .env("GIT_INDEX_FILE", index.path())
            .args(["ls-files", "--stage"])
            .output()
            .expect("run git ls-files");
        assert_eq!(
            String::from_utf8_lossy(&stage.stdout),
            format!("100644 {id} 0\tx.txt\n")
        );
    }

    #[test]
    fn commit_msg_may_rewrite_the_message() {
        let sandbox = sandbox();
        let seen = sandbox.path("prepare-args");
        hook(
            &sandbox,
            "prepare-commit-msg",
            &format!("#!/bin/sh\necho \"$2\" > '{}'\n", seen.display()),
        );
        hook(
            &sandbox,
            "commit-msg",
            "#!/bin/sh\nprintf '\\nSigned-off-by: Ann <ann@example.com>\\n' >> \"$1\"\n",
        );
        let hooks = sandbox.hooks();
        let message = hooks
            .commit_msg("Edit the story", &sandbox.top().join(".git/index"))
            .expect("the hooks pass");
        assert_eq!(
            message,
            "Edit the story\n\nSigned-off-by: Ann <ann@example.com>\n"
        );
        assert_eq!(
            fs::read_to_string(sandbox.top().join(".git/COMMIT_EDITMSG")).ok(),
            Some(message)
        );
        assert_eq!(fs::read_to_string(seen).ok().as_deref(), Some("message\n"));
    }

    #[test]
    fn without_message_hooks_the_message_is_unchanged() {
        let sandbox = sandbox();
        let hooks = sandbox.hooks();
        let message = hooks
            .commit_msg("No newline", &sandbox.top().join(".git/index"))
            .expect("no hooks");
        assert_eq!(message, "No newline");
    }

    #[test]
    fn a_failing_commit_msg_is_an_error() {
        let sandbox = sandbox();
        hook(
            &sandbox,
            "commit-msg",
            "#!/bin/sh\necho 'subject too long' >&2\nexit 1\n",
        );
        let error = sandbox
            .hooks()
            .commit_msg("A subject", &sandbox.top().join(".git/index"))
            .expect_err("the hook refuses");
        assert!(
            matches!(&error, HookError::Failed { hook, output, .. }
                if hook == "commit-msg" && output == "subject too long\n"),
            "{error:?}"
        );
    }

    #[test]
    fn a_message_emptied_by_a_hook_is_an_error() {
        let sandbox = sandbox();
        hook(&sandbox, "commit-msg", "#!/bin/sh\n: > \"$1\"\n");
        let error = sandbox
            .hooks()
            .commit_msg("A subject", &sandbox.top().join(".git/index"))
            .expect_err("an empty message");
        assert!(matches!(error, HookError::EmptyMessage { .. }), "{error:?}");
    }

    #[test]
    fn hooks_are_found_through_a_relative_core_hooks_path() {
        let sandbox = sandbox();
        sandbox.git(&["config", "core.hooksPath", "tools/hooks"]);
        write_hook(
            &sandbox.top().join("tools/hooks"),
            "pre-commit",
            "#!/bin/sh\necho 'from tools/hooks'\nexit 1\n",
            0o755,
        );
        // A hook in .git/hooks is not used any more.
        hook(&sandbox, "post-commit", "#!/bin/sh\nexit 1\n");
        // Through Hooks::of: the local core.hooksPath wins over any global one.
        let repo = sandbox.repo();
        let hooks = Hooks::of(&repo).expect("find the hooks");
        assert!(hooks.has("pre-commit"));
        assert!(!hooks.has("post-commit"));
        let error = hooks
            .pre_commit(&sandbox.top().join(".git/index"))
            .expect_err("the hook fails");
        assert!(error.to_string().ends_with("from tools/hooks"), "{error}");
    }

    #[test]
    fn hooks_are_found_through_an_absolute_core_hooks_path() {
        let sandbox = sandbox();
        let dir = sandbox.path("shared hooks");
        sandbox.git(&["config", "core.hooksPath", &dir.to_string_lossy()]);
        let seen = sandbox.path("ran");
        write_hook(
            &dir,
            "pre-commit",
            &format!("#!/bin/sh\ntouch '{}'\n", seen.display()),
            0o755,
        );
        let hooks = sandbox.hooks();
        hooks
            .pre_commit(&sandbox.top().join(".git/index"))
            .expect("the hook passes");
        assert!(seen.exists());
    }

    #[test]
    fn core_hooks_path_dev_null_turns_hooks_off() {
        let sandbox = sandbox();
        hook(&sandbox, "pre-commit", "#!/bin/sh\nexit 1\n");
        sandbox.git(&["config", "core.hooksPath", "/dev/null"]);
        let hooks = sandbox.hooks();
        assert!(!hooks.has("pre-commit"));
        hooks
            .pre_commit(&sandbox.top().join(".git/index"))
            .expect("no hook runs");
    }

    #[test]
    fn a_home_relative_hooks_path_is_expanded() {
        let home = std::env::var("HOME").unwrap_or_default();
        assert_eq!(
            expand_home("~/hooks").ok(),
            Some(PathBuf::from(format!("{home}/hooks")))
        );
        assert_eq!(expand_home("~").ok(), Some(PathBuf::from(&home)));
        assert_eq!(expand_home("a/~b").ok(), Some(PathBuf::from("a/~b")));
        assert!(matches!(
            expand_home("~someone/hooks"),
            Err(HookError::UserHome { .. })
        ));
    }

    #[test]
    fn a_non_executable_hook_is_skipped_with_git_s_hint() {
        let sandbox = sandbox();
        let ran = sandbox.path("ran");
        let path = write_hook(
            &sandbox.top().join(".git/hooks"),
            "pre-commit",
            &format!("#!/bin/sh\ntouch '{}'\nexit 1\n", ran.display()),
            0o644,
        );
        let hooks = sandbox.hooks();
        assert!(!hooks.has("pre-commit"));
        let index = sandbox.top().join(".git/index");
        hooks.pre_commit(&index).expect("the hook is skipped");
        hooks.pre_commit(&index).expect("the hook is skipped");
        assert!(!ran.exists());
        assert_eq!(
            hooks.take_output(),
            format!(
                "hint: The '{}' hook was ignored because it's not set as executable.\n\
                 hint: You can disable this warning with `git config set advice.ignoredHook false`.\n",
                path.display()
            ),
            "the hint, once"
        );

        sandbox.git(&["config", "advice.ignoredHook", "false"]);
        let hooks = sandbox.hooks();
        hooks.pre_commit(&index).expect("the hook is skipped");
        assert_eq!(hooks.take_output(), "");
    }

    #[test]
    fn a_hook_without_an_interpreter_line_runs_with_the_shell() {
        let sandbox = sandbox();
        hook(&sandbox, "pre-commit", "echo \"shell ran $0\"\nexit 4\n");
        let error = sandbox
            .hooks()
            .pre_commit(&sandbox.top().join(".git/index"))
            .expect_err("the hook fails");
        assert!(
            matches!(&error, HookError::Failed { status, output, .. }
                if status.code() == Some(4) && output.starts_with("shell ran ")),
            "{error:?}"
        );
    }

    #[test]
    fn a_failing_post_commit_is_a_warning() {
        let sandbox = sandbox();
        let hooks = sandbox.hooks();
        let index = hooks.repository_index().to_owned();
        assert_eq!(index, sandbox.top().join(".git/index"));
        assert_eq!(hooks.post_commit(&index), None, "no hook");

        hook(
            &sandbox,
            "post-commit",
            "#!/bin/sh\necho 'cannot notify the desk' >&2\nexit 1\n",
        );
        let warning = hooks.post_commit(&index).expect("a warning");
        assert_eq!(
            warning,
            "the post-commit hook exited with status 1 (the commit is made):\ncannot notify the desk"
        );

        hook(&sandbox, "post-commit", "#!/bin/sh\necho 'notified'\n");
        assert_eq!(hooks.post_commit(&index), None);
        assert_eq!(hooks.take_output(), "notified\n");
    }

    #[test]
    fn a_hook_that_cannot_start_is_an_error() {
        let sandbox = sandbox();
        hook(&sandbox, "pre-commit", "#!/no/such/interpreter\n");
        hook(&sandbox, "post-commit", "#!/no/such/interpreter\n");
        let hooks = sandbox.hooks();
        let index = sandbox.top().join(".git/index");
        let error = hooks.pre_commit(&index).expect_err("cannot start");
        assert!(
            matches!(&error, HookError::Start { hook, source, .. }
                if hook == "pre-commit" && source.kind() == io::ErrorKind::NotFound),
            "{error:?}"
        );
        let warning = hooks.post_commit(&index).expect("a warning");
        assert!(
            warning.starts_with("cannot run the post-commit hook (")
                && warning.contains("(the commit is made): "),
            "{warning}"
        );
    }

    #[test]
    fn hooks_of_a_linked_worktree_come_from_the_common_dir() {
        let sandbox = sandbox();
        let worktree = sandbox.path("second");
        sandbox.git(&["worktree", "add", "-q", &worktree.to_string_lossy()]);
        let seen = sandbox.path("seen");
        hook(
            &sandbox,
            "pre-commit",
            &format!(
                "#!/bin/sh\n{{ echo \"$PWD\"; echo \"$GIT_DIR\"; }} > '{}'\n",
                seen.display()
            ),
        );
        let hooks = sandbox.hooks_at(&worktree);
        hooks
            .pre_commit(&sandbox.top().join(".git/worktrees/second/index"))
            .expect("the hook passes");
        let seen = fs::read_to_string(seen).expect("the hook wrote what it saw");
        assert_eq!(
            seen,
            format!(
                "{}\n{}\n",
                worktree.display(),
                sandbox.top().join(".git/worktrees/second").display()
            )
        );
    }

    #[test]
    fn hook_output_is_bounded() {
        let sandbox = sandbox();
        hook(
            &sandbox,
            "pre-commit",
            "#!/bin/sh\necho start\nhead -c 300000 /dev/zero | tr '\\0' x\necho\necho end\nexit 1\n",
        );
        let error = sandbox
            .hooks()
            .pre_commit(&sandbox.top().join(".git/index"))
            .expect_err("the hook fails");
        let HookError::Failed { output, .. } = error else {
            panic!("not a hook failure");
        };
        assert!(
            output.len() < KEEP_HEAD + KEEP_TAIL + 100,
            "{}",
            output.len()
        );
        assert!(output.starts_with("start\n"));
        assert!(output.ends_with("x\nend\n"));
        assert!(output.contains(" bytes left out "));
    }

    #[test]
    fn a_process_left_holding_the_output_does_not_hold_up_the_commit() {
        let sandbox = sandbox();
        hook(
            &sandbox,
            "pre-commit",
            "#!/bin/sh\necho before\nsleep 5 &\necho after\n",
        );
        let started = std::time::Instant::now();
        let hooks = sandbox.hooks();
        hooks
            .pre_commit(&sandbox.top().join(".git/index"))
            .expect("the hook passes");
        assert!(started.elapsed() < Duration::from_millis(4500));
        let output = hooks.take_output();
        assert!(output.starts_with("before\nafter\n"), "{output}");
        assert!(output.contains("still holds its output"), "{output}");
    }
}
