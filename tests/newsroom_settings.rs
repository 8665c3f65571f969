//! The newsroom's settings across versions of news (unknown keys warn,
//! `min-version` refuses), `news init` inside a repository, the comments
//! news writes, and the README naming only files of the repository.

mod support;

use std::path::Path;

use support::{
    assert_fsck_clean, demo_newsroom, git, news, news_as_reporter, project_dir, stderr,
    validate_json,
};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The 1-based number of the line of `text` that holds `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} is in the text"))
        + 1
}

/// Puts `lines` into news.toml's `[newsroom]` table, before
/// `[defaults.disclaimer]`; returns the new text.
fn add_to_newsroom_table(root: &Path, lines: &str) -> String {
    let path = root.join("news.toml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "\n[defaults.disclaimer]",
        &format!("{lines}\n\n[defaults.disclaimer]"),
    );
    std::fs::write(&path, &text).unwrap();
    text
}

#[test]
fn an_unknown_key_in_news_toml_is_a_warning_once_per_command_and_the_command_works() {
    let (_dir, root) = demo_newsroom();
    let text = add_to_newsroom_table(&root, "archive-after = \"30 days\"");
    let line = line_of(&text, "archive-after");
    let expected = format!(
        "warning: news.toml:{line}:1: unknown key `archive-after` in [newsroom], ignored\n"
    );

    // A listing of five articles warns once, not once per article.
    let output = news(&root).arg("list").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), expected);
    assert_eq!(
        support::stdout(&output).lines().count(),
        6,
        "a header and 5 articles"
    );

    let output = news(&root)
        .args(["show", "kuzminkov-on-the-economic-track"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output).matches("unknown key").count(), 1);

    // A command that commits works too, and warns once.
    let output = news_as_reporter(&root)
        .args(["new", "--headline", "Lavrov and Kishida meet again"])
        .args(["--genre", "news", "--place", "MOSCOW"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stderr(&output).matches(&expected).count(),
        1,
        "{}",
        stderr(&output)
    );
    assert_eq!(
        git(&root, &["log", "-1", "--format=%s"]),
        "new: Lavrov and Kishida meet again\n"
    );

    // -q keeps status lines quiet, never warnings.
    let output = news(&root).args(["-q", "list"]).output().unwrap();
    assert_eq!(stderr(&output), expected);
}

#[test]
fn a_misspelt_key_gets_a_did_you_mean_and_validate_reports_it_where_it_stands() {
    let (_dir, root) = demo_newsroom();
    let text = add_to_newsroom_table(&root, "langauge = \"ru\"");
    let line = line_of(&text, "langauge");

    let output = news(&root).arg("list").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        format!(
            "warning: news.toml:{line}:1: unknown key `langauge` in [newsroom], ignored; did you mean `language`?\n"
        )
    );

    // Ignored means ignored: new articles keep the language that is set.
    let output = news_as_reporter(&root)
        .args(["new", "--headline", "A note", "--genre", "news"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let path = support::stdout(&output);
    let record = std::fs::read_to_string(root.join(path.trim())).unwrap();
    assert!(record.contains("language = \"en\""), "{record}");

    // validate: a warning finding at the key, exit 0, and no second
    // warning on stderr.
    let (code, findings) = validate_json(&root, &[]);
    assert_eq!(code, 0, "{findings:#?}");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = &findings[0];
    assert_eq!(finding["rule"], "unknown-setting");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["path"], "news.toml");
    assert_eq!(finding["line"], line);
    assert_eq!(finding["column"], 1);
    assert_eq!(finding["field"], "newsroom.langauge");
    let output = news(&root).arg("validate").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stderr(&output), "checked 6 articles: 0 errors, 1 warning\n");
    let shown = support::stdout(&output);
    assert!(
        shown.starts_with(
            "warning[unknown-setting]: unknown key `langauge` in [newsroom], ignored; did you mean `language`?\n"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("langauge = \"ru\"\n"),
        "the source line: {shown}"
    );
}

#[test]
fn an_unknown_key_in_tags_toml_is_a_warning() {
    let (_dir, root) = demo_newsroom();
    let path = root.join("schema/tags.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("name = \"Japan\"\n", "name = \"Japan\"\nlabel = \"日本\"\n");
    std::fs::write(&path, &text).unwrap();
    let line = line_of(&text, "label = ");

    let output = news(&root)
        .args(["list", "--tag", "Japan"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        format!("warning: schema/tags.toml:{line}:1: unknown key `label` in [[tag]], ignored\n")
    );
    assert!(
        support::stdout(&output)
            .contains("analysts-russian-japanese-relations-show-signs-of-thawing"),
        "the vocabulary still works"
    );

    let output = news(&root)
        .args(["validate", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        support::stdout(&output).starts_with(&format!(
            "::warning file=schema/tags.toml,line={line},col=1,"
        )),
        "{}",
        support::stdout(&output)
    );
}

#[test]
fn min_version_newer_than_news_refuses_every_command_naming_both_versions() {
    let (_dir, root) = demo_newsroom();
    let path = root.join("news.toml");
    let original = std::fs::read_to_string(&path).unwrap();
    // A newer news may have changed what a known key means: refused before
    // anything else of the file is read.
    let newer = format!("min-version = \"999.1\"\n{original}")
        .replace("language = \"en\"", "language = [\"en\", \"ru\"]");
    std::fs::write(&path, newer).unwrap();
    let commits = git(&root, &["rev-list", "--count", "HEAD"]);
    let article = "kuzminkov-on-the-economic-track";
    let commands: [&[&str]; 6] = [
        &["list"],
        &["show", article],
        &["validate"],
        &["new", "--headline", "Refused", "--genre", "news"],
        &["set", article, "urgency=3"],
        &["edit", article],
    ];
    for args in commands {
        let output = news_as_reporter(&root)
            .args(args)
            .env("EDITOR", "true")
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        let text = stderr(&output);
        assert!(
            text.contains(&format!(
                "news.toml:1:15: this newsroom needs news 999.1 or later; this is news {VERSION}"
            )),
            "{args:?}: {text}"
        );
        assert!(text.contains("hint: install a newer news"), "{text}");
    }
    assert_eq!(git(&root, &["rev-list", "--count", "HEAD"]), commits);

    // Versions compare as numbers: 0.10 is newer than 0.9.
    let (major, minor) = (
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR").parse::<u64>().unwrap(),
    );
    std::fs::write(
        &path,
        format!("min-version = \"{major}.{}\"\n{original}", minor + 10),
    )
    .unwrap();
    let output = news(&root).arg("list").output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn min_version_this_or_older_is_fine_and_a_bad_one_is_named() {
    let (_dir, root) = demo_newsroom();
    let path = root.join("news.toml");
    let original = std::fs::read_to_string(&path).unwrap();
    for version in ["0.0.1", "0", VERSION] {
        std::fs::write(&path, format!("min-version = \"{version}\"\n{original}")).unwrap();
        let output = news(&root).arg("list").output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{version}: {}",
            stderr(&output)
        );
        assert_eq!(stderr(&output), "", "{version}");
    }

    std::fs::write(&path, format!("min-version = \"v2\"\n{original}")).unwrap();
    let output = news(&root).arg("list").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("news.toml:1:15: `min-version`: expected a version of news"),
        "{}",
        stderr(&output)
    );

    // Inside [newsroom] it would be ignored, so the warning says where it goes.
    std::fs::write(&path, &original).unwrap();
    add_to_newsroom_table(&root, "min-version = \"999\"");
    let output = news(&root).arg("list").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "unknown key `min-version` in [newsroom], ignored; `min-version` belongs at the top of the file, before any [table]"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn init_in_a_new_folder_inside_a_repository_joins_it() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path();
    git(top, &["init", "-q", "-b", "main"]);
    std::fs::write(top.join("README"), "site\n").unwrap();
    git(top, &["add", "README"]);
    git(top, &["commit", "-q", "-m", "site"]);
    let canonical_top = std::fs::canonicalize(top).unwrap();

    let output = news_as_reporter(top)
        .args(["init", "desks/politics"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        format!(
            "created a newsroom in desks/politics (the git repository at {}): 0 articles, 1 commit\n",
            canonical_top.display()
        )
    );
    let root = top.join("desks/politics");
    assert!(!root.join(".git").exists(), "no nested repository");
    assert_eq!(
        git(&root, &["rev-parse", "--show-toplevel"]).trim(),
        canonical_top.to_str().unwrap()
    );
    assert_eq!(
        git(top, &["log", "--format=%s", "--name-only", "-1"]),
        "init: politics\n\ndesks/politics/.taplo.toml\ndesks/politics/news.toml\ndesks/politics/schema/article.schema.json\ndesks/politics/schema/tags.toml\n"
    );
    assert_eq!(git(top, &["rev-list", "--count", "HEAD"]), "2\n");

    // The newsroom works in its folder; its commits are the repository's.
    let output = news_as_reporter(&root)
        .args(["new", "--headline", "Kishida arrives", "--genre", "news"])
        .args(["--created", "2015-09-21T09:40:00+00:00"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        git(top, &["log", "--format=%s", "--name-only", "-1"]),
        "new: Kishida arrives\n\ndesks/politics/articles/2015/09/21/kishida-arrives.toml\n"
    );
    assert_eq!(git(top, &["status", "--porcelain"]), "");
    assert_fsck_clean(top);

    // A repository of its own inside another: git init first, as the help says.
    std::fs::create_dir(top.join("own")).unwrap();
    git(&top.join("own"), &["init", "-q", "-b", "main"]);
    let output = news_as_reporter(top)
        .args(["init", "own"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        git(&top.join("own"), &["rev-list", "--count", "HEAD"]),
        "1\n"
    );
    assert_eq!(git(top, &["rev-list", "--count", "HEAD"]), "3\n");

    // Never inside git's own folder.
    let output = news_as_reporter(top)
        .args(["init", ".git/newsroom"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("inside a git folder"),
        "{}",
        stderr(&output)
    );
    assert!(!top.join(".git/newsroom").exists());
}

#[test]
fn init_help_and_readme_say_what_init_does_inside_a_repository() {
    let help = news(&project_dir())
        .args(["init", "--help"])
        .output()
        .unwrap();
    let help = support::stdout(&help).replace('\n', " ");
    assert!(
        help.contains("A DIR inside a git repository's work tree, whether it exists or not, joins that repository"),
        "{help}"
    );
    let readme = std::fs::read_to_string(project_dir().join("README.md")).unwrap();
    assert!(
        readme.contains(
            "A DIR inside a git repository's work tree (existing or not) joins that repository"
        ),
        "the README says the same"
    );
}

#[test]
fn init_counts_in_good_english() {
    let dir = tempfile::tempdir().unwrap();
    let output = news_as_reporter(dir.path())
        .args(["init", "desk"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "created a newsroom in desk (a new git repository): 0 articles, 1 commit\n"
    );
    let output = news(dir.path())
        .args(["init", "--demo", "demo"])
        .output()
        .unwrap();
    assert_eq!(
        stderr(&output),
        "created a newsroom in demo (a new git repository): 5 articles, 17 commits\n"
    );
}

#[test]
fn the_comments_news_writes_hold_inside_the_newsroom() {
    let (dir, root) = demo_newsroom();
    let news_toml = std::fs::read_to_string(root.join("news.toml")).unwrap();
    let tags_toml = std::fs::read_to_string(root.join("schema/tags.toml")).unwrap();
    assert!(!news_toml.contains("examples/"), "{news_toml}");

    // "`news validate` run in it (or given it) checks every article below."
    assert!(
        news_toml.contains("`news validate` run in it (or given it) checks every article below"),
        "{news_toml}"
    );
    for (cwd, args) in [
        (&root, vec!["validate"]),
        (&dir.path().to_owned(), vec!["validate", "demo"]),
    ] {
        let output = news(cwd).args(&args).output().unwrap();
        assert_eq!(
            stderr(&output),
            "checked 5 articles: 0 errors, 0 warnings\n",
            "{args:?}"
        );
    }

    // Every command the comments name exists.
    let comments: String = news_toml
        .lines()
        .chain(tags_toml.lines())
        .filter_map(|line| line.split_once('#').map(|(_, comment)| comment))
        .collect::<Vec<_>>()
        .join(" ");
    let named: Vec<&str> = comments
        .split("`news ")
        .skip(1)
        .filter_map(|rest| rest.split([' ', '`']).next())
        .collect();
    assert!(named.contains(&"new"), "{named:?}");
    for command in named {
        let output = news(&root).args([command, "--help"]).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "the comments name `news {command}`, which does not exist"
        );
    }

    // The plain newsroom's template says the same, and its commented
    // min-version would work as written.
    let dir = tempfile::tempdir().unwrap();
    news_as_reporter(dir.path()).arg("init").assert().success();
    let template = std::fs::read_to_string(dir.path().join("news.toml")).unwrap();
    assert!(template.contains("`news validate` run in it"), "{template}");
    let uncommented = template.replace("# min-version", "min-version");
    assert!(
        uncommented.starts_with("# A newsroom's settings"),
        "{template}"
    );
    std::fs::write(dir.path().join("news.toml"), uncommented).unwrap();
    let output = news(dir.path()).arg("list").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn the_readme_names_only_files_that_are_in_the_repository() {
    let project = project_dir();
    let readme = std::fs::read_to_string(project.join("README.md")).unwrap();
    // What a path of the repository starts with: its top-level entries,
    // but not the build output or git's own folder.
    let top_level: Vec<String> = std::fs::read_dir(&project)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "target" && name != ".git")
        .collect();
    let mut checked = Vec::new();
    let mut wrong = Vec::new();
    let mut check = |path: &str, why: &str| {
        let path = path.split('#').next().unwrap_or_default();
        if path.is_empty() {
            return;
        }
        checked.push(path.to_owned());
        if path.starts_with('/') || path.starts_with("../") || !project.join(path).exists() {
            wrong.push(format!("{path} ({why})"));
        }
    };
    // Every relative link.
    for link in readme.split("](").skip(1) {
        let target = link.split(')').next().unwrap_or_default();
        if !target.contains("://") && !target.starts_with('#') && !target.starts_with("mailto:") {
            check(target, "a link");
        }
    }
    // Every word that names a file or folder of the repository, or any
    // Markdown file.
    let words = readme
        .split(|character: char| character.is_whitespace() || "`()[]\"',;|".contains(character));
    for word in words {
        let word = word.trim_end_matches(['.', ':']);
        if word.contains("://") || word.contains(['<', '*', '…', '=']) {
            continue;
        }
        let first = word.split('/').next().unwrap_or_default();
        let is_repo_path = word.contains('/') && top_level.iter().any(|name| name == first);
        let outside = word.starts_with("../") || (word.starts_with('/') && word.len() > 1);
        if is_repo_path || word.ends_with(".md") || outside {
            check(word, "named in the text");
        }
    }
    assert!(
        wrong.is_empty(),
        "the README names what is not in the repository: {wrong:?}"
    );
    for expected in [
        "schema/README.md",
        ".ci/run",
        "src/lib.rs",
        "tests/properties.rs",
    ] {
        assert!(
            checked.iter().any(|path| path == expected),
            "{expected} is checked: {checked:?}"
        );
    }
}

