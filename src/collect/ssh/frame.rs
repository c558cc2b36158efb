//! One frame of the remote sampler (`sampler.sh`) → the parts of a `RawSample`. A frame is
//! `@@montui 1 <date +%s%N> <ticks/s> <page size>`, sections `@name` with /proc text, `@@end`
//! (log sections are cut out before, by `stream`).
//! Anything malformed is an error for that frame, never a panic.

use super::super::local::PSEUDO_FS;
use super::super::{CollectError, procfs, sysdetail};
use crate::model::sys::{Inodes, SysRaw, Tasks};
use crate::model::{CMDLINE_MAX, FsUsage, ProcRaw, RawSample};

/// A frame as read: the sample (without host and time) and the remote clocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The host's wall clock when it sampled, ms (to the second where `date` lacks `%N`).
    pub remote_ms: i64,
    /// Seconds since the host booted (/proc/uptime), to time samples precisely.
    pub uptime_ms: i64,
    pub sample: RawSample,
    /// CPU ticks the host's processes used, summed over the frames so far (`@acct`): the
    /// sampler sees every process, the console only the kept ones.
    pub accounted_ticks: Option<u64>,
    /// What the followed log files gained since the last frame.
    pub logs: Vec<LogChunk>,
}

/// Bytes of one remote log file, from a `@log SOURCE INODE OFFSET LENGTH PATH` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogChunk {
    /// The host's log source (its place in the list the sampler was given).
    pub source: usize,
    /// The file the bytes were read from (a rotated file's rest keeps its old inode).
    pub inode: u64,
    /// Where in that file they start.
    pub offset: u64,
    /// The path followed.
    pub path: String,
    pub bytes: Vec<u8>,
}

pub(super) fn bad(message: impl Into<String>) -> CollectError {
    CollectError::Parse {
        what: "sampler frame",
        message: message.into(),
    }
}

/// The text between `@name` and the next section. /proc text is ASCII; anything else is
/// refused here (procfs-core's parsers slice by bytes and can panic on other text).
fn section<'a>(text: &'a str, name: &str) -> Result<&'a str, CollectError> {
    let head = format!("\n@{name}\n");
    let start = text
        .find(&head)
        .map(|i| i + head.len())
        .ok_or_else(|| bad(format!("no @{name} section")))?;
    let len = text[start..]
        .find("\n@")
        .map_or(text.len() - start, |i| i + 1);
    let body = &text[start..start + len];
    if !body.is_ascii() {
        return Err(bad(format!("@{name} is not ASCII")));
    }
    Ok(body)
}

/// Parses one frame, from its `@@montui` line to its `@@end` line (both included).
pub fn parse(text: &str) -> Result<Frame, CollectError> {
    let header = text.lines().next().unwrap_or_default();
    let fields: Vec<&str> = header.split_whitespace().collect();
    let [_, version, epoch, tck, page] = fields[..] else {
        return Err(bad(format!("bad header `{}`", header.escape_default())));
    };
    if version != "1" {
        return Err(bad(format!("sampler version {version}, expected 1")));
    }
    let num = |s: &str, what: &str| {
        s.parse::<u64>()
            .map_err(|_| bad(format!("{what} `{}` is not a number", s.escape_default())))
    };
    // `date +%s%N`: nanoseconds, or seconds followed by a literal `%N`.
    let remote_ms = match epoch.strip_suffix("%N") {
        Some(secs) => num(secs, "time")?.saturating_mul(1000),
        None if epoch.len() > 12 => num(epoch, "time")? / 1_000_000,
        None => num(epoch, "time")?.saturating_mul(1000),
    };
    let (tck, page) = (num(tck, "CLK_TCK")?, num(page, "PAGESIZE")?);
    let tck = tck.clamp(1, 100_000);
    let uptime_ms = section(text, "uptime")?
        .split_whitespace()
        .next()
        .and_then(|u| u.parse::<f64>().ok())
        .filter(|u| u.is_finite() && *u >= 0.0)
        .map(|u| (u * 1000.0) as i64)
        .ok_or_else(|| bad("bad /proc/uptime"))?;
    let (cpu_total, cpus, boot_time) = procfs::stat(section(text, "stat")?.as_bytes(), tck)?;
    let (disks, disk_times) = procfs::diskstats(section(text, "diskstats")?.as_bytes())?;
    let fs = df(section(text, "df")?);
    // Optional parts: a host that cannot tell them still has the rest.
    let inodes = (section(text, "dfi").ok())
        .map(|t| df_inodes(t, &fs))
        .unwrap_or_default();
    let tasks = section(text, "tasks").ok().map(tasks).unwrap_or_default();
    let sample = RawSample {
        host: String::new(),
        ts_ms: 0,
        boot_time,
        ticks_per_sec: tck,
        cpu_total,
        cpus,
        mem: procfs::meminfo(section(text, "meminfo")?.as_bytes())?,
        load: procfs::loadavg(section(text, "loadavg")?.as_bytes())?,
        disks,
        nets: procfs::netdev(section(text, "netdev")?.as_bytes())?,
        fs,
        procs: procs(
            section(text, "procs")?,
            section(text, "procinfo").ok(),
            tck,
            page,
        ),
        sys: SysRaw {
            tasks,
            disks: disk_times,
            inodes,
            ..sysdetail::parse(section(text, "sys").unwrap_or_default())
        },
        series: Default::default(),
    };
    let accounted_ticks = (section(text, "acct").ok()).and_then(|t| t.trim().parse::<u64>().ok());
    Ok(Frame {
        remote_ms: i64::try_from(remote_ms).unwrap_or(0),
        uptime_ms,
        sample,
        accounted_ticks,
        logs: Vec::new(),
    })
}

