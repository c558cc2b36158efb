//! The Prometheus ecosystem: the exposition formats montui scrapes, and node_exporter's page
//! as a host.

pub mod expo;
pub mod node;
