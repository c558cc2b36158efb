//! Severity of a log line, from the words logs use for it (`INFO`, `[warn]`, `level=error`,
//! Android's `E`, syslog's priority).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Trace,
    Debug,
    Info,
    Notice,
    Warn,
    Error,
    Critical,
}

impl Level {
    pub const ALL: [Level; 7] = [
        Level::Trace,
        Level::Debug,
        Level::Info,
        Level::Notice,
        Level::Warn,
        Level::Error,
        Level::Critical,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Notice => "notice",
            Level::Warn => "warn",
            Level::Error => "error",
            Level::Critical => "critical",
        }
    }

    /// A level word in any case (`ERROR`, `Error`, `err`, `warning`, `fatal`…).
    pub fn from_word(w: &str) -> Option<Level> {
        if w.len() > 13 {
            return None;
        }
        let lower = w.to_ascii_lowercase();
        Some(match lower.as_str() {
            "trace" | "finest" | "finer" | "verbose" => Level::Trace,
            "debug" | "dbg" | "fine" => Level::Debug,
            "info" | "information" | "informational" => Level::Info,
            "notice" => Level::Notice,
            "warn" | "warning" => Level::Warn,
            "error" | "err" | "severe" => Level::Error,
            "critical" | "crit" | "fatal" | "alert" | "emerg" | "emergency" | "panic" => {
                Level::Critical
            }
            _ => return None,
        })
    }

    /// Android's one-letter levels (`V D I W E F A`).
    pub fn from_letter(w: &str) -> Option<Level> {
        Some(match w {
            "V" => Level::Trace,
            "D" => Level::Debug,
            "I" => Level::Info,
            "W" => Level::Warn,
            "E" => Level::Error,
            "F" | "A" => Level::Critical,
            _ => return None,
        })
    }

    /// A syslog severity (0 emerg … 7 debug).
    pub fn from_syslog(severity: u32) -> Level {
        match severity {
            0..=2 => Level::Critical,
            3 => Level::Error,
            4 => Level::Warn,
            5 => Level::Notice,
            6 => Level::Info,
            _ => Level::Debug,
        }
    }
}
