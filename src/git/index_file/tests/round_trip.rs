//! An index read and written without changes comes out as git wrote it.

use super::{Repo, assert_round_trip, entries_end, kinds, signatures};

#[test]
fn every_kind_of_index_is_written_back_byte_for_byte() {
    for kind in kinds::all() {
        let repo = Repo::newsroom();
        (kind.setup)(&repo);
        let bytes = repo.index_bytes();
        let found = signatures(&bytes, entries_end(&bytes));
        for extension in kind.extensions {
            assert!(
                found.iter().any(|signature| signature == extension),
                "{}: git wrote no {extension} extension (it wrote {found:?})",
                kind.name
            );
        }
        let index = assert_round_trip(&repo);
        assert_eq!(index.version(), kind.version, "{}", kind.name);
    }
}

#[test]
fn a_missing_index_is_an_empty_version_2_index() {
    let repo = Repo::newsroom();
    std::fs::remove_file(repo.index_path()).expect("index removed");
    let index = repo.read();
    assert_eq!(index.len(), 0);
    assert_eq!(index.version(), 2);
    std::fs::write(repo.index_path(), index.to_bytes()).expect("index written");
    assert_eq!(repo.git(&["ls-files"]), "");
    repo.git(&["fsck"]);
}

#[test]
fn a_skipped_hash_stays_skipped() {
    let repo = Repo::newsroom();
    repo.git(&["config", "index.skipHash", "true"]);
    repo.git(&["update-index", "--force-write-index"]);
    let bytes = repo.index_bytes();
    assert_eq!(bytes[bytes.len() - 20..], [0; 20]);
    assert_round_trip(&repo);
}

#[test]
fn lookups_see_stages_and_paths() {
    let repo = Repo::newsroom();
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("desk/item-1.toml", "side\n");
    repo.git(&["commit", "-q", "-am", "Side"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.write("desk/item-1.toml", "main\n");
    repo.git(&["commit", "-q", "-am", "Main"]);
    let merge = repo.run_git(&["merge", "-q", "side"]);
    assert!(!merge.status.success(), "the merge conflicts");

    let index = assert_round_trip(&repo);
    assert!(index.is_conflicted(b"desk/item-1.toml"));
    assert!(index.entry(b"desk/item-1.toml").is_none());
    assert!(!index.is_conflicted(b"desk/item-2.toml"));
    let entry = index.entry(b"desk/item-2.toml").expect("entry");
    assert_eq!(entry.path(), b"desk/item-2.toml");
    assert_eq!(entry.mode(), 0o100644);
    assert_eq!(
        entry.id().to_string(),
        repo.git(&["rev-parse", ":desk/item-2.toml"]).trim()
    );
    let metadata = std::fs::symlink_metadata(repo.work().join("desk/item-2.toml")).expect("stat");
    assert!(entry.matches_stat(&metadata));
    assert_eq!(index.paths().count(), 25 - 1);
    assert!(index.paths().all(|path| path != b"desk/item-1.toml"));
}

/// Reads, changes and writes a 50,000-entry index made by git, in each
/// version, and prints the times. Run it optimised:
/// `cargo test --release --lib git::index_file -- --ignored --nocapture`.
#[test]
#[ignore = "a timing, meaningful only in a release build"]
fn fifty_thousand_entries_take_milliseconds() {
    let repo = Repo::with_files(&[("README", "big\n")]);
    let id = repo.git(&["rev-parse", "HEAD:README"]);
    let mut lines = String::new();
    for folder in 0..500 {
        for file in 0..100 {
            lines.push_str(&format!(
                "100644 {}\tarticles/{folder:04}/article-{file:03}.toml\n",
                id.trim()
            ));
        }
    }
    let info = repo.work().join("../index-info");
    std::fs::write(&info, lines).expect("index info");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("git update-index --index-info < ../index-info && git write-tree >/dev/null")
        .current_dir(repo.work())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", repo.work())
        .output()
        .expect("git runs");
    assert!(output.status.success(), "{output:?}");
    repo.write("desk/fresh.toml", "fresh\n");
    let (new_id, metadata) = repo.hash("desk/fresh.toml");
    for version in ["2", "4"] {
        repo.git(&["update-index", "--index-version", version]);
        let bytes = repo.index_bytes();
        let mut best = [std::time::Duration::MAX; 4];
        for _ in 0..10 {
            let start = std::time::Instant::now();
            let mut index = repo.read();
            let read = start.elapsed();
            let unchanged = index.to_bytes();
            let written = start.elapsed() - read;
            index
                .upsert(b"desk/fresh.toml", new_id, 0o100644, &metadata)
                .expect("upsert");
            index.remove(b"articles/0250/article-050.toml");
            let changed = std::time::Instant::now();
            let bytes_changed = index.to_bytes();
            let rewritten = changed.elapsed();
            let hashing = std::time::Instant::now();
            let checksum = <sha1::Sha1 as sha1::Digest>::digest(&bytes_changed);
            assert_eq!(checksum.len(), 20);
            let hashed = hashing.elapsed();
            assert!(unchanged == bytes);
            for (slot, time) in best.iter_mut().zip([read, written, rewritten, hashed]) {
                *slot = (*slot).min(time);
            }
        }
        eprintln!(
            "version {version}, {} entries, {} bytes: read {:?}, write unchanged {:?}, write changed {:?} (of which SHA-1 {:?})",
            repo.read().len(),
            bytes.len(),
            best[0],
            best[1],
            best[2],
            best[3]
        );
    }
}
