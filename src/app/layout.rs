//! Which panes are on screen and how the screen is shared among them: a preset (a tree of
//! rows and columns), the panes the user hid, and one pane maximised. The UI turns the tree
//! into rectangles, giving panes sized by content (`Size::Content`) what they need first.

use serde::Deserialize;

use super::state::{Pane, State};

/// A screen arrangement users switch between (`v`, `[ui] layout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// Every pane.
    Overview,
    /// CPU and memory over a tall process list.
    Processes,
    /// Hosts, alerts, anomalies and montui's log.
    Alerts,
    /// Log patterns and montui's log.
    Logs,
}

impl Preset {
    pub const ALL: [Preset; 4] = [
        Preset::Overview,
        Preset::Processes,
        Preset::Alerts,
        Preset::Logs,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Preset::Overview => "overview",
            Preset::Processes => "processes",
            Preset::Alerts => "alerts",
            Preset::Logs => "logs",
        }
    }

    /// The pane that takes focus when the preset is chosen and the focused one is not in it.
    fn main(self) -> Pane {
        match self {
            Preset::Overview | Preset::Processes => Pane::Procs,
            Preset::Alerts => Pane::Alerts,
            Preset::Logs => Pane::Patterns,
        }
    }

    /// The preset's rows and columns, the status bar excluded.
    pub fn tree(self) -> Node {
        use Node::{Col, Leaf, Row};
        use Size::{Content, Fill, Pct};
        match self {
            Preset::Overview => Col(vec![
                (Leaf(Pane::Hosts), Content(20)),
                (
                    Row(vec![
                        (Leaf(Pane::Cpu), Pct(58)),
                        (
                            Col(vec![
                                (Leaf(Pane::Mem), Fill(1)),
                                (Leaf(Pane::Load), Content(55)),
                            ]),
                            Fill(1),
                        ),
                    ]),
                    Content(36),
                ),
                (
                    Row(vec![
                        (Leaf(Pane::Disk), Pct(50)),
                        (Leaf(Pane::Net), Fill(1)),
                    ]),
                    Content(24),
                ),
                (
                    Row(vec![
                        (Leaf(Pane::Procs), Pct(52)),
                        (
                            Col(vec![
                                (Leaf(Pane::Alerts), Content(50)),
                                (Leaf(Pane::Anomalies), Content(30)),
                                (Leaf(Pane::Metrics), Content(40)),
                                (Leaf(Pane::Log), Fill(1)),
                            ]),
                            Fill(1),
                        ),
                    ]),
                    Fill(1),
                ),
                (Leaf(Pane::Patterns), Pct(26)),
            ]),
            Preset::Processes => Col(vec![
                (
                    Row(vec![(Leaf(Pane::Cpu), Pct(55)), (Leaf(Pane::Mem), Fill(1))]),
                    Content(30),
                ),
                (Leaf(Pane::Procs), Fill(1)),
            ]),
            Preset::Alerts => Col(vec![
                (Leaf(Pane::Hosts), Content(30)),
                (Leaf(Pane::Alerts), Fill(3)),
                (Leaf(Pane::Anomalies), Fill(2)),
                (Leaf(Pane::Metrics), Fill(2)),
                (Leaf(Pane::Log), Pct(25)),
            ]),
            Preset::Logs => Col(vec![
                (Leaf(Pane::Patterns), Fill(3)),
                (Leaf(Pane::Log), Fill(1)),
            ]),
        }
    }
}

/// A part of the screen: one pane, or parts side by side (`Row`) or stacked (`Col`).
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Leaf(Pane),
    Row(Vec<(Node, Size)>),
    Col(Vec<(Node, Size)>),
}

/// A part's share of its row or column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// What its content needs, at most this percentage of the whole.
    Content(u16),
    Pct(u16),
    /// A share of what is left.
    Fill(u16),
}

impl Node {
    /// The tree with only the panes `keep` accepts; None when none is left. A part left alone
    /// takes its whole row or column, and a row or column left without a `Fill` gives its
    /// last part the rest, so no space is left empty.
    pub fn only(self, keep: &impl Fn(Pane) -> bool) -> Option<Node> {
        let prune = |parts: Vec<(Node, Size)>| -> Vec<(Node, Size)> {
            let mut kept: Vec<_> = (parts.into_iter())
                .filter_map(|(n, size)| n.only(keep).map(|n| (n, size)))
                .collect();
            if !kept.iter().any(|(_, s)| matches!(s, Size::Fill(_)))
                && let Some(last) = kept.last_mut()
            {
                last.1 = Size::Fill(1);
            }
            kept
        };
        match self {
            Node::Leaf(p) => keep(p).then_some(Node::Leaf(p)),
            Node::Row(parts) => join(prune(parts), Node::Row),
            Node::Col(parts) => join(prune(parts), Node::Col),
        }
    }

    /// Its panes, in screen order.
    pub fn panes(&self) -> Vec<Pane> {
        match self {
            Node::Leaf(p) => vec![*p],
            Node::Row(parts) | Node::Col(parts) => {
                parts.iter().flat_map(|(n, _)| n.panes()).collect()
            }
        }
    }
}

/// Parts as one node: none, the one alone, or `make` of them all.
fn join(mut parts: Vec<(Node, Size)>, make: fn(Vec<(Node, Size)>) -> Node) -> Option<Node> {
    match parts.len() {
        0 => None,
        1 => parts.pop().map(|(n, _)| n),
        _ => Some(make(parts)),
    }
}

