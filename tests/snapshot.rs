//! One snapshot type reads a newsroom from its work tree or from any
//! revision, settings and schema included, without a checkout.

mod support;

use news::git::Repo;
use news::snapshot::{Filter, Snapshot};
use support::git;

#[test]
fn a_revision_is_read_as_it_was_committed() {
    let (_dir, root) = support::demo_newsroom();
    let first = git(&root, &["rev-list", "--max-parents=0", "HEAD"]);
    let second = git(&root, &["rev-list", "--reverse", "HEAD"])
        .lines()
        .nth(1)
        .unwrap()
        .to_owned();
    let path = git(&root, &["show", "--name-only", "--format=", &second]);
    let path = path.trim();
    let id = path.rsplit('/').next().unwrap().trim_end_matches(".toml");

    let repo = Repo::discover(&root).unwrap();
    let then = Snapshot::at_revision(repo, &second).unwrap();
    let stored = then.article(id).unwrap();
    assert_eq!(
        stored.text,
        git(&root, &["show", &format!("{second}:{path}")])
    );
    let (articles, unreadable) = then.articles().unwrap();
    assert_eq!((articles.len(), unreadable), (1, 0));
    assert_eq!(then.config().name, "TASS");

    // The first commit holds the settings and no article yet.
    let repo = Repo::discover(&root).unwrap();
    let empty = Snapshot::at_revision(repo, first.trim()).unwrap();
    assert!(empty.list(&Filter::default()).unwrap().articles.is_empty());

    // The work tree has them all.
    let now = Snapshot::open(&root).unwrap();
    let (articles, _) = now.articles().unwrap();
    assert_eq!(articles.len(), 5);
}
