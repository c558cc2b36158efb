use ratatui::style::{Color, Modifier, Style};

/// Colours of every view. One place, so themes can replace it whole.
#[derive(Debug, Clone)]
pub struct Theme {
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

impl Default for Theme {
    fn default() -> Self {
        let fg = |c| Style::new().fg(c);
        Self {
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
}
