//! The log-pattern pane's order and filter.

use super::lists::filter_words;
use super::state::State;
use crate::logs::patterns::PatternRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternSort {
    /// Lines in the last minute.
    Rate,
    Count,
    /// Most severe first, then by rate.
    Severity,
}

impl PatternSort {
    pub fn next(self) -> Self {
        match self {
            PatternSort::Rate => PatternSort::Count,
            PatternSort::Count => PatternSort::Severity,
            PatternSort::Severity => PatternSort::Rate,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PatternSort::Rate => "rate",
            PatternSort::Count => "count",
            PatternSort::Severity => "severity",
        }
    }
}

impl State {
    /// The patterns listed: those matching the filter (words of the template, the source or
    /// the level), in the chosen order.
    pub fn pattern_rows(&self) -> Vec<&PatternRow> {
        let Some(board) = &self.logs else {
            return Vec::new();
        };
        let words = filter_words(self.pattern_filter.as_deref());
        let mut rows: Vec<&PatternRow> = board
            .rows
            .iter()
            .filter(|r| {
                let level = r.level.map_or("", |l| l.name());
                let text = format!("{} {} {level}", r.text, r.source).to_lowercase();
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .collect();
        let rate = |r: &PatternRow| std::cmp::Reverse(r.rate());
        rows.sort_by(|a, b| {
            match self.pattern_sort {
                PatternSort::Rate => rate(a).cmp(&rate(b)).then(b.count.cmp(&a.count)),
                PatternSort::Count => b.count.cmp(&a.count).then(rate(a).cmp(&rate(b))),
                PatternSort::Severity => b.level.cmp(&a.level).then(rate(a).cmp(&rate(b))),
            }
            .then(b.last_ms.cmp(&a.last_ms))
            .then(a.id.cmp(&b.id))
        });
        rows
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::app::{Key, Mode, Pane, State, update};
    use crate::logs::patterns::Patterns;

    #[test]
    fn o_orders_and_slash_filters_the_patterns() {
        let mut s = State::new(Mode::Live, "h", 1000, 10);
        let mut p = Patterns::default();
        let src: Arc<str> = "app".into();
        for i in 0..3 {
            p.add(&src, &format!("ERROR disk {i} failed"), 1_000);
        }
        for i in 0..5 {
            p.add(&src, &format!("INFO request {i} served"), 50_000 + i);
        }
        s.logs = Some(p.board(60_000));
        // Tab reaches the pane only because logs are followed.
        while s.focus != Pane::Patterns {
            update(&mut s, Key::Tab);
        }
        let first = |s: &State| s.pattern_rows()[0].text.clone();
        assert_eq!(first(&s), "request <*> served", "by rate");
        update(&mut s, Key::Char('o'));
        assert_eq!(first(&s), "request <*> served", "by count");
        update(&mut s, Key::Char('o'));
        assert_eq!(first(&s), "disk <*> failed", "by severity");
        update(&mut s, Key::Char('/'));
        for c in "served".chars() {
            update(&mut s, Key::Char(c));
        }
        update(&mut s, Key::Enter);
        assert_eq!(s.pattern_rows().len(), 1);
        assert_eq!(first(&s), "request <*> served");
        update(&mut s, Key::Enter);
        assert_eq!(s.pattern_open, Some(s.pattern_rows()[0].id));
        update(&mut s, Key::Esc);
        assert_eq!(s.pattern_open, None);
        update(&mut s, Key::Esc);
        assert_eq!(
            (s.pattern_filter.as_deref(), s.pattern_rows().len()),
            (None, 2)
        );
        update(&mut s, Key::Char('r'));
        assert_eq!(s.raw_tail.as_deref(), Some("app"));
        update(&mut s, Key::Char('r'));
        assert_eq!(s.raw_tail, None);
    }
}
