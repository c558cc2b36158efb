//! The StatsD listener on loopback: first flooded as fast as one sender thread can (lines
//! per CPU second of the listener's own thread: what one core takes), then paced at
//! `--rate` packets/s (what is lost at that rate). One line per packet, counters, timers,
//! gauges and tagged lines mixed; sent `BATCH` packets per system call (sendmmsg), so the
//! sender keeps up with the listener on the other core.

use std::net::UdpSocket;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use montui::collect::statsd;
use montui::config::StatsdListen;

use super::{flag, procstat};

pub fn run(args: &[String]) -> Result<(), String> {
    let rate: u64 = flag(args, "--rate", 500_000)?;
    let secs: u64 = flag(args, "--secs", 3)?;
    let cfg = StatsdListen {
        listen: "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
        every: Duration::from_secs(1),
        host: None,
        max_series: 10_000,
    };
    let bound = statsd::bind(&cfg)?;
    let addr = bound.addr().ok_or("no address")?;
    let counts = bound.counts.clone();
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    statsd::spawn(bound, "bench", tx, stop).map_err(|e| e.to_string())?;
    std::thread::spawn(move || while rx.blocking_recv().is_some() {});
    let lines: Vec<Vec<u8>> = (0..1000)
        .map(|i| match i % 4 {
            0 => format!("app.hits:1|c|#route:/{}", i % 50),
            1 => format!("app.took:{}|ms", 1 + i % 700),
            2 => format!("app.queue:{}|g", i % 30),
            _ => format!("app.bytes:{}|c|@0.5", i),
        })
        .map(String::into_bytes)
        .collect();
    let sock = UdpSocket::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    sock.connect(addr).map_err(|e| e.to_string())?;
    let mut out = Sender::new(&lines);
    let cpu = || procstat::threads_cpu_secs(|name| name == "statsd");
    let taken = || counts.lines.load(Ordering::Relaxed);
    // Flooded: what one core of the listener takes.
    let (c0, n0, t0) = (cpu(), taken(), Instant::now());
    let mut sent = 0u64;
    while t0.elapsed() < Duration::from_secs(secs) {
        sent += out.send(&sock, sent, BATCH) as u64;
    }
    std::thread::sleep(Duration::from_millis(300));
    let (flood_taken, flood_cpu) = (taken() - n0, cpu() - c0);
    let per_core = flood_taken as f64 / flood_cpu.max(1e-9);
    println!(
        "flood: sent {sent} in {secs} s ({:.0}/s), taken {flood_taken}, listener thread {flood_cpu:.2} CPU s → {per_core:.0} packets per CPU second",
        sent as f64 / secs as f64
    );
    // Paced at `rate`: what is lost.
    let (n1, t1) = (taken(), Instant::now());
    let mut sent_paced = 0u64;
    let total = rate * secs;
    while sent_paced < total {
        let due = (t1.elapsed().as_secs_f64() * rate as f64) as u64;
        while sent_paced < due.min(total) {
            let n = (due.min(total) - sent_paced).min(BATCH as u64) as usize;
            sent_paced += out.send(&sock, sent_paced, n) as u64;
        }
        std::hint::spin_loop();
    }
    let wall = t1.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_millis(500));
    let paced_taken = taken() - n1;
    let lost = sent_paced.saturating_sub(paced_taken);
    println!(
        "paced: {sent_paced} sent in {wall:.2} s ({:.0}/s asked {rate}/s), taken {paced_taken}, lost {lost}",
        sent_paced as f64 / wall
    );
    let _ = stop_tx.send(true);
    println!(
        "statsd: packets_per_s={per_core:.0} rate={:.0} lost={lost} lost_pct={:.2} malformed={}",
        sent_paced as f64 / wall,
        lost as f64 * 100.0 / sent_paced.max(1) as f64,
        counts.malformed.load(Ordering::Relaxed)
    );
    Ok(())
}

/// Packets per sendmmsg call.
const BATCH: usize = 64;

/// The lines as datagram headers for sendmmsg, cycled through.
struct Sender {
    iovs: Vec<libc::iovec>,
}

impl Sender {
    fn new(lines: &[Vec<u8>]) -> Self {
        let iovs = (lines.iter())
            .map(|l| libc::iovec {
                iov_base: l.as_ptr() as *mut libc::c_void,
                iov_len: l.len(),
            })
            .collect();
        Self { iovs }
    }

    /// Sends `n` (≤ BATCH) packets, the lines from `from` on; how many went.
    fn send(&mut self, sock: &UdpSocket, from: u64, n: usize) -> usize {
        use std::os::fd::AsRawFd;
        let mut msgs: Vec<libc::mmsghdr> = (0..n.min(BATCH))
            .map(|k| {
                let at = (from as usize + k) % self.iovs.len();
                // SAFETY: mmsghdr is plain data; all zeros is a valid empty header.
                let mut m: libc::mmsghdr = unsafe { std::mem::zeroed() };
                m.msg_hdr.msg_iov = &mut self.iovs[at];
                m.msg_hdr.msg_iovlen = 1;
                m
            })
            .collect();
        // SAFETY: each header points at one iovec of a line that outlives the call; the
        // socket is connected, so no address is given.
        let sent = unsafe {
            libc::sendmmsg(
                sock.as_raw_fd(),
                msgs.as_mut_ptr(),
                msgs.len() as libc::c_uint,
                0,
            )
        };
        usize::try_from(sent).unwrap_or(0)
    }
}
