//! The one key table: it maps keys to actions and it writes the help overlay. A binding may
//! belong to panes: it acts only while one of them has focus (`a` acknowledges in the Alerts
//! pane and nowhere else), so a key never reaches a list the user is not looking at.

pub use super::key::Key;
use super::state::Pane;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Suspend,
    ToggleHelp,
    Close,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    PageUp,
    PageDown,
    SortCpu,
    SortMem,
    Pause,
    Resume,
    StepForward,
    StepBack,
    JumpForward,
    JumpBack,
    PlayPause,
    Faster,
    Slower,
    First,
    Last,
    ZoomOut,
    ZoomIn,
    NextMarker,
    PrevMarker,
    Ack,
    AckAll,
    Unack,
    Silence,
    Silences,
    Notifications,
    /// A report of the host on screen (today so far).
    Report,
    /// Enter: open the focused list's item (an alert's details, a host, a pattern, a chart).
    Open,
    Filter,
    Sort,
    RawTail,
    Forecasts,
    /// The processes as a tree and back.
    Tree,
    /// Keep the selection on the selected process, wherever it moves in the list.
    Follow,
    /// Send the selected process a signal (asks which, naming it).
    Kill,
    /// Give the selected process another nice value (asks which): lower, higher.
    NiceDown,
    NiceUp,
    /// The focused pane alone on screen, and back.
    Maximise,
    /// The next layout preset (overview, processes, alerts, logs).
    NextLayout,
    /// Hide the focused pane; show every hidden one again.
    Hide,
    ShowAll,
}

/// When a binding applies. Earlier scopes win: in replay `j` jumps rather than scrolls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Browsing history: `--replay`, or live paused with `p`.
    History,
    /// Live and not paused.
    Live,
    Everywhere,
}

impl Scope {
    pub fn title(&self) -> &'static str {
        match self {
            Scope::History => "Replay and pause",
            Scope::Live => "Live",
            Scope::Everywhere => "Everywhere",
        }
    }

    fn applies(self, browsing_history: bool) -> bool {
        match self {
            Scope::History => browsing_history,
            Scope::Live => !browsing_history,
            Scope::Everywhere => true,
        }
    }
}

pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub scope: Scope,
    /// The panes whose focus it needs; empty: any.
    pub panes: &'static [Pane],
    pub help: &'static str,
}

const fn b(keys: &'static [Key], action: Action, scope: Scope, help: &'static str) -> Binding {
    Binding {
        keys,
        action,
        scope,
        panes: &[],
        help,
    }
}

/// A binding of one pane.
const fn on(
    pane: &'static [Pane],
    keys: &'static [Key],
    action: Action,
    scope: Scope,
    help: &'static str,
) -> Binding {
    Binding {
        keys,
        action,
        scope,
        panes: pane,
        help,
    }
}

use Key::*;
use Scope::*;

const ALERTS: &[Pane] = &[Pane::Alerts];
const HOSTS: &[Pane] = &[Pane::Hosts];
const PATTERNS: &[Pane] = &[Pane::Patterns];
const ANOMALIES: &[Pane] = &[Pane::Anomalies];
const METRICS: &[Pane] = &[Pane::Metrics];
const LOG: &[Pane] = &[Pane::Log];
const PROCS: &[Pane] = &[Pane::Procs];

