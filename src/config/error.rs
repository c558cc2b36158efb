use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{what} error in {} line {line}: key `{key}`, value `{value}`: {message}", path.display())]
    Invalid {
        /// What the file is: "config", "theme".
        what: &'static str,
        path: PathBuf,
        line: usize,
        key: String,
        value: String,
        message: String,
    },
}

impl ConfigError {
    /// From a toml/serde error: its span gives the line, the line gives key and value.
    pub(super) fn from_toml(e: &toml::de::Error, text: &str, path: &Path) -> Self {
        Self::from_toml_in("config", e, text, path)
    }

    /// From a toml/serde error in a file of another kind (`what`: "theme").
    pub fn from_toml_in(what: &'static str, e: &toml::de::Error, text: &str, path: &Path) -> Self {
        let at = e.span().map(|s| s.start).unwrap_or(0).min(text.len());
        let line_no = text[..at].matches('\n').count() + 1;
        let line = text.lines().nth(line_no - 1).unwrap_or("");
        let (key, value) = split_line(line);
        Self::Invalid {
            what,
            path: path.to_path_buf(),
            line: line_no,
            key,
            value,
            message: e.message().trim().to_string(),
        }
    }

    /// For a value that parsed but is not allowed: the line of `key`, or with `value` the
    /// line where `key` has that value (a key of `[[alerts.rules]]` appears many times).
    pub(super) fn invalid(
        text: &str,
        path: &Path,
        key: &str,
        value: Option<&str>,
        message: &str,
    ) -> Self {
        // The line with this key and value; else one where the value is an item of a list
        // (`logs = ["/x", "/x"]`).
        let lines = || text.lines().enumerate().map(|(i, l)| (i, split_line(l)));
        let found = lines()
            .find(|(_, (k, v))| k == key && value.is_none_or(|want| same_value(v, want)))
            .or_else(|| {
                // A basic string, or a literal one ('…', as matchers are written).
                let want = value.map(|w| [format!("\"{w}\""), format!("'{w}'")]);
                let within = |v: &str| {
                    want.as_ref()
                        .is_some_and(|w| w.iter().any(|w| v.contains(w)))
                };
                lines().find(|(_, (k, v))| k == key && within(v))
            });
        let (line, shown) = match found {
            Some((i, (_, v))) => (i + 1, v),
            None => (0, value.unwrap_or_default().to_string()),
        };
        Self::Invalid {
            what: "config",
            path: path.to_path_buf(),
            line,
            key: key.to_string(),
            value: shown,
            message: message.to_string(),
        }
    }
}

/// Whether a value as written is `want`: the same text, or the same number (`1` is `1.0`,
/// `nan` is `NaN`).
fn same_value(written: &str, want: &str) -> bool {
    let written = written.trim_matches(['"', '\'']);
    let num = |s: &str| s.replace('_', "").parse::<f64>().ok();
    written == want
        || match (num(written), num(want)) {
            (Some(a), Some(b)) => a == b || (a.is_nan() && b.is_nan()),
            _ => false,
        }
}

/// `key = value  # comment` → (key, value), both trimmed; a table header gives its name.
fn split_line(line: &str) -> (String, String) {
    let line = line.trim();
    match line.split_once('=') {
        Some((k, v)) => {
            let v = v.split(" #").next().unwrap_or(v);
            (k.trim().trim_matches('"').to_string(), v.trim().to_string())
        }
        None => (line.trim_matches(['[', ']']).to_string(), String::new()),
    }
}
