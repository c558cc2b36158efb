//! Timestamps at the head of a log line, recognised by shape without regular expressions:
//! ISO-8601 and its cousins (`2015-10-18 18:01:47,978`, `2005-06-03-15.42.50.675872`,
//! `20171223-22:15:29:606`), syslog (`Jun 14 15:16:01`), Apache (`[Sun Dec 04 04:47:44 2005]`),
//! nginx (`[10/Oct/2000:13:55:36 -0700]`), `17/06/09 20:10:40`, `081109 203615`, Android
//! `03-17 16:13:38.811`, epoch seconds or ms, kernel `[ 5.123456]`.

/// A cursor over a token's bytes.
struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cur<'_> {
    fn digits(&mut self, min: usize, max: usize) -> bool {
        let n = self.b[self.i..]
            .iter()
            .take(max)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n < min || self.b.get(self.i + n).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        self.i += n;
        true
    }

    fn sep(&mut self, set: &[u8]) -> Option<u8> {
        let c = *self.b.get(self.i)?;
        set.contains(&c).then(|| {
            self.i += 1;
            c
        })
    }

    fn done(&self) -> bool {
        self.i == self.b.len()
    }

    /// Runs `f` and rewinds when it fails.
    fn attempt(&mut self, f: impl FnOnce(&mut Self) -> bool) -> bool {
        let at = self.i;
        let ok = f(self);
        if !ok {
            self.i = at;
        }
        ok
    }
}

/// `hh:mm[:ss][.frac][zone]`, with `seps` between the fields (`:`, or `.` in BGL's form).
fn clock(c: &mut Cur, seps: &[u8]) -> bool {
    c.attempt(|c| {
        if !(c.digits(1, 2) && c.sep(seps).is_some() && c.digits(2, 2)) {
            return false;
        }
        c.attempt(|c| c.sep(seps).is_some() && c.digits(2, 2));
        c.attempt(|c| c.sep(b".,:").is_some() && c.digits(1, 9));
        zone(c);
        true
    })
}

/// `Z` or `±hh[:]mm` after a clock.
fn zone(c: &mut Cur) {
    if c.sep(b"Z").is_some() {
        return;
    }
    c.attempt(|c| {
        c.sep(b"+-").is_some()
            && (c.attempt(|c| c.digits(4, 4))
                || c.digits(2, 2) && {
                    c.sep(b":");
                    c.digits(2, 2)
                })
    });
}

/// A date: `yyyy-mm-dd` (or `/`, `.`), `dd/mm/yy[yy]`, `yy/mm/dd`, `yyyymmdd`, `dd/Mon/yyyy`.
fn date(c: &mut Cur) -> bool {
    c.attempt(|c| {
        c.digits(4, 4) && {
            let s = c.sep(b"-/.");
            s.is_some() && c.digits(2, 2) && c.sep(&[s.unwrap_or(b'-')]).is_some() && c.digits(2, 2)
        }
    }) || c.attempt(|c| {
        c.digits(2, 2) && {
            let s = c.sep(b"/.-");
            s.is_some()
                && c.digits(2, 2)
                && c.sep(&[s.unwrap_or(b'/')]).is_some()
                && (c.digits(4, 4) || c.digits(2, 2))
        }
    }) || c.attempt(|c| {
        (c.b[c.i..].starts_with(b"19") || c.b[c.i..].starts_with(b"20")) && c.digits(8, 8)
    }) || c.attempt(|c| {
        c.digits(1, 2)
            && c.sep(b"/").is_some()
            && is_month(word(c))
            && c.sep(b"/").is_some()
            && c.digits(4, 4)
    })
}

/// The letters at the cursor (consumed).
fn word<'a>(c: &mut Cur<'a>) -> &'a str {
    let n = c.b[c.i..]
        .iter()
        .take_while(|x| x.is_ascii_alphabetic())
        .count();
    let w = &c.b[c.i..c.i + n];
    c.i += n;
    std::str::from_utf8(w).unwrap_or_default()
}

pub fn is_month(w: &str) -> bool {
    if !w
        .as_bytes()
        .first()
        .is_some_and(|c| b"JFMASONDjfmasond".contains(c))
    {
        return false;
    }
    const M: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    (3..=9).contains(&w.len())
        && w.is_char_boundary(3)
        && M.iter().any(|m| m.eq_ignore_ascii_case(&w[..3]))
        && (w.len() == 3 || w.len() >= 4 && w.bytes().all(|c| c.is_ascii_alphabetic()))
}

