//! How paths are named to people and to machines (DESIGN §4): relative to
//! the current folder for people, as git prints them (`../news.toml`);
//! relative to the top of the repository for machine formats, which is
//! what GitHub and GitLab read.

use std::path::{Component, Path, PathBuf};

/// What paths in output are relative to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathNames {
    base: PathBuf,
    /// Whether paths are for machines: from the top of the repository
    /// each file is in.
    machines: bool,
}

impl PathNames {
    /// Paths relative to `cwd`, for people.
    pub fn for_people(cwd: &Path) -> Self {
        Self {
            base: normalize(cwd),
            machines: false,
        }
    }

    /// Paths relative to the top of the work tree `cwd` is in, for
    /// machine formats; outside any repository, relative to the newsroom's
    /// root, or else to `cwd`.
    pub fn for_machines(cwd: &Path) -> Self {
        let top = crate::git::Repo::discover(cwd)
            .ok()
            .and_then(|repo| repo.workdir().map(|top| in_terms_of(top, cwd)));
        let base = top
            .or_else(|| crate::newsroom::find_root(cwd).map(|root| normalize(&root)))
            .unwrap_or_else(|| normalize(cwd));
        Self {
            base,
            machines: true,
        }
    }

    /// These names for the files in `folder`: for machines, from the top
    /// of the repository `folder` is in (which need not be the current
    /// folder's); for people, unchanged.
    pub fn at(&self, folder: &Path) -> Self {
        match self.machines {
            true => Self::for_machines(folder),
            false => self.clone(),
        }
    }

    /// `path` (absolute) as these names give it.
    pub fn name(&self, path: &Path) -> PathBuf {
        relative(path, &self.base)
    }
}

/// `dir` relative to `top`, `/`-separated, with a trailing `/`; empty when
/// they are the same folder.
pub fn repo_prefix(top: &Path, dir: &Path) -> String {
    let canonical = |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let (top, dir) = (canonical(top), canonical(dir));
    match dir.strip_prefix(&top) {
        Ok(relative) if relative.as_os_str().is_empty() => String::new(),
        Ok(relative) => {
            let parts: Vec<String> = relative
                .components()
                .map(|component| component.as_os_str().to_string_lossy().into_owned())
                .collect();
            format!("{}/", parts.join("/"))
        }
        Err(_) => String::new(),
    }
}

/// `path` without `.` components and with `..` applied, lexically.
pub fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !normal.pop() {
                    normal.push("..");
                }
            }
            other => normal.push(other),
        }
    }
    normal
}

/// `path` relative to the folder `base` (both absolute), with `..` where
/// it lies outside it; `.` for `base` itself. Compared lexically, and
/// through links only when the lexical forms share no folder (a `/tmp`
/// that is a link, say).
pub fn relative(path: &Path, base: &Path) -> PathBuf {
    let (path, base) = (normalize(path), normalize(base));
    let lexical = lexically_relative(&path, &base);
    // Leaving `base` lexically may be going through a link that leads
    // back below it: then the real paths say where it is.
    if lexical.starts_with("..")
        && let (Some(real_path), Ok(real_base)) = (canonical(&path), base.canonicalize())
        && shared(&real_path, &real_base) > 1
    {
        let real = lexically_relative(&real_path, &real_base);
        if !real.starts_with("..") || shared(&path, &base) <= 1 {
            return real;
        }
    }
    lexical
}

/// `folder`, found through links, named from the same start as `like`
/// (which may lie below a link): so that `relative` compares like with
/// like.
fn in_terms_of(folder: &Path, like: &Path) -> PathBuf {
    let like = normalize(like);
    match (folder.canonicalize(), like.canonicalize()) {
        (Ok(real_folder), Ok(real_like)) => match real_like.strip_prefix(&real_folder) {
            Ok(below) => {
                let mut named = like.clone();
                for _ in below.components() {
                    named.pop();
                }
                named
            }
            Err(_) => normalize(folder),
        },
        _ => normalize(folder),
    }
}

/// How many leading components two paths share.
fn shared(left: &Path, right: &Path) -> usize {
    left.components()
        .zip(right.components())
        .take_while(|(left, right)| left == right)
        .count()
}

/// The real path of `path`, or of its folder when the file is gone.
fn canonical(path: &Path) -> Option<PathBuf> {
    path.canonicalize().ok().or_else(|| {
        let real = path.parent()?.canonicalize().ok()?;
        Some(real.join(path.file_name()?))
    })
}

fn lexically_relative(path: &Path, base: &Path) -> PathBuf {
    let common = shared(path, base);
    let mut relative = PathBuf::new();
    for _ in base.components().skip(common) {
        relative.push("..");
    }
    for component in path.components().skip(common) {
        relative.push(component);
    }
    if relative.as_os_str().is_empty() {
        relative.push(".");
    }
    relative
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_named_as_git_names_them() {
        let base = Path::new("/room/articles/2015");
        let cases = [
            ("/room/articles/2015/09/23/a.toml", "09/23/a.toml"),
            ("/room/news.toml", "../../news.toml"),
            ("/room/articles/2015", "."),
            ("/elsewhere/b.toml", "../../../elsewhere/b.toml"),
            ("/room/articles/./2015/../2016/x.toml", "../2016/x.toml"),
        ];
        for (path, named) in cases {
            assert_eq!(
                relative(Path::new(path), base),
                PathBuf::from(named),
                "{path}"
            );
        }
    }

    #[test]
    fn a_folder_below_a_link_is_compared_through_it() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir_all(real.join("sub")).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let top = in_terms_of(&real, &link.join("sub"));
        assert_eq!(top, link);
        assert_eq!(
            relative(&link.join("sub/a.toml"), &top),
            PathBuf::from("sub/a.toml")
        );
        assert_eq!(
            relative(&real.join("sub/a.toml"), Path::new("/nonexistent-base")),
            PathBuf::from("..").join(real.strip_prefix("/").unwrap().join("sub/a.toml"))
        );
    }
}
