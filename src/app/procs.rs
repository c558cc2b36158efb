//! The process list as shown: filtered by the words typed after `/` (PID, user, name, command
//! line, state), sorted by a column, and as a tree of parents and children (F5) where the
//! parents are among the processes shown.

use std::collections::{HashMap, HashSet};

use super::keys::Action;
use super::lists::filter_words;
use super::state::{ProcTarget, Prompt, PromptKind, SortBy, State};
use super::update::Request;
use crate::model::{EXITED, ProcColumn, ProcRow};

/// A row of the process list: the process, and where it is drawn in the tree ("" when the
/// list is flat or it is a root; else the lines that lead to it, `│ ├─ `).
#[derive(Debug, Clone, PartialEq)]
pub struct ProcLine<'a> {
    pub row: &'a ProcRow,
    pub tree: String,
}

impl State {
    /// The signal or nice prompt for the selected process, which it names: the confirmation.
    /// Only live: a recording's processes are history.
    pub(super) fn proc_prompt(&mut self, action: Action) {
        if self.browsing() {
            self.message = Some("signals and nice go to live processes: press p for live".into());
            return;
        }
        let Some((target, nice)) = self.proc_target_nice() else {
            return;
        };
        let (kind, text) = match action {
            Action::Kill => (PromptKind::Signal(target), "TERM".to_string()),
            Action::NiceDown => (PromptKind::Renice(target), (nice - 1).max(-20).to_string()),
            _ => (PromptKind::Renice(target), (nice + 1).min(19).to_string()),
        };
        self.prompt = Some(Prompt { kind, text });
    }

    /// Follows the selected process, or stops following.
    pub(super) fn toggle_follow(&mut self) -> Option<Request> {
        if let Some(was) = self.proc_follow.take() {
            self.message = Some(format!("stopped following PID {}", was.pid));
            return Some(Request::Follow(None));
        }
        let target = self.proc_target()?;
        self.message = Some(format!(
            "following PID {} ({}): F again or ↑ ↓ to stop",
            target.pid, target.command
        ));
        self.proc_follow = Some(target.clone());
        Some(Request::Follow(Some(target)))
    }

    /// The selected process (None: none selected, or `<exited>`, which is said).
    pub(super) fn proc_target(&mut self) -> Option<ProcTarget> {
        self.proc_target_nice().map(|(t, _)| t)
    }

    fn proc_target_nice(&mut self) -> Option<(ProcTarget, i32)> {
        let rows = self.proc_rows();
        let p = self.proc_selected.get(&rows, |p| p.pid)?;
        if p.pid == 0 {
            self.message = Some(format!(
                "{EXITED} is the CPU of processes that ended between samples: no process to act on"
            ));
            return None;
        }
        let host = (self.shown().snapshot.as_ref()).map_or(String::new(), |s| s.host.clone());
        let target = ProcTarget {
            host,
            pid: p.pid,
            start: p.start,
            command: crate::text::fit(crate::model::command(p), 40).into_owned(),
        };
        Some((target, p.nice))
    }

    /// Remembers the list's order for the next sample's ties.
    pub(super) fn rank_procs(&mut self) {
        let rank = (self.proc_lines().iter().enumerate())
            .map(|(i, l)| (l.row.pid, i))
            .collect();
        self.proc_rank = rank;
    }

    /// The processes in the table's order.
    pub fn proc_rows(&self) -> Vec<&ProcRow> {
        self.proc_lines().into_iter().map(|l| l.row).collect()
    }

    /// The processes as the table shows them: in order, with their place in the tree.
    pub fn proc_lines(&self) -> Vec<ProcLine<'_>> {
        let snap = self.shown().snapshot.as_ref();
        let words = filter_words(self.proc_filter.as_deref());
        // `<exited>` (PID 0) is listed while it has CPU to show.
        let shown = |p: &&ProcRow| p.pid != 0 || p.cpu.is_some_and(|c| c >= 0.05);
        // The process followed is listed whatever the filter.
        let followed = |p: &&ProcRow| {
            (self.proc_follow.as_ref()).is_some_and(|f| (f.pid, f.start) == (p.pid, p.start))
        };
        let mut procs: Vec<&ProcRow> = snap
            .map(|x| {
                (x.procs.iter().filter(shown))
                    .filter(|p| followed(p) || matches(p, &words))
                    .collect()
            })
            .unwrap_or_default();
        let SortBy { by, reverse } = self.sort;
        // Ties: the order they had at the last sample (those listed then first), then the
        // busier, the larger, by PID.
        let rank = |p: &ProcRow| self.proc_rank.get(&p.pid).copied().unwrap_or(usize::MAX);
        let then = [ProcColumn::Cpu, ProcColumn::Res, ProcColumn::Pid];
        procs.sort_by(|a, b| {
            let first = by.order(a, b);
            let first = if reverse { first.reverse() } else { first };
            let first = first.then_with(|| rank(a).cmp(&rank(b)));
            then.iter()
                .fold(first, |o, c| o.then_with(|| c.order(a, b)))
        });
        if self.proc_tree {
            tree(&procs)
        } else {
            procs
                .into_iter()
                .map(|row| ProcLine {
                    row,
                    tree: String::new(),
                })
                .collect()
        }
    }
}

