//! Warnings about what one host sent (unreadable frames, data cut to a bound): of each kind the
//! first at once, then at most one a minute saying how many came meanwhile, so a host sending
//! garbage cannot flood the log.

use std::collections::HashMap;
use std::time::{Duration, Instant};

const EVERY: Duration = Duration::from_secs(60);

#[derive(Default)]
pub(super) struct FrameWarnings {
    /// When each host's last warning of a kind was said, and how many were held since.
    by_host: HashMap<(String, &'static str), (Instant, u64)>,
}

/// A frame that could not be read.
pub(super) const SKIPPED: &str = "frame skipped";
/// Data cut to a bound.
pub(super) const CUT: &str = "cut to a bound";

impl FrameWarnings {
    /// The warning to log now about what `host` sent, if any.
    pub(super) fn say(
        &mut self,
        host: &str,
        kind: &'static str,
        reason: &str,
        now: Instant,
    ) -> Option<String> {
        let said = format!("{host}: {kind}: {reason}");
        match self.by_host.get_mut(&(host.to_string(), kind)) {
            Some((at, held)) if now.duration_since(*at) < EVERY => {
                *held += 1;
                None
            }
            Some((at, held)) => {
                let n = std::mem::take(held);
                *at = now;
                Some(match n {
                    0 => said,
                    n => format!("{said} ({n} more in the last minute)"),
                })
            }
            None => {
                self.by_host.insert((host.to_string(), kind), (now, 0));
                Some(said)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_sending_garbage_is_said_once_a_minute() {
        let mut w = FrameWarnings::default();
        let t0 = Instant::now();
        let said: Vec<String> = (0..400)
            .filter_map(|i| {
                w.say(
                    "lab1",
                    SKIPPED,
                    "not a frame",
                    t0 + Duration::from_millis(i * 2),
                )
            })
            .collect();
        assert_eq!(said, ["lab1: frame skipped: not a frame"]);
        assert!(
            w.say("lab2", SKIPPED, "bad", t0).is_some(),
            "each host its own"
        );
        assert!(
            w.say("lab1", CUT, "mounts", t0).is_some(),
            "each kind its own"
        );
        let later = w.say("lab1", SKIPPED, "not a frame", t0 + Duration::from_secs(61));
        assert_eq!(
            later.as_deref(),
            Some("lab1: frame skipped: not a frame (399 more in the last minute)")
        );
    }
}
