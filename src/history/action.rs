//! Editorial actions: the label a commit's `News-Action` trailer gives,
//! and the one classifier that tells the action from the record's change
//! itself (DESIGN §3, §5), so that commits made with plain git are judged
//! the same way.

use serde_json::Value;

/// What a commit did to a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Init,
    New,
    Edit,
    Set,
    Tag,
    Submit,
    Return,
    Publish,
    Withhold,
    Correct,
    Retract,
    Mv,
    Rm,
}

impl Action {
    pub const ALL: [Action; 13] = [
        Action::Init,
        Action::New,
        Action::Edit,
        Action::Set,
        Action::Tag,
        Action::Submit,
        Action::Return,
        Action::Publish,
        Action::Withhold,
        Action::Correct,
        Action::Retract,
        Action::Mv,
        Action::Rm,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Init => "init",
            Action::New => "new",
            Action::Edit => "edit",
            Action::Set => "set",
            Action::Tag => "tag",
            Action::Submit => "submit",
            Action::Return => "return",
            Action::Publish => "publish",
            Action::Withhold => "withhold",
            Action::Correct => "correct",
            Action::Retract => "retract",
            Action::Mv => "mv",
            Action::Rm => "rm",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL
            .into_iter()
            .find(|action| action.as_str() == text)
    }

    /// Whether a label agrees with the action a change is classified as:
    /// `set`, `tag` and `mv` are kinds of edit.
    pub fn agrees_with(self, classified: Action) -> bool {
        self == classified
            || (classified == Action::Edit
                && matches!(self, Action::Set | Action::Tag | Action::Mv))
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// DESIGN §3's transition table, the one the workflow commands follow
/// and the history rules judge by: each command, the statuses it starts
/// from, the status it leads to (none: the status stays), and for a
/// refusal what it starts from and what it does.
pub const WORKFLOW: [(Action, &[&str], Option<&str>, &str); 6] = [
    (
        Action::Submit,
        &["draft"],
        Some("review"),
        "only a draft can be submitted",
    ),
    (
        Action::Return,
        &["review"],
        Some("draft"),
        "only a record in review can be returned",
    ),
    (
        Action::Publish,
        &["draft", "review", "withheld"],
        Some("published"),
        "only a draft, a record in review or a withheld one can be published",
    ),
    (
        Action::Withhold,
        &["published"],
        Some("withheld"),
        "only a published record can be withheld",
    ),
    (
        Action::Correct,
        &["published", "withheld"],
        None,
        "only a published or withheld record can be corrected",
    ),
    (
        Action::Retract,
        &["published", "withheld"],
        Some("retracted"),
        "only a published or withheld record can be retracted",
    ),
];

/// The action a change from `before` to `after` is (records as JSON; none:
/// no record): a new file is `new`, a removed one `rm`; a status change is
/// the transition of DESIGN §3 that makes it (draft → review `submit`,
/// review → draft `return`, to published `publish`, to withheld
/// `withhold`, to retracted `retract`); a new correction `correct`;
/// anything else `edit`.
pub fn classify(before: Option<&Value>, after: Option<&Value>) -> Action {
    let (before, after) = match (before, after) {
        (None, None) => return Action::Edit,
        (None, Some(_)) => return Action::New,
        (Some(_), None) => return Action::Rm,
        (Some(before), Some(after)) => (before, after),
    };
    let status = |record: &Value| {
        record
            .get("status")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let corrections = |record: &Value| {
        record
            .get("corrections")
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    };
    match (status(before).as_deref(), status(after).as_deref()) {
        (old, Some("retracted")) if old != Some("retracted") => return Action::Retract,
        (old, Some("published")) if old != Some("published") => return Action::Publish,
        (Some("published"), Some("withheld")) => return Action::Withhold,
        (Some("draft"), Some("review")) => return Action::Submit,
        (Some("review"), Some("draft")) => return Action::Return,
        _ => {}
    }
    if corrections(after) > corrections(before) {
        return Action::Correct;
    }
    Action::Edit
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_transition_of_the_table_is_told_from_the_change() {
        let record = |status: &str, corrections: usize| json!({"status": status, "corrections": vec![json!({"note": "n"}); corrections]});
        let cases = [
            (None, Some(record("draft", 0)), Action::New),
            (Some(record("draft", 0)), None, Action::Rm),
            (
                Some(record("draft", 0)),
                Some(record("review", 0)),
                Action::Submit,
            ),
            (
                Some(record("review", 0)),
                Some(record("draft", 0)),
                Action::Return,
            ),
            (
                Some(record("review", 0)),
                Some(record("published", 0)),
                Action::Publish,
            ),
            (
                Some(record("withheld", 0)),
                Some(record("published", 0)),
                Action::Publish,
            ),
            (
                Some(record("published", 0)),
                Some(record("withheld", 0)),
                Action::Withhold,
            ),
            (
                Some(record("published", 0)),
                Some(record("published", 1)),
                Action::Correct,
            ),
            (
                Some(record("published", 1)),
                Some(record("retracted", 2)),
                Action::Retract,
            ),
            (
                Some(record("published", 1)),
                Some(record("published", 1)),
                Action::Edit,
            ),
        ];
        for (before, after, action) in cases {
            assert_eq!(
                classify(before.as_ref(), after.as_ref()),
                action,
                "{before:?} → {after:?}"
            );
        }
        assert!(Action::Set.agrees_with(Action::Edit));
        assert!(Action::Tag.agrees_with(Action::Edit));
        assert!(!Action::Tag.agrees_with(Action::Publish));
        assert!(!Action::Edit.agrees_with(Action::Publish));
        assert_eq!(Action::parse("withhold"), Some(Action::Withhold));
    }
}
