//! A newsroom's time zone — an IANA name or a fixed offset (`news.toml`) —
//! and the one parser of the dates people type in options (`--created`,
//! `--embargo`, `--since`, `--until`, `set …=`).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone as _};

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

/// A moment a person named: an instant, or a whole day in the newsroom's
/// time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    Instant(DateTime<FixedOffset>),
    Day(NaiveDate),
}

/// What the date parser accepts, for its error message.
pub const DATE_FORMS: &str = "an RFC 3339 date-time (2015-09-23T18:02:00+03:00), a date-time without an offset (2015-09-23 18:02, in the newsroom's time zone), a date (2015-09-23), now, today, yesterday, tomorrow, N days ago / N hours ago, or in N days / in N hours";

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum UnknownDate {
    #[error("{text:?} is not a date news reads; give {DATE_FORMS}")]
    Unreadable { text: String },
    #[error(
        "{text:?} does not exist in {zone}: its clocks skip that hour; give a time before or after the change"
    )]
    Skipped { text: String, zone: String },
}

impl TimeZone {
    /// Reads a date a person typed, in this zone, as of `now`.
    pub fn parse_moment(
        &self,
        text: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Moment, UnknownDate> {
        let unknown = || UnknownDate::Unreadable {
            text: text.to_owned(),
        };
        let trimmed = text.trim();
        let lower = trimmed.to_lowercase();
        match lower.as_str() {
            "now" => return Ok(Moment::Instant(self.at(now))),
            "today" => return Ok(Moment::Day(self.local_date(&now))),
            "yesterday" => {
                return self
                    .local_date(&now)
                    .pred_opt()
                    .map(Moment::Day)
                    .ok_or_else(unknown);
            }
            // An embargo lies ahead.
            "tomorrow" => {
                return self
                    .local_date(&now)
                    .succ_opt()
                    .map(Moment::Day)
                    .ok_or_else(unknown);
            }
            _ => {}
        }
        let span = |count: &str| {
            let (number, unit) = count.split_once(' ')?;
            let number: i64 = number.parse().ok()?;
            match unit {
                "day" | "days" => Duration::try_days(number),
                "hour" | "hours" => Duration::try_hours(number),
                "minute" | "minutes" => Duration::try_minutes(number),
                "week" | "weeks" => Duration::try_weeks(number),
                _ => None,
            }
        };
        if let Some(count) = lower.strip_suffix(" ago") {
            return span(count)
                .and_then(|span| now.checked_sub_signed(span))
                .map(|instant| Moment::Instant(self.at(instant)))
                .ok_or_else(unknown);
        }
        if let Some(count) = lower.strip_prefix("in ") {
            return span(count)
                .and_then(|span| now.checked_add_signed(span))
                .map(|instant| Moment::Instant(self.at(instant)))
                .ok_or_else(unknown);
        }
        if let Ok(instant) = DateTime::parse_from_rfc3339(trimmed) {
            return Ok(Moment::Instant(instant));
        }
        if let Ok(day) = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
            return Ok(Moment::Day(day));
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
        ] {
            if let Ok(local) = NaiveDateTime::parse_from_str(trimmed, format) {
                return self.localize(local).map(Moment::Instant).ok_or_else(|| {
                    UnknownDate::Skipped {
                        text: text.to_owned(),
                        zone: self.to_string(),
                    }
                });
            }
        }
        Err(unknown())
    }

    /// The instant `local` names in this zone (the earlier one when a
    /// clock change makes it ambiguous); none in a gap.
    pub fn localize(&self, local: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
        match self {
            TimeZone::Named(zone) => zone
                .from_local_datetime(&local)
                .earliest()
                .map(|instant| instant.fixed_offset()),
            TimeZone::Fixed(offset) => offset.from_local_datetime(&local).earliest(),
        }
    }

    /// `instant` with this zone's offset.
    pub fn at(&self, instant: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        match self {
            TimeZone::Named(zone) => instant.with_timezone(zone).fixed_offset(),
            TimeZone::Fixed(offset) => instant.with_timezone(offset),
        }
    }

    /// Whether a record can hold `instant`: TOML's years, 0000 to 9999, as
    /// given and in this zone.
    pub fn fits_record(&self, instant: DateTime<FixedOffset>) -> bool {
        let years = 0..=9999;
        years.contains(&instant.year()) && years.contains(&self.at(instant).year())
    }

