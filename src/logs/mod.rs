//! Logs: messages folded into templates as they stream in. No terminal code here.

pub mod mask;
pub mod miner;
