//! Patterns montui knows without being told, each with a severity: HTTP errors, database
//! errors, TLS failures, the OOM killer, segfaults, kernel oopses and panics, authentication
//! failures, disk I/O errors, timeouts; and those the user names in config, checked first. A
//! template is checked once, when its pattern is new (not each line), by lower-case phrases
//! any of which marks it.

use super::level::Level;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub name: &'static str,
    pub severity: Level,
    /// Any of these (lower case) in the template marks it.
    pub phrases: &'static [&'static str],
}

/// The most severe first: the first that matches names the pattern.
pub const KNOWN: &[Known] = &[
    Known {
        name: "kernel_panic",
        severity: Level::Critical,
        phrases: &[
            "kernel panic",
            "oops:",
            "bug: unable to handle",
            "general protection fault",
            "call trace:",
        ],
    },
    Known {
        name: "oom_killer",
        severity: Level::Critical,
        phrases: &[
            "out of memory: kill",
            "out of memory: killed",
            "invoked oom-killer",
            "oom-kill:",
            "oom_reaper",
        ],
    },
    Known {
        name: "segfault",
        severity: Level::Critical,
        phrases: &["segfault at", "segmentation fault", "core dumped"],
    },
    Known {
        name: "disk_io_error",
        severity: Level::Critical,
        phrases: &[
            "i/o error",
            "blk_update_request",
            "medium error",
            "ext4-fs error",
            "xfs_corruption",
            "metadata corruption",
            "read-only file system",
        ],
    },
    Known {
        name: "http_5xx",
        severity: Level::Error,
        phrases: &[
            "server-error",
            "502 bad gateway",
            "503 service unavailable",
            "504 gateway",
        ],
    },
    Known {
        name: "db_error",
        severity: Level::Error,
        phrases: &[
            "deadlock",
            "too many connections",
            "remaining connection slots are reserved",
            "could not connect to server",
            "connection refused",
            "econnrefused",
            "lock wait timeout exceeded",
        ],
    },
    Known {
        name: "tls_error",
        severity: Level::Error,
        phrases: &[
            "ssl handshak",
            "ssl_do_handshake",
            "tls handshake",
            "handshake failure",
            "certificate verify failed",
            "certificate has expired",
            "x509:",
            "bad certificate",
            "ssl_error",
            "unknown ca",
        ],
    },
    Known {
        name: "auth_failure",
        severity: Level::Warn,
        phrases: &[
            "authentication failure",
            "failed password",
            "invalid user",
            "permission denied (publickey",
            "login incorrect",
            "authentication failed",
            "access denied for user",
        ],
    },
    Known {
        name: "http_4xx",
        severity: Level::Warn,
        phrases: &["client-error"],
    },
    Known {
        name: "timeout",
        severity: Level::Warn,
        phrases: &["timed out", "timeout", "deadline exceeded"],
    },
];

/// The user's patterns and montui's, ready to classify many templates: every phrase found in
/// one pass over the template (a flood of new patterns classifies each of them).
#[derive(Debug, Clone)]
pub struct Classifier {
    known: Vec<Known>,
    /// The phrases of `known`, and the `known` each belongs to.
    phrases: Option<aho_corasick::AhoCorasick>,
    owner: Vec<usize>,
}

impl Default for Classifier {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl Classifier {
    /// The user's patterns (checked first), then montui's.
    pub fn new(user: Vec<Known>) -> Self {
        let known: Vec<Known> = user.into_iter().chain(KNOWN.iter().copied()).collect();
        let mut owner = Vec::new();
        let mut phrases = Vec::new();
        for (i, k) in known.iter().enumerate() {
            for p in k.phrases {
                owner.push(i);
                phrases.push(*p);
            }
        }
        let phrases = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&phrases)
            .ok();
        Self {
            known,
            phrases,
            owner,
        }
    }

    /// What a template is known as, if anything: the user's patterns first, then montui's.
    pub fn classify(&self, template: &str) -> Option<Known> {
        let ac = self.phrases.as_ref()?;
        let first = (ac.find_overlapping_iter(template))
            .filter_map(|m| self.owner.get(m.pattern().as_usize()))
            .min()?;
        self.known.get(*first).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_troubles_are_recognised() {
        let cases = [
            (
                "Out of memory: Killed process <*> (java) total-vm:<*>",
                Some("oom_killer"),
            ),
            (
                "java[<*>]: segfault at <*> ip <*> sp <*> error <*>",
                Some("segfault"),
            ),
            (
                "blk_update_request: I/O error, dev <*>, sector <*>",
                Some("disk_io_error"),
            ),
            (
                "Kernel panic - not syncing: Fatal exception",
                Some("kernel_panic"),
            ),
            ("GET <*> server-error", Some("http_5xx")),
            ("POST /login client-error", Some("http_4xx")),
            ("Deadlock found when trying to get lock", Some("db_error")),
            ("FATAL: too many connections for role <*>", Some("db_error")),
            (
                "SSL_do_handshake() failed (SSL: error:<*>:SSL routines) while SSL handshaking",
                Some("tls_error"),
            ),
            (
                "x509: certificate has expired or is not yet valid",
                Some("tls_error"),
            ),
            (
                "Failed password for invalid user <*> from <*> port <*> <*>",
                Some("auth_failure"),
            ),
            (
                "upstream timed out (<*>: Connection timed out) while reading",
                Some("timeout"),
            ),
            ("Started Session <*> of user root.", None),
        ];
        let c = Classifier::default();
        for (t, want) in cases {
            assert_eq!(c.classify(t).map(|k| k.name), want, "{t}");
        }
    }
}
