//! Anomaly detection on the Numenta Anomaly Benchmark (`--data DIR`: NAB's `data/<category>/
//! *.csv` and `labels/combined_windows.json`): every file streamed row by row through montui's
//! default detector (one configuration, only past rows), scored with NAB's rules (`score.rs`)
//! for the three profiles, left out by category and at the shipped line (`judge.rs`), beside
//! the synthetic cases; samples per second on one thread; with `--out DIR` NAB-format
//! results (`<category>/montui_<file>.csv`: timestamp,value,anomaly_score), with `--ablate`
//! each member left out in turn.

mod forecast;
mod judge;
mod score;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use montui::detect::{Detector, WatchSettings};

use super::{flag, median};
use score::{PROFILES, Scored};

/// One NAB file.
struct Series {
    /// `<category>/<file>.csv`, as the labels name it.
    key: String,
    stamps: Vec<String>,
    times: Vec<i64>,
    values: Vec<f64>,
}

fn time(s: &str) -> Option<i64> {
    let t = chrono::NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S%.f").ok()?;
    Some(t.and_utc().timestamp_millis())
}

fn load(path: &Path, key: String) -> Result<Series, String> {
    let mut rd = csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut s = Series {
        key,
        stamps: Vec::new(),
        times: Vec::new(),
        values: Vec::new(),
    };
    for (i, r) in rd.records().enumerate() {
        let r = r.map_err(|e| format!("{}: {e}", path.display()))?;
        let (Some(t), Some(v)) = (r.get(0), r.get(1)) else {
            return Err(format!("{}: row {} has no value", path.display(), i + 2));
        };
        let (Some(ms), Ok(x)) = (time(t), v.trim().parse::<f64>()) else {
            return Err(format!("{}: row {}: `{t}`, `{v}`", path.display(), i + 2));
        };
        s.stamps.push(t.to_string());
        s.times.push(ms);
        s.values.push(x);
    }
    Ok(s)
}

/// Every `data/<category>/*.csv` under `dir`, in name order.
fn corpus(dir: &Path) -> Result<Vec<Series>, String> {
    let data = dir.join("data");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&data)
        .map_err(|e| format!("{}: {e}", data.display()))?
        .flatten()
        .filter(|e| e.path().is_dir())
        .flat_map(|c| std::fs::read_dir(c.path()).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let cat = p.parent().and_then(Path::file_name).unwrap_or_default();
            let file = p.file_name().unwrap_or_default();
            let key = format!("{}/{}", cat.to_string_lossy(), file.to_string_lossy());
            load(p, key)
        })
        .collect()
}

