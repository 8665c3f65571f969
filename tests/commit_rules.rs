//! The repository's rules hold for news's commits: hooks run as git runs
//! them, and `commit.gpgsign` signs with the programs git uses. Through the
//! binary, checked with `git log` and `git verify-commit`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::demo::{DRAFT, DRAFT_PATH};
use support::{git, head, news_as_reporter, stderr};

fn hook(dir: &Path, name: &str, script: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
}

fn set(root: &Path, args: &[&str]) -> std::process::Output {
    news_as_reporter(root)
        .args(["set", DRAFT])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_failing_pre_commit_hook_refuses_and_leaves_nothing_written() {
    let (_dir, root) = support::demo_newsroom();
    hook(
        &root.join(".git/hooks"),
        "pre-commit",
        "echo 'the desk is closed' >&2; exit 1",
    );
    let before = head(&root);
    let record = std::fs::read(root.join(DRAFT_PATH)).unwrap();
    let output = set(&root, &["summary=Refused by the hook"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("the desk is closed"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("--no-verify"),
        "{}",
        stderr(&output)
    );
    assert_eq!(head(&root), before);
    assert_eq!(std::fs::read(root.join(DRAFT_PATH)).unwrap(), record);
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
    assert!(!root.join(".git/index.lock").exists());

    let output = set(&root, &["--no-verify", "summary=Past the hook"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_ne!(head(&root), before);
}

#[test]
fn hooks_from_core_hooks_path_see_head_plus_the_change_and_may_edit_the_message() {
    let (_dir, root) = support::demo_newsroom();
    git(&root, &["config", "core.hooksPath", "desk-hooks"]);
    let seen = root.join("../seen.txt");
    hook(
        &root.join("desk-hooks"),
        "pre-commit",
        &format!(
            "git diff --cached --name-only > {0}; git show :{DRAFT_PATH} | grep summary >> {0}",
            seen.display()
        ),
    );
    hook(
        &root.join("desk-hooks"),
        "commit-msg",
        r#"printf '\nReviewed-by: Desk Hook <hook@newsroom.example>\n' >> "$1""#,
    );
    hook(&root.join("desk-hooks"), "post-commit", "exit 3");
    let output = set(&root, &["summary=Seen by the hooks"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let seen = std::fs::read_to_string(&seen).unwrap();
    assert_eq!(
        seen,
        format!("{DRAFT_PATH}\nsummary = \"Seen by the hooks\"\n"),
        "the hook's index holds HEAD plus exactly the change"
    );
    let message = git(&root, &["log", "-1", "--format=%B"]);
    assert!(message.contains("Reviewed-by: Desk Hook"), "{message}");
    assert!(message.contains("News-Id: "), "{message}");
    assert!(
        stderr(&output).contains("post-commit"),
        "{}",
        stderr(&output)
    );
    assert_eq!(git(&root, &["status", "--porcelain"]), "?? desk-hooks/\n");
}

/// An ssh key made for the test, and the allowed-signers file that trusts it.
fn ssh_key(dir: &Path) -> (PathBuf, PathBuf) {
    let key = dir.join("desk-key");
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "desk", "-f"])
        .arg(&key)
        .status()
        .expect("ssh-keygen runs (package openssh-client)");
    assert!(status.success());
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let allowed = dir.join("allowed-signers");
    std::fs::write(&allowed, format!("{} {public}", support::AUTHOR.1)).unwrap();
    (key.with_extension("pub"), allowed)
}

#[test]
fn commits_are_signed_with_an_ssh_key_when_git_would_sign() {
    let (dir, root) = support::demo_newsroom();
    let (public, allowed) = ssh_key(dir.path());
    git(&root, &["config", "gpg.format", "ssh"]);
    git(
        &root,
        &["config", "user.signingKey", &public.display().to_string()],
    );
    git(&root, &["config", "commit.gpgsign", "true"]);
    let output = set(&root, &["summary=Signed"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let verified = Command::new("git")
        .args([
            "-c",
            &format!("gpg.ssh.allowedSignersFile={}", allowed.display()),
        ])
        .args(["verify-commit", "HEAD"])
        .current_dir(&root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", &root)
        .output()
        .unwrap();
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert!(String::from_utf8_lossy(&verified.stderr).contains("Good \"git\" signature"));
}

#[test]
fn commits_are_signed_with_gpg_when_git_would_sign() {
    let (dir, root) = support::demo_newsroom();
    let home = dir.path().join("gnupg");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::set_permissions(&home, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let made = Command::new("gpg")
        .env("GNUPGHOME", &home)
        .args(["--batch", "--passphrase", "", "--quick-gen-key"])
        .arg(format!("{} <{}>", support::AUTHOR.0, support::AUTHOR.1))
        .args(["ed25519", "sign", "never"])
        .output()
        .expect("gpg runs (package gnupg)");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    git(&root, &["config", "commit.gpgsign", "true"]);
    let output = news_as_reporter(&root)
        .env("GNUPGHOME", &home)
        .args(["set", DRAFT, "summary=Signed with gpg"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let verified = Command::new("git")
        .args(["verify-commit", "HEAD"])
        .current_dir(&root)
        .env("GNUPGHOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", &root)
        .output()
        .unwrap();
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
}

#[test]
fn a_signing_failure_refuses_the_commit() {
    let (_dir, root) = support::demo_newsroom();
    git(&root, &["config", "commit.gpgsign", "true"]);
    git(&root, &["config", "gpg.program", "false"]);
    let before = head(&root);
    let record = std::fs::read(root.join(DRAFT_PATH)).unwrap();
    let output = set(&root, &["summary=Unsigned never"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("sign"), "{}", stderr(&output));
    assert_eq!(head(&root), before);
    assert_eq!(std::fs::read(root.join(DRAFT_PATH)).unwrap(), record);
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}

#[test]
fn a_record_a_pre_commit_hook_changes_shows_as_changed_afterwards() {
    let (_dir, root) = support::demo_newsroom();
    hook(
        &root.join(".git/hooks"),
        "pre-commit",
        &format!("echo '# added by the hook' >> {DRAFT_PATH}"),
    );
    let output = set(&root, &["urgency=2"]);
    assert!(output.status.success(), "{}", stderr(&output));
    // As with `git commit --only`: the commit holds news's version, and
    // the hook's edit is an uncommitted change git sees.
    assert!(!git(&root, &["show", &format!("HEAD:{DRAFT_PATH}")]).contains("added by the hook"));
    assert_eq!(
        git(&root, &["status", "--porcelain"]),
        format!(" M {DRAFT_PATH}\n")
    );
}

#[test]
fn what_a_pre_commit_hook_stages_of_the_record_is_committed_as_git_commits_it() {
    let (_dir, root) = support::demo_newsroom();
    // A formatter: rewrites the staged files and adds them again.
    hook(
        &root.join(".git/hooks"),
        "pre-commit",
        r#"for f in $(git diff --cached --name-only); do echo '# formatted' >> "$f"; git add "$f"; done"#,
    );
    let output = set(&root, &["urgency=2"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let committed = git(&root, &["show", &format!("HEAD:{DRAFT_PATH}")]);
    assert!(committed.contains("urgency = 2"), "{committed}");
    assert!(committed.ends_with("# formatted\n"), "{committed}");
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
    support::assert_fsck_clean(&root);

    // A hook that stages a version the file does not hold is refused:
    // nothing committed, the file as it was.
    hook(
        &root.join(".git/hooks"),
        "pre-commit",
        r#"for f in $(git diff --cached --name-only); do b=$( (cat "$f"; echo '# only staged') | git hash-object -w --stdin); git update-index --cacheinfo "100644,$b,$f"; done"#,
    );
    let before = head(&root);
    let record = std::fs::read(root.join(DRAFT_PATH)).unwrap();
    let output = set(&root, &["urgency=3"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!(
            "the pre-commit hook staged a version of {DRAFT_PATH} that the file does not hold"
        )),
        "{}",
        stderr(&output)
    );
    assert_eq!(head(&root), before);
    assert_eq!(std::fs::read(root.join(DRAFT_PATH)).unwrap(), record);
    assert_eq!(git(&root, &["status", "--porcelain"]), "");

    // A hook may reformat what news checked, not change what it says:
    // another headline, the record put back as it was (an empty commit),
    // the record unstaged. Each is refused, nothing written.
    for (script, said) in [
        (
            r#"for f in $(git diff --cached --name-only); do sed -i 's/^headline = .*/headline = "By the hook"/' "$f"; git add "$f"; done"#,
            "changed what",
        ),
        (
            r#"for f in $(git diff --cached --name-only); do git checkout HEAD -- "$f"; done"#,
            "changed what",
        ),
        (
            r#"for f in $(git diff --cached --name-only); do git rm -q --cached "$f"; done"#,
            "unstaged",
        ),
    ] {
        hook(&root.join(".git/hooks"), "pre-commit", script);
        let output = set(&root, &["urgency=4"]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{script}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(&format!("the pre-commit hook {said} {DRAFT_PATH}")),
            "{script}: {}",
            stderr(&output)
        );
        assert_eq!(head(&root), before, "{script}");
        // What the hook wrote in the file is kept, as git keeps it when a
        // hook fails; news's own journal is gone.
        assert!(!root.join(".git/news-journal.json").exists(), "{script}");
        git(&root, &["checkout", "--", DRAFT_PATH]);
        assert_eq!(
            std::fs::read(root.join(DRAFT_PATH)).unwrap(),
            record,
            "{script}"
        );
        assert_eq!(git(&root, &["status", "--porcelain"]), "", "{script}");
    }
}

#[test]
fn a_hooks_output_keeps_its_lines() {
    let (_dir, root) = support::demo_newsroom();
    hook(
        &root.join(".git/hooks"),
        "pre-commit",
        "echo 'first line'; echo 'second line'; exit 1",
    );
    let output = set(&root, &["urgency=2"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("first line\n"), "{message}");
    assert!(!message.contains("\\n"), "{message}");
}
