//! A process's owner and command line, kept once per host in `proc_texts` instead of in every
//! head row: a command line is up to 512 characters and the same in every sample the process
//! is in, so carrying it in each row made a sample eight times bigger. Blocks need none of
//! this: a block names each process once, in its column keys.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use crate::model::ProcRaw;

/// A text's `seen_ms` is brought forward when it is used this long after the last time: so a
/// head row at time t names texts seen after t − REFRESH_MS, and pruning below a bound that
/// leaves 2 × REFRESH_MS of margin never takes a text a kept row names.
const REFRESH_MS: i64 = 10 * 60_000;

/// Texts by id, as read for one host.
#[derive(Debug, Default)]
pub struct Texts(HashMap<i64, (String, String)>);

impl Texts {
    pub fn from_rows(rows: impl IntoIterator<Item = (i64, String, String)>) -> Self {
        Self(rows.into_iter().map(|(id, u, c)| (id, (u, c))).collect())
    }

    pub(super) fn load(c: &Connection, host_id: i64) -> rusqlite::Result<Self> {
        let mut st =
            c.prepare_cached("SELECT id, user, cmdline FROM proc_texts WHERE host_id = ?1")?;
        let rows = st.query_map([host_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(Self::from_rows(rows.collect::<rusqlite::Result<Vec<_>>>()?))
    }

    pub fn get(&self, id: i64) -> Option<(&str, &str)> {
        self.0.get(&id).map(|(u, c)| (u.as_str(), c.as_str()))
    }
}

/// What the writer has stored: (host id, owner, command line) → (id, the `seen_ms` written).
/// Cleared when a transaction fails, as its ids may not have been kept.
#[derive(Debug, Default)]
pub(super) struct Written(HashMap<(i64, String, String), (i64, i64)>);

impl Written {
    /// The id of `p`'s texts on `host_id` at `ts_ms`, stored first if need be.
    pub(super) fn id(
        &mut self,
        c: &Connection,
        host_id: i64,
        ts_ms: i64,
        p: &ProcRaw,
    ) -> rusqlite::Result<i64> {
        let key = (host_id, p.user.clone(), p.cmdline.clone());
        if let Some(&(id, seen)) = self.0.get(&key)
            && ts_ms.saturating_sub(seen) < REFRESH_MS
        {
            return Ok(id);
        }
        let id = c
            .prepare_cached(
                "INSERT INTO proc_texts (host_id, user, cmdline, seen_ms) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (host_id, user, cmdline) DO UPDATE SET seen_ms = max(seen_ms, excluded.seen_ms)
                 RETURNING id",
            )?
            .query_row(params![host_id, p.user, p.cmdline, ts_ms], |r| r.get(0))?;
        self.0.insert(key, (id, ts_ms));
        Ok(id)
    }

    pub(super) fn clear(&mut self) {
        self.0.clear();
    }

    /// Removes the host's texts no head row after `newest_gone` (the newest row removed) can
    /// name, here and in the file.
    pub(super) fn prune(
        &mut self,
        c: &Connection,
        host_id: i64,
        newest_gone: i64,
    ) -> rusqlite::Result<()> {
        let bound = newest_gone.saturating_sub(2 * REFRESH_MS);
        self.0
            .retain(|(h, _, _), (_, seen)| *h != host_id || *seen >= bound);
        c.execute(
            "DELETE FROM proc_texts WHERE host_id = ?1 AND seen_ms < ?2",
            params![host_id, bound],
        )?;
        Ok(())
    }
}
