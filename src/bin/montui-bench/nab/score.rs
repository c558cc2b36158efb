//! The NAB scoring rules (Numenta Anomaly Benchmark v1.1, restated in
//! ../shared/bench-data/README.md), written here: probation, windows, the scaled sigmoid,
//! one threshold per profile swept over the whole corpus, and normalisation between the null
//! detector (every window missed) and the perfect one (every window caught at its left edge).

/// Costs of one profile.
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    pub name: &'static str,
    pub tp: f64,
    pub fp: f64,
    pub fn_: f64,
}

pub const PROFILES: [Profile; 3] = [
    Profile {
        name: "standard",
        tp: 1.0,
        fp: 0.11,
        fn_: 1.0,
    },
    Profile {
        name: "low_fp",
        tp: 1.0,
        fp: 0.22,
        fn_: 1.0,
    },
    Profile {
        name: "low_fn",
        tp: 1.0,
        fp: 0.11,
        fn_: 2.0,
    },
];

/// One file: its row times, the detector's scores, its labelled windows (inclusive times).
#[derive(Debug, Clone, Default)]
pub struct Scored {
    pub times: Vec<i64>,
    pub scores: Vec<f64>,
    pub windows: Vec<(i64, i64)>,
}

/// A scorable row: its anomaly score, what it is worth when detected, its window.
#[derive(Debug, Clone, Copy)]
struct Point {
    score: f64,
    worth: f64,
    window: Option<usize>,
}

/// 2/(1+e^{5x}) − 1, and −1 from 3 window widths past a window on.
fn sigmoid(x: f64) -> f64 {
    if x >= 3.0 {
        -1.0
    } else {
        2.0 / (1.0 + (5.0 * x).exp()) - 1.0
    }
}

/// Rows not scored at a file's start: min(⌊0.15·n⌋, 750).
pub fn probation(n: usize) -> usize {
    (n * 15 / 100).min(750)
}

/// The file's scorable rows; windows are numbered from `first`.
fn points(f: &Scored, p: &Profile, first: usize, out: &mut Vec<Point>) {
    let skip = probation(f.times.len());
    let max_tp = sigmoid(-1.0);
    let mut next = 0;
    // (window number, right index, width) while inside one.
    let mut cur: Option<(usize, usize, f64)> = None;
    let mut prev: Option<(usize, f64)> = None;
    for (i, (&t, &score)) in f.times.iter().zip(&f.scores).enumerate() {
        if cur.is_none()
            && let Some(&(start, end)) = f.windows.get(next)
            && t >= start
        {
            let right = (i..f.times.len())
                .take_while(|&k| f.times[k] <= end)
                .last()
                .unwrap_or(i);
            cur = Some((first + next, right, (right - i + 1) as f64));
            next += 1;
        }
        let (worth, window) = match cur {
            Some((w, right, width)) => {
                let pos = -((right - i + 1) as f64) / width;
                (sigmoid(pos) * p.tp / max_tp, Some(w))
            }
            None => {
                let pos = prev.map_or(3.0, |(r, width)| (i - r) as f64 / (width - 1.0));
                (sigmoid(pos) * p.fp, None)
            }
        };
        if i >= skip {
            out.push(Point {
                score,
                worth,
                window,
            });
        }
        if let Some((_, right, width)) = cur
            && i == right
        {
            prev = Some((right, width));
            cur = None;
        }
    }
}

/// One profile over the corpus: the best threshold, the raw score there, the windows that
/// count (those with scorable rows), and the normalised score.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    pub threshold: f64,
    pub raw: f64,
    pub windows: usize,
    pub normalised: f64,
}

/// Every file's scorable rows, windows numbered across the files, and each window's part
/// of the raw score with none detected (−fn; NaN for a window with no scorable row).
fn corpus(files: &[Scored], p: &Profile) -> (Vec<Point>, Vec<f64>, usize) {
    let mut pts = Vec::new();
    let mut first = 0;
    for f in files {
        points(f, p, first, &mut pts);
        first += f.windows.len();
    }
    let mut part = vec![f64::NAN; first];
    for w in pts.iter().filter_map(|x| x.window) {
        part[w] = -p.fn_;
    }
    let windows = part.iter().filter(|v| !v.is_nan()).count();
    (pts, part, windows)
}

pub fn score(files: &[Scored], p: &Profile) -> Outcome {
    // Every window missed to start with (threshold above every score).
    let (mut pts, mut part, windows) = corpus(files, p);
    let mut total = -p.fn_ * windows as f64;
    let (mut best, mut threshold) = (total, 1.1);
    pts.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut i = 0;
    while i < pts.len() {
        let s = pts[i].score;
        while i < pts.len() && pts[i].score == s {
            let x = pts[i];
            match x.window {
                Some(w) if x.worth > part[w] => {
                    total += x.worth - part[w];
                    part[w] = x.worth;
                }
                Some(_) => {}
                None => total += x.worth,
            }
            i += 1;
        }
        if total > best {
            (best, threshold) = (total, s);
        }
    }
    Outcome {
        threshold,
        raw: best,
        windows,
        normalised: normalise(p, best, windows),
    }
}

