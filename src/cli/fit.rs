//! Text fitted to a terminal's width, by display width (a wide character
//! takes two columns): cut with `…`, or wrapped at spaces.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` cut to `width` display columns, with `…` where it was cut.
pub fn truncate(text: &str, width: usize) -> Cow<'_, str> {
    if text.width() <= width {
        return text.into();
    }
    let Some(room) = width.checked_sub(1) else {
        return "".into();
    };
    let mut cut = String::new();
    let mut used = 0;
    for character in text.chars() {
        let wide = character.width().unwrap_or(0);
        if used + wide > room {
            break;
        }
        used += wide;
        cut.push(character);
    }
    cut.push('…');
    cut.into()
}

/// Each line of `text` wrapped at spaces to `width` columns, its
/// continuation lines indented as the line is (and under the text of a
/// `- ` or `* ` list item). A word wider than the line (a long address)
/// is kept whole on a line of its own: cut, it could not be copied.
pub fn wrap(text: &str, width: usize) -> String {
    text.split_inclusive('\n')
        .map(|line| match line.strip_suffix('\n') {
            Some(line) => wrap_line(line, width) + "\n",
            None => wrap_line(line, width),
        })
        .collect()
}

fn wrap_line(line: &str, width: usize) -> String {
    if line.width() <= width {
        return line.to_owned();
    }
    let content = line.trim_start_matches([' ', '\t']);
    let lead = &line[..line.len() - content.len()];
    let marker = ["- ", "* "]
        .into_iter()
        .find(|marker| content.starts_with(marker))
        .map_or(0, str::len);
    let hanging = " ".repeat(lead.width() + marker);
    let mut wrapped = String::from(lead);
    let mut used = lead.width();
    let mut first = true;
    for word in content.split(' ').filter(|word| !word.is_empty()) {
        let wide = word.width();
        if !first && used + 1 + wide > width {
            wrapped.push('\n');
            wrapped.push_str(&hanging);
            used = hanging.len();
        } else if !first {
            wrapped.push(' ');
            used += 1;
        }
        wrapped.push_str(word);
        used += wide;
        first = false;
    }
    wrapped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(truncate("Kishida arrives", 20), "Kishida arrives");
        assert_eq!(truncate("Kishida arrives", 8), "Kishida…");
        assert_eq!(truncate("Kishida arrives", 0), "");
        // Wide characters take two columns: no half of one is shown.
        let cut = truncate("岸田外相がモスクワ到着", 8);
        assert_eq!(cut, "岸田外…");
        assert!(cut.width() <= 8);
    }

    #[test]
    fn wraps_paragraphs_at_spaces_within_the_width() {
        let text = "The dialogue between Russia and Japan appears to have resumed.\n\nShort.\n";
        let wrapped = wrap(text, 20);
        assert_eq!(
            wrapped,
            "The dialogue between\nRussia and Japan\nappears to have\nresumed.\n\nShort.\n"
        );
        assert!(wrapped.lines().all(|line| line.width() <= 20));
    }

    #[test]
    fn list_items_hang_and_long_words_stay_whole() {
        assert_eq!(
            wrap("- one two three four", 10),
            "- one two\n  three\n  four"
        );
        assert_eq!(
            wrap("see https://example.com/a/long/path now", 10),
            "see\nhttps://example.com/a/long/path\nnow"
        );
        // Two-column characters count twice.
        assert_eq!(wrap("岸田 外相が モスクワ", 10), "岸田\n外相が\nモスクワ");
    }
}