/// `@tasks`: processes, threads, and those running, blocked, zombie, stopped.
fn tasks(text: &str) -> Tasks {
    let n: Vec<u32> = text
        .split_whitespace()
        .map(|w| w.parse().unwrap_or(0))
        .collect();
    let at = |i: usize| n.get(i).copied().unwrap_or(0);
    Tasks {
        processes: at(0),
        threads: at(1),
        running: at(2),
        blocked: at(3),
        zombie: at(4),
        stopped: at(5),
    }
}

/// `df -P -i`: inodes of the file systems `fs` kept (by mount point).
fn df_inodes(text: &str, fs: &[FsUsage]) -> Vec<Inodes> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let [_, total, _, free, _, ..] = f[..] else {
                return None;
            };
            let mount = f[5..].join(" ");
            let (total, free) = (total.parse().ok()?, free.parse().ok()?);
            let kept = fs.iter().any(|x| x.mount == mount) && total > 0;
            kept.then_some(Inodes { mount, total, free })
        })
        .collect()
}

/// `df -P -k`: real file systems only (no pseudo ones, nothing under /dev, /proc, /sys,
/// /run, nothing under 1 MiB), one entry per device and size (bind mounts).
fn df(text: &str) -> Vec<FsUsage> {
    let mut seen = std::collections::HashSet::new();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            // A mount point may hold spaces: it is everything after the fifth field.
            let [dev, blocks, used, avail, _, ..] = f[..] else {
                return None;
            };
            let mount = f[5..].join(" ");
            let num = |x: &str| x.parse::<u64>().ok();
            let (blocks, used, avail) = (num(blocks)?, num(used)?, num(avail)?);
            let size = blocks.checked_mul(1024)?;
            let pseudo = PSEUDO_FS.contains(&dev) || ["udev", "none", "shm"].contains(&dev);
            let system = ["/dev", "/proc", "/sys", "/run"]
                .iter()
                .any(|p| mount == *p || mount.starts_with(&format!("{p}/")));
            let keep = !pseudo && !system && size >= 1 << 20 && seen.insert((dev, size));
            // Used and Available as df counts them (the root reserve in neither).
            let free = blocks.saturating_sub(used);
            keep.then(|| FsUsage::from_blocks(mount, blocks, free, avail.min(free), 1024))
        })
        .collect()
}

/// `pid start ticks rss_pages state ppid priority nice threads name` lines (the sampler
/// picked them), with `pid user read write cmdline` lines from `info`; bad lines are skipped.
fn procs(text: &str, info: Option<&str>, tck: u64, page: u64) -> Vec<ProcRaw> {
    let mut procs: Vec<ProcRaw> = text
        .lines()
        .filter_map(|l| proc_line(l, tck, page))
        .collect();
    for l in info.unwrap_or_default().lines() {
        let mut f = l.splitn(5, ' ');
        let Some(pid) = f.next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let Some(p) = procs.iter_mut().find(|p| p.pid == pid) else {
            continue;
        };
        let (user, read, write) = (f.next(), f.next(), f.next());
        p.user = user.filter(|u| *u != "-").unwrap_or_default().to_string();
        let bytes = |s: Option<&str>| s?.parse::<u64>().ok();
        p.io = bytes(read).zip(bytes(write));
        p.cmdline = f
            .next()
            .unwrap_or_default()
            .trim_end()
            .chars()
            .take(CMDLINE_MAX)
            .collect();
    }
    procs
}

fn proc_line(l: &str, tck: u64, page: u64) -> Option<ProcRaw> {
    let f: Vec<&str> = l.splitn(10, ' ').collect();
    let [
        pid,
        start,
        ticks,
        rss,
        state,
        ppid,
        priority,
        nice,
        threads,
        name,
    ] = f[..]
    else {
        return None;
    };
    let num = |s: &str| s.parse::<u64>().ok();
    Some(ProcRaw {
        pid: pid.parse().ok()?,
        start: num(start)?,
        name: name.chars().take(64).collect(),
        cpu_ms: num(ticks)?.saturating_mul(1000) / tck,
        rss: num(rss)?.saturating_mul(page),
        ppid: ppid.parse().unwrap_or(0),
        state: state.chars().next()?,
        threads: threads.parse().unwrap_or(0),
        nice: nice.parse().unwrap_or(0),
        priority: priority.parse().unwrap_or(0),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests;
