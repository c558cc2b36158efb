//! System detail of a snapshot: pressure as % of the interval stalled, disks' busy % and
//! average I/O time, file systems' inode use, uptime; GPUs as read.

use super::{counter_delta, rate};
use crate::model::RawSample;
use crate::model::sys::SysNow;

pub(super) fn sys_now(cur: &RawSample, prev: Option<&RawSample>, secs: Option<f64>) -> SysNow {
    let s = &cur.sys;
    // µs stalled per second of the interval, as a percentage.
    let psi = (|| {
        let (now, then) = (s.psi?, prev?.sys.psi?);
        let secs = secs.filter(|s| *s > 0.0)?;
        let mut out = [0.0; 5];
        for (o, (n, t)) in out.iter_mut().zip(now.iter().zip(then)) {
            *o = (counter_delta(t, *n)? as f64 / (secs * 1e4)).min(100.0);
        }
        Some(out)
    })();
    let uptime_s =
        (cur.boot_time > 0).then(|| (cur.ts_ms as f64 / 1000.0 - cur.boot_time as f64).max(0.0));
    SysNow {
        psi,
        tasks: s.tasks,
        mhz: s.mhz.clone(),
        sensors: s.sensors.clone(),
        gpus: s.gpus.clone(),
        uptime_s,
    }
}

/// A disk's busy % (time with I/O in flight) and average ms an I/O took, over the interval.
pub(super) fn disk_times(
    cur: &RawSample,
    prev: Option<&RawSample>,
    name: &str,
    secs: Option<f64>,
) -> (Option<f64>, Option<f64>) {
    let find = |s: &RawSample| s.sys.disks.iter().find(|d| d.name == name).cloned();
    let (Some(now), Some(then)) = (find(cur), prev.and_then(find)) else {
        return (None, None);
    };
    let busy = rate(Some(then.busy_ms), now.busy_ms, secs).map(|ms| (ms / 10.0).min(100.0));
    let ios = counter_delta(then.ios, now.ios);
    let wait = counter_delta(then.io_ms, now.io_ms);
    let await_ms = match (ios, wait) {
        (Some(0), Some(_)) => Some(0.0),
        (Some(n), Some(ms)) => Some(ms as f64 / n as f64),
        _ => None,
    };
    (busy, await_ms)
}

/// Inodes in use on `mount`, % of its inodes; None where not known.
pub(super) fn inodes_pct(cur: &RawSample, mount: &str) -> Option<f64> {
    let i = cur
        .sys
        .inodes
        .iter()
        .find(|i| i.mount == mount && i.total > 0)?;
    Some(i.total.saturating_sub(i.free) as f64 * 100.0 / i.total as f64)
}
