//! The styles of every view, in one place so a theme replaces them whole (`file`: the theme
//! files and which one applies), fitted to the colours the terminal shows (`Depth`).

mod file;

pub use file::{BUILT_IN, Choice, ThemeError, resolve};

use ratatui::style::{Color, Modifier, Style};

/// Styles of every view.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// The whole screen (a background of the theme's own; unset: the terminal's).
    pub base: Style,
    pub border: Style,
    pub focus: Style,
    pub title: Style,
    pub dim: Style,
    pub status: Style,
    pub cpu: Style,
    pub mem: Style,
    pub swap: Style,
    pub load: Style,
    pub rx: Style,
    pub tx: Style,
    pub read: Style,
    pub write: Style,
    pub ok: Style,
    pub warn: Style,
    pub bad: Style,
    pub selected: Style,
}

/// The `dark` theme (themes/dark.toml says the same).
impl Default for Theme {
    fn default() -> Self {
        let fg = |c| Style::new().fg(c);
        Self {
            base: Style::new(),
            border: fg(Color::DarkGray),
            focus: fg(Color::Cyan),
            title: Style::new().add_modifier(Modifier::BOLD),
            dim: fg(Color::DarkGray),
            status: Style::new().bg(Color::Blue).fg(Color::White),
            cpu: fg(Color::Green),
            mem: fg(Color::Yellow),
            swap: fg(Color::Magenta),
            load: fg(Color::Cyan),
            rx: fg(Color::Green),
            tx: fg(Color::Blue),
            read: fg(Color::Cyan),
            write: fg(Color::Magenta),
            ok: fg(Color::Green),
            warn: fg(Color::Yellow),
            bad: fg(Color::Red),
            selected: Style::new().add_modifier(Modifier::REVERSED),
        }
    }
}

impl Theme {
    /// Green, yellow, red by how full something is.
    pub fn level(&self, pct: f64) -> Style {
        if pct >= 90.0 {
            self.bad
        } else if pct >= 75.0 {
            self.warn
        } else {
            self.ok
        }
    }

    /// Every style, mutable (for fitting them to the terminal).
    fn styles(&mut self) -> [&mut Style; 18] {
        [
            &mut self.base,
            &mut self.border,
            &mut self.focus,
            &mut self.title,
            &mut self.dim,
            &mut self.status,
            &mut self.cpu,
            &mut self.mem,
            &mut self.swap,
            &mut self.load,
            &mut self.rx,
            &mut self.tx,
            &mut self.read,
            &mut self.write,
            &mut self.ok,
            &mut self.warn,
            &mut self.bad,
            &mut self.selected,
        ]
    }

    /// The theme in the colours a terminal of `depth` shows: 24-bit ones as the nearest it has.
    pub fn fitted(mut self, depth: Depth) -> Self {
        for s in self.styles() {
            s.fg = s.fg.map(|c| depth.fit(c));
            s.bg = s.bg.map(|c| depth.fit(c));
        }
        self
    }
}

/// The colours a terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// 24-bit colour.
    True,
    /// The xterm 256: 16 basic, a 6×6×6 cube, 24 greys.
    Indexed,
    /// The 16 basic colours.
    Basic,
}

/// The levels of the xterm colour cube.
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

fn distance(a: [u8; 3], b: [u8; 3]) -> u32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (i32::from(*x) - i32::from(y)).unsigned_abs().pow(2))
        .sum()
}

impl Depth {
    /// From the environment: `COLORTERM` naming 24-bit colour, else `TERM` naming 256.
    pub fn detect(colorterm: Option<&str>, term: Option<&str>) -> Self {
        if matches!(colorterm, Some("truecolor" | "24bit")) {
            Depth::True
        } else if term.is_some_and(|t| t.contains("256")) {
            Depth::Indexed
        } else {
            Depth::Basic
        }
    }

