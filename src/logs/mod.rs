//! Logs: lines taken apart (header, level) and their messages folded into templates as they
//! stream in. No terminal code here.

pub mod header;
mod intern;
pub mod level;
pub mod mask;
pub mod miner;
mod stamp;
