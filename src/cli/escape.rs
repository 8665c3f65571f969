//! Text from records shown on a terminal: control characters and escape
//! sequences are written escaped, never sent raw.

use std::borrow::Cow;

use news::schema::is_control;

/// `text` with every control character, Unicode line separator and
/// bidirectional override escaped (`\u{1b}`, `\n`, `\t`).
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        if is_control(character) {
            escaped.extend(character.escape_default());
        } else {
            escaped.push(character);
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_overrides_only() {
        assert_eq!(escape("plain — текст"), "plain — текст");
        assert_eq!(escape("a\u{1b}[31mred\u{7}"), "a\\u{1b}[31mred\\u{7}");
        assert_eq!(escape("tab\there\nnext"), "tab\\there\\nnext");
        assert_eq!(escape("\u{202E}evil"), "\\u{202e}evil");
    }
}
