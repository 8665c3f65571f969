//! The work tree as git sees it: the blob a file becomes once git's clean
//! filters ran (`core.autocrlf`, `text`/`eol` attributes, filter drivers
//! such as LFS), and files written under names a journal can name.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use super::GitError;
use super::index_file::Index;

/// Attributes that change a file's content on its way into git whatever
/// it holds.
const CONTENT_FILTERS: [&str; 3] = ["filter", "ident", "working-tree-encoding"];
/// Attributes that change only line endings.
const EOL_FILTERS: [&str; 3] = ["text", "eol", "crlf"];

/// git's clean filters for the files of one work tree.
pub(super) struct Filters<'repo> {
    repo: &'repo git2::Repository,
    top: &'repo Path,
    index: &'repo Index,
    autocrlf: bool,
    /// Whether an attributes file outside the work tree exists
    /// (`info/attributes`, `core.attributesFile`).
    global_attributes: bool,
}

impl<'repo> Filters<'repo> {
    pub(super) fn new(
        repo: &'repo git2::Repository,
        top: &'repo Path,
        index: &'repo Index,
    ) -> Self {
        let autocrlf = repo
            .config()
            .ok()
            .and_then(|config| config.get_string("core.autocrlf").ok())
            .is_some_and(|value| {
                matches!(
                    value.to_ascii_lowercase().as_str(),
                    "true" | "input" | "yes" | "on" | "1"
                )
            });
        let config = repo.config().ok();
        let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
        let user_file = config
            .as_ref()
            .and_then(|config| config.get_path("core.attributesFile").ok())
            .or_else(|| {
                std::env::var_os("XDG_CONFIG_HOME")
                    .map(|folder| std::path::PathBuf::from(folder).join("git/attributes"))
                    .or_else(|| home.map(|home| home.join(".config/git/attributes")))
            });
        let global_attributes = repo.commondir().join("info/attributes").exists()
            || user_file.is_some_and(|file| file.exists());
        Self {
            repo,
            top,
            index,
            autocrlf,
            global_attributes,
        }
    }

    /// Whether any attributes can apply to `path`: a `.gitattributes` in
    /// one of its folders (in the work tree or the index), or an
    /// attributes file outside the work tree. Asking libgit2 costs a read
    /// of the whole index, so it is asked only then.
    fn has_attributes(&self, path: &str) -> bool {
        if self.global_attributes {
            return true;
        }
        let folders = std::iter::once("").chain(path.match_indices('/').map(|(at, _)| &path[..at]));
        folders
            .map(|folder| match folder {
                "" => ".gitattributes".to_owned(),
                folder => format!("{folder}/.gitattributes"),
            })
            .any(|file| {
                self.index.entry(file.as_bytes()).is_some() || self.top.join(&file).exists()
            })
    }

    /// The id of the blob git would make of `content` as the file at
    /// `path` (repository-relative); with `store`, the blob is written.
    pub(super) fn blob_id(
        &self,
        path: &str,
        content: &[u8],
        store: bool,
    ) -> Result<git2::Oid, GitError> {
        if self.is_verbatim(path, content) {
            return if store {
                self.repo
                    .blob(content)
                    .map_err(|error| self.store_failed(path, content, error))
            } else {
                git2::Oid::hash_object(git2::ObjectType::Blob, content)
                    .map_err(|error| GitError::git(format!("hash {path}"), error))
            };
        }
        self.ask_git(path, content, store)
    }

    /// Why libgit2 could not store a blob. It can lose the cause (a full
    /// disk reads "no error"), so the same bytes are written beside the
    /// objects once more, and that error, if any, is the cause.
    fn store_failed(&self, path: &str, content: &[u8], error: git2::Error) -> GitError {
        let action = format!("store {path}");
        let error = GitError::git(&action, error);
        if !matches!(error, GitError::Git { .. }) {
            return error;
        }
        let probe = self
            .repo
            .commondir()
            .join("objects")
            .join(format!("news-probe-{}", std::process::id()));
        let written = std::fs::write(&probe, content);
        let _ = std::fs::remove_file(&probe);
        match written {
            Err(io) => GitError::io(action, io),
            Ok(()) => error,
        }
    }

    /// Whether git would store `content` as it is: no filter can apply.
    /// Line-ending conversion changes only carriage returns, so a file
    /// without one is stored verbatim whatever `core.autocrlf` says.
    fn is_verbatim(&self, path: &str, content: &[u8]) -> bool {
        if !self.has_attributes(path) {
            return !content.contains(&b'\r') || !self.autocrlf;
        }
        let specified = |name: &str| {
            let value = self
                .repo
                .get_attr_bytes(Path::new(path), name, git2::AttrCheckFlags::FILE_THEN_INDEX)
                .unwrap_or(Some(b"unknown"));
            git2::AttrValue::from_bytes(value) != git2::AttrValue::Unspecified
        };
        if CONTENT_FILTERS.iter().any(|name| specified(name)) {
            return false;
        }
        !content.contains(&b'\r') || !(self.autocrlf || EOL_FILTERS.iter().any(|n| specified(n)))
    }

