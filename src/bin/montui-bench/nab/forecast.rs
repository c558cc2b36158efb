//! Forecast figures: time to 90 % on synthetic disks (a linear fill with a daily cycle and
//! noise; the truth is known) an hour, six hours and a day ahead; and on NAB's
//! realAWSCloudwatch files the 1-hour-ahead sMAPE against a naive last-value forecast.

use montui::detect::Detector;

use super::Series;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;

/// A reproducible normal-ish noise (sum of uniforms), sd about 1.
fn noise(i: u64, seed: u64) -> f64 {
    (0..4)
        .map(|k| {
            let h = (i * 4 + k)
                .wrapping_add(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15))
                .wrapping_mul(0xbf58_476d_1ce4_e5b9);
            let h = (h ^ (h >> 31)).wrapping_mul(0x94d0_49bb_1331_11eb);
            ((h >> 11) as f64 / (1u64 << 53) as f64) - 0.5
        })
        .sum::<f64>()
        * 1.73
}

/// One synthetic disk: % used every 5 minutes, 30 % → 90 % in about 8 days, a daily swing
/// of ±2 % and noise of 0.1 % (±1 GB on a 1 TB disk). Relative errors of the predicted time to 90 % at each lead.
fn disk(seed: u64, leads: &[i64]) -> Vec<f64> {
    let step = 5 * MIN;
    let phase = seed as f64;
    let clean = |t: i64| {
        let h = t as f64 / HOUR as f64;
        30.0 + 0.3125 * h + 2.0 * (h / 24.0 * std::f64::consts::TAU + phase).sin()
    };
    let truth = (0..)
        .map(|i| i * step)
        .find(|t| clean(*t) >= 90.0)
        .unwrap_or(0);
    let mut d = Detector::default();
    let mut out = Vec::new();
    let mut t = 0;
    for &lead in leads.iter().rev() {
        let ask = truth - lead;
        while t <= ask - step {
            d.update(t, clean(t) + 0.1 * noise((t / step) as u64, seed));
            t += step;
        }
        let got = d.crossing(90.0, true, 3 * 24 * HOUR);
        let err = got.map_or(f64::INFINITY, |c| {
            ((c.in_ms + t - step) - truth).abs() as f64 / lead as f64
        });
        out.push(err);
    }
    out.reverse();
    out
}

/// Relative errors of the time to 90 % at 1 h, 6 h and 24 h ahead, the median of 8 disks.
pub fn disks() -> [f64; 3] {
    let leads = [HOUR, 6 * HOUR, 24 * HOUR];
    let runs: Vec<Vec<f64>> = (0..8).map(|s| disk(s, &leads)).collect();
    let mut out = [0.0; 3];
    for (k, o) in out.iter_mut().enumerate() {
        *o = super::median(runs.iter().map(|r| r[k]).collect());
    }
    out
}

/// sMAPE of 1-hour-ahead forecasts over the files of `category`: (montui, last value).
/// With `detail`, each file's pair is printed.
pub fn smape(series: &[Series], category: &str, detail: bool) -> (f64, f64) {
    let (mut ours, mut naive) = (Vec::new(), Vec::new());
    for s in series.iter().filter(|s| s.key.starts_with(category)) {
        let mut d = Detector::default();
        // Forecasts made an hour before each row: (row, ours, last value).
        let mut made: std::collections::VecDeque<(usize, f64, f64)> = Default::default();
        let (mut e_ours, mut e_naive, mut n) = (0.0, 0.0, 0usize);
        let spacing = s
            .times
            .windows(2)
            .map(|w| w[1] - w[0])
            .min()
            .unwrap_or(HOUR)
            .max(1);
        let h = ((HOUR / spacing) as usize).max(1);
        for (i, (&t, &x)) in s.times.iter().zip(&s.values).enumerate() {
            d.update(t, x);
            while made.front().is_some_and(|m| m.0 <= i) {
                let Some((row, f, last)) = made.pop_front() else {
                    break;
                };
                if row == i {
                    let sm = |f: f64| {
                        let den = f.abs() + x.abs();
                        if den > 0.0 {
                            2.0 * (f - x).abs() / den
                        } else {
                            0.0
                        }
                    };
                    e_ours += sm(f);
                    e_naive += sm(last);
                    n += 1;
                }
            }
            if i >= 2 * h {
                made.push_back((i + h, d.forecast(h).0, x));
            }
        }
        if n > 0 && detail {
            let (o, l) = (e_ours / n as f64, e_naive / n as f64);
            println!("    {:<55} sMAPE {o:.3} (last value {l:.3})", s.key);
        }
        if n > 0 {
            ours.push(e_ours / n as f64);
            naive.push(e_naive / n as f64);
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    (mean(&ours), mean(&naive))
}
