//! Variable parts of a log message, found without regular expressions: a message is split at
//! white space into tokens, each token into pieces at punctuation (`=`, `:`, `,`, brackets,
//! quotes…), and a piece that holds a digit (numbers, hex, IPs with ports, UUIDs, block and
//! request ids, durations, sizes, dates) or looks like a path, URL, e-mail address or dotted
//! name (`host.example.com`, `com.vendor.service`) is a variable. The punctuation stays, so
//! `rhost=10.0.0.1` becomes `rhost=<*>`. A unit after a number is part of it (`1.16 KB`,
//! `<1 sec`, `350 ms` are one variable each, as `2.7s` is), and a quoted string is one
//! variable (`"<*>"`) however many words it holds.

use super::stamp::{is_month, is_weekday};

/// What a variable becomes in a template.
pub const VAR: &str = "<*>";

/// Characters that cut a token into pieces (kept in the template).
const fn is_cut(c: u8) -> bool {
    matches!(
        c,
        b'=' | b':'
            | b','
            | b';'
            | b'('
            | b')'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'<'
            | b'>'
            | b'"'
            | b'\''
            | b'|'
    )
}

/// Whether a piece (no white space, no cut characters) is a variable.
fn is_var(p: &[u8]) -> bool {
    if p.is_empty() {
        return false;
    }
    if p.iter().any(u8::is_ascii_digit) {
        return true;
    }
    // Dates written in words: `Jun`, `Fri` (capitalised three-letter names).
    if p.len() == 3
        && p[0].is_ascii_uppercase()
        && std::str::from_utf8(p).is_ok_and(|w| is_month(w) || is_weekday(w))
    {
        return true;
    }
    // Paths and URLs (`/var/log/x`, `http//host/…` once `:` has cut it), e-mail addresses,
    // dotted names (host names, services, classes: a `.` between two letters or digits).
    (p.len() > 1 && p[0] == b'/' && p[1..].contains(&b'/'))
        || p.windows(3)
            .any(|w| w[1] == b'.' && w[0].is_ascii_alphanumeric() && w[2].is_ascii_alphanumeric())
        || (p.starts_with(b"//") && p.len() > 2)
        || p.iter()
            .position(|c| *c == b'@')
            .is_some_and(|i| i > 0 && p[i + 1..].contains(&b'.'))
}

const WS: u8 = 1;
const CUT: u8 = 2;
/// A byte that may make its piece a variable (digit, `/`, `@`, `.`).
const SUSPECT: u8 = 4;
const UPPER: u8 = 8;

/// Each byte's class, so one pass over a line finds tokens and the few that need a closer look.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b.is_ascii_whitespace() {
            WS
        } else if is_cut(b) {
            CUT
        } else if b.is_ascii_digit() || b == b'/' || b == b'@' || b == b'.' {
            SUSPECT
        } else if b.is_ascii_uppercase() {
            UPPER
        } else {
            0
        };
        c += 1;
    }
    t
};

/// Splits `message` at white space and appends each token to `out`, its variable pieces
/// replaced by `<*>`; `spans` gets each token's place in `out`.
pub fn mask_line(message: &str, out: &mut String, spans: &mut Vec<(usize, usize)>) {
    let b = message.as_bytes();
    let mut i = 0;
    // The last token was an HTTP method: a path follows, kept by its shape.
    let mut method = false;
    loop {
        while i < b.len() && CLASS[b[i] as usize] == WS {
            i += 1;
        }
        if i == b.len() {
            return;
        }
        let start = i;
        let at = out.len();
        if b[i] == b'"'
            && let Some(close) = quote_end(b, i)
        {
            // A quoted string, then what the token has after it.
            out.push_str("\"<*>\"");
            i = close + 1;
            while i < b.len() && CLASS[b[i] as usize] != WS {
                i += 1;
            }
            mask_pieces(&message[close + 1..i], out);
            spans.push((at, out.len()));
            continue;
        }
        let (mut suspect, mut piece_start) = (false, true);
        while i < b.len() {
            let c = CLASS[b[i] as usize];
            if c == WS {
                break;
            }
            suspect |= c == SUSPECT || piece_start && c == UPPER;
            piece_start = c == CUT;
            i += 1;
        }
        // White space is ASCII: `start..i` is on character boundaries.
        let token = &message[start..i];
        if std::mem::replace(&mut method, is_method(token.trim_start_matches('"')))
            && token.starts_with('/')
        {
            mask_route(token, out);
            spans.push((at, out.len()));
            continue;
        }
        if let Some(last) = spans.last_mut()
            && out[last.0..last.1].ends_with(VAR)
        {
            let unit = token.trim_end_matches(|c: char| c.is_ascii() && is_cut(c as u8));
            if is_unit(unit) {
                // `1.16 KB)`: the unit joins its number, what follows it stays.
                out.push_str(&token[unit.len()..]);
                last.1 = out.len();
                continue;
            }
        }
        if suspect {
            mask_pieces(token, out);
        } else {
            out.push_str(token);
        }
        spans.push((at, out.len()));
    }
}

fn is_method(w: &str) -> bool {
    matches!(
        w,
        "GET" | "POST" | "PUT" | "DELETE" | "HEAD" | "PATCH" | "OPTIONS" | "CONNECT" | "TRACE"
    )
}

