use super::*;
use crate::detect::synthetic;

const MIN: i64 = 60_000;

/// A reproducible noise in [-1, 1).
fn noise(i: u64) -> f64 {
    let h = i.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17) ^ 0x5555;
    (h.wrapping_mul(0xbf58_476d_1ce4_e5b9) >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

fn run(values: impl Iterator<Item = f64>, every: i64) -> Vec<Verdict> {
    let mut d = Detector::default();
    values
        .enumerate()
        .map(|(i, x)| d.update(i as i64 * every, x))
        .collect()
}

#[test]
fn a_spike_scores_high_once_and_noise_stays_low() {
    let v = run(
        (0..3000).map(|i| 50.0 + noise(i) + if i == 2000 { 40.0 } else { 0.0 }),
        MIN,
    );
    assert!(
        v[2000].score > 0.9 && v[2000].why & POINT != 0,
        "{:?}",
        v[2000]
    );
    let worst = (600..3000)
        .filter(|i| *i != 2000)
        .map(|i| v[i].score)
        .fold(0.0, f64::max);
    assert!(worst < 0.8, "noise scored {worst}");
    // The band holds the usual values.
    assert!(v[1999].low < 49.0 && v[1999].high > 51.0 && (v[1999].expected - 50.0).abs() < 0.5);
}

#[test]
fn inside_the_range_a_blip_is_not_news_and_a_burst_that_stays_is() {
    // Noise around 10 every minute; a first burst to 100 for half an hour (beyond anything
    // before: news at once); later a one-sample blip to 60, then a burst to 60 that stays.
    let burst = |i: u64| (200..230).contains(&i);
    let v = run(
        (0..5000).map(|i| {
            10.0 + noise(i)
                + match i {
                    _ if burst(i) => 90.0,
                    3000 | 4000..4020 => 50.0,
                    _ => 0.0,
                }
        }),
        MIN,
    );
    let most = |r: std::ops::Range<usize>| r.map(|i| v[i].score).fold(0.0, f64::max);
    assert!(v[200].score > 0.9, "{:?}", v[200]);
    assert!(v[3000].unusual > 0.9, "the blip is unusual: {:?}", v[3000]);
    assert!(most(3000..3100) < 0.2, "but not news: {}", most(3000..3100));
    assert!(most(4000..4007) < 0.2, "held: {}", most(4000..4007));
    assert!(v[4007].score > 0.8, "counted once it lasted: {:?}", v[4007]);
    assert_eq!(v[4007].since_ms, Some(4000 * MIN), "from its start");
    assert!(most(4008..5000) < 0.2, "once: {}", most(4008..5000));
}

#[test]
fn a_fresh_series_learns_before_its_scores_count() {
    let v = run(
        (0..200).map(|i| match i {
            60 => 100.0,
            150 => 200.0,
            _ => 10.0 + noise(i),
        }),
        1000,
    );
    assert_eq!((v[60].score, v[60].unusual), (0.0, 0.0), "learning");
    assert!(v[150].score > 0.9, "{:?}", v[150]);
}

#[test]
fn a_break_in_a_daily_pattern_is_found_where_the_values_stay_in_range() {
    // Every 5 minutes, a daily swing 0…100; on day 5 the afternoon stays flat at 50.
    let day = 288;
    let at = |i: u64| {
        let phase = (i % day) as f64 / day as f64 * std::f64::consts::TAU;
        let flat = (5 * day + 150..5 * day + 200).contains(&i);
        if flat {
            50.0
        } else {
            50.0 + 50.0 * phase.sin() + noise(i)
        }
    };
    let v = run((0..7 * day).map(at), 5 * MIN);
    let first = (5 * day as usize + 150..5 * day as usize + 200)
        .map(|i| v[i].score)
        .fold(0.0, f64::max);
    assert!(first > 0.6, "the flat afternoon scored {first}");
    let before = (3 * day as usize..5 * day as usize)
        .map(|i| v[i].score)
        .fold(0.0, f64::max);
    assert!(before < 0.2, "normal days scored {before}");
    assert!(v[5 * day as usize + 160].why & SEASONAL != 0);
}

#[test]
fn bad_values_are_not_learned_and_memory_is_bounded() {
    let mut d = Detector::default();
    for i in 0..100_000u64 {
        let x = if i % 97 == 0 {
            f64::NAN
        } else {
            noise(i) * 1e6
        };
        let v = d.update(i as i64 * 1000, x);
        assert!((0.0..=1.0).contains(&v.score), "{v:?}");
    }
    assert!(d.update(100_000_000, f64::INFINITY).score == 0.0);
    // Sampled every second, a day and a week are kept in slots of several samples (their
    // mean, lowest and highest).
    assert!(d.memory() < 6144 + 2 * season::SLOTS * 12, "{}", d.memory());
    let mut daily = Detector::default();
    for i in 0..100 {
        daily.update(i * 60_000, 1.0);
    }
    assert!(daily.memory() < 4096 + 2 * season::MAX_PERIOD * 4);
}

#[test]
fn forecasts_follow_a_trend_and_find_its_crossing() {
    let mut d = Detector::default();
    for i in 0..2000i64 {
        d.update(i * 5 * MIN, 10.0 + 0.01 * i as f64 + 0.05 * noise(i as u64));
    }
    // Next: i = 2000 → 30.0; an hour (12 samples) ahead: 30.11.
    let (f, sd) = d.forecast(12);
    assert!((f - 30.11).abs() < 0.2, "forecast {f} ± {sd}");
    // 40 is reached at i = 3000: 1000 samples of 5 minutes from the next one.
    let c = d.crossing(40.0, true, 10 * 86_400_000).expect("it crosses");
    let truth = 999 * 5 * MIN + 5 * MIN;
    assert!(
        ((c.in_ms - truth) as f64).abs() < 0.05 * truth as f64,
        "{c:?} vs {truth}"
    );
    assert!(c.earliest_ms <= c.in_ms && c.latest_ms.is_none_or(|l| l >= c.in_ms));
    assert!(
        d.crossing(5.0, false, 86_400_000).is_none(),
        "it does not fall to 5"
    );
}

/// A daily swing of ±20 around 50 sampled every `every` ms: six hours ahead the forecast is
/// a quarter turn on, and the swing is not taken for a trend that reaches 80.
fn daily_swing(every: i64) {
    let day = 1440 * MIN / every;
    let at = |i: i64| {
        let phase = (i % day) as f64 / day as f64 * std::f64::consts::TAU;
        50.0 + 20.0 * phase.sin() + 0.2 * noise(i as u64)
    };
    let mut d = Detector::default();
    for i in 0..5 * day {
        d.update(i * every, at(i));
    }
    let next = 5 * day;
    let h = 360 * MIN / every;
    let (f, _) = d.forecast(h as usize);
    assert!(
        (f - at(next + h - 1)).abs() < 3.0,
        "{f} vs {}",
        at(next + h - 1)
    );
    assert!(d.crossing(80.0, true, 3 * 86_400_000).is_none());
}

#[test]
fn forecasts_follow_a_daily_swing_and_a_swing_is_not_a_trend() {
    daily_swing(5 * MIN);
}

#[test]
fn sampled_every_ten_seconds_forecasts_still_follow_the_daily_swing() {
    daily_swing(10_000);
}

#[test]
fn a_lasting_step_is_named_by_the_shift_and_chart_members() {
    // Noise of ±1, then from 2000 on a step of 4 that stays: no single value is far off.
    let v = run(
        (0..2400).map(|i| 50.0 + noise(i) + if i >= 2000 { 4.0 } else { 0.0 }),
        MIN,
    );
    let why = (2000..2030).fold(0, |w, i| w | v[i].why);
    assert!(why & (SHIFT | EWMA) != 0, "{:?}", reasons(why));
    let quiet = (600..2000).fold(0, |w, i| w | v[i].why);
    assert!(quiet & (SHIFT | EWMA) == 0, "{:?}", reasons(quiet));
    assert!(reasons(SHIFT | POINT) == ["level", "level shift"]);
}

/// Noise of ±1 around 10, sampled every `every` ms from noon on; each night at 02:00 (up to
/// a quarter of an hour early or late) a backup runs the value up to 80 for a quarter of an
/// hour. On day 6 a spike to 100 at noon. The first night's spike is news, the next five are
/// not, the noon spike is.
fn nightly_backup(every: i64) {
    let day = (1440 * MIN / every) as u64;
    // Half a day learned before the first night.
    let start = day / 2;
    let day_of = |i: u64| (start + i) / day;
    let minute = |i: u64| ((start + i) % day) as i64 * every / MIN;
    let noon = 6 * day;
    let at = |i: u64| {
        let jitter = [0, 10, 5, 15, 0, 10, 5, 15][day_of(i) as usize % 8];
        let night = (120 + jitter..135 + jitter).contains(&minute(i));
        10.0 + noise(i)
            + if night {
                70.0
            } else if i == noon {
                90.0
            } else {
                0.0
            }
    };
    let v = run((0..noon + day / 4).map(at), every);
    let night = |d: u64| {
        (0..v.len() as u64)
            .filter(|i| day_of(*i) == d && (100..160).contains(&minute(*i)))
            .map(|i| v[i as usize].score)
            .fold(0.0, f64::max)
    };
    assert!(
        night(1) > 0.9,
        "the first night's spike is news: {}",
        night(1)
    );
    // (The EWMA chart, which the spike pulled up, may still find the return odd.)
    for d in 2..7 {
        assert!(night(d) < UNUSUAL, "night {d} scored {}", night(d));
    }
    let noon = v[noon as usize];
    assert!(noon.score > 0.6 && noon.why & POINT != 0, "{noon:?}");
}

#[test]
fn a_nightly_spike_is_news_once_and_a_spike_at_another_hour_still_is() {
    nightly_backup(5 * MIN);
}

#[test]
fn sampled_every_second_the_nightly_backup_is_still_its_habit() {
    // A day is 86,400 samples here: the seasons keep it in 720 slots of 2 minutes.
    nightly_backup(1000);
}

/// Every 5 minutes for 30 days: a daily swing with noise that repeats each day (every day's
/// mean is the same), plus `drift` a day; on day 25 each value `lift` higher.
fn busier_day(lift: f64, drift: f64) -> Vec<Verdict> {
    let every = 5 * MIN;
    let day = DAY_MS as u64 / every as u64;
    run(
        (0..30 * day).map(|i| {
            let t = (i % day) as f64 / day as f64;
            let busier = (25 * day..26 * day).contains(&i);
            50.0 + 20.0 * (t * std::f64::consts::TAU).sin()
                + 3.0 * noise(i % day)
                + drift * i as f64 / day as f64
                + if busier { lift } else { 0.0 }
        }),
        every,
    )
}

#[test]
fn a_day_busier_than_any_before_is_news_though_no_sample_is_and_a_trend_is_not() {
    let records = |v: &[Verdict]| {
        v.iter()
            .enumerate()
            .filter(|(_, v)| v.why & DAY_MEAN != 0)
            .map(|(i, v)| (i / 288, v.score))
            .collect::<Vec<_>>()
    };
    let busier = busier_day(2.0, 0.0);
    let found = records(&busier);
    // A record 25 days after the last new high (the first day): 1 − 4/25.
    assert!(
        found.len() == 1 && found[0].0 == 25 && found[0].1 > 0.8,
        "{found:?}"
    );
    // No sample of that day is unusual by itself.
    let most = (25 * 288..26 * 288)
        .map(|i| busier[i].score)
        .filter(|s| *s < found[0].1)
        .fold(0.0, f64::max);
    assert!(most < 0.5, "{most}");
    // A series that grows a little every day sets a record all the time: none is news.
    let trend = busier_day(0.0, 0.5);
    assert!(records(&trend).is_empty(), "{:?}", records(&trend));
}

/// A synthetic case's scores through the default detector.
fn case_scores(name: &str) -> (synthetic::Case, Vec<f64>) {
    let c = synthetic::cases()
        .into_iter()
        .find(|c| c.name == name)
        .expect("a synthetic case");
    let mut d = Detector::default();
    let scores = (c.times.iter().zip(&c.values))
        .map(|(t, x)| d.update(*t, *x).score)
        .collect();
    (c, scores)
}

#[test]
fn a_quiet_series_sampled_every_second_lists_nothing_at_the_shipped_line() {
    let line = WatchSettings::default().score;
    let (c, scores) = case_scores("daily_1s_quiet");
    let j = synthetic::judge(&c, &scores, line);
    assert_eq!(j.false_, 0, "36 hours of noise around a daily cycle");
}

#[test]
fn a_weekly_cycle_is_learned_and_its_mondays_are_not_news_every_week() {
    // Every 30 minutes: busy weekdays, light weekends; Monday noon is far above Sunday noon
    // (what a day ago says) and like last Monday (what a week ago says).
    let line = WatchSettings::default().score;
    let (c, scores) = case_scores("weekly_30m");
    let monday_noons: Vec<usize> = (3..10)
        .flat_map(|week| (20..32).map(move |half_hour| week * 336 + half_hour))
        .collect();
    let flagged: Vec<usize> = (monday_noons.iter().copied())
        .filter(|i| scores[*i] >= line)
        .collect();
    assert!(flagged.is_empty(), "Mondays flagged: {flagged:?}");
    // A Saturday as busy as the Friday before it breaks the week, not the day.
    let (from, to) = c.windows[0];
    let saturday = (c.times.iter().zip(&scores))
        .filter(|(t, _)| (from..=to).contains(*t))
        .map(|(_, s)| *s)
        .fold(0.0, f64::max);
    assert!(saturday >= line, "the busy Saturday scored {saturday}");
}

#[test]
fn a_spike_that_recurs_without_a_period_becomes_the_series_habit() {
    // Every 5 minutes for 60 days, spikes to the same maximum every 2–5 days.
    let line = WatchSettings::default().score;
    let (c, scores) = case_scores("aperiodic_spikes_5m_level_shift");
    let flagged_before = |day: usize| {
        (scores[..day * 288].iter().enumerate())
            .filter(|(i, s)| {
                **s >= line && !c.windows.iter().any(|w| (w.0..=w.1).contains(&c.times[*i]))
            })
            .count()
    };
    assert!(flagged_before(10) >= 2, "the first spikes are news");
    let later = flagged_before(55) - flagged_before(35);
    assert_eq!(
        later, 0,
        "spikes after day 35 (reached on eight days before)"
    );
}

#[test]
fn the_same_anomaly_again_hours_later_is_news_again() {
    // Every minute: a bump of 12 σ for 10 minutes, and the same bump 5 hours later.
    let line = WatchSettings::default().score;
    let (c, scores) = case_scores("repeat_1m");
    let j = synthetic::judge(&c, &scores, line);
    assert_eq!((j.caught, j.missed), (2, 0), "{j:?}");
}
