//! Rendering cost: a full 200×60 frame drawn into TestBackend from a state with 300 samples of
//! history, and the same frame at 120×40. `cargo bench --bench render`.

use montui::app::{Mode, Recording, State};
use montui::model::{CpuTicks, MemRaw, NetIo, ProcRaw, RawSample, derive};
use montui::ui::{Theme, draw};
use ratatui::{Terminal, backend::TestBackend};

fn main() {
    divan::main();
}

fn state() -> State {
    let mut s = State::new(Mode::Live, "bench", 1000, 300);
    s.recording = Recording::On;
    let mut prev: Option<RawSample> = None;
    for i in 0..300u64 {
        let cpu = |c: u64| CpuTicks {
            user: i * (30 + c),
            system: i * 10,
            idle: i * (60 - c),
            ..Default::default()
        };
        let raw = RawSample {
            host: "bench".into(),
            ts_ms: 1_700_000_000_000 + i as i64 * 1000,
            boot_time: 1,
            ticks_per_sec: 100,
            cpu_total: cpu(0),
            cpus: (0..16).map(cpu).collect(),
            mem: MemRaw {
                total: 32 << 30,
                available: 20 << 30,
                ..Default::default()
            },
            load: [1.0, 1.0, 1.0],
            nets: vec![NetIo {
                name: "eth0".into(),
                rx_bytes: i * i * 1000,
                tx_bytes: i * 5000,
            }],
            procs: (0..50)
                .map(|p| ProcRaw {
                    pid: p,
                    start: 1,
                    name: format!("process-{p}"),
                    cpu_ms: i * p as u64,
                    rss: (p as u64) << 20,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        s.push_live(derive(&raw, prev.as_ref()));
        prev = Some(raw);
    }
    s
}

#[divan::bench(args = [(200, 60), (120, 40)])]
fn full_frame(bencher: divan::Bencher, (w, h): (u16, u16)) {
    let s = state();
    let theme = Theme::default();
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    bencher.bench_local(|| {
        term.draw(|f| draw(f, &s, &theme)).unwrap();
    });
}

/// The floor: ratatui drawing a frame with one bordered block over the whole area, so the
/// full frame's cost reads as a ratio to what any ratatui UI pays.
#[divan::bench(args = [(200, 60), (120, 40)])]
fn floor_one_block(bencher: divan::Bencher, (w, h): (u16, u16)) {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    bencher.bench_local(|| {
        term.draw(|f| f.render_widget(ratatui::widgets::Block::bordered(), f.area()))
            .unwrap();
    });
}
