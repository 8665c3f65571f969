//! The article record (DESIGN.md §2): parsed with exact source spans, and
//! read into a typed model that keeps unknown keys.

mod changes;
mod edit;
mod field_path;
mod id;
mod model;
mod reader;
mod record;
mod source;

pub use changes::{Change, ChangeKind, changed_fields, changes, summary};
pub use edit::{EditError, RecordEditor};
pub(crate) use edit::{keep_comments_above, remove_value};
pub use field_path::{FieldPath, Segment};
pub use id::{ArticleId, InvalidId};
pub use model::{
    Article, Correction, CorrectionKind, Dateline, Genre, Media, MediaKind, ModelError, Source,
    Status,
};
pub use reader::reader_text;
pub use record::{Entry, Record, SyntaxError, same_values};
pub use source::{Location, Span, line_text, locate};
