//! Entries news adds, replaces and removes are what git then sees, in
//! every kind of index, with the extensions kept.

use super::{Repo, assert_entries_match_git, entries_end, kinds, signatures};
use crate::git::index_file::{Index, IndexError};

/// Reads the index, lets `change` change it, writes it back.
fn change(repo: &Repo, change: impl FnOnce(&mut Index)) {
    let mut index = repo.read();
    change(&mut index);
    repo.store(&index);
}

fn upsert(repo: &Repo, path: &str) {
    let (id, metadata) = repo.hash(path);
    change(repo, |index| {
        index
            .upsert(path.as_bytes(), id, 0o100644, &metadata)
            .expect("upsert");
    });
}

fn with(lines: &[String], added: &[&str]) -> Vec<String> {
    let mut lines = lines.to_vec();
    lines.extend(added.iter().map(|line| line.to_string()));
    lines.sort();
    lines
}

/// `git fsck` finds nothing wrong. In a sparse index git's own `git add`
/// leaves cache trees that name trees it never wrote (git 2.47 reports
/// them as "missing tree"), so there only other faults count.
fn fsck(repo: &Repo, kind: &kinds::Kind) {
    let output = repo.run_git(&["fsck", "--no-dangling"]);
    let report = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    let sparse = kind.extensions.contains(&"sdir");
    let faults: Vec<&str> = report
        .lines()
        .filter(|line| !line.starts_with("hint:"))
        .filter(|line| !(sparse && line.starts_with("missing tree ")))
        .collect();
    assert!(faults.is_empty(), "{}: git fsck: {report}", kind.name);
    assert!(
        output.status.success() || sparse,
        "{}: git fsck: {report}",
        kind.name
    );
}

#[test]
fn git_sees_what_news_stages_in_every_kind_of_index() {
    for kind in kinds::all() {
        let repo = Repo::newsroom();
        (kind.setup)(&repo);
        let name = kind.name;
        let start = repo.status();
        let unstaged = repo.git(&["diff", "--name-only"]);
        let shared = repo.shared_indexes();
        let bytes = repo.index_bytes();
        let extensions = signatures(&bytes, entries_end(&bytes));

        // A new file.
        repo.write("desk/fresh.toml", "fresh\n");
        upsert(&repo, "desk/fresh.toml");
        let added = with(&start, &["A  desk/fresh.toml"]);
        assert_eq!(repo.status(), added, "{name}: after adding");
        assert_eq!(
            repo.git(&["diff", "--cached", "--name-only", "--", "desk/fresh.toml"]),
            "desk/fresh.toml\n",
            "{name}"
        );
        let staged = repo.git(&["ls-files", "--stage", "--", "desk/fresh.toml"]);
        let id = repo.git(&["hash-object", "desk/fresh.toml"]);
        assert_eq!(
            staged,
            format!("100644 {} 0\tdesk/fresh.toml\n", id.trim()),
            "{name}"
        );

        // A new file in a new folder, where the cache tree has no subtree.
        repo.write("wire/2025/fresh.toml", "wire\n");
        upsert(&repo, "wire/2025/fresh.toml");

        // A changed file.
        repo.write("desk/item-4.toml", "n = 44\n");
        upsert(&repo, "desk/item-4.toml");

        // A removed file.
        std::fs::remove_file(repo.work().join("desk/item-5.toml")).expect("removed");
        change(&repo, |index| index.remove(b"desk/item-5.toml"));

        let expected = with(
            &start,
            &[
                "A  desk/fresh.toml",
                "A  wire/2025/fresh.toml",
                "M  desk/item-4.toml",
                "D  desk/item-5.toml",
            ],
        );
        assert_eq!(repo.status(), expected, "{name}: after all changes");
        assert_eq!(
            repo.git(&["diff", "--name-only"]),
            unstaged,
            "{name}: nothing unstaged"
        );
        fsck(&repo, &kind);

        let bytes = repo.index_bytes();
        assert_eq!(
            signatures(&bytes, entries_end(&bytes)),
            extensions,
            "{name}: extensions kept"
        );
        assert_eq!(
            u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]),
            kind.version,
            "{name}: version kept"
        );
        let index = repo.read();
        assert_entries_match_git(&repo, &index);
        // Written again unchanged, the file stays as it is.
        assert!(index.to_bytes() == bytes, "{name}: not stable");
        if !shared.is_empty() {
            assert_eq!(repo.shared_indexes(), shared, "{name}: shared index kept");
            let listed = repo.git(&["ls-files"]);
            assert_eq!(listed.lines().count(), 25 - 1 + 2 + 2 - 1, "{name}");
        }

        // git commits the trees of the entries, not the stale cache tree.
        repo.git(&["commit", "-q", "-m", "News"]);
        let tree = repo.git(&["ls-tree", "-r", "--name-only", "HEAD"]);
        assert!(
            tree.lines().any(|path| path == "wire/2025/fresh.toml"),
            "{name}"
        );
        assert!(tree.lines().any(|path| path == "desk/fresh.toml"), "{name}");
        assert!(
            !tree.lines().any(|path| path == "desk/item-5.toml"),
            "{name}"
        );
        let committed = repo.git(&["rev-parse", "HEAD:desk/item-4.toml"]);
        let expected_id = repo.git(&["hash-object", "desk/item-4.toml"]);
        assert_eq!(committed, expected_id, "{name}");
        assert_eq!(repo.status(), start, "{name}: after committing");
        fsck(&repo, &kind);
    }
}

