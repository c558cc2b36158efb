//! The Metrics pane: the series of scrapes of the host on screen, each with its values per
//! scrape as a sparkline and its value now (`/` filters by name or label).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::fmt::{List, block, draw_list};
use super::theme::Theme;
use crate::app::{MetricRow, Pane, State};

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

pub fn render(f: &mut Frame, area: Rect, s: &State, t: &Theme) {
    let rows = s.metric_rows();
    let all = (s.shown().snapshot.as_ref()).map_or(0, |x| x.series.len());
    let mut title = format!(" Metrics  {all} series · / filters ");
    if let Some(words) = &s.metric_filter {
        title = format!(" Metrics /{words} · {} of {all} ", rows.len());
    }
    let b = block(&title, Pane::Metrics, s, t);
    if rows.is_empty() {
        let text = if all == 0 {
            "no scraped series on this host"
        } else {
            "no series match the filter"
        };
        f.render_widget(Paragraph::new(text).style(t.dim).block(b), area);
        return;
    }
    // The chart only where the names keep room.
    let spark_w = match area.width {
        100.. => 24,
        50.. => 12,
        _ => 0,
    };
    let mut widths = vec![Constraint::Fill(1)];
    let mut header = vec!["SERIES"];
    if spark_w > 0 {
        widths.push(Constraint::Length(spark_w as u16));
        header.push("PER SCRAPE");
    }
    widths.push(Constraint::Length(10));
    header.push("VALUE");
    let selected = (s.focus == Pane::Metrics)
        .then(|| s.metric_selected.index(&rows, |r| r.key.to_string()))
        .flatten();
    let cells = rows.into_iter().map(|r: MetricRow| {
        let mut c = vec![Cell::from(r.key)];
        if spark_w > 0 {
            let bars = r.ring.map(|ring| spark(ring, spark_w)).unwrap_or_default();
            c.push(Cell::from(bars).style(t.cpu));
        }
        c.push(Cell::from(crate::alert::template::figure(r.value)));
        Row::new(c)
    });
    let table = Table::new(cells, widths.iter().copied())
        .header(Row::new(header).style(t.title))
        .block(b)
        .row_highlight_style(t.selected);
    let list = List {
        pane: Pane::Metrics,
        table,
        widths: &widths,
        keys: &[],
        heading: true,
    };
    draw_list(f, area, list, selected);
}

/// The newest `width` values as bars between their least and greatest.
fn spark(ring: &std::collections::VecDeque<Option<f64>>, width: usize) -> String {
    let shown: Vec<Option<f64>> = ring.iter().rev().take(width).rev().copied().collect();
    let known = shown.iter().flatten();
    let lo = known.clone().fold(f64::INFINITY, |a, b| a.min(*b));
    let hi = known.fold(f64::NEG_INFINITY, |a, b| a.max(*b));
    shown
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if hi <= lo => BARS[0],
            Some(x) => BARS[(((x - lo) / (hi - lo)) * 7.0).round().clamp(0.0, 7.0) as usize],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sparks_span_the_values_shown() {
        let ring = [Some(1.0), None, Some(3.0), Some(2.0)]
            .into_iter()
            .collect();
        assert_eq!(super::spark(&ring, 10), "▁ █▅");
        assert_eq!(super::spark(&ring, 2), "█▁");
    }
}
