//! TEMPORARY stub until the signing module lands.
#[derive(Debug, thiserror::Error)]
#[error("sign: {0}")]
pub struct SignError(#[from] git2::Error);

pub(crate) fn write_commit(
    repo: &git2::Repository,
    author: &git2::Signature<'_>,
    committer: &git2::Signature<'_>,
    message: &str,
    tree: &git2::Tree<'_>,
    parents: &[&git2::Commit<'_>],
) -> Result<git2::Oid, SignError> {
    Ok(repo.commit(None, author, committer, message, tree, parents)?)
}
