//! Secrets of receivers (webhook URLs with tokens, passwords, API keys): read from an
//! environment variable or a file when used, never kept in the config, and masked in every
//! message montui writes (logs, the outbox's last error, the UI, `notify test`).

use std::path::PathBuf;

/// Where a secret comes from. Its value is read at each use, so a rotated file is taken
/// without a restart.
#[derive(Clone, PartialEq, Eq)]
pub enum Secret {
    /// Given in the config (allowed for what is not secret, such as a plain webhook URL).
    Plain(String),
    Env(String),
    File(PathBuf),
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.source())
    }
}

impl Secret {
    /// The value, or why there is none (naming the variable or file, never a value).
    pub fn value(&self) -> Result<String, String> {
        match self {
            Self::Plain(v) => Ok(v.clone()),
            Self::Env(name) => match std::env::var(name) {
                Ok(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
                _ => Err(format!("environment variable {name} is not set")),
            },
            Self::File(p) => match std::fs::read_to_string(p) {
                Ok(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
                Ok(_) => Err(format!("{} is empty", p.display())),
                Err(e) => Err(format!("cannot read {}: {e}", p.display())),
            },
        }
    }

    /// Where it comes from, for messages: `env SLACK_URL`, `file /etc/…`, or `config`.
    pub fn source(&self) -> String {
        match self {
            Self::Plain(_) => "config".into(),
            Self::Env(n) => format!("env {n}"),
            Self::File(p) => format!("file {}", p.display()),
        }
    }
}

/// A URL with what may be a token hidden: the password of its user part, its query, and its
/// path past the first segment (`https://hooks.example/services/T…/****`).
pub fn mask_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => format!("{}:****@{host}", user.split(':').next().unwrap_or("")),
        None => authority.to_string(),
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut parts = path.split('/').filter(|s| !s.is_empty());
    let mut out = match scheme {
        "" => authority,
        s => format!("{s}://{authority}"),
    };
    if let Some(first) = parts.next() {
        out.push('/');
        out.push_str(first);
    }
    if let Some(second) = parts.next() {
        let head: String = second.chars().take(1).collect();
        out.push_str(&format!("/{head}…/****"));
    }
    if path.len() < url.len() && url.contains('?') {
        out.push_str("?****");
    }
    out
}

/// `text` with each secret value in it replaced: URLs by their masked form, other values by
/// `****`. Values shorter than 4 characters are left (they would mask common words).
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    let mut by_length: Vec<&String> = secrets.iter().filter(|s| s.len() >= 4).collect();
    by_length.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for s in by_length {
        if out.contains(s.as_str()) {
            let masked = if s.contains("://") {
                mask_url(s)
            } else {
                "****".into()
            };
            out = out.replace(s.as_str(), &masked);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_their_host_and_lose_their_tokens() {
        assert_eq!(
            mask_url("https://hooks.slack.com/services/T0001/B0002/XXXXSECRET"),
            "https://hooks.slack.com/services/T…/****"
        );
        assert_eq!(
            mask_url("https://user:pw@ntfy.example/alerts?auth=SECRET"),
            "https://user:****@ntfy.example/alerts?****"
        );
        assert_eq!(mask_url("http://127.0.0.1:9093"), "http://127.0.0.1:9093");
    }

    #[test]
    fn redaction_hides_every_secret_in_a_message() {
        let url = "https://hooks.example/services/T1/SECRETMARK".to_string();
        let msg = format!("error sending request for url ({url}): refused; key SECRETKEY");
        let out = redact(&msg, &[url, "SECRETKEY".into()]);
        assert!(!out.contains("SECRET"), "{out}");
        assert!(
            out.contains("https://hooks.example/services/T…/****"),
            "{out}"
        );
    }

    #[test]
    fn a_missing_secret_names_its_source_not_a_value() {
        let s = Secret::Env("MONTUI_TEST_NO_SUCH_VAR".into());
        assert_eq!(
            s.value().unwrap_err(),
            "environment variable MONTUI_TEST_NO_SUCH_VAR is not set"
        );
        assert_eq!(format!("{:?}", Secret::Plain("x".into())), "config");
    }
}
