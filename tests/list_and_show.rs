//! `list` and `show` for people (issue 8, item 9): a list that fits the
//! terminal and colours the status, a pager like git's on a terminal.

mod support;

use std::path::Path;

use support::{news, stderr, stdout};
use unicode_width::UnicodeWidthStr;

/// The ids `news list` lists, newest first.
fn listed_ids(root: &Path) -> Vec<String> {
    let output = news(root)
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice::<serde_json::Value>(&output.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|article| article["id"].as_str().unwrap().to_owned())
        .collect()
}

fn list_at(root: &Path, columns: Option<&str>) -> String {
    let mut command = news(root);
    command.arg("list");
    if let Some(columns) = columns {
        command.env("COLUMNS", columns);
    }
    let output = command.output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn list_fits_the_width_and_never_cuts_an_id() {
    let (_dir, root) = support::demo_newsroom();
    let ids = listed_ids(&root);
    assert_eq!(ids.len(), 5);
    for columns in [80, 100, 120, 150] {
        let text = list_at(&root, Some(&columns.to_string()));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), ids.len() + 1, "{text}");
        for line in &lines {
            assert!(line.width() <= columns, "{columns}: {line:?}");
        }
        for (line, id) in lines[1..].iter().zip(&ids) {
            assert!(
                line.split_whitespace().any(|word| word == id),
                "{columns}: {id} in {line:?}"
            );
        }
    }
    // Wide enough for a useful part of each headline: cut with an ellipsis.
    let text = list_at(&root, Some("120"));
    assert!(text.starts_with("CREATED "), "{text}");
    assert!(text.lines().next().unwrap().ends_with("HEADLINE"), "{text}");
    assert!(text.contains("Interview: Viktor"), "{text}");
    assert!(
        text.lines().skip(1).all(|line| line.ends_with('…')),
        "{text}"
    );
    // In a pipe with no COLUMNS: nothing is cut.
    let text = list_at(&root, None);
    assert!(
        text.contains(
            "Interview: Viktor Kuzminkov on the economic track of Russian-Japanese relations\n"
        ),
        "{text}"
    );
    assert!(!text.contains('…'), "{text}");
}

#[test]
fn list_colours_the_status_when_colour_is_on() {
    let (_dir, root) = support::demo_newsroom();
    let output = news(&root)
        .args(["list", "--color", "always"])
        .output()
        .unwrap();
    let text = stdout(&output);
    for (status, colour) in [("draft", "33"), ("review", "36"), ("published", "32")] {
        let row = text
            .lines()
            .find(|line| line.contains(status))
            .unwrap_or_else(|| panic!("{status} in {text}"));
        assert!(
            row.contains(&format!("{colour}m{status}\u{1b}[0m")),
            "{status}: {row:?}"
        );
    }
    assert!(!text.lines().next().unwrap().contains('\u{1b}'), "{text}");
    let output = news(&root)
        .args(["list", "--color", "never"])
        .output()
        .unwrap();
    assert!(!stdout(&output).contains('\u{1b}'));
    let output = news(&root)
        .arg("list")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&output).contains('\u{1b}'));
}

/// What a run of `news ARGS` on a pseudo-terminal (`script`, util-linux)
/// showed there, and its exit code; `env` on top of a clean environment.
fn on_terminal(root: &Path, args: &str, env: &[(&str, &str)]) -> (Option<i32>, String) {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_news"));
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(root)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("TERM", "dumb")
        .env("COLUMNS", "80")
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"),
    )
}

/// A pager that keeps what it reads in `file` (and the LESS it was given
/// in `file.less`).
fn recording_pager(file: &Path) -> String {
    format!("cat > {0}; printf %s \"$LESS\" > {0}.less", file.display())
}

#[test]
fn list_goes_through_the_pager_on_a_terminal() {
    let (dir, root) = support::demo_newsroom();
    let paged = dir.path().join("paged");
    let pager = recording_pager(&paged);
    let (code, shown) = on_terminal(&root, "list", &[("NEWS_PAGER", &pager)]);
    assert_eq!(code, Some(0), "{shown}");
    let recorded = std::fs::read_to_string(&paged).expect("the pager ran");
    assert!(recorded.starts_with("CREATED"), "{recorded}");
    assert!(
        recorded.contains("kuzminkov-on-the-economic-track"),
        "{recorded}"
    );
    assert!(!shown.contains("kuzminkov"), "{shown}");
    // news sets LESS=FRX for the pager when LESS is unset, as git does.
    assert_eq!(
        std::fs::read_to_string(paged.with_extension("less")).unwrap(),
        "FRX"
    );

    // $PAGER when $NEWS_PAGER is unset; a LESS of the user's is kept.
    std::fs::remove_file(&paged).unwrap();
    let (code, _) = on_terminal(&root, "list", &[("PAGER", &pager), ("LESS", "-S")]);
    assert_eq!(code, Some(0));
    assert!(paged.exists());
    assert_eq!(
        std::fs::read_to_string(paged.with_extension("less")).unwrap(),
        "-S"
    );
}

#[test]
fn no_pager_with_no_pager_an_empty_pager_cat_or_a_pipe() {
    let (dir, root) = support::demo_newsroom();
    let paged = dir.path().join("paged");
    let pager = recording_pager(&paged);
    for (args, env) in [
        ("--no-pager list", vec![("NEWS_PAGER", pager.as_str())]),
        ("list", vec![("NEWS_PAGER", ""), ("PAGER", pager.as_str())]),
        (
            "list",
            vec![("NEWS_PAGER", "cat"), ("PAGER", pager.as_str())],
        ),
        ("list --format json", vec![("NEWS_PAGER", pager.as_str())]),
    ] {
        let (code, shown) = on_terminal(&root, args, &env);
        assert_eq!(code, Some(0), "{args} {env:?}: {shown}");
        assert!(shown.contains("kuzminkov-on-the-economic-track"), "{shown}");
        assert!(!paged.exists(), "{args} {env:?}");
    }
    // Not a terminal: no pager.
    let output = news(&root)
        .arg("list")
        .env("NEWS_PAGER", &pager)
        .output()
        .unwrap();
    assert!(stdout(&output).contains("kuzminkov"));
    assert!(!paged.exists());
}

