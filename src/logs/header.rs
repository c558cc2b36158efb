//! Header detection: the timestamp, level, host, pid and component a log line starts with are
//! taken off so that only the message is mined. Forms known by their structure: syslog
//! (RFC 5424, RFC 3164 with or without `<pri>`), nginx/Apache access lines, JSON and logfmt
//! lines, `|`-separated fields. Everything else goes through one scan of the first tokens:
//! timestamps (any form `stamp` knows) and a level are anchors, a few tokens between them
//! (pid, node, component) are header too, and after the level a `[thread]` and a
//! `component:` are taken as well.

use std::borrow::Cow;

use super::level::Level;
use super::stamp;

mod format;
mod structured;

pub use format::Format;
#[cfg(test)]
mod tests;

/// A line taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header<'a> {
    pub message: Cow<'a, str>,
    pub level: Option<Level>,
    /// The timestamp as written.
    pub time: Option<&'a str>,
}

impl<'a> Header<'a> {
    fn plain(message: &'a str) -> Self {
        Header {
            message: Cow::Borrowed(message),
            level: None,
            time: None,
        }
    }
}

/// Tokens looked at for a header.
const HEAD: usize = 16;
/// Tokens a line may hold before its first timestamp (`- 1117838570 …`, HPC's id, node, …).
const BEFORE_TIME: usize = 4;
/// Tokens between two anchors (pid, node, `RAS KERNEL`).
const BETWEEN: usize = 3;

/// The first tokens of a line with their byte offsets (on the stack: this runs per line).
struct Toks<'a> {
    line: &'a str,
    at: [usize; HEAD],
    text: [&'a str; HEAD],
    n: usize,
}

impl<'a> Toks<'a> {
    fn new(line: &'a str) -> Self {
        let mut t = Toks {
            line,
            at: [0; HEAD],
            text: [""; HEAD],
            n: 0,
        };
        let b = line.as_bytes();
        let mut i = 0;
        while t.n < HEAD {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i == b.len() {
                break;
            }
            let s = i;
            while i < b.len() && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            t.at[t.n] = s;
            t.text[t.n] = &line[s..i];
            t.n += 1;
        }
        t
    }

    fn all(&self) -> &[&'a str] {
        &self.text[..self.n]
    }

    fn get(&self, i: usize) -> Option<&'a str> {
        self.all().get(i).copied()
    }

    /// The line from token `i` on (empty past the end).
    fn rest(&self, i: usize) -> &'a str {
        match (self.at[..self.n].get(i), i.checked_sub(1)) {
            (Some(a), _) => &self.line[*a..],
            (None, Some(last)) if last < self.n => {
                self.line[self.at[last] + self.text[last].len()..].trim_start()
            }
            _ => "",
        }
    }

    /// Tokens `i..j` as written.
    fn span(&self, i: usize, j: usize) -> &'a str {
        let end = self.at[j - 1] + self.text[j - 1].len();
        &self.line[self.at[i]..end]
    }

    /// After a `[…]` group starting at token `i` (it may hold spaces and nested brackets).
    fn skip_brackets(&self, i: usize) -> usize {
        let mut depth = 0i32;
        for (k, t) in self.all().iter().enumerate().skip(i).take(8) {
            for c in t.bytes() {
                match c {
                    b'[' => depth += 1,
                    b']' => depth -= 1,
                    _ => {}
                }
            }
            if depth <= 0 {
                return k + 1;
            }
        }
        i
    }
}

/// Takes a line apart. Never fails: a line with no header is all message.
pub fn split(line: &str) -> Header<'_> {
    let line = line.trim();
    if let Some(h) = structured::json(line)
        .or_else(|| structured::logfmt(line))
        .or_else(|| syslog_pri(line))
        .or_else(|| pipes(line))
    {
        return h;
    }
    let toks = Toks::new(line);
    access(&toks).unwrap_or_else(|| scan(&toks))
}