fn windows(dir: &Path) -> Result<HashMap<String, Vec<(i64, i64)>>, String> {
    let path = dir.join("labels/combined_windows.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let raw: HashMap<String, Vec<(String, String)>> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = HashMap::new();
    for (k, ws) in raw {
        let mut v = Vec::new();
        for (a, b) in ws {
            let (Some(a), Some(b)) = (time(&a), time(&b)) else {
                return Err(format!("{}: {k}: bad window `{a}`..`{b}`", path.display()));
            };
            v.push((a, b));
        }
        v.sort_unstable();
        out.insert(k, v);
    }
    Ok(out)
}

/// The detector's scores for one series, row by row, and the bytes it ends with (`make`:
/// the default detector, or the ensemble alone: the scores are the same).
fn detect(s: &Series, make: &dyn Fn() -> Detector) -> (Vec<f64>, usize) {
    let mut d = make();
    let scores = s
        .times
        .iter()
        .zip(&s.values)
        .map(|(t, x)| d.update(*t, *x).score)
        .collect();
    (scores, d.memory())
}

/// The peer measured in the same run: a sliding z-score over the last 500 rows (what
/// NAB's README calls naive), z/(1+z) as the score.
fn naive(s: &Series) -> Vec<f64> {
    const W: usize = 500;
    let (mut sum, mut sq) = (0.0, 0.0);
    let mut out = Vec::with_capacity(s.values.len());
    for (i, &x) in s.values.iter().enumerate() {
        let n = i.min(W) as f64;
        let z = if n >= 10.0 {
            let mean = sum / n;
            let sd = (sq / n - mean * mean).max(0.0).sqrt();
            if sd > 0.0 { (x - mean).abs() / sd } else { 0.0 }
        } else {
            0.0
        };
        out.push(z / (1.0 + z));
        sum += x;
        sq += x * x;
        if i >= W {
            let old = s.values[i - W];
            sum -= old;
            sq -= old * old;
        }
    }
    out
}

fn write(out: &Path, s: &Series, scores: &[f64]) -> Result<(), String> {
    let (cat, file) = s.key.split_once('/').unwrap_or(("", &s.key));
    let dir = out.join(cat);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut text = String::from("timestamp,value,anomaly_score\n");
    for ((t, v), a) in s.stamps.iter().zip(&s.values).zip(scores) {
        text += &format!("{t},{v},{a}\n");
    }
    let path = dir.join(format!("montui_{file}"));
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(args: &[String]) -> Result<(), String> {
    let dir: PathBuf = flag(args, "--data", PathBuf::new())?;
    if dir.as_os_str().is_empty() {
        return Err("nab needs --data DIR (NAB's data/ and labels/)".into());
    }
    let out: String = flag(args, "--out", String::new())?;
    let out = (!out.is_empty()).then(|| PathBuf::from(out));
    let series = corpus(&dir)?;
    let labels = windows(&dir)?;
    let mut scored = Vec::new();
    let mut bytes = 0;
    for s in &series {
        let (scores, b) = detect(s, &Detector::default);
        bytes = bytes.max(b);
        if let Some(o) = &out {
            write(o, s, &scores)?;
        }
        scored.push(Scored {
            times: s.times.clone(),
            scores,
            windows: labels.get(&s.key).cloned().unwrap_or_default(),
        });
    }
    let peer: Vec<Scored> = series
        .iter()
        .zip(&scored)
        .map(|(s, f)| Scored {
            scores: naive(s),
            ..f.clone()
        })
        .collect();
    let mut figures = Vec::new();
    for p in &PROFILES {
        let o = score::score(&scored, p);
        let naive = score::score(&peer, p);
        println!(
            "  {:<9} {:6.2}  (threshold {:.4}, raw {:.2}, {} windows; sliding z-score {:.2})",
            p.name, o.normalised, o.threshold, o.raw, o.windows, naive.normalised
        );
        figures.push(o.normalised);
        if p.name == "standard" && args.iter().any(|a| a == "--detail") {
            for (s, f) in series.iter().zip(&scored) {
                let (hit, missed, fps) = score::detail(f, p, o.threshold);
                println!("    {:<55} caught {hit} missed {missed} false {fps}", s.key);
            }
        }
    }
    let shipped = WatchSettings::default().score;
    println!("  standard, each category at the threshold the other four want:");
    let keys: Vec<String> = series.iter().map(|s| s.key.clone()).collect();
    let judged = judge::figures(&keys, &scored, shipped, true);
    println!(
        "  standard: {:.2} in sample, {:.2} leave-one-category-out, {:.2} at the shipped threshold {shipped}",
        figures[0], judged.loco, judged.shipped
    );
    let sweep: Vec<String> = [0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.8]
        .iter()
        .map(|t| {
            let synth = judge::synthetic(&Detector::default, *t, false);
            let at = score::at(&scored, &PROFILES[0], *t).normalised;
            format!(
                "{t}: {at:.1} ({} caught, {} false)",
                synth.caught, synth.false_
            )
        })
        .collect();
    println!(
        "  standard and synthetic at other lines: {}",
        sweep.join(" · ")
    );
    println!("  synthetic cases at the shipped threshold:");
    let synth = judge::synthetic(&Detector::default, shipped, true);
    if args.iter().any(|a| a == "--ablate") {
        ablate(&series, &keys, &scored, shipped);
    }
    // Throughput: every file's rows through fresh detectors (the ensemble alone, then with
    // its forecasts), median of 5 passes.
    let rows: usize = series.iter().map(|s| s.values.len()).sum();
    let (mut rates, mut with, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let pass = |make: fn() -> Detector| {
        let t0 = Instant::now();
        let sink: f64 = series
            .iter()
            .map(|s| detect(s, &make).0.iter().sum::<f64>())
            .sum();
        std::hint::black_box(sink);
        t0.elapsed().as_secs_f64()
    };
    for _ in 0..5 {
        let ours = pass(Detector::ensemble_only);
        with.push(rows as f64 / pass(Detector::default));
        let t0 = Instant::now();
        let sink: f64 = series.iter().map(|s| naive(s).iter().sum::<f64>()).sum();
        std::hint::black_box(sink);
        rates.push(rows as f64 / ours);
        ratios.push(t0.elapsed().as_secs_f64() / ours);
    }
    let (rate, with, speed) = (median(rates), median(with), median(ratios));
    // A live series at the default interval: its day and week in slots of several samples.
    let mut live = Detector::default();
    for i in 0..100 {
        live.update(i * 1000, f64::from(i as u8 % 7));
    }
    let bytes_1s = live.memory();
    println!(
        "  {rows} rows, {rate:.0} samples/s on one thread for the ensemble ({speed:.2}× the sliding z-score's speed), {with:.0} with its forecasts; at most {bytes} bytes per series ({bytes_1s} sampled every second)"
    );
    let [at_1h, at_6h, at_24h] = forecast::disks();
    println!(
        "  time to 90 % on synthetic disks, relative error (median of 8): 1 h ahead {:.1} %, 6 h {:.1} %, 24 h {:.1} %",
        at_1h * 100.0,
        at_6h * 100.0,
        at_24h * 100.0
    );
    let detail = args.iter().any(|a| a == "--detail");
    let (ours, naive) = forecast::smape(&series, "realAWSCloudwatch/", detail);
    let ratio = ours / naive;
    println!(
        "  realAWSCloudwatch 1 h ahead: sMAPE {:.1} % (last value {:.1} %), ratio {ratio:.3}",
        ours * 100.0,
        naive * 100.0
    );
    println!(
        "nab: files={} standard={:.2} standard_loco={:.2} standard_shipped={:.2} low_fp={:.2} low_fn={:.2} synthetic_caught={} synthetic_missed={} synthetic_false={} samples_per_s={rate:.0} with_forecasts_per_s={with:.0} speed_vs_naive={speed:.2} bytes_per_series={bytes} bytes_per_series_1s={bytes_1s} eta_error_1h={at_1h:.3} forecast_smape_ratio={ratio:.3}",
        series.len(),
        figures[0],
        judged.loco,
        judged.shipped,
        figures[1],
        figures[2],
        synth.caught,
        synth.missed,
        synth.false_
    );
    Ok(())
}

/// Each member left out in turn: the standard score in sample and left out by category, and
/// the synthetic cases at the threshold the corpus then wants (what the member is worth).
fn ablate(series: &[Series], keys: &[String], with: &[Scored], shipped: f64) {
    println!(
        "  each member left out (standard in sample, leave-one-category-out; synthetic at the corpus' threshold):"
    );
    let row = |name: &str, scored: &[Scored]| {
        let o = score::score(scored, &PROFILES[0]);
        let f = judge::figures(keys, scored, shipped, false);
        let make = || Detector::without(montui::detect::member(name).unwrap_or(0));
        let j = judge::synthetic(&make, o.threshold, false);
        println!(
            "    {name:<16} {:6.2} {:6.2}  threshold {:.3}  synthetic caught {} false {}",
            o.normalised, f.loco, o.threshold, j.caught, j.false_
        );
    };
    row("(none)", with);
    for name in montui::detect::member_names() {
        let Some(bit) = montui::detect::member(name) else {
            continue;
        };
        let scored: Vec<Scored> = series
            .iter()
            .zip(with)
            .map(|(s, w)| Scored {
                scores: detect(s, &|| Detector::without(bit)).0,
                ..w.clone()
            })
            .collect();
        row(name, &scored);
    }
}
