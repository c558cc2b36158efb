//! The anomaly watch: one detector per series of every host (its forecasts included), an
//! isolation forest per host over its vector of metrics, and the anomalies they find, one
//! per episode (from the sample whose score passes the line until the series is usual
//! again). The alert rules on forecasts and anomalies read the same detectors. No terminal
//! code; time is the samples'.

use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use super::iforest::Forest;
use super::{Detector, FOREST, Verdict, of_z};
use crate::model::Metric;

/// Anomalies kept for the pane (the store keeps them all).
const RECENT: usize = 500;
/// Scraped series watched per host, the first that come: a detector holds kilobytes, and an
/// exporter may bring 10,000 series (the rest are still recorded, charted and in rules).
pub const SCRAPED_WATCHED: usize = 1_000;
/// An episode ends once the series' score falls under this share of the line.
const END: f64 = 0.5;
/// Families that are sizes, not behaviour: not watched.
const SIZES: [&str; 4] = [
    "up",
    "memory_total_bytes",
    "swap_total_bytes",
    "filesystem_size_bytes",
];
/// A host's vector for its isolation forest: a family, or the sum of a labelled family.
const VECTOR: [(&str, &[&str]); 6] = [
    ("cpu", &["cpu_busy_percent"]),
    ("memory", &["memory_used_percent"]),
    ("swap", &["swap_used_percent"]),
    (
        "disk IO",
        &[
            "disk_read_bytes_per_second",
            "disk_written_bytes_per_second",
        ],
    ),
    (
        "network",
        &[
            "network_receive_bytes_per_second",
            "network_transmit_bytes_per_second",
        ],
    ),
    ("load", &["load1_per_core"]),
];

/// An unusual stretch of one series (or of a host's mix of metrics).
#[derive(Debug, Clone, PartialEq)]
pub struct Anomaly {
    pub host: String,
    /// `name{label="value",…}`, or `host mix: network` for the forest.
    pub series: String,
    pub started_ms: i64,
    /// When montui knew of it: a burst that had to last is known a few samples after it
    /// started (a replay lists it from then, as it stood).
    pub known_ms: i64,
    /// None while it lasts.
    pub ended_ms: Option<i64>,
    /// The highest score while it lasted, and the value, expectation and band then.
    pub score: f64,
    pub value: f64,
    pub expected: f64,
    pub low: f64,
    pub high: f64,
    /// The detectors that agreed (bits as in `Verdict::why`).
    pub why: u16,
}

/// How the watch judges the series of one metric family.
#[derive(Debug, Clone, PartialEq)]
pub struct Tuning {
    /// A glob on the family's name (`network_*`); the first that matches applies.
    pub metric: String,
    /// The score an anomaly starts from.
    pub score: Option<f64>,
    /// Detectors left out (bits as in `Verdict::why`).
    pub off: u16,
    /// Not listed (the detector still learns, for rules).
    pub ignore: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WatchSettings {
    /// The score an anomaly starts from.
    pub score: f64,
    pub tunings: Vec<Tuning>,
}

impl Default for WatchSettings {
    fn default() -> Self {
        WatchSettings {
            // Where NAB's standard profile wants the line on the shared files (0.166;
            // every category left out wants 0.166–0.167), rounded down.
            score: 0.15,
            tunings: Vec::new(),
        }
    }
}

/// What the Anomalies pane shows: the recent anomalies, and every series' forecast.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnomalyBoard {
    /// Oldest first.
    pub anomalies: Vec<Anomaly>,
    /// By host, then series.
    pub forecasts: Vec<ForecastRow>,
}

/// A series' forecast at the lead its errors are measured at, and how far off it has been.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastRow {
    pub host: String,
    pub series: String,
    pub value: f64,
    pub ahead_ms: i64,
    pub forecast: f64,
    /// sMAPE of its forecasts at that lead, 0…2.
    pub error: f64,
}

/// Rows of the forecast table at most.
const FORECAST_ROWS: usize = 2000;

/// One series' state.
#[derive(Debug, Clone)]
pub struct Tracked {
    pub host: String,
    pub series: String,
    pub detector: Detector,
    /// What it made of the last sample.
    pub verdict: Verdict,
    pub value: f64,
    /// The episode under way, if any.
    open: Option<Anomaly>,
    /// From the settings: its line, and whether it is listed.
    line: f64,
    listed: bool,
}