/// The key table, in the order the help shows it within each section.
#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    b(&[Char('t')], Action::StepForward, History, "step forward"),
    b(&[Char('T')], Action::StepBack, History, "step back"),
    b(&[Char('j')], Action::JumpForward, History, "jump: 10m, -1h, 14:00"),
    b(&[Char('J')], Action::JumpBack, History, "jump back: 10m"),
    b(&[Char(' ')], Action::PlayPause, History, "play / pause"),
    b(&[Char('+'), Char('=')], Action::Faster, History, "faster (to 64×)"),
    b(&[Char('-')], Action::Slower, History, "slower"),
    b(&[Char('g'), Home], Action::First, History, "first sample"),
    b(&[Char('G'), End], Action::Last, History, "last sample"),
    b(&[Char('n')], Action::NextMarker, History, "next alert, gap"),
    b(&[Char('N')], Action::PrevMarker, History, "previous alert, gap"),
    b(&[Char('z'), Char('<')], Action::ZoomOut, History, "charts wider"),
    b(&[Char('Z'), Char('>')], Action::ZoomIn, History, "charts narrower"),
    b(&[Char('p')], Action::Resume, History, "back to live"),
    b(&[Char('p')], Action::Pause, Live, "pause: browse history"),
    on(ALERTS, &[Char('a')], Action::Ack, Live, "ack the selected"),
    on(ALERTS, &[Char('A')], Action::AckAll, Live, "ack every firing"),
    on(ALERTS, &[Char('u')], Action::Unack, Live, "un-ack the selected"),
    on(ALERTS, &[Char('s')], Action::Silence, Live, "silence: 1h, until 9:00"),
    on(ALERTS, &[Enter], Action::Open, Everywhere, "details and chart"),
    on(ALERTS, &[Char('/'), F(3)], Action::Filter, Everywhere, "filter: host=x crit"),
    on(ANOMALIES, &[Enter], Action::Open, Everywhere, "its chart"),
    on(ANOMALIES, &[Char('f')], Action::Forecasts, Everywhere, "forecasts / back"),
    on(HOSTS, &[Enter], Action::Open, Everywhere, "show it in the panes"),
    on(HOSTS, &[Char('o'), F(6)], Action::Sort, Everywhere, "sort: name, CPU…"),
    on(HOSTS, &[Char('/'), F(3)], Action::Filter, Everywhere, "filter: name, down"),
    on(PATTERNS, &[Enter], Action::Open, Everywhere, "lines and rate"),
    on(PATTERNS, &[Char('o'), F(6)], Action::Sort, Everywhere, "sort: rate, count…"),
    on(PATTERNS, &[Char('/'), F(3)], Action::Filter, Everywhere, "filter: words"),
    on(METRICS, &[Char('/'), F(3)], Action::Filter, Everywhere, "filter: name, label"),
    on(PROCS, &[Enter], Action::Open, Everywhere, "details: cwd, files, history"),
    on(PROCS, &[Char('o'), F(6)], Action::Sort, Everywhere, "sort: next column"),
    on(PROCS, &[Char('/'), F(3)], Action::Filter, Everywhere, "search: name, user…"),
    on(PROCS, &[F(5)], Action::Tree, Everywhere, "tree / flat"),
    on(PROCS, &[Char('F')], Action::Follow, Everywhere, "follow the process / stop"),
    on(PROCS, &[F(9), Char('K')], Action::Kill, Everywhere, "signal: TERM, KILL…"),
    on(PROCS, &[F(7), Char('[')], Action::NiceDown, Everywhere, "nice − (more CPU)"),
    on(PROCS, &[F(8), Char(']')], Action::NiceUp, Everywhere, "nice + (less CPU)"),
    on(PATTERNS, &[Char('r')], Action::RawTail, Everywhere, "raw lines / back"),
    on(LOG, &[Enter], Action::Open, Everywhere, "all of it, by pages"),
    b(&[Char('S')], Action::Silences, Everywhere, "silences: list, expire"),
    b(&[Char('O')], Action::Notifications, Everywhere, "notifications: receivers, outbox"),
    b(&[Char('R')], Action::Report, Everywhere, "report of this host: today so far (d w m)"),
    b(&[Char('q'), Ctrl('c'), F(10)], Action::Quit, Everywhere, "quit"),
    b(&[Ctrl('z')], Action::Suspend, Everywhere, "suspend (fg resumes)"),
    b(&[Char('?'), F(1)], Action::ToggleHelp, Everywhere, "this help"),
    b(&[Esc], Action::Close, Everywhere, "close, clear filter"),
    b(&[Char('e')], Action::Maximise, Everywhere, "maximise the pane / back"),
    b(&[Char('v')], Action::NextLayout, Everywhere, "layout: overview, processes…"),
    b(&[Char('x')], Action::Hide, Everywhere, "hide the pane"),
    b(&[Char('X')], Action::ShowAll, Everywhere, "show hidden panes"),
    b(&[Tab, Char('l'), Right], Action::FocusNext, Everywhere, "next pane"),
    b(&[BackTab, Char('h'), Left], Action::FocusPrev, Everywhere, "previous pane"),
    b(&[Up, Char('k')], Action::Up, Everywhere, "up in the list"),
    b(&[Down, Char('j')], Action::Down, Everywhere, "down in the list"),
    b(&[PageUp], Action::PageUp, Everywhere, "page up"),
    b(&[PageDown], Action::PageDown, Everywhere, "page down"),
    b(&[Char('P')], Action::SortCpu, Everywhere, "processes by CPU"),
    b(&[Char('M')], Action::SortMem, Everywhere, "processes by memory"),
];

