//! `--replay --host X` for an instance of a `[[prometheus]]` fleet: its past read from
//! Prometheus (`query_range`) into a temporary recording, with the alerts and silences montui
//! recorded for it, which the cursor then opens as any other recording.

use std::path::{Path, PathBuf};

use crate::collect::fleet;
use crate::config::FleetSource;
use crate::store::{BLOCK_SAMPLES, Store};

/// The range read when `--from` is not given: the last six hours.
pub const DEFAULT_SPAN_MS: i64 = 6 * 3_600_000;

/// A host's past borrowed from Prometheus: a recording in a folder of its own, removed when
/// this is dropped.
pub struct Borrowed {
    dir: tempfile::TempDir,
    /// The Prometheus it came from.
    pub url: String,
    pub samples: usize,
}

impl Borrowed {
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("history.db")
    }
}

/// The first source of `fleets` that has samples of `host` between `from` and `to` (ms):
/// their recording, with what `local` recorded of the host's alerts. None: no source knows
/// the host then. An error: a source could not be read.
pub async fn borrow(
    fleets: &[FleetSource],
    host: &str,
    from: i64,
    to: i64,
    local: Option<&Store>,
) -> Result<Option<Borrowed>, String> {
    for f in fleets {
        let samples = (fleet::history(f, host, from, to).await)
            .map_err(|e| format!("[[prometheus]] {}: {e}", f.url))?;
        if samples.is_empty() {
            continue;
        }
        let dir = tempfile::tempdir().map_err(|e| format!("a temporary folder: {e}"))?;
        let borrowed = Borrowed {
            dir,
            url: f.url.clone(),
            samples: samples.len(),
        };
        record(&borrowed.path(), &samples, host, local).map_err(|e| e.to_string())?;
        return Ok(Some(borrowed));
    }
    Ok(None)
}

fn record(
    path: &Path,
    samples: &[crate::model::RawSample],
    host: &str,
    local: Option<&Store>,
) -> Result<(), crate::store::StoreError> {
    let mut store = Store::open_writer(path)?;
    store.insert(samples)?;
    store.pack(BLOCK_SAMPLES)?;
    if let Some(local) = local {
        for a in local.load_alerts()? {
            if a.labels.get("host").is_some_and(|h| h == host) {
                store.save_alert(&a)?;
            }
        }
        for s in local.load_silences(i64::MIN)? {
            store.save_silence(&s)?;
        }
    }
    Ok(())
}