/// Appends a request path by its shape: each segment that is a variable (`84875`,
/// `app.0x29bb.js`) becomes `<*>`, the others stay (`/api/users/<*>`), a query is `?<*>`.
fn mask_route(token: &str, out: &mut String) {
    let (path, query) = match token.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (token, None),
    };
    for (k, seg) in path.split('/').enumerate() {
        if k > 0 {
            out.push('/');
        }
        let bare = seg.trim_end_matches('"');
        if is_var(bare.as_bytes()) || bare.bytes().any(|c| c < 128 && is_cut(c)) {
            out.push_str(VAR);
            out.push_str(&seg[bare.len()..]);
        } else {
            out.push_str(seg);
        }
    }
    if let Some(q) = query {
        out.push('?');
        if !q.is_empty() {
            out.push_str(VAR);
        }
    }
}

/// Where the quoted string opening at `b[i]` (a `"`) closes: not empty, at most 256 bytes.
fn quote_end(b: &[u8], i: usize) -> Option<usize> {
    let len = b[i + 1..].iter().take(257).position(|c| *c == b'"')?;
    (len > 0 && len <= 256).then_some(i + 1 + len)
}

/// A unit of size, time or rate written after a number.
fn is_unit(w: &str) -> bool {
    matches!(
        w,
        "B" | "b"
            | "bytes"
            | "byte"
            | "k"
            | "K"
            | "KB"
            | "kB"
            | "KiB"
            | "M"
            | "MB"
            | "MiB"
            | "G"
            | "GB"
            | "GiB"
            | "TB"
            | "TiB"
            | "ns"
            | "us"
            | "µs"
            | "ms"
            | "s"
            | "sec"
            | "secs"
            | "second"
            | "seconds"
            | "min"
            | "mins"
            | "minute"
            | "minutes"
            | "h"
            | "hr"
            | "hrs"
            | "hour"
            | "hours"
            | "day"
            | "days"
            | "%"
            | "KB/s"
            | "MB/s"
            | "GB/s"
    )
}

/// Appends `token` with its variable pieces replaced by `<*>`.
fn mask_pieces(token: &str, out: &mut String) {
    let b = token.as_bytes();
    let mut start = 0;
    for i in 0..=b.len() {
        if i < b.len() && !is_cut(b[i]) {
            continue;
        }
        if is_var(&b[start..i]) {
            out.push_str(VAR);
        } else {
            out.push_str(&token[start..i]);
        }
        if i < b.len() {
            out.push(b[i] as char);
        }
        start = i + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(line: &str) -> Vec<String> {
        let (mut out, mut spans) = (String::new(), Vec::new());
        mask_line(line, &mut out, &mut spans);
        spans.iter().map(|(a, b)| out[*a..*b].to_string()).collect()
    }

    #[test]
    fn a_unit_is_part_of_its_number_and_a_quoted_string_is_one_variable() {
        let cases = [
            ("sent (1.16 KB) in <1 sec", "sent (<*>) in <<*>"),
            ("took 350 ms, then 2.7s", "took <*>, then <*>"),
            ("read 847 MB from disk", "read <*> from disk"),
            ("a MB b", "a MB b"),
            ("set \"warm judy\", now", "set \"<*>\", now"),
            ("say \"\" twice", "say \"\" twice"),
            ("unclosed \"quote here", "unclosed \"quote here"),
            ("GET /api/users/84875 ok", "GET /api/users/<*> ok"),
            (
                "POST /static/app.0x29bb.js?v=3 HTTP/1.1",
                "POST /static/<*>?<*> <*>",
            ),
            ("GET /", "GET /"),
            ("copied /var/log/syslog", "copied <*>"),
        ];
        for (line, want) in cases {
            assert_eq!(masked(line).join(" "), want, "{line}");
        }
    }

    #[test]
    fn variables_are_masked_and_punctuation_kept() {
        let cases = [
            ("terminating", "terminating"),
            ("blk_-6952295868487656571", "<*>"),
            ("10.251.73.220:50010", "<*>:<*>"),
            ("rhost=218.188.2.4", "rhost=<*>"),
            ("[173.234.31.186]", "[<*>]"),
            ("R02-M1-N0-C:J12-U11", "<*>:<*>"),
            ("0x1f3a", "<*>"),
            ("3ms", "<*>"),
            ("/var/log/syslog", "<*>"),
            ("https://example.com/a", "https:<*>"),
            ("bob@example.com", "<*>"),
            ("uid=0", "uid=<*>"),
            ("logname=", "logname="),
            ("(uid=0)", "(uid=<*>)"),
            ("user", "user"),
            ("a/b", "a/b"),
            ("Jun", "<*>"),
            ("Fri", "<*>"),
            ("June", "June"),
            ("fri", "fri"),
            ("host.example.com:443", "<*>:<*>"),
            ("com.vendor.sync.agent:", "<*>:"),
            ("done.", "done."),
            ("10.0.0.1,10.0.0.2", "<*>,<*>"),
        ];
        for (t, want) in cases {
            let mut out = String::new();
            mask_line(t, &mut out, &mut Vec::new());
            assert_eq!(out, want, "{t}");
        }
    }
}
