//! montui: a terminal monitoring console.
//!
//! Layers: `model` (pure data and `derive`), `collect`, `store`, `engine` and `config` form the
//! core and never touch the terminal; `app` is the UI state machine (no terminal either);
//! `ui` draws it with ratatui and runs the terminal.

pub mod alert;
pub mod app;
pub mod bounded;
pub mod cli;
pub mod collect;
pub mod config;
pub mod details;
pub mod detect;
pub mod engine;
pub mod export;
pub mod logging;
pub mod logs;
pub mod model;
pub mod notify;
pub mod proc_details;
pub mod prom;
pub mod replay;
pub mod report;
pub mod serve;
pub mod store;
pub mod text;
pub mod timeparse;
pub mod tls;
pub mod ui;