#[test]
fn a_pager_that_quits_early_is_no_error() {
    let (_dir, root) = support::demo_newsroom();
    // The pager closes its input before news writes: a broken pipe.
    let (code, shown) = on_terminal(&root, "list", &[("NEWS_PAGER", "exec 0<&-; sleep 1")]);
    assert_eq!(code, Some(0), "{shown}");
    assert!(!shown.contains("error"), "{shown}");
    assert!(!shown.contains("kuzminkov"), "{shown}");
}

const OPINION: &str = "analysts-russian-japanese-relations-show-signs-of-thawing";

fn show(root: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let output = news(root)
        .arg("show")
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn show_gives_times_in_the_newsrooms_zone_and_dates_drafts() {
    let (_dir, root) = support::demo_newsroom();
    // The demo newsroom is in Europe/Moscow (+03:00 in 2015).
    let output = support::news_as_reporter(&root)
        .args(["new", "--headline", "Made in UTC", "--genre", "news"])
        .args(["--created", "2015-09-25T06:00:00Z"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = show(&root, &["made-in-utc"], &[]);
    let meta = text.lines().nth(1).unwrap();
    assert_eq!(
        meta, "news · draft, created 2015-09-25 09:00 +03:00",
        "{text}"
    );

    // A time stored with another offset is shown in the newsroom's.
    let path =
        root.join("articles/2015/09/21/kishida-arrives-in-moscow-for-talks-with-lavrov.toml");
    let record = std::fs::read_to_string(&path).unwrap();
    assert!(record.contains("published = 2015-09-21T09:55:00+03:00"));
    std::fs::write(
        &path,
        record.replace(
            "published = 2015-09-21T09:55:00+03:00",
            "published = 2015-09-21T06:55:00Z",
        ),
    )
    .unwrap();
    let text = show(
        &root,
        &["kishida-arrives-in-moscow-for-talks-with-lavrov"],
        &[],
    );
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .ends_with("· published 2015-09-21 09:55 +03:00"),
        "{text}"
    );
    assert!(!text.contains("06:55"), "{text}");
}

/// The keys of a table of a record, in the file's order (toml_edit keeps
/// a document's order).
fn keys_in_file(table: &toml_edit::Table) -> Vec<String> {
    table.iter().map(|(key, _)| key.to_owned()).collect()
}

#[test]
fn show_json_keeps_the_records_key_order() {
    let (_dir, root) = support::demo_newsroom();
    let path = root.join(format!("articles/2015/09/23/{OPINION}.toml"));
    let record = std::fs::read_to_string(path).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&show(&root, &[OPINION, "--format", "json"], &[])).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    let document: toml_edit::DocumentMut = record.parse().unwrap();
    let expected = keys_in_file(document.as_table());
    // Not the sorted order: the file starts with id, headline, genre.
    assert_eq!(&expected[..3], ["id", "headline", "genre"]);
    assert_eq!(keys, expected.iter().collect::<Vec<_>>());
    let dateline: Vec<&String> = json["dateline"].as_object().unwrap().keys().collect();
    assert_eq!(dateline, ["place", "date", "source"]);
    assert_eq!(
        dateline,
        keys_in_file(document["dateline"].as_table().unwrap())
            .iter()
            .collect::<Vec<_>>()
    );
}

#[test]
fn show_wraps_paragraphs_to_the_terminal() {
    let (_dir, root) = support::demo_newsroom();
    let unwrapped = show(&root, &[OPINION], &[]);
    assert!(
        unwrapped.lines().any(|line| line.width() > 200),
        "one line per paragraph in a pipe: {unwrapped}"
    );
    for columns in [60, 80] {
        let wrapped = show(&root, &[OPINION], &[("COLUMNS", &columns.to_string())]);
        for line in wrapped.lines() {
            assert!(line.width() <= columns, "{columns}: {line:?}");
        }
        // The same words, and the same paragraphs.
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>(),
            unwrapped.split_whitespace().collect::<Vec<_>>()
        );
        assert_eq!(
            wrapped.matches("\n\n").count(),
            unwrapped.matches("\n\n").count()
        );
    }
}

#[test]
fn show_goes_through_the_pager_on_a_terminal() {
    let (dir, root) = support::demo_newsroom();
    let paged = dir.path().join("paged");
    let pager = recording_pager(&paged);
    let (code, shown) = on_terminal(&root, &format!("show {OPINION}"), &[("NEWS_PAGER", &pager)]);
    assert_eq!(code, Some(0), "{shown}");
    let recorded = std::fs::read_to_string(&paged).expect("the pager ran");
    assert!(
        recorded.starts_with("Analysts: Russian-Japanese relations show signs of thawing\n"),
        "{recorded}"
    );
    assert!(
        recorded.lines().all(|line| line.width() <= 80),
        "{recorded}"
    );
    assert!(!shown.contains("Analysts"), "{shown}");
    // Machine formats are not paged.
    std::fs::remove_file(&paged).unwrap();
    let (code, shown) = on_terminal(
        &root,
        &format!("show {OPINION} --format json"),
        &[("NEWS_PAGER", &pager)],
    );
    assert_eq!(code, Some(0));
    assert!(shown.contains("\"headline\""), "{shown}");
    assert!(!paged.exists());
}
