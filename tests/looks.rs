//! Themes as users get them: the real binary in tmux, its screen read with its colours.

mod common;

use std::path::Path;

use common::tmux::Tmux;

/// montui at home in `dir` with `extra` in its environment, showing live figures.
fn montui(dir: &Path, args: &str, extra: &[(&str, &str)]) -> Tmux {
    let tmux = common::need("tmux");
    let mut env = common::home(dir);
    env.extend(extra.iter().map(|(k, v)| (*k, Path::new(v).to_path_buf())));
    let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let bin = env!("CARGO_BIN_EXE_montui");
    let t = Tmux::start(&tmux, &format!("'{bin}' {args}"), &env, 120, 40);
    t.wait_for("live figures", |s| {
        s.contains("LIVE") && s.contains("CPU (")
    });
    t
}

/// The SGR parameters that set a colour (30–38, 40–48, 90–97, 100–107; 39 and 49 are the
/// terminal's own) in `screen`'s escape sequences.
fn colours(screen: &str) -> Vec<String> {
    screen
        .split("\x1b[")
        .skip(1)
        .filter_map(|s| s.split_once('m').map(|(p, _)| p))
        .flat_map(|p| p.split(';').map(str::to_string).collect::<Vec<_>>())
        .filter(|n| {
            n.parse::<u16>()
                .is_ok_and(|n| matches!(n, 30..=38 | 40..=48 | 90..=97 | 100..=107))
        })
        .collect()
}

#[test]
#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
fn under_no_color_nothing_is_coloured_and_focus_is_marked() {
    let dir = tempfile::tempdir().unwrap();
    let t = montui(dir.path(), "", &[("NO_COLOR", "1")]);
    let s = t.wait_for("the focus marker", |s| s.contains("┏▸ "));
    assert!(s.contains('┏'), "a thick border");
    let styled = t.capture_styled();
    assert_eq!(colours(&styled), Vec::<String>::new(), "{styled}");
    assert!(
        styled.contains("\x1b[7m") || styled.contains(";7m"),
        "reverse video somewhere"
    );
    // --theme wins over NO_COLOR (a history of its own: the first may still be closing).
    t.send("q");
    drop(t);
    let other = dir.path().join("other.db");
    let t = montui(
        dir.path(),
        &format!("--theme dracula --db '{}'", other.display()),
        &[("NO_COLOR", "1"), ("COLORTERM", "truecolor")],
    );
    let styled = t.capture_styled();
    assert!(
        !colours(&styled).is_empty(),
        "dracula's colours: {styled:?}"
    );
    t.send("q");
}

#[test]
#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
fn a_theme_from_the_flag_the_config_or_the_users_dir_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    // The light theme's own background (#fafafa), in 24-bit colour.
    let t = montui(dir.path(), "--theme light", &[("COLORTERM", "truecolor")]);
    let styled = t.capture_styled();
    assert!(styled.contains("48;2;250;250;250"), "{styled}");
    t.send("q");
    drop(t);
    // The user's own theme named in the config, in 256 colours.
    let themes = dir.path().join("config/montui/themes");
    std::fs::create_dir_all(&themes).unwrap();
    std::fs::write(themes.join("mine.toml"), "base = { bg = \"#005f00\" }\n").unwrap();
    std::fs::write(
        dir.path().join("config/montui/config.toml"),
        "[ui]\ntheme = \"mine\"\n",
    )
    .unwrap();
    let other = dir.path().join("other.db");
    let t = montui(
        dir.path(),
        &format!("--db '{}'", other.display()),
        &[("TERM", "xterm-256color")],
    );
    let styled = t.capture_styled();
    assert!(styled.contains("48;5;22"), "{styled}");
    t.send("q");
}

#[test]
fn a_bad_theme_fails_before_the_terminal_naming_file_line_key_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "border = \"red\"\nfocus = \"octarine\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_montui"))
        .args(["--theme", bad.to_str().unwrap(), "--db"])
        .arg(dir.path().join("h.db"))
        .envs(common::home(dir.path()))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains(&format!(
            "theme error in {} line 2: key `focus`, value `\"octarine\"`",
            bad.display()
        )),
        "{err}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_montui"))
        .args(["--theme", "neon"])
        .envs(common::home(dir.path()))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--theme = \"neon\": no such theme; built in: dark, light, nord"),
        "{err}"
    );
}

