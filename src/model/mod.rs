//! The data model: raw samples as read from a host, and the metrics derived from them.
//! Pure code: no I/O, no clock, no terminal.

mod columns;
mod derive;
mod metrics;
mod raw;
pub mod series;
mod snapshot;
pub mod sys;

pub use columns::{ProcColumn, command};
pub use derive::{counter_delta, derive};
pub use metrics::{
    FAMILIES, LOG_LABELS, Metric, Name, is_log_family, label_names, metrics, unknown_metric,
};
pub use raw::{CMDLINE_MAX, CpuTicks, DiskIo, EXITED, FsUsage, MemRaw, NetIo, ProcRaw, RawSample};
pub use series::Series;
pub use snapshot::{CpuPct, DiskRate, FsRow, HostState, Mem, NetRate, ProcRow, Snapshot};
