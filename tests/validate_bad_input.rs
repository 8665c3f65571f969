//! Bad input of every kind is a located finding or a clear error: never a
//! panic, never a hang.

mod support;

use std::path::Path;

use support::{TempNewsroom, article, news, stdout, validate_json};

fn single_finding(dir: &Path, file: &str) -> serde_json::Value {
    let (code, findings) = validate_json(dir, &[file]);
    assert_eq!(code, 1, "{file}: {findings:#?}");
    assert_eq!(findings.len(), 1, "{file}: {findings:#?}");
    findings[0].clone()
}

#[test]
fn toml_syntax_errors_are_located() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.toml"),
        "id = \"a\"\nheadline = \"unterminated\n",
    )
    .unwrap();
    let finding = single_finding(dir.path(), "a.toml");
    assert_eq!(finding["rule"], "toml-syntax");
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(2), Some(25))
    );
}

#[test]
fn invalid_utf8_names_the_line_of_the_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = article("a", 21).into_bytes();
    let at = bytes
        .windows(4)
        .position(|window| window == b"TASS")
        .unwrap();
    bytes[at + 1] = 0xFF;
    std::fs::write(dir.path().join("a.toml"), bytes).unwrap();
    let finding = single_finding(dir.path(), "a.toml");
    assert_eq!(finding["rule"], "invalid-utf8");
    assert_eq!(finding["line"], 5);
    assert_eq!(finding["column"], 13);
    assert!(finding["message"].as_str().unwrap().contains("0xFF"));
}

#[test]
fn an_empty_file_is_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.toml"), "").unwrap();
    std::fs::write(dir.path().join("b.toml"), "\n  \n").unwrap();
    for file in ["a.toml", "b.toml"] {
        let finding = single_finding(dir.path(), file);
        assert_eq!(finding["rule"], "empty-file");
        assert_eq!(finding["line"], 1);
    }
}

#[test]
fn a_byte_order_mark_is_a_warning_and_the_record_is_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("\u{FEFF}{}", article("a", 21));
    std::fs::write(dir.path().join("a.toml"), &text).unwrap();
    let (code, findings) = validate_json(dir.path(), &["a.toml"]);
    assert_eq!(code, 0);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["rule"], "byte-order-mark");
    assert_eq!(findings[0]["severity"], "warning");

    let broken = format!(
        "\u{FEFF}{}",
        article("a", 21).replace("genre = \"news\"", "genre = \"nws\"")
    );
    std::fs::write(dir.path().join("a.toml"), broken).unwrap();
    let (code, findings) = validate_json(dir.path(), &["a.toml"]);
    assert_eq!(code, 1);
    let genre = findings
        .iter()
        .find(|finding| finding["rule"] == "invalid-value")
        .unwrap();
    assert_eq!(
        (genre["line"].as_u64(), genre["column"].as_u64()),
        (Some(3), Some(9))
    );
}

#[test]
fn crlf_line_endings_are_fine_and_located_like_lf() {
    let dir = tempfile::tempdir().unwrap();
    let text = article("a", 21).replace('\n', "\r\n");
    std::fs::write(dir.path().join("a.toml"), &text).unwrap();
    let (code, findings) = validate_json(dir.path(), &["a.toml"]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");

    let broken = text.replace("language = \"en\"", "langauge = \"en\"");
    std::fs::write(dir.path().join("a.toml"), broken).unwrap();
    let (_, findings) = validate_json(dir.path(), &["a.toml"]);
    let unknown = findings
        .iter()
        .find(|finding| finding["rule"] == "unknown-key")
        .unwrap();
    assert_eq!(
        (unknown["line"].as_u64(), unknown["end_column"].as_u64()),
        (Some(6), Some(9))
    );
    assert!(
        unknown["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `language`?")
    );
}

#[test]
fn a_fifty_megabyte_body_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let body = "x".repeat(50 * 1024 * 1024);
    let text = article("a", 21).replace("Japanese Foreign Minister", &body);
    std::fs::write(dir.path().join("a.toml"), text).unwrap();
    let finding = single_finding(dir.path(), "a.toml");
    assert_eq!(finding["rule"], "file-too-large");
    assert!(
        finding["message"].as_str().unwrap().contains("50.0 MiB"),
        "{finding}"
    );
}

