//! Remote hosts over SSH, agentless: the system OpenSSH client (so ~/.ssh/config, the agent,
//! ProxyJump and known_hosts work as for the user) runs one long-lived sampler loop per host
//! in POSIX sh, which prints /proc between frame markers; frames are parsed with the same
//! parsers as the local host.

pub mod frame;
pub mod session;
mod stream;
pub mod target;

pub use session::SshOptions;
pub use target::Target;
