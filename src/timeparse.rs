//! Times and jumps typed by users: "10m", "-1h", "3h ago", "2026-11-22 10:00", "14:00", "now".
//! Local time zone; no terminal code here.

use chrono::{Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

/// An absolute time in ms since the epoch. `now_ms` anchors relative forms.
pub fn parse_time(s: &str, now_ms: i64) -> Result<i64, String> {
    let s = s.trim();
    if s == "now" {
        return Ok(now_ms);
    }
    if let Some(d) = s.strip_suffix("ago") {
        return Ok(now_ms.saturating_sub(duration_ms(d)?));
    }
    let local = |dt: NaiveDateTime| {
        Local
            .from_local_datetime(&dt)
            .earliest()
            .map(|t| t.timestamp_millis())
            .ok_or_else(|| format!("`{s}` does not exist in the local time zone"))
    };
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return local(dt);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return local(d.and_time(NaiveTime::MIN));
    }
    for fmt in ["%H:%M:%S", "%H:%M"] {
        if let Ok(t) = NaiveTime::parse_from_str(s, fmt) {
            let today = Local
                .timestamp_millis_opt(now_ms)
                .single()
                .map(|n| n.date_naive())
                .ok_or("the clock is out of range")?;
            return local(today.and_time(t));
        }
    }
    Err(format!(
        "`{s}` is not a time: try \"10m ago\", \"2026-11-22 10:00\" or \"14:00\""
    ))
}

/// Where a typed jump goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A span from a time ("10m", "-1h", "3h ago"): the sample nearest this time.
    Near(i64),
    /// A clock time ("14:00", "2026-11-22 10:00:05"): the first sample at or after it.
    At(i64),
}

/// Where a jump typed at `from_ms` lands: "10m" forward (backward when `back`), "-10m" back,
/// "3h ago" or "now", anything else a clock time.
pub fn parse_jump(s: &str, from_ms: i64, now_ms: i64, back: bool) -> Result<Target, String> {
    let s = s.trim();
    if let Some(d) = s.strip_prefix('-') {
        return Ok(Target::Near(from_ms.saturating_sub(duration_ms(d)?)));
    }
    if let Some(d) = s.strip_prefix('+') {
        return Ok(Target::Near(from_ms.saturating_add(duration_ms(d)?)));
    }
    match duration_ms(s) {
        Ok(d) if back => Ok(Target::Near(from_ms.saturating_sub(d))),
        Ok(d) => Ok(Target::Near(from_ms.saturating_add(d))),
        Err(_) if s == "now" || s.ends_with("ago") => parse_time(s, now_ms).map(Target::Near),
        Err(_) => parse_time(s, now_ms).map(Target::At),
    }
}

fn duration_ms(s: &str) -> Result<i64, String> {
    humantime::parse_duration(s.trim())
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .map_err(|_| format!("`{}` is not a duration like 10m or 3h", s.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn relative_forms() {
        assert_eq!(parse_time("3h ago", NOW), Ok(NOW - 3 * 3_600_000));
        assert_eq!(parse_time("now", NOW), Ok(NOW));
        let near = |t| Ok(Target::Near(t));
        assert_eq!(parse_jump("10m", 5_000_000, NOW, false), near(5_600_000));
        assert_eq!(parse_jump("10m", 5_000_000, NOW, true), near(4_400_000));
        assert_eq!(parse_jump("-1s", 5_000, NOW, false), near(4_000));
        assert_eq!(parse_jump("1h ago", 0, NOW, false), near(NOW - 3_600_000));
        let at = parse_jump("14:30", 0, NOW, false);
        assert!(matches!(at, Ok(Target::At(_))), "{at:?}");
    }

    #[test]
    fn absolute_forms_round_trip_through_local_time() {
        let t = parse_time("2026-11-22 10:00", NOW).unwrap();
        let shown = Local
            .timestamp_millis_opt(t)
            .unwrap()
            .format("%Y-%m-%d %H:%M")
            .to_string();
        assert_eq!(shown, "2026-11-22 10:00");
        let t = parse_time("14:30", NOW).unwrap();
        let shown = Local
            .timestamp_millis_opt(t)
            .unwrap()
            .format("%H:%M")
            .to_string();
        assert_eq!(shown, "14:30");
    }

    #[test]
    fn garbage_is_a_clear_error() {
        let e = parse_time("yesterday-ish", NOW).unwrap_err();
        assert!(e.contains("is not a time"), "{e}");
    }
}
