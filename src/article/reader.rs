//! An article as a reader sees it: a retraction notice, headline, byline,
//! dateline and body, corrections, disclaimer, credits.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};

use super::model::{Article, Correction, CorrectionKind};
use crate::time::TimeZone;

/// How times are written: in the newsroom's time zone, with the offset.
const TIME: &str = "%Y-%m-%d %H:%M %:z";

/// How a correction is dated for readers: "24 September 2015".
const DAY: &str = "%-d %B %Y";

/// The article as plain text for a terminal or a proof, its times in the
/// newsroom's `timezone`, its embargo told as of `now`. One line per
/// paragraph: wrapping is the reader's.
pub fn reader_text(article: &Article, timezone: &TimeZone, now: DateTime<FixedOffset>) -> String {
    let mut text = String::new();
    let (retractions, corrections): (Vec<&Correction>, Vec<&Correction>) = article
        .corrections
        .iter()
        .partition(|correction| correction.kind == CorrectionKind::Retraction);
    // A retracted article is read under its notice.
    if article.status.0 == "retracted" || !retractions.is_empty() {
        for retraction in &retractions {
            let _ = writeln!(text, "{}", notice(retraction, timezone));
        }
        if retractions.is_empty() {
            text.push_str("Retracted\n");
        }
        text.push('\n');
    }
    let _ = writeln!(text, "{}", article.headline);
    let mut meta: Vec<String> = Vec::new();
    if let Some(section) = &article.section {
        meta.push(section.clone());
    }
    meta.push(article.genre.to_string());
    // A record not yet published is dated by when it was begun.
    // A record taken down (withheld, retracted) says when it was
    // published, then when it was taken down.
    match article.published {
        Some(published) if article.status.0 == "published" => {
            meta.push(format!("published {}", timezone.at(published).format(TIME)))
        }
        Some(published) => {
            meta.push(format!("published {}", timezone.at(published).format(TIME)));
            meta.push(match article.updated {
                Some(updated) => {
                    format!("{} {}", article.status, timezone.at(updated).format(TIME))
                }
                None => article.status.to_string(),
            });
        }
        None => meta.push(format!(
            "{}, created {}",
            article.status,
            timezone.at(article.created).format(TIME)
        )),
    }
    if let Some(version) = article.version.filter(|version| *version > 1) {
        meta.push(format!("version {version}"));
    }
    let _ = writeln!(text, "{}", meta.join(" · "));
    if let Some(embargo) = article.embargo
        && matches!(article.status.0.as_str(), "draft" | "review")
    {
        let said = match embargo <= now {
            true => "Embargo passed",
            false => "Embargoed until",
        };
        let _ = writeln!(text, "{said} {}", timezone.at(embargo).format(TIME));
    }
    let _ = writeln!(text, "By {}", article.byline.join(", "));
    if let Some(summary) = &article.summary {
        let _ = write!(text, "\n{}\n", summary.trim());
    }
    let body = article.body.as_deref().map(str::trim).unwrap_or_default();
    let dateline = article.dateline.as_ref().map(|dateline| {
        let mut line = dateline.place.clone();
        if let Some(date) = dateline.date {
            line.push_str(&format!(", {}", date.format("%B %-d")));
        }
        line.push('.');
        if let Some(source) = &dateline.source {
            line.push_str(&format!(" /{source}/."));
        }
        line
    });
    text.push('\n');
    match (dateline, body.is_empty()) {
        (Some(dateline), false) => {
            let _ = writeln!(text, "{dateline} {body}");
        }
        (Some(dateline), true) => {
            let _ = writeln!(text, "{dateline} (no text yet)");
        }
        (None, false) => {
            let _ = writeln!(text, "{body}");
        }
        (None, true) => text.push_str("(no text yet)\n"),
    }
    if !corrections.is_empty() {
        text.push('\n');
        for correction in &corrections {
            let _ = writeln!(text, "{}", notice(correction, timezone));
        }
    }
    if let Some(disclaimer) = &article.disclaimer {
        let _ = write!(text, "\n{disclaimer}\n");
    }
    if !article.media.is_empty() {
        text.push('\n');
        for media in &article.media {
            let caption = media
                .caption
                .as_deref()
                .map(|caption| format!("{caption}. "))
                .unwrap_or_default();
            let _ = writeln!(
                text,
                "{}: {caption}{}",
                capitalized(&media.kind.to_string()),
                media.credit
            );
        }
    }
    if !article.tags.is_empty() {
        let _ = write!(text, "\nTags: {}\n", article.tags.join(", "));
    }
    text
}

/// A correction as readers see it: "Correction, 24 September 2015: …",
/// dated in the newsroom's time zone.
fn notice(correction: &Correction, timezone: &TimeZone) -> String {
    format!(
        "{}, {}: {}",
        capitalized(&correction.kind.to_string()),
        timezone.at(correction.at).format(DAY),
        correction.note.trim()
    )
}

fn capitalized(word: &str) -> String {
    let mut characters = word.chars();
    characters
        .next()
        .map(|first| first.to_uppercase().chain(characters).collect())
        .unwrap_or_default()
}
