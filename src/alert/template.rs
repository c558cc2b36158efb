//! Label and annotation templates: `{host}`, `{value}`, `{threshold}`, `{for}`, `{reason}`, `{rule}`,
//! `{severity}` and any label of the alert (`{mount}`, `{disk}`…). `{{` and `}}` are braces.

/// Placeholders only annotations may use: they change while an alert lives, and a label
/// that changed would make a new alert.
pub const FIGURES: &[&str] = &["value", "threshold", "for", "reason"];

/// Placeholders of every alert, besides its labels.
pub const FIELDS: &[&str] = &["host", "rule", "severity"];

/// The names a template refers to, or what is wrong with it.
pub fn placeholders(template: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        let (c, after) = (&rest[i..i + 1], &rest[i + 1..]);
        if after.starts_with(c) {
            rest = &after[1..];
            continue;
        }
        if c == "}" {
            return Err("a `}` with no `{` (write `}}` for a brace)".into());
        }
        let Some(end) = after.find('}') else {
            return Err("a `{` with no `}` (write `{{` for a brace)".into());
        };
        let name = after[..end].trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{{{name}}}` is not a placeholder name"));
        }
        out.push(name);
        rest = &after[end + 1..];
    }
    Ok(out)
}

/// The template with each placeholder replaced by `lookup`'s answer (unknown ones kept as
/// written, so a mistake shows rather than vanishes).
pub fn render(template: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let (c, after) = (&rest[i..i + 1], &rest[i + 1..]);
        if after.starts_with(c) {
            out.push_str(c);
            rest = &after[1..];
            continue;
        }
        match after.find('}').filter(|_| c == "{") {
            Some(end) => {
                let name = after[..end].trim();
                match lookup(name) {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&rest[i..i + end + 2]),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(c);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A figure as people read it: 95.3, 1200, 0.25.
pub fn figure(v: f64) -> String {
    if !v.is_finite() {
        return "?".into();
    }
    let s = if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v != 0.0 && v.abs() < 0.1 {
        // Two significant figures: an I/O's 0.0021 s is not 0.
        let places = (1 - v.abs().log10().floor() as i32).clamp(2, 12) as usize;
        format!("{v:.places$}")
    } else {
        format!("{v:.2}")
    };
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_placeholders_braces_and_keeps_unknown_ones() {
        let look = |k: &str| match k {
            "host" => Some("web-1".to_string()),
            "value" => Some(figure(95.25)),
            _ => None,
        };
        assert_eq!(
            render("CPU on {host} at {value}% {{x}} {nope}", look),
            "CPU on web-1 at 95.25% {x} {nope}"
        );
        assert_eq!(render("tail {", look), "tail {");
    }

    #[test]
    fn finds_placeholders_and_reports_bad_ones() {
        assert_eq!(
            placeholders("{host} {{ {value}").unwrap(),
            ["host", "value"]
        );
        assert!(placeholders("{host").unwrap_err().contains("no `}`"));
        assert!(placeholders("a } b").unwrap_err().contains("no `{`"));
        assert!(
            placeholders("{a b}")
                .unwrap_err()
                .contains("not a placeholder")
        );
    }

    #[test]
    fn figures_read_well() {
        assert_eq!(figure(95.0), "95");
        assert_eq!(figure(0.25), "0.25");
        assert_eq!(figure(0.0021), "0.0021");
        assert_eq!(figure(-0.012345), "-0.012");
        assert_eq!(figure(0.0), "0");
        assert_eq!(figure(1234.56), "1235");
        assert_eq!(figure(f64::NAN), "?");
    }
}
