//! Synthetic series that show, one at a time, what real metrics do and what a detector must
//! get right on series it has never seen: daily and weekly cycles at 1 s … 1 h sampling,
//! spikes that recur without a period, repeats of an anomaly, changes of level, variance
//! and shape that stay inside the range already seen, trends, gaps, anomalies soon after
//! learning starts. Each case knows its anomalies (windows of times), so a detector's
//! scores are judged without any benchmark file: the tests and `montui-bench nab` use them.

use std::f64::consts::TAU;

/// One synthetic series and where its anomalies are.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: &'static str,
    pub times: Vec<i64>,
    pub values: Vec<f64>,
    /// Inclusive times in which a detection catches an anomaly.
    pub windows: Vec<(i64, i64)>,
}

/// What a detector made of a case at one threshold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Judged {
    pub caught: usize,
    pub missed: usize,
    /// Samples at or over the threshold outside every window.
    pub false_: usize,
}

/// A reproducible source of noise.
#[derive(Debug, Clone)]
pub struct Noise(u64);

impl Noise {
    pub fn new(seed: u64) -> Self {
        Noise(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in [0, 1) (SplitMix64).
    pub fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) as f64 / 2f64.powi(64)
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        (-2.0 * u.ln()).sqrt() * (TAU * self.unit()).cos()
    }
}

const SEC: i64 = 1000;
const MIN: i64 = 60 * SEC;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

/// `n` samples `every` ms apart from a fixed Monday midnight, their values from `f(t_ms, i)`.
fn series(n: usize, every: i64, mut f: impl FnMut(i64, usize) -> f64) -> (Vec<i64>, Vec<f64>) {
    // 2024-01-01 00:00 UTC, a Monday.
    const START: i64 = 1_704_067_200_000;
    let times: Vec<i64> = (0..n as i64).map(|i| START + i * every).collect();
    let values = times
        .iter()
        .enumerate()
        .map(|(i, t)| f(*t - START, i))
        .collect();
    (times, values)
}

/// Hour of the day (fractional) at `t` ms from a midnight.
fn hour(t: i64) -> f64 {
    (t % DAY) as f64 / HOUR as f64
}

/// A working day's load: low at night, a hump over the day.
fn workday(h: f64) -> f64 {
    (-((h - 14.0) / 4.0).powi(2)).exp()
}

fn case(
    name: &'static str,
    (times, values): (Vec<i64>, Vec<f64>),
    anomalies: &[(usize, usize)],
) -> Case {
    let windows = anomalies
        .iter()
        .map(|&(from, to)| (times[from], times[to.min(times.len() - 1)]))
        .collect();
    Case {
        name,
        times,
        values,
        windows,
    }
}

