//! Field-level changes written for people: scalars old → new, a list's
//! items added and removed, tables by key, and long text (the body) as a
//! word diff with a little context, coloured on a terminal. `news log -p`
//! and `news diff` share it.

use std::io::{self, Write};

use news::article::{Change, ChangeKind};
use serde_json::Value;
use similar::{ChangeTag, TextDiff};

use super::escape::escape;
use super::fit::truncate;
use super::ui::{DELETED, EMPHASIS, INSERTED};

/// Tokens (words and the spaces between) of context around a change in
/// long text.
const CONTEXT: usize = 8;

/// How much of a value added or removed whole is shown.
const SHORT: usize = 100;

/// Writes `changes`, each line starting with `indent`.
pub fn write(out: &mut impl Write, changes: &[Change], indent: &str) -> io::Result<()> {
    let mut index = 0;
    while index < changes.len() {
        let change = &changes[index];
        let field = escape(&change.field);
        match change.kind {
            ChangeKind::ItemAdded | ChangeKind::ItemRemoved => {
                // The run of item changes to this list, on one line.
                let run: Vec<&Change> = changes[index..]
                    .iter()
                    .take_while(|other| {
                        other.field == change.field
                            && matches!(other.kind, ChangeKind::ItemAdded | ChangeKind::ItemRemoved)
                    })
                    .collect();
                write!(out, "{indent}{EMPHASIS}{field}{EMPHASIS:#}:")?;
                for item in &run {
                    match item.kind {
                        ChangeKind::ItemAdded => {
                            write!(out, " {INSERTED}+{}{INSERTED:#}", listed(item.new.as_ref()))?
                        }
                        _ => write!(out, " {DELETED}−{}{DELETED:#}", listed(item.old.as_ref()))?,
                    }
                }
                writeln!(out)?;
                index += run.len();
                continue;
            }
            ChangeKind::Added => writeln!(
                out,
                "{indent}{EMPHASIS}{field}{EMPHASIS:#}: added {INSERTED}{}{INSERTED:#}",
                truncate(&shown(change.new.as_ref()), SHORT)
            )?,
            ChangeKind::Removed => writeln!(
                out,
                "{indent}{EMPHASIS}{field}{EMPHASIS:#}: removed {DELETED}{}{DELETED:#}",
                truncate(&shown(change.old.as_ref()), SHORT)
            )?,
            ChangeKind::Changed => match (&change.old, &change.new) {
                (Some(Value::String(old)), Some(Value::String(new))) if is_long(old, new) => {
                    writeln!(out, "{indent}{EMPHASIS}{field}{EMPHASIS:#}:")?;
                    word_diff(out, old, new, &format!("{indent}    "))?;
                }
                (old, new) => writeln!(
                    out,
                    "{indent}{EMPHASIS}{field}{EMPHASIS:#}: {DELETED}{}{DELETED:#} → {INSERTED}{}{INSERTED:#}",
                    shown(old.as_ref()),
                    shown(new.as_ref())
                )?,
            },
        }
        index += 1;
    }
    Ok(())
}

/// Text shown as a word diff rather than old → new.
fn is_long(old: &str, new: &str) -> bool {
    old.contains('\n') || new.contains('\n') || old.len() + new.len() > 120
}

/// A value on one line: strings quoted, tables and lists as JSON.
fn shown(value: Option<&Value>) -> String {
    match value {
        None => "(none)".to_owned(),
        Some(Value::String(text)) => format!("{:?}", escape(text)),
        Some(other) => escape(&other.to_string()).into_owned(),
    }
}

/// A list's item: a tag as it reads (`+Japan`), anything else as a value.
fn listed(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => escape(text).into_owned(),
        other => shown(other),
    }
}

/// The words `old` and `new` differ in, with a little context, as
/// `[-taken out-]{+put in+}`, one group per paragraph of change.
fn word_diff(out: &mut impl Write, old: &str, new: &str, indent: &str) -> io::Result<()> {
    let diff = TextDiff::from_words(old, new);
    for (number, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if number > 0 {
            writeln!(out, "{indent}…")?;
        }
        // Runs of the same kind of change are marked once:
        // `[-a while ago,-]`, not word by word.
        let mut line = String::new();
        let mut run: Option<(ChangeTag, String)> = None;
        let flush = |line: &mut String, run: Option<(ChangeTag, String)>| match run {
            Some((ChangeTag::Delete, text)) => {
                line.push_str(&format!("{DELETED}[-{text}-]{DELETED:#}"))
            }
            Some((ChangeTag::Insert, text)) => {
                line.push_str(&format!("{INSERTED}{{+{text}+}}{INSERTED:#}"))
            }
            Some((ChangeTag::Equal, text)) => line.push_str(&text),
            None => {}
        };
        for op in group {
            for change in diff.iter_changes(op) {
                // Whitespace stays as it is (a paragraph break is a line
                // break); words are escaped for the terminal.
                let value = change.value();
                let text = match value.trim().is_empty() {
                    true => value.to_owned(),
                    false => escape(value).into_owned(),
                };
                match &mut run {
                    Some((tag, so_far)) if *tag == change.tag() => so_far.push_str(&text),
                    _ => {
                        flush(&mut line, run.take());
                        run = Some((change.tag(), text));
                    }
                }
            }
        }
        flush(&mut line, run);
        for part in line.trim().lines() {
            writeln!(out, "{indent}{part}")?;
        }
    }
    Ok(())
}
