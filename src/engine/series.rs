//! The series of scrapes, by host and source, waiting to ride on the host's next samples:
//! each source's latest set replaces its last, and every sample of the host carries them all
//! until then (so a target scraped every 15 s is in each second's sample, rates and all).

use std::collections::{BTreeMap, HashMap};

use crate::model::{RawSample, Series};

#[derive(Debug, Default)]
pub struct Extra {
    by_host: HashMap<String, BTreeMap<String, Vec<Series>>>,
}

impl Extra {
    pub fn put(&mut self, host: String, source: String, series: Vec<Series>) {
        self.by_host.entry(host).or_default().insert(source, series);
    }

    /// Gives `raw` its host's series.
    pub fn attach(&self, raw: &mut RawSample) {
        if let Some(sources) = self.by_host.get(&raw.host) {
            raw.series = sources.values().flatten().cloned().collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(name: &str) -> Vec<Series> {
        vec![Series {
            name: name.into(),
            ..Default::default()
        }]
    }

    #[test]
    fn each_sources_latest_rides_on_its_hosts_samples() {
        let mut x = Extra::default();
        x.put("web".into(), "http://a".into(), one("a1"));
        x.put("web".into(), "http://b".into(), one("b1"));
        x.put("web".into(), "http://a".into(), one("a2"));
        let mut raw = RawSample {
            host: "web".into(),
            ..Default::default()
        };
        x.attach(&mut raw);
        let names: Vec<&str> = raw.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a2", "b1"]);
        let mut other = RawSample {
            host: "db".into(),
            ..Default::default()
        };
        x.attach(&mut other);
        assert!(other.series.is_empty());
    }
}