/// `<pri>` then RFC 5424 (`1 time host app procid msgid sd msg`) or RFC 3164.
fn syslog_pri(line: &str) -> Option<Header<'_>> {
    let rest = line.strip_prefix('<')?;
    let close = rest.find('>').filter(|n| (1..=3).contains(n))?;
    let pri: u32 = rest[..close].parse().ok()?;
    let level = Some(Level::from_syslog(pri % 8));
    let body = &rest[close + 1..];
    let Some(v1) = body.strip_prefix("1 ") else {
        let mut h = scan(&Toks::new(body));
        h.level = h.level.or(level);
        return Some(h);
    };
    let toks = Toks::new(v1);
    // time host app procid msgid, then structured data: `-` or `[…]` groups.
    let mut i = 5.min(toks.n);
    while toks.get(i).is_some_and(|t| t.starts_with('[')) {
        let next = toks.skip_brackets(i);
        if next == i {
            break;
        }
        i = next;
    }
    if toks.get(i) == Some("-") {
        i += 1;
    }
    Some(Header {
        message: Cow::Borrowed(toks.rest(i)),
        level,
        time: toks.get(0).filter(|t| *t != "-"),
    })
}

/// `time|field|field|message` (the message is the first field with a space, or the last).
fn pipes(line: &str) -> Option<Header<'_>> {
    let first = line.split('|').next()?;
    if first.len() == line.len() || first.contains(' ') {
        return None;
    }
    stamp::at(&[first], 0, true)?;
    let mut level = None;
    let mut at = first.len() + 1;
    for field in line[at..].split('|') {
        if field.contains(' ') || at + field.len() == line.len() {
            break;
        }
        level = level.or_else(|| Level::from_word(field));
        at += field.len() + 1;
    }
    Some(Header {
        message: Cow::Borrowed(line[at..].trim_start()),
        level,
        time: Some(first),
    })
}

/// nginx/Apache common and combined lines: `host ident user [time] "request" status size …`.
/// The message is `METHOD path` and the status class; 5xx is an error, 4xx a warning.
fn access<'a>(toks: &Toks<'a>) -> Option<Header<'a>> {
    let k = (1..=3).find(|k| toks.get(*k).is_some_and(|t| t.starts_with('[')))?;
    let (t, z) = (toks.get(k)?, toks.get(k + 1)?);
    if !(z.ends_with(']') && toks.get(k + 2)?.starts_with('"') && t[1..].contains('/')) {
        return None;
    }
    stamp::at(&[stamp::strip(t)], 0, true)?;
    let method = toks.get(k + 2)?.trim_start_matches('"');
    let mut path = toks.get(k + 3)?.trim_end_matches('"');
    path = path.split('?').next().unwrap_or(path);
    let mut j = k + 3;
    while !toks.get(j)?.ends_with('"') {
        j += 1;
    }
    let status: u16 = toks.get(j + 1)?.parse().ok()?;
    let (class, level) = match status {
        500.. => ("server-error", Level::Error),
        400.. => ("client-error", Level::Warn),
        300.. => ("redirect", Level::Info),
        _ => ("ok", Level::Info),
    };
    Some(Header {
        message: Cow::Owned(format!("{method} {path} {class}")),
        level: Some(level),
        time: Some(toks.span(k, k + 2)),
    })
}

/// A level written as one: `INFO`, `[warn]`, `<error>`, `level=debug`, `Info` right after the
/// time, Android's `E` before its `Tag:`.
fn level_at(toks: &Toks, i: usize, anchored: bool, next_to_time: bool) -> Option<Level> {
    let t = toks.get(i)?;
    if let Some((k, v)) = t.split_once('=') {
        return matches!(k, "level" | "lvl" | "severity" | "loglevel")
            .then(|| Level::from_word(v.trim_matches('"')))
            .flatten();
    }
    let bracketed = t.starts_with(['[', '<', '(']);
    let w = t.trim_matches(['[', ']', '<', '>', '(', ')', ':', ',']);
    if let Some(l) = Level::from_word(w) {
        let upper = w.bytes().all(|c| c.is_ascii_uppercase());
        let capital = w.as_bytes()[0].is_ascii_uppercase();
        return (bracketed || upper || anchored && next_to_time && capital).then_some(l);
    }
    let tag_next = toks
        .get(i + 1)
        .is_some_and(|n| n.len() > 1 && n.ends_with(':'));
    (anchored && tag_next)
        .then(|| Level::from_letter(w))
        .flatten()
}

/// A logger or tag before the message: `dfs.DataNode$PacketResponder:`, `WindowManager:`.
fn is_component(t: &str) -> bool {
    t.len() > 2
        && t.ends_with(':')
        && t.bytes().any(|c| c.is_ascii_alphabetic())
        && !t.contains(['=', '/', '"'])
}

