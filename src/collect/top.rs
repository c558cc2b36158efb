//! Which processes a sample keeps: the `top` by recent CPU, then the `top` by memory among
//! the rest. Shared by the local and the remote collectors. Beside them, as atop does with
//! process accounting, the CPU time of processes that started and ended between two samples
//! (which no listing sees) is kept as one pseudo-process, `<exited>`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use crate::model::{EXITED, ProcRaw};

/// Processes (pid, start) kept in every sample whatever they use: the one the user follows.
pub type Pins = Arc<Mutex<HashSet<(u32, u64)>>>;

pub struct TopProcs {
    top: usize,
    pins: Pins,
    /// CPU time of every process at the last selection, by (pid, start time).
    last_cpu: HashMap<(u32, u64), u64>,
    /// The host's busy CPU time (user, nice, system; ms) at the last selection, and the CPU
    /// time its processes had used (`select`'s `accounted`, when given).
    last_busy: Option<u64>,
    last_accounted: Option<u64>,
    /// CPU time (ms) no process alive at a selection accounted for, summed: a counter, so
    /// `derive` makes it a rate as any process's.
    exited_ms: u64,
}

impl TopProcs {
    pub fn new(top: usize) -> Self {
        Self::with_pins(top, Pins::default())
    }

    /// As `new`, keeping the processes in `pins` (shared with who chooses them).
    pub fn with_pins(top: usize, pins: Pins) -> Self {
        Self {
            top,
            pins,
            last_cpu: HashMap::new(),
            last_busy: None,
            last_accounted: None,
            exited_ms: 0,
        }
    }

    /// The processes kept whatever they use, shared with who chooses them.
    pub fn pins(&self) -> Pins {
        self.pins.clone()
    }

    /// Every process of a host now, and its busy CPU time so far (ms, from /proc/stat) →
    /// the ones worth keeping, sorted by pid, `<exited>` (PID 0) first. `accounted`: the CPU
    /// time (ms) every process alive at each look used, summed, where `procs` are not all of
    /// them (an SSH host's sampler keeps the top ones and sums for all).
    pub fn select(
        &mut self,
        procs: Vec<ProcRaw>,
        kernel: Vec<ProcRaw>,
        busy_ms: u64,
        accounted: Option<u64>,
    ) -> Vec<ProcRaw> {
        let mut seen = 0u64;
        // Kernel threads are not listed, but what they use is not `<exited>`.
        for p in &kernel {
            let before = self.last_cpu.get(&(p.pid, p.start)).copied();
            seen = seen.saturating_add(p.cpu_ms.saturating_sub(before.unwrap_or(0)));
        }
        let mut all: Vec<(u64, ProcRaw)> = procs
            .into_iter()
            .map(|p| {
                let before = self.last_cpu.get(&(p.pid, p.start)).copied();
                // A process not there before started since: all its time is the interval's.
                seen = seen.saturating_add(p.cpu_ms.saturating_sub(before.unwrap_or(0)));
                (p.cpu_ms.saturating_sub(before.unwrap_or(p.cpu_ms)), p)
            })
            .collect();
        // Given: the difference of its sums (a sampler started over: none this time).
        let used = match (accounted, self.last_accounted) {
            (Some(now), Some(then)) => now.checked_sub(then),
            (Some(_), None) => None,
            (None, _) => Some(seen),
        };
        if let (Some(last), Some(used)) = (self.last_busy, used) {
            let spent = busy_ms.saturating_sub(last);
            self.exited_ms = self.exited_ms.saturating_add(spent.saturating_sub(used));
        }
        self.last_busy = Some(busy_ms);
        self.last_accounted = accounted;
        self.last_cpu = (all.iter().map(|(_, p)| p).chain(&kernel))
            .map(|p| ((p.pid, p.start), p.cpu_ms))
            .collect();
        let pinned = self.pins.lock().map(|p| p.clone()).unwrap_or_default();
        let mut kept = keep_top(&mut all, self.top, &pinned);
        kept.insert(
            0,
            ProcRaw {
                name: EXITED.into(),
                cpu_ms: self.exited_ms,
                ..Default::default()
            },
        );
        kept
    }
}

/// Clock ticks as ms.
pub fn ticks_ms(ticks: u64, ticks_per_sec: u64) -> u64 {
    ticks.saturating_mul(1000) / ticks_per_sec.max(1)
}

