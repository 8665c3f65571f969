//! The record reader on arbitrary bytes: parsing, the schema and the
//! built-in rules, the typed model and the format-preserving editor must
//! never panic.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use news::article::{FieldPath, Record, RecordEditor};
use news::schema::Schema;

fuzz_target!(|bytes: &[u8]| {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    let schema = SCHEMA.get_or_init(Schema::builtin);
    let path = Path::new("articles/2015/09/23/fuzz.toml");
    let _ = news::validate::check_record(bytes, path, path, None, schema);
    if let Ok(text) = std::str::from_utf8(bytes) {
        if let Ok(record) = Record::parse(text) {
            let _ = record.to_article();
            let _ = record.to_json();
        }
        if let Ok(mut editor) = RecordEditor::parse(text) {
            let _ = editor.set(&FieldPath::root().key("summary"), "fuzzed".into());
            let _ = editor.remove(&FieldPath::root().key("media").index(0));
            let _ = editor.to_string();
        }
    }
});