/// A host's forest and the usual size of its scores.
#[derive(Debug, Clone)]
struct Mix {
    forest: Forest,
    usual: super::Usual,
    lately: f64,
    open: Option<Anomaly>,
    /// Vectors its forest has scored (the mix counts from the `LEARN`th on, as a series does).
    learned: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Watch {
    settings: WatchSettings,
    series: FxHashMap<u64, Tracked>,
    /// host → scraped series watched.
    scraped: HashMap<String, usize>,
    mixes: HashMap<String, Mix>,
    /// Anomalies that started or ended lately, oldest first.
    pub recent: VecDeque<Anomaly>,
    /// Anomalies that started, grew or ended since `take_changed`.
    changed: Vec<Anomaly>,
}

fn hash_of(x: &impl Hash) -> u64 {
    let mut h = FxHasher::default();
    x.hash(&mut h);
    h.finish()
}

/// A series' key: its host, family and labels.
pub fn series_key(host: &str, m: &Metric) -> u64 {
    hash_of(&(host, m.name.as_ref(), &m.labels))
}

/// `name{label="value",…}`.
pub fn series_name(m: &Metric) -> String {
    if m.labels.is_empty() {
        return m.name.to_string();
    }
    let labels: Vec<String> = m.labels.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    format!("{}{{{}}}", m.name, labels.join(","))
}

/// Whether `glob` (`*` any run, `?` one character) matches all of `name`.
fn matches(glob: &str, name: &str) -> bool {
    glob::Pattern::new(glob).is_ok_and(|p| p.matches(name))
}

impl Watch {
    pub fn new(settings: WatchSettings) -> Self {
        Watch {
            settings,
            ..Default::default()
        }
    }

    /// A series' detector and its last verdict, once it has seen a sample.
    pub fn get(&self, key: u64) -> Option<&Tracked> {
        self.series.get(&key)
    }

    /// The anomalies that started, grew or ended since the last call (for the store).
    pub fn take_changed(&mut self) -> Vec<Anomaly> {
        std::mem::take(&mut self.changed)
    }

    /// Whether one more of `host`'s scraped series may be watched (said once when not).
    fn room_for_scraped(&mut self, host: &str) -> bool {
        let n = self.scraped.entry(host.to_string()).or_default();
        if *n < SCRAPED_WATCHED {
            *n += 1;
            return true;
        }
        if *n == SCRAPED_WATCHED {
            *n += 1;
            tracing::info!(
                "{host}: the anomaly watch follows the first {SCRAPED_WATCHED} scraped series; \
                 the others are recorded and alerted on, not watched"
            );
        }
        false
    }

    fn tracked_for(&mut self, key: u64, host: &str, m: &Metric) -> &mut Tracked {
        let settings = &self.settings;
        self.series.entry(key).or_insert_with(|| {
            let tuning = settings
                .tunings
                .iter()
                .find(|t| matches(&t.metric, &m.name));
            Tracked {
                host: host.to_string(),
                series: series_name(m),
                detector: Detector::without(tuning.map_or(0, |t| t.off)),
                verdict: Verdict::default(),
                value: f64::NAN,
                open: None,
                line: tuning.and_then(|t| t.score).unwrap_or(settings.score),
                listed: !tuning.is_some_and(|t| t.ignore),
            }
        })
    }

    /// A host's metrics at `now`: every series learns its value; with `record`, anomalies
    /// are found and kept (off while the recorded past is replayed at start-up). Scraped
    /// series (names of their own) learn only with `series_new`: a sample that repeats the
    /// last scrape is no new value of theirs.
    pub fn observe(&mut self, host: &str, now: i64, ms: &[Metric], record: bool, series_new: bool) {
        for m in ms {
            let scraped = matches!(m.name, crate::model::Name::Owned(_));
            if (scraped && !series_new)
                || SIZES.contains(&m.name.as_ref())
                || crate::model::is_log_family(&m.name)
            {
                continue;
            }
            let key = series_key(host, m);
            if scraped && !self.series.contains_key(&key) && !self.room_for_scraped(host) {
                continue;
            }
            let t = self.tracked_for(key, host, m);
            t.verdict = t.detector.update(now, m.value);
            t.value = m.value;
            if !(record && t.listed) {
                continue;
            }
            let (line, v, value) = (t.line, t.verdict, m.value);
            let name = || t.series.clone();
            if let Some(done) = episode(&mut t.open, host, name, now, line, v, value) {
                self.keep(done);
            }
        }
        self.observe_mix(host, now, ms, record);
    }

