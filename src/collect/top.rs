//! Which processes a sample keeps: the `top` by recent CPU, then the `top` by memory among
//! the rest. Shared by the local and the remote collectors.

use std::collections::HashMap;

use crate::model::ProcRaw;

pub struct TopProcs {
    top: usize,
    /// CPU time of every process at the last selection, by (pid, start time).
    last_cpu: HashMap<(u32, u64), u64>,
}

impl TopProcs {
    pub fn new(top: usize) -> Self {
        Self {
            top,
            last_cpu: HashMap::new(),
        }
    }

    /// Every process of a host now → the ones worth keeping, sorted by pid.
    pub fn select(&mut self, procs: Vec<ProcRaw>) -> Vec<ProcRaw> {
        let mut all: Vec<(u64, ProcRaw)> = procs
            .into_iter()
            .map(|p| {
                let before = self
                    .last_cpu
                    .get(&(p.pid, p.start))
                    .copied()
                    .unwrap_or(p.cpu_ms);
                (p.cpu_ms.saturating_sub(before), p)
            })
            .collect();
        self.last_cpu = all
            .iter()
            .map(|(_, p)| ((p.pid, p.start), p.cpu_ms))
            .collect();
        keep_top(&mut all, self.top)
    }
}

/// The `top` processes by recent CPU, then the `top` by memory among the rest, sorted by pid.
fn keep_top(all: &mut Vec<(u64, ProcRaw)>, top: usize) -> Vec<ProcRaw> {
    all.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.rss.cmp(&a.1.rss)));
    let mut rest = all.split_off(top.min(all.len()));
    rest.sort_by_key(|p| std::cmp::Reverse(p.1.rss));
    rest.truncate(top);
    let mut kept: Vec<ProcRaw> = all.drain(..).chain(rest).map(|(_, p)| p).collect();
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
        let kept: Vec<u32> = keep_top(&mut all, 2).iter().map(|p| p.pid).collect();
        assert_eq!(kept, [1, 2, 3, 4]);
    }
}
