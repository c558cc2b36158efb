//! Variable parts of a log message, found without regular expressions: a message is split at
//! white space into tokens, each token into pieces at punctuation (`=`, `:`, `,`, brackets,
//! quotes…), and a piece that holds a digit (numbers, hex, IPs with ports, UUIDs, block and
//! request ids, durations, sizes, dates) or looks like a path, URL or e-mail address is a
//! variable. The punctuation stays, so `rhost=10.0.0.1` becomes `rhost=<*>`.

use std::borrow::Cow;

/// What a variable becomes in a template.
pub const VAR: &str = "<*>";

/// Characters that cut a token into pieces (kept in the template).
fn is_cut(c: u8) -> bool {
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
    // Paths and URLs (`/var/log/x`, `http//host/…` once `:` has cut it), e-mail addresses.
    (p.len() > 1 && p[0] == b'/' && p[1..].contains(&b'/'))
        || (p.starts_with(b"//") && p.len() > 2)
        || p.iter()
            .position(|c| *c == b'@')
            .is_some_and(|i| i > 0 && p[i + 1..].contains(&b'.'))
}

/// `token` with its variable pieces replaced by `<*>` (borrowed when it has none).
pub fn mask_token(token: &str) -> Cow<'_, str> {
    let b = token.as_bytes();
    let mut out: Option<String> = None;
    let mut start = 0;
    for i in 0..=b.len() {
        if i < b.len() && !is_cut(b[i]) {
            continue;
        }
        let piece = &b[start..i];
        if is_var(piece) {
            let o = out.get_or_insert_with(|| token[..start].to_string());
            o.push_str(VAR);
        } else if let Some(o) = &mut out {
            o.push_str(&token[start..i]);
        }
        if i < b.len()
            && let Some(o) = &mut out
        {
            o.push(b[i] as char);
        }
        start = i + 1;
    }
    match out {
        Some(o) => Cow::Owned(o),
        None => Cow::Borrowed(token),
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
        ];
        for (t, want) in cases {
            assert_eq!(mask_token(t), want, "{t}");
        }
    }
}