    /// The host's vector through its forest.
    fn observe_mix(&mut self, host: &str, now: i64, ms: &[Metric], record: bool) {
        let mut x = [0.0; VECTOR.len()];
        let mut found = 0;
        for m in ms {
            if let Some(i) = VECTOR
                .iter()
                .position(|(_, fs)| fs.contains(&m.name.as_ref()))
            {
                x[i] += m.value;
                found |= 1 << i;
            }
        }
        // The CPU and memory at least (a host that gives neither has no mix).
        if found & 0b11 != 0b11 {
            return;
        }
        let mix = self.mixes.entry(host.to_string()).or_insert_with(|| Mix {
            // A host's own seed: reproducible runs.
            forest: Forest::new(VECTOR.len(), hash_of(&host)),
            usual: super::Usual::default(),
            lately: 0.0,
            open: None,
            learned: 0,
        });
        let Some(iso) = mix.forest.push(&x) else {
            return;
        };
        // Scores near 0.5 are usual; how far above, in units of the host's usual distance.
        let unusual = of_z(mix.usual.calibrate((iso.score - 0.5).max(0.0)) * 3.0);
        let score = if unusual > mix.lately {
            unusual
        } else {
            unusual * super::REPEAT
        };
        mix.lately = (mix.lately * super::FADE).max(unusual);
        mix.learned += 1;
        if !record || mix.learned <= super::LEARN {
            return;
        }
        let v = Verdict {
            score,
            unusual,
            expected: 0.5,
            low: 0.0,
            high: 0.5,
            why: FOREST,
            since_ms: None,
        };
        let feature = VECTOR[iso.feature].0;
        let name = || format!("host mix: {feature}");
        let line = self.settings.score;
        if let Some(done) = episode(&mut mix.open, host, name, now, line, v, iso.score) {
            self.keep(done);
        }
    }

    /// The recent anomalies and every series' forecast at its lead.
    pub fn board(&self) -> AnomalyBoard {
        let mut forecasts: Vec<ForecastRow> = self
            .series
            .values()
            .filter_map(|t| {
                let (forecast, ahead_ms, error) = t.detector.outlook()?;
                Some(ForecastRow {
                    host: t.host.clone(),
                    series: t.series.clone(),
                    value: t.value,
                    ahead_ms,
                    forecast,
                    error,
                })
            })
            .collect();
        // Sorted before the cap, so the rows kept are the same from one board to the next.
        forecasts.sort_by(|a, b| (&a.host, &a.series).cmp(&(&b.host, &b.series)));
        forecasts.truncate(FORECAST_ROWS);
        AnomalyBoard {
            anomalies: self.recent.iter().cloned().collect(),
            forecasts,
        }
    }

    /// Keeps an anomaly that started, grew or ended.
    fn keep(&mut self, a: Anomaly) {
        match self
            .recent
            .iter_mut()
            .rev()
            .find(|r| r.host == a.host && r.series == a.series && r.started_ms == a.started_ms)
        {
            Some(r) => *r = a.clone(),
            None => {
                self.recent.push_back(a.clone());
                if self.recent.len() > RECENT {
                    self.recent.pop_front();
                }
            }
        }
        self.changed.push(a);
    }
}

/// An episode's next step: Some(anomaly) when it starts, grows or ends with this sample.
fn episode(
    open: &mut Option<Anomaly>,
    host: &str,
    name: impl FnOnce() -> String,
    now: i64,
    line: f64,
    v: Verdict,
    value: f64,
) -> Option<Anomaly> {
    match open {
        None if v.score >= line => {
            let a = Anomaly {
                host: host.to_string(),
                series: name(),
                // A burst that had to last is counted a few samples in, from its start and
                // with the score it had then.
                started_ms: v.since_ms.unwrap_or(now),
                known_ms: now,
                ended_ms: None,
                score: v.score.max(v.unusual),
                value,
                expected: v.expected,
                low: v.low,
                high: v.high,
                why: v.why,
            };
            *open = Some(a.clone());
            Some(a)
        }
        None => None,
        Some(a) if v.unusual < END * line => {
            a.ended_ms = Some(now);
            open.take()
        }
        Some(a) if v.unusual > a.score => {
            (a.score, a.value, a.expected, a.low, a.high) =
                (v.unusual, value, v.expected, v.low, v.high);
            a.why |= v.why;
            Some(a.clone())
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests;
