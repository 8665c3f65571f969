//! Key paths into a record, written the way findings name fields:
//! `byline`, `dateline.place`, `media[0].credit`.

use std::fmt;

/// One step of a [`FieldPath`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A path from the top of a record to one of its values.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldPath(Vec<Segment>);

impl FieldPath {
    pub fn root() -> Self {
        Self::default()
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub fn key(&self, key: impl Into<String>) -> Self {
        self.with(Segment::Key(key.into()))
    }

    pub fn index(&self, index: usize) -> Self {
        self.with(Segment::Index(index))
    }

    pub fn push(&mut self, segment: Segment) {
        self.0.push(segment);
    }

    pub fn pop(&mut self) -> Option<Segment> {
        self.0.pop()
    }

    /// The last key of the path, ignoring array indexes: `credit` for
    /// `media[0].credit`, `tags` for `tags[2]`.
    pub fn last_key(&self) -> Option<&str> {
        self.0.iter().rev().find_map(|segment| match segment {
            Segment::Key(key) => Some(key.as_str()),
            Segment::Index(_) => None,
        })
    }

    /// The keys of the path, without its indexes: `media`, `credit` for
    /// `media[0].credit`.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|segment| match segment {
            Segment::Key(key) => Some(key.as_str()),
            Segment::Index(_) => None,
        })
    }

    /// Whether the path's keys, indexes aside, are `keys`: for matching a
    /// record's values with schema properties without allocating.
    pub fn has_keys<K: AsRef<str>>(&self, keys: &[K]) -> bool {
        self.keys().eq(keys.iter().map(AsRef::as_ref))
    }

    fn with(&self, segment: Segment) -> Self {
        let mut path = self.clone();
        path.push(segment);
        path
    }
}

impl FromIterator<Segment> for FieldPath {
    fn from_iter<I: IntoIterator<Item = Segment>>(segments: I) -> Self {
        Self(segments.into_iter().collect())
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::Key(key) => {
                    if position > 0 {
                        f.write_str(".")?;
                    }
                    if is_bare_key(key) {
                        f.write_str(key)?;
                    } else {
                        write!(f, "{key:?}")?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn is_bare_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_paths_as_findings_name_them() {
        let path = FieldPath::root().key("media").index(0).key("credit");
        assert_eq!(path.to_string(), "media[0].credit");
        assert_eq!(path.last_key(), Some("credit"));
        assert!(path.has_keys(&["media", "credit"]));
        assert!(!path.has_keys(&["media"]));
        assert_eq!(FieldPath::root().key("a.b").to_string(), "\"a.b\"");
        assert_eq!(FieldPath::root().to_string(), "");
    }
}
