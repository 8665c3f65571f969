//! The publication facts the workflow manages are refused by `set` and
//! `edit`, with the command that changes each named; removal inside lists
//! works or is refused; `now` is the newsroom's; no date reaches a panic.

mod support;

use std::path::Path;

use support::demo::{DRAFT, DRAFT_PATH, FOUNDING, FOUNDING_PATH};
use support::{git, head, news_as_reporter, stderr};

fn set(root: &Path, id: &str, assignment: &str) -> std::process::Output {
    news_as_reporter(root)
        .args(["set", id, assignment])
        .output()
        .unwrap()
}

#[test]
fn set_refuses_every_managed_field_naming_who_changes_it() {
    let (_dir, root) = support::demo_newsroom();
    let before = head(&root);
    for (assignment, named) in [
        ("id=another-id", "never changes"),
        ("status=published", "news publish"),
        ("version=2", "news correct"),
        ("published=now", "news publish"),
        ("updated=now", "news correct"),
        ("corrections=", "news correct"),
        ("corrections[0].note=Changed", "news correct"),
    ] {
        let output = set(&root, FOUNDING, assignment);
        assert_ne!(output.status.code(), Some(0), "{assignment}");
        assert!(
            stderr(&output).contains(named),
            "{assignment}: {}",
            stderr(&output)
        );
    }
    // `created` is the article's own until it is published.
    let output = set(&root, FOUNDING, "created=2015-09-23T17:00:00+03:00");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("once the article is or was published"),
        "{}",
        stderr(&output)
    );
    assert_eq!(head(&root), before);
    let output = set(&root, DRAFT, "created=2015-09-24T08:00:00+03:00");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}

#[test]
fn edit_refuses_a_changed_publication_fact() {
    let (dir, root) = support::demo_newsroom();
    let before = head(&root);
    for (script, named) in [
        (
            r#"sed -i 's/^published = .*/published = 2015-09-23T19:00:00+03:00/' "$1""#,
            "news publish",
        ),
        (
            r#"sed -i 's/^version = .*/version = 7/' "$1""#,
            "news correct",
        ),
        (
            r#"sed -i 's/^status = .*/status = "draft"/' "$1""#,
            "workflow commands",
        ),
    ] {
        let editor = support::editor_script(dir.path(), script);
        let output = news_as_reporter(&root)
            .env("EDITOR", &editor)
            .args(["edit", FOUNDING])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{script}");
        assert!(stderr(&output).contains(named), "{}", stderr(&output));
        assert!(stderr(&output).contains("kept in"), "{}", stderr(&output));
    }
    assert_eq!(head(&root), before);
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}

#[test]
fn removal_inside_lists_works_or_is_refused() {
    let (_dir, root) = support::demo_newsroom();
    let output = set(&root, FOUNDING, "media[0].caption=");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = git(&root, &["show", &format!("HEAD:{FOUNDING_PATH}")]);
    assert!(!text.contains("caption ="), "{text}");
    assert!(text.contains("credit = \"© ITAR-TASS/Yuriy Smituk\""));

    let output = set(&root, FOUNDING, "sources[2]=");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = git(&root, &["show", &format!("HEAD:{FOUNDING_PATH}")]);
    assert!(!text.contains("Viktor Kuzminkov\""), "{text}");

    let before = head(&root);
    let output = set(&root, FOUNDING, "media[4].caption=");
    assert_ne!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("there is no entry [4]"),
        "{}",
        stderr(&output)
    );
    assert_eq!(head(&root), before);
}

#[test]
fn now_is_read_in_the_newsrooms_time_zone() {
    // The demo newsroom is in Europe/Moscow; the machine says UTC.
    let (_dir, root) = support::demo_newsroom();
    let output = set(&root, DRAFT, "embargo=now");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = git(&root, &["show", &format!("HEAD:{DRAFT_PATH}")]);
    let embargo = text
        .lines()
        .find(|line| line.starts_with("embargo = "))
        .unwrap();
    assert!(embargo.ends_with("+03:00"), "{embargo}");
}

#[test]
fn a_date_beyond_the_year_9999_in_the_newsroom_is_refused_not_a_panic() {
    let dir = support::initialized_newsroom();
    let output = news_as_reporter(dir.path())
        .args(["new", "--headline", "Far future", "--genre", "news"])
        .args([
            "--place",
            "MOSCOW",
            "--created",
            "9999-12-31T23:00:00-05:00",
        ])
        .output()
        .unwrap();
    // A usage error, naming the option (a time no record holds).
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--created \"9999-12-31T23:00:00-05:00\" falls outside the years a record can hold (0000 to 9999)"),
        "{}",
        stderr(&output)
    );
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "");
}

