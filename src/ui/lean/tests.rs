use super::*;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// A small deterministic generator (xorshift64).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
    fn pick<T: Copy>(&mut self, of: &[T]) -> T {
        of[self.below(of.len())]
    }
}

const COLORS: [Color; 8] = [
    Color::Reset,
    Color::Red,
    Color::Gray,
    Color::White,
    Color::Indexed(3),
    Color::Indexed(12),
    Color::Indexed(200),
    Color::Rgb(10, 200, 30),
];

fn style(rng: &mut Rng) -> Style {
    let mut m = Modifier::empty();
    for (flag, _) in MODIFIERS.iter().take(7) {
        if rng.below(5) == 0 {
            m |= *flag;
        }
    }
    // Bold and dim are one attribute (intensity) to many terminals, vt100 among them: the
    // order they are set in decides, and the two backends set them in different orders.
    let other = if m.contains(Modifier::BOLD) {
        Modifier::DIM
    } else {
        Modifier::BOLD
    };
    m.remove(other);
    Style::default()
        .fg(rng.pick(&COLORS))
        .bg(rng.pick(&COLORS))
        .add_modifier(m)
        .remove_modifier(other)
}

/// Changes a few places of `model`: text, box drawing, wide symbols, styles.
fn mutate(model: &mut Buffer, rng: &mut Rng) {
    let area = model.area;
    for _ in 0..rng.below(12) {
        let (x, y) = (rng.below(area.width.into()), rng.below(area.height.into()));
        let text = rng.pick(&["a", "bc", " ", "  ", "─┐", "█▁", "漢", "é", "12.5%", "x漢y"]);
        let s = if rng.below(3) == 0 {
            style(rng)
        } else {
            Style::default()
        };
        model.set_string(x as u16, y as u16, text, s);
    }
}

fn vt_color(c: Color) -> vt100::Color {
    match c {
        Color::Reset => vt100::Color::Default,
        Color::Indexed(n) => vt100::Color::Idx(n),
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
        named => vt100::Color::Idx(index(named)),
    }
}

/// Every cell of `model` as a terminal emulator shows it after the bytes written (no wide
/// symbols: a narrow one over half a wide one is a case ratatui's diff leaves to the terminal).
fn assert_shows(screen: &vt100::Screen, model: &Buffer) {
    for y in 0..model.area.height {
        for x in 0..model.area.width {
            let want = &model[(x, y)];
            let got = screen.cell(y, x).expect("a cell");
            assert_eq!(blank(got.contents()), want.symbol(), "cell {x},{y}");
            assert_eq!(got.fgcolor(), vt_color(want.fg), "cell {x},{y} fg");
            assert_eq!(got.bgcolor(), vt_color(want.bg), "cell {x},{y} bg");
        }
    }
}

/// A cell never written shows as a space.
fn blank(text: &str) -> &str {
    if text.is_empty() { " " } else { text }
}

/// The two screens agree in every cell: text, colours and attributes.
fn assert_same(a: &vt100::Screen, b: &vt100::Screen, frame: usize) {
    let (h, w) = (7, 23);
    for y in 0..h {
        for x in 0..w {
            let (p, q) = (a.cell(y, x).expect("cell"), b.cell(y, x).expect("cell"));
            let at = format!("frame {frame} cell {x},{y}");
            assert_eq!(blank(p.contents()), blank(q.contents()), "{at}");
            assert_eq!(p.is_wide_continuation(), q.is_wide_continuation(), "{at}");
            assert_eq!(p.fgcolor(), q.fgcolor(), "{at} fg");
            assert_eq!(p.bgcolor(), q.bgcolor(), "{at} bg");
            assert_eq!(p.bold(), q.bold(), "{at} bold");
            assert_eq!(p.dim(), q.dim(), "{at} dim");
            assert_eq!(p.italic(), q.italic(), "{at} italic");
            assert_eq!(p.underline(), q.underline(), "{at} underline");
            assert_eq!(p.inverse(), q.inverse(), "{at} inverse");
        }
    }
}

fn parser(h: u16, w: u16) -> vt100::Parser {
    let nz = |n: u16| std::num::NonZero::new(n).expect("a size");
    vt100::Parser::new(nz(h), nz(w), 0)
}

/// Random frames (text, box drawing, wide symbols, colours, attributes) written through
/// ratatui's `CrosstermBackend` and through this one: a terminal shows the same after each
/// frame, and this one wrote fewer bytes.
#[test]
fn a_terminal_shows_what_crossterm_would_show_in_fewer_bytes() {
    let (mut lean_total, mut crossterm_total) = (0, 0);
    for seed in 1..=20u64 {
        let (w, h) = (23, 7);
        let mut lean = Lean::with_size(Vec::new(), w, h);
        let (mut vt_lean, mut vt_cross) = (parser(h, w), parser(h, w));
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut before = Buffer::empty(Rect::new(0, 0, w, h));
        for frame in 0..60 {
            let mut after = before.clone();
            mutate(&mut after, &mut rng);
            let l0 = lean.writer().len();
            lean.draw(before.diff(&after).into_iter()).expect("lean");
            lean.hide_cursor().expect("lean");
            vt_lean.process(&lean.writer()[l0..]);
            let mut one = Vec::new();
            CrosstermBackend::new(&mut one)
                .draw(before.diff(&after).into_iter())
                .expect("crossterm");
            vt_cross.process(&one);
            crossterm_total += one.len();
            assert_same(vt_lean.screen(), vt_cross.screen(), frame);
            before = after;
        }
        lean_total += lean.writer().len();
    }
    assert!(
        lean_total * 10 < crossterm_total * 8,
        "lean {lean_total} bytes against crossterm {crossterm_total}"
    );
}

#[test]
fn after_forget_and_clear_the_next_frame_is_still_exact() {
    let (w, h) = (12, 4);
    let mut term = Terminal::new(Lean::with_size(Vec::new(), w, h)).expect("terminal");
    let mut vt = parser(h, w);
    let mut model = Buffer::empty(Rect::new(0, 0, w, h));
    model.set_string(0, 0, "abc", Style::default().fg(Color::Red));
    term.draw(|f| f.buffer_mut().clone_from(&model))
        .expect("draw");
    // Someone writes over the screen with their own pen.
    term.backend_mut()
        .out
        .extend_from_slice(b"\x1b[1;44m\x1b[2;2Hzz");
    term.backend_mut().forget();
    term.clear().expect("clear");
    model.set_string(1, 1, "q", Style::default());
    term.draw(|f| f.buffer_mut().clone_from(&model))
        .expect("draw");
    vt.process(term.backend().writer());
    assert_shows(vt.screen(), &model);
}
