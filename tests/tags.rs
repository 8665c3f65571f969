//! `news tag` and `news tags` with the real binary on real repositories,
//! checked with `git log`, `git show` and `git diff`.

mod support;

use std::path::{Path, PathBuf};

use support::{assert_fsck_clean, git, head, initialized_newsroom, run, stderr, stdout};

/// A newsroom made by `news init` (the default vocabulary) with published
/// articles `(id, tags line)`, committed with plain git.
fn newsroom(articles: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = initialized_newsroom();
    for (index, (id, tags)) in articles.iter().enumerate() {
        write_article(dir.path(), id, 1 + (index % 28) as u32, tags);
    }
    commit_all(dir.path(), "articles");
    dir
}

fn record_path(id: &str, day: u32) -> String {
    format!("articles/2015/09/{day:02}/{id}.toml")
}

fn write_article(root: &Path, id: &str, day: u32, tags: &str) -> PathBuf {
    let text = support::article(id, day).replace("tags = [\"Japan\", \"Russia\"]", tags);
    assert!(text.contains(tags));
    let path = root.join(record_path(id, day));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn commit_all(root: &Path, message: &str) {
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", message]);
}

fn read(root: &Path, relative: &str) -> String {
    std::fs::read_to_string(root.join(relative)).unwrap()
}

fn tags_line(root: &Path, relative: &str) -> String {
    read(root, relative)
        .lines()
        .find(|line| line.starts_with("tags"))
        .unwrap_or_default()
        .to_owned()
}

fn commits(root: &Path) -> usize {
    git(root, &["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

/// How many commits HEAD is past `base`.
fn commits_since(root: &Path, base: &str) -> usize {
    git(
        root,
        &["rev-list", "--count", &format!("{}..HEAD", base.trim())],
    )
    .trim()
    .parse()
    .unwrap()
}

/// The files the last commit changed, sorted.
fn files_of_head(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = git(root, &["show", "--name-only", "--format=", "HEAD"])
        .lines()
        .map(str::to_owned)
        .collect();
    files.sort();
    files
}

/// Removes the vocabulary and commits: any tag goes.
fn drop_vocabulary(root: &Path) {
    git(root, &["rm", "-q", "schema/tags.toml"]);
    git(root, &["commit", "-q", "-m", "any tag goes"]);
}

/// Runs news and asserts its exit code; its stderr.
fn expect(root: &Path, args: &[&str], code: i32) -> String {
    let output = run(root, args);
    assert_eq!(
        output.status.code(),
        Some(code),
        "news {args:?}\nstdout: {}\nstderr: {}",
        stdout(&output),
        stderr(&output)
    );
    stderr(&output)
}

fn validate_since(root: &Path, base: &str) {
    let output = run(root, &["validate", "--base", base.trim()]);
    assert!(
        output.status.success(),
        "validate --base: {}{}",
        stdout(&output),
        stderr(&output)
    );
}

#[test]
fn rename_across_a_thousand_articles_is_one_commit_of_tag_lines() {
    let dir = initialized_newsroom();
    let root = dir.path();
    let layouts = [
        "tags = [\"Japan\", \"Diplomacy\"]",
        "tags = [\"Diplomacy\"]  # the topic",
        "tags = [\"Foreign Policy\", \"Russia\"]",
        "tags = [\n  \"Russia\",\n  \"Diplomacy\",\n]",
        "tags = [\"Japan\", \"Russia\"]",
    ];
    let mut renamed = Vec::new();
    for index in 0..1000 {
        let id = format!("article-{index:04}");
        let layout = layouts[index % layouts.len()];
        let path = write_article(root, &id, 1 + (index % 28) as u32, layout);
        if index % layouts.len() != 4 {
            renamed.push(path);
        }
    }
    commit_all(root, "a thousand articles");
    let base = head(root);
    let tags_before = read(root, "schema/tags.toml");

    let stderr = expect(root, &["tags", "rename", "Diplomacy", "Foreign Affairs"], 0);
    assert!(stderr.contains("(800 articles)"), "{stderr}");

    assert_eq!(commits_since(root, &base), 1);
    let files = files_of_head(root);
    assert_eq!(files.len(), 801, "{files:?}");
    assert!(files.contains(&"schema/tags.toml".to_owned()));
    let message = git(root, &["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with("tag: rename \"Diplomacy\" to \"Foreign Affairs\" (800 articles)\n"),
        "{message}"
    );
    assert_eq!(message.matches("\nNews-Id: article-").count(), 800);
    assert!(message.contains("\nNews-Action: tag\n"), "{message}");

    // Line by line: in records only `tags` lines (and the lines of a
    // list written over several lines) change, one for one.
    let (removed, added) = changed_lines_since(root, &base, "articles");
    assert_eq!(removed.len(), 800);
    assert_eq!(added.len(), 800);
    for (old, new) in removed.iter().zip(&added) {
        let expected = old
            .replace("\"Diplomacy\"", "\"Foreign Affairs\"")
            .replace("\"Foreign Policy\"", "\"Foreign Affairs\"");
        assert_eq!(new, &expected, "{old} became {new}");
        assert!(
            old.starts_with("tags = [") || old == "  \"Diplomacy\",",
            "not a tag line: {old}"
        );
    }
    for path in &renamed {
        assert!(!std::fs::read_to_string(path).unwrap().contains("Diplomacy"));
    }

    // The vocabulary: the entry's name, and the old name as an alias.
    let vocabulary_diff = git(
        root,
        &[
            "diff",
            "--unified=0",
            base.trim(),
            "HEAD",
            "--",
            "schema/tags.toml",
        ],
    );
    let changed: Vec<&str> = vocabulary_diff
        .lines()
        .filter(|line| {
            !line.starts_with("---") && !line.starts_with("+++") && !line.starts_with("@@")
        })
        .filter(|line| line.starts_with('-') || line.starts_with('+'))
        .collect();
    assert_eq!(
        changed,
        [
            "-name = \"Diplomacy\"",
            "-aliases = [\"Foreign Policy\", \"Foreign Relations\"]",
            "+name = \"Foreign Affairs\"",
            "+aliases = [\"Foreign Policy\", \"Foreign Relations\", \"Diplomacy\"]",
        ],
        "{vocabulary_diff}"
    );
    assert_ne!(read(root, "schema/tags.toml"), tags_before);
    assert_eq!(git(root, &["status", "--porcelain"]), "");
    validate_since(root, &base);
    assert_fsck_clean(root);
}

#[test]
fn rename_with_drop_alias_and_merge_fold_tags_together() {
    let dir = newsroom(&[
        ("kishida-arrives", "tags = [\"Japan\", \"Economy\"]"),
        (
            "trade-talks",
            "tags = [\"Trade\", \"Economics\", \"Russia\"]",
        ),
        ("peace-treaty", "tags = [\"Russia\"]"),
    ]);
    let root = dir.path();
    let base = head(root);
    let stderr = expect(
        root,
        &["tags", "merge", "Economy", "Trade", "-m", "One topic"],
        0,
    );
    assert!(
        stderr.contains("merge \"Economy\" into \"Trade\" (2 articles)"),
        "{stderr}"
    );
    assert_eq!(commits(root), 3);
    assert_eq!(
        tags_line(root, &record_path("kishida-arrives", 1)),
        "tags = [\"Japan\", \"Trade\"]"
    );
    // Trade was there already: the alias goes, Trade stays once.
    assert_eq!(
        tags_line(root, &record_path("trade-talks", 2)),
        "tags = [\"Trade\", \"Russia\"]"
    );
    let vocabulary = read(root, "schema/tags.toml");
    assert!(!vocabulary.contains("name = \"Economy\""), "{vocabulary}");
    assert!(
        vocabulary.contains("name = \"Trade\"\naliases = [\"Economy\", \"Economics\"]\n"),
        "{vocabulary}"
    );
    assert_eq!(
        files_of_head(root),
        [
            record_path("kishida-arrives", 1),
            record_path("trade-talks", 2),
            "schema/tags.toml".to_owned()
        ]
    );
    assert!(git(root, &["log", "-1", "--format=%b"]).contains("One topic"));

    expect(
        root,
        &["tags", "rename", "Trade", "Commerce", "--drop-alias"],
        0,
    );
    let vocabulary = read(root, "schema/tags.toml");
    assert!(
        vocabulary.contains("name = \"Commerce\"\naliases = [\"Economy\", \"Economics\"]\n"),
        "{vocabulary}"
    );
    assert!(!vocabulary.contains("\"Trade\""), "{vocabulary}");
    validate_since(root, &base);

    // Into a name that is taken: refused, pointing at merge.
    let head_before = head(root);
    let stderr = expect(root, &["tags", "rename", "Commerce", "japan"], 1);
    assert!(
        stderr.contains("news tags merge Commerce Japan"),
        "{stderr}"
    );
    let stderr = expect(root, &["tags", "merge", "Commerce", "Jpan"], 1);
    assert!(stderr.contains("did you mean \"Japan\"?"), "{stderr}");
    let stderr = expect(root, &["tags", "rename", "Economics", "Money"], 1);
    assert!(stderr.contains("alias of the tag \"Commerce\""), "{stderr}");
    assert_eq!(head(root), head_before);
}

#[test]
fn remove_is_refused_while_articles_carry_the_tag() {
    let dir = newsroom(&[
        ("kishida-arrives", "tags = [\"Japan\", \"Kurils\"]"),
        ("peace-treaty", "tags = [\"Kuril Islands\"]"),
        ("trade-talks", "tags = [\"Russia\"]"),
    ]);
    let root = dir.path();
    let before = head(root);
    let stderr = expect(root, &["tags", "remove", "Kuril Islands"], 1);
    assert!(
        stderr.contains("used by 2 articles: kishida-arrives, peace-treaty"),
        "{stderr}"
    );
    assert_eq!(head(root), before);
    assert_eq!(git(root, &["status", "--porcelain"]), "");

    expect(root, &["tags", "remove", "weather"], 0);
    assert_eq!(files_of_head(root), ["schema/tags.toml"]);
    assert!(!read(root, "schema/tags.toml").contains("Weather"));
    assert_eq!(
        git(root, &["log", "-1", "--format=%s"]),
        "tag: remove \"Weather\" from the vocabulary\n"
    );
    let stderr = expect(root, &["tags", "remove", "Weather"], 1);
    assert!(stderr.contains("no tag \"Weather\""), "{stderr}");
}

#[test]
fn add_refuses_a_name_or_alias_that_collides_in_any_case() {
    let dir = newsroom(&[("kishida-arrives", "tags = [\"Japan\"]")]);
    let root = dir.path();
    let before = head(root);
    let vocabulary = read(root, "schema/tags.toml");
    let stderr = expect(
        root,
        &["tags", "add", "Arctic Council", "--alias", "kurils"],
        1,
    );
    assert!(
        stderr.contains("\"kurils\" is an alias of the tag \"Kuril Islands\" already"),
        "{stderr}"
    );
    let stderr = expect(root, &["tags", "add", "JAPAN"], 1);
    assert!(
        stderr.contains("is the name of the tag \"Japan\""),
        "{stderr}"
    );
    let stderr = expect(
        root,
        &["tags", "add", "Arctic Council", "--alias", "arctic council"],
        2,
    );
    assert!(stderr.contains("given twice"), "{stderr}");
    assert_eq!(head(root), before);
    assert_eq!(read(root, "schema/tags.toml"), vocabulary);

    expect(root, &["tags", "add", "Arctic Council", "--alias", "AC"], 0);
    assert_eq!(files_of_head(root), ["schema/tags.toml"]);
    assert!(
        read(root, "schema/tags.toml")
            .ends_with("\n[[tag]]\nname = \"Arctic Council\"\naliases = [\"AC\"]\n")
    );
    expect(root, &["tag", "kishida-arrives", "+ac"], 0);
    assert_eq!(
        tags_line(root, &record_path("kishida-arrives", 1)),
        "tags = [\"Japan\", \"Arctic Council\"]"
    );
}

#[test]
fn unknown_tag_is_refused_with_a_suggestion_unless_new() {
    let dir = newsroom(&[("kishida-arrives", "tags = [\"Japan\"]")]);
    let root = dir.path();
    let before = head(root);
    let record = read(root, &record_path("kishida-arrives", 1));
    let stderr = expect(root, &["tag", "kishida-arrives", "+Rusia", "+Arctic"], 1);
    assert!(
        stderr.contains("tag \"Rusia\" is not in the newsroom's vocabulary (schema/tags.toml); did you mean \"Russia\"?"),
        "{stderr}"
    );
    assert!(stderr.contains("--new"), "{stderr}");
    assert_eq!(head(root), before);
    assert_eq!(read(root, &record_path("kishida-arrives", 1)), record);

    expect(
        root,
        &["tag", "kishida-arrives", "+Arctic Council", "--new"],
        0,
    );
    assert_eq!(
        files_of_head(root),
        [
            record_path("kishida-arrives", 1),
            "schema/tags.toml".to_owned()
        ]
    );
    assert!(read(root, "schema/tags.toml").ends_with("\n[[tag]]\nname = \"Arctic Council\"\n"));
    assert_eq!(
        tags_line(root, &record_path("kishida-arrives", 1)),
        "tags = [\"Japan\", \"Arctic Council\"]"
    );
    validate_since(root, &before);
}

#[test]
fn tags_are_written_as_the_vocabulary_names_them_and_hyphens_remove() {
    let dir = newsroom(&[(
        "kishida-arrives",
        "tags = [\"Japan\", \"China\", \"Russia\"]  # topics",
    )]);
    let root = dir.path();
    let record = record_path("kishida-arrives", 1);
    expect(root, &["tag", "kishida-arrives", "-China", "+kurils"], 0);
    assert_eq!(
        tags_line(root, &record),
        "tags = [\"Japan\", \"Russia\", \"Kuril Islands\"]  # topics"
    );
    let message = git(root, &["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with("tag: Kishida arrives in Moscow\n"),
        "{message}"
    );
    assert!(
        message.contains("News-Id: kishida-arrives\nNews-Action: tag\n"),
        "{message}"
    );
    assert_eq!(files_of_head(root), std::slice::from_ref(&record));

    // The global -C before the command, -China after it; by path.
    let parent = root.parent().unwrap();
    let name = root.file_name().unwrap().to_str().unwrap();
    let output = support::news_as_reporter(parent)
        .args(["-C", name, "tag", &record, "-Russia", "+China", "-Japan"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        tags_line(root, &record),
        "tags = [\"Kuril Islands\", \"China\"]  # topics"
    );

    // A tag named like an option: -C is a tag after the id.
    expect(root, &["tags", "add", "C"], 0);
    expect(root, &["tag", "kishida-arrives", "+C", "-m", "Add C"], 0);
    assert!(tags_line(root, &record).contains("\"C\""));
    assert!(git(root, &["log", "-1", "--format=%b"]).contains("Add C"));
    expect(root, &["tag", "kishida-arrives", "-C"], 0);
    assert!(
        !tags_line(root, &record).contains("\"C\""),
        "{}",
        tags_line(root, &record)
    );
    expect(root, &["tag", "kishida-arrives", "--add", "-C"], 1);
    expect(root, &["tag", "kishida-arrives", "--add=C"], 0);
    expect(root, &["tag", "kishida-arrives", "--", "-C"], 0);
    assert!(!tags_line(root, &record).contains("\"C\""));
    let stderr = expect(root, &["tag", "kishida-arrives", "--bogus"], 2);
    assert!(stderr.contains("unexpected argument '--bogus'"), "{stderr}");
}

#[test]
fn a_change_that_changes_nothing_commits_nothing() {
    let dir = newsroom(&[("kishida-arrives", "tags = [\"Japan\", \"Kurils\"]")]);
    let root = dir.path();
    let before = head(root);
    let stderr = expect(
        root,
        &[
            "tag",
            "kishida-arrives",
            "+japan",
            "+Kuril Islands",
            "-China",
        ],
        0,
    );
    assert!(stderr.contains("nothing committed"), "{stderr}");
    assert_eq!(head(root), before);
    assert_eq!(git(root, &["status", "--porcelain"]), "");
    // A tag both added and removed is a slip: refused, with --new too
    // (which once committed the vocabulary alone, as "tag: 0 articles"),
    // and by an alias.
    for args in [
        &["tag", "kishida-arrives", "+Economy", "-economy"][..],
        &["tag", "kishida-arrives", "+Hokkaido", "-Hokkaido", "--new"],
    ] {
        let stderr = expect(root, args, 2);
        assert!(stderr.contains("both added and removed"), "{stderr}");
    }
    let stderr = expect(
        root,
        &["tag", "kishida-arrives", "+Kurils", "-Kuril Islands"],
        2,
    );
    assert!(
        stderr.contains("\"Kuril Islands\" is both added and removed"),
        "{stderr}"
    );
    assert_eq!(head(root), before);
}

#[test]
fn several_articles_are_tagged_in_one_commit() {
    let dir = newsroom(&[
        ("kishida-arrives", "tags = [\"Japan\"]"),
        ("peace-treaty", "tags = [\"Russia\"]"),
        ("trade-talks", "tags = [\"Diplomacy\"]"),
    ]);
    let root = dir.path();
    let before = commits(root);
    expect(
        root,
        &[
            "tag",
            "kishida-arrives",
            "peace-treaty",
            "trade-talks",
            "kishida-arrives",
            "+Diplomacy",
        ],
        0,
    );
    assert_eq!(commits(root), before + 1);
    let message = git(root, &["log", "-1", "--format=%B"]);
    assert!(message.starts_with("tag: 2 articles\n"), "{message}");
    assert!(
        message.contains("News-Id: kishida-arrives\nNews-Id: peace-treaty\nNews-Action: tag\n"),
        "{message}"
    );
    assert_eq!(
        files_of_head(root),
        [
            record_path("kishida-arrives", 1),
            record_path("peace-treaty", 2)
        ]
    );
    assert_eq!(
        git(root, &["show", "--stat", "--format=", "HEAD"])
            .lines()
            .last()
            .unwrap(),
        " 2 files changed, 2 insertions(+), 2 deletions(-)"
    );
    // news log tells the change as an edit labelled tag, without a warning.
    let log = stdout(&run(root, &["log", "peace-treaty", "--format", "json"]));
    let entries: serde_json::Value = serde_json::from_str(&log).unwrap();
    assert_eq!(entries[0]["action"], "edit", "{log}");
    // --action tag finds it by its label; --action set does not.
    let tagged = |action: &str| {
        let log = stdout(&run(
            root,
            &[
                "log",
                "peace-treaty",
                "--action",
                action,
                "--format",
                "json",
            ],
        ));
        serde_json::from_str::<serde_json::Value>(&log).unwrap()
    };
    assert_eq!(tagged("tag")[0]["commit"], entries[0]["commit"]);
    assert_eq!(tagged("tag").as_array().unwrap().len(), 1);
    assert_eq!(tagged("set").as_array().unwrap().len(), 0);
}

#[test]
fn a_record_with_hand_edits_is_refused_and_nothing_is_committed() {
    let dir = newsroom(&[
        ("kishida-arrives", "tags = [\"Japan\"]"),
        ("peace-treaty", "tags = [\"Russia\"]"),
    ]);
    let root = dir.path();
    let before = head(root);
    let edited = root.join(record_path("peace-treaty", 2));
    support::rewrite(&edited, "Japanese Foreign", "The Japanese Foreign");
    let hand_edit = std::fs::read_to_string(&edited).unwrap();
    let stderr = expect(
        root,
        &["tag", "kishida-arrives", "peace-treaty", "+Diplomacy"],
        1,
    );
    assert!(stderr.contains("peace-treaty.toml"), "{stderr}");
    assert!(stderr.contains("news commit"), "{stderr}");
    assert_eq!(head(root), before);
    assert_eq!(std::fs::read_to_string(&edited).unwrap(), hand_edit);
    assert_eq!(
        tags_line(root, &record_path("kishida-arrives", 1)),
        "tags = [\"Japan\"]"
    );
    assert_eq!(
        git(root, &["status", "--porcelain"]),
        format!(" M {}\n", record_path("peace-treaty", 2))
    );
    // The vocabulary edited by hand: rename is refused too.
    git(root, &["checkout", "--", "."]);
    support::rewrite(
        &root.join("schema/tags.toml"),
        "name = \"Japan\"",
        "name = \"Nippon\"",
    );
    let stderr = expect(root, &["tags", "rename", "Russia", "Rossiya"], 1);
    assert!(stderr.contains("tags.toml"), "{stderr}");
    assert_eq!(head(root), before);
}

#[test]
fn tags_lists_the_vocabulary_with_counts() {
    let dir = newsroom(&[
        ("kishida-arrives", "tags = [\"Japan\", \"Kurils\"]"),
        (
            "peace-treaty",
            "tags = [\"Japan\", \"Kuril Islands\", \"Sakhalin\"]",
        ),
    ]);
    let root = dir.path();
    let output = run(root, &["tags", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("1 tag in use is not in the vocabulary: \"Sakhalin\" (1)"));
    let tags: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let tag = |name: &str| {
        tags.as_array()
            .unwrap()
            .iter()
            .find(|tag| tag["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} in {tags}"))
    };
    assert_eq!(
        tag("Kuril Islands"),
        serde_json::json!({"name": "Kuril Islands", "aliases": ["Kurils", "South Kurils"], "uri": null, "count": 2})
    );
    assert_eq!(tag("Japan")["count"], 2);
    assert_eq!(tag("Russia")["count"], 0);

    let unused = stdout(&run(root, &["tags", "--unused"]));
    assert!(unused.starts_with("COUNT  TAG"), "{unused}");
    assert!(unused.contains("    0  Russia"), "{unused}");
    assert!(!unused.contains("Japan"), "{unused}");
    let all = stdout(&run(root, &["tags"]));
    let line = all
        .lines()
        .find(|line| line.contains("Kuril Islands"))
        .unwrap();
    assert!(line.starts_with("    2  Kuril Islands  "), "{all}");
    assert!(line.ends_with("  Kurils, South Kurils"), "{all}");

    // Without a vocabulary any tag goes: the tags in use.
    drop_vocabulary(root);
    let output = run(root, &["tags", "--format", "json"]);
    assert!(
        stderr(&output).contains("any tag goes"),
        "{}",
        stderr(&output)
    );
    let tags: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let names: Vec<(&str, u64)> = tags
        .as_array()
        .unwrap()
        .iter()
        .map(|tag| {
            (
                tag["name"].as_str().unwrap(),
                tag["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Japan", 2),
            ("Kuril Islands", 1),
            ("Kurils", 1),
            ("Sakhalin", 1)
        ]
    );
    // And any tag can be added; --new has nothing to add to.
    let stderr = expect(root, &["tag", "kishida-arrives", "+Hokkaido", "--new"], 0);
    assert!(stderr.contains("--new has nothing to add to"), "{stderr}");
    assert_eq!(files_of_head(root), [record_path("kishida-arrives", 1)]);
}

/// `news` with the reporter's identity, started and not waited for, its
/// stderr going to `log`.
fn spawn(root: &Path, args: &[&str], log: &Path) -> std::process::Child {
    let (name, email) = support::AUTHOR;
    std::process::Command::new(env!("CARGO_BIN_EXE_news"))
        .current_dir(root)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("TZ", "UTC")
        .env("LC_ALL", "C.UTF-8")
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

/// Waits (at most 30 seconds) until `done` says yes.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(start.elapsed().as_secs() < 30, "waited too long for {what}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Runs `first` and `second` so that each reads the newsroom, and
/// judges its change, before the other commits: `holder` commits first
/// and its pre-commit hook holds news's lock until both wait for it (each
/// says so: the race happened); then both commit, one after the other,
/// in either order. Their exit codes and stderr.
fn overlapping(
    root: &Path,
    holder: &[&str],
    first: &[&str],
    second: &[&str],
) -> [(i32, String); 2] {
    let (results, _) = behind(root, holder, &[first, second]);
    [results[0].clone(), results[1].clone()]
}

/// Runs `holder`, and while its pre-commit hook holds news's lock (its
/// changes written to the work tree and the index, not yet committed),
/// each of `racers`, which must wait for the lock (each says so: the
/// overlap happened); then lets the holder commit. The racers' exit
/// codes and stderr, and how many times the hook ran (once a commit).
fn behind(root: &Path, holder: &[&str], racers: &[&[&str]]) -> (Vec<(i32, String)>, usize) {
    let gate = tempfile::tempdir().unwrap();
    let (held, release) = (gate.path().join("held"), gate.path().join("release"));
    let runs = gate.path().join("runs");
    let hook = root.join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\necho run >> '{}'\ntouch '{}'\nwhile [ ! -f '{}' ]; do sleep 0.05; done\n",
            runs.display(),
            held.display(),
            release.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut holding = spawn(root, holder, &gate.path().join("holder.log"));
    wait_until("the holder's hook", || held.exists());
    let mut children = Vec::new();
    for (number, args) in racers.iter().enumerate() {
        let log = gate.path().join(format!("{number}.log"));
        let mut child = spawn(root, args, &log);
        wait_until("a racer to wait for the lock, or to end", || {
            std::fs::read_to_string(&log).is_ok_and(|log| log.contains("waiting for"))
                || child.try_wait().unwrap().is_some()
        });
        children.push((child, log));
    }
    std::fs::write(&release, "").unwrap();
    assert!(holding.wait().unwrap().success());
    let results: Vec<(i32, String)> = children
        .into_iter()
        .map(|(mut child, log)| {
            let code = child.wait().unwrap().code().unwrap_or(-1);
            (code, std::fs::read_to_string(log).unwrap())
        })
        .collect();
    std::fs::remove_file(&hook).unwrap();
    for (code, log) in &results {
        assert!(
            log.contains("waiting for"),
            "a racer did not wait for the lock (exit {code}):\n{log}"
        );
    }
    let runs = std::fs::read_to_string(&runs).unwrap_or_default();
    (results, runs.lines().count())
}

/// HEAD passes `news validate --rev HEAD` and the work tree is clean.
fn head_is_valid(root: &Path) {
    let output = run(root, &["validate", "--rev", "HEAD"]);
    assert!(
        output.status.success(),
        "HEAD is not valid:\n{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert_eq!(git(root, &["status", "--porcelain"]), "");
}

#[test]
fn vocabulary_changes_and_tagging_that_overlap_never_commit_an_unknown_tag() {
    // Each pair reads the newsroom before the other commits; whichever
    // commits second must see the first's commit under the lock: refuse,
    // or commit what is valid with it. Before, both committed and HEAD
    // carried a tag the vocabulary had lost.
    let cases: [(&[&str], &[&str], &str); 3] = [
        (
            &["tag", "kishida-arrives", "+Politics"],
            &["tags", "remove", "Politics"],
            "Politics",
        ),
        (
            &["tag", "kishida-arrives", "+Diplomacy"],
            &["tags", "rename", "Diplomacy", "Relations", "--drop-alias"],
            "Diplomacy",
        ),
        (
            &[
                "set",
                "kishida-arrives",
                "summary=Talks",
                "tags=[\"Japan\", \"Weather\"]",
            ],
            &["tags", "remove", "Weather"],
            "Weather",
        ),
    ];
    for (tagging, changing, tag) in cases {
        let dir = newsroom(&[
            ("kishida-arrives", "tags = [\"Japan\"]"),
            ("trade-talks", "tags = [\"Russia\"]"),
        ]);
        let root = dir.path();
        let base = head(root);
        let holder = ["tag", "trade-talks", "+Economy"];
        let [(tag_code, tag_err), (change_code, change_err)] =
            overlapping(root, &holder, tagging, changing);
        head_is_valid(root);
        validate_since(root, &base);
        let record = tags_line(root, &record_path("kishida-arrives", 1));
        let vocabulary = read(root, "schema/tags.toml");
        let kept = vocabulary.contains(&format!("\"{tag}\""));
        // Exactly one of the two went through; the other was refused with
        // a message that says why and what to do.
        match (tag_code, change_code) {
            (0, 1) => {
                assert!(record.contains(tag), "{record}");
                assert!(kept, "{vocabulary}");
                assert!(
                    change_err.contains("is used by 1 article: kishida-arrives"),
                    "{change_err}"
                );
            }
            (1, 0) => {
                assert!(!record.contains(tag), "{record}");
                assert!(!kept, "{vocabulary}");
                assert!(
                    tag_err.contains("schema/tags.toml was changed by another commit")
                        || tag_err
                            .contains(&format!("\"{tag}\" is not in the newsroom's vocabulary")),
                    "{tag_err}"
                );
                // Judged under the lock, by the vocabulary the other
                // command committed: the tag is unknown now.
                assert!(
                    tag_err.contains("run the command again")
                        || tag_err.contains("unknown-tag")
                        || tag_err.contains("`news tags` lists the vocabulary"),
                    "{tag_err}"
                );
            }
            // A rename that comes second retags what the tagging
            // committed: it scans the records at the tip, under the lock.
            (0, 0) if changing[1] == "rename" => {
                assert_eq!(record, "tags = [\"Japan\", \"Relations\"]");
                assert!(!kept, "{vocabulary}");
                assert_eq!(
                    git(root, &["log", "-1", "--format=%s"]),
                    "tag: rename \"Diplomacy\" to \"Relations\" (1 article)\n"
                );
            }
            codes => panic!("{codes:?}\n{tag_err}\n{change_err}"),
        }
        // The holder and what went through since the base.
        let through = 1 + usize::from(tag_code == 0) + usize::from(change_code == 0);
        assert_eq!(commits_since(root, &base), through);
    }
}

#[test]
fn vocabulary_changes_refuse_while_a_record_cannot_be_read() {
    let dir = newsroom(&[
        ("kishida-arrives", "tags = [\"Japan\", \"Arctic\"]"),
        ("trade-talks", "tags = [\"Russia\"]"),
    ]);
    let root = dir.path();
    // The record that carries the tags no longer parses, as committed.
    let path = root.join(record_path("kishida-arrives", 1));
    let text = read(root, &record_path("kishida-arrives", 1));
    std::fs::write(&path, format!("{text}garbage = [\n")).unwrap();
    commit_all(root, "broken");
    let before = head(root);
    for args in [
        &["tags", "remove", "Arctic"][..],
        &["tags", "rename", "Japan", "Nippon", "--drop-alias"],
        &["tags", "merge", "Japan", "Russia"],
    ] {
        let stderr = expect(root, args, 1);
        assert!(
            stderr.contains(
                "cannot tell which articles carry the tag: 1 record cannot be read (articles/2015/09/01/kishida-arrives.toml)"
            ),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("news validate"), "{stderr}");
    }
    assert_eq!(head(root), before);
    // A record the work tree holds broken, uncommitted, is refused too.
    std::fs::write(&path, &text).unwrap();
    commit_all(root, "fixed");
    std::fs::write(root.join(record_path("trade-talks", 2)), "id = [\n").unwrap();
    let stderr = expect(root, &["tags", "remove", "Arctic"], 1);
    assert!(
        stderr.contains("articles/2015/09/02/trade-talks.toml"),
        "{stderr}"
    );
}

#[test]
fn tag_judges_by_the_committed_vocabulary_and_says_how_to_commit_it() {
    let dir = newsroom(&[("kishida-arrives", "tags = [\"Japan\"]")]);
    let root = dir.path();
    let before = head(root);
    add_uncommitted_tag(root, "Handmade");
    for args in [
        &["tag", "kishida-arrives", "+Handmade"][..],
        &["tag", "kishida-arrives", "+Russia"],
        &["tags", "add", "Arctic"],
        &["tags", "rename", "Japan", "Nippon"],
    ] {
        let stderr = expect(root, args, 1);
        assert!(
            stderr.contains("schema/tags.toml has uncommitted changes"),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("git commit schema/tags.toml") && !stderr.contains("news commit"),
            "{stderr}"
        );
    }
    assert_eq!(head(root), before);
    // Committed, it is known.
    commit_all(root, "Handmade");
    expect(root, &["tag", "kishida-arrives", "+Handmade"], 0);
    head_is_valid(root);
}

#[test]
fn vocabulary_spellings_collide_in_any_case_everywhere() {
    let dir = newsroom(&[("kishida-arrives", "tags = [\"China\", \"Japan\"]")]);
    let root = dir.path();
    let text = read(root, "schema/tags.toml");
    let line = text.lines().count() + 4;
    std::fs::write(
        root.join("schema/tags.toml"),
        format!("{text}\n[[tag]]\nname = \"Nippon\"\naliases = [\"russia\"]\n"),
    )
    .unwrap();
    commit_all(root, "a colliding alias");
    let output = run(root, &["validate"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "schema/tags.toml:{line}:12: `russia` is already a name or alias of the tag `Russia`"
        )),
        "{message}"
    );
    let stderr = expect(root, &["tag", "kishida-arrives", "+russia"], 2);
    assert!(stderr.contains("`russia` is already"), "{stderr}");
    git(root, &["reset", "-q", "--hard", "HEAD~1"]);

    // A rename to a case variant keeps no alias of itself.
    let base = head(root);
    expect(root, &["tags", "rename", "China", "china"], 0);
    let vocabulary = read(root, "schema/tags.toml");
    assert!(
        vocabulary.contains("name = \"china\"\naliases = [\"PRC\"]\n"),
        "{vocabulary}"
    );
    assert_eq!(
        tags_line(root, &record_path("kishida-arrives", 1)),
        "tags = [\"china\", \"Japan\"]"
    );
    validate_since(root, &base);
    // Dropping the first alias leaves no stray space.
    expect(root, &["tags", "rename", "china", "PRC"], 0);
    let vocabulary = read(root, "schema/tags.toml");
    assert!(
        vocabulary.contains("name = \"PRC\"\naliases = [\"china\"]\n"),
        "{vocabulary}"
    );
    validate_since(root, &base);
}

#[test]
fn slips_in_tag_changes_are_said() {
    let dir = newsroom(&[("kishida-arrives", "tags = [\"Japan\", \"Kurils\"]")]);
    let root = dir.path();
    let before = head(root);
    // A tag to remove that is nowhere: a warning with the nearest tag.
    let stderr = expect(root, &["tag", "kishida-arrives", "-Japna"], 0);
    assert!(
        stderr.contains("\"Japna\" is not a tag of kishida-arrives nor in the vocabulary")
            && stderr.contains("did you mean \"Japan\"?"),
        "{stderr}"
    );
    // -mWhy is a tag to remove: said, with how to give a message.
    let stderr = expect(root, &["tag", "kishida-arrives", "-mWhy"], 0);
    assert!(stderr.contains("\"mWhy\" is not a tag"), "{stderr}");
    assert!(stderr.contains("-m 'Why'"), "{stderr}");
    // A tag the vocabulary knows, not on the record: no warning.
    let stderr = expect(root, &["tag", "kishida-arrives", "-China"], 0);
    assert!(!stderr.contains("warning"), "{stderr}");
    // -m before a tag change: it needs a value.
    let stderr = expect(root, &["tag", "kishida-arrives", "-m", "-Japan"], 2);
    assert!(
        stderr.contains("`-m` needs a value after it, and `-Japan` is a tag change")
            && stderr.contains("write --message=-Japan"),
        "{stderr}"
    );
    let stderr = expect(root, &["tag", "kishida-arrives", "-Japan", "-m"], 2);
    assert!(stderr.contains("`-m` needs a value after it"), "{stderr}");
    assert_eq!(head(root), before);
    expect(root, &["tag", "kishida-arrives", "-m", "Why", "-Japan"], 0);
    assert!(git(root, &["log", "-1", "--format=%b"]).contains("Why"));
    // Control characters are refused in new tags and in the vocabulary,
    // as bad input (as in a note).
    let before = head(root);
    for args in [
        &["tag", "kishida-arrives", "+New\tTopic", "--new"][..],
        &["tags", "add", "Line\nBreak"],
        &["tags", "add", "Polar", "--alias", "A\u{7}"],
        &["tags", "rename", "Japan", "Nip\npon"],
        &["tags", "merge", "Japan", "Rus\tsia"],
    ] {
        let stderr = expect(root, args, 2);
        assert!(
            stderr.contains("cannot hold a control character"),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(head(root), before);
    // The hint of a refused removal quotes a tag with a space.
    let stderr = expect(root, &["tags", "remove", "Kuril Islands"], 1);
    assert!(
        stderr.contains("news tag ID… '-Kuril Islands'")
            && stderr.contains("news tags merge 'Kuril Islands' OTHER"),
        "{stderr}"
    );
}

/// The lines `git diff` shows removed and added by the last commit in
/// `path`.
fn changed_lines(root: &Path, path: &str) -> (Vec<String>, Vec<String>) {
    changed_lines_since(root, "HEAD~1", path)
}

/// The lines `git diff` shows removed and added in `path` by the commits
/// since `base`.
fn changed_lines_since(root: &Path, base: &str, path: &str) -> (Vec<String>, Vec<String>) {
    let diff = git(
        root,
        &["diff", "--unified=0", base.trim(), "HEAD", "--", path],
    );
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for line in diff.lines() {
        if line.starts_with("---") || line.starts_with("+++") {
            continue;
        }
        if let Some(old) = line.strip_prefix('-') {
            removed.push(old.to_owned());
        } else if let Some(new) = line.strip_prefix('+') {
            added.push(new.to_owned());
        }
    }
    (removed, added)
}

#[test]
fn removing_a_tag_takes_only_its_line_and_its_comment() {
    let tags = "tags = [\n  \"Russia\",   # the country\n  \"China\",    # added by the desk\n  \"Japan\",\n]";
    let dir = newsroom(&[("kishida-in-moscow", tags)]);
    let root = dir.path();
    let record = record_path("kishida-in-moscow", 1);
    let base = head(root);

    expect(root, &["tag", "kishida-in-moscow", "-China"], 0);
    assert_eq!(files_of_head(root), std::slice::from_ref(&record));
    assert_eq!(
        changed_lines(root, &record),
        (
            vec!["  \"China\",    # added by the desk".to_owned()],
            vec![]
        )
    );
    assert!(
        read(root, &record).contains("tags = [\n  \"Russia\",   # the country\n  \"Japan\",\n]")
    );

    // A merge into a tag the record carries already takes the merged
    // tag's line, with its comment, and leaves the other as it was.
    expect(root, &["tags", "merge", "Russia", "Japan"], 0);
    assert_eq!(
        changed_lines(root, &record),
        (vec!["  \"Russia\",   # the country".to_owned()], vec![])
    );

    // The vocabulary: the group's heading stays when its last tag goes.
    expect(root, &["tags", "remove", "United Nations"], 0);
    assert_eq!(files_of_head(root), ["schema/tags.toml"]);
    let (removed, added) = changed_lines(root, "schema/tags.toml");
    assert_eq!(
        removed,
        ["[[tag]]", "name = \"United Nations\"", "aliases = [\"UN\"]"]
    );
    assert!(added.is_empty(), "{added:?}");
    assert!(read(root, "schema/tags.toml").ends_with("\n\n# Organisations\n"));
    assert_eq!(git(root, &["status", "--porcelain"]), "");
    validate_since(root, &base);
    assert_fsck_clean(root);
}

#[test]
fn retagging_never_drops_a_tag_nor_leaves_two_spellings_of_one() {
    let dir = newsroom(&[
        ("by-alias", "tags = [\"Russia\", \"Kurils\", \"Diplomacy\"]"),
        ("by-name", "tags = [\"Kuril Islands\", \"Japan\"]"),
        (
            "by-both",
            "tags = [\"Japan\", \"Kuril Islands\", \"Russia\", \"south kurils\"]",
        ),
        (
            "merged",
            "tags = [\"Russia\", \"Japan\", \"Kurils\", \"Diplomacy\"]",
        ),
    ]);
    let root = dir.path();
    let base = head(root);
    let line = |id: &str, day: u32| tags_line(root, &record_path(id, day));

    // The new name is an alias of the tag: the records that carry it as
    // that alias keep it, and carry it once.
    expect(root, &["tags", "rename", "Kuril Islands", "Kurils"], 0);
    assert_eq!(
        line("by-alias", 1),
        "tags = [\"Russia\", \"Kurils\", \"Diplomacy\"]"
    );
    assert_eq!(line("by-name", 2), "tags = [\"Kurils\", \"Japan\"]");
    assert_eq!(
        line("by-both", 3),
        "tags = [\"Japan\", \"Kurils\", \"Russia\"]"
    );
    assert_eq!(
        line("merged", 4),
        "tags = [\"Russia\", \"Japan\", \"Kurils\", \"Diplomacy\"]"
    );
    let vocabulary = read(root, "schema/tags.toml");
    assert!(
        vocabulary.contains("name = \"Kurils\"\naliases = [\"South Kurils\", \"Kuril Islands\"]"),
        "{vocabulary}"
    );

    // A fold into a tag a record carries already leaves it once, where
    // the record had it.
    expect(root, &["tags", "merge", "Japan", "Kurils"], 0);
    assert_eq!(
        line("merged", 4),
        "tags = [\"Russia\", \"Kurils\", \"Diplomacy\"]"
    );
    assert_eq!(line("by-name", 2), "tags = [\"Kurils\"]");
    assert_eq!(line("by-both", 3), "tags = [\"Kurils\", \"Russia\"]");

    // Renamed back to the old name, an alias now, without keeping the
    // alias: every spelling becomes the new name, once.
    expect(
        root,
        &["tags", "rename", "Kurils", "Kuril Islands", "--drop-alias"],
        0,
    );
    assert_eq!(
        line("by-alias", 1),
        "tags = [\"Russia\", \"Kuril Islands\", \"Diplomacy\"]"
    );
    assert_eq!(line("by-name", 2), "tags = [\"Kuril Islands\"]");
    head_is_valid(root);
    validate_since(root, &base);

    // `news tag` adds a tag a record carries in another case, or by an
    // alias, not at all; without a vocabulary too.
    let before = head(root);
    expect(
        root,
        &["tag", "by-both", "+kuril islands", "+South Kurils"],
        0,
    );
    assert_eq!(head(root), before);
    drop_vocabulary(root);
    let before = head(root);
    let stderr = expect(root, &["tag", "by-both", "+RUSSIA"], 0);
    assert!(stderr.contains("as asked already"), "{stderr}");
    assert_eq!(head(root), before);
    assert_eq!(line("by-both", 3), "tags = [\"Kuril Islands\", \"Russia\"]");
}

#[test]
fn tag_commands_wait_for_a_running_one_and_judge_the_vocabulary_it_commits() {
    // Each racer starts while the holder's commit is in flight: its
    // changes to schema/tags.toml are in the work tree and the index, not
    // committed. The racer waits for the lock and judges by what the
    // holder committed, never taking it for an uncommitted edit.
    let kishida = record_path("kishida-arrives", 1);
    let trade = record_path("trade-talks", 2);
    type Check = fn(&Path, &str, &str);
    let cases: [(&[&str], &[&str], Check); 5] = [
        (
            &["tags", "rename", "Japan", "Nippon"],
            &["tag", "trade-talks", "+Trade", "+Japan"],
            |root, kishida, trade| {
                assert_eq!(tags_line(root, kishida), "tags = [\"Nippon\"]");
                // Japan is an alias of Nippon now: written as its name.
                assert_eq!(
                    tags_line(root, trade),
                    "tags = [\"Russia\", \"Trade\", \"Nippon\"]"
                );
            },
        ),
        (
            &["tags", "add", "Foo"],
            &["tags", "add", "Bar"],
            |root, _, _| {
                let vocabulary = read(root, "schema/tags.toml");
                assert!(vocabulary.contains("name = \"Foo\""), "{vocabulary}");
                assert!(vocabulary.contains("name = \"Bar\""), "{vocabulary}");
            },
        ),
        (
            &["tag", "trade-talks", "+Foo", "--new"],
            &["tag", "kishida-arrives", "+Trade"],
            |root, kishida, trade| {
                assert_eq!(tags_line(root, kishida), "tags = [\"Japan\", \"Trade\"]");
                assert_eq!(tags_line(root, trade), "tags = [\"Russia\", \"Foo\"]");
            },
        ),
        (
            &["tags", "remove", "Weather"],
            &["tags", "rename", "Japan", "Nippon"],
            |root, kishida, _| {
                let vocabulary = read(root, "schema/tags.toml");
                assert!(!vocabulary.contains("\"Weather\""), "{vocabulary}");
                assert!(vocabulary.contains("name = \"Nippon\""), "{vocabulary}");
                assert_eq!(tags_line(root, kishida), "tags = [\"Nippon\"]");
            },
        ),
        (
            &["tags", "merge", "Japan", "Russia"],
            &["tags", "remove", "Weather"],
            |root, kishida, _| {
                let vocabulary = read(root, "schema/tags.toml");
                assert!(!vocabulary.contains("\"Weather\""), "{vocabulary}");
                assert_eq!(tags_line(root, kishida), "tags = [\"Russia\"]");
            },
        ),
    ];
    for (holder, racer, check) in cases {
        let dir = newsroom(&[
            ("kishida-arrives", "tags = [\"Japan\"]"),
            ("trade-talks", "tags = [\"Russia\"]"),
        ]);
        let root = dir.path();
        let base = head(root);
        let (results, runs) = behind(root, holder, &[racer]);
        let (code, log) = &results[0];
        assert_eq!(*code, 0, "{racer:?} behind {holder:?}:\n{log}");
        assert!(!log.contains("uncommitted"), "{log}");
        // The holder's commit and the racer's, each through the hook.
        assert_eq!(runs, 2, "{racer:?} behind {holder:?}");
        assert_eq!(commits_since(root, &base), 2);
        check(root, &kishida, &trade);
        head_is_valid(root);
        validate_since(root, &base);
    }
}

#[test]
fn a_record_whose_tags_are_not_a_list_of_strings_cannot_be_read_for_them() {
    for tags in ["tags = \"Arctic\"", "tags = [\"Russia\", 7]"] {
        let dir = newsroom(&[
            ("kishida-arrives", tags),
            ("trade-talks", "tags = [\"Russia\"]"),
        ]);
        let root = dir.path();
        let before = head(root);
        for args in [
            &["tags", "rename", "Arctic", "Polar", "--drop-alias"][..],
            &["tags", "merge", "Arctic", "Russia"],
            &["tags", "remove", "Arctic"],
        ] {
            let stderr = expect(root, args, 1);
            assert!(
                stderr
                    .contains("1 record cannot be read (articles/2015/09/01/kishida-arrives.toml)"),
                "{tags}: {args:?}: {stderr}"
            );
        }
        assert_eq!(head(root), before);
        assert!(tags_line(root, &record_path("kishida-arrives", 1)).contains(tags));
        // Which tags are unused cannot be told: said, and not exit 0.
        let output = run(root, &["tags", "--unused"]);
        assert_eq!(output.status.code(), Some(1), "{tags}");
        assert!(
            stderr(&output).contains(
                "1 record could not be read and is not counted, so a tag listed as unused may be carried by it"
            ),
            "{}",
            stderr(&output)
        );
        assert!(stdout(&output).contains("  Arctic"), "{}", stdout(&output));
        let output = run(root, &["tags"]);
        assert_eq!(output.status.code(), Some(0), "{tags}");
        assert!(stderr(&output).contains("1 record could not be read"));
    }
}

#[test]
fn a_tag_only_in_the_uncommitted_vocabulary_is_refused_saying_to_commit_it() {
    let dir = newsroom(&[("kishida-arrives", "tags = [\"Japan\"]")]);
    let root = dir.path();
    let before = head(root);
    add_uncommitted_tag(root, "Handmade");
    for args in [
        &["set", "kishida-arrives", "tags+=Handmade"][..],
        &[
            "new",
            "--headline",
            "A new topic",
            "--genre",
            "news",
            "--tag",
            "Handmade",
        ],
        &[
            "correct",
            "kishida-arrives",
            "--set",
            "tags+=Handmade",
            "--note",
            "Tagged.",
        ],
    ] {
        let stderr = expect(root, args, 1);
        assert!(
            stderr.contains(
                "tag \"Handmade\" is only in the uncommitted changes of schema/tags.toml"
            ),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("git commit schema/tags.toml") && !stderr.contains("add it there"),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(head(root), before);
    // A tag that neither knows is unknown, as before.
    let stderr = expect(root, &["set", "kishida-arrives", "tags+=Nowhere"], 2);
    assert!(stderr.contains("add it there first"), "{stderr}");
    commit_all(root, "Handmade");
    expect(root, &["set", "kishida-arrives", "tags+=Handmade"], 0);
    head_is_valid(root);
}

#[test]
fn a_trailing_q_is_the_quiet_option_and_remove_takes_a_tag_named_q() {
    let dir = newsroom(&[("kishida-arrives", "tags = [\"Japan\", \"q\"]")]);
    let root = dir.path();
    drop_vocabulary(root);
    let record = record_path("kishida-arrives", 1);
    for (args, line) in [
        (
            &["tag", "kishida-arrives", "+Trade", "-q"][..],
            "tags = [\"Japan\", \"q\", \"Trade\"]",
        ),
        (
            &["tag", "kishida-arrives", "--quiet", "+Arctic"],
            "tags = [\"Japan\", \"q\", \"Trade\", \"Arctic\"]",
        ),
    ] {
        let output = run(root, args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        // Quiet: no status line ("committed …"), no warning about a tag q.
        assert_eq!(stderr(&output), "", "{args:?}");
        assert_eq!(tags_line(root, &record), line);
    }
    expect(root, &["tag", "kishida-arrives", "--remove", "q", "-q"], 0);
    assert_eq!(
        tags_line(root, &record),
        "tags = [\"Japan\", \"Trade\", \"Arctic\"]"
    );
    // After `--`, `-q` is a tag again.
    let stderr = expect(root, &["tag", "kishida-arrives", "--", "-q"], 0);
    assert!(stderr.contains("nothing to remove"), "{stderr}");
}

/// Adds `name` to the vocabulary in the work tree only.
fn add_uncommitted_tag(root: &Path, name: &str) {
    let text = read(root, "schema/tags.toml");
    std::fs::write(
        root.join("schema/tags.toml"),
        format!("{text}\n[[tag]]\nname = \"{name}\"\n"),
    )
    .unwrap();
}

#[test]
fn tags_given_to_set_are_written_by_their_names_at_the_tip_they_land_on() {
    let dir = newsroom(&[("kishida-arrives", "tags = [\"Russia\"]")]);
    let root = dir.path();
    // `set` reads "Japan" as a name; while it waits for the lock, a rename
    // makes it an alias of "Nippon".
    let (results, hooks) = behind(
        root,
        &["tags", "rename", "Japan", "Nippon"],
        &[&["set", "kishida-arrives", "tags=Japan, Trade, Russia"]],
    );
    assert_eq!(hooks, 2, "both committed");
    assert_eq!(results[0].0, 0, "{}", results[0].1);
    let text = read(root, &record_path("kishida-arrives", 1));
    assert!(
        text.contains("tags = [\"Nippon\", \"Trade\", \"Russia\"]"),
        "{text}"
    );
    head_is_valid(root);
    // Two spellings of one tag given at once are one tag.
    let output = run(
        root,
        &["set", "kishida-arrives", "tags=Kurils, South Kurils"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = read(root, &record_path("kishida-arrives", 1));
    assert!(text.contains("tags = [\"Kuril Islands\"]"), "{text}");
}
