use super::{Store, StoreError};

/// Each entry moves the schema one version up; `PRAGMA user_version` says how many ran.
/// Never edit a released entry: add a new one, so old history is migrated, never stranded.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: raw samples, one row per host and reading.
    "CREATE TABLE hosts (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
     CREATE TABLE samples (
         host_id INTEGER NOT NULL REFERENCES hosts(id),
         ts_ms INTEGER NOT NULL,
         fmt INTEGER NOT NULL,
         data BLOB NOT NULL
     );
     CREATE UNIQUE INDEX samples_host_ts ON samples(host_id, ts_ms);",
    // 2: older samples packed per host into compressed columnar blocks (`samples` is the
    // head), with rollup tiers computed from each block.
    "CREATE TABLE blocks (
         host_id INTEGER NOT NULL REFERENCES hosts(id),
         start_ms INTEGER NOT NULL,
         end_ms INTEGER NOT NULL,
         n INTEGER NOT NULL,
         fmt INTEGER NOT NULL,
         data BLOB NOT NULL,
         PRIMARY KEY (host_id, start_ms)
     );
     CREATE INDEX blocks_end ON blocks(host_id, end_ms);
     CREATE TABLE rollups (
         host_id INTEGER NOT NULL REFERENCES hosts(id),
         tier_ms INTEGER NOT NULL,
         start_ms INTEGER NOT NULL,
         end_ms INTEGER NOT NULL,
         fmt INTEGER NOT NULL,
         data BLOB NOT NULL,
         PRIMARY KEY (host_id, tier_ms, start_ms)
     );",
    // 3: alerts as the lifecycle last left them, their timelines, and silences.
    "CREATE TABLE alerts (
         fingerprint INTEGER PRIMARY KEY,
         rule TEXT NOT NULL,
         labels TEXT NOT NULL,
         severity INTEGER NOT NULL,
         phase INTEGER NOT NULL,
         active_since INTEGER NOT NULL,
         fired_at INTEGER,
         resolved_at INTEGER,
         value REAL NOT NULL,
         threshold REAL,
         ack_by TEXT,
         ack_at INTEGER
     );
     CREATE TABLE alert_events (
         fingerprint INTEGER NOT NULL,
         seq INTEGER NOT NULL,
         at INTEGER NOT NULL,
         kind TEXT NOT NULL,
         PRIMARY KEY (fingerprint, seq)
     ) WITHOUT ROWID;
     CREATE TABLE silences (
         id INTEGER PRIMARY KEY,
         matchers TEXT NOT NULL,
         starts_at INTEGER NOT NULL,
         ends_at INTEGER NOT NULL,
         by TEXT NOT NULL
     );",
    // 4: escalation steps taken, each event's value, and dynamic thresholds as they moved.
    "ALTER TABLE alerts ADD COLUMN escalation INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE alert_events ADD COLUMN value REAL;
     CREATE TABLE threshold_history (
         fingerprint INTEGER NOT NULL,
         at INTEGER NOT NULL,
         threshold REAL NOT NULL,
         PRIMARY KEY (fingerprint, at)
     ) WITHOUT ROWID;",
    // 5: why an alert's source said it fired (a host's failure reason).
    "ALTER TABLE alerts ADD COLUMN note TEXT;",
    // 6: log patterns (levels and examples as JSON arrays) and their lines per minute.
    "CREATE TABLE log_patterns (
         uid INTEGER PRIMARY KEY,
         source TEXT NOT NULL,
         template TEXT NOT NULL,
         count INTEGER NOT NULL,
         first_ms INTEGER NOT NULL,
         last_ms INTEGER NOT NULL,
         levels TEXT NOT NULL,
         examples TEXT NOT NULL
     );
     CREATE TABLE log_rates (
         uid INTEGER NOT NULL,
         minute_ms INTEGER NOT NULL,
         lines INTEGER NOT NULL,
         PRIMARY KEY (uid, minute_ms)
     ) WITHOUT ROWID;
     CREATE INDEX log_rates_minute ON log_rates(minute_ms);",
    // 7: anomalies the watch found, one row per unusual stretch of a series.
    "CREATE TABLE anomalies (
         host TEXT NOT NULL,
         series TEXT NOT NULL,
         started_ms INTEGER NOT NULL,
         ended_ms INTEGER,
         score REAL NOT NULL,
         value REAL NOT NULL,
         expected REAL NOT NULL,
         low REAL NOT NULL,
         high REAL NOT NULL,
         why INTEGER NOT NULL,
         PRIMARY KEY (host, series, started_ms)
     ) WITHOUT ROWID;
     CREATE INDEX anomalies_started ON anomalies(started_ms);",
    // 8: when montui knew of an anomaly (a burst held until it lasted is known after its
    // start); rows from before read as known at their start.
    "ALTER TABLE anomalies ADD COLUMN known_ms INTEGER",
    // 9: the notification outbox: one row per notice and receiver, committed before the
    // first attempt; state 0 pending, 1 delivered, 2 dead (given up, kept).
    "CREATE TABLE outbox (
         id INTEGER PRIMARY KEY,
         notice TEXT NOT NULL,
         receiver TEXT NOT NULL,
         created_ms INTEGER NOT NULL,
         payload TEXT NOT NULL,
         attempts INTEGER NOT NULL DEFAULT 0,
         next_ms INTEGER NOT NULL,
         state INTEGER NOT NULL DEFAULT 0,
         last_error TEXT,
         done_ms INTEGER,
         UNIQUE (notice, receiver)
     );
     CREATE INDEX outbox_due ON outbox(receiver, state, next_ms);",
    // 10: processes' owners and command lines, once per host and text (head rows of sample
    // format 3 name them by id; `seen_ms` bounds when a row last named one).
    "CREATE TABLE proc_texts (
         id INTEGER PRIMARY KEY,
         host_id INTEGER NOT NULL REFERENCES hosts(id),
         user TEXT NOT NULL,
         cmdline TEXT NOT NULL,
         seen_ms INTEGER NOT NULL,
         UNIQUE (host_id, user, cmdline)
     );
     CREATE INDEX proc_texts_seen ON proc_texts(host_id, seen_ms);",
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn version(store: &Store) -> Result<i64, StoreError> {
    store.sql(|c| c.pragma_query_value(None, "user_version", |r| r.get(0)))
}

/// Brings the schema up to `SCHEMA_VERSION`, one transaction per step.
pub(super) fn migrate(store: &mut Store) -> Result<(), StoreError> {
    let found = version(store)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: store.path.display().to_string(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        let next = i as i64 + 1;
        store.sql(|c| {
            c.execute_batch(&format!(
                "BEGIN IMMEDIATE; {sql}; PRAGMA user_version = {next}; COMMIT;"
            ))
        })?;
        tracing::info!("history store migrated to version {next}");
    }
    Ok(())
}
