//! Alerting: rules, their evaluation and the alert lifecycle. No terminal code here.

pub mod expr;
pub mod lifecycle;
