//! What the NAB figures mean out of sample and at the shipped threshold: each category scored
//! at the threshold the other categories want (leave-one-category-out), the corpus at the
//! threshold montui ships, and the synthetic cases (`montui::detect::synthetic`) at it.

use montui::detect::Detector;
use montui::detect::synthetic::{self, Judged};

use super::score::{self, PROFILES, Scored};

/// The standard profile's figures beside the in-sample one.
pub struct Figures {
    /// Every category at the threshold chosen on the other four, pooled like the corpus score.
    pub loco: f64,
    /// The corpus at the shipped threshold.
    pub shipped: f64,
}

/// `keys[i]` is `files[i]`'s `<category>/<file>`.
pub fn figures(keys: &[String], files: &[Scored], shipped: f64, print: bool) -> Figures {
    let p = &PROFILES[0];
    let all = score::score(files, p);
    let category = |k: &String| k.split('/').next().unwrap_or_default().to_string();
    let mut cats: Vec<String> = keys.iter().map(category).collect();
    cats.dedup();
    let (mut raw, mut windows) = (0.0, 0);
    for c in &cats {
        let (inside, rest): (Vec<_>, Vec<_>) =
            keys.iter().zip(files).partition(|(k, _)| category(k) == *c);
        let inside: Vec<Scored> = inside.into_iter().map(|(_, f)| f.clone()).collect();
        let rest: Vec<Scored> = rest.into_iter().map(|(_, f)| f.clone()).collect();
        let wanted = score::score(&rest, p).threshold;
        let out = score::at(&inside, p, wanted);
        let own = score::at(&inside, p, all.threshold);
        if !print {
            raw += out.raw;
            windows += out.windows;
            continue;
        }
        println!(
            "    {c:<24} left out: {:6.2} at {:.4} (the others' choice); in sample {:6.2} at {:.4}",
            out.normalised, wanted, own.normalised, all.threshold
        );
        raw += out.raw;
        windows += out.windows;
    }
    Figures {
        loco: score::normalise(p, raw, windows),
        shipped: score::at(files, p, shipped).normalised,
    }
}

/// Every synthetic case through the detector `make` gives, judged at `threshold`; with
/// `print`, each and the `synthetic:` line; the totals.
pub fn synthetic(make: &dyn Fn() -> Detector, threshold: f64, print: bool) -> Judged {
    let cases = synthetic::cases();
    let mut total = Judged::default();
    for c in &cases {
        let mut d = make();
        let scores: Vec<f64> = c
            .times
            .iter()
            .zip(&c.values)
            .map(|(t, x)| d.update(*t, *x).score)
            .collect();
        let j = synthetic::judge(c, &scores, threshold);
        total.caught += j.caught;
        total.missed += j.missed;
        total.false_ += j.false_;
        if !print {
            continue;
        }
        println!(
            "    {:<34} caught {} of {}, false {}",
            c.name,
            j.caught,
            c.windows.len(),
            j.false_
        );
    }
    if !print {
        return total;
    }
    println!(
        "synthetic: cases={} anomalies={} caught={} false={} threshold={threshold}",
        cases.len(),
        total.caught + total.missed,
        total.caught,
        total.false_
    );
    total
}
