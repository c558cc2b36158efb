//! `[serve]` in config.toml: montui's own `/metrics` for a Prometheus to scrape.

use std::net::SocketAddr;
use std::path::Path;

use serde::Deserialize;

use super::ConfigError;

/// Off unless `listen` is set.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServeSection {
    /// `127.0.0.1:9930`; an address that is not loopback needs `bearer_token_file` or
    /// `allow_unauthenticated = true`.
    pub listen: Option<String>,
    /// A file holding the token that requests must bring (`Authorization: Bearer …`).
    pub bearer_token_file: Option<String>,
    /// Serves a non-loopback address to anyone: only when written.
    pub allow_unauthenticated: bool,
}

/// `[serve]`, checked: where to listen and the token asked for, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Serve {
    pub listen: SocketAddr,
    pub token: Option<String>,
}

/// `listen`'s address and port; an error names the line and shows `example`.
pub(super) fn listen_addr(
    listen: &str,
    example: &str,
    text: &str,
    path: &Path,
) -> Result<SocketAddr, ConfigError> {
    listen.parse().map_err(|_| {
        let why = format!("must be an address and port: {example}");
        ConfigError::invalid(text, path, "listen", Some(listen), &why)
    })
}

/// The token in `bearer_token_file` (trimmed); an empty or unreadable file is an error that
/// names the line.
pub(super) fn token_file(file: &str, text: &str, path: &Path) -> Result<String, ConfigError> {
    let bad = |why: &str| ConfigError::invalid(text, path, "bearer_token_file", Some(file), why);
    match std::fs::read_to_string(file) {
        Ok(t) if !t.trim().is_empty() => Ok(t.trim().to_string()),
        Ok(_) => Err(bad("the file is empty")),
        Err(e) => Err(bad(&format!("cannot read it: {e}"))),
    }
}

impl ServeSection {
    /// The server to start, if any; the token file is read now, so a wrong one stops montui
    /// before it starts.
    pub fn checked(&self, text: &str, path: &Path) -> Result<Option<Serve>, ConfigError> {
        let Some(listen) = &self.listen else {
            return Ok(None);
        };
        let bad = |key: &str, value: &str, why: &str| {
            Err(ConfigError::invalid(text, path, key, Some(value), why))
        };
        let addr = listen_addr(listen, "127.0.0.1:9930", text, path)?;
        let token = match &self.bearer_token_file {
            None => None,
            Some(file) => Some(token_file(file, text, path)?),
        };
        if !addr.ip().is_loopback() && token.is_none() && !self.allow_unauthenticated {
            let why = "is not a loopback address: set bearer_token_file, or write \
                       allow_unauthenticated = true to serve it to anyone";
            return bad("listen", listen, why);
        }
        Ok(Some(Serve {
            listen: addr,
            token,
        }))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;

    fn parse(text: &str) -> Result<Option<super::Serve>, String> {
        (Config::parse(text, Path::new("c.toml")))
            .map(|c| c.served)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn off_unless_listen_is_set() {
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("[serve]\n"), Ok(None));
    }

    #[test]
    fn an_address_open_to_others_needs_a_token_or_a_written_consent() {
        let e = parse("[serve]\nlisten = \"0.0.0.0:9930\"\n").unwrap_err();
        assert!(
            e.contains("c.toml line 2") && e.contains("`listen`") && e.contains("0.0.0.0:9930"),
            "{e}"
        );
        assert!(e.contains("bearer_token_file"), "{e}");
        let open = "[serve]\nlisten = \"0.0.0.0:9930\"\nallow_unauthenticated = true\n";
        assert!(parse(open).is_ok_and(|s| s.is_some_and(|s| s.token.is_none())));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "s3cret\n").unwrap();
        let text = format!(
            "[serve]\nlisten = \"[::]:9930\"\nbearer_token_file = \"{}\"\n",
            file.display()
        );
        let served = parse(&text).unwrap().unwrap();
        assert_eq!(served.token.as_deref(), Some("s3cret"));
    }

    #[test]
    fn a_bad_address_or_token_file_is_named() {
        let e = parse("[serve]\nlisten = \"localhost\"\n").unwrap_err();
        assert!(
            e.contains("line 2") && e.contains("address and port"),
            "{e}"
        );
        let text = "[serve]\nlisten = \"127.0.0.1:1\"\nbearer_token_file = \"/nonexistent/t\"\n";
        let e = parse(text).unwrap_err();
        assert!(e.contains("line 3") && e.contains("cannot read it"), "{e}");
    }
}