#[test]
fn a_genre_the_newsroom_adds_to_its_schema_is_a_genre_everywhere() {
    let dir = support::initialized_newsroom();
    let root = dir.path();
    let schema = root.join("schema/article.schema.json");
    let text = std::fs::read_to_string(&schema).unwrap();
    let extended = text.replacen("\"explainer\"", "\"explainer\", \"live-blog\"", 1);
    assert_ne!(text, extended, "the default schema lists explainer");
    std::fs::write(&schema, extended).unwrap();
    git(root, &["commit", "-q", "-am", "a genre of our own"]);
    let output = news_as_reporter(root)
        .args([
            "new",
            "--headline",
            "Live from Moscow",
            "--genre",
            "live-blog",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let listed = news_as_reporter(root)
        .args(["list", "--genre", "live-blog", "--format", "json"])
        .output()
        .unwrap();
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(
        support::stdout(&listed).contains("live-from-moscow"),
        "{}",
        support::stdout(&listed)
    );
    let output = news_as_reporter(root)
        .args(["new", "--headline", "Nope", "--genre", "live-blg"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("did you mean `live-blog`?"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("news, analysis"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn odd_input_in_every_flag_is_refused_or_taken_never_a_panic() {
    let (_dir, root) = support::demo_newsroom();
    let deep = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    let odd = [
        "\u{202e}evil",
        "\u{200b}",
        "😀",
        "a\u{0}b",
        "\u{feff}x",
        "ǅ̶̶̶",
    ];
    let mut runs: Vec<Vec<String>> = vec![
        vec![
            "set".into(),
            DRAFT.into(),
            "urgency=99999999999999999999".into(),
        ],
        vec![
            "set".into(),
            DRAFT.into(),
            "embargo=99999-01-01T00:00:00Z".into(),
        ],
        vec![
            "set".into(),
            DRAFT.into(),
            "embargo=9999-12-31T23:59:59-23:59".into(),
        ],
        vec!["set".into(), DRAFT.into(), format!("tags={deep}")],
        vec![
            "set".into(),
            DRAFT.into(),
            "media[99999999999999999999].credit=x".into(),
        ],
        vec![
            "new".into(),
            "--headline".into(),
            "x".into(),
            "--genre".into(),
            "news".into(),
            "--created".into(),
            "0000-01-01T00:00:00+14:00".into(),
        ],
        vec!["list".into(), "--since".into(), "99999-01-01".into()],
    ];
    for text in odd {
        let text = text.replace('\u{0}', "");
        runs.push(vec![
            "new".into(),
            "--headline".into(),
            text.clone(),
            "--genre".into(),
            "news".into(),
            "--tag".into(),
            text.clone(),
            "--place".into(),
            text.clone(),
            "--byline".into(),
            text.clone(),
        ]);
        runs.push(vec![
            "set".into(),
            DRAFT.into(),
            format!("summary={text}"),
            format!("section={text}"),
        ]);
        runs.push(vec!["show".into(), text.clone()]);
        runs.push(vec![
            "list".into(),
            "--tag".into(),
            text.clone(),
            "--byline".into(),
            text.clone(),
        ]);
    }
    for args in runs {
        let output = news_as_reporter(&root).args(&args).output().unwrap();
        let code = output.status.code();
        assert!(
            matches!(code, Some(0..=2)),
            "{args:?} ended with {code:?}: {}",
            stderr(&output)
        );
        assert!(
            !stderr(&output).contains("panicked"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}

#[test]
fn set_refuses_dates_a_record_cannot_hold_and_entries_that_are_not_there() {
    let (_dir, root) = support::demo_newsroom();
    let before = head(&root);
    for assignment in [
        "created=9999-12-31T23:00:00-05:00",
        "embargo=0000-01-01T00:00:00+03:00",
    ] {
        let output = set(&root, DRAFT, assignment);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{assignment}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("0000 and 9999"),
            "{}",
            stderr(&output)
        );
    }
    for assignment in ["media[0].caption=", "media[0]="] {
        let output = set(&root, DRAFT, assignment);
        assert_ne!(output.status.code(), Some(0), "{assignment}");
        assert!(
            stderr(&output).contains("the article has no media yet"),
            "{}",
            stderr(&output)
        );
    }
    assert_eq!(head(&root), before);
}

#[test]
fn edit_names_the_workflow_before_any_other_problem() {
    let (dir, root) = support::demo_newsroom();
    let editor = support::editor_script(
        dir.path(),
        r#"sed -i 's/^status = .*/status = "published"/' "$1""#,
    );
    let output = news_as_reporter(&root)
        .env("EDITOR", &editor)
        .args(["edit", DRAFT])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("workflow commands"),
        "{}",
        stderr(&output)
    );
}
