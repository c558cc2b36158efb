//! The log families' metrics for the alert rules, bounded however many patterns there are:
//! each series is state in the rules (a learned threshold, maybe an alert), so a flood of new
//! patterns must not become a flood of series.

use std::collections::HashMap;
use std::sync::Arc;

use super::super::board::{NEW_FOR_MS, top_level};
use super::super::level::Level;
use super::super::miner::PatternId;
use super::super::stat::Stat;
use super::Patterns;
use crate::model::Metric;

/// Patterns whose lines per minute the rules see, at most: the busiest of the last minute.
pub const RATE_SERIES: usize = 200;
/// New error patterns of one source alerted one by one; past these, one series per source
/// (`FLOOD_PATTERN`) counts the rest.
pub const NEW_ONE_BY_ONE: usize = 10;
/// Minutes a pattern is new for.
const NEW_MINUTES: usize = (NEW_FOR_MS / 60_000) as usize;
/// The pattern label of the series that counts a source's new error patterns past the first.
pub const FLOOD_PATTERN: &str =
    "more new error patterns (the first 10 alert one by one; the value counts the rest)";

impl Patterns {
    /// The log families' metrics as of `now_ms`: lines per minute of the `RATE_SERIES`
    /// busiest patterns seen in the last ten minutes, new patterns at error or above (per
    /// source the first `NEW_ONE_BY_ONE`, then one series counting the rest), and known
    /// critical troubles with lines in the last minute (the busiest `RATE_SERIES`).
    pub fn metrics(&self, now_ms: i64) -> Vec<Metric> {
        let recent: Vec<(f64, PatternId, &Stat)> = (self.stats.iter())
            .filter(|(_, st)| now_ms - st.last_ms <= NEW_FOR_MS)
            .map(|(id, st)| (rate(st, now_ms), *id, st))
            .collect();
        let mut out = Vec::new();
        for (rate, id, st) in busiest(recent.clone()) {
            out.push(self.metric(id, st, "log_pattern_lines_per_minute", rate));
        }
        let trouble = (recent.iter().copied())
            .filter(|(rate, _, st)| {
                *rate > 0.0 && st.known.is_some_and(|k| k.severity == Level::Critical)
            })
            .collect();
        for (rate, id, st) in busiest(trouble) {
            out.push(self.metric(id, st, "log_known_trouble_lines_per_minute", rate));
        }
        let mut new: HashMap<&Arc<str>, Vec<(PatternId, &Stat)>> = HashMap::new();
        for (_, id, st) in &recent {
            if top_level(&st.levels, st.known) >= Some(Level::Error)
                && now_ms - st.first_ms < NEW_FOR_MS
            {
                new.entry(&st.source).or_default().push((*id, st));
            }
        }
        for (source, mut v) in new {
            v.sort_by_key(|(id, st)| (st.first_ms, st.uid, *id));
            v.truncate(NEW_ONE_BY_ONE);
            for (id, st) in &v {
                out.push(self.metric(*id, st, "log_new_error_pattern", 1.0));
            }
            // Counted as they came: most of a flood's patterns are long evicted.
            let minute = now_ms.div_euclid(60_000);
            let came: u32 = (self.new_errors.get(source))
                .map(|r| r.at(minute).iter().rev().take(NEW_MINUTES).sum())
                .unwrap_or(0);
            if came as usize > NEW_ONE_BY_ONE {
                let rest = f64::from(came) - v.len() as f64;
                let labels = vec![
                    ("level", Level::Error.name().to_string()),
                    ("pattern", FLOOD_PATTERN.to_string()),
                    ("source", source.to_string()),
                ];
                out.push(Metric::new("log_new_error_pattern", labels, rest));
            }
        }
        out
    }
}

/// The `RATE_SERIES` busiest; among equals the oldest, so the set is steady.
fn busiest(mut v: Vec<(f64, PatternId, &Stat)>) -> Vec<(f64, PatternId, &Stat)> {
    v.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.first_ms.cmp(&b.2.first_ms)));
    v.truncate(RATE_SERIES);
    v
}

impl Patterns {
    fn metric(&self, id: PatternId, st: &Stat, name: &'static str, value: f64) -> Metric {
        let text = self.miner.text(id).unwrap_or_default();
        let level = top_level(&st.levels, st.known);
        let mut labels = vec![
            (
                "example",
                st.examples.first().map(|e| cap(e)).unwrap_or_default(),
            ),
            (
                "known",
                st.known.map(|k| k.name.to_string()).unwrap_or_default(),
            ),
            (
                "level",
                level.map(|l| l.name().to_string()).unwrap_or_default(),
            ),
            ("pattern", cap(&text)),
            ("source", st.source.to_string()),
        ];
        labels.retain(|(_, v)| !v.is_empty());
        Metric::new(name, labels, value)
    }
}

/// Lines in the last minute.
fn rate(st: &Stat, now_ms: i64) -> f64 {
    (st.seconds.at(now_ms.div_euclid(1000)).iter())
        .map(|c| f64::from(*c))
        .sum()
}

/// A label value of reasonable length (templates and lines can be long).
fn cap(s: &str) -> String {
    match s.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}
