//! A corrupt index is an error that names the file and the fault, never a
//! panic.

use super::{Repo, kinds};
use crate::git::index_file::{Index, IndexError};

/// Reads `bytes` as `repo`'s index.
fn read_as_index(repo: &Repo, bytes: &[u8]) -> Result<Index, IndexError> {
    std::fs::write(repo.index_path(), bytes).expect("index written");
    Index::read(&repo.git_dir(), &repo.index_path())
}

fn corrupt_message(repo: &Repo, bytes: &[u8]) -> String {
    match read_as_index(repo, bytes) {
        Ok(_) => panic!("a corrupt index was read"),
        Err(error) => {
            let message = error.to_string();
            assert!(
                message.contains(&*repo.index_path().to_string_lossy()),
                "{message}"
            );
            message
        }
    }
}

/// Replaces the trailing checksum with the SHA-1 of the rest, as a
/// careless writer would still do.
fn with_checksum(mut bytes: Vec<u8>) -> Vec<u8> {
    use sha1::Digest;
    let len = bytes.len() - 20;
    let checksum = sha1::Sha1::digest(&bytes[..len]);
    bytes[len..].copy_from_slice(&checksum);
    bytes
}

#[test]
fn a_truncated_index_is_an_error() {
    let repo = Repo::newsroom();
    let bytes = repo.index_bytes();
    let message = corrupt_message(&repo, &bytes[..bytes.len() / 2]);
    assert!(message.contains("corrupt"), "{message}");
    let message = corrupt_message(&repo, &bytes[..20]);
    assert!(message.contains("too short"), "{message}");
    corrupt_message(&repo, b"");
}

#[test]
fn a_bad_signature_is_an_error() {
    let repo = Repo::newsroom();
    let mut bytes = repo.index_bytes();
    bytes[..4].copy_from_slice(b"CRID");
    let message = corrupt_message(&repo, &with_checksum(bytes));
    assert!(message.contains("DIRC"), "{message}");
}

#[test]
fn version_5_is_an_error() {
    let repo = Repo::newsroom();
    let mut bytes = repo.index_bytes();
    bytes[4..8].copy_from_slice(&5u32.to_be_bytes());
    let result = read_as_index(&repo, &with_checksum(bytes));
    assert!(
        matches!(result, Err(IndexError::Version { version: 5, .. })),
        "{:?}",
        result.err()
    );
}

#[test]
fn an_entry_past_the_end_is_an_error() {
    let repo = Repo::newsroom();
    let mut bytes = repo.index_bytes();
    // One more entry than the file holds.
    let count = u32::from_be_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    bytes[8..12].copy_from_slice(&(count + 1000).to_be_bytes());
    let message = corrupt_message(&repo, &with_checksum(bytes));
    assert!(message.contains("past the end"), "{message}");

    // A first path longer than the file.
    let mut bytes = repo.index_bytes();
    bytes[12 + 60..12 + 62].copy_from_slice(&0x0ffeu16.to_be_bytes());
    let message = corrupt_message(&repo, &with_checksum(bytes));
    assert!(message.contains("past the end"), "{message}");
}

#[test]
fn an_extension_past_the_end_is_an_error() {
    let repo = Repo::newsroom();
    let bytes = repo.index_bytes();
    let at = super::entries_end(&bytes);
    let mut bytes = bytes;
    bytes[at + 4..at + 8].copy_from_slice(&u32::MAX.to_be_bytes());
    let message = corrupt_message(&repo, &with_checksum(bytes));
    assert!(message.contains("TREE"), "{message}");
}

#[test]
fn an_unknown_mandatory_extension_is_an_error() {
    let repo = Repo::newsroom();
    let mut bytes = repo.index_bytes();
    let end = bytes.len() - 20;
    let mut tail = b"abcd\0\0\0\x03xyz".to_vec();
    tail.extend_from_slice(&bytes[end..]);
    bytes.truncate(end);
    bytes.extend_from_slice(&tail);
    let result = read_as_index(&repo, &with_checksum(bytes));
    match result {
        Err(IndexError::MandatoryExtension { ref signature, .. }) => assert_eq!(signature, "abcd"),
        other => panic!("{:?}", other.err()),
    }
    // git refuses it too.
    assert!(!repo.run_git(&["ls-files"]).status.success());
}

#[test]
fn an_unknown_optional_extension_is_kept() {
    let repo = Repo::newsroom();
    let mut bytes = repo.index_bytes();
    let end = bytes.len() - 20;
    bytes.truncate(end);
    bytes.extend_from_slice(b"Zyxw\0\0\0\x03xyz");
    bytes.extend_from_slice(&[0; 20]);
    let bytes = with_checksum(bytes);
    let mut index = read_as_index(&repo, &bytes).expect("read");
    assert!(index.to_bytes() == bytes);
    index.remove(b"desk/item-1.toml");
    let written = index.to_bytes();
    assert!(
        written
            .windows(11)
            .any(|window| window == b"Zyxw\0\0\0\x03xyz")
    );
}

#[test]
fn a_sha256_repository_is_refused() {
    let repo = Repo::newsroom();
    let git_dir = tempfile::tempdir().expect("folder");
    let output = std::process::Command::new("git")
        .args(["init", "-q", "--object-format=sha256"])
        .arg(git_dir.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", git_dir.path())
        .output()
        .expect("git runs");
    assert!(output.status.success());
    let result = Index::read(&git_dir.path().join(".git"), &repo.index_path());
    assert!(
        matches!(result, Err(IndexError::Sha256 { .. })),
        "{:?}",
        result.err()
    );
}

#[test]
fn a_missing_shared_index_is_an_error() {
    let repo = Repo::newsroom();
    repo.git(&["update-index", "--split-index"]);
    for (path, _) in repo.shared_indexes() {
        std::fs::remove_file(path).expect("removed");
    }
    let result = Index::read(&repo.git_dir(), &repo.index_path());
    let error = result.err().expect("an error");
    assert!(matches!(error, IndexError::Read { .. }), "{error:?}");
    assert!(error.to_string().contains("sharedindex."), "{error}");
    assert!(std::error::Error::source(&error).is_some());
}

/// Every truncation and many one-byte changes of every kind of index read
/// as an error or as an index, never as a panic.
#[test]
fn no_damage_makes_reading_panic() {
    for kind in kinds::all() {
        let repo = Repo::newsroom();
        (kind.setup)(&repo);
        let good = repo.index_bytes();
        let shared = repo.shared_indexes();
        let mut variants: Vec<Vec<u8>> = (0..good.len()).map(|len| good[..len].to_vec()).collect();
        for at in (0..good.len()).step_by(5) {
            for value in [0x00, 0xff, 0x7f, good[at] ^ 0x01] {
                let mut bytes = good.clone();
                bytes[at] = value;
                variants.push(bytes);
            }
        }
        for bytes in variants {
            let parsed = Index::parse(&repo.git_dir(), &repo.index_path(), bytes.into(), (0, 0));
            if let Ok(mut index) = parsed {
                index.remove(b"desk/item-1.toml");
                index.to_bytes();
            }
        }
        // The shared index, damaged the same way.
        for (path, content) in shared {
            std::fs::write(repo.index_path(), &good).expect("index restored");
            for len in 0..content.len() {
                std::fs::write(&path, &content[..len]).expect("shared index damaged");
                let _ = Index::read(&repo.git_dir(), &repo.index_path());
            }
        }
    }
}
