use super::History;
use super::hosts::HostSort;
use super::selection::Selection;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::alert::board::Board;
use crate::alert::policy::Policy;
use crate::details::{AnomalyChart, Details};
use crate::model::{HostState, ProcColumn, Snapshot};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Live,
    /// Live collection goes on; the view browses what was recorded (atop's twin mode).
    Paused,
    Replay,
}

/// A pane; in config (`[ui] hide`) by the lowercase name the help shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pane {
    Cpu,
    #[serde(rename = "memory")]
    Mem,
    Load,
    #[serde(rename = "disks")]
    Disk,
    #[serde(rename = "network")]
    Net,
    #[serde(rename = "processes")]
    Procs,
    Alerts,
    Log,
    /// The hosts overview (when remote hosts are watched).
    Hosts,
    /// Log patterns (when logs are followed).
    Patterns,
    /// Anomalies the watch found, or every series' forecast.
    Anomalies,
    /// The series of scrapes (when the host on screen has any).
    Metrics,
}

/// An anomaly's identity: its host, series and start.
pub type AnomalyKey = (String, String, i64);

impl Pane {
    /// Its name in the help and in hints.
    pub fn name(self) -> &'static str {
        match self {
            Pane::Cpu => "CPU",
            Pane::Mem => "Memory",
            Pane::Load => "Load",
            Pane::Disk => "Disks",
            Pane::Net => "Network",
            Pane::Procs => "Processes",
            Pane::Alerts => "Alerts",
            Pane::Log => "Log",
            Pane::Hosts => "Hosts",
            Pane::Patterns => "Patterns",
            Pane::Anomalies => "Anomalies",
            Pane::Metrics => "Metrics",
        }
    }

    pub const ALL: [Pane; 12] = [
        Pane::Hosts,
        Pane::Cpu,
        Pane::Mem,
        Pane::Load,
        Pane::Disk,
        Pane::Net,
        Pane::Procs,
        Pane::Alerts,
        Pane::Anomalies,
        Pane::Metrics,
        Pane::Patterns,
        Pane::Log,
    ];
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// How the process list is sorted: by a column, in its own order (busiest first, names A to
/// Z) or the reverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortBy {
    pub by: ProcColumn,
    pub reverse: bool,
}

