//! Personal data and secrets taken out of the example lines montui keeps and sends:
//! e-mail addresses, secrets after `password=`/`token=`/`Bearer`…, long random-looking
//! tokens, card-like numbers (Luhn-checked), national ID shapes (US SSN `123-45-6789`, UK NI
//! `AB123456C`), phone numbers (`+44 20 7946 0958`, `555-123-4567`), and IPv4 addresses when
//! asked.

const SECRET_KEYS: [&str; 8] = [
    "pass", "pwd", "secret", "token", "key", "auth", "session", "cookie",
];

fn is_email(t: &str) -> bool {
    t.find('@')
        .is_some_and(|i| i > 0 && t[i + 1..].contains('.') && !t[i + 1..].ends_with('.'))
}

/// Long, mixed letters and digits, few other characters: an API key, a session id, a hash.
fn is_token(t: &str) -> bool {
    t.len() >= 24
        && t.bytes().any(|c| c.is_ascii_digit())
        && t.bytes().any(|c| c.is_ascii_alphabetic())
        && t.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-_+/=.".contains(&c))
}

fn is_ipv4(t: &str) -> bool {
    let parts: Vec<&str> = t.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(*d);
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// `ddd-dd-dddd` (a US social security number) or `AB123456C` (a UK national insurance
/// number).
fn is_national_id(t: &str) -> bool {
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let ssn = b.len() == 11 && b[3] == b'-' && b[6] == b'-';
    let ni = b.len() == 9
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && digits(2..8)
        && matches!(b[8], b'A'..=b'D');
    (ssn && digits(0..3) && digits(4..6) && digits(7..11)) || ni
}

/// `ddd-ddd-dddd` or `ddd.ddd.dddd`: a North American phone number written as one word.
fn is_phone(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 12
        && b[3] == b[7]
        && matches!(b[3], b'-' | b'.')
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 3 || i == 7 || c.is_ascii_digit())
}

/// International numbers (`+` then 8–15 digits, single spaces, dashes or dots between
/// groups) → `<phone>`.
fn mask_international(line: &str) -> String {
    let b = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < b.len() {
        let starts = b[i] == b'+'
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        if !starts {
            let ch = line[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        let (mut j, mut digits, mut end) = (i + 1, 0, i + 1);
        while j < b.len() && digits <= 15 {
            if b[j].is_ascii_digit() {
                digits += 1;
                end = j + 1;
            } else if !(matches!(b[j], b' ' | b'-' | b'.')
                && b.get(j + 1).is_some_and(u8::is_ascii_digit))
            {
                break;
            }
            j += 1;
        }
        let alone = !b.get(end).is_some_and(u8::is_ascii_alphanumeric);
        if (8..=15).contains(&digits) && alone {
            out.push_str("<phone>");
        } else {
            out.push_str(&line[i..end]);
        }
        i = end;
    }
    out
}

/// Card-like numbers (13–19 digits, spaces or dashes between groups, Luhn-valid) → `<card>`.
fn mask_cards(line: &str) -> String {
    let b = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            let ch = line[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        let (mut j, mut digits, mut end) = (i, Vec::new(), i);
        while j < b.len() && digits.len() < 19 {
            if b[j].is_ascii_digit() {
                digits.push(b[j] - b'0');
                end = j + 1;
            } else if !(matches!(b[j], b' ' | b'-') && b.get(j + 1).is_some_and(u8::is_ascii_digit))
            {
                break;
            }
            j += 1;
        }
        let alone = !b.get(end).is_some_and(u8::is_ascii_alphanumeric);
        if (13..=19).contains(&digits.len()) && alone && luhn(&digits) {
            out.push_str("<card>");
        } else {
            out.push_str(&line[i..end]);
        }
        i = end;
    }
    out
}

/// `line` fit to keep: see the module text.
pub fn mask(line: &str, ips: bool) -> String {
    let line = mask_international(&mask_cards(line));
    let mut out = String::with_capacity(line.len());
    let mut secret_next = false;
    for (k, word) in line.split(' ').enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let bare = word.trim_matches(|c: char| "\"'()[]<>,;".contains(c));
        let scheme = bare.eq_ignore_ascii_case("bearer") || bare.eq_ignore_ascii_case("basic");
        let secret_key = |k: &str| {
            SECRET_KEYS
                .iter()
                .any(|s| k.to_ascii_lowercase().contains(s))
        };
        let masked = if secret_next && !bare.is_empty() && !scheme {
            Some("<secret>".to_string())
        } else if let Some((key, value)) = bare.split_once(['=', ':'])
            && !value.is_empty()
            && secret_key(key)
        {
            Some(format!("{key}{}<secret>", &bare[key.len()..=key.len()]))
        } else if is_email(bare) {
            Some("<email>".into())
        } else if is_national_id(bare) {
            Some("<id>".into())
        } else if is_phone(bare) {
            Some("<phone>".into())
        } else if let Some((key, value)) = bare.split_once('=')
            && is_token(value)
        {
            Some(format!("{key}=<token>"))
        } else if is_token(bare) {
            Some("<token>".into())
        } else if ips && is_ipv4(bare.split(':').next().unwrap_or(bare)) {
            Some("<ip>".into())
        } else {
            None
        };
        let key_alone = bare.strip_suffix([':', '=']).is_some_and(secret_key);
        secret_next = scheme || key_alone || (secret_next && bare.is_empty());
        match masked {
            Some(m) if !bare.is_empty() => out.push_str(&word.replacen(bare, &m, 1)),
            _ => out.push_str(word),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_and_secrets_are_masked() {
        let cases = [
            ("login ok for bob@example.com", "login ok for <email>"),
            ("password=hunter2 user=bob", "password=<secret> user=bob"),
            (
                "Authorization: Bearer abc.def",
                "Authorization: Bearer <secret>",
            ),
            ("api_key: s3cr3t", "api_key: <secret>"),
            ("api_key:s3cr3t", "api_key:<secret>"),
            (
                "paid with 4111 1111 1111 1111 today",
                "paid with <card> today",
            ),
            ("card 4111-1111-1111-1111", "card <card>"),
            (
                "order 4111111111111112 (not Luhn)",
                "order 4111111111111112 (not Luhn)",
            ),
            ("sid=ab12cd34ef56ab12cd34ef56ab", "sid=<token>"),
            ("hash ab12cd34ef56ab12cd34ef56ab99", "hash <token>"),
            ("from 10.0.0.1 port 22", "from 10.0.0.1 port 22"),
            ("ssn 078-05-1120 on file", "ssn <id> on file"),
            ("NI AB123456C checked", "NI <id> checked"),
            ("call +44 20 7946 0958 now", "call <phone> now"),
            ("call +1-555-123-4567.", "call <phone>."),
            ("sms to 555-123-4567", "sms to <phone>"),
            (
                "at 2026-12-04 10:00:01 v1.2.3",
                "at 2026-12-04 10:00:01 v1.2.3",
            ),
            ("took +12 ms, build 20261204", "took +12 ms, build 20261204"),
            ("", ""),
        ];
        for (line, want) in cases {
            assert_eq!(mask(line, false), want, "{line}");
        }
        assert_eq!(mask("from 10.0.0.1:22 ok", true), "from <ip> ok");
        // Garbage never panics.
        let _ = mask("é@\u{0} 1234567890123 ü 4111 1111 1111 111é", true);
    }
}
