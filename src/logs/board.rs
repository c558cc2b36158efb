//! What the UI is given of the log patterns: one row per pattern, and the board of them, live
//! or rebuilt from the recording at a replayed time.

use std::collections::HashMap;
use std::sync::Arc;

use super::builtin::{self, Known};
use super::level::Level;
use super::miner::PatternId;
use super::saved::SavedPattern;
use super::stat::SPARK_SECS;

/// A pattern first seen this recently is new.
pub const NEW_FOR_MS: i64 = 10 * 60_000;

/// One pattern as the UI sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternRow {
    pub id: PatternId,
    pub text: String,
    pub source: Arc<str>,
    /// The most severe level its lines had, or its known trouble's severity if higher.
    pub level: Option<Level>,
    /// Lines per level (levels seen only).
    pub levels: Vec<(Level, u64)>,
    /// The known trouble it is (`oom_killer`, `http_5xx`…).
    pub known: Option<&'static str>,
    pub count: u64,
    /// Lines in the last minute.
    pub per_minute: u64,
    /// Lines in each of the last `SPARK_SECS` seconds (in replay: minutes), oldest first.
    pub spark: Vec<u32>,
    /// Lines in each of the last 60 minutes, oldest first.
    pub hour: Vec<u32>,
    pub first_ms: i64,
    pub last_ms: i64,
    pub examples: Vec<String>,
}

impl PatternRow {
    /// Lines per minute over the last minute.
    pub fn rate(&self) -> u64 {
        self.per_minute
    }

    pub fn is_new(&self, now_ms: i64) -> bool {
        now_ms - self.first_ms < NEW_FOR_MS
    }
}

/// Everything the pane draws.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogBoard {
    pub rows: Vec<PatternRow>,
    pub lines: u64,
    /// Sources that cannot be read, and why.
    pub problems: Vec<(Arc<str>, String)>,
    /// The last lines of each source as read (the raw-tail view), oldest first.
    pub tails: Vec<(Arc<str>, Vec<String>)>,
    pub at_ms: i64,
    /// Rebuilt from the recording: the sparklines are per minute over the last hour.
    pub recorded: bool,
}

/// Dormant rows' ids in the board, apart from the miner's.
pub const DORMANT_ID: PatternId = 1 << 31;

/// The patterns as recorded at `t`: `saved` as stored now, `counts` per uid (lines up to `t`,
/// last minute with lines), `minutes` (uid, minute, lines) of the hour before `t`. Levels and
/// examples are those stored (the latest).
pub fn board_at(
    saved: &[SavedPattern],
    counts: &HashMap<u64, (u64, i64)>,
    minutes: &[(u64, i64, u32)],
    t: i64,
) -> LogBoard {
    let minute = t - t.rem_euclid(60_000);
    let classifier = builtin::Classifier::default();
    let mut by_uid: HashMap<u64, Vec<(i64, u32)>> = HashMap::new();
    for (u, m, n) in minutes {
        by_uid.entry(*u).or_default().push((*m, *n));
    }
    let rows = saved
        .iter()
        .filter(|s| s.first_ms <= t)
        .filter_map(|s| {
            let (count, last) = *counts.get(&s.uid)?;
            let mut spark = vec![0; SPARK_SECS];
            for (m, n) in by_uid.get(&s.uid).into_iter().flatten() {
                let back = (minute - m) / 60_000;
                if (0..SPARK_SECS as i64).contains(&back) {
                    spark[SPARK_SECS - 1 - back as usize] += n;
                }
            }
            let known = classifier.classify(&s.template);
            let id = DORMANT_ID | (s.uid as PatternId & !DORMANT_ID);
            let mut r = row(
                id,
                s.template.clone(),
                s.source.as_str().into(),
                known,
                &s.levels,
                count,
                spark,
                (s.first_ms, last.max(s.first_ms)),
                &s.examples,
            );
            r.per_minute = r.spark.last().map_or(0, |n| u64::from(*n));
            r.hour = r.spark.clone();
            Some(r)
        })
        .collect();
    LogBoard {
        rows,
        at_ms: t,
        recorded: true,
        ..Default::default()
    }
}

#[allow(clippy::too_many_arguments)]
pub fn row(
    id: PatternId,
    text: String,
    source: Arc<str>,
    known: Option<Known>,
    levels: &[u64; Level::ALL.len()],
    count: u64,
    spark: Vec<u32>,
    (first_ms, last_ms): (i64, i64),
    examples: &[String],
) -> PatternRow {
    PatternRow {
        id,
        text,
        source,
        level: top_level(levels, known),
        levels: Level::ALL
            .iter()
            .map(|l| (*l, levels[*l as usize]))
            .filter(|(_, n)| *n > 0)
            .collect(),
        known: known.map(|k| k.name),
        count,
        per_minute: spark.iter().map(|c| u64::from(*c)).sum(),
        hour: Vec::new(),
        spark,
        first_ms,
        last_ms,
        examples: examples.to_vec(),
    }
}

/// The most severe level a pattern's lines had, or its known trouble's severity if higher.
pub fn top_level(levels: &[u64; Level::ALL.len()], known: Option<Known>) -> Option<Level> {
    Level::ALL
        .iter()
        .rev()
        .find(|l| levels[**l as usize] > 0)
        .copied()
        .max(known.map(|k| k.severity))
}
