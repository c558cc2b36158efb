//! Lines that name their fields: JSON objects and logfmt (`time=… level=info msg="…"`).

use std::borrow::Cow;

use super::Header;
use crate::logs::level::Level;

const MESSAGE: [&str; 4] = ["msg", "message", "MESSAGE", "log"];
const LEVEL: [&str; 5] = ["level", "lvl", "severity", "loglevel", "PRIORITY"];
const TIME: [&str; 5] = ["time", "ts", "timestamp", "@timestamp", "t"];

fn level_of(v: &str) -> Option<Level> {
    Level::from_word(v).or_else(|| v.parse().ok().filter(|n| *n < 8).map(Level::from_syslog))
}

/// `{"level":"error","msg":"…",…}` with a message field.
pub fn json(line: &str) -> Option<Header<'_>> {
    if !(line.starts_with('{') && line.ends_with('}')) {
        return None;
    }
    let v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).ok()?;
    let text = |keys: &[&str]| {
        keys.iter().find_map(|k| match v.get(*k)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let message = text(&MESSAGE)?;
    Some(Header {
        message: Cow::Owned(message),
        level: text(&LEVEL).as_deref().and_then(level_of),
        time: None,
    })
}

/// One `key=value` or `key="quoted value"` pair at the start of `s`: key, value, rest.
fn pair(s: &str) -> Option<(&str, &str, &str)> {
    let s = s.trim_start();
    let eq = s.find('=')?;
    let key = &s[..eq];
    if key.is_empty()
        || !key
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"_.-@".contains(&c))
    {
        return None;
    }
    let v = &s[eq + 1..];
    if let Some(q) = v.strip_prefix('"') {
        let b = q.as_bytes();
        let mut i = 0;
        while i < b.len() && b[i] != b'"' {
            i += if b[i] == b'\\' { 2 } else { 1 };
        }
        let end = i.min(q.len());
        return Some((key, &q[..end], q.get(end + 1..).unwrap_or_default()));
    }
    let end = v.find(char::is_whitespace).unwrap_or(v.len());
    Some((key, &v[..end], &v[end..]))
}

/// logfmt: the line starts with a time, level or message pair. The message is `msg`'s value,
/// else the other pairs.
pub fn logfmt(line: &str) -> Option<Header<'_>> {
    let first = line.split_ascii_whitespace().next()?;
    let (k0, _) = first.split_once('=')?;
    if !(TIME.contains(&k0) || LEVEL.contains(&k0) || MESSAGE.contains(&k0)) {
        return None;
    }
    let (mut level, mut time, mut message, mut others) = (None, None, None, None);
    let mut rest = line;
    while let Some((k, v, r)) = pair(rest) {
        if LEVEL.contains(&k) {
            level = level_of(v);
        } else if TIME.contains(&k) {
            time = Some(v);
        } else if MESSAGE.contains(&k) {
            message = Some(v);
        } else if others.is_none() {
            others = Some(line.len() - rest.trim_start().len());
        }
        rest = r;
    }
    let message = message.or_else(|| others.map(|at| line[at..].trim()))?;
    Some(Header {
        message: Cow::Owned(message.replace("\\\"", "\"")),
        level,
        time,
    })
}
