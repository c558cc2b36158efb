//! Where a remote host is reached: an ssh destination as the user writes it (an alias from
//! ~/.ssh/config, `host`, `user@host`, `user@host:port`, `[v6]:port`), checked so that it
//! can never be read as an option or smuggle characters into ssh's command line.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The name montui shows and records the host under.
    pub name: String,
    /// What ssh connects to: an alias, `host` or `user@host`.
    pub destination: String,
    pub port: Option<u16>,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(p) => write!(f, "{}:{p}", self.destination),
            None => f.write_str(&self.destination),
        }
    }
}

/// Characters a destination may hold; anything else (spaces, quotes, `;`, `$`, control
/// characters…) is refused.
fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._-@:[]%".contains(c)
}

impl Target {
    /// Parses `spec`; the name defaults to the host part (`admin@db1:2222` → `db1`).
    pub fn parse(spec: &str, name: Option<&str>) -> Result<Self, String> {
        if spec.is_empty() {
            return Err("empty ssh destination".into());
        }
        if spec.starts_with('-') {
            return Err(format!(
                "`{}` looks like an ssh option, not a host",
                printable(spec)
            ));
        }
        if let Some(c) = spec.chars().find(|c| !allowed(*c)) {
            return Err(format!(
                "`{}` has a character ssh destinations do not: {c:?}",
                printable(spec)
            ));
        }
        let (user, rest) = match spec.rsplit_once('@') {
            Some((u, r)) if !u.is_empty() && !u.contains('@') => (Some(u), r),
            Some(_) => return Err(format!("`{spec}`: the user before `@` is not valid")),
            None => (None, spec),
        };
        let (host, port) = split_port(rest).map_err(|e| format!("`{spec}`: {e}"))?;
        if host.is_empty() || host.starts_with('-') {
            return Err(format!("`{spec}`: no host name"));
        }
        let destination = match user {
            Some(u) => format!("{u}@{host}"),
            None => host.to_string(),
        };
        let name = name.unwrap_or(host).trim_matches(['[', ']']).to_string();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(format!("host name `{}` is not valid", printable(&name)));
        }
        Ok(Self {
            name,
            destination,
            port,
        })
    }
}

/// `host:22` → (host, 22); `[::1]:22` → ([::1], 22); `host` → (host, None).
fn split_port(s: &str) -> Result<(&str, Option<u16>), String> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (inside, after) = rest.split_once(']').ok_or("a `[` with no `]`")?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or("text after `]`")?),
        };
        (&s[..inside.len() + 2], port)
    } else {
        match s.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    let port = port
        .map(|p| {
            p.parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or(format!("port `{p}` is not a number from 1 to 65535"))
        })
        .transpose()?;
    Ok((host, port))
}

/// The text with control characters shown escaped, for error messages.
fn printable(s: &str) -> String {
    s.chars().flat_map(char::escape_default).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_users_write() {
        let t = Target::parse("admin@db1:2222", None).unwrap();
        assert_eq!(
            (t.name.as_str(), t.destination.as_str(), t.port),
            ("db1", "admin@db1", Some(2222))
        );
        let t = Target::parse("web1", None).unwrap();
        assert_eq!((t.name.as_str(), t.port), ("web1", None));
        let t = Target::parse("root@[::1]:2200", Some("lab")).unwrap();
        assert_eq!(
            (t.name.as_str(), t.destination.as_str(), t.port),
            ("lab", "root@[::1]", Some(2200))
        );
        assert_eq!(t.to_string(), "root@[::1]:2200");
    }

    #[test]
    fn options_and_odd_characters_are_refused() {
        for bad in [
            "-oProxyCommand=touch /tmp/x",
            "-oProxyCommand=x",
            "web1;rm",
            "web 1",
            "web1\u{1b}[2J",
            "a@-b",
            "web1:99999",
            "web1:",
            "",
            "@web1",
        ] {
            assert!(Target::parse(bad, None).is_err(), "{bad:?} accepted");
        }
        let e = Target::parse("-oProxyCommand=x", None).unwrap_err();
        assert!(e.contains("looks like an ssh option"), "{e}");
        let e = Target::parse("web1\u{7}", None).unwrap_err();
        assert!(e.contains("\\u{7}"), "{e}");
    }
}
