//! The Prometheus exposition formats as scraped from `/metrics`: text format 0.0.4 and
//! OpenMetrics 1.0 (which ends with `# EOF`, may carry exemplars after ` # ` and writes
//! timestamps in seconds). A page parses whole or not at all, as Prometheus scrapes: the error
//! names the line. Any input gives samples or an error, never a panic.
//!
//! Written here rather than taken from a crate: `prometheus-parse` reads a sample with one
//! regex whose label set ends at the first `}` (a label value holding one breaks it), returned
//! 503 of the 507 series of Debian's node_exporter page and is 3.6× slower (`montui-bench
//! scrape`); the Prometheus project's Python client, which the tests run beside this parser,
//! reads the same samples.

use std::collections::HashMap;

/// What a family is (`# TYPE`); `Unknown` where the page does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    Counter,
    Gauge,
    Histogram,
    GaugeHistogram,
    Summary,
    Info,
    StateSet,
    #[default]
    Unknown,
}

impl Kind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "counter" => Self::Counter,
            "gauge" => Self::Gauge,
            "histogram" => Self::Histogram,
            "gaugehistogram" => Self::GaugeHistogram,
            "summary" => Self::Summary,
            "info" => Self::Info,
            "stateset" => Self::StateSet,
            "untyped" | "unknown" => Self::Unknown,
            _ => return None,
        })
    }
}

/// One sample line: its series (name and labels, in the page's order) and value; `ts_ms`
/// when the line has a timestamp.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: Vec<(String, String)>,
    pub value: f64,
    pub ts_ms: Option<i64>,
}

/// A parsed page: its samples in order, and the families' kinds and help by family name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub samples: Vec<Sample>,
    pub kinds: HashMap<String, Kind>,
    pub help: HashMap<String, String>,
}

impl Page {
    /// The kind of the family `sample` belongs to: its own name's, or its name's without a
    /// suffix the kind writes (`_total`, `_bucket`, `_count`, `_sum`, `_created`, `_info`).
    pub fn kind_of(&self, sample: &str) -> Kind {
        if let Some(k) = self.kinds.get(sample) {
            return *k;
        }
        for suffix in [
            "_total", "_bucket", "_count", "_sum", "_created", "_info", "_gcount", "_gsum",
        ] {
            if let Some(k) = sample.strip_suffix(suffix).and_then(|b| self.kinds.get(b)) {
                return *k;
            }
        }
        Kind::Unknown
    }
}

/// Why a page did not parse: the line (from 1) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {what}")]
pub struct ParseError {
    pub line: usize,
    pub what: String,
}

/// Which of the two formats a page is in (from the scrape's Content-Type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    OpenMetrics,
}

impl Format {
    /// From a response's `Content-Type`: OpenMetrics when it says so, else text.
    pub fn of_content_type(ct: &str) -> Self {
        if ct.trim_start().starts_with("application/openmetrics-text") {
            Self::OpenMetrics
        } else {
            Self::Text
        }
    }

    /// The format to answer a scrape in, from its `Accept` header: OpenMetrics when the
    /// scraper takes it (Prometheus does), else text.
    pub fn of_accept(accept: &str) -> Self {
        if accept.contains("application/openmetrics-text") {
            Self::OpenMetrics
        } else {
            Self::Text
        }
    }

    /// The `Content-Type` of a page in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
            Self::Text => "text/plain; version=0.0.4; charset=utf-8",
        }
    }
}

/// Parses a whole page.
pub fn parse(text: &str, format: Format) -> Result<Page, ParseError> {
    let om = format == Format::OpenMetrics;
    let mut page = Page::default();
    let mut ended = false;
    for (i, line) in text.split('\n').enumerate() {
        let err = |what: String| ParseError { line: i + 1, what };
        let line = line.strip_suffix('\r').unwrap_or(line);
        if ended {
            if line.is_empty() {
                continue;
            }
            return Err(err("text after # EOF".into()));
        }
        if line.trim().is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix('#') {
            if om && rest == " EOF" {
                ended = true;
                continue;
            }
            comment(rest, &mut page).map_err(err)?;
            continue;
        }
        page.samples.push(sample(line, om).map_err(err)?);
    }
    if om && !ended {
        return Err(ParseError {
            line: text.split('\n').count(),
            what: "an OpenMetrics page ends with # EOF".into(),
        });
    }
    Ok(page)
}

