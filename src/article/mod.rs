//! The article record (DESIGN.md §2): parsed with exact source spans, and
//! read into a typed model that keeps unknown keys.

mod field_path;
mod model;
mod record;
mod source;

pub use field_path::{FieldPath, Segment};
pub use model::{
    Article, Correction, CorrectionKind, Dateline, Genre, Media, MediaKind, ModelError, Source,
    Status,
};
pub use record::{Entry, Record, SyntaxError};
pub use source::{Location, Span, line_text, locate};
