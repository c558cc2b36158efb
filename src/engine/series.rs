//! The series of scrapes, by host and source, waiting to ride on the host's next samples:
//! each source's latest set replaces its last, and every sample of the host carries them all
//! until then (so a target scraped every 15 s is in each second's sample, rates and all).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::model::{RawSample, Series};

#[derive(Debug, Default)]
pub struct Extra {
    by_host: HashMap<String, Host>,
}

#[derive(Debug, Default)]
struct Host {
    by_source: BTreeMap<String, Vec<Series>>,
    /// All sources' series, shared by every sample that carries them.
    all: Arc<Vec<Series>>,
    /// Whether they changed since a sample last took them.
    fresh: bool,
}

impl Extra {
    pub fn put(&mut self, host: String, source: String, series: Vec<Series>) {
        let h = self.by_host.entry(host).or_default();
        h.by_source.insert(source, series);
        h.all = Arc::new(h.by_source.values().flatten().cloned().collect());
        h.fresh = true;
    }

    /// Gives `raw` its host's series; true when they are new since the host's last sample
    /// (the store records them then only).
    pub fn attach(&mut self, raw: &mut RawSample) -> bool {
        let Some(h) = self.by_host.get_mut(&raw.host) else {
            return false;
        };
        raw.series = h.all.clone();
        std::mem::replace(&mut h.fresh, false)
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
        assert!(x.attach(&mut raw));
        assert!(!x.attach(&mut raw), "not new the second time");
        let names: Vec<&str> = raw.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a2", "b1"]);
        let mut other = RawSample {
            host: "db".into(),
            ..Default::default()
        };
        assert!(!x.attach(&mut other));
        assert!(other.series.is_empty());
    }
}
