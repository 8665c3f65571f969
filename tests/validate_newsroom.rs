//! `news validate` inside a newsroom: finding the root, its own schema and
//! vocabulary, its time zone, and ids across the whole newsroom.

mod support;

use support::{TempNewsroom, article, news, stderr, validate_json};

#[test]
fn validates_the_whole_newsroom_from_any_subfolder_or_with_c() {
    let newsroom = TempNewsroom::new();
    newsroom.article("first", 21);
    newsroom.write(
        "articles/2015/09/22/second.toml",
        article("second", 22).replace("genre = \"news\"", "genre = \"nws\""),
    );
    let deep = newsroom.root().join("articles/2015/09/21");
    let (code, findings) = validate_json(&deep, &[]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    // Machine formats name paths from the top (here, with no repository,
    // the newsroom's root), wherever news runs.
    assert_eq!(findings[0]["path"], "articles/2015/09/22/second.toml");
    // People read them from where they are.
    let output = news(&deep).arg("validate").output().unwrap();
    assert!(
        support::stdout(&output).contains("--> ../22/second.toml:"),
        "{}",
        support::stdout(&output)
    );

    let elsewhere = tempfile::tempdir().unwrap();
    let output = news(elsewhere.path())
        .args([
            "-C",
            newsroom.root().to_str().unwrap(),
            "validate",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(findings[0]["path"], "articles/2015/09/22/second.toml");
    assert_eq!(stderr(&output), "checked 2 articles: 1 error, 0 warnings\n");
}

#[test]
fn config_files_outside_articles_are_not_taken_for_articles() {
    let newsroom = TempNewsroom::new();
    newsroom.article("first", 21);
    newsroom.write(
        "schema/tags.toml",
        "[[tag]]\nname = \"Japan\"\n[[tag]]\nname = \"Russia\"\n",
    );
    newsroom.write(".taplo.toml", "include = [\"articles/**/*.toml\"]\n");
    let (code, findings) = validate_json(newsroom.root(), &["."]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
}

#[test]
fn an_id_is_unique_across_the_newsroom_even_when_one_file_is_checked() {
    let newsroom = TempNewsroom::new();
    newsroom.article("kishida", 21);
    let later = newsroom.write("articles/2015/09/22/kishida.toml", article("kishida", 22));
    let (code, findings) = validate_json(newsroom.root(), &[later.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["rule"], "duplicate-id");
    assert_eq!(findings[0]["line"], 1);
    let message = findings[0]["message"].as_str().unwrap();
    assert!(
        message.contains("articles/2015/09/21/kishida.toml"),
        "{message}"
    );
}

#[test]
fn the_folder_date_is_judged_in_the_newsroom_time_zone() {
    let newsroom = TempNewsroom::new();
    // 22:30 UTC on the 21st is already the 22nd in Moscow.
    let text = article("late", 21)
        .replace("2015-09-21T09:40:00+03:00", "2015-09-21T22:30:00Z")
        .replace("2015-09-21T09:55:00+03:00", "2015-09-21T22:45:00Z");
    newsroom.write("articles/2015/09/22/late.toml", &text);
    let (code, findings) = validate_json(newsroom.root(), &[]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");

    std::fs::remove_file(newsroom.root().join("articles/2015/09/22/late.toml")).unwrap();
    newsroom.write("articles/2015/09/21/late.toml", &text);
    let (code, findings) = validate_json(newsroom.root(), &[]);
    assert_eq!(code, 0, "a warning does not fail the run");
    assert_eq!(findings[0]["rule"], "folder-date");
    assert_eq!(findings[0]["severity"], "warning");
    let message = findings[0]["message"].as_str().unwrap();
    assert!(message.contains("2015-09-22 in Europe/Moscow"), "{message}");
}

#[test]
fn a_newsroom_schema_and_vocabulary_replace_the_defaults() {
    let newsroom = TempNewsroom::new();
    // The newsroom adds a `kicker` field and allows only two tags.
    let mut schema: serde_json::Value =
        serde_json::from_str(news::schema::DEFAULT_ARTICLE_SCHEMA).unwrap();
    schema["properties"]["kicker"] = serde_json::json!({ "type": "string", "maxLength": 20 });
    newsroom.write(
        "schema/article.schema.json",
        serde_json::to_string_pretty(&schema).unwrap(),
    );
    newsroom.write(
        "schema/tags.toml",
        "[[tag]]\nname = \"Japan\"\n[[tag]]\nname = \"Russia\"\naliases = [\"RU\"]\n",
    );
    let with_kicker = article("kicker", 21).replace(
        "tags = [\"Japan\", \"Russia\"]",
        "tags = [\"Japan\", \"RU\"]\nkicker = \"Exclusive\"",
    );
    let path = newsroom.write("articles/2015/09/21/kicker.toml", &with_kicker);
    let (code, findings) = validate_json(newsroom.root(), &[]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");

    // The typed model keeps the newsroom's own field.
    let text = std::fs::read_to_string(path).unwrap();
    let record = news::article::Record::parse(&text).unwrap();
    let article = record.to_article().unwrap();
    assert_eq!(article.extra["kicker"].as_str(), Some("Exclusive"));

    newsroom.write(
        "articles/2015/09/21/kicker.toml",
        with_kicker.replace("\"RU\"", "\"Diplomacy\""),
    );
    let (code, findings) = validate_json(newsroom.root(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings[0]["rule"], "unknown-tag");
}

#[test]
fn a_newsroom_without_a_vocabulary_accepts_any_tag() {
    let newsroom = TempNewsroom::new();
    newsroom.write(
        "articles/2015/09/21/any.toml",
        article("any", 21).replace("\"Japan\"", "\"Anything At All\""),
    );
    let (code, findings) = validate_json(newsroom.root(), &[]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
}

#[test]
fn broken_settings_stop_with_exit_2_naming_file_and_line() {
    let newsroom = TempNewsroom::new();
    newsroom.article("first", 21);
    newsroom.write(
        "news.toml",
        "[newsroom]\nname = \"X\"\ntimezone = \"Mars/Olympus\"\n",
    );
    let output = news(newsroom.root()).arg("validate").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("news.toml:3:12: `newsroom.timezone`"),
        "{text}"
    );

    newsroom.write("news.toml", support::NEWS_TOML);
    newsroom.write(
        "schema/article.schema.json",
        "{\n  \"type\": \"object\",\n  oops\n}\n",
    );
    let output = news(newsroom.root()).arg("validate").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("schema/article.schema.json:3:3"), "{text}");
    assert!(text.contains("hint:"), "{text}");

    newsroom.write("schema/article.schema.json", "{\"type\": \"nonsense\"}");
    let output = news(newsroom.root()).arg("validate").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not a usable JSON Schema"),
        "{}",
        stderr(&output)
    );
}
