//! Every fixture under tests/fixtures/ through the real binary. Each
//! invalid one states on its first line the finding it must produce:
//! `# rule=<id> field=<path> line=<n>`.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use support::{news, project_dir, validate_json};

/// The `key=value` pairs of a fixture's first line.
fn expectation(fixture: &Path) -> BTreeMap<String, String> {
    let file = if fixture.is_dir() {
        first_toml(fixture)
    } else {
        fixture.to_owned()
    };
    let text = std::fs::read_to_string(&file).expect("fixture is readable");
    let first = text.lines().next().unwrap_or_default();
    let pairs: BTreeMap<String, String> = first
        .trim_start_matches('#')
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect();
    assert!(
        pairs.contains_key("rule") && pairs.contains_key("line"),
        "{} states no `# rule=… line=…` on its first line",
        file.display()
    );
    pairs
}

fn first_toml(folder: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = walk(folder);
    files.sort();
    files
        .into_iter()
        .next()
        .expect("a .toml file in the fixture folder")
}

fn walk(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).expect("fixture folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path
            .extension()
            .is_some_and(|extension| extension == "toml")
        {
            files.push(path);
        }
    }
    files
}

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(project_dir().join("tests/fixtures").join(kind))
            .expect("fixtures folder")
            .map(|entry| entry.expect("entry").path())
            .collect();
    entries.sort();
    entries
}

fn assert_expected_findings(fixture: &Path, expected_exit: i32) {
    let expected = expectation(fixture);
    let relative = fixture
        .strip_prefix(project_dir())
        .expect("fixture below the project");
    let (code, findings) = validate_json(&project_dir(), &[relative.to_str().expect("UTF-8 path")]);
    assert_eq!(
        code,
        expected_exit,
        "exit code of {}: {findings:#?}",
        relative.display()
    );
    let matching = findings.iter().any(|finding| {
        finding["rule"] == expected["rule"].as_str()
            && finding["line"].as_u64().map(|line| line.to_string())
                == expected.get("line").cloned()
            && expected
                .get("field")
                .is_none_or(|field| finding["field"] == field.as_str())
    });
    assert!(
        matching,
        "{}: expected a finding {expected:?}, got {findings:#?}",
        relative.display()
    );
}

#[test]
fn every_invalid_fixture_exits_1_with_its_finding() {
    let fixtures = fixtures("invalid");
    assert!(fixtures.len() >= 30, "the invalid fixtures are there");
    for fixture in fixtures {
        assert_expected_findings(&fixture, 1);
    }
}

#[test]
fn an_invalid_fixture_has_one_finding_per_problem() {
    // Each single-problem fixture yields exactly one finding: nothing is
    // reported twice (a missing key once, not once per node).
    for fixture in fixtures("invalid") {
        if fixture.is_dir() {
            continue;
        }
        let relative = fixture
            .strip_prefix(project_dir())
            .expect("below the project");
        let (_, findings) = validate_json(&project_dir(), &[relative.to_str().expect("UTF-8")]);
        assert_eq!(findings.len(), 1, "{}: {findings:#?}", relative.display());
    }
}

#[test]
fn duplicate_ids_name_both_files() {
    let (code, findings) = validate_json(&project_dir(), &["tests/fixtures/invalid/duplicate-id"]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let first = "tests/fixtures/invalid/duplicate-id/2015/09/21/kishida-in-moscow.toml";
    let second = "tests/fixtures/invalid/duplicate-id/2015/09/22/kishida-in-moscow.toml";
    assert_eq!(findings[0]["path"], first);
    assert!(findings[0]["message"].as_str().unwrap().contains(second));
    assert_eq!(findings[1]["path"], second);
    assert!(findings[1]["message"].as_str().unwrap().contains(first));
}

#[test]
fn warning_fixtures_exit_0_with_their_warning() {
    for fixture in fixtures("warnings") {
        assert_expected_findings(&fixture, 0);
    }
}

#[test]
fn valid_fixtures_and_the_example_newsroom_pass() {
    for target in ["tests/fixtures/valid", "examples", "examples/"] {
        let (code, findings) = validate_json(&project_dir(), &[target]);
        assert_eq!((code, findings.len()), (0, 0), "{target}: {findings:#?}");
    }
    let output = news(&project_dir())
        .args(["validate", "examples"])
        .output()
        .unwrap();
    assert_eq!(
        support::stderr(&output),
        "checked 5 articles: 0 errors, 0 warnings\n"
    );
}

#[test]
fn the_founding_article_is_complete() {
    let founding = project_dir().join(
        "examples/articles/2015/09/23/analysts-russian-japanese-relations-show-signs-of-thawing.toml",
    );
    let text = std::fs::read_to_string(founding).unwrap();
    let record = news::article::Record::parse(&text).unwrap();
    let article = record.to_article().unwrap();
    assert_eq!(article.genre.to_string(), "opinion");
    assert_eq!(article.byline, ["Alexandrova Lyudmila"]);
    assert_eq!(
        article.published.unwrap().to_rfc3339(),
        "2015-09-23T18:24:00+03:00"
    );
    assert_eq!(article.dateline.as_ref().unwrap().place, "MOSCOW");
    assert_eq!(article.media[0].credit, "© ITAR-TASS/Yuriy Smituk");
    assert_eq!(article.sources.len(), 3);
    assert!(
        article
            .disclaimer
            .unwrap()
            .starts_with("TASS may not share")
    );
    let body = article.body.unwrap();
    assert!(body.starts_with("The dialogue between Russia and Japan"));
    assert!(body.contains("Viktor Kuzminkov, told TASS"));
}
