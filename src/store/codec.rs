use serde::{Deserialize, Serialize};

use crate::model::{CpuTicks, DiskIo, FsUsage, MemRaw, NetIo, ProcRaw, RawSample};

/// Encoding of the `data` column, stored per row in `fmt` so old rows stay readable: 2 since
/// processes carry what htop shows; 1 before (read as processes without those fields).
pub const FORMAT: i64 = 2;

pub(super) fn encode(s: &RawSample) -> Result<Vec<u8>, postcard::Error> {
    postcard::to_stdvec(s)
}

pub(super) fn decode(fmt: i64, data: &[u8], host: &str) -> Result<RawSample, String> {
    let mut s: RawSample = match fmt {
        FORMAT => postcard::from_bytes(data).map_err(|e| e.to_string())?,
        1 => postcard::from_bytes::<V1>(data)
            .map_err(|e| e.to_string())?
            .into(),
        _ => return Err(format!("unknown sample format {fmt}")),
    };
    s.host = host.to_string();
    Ok(s)
}

/// A sample as format 1 wrote it (postcard: the fields in this order, nothing else).
#[derive(Serialize, Deserialize)]
struct V1 {
    ts_ms: i64,
    boot_time: u64,
    ticks_per_sec: u64,
    cpu_total: CpuTicks,
    cpus: Vec<CpuTicks>,
    mem: MemRaw,
    load: [f64; 3],
    disks: Vec<DiskIo>,
    nets: Vec<NetIo>,
    fs: Vec<FsUsage>,
    procs: Vec<V1Proc>,
}

#[derive(Serialize, Deserialize)]
struct V1Proc {
    pid: u32,
    start: u64,
    name: String,
    cpu_ms: u64,
    rss: u64,
}

impl From<V1> for RawSample {
    fn from(v: V1) -> Self {
        RawSample {
            host: String::new(),
            ts_ms: v.ts_ms,
            boot_time: v.boot_time,
            ticks_per_sec: v.ticks_per_sec,
            cpu_total: v.cpu_total,
            cpus: v.cpus,
            mem: v.mem,
            load: v.load,
            disks: v.disks,
            nets: v.nets,
            fs: v.fs,
            procs: (v.procs.into_iter())
                .map(|p| ProcRaw {
                    pid: p.pid,
                    start: p.start,
                    name: p.name,
                    cpu_ms: p.cpu_ms,
                    rss: p.rss,
                    ..Default::default()
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_written_before_processes_carried_more_is_still_read() {
        let old = V1 {
            ts_ms: 5,
            boot_time: 1,
            ticks_per_sec: 100,
            cpu_total: CpuTicks::default(),
            cpus: vec![CpuTicks::default()],
            mem: MemRaw::default(),
            load: [0.5, 0.4, 0.3],
            disks: Vec::new(),
            nets: Vec::new(),
            fs: Vec::new(),
            procs: vec![V1Proc {
                pid: 7,
                start: 2,
                name: "init".into(),
                cpu_ms: 30,
                rss: 4096,
            }],
        };
        let data = postcard::to_stdvec(&old).expect("encodes");
        let s = decode(1, &data, "h").expect("format 1 reads");
        assert_eq!(
            (s.host.as_str(), s.ts_ms, s.load),
            ("h", 5, [0.5, 0.4, 0.3])
        );
        let p = &s.procs[0];
        assert_eq!(
            (p.pid, p.name.as_str(), p.cpu_ms, p.rss, p.state),
            (7, "init", 30, 4096, '\0')
        );
        let mut now = s.clone();
        now.procs[0].cmdline = "/sbin/init".into();
        let back = decode(FORMAT, &encode(&now).expect("encodes"), "h");
        assert_eq!(back, Ok(now));
    }
}
