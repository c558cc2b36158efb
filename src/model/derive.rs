use std::collections::HashMap;

use super::raw::{CpuTicks, ProcRaw, RawSample};
use super::snapshot::{CpuPct, DiskRate, FsRow, Mem, NetRate, ProcRow, Snapshot};

/// Linux reports disk counters in 512-byte sectors whatever the device's real sector size.
const SECTOR_BYTES: f64 = 512.0;

/// The one function that turns raw samples into metrics, used live and in replay alike.
/// `prev` is the host's previous sample; rates are `None` where it is missing or unusable
/// (another host, a reboot in between, a clock that went backwards).
pub fn derive(cur: &RawSample, prev: Option<&RawSample>) -> Snapshot {
    let prev =
        prev.filter(|p| p.host == cur.host && p.boot_time == cur.boot_time && p.ts_ms < cur.ts_ms);
    let dt_ms = prev.map(|p| cur.ts_ms - p.ts_ms);
    let secs = dt_ms.map(|ms| ms as f64 / 1000.0);
    let m = &cur.mem;
    Snapshot {
        host: cur.host.clone(),
        ts_ms: cur.ts_ms,
        dt_ms,
        cpu: prev.and_then(|p| cpu_pct(&p.cpu_total, &cur.cpu_total)),
        cores: cur
            .cpus
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let before = prev.and_then(|p| p.cpus.get(i))?;
                cpu_pct(before, c).map(|p| p.busy())
            })
            .collect(),
        mem: Mem {
            total: m.total,
            used: m.total.saturating_sub(m.available),
            cached: m.cached + m.buffers,
            swap_total: m.swap_total,
            swap_used: m.swap_total.saturating_sub(m.swap_free),
        },
        load: cur.load,
        fs: cur
            .fs
            .iter()
            .map(|f| FsRow {
                mount: f.mount.clone(),
                total: f.total,
                used: f.total.saturating_sub(f.available),
                inodes_pct: sys::inodes_pct(cur, &f.mount),
            })
            .collect(),
        disks: cur
            .disks
            .iter()
            .map(|d| {
                let before = prev.and_then(|p| p.disks.iter().find(|x| x.name == d.name));
                let (busy, await_ms) = sys::disk_times(cur, prev, &d.name, secs);
                DiskRate {
                    name: d.name.clone(),
                    busy,
                    await_ms,
                    read: rate(before.map(|b| b.sectors_read), d.sectors_read, secs)
                        .map(|r| r * SECTOR_BYTES),
                    write: rate(before.map(|b| b.sectors_written), d.sectors_written, secs)
                        .map(|r| r * SECTOR_BYTES),
                }
            })
            .collect(),
        nets: cur
            .nets
            .iter()
            .map(|n| {
                let before = prev.and_then(|p| p.nets.iter().find(|x| x.name == n.name));
                NetRate {
                    name: n.name.clone(),
                    rx: rate(before.map(|b| b.rx_bytes), n.rx_bytes, secs),
                    tx: rate(before.map(|b| b.tx_bytes), n.tx_bytes, secs),
                }
            })
            .collect(),
        procs: procs(cur, prev, secs),
        sys: sys::sys_now(cur, prev, secs),
        series: cur
            .series
            .iter()
            .filter_map(super::Series::derive)
            .collect(),
        series_at: cur.series.iter().map(|s| s.at_ms).max().unwrap_or(0),
    }
}

fn procs(cur: &RawSample, prev: Option<&RawSample>, secs: Option<f64>) -> Vec<ProcRow> {
    let before: HashMap<(u32, u64), &ProcRaw> = prev
        .map(|p| p.procs.iter().map(|x| ((x.pid, x.start), x)).collect())
        .unwrap_or_default();
    cur.procs
        .iter()
        .map(|p| {
            let was = before.get(&(p.pid, p.start));
            let io = |f: fn((u64, u64)) -> u64| {
                let then = was.and_then(|w| w.io).map(f);
                rate(then, f(p.io?), secs)
            };
            ProcRow {
                pid: p.pid,
                start: p.start,
                name: p.name.clone(),
                cpu: rate(was.map(|w| w.cpu_ms), p.cpu_ms, secs).map(|ms_per_s| ms_per_s / 10.0),
                rss: p.rss,
                ppid: p.ppid,
                state: p.state,
                threads: p.threads,
                nice: p.nice,
                priority: p.priority,
                user: p.user.clone(),
                cmdline: p.cmdline.clone(),
                time_ms: p.cpu_ms,
                started_ms: started_ms(cur, p.start),
                read: io(|(r, _)| r),
                write: io(|(_, w)| w),
            }
        })
        .collect()
}

/// A process's start (clock ticks after boot) as ms since the epoch.
fn started_ms(s: &RawSample, start: u64) -> i64 {
    if s.boot_time == 0 || start == 0 {
        return 0;
    }
    let ms = s.boot_time.saturating_mul(1000) + start.saturating_mul(1000) / s.ticks_per_sec.max(1);
    i64::try_from(ms).unwrap_or(0)
}

fn cpu_pct(before: &CpuTicks, now: &CpuTicks) -> Option<CpuPct> {
    let total = counter_delta(before.total(), now.total())? as f64;
    if total == 0.0 {
        return None;
    }
    let part = |a: u64, b: u64| b.saturating_sub(a) as f64 * 100.0 / total;
    Some(CpuPct {
        user: part(before.user + before.nice, now.user + now.nice),
        system: part(before.system, now.system),
        iowait: part(before.iowait, now.iowait),
        other: part(
            before.irq + before.softirq + before.steal,
            now.irq + now.softirq + now.steal,
        ),
    })
}

/// Per-second rate of a counter, if both readings and the interval are usable.
fn rate(before: Option<u64>, now: u64, secs: Option<f64>) -> Option<f64> {
    let secs = secs.filter(|s| *s > 0.0)?;
    Some(counter_delta(before?, now)? as f64 / secs)
}

/// Increase of a counter between two readings.
/// A 32-bit counter that wrapped (old value near 2^32, new one small) counts the wrap;
/// any other decrease is a reset and gives `None`, never a huge bogus rate.
pub fn counter_delta(before: u64, now: u64) -> Option<u64> {
    const U32: u64 = 1 << 32;
    if now >= before {
        Some(now - before)
    } else if (U32 - (U32 >> 2)..U32).contains(&before) && now < (U32 >> 2) {
        Some(U32 - before + now)
    } else {
        None
    }
}

mod sys;
#[cfg(test)]
mod tests;
