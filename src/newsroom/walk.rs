//! Finding the `.toml` files below a folder.

use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("cannot list the folder {}", path.display())]
pub struct WalkError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Every `*.toml` below `folder`, sorted. Hidden entries (`.git`) are
/// skipped; links to folders are not followed, so a loop of links cannot
/// hang the walk; links to files are listed like files. A folder whose name
/// ends in `.toml` is a folder like any other.
pub fn toml_files(folder: &Path) -> Result<Vec<PathBuf>, WalkError> {
    let mut files = Vec::new();
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
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let file_type = entry.file_type().map_err(|source| WalkError {
                path: path.clone(),
                source,
            })?;
            if file_type.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|extension| extension == "toml")
            {
                let is_linked_folder = file_type.is_symlink() && path.is_dir();
                if !is_linked_folder {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    Ok(files)
}
