//! Every command reads through one safe path: no link that leaves the
//! newsroom at any level (articles/, a year, a month, a day folder, a
//! record), regular files only, a size cap; writes never go through a link;
//! a record that cannot be read is reported by the commands that skip it.

mod support;

use std::path::Path;
use std::time::Duration;

use support::{git, head, news_as_reporter, stderr, stdout};

const SECRET: &str = "SECRET-OUTSIDE";

/// A valid record whose text holds [`SECRET`].
fn secret_record(id: &str) -> String {
    support::article(id, 25).replace("Kishida arrives in Moscow", SECRET)
}

/// The demo newsroom with a link at `link` (relative to the root) to a
/// folder or file outside it that holds a record with the secret.
fn newsroom_with_link(link: &str) -> (tempfile::TempDir, tempfile::TempDir, std::path::PathBuf) {
    let (dir, root) = support::demo_newsroom();
    let outside = tempfile::tempdir().unwrap();
    let at = root.join(link);
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    if link.ends_with(".toml") {
        let target = outside.path().join("secret-story.toml");
        std::fs::write(&target, secret_record("secret-story")).unwrap();
        std::os::unix::fs::symlink(&target, &at).unwrap();
    } else {
        // Whatever folders lie between the link and the record.
        let depth = link.split('/').count();
        let below = ["2015", "09", "25"][depth - 1..].join("/");
        let folder = outside.path().join(&below);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("secret-story.toml"),
            secret_record("secret-story"),
        )
        .unwrap();
        if at.exists() {
            // The records that were there move out of the newsroom's way.
            std::fs::rename(&at, dir.path().join("moved")).unwrap();
        }
        std::os::unix::fs::symlink(outside.path(), &at).unwrap();
    }
    (dir, outside, root)
}

fn listing(outside: &Path) -> Vec<String> {
    let mut names: Vec<String> = walk(outside);
    names.sort();
    names
}

fn walk(folder: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let entry = entry.unwrap();
        names.push(entry.path().display().to_string());
        if entry.file_type().unwrap().is_dir() {
            names.extend(walk(&entry.path()));
        }
    }
    names
}

#[test]
fn links_out_of_the_newsroom_are_never_read_or_written_through() {
    for link in [
        "articles",
        "articles/2015",
        "articles/2015/09",
        "articles/2015/09/25",
        "articles/2015/09/25/secret-story.toml",
    ] {
        let (_dir, outside, root) = newsroom_with_link(link);
        let before = listing(outside.path());
        for args in [
            vec!["list", "--format", "json"],
            vec!["list"],
            vec!["show", "secret-story"],
            vec!["show", "secret-story", "--format", "toml"],
            vec!["validate"],
            vec!["validate", "--format", "json"],
            vec!["validate", link],
            vec!["set", "secret-story", "summary=Through the link"],
            vec!["edit", "secret-story"],
            vec![
                "new",
                "--headline",
                "Through the link",
                "--genre",
                "news",
                "--created",
                "2015-09-25T10:00:00+03:00",
            ],
        ] {
            let output = news_as_reporter(&root)
                .env("EDITOR", "cat")
                .args(&args)
                .timeout(Duration::from_secs(30))
                .output()
                .unwrap();
            let printed = format!("{}{}", stdout(&output), stderr(&output));
            assert!(
                !printed.contains(SECRET),
                "{link}: news {args:?} printed what lies outside:\n{printed}"
            );
            assert_ne!(output.status.code(), Some(101), "{link}: {args:?} panicked");
            // A command that writes nothing says nothing of writing.
            if args[0] == "show" && link.ends_with(".toml") {
                assert!(
                    stderr(&output).ends_with("error: the record cannot be read\n"),
                    "{link}: {args:?}: {printed}"
                );
            }
            // A new record goes in a folder: refused when that folder is a
            // link (a linked record leaves its real folder usable).
            let through_link =
                matches!(args[0], "set" | "edit") || (args[0] == "new" && !link.ends_with(".toml"));
            if through_link {
                assert_ne!(
                    output.status.code(),
                    Some(0),
                    "{link}: {args:?} wrote:\n{printed}"
                );
            }
        }
        assert_eq!(
            listing(outside.path()),
            before,
            "{link}: nothing was written outside"
        );
        if !link.ends_with(".toml") {
            assert!(
                !git(&root, &["log", "-1", "--format=%s"]).contains("Through the link"),
                "{link}: a commit went through the link"
            );
        }
    }
}

#[test]
fn a_record_that_is_a_device_or_a_link_to_one_is_refused_without_reading_it() {
    let (_dir, root) = support::demo_newsroom();
    let folder = root.join("articles/2015/09/25");
    std::fs::create_dir_all(&folder).unwrap();
    std::os::unix::fs::symlink("/dev/zero", folder.join("zero.toml")).unwrap();
    for args in [vec!["list"], vec!["show", "zero"], vec!["validate"]] {
        let output = news_as_reporter(&root)
            .args(&args)
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        assert!(output.status.code().is_some(), "{args:?} finished");
        assert!(output.stdout.len() < 1_000_000, "{args:?} read the device");
    }
}

