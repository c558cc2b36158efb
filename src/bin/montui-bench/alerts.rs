//! Rule evaluation cost: 1,000 rules (thresholds on every metric family and expressions with
//! windows) over 100 hosts' samples, evaluated as the engine does on each sample.

use std::time::Instant;

use montui::alert::eval::Evaluator;
use montui::alert::expr::parse;
use montui::alert::lifecycle::Severity;
use montui::alert::rules::{Condition, Rule};
use montui::model::{CpuPct, DiskRate, FAMILIES, FsRow, Mem, NetRate, Snapshot};

use super::{flag, median};

pub fn run(args: &[String]) -> Result<(), String> {
    let n_rules: usize = flag(args, "--rules", 1000)?;
    let hosts: usize = flag(args, "--hosts", 100)?;
    let ticks: i64 = flag(args, "--ticks", 60)?;
    // A storm (about half of all rule × host pairs active) and a normal day (lines near the
    // top of each metric's range, byte figures at 1 TB: the rules watch, few fire).
    let storm = measure(rules(n_rules, true)?, hosts, ticks);
    let normal = measure(rules(n_rules, false)?, hosts, ticks);
    for (name, (tick_s, alerts)) in [("storm", storm), ("normal", normal)] {
        println!(
            "  {name:<6} median {:.2} ms per tick ({:.2} % of a core at 1 Hz), {alerts} alerts",
            tick_s * 1000.0,
            tick_s * 100.0
        );
    }
    let evals = (n_rules * hosts) as f64 / normal.0;
    println!(
        "alerts: rules={n_rules} hosts={hosts} evals_per_s={evals:.0} cpu_pct_at_1hz={:.2} storm_cpu_pct_at_1hz={:.2}",
        normal.0 * 100.0,
        storm.0 * 100.0
    );
    Ok(())
}

/// Median seconds per tick (every host evaluated once) and the number of alerts at the end.
fn measure(rules: Vec<Rule>, hosts: usize, ticks: i64) -> (f64, usize) {
    let mut ev = Evaluator::new(rules);
    let mut per_tick = Vec::new();
    for tick in 0..ticks {
        let snaps: Vec<Snapshot> = (0..hosts).map(|h| snapshot(h, tick)).collect();
        let t = Instant::now();
        for s in &snaps {
            ev.evaluate(s);
        }
        per_tick.push(t.elapsed().as_secs_f64());
    }
    (median(per_tick), ev.tracker.alerts().count())
}

/// A mix: thresholds on each metric family at several lines, and expressions with windows.
fn rules(n: usize, storm: bool) -> Result<Vec<Rule>, String> {
    let exprs = [
        "avg(cpu_busy_percent, 5m) > 80 and load1_per_core > 1",
        "max(memory_used_percent, 1m) > 90 or swap_used_percent > 50",
        "rate(load1, 2m) > 0.1 and not cpu_iowait_percent < 5",
        "min(cpu_busy_percent, 30s) * 2 > memory_used_percent",
    ];
    (0..n)
        .map(|i| {
            let condition = if i % 5 == 4 {
                Condition::Expr(parse(exprs[i % exprs.len()]).map_err(|e| e.to_string())?)
            } else {
                let metric = FAMILIES[i % FAMILIES.len()].0;
                let threshold = match (storm, metric.contains("bytes")) {
                    (true, _) => 50.0 + (i % 50) as f64,
                    (false, false) => 91.0 + (i % 9) as f64,
                    (false, true) => 1e12,
                };
                Condition::Threshold {
                    metric: metric.to_string(),
                    threshold,
                    clear: Some(45.0),
                    below: false,
                    dynamic: None,
                }
            };
            Ok(Rule {
                name: format!("rule_{i}"),
                condition,
                for_ms: 60_000,
                severity: Severity::Warning,
                labels: vec![],
                annotations: vec![],
            })
        })
        .collect()
}

fn snapshot(host: usize, tick: i64) -> Snapshot {
    let wave = ((tick as f64 / 7.0) + host as f64).sin() * 40.0 + 50.0;
    Snapshot {
        host: format!("host-{host:03}"),
        ts_ms: 1_763_900_000_000 + tick * 1000,
        dt_ms: Some(1000),
        cpu: Some(CpuPct {
            user: wave * 0.7,
            system: wave * 0.3,
            iowait: 2.0,
            other: 0.0,
        }),
        cores: (0..8).map(|c| Some((wave + c as f64) % 100.0)).collect(),
        mem: Mem {
            total: 64 << 30,
            used: ((wave / 100.0) * (64u64 << 30) as f64) as u64,
            cached: 0,
            swap_total: 8 << 30,
            swap_used: 1 << 30,
        },
        load: [wave / 20.0, 2.0, 2.0],
        fs: ["/", "/var", "/home"]
            .iter()
            .map(|m| FsRow {
                mount: m.to_string(),
                total: 100,
                used: wave as u64,
                inodes_pct: Some(wave / 2.0),
            })
            .collect(),
        disks: vec![DiskRate {
            name: "nvme0n1".into(),
            read: Some(wave * 1e5),
            write: Some(1e5),
            busy: Some(wave),
            await_ms: Some(wave / 10.0),
        }],
        nets: vec![NetRate {
            name: "eth0".into(),
            rx: Some(wave * 1e4),
            tx: Some(1e4),
        }],
        procs: vec![],
        sys: Default::default(),
        series: Vec::new(),
        series_at: 0,
    }
}
