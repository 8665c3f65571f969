//! The one safe way to read a newsroom's files — records and settings
//! alike: a regular file (never a pipe or a device, which could block or
//! never end), of a bounded size, in a folder that is inside the newsroom,
//! and through a link only when the link stays inside it.

use std::cell::RefCell;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest file news reads as a record or a setting.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Why a newsroom file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file, or a folder on its way, leads out of the newsroom.
    #[error("{} leads to {}, outside the newsroom", path.display(), target.display())]
    Outside { path: PathBuf, target: PathBuf },
    #[error("{} is not a regular file (a folder, pipe or device)", path.display())]
    NotAFile { path: PathBuf },
    #[error("{} is {size} bytes; news reads files of at most {MAX_FILE_BYTES} bytes", path.display())]
    TooLarge { path: PathBuf, size: u64 },
    #[error("cannot read {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The bytes of the newsroom file `path`. With `root`, the file and the
/// folder it is in must lead to places inside `root`. Looks before it
/// opens, so that a pipe cannot block, and reads at most
/// [`MAX_FILE_BYTES`].
pub fn read_inside(path: &Path, root: Option<&Path>) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let metadata = look_inside(path, root)?;
    let too_large = |size| ReadError::TooLarge {
        path: path.to_owned(),
        size,
    };
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize + 1);
    std::fs::File::open(path)
        .and_then(|opened| opened.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        // It grew since we looked.
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What `path` is, when it is a regular file that, with `root`, is
/// inside `root` (the folder it is in and, for a link, where it leads):
/// the looking half of [`read_inside`], for files news names but does not
/// read (a record's media).
pub fn look_inside(path: &Path, root: Option<&Path>) -> Result<std::fs::Metadata, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    if let (Some(root), Some(folder)) = (root, path.parent()) {
        check_folder(folder, root)?;
    }
    let mut metadata = std::fs::symlink_metadata(path).map_err(io)?;
    if metadata.file_type().is_symlink() {
        if let Some(root) = root {
            let target = std::fs::canonicalize(path).map_err(io)?;
            if !target.starts_with(canonical(root)?) {
                return Err(ReadError::Outside {
                    path: path.to_owned(),
                    target,
                });
            }
        }
        metadata = std::fs::metadata(path).map_err(io)?;
    }
    if !metadata.is_file() {
        return Err(ReadError::NotAFile {
            path: path.to_owned(),
        });
    }
    Ok(metadata)
}

/// Refuses `folder` when it, or a link on its way, leads out of `root`.
/// Records come in runs from one folder, so the last folder each thread
/// checked is remembered.
pub fn check_folder(folder: &Path, root: &Path) -> Result<(), ReadError> {
    thread_local! {
        static LAST: RefCell<Option<(PathBuf, PathBuf)>> = const { RefCell::new(None) };
    }
    let known = LAST.with(|last| {
        last.borrow()
            .as_ref()
            .is_some_and(|(checked, within)| checked == folder && within == root)
    });
    if known {
        return Ok(());
    }
    let target = canonical(folder)?;
    if !target.starts_with(canonical(root)?) {
        return Err(ReadError::Outside {
            path: folder.to_owned(),
            target,
        });
    }
    LAST.with(|last| *last.borrow_mut() = Some((folder.to_owned(), root.to_owned())));
    Ok(())
}

fn canonical(path: &Path) -> Result<PathBuf, ReadError> {
    std::fs::canonicalize(path).map_err(|source| ReadError::Io {
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_links_out_pipes_and_links_through_folders() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.toml"), "secret").unwrap();
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        std::fs::create_dir_all(root.join("articles/2015")).unwrap();
        std::fs::write(root.join("articles/2015/a.toml"), "a").unwrap();
        assert_eq!(
            read_inside(&root.join("articles/2015/a.toml"), Some(root)).unwrap(),
            b"a"
        );

        std::os::unix::fs::symlink(
            outside.path().join("secret.toml"),
            root.join("articles/2015/b.toml"),
        )
        .unwrap();
        assert!(matches!(
            read_inside(&root.join("articles/2015/b.toml"), Some(root)),
            Err(ReadError::Outside { .. })
        ));
        std::os::unix::fs::symlink(outside.path(), root.join("articles/2016")).unwrap();
        assert!(matches!(
            read_inside(&root.join("articles/2016/secret.toml"), Some(root)),
            Err(ReadError::Outside { .. })
        ));
        std::os::unix::fs::symlink("a.toml", root.join("articles/2015/c.toml")).unwrap();
        assert_eq!(
            read_inside(&root.join("articles/2015/c.toml"), Some(root)).unwrap(),
            b"a"
        );
        assert!(matches!(
            read_inside(&root.join("articles"), Some(root)),
            Err(ReadError::NotAFile { .. })
        ));
    }
}
