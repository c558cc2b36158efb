//! Every figure montui reports comes from here: `montui-bench <name>`, each run ending with a
//! line `<name>: key=value …`. Peers are measured in the same run; figures are medians.

mod alerts;
mod dbsize;
mod drain3;
mod flood;
mod globs;
mod hostile;
mod loghub;
mod nab;
mod notify;
mod overhead;
mod procstat;
mod prom_fleet;
mod report;
mod scrape;
mod scrape_live;
mod screenshots;
mod ssh_fanout;
/// The test sshd (the benches use part of it).
#[allow(dead_code)]
#[path = "../../../tests/common/sshd.rs"]
mod sshd;
mod statsd;
mod store;
mod svg;
mod tmux;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("overhead") => overhead::run(&args[1..]),
        Some("dbsize") => dbsize::run(&args[1..]),
        Some("store") => store::run(&args[1..]),
        Some("alerts") => alerts::run(&args[1..]),
        Some("ssh-fanout") => ssh_fanout::run(&args[1..]),
        Some("loghub") => loghub::run(&args[1..]),
        Some("nab") => nab::run(&args[1..]),
        Some("flood") => flood::run(&args[1..]),
        Some("hostile") => hostile::run(&args[1..]),
        Some("globs") => globs::run(&args[1..]),
        Some("notify") => notify::run(&args[1..]),
        Some("screenshots") => screenshots::run(&args[1..]),
        Some("scrape") => scrape::run(&args[1..]),
        Some("statsd") => statsd::run(&args[1..]),
        Some("prom-fleet") => prom_fleet::run(&args[1..]),
        Some("report") => report::run(&args[1..]),
        _ => {
            Err("usage: montui-bench overhead [--secs 60] [--runs 3] [--extra 1000] | dbsize [--secs 600] | store [--hours 24] | alerts [--rules 1000] [--hosts 100] | ssh-fanout [--hosts 10,50,100] [--secs 60] [--isolate] | loghub --data DIR [--out DIR] | nab --data DIR [--out DIR] [--detail] [--ablate] | flood [--lines 1000000] [--level ERROR] [--data DIR] [--limit 600] | hostile [--secs 60] | globs [--files 5000] [--secs 20] | notify [--notices 10000] [--rate 2000] | screenshots [--out screenshots] | scrape [--rounds 7] [--live 1] [--secs 60] [--runs 3] [--every 15] | statsd [--rate 500000] [--secs 3] | prom-fleet [--instances 1000] [--secs 90] [--runs 3] [--every 15] [--warm 510] [--serve SECS] | report [--hosts 20] [--days 30] [--interval 10] [--runs 5]".into())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("montui-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--name value` from the arguments, parsed, or the default.
pub fn flag<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} needs a value")),
    }
}

pub fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// `n` written in letters that no masking takes for a number or hex (g…v): words that make
/// each line of a synthetic flood a pattern of its own.
pub fn letters(mut n: u64) -> String {
    let mut s = String::new();
    loop {
        s.push((b'g' + (n % 16) as u8) as char);
        n /= 16;
        if n == 0 {
            return s;
        }
    }
}

/// The montui binary built beside this one.
pub fn montui_bin() -> Result<std::path::PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let bin = me.with_file_name("montui");
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!(
            "{} not found: cargo build --release --bins",
            bin.display()
        ))
    }
}
