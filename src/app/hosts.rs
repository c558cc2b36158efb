//! The hosts overview: one row per watched host, worked out from the state (no clock: "now"
//! is the newest sample on screen), and switching which host the panes show.

use super::lists::filter_words;
use super::state::{OtherHost, Pane, State, View};
use crate::alert::lifecycle::Phase;
use crate::model::{HostState, Snapshot};

/// How a host is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Up,
    /// Connected, but no sample for three intervals.
    Stale,
    Down(String),
    /// No answer yet.
    Connecting,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HostRow {
    pub name: String,
    pub status: Status,
    pub cpu: Option<f64>,
    pub mem: Option<f64>,
    /// The fullest file system, percent.
    pub disk: Option<f64>,
    pub rx: Option<f64>,
    pub tx: Option<f64>,
    pub firing: usize,
    /// Since its last sample.
    pub age_ms: Option<i64>,
    pub skew_ms: Option<i64>,
    /// The last poll's round trip (remote hosts).
    pub rtt_ms: Option<u32>,
    /// The host the panes show.
    pub shown: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HostSort {
    #[default]
    Name,
    Cpu,
    Mem,
    Alerts,
}

impl HostSort {
    pub fn next(self) -> Self {
        match self {
            HostSort::Name => HostSort::Cpu,
            HostSort::Cpu => HostSort::Mem,
            HostSort::Mem => HostSort::Alerts,
            HostSort::Alerts => HostSort::Name,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            HostSort::Name => "name",
            HostSort::Cpu => "CPU",
            HostSort::Mem => "memory",
            HostSort::Alerts => "alerts",
        }
    }
}

fn row(name: &str, view: &View, state: Option<&HostState>, s: &State, now: i64) -> HostRow {
    let snap: Option<&Snapshot> = view.snapshot.as_ref();
    let age_ms = snap.map(|x| now - x.ts_ms);
    let status = match (state, age_ms) {
        (Some(HostState::Down { reason }), _) => Status::Down(reason.clone()),
        (_, Some(age)) if age > 3 * s.interval_ms => Status::Stale,
        (_, Some(_)) => Status::Up,
        // Replayed, a host with no sample near the time on screen: nothing to connect to.
        (_, None) if s.mode == super::state::Mode::Replay => Status::Stale,
        (_, None) => Status::Connecting,
    };
    let sum = |f: fn(&crate::model::NetRate) -> Option<f64>| {
        snap.map(|x| x.nets.iter().filter(|n| n.name != "lo").filter_map(f).sum())
    };
    HostRow {
        name: name.to_string(),
        status,
        cpu: snap.and_then(|x| x.cpu).map(|c| c.busy()),
        mem: snap.filter(|x| x.mem.total > 0).map(|x| x.mem.used_pct()),
        disk: snap.and_then(|x| x.fs.iter().map(|f| f.used_pct()).reduce(f64::max)),
        rx: sum(|n| n.rx),
        tx: sum(|n| n.tx),
        firing: s
            .board
            .alerts
            .iter()
            .filter(|a| {
                a.phase == Phase::Firing && a.labels.get("host").map(String::as_str) == Some(name)
            })
            .count(),
        age_ms,
        skew_ms: match state {
            Some(HostState::Up { skew_ms, .. }) => Some(*skew_ms),
            _ => None,
        },
        rtt_ms: match state {
            Some(HostState::Up { rtt_ms, .. }) => *rtt_ms,
            _ => None,
        },
        shown: name == s.host,
    }
}

impl State {
    /// Every watched host, the one on screen included, in the chosen order.
    pub fn host_rows(&self) -> Vec<HostRow> {
        // The wall clock live; without it (a recording), the newest sample on screen.
        let newest = std::iter::once(self.live.snapshot.as_ref())
            .chain(self.others.values().map(|o| o.view.snapshot.as_ref()))
            .flatten()
            .map(|x| x.ts_ms)
            .max()
            .unwrap_or(0);
        let now = self.clock_ms.filter(|_| !self.browsing()).unwrap_or(newest);
        let mut rows: Vec<HostRow> = std::iter::once(row(
            &self.host,
            &self.live,
            self.live_state.as_ref(),
            self,
            now,
        ))
        .chain(
            self.others
                .iter()
                .map(|(n, o)| row(n, &o.view, o.state.as_ref(), self, now)),
        )
        .collect();
        let words = filter_words(self.host_filter.as_deref());
        // Words match the name, the state, or a host label written `name=value`.
        rows.retain(|r| {
            let labels = self.policy.host_labels.get(&r.name).into_iter().flatten();
            let labels: String = labels.map(|(k, v)| format!(" {k}={v}")).collect();
            let text = format!("{} {:?}{labels}", r.name, r.status).to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        });
        let key = |v: Option<f64>| std::cmp::Reverse((v.unwrap_or(-1.0) * 1000.0) as i64);
        match self.host_sort {
            HostSort::Name => rows.sort_by(|a, b| a.name.cmp(&b.name)),
            HostSort::Cpu => rows.sort_by_key(|r| key(r.cpu)),
            HostSort::Mem => rows.sort_by_key(|r| key(r.mem)),
            HostSort::Alerts => rows.sort_by_key(|r| std::cmp::Reverse(r.firing)),
        }
        // This machine first, whatever the order.
        rows.sort_by_key(|r| r.name != self.local);
        rows
    }

    /// Replay moved to `name`: the host replayed until now goes back to the overview.
    pub fn replayed_host(&mut self, name: &str) {
        self.others.remove(name);
        let was = std::mem::replace(&mut self.host, name.to_string());
        self.others.insert(was, OtherHost::default());
        self.proc_selected.reset();
        self.scroll = [0; Pane::ALL.len()];
    }

    /// Shows `name` in the panes; the host shown until now goes back to the overview.
    pub fn switch_host(&mut self, name: &str) {
        if name == self.host {
            return;
        }
        let Some(other) = self.others.remove(name) else {
            return;
        };
        let was = OtherHost {
            view: std::mem::replace(&mut self.live, other.view),
            state: std::mem::replace(&mut self.live_state, other.state),
        };
        self.others
            .insert(std::mem::replace(&mut self.host, name.to_string()), was);
        self.proc_selected.reset();
        self.scroll = [0; Pane::ALL.len()];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Mode;

    fn snap(host: &str, ts_ms: i64, cpu: f64) -> Snapshot {
        Snapshot {
            host: host.into(),
            ts_ms,
            cpu: Some(crate::model::CpuPct {
                user: cpu,
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn rows_say_up_stale_down_and_switching_swaps_the_views() {
        let mut s = State::new(Mode::Live, "local", 1000, 10);
        s.push_live(snap("local", 10_000, 5.0));
        s.push_live(snap("web1", 9_000, 50.0));
        s.push_live(snap("db1", 5_000, 20.0));
        s.host_state(
            "cache1".into(),
            HostState::Down {
                reason: "Connection refused".into(),
            },
        );
        let rows = s.host_rows();
        let status: Vec<(&str, &Status)> =
            rows.iter().map(|r| (r.name.as_str(), &r.status)).collect();
        assert_eq!(
            status,
            [
                ("local", &Status::Up),
                ("cache1", &Status::Down("Connection refused".into())),
                ("db1", &Status::Stale),
                ("web1", &Status::Up)
            ]
        );
        s.host_sort = HostSort::Cpu;
        let order: Vec<String> = s.host_rows().into_iter().map(|r| r.name).collect();
        assert_eq!(
            order,
            ["local", "web1", "db1", "cache1"],
            "this machine first"
        );
        s.host_filter = Some("DOWN".into());
        assert_eq!(s.host_rows().len(), 1);
        let mut policy = crate::alert::policy::Policy::default();
        policy.host_labels.insert(
            "db1".into(),
            [("env".to_string(), "prod".to_string())].into(),
        );
        s.policy = std::sync::Arc::new(policy);
        s.host_filter = Some("env=prod".into());
        let names: Vec<String> = s.host_rows().into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["db1"], "a filter word may be a host label");
        s.host_filter = None;
        s.switch_host("web1");
        assert_eq!(s.host, "web1");
        assert_eq!(s.live.snapshot.as_ref().map(|x| x.ts_ms), Some(9_000));
        s.push_live(snap("local", 11_000, 6.0));
        assert_eq!(
            s.others["local"].view.history.cpu.len(),
            2,
            "the local host keeps its charts"
        );
        assert!(s.host_rows().iter().any(|r| r.shown && r.name == "web1"));
    }

    #[test]
    fn a_replayed_host_with_no_sample_then_is_stale_not_connecting() {
        let mut s = State::new(Mode::Replay, "local", 1000, 10);
        s.others.insert("db1".into(), Default::default());
        let rows = s.host_rows();
        let db1 = rows.iter().find(|r| r.name == "db1").map(|r| &r.status);
        assert_eq!(db1, Some(&Status::Stale));
    }
}
