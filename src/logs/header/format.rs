//! A source's own line format, for logs the automatic detection gets wrong: the fields in
//! angle brackets, the text between them literal, as Loghub writes formats —
//! `<date> <time> <level> [<thread>] <component>: <message>`. `<time>`/`<date>`/`<timestamp>`
//! make the timestamp, `<level>` the level, `<message>` (or `<content>`) the message; other
//! fields are skipped. A field ends where the next literal text first appears; the last field
//! takes the rest of the line. A line that does not fit goes to the automatic detection.

use std::borrow::Cow;

use super::Header;
use crate::logs::level::Level;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Field(String),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Format {
    parts: Vec<Part>,
}

impl Format {
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = spec;
        while !rest.is_empty() {
            match rest.find('<') {
                Some(0) => {
                    let end = rest.find('>').ok_or("a `<` without its `>`")?;
                    let name = rest[1..end].trim().to_ascii_lowercase();
                    if name.is_empty()
                        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        return Err(format!("`<{name}>` is not a field name"));
                    }
                    if matches!(parts.last(), Some(Part::Field(_))) {
                        return Err("two fields need text between them".into());
                    }
                    parts.push(Part::Field(name));
                    rest = &rest[end + 1..];
                }
                Some(at) => {
                    parts.push(Part::Text(rest[..at].to_string()));
                    rest = &rest[at..];
                }
                None => {
                    parts.push(Part::Text(rest.to_string()));
                    rest = "";
                }
            }
        }
        let fields = |n: &[&str]| {
            parts
                .iter()
                .any(|p| matches!(p, Part::Field(f) if n.contains(&f.as_str())))
        };
        if !fields(&["message", "content"]) {
            return Err("a format needs a <message> field".into());
        }
        Ok(Self { parts })
    }

    /// The line taken apart by this format, if it fits.
    pub fn split<'a>(&self, line: &'a str) -> Option<Header<'a>> {
        let mut at = 0;
        let mut h = Header {
            message: Cow::Borrowed(""),
            level: None,
            time: None,
        };
        let mut time: Option<(usize, usize)> = None;
        for (i, p) in self.parts.iter().enumerate() {
            match p {
                Part::Text(t) => {
                    // White space in the format matches any run of it.
                    if t.trim().is_empty() && !t.is_empty() {
                        let n = line[at..].len() - line[at..].trim_start().len();
                        if n == 0 {
                            return None;
                        }
                        at += n;
                    } else {
                        at += line[at..].strip_prefix(t.as_str()).map(|_| t.len())?;
                    }
                }
                Part::Field(name) => {
                    let end = match self.parts.get(i + 1) {
                        Some(Part::Text(t)) if t.trim().is_empty() => {
                            at + line[at..].find(char::is_whitespace)?
                        }
                        Some(Part::Text(t)) => at + line[at..].find(t.as_str())?,
                        _ => line.len(),
                    };
                    let value = &line[at..end];
                    match name.as_str() {
                        "message" | "content" => h.message = Cow::Borrowed(value),
                        "level" | "severity" => h.level = Level::from_word(value.trim()),
                        "time" | "date" | "timestamp" => {
                            time = Some(time.map_or((at, end), |(s, _)| (s, end)));
                        }
                        _ => {}
                    }
                    at = end;
                }
            }
        }
        h.time = time.map(|(s, e)| &line[s..e]);
        Some(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_format_takes_lines_apart() {
        let f = Format::parse("<date> <time> <level> [<thread>] <component>: <message>")
            .expect("format");
        let h = f
            .split("2024-01-01 10:00:00 WARN [pool 1] app.Db: slow: 3 s")
            .expect("fits");
        assert_eq!(h.message, "slow: 3 s");
        assert_eq!(h.level, Some(Level::Warn));
        assert_eq!(h.time, Some("2024-01-01 10:00:00"));
        assert_eq!(f.split("no format here"), None);
        let f = Format::parse("<time>|<level>|<message>").expect("format");
        let h = f.split("12:00|error|boom | bang").expect("fits");
        assert_eq!(
            (h.message.as_ref(), h.level),
            ("boom | bang", Some(Level::Error))
        );
        assert!(
            Format::parse("<time> <level>")
                .unwrap_err()
                .contains("<message>")
        );
        assert!(
            Format::parse("<time><message>")
                .unwrap_err()
                .contains("text between")
        );
        assert!(Format::parse("<time> <message").is_err());
        // Garbage never panics.
        for line in ["", "é", "2024-01-01", "a b c d e f: g"] {
            let _ =
                Format::parse("<date> <time> <level> [<t>] <c>: <message>").map(|f| f.split(line));
        }
    }
}
