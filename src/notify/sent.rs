//! A notice as the notifications view and an alert's details show it: to whom, when, how it
//! went, and its title (read from its payload).

use crate::store::{Sent, SentState};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentRow {
    pub id: i64,
    pub receiver: String,
    pub created_ms: i64,
    pub state: SentState,
    pub attempts: u32,
    /// When the next attempt is due (pending ones).
    pub next_ms: i64,
    pub error: Option<String>,
    /// `[FIRING:2] disk_full on web-1 (/data)`.
    pub title: String,
}

impl From<Sent> for SentRow {
    fn from(s: Sent) -> Self {
        let n = super::view::Notice::parse(&s.payload);
        let title = match n.event.as_str() {
            "" => n.title(),
            e => format!(
                "[{}] {}",
                e.to_uppercase(),
                n.alerts.first().map_or("", |a| a.name())
            ),
        };
        Self {
            id: s.id,
            receiver: s.receiver,
            created_ms: s.created_ms,
            state: s.state,
            attempts: s.attempts,
            next_ms: s.next_ms,
            error: s.last_error,
            title,
        }
    }
}

impl SentRow {
    /// `delivered`, `retrying (3 tries)`, `dead letter`, `queued`.
    pub fn outcome(&self) -> String {
        match (self.state, self.attempts) {
            (SentState::Delivered, _) => "delivered".into(),
            (SentState::Dead, _) => "dead letter".into(),
            (SentState::Pending, 0) => "queued".into(),
            (SentState::Pending, 1) => "retrying (1 try)".into(),
            (SentState::Pending, n) => format!("retrying ({n} tries)"),
        }
    }
}
