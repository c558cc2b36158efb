//! Collectors turn a host's state into `RawSample`s. No terminal code here.

mod local;
pub mod procfs;
pub mod ssh;
mod top;

pub use local::LocalCollector;

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
}

/// Something that can read one host once per call.
pub trait Collector: Send {
    fn collect(&mut self) -> Result<RawSample, CollectError>;
}
