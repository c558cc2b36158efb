//! One StatsD line: `name:value|type[|@rate][|#tag:value,…]` (DogStatsD tags), types
//! `c` counter, `g` gauge (`+n`/`-n` change it), `ms`/`h`/`d` timer or histogram, `s` set.

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Counter,
    /// A gauge; `delta` when the value is a change (`+3`, `-2`).
    Gauge {
        delta: bool,
    },
    Timer,
    Set,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    pub name: &'a str,
    /// The number (sets: 0, their member is `member`).
    pub value: f64,
    pub member: &'a str,
    pub kind: Kind,
    /// The sample rate (0 < rate ≤ 1): a counter's or timer's value stands for 1/rate.
    pub rate: f64,
    pub tags: Vec<(&'a str, &'a str)>,
}

/// A line, or why it is not one.
pub fn line(l: &str) -> Result<Line<'_>, &'static str> {
    let (name, rest) = l.split_once(':').ok_or("no `:`")?;
    if name.is_empty() || name.len() > 200 || name.contains(['|', '#', ' ']) {
        return Err("a bad name");
    }
    let mut parts = rest.split('|');
    let value = parts.next().ok_or("no value")?;
    let kind = match parts.next().ok_or("no type")? {
        "c" => Kind::Counter,
        "g" => Kind::Gauge {
            delta: value.starts_with(['+', '-']),
        },
        "ms" | "h" | "d" => Kind::Timer,
        "s" => Kind::Set,
        _ => return Err("an unknown type"),
    };
    let mut out = Line {
        name,
        value: 0.0,
        member: "",
        kind,
        rate: 1.0,
        tags: Vec::new(),
    };
    if kind == Kind::Set {
        out.member = value;
    } else {
        out.value = value.parse().map_err(|_| "a value that is no number")?;
        if !out.value.is_finite() {
            return Err("a value that is no number");
        }
    }
    for p in parts {
        if let Some(r) = p.strip_prefix('@') {
            out.rate = r.parse().map_err(|_| "a bad sample rate")?;
            if !(out.rate > 0.0 && out.rate <= 1.0) {
                return Err("a sample rate outside (0, 1]");
            }
        } else if let Some(tags) = p.strip_prefix('#') {
            for t in tags.split(',').filter(|t| !t.is_empty()) {
                out.tags.push(t.split_once(':').unwrap_or((t, "")));
            }
        }
        // Other fields (DogStatsD's `c:` container, `T` timestamps) are left alone.
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_statsd_and_dogstatsd_write() {
        let l = line("api.hits:3|c|@0.5|#env:prod,canary").unwrap();
        assert_eq!(
            (l.name, l.value, l.kind, l.rate),
            ("api.hits", 3.0, Kind::Counter, 0.5)
        );
        assert_eq!(l.tags, [("env", "prod"), ("canary", "")]);
        assert_eq!(line("q:-2|g").unwrap().kind, Kind::Gauge { delta: true });
        assert_eq!(line("q:2|g").unwrap().kind, Kind::Gauge { delta: false });
        assert_eq!(line("t:12.5|ms").unwrap().kind, Kind::Timer);
        let s = line("users:alice|s").unwrap();
        assert_eq!((s.kind, s.member), (Kind::Set, "alice"));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bad in [
            "",
            "x",
            ":1|c",
            "x:1",
            "x:1|q",
            "x:abc|c",
            "x:1|c|@0",
            "x:1|c|@2",
            "x:NaN|g",
            "x:inf|ms",
            "a b:1|c",
            "\u{0}:\u{ff}|",
            "x:1|c|@",
        ] {
            assert!(line(bad).is_err(), "{bad:?}");
        }
    }
}