/// Every case, each answering one phenomenon.
pub fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    // A daily cycle sampled every minute for 8 days; on day 7 the afternoon hump does not
    // come (the values stay inside the range: a change of shape).
    let mut n = Noise::new(1);
    let flat = (6 * DAY + 12 * HOUR) / MIN;
    out.push(case(
        "daily_1m_missing_hump",
        series(8 * 1440, MIN, |t, i| {
            let h = if (flat as usize..flat as usize + 240).contains(&i) {
                0.0
            } else {
                workday(hour(t))
            };
            20.0 + 50.0 * h + 2.0 * n.normal()
        }),
        &[(flat as usize, flat as usize + 240)],
    ));
    // A weekly cycle every 30 minutes for 10 weeks: weekdays busy, weekends light, late
    // Sunday night quietest. In week 8 Saturday is as busy as a weekday (what a day ago says
    // is usual, a week ago is not); in week 9 Wednesday is as quiet as a Sunday (in range).
    let mut n = Noise::new(2);
    let sat = (7 * 7 + 5) * 48;
    let wed = (8 * 7 + 2) * 48;
    out.push(case(
        "weekly_30m",
        series(10 * 7 * 48, 30 * MIN, |t, i| {
            let day = (t / DAY) % 7;
            let h = hour(t);
            let busy = if (wed..wed + 48).contains(&i) || day == 6 {
                0.15
            } else if day == 5 && !(sat..sat + 48).contains(&i) {
                0.4
            } else {
                1.0
            };
            let night = if day == 6 && h >= 20.0 { -8.0 } else { 0.0 };
            30.0 + 60.0 * busy * workday(h) + night + 1.5 * n.normal()
        }),
        &[(sat + 16, sat + 40), (wed + 16, wed + 40)],
    ));
    // Spikes to the same maximum every 2–5 days (no period) for 60 days every 5 minutes;
    // then the base level doubles for a day (still under the spikes).
    let mut n = Noise::new(3);
    let mut next = 600;
    let shift = 55 * 288;
    out.push(case(
        "aperiodic_spikes_5m_level_shift",
        series(60 * 288, 5 * MIN, |_, i| {
            let spike = if i >= next && i < next + 3 {
                if i == next + 2 {
                    next += (576.0 + 864.0 * n.unit()) as usize;
                }
                true
            } else {
                false
            };
            let base = if (shift..shift + 288).contains(&i) {
                40.0
            } else {
                20.0
            };
            if spike {
                100.0
            } else {
                base + 2.0 * n.normal()
            }
        }),
        &[(shift, shift + 36)],
    ));
    // The same anomaly twice, five hours apart, in a noisy flat series every minute.
    let mut n = Noise::new(4);
    out.push(case(
        "repeat_1m",
        series(6000, MIN, |_, i| {
            let bump = if (3000..3010).contains(&i) || (3300..3310).contains(&i) {
                25.0
            } else {
                0.0
            };
            50.0 + bump + 2.0 * n.normal()
        }),
        &[(3000, 3015), (3300, 3315)],
    ));
    // Variance grows fourfold inside the range the series has shown (rare excursions to
    // ±12 before it).
    let mut n = Noise::new(5);
    out.push(case(
        "variance_in_range_1m",
        series(6000, MIN, |_, i| {
            let x = if i >= 4000 {
                (4.0 * n.normal()).clamp(-11.0, 11.0)
            } else if i % 700 == 350 {
                12.0 * if n.unit() < 0.5 { -1.0 } else { 1.0 }
            } else {
                n.normal()
            };
            100.0 + x
        }),
        &[(4000, 4060)],
    ));
    // A square wave between 10 and 30 (two hours each) sticks half way, at 20.
    let mut n = Noise::new(6);
    out.push(case(
        "stuck_in_range_5m",
        series(4000, 5 * MIN, |_, i| {
            let x = if i >= 3000 {
                20.0
            } else if (i / 24) % 2 == 0 {
                10.0
            } else {
                30.0
            };
            x + 0.5 * n.normal()
        }),
        &[(3000, 3048)],
    ));
    // Sampled every second: the level drops to zero 6 minutes after the start (soon after
    // learning) and stays there.
    let mut n = Noise::new(7);
    out.push(case(
        "early_drop_1s",
        series(3600, SEC, |_, i| {
            if i >= 360 {
                0.2 * n.normal().abs()
            } else {
                40.0 + 3.0 * n.normal()
            }
        }),
        &[(360, 420)],
    ));
    // A steady trend with a daily swing, hourly for 90 days; then a jump.
    let mut n = Noise::new(8);
    out.push(case(
        "trend_1h_jump",
        series(90 * 24, HOUR, |t, i| {
            let jump = if i >= 80 * 24 { 30.0 } else { 0.0 };
            10.0 + 0.02 * i as f64 + 5.0 * workday(hour(t)) + jump + 0.8 * n.normal()
        }),
        &[(80 * 24, 80 * 24 + 6)],
    ));
    // Six hours with no samples, twice, in a noisy flat series; later a spike.
    let mut n = Noise::new(9);
    let (mut times, mut values) = series(8000, MIN, |_, i| {
        50.0 + if i == 7000 { 30.0 } else { 0.0 } + 2.0 * n.normal()
    });
    for gap in [(2000, 2360), (4500, 4860)] {
        for t in &mut times[gap.1..] {
            *t += (gap.1 - gap.0) as i64 * MIN;
        }
        times.drain(gap.0..gap.1);
        values.drain(gap.0..gap.1);
    }
    let spike = 7000 - 720;
    out.push(case(
        "gaps_1m_spike",
        (times, values),
        &[(spike, spike + 5)],
    ));
    // A slowly wandering series (autocorrelated noise): nothing to find.
    let mut n = Noise::new(10);
    let mut level = 0.0;
    out.push(case(
        "wandering_1m",
        series(8000, MIN, |_, _| {
            level = 0.995 * level + 0.3 * n.normal();
            60.0 + level + 0.5 * n.normal()
        }),
        &[],
    ));
    // A daily cycle sampled every second for a day and a half: nothing to find.
    let mut n = Noise::new(11);
    out.push(case(
        "daily_1s_quiet",
        series(36 * 3600, SEC, |t, _| {
            20.0 + 30.0 * workday(hour(t)) + 2.0 * n.normal()
        }),
        &[],
    ));
    out
}

/// A case's scores judged at `threshold`: windows caught (a score at or over it inside) and
/// samples at or over it outside every window.
pub fn judge(case: &Case, scores: &[f64], threshold: f64) -> Judged {
    let mut hit = vec![false; case.windows.len()];
    let mut false_ = 0;
    for (t, s) in case.times.iter().zip(scores) {
        if *s < threshold {
            continue;
        }
        match case.windows.iter().position(|(a, b)| (a..=b).contains(&t)) {
            Some(w) => hit[w] = true,
            None => false_ += 1,
        }
    }
    let caught = hit.iter().filter(|h| **h).count();
    Judged {
        caught,
        missed: hit.len() - caught,
        false_,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_the_same_every_time_and_their_windows_lie_inside_them() {
        let (a, b) = (cases(), cases());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(
                (x.name, &x.times, &x.windows),
                (y.name, &y.times, &y.windows)
            );
            assert!(
                x.values.iter().zip(&y.values).all(|(p, q)| p == q),
                "{}",
                x.name
            );
            assert!(x.times.windows(2).all(|t| t[0] < t[1]), "{}", x.name);
            for (from, to) in &x.windows {
                assert!(
                    x.times[0] < *from && from <= to && x.times.last().is_some_and(|t| to <= t)
                );
            }
        }
    }

    #[test]
    fn judging_counts_windows_caught_and_samples_flagged_outside() {
        let c = Case {
            name: "t",
            times: (0..10).collect(),
            values: vec![0.0; 10],
            windows: vec![(2, 3), (6, 7)],
        };
        let s = [0.0, 0.9, 0.0, 0.95, 0.0, 0.0, 0.1, 0.0, 0.0, 0.8];
        let j = judge(&c, &s, 0.8);
        assert_eq!((j.caught, j.missed, j.false_), (1, 1, 2));
    }
}
