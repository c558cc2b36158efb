//! Logs: lines taken apart (header, level) and their messages folded into templates as they
//! stream in. No terminal code here.

pub mod board;
pub mod builtin;
mod cut;
pub mod feed;
mod follow;
pub mod header;
mod intern;
pub mod level;
pub mod mask;
pub mod miner;
pub mod patterns;
pub mod pii;
pub mod remote;
pub mod saved;
mod stamp;
mod stat;
pub mod synthetic;
pub mod tail;
mod walk;