#[test]
fn git_add_flags_are_cleared_on_a_replaced_entry() {
    let repo = Repo::newsroom();
    repo.write("desk/draft.toml", "draft\n");
    repo.git(&["add", "-N", "desk/draft.toml"]);
    repo.git(&["update-index", "--skip-worktree", "desk/item-1.toml"]);
    repo.git(&["update-index", "--assume-unchanged", "desk/item-2.toml"]);
    let index = repo.read();
    assert!(
        index
            .entry(b"desk/draft.toml")
            .expect("draft")
            .is_intent_to_add()
    );
    assert!(
        index
            .entry(b"desk/item-1.toml")
            .expect("skip")
            .is_skip_worktree()
    );
    assert!(
        index
            .entry(b"desk/item-2.toml")
            .expect("valid")
            .is_assume_valid()
    );

    for path in ["desk/draft.toml", "desk/item-1.toml", "desk/item-2.toml"] {
        repo.write(path, "changed\n");
        upsert(&repo, path);
    }
    let index = repo.read();
    for path in ["desk/draft.toml", "desk/item-1.toml", "desk/item-2.toml"] {
        let entry = index.entry(path.as_bytes()).expect("entry");
        assert!(
            !entry.is_intent_to_add() && !entry.is_skip_worktree() && !entry.is_assume_valid(),
            "{path}"
        );
    }
    assert_eq!(
        repo.git(&["ls-files", "-v", "--", "desk/"])
            .lines()
            .filter(|line| !line.starts_with("H "))
            .count(),
        0
    );
    assert_eq!(
        repo.status(),
        vec![
            "A  desk/draft.toml".to_string(),
            "M  desk/item-1.toml".into(),
            "M  desk/item-2.toml".into()
        ]
    );
}

#[test]
fn a_version_2_index_gets_no_extended_flags() {
    let repo = Repo::newsroom();
    repo.write("desk/fresh.toml", "fresh\n");
    upsert(&repo, "desk/fresh.toml");
    let bytes = repo.index_bytes();
    assert_eq!(bytes[4..8], [0, 0, 0, 2]);
    let index = repo.read();
    assert!(index.entries().all(|entry| !entry.has_extended_flags()));
}

#[test]
fn refused_changes_leave_the_index_as_it_was() {
    let repo = Repo::newsroom();
    repo.git(&["sparse-checkout", "init", "--cone", "--sparse-index"]);
    repo.git(&["sparse-checkout", "set", "desk"]);
    repo.write("desk/fresh.toml", "fresh\n");
    let (id, metadata) = repo.hash("desk/fresh.toml");
    let mut index = repo.read();
    let before = index.to_bytes();

    let inside = index.upsert(b"articles/2024/fresh.toml", id, 0o100644, &metadata);
    assert!(
        matches!(inside, Err(IndexError::InsideSparseDirectory { ref directory, .. }) if directory == "articles/"),
        "{inside:?}"
    );
    let file_as_folder = index.upsert(b"README/fresh.toml", id, 0o100644, &metadata);
    assert!(matches!(
        file_as_folder,
        Err(IndexError::DirectoryFileConflict { .. })
    ));
    let folder_as_file = index.upsert(b"desk", id, 0o100644, &metadata);
    assert!(matches!(
        folder_as_file,
        Err(IndexError::DirectoryFileConflict { .. })
    ));
    for bad in [
        &b""[..],
        b"/desk/x",
        b"desk/",
        b"desk//x",
        b"desk/../x",
        b".git/x",
        b"desk/.GIT",
        b"a\0b",
    ] {
        let refused = index.upsert(bad, id, 0o100644, &metadata);
        assert!(
            matches!(refused, Err(IndexError::InvalidPath { .. })),
            "{bad:?}"
        );
    }
    let link = index.upsert(b"desk/link", id, 0o120000, &metadata);
    assert!(matches!(link, Err(IndexError::Mode { .. })));
    assert!(index.to_bytes() == before, "refusals changed nothing");

    let message = inside.expect_err("refused").to_string();
    assert!(
        message.contains("articles/2024/fresh.toml") && message.contains("index"),
        "{message}"
    );
}

