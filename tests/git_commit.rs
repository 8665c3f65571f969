//! The git layer against real repositories: commits from trees, the
//! compare-and-swap of HEAD, re-applying on a moved tip, refusing a
//! conflict.

mod support;

use news::git::{FileChange, GitError, Identity, Repo, Signatures};
use support::{assert_fsck_clean, git};

fn signatures() -> Signatures {
    Signatures::both(Identity {
        name: "Desk".to_owned(),
        email: "desk@newsroom.example".to_owned(),
        when: None,
    })
}

fn change(path: &str, content: &str) -> FileChange {
    FileChange::write(path, content.as_bytes())
}

fn repository_with_two_files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    std::fs::write(dir.path().join("a.toml"), "a = 1\n").unwrap();
    std::fs::write(dir.path().join("b.toml"), "b = 1\n").unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "start"]);
    dir
}

#[test]
fn a_change_made_on_an_older_tip_is_reapplied_when_other_paths_moved() {
    let dir = repository_with_two_files();
    let repo = Repo::discover(dir.path()).unwrap();
    let base = repo.head_commit().unwrap().unwrap();
    // Someone commits b.toml meanwhile.
    std::fs::write(dir.path().join("b.toml"), "b = 2\n").unwrap();
    git(dir.path(), &["commit", "-q", "-am", "b moved"]);
    let commit = repo
        .commit_files(
            &[change("a.toml", "a = 2\n")],
            "edit: a\n",
            &signatures(),
            Some(&base),
        )
        .unwrap();
    assert_eq!(
        git(dir.path(), &["rev-parse", "HEAD"]).trim(),
        commit.as_str()
    );
    assert_eq!(
        git(dir.path(), &["log", "--format=%s"]),
        "edit: a\nb moved\nstart\n"
    );
    assert_eq!(git(dir.path(), &["show", "HEAD:a.toml"]), "a = 2\n");
    assert_eq!(git(dir.path(), &["show", "HEAD:b.toml"]), "b = 2\n");
    assert_fsck_clean(dir.path());
}

#[test]
fn a_change_made_on_an_older_tip_is_refused_when_its_path_moved() {
    let dir = repository_with_two_files();
    let repo = Repo::discover(dir.path()).unwrap();
    let base = repo.head_commit().unwrap().unwrap();
    std::fs::write(dir.path().join("a.toml"), "a = 3\n").unwrap();
    git(dir.path(), &["commit", "-q", "-am", "a moved"]);
    let error = repo
        .commit_files(
            &[change("a.toml", "a = 2\n")],
            "edit: a\n",
            &signatures(),
            Some(&base),
        )
        .unwrap_err();
    assert!(
        matches!(error, GitError::Conflict { ref path, .. } if path == "a.toml"),
        "{error}"
    );
    assert_eq!(git(dir.path(), &["log", "-1", "--format=%s"]), "a moved\n");
}

#[test]
fn nothing_is_committed_on_a_detached_head() {
    let dir = repository_with_two_files();
    git(dir.path(), &["checkout", "-q", "--detach"]);
    let repo = Repo::discover(dir.path()).unwrap();
    let error = repo
        .commit_files(
            &[change("c.toml", "c = 1\n")],
            "new: c\n",
            &signatures(),
            None,
        )
        .unwrap_err();
    assert!(matches!(error, GitError::Detached { .. }), "{error}");
    assert_eq!(
        git(dir.path(), &["log", "-1", "--format=%s", "HEAD"]),
        "start\n"
    );
    assert!(!dir.path().join("c.toml").exists());
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "");
}

#[test]
fn a_commit_holds_the_tip_tree_plus_the_change_and_not_the_index() {
    let dir = repository_with_two_files();
    std::fs::write(dir.path().join("b.toml"), "b = staged\n").unwrap();
    git(dir.path(), &["add", "b.toml"]);
    let repo = Repo::discover(dir.path()).unwrap();
    repo.commit_files(
        &[change("dir/c.toml", "c = 1\n")],
        "new: c\n",
        &signatures(),
        None,
    )
    .unwrap();
    assert_eq!(git(dir.path(), &["show", "HEAD:b.toml"]), "b = 1\n");
    assert_eq!(
        git(dir.path(), &["show", "--name-only", "--format=", "HEAD"]),
        "dir/c.toml\n"
    );
    // The index entry of the committed path matches the commit and its
    // file; the staged change of b.toml stays staged.
    assert_eq!(
        git(dir.path(), &["diff", "--cached", "--name-only"]),
        "b.toml\n"
    );
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "M  b.toml\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("dir/c.toml")).unwrap(),
        "c = 1\n"
    );
}
