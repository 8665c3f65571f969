//! The output formats of `news validate` (DESIGN.md §6) and its exit codes
//! (§4).

mod support;

use support::{news, project_dir, stderr, stdout};

const FIXTURE: &str = "tests/fixtures/invalid/unknown-key.toml";

#[test]
fn json_findings_have_exactly_the_documented_keys() {
    let (code, findings) = support::validate_json(&project_dir(), &[FIXTURE]);
    assert_eq!(code, 1);
    let finding = findings[0].as_object().expect("an object");
    let keys: Vec<&str> = finding.keys().map(String::as_str).collect();
    let mut expected = vec![
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "severity",
        "rule",
        "message",
        "field",
    ];
    expected.sort();
    let mut keys = keys;
    keys.sort();
    assert_eq!(keys, expected);
    assert_eq!(finding["path"], FIXTURE);
    assert_eq!(finding["line"], 14);
    assert_eq!(finding["column"], 1);
    assert_eq!(finding["end_line"], 14);
    assert_eq!(finding["end_column"], 10);
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["rule"], "unknown-key");
    assert_eq!(finding["field"], "dsclaimer");
    assert_eq!(
        finding["message"],
        "unknown key `dsclaimer`; did you mean `disclaimer`?"
    );
}

#[test]
fn json_is_an_empty_array_when_all_is_well() {
    let output = news(&project_dir())
        .args(["validate", "--format", "json", "examples"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output).trim(), "[]");
}

#[test]
fn github_annotations_carry_file_line_column_and_title() {
    let output = news(&project_dir())
        .args([
            "validate",
            "--format",
            "github",
            FIXTURE,
            "tests/fixtures/warnings",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(
        lines[0],
        "::error file=tests/fixtures/invalid/unknown-key.toml,line=14,col=1,endLine=14,endColumn=10,title=news unknown-key::unknown key `dsclaimer`; did you mean `disclaimer`?"
    );
    assert!(
        lines[1].starts_with(
            "::warning file=tests/fixtures/warnings/2015/09/22/created-on-another-day.toml,line=8,col=11,"
        ),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("title=news folder-date::"));
}

#[test]
fn human_output_is_rustc_style_with_a_closing_count() {
    let output = news(&project_dir())
        .args(["validate", FIXTURE])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "error[unknown-key]: unknown key `dsclaimer`; did you mean `disclaimer`?\n  \
         --> tests/fixtures/invalid/unknown-key.toml:14:1\n   |\n\
         14 | dsclaimer = \"TASS may not share the opinions of its contributors\"\n   \
         | ^^^^^^^^^\n\n"
    );
    assert_eq!(stderr(&output), "checked 1 article: 1 error, 0 warnings\n");
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let coloured = news(&project_dir())
        .args(["validate", "--color", "always", FIXTURE])
        .output()
        .unwrap();
    assert!(stdout(&coloured).contains("\u{1b}["), "colour when asked");
    let plain = news(&project_dir())
        .args(["validate", "--color", "auto", FIXTURE])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        !stdout(&plain).contains('\u{1b}'),
        "no colour off a terminal or with NO_COLOR"
    );
    let never = news(&project_dir())
        .args(["validate", "--color", "never", FIXTURE])
        .output()
        .unwrap();
    assert!(!stdout(&never).contains('\u{1b}'));
}

#[test]
fn record_text_never_reaches_the_terminal_raw() {
    for format in ["human", "github"] {
        let output = news(&project_dir())
            .args([
                "validate",
                "--color",
                "never",
                "--format",
                format,
                "tests/fixtures/invalid/control-character-in-headline.toml",
                "tests/fixtures/invalid/bidi-override-in-dateline.toml",
            ])
            .output()
            .unwrap();
        let text = stdout(&output);
        assert!(
            !text.contains('\u{1b}'),
            "{format}: escape sequence sent raw: {text}"
        );
        assert!(
            !text.contains('\u{202E}'),
            "{format}: bidi override sent raw: {text}"
        );
    }
    let output = news(&project_dir())
        .args([
            "validate",
            "tests/fixtures/invalid/control-character-in-headline.toml",
        ])
        .output()
        .unwrap();
    // The source line shows the TOML escape as written; the message names
    // the character.
    assert!(stdout(&output).contains("U+001B"));
}

#[test]
fn quiet_drops_the_count_but_not_the_findings() {
    let output = news(&project_dir())
        .args(["validate", "-q", FIXTURE])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("unknown-key"));
    assert_eq!(stderr(&output), "");
}

#[test]
fn usage_errors_exit_2_with_a_hint() {
    let missing = news(&project_dir())
        .args(["validate", "no/such/file.toml"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        stderr(&missing),
        "error: no such file or folder: no/such/file.toml\n"
    );

    let outside = tempfile::tempdir().unwrap();
    let output = news(outside.path()).arg("validate").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.starts_with("error: not inside a newsroom"), "{text}");
    assert!(text.contains("hint: "), "{text}");

    let bad_flag = news(&project_dir())
        .args(["validate", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(bad_flag.status.code(), Some(2));
}

#[test]
fn output_is_in_path_order_whatever_the_argument_order() {
    let (_, forwards) = support::validate_json(
        &project_dir(),
        &[
            "tests/fixtures/invalid/bad-genre.toml",
            "tests/fixtures/invalid/unknown-tag.toml",
        ],
    );
    let (_, backwards) = support::validate_json(
        &project_dir(),
        &[
            "tests/fixtures/invalid/unknown-tag.toml",
            "tests/fixtures/invalid/bad-genre.toml",
        ],
    );
    assert_eq!(forwards, backwards);
    assert_eq!(forwards[0]["path"], "tests/fixtures/invalid/bad-genre.toml");
}

#[test]
fn a_reader_that_stops_early_does_not_change_the_verdict() {
    // 500 unknown tags: more findings than a pipe holds, so `head -1`
    // closes it while news is still writing.
    let (_dir, root) = support::demo_newsroom();
    let path = root.join(support::demo::DRAFT_PATH);
    let tags: Vec<String> = (0..500).map(|n| format!("\"Unheard-of {n}\"")).collect();
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("tags = [").unwrap();
    let end = start + text[start..].find(']').unwrap() + 1;
    let text = format!(
        "{}tags = [{}]{}",
        &text[..start],
        tags.join(", "),
        &text[end..]
    );
    std::fs::write(&path, text).unwrap();

    for format in ["github", "json", "text"] {
        let script = format!(
            "'{}' validate --format {format} --color never 2> err | head -1 > /dev/null; \
             echo \"${{PIPESTATUS[0]}}\"; wc -c < err",
            env!("CARGO_BIN_EXE_news")
        );
        let output = std::process::Command::new("bash")
            .args(["-c", &script])
            .current_dir(&root)
            .output()
            .unwrap();
        let shown = stdout(&output);
        let (code, stderr_bytes) = shown.trim().split_once('\n').unwrap();
        assert_eq!(code, "1", "{format}: the errors are the verdict");
        // Cut short: the closing count never came, nor any error.
        assert_eq!(stderr_bytes.trim(), "0", "{format}: {shown}");
    }
}