    /// `git hash-object --path`: git's own filters, external drivers too.
    fn ask_git(&self, path: &str, content: &[u8], store: bool) -> Result<git2::Oid, GitError> {
        let action = || format!("run `git hash-object --path {path}`");
        let mut command = Command::new("git");
        command
            .current_dir(self.top)
            .args(["hash-object", "--stdin", "--path", path]);
        if store {
            command.arg("-w");
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| GitError::io(action(), error))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(content)
                .map_err(|error| GitError::io(action(), error))?;
        }
        let output = child
            .wait_with_output()
            .map_err(|error| GitError::io(action(), error))?;
        let text = String::from_utf8_lossy(&output.stdout);
        match git2::Oid::from_str(text.trim()) {
            Ok(id) if output.status.success() => Ok(id),
            _ => Err(GitError::io(
                action(),
                std::io::Error::other(format!(
                    "{}: {}",
                    output.status,
                    String::from_utf8_lossy(&output.stderr).trim()
                )),
            )),
        }
    }
}

/// The id of `content` as a blob, byte for byte: how a journal names the
/// exact bytes it wrote to a file.
pub(super) fn raw_id(content: &[u8]) -> Result<git2::Oid, GitError> {
    git2::Oid::hash_object(git2::ObjectType::Blob, content)
        .map_err(|error| GitError::git("hash a file", error))
}

/// Refuses a path (relative to `top`) whose folders include a link: news
/// never reads or writes a record through one.
pub(super) fn check_no_link(top: &Path, path: &str) -> Result<(), GitError> {
    let mut folder = top.to_owned();
    let components: Vec<&str> = path.split('/').collect();
    for component in &components[..components.len().saturating_sub(1)] {
        folder.push(component);
        match std::fs::symlink_metadata(&folder) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Err(GitError::BehindLink {
                    path: path.to_owned(),
                    link: folder
                        .strip_prefix(top)
                        .unwrap_or(&folder)
                        .display()
                        .to_string(),
                });
            }
            Ok(_) => {}
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

/// The content of the work-tree file `full`, none when there is none.
/// Refuses what is not a regular file: news never reads or writes
/// through a link.
pub(super) fn read_file(full: &Path, path: &str) -> Result<Option<Vec<u8>>, GitError> {
    match std::fs::symlink_metadata(full) {
        Ok(metadata) if metadata.is_file() => std::fs::read(full)
            .map(Some)
            .map_err(|error| GitError::io(format!("read {}", full.display()), error)),
        Ok(_) => Err(GitError::NotAFile {
            path: path.to_owned(),
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(GitError::io(format!("read {}", full.display()), error)),
    }
}

/// Writes `content` to `temporary` (created anew) and renames it over
/// `full`: a crash leaves the old file or the new, never half of either.
/// The file keeps its permissions; a new one gets `rw-r--r--`. Returns
/// the new file's metadata.
pub(super) fn replace_file(
    full: &Path,
    temporary: &Path,
    content: &[u8],
) -> Result<std::fs::Metadata, GitError> {
    let action = || format!("write {}", full.display());
    if let Some(folder) = full.parent() {
        std::fs::create_dir_all(folder).map_err(|error| GitError::io(action(), error))?;
    }
    let permissions = match std::fs::symlink_metadata(full) {
        Ok(metadata) => metadata.permissions(),
        Err(_) => std::fs::Permissions::from_mode(0o644),
    };
    let written = (|| {
        let mut file = std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(temporary)?;
        file.set_permissions(permissions)?;
        file.write_all(content)?;
        file.sync_all()?;
        std::fs::rename(temporary, full)?;
        file.metadata()
    })();
    written.map_err(|error| {
        let _ = std::fs::remove_file(temporary);
        GitError::io(action(), error)
    })
}

/// How many of the folders `path` (relative to `top`) lies in do not exist
/// yet: the ones writing it will make.
pub(super) fn missing_folders(top: &Path, path: &str) -> usize {
    let full = top.join(path);
    full.ancestors()
        .skip(1)
        .take_while(|folder| *folder != top && !folder.exists())
        .count()
}

/// Removes the `count` innermost folders `path` lies in (those news made
/// for it, or all when it removed the file), while they are empty.
pub(super) fn remove_new_folders(top: &Path, path: &str, count: usize) {
    let depth = Path::new(path).components().count().saturating_sub(1);
    let full = top.join(path);
    for folder in full.ancestors().skip(1).take(count.min(depth)) {
        if std::fs::remove_dir(folder).is_err() {
            break;
        }
    }
}

/// Removes `path` if it is there.
pub(super) fn remove_if_present(path: &Path) -> Result<(), GitError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(GitError::io(format!("remove {}", path.display()), error)),
    }
}
