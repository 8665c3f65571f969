//! Text fitted to a terminal's width, by display width (a wide character
//! takes two columns).

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
}