#[test]
fn a_long_body_under_the_limit_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let body = "Kishida arrived. ".repeat(300_000);
    let text = article("a", 21).replace("Japanese Foreign Minister", &body);
    std::fs::write(dir.path().join("a.toml"), text).unwrap();
    let (code, findings) = validate_json(dir.path(), &["a.toml"]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
}

#[test]
fn ten_thousand_nested_arrays_are_a_finding_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let nested = format!("{}{}{}", "extra = ", "[".repeat(10_000), "]".repeat(10_000));
    std::fs::write(
        dir.path().join("a.toml"),
        format!("{}\n{nested}\n", article("a", 21)),
    )
    .unwrap();
    let finding = single_finding(dir.path(), "a.toml");
    assert_eq!(finding["rule"], "toml-syntax");
    assert_eq!(finding["line"], 14);
    // The source line is huge: it is in the JSON only as position, and the
    // human output still ends.
    let output = news(dir.path())
        .args(["validate", "a.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_link_out_of_the_newsroom_is_reported_not_followed() {
    let newsroom = TempNewsroom::new();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("elsewhere.toml");
    std::fs::write(&target, article("elsewhere", 21)).unwrap();
    let link = newsroom.root().join("articles/2015/09/21/elsewhere.toml");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    newsroom.article("inside", 21);
    let (code, findings) = validate_json(newsroom.root(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["rule"], "outside-newsroom");
    assert_eq!(findings[0]["path"], "articles/2015/09/21/elsewhere.toml");
}

#[test]
fn a_folder_named_like_a_record_is_walked_as_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("x.toml")).unwrap();
    std::fs::write(dir.path().join("x.toml/a.toml"), article("a", 21)).unwrap();
    let (code, findings) = validate_json(dir.path(), &["."]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
    let (code, findings) = validate_json(dir.path(), &["x.toml"]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
}

#[test]
fn unreadable_files_and_pipes_are_findings_and_never_block() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("gone.toml"),
        dir.path().join("dangling.toml"),
    )
    .unwrap();
    let fifo = dir.path().join("pipe.toml");
    let fifo_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a valid, NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo_path.as_ptr(), 0o644) }, 0);
    let (code, findings) = validate_json(dir.path(), &["."]);
    assert_eq!(code, 1);
    let rules: Vec<(&str, &str)> = findings
        .iter()
        .map(|finding| {
            (
                finding["path"].as_str().unwrap(),
                finding["rule"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            ("dangling.toml", "unreadable-file"),
            ("pipe.toml", "unreadable-file")
        ]
    );
}

#[test]
fn raw_escape_sequences_in_a_file_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let text = article("a", 21)
        .replace(
            "Kishida arrives",
            "Kishida\u{1b}[2J\u{1b}]0;pwned\u{7} arrives",
        )
        .replace("\"TASS\"", "\"TASS\u{202E}\"");
    std::fs::write(dir.path().join("a.toml"), text).unwrap();
    let output = news(dir.path())
        .args(["validate", "a.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let shown = stdout(&output);
    assert!(shown.contains("toml-syntax"), "{shown}");
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown}"
    );
    assert!(shown.contains("Kishida\\u{1b}[2J"), "{shown}");
}

#[test]
fn a_raw_bidi_override_in_a_one_line_field_is_escaped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let text = article("a", 21).replace("\"TASS\"", "\"TASS\u{202E}\"");
    std::fs::write(dir.path().join("a.toml"), text).unwrap();
    let output = news(dir.path())
        .args(["validate", "a.toml"])
        .output()
        .unwrap();
    let shown = stdout(&output);
    assert!(shown.contains("error[control-character]"), "{shown}");
    assert!(shown.contains("TASS\\u{202e}"), "{shown}");
    assert!(!shown.contains('\u{202E}'), "{shown}");
}
