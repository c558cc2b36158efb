//! A ratatui backend that writes the same frames in fewer bytes than `CrosstermBackend`, for
//! users who watch montui over SSH all day.
//!
//! ratatui hands a backend the cells that changed. `CrosstermBackend` moves the cursor with a
//! full `ESC[row;colH` before every run of them, sets both colours whenever one changes (in
//! the 256-colour form even for the 16 basic ones) and resets the pen after every frame. Here:
//! - a short gap on the same row is crossed by writing again the cells the terminal already
//!   shows (when they share the pen) or by `ESC[nC`; the next row's start is `\r\n`; only
//!   then a full move;
//! - one SGR sequence sets only what changed, with the short codes for the 16 basic colours;
//! - the pen and the cursor's visibility are kept across frames, so an idle frame that
//!   changes one digit writes that digit and its move.
//!
//! The backend keeps a copy of what the terminal shows to know what a gap holds.
//! [`Lean::forget`] drops what it knows after someone else wrote to the terminal.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use ratatui::text::Span;

/// Longest gap worth filling: a full move costs at most 10 bytes below 1000 rows and columns.
const MAX_FILL: u16 = 10;

/// The backend; `out` should be buffered (frames are written in one `flush`).
pub struct Lean<W: Write> {
    out: W,
    /// A fixed size (tests); else the terminal's.
    fixed: Option<Size>,
    /// What the terminal shows where known, for cells one column wide.
    screen: Vec<Option<Cell>>,
    width: u16,
    /// Where the cursor is, when known.
    at: Option<(u16, u16)>,
    /// The attributes the terminal writes with, when known.
    pen: Option<Pen>,
    cursor_shown: Option<bool>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

impl Pen {
    fn of(cell: &Cell) -> Self {
        Self {
            fg: cell.fg,
            bg: cell.bg,
            modifier: cell.modifier,
        }
    }
}

impl<W: Write> Lean<W> {
    /// A backend for the terminal `out` writes to.
    pub fn new(out: W) -> Self {
        Self {
            out,
            fixed: None,
            screen: Vec::new(),
            width: 0,
            at: None,
            pen: None,
            cursor_shown: None,
        }
    }

    /// A backend of a fixed size, as a terminal that was just cleared (tests, benches).
    pub fn with_size(out: W, width: u16, height: u16) -> Self {
        let mut b = Self::new(out);
        b.fixed = Some(Size { width, height });
        b.blank(width, height);
        b
    }

    /// The bytes written so far.
    pub fn writer(&self) -> &W {
        &self.out
    }

    /// Someone else wrote to the terminal (a suspended shell): nothing known holds.
    pub fn forget(&mut self) {
        self.screen.iter_mut().for_each(|c| *c = None);
        self.at = None;
        self.pen = None;
        self.cursor_shown = None;
    }

    fn blank(&mut self, width: u16, height: u16) {
        self.width = width;
        self.screen = vec![Some(Cell::EMPTY); usize::from(width) * usize::from(height)];
    }

    fn index(&self, x: u16, y: u16) -> Option<usize> {
        let i = usize::from(y) * usize::from(self.width) + usize::from(x);
        (x < self.width && i < self.screen.len()).then_some(i)
    }

    /// Bytes to write the cells `from..to` of row `y` again, when all are known, one column
    /// wide and drawn with the current pen.
    fn fill_cost(&self, from: u16, to: u16, y: u16) -> Option<usize> {
        let pen = self.pen?;
        let mut bytes = 0;
        for x in from..to {
            let cell = self.screen.get(self.index(x, y)?)?.as_ref()?;
            if Pen::of(cell) != pen {
                return None;
            }
            bytes += cell.symbol().len();
        }
        Some(bytes)
    }

    fn move_to(&mut self, x: u16, y: u16) -> io::Result<()> {
        let full = 4 + digits(y + 1) + digits(x + 1);
        match self.at {
            Some((cx, cy)) if cy == y && cx == x => return Ok(()),
            Some((cx, cy)) if cy == y && x > cx && x - cx <= MAX_FILL => {
                let forward = 3 + if x - cx == 1 { 0 } else { digits(x - cx) };
                match self.fill_cost(cx, x, y) {
                    Some(fill) if fill <= forward.min(full) => {
                        for gx in cx..x {
                            if let Some(Some(cell)) = self.index(gx, y).map(|i| &self.screen[i]) {
                                self.out.write_all(cell.symbol().as_bytes())?;
                            }
                        }
                    }
                    _ if forward < full => match x - cx {
                        1 => self.out.write_all(b"\x1b[C")?,
                        n => write!(self.out, "\x1b[{n}C")?,
                    },
                    _ => write!(self.out, "\x1b[{};{}H", y + 1, x + 1)?,
                }
            }
            Some((_, cy)) if cy == y => write!(self.out, "\x1b[{}G", x + 1)?,
            Some((_, cy)) if y == cy + 1 && x == 0 => self.out.write_all(b"\r\n")?,
            _ => write!(self.out, "\x1b[{};{}H", y + 1, x + 1)?,
        }
        self.at = Some((x, y));
        Ok(())
    }