    /// Where `moment` starts: an instant itself, a day at its first
    /// instant (midnight, or where the clocks skip midnight, the time they
    /// skip to).
    pub fn start_of(&self, moment: Moment) -> Option<DateTime<FixedOffset>> {
        match moment {
            Moment::Instant(instant) => Some(instant),
            Moment::Day(day) => self.day_starts(day),
        }
    }

    /// The first instant after `moment`: a day includes all of itself.
    pub fn end_of(&self, moment: Moment) -> Option<DateTime<FixedOffset>> {
        match moment {
            Moment::Instant(instant) => instant.checked_add_signed(Duration::nanoseconds(1)),
            Moment::Day(day) => self.day_starts(day.succ_opt()?),
        }
    }

    /// The first instant of `day` in this zone.
    fn day_starts(&self, day: NaiveDate) -> Option<DateTime<FixedOffset>> {
        let midnight = day.and_hms_opt(0, 0, 0)?;
        // Clocks skip at most a day (Samoa, 2011), by whole quarter hours.
        (0..=24 * 4).find_map(|quarter| {
            self.localize(midnight.checked_add_signed(Duration::minutes(15 * quarter))?)
        })
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

    #[test]
    fn reads_the_dates_people_type_in_the_newsrooms_zone() {
        let moscow: TimeZone = "Europe/Moscow".parse().unwrap();
        let now = DateTime::parse_from_rfc3339("2015-09-23T22:30:00+00:00").unwrap();
        let read = |text: &str| moscow.parse_moment(text, now).unwrap();
        let instant = |text: &str| Moment::Instant(DateTime::parse_from_rfc3339(text).unwrap());
        let day = |text: &str| Moment::Day(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap());
        assert_eq!(
            read("2015-09-23T12:00:00+03:00"),
            instant("2015-09-23T12:00:00+03:00")
        );
        assert_eq!(
            read("2015-09-23 12:00"),
            instant("2015-09-23T12:00:00+03:00")
        );
        assert_eq!(
            read("2015-09-23T12:00:30"),
            instant("2015-09-23T12:00:30+03:00")
        );
        assert_eq!(read("2015-09-23"), day("2015-09-23"));
        assert_eq!(read("now"), instant("2015-09-24T01:30:00+03:00"));
        assert_eq!(read("Today"), day("2015-09-24"));
        assert_eq!(read("yesterday"), day("2015-09-23"));
        assert_eq!(read("2 days ago"), instant("2015-09-22T01:30:00+03:00"));
        assert_eq!(read("1 hour ago"), instant("2015-09-24T00:30:00+03:00"));
        assert_eq!(read("tomorrow"), day("2015-09-25"));
        assert_eq!(read("in 2 hours"), instant("2015-09-24T03:30:00+03:00"));
        for bad in [
            "premature",
            "2015-09-23T",
            "99999-01-01",
            "x days ago",
            "9999999999999 days ago",
            "in a while",
            "in 9999999999999 days",
        ] {
            let error = moscow.parse_moment(bad, now).unwrap_err();
            assert!(error.to_string().contains("N days ago"), "{bad}: {error}");
        }
        let until = moscow.end_of(day("2015-09-23")).unwrap();
        assert_eq!(until.to_rfc3339(), "2015-09-24T00:00:00+03:00");
    }

    #[test]
    fn a_day_whose_midnight_the_clocks_skip_starts_where_they_land() {
        let sao_paulo: TimeZone = "America/Sao_Paulo".parse().unwrap();
        let now = DateTime::parse_from_rfc3339("2018-11-10T12:00:00+00:00").unwrap();
        let day = sao_paulo.parse_moment("2018-11-04", now).unwrap();
        assert_eq!(
            sao_paulo.start_of(day).unwrap().to_rfc3339(),
            "2018-11-04T01:00:00-02:00"
        );
        let before = sao_paulo.parse_moment("2018-11-03", now).unwrap();
        assert_eq!(
            sao_paulo.end_of(before).unwrap().to_rfc3339(),
            "2018-11-04T01:00:00-02:00"
        );
        // A time the clocks skip does not exist: said so.
        let berlin: TimeZone = "Europe/Berlin".parse().unwrap();
        let error = berlin.parse_moment("2026-03-29 02:30", now).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("does not exist in Europe/Berlin"),
            "{error}"
        );
    }
}
