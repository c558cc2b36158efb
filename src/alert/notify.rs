//! When to notify, with Alertmanager's grouping: alerts sharing the `group_by` labels go out
//! together; a new group waits `group_wait` for its companions, a changed group waits
//! `group_interval` after its last notice, an unchanged one that still fires is repeated
//! every `repeat_interval`. Acknowledged alerts are not repeated; muted ones are left out.
//! During a quiet window (a suppression window) nothing goes out; what was due goes out when
//! the window ends. Pure: the caller passes the time and whether it is quiet, and sends.

use std::collections::BTreeMap;

use super::fpset::{FpMap, FpSet};
use super::lifecycle::{Alert, Phase};

#[derive(Debug, Clone, PartialEq)]
pub struct Grouping {
    pub group_by: Vec<String>,
    pub group_wait_ms: i64,
    pub group_interval_ms: i64,
    pub repeat_interval_ms: i64,
}

impl Default for Grouping {
    /// Alertmanager's defaults, grouped by host and rule.
    fn default() -> Self {
        Self {
            group_by: vec!["host".into(), "alertname".into()],
            group_wait_ms: 30_000,
            group_interval_ms: 300_000,
            repeat_interval_ms: 4 * 3_600_000,
        }
    }
}

/// A quiet (suppression) window: from `from_min` to `to_min` (minutes after local midnight;
/// it may wrap past midnight), on `days` (0 = Monday; none: every day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quiet {
    pub from_min: u32,
    pub to_min: u32,
    pub days: Vec<u32>,
}

impl Quiet {
    pub fn contains(&self, minute: u32, weekday: u32) -> bool {
        let in_day = self.days.is_empty() || self.days.contains(&weekday);
        let in_time = if self.from_min <= self.to_min {
            (self.from_min..self.to_min).contains(&minute)
        } else {
            minute >= self.from_min || minute < self.to_min
        };
        in_day && in_time
    }
}

/// Whether local time at `now` (ms) falls in any of the windows.
pub fn quiet_at(windows: &[Quiet], now: i64) -> bool {
    use chrono::{Datelike, TimeZone, Timelike};
    let Some(t) = chrono::Local.timestamp_millis_opt(now).single() else {
        return false;
    };
    let minute = t.hour() * 60 + t.minute();
    let day = t.weekday().num_days_from_monday();
    windows.iter().any(|w| w.contains(minute, day))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The group's first notice.
    New,
    /// An alert joined, fired or resolved since the last notice.
    Changed,
    /// Nothing changed, and it still fires unacknowledged.
    Repeat,
}

/// One notice to send: the group's labels, its firing and newly resolved alerts.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub group: Vec<(String, String)>,
    pub firing: Vec<u64>,
    pub resolved: Vec<u64>,
    pub reason: Reason,
}

#[derive(Debug, Default)]
struct Group {
    first_seen: i64,
    last_sent: Option<i64>,
    /// Each alert's phase as last sent.
    sent: FpMap<Phase>,
}

/// The notification state of every group.
#[derive(Debug, Default)]
pub struct Planner {
    groups: BTreeMap<Vec<(String, String)>, Group>,
}

impl Planner {
    /// `a` was notified firing before a restart (the outbox says so): its group counts as told
    /// at `now`, so the restart sends it again only when it changes or at its repeat.
    pub fn seed(&mut self, g: &Grouping, a: &Alert, now: i64) {
        let key = g
            .group_by
            .iter()
            .map(|k| (k.clone(), a.label(k).unwrap_or_default().to_string()))
            .collect();
        let group = self.groups.entry(key).or_insert_with(|| Group {
            first_seen: now,
            ..Default::default()
        });
        group.last_sent = Some(now);
        group.sent.insert(a.fingerprint, Phase::Firing);
    }

    /// The notices due at `now` (none while `quiet`).
    pub fn due<'a>(
        &mut self,
        g: &Grouping,
        alerts: impl Iterator<Item = &'a Alert>,
        muted: &FpSet,
        now: i64,
        quiet: bool,
    ) -> Vec<Notice> {
        // The alerts worth telling about, by group: firing, or resolved after firing.
        let mut current: BTreeMap<Vec<(String, String)>, Vec<&Alert>> = BTreeMap::new();
        for a in alerts.filter(|a| !muted.contains(&a.fingerprint) && a.fired_at.is_some()) {
            let key = g
                .group_by
                .iter()
                .map(|k| (k.clone(), a.label(k).unwrap_or_default().to_string()))
                .collect();
            current.entry(key).or_default().push(a);
        }
        let mut out = Vec::new();
        for (key, members) in current {
            let group = self.groups.entry(key.clone()).or_insert_with(|| Group {
                first_seen: now,
                ..Default::default()
            });
            let changed = members
                .iter()
                .any(|a| group.sent.get(&a.fingerprint) != Some(&a.phase))
                && members.iter().any(|a| {
                    a.phase == Phase::Firing
                        || group.sent.get(&a.fingerprint) == Some(&Phase::Firing)
                });
            let unacked = members
                .iter()
                .any(|a| a.phase == Phase::Firing && a.ack.is_none());
            let reason = match group.last_sent {
                None if changed && now - group.first_seen >= g.group_wait_ms => Some(Reason::New),
                Some(t) if changed && now - t >= g.group_interval_ms => Some(Reason::Changed),
                Some(t) if !changed && unacked && now - t >= g.repeat_interval_ms => {
                    Some(Reason::Repeat)
                }
                _ => None,
            };
            let Some(reason) = reason.filter(|_| !quiet) else {
                continue;
            };
            let pick = |p: Phase| -> Vec<u64> {
                members
                    .iter()
                    .filter(|a| a.phase == p)
                    .filter(|a| {
                        p == Phase::Firing || group.sent.get(&a.fingerprint) == Some(&Phase::Firing)
                    })
                    .map(|a| a.fingerprint)
                    .collect()
            };
            let notice = Notice {
                group: key,
                firing: pick(Phase::Firing),
                resolved: pick(Phase::Resolved),
                reason,
            };
            group.last_sent = Some(now);
            group.sent = members
                .iter()
                .filter(|a| a.phase == Phase::Firing)
                .map(|a| (a.fingerprint, a.phase))
                .collect();
            out.push(notice);
        }
        out
    }
}

#[cfg(test)]
mod tests;
