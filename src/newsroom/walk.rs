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
/// question whether an id is taken. Folders are read in parallel: a
/// newsroom has thousands of date folders, and listing them is most of
/// the work of `news new`.
pub fn toml_stems(folder: &Path) -> Result<HashSet<String>, WalkError> {
    let stems = std::sync::Mutex::new(HashSet::new());
    let failure = std::sync::Mutex::new(None);
    rayon::scope(|scope| read_stems(scope, folder.to_owned(), &stems, &failure));
    if let Some(error) = failure
        .into_inner()
        .unwrap_or_else(|poison| poison.into_inner())
    {
        return Err(error);
    }
    Ok(stems
        .into_inner()
        .unwrap_or_else(|poison| poison.into_inner()))
}

/// One folder of [`toml_stems`]: its files' stems, its folders spawned.
fn read_stems<'scope>(
    scope: &rayon::Scope<'scope>,
    folder: PathBuf,
    stems: &'scope std::sync::Mutex<HashSet<String>>,
    failure: &'scope std::sync::Mutex<Option<WalkError>>,
) {
    let mut found = Vec::new();
    let listed = list(
        &folder,
        &mut |path| {
            scope.spawn(move |scope| read_stems(scope, path, stems, failure));
        },
        &mut |_, name, _| {
            if let Some(stem) = name.strip_suffix(".toml") {
                found.push(stem.to_owned());
            }
        },
    );
    if let Err(error) = listed {
        let mut failure = failure.lock().unwrap_or_else(|poison| poison.into_inner());
        failure.get_or_insert(error);
    }
    stems
        .lock()
        .unwrap_or_else(|poison| poison.into_inner())
        .extend(found);
}

/// Every `*.toml` below `folder`, sorted, and every link to a folder: the
/// walk does not follow those (a loop of links cannot hang it, nor a link
/// lead it out of the newsroom), and reading one reports it (not a
/// regular file, or a link out of the newsroom), so no record behind it
/// vanishes without a word. Hidden entries (`.git`) are skipped; links to
/// files are listed like files; a folder whose name ends in `.toml` is a
/// folder like any other.
pub fn toml_files(folder: &Path) -> Result<Vec<PathBuf>, WalkError> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_owned()];
    while let Some(folder) = pending.pop() {
        let mut folders = Vec::new();
        list(
            &folder,
            &mut |path| folders.push(path),
            &mut |path, name, folder_link| {
                if folder_link || name.ends_with(".toml") {
                    files.push(path.join(name));
                }
            },
        )?;
        pending.extend(folders);
    }
    // As paths sort (component by component), on the bytes: a separator
    // sorts before any other byte. Comparing `Path`s is slow at 50,000.
    files.sort_by_cached_key(|path| path_order(path));
    Ok(files)
}

/// `path`'s bytes with each separator made the smallest byte: in byte
/// order, as paths order component by component.
fn path_order(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str()
        .as_bytes()
        .iter()
        .map(|byte| if *byte == b'/' { 0 } else { *byte })
        .collect()
}

/// Lists one folder: `folders` gets each folder in it, `found` each other
/// entry, and whether it is a link to a folder; hidden entries are
/// skipped.
fn list(
    folder: &Path,
    folders: &mut dyn FnMut(PathBuf),
    found: &mut dyn FnMut(&Path, &str, bool),
) -> Result<(), WalkError> {
    let entries = std::fs::read_dir(folder).map_err(|source| WalkError {
        path: folder.to_owned(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| WalkError {
            path: folder.to_owned(),
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
            folders(entry.path());
        } else {
            found(
                folder,
                &name,
                file_type.is_symlink() && entry.path().is_dir(),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_order_of_paths_is_their_component_order() {
        let mut paths: Vec<PathBuf> = [
            "/r/a-b/x.toml",
            "/r/a/x.toml",
            "/r/a.b/x.toml",
            "/r/a/b/x.toml",
            "/r/a0/x.toml",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let mut by_components = paths.clone();
        by_components.sort();
        paths.sort_by_cached_key(|path| path_order(path));
        assert_eq!(paths, by_components);
    }
}
