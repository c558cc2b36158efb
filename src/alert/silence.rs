//! Silences as in Alertmanager: label matchers (`alertname` is the rule) and a time span.
//! An alert that a live silence matches is still shown, marked silenced; nothing about it is
//! sent on.

use super::lifecycle::Alert;

#[derive(Debug, Clone, PartialEq)]
pub struct Silence {
    pub id: u64,
    /// Label name and value that must be equal; `alertname` matches the rule's name.
    pub matchers: Vec<(String, String)>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub by: String,
}

impl Silence {
    pub fn active(&self, now: i64) -> bool {
        (self.starts_at..self.ends_at).contains(&now)
    }

    pub fn matches(&self, a: &Alert, now: i64) -> bool {
        self.active(now) && a.matches(&self.matchers)
    }

    /// Matchers that pick exactly this alert: its rule and every label.
    pub fn matchers_for(a: &Alert) -> Vec<(String, String)> {
        let mut m = vec![("alertname".to_string(), a.rule.clone())];
        m.extend(a.labels.iter().map(|(k, v)| (k.clone(), v.clone())));
        m
    }
}

/// The silence (if any) that mutes `a` at `now`.
pub fn silenced_by<'a>(silences: &'a [Silence], a: &Alert, now: i64) -> Option<&'a Silence> {
    silences.iter().find(|s| s.matches(a, now))
}

/// What the silence prompt takes: a span, then optional `name=value` matchers, e.g.
/// "2h host=web-1" (every alert of web-1). Without matchers: exactly `a` (rule and labels).
pub fn parse_prompt(
    text: &str,
    a: &Alert,
    now: i64,
) -> Result<(Vec<(String, String)>, i64), String> {
    let (pairs, span): (Vec<&str>, Vec<&str>) =
        text.split_whitespace().partition(|w| w.contains('='));
    let mut matchers = Vec::new();
    for p in pairs {
        match p.split_once('=') {
            Some((k, v)) if !k.is_empty() && !v.is_empty() => {
                matchers.push((k.to_string(), v.to_string()))
            }
            _ => return Err(format!("`{p}` is not a matcher like host=web-1")),
        }
    }
    if matchers.is_empty() {
        matchers = Silence::matchers_for(a);
    }
    Ok((matchers, parse_end(&span.join(" "), now)?))
}

/// "1h", "30m" (from now) or "until 18:00" / "until 2026-11-24 09:00" → end time in ms.
/// A bare clock time already past today means tomorrow.
pub fn parse_end(text: &str, now: i64) -> Result<i64, String> {
    let text = text.trim();
    if let Some(t) = text.strip_prefix("until") {
        let end = crate::timeparse::parse_time(t.trim(), now)?;
        let day = 86_400_000;
        let end = if end <= now && t.trim().len() <= 8 {
            end + day
        } else {
            end
        };
        if end <= now {
            return Err(format!("`{text}` is past: a silence must end later"));
        }
        return Ok(end);
    }
    let d = humantime::parse_duration(text)
        .map_err(|_| format!("`{text}` is not a duration (1h, 30m) or \"until 18:00\""))?;
    if d.is_zero() {
        return Err(format!(
            "`{text}`: a silence must last (1h, 30m, until 18:00)"
        ));
    }
    Ok(now.saturating_add(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(rule: &str, mount: &str) -> Alert {
        Alert::firing(rule, &[("host", "web-1"), ("mount", mount)])
    }

    #[test]
    fn a_silence_that_would_end_at_once_is_refused() {
        let now = 1_800_000_000_000;
        for text in ["0", "0s", "until 2020-01-01 00:00"] {
            let e = parse_end(text, now).unwrap_err();
            assert!(e.contains("must"), "{text}: {e}");
        }
        assert_eq!(parse_end("1h", now), Ok(now + 3_600_000));
    }

    #[test]
    fn matchers_and_time_span() {
        let a = alert("disk_full", "/");
        let s = Silence {
            id: 7,
            matchers: Silence::matchers_for(&a),
            starts_at: 100,
            ends_at: 200,
            by: "alice".into(),
        };
        assert!(s.matches(&a, 150));
        assert!(!s.matches(&a, 200), "ends are exclusive");
        assert!(!s.matches(&a, 50));
        assert!(!s.matches(&alert("disk_full", "/home"), 150));
        let host_wide = Silence {
            matchers: vec![("host".into(), "web-1".into())],
            ..s.clone()
        };
        assert!(host_wide.matches(&alert("anything", "/x"), 150));
        assert_eq!(
            silenced_by(&[s, host_wide], &alert("cpu", "/"), 150).map(|s| s.id),
            Some(7)
        );
    }

    #[test]
    fn the_prompt_takes_a_span_and_optional_matchers() {
        let a = alert("disk_full", "/");
        let (m, end) = parse_prompt("1h", &a, 0).unwrap();
        assert_eq!((m, end), (Silence::matchers_for(&a), 3_600_000));
        let (m, _) = parse_prompt("2h host=web-1", &a, 0).unwrap();
        assert_eq!(m, [("host".to_string(), "web-1".to_string())]);
        assert!(
            parse_prompt("1h host=", &a, 0)
                .unwrap_err()
                .contains("not a matcher")
        );
    }

    #[test]
    fn how_long() {
        let now = 1_000_000_000_000;
        assert_eq!(parse_end("1h", now), Ok(now + 3_600_000));
        assert_eq!(parse_end(" 30m ", now), Ok(now + 1_800_000));
        let until = parse_end("until 23:59", now).unwrap();
        assert!(until > now && until <= now + 86_400_000);
        assert!(
            parse_end("for a while", now)
                .unwrap_err()
                .contains("not a duration")
        );
    }
}
