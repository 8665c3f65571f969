//! A newsroom's time zone: an IANA name or a fixed offset (`news.toml`).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeZone {
    Named(chrono_tz::Tz),
    Fixed(FixedOffset),
}

impl TimeZone {
    /// The current time, with this zone's offset.
    pub fn now(&self) -> DateTime<FixedOffset> {
        let now = chrono::Utc::now();
        match self {
            TimeZone::Named(zone) => now.with_timezone(zone).fixed_offset(),
            TimeZone::Fixed(offset) => now.with_timezone(offset),
        }
    }

    /// The calendar date of `instant` in this zone.
    pub fn local_date(&self, instant: &DateTime<FixedOffset>) -> NaiveDate {
        match self {
            TimeZone::Named(zone) => instant.with_timezone(zone).date_naive(),
            TimeZone::Fixed(offset) => instant.with_timezone(offset).date_naive(),
        }
    }
}

impl Default for TimeZone {
    fn default() -> Self {
        TimeZone::Named(chrono_tz::UTC)
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is neither an IANA time zone (like \"Europe/Moscow\") nor an offset (like \"+03:00\")"
)]
pub struct UnknownTimeZone(pub String);

impl FromStr for TimeZone {
    type Err = UnknownTimeZone;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Ok(zone) = text.parse::<chrono_tz::Tz>() {
            return Ok(TimeZone::Named(zone));
        }
        if text == "Z" {
            return Ok(TimeZone::Fixed(
                FixedOffset::east_opt(0).ok_or_else(|| UnknownTimeZone(text.to_owned()))?,
            ));
        }
        text.parse::<FixedOffset>()
            .map(TimeZone::Fixed)
            .map_err(|_| UnknownTimeZone(text.to_owned()))
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeZone::Named(zone) => f.write_str(zone.name()),
            TimeZone::Fixed(offset) => write!(f, "{offset}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_offsets_and_dates_instants_in_the_zone() {
        let instant = DateTime::parse_from_rfc3339("2015-09-23T22:30:00+00:00").unwrap();
        let moscow: TimeZone = "Europe/Moscow".parse().unwrap();
        assert_eq!(moscow.local_date(&instant).to_string(), "2015-09-24");
        let fixed: TimeZone = "-05:00".parse().unwrap();
        assert_eq!(fixed.local_date(&instant).to_string(), "2015-09-23");
        assert_eq!(fixed.to_string(), "-05:00");
        assert!("Mars/Olympus".parse::<TimeZone>().is_err());
    }
}
