//! `FIELD=VALUE` from the command line on arbitrary text: parsing it
//! against the schema and applying it to the founding article must never
//! panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use news::article::RecordEditor;
use news::editorial::Assignment;
use news::newsroom::TimeZone;
use news::schema::Schema;

const FOUNDING: &str = include_str!(
    "../../examples/articles/2015/09/23/analysts-russian-japanese-relations-show-signs-of-thawing.toml"
);

fuzz_target!(|text: &str| {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    let schema = SCHEMA.get_or_init(Schema::builtin);
    if let Ok(assignment) = Assignment::parse(text, schema, &TimeZone::default()) {
        if let Ok(mut editor) = RecordEditor::parse(FOUNDING) {
            let _ = assignment.apply(&mut editor);
            let _ = editor.to_string();
        }
    }
});