#[test]
fn a_conflicted_path_is_refused() {
    let repo = Repo::newsroom();
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("desk/item-1.toml", "side\n");
    repo.git(&["commit", "-q", "-am", "Side"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.write("desk/item-1.toml", "main\n");
    repo.git(&["commit", "-q", "-am", "Main"]);
    assert!(!repo.run_git(&["merge", "-q", "side"]).status.success());
    let (id, metadata) = repo.hash("desk/item-1.toml");
    let mut index = repo.read();
    let refused = index.upsert(b"desk/item-1.toml", id, 0o100644, &metadata);
    assert!(
        matches!(refused, Err(IndexError::Conflicted { .. })),
        "{refused:?}"
    );

    // Elsewhere the index changes, and git keeps the conflict.
    repo.write("desk/fresh.toml", "fresh\n");
    let (id, metadata) = repo.hash("desk/fresh.toml");
    index
        .upsert(b"desk/fresh.toml", id, 0o100644, &metadata)
        .expect("upsert");
    repo.store(&index);
    let status = repo.status();
    assert!(
        status.contains(&"UU desk/item-1.toml".to_string()),
        "{status:?}"
    );
    assert!(
        status.contains(&"A  desk/fresh.toml".to_string()),
        "{status:?}"
    );
}

#[test]
fn an_executable_file_is_staged_with_its_mode() {
    let repo = Repo::newsroom();
    repo.write("tools/run.sh", "#!/bin/sh\n");
    let path = repo.work().join("tools/run.sh");
    let mut permissions = std::fs::metadata(&path).expect("file").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&path, permissions).expect("chmod");
    let (id, metadata) = repo.hash("tools/run.sh");
    change(&repo, |index| {
        index
            .upsert(b"tools/run.sh", id, 0o100755, &metadata)
            .expect("upsert");
    });
    let staged = repo.git(&["ls-files", "--stage", "--", "tools/run.sh"]);
    assert!(staged.starts_with("100755 "), "{staged}");
    assert_eq!(repo.status(), vec!["A  tools/run.sh".to_string()]);
}

#[test]
fn a_stat_change_is_seen() {
    let repo = Repo::newsroom();
    let index = repo.read();
    let entry = index.entry(b"desk/item-1.toml").expect("entry");
    let path = repo.work().join("desk/item-1.toml");
    let metadata = std::fs::symlink_metadata(&path).expect("stat");
    assert!(entry.matches_stat(&metadata));
    std::fs::write(&path, "n = 1000\n").expect("rewritten");
    let metadata = std::fs::symlink_metadata(&path).expect("stat");
    assert!(!entry.matches_stat(&metadata));
}

#[test]
fn the_untracked_cache_does_not_hide_or_repeat_a_staged_file() {
    let repo = Repo::newsroom();
    repo.git(&["config", "core.untrackedCache", "true"]);
    repo.write("drafts/a.toml", "a\n");
    repo.write("drafts/b.toml", "b\n");
    repo.write("desk/loose.toml", "loose\n");
    // Past the second the folders last changed in, so that git trusts
    // their stat data (a folder changed in the index's second is racy).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    for _ in 0..2 {
        assert_eq!(
            repo.git(&["status", "--porcelain"]),
            "?? desk/loose.toml\n?? drafts/\n"
        );
    }
    assert!(super::has_extension(&repo.index_path(), b"UNTR"));
    // Neither folder changes: only the index does.
    upsert(&repo, "drafts/a.toml");
    upsert(&repo, "desk/loose.toml");
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "A  desk/loose.toml\nA  drafts/a.toml\n?? drafts/b.toml\n"
    );
    change(&repo, |index| index.remove(b"desk/loose.toml"));
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "A  drafts/a.toml\n?? desk/loose.toml\n?? drafts/b.toml\n"
    );
}

