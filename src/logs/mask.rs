//! Variable parts of a log message, found without regular expressions: a message is split at
//! white space into tokens, each token into pieces at punctuation (`=`, `:`, `,`, brackets,
//! quotes…), and a piece that holds a digit (numbers, hex, IPs with ports, UUIDs, block and
//! request ids, durations, sizes, dates) or looks like a path, URL or e-mail address is a
//! variable. The punctuation stays, so `rhost=10.0.0.1` becomes `rhost=<*>`.

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
    // Paths and URLs (`/var/log/x`, `http//host/…` once `:` has cut it), e-mail addresses.
    (p.len() > 1 && p[0] == b'/' && p[1..].contains(&b'/'))
        || (p.starts_with(b"//") && p.len() > 2)
        || p.iter()
            .position(|c| *c == b'@')
            .is_some_and(|i| i > 0 && p[i + 1..].contains(&b'.'))
}

const WS: u8 = 1;
const CUT: u8 = 2;
/// A byte that may make its piece a variable (digit, `/`, `@`).
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
        } else if b.is_ascii_digit() || b == b'/' || b == b'@' {
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
    loop {
        while i < b.len() && CLASS[b[i] as usize] == WS {
            i += 1;
        }
        if i == b.len() {
            return;
        }
        let start = i;
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
        let at = out.len();
        // White space is ASCII: `start..i` is on character boundaries.
        let token = &message[start..i];
        if suspect {
            mask_pieces(token, out);
        } else {
            out.push_str(token);
        }
        spans.push((at, out.len()));
    }
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
        ];
        for (t, want) in cases {
            let mut out = String::new();
            mask_line(t, &mut out, &mut Vec::new());
            assert_eq!(out, want, "{t}");
        }
    }
}
