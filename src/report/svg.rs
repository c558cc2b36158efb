//! The HTML report's charts as inline SVG, written here: a few lines, shaded spans, a band
//! and axis labels the viewer sets in its own font. (plotters' SVG backend lays text out
//! with a font's metrics, so it needs a font file in the binary or on the system; these
//! charts need none.)

use std::fmt::Write;

const W: f64 = 720.0;
const H: f64 = 180.0;
/// Plot area inside the margins (left for the y labels, bottom for the x labels).
const LEFT: f64 = 44.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 22.0;

/// Colours of the lines, in order.
const COLOURS: [&str; 6] = [
    "#1f6feb", "#8250df", "#1a7f37", "#bc4c00", "#cf222e", "#6e7781",
];

pub struct Chart<'a> {
    /// What the chart shows, for screen readers.
    pub title: &'a str,
    pub from: i64,
    pub to: i64,
    /// The y axis runs from 0 to this.
    pub y_max: f64,
    pub lines: Vec<(&'a str, &'a [(i64, f64)])>,
    /// Shaded stretches (alerts firing).
    pub spans: &'a [(i64, i64)],
    /// A forecast: (time, likeliest, low, high).
    pub band: &'a [(i64, f64, f64, f64)],
    /// Horizontal lines with a label (90 %, 100 %).
    pub marks: &'a [f64],
    /// Labels under the x axis at its start and end.
    pub x_labels: (String, String),
    /// A gap between points longer than this breaks the line.
    pub gap_ms: i64,
}

pub fn render(c: &Chart) -> String {
    let span = (c.to - c.from).max(1) as f64;
    let x = |t: i64| LEFT + (t - c.from) as f64 / span * (W - LEFT - RIGHT);
    let y_max = if c.y_max > 0.0 { c.y_max } else { 1.0 };
    let y = |v: f64| {
        let v = v.clamp(0.0, y_max);
        H - BOTTOM - v / y_max * (H - TOP - BOTTOM)
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{}">"#,
        escape(c.title)
    );
    for (a, b) in c.spans {
        let _ = write!(
            s,
            r##"<rect x="{:.1}" y="{TOP}" width="{:.1}" height="{:.1}" fill="#ffd8d3"/>"##,
            x(*a),
            (x(*b) - x(*a)).max(1.0),
            H - TOP - BOTTOM
        );
    }
    if !c.band.is_empty() {
        let upper = c
            .band
            .iter()
            .map(|p| format!("{:.0},{:.0}", x(p.0), y(p.3)));
        let lower = c
            .band
            .iter()
            .rev()
            .map(|p| format!("{:.0},{:.0}", x(p.0), y(p.2)));
        let all: Vec<String> = upper.chain(lower).collect();
        let _ = write!(
            s,
            r##"<polygon points="{}" fill="#cfe3ff"/>"##,
            all.join(" ")
        );
        let mid: Vec<String> = (c.band.iter())
            .map(|p| format!("{:.0},{:.0}", x(p.0), y(p.1)))
            .collect();
        let _ = write!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#1f6feb" stroke-dasharray="4 3"/>"##,
            mid.join(" ")
        );
    }
    // Axes and the y labels: 0, half and the top.
    let _ = write!(
        s,
        r##"<path d="M{LEFT} {TOP}V{b}H{r}" fill="none" stroke="#8c959f"/>"##,
        b = H - BOTTOM,
        r = W - RIGHT
    );
    for v in [0.0, y_max / 2.0, y_max] {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="end" fill="#57606a">{}</text>"##,
            LEFT - 4.0,
            y(v) + 3.0,
            tick(v, y_max)
        );
    }
    for m in c.marks {
        let _ = write!(
            s,
            r##"<path d="M{LEFT} {v:.1}H{r}" stroke="#cf222e" stroke-dasharray="2 3"/>"##,
            v = y(*m),
            r = W - RIGHT
        );
    }
    for (i, (_, points)) in c.lines.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        for run in runs(points, c.gap_ms) {
            let pts: Vec<String> = (thin(run).iter())
                .map(|p| format!("{:.0},{:.0}", x(p.0), y(p.1)))
                .collect();
            let _ = write!(
                s,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="1.5"/>"#,
                pts.join(" ")
            );
        }
    }
    let _ = write!(
        s,
        r##"<text x="{LEFT}" y="{b}" font-size="10" fill="#57606a">{}</text><text x="{r}" y="{b}" font-size="10" text-anchor="end" fill="#57606a">{}</text>"##,
        escape(&c.x_labels.0),
        escape(&c.x_labels.1),
        b = H - 6.0,
        r = W - RIGHT
    );
    s.push_str("</svg>");
    s
}