/// A host name as syslog writes it: `web1`, `db-2.example`.
fn is_host(t: &str) -> bool {
    t.bytes().any(|c| c.is_ascii_alphabetic())
        && t.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
}

/// A syslog tag: `sshd[812]:`, `kernel:`.
fn is_tag(t: &str) -> bool {
    is_component(t) || t.ends_with("]:") && t.contains('[')
}

/// After a level: `[thread]`, a separator, a `component:` or a dotted logger before `[…]`.
fn after_level(toks: &Toks, mut i: usize) -> usize {
    if toks.get(i).is_some_and(|t| t.starts_with('[')) {
        i = toks.skip_brackets(i);
    }
    // After a separator the message begins (`- INFO [thread] - Notification: …`).
    if matches!(toks.get(i), Some("-" | ":" | "|" | "--")) {
        return i + 1;
    }
    match toks.get(i) {
        Some(t) if is_component(t) => i + 1,
        Some(t)
            if t.contains('.')
                && !t.contains(['/', ':'])
                && toks.get(i + 1).is_some_and(|n| n.starts_with('[')) =>
        {
            toks.skip_brackets(i + 1)
        }
        _ => i,
    }
}

/// After syslog's `Mmm dd hh:mm:ss`: the host and the tag (`sshd[123]:`, `kernel:`,
/// `syslogd 1.4.1:`).
fn after_syslog_time(toks: &Toks, i: usize) -> usize {
    let Some(host) = toks.get(i) else { return i };
    if host.ends_with(':') && host.contains('[') {
        return i + 1;
    }
    match (toks.get(i + 1), toks.get(i + 2)) {
        (Some(tag), _) if tag.ends_with(':') || tag.ends_with(']') && tag.contains('[') => i + 2,
        (Some(_), Some(v))
            if v.ends_with(':') && v.len() < 12 && v.bytes().any(|c| c.is_ascii_digit()) =>
        {
            i + 3
        }
        _ => i + 1,
    }
}

/// The generic scan.
fn scan<'a>(toks: &Toks<'a>) -> Header<'a> {
    let mut time: Option<&str> = None;
    let (mut i, mut end, mut gap) = (0, 0, 0);
    while i < toks.n {
        let anchored = time.is_some();
        if (!anchored && i > BEFORE_TIME) || (anchored && gap > BETWEEN) {
            break;
        }
        if let Some((k, syslog)) = stamp::at(toks.all(), i, !anchored) {
            time = time.or(Some(toks.span(i, i + k)));
            i += k;
            (end, gap) = (i, 0);
            if syslog {
                let mut h = Header::plain(toks.rest(after_syslog_time(toks, i)));
                h.time = time;
                return h;
            }
            continue;
        }
        if (anchored || i == 0)
            && let Some(level) = level_at(toks, i, anchored, gap == 0)
        {
            // A line may start with its level, then its time (`WARN 10:00:01 …`).
            let mut j = i + 1;
            if !anchored && let Some((k, _)) = stamp::at(toks.all(), j, false) {
                time = Some(toks.span(j, j + k));
                j += k;
            }
            return Header {
                message: Cow::Borrowed(toks.rest(after_level(toks, j))),
                level: Some(level),
                time,
            };
        }
        // Before the first timestamp only tokens that do not read as words (`-`, ids, nodes,
        // `APPREAD`).
        let t = toks.text[i];
        if !anchored
            && t.bytes().all(|c| c.is_ascii_alphabetic())
            && t.bytes().any(|c| c.is_ascii_lowercase())
        {
            break;
        }
        gap += 1;
        i += 1;
    }
    if time.is_none() {
        return Header::plain(toks.line);
    }
    // No level: a pid, separators, then `component:` or `program -`.
    while toks
        .get(end)
        .is_some_and(|t| t.bytes().all(|c| c.is_ascii_digit()) || matches!(t, "-" | "|"))
    {
        end += 1;
    }
    if toks.get(end).is_some_and(is_component) {
        end += 1;
    } else if toks.get(end).is_some_and(is_host) && toks.get(end + 1).is_some_and(is_tag) {
        // journald's `short-iso`: `time host tag[pid]:`.
        end += 2;
    } else if toks.get(end + 1) == Some("-") {
        end += 2;
    }
    Header {
        message: Cow::Borrowed(toks.rest(end)),
        level: None,
        time,
    }
}
