//! `news init`, plain and with the demo newsroom.

mod support;

use support::{
    assert_fsck_clean, assert_fsck_spotless, git, news, news_as_reporter, stderr, stdout,
};

#[test]
fn init_creates_a_repository_with_the_newsroom_files_in_one_commit() {
    let dir = tempfile::tempdir().unwrap();
    news_as_reporter(dir.path())
        .args(["init", "desk"])
        .assert()
        .success();
    let root = dir.path().join("desk");
    let files = git(&root, &["ls-files"]);
    assert_eq!(
        files,
        ".taplo.toml\nnews.toml\nschema/article.schema.json\nschema/tags.toml\n"
    );
    assert_eq!(
        git(
            &root,
            &[
                "log",
                "--format=%an|%s|%(trailers:key=News-Action,valueonly)"
            ]
        ),
        "Alexandrova Lyudmila|init: desk|init\n\n"
    );
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
    assert_eq!(git(&root, &["symbolic-ref", "HEAD"]), "refs/heads/main\n");
    assert_eq!(
        std::fs::read_to_string(root.join("schema/article.schema.json")).unwrap(),
        news::schema::DEFAULT_ARTICLE_SCHEMA
    );
    assert_fsck_spotless(&root);
    // The new newsroom validates (it has no articles yet).
    let output = news(&root).arg("validate").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn init_adopts_the_repository_it_is_in_and_commits_only_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path();
    git(top, &["init", "-q", "-b", "trunk"]);
    std::fs::write(top.join("README"), "site\n").unwrap();
    git(top, &["add", "README"]);
    git(top, &["commit", "-q", "-m", "site"]);
    std::fs::write(top.join("README"), "site, edited\n").unwrap();
    std::fs::write(top.join("draft.txt"), "staged\n").unwrap();
    git(top, &["add", "draft.txt"]);
    std::fs::create_dir(top.join("newsroom")).unwrap();
    news_as_reporter(top)
        .args(["init", "newsroom"])
        .assert()
        .success();
    assert_eq!(
        git(top, &["show", "--name-only", "--format=%s", "HEAD"]),
        "init: newsroom\n\nnewsroom/.taplo.toml\nnewsroom/news.toml\nnewsroom/schema/article.schema.json\nnewsroom/schema/tags.toml\n"
    );
    assert_eq!(
        git(top, &["status", "--porcelain"]),
        " M README\nA  draft.txt\n"
    );
    assert_fsck_clean(top);
}

#[test]
fn init_on_an_unborn_branch_makes_the_first_commit() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    news_as_reporter(dir.path()).arg("init").assert().success();
    assert_eq!(git(dir.path(), &["rev-list", "--count", "HEAD"]), "1\n");
    assert_fsck_clean(dir.path());
}

#[test]
fn init_refuses_an_existing_newsroom() {
    let dir = support::initialized_newsroom();
    let output = news_as_reporter(dir.path()).arg("init").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("is a newsroom already"),
        "{}",
        stderr(&output)
    );
    assert_eq!(git(dir.path(), &["rev-list", "--count", "HEAD"]), "1\n");
}

#[test]
fn init_without_an_identity_says_how_to_set_one() {
    let dir = tempfile::tempdir().unwrap();
    let output = news(dir.path()).arg("init").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("no identity to commit as"), "{text}");
    assert!(text.contains("git config --global user.name"), "{text}");
}

#[test]
fn the_demo_has_a_history_by_several_people_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    // No identity needed: the demo's people make its commits.
    news(dir.path())
        .args(["init", "--demo", "demo"])
        .assert()
        .success();
    let root = dir.path().join("demo");
    let log = git(
        &root,
        &[
            "log",
            "--reverse",
            "--format=%an|%(trailers:key=News-Action,valueonly,separator=)",
        ],
    );
    let entries: Vec<&str> = log.lines().filter(|line| !line.is_empty()).collect();
    assert_eq!(entries[0], "Mikhail Petrov|init");
    assert!(entries.contains(&"Alexandrova Lyudmila|new"), "{entries:?}");
    assert!(entries.contains(&"Mikhail Petrov|publish"), "{entries:?}");
    assert!(entries.contains(&"Mikhail Petrov|correct"), "{entries:?}");
    assert!(entries.len() >= 12, "{entries:?}");
    let versions = git(
        &root,
        &[
            "log",
            "--format=%(trailers:key=News-Version,valueonly,separator=)",
        ],
    );
    assert!(versions.lines().any(|line| line == "2"), "{versions}");
    assert_fsck_clean(&root);
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
    let output = news(&root).arg("validate").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(
        stderr(&output),
        "checked 5 articles: 0 errors, 0 warnings\n"
    );
    // The published founding article is the example's, byte for byte.
    let founding =
        "articles/2015/09/23/analysts-russian-japanese-relations-show-signs-of-thawing.toml";
    assert_eq!(
        std::fs::read_to_string(root.join(founding)).unwrap(),
        std::fs::read_to_string(support::project_dir().join("examples").join(founding)).unwrap()
    );
}

#[test]
fn the_demo_gets_a_repository_of_its_own_even_inside_another() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path();
    git(top, &["init", "-q", "-b", "main"]);
    std::fs::write(top.join("README"), "site\n").unwrap();
    git(top, &["add", "README"]);
    git(top, &["commit", "-q", "-m", "site"]);
    news(top)
        .args(["init", "--demo", "demo"])
        .assert()
        .success();
    assert_eq!(
        git(top, &["rev-list", "--count", "HEAD"]),
        "1\n",
        "the outer repository is untouched"
    );
    assert_eq!(
        git(&top.join("demo"), &["rev-parse", "--show-toplevel"]).trim(),
        std::fs::canonicalize(top.join("demo"))
            .unwrap()
            .to_str()
            .unwrap()
    );
    assert_eq!(
        git(&top.join("demo"), &["rev-list", "--count", "HEAD"]),
        "17\n"
    );

    std::fs::create_dir(top.join("occupied")).unwrap();
    std::fs::write(top.join("occupied/mine.txt"), "x").unwrap();
    let output = news(top)
        .args(["init", "--demo", "occupied"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("not empty"), "{}", stderr(&output));
}
