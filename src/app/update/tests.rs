use super::*;
use crate::alert::board::Board;
use crate::alert::lifecycle::Alert;
use crate::collect::signal::Act;
use crate::model::{ProcRow, Snapshot};

fn state(mode: Mode) -> State {
    State::new(mode, "h", 1000, 10)
}

#[test]
fn live_keys() {
    let mut s = state(Mode::Live);
    assert_eq!(update(&mut s, Key::Char('p')), Some(Request::Pause));
    update(&mut s, Key::Char('?'));
    assert!(s.help.is_some());
    update(&mut s, Key::Esc);
    assert!(s.help.is_none());
    update(&mut s, Key::Tab);
    assert_eq!(s.focus, Pane::Alerts);
    update(&mut s, Key::Tab);
    assert_eq!(s.focus, Pane::Anomalies);
    update(&mut s, Key::Char('f'));
    assert!(s.forecast_view);
    update(&mut s, Key::Tab);
    update(&mut s, Key::Tab);
    assert_eq!(s.focus, Pane::Cpu);
    update(&mut s, Key::BackTab);
    assert_eq!(s.focus, Pane::Log);
    update(&mut s, Key::Char('q'));
    assert!(s.quit);
}

#[test]
fn replay_keys_and_jump_prompt() {
    let mut s = state(Mode::Replay);
    assert_eq!(update(&mut s, Key::Char('t')), Some(Request::Step(1)));
    assert_eq!(update(&mut s, Key::Char('T')), Some(Request::Step(-1)));
    assert_eq!(update(&mut s, Key::Char('G')), Some(Request::Last));
    assert_eq!(update(&mut s, Key::Char('J')), None);
    for c in "10m".chars() {
        update(&mut s, Key::Char(c));
    }
    assert_eq!(
        update(&mut s, Key::Enter),
        Some(Request::Jump {
            text: "10m".into(),
            back: true
        })
    );
    assert!(s.prompt.is_none());
    for _ in 0..10 {
        update(&mut s, Key::Char('+'));
    }
    assert_eq!(s.speed, 64);
    update(&mut s, Key::Char(' '));
    assert!(s.playing);
    assert_eq!(update(&mut s, Key::Char('z')), Some(Request::Zoom));
    update(&mut s, Key::Char('<'));
    assert_eq!(s.zoom, 2);
    for _ in 0..9 {
        update(&mut s, Key::Char('Z'));
    }
    assert_eq!(s.zoom, 0);
    update(&mut s, Key::Char('p'));
    assert_eq!(s.mode, Mode::Replay);
    assert!(s.message.is_some());
}

#[test]
fn selection_stays_inside_the_list() {
    let mut s = state(Mode::Live);
    s.push_live(procs(&[(1, 5.0), (2, 3.0), (3, 1.0)]));
    for _ in 0..10 {
        update(&mut s, Key::Down);
    }
    assert_eq!(s.proc_selected.key(), Some(&3));
    update(&mut s, Key::Up);
    assert_eq!(s.proc_selected.key(), Some(&2));
    update(&mut s, Key::PageUp);
    assert_eq!(s.proc_selected.key(), Some(&1));
}