#[test]
fn list_and_show_report_a_record_they_cannot_read() {
    let (_dir, root) = support::demo_newsroom();
    let path = root.join("articles/2015/09/25/broken.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "id = \"broken\"\nheadline = [unclosed\n").unwrap();
    let output = news_as_reporter(&root).arg("list").output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("1 record could not be read"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("news validate"),
        "{}",
        stderr(&output)
    );
    let output = news_as_reporter(&root)
        .args(["show", "broken"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("broken.toml"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_id_is_a_safe_file_name_whatever_the_schema_allows() {
    let dir = support::initialized_newsroom();
    let root = dir.path();
    let schema = root.join("schema/article.schema.json");
    let text = std::fs::read_to_string(&schema).unwrap();
    let open = text.replace("\"pattern\": \"^[a-z0-9]+(-[a-z0-9]+)*$\",", "");
    assert_ne!(text, open, "the default schema has the id pattern");
    std::fs::write(&schema, open).unwrap();
    git(root, &["commit", "-q", "-am", "ids of any shape"]);
    for id in ["../../escape", ".hidden", "a/b"] {
        let output = news_as_reporter(root)
            .args(["new", "--headline", "Escape", "--genre", "news", "--id", id])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{id}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("cannot be an article's id"),
            "{id}: {}",
            stderr(&output)
        );
    }
    let listed = news_as_reporter(root)
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(stdout(&listed).trim(), "[]");
    assert!(!root.parent().unwrap().join("escape.toml").exists());
    assert_eq!(git(root, &["status", "--porcelain"]), "");
}

#[test]
fn folders_that_would_hide_records_are_reported_not_skipped() {
    // A link to a folder outside the newsroom, and one inside it.
    for (outside, what) in [(true, "a link out"), (false, "a link within")] {
        let (dir, root) = support::demo_newsroom();
        let folder = root.join("articles/2015/09");
        let target = if outside {
            dir.path().join("moved")
        } else {
            root.join("articles/moved")
        };
        std::fs::rename(&folder, &target).unwrap();
        std::os::unix::fs::symlink(&target, &folder).unwrap();
        let listed = news_as_reporter(&root).arg("list").output().unwrap();
        assert!(
            stderr(&listed).contains("could not be read"),
            "{what}: {}",
            stderr(&listed)
        );
        let validated = news_as_reporter(&root).arg("validate").output().unwrap();
        assert_eq!(
            validated.status.code(),
            Some(1),
            "{what}: {}",
            stdout(&validated)
        );
    }
}

#[test]
fn a_news_toml_that_is_not_a_file_is_refused_not_climbed_over() {
    let (_dir, root) = support::demo_newsroom();
    let inner = root.join("inner");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::create_dir(inner.join("news.toml")).unwrap();
    let before = head(&root);
    let output = news_as_reporter(&inner)
        .args(["new", "--headline", "Climb", "--genre", "news"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("not a regular file"),
        "{}",
        stderr(&output)
    );
    assert_eq!(head(&root), before);
}

#[test]
fn a_body_or_an_edited_copy_is_read_the_safe_way() {
    let (dir, root) = support::demo_newsroom();
    let output = news_as_reporter(&root)
        .args([
            "new",
            "--headline",
            "Zero",
            "--genre",
            "news",
            "--body-file",
            "/dev/zero",
        ])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("not a regular file"),
        "{}",
        stderr(&output)
    );

    let outside = dir.path().join("outside.toml");
    std::fs::write(&outside, secret_record("kuzminkov-on-the-economic-track")).unwrap();
    let editor = support::editor_script(
        dir.path(),
        &format!(r#"rm "$1"; ln -s {} "$1""#, outside.display()),
    );
    let before = head(&root);
    let output = news_as_reporter(&root)
        .env("EDITOR", &editor)
        .args(["edit", "kuzminkov-on-the-economic-track"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("link"), "{}", stderr(&output));
    assert_eq!(head(&root), before);
}

#[test]
fn a_link_committed_as_a_record_is_refused_in_a_bare_repository() {
    let (dir, root) = support::demo_newsroom();
    let record = root.join("articles/2015/09/25/linked.toml");
    std::fs::create_dir_all(record.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", &record).unwrap();
    git(&root, &["add", "articles/2015/09/25/linked.toml"]);
    git(&root, &["commit", "-q", "-m", "a link"]);
    let bare = support::bare_clone(&root, &dir.path().join("bare.git"));
    let shown = news_as_reporter(&bare)
        .args(["show", "linked", "--format", "toml"])
        .output()
        .unwrap();
    assert_ne!(shown.status.code(), Some(0), "{}", stdout(&shown));
    assert!(
        !stdout(&shown).contains("/etc/hostname"),
        "{}",
        stdout(&shown)
    );
    let listed = news_as_reporter(&bare).arg("list").output().unwrap();
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(
        stderr(&listed).contains("1 record could not be read"),
        "{}",
        stderr(&listed)
    );
}