impl SortBy {
    pub const CPU: SortBy = SortBy {
        by: ProcColumn::Cpu,
        reverse: false,
    };
    pub const MEM: SortBy = SortBy {
        by: ProcColumn::Res,
        reverse: false,
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recording {
    Off,
    On,
    /// Recording is paused by an error (full disk, ...); samples wait in memory.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    JumpForward,
    JumpBack,
    /// Words every listed alert must contain (rule, label names or values).
    Filter,
    /// Words every listed host must contain (name or state).
    HostFilter,
    /// Words every listed log pattern must contain (template, source, level).
    PatternFilter,
    /// Words every listed process must contain (PID, user, name, command line, state).
    ProcFilter,
    /// Words every listed series must contain (name, label names or values).
    MetricFilter,
    /// Which signal to send this process (named in the prompt: a confirmation).
    Signal(ProcTarget),
    /// Which nice value to give this process.
    Renice(ProcTarget),
    /// How long to silence this alert (fingerprint).
    Silence(u64),
}

/// A process a prompt acts on: its host, PID, start time, and what the prompt names it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcTarget {
    pub host: String,
    pub pid: u32,
    pub start: u64,
    pub command: String,
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

/// A report of one host, as text lines (`montui report`'s Markdown), scrolled.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub period: crate::report::Period,
    pub lines: Vec<String>,
    pub scroll: usize,
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
    /// How the notification receivers are doing (live, with receivers).
    pub receivers: Vec<crate::notify::ReceiverHealth>,
    pub focus: Pane,
    /// The preset, hidden panes and maximised pane (`v`, `x`, `e`; `[ui] layout`, `hide`).
    pub layout: super::layout::Arrangement,
    pub sort: SortBy,
    /// The process list's columns, in order (`[ui] process_columns`).
    pub proc_columns: Vec<ProcColumn>,
    /// Words every listed process must contain.
    pub proc_filter: Option<String>,
    /// The processes as a tree of parents and children.
    pub proc_tree: bool,
    /// The process followed (`F`): selected wherever it moves, listed whatever the filter.
    pub proc_follow: Option<ProcTarget>,
    /// The process table's selection (by PID), and the first shown row of the disk and net
    /// lists.
    pub proc_selected: Selection<u32>,
    /// Each process's row in the list at the last sample: processes that tie keep the order
    /// they had, so a blip of CPU moves one row once, not the whole list twice.
    pub proc_rank: HashMap<u32, usize>,
    pub scroll: [usize; Pane::ALL.len()],
    /// Alerting as the engine (or the recording) has it, and the alert pane's selection.
    pub board: Board,
    /// Rules, inhibitions, escalations: for annotations, details and replayed lists.
    pub policy: Arc<Policy>,
    pub alert_selected: Selection<u64>,
    /// The other hosts watched, and whether the one on screen answers.
    pub others: BTreeMap<String, OtherHost>,
    pub live_state: Option<HostState>,
    /// The hosts overview: selected row, order and filter. This machine is always first.
    pub host_selected: Selection<String>,
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
    /// The Metrics pane's filter and selection (by series).
    pub metric_filter: Option<String>,
    pub metric_selected: Selection<String>,
    pub pattern_selected: Selection<crate::logs::miner::PatternId>,
    /// The log pattern whose window is open (Enter in the Patterns pane).
    pub pattern_open: Option<crate::logs::miner::PatternId>,
    /// The source whose raw lines the Patterns pane shows instead (`r`).
    pub raw_tail: Option<std::sync::Arc<str>>,
    /// Anomalies and forecasts as the engine (or the recording) has them; `f` shows the
    /// forecasts of the host on screen instead of the anomalies.
    pub anomalies: crate::detect::AnomalyBoard,
    pub forecast_view: bool,
    pub anomaly_selected: Selection<AnomalyKey>,
    /// The forecast list's selection: a series of the host on screen.
    pub forecast_selected: Selection<String>,
    /// The open details window (Enter on an alert).
    pub details: Option<Details>,
    /// The open details of a process (Enter on one).
    pub proc_details: Option<crate::proc_details::ProcDetails>,
    /// The open chart of an anomaly (Enter on one).
    pub anomaly_chart: Option<AnomalyChart>,
    /// The log window is open (Enter on the Log pane), this many pages back.
    pub log_window: Option<u16>,
    /// The silence list (`S`) is open, and its selected row.
    pub silence_list: bool,
    pub silence_selected: Selection<u64>,
    /// The notifications view (`O`): the newest notices, the selected one by outbox id.
    pub notices: Option<Vec<crate::notify::SentRow>>,
    pub notice_selected: Selection<i64>,
    /// The report window (`R`): the host on screen over a period so far.
    pub summary: Option<Summary>,
    /// The help overlay is open, scrolled this many lines (when it does not fit).
    pub help: Option<usize>,
    pub prompt: Option<Prompt>,
    /// A short message for the user (a bad jump, a collection error), shown in the status bar.
    pub message: Option<String>,
    /// Show times in UTC instead of the local time zone.
    pub utc: bool,
    /// The wall clock, live (set by the terminal loop, so drawing never reads it).
    pub clock_ms: Option<i64>,
    pub quit: bool,
    /// The live lists while paused (pause shows the recording's).
    pub paused: super::paused::LiveBoards,
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
            receivers: Vec::new(),
            focus: Pane::Procs,
            layout: Default::default(),
            sort: SortBy::CPU,
            proc_columns: ProcColumn::ALL.to_vec(),
            proc_filter: None,
            proc_tree: false,
            proc_follow: None,
            proc_selected: Selection::default(),
            proc_rank: HashMap::new(),
            scroll: [0; Pane::ALL.len()],
            board: Board::default(),
            policy: Arc::new(Policy::default()),
            alert_selected: Selection::default(),
            anomalies: Default::default(),
            forecast_view: false,
            anomaly_selected: Selection::default(),
            forecast_selected: Selection::default(),
            others: BTreeMap::new(),
            live_state: None,
            host_selected: Selection::default(),
            host_sort: HostSort::Name,
            host_filter: None,
            local: host.to_string(),
            filter: None,
            logs: None,
            pattern_sort: super::PatternSort::Rate,
            pattern_filter: None,
            metric_filter: None,
            metric_selected: Selection::default(),
            pattern_selected: Selection::default(),
            pattern_open: None,
            raw_tail: None,
            details: None,
            anomaly_chart: None,
            proc_details: None,
            log_window: None,
            silence_list: false,
            notices: None,
            summary: None,
            notice_selected: Selection::default(),
            silence_selected: Selection::default(),
            help: None,
            prompt: None,
            message: None,
            utc: false,
            clock_ms: None,
            quit: false,
            paused: Default::default(),
        }
    }

    pub fn browsing(&self) -> bool {
        self.mode != Mode::Live
    }

    /// Whether a window is over the panes (a prompt, help, a list, details, a chart, the log,
    /// a pattern): it owns the keys and the wheel.
    pub fn window_open(&self) -> bool {
        self.prompt.is_some()
            || self.help.is_some()
            || self.silence_list
            || self.notices.is_some()
            || self.details.is_some()
            || self.anomaly_chart.is_some()
            || self.log_window.is_some()
            || self.pattern_open.is_some()
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
        self.rank_procs();
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
        self.rank_procs();
        self.pos = Some(pos);
    }

    /// Time of the shown sample.
    pub fn shown_ts(&self) -> Option<i64> {
        self.shown().snapshot.as_ref().map(|s| s.ts_ms)
    }

    /// "Now" for ages: the wall clock live (a host that stopped answering does not stop
    /// time), the shown sample's time when browsing the recording.
    pub fn now_ms(&self) -> i64 {
        match (self.browsing(), self.clock_ms) {
            (false, Some(clock)) => clock,
            _ => self.shown_ts().unwrap_or(0),
        }
    }

    /// Live, how long the host on screen has sent no sample, when that is more than three
    /// intervals (or it is down): its figures are that old.
    pub fn stale_ms(&self) -> Option<i64> {
        if self.browsing() {
            return None;
        }
        let age = self.clock_ms.zip(self.shown_ts()).map(|(c, ts)| c - ts);
        let down = matches!(self.live_state, Some(HostState::Down { .. }));
        age.filter(|a| down || *a > 3 * self.interval_ms)
    }
}
