//! The Metrics pane's rows: the scraped series of the host on screen, by name, filtered.

use super::history::Ring;
use super::lists::filter_words;
use super::state::State;

/// A series listed: `name{label="value"}`, its value now, its values per scrape (charted
/// series only).
#[derive(Debug, Clone, PartialEq)]
pub struct MetricRow<'a> {
    pub key: &'a str,
    pub value: f64,
    pub ring: Option<&'a Ring>,
}

impl State {
    /// The series of the host on screen whose name or labels hold every word of the
    /// filter, by name (the names as the history worked them out for this scrape).
    pub fn metric_rows(&self) -> Vec<MetricRow<'_>> {
        let view = self.shown();
        let Some(snap) = &view.snapshot else {
            return Vec::new();
        };
        let h = &view.history;
        if h.series_at != snap.series_at || h.series_names.len() != snap.series.len() {
            return Vec::new();
        }
        let words = filter_words(self.metric_filter.as_deref());
        (h.series_names.iter())
            .filter(|(key, _)| {
                words.is_empty() || {
                    let key = key.to_lowercase();
                    words.iter().all(|w| key.contains(w.as_str()))
                }
            })
            .filter_map(|(key, i)| {
                Some(MetricRow {
                    key,
                    value: snap.series.get(*i)?.value,
                    ring: h.series.get(key),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::app::{Key, Mode, Pane, State, update};
    use crate::model::{Metric, Snapshot};

    fn with_series(s: &mut State, at: i64, v: f64) {
        let m = |name: &str, code: &str| Metric {
            name: name.to_string().into(),
            labels: vec![("code".into(), code.to_string())],
            value: v,
        };
        s.push_live(Snapshot {
            host: "h".into(),
            ts_ms: at,
            series: vec![
                m("http_requests_per_second", "500"),
                m("http_requests_per_second", "200"),
                m("queue_depth", ""),
            ],
            series_at: at,
            ..Default::default()
        });
    }

    #[test]
    fn the_pane_lists_the_hosts_series_by_name_and_slash_filters_them() {
        let mut s = State::new(Mode::Live, "h", 1000, 10);
        assert!(
            !s.panes_shown().contains(&Pane::Metrics),
            "no series, no pane"
        );
        with_series(&mut s, 1_000, 1.0);
        with_series(&mut s, 2_000, 2.0);
        assert!(s.panes_shown().contains(&Pane::Metrics));
        let keys: Vec<&str> = s.metric_rows().into_iter().map(|r| r.key).collect();
        assert_eq!(
            keys,
            [
                "http_requests_per_second{code=\"200\"}",
                "http_requests_per_second{code=\"500\"}",
                "queue_depth{code=\"\"}"
            ]
        );
        let ring = s.metric_rows()[0].ring.cloned().unwrap();
        assert_eq!(ring.into_iter().collect::<Vec<_>>(), [Some(1.0), Some(2.0)]);
        s.focus = Pane::Metrics;
        update(&mut s, Key::Char('/'));
        for c in "500".chars() {
            update(&mut s, Key::Char(c));
        }
        update(&mut s, Key::Enter);
        let keys: Vec<&str> = s.metric_rows().into_iter().map(|r| r.key).collect();
        assert_eq!(keys, ["http_requests_per_second{code=\"500\"}"]);
    }
}