/// The legend of `lines`: each name in its line's colour.
pub fn legend(names: &[&str]) -> String {
    let mut s = String::new();
    for (i, n) in names.iter().enumerate() {
        let _ = write!(
            s,
            r#"<span class="key" style="color:{}">■</span> {} "#,
            COLOURS[i % COLOURS.len()],
            escape(n)
        );
    }
    s
}

/// Points a line keeps at most: the chart is 720 wide, a pixel each for the lowest and the
/// highest of every group of points.
const MOST_POINTS: usize = 360;

/// `points` thinned to `MOST_POINTS`: of each group, its lowest and highest in their order,
/// so a spike stays a spike and a mailed month stays small.
fn thin(points: &[(i64, f64)]) -> Vec<(i64, f64)> {
    if points.len() <= MOST_POINTS {
        return points.to_vec();
    }
    let group = points.len().div_ceil(MOST_POINTS / 2);
    let mut out = Vec::with_capacity(MOST_POINTS);
    for g in points.chunks(group) {
        let lo = g.iter().min_by(|a, b| a.1.total_cmp(&b.1));
        let hi = g.iter().max_by(|a, b| a.1.total_cmp(&b.1));
        if let (Some(lo), Some(hi)) = (lo, hi) {
            let (a, b) = if lo.0 <= hi.0 { (lo, hi) } else { (hi, lo) };
            out.push(*a);
            if b.0 != a.0 {
                out.push(*b);
            }
        }
    }
    out
}

/// The stretches of `points` with no gap longer than `gap_ms`.
fn runs(points: &[(i64, f64)], gap_ms: i64) -> Vec<&[(i64, f64)]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=points.len() {
        if i == points.len() || points[i].0 - points[i - 1].0 > gap_ms {
            out.push(&points[start..i]);
            start = i;
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

fn tick(v: f64, max: f64) -> String {
    if max == 100.0 {
        format!("{v:.0}%")
    } else {
        crate::alert::template::figure(v)
    }
}

/// Text made safe inside HTML and SVG.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_thinned_and_keeps_its_spike() {
        let mut pts: Vec<(i64, f64)> = (0..1440).map(|i| (i * 60, 10.0)).collect();
        pts[777].1 = 95.0;
        let t = thin(&pts);
        assert!(t.len() <= MOST_POINTS, "{}", t.len());
        assert!(t.contains(&(777 * 60, 95.0)));
        assert!(t.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn gaps_break_lines_and_text_is_escaped() {
        let pts = [(0, 1.0), (60, 2.0), (600, 3.0), (660, 4.0)];
        assert_eq!(runs(&pts, 150).len(), 2);
        assert_eq!(escape("<a & 'b'>\u{1b}"), "&lt;a &amp; &#39;b&#39;&gt; ");
        let c = Chart {
            title: "cpu <1>",
            from: 0,
            to: 660,
            y_max: 100.0,
            lines: vec![("cpu", &pts)],
            spans: &[(60, 120)],
            band: &[],
            marks: &[90.0],
            x_labels: ("a".into(), "b".into()),
            gap_ms: 150,
        };
        let s = render(&c);
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert_eq!(s.matches("<polyline").count(), 2);
        assert!(s.contains("cpu &lt;1&gt;"));
    }
}