#[test]
fn the_untracked_cache_shows_a_file_news_unstages() {
    let repo = Repo::newsroom();
    repo.git(&["config", "core.untrackedCache", "true"]);
    repo.write("desk/loose.toml", "loose\n");
    // Past the second the folders last changed in, so that git trusts
    // their stat data (a folder changed in the index's second is racy).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    for _ in 0..2 {
        assert_eq!(repo.git(&["status", "--porcelain"]), "?? desk/loose.toml\n");
    }
    // The file stays, its folder does not change: only the index does.
    change(&repo, |index| index.remove(b"desk/item-0.toml"));
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "D  desk/item-0.toml\n?? desk/item-0.toml\n?? desk/loose.toml\n"
    );
}

/// An fsmonitor hook that reports, once, the paths listed in a file.
fn reporting_fsmonitor(repo: &Repo) -> std::path::PathBuf {
    let report = repo.git_dir().join("fsmonitor-report");
    std::fs::write(&report, "").expect("report");
    let hook = repo.git_dir().join("fsmonitor-hook");
    let script = format!(
        "#!/bin/sh\nprintf 'token\\0'\ntr '\\n' '\\0' < '{0}'\n: > '{0}'\n",
        report.display()
    );
    std::fs::write(&hook, script).expect("hook written");
    let mut permissions = std::fs::metadata(&hook).expect("hook").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&hook, permissions).expect("hook executable");
    repo.git(&["config", "core.fsmonitor", &hook.to_string_lossy()]);
    repo.git(&["status", "--porcelain"]);
    repo.git(&["status", "--porcelain"]);
    report
}

#[test]
fn fsmonitor_bits_move_with_their_entries() {
    let repo = Repo::newsroom();
    let report = reporting_fsmonitor(&repo);
    // git learns from the hook that desk/item-4.toml changed and keeps its
    // bit set, as the file stays modified.
    repo.write("desk/item-4.toml", "n = 44\n");
    std::fs::write(&report, "desk/item-4.toml\n").expect("report");
    assert_eq!(repo.status(), vec![" M desk/item-4.toml".to_string()]);
    // Whether that status wrote the bit into the index is git's timing;
    // mark the entry not fsmonitor-valid (its bit set) so the rest does
    // not depend on it.
    repo.git(&["update-index", "--no-fsmonitor-valid", "desk/item-4.toml"]);
    assert_eq!(repo.status(), vec![" M desk/item-4.toml".to_string()]);

    // Entries before it come and go; the hook reports nothing more, so
    // git knows of the change only from the bit.
    repo.write("desk/fresh.toml", "fresh\n");
    upsert(&repo, "desk/fresh.toml");
    assert_eq!(
        repo.status(),
        with(&[], &["A  desk/fresh.toml", " M desk/item-4.toml"])
    );
    std::fs::remove_file(repo.work().join("articles/2024/item-0.toml")).expect("removed");
    std::fs::remove_file(repo.work().join("articles/2024/item-1.toml")).expect("removed");
    change(&repo, |index| {
        index.remove(b"articles/2024/item-0.toml");
        index.remove(b"articles/2024/item-1.toml");
    });
    assert_eq!(
        repo.status(),
        with(
            &[],
            &[
                "A  desk/fresh.toml",
                " M desk/item-4.toml",
                "D  articles/2024/item-0.toml",
                "D  articles/2024/item-1.toml",
            ]
        )
    );
    // A file news stages is looked at again even though the hook is silent.
    repo.write("desk/item-2.toml", "n = 22\n");
    upsert(&repo, "desk/item-2.toml");
    repo.write("desk/item-2.toml", "n = 222\n");
    let status = repo.status();
    assert!(
        status.contains(&"MM desk/item-2.toml".to_string()),
        "{status:?}"
    );
}

#[test]
fn git_unsplits_and_resplits_what_news_wrote() {
    let repo = Repo::newsroom();
    repo.git(&["config", "splitIndex.maxPercentChange", "100"]);
    repo.git(&["update-index", "--split-index"]);
    repo.write("desk/item-1.toml", "changed\n");
    repo.git(&["add", "desk/item-1.toml"]);
    repo.write("desk/fresh.toml", "fresh\n");
    upsert(&repo, "desk/fresh.toml");
    repo.write("desk/item-1.toml", "changed again\n");
    upsert(&repo, "desk/item-1.toml");
    change(&repo, |index| index.remove(b"desk/item-2.toml"));
    let listed = super::ls_files(&repo.read());
    repo.git(&["update-index", "--no-split-index"]);
    assert_eq!(repo.git(&["ls-files", "--stage"]), listed);
    repo.git(&["update-index", "--split-index"]);
    assert_eq!(repo.git(&["ls-files", "--stage"]), listed);
    assert_eq!(super::ls_files(&repo.read()), listed);
}
