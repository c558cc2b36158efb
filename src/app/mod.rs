//! The UI's state machine: keys become actions through one table, `update` applies them.
//! No terminal and no I/O here: what needs the store comes back as a `Request`.

mod driver;
mod history;
mod hosts;
mod key;
mod keys;
mod layout;
mod lists;
mod metrics;
mod overlays;
mod patterns;
mod paused;
mod pointer;
mod procs;
mod selection;
mod state;
mod update;

pub use driver::{handle, show};
pub use history::History;
pub use hosts::{HostRow, HostSort, Status};
pub use keys::{Action, BINDINGS, Binding, Key, Scope, action_for};
pub use layout::{Arrangement, Node, Preset, Size};
pub use lists::anomaly_key;
pub use metrics::MetricRow;
pub use patterns::PatternSort;
pub use pointer::{Pointer, pointer};
pub use procs::ProcLine;
pub use selection::Selection;
pub use state::{
    AnomalyKey, Mode, Pane, ProcTarget, Prompt, PromptKind, Recording, ReplayPos, SortBy, State,
    Summary, View,
};
pub use update::{Request, update};
