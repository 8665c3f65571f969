//! Findings written for people (rustc style), for scripts (JSON), for
//! GitHub Actions (workflow commands) and for GitLab (Code Climate JSON), as
//! DESIGN.md §6 has them.

use std::io::{self, Write};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use news::schema::{Finding, Severity};

use super::escape::escape;
use super::ui::{EMPHASIS, ERROR, GUTTER, WARNING};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One block per finding with the source line, rustc style
    #[value(alias = "human")]
    Text,
    /// A JSON array of findings
    Json,
    /// GitHub Actions annotations
    Github,
    /// Code Climate JSON, the code quality report GitLab reads
    Codeclimate,
}

pub fn write(out: &mut impl Write, format: Format, findings: &[Finding]) -> io::Result<()> {
    match format {
        Format::Text => findings.iter().try_for_each(|finding| text(out, finding)),
        Format::Json => json(out, findings),
        Format::Github => findings.iter().try_for_each(|finding| github(out, finding)),
        Format::Codeclimate => code_climate(out, findings),
    }
}

/// The closing count: `checked 1204 articles: 2 errors, 1 warning`.
pub fn summary(files: usize, errors: usize, warnings: usize) -> String {
    format!(
        "checked {}: {}, {}",
        plural(files, "article"),
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn text(out: &mut impl Write, finding: &Finding) -> io::Result<()> {
    let (label, style) = match finding.severity {
        Severity::Error => ("error", ERROR),
        Severity::Warning => ("warning", WARNING),
    };
    let location = &finding.location;
    writeln!(
        out,
        "{style}{label}[{}]{style:#}{EMPHASIS}: {}{EMPHASIS:#}",
        finding.rule,
        escape(&finding.message)
    )?;
    let gutter = " ".repeat(location.line.to_string().len());
    writeln!(
        out,
        "{gutter}{GUTTER}-->{GUTTER:#} {}:{}:{}",
        escape(&finding.path.display().to_string()),
        location.line,
        location.column
    )?;
    if !finding.source_line.is_empty() {
        let (shown, caret_at, caret_width) = underline(finding);
        writeln!(out, "{gutter} {GUTTER}|{GUTTER:#}")?;
        writeln!(out, "{GUTTER}{} |{GUTTER:#} {shown}", location.line)?;
        writeln!(
            out,
            "{gutter} {GUTTER}|{GUTTER:#} {}{style}{}{style:#}",
            " ".repeat(caret_at),
            "^".repeat(caret_width)
        )?;
    }
    writeln!(out)
}

/// The source line as shown (escaped), and where the caret goes under it:
/// its display column and width.
fn underline(finding: &Finding) -> (String, usize, usize) {
    let line = &finding.source_line;
    let location = &finding.location;
    let start = char_offset(line, location.column - 1);
    let end = if location.end_line == location.line {
        char_offset(line, location.end_column.saturating_sub(1)).max(start)
    } else {
        line.len()
    };
    let before = escape(&line[..start]);
    let marked = escape(&line[start..end]);
    let shown = format!("{before}{marked}{}", escape(&line[end..]));
    window(shown, before.width(), marked.width().max(1))
}

/// Lines longer than this are shown as a window around the caret.
const MAX_SHOWN: usize = 120;

/// A long line cut to the part around the caret, with `…` where it was
/// cut: a 20,000-character line of brackets is no use on a terminal.
fn window(shown: String, caret_at: usize, caret_width: usize) -> (String, usize, usize) {
    let characters: Vec<char> = shown.chars().collect();
    if shown.width() <= MAX_SHOWN {
        return (shown, caret_at, caret_width);
    }
    let start = caret_at.saturating_sub(40).min(characters.len());
    let end = (start + MAX_SHOWN).min(characters.len());
    let mut cut = String::new();
    if start > 0 {
        cut.push('…');
    }
    cut.extend(&characters[start..end]);
    if end < characters.len() {
        cut.push('…');
    }
    let caret_at = caret_at - start + usize::from(start > 0);
    (cut, caret_at, caret_width.min(MAX_SHOWN - 40))
}

/// The byte offset of the `chars`-th character of `line` (clamped).
fn char_offset(line: &str, chars: usize) -> usize {
    line.char_indices()
        .nth(chars)
        .map_or(line.len(), |(offset, _)| offset)
}

#[derive(Serialize)]
struct JsonFinding<'f> {
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    severity: &'static str,
    rule: &'static str,
    message: &'f str,
    field: Option<String>,
}

fn json(out: &mut impl Write, findings: &[Finding]) -> io::Result<()> {
    let findings: Vec<JsonFinding<'_>> = findings
        .iter()
        .map(|finding| JsonFinding {
            path: finding.path.display().to_string(),
            line: finding.location.line,
            column: finding.location.column,
            end_line: finding.location.end_line,
            end_column: finding.location.end_column,
            severity: finding.severity.as_str(),
            rule: finding.rule.id(),
            message: &finding.message,
            field: finding.field.as_ref().map(ToString::to_string),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &findings)?;
    writeln!(out)
}

/// `::error file=…,line=…,col=…,title=…::message`, escaped as the runner
/// expects so that no value can end the command early or inject another.
fn github(out: &mut impl Write, finding: &Finding) -> io::Result<()> {
    let location = &finding.location;
    writeln!(
        out,
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        finding.severity.as_str(),
        github_property(&finding.path.display().to_string()),
        location.line,
        location.column,
        location.end_line,
        location.end_column,
        github_property(&format!("news {}", finding.rule)),
        github_data(&escape(&finding.message)),
    )
}

fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[derive(Serialize)]
struct CodeClimateIssue<'f> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'static str,
    description: &'f str,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: CodeClimateLocation,
}

#[derive(Serialize)]
struct CodeClimateLocation {
    path: String,
    lines: CodeClimateLines,
}

#[derive(Serialize)]
struct CodeClimateLines {
    begin: usize,
    end: usize,
}

/// The JSON array GitLab's code quality report reads (and Code Climate's
/// own fields, `type` and `categories`, so that its tools read it too).
fn code_climate(out: &mut impl Write, findings: &[Finding]) -> io::Result<()> {
    let mut seen = std::collections::HashMap::new();
    let issues: Vec<CodeClimateIssue<'_>> = findings
        .iter()
        .map(|finding| {
            let path = finding.path.display().to_string();
            let field = finding.field.as_ref().map(ToString::to_string);
            let key = fingerprint(&path, finding.rule.id(), field.as_deref(), &finding.message);
            let occurrence = seen.entry(key.clone()).or_insert(0_usize);
            *occurrence += 1;
            let fingerprint = if *occurrence == 1 {
                key
            } else {
                fingerprint(&key, "", None, &occurrence.to_string())
            };
            let (severity, category) = match finding.severity {
                Severity::Error => ("major", "Bug Risk"),
                Severity::Warning => ("minor", "Style"),
            };
            CodeClimateIssue {
                kind: "issue",
                check_name: finding.rule.id(),
                description: &finding.message,
                categories: [category],
                severity,
                fingerprint,
                location: CodeClimateLocation {
                    path,
                    lines: CodeClimateLines {
                        begin: finding.location.line,
                        end: finding.location.end_line.max(finding.location.line),
                    },
                },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

/// What GitLab matches findings by between two pipelines: what the finding
/// is and where (file and field), never its line, so that a finding stays
/// the same finding when lines above it move.
fn fingerprint(path: &str, rule: &str, field: Option<&str>, message: &str) -> String {
    use sha1::{Digest, Sha1};
    let mut hasher = Sha1::new();
    for part in [path, rule, field.unwrap_or_default(), message] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use news::article::Location;
    use news::schema::Rule;

    fn finding(source_line: &str, column: usize, end_column: usize) -> Finding {
        Finding {
            path: "a.toml".into(),
            location: Location {
                line: 12,
                column,
                end_line: 12,
                end_column,
            },
            severity: Severity::Error,
            rule: Rule::UnknownKey,
            message: "unknown key `dsclaimer`; did you mean `disclaimer`?".into(),
            field: None,
            source_line: source_line.into(),
        }
    }

    #[test]
    fn draws_rustc_style_blocks_with_the_caret_under_the_span() {
        let mut out = anstream::StripStream::new(Vec::new());
        text(&mut out, &finding("dsclaimer = \"x\"", 1, 10)).unwrap();
        let text = String::from_utf8(out.into_inner()).unwrap();
        assert_eq!(
            text,
            "error[unknown-key]: unknown key `dsclaimer`; did you mean `disclaimer`?\n  --> a.toml:12:1\n   |\n12 | dsclaimer = \"x\"\n   | ^^^^^^^^^\n\n"
        );
    }

    #[test]
    fn escapes_control_characters_and_keeps_the_caret_aligned() {
        let (shown, at, width) = underline(&finding("headline = \"a\u{1b}[2J\"", 12, 19));
        assert_eq!(shown, "headline = \"a\\u{1b}[2J\"");
        assert_eq!((at, width), (11, 12));
        assert!(!shown.contains('\u{1b}'));
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let line = format!("extra = {}{}", "[".repeat(5_000), "]".repeat(5_000));
        let (shown, at, width) = underline(&finding(&line, 4_000, 4_001));
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().count(), MAX_SHOWN + 2);
        assert_eq!((at, width), (41, 1));
        assert_eq!(shown.chars().nth(at), Some('['));
    }

    #[test]
    fn github_commands_cannot_be_broken_by_values() {
        let mut out = Vec::new();
        let mut bad = finding("", 1, 1);
        bad.message = "a\n::error::injected 100%".into();
        bad.path = "we,ird:name.toml".into();
        github(&mut out, &bad).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1);
        assert!(
            text.starts_with("::error file=we%2Cird%3Aname.toml,line=12,col=1,"),
            "{text}"
        );
        assert!(text.ends_with("::a\\n::error::injected 100%25\n"), "{text}");
    }

    #[test]
    fn code_climate_fingerprints_ignore_lines_and_tell_twins_apart() {
        let moved = |line| {
            let mut finding = finding("", 1, 1);
            finding.location.line = line;
            finding.location.end_line = line;
            finding
        };
        let issues = |findings: &[Finding]| {
            let mut out = Vec::new();
            code_climate(&mut out, findings).unwrap();
            serde_json::from_slice::<serde_json::Value>(&out).unwrap()
        };
        let before = issues(&[moved(3)]);
        let after = issues(&[moved(30)]);
        assert_eq!(before[0]["fingerprint"], after[0]["fingerprint"]);
        assert_eq!(after[0]["location"]["lines"]["begin"], 30);
        assert_eq!(after[0]["location"]["path"], "a.toml");
        assert_eq!(after[0]["check_name"], "unknown-key");
        assert_eq!(after[0]["severity"], "major");
        let twins = issues(&[moved(3), moved(4)]);
        assert_ne!(twins[0]["fingerprint"], twins[1]["fingerprint"]);
        assert_eq!(twins[0]["fingerprint"], before[0]["fingerprint"]);
    }

    #[test]
    fn counts_in_words() {
        assert_eq!(
            summary(1204, 2, 1),
            "checked 1204 articles: 2 errors, 1 warning"
        );
        assert_eq!(summary(1, 0, 0), "checked 1 article: 0 errors, 0 warnings");
    }
}
