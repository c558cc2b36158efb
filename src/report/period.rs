//! The span a report covers: a calendar day, an ISO week (Monday to Monday) or a calendar
//! month in the local time zone, and the one before it (for the changes).

use chrono::{Datelike, Days, Local, Months, NaiveDate, NaiveTime, TimeZone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    Week,
    Month,
}

/// A period's bounds, `[from, to)` in ms since the epoch, and its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first_day: NaiveDate,
    pub from: i64,
    pub to: i64,
}

impl Period {
    /// The first day of the period holding `day`.
    fn start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => day,
            Period::Week => day - Days::new(u64::from(day.weekday().num_days_from_monday())),
            Period::Month => day.with_day(1).unwrap_or(day),
        }
    }

    /// The first day after the period starting on `first`.
    fn next(self, first: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => first + Days::new(1),
            Period::Week => first + Days::new(7),
            Period::Month => first + Months::new(1),
        }
    }

    fn before(self, first: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => first - Days::new(1),
            Period::Week => first - Days::new(7),
            Period::Month => first - Months::new(1),
        }
    }

    /// The period holding `day`; without one, the last whole period before `now_ms`.
    pub fn span(self, day: Option<NaiveDate>, now_ms: i64) -> Result<Span, String> {
        let first = match day {
            Some(d) => self.start(d),
            None => {
                let today = Local
                    .timestamp_millis_opt(now_ms)
                    .single()
                    .ok_or("the clock is out of range")?
                    .date_naive();
                self.before(self.start(today))
            }
        };
        Ok(Span {
            first_day: first,
            from: midnight(first)?,
            to: midnight(self.next(first))?,
        })
    }

    /// The period before `s`.
    pub fn previous(self, s: &Span) -> Result<Span, String> {
        let first = self.before(s.first_day);
        Ok(Span {
            first_day: first,
            from: midnight(first)?,
            to: s.from,
        })
    }

    /// The rollup tier a period's figures are taken at: a minute for a day, five for a week,
    /// an hour for a month (so a month of 20 hosts is 14,400 buckets, not 52 M samples).
    pub fn tier_ms(self) -> i64 {
        match self {
            Period::Day => 60_000,
            Period::Week => 300_000,
            Period::Month => 3_600_000,
        }
    }
}

/// The local midnight starting `day` (the earliest, where a clock change repeats it).
fn midnight(day: NaiveDate) -> Result<i64, String> {
    Local
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .earliest()
        .map(|t| t.timestamp_millis())
        .ok_or_else(|| format!("{day} has no midnight in the local time zone"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_are_calendar_ones_and_the_default_is_the_last_whole_one() {
        let at = |p: Period, d: &str| p.span(Some(day(d)), 0).unwrap().first_day;
        assert_eq!(at(Period::Day, "2026-11-30"), day("2026-11-30"));
        // 2026-11-30 is a Monday; the 29th a Sunday of the week before.
        assert_eq!(at(Period::Week, "2026-11-30"), day("2026-11-30"));
        assert_eq!(at(Period::Week, "2026-11-29"), day("2026-11-23"));
        assert_eq!(at(Period::Month, "2026-11-29"), day("2026-11-01"));
        let s = Period::Month.span(Some(day("2026-02-10")), 0).unwrap();
        let days = (s.to - s.from) / 86_400_000;
        assert!((27..=29).contains(&days), "February: {days} days");
        let prev = Period::Month.previous(&s).unwrap();
        assert_eq!((prev.first_day, prev.to), (day("2026-01-01"), s.from));
        // Now is in the middle of a week: the week reported is the one before.
        let now = midnight(day("2026-12-03")).unwrap() + 3_600_000;
        let w = Period::Week.span(None, now).unwrap();
        assert_eq!(w.first_day, day("2026-11-23"));
        assert_eq!(
            Period::Day.span(None, now).unwrap().first_day,
            day("2026-12-02")
        );
    }
}
