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

/// What would keep each receiver from delivering, found without sending: a command's program
/// that is not there (or not executable).
pub fn check(receivers: &[Receiver]) -> Vec<String> {
    receivers
        .iter()
        .filter_map(|r| match &r.kind {
            Kind::Command { argv, .. } => {
                let prog = argv.first()?;
                (!runnable(prog)).then(|| {
                    format!(
                        "receiver `{}`: command `{prog}` is not an executable file here (nor on PATH)",
                        r.name
                    )
                })
            }
        })
        .collect()
}

/// Whether `prog` names an executable file: a path, or a name on PATH.
fn runnable(prog: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let exec = |p: &std::path::Path| {
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if prog.contains('/') {
        return exec(std::path::Path::new(prog));
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| exec(&d.join(prog))))
}
