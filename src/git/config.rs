//! Reading git's settings as git reads them, for the hooks and the signing.

use std::path::Path;

/// A setting as `read` returned it, or `None` where it is not set.
pub(super) fn unless_unset<T>(read: Result<T, git2::Error>) -> Result<Option<T>, git2::Error> {
    match read {
        Ok(value) => Ok(Some(value)),
        Err(error) if error.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// `~` and `~/…` expanded as git's `interpolate_path` expands them; `None`
/// for `~user/…`, which needs the password database news does not read.
pub(super) fn expand_home(value: &str) -> Option<String> {
    let Some(rest) = value.strip_prefix('~') else {
        return Some(value.to_owned());
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    let home = std::env::var_os("HOME").unwrap_or_default();
    Some(format!("{}{rest}", Path::new(&home).display()))
}
