//! Collectors turn a host's state into `RawSample`s. No terminal code here.

pub mod fleet;
mod gpu;
pub mod inspect;
mod local;
pub mod procfs;
pub mod procinfo;
mod scrape;
pub mod signal;
pub mod ssh;
pub mod statsd;
mod sysdetail;
pub mod top;

pub use local::LocalCollector;
pub use scrape::run as scrape_host;
pub use scrape::series::run as scrape_target;

use crate::model::RawSample;

#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("reading {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("parsing {what}: {message}")]
    Parse { what: &'static str, message: String },
    #[error("{0}")]
    Other(String),
    /// The source is not to be read any further: what it sent breaks a bound.
    #[error("refused: {0}")]
    Refused(String),
}

/// What collectors send the engine.
#[derive(Debug)]
pub enum SourceMsg {
    /// A sample; from a remote host, with the time from asking for it to having it.
    Sample {
        raw: Box<RawSample>,
        rtt_ms: Option<u32>,
    },
    /// A host did not answer, or its connection ended: why.
    Failed {
        host: String,
        at: i64,
        reason: String,
    },
    /// A remote host answers (again); its clock is `skew_ms` behind ours (± 1 s).
    Connected { host: String, skew_ms: i64 },
    /// A frame that could not be read: skipped and counted.
    BadFrame { host: String, reason: String },
    /// Something a host sent was cut to a bound (series, followed files): why.
    Capped { host: String, reason: String },
    /// The series a `source` (a scrape's URL) took for `host`: they replace its last ones
    /// and ride on the host's next samples.
    Series {
        host: String,
        source: String,
        series: Vec<crate::model::Series>,
    },
}

/// Something that can read one host once per call.
pub trait Collector: Send {
    /// The name samples are recorded under.
    fn host(&self) -> &str;
    fn collect(&mut self) -> Result<RawSample, CollectError>;
}