#[test]
fn a_broken_settings_file_stops_validate_with_a_finding_where_it_is() {
    let (_dir, root) = demo_newsroom();
    let tags = root.join("schema/tags.toml");
    let good = std::fs::read_to_string(&tags).unwrap();
    let broken = format!("{good}[[tag]\n");
    std::fs::write(&tags, &broken).unwrap();
    let line = broken.lines().count();
    let sub = root.join("articles");

    // CI reads the place from the findings, named from the top of the
    // repository; the exit code stays that of a configuration error.
    let (code, findings) = validate_json(&sub, &[]);
    assert_eq!(code, 2);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = &findings[0];
    assert_eq!(finding["path"], "schema/tags.toml");
    assert_eq!(finding["line"], line);
    assert_eq!(finding["rule"], "invalid-settings");
    assert_eq!(finding["severity"], "error");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("expected `]`"),
        "{finding}"
    );
    let output = news(&sub)
        .args(["validate", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        support::stdout(&output)
            .starts_with(&format!("::error file=schema/tags.toml,line={line},col=7,")),
        "{}",
        support::stdout(&output)
    );

    // People read the path from where they are, on stderr only.
    let output = news(&sub).arg("validate").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(support::stdout(&output), "");
    assert!(
        stderr(&output).starts_with(&format!("error: ../schema/tags.toml:{line}:7: ")),
        "{}",
        stderr(&output)
    );

    // Committed and checked at a revision: `REV:path` for people, the
    // path in the repository for machines.
    git(&root, &["commit", "-qam", "break the vocabulary"]);
    std::fs::write(&tags, &good).unwrap();
    let (code, findings) = validate_json(&sub, &["--rev", "HEAD"]);
    assert_eq!(code, 2);
    assert_eq!(findings[0]["path"], "schema/tags.toml", "{findings:#?}");
    let output = news(&sub)
        .args(["validate", "--rev", "HEAD"])
        .output()
        .unwrap();
    assert!(
        stderr(&output).starts_with(&format!("error: HEAD:schema/tags.toml:{line}:7: ")),
        "{}",
        stderr(&output)
    );
    let (code, findings) = validate_json(&sub, &[]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
}

#[test]
fn a_newsroom_language_that_is_no_language_tag_is_named_in_news_toml() {
    let (_dir, root) = demo_newsroom();
    let text = std::fs::read_to_string(root.join("news.toml")).unwrap();
    let text = text.replacen("language = \"en\"", "language = \"not a language!!\"", 1);
    std::fs::write(root.join("news.toml"), &text).unwrap();
    let line = line_of(&text, "not a language");
    let (code, findings) = validate_json(&root, &[]);
    assert_eq!(code, 2);
    assert_eq!(findings[0]["path"], "news.toml", "{findings:#?}");
    assert_eq!(findings[0]["line"], line);
    // `news new` names the setting, from where it runs, and writes nothing.
    let articles = root.join("articles");
    let output = news_as_reporter(&articles)
        .args(["new", "--headline", "Lang test", "--genre", "news"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with(&format!(
            "error: ../news.toml:{line}:12: `newsroom.language` \"not a language!!\" is not a BCP 47 language tag"
        )),
        "{}",
        stderr(&output)
    );
    assert_eq!(git(&root, &["status", "--porcelain"]), " M news.toml\n");
}

#[test]
fn every_command_names_a_broken_settings_file_from_the_current_folder() {
    let (_dir, root) = demo_newsroom();
    let tags = root.join("schema/tags.toml");
    let broken = format!("{}[[tag]\n", std::fs::read_to_string(&tags).unwrap());
    std::fs::write(&tags, &broken).unwrap();
    let line = broken.lines().count();
    let articles = root.join("articles");
    for args in [
        &["list"][..],
        &["tag", "kuzminkov-on-the-economic-track", "+Economy"],
        &["tags"],
        &["show", "kuzminkov-on-the-economic-track"],
    ] {
        let output = news_as_reporter(&articles).args(args).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).starts_with(&format!("error: ../schema/tags.toml:{line}:7: ")),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}
