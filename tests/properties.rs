//! Properties of the record layer over generated input (proptest): a
//! format-preserving edit changes only the edited value's bytes, setting
//! then removing a field gives the record back, and checking arbitrary
//! bytes never panics.

use std::path::Path;

use news::article::{FieldPath, Record, RecordEditor};
use news::schema::Schema;
use proptest::prelude::*;

const FOUNDING: &str = include_str!(
    "../examples/articles/2015/09/23/analysts-russian-japanese-relations-show-signs-of-thawing.toml"
);

/// The founding article's one-line text fields, by path.
fn scalar_field() -> impl Strategy<Value = FieldPath> {
    prop_oneof![
        Just(FieldPath::root().key("headline")),
        Just(FieldPath::root().key("section")),
        Just(FieldPath::root().key("disclaimer")),
        Just(FieldPath::root().key("dateline").key("place")),
        Just(FieldPath::root().key("media").index(0).key("credit")),
        Just(FieldPath::root().key("sources").index(1).key("affiliation")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn an_edit_changes_only_the_edited_values_bytes(field in scalar_field(), value in "\\PC{0,60}") {
        let record = Record::parse(FOUNDING).unwrap();
        let span = record.get(&field).unwrap().value.span();
        let mut editor = RecordEditor::parse(FOUNDING).unwrap();
        editor.set(&field, toml_edit::Value::from(value.as_str())).unwrap();
        let edited = editor.to_string();
        prop_assert!(edited.starts_with(&FOUNDING[..span.start]), "the text before the value changed");
        prop_assert!(edited.ends_with(&FOUNDING[span.end..]), "the text after the value changed");
        let reparsed = Record::parse(&edited).unwrap();
        let entry = reparsed.get(&field).unwrap();
        prop_assert_eq!(entry.value.get_ref().as_str(), Some(value.as_str()));
    }

    #[test]
    fn setting_then_removing_a_new_field_gives_the_record_back(value in "\\PC{0,60}") {
        let field = FieldPath::root().key("summary");
        prop_assume!(Record::parse(FOUNDING).unwrap().get(&field).is_none());
        let mut editor = RecordEditor::parse(FOUNDING).unwrap();
        editor.set(&field, toml_edit::Value::from(value.as_str())).unwrap();
        prop_assert!(editor.remove(&field).unwrap());
        prop_assert_eq!(editor.to_string(), FOUNDING);
    }

    #[test]
    fn checking_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let schema = Schema::builtin();
        let path = Path::new("articles/2015/09/23/a.toml");
        let _ = news::validate::check_record(&bytes, path, path, None, &schema);
    }

    #[test]
    fn checking_a_damaged_record_never_panics(cuts in proptest::collection::vec((0..FOUNDING.len(), any::<u8>()), 1..8)) {
        let mut bytes = FOUNDING.as_bytes().to_vec();
        for (at, byte) in cuts {
            bytes[at] = byte;
        }
        let schema = Schema::builtin();
        let path = Path::new("articles/2015/09/23/analysts-russian-japanese-relations-show-signs-of-thawing.toml");
        let _ = news::validate::check_record(&bytes, path, path, None, &schema);
    }
}
