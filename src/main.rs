use montui::logs::feed::{Kind, LogSource, MAX_LINE};
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

mod commands;

use anyhow::{Context, bail};
use clap::Parser;

use montui::alert::policy::Policy;
use montui::app::{Mode, Recording, State};
use montui::cli::{Cli, Command, NotifyAction};
use montui::collect::Collector;
use montui::collect::LocalCollector;
use montui::collect::ssh::Target;
use montui::config::Config;
use montui::engine::{Alerting, Engine, LogSetup, Sources};
use montui::replay::{ReplayCursor, derive_all};
use montui::store::{Store, spawn_writer};
use montui::timeparse::parse_time;
use montui::{logging, ui};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("montui: {}", said(&e));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes, each said once: a cause whose message (or its last part, after
/// a prefix such as SQLite's "Error code 26: ") is already said is left out.
fn said(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1).map(ToString::to_string) {
        let last = cause.rsplit(": ").next().unwrap_or(&cause);
        if !text.contains(last) {
            text = format!("{text}: {cause}");
        }
    }
    text
}

/// Everything that can fail before the terminal is touched happens first, so errors print
/// plainly and the exit code says so.
/// How much recorded history alerting learns from at start-up.
const LEARN_MS: i64 = 3_600_000;

fn run(cli: Cli) -> anyhow::Result<()> {
    match montui::cli::write_docs(cli.command.as_ref(), &mut std::io::stdout().lock()) {
        Ok(true) => return Ok(()),
        // `montui man | head`: the reader has what it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        Err(e) => return Err(e.into()),
        Ok(false) => {}
    }
    open_files_limit();
    let (mut cfg, policy) = Config::load_with_policy(cli.config.as_deref())?;
    let policy = Arc::new(policy);
    if let Some(i) = cli.interval {
        if !montui::config::interval_ok(i.0) {
            bail!("--interval {i}: must be between 100ms and 1h");
        }
        cfg.interval = i;
    }
    let mut remote = cfg.remote.clone();
    // With --replay, --host names the host to replay instead.
    for spec in cli.hosts.iter().filter(|_| !cli.replay) {
        let t = Target::parse(spec, None).map_err(|e| anyhow::anyhow!("--host {e}"))?;
        if remote.iter().any(|(o, _)| o.name == t.name) {
            bail!(
                "--host {spec}: a host named `{}` is watched already",
                t.name
            );
        }
        remote.push((t, cfg.interval.0));
    }
    let mut log_sources = cfg.log_sources.clone();
    for p in &cli.logs {
        glob::Pattern::new(p).map_err(|e| anyhow::anyhow!("--log {p}: not a glob: {e}"))?;
        if log_sources.iter().any(|s| s.name == *p) {
            bail!("--log {p}: followed already");
        }
        log_sources.push(LogSource {
            name: p.clone(),
            kind: Kind::Files(p.clone()),
            from_start: false,
            max_line: MAX_LINE,
            format: None,
        });
    }
    if !cli.replay {
        for (flag, given) in [("--from", &cli.from), ("--to", &cli.to)] {
            if given.is_some() {
                bail!("{flag} goes with --replay (or `montui export {flag} …`)");
            }
        }
    }
    // Checked with the config, before anything else happens.
    let theme = theme(&cli, &cfg)?;
    if cli.check_config {
        let problems = montui::notify::check(&cfg.receivers);
        if !problems.is_empty() {
            bail!("{}", problems.join("; "));
        }
        let path = cli
            .config
            .clone()
            .unwrap_or_else(montui::config::paths::config_file);
        if path.is_file() {
            println!("config ok: {}", path.display());
        } else {
            println!(
                "config ok: no file at {}, so montui runs with its defaults",
                path.display()
            );
        }
        return Ok(());
    }
    let db = cfg.db_path(cli.db.as_deref());
    if let Some(Command::Export(args)) = &cli.command {
        return commands::export(args, &db);
    }
    if let Some(Command::Report(args)) = &cli.command {
        return commands::report(args, &db);
    }
    if let Some(Command::Notify {
        action: NotifyAction::Test { receiver },
    }) = &cli.command
    {
        return commands::notify_test(&cfg.receivers, receiver.as_deref());
    }
    // The terminal UI needs one, checked before anything is created.
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !(cli.headless || terminal) {
        bail!(
            "the terminal UI needs a terminal: run it in one, or record without one with --headless"
        );
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(4)
        .build()
        .context("starting the runtime")?;
    if cli.replay {
        let r = rt.block_on(replay(&cli, &cfg, policy, &db, theme));
        return stopped(rt, r);
    }
    let store = Store::open_writer(&db)?;
    let saved_alerts = store.load_alerts()?;
    // What the outbox says was told within the longest repeat interval is not told again as
    // new (a restart is no news to the receivers).
    let started = chrono::Utc::now().timestamp_millis();
    let repeat = (policy.routing.routes.iter())
        .map(|r| r.grouping.repeat_interval_ms)
        .max()
        .unwrap_or_default();
    let notified: montui::alert::fpset::FpSet = (store.payloads_since(started - repeat)?.iter())
        .flat_map(|p| montui::notify::fingerprints(p))
        .collect();
    let saved_patterns = store.load_patterns()?;
    let now = chrono::Utc::now().timestamp_millis();
    let silences = (store.load_silences(now)?, store.next_silence_id()?);
    let collector = LocalCollector::new(cfg.collect.top_processes)?;
    let host = collector.host().to_string();
    // The last hour recorded: alerting learns from it before the first new sample.
    let recent = derive_all(&store.samples(&host, now - LEARN_MS, now)?, true);
    let interval = cfg.interval.0;
    if cli.headless {
        logging::to_stderr();
    } else {
        log_file(logging::to_ui());
    }
    tracing::info!(
        "recording {host} every {} to {}",
        cfg.interval,
        db.display()
    );
    let remote_names: Vec<String> = (remote.iter().map(|(t, _)| t.name.clone()))
        .chain(cfg.scraped.iter().map(|h| h.name.clone()))
        .collect();
    let r = rt.block_on(async {
        let writer = spawn_writer(store, cfg.store.flush_interval.0, cfg.retention());
        let bell = writer.outbox.clone();
        let health = std::sync::Arc::new(montui::notify::Health::new(&cfg.receivers));
        let alerting = Alerting::new(policy.clone(), saved_alerts, silences, &recent)
            .with_receivers(cfg.receivers.clone(), health.clone(), (&notified, started));
        // Notices queued by this run or an earlier one go out from the outbox.
        let _delivery = montui::notify::spawn(&cfg.receivers, &db, &health, &bell);
        let ssh = cfg.ssh.options(cfg.collect.top_processes);
        // Each host's processes kept whatever they use: the one followed (`F`).
        let remote_pins: std::collections::HashMap<String, montui::collect::top::Pins> = (remote
            .iter())
        .map(|(t, _)| (t.name.clone(), Default::default()))
        .collect();
        let mut pins = remote_pins.clone();
        pins.insert(host.clone(), collector.pins());
        let signaller = montui::collect::signal::Signaller {
            local: host.clone(),
            pins,
            remote: (remote.iter())
                .map(|(t, _)| (t.name.clone(), (t.clone(), ssh.clone())))
                .collect(),
        };
        let exposed = cfg.served.as_ref().map(|_| Default::default());
        let statsd = (cfg.statsd_listen.as_ref())
            .map(montui::collect::statsd::bind)
            .transpose()
            .map_err(anyhow::Error::msg)?;
        let statsd_counts = statsd.as_ref().map(|b| b.counts.clone());
        let engine = Engine::spawn(
            Sources {
                local: Some(Box::new(collector)),
                remote,
                pins: remote_pins,
                scraped: cfg.scraped.clone(),
                scrapes: cfg.scrape_targets.clone(),
                fleets: cfg.fleets.clone(),
                statsd,
                ssh,
                logs: LogSetup {
                    sources: log_sources.clone(),
                    remote: cfg.remote_logs.clone(),
                    memory: saved_patterns,
                    known: cfg.known_patterns.clone(),
                },
            },
            interval,
            Some(writer),
            Some(alerting),
            !cli.headless,
            exposed.clone(),
        );
        // Reports on schedule, from the history being recorded.
        let (reports_stop, stopped_reports) = tokio::sync::watch::channel(false);
        tokio::spawn(montui::report::schedule::run(
            cfg.report_jobs.clone(),
            db.clone(),
            montui::config::paths::reports_dir(),
            stopped_reports,
        ));
        let _reports = reports_stop;
        if let (Some(serve), Some(exposed)) = (&cfg.served, exposed) {
            let from = montui::serve::Sources {
                stats: engine.stats.clone(),
                db: Some(db.clone()),
                statsd: statsd_counts,
            };
            (montui::serve::start(serve, exposed, from).await).map_err(anyhow::Error::msg)?;
        }
        if cli.headless {
            let mut engine = engine;
            tokio::select! {
                r = wait_for_stop() => r?,
                why = engine.ended() => anyhow::bail!("stopped recording: {why}"),
            }
            let stats = engine.stats.clone();
            engine.stop().await;
            return stop_said(&stats);
        }
        let mut state = State::new(
            Mode::Live,
            &host,
            interval.as_millis() as i64,
            cfg.ui.history,
        );
        state.recording = Recording::On;
        for name in remote_names {
            state.others.insert(name, Default::default());
        }
        state.policy = policy;
        if !log_sources.is_empty() || !cfg.remote_logs.is_empty() {
            state.logs = Some(Default::default());
        }
        settle(&mut state, &cli, &cfg);
        let stats = engine.stats.clone();
        let source = ui::Source::Live {
            engine,
            db: Some(db.clone()),
            signaller,
        };
        ui::run(state, source, look(&cfg, theme)).await?;
        stop_said(&stats)
    });
    stopped(rt, r)
}

/// How the recording ended: its last batch written, or an error saying what was lost.
fn stop_said(stats: &montui::engine::EngineStats) -> anyhow::Result<()> {
    match stats.writer.as_ref().and_then(|w| w.lost()) {
        Some(lost) => bail!("stopped; {lost}"),
        None => {
            tracing::info!("stopped; last batch flushed");
            Ok(())
        }
    }
}

/// Raises the soft limit on open files to the hard one: each followed log file is one (a glob
/// may follow thousands), and a soft limit of 1024 is common.
fn open_files_limit() {
    let mut l = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut l) == 0 && l.rlim_cur < l.rlim_max {
            l.rlim_cur = l.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &l);
        }
    }
}

