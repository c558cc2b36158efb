//! Alerting: rules, their evaluation and the alert lifecycle. No terminal code here.

pub mod board;
pub mod dynamic;
pub mod escalate;
pub mod eval;
pub mod expr;
pub mod fpset;
pub mod inhibit;
pub mod lifecycle;
pub mod matcher;
pub mod notify;
pub mod policy;
pub mod recorded;
pub mod route;
pub mod rules;
pub mod silence;
pub mod template;
