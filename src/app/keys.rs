/// A key press, independent of the terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Enter,
    Esc,
    Backspace,
}

impl Key {
    pub fn label(&self) -> String {
        match self {
            Key::Char(' ') => "space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("^{c}"),
            Key::Tab => "Tab".into(),
            Key::BackTab => "S-Tab".into(),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::PageUp => "PgUp".into(),
            Key::PageDown => "PgDn".into(),
            Key::Home => "Home".into(),
            Key::End => "End".into(),
            Key::Enter => "Enter".into(),
            Key::Esc => "Esc".into(),
            Key::Backspace => "Backspace".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
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
    Details,
    Filter,
    SortHosts,
    RawTail,
    Forecasts,
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
}

pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub scope: Scope,
    pub help: &'static str,
}

const fn b(keys: &'static [Key], action: Action, scope: Scope, help: &'static str) -> Binding {
    Binding {
        keys,
        action,
        scope,
        help,
    }
}

use Key::*;
use Scope::*;

/// The one key table: it handles the keys and it writes the help overlay.
pub static BINDINGS: &[Binding] = &[
    b(
        &[Char('t')],
        Action::StepForward,
        History,
        "step one sample forward",
    ),
    b(
        &[Char('T')],
        Action::StepBack,
        History,
        "step one sample back",
    ),
    b(
        &[Char('j')],
        Action::JumpForward,
        History,
        "jump by 10m/-1h or to time",
    ),
    b(
        &[Char('J')],
        Action::JumpBack,
        History,
        "jump back by a duration",
    ),
    b(
        &[Char(' ')],
        Action::PlayPause,
        History,
        "play / pause playback",
    ),
    b(
        &[Char('+'), Char('=')],
        Action::Faster,
        History,
        "play faster (up to 64×)",
    ),
    b(&[Char('-')], Action::Slower, History, "play slower"),
    b(&[Char('g'), Home], Action::First, History, "first sample"),
    b(&[Char('G'), End], Action::Last, History, "last sample"),
    b(
        &[Char('n')],
        Action::NextMarker,
        History,
        "next alert, gap, restart",
    ),
    b(
        &[Char('N')],
        Action::PrevMarker,
        History,
        "prev. alert, gap, restart",
    ),
    b(
        &[Char('z'), Char('<')],
        Action::ZoomOut,
        History,
        "charts: wider (to 7d)",
    ),
    b(
        &[Char('Z'), Char('>')],
        Action::ZoomIn,
        History,
        "charts: narrower (5m)",
    ),
    b(
        &[Char('p')],
        Action::Resume,
        History,
        "back to live (from pause)",
    ),
    b(&[Char('p')], Action::Pause, Live, "pause: browse recording"),
    b(&[Char('a')], Action::Ack, Live, "ack the selected alert"),
    b(&[Char('A')], Action::AckAll, Live, "ack every active alert"),
    b(
        &[Char('u')],
        Action::Unack,
        Live,
        "un-ack the selected alert",
    ),
    b(
        &[Char('s')],
        Action::Silence,
        Live,
        "silence it (1h/until 9:00)",
    ),
    b(
        &[Char('S')],
        Action::Silences,
        Everywhere,
        "silences: list, expire",
    ),
    b(
        &[Enter],
        Action::Details,
        Everywhere,
        "details: alert, anomaly, host, pattern",
    ),
    b(
        &[Char('o')],
        Action::SortHosts,
        Everywhere,
        "sort hosts / log patterns",
    ),
    b(
        &[Char('r')],
        Action::RawTail,
        Everywhere,
        "patterns: raw lines of the source",
    ),
    b(
        &[Char('f')],
        Action::Forecasts,
        Everywhere,
        "anomalies: every series' forecast and its error / back",
    ),
    b(
        &[Char('/')],
        Action::Filter,
        Everywhere,
        "filter alerts, hosts, patterns",
    ),
    b(&[Char('q'), Ctrl('c')], Action::Quit, Everywhere, "quit"),
    b(&[Char('?')], Action::ToggleHelp, Everywhere, "this help"),
    b(&[Esc], Action::Close, Everywhere, "close a window / filter"),
    b(
        &[Tab, Char('l'), Right],
        Action::FocusNext,
        Everywhere,
        "focus next pane",
    ),
    b(
        &[BackTab, Char('h'), Left],
        Action::FocusPrev,
        Everywhere,
        "focus previous pane",
    ),
    b(
        &[Up, Char('k')],
        Action::Up,
        Everywhere,
        "up in the focused list",
    ),
    b(
        &[Down, Char('j')],
        Action::Down,
        Everywhere,
        "down in the focused list",
    ),
    b(&[PageUp], Action::PageUp, Everywhere, "page up"),
    b(&[PageDown], Action::PageDown, Everywhere, "page down"),
    b(
        &[Char('P')],
        Action::SortCpu,
        Everywhere,
        "sort processes by CPU",
    ),
    b(
        &[Char('M')],
        Action::SortMem,
        Everywhere,
        "sort processes by memory",
    ),
];

/// The action a key means in the given scope, the first match in table order.
pub fn action_for(key: Key, browsing_history: bool) -> Option<Action> {
    BINDINGS
        .iter()
        .filter(|b| match b.scope {
            History => browsing_history,
            Live => !browsing_history,
            Everywhere => true,
        })
        .find(|b| b.keys.contains(&key))
        .map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_decides_between_jump_and_scroll() {
        assert_eq!(action_for(Char('j'), true), Some(Action::JumpForward));
        assert_eq!(action_for(Char('j'), false), Some(Action::Down));
        assert_eq!(action_for(Char('p'), true), Some(Action::Resume));
        assert_eq!(action_for(Char('p'), false), Some(Action::Pause));
        assert_eq!(action_for(Char('t'), false), None);
        assert_eq!(action_for(Ctrl('c'), false), Some(Action::Quit));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.scope == b.scope {
                    for k in a.keys {
                        assert!(!b.keys.contains(k), "{k:?} bound twice in {:?}", a.scope);
                    }
                }
            }
        }
    }
}
