//! Positions in source text: byte spans to 1-based lines and columns.

/// A byte range in a record's text.
pub type Span = std::ops::Range<usize>;

/// Where a finding points: 1-based line and column (in characters), with an
/// exclusive end, as rustc's JSON diagnostics do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Location {
    /// The first character of a file, for findings about the whole file.
    pub const START: Location = Location {
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 1,
    };
}

/// Turns a byte span of `text` into a [`Location`]. Offsets past the end or
/// inside a multi-byte character are clamped, so any span is safe to pass.
pub fn locate(text: &str, span: &Span) -> Location {
    let (line, column) = line_column(text, span.start);
    let (end_line, end_column) = line_column(text, span.end.max(span.start));
    Location {
        line,
        column,
        end_line,
        end_column,
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let line = before.bytes().filter(|&byte| byte == b'\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The text of 1-based line `line`, without its line ending.
pub fn line_text(text: &str, line: usize) -> &str {
    let raw = text.split('\n').nth(line.saturating_sub(1)).unwrap_or("");
    raw.strip_suffix('\r').unwrap_or(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_lines_and_columns_in_characters() {
        let text = "a = 1\nб = \"ж\"\r\nc = 3";
        let span = text.find('"').unwrap()..text.rfind('"').unwrap() + 1;
        assert_eq!(
            locate(text, &span),
            Location {
                line: 2,
                column: 5,
                end_line: 2,
                end_column: 8
            }
        );
        assert_eq!(line_text(text, 2), "б = \"ж\"");
        assert_eq!(line_text(text, 3), "c = 3");
        assert_eq!(line_text(text, 9), "");
    }

    #[test]
    fn clamps_offsets_outside_the_text_or_inside_a_character() {
        let text = "ж";
        assert_eq!(locate(text, &(1..99)).column, 1);
        assert_eq!(locate(text, &(1..99)).end_column, 2);
    }
}