/// A sample of host `h` with these (PID, CPU %) processes.
fn procs(p: &[(u32, f64)]) -> Snapshot {
    Snapshot {
        host: "h".into(),
        procs: p
            .iter()
            .map(|&(pid, cpu)| ProcRow {
                pid,
                cpu: Some(cpu),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

#[test]
fn sort_keys_go_through_the_columns_shown() {
    use crate::model::ProcColumn;
    let mut s = state(Mode::Live);
    s.focus = Pane::Procs;
    s.proc_columns = vec![
        ProcColumn::Pid,
        ProcColumn::Cpu,
        ProcColumn::Res,
        ProcColumn::Mem,
    ];
    let by = |s: &State| s.sort.by;
    update(&mut s, Key::Char('o'));
    assert_eq!(by(&s), ProcColumn::Res);
    // MEM% sorts as RES does: one stop for both.
    update(&mut s, Key::F(6));
    assert_eq!(by(&s), ProcColumn::Pid);
    update(&mut s, Key::Char('o'));
    assert_eq!(by(&s), ProcColumn::Cpu);
    update(&mut s, Key::Char('M'));
    assert_eq!(s.sort, SortBy::MEM);
}

#[test]
fn a_signal_names_the_process_live_and_is_refused_in_replay() {
    let mut s = state(Mode::Live);
    s.focus = Pane::Procs;
    s.push_live(procs(&[(42, 50.0)]));
    update(&mut s, Key::F(9));
    let p = s.prompt.clone().expect("the confirmation");
    assert!(matches!(&p.kind, PromptKind::Signal(t) if t.pid == 42 && t.host == "h"));
    assert_eq!(p.text, "TERM");
    let req = update(&mut s, Key::Enter);
    assert!(matches!(req, Some(Request::Act(t, Act::Signal("TERM"))) if t.pid == 42));
    update(&mut s, Key::Char(']'));
    assert!(matches!(
        s.prompt.as_ref().map(|p| &p.kind),
        Some(PromptKind::Renice(_))
    ));
    if let Some(p) = s.prompt.as_mut() {
        p.text = "40".into();
    }
    assert_eq!(update(&mut s, Key::Enter), None, "out of range");
    assert!(
        s.message
            .as_deref()
            .is_some_and(|m| m.contains("-20 to 19"))
    );
    let mut s = state(Mode::Replay);
    s.focus = Pane::Procs;
    update(&mut s, Key::F(9));
    assert!(s.prompt.is_none());
    assert!(
        s.message
            .as_deref()
            .is_some_and(|m| m.contains("live processes"))
    );
}

#[test]
fn the_process_highlight_follows_its_pid_when_the_table_re_sorts() {
    let mut s = state(Mode::Live);
    s.push_live(procs(&[(1, 50.0), (2, 30.0), (3, 10.0)]));
    update(&mut s, Key::Down);
    assert_eq!(s.proc_selected.key(), Some(&2));
    // A second later PID 3 is the busiest: the highlight stays on PID 2, now the last row.
    s.push_live(procs(&[(1, 20.0), (2, 10.0), (3, 90.0)]));
    s.settle();
    let rows = s.proc_rows();
    assert_eq!(s.proc_selected.index(&rows, |p| p.pid), Some(2));
}

fn alert(rule: &str, phase: Phase, since: i64) -> Alert {
    let mut a = Alert::firing(rule, &[("host", "h")]);
    a.phase = phase;
    a.active_since = since;
    if phase == Phase::Pending {
        a.fired_at = None;
    }
    a
}

fn board(alerts: Vec<Alert>) -> Board {
    Board::new(alerts, Vec::new(), &[])
}

#[test]
fn ack_acts_on_the_alert_selected_even_after_the_list_re_sorts() {
    let mut s = state(Mode::Live);
    s.focus = Pane::Alerts;
    let (mem, disk) = (
        alert("mem", Phase::Firing, 10),
        alert("disk", Phase::Firing, 20),
    );
    s.board = board(vec![mem.clone(), disk.clone()]);
    s.settle();
    update(&mut s, Key::Char('j'));
    assert_eq!(s.selected_alert().map(|a| a.rule.as_str()), Some("disk"));
    // A new, older-started alert fires and sorts above both: the selection stays on disk.
    let cpu = alert("cpu", Phase::Firing, 1);
    s.board = board(vec![mem, disk.clone(), cpu]);
    s.settle();
    assert_eq!(
        update(&mut s, Key::Char('a')),
        Some(Request::Ack(vec![disk.fingerprint]))
    );
}

#[test]
fn alert_keys_act_only_with_the_alerts_pane_focused() {
    let mut s = state(Mode::Live);
    s.board = board(vec![
        alert("mem", Phase::Firing, 1),
        alert("disk", Phase::Firing, 2),
    ]);
    s.focus = Pane::Procs;
    update(&mut s, Key::Char('j'));
    update(&mut s, Key::Char('s'));
    assert!(
        s.prompt.is_none(),
        "no silence prompt from the process list"
    );
    assert!(s.message.as_deref().is_some_and(|m| m.contains("Alerts")));
    assert_eq!(update(&mut s, Key::Char('a')), None);
    assert_eq!(update(&mut s, Key::Char('A')), None);
    assert_eq!(update(&mut s, Key::Enter), None, "Enter opens no alert");
    update(&mut s, Key::Char('/'));
    assert_eq!(
        s.prompt.take().map(|p| p.kind),
        Some(PromptKind::ProcFilter),
        "`/` in the process list searches processes, not alerts"
    );
    s.focus = Pane::Alerts;
    update(&mut s, Key::Char('/'));
    assert_eq!(
        s.prompt.as_ref().map(|p| p.kind.clone()),
        Some(PromptKind::Filter)
    );
}

#[test]
fn windows_own_their_keys() {
    let mut s = state(Mode::Live);
    s.board = board(vec![alert("mem", Phase::Firing, 1)]);
    s.focus = Pane::Alerts;
    update(&mut s, Key::Char('?'));
    assert_eq!(update(&mut s, Key::Char('a')), None, "help swallows keys");
    update(&mut s, Key::Char('q'));
    assert!(s.help.is_none() && !s.quit, "q closes the help, not montui");
    update(&mut s, Key::Char('S'));
    update(&mut s, Key::Tab);
    assert_eq!(s.focus, Pane::Alerts, "the silence list keeps Tab");
}

#[test]
fn acknowledging_applies_to_firing_alerts_only() {
    let mut s = state(Mode::Live);
    s.focus = Pane::Alerts;
    let pending = alert("cpu", Phase::Pending, 1);
    s.board = board(vec![pending.clone()]);
    s.settle();
    assert_eq!(update(&mut s, Key::Char('A')), None, "nothing firing");
    assert_eq!(update(&mut s, Key::Char('a')), None);
    assert!(
        s.message
            .as_deref()
            .is_some_and(|m| m.contains("not firing"))
    );
    let firing = alert("mem", Phase::Firing, 2);
    s.board = board(vec![pending, firing.clone()]);
    assert_eq!(
        update(&mut s, Key::Char('A')),
        Some(Request::Ack(vec![firing.fingerprint]))
    );
}

#[test]
fn pause_resumes_live() {
    let mut s = state(Mode::Paused);
    update(&mut s, Key::Char('p'));
    assert_eq!(s.mode, Mode::Live);
}

#[test]
fn the_filter_matches_alertname_and_severity_as_silences_do() {
    let mut s = state(Mode::Live);
    s.board = board(vec![
        alert("memory_high", Phase::Firing, 1),
        alert("disk_full", Phase::Firing, 2),
    ]);
    s.filter = Some("alertname=mem severity=warning".into());
    let rules: Vec<&str> = s.alerts_sorted().iter().map(|a| a.rule.as_str()).collect();
    assert_eq!(rules, ["memory_high"]);
}

#[test]
fn ctrl_u_clears_the_prompt_and_ctrl_w_a_word() {
    let mut s = state(Mode::Live);
    s.focus = Pane::Alerts;
    s.filter = Some("host=web-1 critical".into());
    update(&mut s, Key::Char('/'));
    update(&mut s, Key::Ctrl('w'));
    assert_eq!(
        s.prompt.as_ref().map(|p| p.text.as_str()),
        Some("host=web-1 ")
    );
    update(&mut s, Key::Ctrl('u'));
    assert_eq!(s.prompt.as_ref().map(|p| p.text.as_str()), Some(""));
    update(&mut s, Key::Enter);
    assert_eq!(s.filter, None, "an empty filter shows all");
}

#[test]
fn enter_on_the_log_pane_opens_it_by_pages() {
    let mut s = state(Mode::Live);
    s.focus = Pane::Log;
    update(&mut s, Key::Enter);
    assert_eq!(s.log_window, Some(0));
    update(&mut s, Key::PageUp);
    update(&mut s, Key::Char('k'));
    assert_eq!(s.log_window, Some(2));
    update(&mut s, Key::Tab);
    assert_eq!(s.focus, Pane::Log, "the window keeps its keys");
    update(&mut s, Key::Char('G'));
    assert_eq!(s.log_window, Some(0));
    update(&mut s, Key::Esc);
    assert_eq!(s.log_window, None);
}

#[test]
fn esc_clears_the_filter_of_the_focused_pane_only() {
    let mut s = state(Mode::Live);
    s.filter = Some("disk".into());
    s.focus = Pane::Procs;
    update(&mut s, Key::Esc);
    assert_eq!(s.filter.as_deref(), Some("disk"));
    s.focus = Pane::Alerts;
    update(&mut s, Key::Esc);
    assert_eq!(s.filter, None);
}

#[test]
fn ctrl_z_suspends_over_any_window_and_leaves_it_open() {
    for mode in [Mode::Live, Mode::Replay] {
        let mut s = state(mode);
        assert_eq!(update(&mut s, Key::Ctrl('z')), Some(Request::Suspend));
        update(&mut s, Key::Char('?'));
        assert_eq!(update(&mut s, Key::Ctrl('z')), Some(Request::Suspend));
        assert!(s.help.is_some(), "the help is there on return");
    }
}