/// The action a key means in the given scope with `focus` focused: the first match in table
/// order.
pub fn action_for(key: Key, browsing_history: bool, focus: Pane) -> Option<Action> {
    BINDINGS
        .iter()
        .filter(|b| b.scope.applies(browsing_history))
        .filter(|b| b.panes.is_empty() || b.panes.contains(&focus))
        .find(|b| b.keys.contains(&key))
        .map(|b| b.action)
}

/// The panes where a key that does nothing in the focused one would act (for a hint).
pub fn panes_for(key: Key, browsing_history: bool) -> Vec<Pane> {
    BINDINGS
        .iter()
        .filter(|b| b.scope.applies(browsing_history) && b.keys.contains(&key))
        .flat_map(|b| b.panes.iter().copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_decides_between_jump_and_scroll() {
        let any = Pane::Cpu;
        assert_eq!(action_for(Char('j'), true, any), Some(Action::JumpForward));
        assert_eq!(action_for(Char('j'), false, any), Some(Action::Down));
        assert_eq!(action_for(Char('p'), true, any), Some(Action::Resume));
        assert_eq!(action_for(Char('p'), false, any), Some(Action::Pause));
        assert_eq!(action_for(Char('t'), false, any), None);
        assert_eq!(action_for(Ctrl('c'), false, any), Some(Action::Quit));
        assert_eq!(action_for(F(10), true, any), Some(Action::Quit));
        assert_eq!(action_for(F(1), false, any), Some(Action::ToggleHelp));
        assert_eq!(action_for(F(6), false, Pane::Procs), Some(Action::Sort));
        assert_eq!(
            action_for(F(3), false, Pane::Patterns),
            Some(Action::Filter)
        );
    }

    #[test]
    fn alert_keys_act_only_in_the_alerts_pane() {
        for k in [Char('a'), Char('A'), Char('u'), Char('s'), Enter, Char('/')] {
            assert_eq!(action_for(k, false, Pane::Cpu), None, "{k:?}");
            assert!(action_for(k, false, Pane::Alerts).is_some(), "{k:?}");
        }
        assert_eq!(action_for(Enter, false, Pane::Hosts), Some(Action::Open));
        assert_eq!(panes_for(Char('a'), false), [Pane::Alerts]);
        assert_eq!(action_for(Char('a'), true, Pane::Alerts), None, "live only");
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope_and_pane() {
        let overlap = |a: &Binding, b: &Binding| {
            a.panes.is_empty() || b.panes.is_empty() || a.panes.iter().any(|p| b.panes.contains(p))
        };
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.scope == b.scope && overlap(a, b) {
                    for k in a.keys {
                        assert!(!b.keys.contains(k), "{k:?} bound twice in {:?}", a.scope);
                    }
                }
            }
        }
    }
}
