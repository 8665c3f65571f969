//! Who commits, as git decides it: `GIT_AUTHOR_*` and `GIT_COMMITTER_*`
//! first, then `user.name` and `user.email` (then `EMAIL`).

use chrono::{DateTime, FixedOffset};

use super::GitError;

/// A name, an email and, optionally, a fixed time (otherwise: now).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
    pub when: Option<DateTime<FixedOffset>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signatures {
    pub author: Identity,
    pub committer: Identity,
}

impl Signatures {
    /// The same identity as author and committer.
    pub fn both(identity: Identity) -> Self {
        Self {
            author: identity.clone(),
            committer: identity,
        }
    }

    pub(super) fn from_environment(
        config_name: Option<String>,
        config_email: Option<String>,
    ) -> Result<Self, GitError> {
        let variable = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        let email_fallback = config_email.or_else(|| variable("EMAIL"));
        let identity = |role: &str| -> Result<Identity, GitError> {
            let name = variable(&format!("GIT_{role}_NAME")).or_else(|| config_name.clone());
            let email = variable(&format!("GIT_{role}_EMAIL")).or_else(|| email_fallback.clone());
            let (Some(name), Some(email)) = (name, email) else {
                return Err(GitError::NoIdentity);
            };
            let date_variable = format!("GIT_{role}_DATE");
            let when = match variable(&date_variable) {
                Some(value) => Some(parse_git_date(&value).ok_or(GitError::BadDate {
                    variable: date_variable,
                    value,
                })?),
                None => None,
            };
            Ok(Identity { name, email, when })
        };
        Ok(Self {
            author: identity("AUTHOR")?,
            committer: identity("COMMITTER")?,
        })
    }
}

impl Identity {
    pub(super) fn to_signature(&self) -> Result<git2::Signature<'static>, GitError> {
        let signature = match self.when {
            Some(when) => git2::Signature::new(
                &self.name,
                &self.email,
                &git2::Time::new(when.timestamp(), when.offset().local_minus_utc() / 60),
            ),
            None => git2::Signature::now(&self.name, &self.email),
        };
        signature.map_err(|error| {
            GitError::git(
                format!("use the identity {} <{}>", self.name, self.email),
                error,
            )
        })
    }
}

/// The date formats git accepts in `GIT_*_DATE` that scripts use: its own
/// `@<seconds> <offset>` (or without the `@`), RFC 3339 / ISO 8601, and
/// RFC 2822.
pub fn parse_git_date(value: &str) -> Option<DateTime<FixedOffset>> {
    let value = value.trim();
    let raw = value.strip_prefix('@').unwrap_or(value);
    if let Some((seconds, offset)) = raw.split_once(' ')
        && let (Ok(seconds), Some(offset)) = (seconds.parse::<i64>(), parse_offset(offset))
    {
        return DateTime::from_timestamp(seconds, 0).map(|utc| utc.with_timezone(&offset));
    }
    if let Ok(seconds) = raw.parse::<i64>() {
        let utc = FixedOffset::east_opt(0)?;
        return DateTime::from_timestamp(seconds, 0).map(|instant| instant.with_timezone(&utc));
    }
    DateTime::parse_from_rfc3339(value)
        .or_else(|_| DateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S %z"))
        .or_else(|_| DateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%z"))
        .or_else(|_| DateTime::parse_from_rfc2822(value))
        .ok()
}

fn parse_offset(text: &str) -> Option<FixedOffset> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_date_formats_scripts_use() {
        let expected = "2015-09-23T18:24:00+03:00";
        for value in [
            "@1443021840 +0300",
            "1443021840 +0300",
            "2015-09-23T18:24:00+03:00",
            "2015-09-23 18:24:00 +0300",
            "Wed, 23 Sep 2015 18:24:00 +0300",
        ] {
            let parsed = parse_git_date(value).unwrap_or_else(|| panic!("{value}"));
            assert_eq!(parsed.to_rfc3339(), expected, "{value}");
        }
        assert_eq!(parse_git_date("yesterday"), None);
    }
}
