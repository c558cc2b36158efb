//! Inhibition as in Alertmanager: while a source alert fires, target alerts that share its
//! `equal` labels are muted (a host that is down does not also page for its disks).

use super::fpset::FpSet;
use super::lifecycle::{Alert, Phase};
use super::rules::HOST_DOWN;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inhibition {
    /// Matchers the muting alert must satisfy (`alertname` is its rule).
    pub source: Vec<(String, String)>,
    /// Matchers the muted alert must satisfy; none: every alert.
    pub target: Vec<(String, String)>,
    /// Labels both must have, with the same values.
    pub equal: Vec<String>,
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// What montui ships alongside its rules: a host that is down mutes its other alerts, and a
/// full file system mutes its own "filling" warning.
pub fn default_inhibitions() -> Vec<Inhibition> {
    vec![
        Inhibition {
            source: pairs(&[("alertname", HOST_DOWN)]),
            target: Vec::new(),
            equal: vec!["host".into()],
        },
        Inhibition {
            source: pairs(&[("alertname", "disk_full")]),
            target: pairs(&[("alertname", "disk_filling")]),
            equal: vec!["host".into(), "mount".into()],
        },
    ]
}

/// The muted alerts: (fingerprint of the muted one, fingerprint of the firing one that mutes
/// it). Only pending and firing alerts are muted; an alert never mutes itself.
pub fn inhibited(rules: &[Inhibition], alerts: &[&Alert]) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut muted = FpSet::default();
    for rule in rules {
        let sources: Vec<&&Alert> = alerts
            .iter()
            .filter(|a| a.phase == Phase::Firing && a.matches(&rule.source))
            .collect();
        if sources.is_empty() {
            continue;
        }
        for t in alerts {
            if t.phase == Phase::Resolved
                || !t.matches(&rule.target)
                || muted.contains(&t.fingerprint)
            {
                continue;
            }
            let by = sources.iter().find(|s| {
                s.fingerprint != t.fingerprint
                    && rule
                        .equal
                        .iter()
                        .all(|k| s.labels.contains_key(k) && s.labels.get(k) == t.labels.get(k))
            });
            if let Some(s) = by {
                muted.insert(t.fingerprint);
                out.push((t.fingerprint, s.fingerprint));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_down_mutes_that_hosts_alerts_only() {
        let down = Alert::firing(HOST_DOWN, &[("host", "db-1")]);
        let disk = Alert::firing("disk_full", &[("host", "db-1"), ("mount", "/")]);
        let other = Alert::firing("disk_full", &[("host", "web-1"), ("mount", "/")]);
        let filling = Alert::firing("disk_filling", &[("host", "web-1"), ("mount", "/")]);
        let filling_home = Alert::firing("disk_filling", &[("host", "web-1"), ("mount", "/home")]);
        let all = [&down, &disk, &other, &filling, &filling_home];
        let muted = inhibited(&default_inhibitions(), &all);
        assert_eq!(
            muted,
            [
                (disk.fingerprint, down.fingerprint),
                (filling.fingerprint, other.fingerprint)
            ]
        );
        // A pending source mutes nothing.
        let pending = Alert {
            phase: Phase::Pending,
            ..down.clone()
        };
        assert!(inhibited(&default_inhibitions(), &[&pending, &disk]).is_empty());
    }
}