/// How the user arranged the screen: a preset, the panes hidden, one pane maximised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrangement {
    pub preset: Preset,
    pub hidden: Vec<Pane>,
    pub maximised: bool,
}

impl Default for Arrangement {
    fn default() -> Self {
        Self {
            preset: Preset::Overview,
            hidden: Vec::new(),
            maximised: false,
        }
    }
}

impl State {
    /// Whether the pane has something to show here (hosts with remote hosts, patterns with
    /// logs followed).
    fn available(&self, p: Pane) -> bool {
        match p {
            Pane::Hosts => !self.others.is_empty(),
            Pane::Patterns => self.logs.is_some(),
            Pane::Metrics => (self.shown().snapshot.as_ref()).is_some_and(|x| !x.series.is_empty()),
            _ => true,
        }
    }

    /// The screen's tree as arranged now (the status bar excluded).
    pub fn screen(&self) -> Option<Node> {
        let a = &self.layout;
        if a.maximised {
            return Some(Node::Leaf(self.focus));
        }
        let keep = |p: Pane| self.available(p) && !a.hidden.contains(&p);
        a.preset.tree().only(&keep)
    }

    /// The panes on screen, in the order Tab visits them.
    pub fn panes_shown(&self) -> Vec<Pane> {
        let on: Vec<Pane> = self.screen().map(|n| n.panes()).unwrap_or_default();
        Pane::ALL.into_iter().filter(|p| on.contains(p)).collect()
    }

    /// Moves focus to a pane on screen if it left it.
    fn refocus(&mut self, prefer: Pane) {
        let shown = self.panes_shown();
        if !shown.contains(&self.focus) {
            self.focus = if shown.contains(&prefer) {
                prefer
            } else {
                shown.first().copied().unwrap_or(Pane::Procs)
            };
        }
    }

    /// The arrangement at start (`[ui] layout`, `hide`).
    pub fn arrange(&mut self, preset: Preset, hidden: Vec<Pane>) {
        self.layout = Arrangement {
            preset,
            hidden,
            maximised: false,
        };
        self.refocus(preset.main());
    }

    pub fn next_preset(&mut self) {
        let all = Preset::ALL;
        let at = all
            .iter()
            .position(|p| *p == self.layout.preset)
            .unwrap_or(0);
        self.set_preset(all[(at + 1) % all.len()]);
    }

    pub fn set_preset(&mut self, preset: Preset) {
        self.layout.preset = preset;
        self.layout.maximised = false;
        self.refocus(preset.main());
        self.message = Some(format!("layout: {} (v: next)", preset.name()));
    }

    pub fn toggle_maximised(&mut self) {
        self.layout.maximised = !self.layout.maximised;
    }

    /// Hides the focused pane (never the last one shown); focus moves to the next.
    pub fn hide_focused(&mut self) {
        if self.panes_shown().len() <= 1 {
            self.message = Some("the last pane on screen stays".into());
            return;
        }
        let gone = self.focus;
        self.layout.maximised = false;
        self.layout.hidden.push(gone);
        self.refocus(self.layout.preset.main());
        self.message = Some(format!("{} hidden (X: show all)", gone.name()));
    }

    pub fn show_all(&mut self) {
        self.layout.hidden.clear();
        self.layout.maximised = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Mode;

    fn state() -> State {
        State::new(Mode::Live, "here", 1000, 10)
    }

    #[test]
    fn panes_without_content_are_left_out_and_their_space_given_away() {
        let s = state();
        let shown = s.panes_shown();
        assert!(!shown.contains(&Pane::Hosts) && !shown.contains(&Pane::Patterns));
        assert_eq!(shown.len(), 9);
        // Disks alone take the row; the column left without a Fill gives its last part the rest.
        let tree = Node::Col(vec![
            (
                Node::Row(vec![
                    (Node::Leaf(Pane::Disk), Size::Pct(50)),
                    (Node::Leaf(Pane::Net), Size::Fill(1)),
                ]),
                Size::Content(20),
            ),
            (Node::Leaf(Pane::Procs), Size::Fill(1)),
        ]);
        let pruned = tree.only(&|p| p != Pane::Net && p != Pane::Procs);
        assert_eq!(pruned, Some(Node::Leaf(Pane::Disk)));
    }

    #[test]
    fn presets_hiding_and_maximising_keep_focus_on_screen() {
        let mut s = state();
        s.focus = Pane::Cpu;
        s.set_preset(Preset::Alerts);
        assert_eq!(s.focus, Pane::Alerts);
        assert_eq!(s.panes_shown(), [Pane::Alerts, Pane::Anomalies, Pane::Log]);
        s.hide_focused();
        assert_eq!(s.panes_shown(), [Pane::Anomalies, Pane::Log]);
        assert!(s.panes_shown().contains(&s.focus));
        s.hide_focused();
        s.hide_focused();
        assert_eq!(s.panes_shown().len(), 1, "the last pane stays");
        s.show_all();
        s.toggle_maximised();
        assert_eq!(s.panes_shown(), [s.focus]);
        s.next_preset();
        assert_eq!(s.layout.preset, Preset::Logs);
        assert!(!s.layout.maximised);
        assert_eq!(
            s.panes_shown(),
            [Pane::Log],
            "no logs followed: no patterns"
        );
    }
}
