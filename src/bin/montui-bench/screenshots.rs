//! The pictures in `screenshots/`, from real runs: montui in tmux 120×40 on this machine,
//! following a log that this bench writes, with a rule that fires; each view captured with its
//! colours and drawn as SVG (`svg`). `montui-bench screenshots [--out screenshots]`.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use super::tmux::Tmux;
use super::{montui_bin, svg};

const W: u16 = 120;
const H: u16 = 40;

pub fn run(args: &[String]) -> Result<(), String> {
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
        .map_or("screenshots", String::as_str);
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let home = dir.path();
    let log = home.join("app.log");
    let config = home.join(".config/montui");
    std::fs::create_dir_all(&config).map_err(|e| e.to_string())?;
    std::fs::write(
        config.join("config.toml"),
        format!(
            "logs = [{{ path = \"{}\", name = \"app\", from_start = true }}]\n\n\
             [[alerts.rules]]\nname = \"memory_in_use\"\nmetric = \"memory_used_percent\"\nabove = 1\n\
             severity = \"warning\"\n\n\
             [[alerts.rules]]\nname = \"root_filling\"\nmetric = \"filesystem_used_percent\"\nabove = 10\n\
             severity = \"critical\"\n",
            log.display()
        ),
    )
    .map_err(|e| e.to_string())?;
    let writer = std::thread::spawn({
        let log = log.clone();
        move || write_log(&log, Duration::from_secs(50))
    });
    let db = home.join("h.db");
    let bin = montui_bin()?;
    let t = Tmux::start(
        "shots",
        home,
        &format!("'{}' --db '{}'", bin.display(), db.display()),
        W,
        H,
    )?;
    std::thread::sleep(Duration::from_secs(30));
    let shot = |t: &Tmux, name: &str| -> Result<(), String> {
        let screen = t.run(&["capture-pane", "-e", "-p", "-t", "b"])?;
        let file = Path::new(out).join(format!("{name}.svg"));
        std::fs::write(&file, svg::render(&screen, W.into(), H.into()))
            .map_err(|e| e.to_string())?;
        println!("  {}", file.display());
        Ok(())
    };
    let keys = |t: &Tmux, keys: &[&str]| -> Result<(), String> {
        for k in keys {
            t.run(&["send-keys", "-t", "b", k])?;
            std::thread::sleep(Duration::from_millis(400));
        }
        std::thread::sleep(Duration::from_millis(800));
        Ok(())
    };
    shot(&t, "live")?;
    // Alerts: focus them, open the first one's details.
    keys(&t, &["Tab", "Enter"])?;
    shot(&t, "alert-details")?;
    keys(&t, &["Escape", "Tab", "v", "v", "v"])?;
    shot(&t, "patterns")?;
    keys(&t, &["v", "v"])?;
    // Processes: the busiest one's details.
    keys(&t, &["Enter"])?;
    shot(&t, "process-details")?;
    keys(&t, &["Escape", "v", "v", "v", "p", "J", "10s", "Enter"])?;
    shot(&t, "pause")?;
    t.kill();
    let _ = writer.join();
    // Replay of what was recorded, in the light theme.
    let t = Tmux::start(
        "replay",
        home,
        &format!(
            "'{}' --replay --theme light --db '{}'",
            bin.display(),
            db.display()
        ),
        W,
        H,
    )?;
    std::thread::sleep(Duration::from_secs(3));
    keys(&t, &["j", "15s", "Enter"])?;
    shot(&t, "replay-light")?;
    t.kill();
    // Anomalies: a series learns in 120 samples, so a run at 100 ms with a low line finds some
    // in half a minute; the list, and the first one's chart.
    std::fs::write(config.join("config.toml"), "[anomalies]\nscore = 0.05\n")
        .map_err(|e| e.to_string())?;
    let t = Tmux::start(
        "anomalies",
        home,
        &format!(
            "'{}' --interval 100ms --db '{}'",
            bin.display(),
            home.join("a.db").display()
        ),
        W,
        H,
    )?;
    std::thread::sleep(Duration::from_secs(35));
    keys(&t, &["Tab", "Tab", "e"])?;
    shot(&t, "anomalies")?;
    keys(&t, &["e", "Enter"])?;
    shot(&t, "anomaly-chart")?;
    t.kill();
    // The hosts overview: two SSH hosts (aliases of a loopback sshd) beside this machine, in
    // the alerts layout.
    let sshd = super::sshd::Sshd::start(2).map_err(|p| format!("needs {p}"))?;
    std::fs::write(
        config.join("config.toml"),
        format!(
            "[ssh]\nconfig_file = \"{}\"\n\n[[hosts]]\nssh = \"lab1\"\n\n[[hosts]]\nssh = \"lab2\"\n",
            sshd.ssh_config.display()
        ),
    )
    .map_err(|e| e.to_string())?;
    let t = Tmux::start(
        "hosts",
        home,
        &format!("'{}' --db '{}'", bin.display(), home.join("o.db").display()),
        W,
        H,
    )?;
    std::thread::sleep(Duration::from_secs(20));
    keys(&t, &["v", "v"])?;
    shot(&t, "hosts")?;
    t.kill();
    println!("screenshots: views=9 out={out}");
    Ok(())
}

/// Lines of a small web service for `span`: requests, a slow query now and then, and from
/// halfway an error that is new.
fn write_log(path: &Path, span: Duration) {
    let Ok(mut f) = std::fs::File::create(path) else {
        return;
    };
    let start = std::time::Instant::now();
    let mut i = 0u64;
    while start.elapsed() < span {
        i += 1;
        let at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
        let line = match i % 7 {
            0 => format!(
                "{at} WARN db: slow query took {} ms on table orders",
                200 + i % 90
            ),
            3 if start.elapsed() > span / 2 => {
                format!(
                    "{at} ERROR payment: upstream timed out after {} ms (attempt {})",
                    3000 + i % 500,
                    i % 3 + 1
                )
            }
            _ => format!(
                "{at} INFO http: GET /api/items/{} 200 in {} ms from 10.0.{}.{}",
                i % 500,
                3 + i % 40,
                i % 4,
                i % 250
            ),
        };
        let _ = writeln!(f, "{line}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
