//! The kinds of index git writes, each made by git's own commands.

use super::Repo;

pub(super) struct Kind {
    pub(super) name: &'static str,
    /// Extensions the index must have once set up, and keep.
    pub(super) extensions: &'static [&'static str],
    pub(super) version: u32,
    pub(super) setup: fn(&Repo),
}

pub(super) fn all() -> Vec<Kind> {
    vec![
        Kind {
            name: "version 2",
            extensions: &["TREE"],
            version: 2,
            setup: |_| {},
        },
        Kind {
            name: "version 3",
            extensions: &["TREE"],
            version: 3,
            setup: version_3,
        },
        Kind {
            name: "version 4",
            extensions: &["TREE"],
            version: 4,
            setup: |repo| {
                repo.git(&["update-index", "--index-version", "4"]);
            },
        },
        Kind {
            name: "split index",
            extensions: &["link", "TREE"],
            version: 2,
            setup: split,
        },
        Kind {
            name: "split index, version 4",
            extensions: &["link", "TREE"],
            version: 4,
            setup: |repo| {
                repo.git(&["update-index", "--index-version", "4"]);
                split(repo);
            },
        },
        Kind {
            name: "untracked cache",
            extensions: &["TREE", "UNTR"],
            version: 2,
            setup: untracked_cache,
        },
        Kind {
            name: "sparse index",
            extensions: &["sdir"],
            version: 3,
            setup: sparse,
        },
        Kind {
            name: "fsmonitor",
            extensions: &["TREE", "FSMN"],
            version: 2,
            setup: fsmonitor,
        },
        Kind {
            name: "offset table",
            extensions: &["IEOT", "TREE", "EOIE"],
            version: 2,
            setup: offsets,
        },
        Kind {
            name: "offset table, version 4",
            extensions: &["IEOT", "TREE", "EOIE"],
            version: 4,
            setup: |repo| {
                repo.git(&["update-index", "--index-version", "4"]);
                offsets(repo);
            },
        },
        Kind {
            name: "skipped hash",
            extensions: &["TREE"],
            version: 2,
            setup: |repo| {
                repo.git(&["config", "index.skipHash", "true"]);
                repo.git(&["update-index", "--force-write-index"]);
            },
        },
        Kind {
            name: "everything at once",
            extensions: &["IEOT", "link", "TREE", "UNTR", "FSMN", "EOIE"],
            version: 4,
            setup: |repo| {
                repo.git(&["update-index", "--index-version", "4"]);
                offsets(repo);
                split(repo);
                untracked_cache(repo);
                fsmonitor(repo);
            },
        },
    ]
}

/// An intent-to-add entry and a skip-worktree entry: extended flags.
fn version_3(repo: &Repo) {
    repo.write("desk/draft.toml", "draft\n");
    repo.git(&["add", "-N", "desk/draft.toml"]);
    repo.git(&[
        "update-index",
        "--skip-worktree",
        "articles/2024/item-1.toml",
    ]);
}

/// A split index whose own part replaces, deletes and adds entries of the
/// shared index.
fn split(repo: &Repo) {
    repo.git(&["config", "splitIndex.maxPercentChange", "100"]);
    repo.git(&["update-index", "--split-index"]);
    repo.write("articles/2024/item-2.toml", "n = 22\n");
    repo.git(&["add", "articles/2024/item-2.toml"]);
    repo.git(&["rm", "-q", "desk/item-3.toml"]);
    repo.write("desk/added.toml", "added\n");
    repo.write("articles/2025/added.toml", "added\n");
    repo.git(&["add", "desk/added.toml", "articles/2025/added.toml"]);
    repo.git(&["commit", "-q", "-m", "Split"]);
}

fn untracked_cache(repo: &Repo) {
    repo.git(&["config", "core.untrackedCache", "true"]);
    repo.write("scratch/notes.txt", "notes\n");
    repo.write("desk/tmp.txt", "tmp\n");
    repo.git(&["status", "--porcelain"]);
    repo.git(&["status", "--porcelain"]);
}

fn sparse(repo: &Repo) {
    repo.git(&["sparse-checkout", "init", "--cone", "--sparse-index"]);
    repo.git(&["sparse-checkout", "set", "desk"]);
}

/// A core.fsmonitor hook speaking protocol version 2 that reports no
/// change since any token.
fn fsmonitor(repo: &Repo) {
    let hook = repo.git_dir().join("fsmonitor-hook");
    std::fs::write(&hook, "#!/bin/sh\nprintf 'token\\0'\n").expect("hook written");
    let mut permissions = std::fs::metadata(&hook).expect("hook").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&hook, permissions).expect("hook executable");
    repo.git(&["config", "core.fsmonitor", &hook.to_string_lossy()]);
    repo.git(&["status", "--porcelain"]);
    repo.git(&["status", "--porcelain"]);
}

fn offsets(repo: &Repo) {
    repo.git(&["config", "index.threads", "4"]);
    repo.git(&["config", "index.recordEndOfIndexEntries", "true"]);
    repo.git(&["config", "index.recordOffsetTable", "true"]);
    repo.git(&["update-index", "--force-write-index"]);
}
