//! Replay of a recording with several hosts: which one opens, the others' figures at the
//! replayed time (for the hosts overview), and moving to another host at the same time.

use super::{ReplayCursor, ReplayError};
use crate::model::{Snapshot, derive};
use crate::store::{Store, StoreError};
use crate::timeparse::Target;

/// The host a replay opens without `--host`: this machine when it was recorded (its remote
/// hosts are in the overview), else the first recorded.
pub fn default_host(recorded: &[String], local: Option<&str>) -> Option<String> {
    let local = local.and_then(|l| recorded.iter().find(|h| *h == l));
    local.or(recorded.first()).cloned()
}

/// How far back another host's last sample is looked for at the replayed time.
const LOOK_BACK_MS: i64 = 60_000;

impl ReplayCursor {
    /// The other hosts recorded in the file.
    pub fn other_hosts(&self) -> Result<Vec<String>, StoreError> {
        let mut hosts = self.store.hosts()?;
        hosts.retain(|h| *h != self.host);
        Ok(hosts)
    }

    /// `host`'s last sample at the replayed time (within a minute), derived as live did.
    pub fn latest_of(&self, host: &str) -> Result<Option<Snapshot>, StoreError> {
        let ts = self.ts();
        let raw = self.store.samples(host, ts - LOOK_BACK_MS, ts)?;
        let n = raw.len();
        Ok(raw
            .last()
            .map(|last| derive(last, n.checked_sub(2).map(|i| &raw[i]))))
    }

    /// The same recording and range for `host`, at the sample nearest the replayed time, with
    /// the same chart window.
    pub fn for_host(&self, host: &str) -> Result<ReplayCursor, ReplayError> {
        let store = Store::open_reader(self.db_path())?;
        let (from, to) = (Some(self.from), Some(self.to));
        let mut c = ReplayCursor::open(store, Some(host), from, to, self.window)?;
        c.seek(Target::Near(self.ts()));
        c.zoom = self.zoom;
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_machine_opens_first_when_it_was_recorded() {
        let recorded = ["db1".to_string(), "vm".to_string()];
        assert_eq!(default_host(&recorded, Some("vm")).as_deref(), Some("vm"));
        assert_eq!(
            default_host(&recorded, Some("other")).as_deref(),
            Some("db1")
        );
        assert_eq!(default_host(&[], Some("vm")), None);
    }
}
