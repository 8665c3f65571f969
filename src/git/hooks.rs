//! TEMPORARY stub until the hooks module lands.
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("hook")]
pub struct HookError;

pub(crate) struct Hooks;
pub(crate) struct TempIndex(PathBuf);
impl TempIndex {
    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}
impl Hooks {
    pub(crate) fn of(_repo: &git2::Repository) -> Result<Hooks, HookError> {
        Ok(Hooks)
    }
    pub(crate) fn has(&self, _name: &str) -> bool {
        false
    }
    pub(crate) fn pre_commit(&self, _index: &Path) -> Result<(), HookError> {
        Ok(())
    }
    pub(crate) fn commit_msg(&self, message: &str, _index: &Path) -> Result<String, HookError> {
        Ok(message.to_owned())
    }
    pub(crate) fn post_commit(&self, _index: &Path) -> Option<String> {
        None
    }
}
pub(crate) fn temporary_index(
    _repo: &git2::Repository,
    _tree: Option<&git2::Tree<'_>>,
    _changes: &[(&str, git2::Oid, u32)],
) -> Result<TempIndex, HookError> {
    Ok(TempIndex(PathBuf::new()))
}
