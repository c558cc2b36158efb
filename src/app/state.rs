use super::History;
use super::hosts::HostSort;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::alert::board::Board;
use crate::alert::lifecycle::{Alert, Phase};
use crate::alert::policy::Policy;
use crate::alert::rules::{Condition, Rule};
use crate::details::{AnomalyChart, Details};
use crate::model::{HostState, Snapshot};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Live,
    /// Live collection goes on; the view browses what was recorded (atop's twin mode).
    Paused,
    Replay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Cpu,
    Mem,
    Load,
    Disk,
    Net,
    Procs,
    Alerts,
    Log,
    /// The hosts overview (when remote hosts are watched).
    Hosts,
    /// Log patterns (when logs are followed).
    Patterns,
    /// Anomalies the watch found, or every series' forecast.
    Anomalies,
}

impl Pane {
    pub const ALL: [Pane; 11] = [
        Pane::Hosts,
        Pane::Cpu,
        Pane::Mem,
        Pane::Load,
        Pane::Disk,
        Pane::Net,
        Pane::Procs,
        Pane::Alerts,
        Pane::Anomalies,
        Pane::Patterns,
        Pane::Log,
    ];
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Cpu,
    Mem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recording {
    Off,
    On,
    /// Recording is paused by an error (full disk, ...); samples wait in memory.
    Failed(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    JumpForward,
    JumpBack,
    /// Words every listed alert must contain (rule, label names or values).
    Filter,
    /// Words every listed host must contain (name or state).
    HostFilter,
    /// Words every listed log pattern must contain (template, source, level).
    PatternFilter,
    /// How long to silence this alert (fingerprint).
    Silence(u64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
}

/// What one of the views shows: the current snapshot and the charts' past.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    pub snapshot: Option<Snapshot>,
    pub history: History,
}

/// A host other than the one on screen: its charts and latest sample, whether it answers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OtherHost {
    pub view: View,
    pub state: Option<HostState>,
}

/// Where replay stands in the recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplayPos {
    pub index: usize,
    pub len: usize,
    pub first_ts: i64,
    pub last_ts: i64,
}

/// Everything the UI draws. Owned by the UI task; rendering only reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub mode: Mode,
    pub host: String,
    pub interval_ms: i64,
    pub history_len: usize,
    pub live: View,
    /// What pause and replay show.
    pub browsed: View,
    pub pos: Option<ReplayPos>,
    pub playing: bool,
    pub speed: u32,
    /// Chart window while browsing history: an index into `replay::ZOOMS_MS`.
    pub zoom: usize,
    pub recording: Recording,
    pub dropped: u64,
    pub focus: Pane,
    pub sort: SortBy,
    /// Selected row of the process table, and first shown row of the disk and net lists.
    pub selected: usize,
    pub scroll: [usize; Pane::ALL.len()],
    /// Alerting as the engine (or the recording) has it, and the alert pane's selected row.
    pub board: Board,
    /// Rules, inhibitions, escalations: for annotations, details and replayed lists.
    pub policy: Arc<Policy>,
    pub alert_selected: usize,
    /// The other hosts watched, and whether the one on screen answers.
    pub others: BTreeMap<String, OtherHost>,
    pub live_state: Option<HostState>,
    /// The hosts overview: selected row, order and filter. This machine is always first.
    pub host_selected: usize,
    pub host_sort: HostSort,
    pub host_filter: Option<String>,
    /// This machine's name (the panes may show another host).
    pub local: String,
    /// The alert list's filter (`/`).
    pub filter: Option<String>,
    /// Log patterns (None: no logs followed), and the pane's order, filter and selection.
    pub logs: Option<crate::logs::patterns::LogBoard>,
    pub pattern_sort: super::PatternSort,
    pub pattern_filter: Option<String>,
    pub pattern_selected: usize,
    /// The log pattern whose window is open (Enter in the Patterns pane).
    pub pattern_open: Option<crate::logs::miner::PatternId>,
    /// The source whose raw lines the Patterns pane shows instead (`r`).
    pub raw_tail: Option<std::sync::Arc<str>>,
    /// Anomalies and forecasts as the engine (or the recording) has them; `f` shows the
    /// forecasts of the host on screen instead of the anomalies.
    pub anomalies: crate::detect::AnomalyBoard,
    pub forecast_view: bool,
    /// The open details window (Enter on an alert).
    pub details: Option<Details>,
    /// The open chart of an anomaly (Enter on one).
    pub anomaly_chart: Option<AnomalyChart>,
    /// The silence list (`S`) is open, and its selected row.
    pub silence_list: bool,
    pub silence_selected: usize,
    pub help: bool,
    pub prompt: Option<Prompt>,
    /// A short message for the user (a bad jump, a collection error), shown in the status bar.
    pub message: Option<String>,
    /// Show times in UTC instead of the local time zone.
    pub utc: bool,
    pub quit: bool,
}