    fn set_pen(&mut self, pen: Pen) -> io::Result<()> {
        if self.pen == Some(pen) {
            return Ok(());
        }
        let mut sgr = String::with_capacity(24);
        let (added, fg, bg) = match self.pen {
            Some(old) if old.modifier.difference(pen.modifier).is_empty() => (
                pen.modifier.difference(old.modifier),
                pen.fg != old.fg,
                pen.bg != old.bg,
            ),
            _ => {
                sgr.push_str("0;");
                (pen.modifier, pen.fg != Color::Reset, pen.bg != Color::Reset)
            }
        };
        for (m, code) in MODIFIERS {
            if added.contains(m) {
                sgr.push_str(code);
                sgr.push(';');
            }
        }
        if fg {
            push_color(&mut sgr, pen.fg, 30);
        }
        if bg {
            push_color(&mut sgr, pen.bg, 40);
        }
        sgr.pop();
        write!(self.out, "\x1b[{sgr}m")?;
        self.pen = Some(pen);
        Ok(())
    }
}

const MODIFIERS: [(Modifier, &str); 9] = [
    (Modifier::BOLD, "1"),
    (Modifier::DIM, "2"),
    (Modifier::ITALIC, "3"),
    (Modifier::UNDERLINED, "4"),
    (Modifier::SLOW_BLINK, "5"),
    (Modifier::RAPID_BLINK, "6"),
    (Modifier::REVERSED, "7"),
    (Modifier::HIDDEN, "8"),
    (Modifier::CROSSED_OUT, "9"),
];

/// Appends `c` and a `;` as SGR parameters: `base` is 30 for the foreground, 40 for the
/// background.
fn push_color(sgr: &mut String, c: Color, base: u8) {
    use std::fmt::Write as _;
    let basic = |n: u8| if n < 8 { base + n } else { base + 60 + n - 8 };
    let _ = match c {
        Color::Reset => write!(sgr, "{};", base + 9),
        Color::Indexed(n) if n < 16 => write!(sgr, "{};", basic(n)),
        Color::Indexed(n) => write!(sgr, "{};5;{n};", base + 8),
        Color::Rgb(r, g, b) => write!(sgr, "{};2;{r};{g};{b};", base + 8),
        named => write!(sgr, "{};", basic(index(named))),
    };
}

/// The palette index of a named colour.
fn index(c: Color) -> u8 {
    match c {
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        _ => 15,
    }
}

fn digits(n: u16) -> usize {
    match n {
        0..10 => 1,
        10..100 => 2,
        100..1000 => 3,
        1000..10000 => 4,
        _ => 5,
    }
}

impl<W: Write> Backend for Lean<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        for (x, y, cell) in content {
            self.move_to(x, y)?;
            self.set_pen(Pen::of(cell))?;
            let symbol = cell.symbol();
            self.out.write_all(symbol.as_bytes())?;
            // Anything but one column (wide, or empty) leaves the cursor where only a move
            // can say.
            let wide = symbol.len() != 1 && Span::raw(symbol).width() != 1;
            if let Some(i) = self.index(x, y) {
                self.screen[i] = (!wide).then(|| cell.clone());
            }
            // Past the last column the terminal waits to wrap: a move is needed.
            self.at = (!wide && x + 1 < self.width).then_some((x + 1, y));
            if wide {
                // What a wide symbol covers, and what it may have cut.
                for dx in 1..=2 {
                    if let Some(i) = self.index(x + dx, y) {
                        self.screen[i] = None;
                    }
                }
            }
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown != Some(false) {
            self.out.write_all(b"\x1b[?25l")?;
            self.cursor_shown = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown != Some(true) {
            self.out.write_all(b"\x1b[?25h")?;
            self.cursor_shown = Some(true);
        }
        Ok(())
    }

    /// Where this backend left the cursor: asking the terminal would race the key reader for
    /// its answer, and a full-screen UI places the cursor itself.
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        let (x, y) = self.at.unwrap_or_default();
        Ok(Position { x, y })
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        write!(self.out, "\x1b[{};{}H", p.y + 1, p.x + 1)?;
        self.at = Some((p.x, p.y));
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        let code = match clear_type {
            ClearType::All => "2J",
            ClearType::AfterCursor => "J",
            ClearType::BeforeCursor => "1J",
            ClearType::CurrentLine => "2K",
            ClearType::UntilNewLine => "K",
        };
        // Cleared cells take the current background: draw them with a reset pen.
        if self.pen.is_none_or(|p| p.bg != Color::Reset) {
            self.out.write_all(b"\x1b[0m")?;
            self.pen = Some(Pen::of(&Cell::EMPTY));
        }
        write!(self.out, "\x1b[{code}")?;
        match clear_type {
            ClearType::All => {
                let size = self.size()?;
                self.blank(size.width, size.height);
            }
            _ => self.forget(),
        }
        Ok(())
    }

    fn size(&self) -> io::Result<Size> {
        match self.fixed {
            Some(s) => Ok(s),
            None => crossterm::terminal::size().map(|(width, height)| Size { width, height }),
        }
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let columns_rows = self.size()?;
        let pixels = match self.fixed {
            Some(_) => Size::default(),
            None => crossterm::terminal::window_size()
                .map(|w| Size {
                    width: w.width,
                    height: w.height,
                })
                .unwrap_or_default(),
        };
        Ok(WindowSize {
            columns_rows,
            pixels,
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests;
