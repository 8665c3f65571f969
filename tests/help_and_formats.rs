//! Help and formats (issue 8, item 8): the global options under their own
//! heading, no `-V` on subcommands, one set of format names (`text`,
//! `json`, and `github`/`codeclimate` for validate), examples in every
//! command's `--help`.

mod support;

use std::path::Path;

use support::{news, stderr, stdout};

const COMMANDS: [&str; 10] = [
    "init", "new", "edit", "set", "commit", "mv", "rm", "show", "list", "validate",
];

/// The lines of `help` from the line `heading` to the next heading.
fn section<'h>(help: &'h str, heading: &str) -> Vec<&'h str> {
    help.lines()
        .skip_while(|line| *line != heading)
        .skip(1)
        .take_while(|line| line.is_empty() || line.starts_with(' '))
        .collect()
}

fn help(command: &str) -> String {
    let output = news(Path::new("/"))
        .args([command, "--help"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn every_help_lists_the_global_options_under_their_own_heading() {
    for command in COMMANDS {
        let help = help(command);
        let global = section(&help, "Global options:").join("\n");
        let own = section(&help, "Options:").join("\n");
        for option in ["-C <DIR>", "--color <WHEN>", "-q, --quiet", "--no-pager"] {
            assert!(global.contains(option), "{command}: {option}\n{help}");
            assert!(!own.contains(option), "{command}: {option}\n{help}");
        }
        assert!(own.contains("-h, --help"), "{command}\n{help}");
    }
}

#[test]
fn every_help_ends_with_examples_of_the_command() {
    for command in COMMANDS {
        let help = help(command);
        let (_, examples) = help
            .rsplit_once("Examples:\n")
            .unwrap_or_else(|| panic!("{command} has no examples:\n{help}"));
        let lines: Vec<&str> = examples.lines().collect();
        assert!(lines.len() >= 3, "{command}: {examples}");
        for line in lines {
            assert!(
                line.starts_with(&format!("  news {command}"))
                    || line.contains(&format!(" news {command}")),
                "{command}: {line}"
            );
        }
    }
}

#[test]
fn only_news_itself_has_a_version() {
    for flag in ["-V", "--version"] {
        let output = news(Path::new("/")).args([flag]).output().unwrap();
        assert!(output.status.success());
        assert_eq!(
            stdout(&output),
            format!("news {}\n", env!("CARGO_PKG_VERSION"))
        );
        for command in COMMANDS {
            let output = news(Path::new("/")).args([command, flag]).output().unwrap();
            assert_eq!(output.status.code(), Some(2), "{command} {flag}");
            assert!(
                stderr(&output).contains(&format!("unexpected argument '{flag}'")),
                "{command} {flag}: {}",
                stderr(&output)
            );
        }
        assert!(!help("list").contains("--version"));
    }
}

#[test]
fn text_and_json_are_the_format_names_of_every_command() {
    let (_dir, root) = support::demo_newsroom();
    let id = "kishida-arrives-in-moscow-for-talks-with-lavrov";
    for args in [vec!["list"], vec!["show", id], vec!["validate"]] {
        let mut text = None;
        for format in ["text", "json"] {
            let output = news(&root)
                .args(&args)
                .args(["--format", format])
                .output()
                .unwrap();
            assert_eq!(
                output.status.code(),
                Some(0),
                "{args:?} {format}: {}",
                stderr(&output)
            );
            if format == "json" {
                serde_json::from_slice::<serde_json::Value>(&output.stdout)
                    .unwrap_or_else(|error| panic!("{args:?}: {error}"));
            } else {
                text = Some(output.stdout);
            }
        }
        let help = help(args[0]);
        assert!(
            help.contains("- text:") && help.contains("- json:"),
            "{args:?}\n{help}"
        );
        assert!(
            !help.contains("- table:") && !help.contains("- human:"),
            "{help}"
        );
        assert!(help.contains("[default: text]"), "{help}");
        // The old names still work, for scripts written against them.
        let old = match args[0] {
            "list" => "table",
            "validate" => "human",
            _ => continue,
        };
        let output = news(&root)
            .args(&args)
            .args(["--format", old])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        assert_eq!(Some(output.stdout), text, "--format {old}");
    }
}

/// A newsroom with one article that breaks two rules: an unknown key and
/// a status the schema does not know.
fn newsroom_with_findings() -> support::TempNewsroom {
    let newsroom = support::TempNewsroom::new();
    let text = support::article("broken", 21)
        .replace("status = \"published\"", "status = \"live\"")
        .replace("language = \"en\"", "language = \"en\"\nsubhead = \"x\"");
    newsroom.write("articles/2015/09/21/broken.toml", text);
    newsroom
}

fn code_climate(root: &Path) -> Vec<serde_json::Value> {
    let output = news(root)
        .args(["validate", "--format", "codeclimate"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    serde_json::from_slice::<serde_json::Value>(&output.stdout)
        .expect("JSON")
        .as_array()
        .expect("an array")
        .clone()
}

#[test]
fn codeclimate_gives_gitlab_its_fields_with_fingerprints_that_survive_moved_lines() {
    let newsroom = newsroom_with_findings();
    let before = code_climate(newsroom.root());
    assert_eq!(before.len(), 2, "{before:?}");
    let (_, findings) = support::validate_json(newsroom.root(), &[]);
    for (issue, finding) in before.iter().zip(&findings) {
        assert_eq!(issue["type"], "issue");
        assert_eq!(issue["check_name"], finding["rule"]);
        assert_eq!(issue["description"], finding["message"]);
        assert_eq!(issue["severity"], "major");
        assert_eq!(issue["location"]["path"], finding["path"]);
        assert_eq!(issue["location"]["lines"]["begin"], finding["line"]);
        let fingerprint = issue["fingerprint"].as_str().expect("a fingerprint");
        assert_eq!(fingerprint.len(), 40, "{fingerprint}");
    }
    assert_ne!(before[0]["fingerprint"], before[1]["fingerprint"]);

    // Two lines more above the findings: the lines move, the fingerprints stay.
    let path = newsroom.root().join("articles/2015/09/21/broken.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("# moved\n# down\n{text}")).unwrap();
    let after = code_climate(newsroom.root());
    for (before, after) in before.iter().zip(&after) {
        assert_eq!(before["fingerprint"], after["fingerprint"]);
        assert_eq!(
            after["location"]["lines"]["begin"].as_u64(),
            before["location"]["lines"]["begin"]
                .as_u64()
                .map(|line| line + 2)
        );
    }
}
