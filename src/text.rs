//! Text for a terminal or a file someone will `cat`: outside text neutralised, lines wrapped
//! at words, and text too long for its place shortened with an ellipsis where it says least.
//! Widths count chars (montui's own text and the names it shows are narrow characters).

use std::borrow::Cow;

/// Whether `c` may reach a terminal: no C0 or C1 control (tab and newline aside), no bidi
/// override or isolate that would reorder what follows.
pub fn harmless(c: char) -> bool {
    matches!(c, '\n' | '\t')
        || !(c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}'))
}

/// `s` with every control and bidi override replaced by U+FFFD.
pub fn printable(s: &str) -> Cow<'_, str> {
    if s.chars().all(harmless) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(
            s.chars()
                .map(|c| if harmless(c) { c } else { '\u{fffd}' })
                .collect(),
        )
    }
}

/// `s` as one line: `printable`, tabs as spaces and line breaks replaced too, and terminal
/// escape sequences (colours: CSI `ESC [ … m`, titles and links: OSC `ESC ] … BEL`) taken
/// out whole, so a coloured log line reads as its words.
pub fn one_line(s: &str) -> Cow<'_, str> {
    let bad = |c: char| !harmless(c) || c == '\n' || c == '\t';
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                // CSI: parameters and intermediates up to a final byte in @…~.
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC: up to BEL or ST (ESC \\).
                Some(']') => {
                    while let Some(c) = chars.next() {
                        if c == '\u{7}' || c == '\u{1b}' && chars.next_if_eq(&'\\').is_some() {
                            break;
                        }
                    }
                }
                // Any other escape is two characters.
                Some(_) | None => {}
            },
            '\t' => out.push(' '),
            c if bad(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `s` in lines of at most `width` chars, broken between words; a word longer than a line
/// is broken inside. Never empty.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = vec![String::new()];
    for word in s.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let line = lines.last_mut().expect("never empty");
            let used = line.chars().count();
            let gap = usize::from(used > 0);
            if used + gap + word.len() <= width {
                if gap == 1 {
                    line.push(' ');
                }
                line.extend(word.iter());
                break;
            }
            if used > 0 {
                lines.push(String::new());
                continue;
            }
            // A word longer than a whole line.
            line.extend(word.drain(..width));
            lines.push(String::new());
        }
    }
    if lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// A series name's units, written short: `_bytes_per_second` as ` B/s`.
const UNITS: [(&str, &str); 3] = [
    ("_bytes_per_second", " B/s"),
    ("_percent", " %"),
    ("_bytes", " B"),
];

/// `s` in at most `width` chars. A series `name{labels}` first writes its units short
/// (`disk_written B/s{disk="sda"}`), then its labels' values alone (`disk_written B/s{sda}`),
/// then keeps those (they tell the series apart) and loses the end of its name:
/// `network_rec…{eth0}`; other text loses its end: `network_transmit_byt…`.
pub fn fit(s: &str, width: usize) -> Cow<'_, str> {
    let n = s.chars().count();
    if n <= width {
        return Cow::Borrowed(s);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    if let Some(brace) = s.find('{') {
        let (name, labels) = s.split_at(brace);
        let unit = UNITS
            .iter()
            .find_map(|(long, unit)| Some((name.strip_suffix(long)?, *unit)));
        let name = unit.map_or(name.to_string(), |(n, u)| format!("{n}{u}"));
        let full = format!("{name}{labels}");
        if full.chars().count() <= width {
            return Cow::Owned(full);
        }
        return Cow::Owned(cut(&format!("{name}{{{}}}", values(labels)), width).into_owned());
    }
    cut(s, width)
}

/// `{disk="sda",mount="/"}` → `sda,/`.
fn values(labels: &str) -> String {
    let inner = labels.trim_start_matches('{').trim_end_matches('}');
    let vals: Vec<&str> = inner
        .split(',')
        .map(|kv| kv.split_once('=').map_or(kv, |(_, v)| v).trim_matches('"'))
        .collect();
    vals.join(",")
}

/// `fit` once units are short: a series loses the end of its name, other text its end.
fn cut(s: &str, width: usize) -> Cow<'_, str> {
    let n = s.chars().count();
    if n <= width {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    if let Some(brace) = s.find('{').map(|b| s[..b].chars().count()) {
        let labels = n - brace;
        // Room for the labels, an ellipsis and a few chars of the name.
        if width >= labels + 5 {
            let mut out: String = chars[..width - labels - 1].iter().collect();
            out.push('…');
            out.extend(&chars[brace..]);
            return Cow::Owned(out);
        }
    }
    let mut out: String = chars[..width - 1].iter().collect();
    out.push('…');
    Cow::Owned(out)
}

/// 1536 → "1.5K", binary units, at most 5 characters.
pub fn bytes(b: f64) -> String {
    const UNITS: [&str; 6] = ["B", "K", "M", "G", "T", "P"];
    let mut v = b.max(0.0);
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{v:.0}{}", UNITS[u])
    } else if v < 10.0 {
        format!("{v:.1}{}", UNITS[u])
    } else {
        format!("{v:.0}{}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_replaced() {
        assert_eq!(printable("plain text"), "plain text");
        assert_eq!(
            printable("a\x1b[2Jb\u{202e}c\u{85}d"),
            "a\u{fffd}[2Jb\u{fffd}c\u{fffd}d"
        );
        assert_eq!(printable("two\nlines\tand tab"), "two\nlines\tand tab");
        assert_eq!(one_line("a\tb\nc\u{2066}"), "a b\u{fffd}c\u{fffd}");
    }

    #[test]
    fn one_line_takes_terminal_escapes_out_whole() {
        let coloured = "\u{1b}[32m2026-12-05 10:00:00\u{1b}[0m \u{1b}[1;34mINFO\u{1b}[0m up";
        assert_eq!(one_line(coloured), "2026-12-05 10:00:00 INFO up");
        let link = "see \u{1b}]8;;http://x\u{7}here\u{1b}]8;;\u{1b}\\ now\u{1b}";
        assert_eq!(one_line(link), "see here now");
        assert_eq!(one_line("a\tb\nc\u{7}"), "a b\u{fffd}c\u{fffd}");
    }

    #[test]
    fn lines_break_between_words() {
        let w = wrap("alert memory_in_use {host=\"vm\"}: firing", 20);
        assert_eq!(w, ["alert memory_in_use", "{host=\"vm\"}: firing"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
    }

    #[test]
    fn a_series_keeps_its_labels_and_other_text_its_start() {
        let s = r#"core_busy_percent{core="3"}"#;
        assert_eq!(fit(s, 27), s);
        assert_eq!(fit(s, 21), r#"core_busy %{core="3"}"#);
        assert_eq!(fit(s, 14), "core_busy %{3}");
        assert_eq!(fit(s, 8), "core…{3}");
        let read = fit(r#"disk_read_bytes_per_second{disk="nvme0n1"}"#, 22);
        assert_eq!(read, "disk_read B/s{nvme0n1}");
        assert_eq!(fit("network_transmit_bytes_per_second", 12), "network_tra…");
        assert_eq!(fit("Alerts", 0), "");
    }
}
