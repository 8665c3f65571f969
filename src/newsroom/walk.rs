//! Finding the `.toml` files below a folder.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("cannot list the folder {}", path.display())]
pub struct WalkError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// The names, without `.toml`, of every `*.toml` below `folder`: what
/// [`toml_files`] finds, without sorting or keeping paths, for the quick
/// question whether an id is taken.
pub fn toml_stems(folder: &Path) -> Result<HashSet<String>, WalkError> {
    let mut stems = HashSet::new();
    walk(folder, &mut |_, name| {
        if let Some(stem) = name.strip_suffix(".toml") {
            stems.insert(stem.to_owned());
        }
    })?;
    Ok(stems)
}

/// Every `*.toml` below `folder`, sorted. Hidden entries (`.git`) are
/// skipped; links to folders are not followed, so a loop of links cannot
/// hang the walk; links to files are listed like files. A folder whose name
/// ends in `.toml` is a folder like any other.
pub fn toml_files(folder: &Path) -> Result<Vec<PathBuf>, WalkError> {
    let mut files = Vec::new();
    walk(folder, &mut |path, name| {
        if name.ends_with(".toml") {
            files.push(path.join(name));
        }
    })?;
    files.sort();
    Ok(files)
}

/// Calls `found(folder, name)` for every entry below `folder` that is not a
/// folder (nor a link to one), skipping hidden entries.
fn walk(folder: &Path, found: &mut dyn FnMut(&Path, &str)) -> Result<(), WalkError> {
    let mut pending = vec![folder.to_owned()];
    while let Some(folder) = pending.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|source| WalkError {
            path: folder.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| WalkError {
                path: folder.clone(),
                source,
            })?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let file_type = entry.file_type().map_err(|source| WalkError {
                path: entry.path(),
                source,
            })?;
            if file_type.is_dir() {
                pending.push(entry.path());
            } else if !(file_type.is_symlink() && entry.path().is_dir()) {
                found(&folder, &name);
            }
        }
    }
    Ok(())
}