pub fn is_weekday(w: &str) -> bool {
    if !w
        .as_bytes()
        .first()
        .is_some_and(|c| b"MTWFSmtwfs".contains(c))
    {
        return false;
    }
    const D: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    (3..=9).contains(&w.len())
        && w.is_char_boundary(3)
        && D.iter().any(|d| d.eq_ignore_ascii_case(&w[..3]))
}

/// A token without the brackets and trailing commas around a timestamp.
pub fn strip(tok: &str) -> &str {
    tok.trim_start_matches(['[', '('])
        .trim_end_matches([']', ')', ',', ':'])
}

/// What one token is, as a piece of a timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// Date and time in one token.
    Full,
    Date,
    Clock,
    /// `mm-dd`, `mm.dd`: a date only when a clock follows.
    MonthDay,
    /// Six digits (`081109` `203615`): a date and time only as a pair.
    Six,
    Epoch,
}

fn piece(tok: &str) -> Option<Piece> {
    let b = tok.as_bytes();
    if b.is_empty() || !b[0].is_ascii_digit() {
        return None;
    }
    let whole = |f: &dyn Fn(&mut Cur) -> bool| {
        let mut c = Cur { b, i: 0 };
        f(&mut c) && c.done()
    };
    if whole(&|c| clock(c, b":")) {
        return Some(Piece::Clock);
    }
    if whole(&|c| date(c) && c.sep(b"T_-: ").is_some() && clock(c, b":.")) {
        return Some(Piece::Full);
    }
    if whole(&date) {
        return Some(Piece::Date);
    }
    if whole(&|c| c.digits(2, 2) && c.sep(b"-.").is_some() && c.digits(2, 2)) {
        return Some(Piece::MonthDay);
    }
    if b.len() == 6 && b.iter().all(u8::is_ascii_digit) {
        return Some(Piece::Six);
    }
    if whole(&|c| {
        c.b[0] == b'1' && (c.digits(10, 10) || c.digits(13, 13)) && {
            c.attempt(|c| c.sep(b".").is_some() && c.digits(1, 9));
            true
        }
    }) {
        return Some(Piece::Epoch);
    }
    None
}

/// A timestamp starting at token `i`: how many tokens it takes and whether it is syslog's
/// `Mmm dd hh:mm:ss` (a host and a tag follow). `first` allows the forms only a line's
/// first timestamp takes (epoch numbers).
pub fn at(toks: &[&str], i: usize, first: bool) -> Option<(usize, bool)> {
    let tok = |k: usize| toks.get(i + k).map(|t| strip(t));
    let t0 = tok(0)?;
    // The kernel's `[ 5.123456]` / `[12345.678901]`: seconds since boot.
    if toks[i].starts_with('[') {
        let (k, secs) = if t0.is_empty() { (2, tok(1)?) } else { (1, t0) };
        let float = |c: &mut Cur| c.digits(1, 10) && c.sep(b".").is_some() && c.digits(6, 6);
        let mut c = Cur {
            b: secs.as_bytes(),
            i: 0,
        };
        if toks[i + k - 1].ends_with(']') && float(&mut c) && c.done() {
            return Some((k, false));
        }
    }
    let clock_at = |k: usize| tok(k).and_then(piece) == Some(Piece::Clock);
    let zone_at = |k: usize| {
        tok(k).is_some_and(|z| {
            matches!(z, "UTC" | "GMT" | "Z")
                || (z.len() == 5
                    && z.starts_with(['+', '-'])
                    && z[1..].bytes().all(|c| c.is_ascii_digit()))
        })
    };
    // Names: [weekday] month day [clock] [year].
    let weekday = is_weekday(t0);
    let mut k = usize::from(weekday);
    let day = |d: &str| (1..=2).contains(&d.len()) && d.bytes().all(|c| c.is_ascii_digit());
    if tok(k).is_some_and(is_month) && tok(k + 1).is_some_and(day) {
        k += 2;
        let has_clock = clock_at(k);
        k += usize::from(has_clock);
        let year = tok(k).is_some_and(|y| y.len() == 4 && y.bytes().all(|c| c.is_ascii_digit()));
        k += usize::from(year);
        let syslog = has_clock && !weekday && !year && !toks[i].starts_with('[');
        return Some((k + usize::from(zone_at(k)), syslog));
    }
    let p = piece(t0)?;
    let n = match p {
        Piece::Full | Piece::Clock => 1,
        Piece::Date => 1 + usize::from(clock_at(1)),
        Piece::MonthDay if clock_at(1) => 2,
        Piece::Six if tok(1).and_then(piece) == Some(Piece::Six) => 2,
        Piece::Epoch if first => 1,
        _ => return None,
    };
    Some((n + usize::from(zone_at(n)), false))
}
