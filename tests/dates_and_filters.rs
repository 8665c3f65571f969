//! One way for dates (every date option reads the same forms, in the
//! newsroom's time zone) and filters that check themselves (part of issue
//! 8, items 2 and 3).

mod support;

use std::path::Path;

use support::{git, news_as_reporter, stderr, stdout};

fn listed(root: &Path, args: &[&str]) -> (Option<i32>, Vec<String>, String) {
    let output = news_as_reporter(root)
        .args(["list", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let ids = serde_json::from_slice::<serde_json::Value>(&output.stdout)
        .ok()
        .and_then(|value| value.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|article| article["id"].as_str().unwrap().to_owned())
        .collect();
    (output.status.code(), ids, stderr(&output))
}

#[test]
fn every_date_option_reads_the_forms_people_type() {
    let (_dir, root) = support::demo_newsroom();
    // The demo newsroom is in Europe/Moscow.
    for (created, expected) in [
        ("2015-09-25", "created = 2015-09-25T00:00:00+03:00"),
        ("2015-09-25 18:02", "created = 2015-09-25T18:02:00+03:00"),
        (
            "2015-09-25T18:02:00+00:00",
            "created = 2015-09-25T18:02:00Z",
        ),
    ] {
        let headline = format!("Created {created}");
        let output = news_as_reporter(&root)
            .args([
                "new",
                "--headline",
                &headline,
                "--genre",
                "news",
                "--created",
                created,
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{created}: {}", stderr(&output));
        let path = stdout(&output);
        let text = std::fs::read_to_string(root.join(path.trim())).unwrap();
        assert!(text.contains(expected), "{created}: {text}");
    }
    let output = news_as_reporter(&root)
        .args([
            "new",
            "--headline",
            "Bad",
            "--genre",
            "news",
            "--created",
            "premature",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("N days ago"),
        "{}",
        stderr(&output)
    );

    let output = news_as_reporter(&root)
        .args([
            "set",
            "kuzminkov-on-the-economic-track",
            "embargo=2015-09-26 10:00",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = git(
        &root,
        &[
            "show",
            "HEAD:articles/2015/09/24/kuzminkov-on-the-economic-track.toml",
        ],
    );
    assert!(
        text.contains("embargo = 2015-09-26T10:00:00+03:00"),
        "{text}"
    );

    // --until a date includes that whole day; both ends in Moscow time.
    let (code, ids, _) = listed(&root, &["--since", "2015-09-22", "--until", "2015-09-22"]);
    assert_eq!(code, Some(0));
    assert_eq!(ids.len(), 2, "{ids:?}");
    let (_, ids, _) = listed(
        &root,
        &[
            "--since",
            "2015-09-23 18:00",
            "--until",
            "2015-09-23T18:05:00+03:00",
        ],
    );
    assert_eq!(
        ids,
        ["analysts-russian-japanese-relations-show-signs-of-thawing"]
    );
    let (_, ids, _) = listed(&root, &["--since", "yesterday"]);
    assert!(ids.is_empty(), "{ids:?}");
    let (code, _, message) = listed(&root, &["--since", "2015-09-24", "--until", "2015-09-22"]);
    assert_eq!(code, Some(2));
    assert!(message.contains("is not before --until"), "{message}");
    let (code, _, message) = listed(&root, &["--since", "the other day"]);
    assert_eq!(code, Some(2));
    assert!(message.contains("N days ago"), "{message}");
}

#[test]
fn filters_check_their_values_against_the_newsroom() {
    let (_dir, root) = support::demo_newsroom();
    let (code, ids, _) = listed(&root, &["--status", "Published"]);
    assert_eq!((code, ids.len()), (Some(0), 3), "{ids:?}");
    for (args, expected) in [
        (["--status", "live"], "is not a status of this newsroom"),
        (["--genre", "op-ed"], "is not a genre of this newsroom"),
        (["--tag", "Japn"], "did you mean `Japan`?"),
    ] {
        let (code, _, message) = listed(&root, &args);
        assert_eq!(code, Some(2), "{args:?}: {message}");
        assert!(message.contains(expected), "{args:?}: {message}");
    }
    let (_, lower, _) = listed(&root, &["--tag", "japan"]);
    let (_, exact, _) = listed(&root, &["--tag", "Japan"]);
    assert!(!exact.is_empty());
    assert_eq!(lower, exact);
    let (_, ids, _) = listed(&root, &["-n", "2"]);
    assert_eq!(ids.len(), 2);
    let (_, ids, _) = listed(&root, &["--grep", "FESYUN"]);
    assert_eq!(
        ids,
        ["analysts-russian-japanese-relations-show-signs-of-thawing"]
    );
}