    /// `c` as this terminal shows it: a 24-bit colour as the nearest it has.
    pub fn fit(self, c: Color) -> Color {
        let Color::Rgb(r, g, b) = c else {
            return c;
        };
        let rgb = [r, g, b];
        match self {
            Depth::True => c,
            Depth::Indexed => {
                let level = |v: u8| {
                    (0..6)
                        .min_by_key(|i| u8::abs_diff(CUBE[*i], v))
                        .unwrap_or(0)
                };
                let (ri, gi, bi) = (level(r), level(g), level(b));
                let cube = [CUBE[ri], CUBE[gi], CUBE[bi]];
                let avg = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
                let grey_i = (avg.saturating_sub(3) / 10).min(23) as u8;
                let grey = 8 + 10 * grey_i;
                if distance([grey; 3], rgb) < distance(cube, rgb) {
                    Color::Indexed(232 + grey_i)
                } else {
                    Color::Indexed(16 + 36 * ri as u8 + 6 * gi as u8 + bi as u8)
                }
            }
            Depth::Basic => basic(rgb),
        }
    }
}

/// The basic colour of `rgb` by hue, not by distance (the nearest by distance of a muted red
/// is a grey): a grey by lightness where it has little colour, else the hue of the components
/// that stand out, light when the colour is.
fn basic([r, g, b]: [u8; 3]) -> Color {
    let (hi, lo) = (r.max(g).max(b), r.min(g).min(b));
    let light = (u16::from(hi) + u16::from(lo)) / 2;
    if hi - lo < 40 {
        return match light {
            0..48 => Color::Black,
            48..160 => Color::DarkGray,
            160..224 => Color::Gray,
            _ => Color::White,
        };
    }
    // Components within a third of the range of the highest stand out.
    let mid = lo + (hi - lo) / 3 * 2;
    let bright = light > 150;
    match (r >= mid, g >= mid, b >= mid, bright) {
        (true, false, false, false) => Color::Red,
        (true, false, false, true) => Color::LightRed,
        (false, true, false, false) => Color::Green,
        (false, true, false, true) => Color::LightGreen,
        (false, false, true, false) => Color::Blue,
        (false, false, true, true) => Color::LightBlue,
        (true, true, false, false) => Color::Yellow,
        (true, true, false, true) => Color::LightYellow,
        (false, true, true, false) => Color::Cyan,
        (false, true, true, true) => Color::LightCyan,
        (true, false, true, false) => Color::Magenta,
        (true, false, true, true) => Color::LightMagenta,
        _ => Color::Gray,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_comes_from_colorterm_then_term() {
        assert_eq!(Depth::detect(Some("truecolor"), Some("xterm")), Depth::True);
        assert_eq!(Depth::detect(Some("24bit"), None), Depth::True);
        assert_eq!(Depth::detect(None, Some("tmux-256color")), Depth::Indexed);
        assert_eq!(Depth::detect(None, Some("linux")), Depth::Basic);
        assert_eq!(Depth::detect(None, None), Depth::Basic);
    }

    #[test]
    fn a_24_bit_colour_becomes_the_nearest_the_terminal_has() {
        let nord_red = Color::Rgb(0xbf, 0x61, 0x6a);
        assert_eq!(Depth::True.fit(nord_red), nord_red);
        // 191,97,106 → cube levels 175, 95, 95: 16 + 36·3 + 6·1 + 1.
        assert_eq!(Depth::Indexed.fit(nord_red), Color::Indexed(131));
        assert_eq!(Depth::Basic.fit(nord_red), Color::Red);
        assert_eq!(
            Depth::Indexed.fit(Color::Rgb(0x28, 0x28, 0x28)),
            Color::Indexed(235)
        );
        assert_eq!(Depth::Basic.fit(Color::Rgb(0xfa, 0xfa, 0xfa)), Color::White);
        assert_eq!(Depth::Basic.fit(Color::Rgb(0x28, 0x28, 0x28)), Color::Black);
        assert_eq!(
            Depth::Basic.fit(Color::Rgb(0x50, 0xfa, 0x7b)),
            Color::LightGreen
        );
        assert_eq!(Depth::Basic.fit(Color::Rgb(0x26, 0x8b, 0xd2)), Color::Blue);
        assert_eq!(
            Depth::Basic.fit(Color::Rgb(0xeb, 0xcb, 0x8b)),
            Color::LightYellow
        );
        assert_eq!(Depth::Basic.fit(Color::Cyan), Color::Cyan, "named stay");
    }
}