/// The `top` processes by recent CPU, then the `top` by memory among the rest, and the
/// pinned ones, sorted by pid.
fn keep_top(
    all: &mut Vec<(u64, ProcRaw)>,
    top: usize,
    pinned: &HashSet<(u32, u64)>,
) -> Vec<ProcRaw> {
    all.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.rss.cmp(&a.1.rss)));
    let mut rest = all.split_off(top.min(all.len()));
    rest.sort_by_key(|p| std::cmp::Reverse(p.1.rss));
    let more = rest.split_off(top.min(rest.len()));
    let pins = more
        .into_iter()
        .filter(|(_, p)| pinned.contains(&(p.pid, p.start)));
    let mut kept: Vec<ProcRaw> = all
        .drain(..)
        .chain(rest)
        .chain(pins)
        .map(|(_, p)| p)
        .collect();
    kept.sort_by_key(|p| p.pid);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_top_by_cpu_and_by_memory() {
        let p = |pid, rss| ProcRaw {
            pid,
            rss,
            ..Default::default()
        };
        let mut all = vec![
            (5, p(1, 1)),
            (0, p(2, 100)),
            (9, p(3, 2)),
            (0, p(4, 50)),
            (0, p(5, 1)),
        ];
        let pinned = HashSet::from([(5, 0)]);
        let kept: Vec<u32> = (keep_top(&mut all.clone(), 2, &HashSet::new()).iter())
            .map(|p| p.pid)
            .collect();
        assert_eq!(kept, [1, 2, 3, 4]);
        let kept: Vec<u32> = keep_top(&mut all, 2, &pinned)
            .iter()
            .map(|p| p.pid)
            .collect();
        assert_eq!(kept, [1, 2, 3, 4, 5], "the pinned one too");
    }

    #[test]
    fn cpu_of_processes_that_came_and_went_between_samples_is_exited() {
        let p = |pid, cpu_ms| ProcRaw {
            pid,
            start: pid.into(),
            cpu_ms,
            ..Default::default()
        };
        let mut top = TopProcs::new(5);
        let exited = |kept: &[ProcRaw]| (kept[0].pid, kept[0].name.clone(), kept[0].cpu_ms);
        let first = top.select(vec![p(1, 1_000), p(2, 50)], vec![], 10_000, None);
        assert_eq!(exited(&first), (0, EXITED.to_string(), 0));
        // 900 ms busy: PID 1 used 300, PID 3 (new) 100, PID 2 ended; 500 ms nobody alive has.
        let kept = top.select(vec![p(1, 1_300), p(3, 100)], vec![], 10_900, None);
        assert_eq!(exited(&kept), (0, EXITED.to_string(), 500));
        // Fewer busy ms than the processes account for (reads a moment apart): nothing, not
        // less than nothing.
        let kept = top.select(vec![p(1, 1_500), p(3, 100)], vec![], 11_000, None);
        assert_eq!(kept[0].cpu_ms, 500);
        // A kernel thread's time is its own, not the exited's, though it is not listed.
        top.select(vec![p(1, 1_500)], vec![p(9, 50)], 12_000, None);
        let kept = top.select(vec![p(1, 1_600)], vec![p(9, 450)], 12_500, None);
        assert_eq!(
            kept[0].cpu_ms,
            500 + 950,
            "950 when PID 3 went (PID 9 new: 50); none now"
        );
        assert!(kept.iter().all(|k| k.pid != 9));
    }

    #[test]
    fn a_sampler_that_sums_for_every_process_is_taken_at_its_word() {
        let mut top = TopProcs::new(1);
        top.select(vec![], vec![], 1_000, Some(5_000));
        // The host was busy 800 ms; its processes (most not sent) used 700.
        let kept = top.select(vec![], vec![], 1_800, Some(5_700));
        assert_eq!(kept[0].cpu_ms, 100);
        // The sampler started over (its sum went back): that interval counts for nothing.
        let kept = top.select(vec![], vec![], 2_800, Some(10));
        assert_eq!(kept[0].cpu_ms, 100);
        let kept = top.select(vec![], vec![], 3_000, Some(210));
        assert_eq!(kept[0].cpu_ms, 100);
    }
}