fn matches(p: &ProcRow, words: &[String]) -> bool {
    if words.is_empty() {
        return true;
    }
    let text = format!("{} {} {} {} {}", p.pid, p.user, p.name, p.cmdline, p.state).to_lowercase();
    words.iter().all(|w| text.contains(w.as_str()))
}

/// `sorted` as a forest: each process under its parent where the parent is listed, siblings
/// in the sorted order, roots too.
fn tree<'a>(sorted: &[&'a ProcRow]) -> Vec<ProcLine<'a>> {
    let listed: HashSet<u32> = sorted.iter().map(|p| p.pid).collect();
    let mut children: HashMap<u32, Vec<&'a ProcRow>> = HashMap::new();
    let mut roots = Vec::new();
    for p in sorted {
        if p.ppid != p.pid && p.ppid != 0 && listed.contains(&p.ppid) {
            children.entry(p.ppid).or_default().push(p);
        } else {
            roots.push(*p);
        }
    }
    let mut out = Vec::with_capacity(sorted.len());
    let mut seen = HashSet::new();
    // Roots first; then whatever a loop of parents left unreached, as roots of its own.
    for start in roots.into_iter().chain(sorted.iter().copied()) {
        // Depth first; `lead` is what the levels above draw, `last` whether it ends its
        // siblings (None: a root).
        let mut stack: Vec<(&ProcRow, String, Option<bool>)> = vec![(start, String::new(), None)];
        while let Some((p, lead, last)) = stack.pop() {
            if !seen.insert(p.pid) {
                continue;
            }
            let (tree, below) = match last {
                None => (String::new(), String::new()),
                Some(true) => (format!("{lead}└─ "), format!("{lead}   ")),
                Some(false) => (format!("{lead}├─ "), format!("{lead}│  ")),
            };
            if let Some(kids) = children.get(&p.pid) {
                for (i, k) in kids.iter().enumerate().rev() {
                    stack.push((k, below.clone(), Some(i + 1 == kids.len())));
                }
            }
            out.push(ProcLine { row: p, tree });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pid: u32, ppid: u32, cpu: f64) -> ProcRow {
        ProcRow {
            pid,
            ppid,
            cpu: Some(cpu),
            name: format!("p{pid}"),
            ..Default::default()
        }
    }

    #[test]
    fn the_tree_puts_children_under_parents_busiest_first() {
        let rows = [
            p(1, 0, 1.0),
            p(10, 1, 5.0),
            p(11, 1, 9.0),
            p(20, 10, 2.0),
            p(30, 99, 3.0),
        ];
        let mut sorted: Vec<&ProcRow> = rows.iter().collect();
        sorted.sort_by(|a, b| ProcColumn::Cpu.order(a, b));
        let lines: Vec<(u32, String)> = tree(&sorted)
            .into_iter()
            .map(|l| (l.row.pid, l.tree))
            .collect();
        assert_eq!(
            lines,
            [
                (30, String::new()),
                (1, String::new()),
                (11, "├─ ".into()),
                (10, "└─ ".into()),
                (20, "   └─ ".into()),
            ]
        );
    }

    #[test]
    fn a_process_that_is_its_own_parent_or_in_a_loop_is_listed_once() {
        let rows = [p(5, 5, 1.0), p(6, 7, 1.0), p(7, 6, 1.0)];
        let sorted: Vec<&ProcRow> = rows.iter().collect();
        let pids: Vec<u32> = tree(&sorted).iter().map(|l| l.row.pid).collect();
        assert_eq!(
            pids,
            [5, 6, 7],
            "6 and 7 are each other's parent: one of them leads"
        );
    }

    #[test]
    fn the_filter_matches_pid_user_name_and_command_line() {
        let mut row = p(4242, 1, 1.0);
        row.user = "www-data".into();
        row.cmdline = "/usr/bin/python3 -m http.server".into();
        let has = |w: &str| matches(&row, &filter_words(Some(w)));
        assert!(has("4242") && has("WWW") && has("http.server python3"));
        assert!(!has("nginx"));
    }

    #[test]
    fn exited_is_listed_while_it_has_cpu_is_no_parent_and_takes_no_signal() {
        use crate::app::Mode;
        use crate::model::Snapshot;
        let mut s = State::new(Mode::Live, "here", 1000, 10);
        let mut exited = p(0, 0, 12.0);
        exited.name = EXITED.into();
        let snap = |exited: ProcRow| Snapshot {
            procs: vec![exited, p(1, 0, 1.0), p(2, 1, 30.0)],
            ..Default::default()
        };
        s.live.snapshot = Some(snap(exited.clone()));
        let pids = |s: &State| s.proc_rows().iter().map(|r| r.pid).collect::<Vec<_>>();
        assert_eq!(pids(&s), [2, 0, 1], "sorted by CPU among the processes");
        s.proc_tree = true;
        let lines: Vec<(u32, String)> = (s.proc_lines().into_iter())
            .map(|l| (l.row.pid, l.tree))
            .collect();
        assert_eq!(
            lines,
            [(0, String::new()), (1, String::new()), (2, "└─ ".into())],
            "init (parent 0) is a root, not a child of <exited>"
        );
        s.proc_prompt(Action::Kill);
        assert!(s.prompt.is_none());
        assert!(
            s.message
                .as_deref()
                .is_some_and(|m| m.contains("no process"))
        );
        exited.cpu = Some(0.0);
        s.live.snapshot = Some(snap(exited));
        s.proc_tree = false;
        assert_eq!(pids(&s), [2, 1], "nothing exited: no row");
    }

    #[test]
    fn processes_that_tie_keep_their_order_so_a_blip_moves_one_row_once() {
        use crate::app::Mode;
        use crate::model::Snapshot;
        let mut s = State::new(Mode::Live, "here", 1000, 10);
        let sample = |cpu: [f64; 4]| Snapshot {
            host: "here".into(),
            procs: (1..=4)
                .map(|pid| p(pid, 0, cpu[pid as usize - 1]))
                .collect(),
            ..Default::default()
        };
        let pids = |s: &State| s.proc_rows().iter().map(|r| r.pid).collect::<Vec<_>>();
        s.push_live(sample([0.0, 0.0, 0.0, 0.0]));
        assert_eq!(pids(&s), [1, 2, 3, 4]);
        // PID 3 is busy for a sample, then idle again: up once, and it stays.
        s.push_live(sample([0.0, 0.0, 1.0, 0.0]));
        assert_eq!(pids(&s), [3, 1, 2, 4]);
        s.push_live(sample([0.0, 0.0, 0.0, 0.0]));
        assert_eq!(pids(&s), [3, 1, 2, 4], "back to idle: where it was shown");
        // What looks the same ties: 0.04 % and 0.01 % are both 0.0 %.
        s.push_live(sample([0.04, 0.0, 0.0, 0.01]));
        assert_eq!(pids(&s), [3, 1, 2, 4]);
        s.push_live(sample([0.0, 2.0, 0.0, 3.0]));
        assert_eq!(pids(&s), [4, 2, 3, 1], "the busier still go first");
    }

    #[test]
    fn a_followed_process_stays_selected_listed_and_a_move_lets_go() {
        use crate::app::{Key, Mode, update};
        use crate::model::Snapshot;
        let mut s = State::new(Mode::Live, "here", 1000, 10);
        s.live.snapshot = Some(Snapshot {
            host: "here".into(),
            procs: vec![p(1, 0, 1.0), p(2, 1, 30.0), p(3, 1, 20.0)],
            ..Default::default()
        });
        s.settle();
        // PID 3 selected and followed.
        update(&mut s, Key::Down);
        assert_eq!(
            update(&mut s, Key::Char('F')),
            Some(Request::Follow(Some(ProcTarget {
                host: "here".into(),
                pid: 3,
                start: 0,
                command: "p3".into(),
            })))
        );
        // It gets busier and sorts first; a filter leaves it listed.
        if let Some(x) = s.live.snapshot.as_mut() {
            x.procs[2].cpu = Some(90.0);
        }
        s.proc_filter = Some("p1".into());
        s.settle();
        let rows = s.proc_rows();
        assert_eq!(rows.iter().map(|r| r.pid).collect::<Vec<_>>(), [3, 1]);
        assert_eq!(
            s.proc_selected.get(&rows, |r| r.pid).map(|r| r.pid),
            Some(3)
        );
        // Moving lets go.
        assert_eq!(update(&mut s, Key::Down), Some(Request::Follow(None)));
        assert!(s.proc_follow.is_none());
    }
}
