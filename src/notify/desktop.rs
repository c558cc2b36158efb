//! The `desktop` receiver: a freedesktop notification over the D-Bus session bus (notify-rust,
//! pure Rust through zbus), urgency from severity (critical stays until dismissed). Where no
//! session bus exists (a server, a service) it says so and is retried: a session may start.

use super::view::{Notice, Words};
use super::{Answer, Failure};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Desktop;

/// Whether a session bus is there to reach: the variable, or the systemd user bus socket.
pub fn session_bus() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        || std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|d| std::path::Path::new(&d).join("bus").exists())
}

pub fn send(n: &Notice, w: &Words) -> Answer {
    use notify_rust::{Notification, Timeout, Urgency};
    if !session_bus() {
        return Err(Failure::retry(
            "no D-Bus session bus here (DBUS_SESSION_BUS_ADDRESS unset): desktop notices need a desktop session",
        ));
    }
    let (urgency, timeout) = match (n.firing().count(), n.severity()) {
        (0, _) => (Urgency::Low, Timeout::Default),
        (_, "critical") => (Urgency::Critical, Timeout::Never),
        _ => (Urgency::Normal, Timeout::Default),
    };
    let body: String = w
        .body
        .lines()
        .skip_while(|l| l.trim().is_empty() || *l == w.title)
        .take(8)
        .collect::<Vec<_>>()
        .join("\n");
    Notification::new()
        .appname("montui")
        .summary(&w.title)
        .body(&body)
        .urgency(urgency)
        .timeout(timeout)
        .show()
        .map(|_| "shown on the session bus".into())
        .map_err(|e| Failure::retry(format!("desktop notification: {e}")))
}