/// Ends the runtime: a task stuck in a blocking call (a read that never returns) is left
/// behind after two seconds rather than holding the exit.
fn stopped<T>(rt: tokio::runtime::Runtime, r: T) -> T {
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    r
}

async fn replay(
    cli: &Cli,
    cfg: &Config,
    policy: Arc<Policy>,
    db: &std::path::Path,
    theme: ui::Theme,
) -> anyhow::Result<()> {
    let now = chrono::Utc::now().timestamp_millis();
    let when = |s: &Option<String>, flag: &str| -> anyhow::Result<Option<i64>> {
        s.as_deref()
            .map(|t| parse_time(t, now).map_err(|e| anyhow::anyhow!("{flag}: {e}")))
            .transpose()
    };
    let (from, to) = (when(&cli.from, "--from")?, when(&cli.to, "--to")?);
    // `--replay --host NAME` picks a recorded host; without it, the first one recorded.
    let spec = match cli.hosts.as_slice() {
        [] => None,
        [one] => Some((
            one.as_str(),
            Target::parse(one, None)
                .map_err(|e| anyhow::anyhow!("--host {e}"))?
                .name,
        )),
        _ => bail!("--replay shows one host: give --host once"),
    };
    let local = Store::open_reader(db);
    // A host of a [[prometheus]] fleet: its past as Prometheus has it.
    let borrowed = match spec {
        Some((instance, _)) if !cfg.fleets.is_empty() => {
            let to = to.unwrap_or(now);
            let from = from.unwrap_or(to - montui::replay::prometheus::DEFAULT_SPAN_MS);
            let ours = local.as_ref().ok();
            match montui::replay::prometheus::borrow(&cfg.fleets, instance, from, to, ours).await {
                Ok(b) => b,
                Err(why) if ours.is_some() => {
                    eprintln!("montui: {why}; replaying what montui recorded");
                    None
                }
                Err(why) => bail!(why),
            }
        }
        _ => None,
    };
    let (store, host) = match (&borrowed, spec) {
        (Some(b), Some((instance, _))) => (Store::open_reader(&b.path())?, Some(instance.into())),
        (_, Some((given, name))) => {
            let store = local?;
            // A fleet host is recorded under its instance (`a:9100`), an ssh one by its name.
            let recorded = store.hosts()?.iter().any(|h| h == given);
            (store, Some(if recorded { given.to_string() } else { name }))
        }
        // Without --host, this machine, its remote hosts in the overview.
        (_, None) => {
            let store = local?;
            let here = sysinfo::System::host_name().ok();
            let host = montui::replay::default_host(&store.hosts()?, here.as_deref());
            (store, host)
        }
    };
    let cursor = ReplayCursor::open(store, host.as_deref(), from, to, cfg.ui.history)?;
    let others = cursor.other_hosts()?;
    log_file(logging::to_ui());
    match &borrowed {
        Some(b) => tracing::info!(
            "replaying {} from Prometheus at {} ({} samples)",
            cursor.host(),
            b.url,
            b.samples
        ),
        None => tracing::info!("replaying {} from {}", cursor.host(), db.display()),
    }
    let mut state = State::new(
        Mode::Replay,
        cursor.host(),
        cfg.interval.0.as_millis() as i64,
        cfg.ui.history,
    );
    state.policy = policy;
    for name in others {
        state.others.insert(name, Default::default());
    }
    settle(&mut state, cli, cfg);
    ui::run(
        state,
        ui::Source::Replay(Box::new(cursor)),
        look(cfg, theme),
    )
    .await
}

