//! Suspending like htop: Ctrl-Z (a key in raw mode: `Request::Suspend`) or SIGTSTP puts the
//! terminal back as it was (cooked, main screen) and stops the process; `fg` resumes into the
//! UI, redrawn whole.

/// Restores the terminal, stops until continued, then takes the terminal back.
pub fn suspend(terminal: &mut ratatui::DefaultTerminal) -> std::io::Result<()> {
    ratatui::restore();
    // SAFETY: raise only signals this process. SIGSTOP cannot be caught: it stops here until
    // SIGCONT (the shell's `fg`).
    unsafe { libc::raise(libc::SIGSTOP) };
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    // The fresh screen is blank: drawing blank over the last frame makes ratatui's idea of the
    // screen blank too, so the next frame is drawn whole. (`Terminal::clear` would ask the
    // terminal for the cursor, whose answer the key reader may take.)
    terminal.draw(|f| f.render_widget(ratatui::widgets::Clear, f.area()))?;
    Ok(())
}
