//! The Prometheus ecosystem: the exposition formats montui scrapes, node_exporter's page as
//! a host, and the HTTP API a fleet is read through.

pub mod api;
pub mod expo;
pub mod node;
