//! The `terminal` receiver: while the full-screen UI runs, a notice becomes a desktop
//! notification through montui's own terminal (OSC 777, or OSC 9 for iTerm2) and a bell, so it
//! reaches the user's desktop even over SSH. Delivery hands the words to the UI, which writes
//! them between frames; with no UI (headless) there is no terminal to tell, for good.

use super::health::Health;
use super::view::Words;
use super::{Answer, Failure};

/// Which escape sequence carries the notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Osc {
    /// OSC 9 under iTerm2 (`TERM_PROGRAM=iTerm.app`), else OSC 777.
    Auto,
    Osc777,
    Osc9,
    /// The bell only.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terminal {
    pub osc: Osc,
}

/// Notes waiting for the UI, at most (a UI that stalls loses the oldest, said as one).
pub const WAITING: usize = 32;

pub fn send(t: &Terminal, health: Option<&Health>, w: &Words) -> Answer {
    let note = sequence(
        t.osc,
        &w.title,
        w.body.lines().find(|l| !l.trim().is_empty()),
    );
    match health.is_some_and(|h| h.to_terminal(note)) {
        true => Ok("handed to montui's terminal".into()),
        false => Err(Failure::permanent(
            "no terminal: montui runs without its full-screen UI",
        )),
    }
}

/// The bytes that make the notification: the escape sequence and a bell. Controls in the
/// words are neutralised (they could not end the sequence early), `;` too (OSC 777's field
/// separator), and each is cut at 200 characters.
pub fn sequence(osc: Osc, title: &str, body: Option<&str>) -> String {
    let clean = |s: &str| -> String {
        (crate::text::one_line(s).chars())
            .map(|c| if c == ';' { ',' } else { c })
            .take(200)
            .collect()
    };
    let osc = match osc {
        Osc::Auto if std::env::var("TERM_PROGRAM").as_deref() == Ok("iTerm.app") => Osc::Osc9,
        Osc::Auto => Osc::Osc777,
        o => o,
    };
    let (title, body) = (clean(title), clean(body.unwrap_or("")));
    match osc {
        Osc::Osc9 => format!("\x1b]9;{title}\x07\x07"),
        Osc::None => "\x07".into(),
        _ => format!("\x1b]777;notify;{title};{body}\x1b\\\x07"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_cannot_be_ended_early_by_what_it_carries() {
        let s = sequence(Osc::Osc777, "[FIRING:1] x;y\x1b]0;pwned\x07", Some("a\nb"));
        assert_eq!(s, "\x1b]777;notify;[FIRING:1] x,y;a\u{fffd}b\x1b\\\x07");
        assert_eq!(sequence(Osc::Osc9, "t", None), "\x1b]9;t\x07\x07");
        assert_eq!(sequence(Osc::None, "t", None), "\x07");
    }
}