/// Whether `cond` holds within `common::WAIT`, polling (returns as soon as it does).
fn eventually(cond: impl Fn() -> bool) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < common::WAIT {
        if cond() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

/// Whether line `y` of the styled screen shows reverse video (the selected row).
fn reversed(t: &Tmux, y: usize) -> bool {
    let styled = t.capture_styled();
    styled
        .lines()
        .nth(y)
        .is_some_and(|l| l.contains("\x1b[7m") || l.contains(";7m"))
}

#[test]
#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
fn a_click_selects_a_process_sorts_by_a_heading_and_the_wheel_scrolls() {
    let dir = tempfile::tempdir().unwrap();
    let t = montui(dir.path(), "", &[]);
    // Five rows listed (processes, or the <exited> row, whose PID is blank).
    let s = t.wait_for("processes", |s| {
        s.lines()
            .skip_while(|l| !l.contains("Processes (by CPU)"))
            .nth(6)
            .is_some_and(|l| l.contains('%'))
    });
    let y = s
        .lines()
        .position(|l| l.contains("Processes (by CPU)"))
        .unwrap();
    let heading = s.lines().nth(y + 1).unwrap();
    let rss = heading[..heading.find("RES").unwrap()].chars().count();
    // Focus elsewhere; a click on the third process focuses the pane and selects it.
    t.send("Tab");
    t.wait_for("another pane focused", |s| !s.contains("▸ Processes"));
    t.mouse(0, 10, y + 4);
    t.wait_for("the pane focused", |s| s.contains("▸ Processes"));
    let around = |t: &Tmux| {
        t.capture_styled()
            .lines()
            .skip(y)
            .take(7)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(eventually(|| reversed(&t, y + 4)), "{}", around(&t));
    // The wheel moves the selection down a row.
    t.mouse(65, 10, y + 4);
    assert!(eventually(|| reversed(&t, y + 5)), "{}", around(&t));
    // A click on RES sorts by memory.
    t.mouse(0, rss, y + 1);
    t.wait_for("sorted by memory", |s| s.contains("Processes (by memory)"));
    t.send("q");
}

#[test]
#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
fn function_keys_act_as_in_htop() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let t = montui(dir.path(), &format!("--db '{}'", db.display()), &[]);
    t.send("F1");
    t.wait_for("help", |s| {
        s.contains("Keys (Esc or ? to close)") || s.contains("Keys (j k")
    });
    t.send("F1");
    t.wait_for("help closed", |s| !s.contains("Keys ("));
    t.wait_for("processes focused", |s| s.contains("▸ Processes (by CPU)"));
    t.send("F6");
    t.wait_for("sorted by memory", |s| s.contains("Processes (by memory)"));
    // F3 searches the processes: only montui's own rows are left.
    t.send("F3");
    t.wait_for("the search prompt", |s| {
        s.contains("show processes containing")
    });
    t.send_literal("h.db");
    t.send("Enter");
    let s = t.wait_for("the search applied", |s| {
        s.contains("Processes (by memory) /h.db")
    });
    let rows: Vec<&str> = (s.lines())
        .skip_while(|l| !l.contains("Processes (by"))
        .skip(2)
        .take_while(|l| {
            l.contains('┃') && l.split('┃').nth(1).is_some_and(|c| !c.trim().is_empty())
        })
        .collect();
    // Each row left is a process whose command line has the words (the cells are cut).
    let pids: Vec<u32> = (rows.iter())
        .filter_map(|r| r.split('┃').nth(1)?.split_whitespace().next()?.parse().ok())
        .collect();
    assert!(!pids.is_empty(), "{s}");
    for pid in pids {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        assert!(
            String::from_utf8_lossy(&cmdline).contains("h.db"),
            "{pid}: {s}"
        );
    }
    t.send("Escape");
    t.wait_for("the search cleared", |s| {
        s.contains("Processes (by memory) ━")
    });
    t.send("F5");
    t.wait_for("the tree", |s| s.contains("Processes (by memory) · tree"));
    t.send("F10");
    let s = t.wait_for("exit", |s| s.contains("EXIT="));
    assert!(s.contains("EXIT=0"), "{s}");
}

#[test]
#[cfg_attr(montui_no_tmux, ignore = "needs tmux (apt-get install tmux)")]
fn a_pane_is_maximised_hidden_and_the_layout_switched_by_keys() {
    let dir = tempfile::tempdir().unwrap();
    let t = montui(dir.path(), "", &[]);
    t.wait_for("every pane", |s| {
        s.contains("Memory") && s.contains("Network")
    });
    // The process list alone, and back.
    t.send("e");
    t.wait_for("processes alone", |s| {
        s.contains("Processes") && !s.contains("Memory") && s.contains("e all panes")
    });
    t.send("e");
    t.wait_for("every pane again", |s| s.contains("Memory"));
    // The focused pane (processes) hidden, then shown again.
    t.send("x");
    t.wait_for("processes hidden", |s| {
        !s.contains("Processes (") && s.contains("Processes hidden")
    });
    t.send("X");
    t.wait_for("processes back", |s| s.contains("Processes ("));
    // The next preset: processes under CPU and memory, nothing else.
    t.send("v");
    t.wait_for("the processes layout", |s| {
        s.contains("layout: processes") && s.contains("Memory") && !s.contains("Network")
    });
    t.send("q");
}