/// `files` scored at `threshold` (normalised 0 where they have no window).
pub fn at(files: &[Scored], p: &Profile, threshold: f64) -> Outcome {
    let (pts, mut part, windows) = corpus(files, p);
    let mut raw = 0.0;
    for x in pts.iter().filter(|x| x.score >= threshold) {
        match x.window {
            Some(w) => part[w] = part[w].max(x.worth),
            None => raw += x.worth,
        }
    }
    raw += part.iter().filter(|v| !v.is_nan()).sum::<f64>();
    Outcome {
        threshold,
        raw,
        windows,
        normalised: normalise(p, raw, windows),
    }
}

/// 100 for every window caught at its left edge and nothing else, 0 for nothing detected.
pub fn normalise(p: &Profile, raw: f64, windows: usize) -> f64 {
    let (null, perfect) = (-p.fn_ * windows as f64, p.tp * windows as f64);
    if perfect > null {
        100.0 * (raw - null) / (perfect - null)
    } else {
        0.0
    }
}

/// One file at `threshold`: windows caught, windows missed, detections outside windows.
pub fn detail(f: &Scored, p: &Profile, threshold: f64) -> (usize, usize, usize) {
    let mut pts = Vec::new();
    points(f, p, 0, &mut pts);
    let mut hit = vec![false; f.windows.len()];
    let mut seen = vec![false; f.windows.len()];
    let mut fps = 0;
    for x in &pts {
        match x.window {
            Some(w) => {
                seen[w] = true;
                hit[w] |= x.score >= threshold;
            }
            None => fps += usize::from(x.score >= threshold),
        }
    }
    let caught = hit.iter().filter(|h| **h).count();
    (caught, seen.iter().filter(|s| **s).count() - caught, fps)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 100 rows one minute apart with one window over rows 50..=59.
    fn file(scores: impl Fn(usize) -> f64) -> Scored {
        Scored {
            times: (0..100).map(|i| i * 60).collect(),
            scores: (0..100).map(scores).collect(),
            windows: vec![(50 * 60, 59 * 60)],
        }
    }

    #[test]
    fn a_perfect_detector_scores_100_and_the_null_one_0() {
        let files = [
            file(|i| f64::from(u8::from(i == 50))),
            file(|i| f64::from(u8::from(i == 50))),
        ];
        for p in &PROFILES {
            let o = score(&files, p);
            assert!((o.normalised - 100.0).abs() < 1e-9, "{} {o:?}", p.name);
            let null = score(&[file(|_| 0.5), file(|_| 0.5)], p);
            assert!(null.normalised.abs() < 1e-9, "{} {null:?}", p.name);
        }
    }

    #[test]
    fn late_detections_and_false_positives_cost_what_the_rules_say() {
        // Detected at row 55 (position −(59−55+1)/10 = −0.5), and a false positive at row 70,
        // (70−59)/(10−1) widths past the window; one in probation (row 3) does not count.
        let f = file(|i| f64::from(u8::from([3, 55, 70].contains(&i))));
        let s = |x: f64| 2.0 / (1.0 + (5.0 * x).exp()) - 1.0;
        let tp = s(-0.5) / s(-1.0);
        let fp = s(11.0 / 9.0);
        let o = score(std::slice::from_ref(&f), &PROFILES[0]);
        let raw = tp + 0.11 * fp;
        assert!((o.raw - raw).abs() < 1e-12, "{o:?} vs {raw}");
        assert!((o.normalised - 100.0 * (raw + 1.0) / 2.0).abs() < 1e-9);
        // A false positive before any window costs the whole fp weight; low-FN doubles misses.
        let early = file(|i| f64::from(u8::from(i == 20)));
        let o = score(&[early], &PROFILES[2]);
        assert_eq!(o.threshold, 1.1, "detecting nothing is better");
        assert!((o.raw + 2.0).abs() < 1e-12 && o.normalised.abs() < 1e-12);
        // Only the earliest detection in a window counts.
        let twice = file(|i| f64::from(u8::from(i == 52 || i == 58)));
        let o = score(&[twice], &PROFILES[0]);
        assert!((o.raw - s(-0.8) / s(-1.0)).abs() < 1e-12, "{o:?}");
    }

    #[test]
    fn the_score_at_the_best_threshold_is_the_best_score() {
        let files = [
            file(|i| [0.2, 0.9, 0.5][i % 3] * f64::from(u8::from(i > 40))),
            file(|i| if i == 56 { 0.7 } else { 0.1 }),
        ];
        for p in &PROFILES {
            let o = score(&files, p);
            assert!((at(&files, p, o.threshold).normalised - o.normalised).abs() < 1e-9);
            assert!(at(&files, p, 0.6).normalised <= o.normalised + 1e-9);
        }
    }

    #[test]
    fn windows_in_probation_do_not_count() {
        let mut f = file(|_| 0.0);
        f.windows = vec![(5 * 60, 8 * 60), (50 * 60, 59 * 60)];
        let o = score(&[f], &PROFILES[0]);
        assert_eq!(o.windows, 1);
    }
}
