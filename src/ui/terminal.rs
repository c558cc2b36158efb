//! The terminal the UI owns: raw mode, the alternate screen and the [`Lean`] backend, given
//! back as it was on every way out (panics included), and suspended like htop: Ctrl-Z (a key
//! in raw mode: `Request::Suspend`) or SIGTSTP puts the terminal back as it was (cooked, main
//! screen) and stops the process; `fg` resumes into the UI, redrawn whole.

use std::io::{BufWriter, Stdout, stdout};

use crossterm::style::{Attribute, SetAttribute};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::Terminal;

use super::lean::Lean;

/// The UI's terminal: frames are written to a buffer and flushed once each.
pub type Tui = Terminal<Lean<BufWriter<Stdout>>>;

/// Takes the terminal; a panic gives it back before the previous hook reports.
pub fn init() -> std::io::Result<Tui> {
    let before = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        before(info);
    }));
    take()?;
    let mut terminal = Terminal::new(Lean::new(BufWriter::with_capacity(1 << 16, stdout())))?;
    // From a known blank screen the backend knows every cell (so does a resize: ratatui
    // clears then).
    terminal.clear()?;
    Ok(terminal)
}

fn take() -> std::io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(stdout(), EnterAlternateScreen)
}

/// Gives the terminal back: the pen reset (the backend keeps it between frames), the main
/// screen, cooked mode.
pub fn restore() {
    let _ = crossterm::execute!(
        stdout(),
        SetAttribute(Attribute::Reset),
        LeaveAlternateScreen
    );
    let _ = crossterm::terminal::disable_raw_mode();
}

/// Restores the terminal, stops until continued, then takes the terminal back.
pub fn suspend(terminal: &mut Tui) -> std::io::Result<()> {
    restore();
    // SAFETY: raise only signals this process. SIGSTOP cannot be caught: it stops here until
    // SIGCONT (the shell's `fg`).
    unsafe { libc::raise(libc::SIGSTOP) };
    take()?;
    // The shell wrote meanwhile: what the backend knew of the screen and the pen is gone.
    terminal.backend_mut().forget();
    terminal.clear()
}