impl State {
    /// The anomalies, newest first.
    pub fn anomaly_rows(&self) -> Vec<&crate::detect::Anomaly> {
        self.anomalies.anomalies.iter().rev().collect()
    }

    /// The forecasts of the host on screen.
    pub fn forecast_rows(&self) -> Vec<&crate::detect::ForecastRow> {
        let host = &self.host;
        let rows = self.anomalies.forecasts.iter();
        rows.filter(|r| &r.host == host).collect()
    }

    pub fn new(mode: Mode, host: &str, interval_ms: i64, history_len: usize) -> Self {
        Self {
            mode,
            host: host.to_string(),
            interval_ms,
            history_len,
            live: View {
                snapshot: None,
                history: History::new(history_len),
            },
            browsed: View::default(),
            pos: None,
            playing: false,
            speed: 1,
            zoom: 0,
            recording: Recording::Off,
            dropped: 0,
            focus: Pane::Procs,
            sort: SortBy::Cpu,
            selected: 0,
            scroll: [0; Pane::ALL.len()],
            board: Board::default(),
            policy: Arc::new(Policy::default()),
            alert_selected: 0,
            anomalies: Default::default(),
            forecast_view: false,
            others: BTreeMap::new(),
            live_state: None,
            host_selected: 0,
            host_sort: HostSort::Name,
            host_filter: None,
            local: host.to_string(),
            filter: None,
            logs: None,
            pattern_sort: super::PatternSort::Rate,
            pattern_filter: None,
            pattern_selected: 0,
            pattern_open: None,
            raw_tail: None,
            details: None,
            anomaly_chart: None,
            silence_list: false,
            silence_selected: 0,
            help: false,
            prompt: None,
            message: None,
            utc: false,
            quit: false,
        }
    }

    pub fn browsing(&self) -> bool {
        self.mode != Mode::Live
    }

    /// The view on screen: live data, or the browsed history.
    pub fn shown(&self) -> &View {
        if self.browsing() {
            &self.browsed
        } else {
            &self.live
        }
    }

    /// A new live sample. While paused it is kept for the return to live, not shown. Other
    /// hosts' samples are kept for the hosts overview.
    pub fn push_live(&mut self, s: Snapshot) {
        if s.host != self.host {
            let cap = self.history_len;
            let view = &mut self.others.entry(s.host.clone()).or_default().view;
            if view.history == History::default() {
                view.history = History::new(cap);
            }
            view.history.push(&s);
            view.snapshot = Some(s);
            return;
        }
        self.live.history.push(&s);
        self.live.snapshot = Some(s);
    }

    /// A host answers again, or stopped answering: said in the status bar, kept for the
    /// hosts overview.
    pub fn host_state(&mut self, host: String, state: HostState) {
        self.message = Some(match &state {
            HostState::Up { .. } => format!("{host}: connected"),
            HostState::Down { reason } => format!("{host}: {reason}"),
        });
        if host == self.host {
            self.live_state = Some(state);
        } else {
            self.others.entry(host).or_default().state = Some(state);
        }
    }

