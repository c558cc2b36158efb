//! `montui notify test [RECEIVER]`: a test notice to each receiver through the same attempt
//! as real notices (not through the outbox: nothing is queued or retried), with its answer.

use super::deliver::attempt;
use super::{Receiver, notice_id, payload};
use crate::alert::lifecycle::{Alert, Severity};
use crate::store::{Outcome, Pending};

/// A receiver's name, how it took the test notice, and its answer when it took it.
pub type Tested = (String, Outcome, Option<String>);

/// Each receiver named `only` (or every one), how it took a test notice and what it answered.
pub fn test(receivers: &[Receiver], only: Option<&str>) -> Result<Vec<Tested>, String> {
    let chosen: Vec<&Receiver> = (receivers.iter())
        .filter(|r| only.is_none_or(|o| r.name == o))
        .collect();
    if receivers.is_empty() {
        return Err("no receivers: add [[notify.receivers]] to the config".into());
    }
    if chosen.is_empty() {
        let names: Vec<&str> = receivers.iter().map(|r| r.name.as_str()).collect();
        return Err(format!(
            "no receiver `{}` (there are: {})",
            only.unwrap_or_default(),
            names.join(", ")
        ));
    }
    let now = chrono::Utc::now().timestamp_millis();
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| crate::text::one_line(h.trim()).to_string())
        .unwrap_or_else(|_| "localhost".into());
    let mut alert = Alert::firing("montui_test", &[("host", &host)]);
    (alert.severity, alert.active_since, alert.fired_at) = (Severity::Info, now, Some(now));
    let group = vec![("host".to_string(), host)];
    let summary = vec![(
        "summary".to_string(),
        "a test notice from montui notify test".to_string(),
    )];
    let id = notice_id(&group, now);
    Ok(chosen
        .into_iter()
        .map(|r| {
            let p = Pending {
                id: 0,
                notice: id.clone(),
                receiver: r.name.clone(),
                created_ms: now,
                payload: payload(&r.name, &id, &group, &[(&alert, summary.clone())], None),
                attempts: 0,
            };
            let (outcome, answer) = attempt(r, &p, now, None);
            (r.name.clone(), outcome, answer)
        })
        .collect())
}
