//! A fleet host's past, read from Prometheus (`/api/v1/query_range`) for `--replay`: the
//! same two queries as the live read (the host's `up`, every family montui reads), narrowed
//! to its instance, a span at a time. Each sample is stamped with the time of the scrape it
//! comes from, and a scrape that two steps both see is one sample: counters' rates are
//! never taken over a step that saw no new scrape.

use std::collections::BTreeMap;

use super::{FleetSource, Page, client, data_selector, get, sample};
use crate::model::RawSample;
use crate::prom::api::{RangeSeries, matrix};
use crate::prom::node::host_sample;

/// At most this many samples in a replay: a longer range is read at a coarser step.
pub const MAX_SAMPLES: i64 = 20_000;
/// Steps per query (Prometheus refuses more than 11,000 points per series).
const STEPS_PER_QUERY: i64 = 1_000;

/// The samples of `instance` between `from` and `to` (ms) as `f` has them, one per step
/// (the source's interval, or coarser for a long range) while it was up. Empty: `f` does
/// not know the instance then.
pub async fn history(
    f: &FleetSource,
    instance: &str,
    from: i64,
    to: i64,
) -> Result<Vec<RawSample>, String> {
    let client = client(f)?;
    let step = step_ms(f.every.as_millis() as i64, to - from);
    // When the instance was scraped up, at each step.
    let up = format!("timestamp({} == 1)", with_instance(&f.hosts, instance));
    let data = with_instance(&data_selector(&f.hosts), instance);
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let end = (start + step * (STEPS_PER_QUERY - 1)).min(to);
        let secs = |ms: i64| format!("{:.3}", ms as f64 / 1000.0);
        let (start_s, end_s, step_s) = (secs(start), secs(end), secs(step));
        let ask = |query: &str| {
            let params = [
                ("query", query.to_string()),
                ("start", start_s.clone()),
                ("end", end_s.clone()),
                ("step", step_s.clone()),
            ];
            let client = &client;
            async move {
                let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, &v[..])).collect();
                matrix(&get(client, f, "query_range", &params).await?)
            }
        };
        let up = ask(&up).await?;
        let data = ask(&data).await?;
        out.extend(samples(&up, &data, instance));
        start = end + step;
    }
    Ok(out)
}

/// The step for a range of `span` ms read at `every` ms: `every` (at least a second) unless
/// that makes more than `MAX_SAMPLES`.
fn step_ms(every: i64, span: i64) -> i64 {
    every.max(1_000).max(span / MAX_SAMPLES + 1)
}

/// `selector` narrowed to one instance: `up{job="node"}` → `up{instance="a:9100",job="node"}`.
fn with_instance(selector: &str, instance: &str) -> String {
    let escaped = instance.replace('\\', "\\\\").replace('"', "\\\"");
    let matcher = format!("instance=\"{escaped}\"");
    match selector.find('{') {
        Some(i) => {
            let rest = selector[i + 1..].trim_start();
            let comma = if rest.starts_with('}') { "" } else { "," };
            format!("{}{{{matcher}{comma}{rest}", &selector[..i])
        }
        None => format!("{selector}{{{matcher}}}"),
    }
}

/// A host sample for every scrape `scraped` (the times, in s, of the scrapes that found the
/// instance up, at each step) names, from the data's points at the first step that saw it.
fn samples(scraped: &[RangeSeries], data: &[RangeSeries], host: &str) -> Vec<RawSample> {
    let mut last = None;
    let mut stamps = BTreeMap::new();
    for (step, at) in (scraped.iter())
        .filter(|(labels, _)| labels.get("instance").is_some_and(|i| i == host))
        .flat_map(|(_, points)| points)
    {
        let at = (at * 1000.0).round() as i64;
        if last.replace(at) != Some(at) {
            stamps.insert(*step, at);
        }
    }
    let mut pages: BTreeMap<i64, Page> = stamps.keys().map(|t| (*t, Page::default())).collect();
    for (labels, points) in data {
        for (t, v) in points {
            let Some(page) = pages.get_mut(t) else {
                continue;
            };
            if let Some((_, s)) = sample(labels, *v).filter(|(i, _)| *i == host) {
                page.samples.push(s);
            }
        }
    }
    (pages.iter())
        .map(|(step, page)| host_sample(page, host, stamps[step]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(
        name: &str,
        instance: &str,
        extra: &[(&str, &str)],
        points: &[(i64, f64)],
    ) -> RangeSeries {
        let labels = [("__name__", name), ("instance", instance), ("job", "node")]
            .iter()
            .chain(extra)
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        (labels, points.to_vec())
    }

    #[test]
    fn a_sample_for_each_scrape_that_found_the_instance_up_stamped_with_its_time() {
        // Steps at 0, 15 and 30 s; the first two see the same scrape (at -1 s), a down
        // scrape is not in the answer (`== 1`), the third step sees the scrape at 29 s.
        let scraped = vec![
            series(
                "",
                "a:9100",
                &[],
                &[(0, -1.0), (15_000, -1.0), (30_000, 29.0)],
            ),
            series("", "b:9100", &[], &[(45_000, 44.0)]),
        ];
        let data = vec![
            series(
                "node_load1",
                "a:9100",
                &[],
                &[(0, 0.5), (15_000, 0.7), (30_000, 0.9)],
            ),
            series("node_load1", "b:9100", &[], &[(45_000, 3.0)]),
            series(
                "node_cpu_seconds_total",
                "a:9100",
                &[("cpu", "0"), ("mode", "idle")],
                &[(30_000, 100.0)],
            ),
        ];
        let s = samples(&scraped, &data, "a:9100");
        let seen: Vec<(i64, f64, usize)> = s
            .iter()
            .map(|s| (s.ts_ms, s.load[0], s.cpus.len()))
            .collect();
        assert_eq!(seen, vec![(-1_000, 0.5, 0), (29_000, 0.9, 1)]);
        assert!(s.iter().all(|s| s.host == "a:9100"));
        assert!(samples(&scraped, &data, "c:9100").is_empty());
    }

    #[test]
    fn the_selector_is_narrowed_to_the_instance_with_its_quotes_escaped() {
        assert_eq!(
            with_instance(r#"up{job="node"}"#, "a:9100"),
            r#"up{instance="a:9100",job="node"}"#
        );
        assert_eq!(with_instance("up", "a"), r#"up{instance="a"}"#);
        assert_eq!(with_instance("up{}", "a"), r#"up{instance="a"}"#);
        assert_eq!(
            with_instance("up", r#"a"}or{x"#),
            r#"up{instance="a\"}or{x"}"#
        );
    }

    #[test]
    fn a_long_range_is_read_at_a_coarser_step() {
        assert_eq!(step_ms(15_000, 6 * 3_600_000), 15_000);
        assert_eq!(step_ms(0, 60_000), 1_000);
        let month = 30 * 86_400_000;
        assert!(month / step_ms(15_000, month) <= MAX_SAMPLES);
    }
}