    /// A remote host's last poll took `ms` from asking to having it.
    pub fn host_rtt(&mut self, host: &str, ms: u32) {
        let state = if host == self.host {
            self.live_state.as_mut()
        } else {
            self.others.get_mut(host).and_then(|o| o.state.as_mut())
        };
        if let Some(HostState::Up { rtt_ms, .. }) = state {
            *rtt_ms = Some(ms);
        }
    }

    /// Shows a window of recorded snapshots (the last one is current) at `pos`.
    pub fn show_recorded(&mut self, snaps: Vec<Snapshot>, pos: ReplayPos) {
        self.browsed.history = History::from_snapshots(self.history_len, &snaps);
        self.browsed.snapshot = snaps.into_iter().next_back();
        if let Some(s) = &self.browsed.snapshot {
            self.host.clone_from(&s.host);
        }
        self.pos = Some(pos);
    }

    /// Time of the shown sample.
    pub fn shown_ts(&self) -> Option<i64> {
        self.shown().snapshot.as_ref().map(|s| s.ts_ms)
    }
}

impl State {
    /// Alerts in the order the pane shows them: firing, pending, resolved; then by severity
    /// (highest first), then oldest first. The ack keys act on this order too.
    pub fn alerts_sorted(&self) -> Vec<&Alert> {
        let rank = |p: Phase| match p {
            Phase::Firing => 0,
            Phase::Pending => 1,
            Phase::Resolved => 2,
        };
        let words = filter_words(self.filter.as_deref());
        let mut v: Vec<&Alert> = self
            .board
            .alerts
            .iter()
            .filter(|a| words.iter().all(|w| alert_text(a).contains(w.as_str())))
            .collect();
        v.sort_by(|a, b| {
            rank(a.phase)
                .cmp(&rank(b.phase))
                .then(b.severity.cmp(&a.severity))
                .then(a.active_since.cmp(&b.active_since))
                .then(a.fingerprint.cmp(&b.fingerprint))
        });
        v
    }

    /// When the alerts about what `pane` charts fired (each one's latest episode): where
    /// the charts put markers.
    pub fn alert_marks(&self, pane: Pane) -> Vec<i64> {
        self.board
            .alerts
            .iter()
            .filter(|a| chart_of(self.policy.rule(&a.rule)) == pane)
            .filter_map(|a| a.fired_at)
            .collect()
    }

    /// The alert under the pane's selection.
    pub fn selected_alert(&self) -> Option<&Alert> {
        let sorted = self.alerts_sorted();
        sorted
            .get(self.alert_selected.min(sorted.len().saturating_sub(1)))
            .copied()
    }
}

/// What the filter searches: rule, severity, state, and each label as `name=value`.
fn alert_text(a: &Alert) -> String {
    let mut t = format!("{} {} {:?}", a.rule, a.severity.name(), a.phase);
    for (k, v) in &a.labels {
        t.push_str(&format!(" {k}={v}"));
    }
    t.to_lowercase()
}

/// The pane whose chart shows what a rule watches; expressions and unknown rules: CPU.
fn chart_of(rule: Option<&Rule>) -> Pane {
    let metric = match rule.map(|r| &r.condition) {
        Some(Condition::Threshold { metric, .. }) => metric.as_str(),
        _ => "",
    };
    match metric.split('_').next() {
        Some("memory" | "swap") => Pane::Mem,
        Some("load1" | "load5" | "load15") => Pane::Load,
        Some("filesystem" | "disk") => Pane::Disk,
        Some("network") => Pane::Net,
        _ => Pane::Cpu,
    }
}
/// A filter's words, lower-cased: each must be found for an item to stay.
pub(super) fn filter_words(filter: Option<&str>) -> Vec<String> {
    filter
        .into_iter()
        .flat_map(str::split_whitespace)
        .map(str::to_lowercase)
        .collect()
}
