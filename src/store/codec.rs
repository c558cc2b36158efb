use serde::{Deserialize, Serialize};

use crate::model::sys::{Gpu, SysRaw};
use crate::model::{CpuTicks, DiskIo, FsUsage, MemRaw, NetIo, ProcRaw, RawSample, Series};

use super::texts::Texts;

/// Encoding of the `data` column, stored per row in `fmt` so old rows stay readable: 5 since
/// the series of scrapes and StatsD follow the GPUs; 4 since GPUs follow the text ids; 3 since a process's owner and command line are kept once in
/// `proc_texts` and the row names them by id, and samples carry system detail (`sys`); 2 when
/// every row carried them; 1 before processes carried what htop shows (read as processes
/// without those fields).
pub const FORMAT: i64 = 5;

/// A sample as the head keeps it: its processes without owner and command line, and beside
/// them the id of each one's texts (`text_ids[i]` for `procs[i]`).
pub(super) fn encode(s: &RawSample, text_ids: &[i64]) -> Result<Vec<u8>, postcard::Error> {
    let mut bare = s.clone();
    for p in &mut bare.procs {
        p.user.clear();
        p.cmdline.clear();
    }
    postcard::to_stdvec(&(bare, text_ids, &s.sys.gpus, s.series.as_slice()))
}

/// Reads a head row; `texts` gives the owners and command lines of formats 3 and 4 (an id it
/// lacks leaves them empty, as a process whose command line could not be read).
pub(super) fn decode(
    fmt: i64,
    data: &[u8],
    host: &str,
    texts: &Texts,
) -> Result<RawSample, String> {
    let mut s: RawSample = match fmt {
        3..=FORMAT => {
            let err = |e: postcard::Error| e.to_string();
            let (mut s, ids, gpus, series): (RawSample, Vec<i64>, Vec<Gpu>, Vec<Series>) = match fmt
            {
                3 => {
                    let (s, ids) = postcard::from_bytes(data).map_err(err)?;
                    (s, ids, Vec::new(), Vec::new())
                }
                4 => {
                    let (s, ids, gpus) = postcard::from_bytes(data).map_err(err)?;
                    (s, ids, gpus, Vec::new())
                }
                _ => postcard::from_bytes(data).map_err(err)?,
            };
            s.sys.gpus = gpus;
            s.series = std::sync::Arc::new(series);
            for (p, id) in s.procs.iter_mut().zip(ids) {
                if let Some((user, cmdline)) = texts.get(id) {
                    p.user = user.to_string();
                    p.cmdline = cmdline.to_string();
                }
            }
            s
        }
        // Format 2 is format 3's sample up to its last field (`sys`), which it lacks.
        2 => {
            let none = postcard::to_stdvec(&SysRaw::default()).map_err(|e| e.to_string())?;
            postcard::from_bytes(&[data, &none].concat()).map_err(|e| e.to_string())?
        }
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
            sys: SysRaw::default(),
            series: Default::default(),
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
        let none = Texts::default();
        let s = decode(1, &data, "h", &none).expect("format 1 reads");
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
        let two = postcard::to_stdvec(&now).expect("encodes");
        assert_eq!(decode(2, &two, "h", &none).as_ref(), Ok(&now));
        let texts = Texts::from_rows([(9, "root".to_string(), "/sbin/init".to_string())]);
        now.procs[0].user = "root".into();
        let three = postcard::to_stdvec(&(&now, vec![9i64])).expect("encodes");
        assert_eq!(decode(3, &three, "h", &texts).as_ref(), Ok(&now));
        now.sys.gpus = vec![Gpu {
            name: "0 T4".into(),
            busy: Some(3.0),
            mem_used: 1 << 30,
            mem_total: 16 << 30,
        }];
        let four = postcard::to_stdvec(&(&now, vec![9i64], &now.sys.gpus)).expect("encodes");
        assert_eq!(decode(4, &four, "h", &texts).as_ref(), Ok(&now));
        now.series = std::sync::Arc::new(vec![Series {
            name: "jobs_total".into(),
            labels: vec![("queue".into(), "a".into())],
            value: 9.0,
            at_ms: 4,
            counter: true,
            prev: Some((2, 7.0)),
        }]);
        let back = decode(FORMAT, &encode(&now, &[9]).expect("encodes"), "h", &texts);
        assert_eq!(back, Ok(now));
    }
}
