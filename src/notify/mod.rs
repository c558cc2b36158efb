//! Delivery of notices to people: receivers (`[[notify.receivers]]`), a durable outbox in the
//! history file, and one delivery thread per receiver, so that one failing receiver never
//! delays or re-sends another's notices. Core: no terminal code here.

mod command;
mod deliver;
mod payload;
mod test;

pub use deliver::spawn;
pub use payload::{notice_id, payload};
pub use test::test;

use std::time::Duration;

/// Where notices go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receiver {
    pub name: String,
    pub kind: Kind,
    /// A notice older than this is given up (a dead letter, kept).
    pub give_up_ms: i64,
    /// Whether resolved notices are sent too.
    pub send_resolved: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A program run without a shell, the notice as JSON on its stdin; exit 0 means delivered.
    Command {
        argv: Vec<String>,
        timeout: Duration,
    },
}