/// What the settings choose of the UI's state, once its panes' sources are known.
fn settle(state: &mut State, cli: &Cli, cfg: &Config) {
    state.utc = cli.utc;
    state.proc_columns = cfg.ui.process_columns.clone();
    state.arrange(cfg.ui.layout, cfg.ui.hide.clone());
}

fn look(cfg: &Config, theme: ui::Theme) -> ui::Look {
    ui::Look {
        frame_interval: cfg.ui.frame_interval.0,
        theme,
        mouse: cfg.ui.mouse,
    }
}

/// The theme `--theme`, `NO_COLOR` and `[ui] theme` say, in the colours the terminal shows.
fn theme(cli: &Cli, cfg: &Config) -> anyhow::Result<ui::Theme> {
    let var = |name: &str| std::env::var(name).ok();
    let (colorterm, term) = (var("COLORTERM"), var("TERM"));
    let no_color = var("NO_COLOR").is_some_and(|v| !v.is_empty());
    if cli.theme.is_some() {
        // crossterm drops every colour under NO_COLOR; a theme asked for by name is drawn.
        crossterm::style::Colored::set_ansi_color_disabled(false);
    }
    Ok(ui::theme::resolve(&ui::theme::Choice {
        flag: cli.theme.as_deref(),
        config: cfg.ui.theme.as_deref(),
        no_color,
        depth: ui::theme::Depth::detect(colorterm.as_deref(), term.as_deref()),
        dir: montui::config::paths::themes_dir(),
    })?)
}

/// Says where the log file is (or that there is none).
fn log_file(path: Option<std::path::PathBuf>) {
    match path {
        Some(p) => tracing::info!("this log is also in {}", p.display()),
        None => {
            let p = montui::config::paths::log_file();
            tracing::warn!("no log file: {} cannot be written", p.display());
        }
    }
}

async fn wait_for_stop() -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    // A service's SIGHUP (its terminal or session went away) stops it as cleanly as SIGTERM.
    let mut hup = signal(SignalKind::hangup())?;
    let mut quit = signal(SignalKind::quit())?;
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
        _ = hup.recv() => {}
        _ = quit.recv() => {}
    }
    Ok(())
}