/// `# HELP name text`, `# TYPE name kind`, `# UNIT name unit`; other comments are ignored.
fn comment(rest: &str, page: &mut Page) -> Result<(), String> {
    let rest = rest.trim_start_matches([' ', '\t']);
    let (word, rest) = rest.split_once([' ', '\t']).unwrap_or((rest, ""));
    if !matches!(word, "HELP" | "TYPE") {
        return Ok(());
    }
    let rest = rest.trim_start_matches([' ', '\t']);
    let (name, text) = rest.split_once([' ', '\t']).unwrap_or((rest, ""));
    if !is_metric_name(name) {
        return Err(format!("# {word}: {name:?} is no metric name"));
    }
    if word == "HELP" {
        page.help.insert(name.into(), unescape(text, false)?);
    } else {
        let kind = Kind::parse(text.trim())
            .ok_or_else(|| format!("# TYPE {name}: unknown type {:?}", text.trim()))?;
        page.kinds.insert(name.into(), kind);
    }
    Ok(())
}

/// `name{label="value",…} value [timestamp] [# exemplar]`.
fn sample(line: &str, om: bool) -> Result<Sample, String> {
    let end = line.find(['{', ' ', '\t']).unwrap_or(line.len());
    let name = &line[..end];
    if !is_metric_name(name) {
        return Err(format!(
            "{:?} is no metric name",
            crate::text::fit(name, 40)
        ));
    }
    let mut rest = &line[end..];
    let mut labels = Vec::new();
    if let Some(inner) = rest.strip_prefix('{') {
        rest = label_set(inner, &mut labels)?;
    }
    let rest = rest.trim_start_matches([' ', '\t']);
    // An OpenMetrics exemplar follows ` # `; the sample is what comes before.
    let rest = match rest.find(" # ") {
        Some(i) if om => &rest[..i],
        _ => rest,
    };
    let mut words = rest.split([' ', '\t']).filter(|w| !w.is_empty());
    let value = words.next().ok_or("no value")?;
    let value = float(value).ok_or_else(|| format!("{value:?} is no number"))?;
    let ts_ms = match words.next() {
        None => None,
        Some(t) if om => {
            let secs = float(t)
                .filter(|s| s.is_finite())
                .ok_or_else(|| format!("{t:?} is no timestamp"))?;
            Some((secs * 1000.0).round() as i64)
        }
        Some(t) => Some(
            t.parse::<i64>()
                .map_err(|_| format!("{t:?} is no timestamp"))?,
        ),
    };
    if let Some(extra) = words.next() {
        return Err(format!("{extra:?} after the timestamp"));
    }
    Ok(Sample {
        name: name.into(),
        labels,
        value,
        ts_ms,
    })
}

/// Labels up to the closing `}`; the text after it.
fn label_set<'a>(mut s: &'a str, labels: &mut Vec<(String, String)>) -> Result<&'a str, String> {
    loop {
        s = s.trim_start_matches([' ', '\t']);
        if let Some(after) = s.strip_prefix('}') {
            return Ok(after);
        }
        let eq = s.find('=').ok_or("a label without =")?;
        let name = s[..eq].trim_end_matches([' ', '\t']);
        if !is_label_name(name) {
            return Err(format!("{:?} is no label name", crate::text::fit(name, 40)));
        }
        let after = s[eq + 1..].trim_start_matches([' ', '\t']);
        let body = after
            .strip_prefix('"')
            .ok_or("a label value not in quotes")?;
        let close = closing_quote(body).ok_or("a label value without its closing quote")?;
        if labels.iter().any(|(n, _)| n == name) {
            return Err(format!("label {name} twice"));
        }
        labels.push((name.into(), unescape(&body[..close], true)?));
        s = body[close + 1..].trim_start_matches([' ', '\t']);
        if let Some(after) = s.strip_prefix(',') {
            s = after;
        } else if !s.starts_with('}') {
            return Err("labels not separated by ,".into());
        }
    }
}

/// Where the unescaped `"` that ends a label value is.
fn closing_quote(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// `\\`, `\n` and (in label values) `\"`; any other escape is kept as written, as
/// Prometheus does.
fn unescape(s: &str, quotes: bool) -> Result<String, String> {
    if !s.contains('\\') {
        return Ok(s.into());
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('"') if quotes => out.push('"'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => return Err("a text ending in \\".into()),
        }
    }
    Ok(out)
}

/// A value: a float as Go writes them, `NaN`, `+Inf`, `-Inf`.
fn float(s: &str) -> Option<f64> {
    match s {
        "+Inf" | "Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        "NaN" => Some(f64::NAN),
        _ if s
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b)) =>
        {
            s.parse().ok()
        }
        _ => None,
    }
}

fn is_metric_name(s: &str) -> bool {
    let mut b = s.bytes();
    b.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_' || c == b':')
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b':')
}

/// Whether `s` is a label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn is_label_name(s: &str) -> bool {
    let mut b = s.bytes();
    b.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

#[cfg(test)]
mod tests;
