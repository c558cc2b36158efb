//! A terminal screen as tmux captures it with its colours (`capture-pane -e`) → an SVG
//! picture: a rectangle per background run, a text per run of one style.

/// Cell size in px, at a 14 px monospace font.
const CW: f64 = 8.4;
const LH: f64 = 17.0;

#[derive(Clone, Copy, PartialEq)]
struct Style {
    fg: Option<(u8, u8, u8)>,
    bg: Option<(u8, u8, u8)>,
    bold: bool,
    reverse: bool,
}

const DEFAULT_FG: (u8, u8, u8) = (0xd0, 0xd0, 0xd0);
const DEFAULT_BG: (u8, u8, u8) = (0x1c, 0x1c, 0x1c);

/// The xterm colour `n` of 256.
fn indexed(n: u8) -> (u8, u8, u8) {
    const BASE: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];
    match n {
        0..=15 => BASE[usize::from(n)],
        16..=231 => {
            let c = n - 16;
            let v = |x: u8| if x == 0 { 0 } else { 55 + x * 40 };
            (v(c / 36), v(c / 6 % 6), v(c % 6))
        }
        _ => {
            let g = 8 + (n - 232) * 10;
            (g, g, g)
        }
    }
}

/// Applies the SGR parameters `p` to `s`.
fn sgr(s: &mut Style, p: &str) {
    let n: Vec<u16> = p.split(';').map(|x| x.parse().unwrap_or(0)).collect();
    let mut i = 0;
    while i < n.len() {
        let colour = |i: &mut usize| -> Option<(u8, u8, u8)> {
            match n.get(*i + 1) {
                Some(5) => {
                    *i += 2;
                    n.get(*i).map(|c| indexed(*c as u8))
                }
                Some(2) => {
                    *i += 4;
                    let c = |k: usize| n.get(*i + k - 3).map_or(0, |v| *v as u8);
                    Some((c(1), c(2), c(3)))
                }
                _ => None,
            }
        };
        match n[i] {
            0 => {
                *s = Style {
                    fg: None,
                    bg: None,
                    bold: false,
                    reverse: false,
                }
            }
            1 => s.bold = true,
            22 => s.bold = false,
            7 => s.reverse = true,
            27 => s.reverse = false,
            30..=37 => s.fg = Some(indexed((n[i] - 30) as u8)),
            90..=97 => s.fg = Some(indexed((n[i] - 90 + 8) as u8)),
            40..=47 => s.bg = Some(indexed((n[i] - 40) as u8)),
            100..=107 => s.bg = Some(indexed((n[i] - 100 + 8) as u8)),
            39 => s.fg = None,
            49 => s.bg = None,
            38 => s.fg = colour(&mut i),
            48 => s.bg = colour(&mut i),
            _ => {}
        }
        i += 1;
    }
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The screen `captured` (w×h cells) as an SVG document.
pub fn render(captured: &str, w: usize, h: usize) -> String {
    let mut s = Style {
        fg: None,
        bg: None,
        bold: false,
        reverse: false,
    };
    let mut rects = String::new();
    let mut texts = String::new();
    for (y, line) in captured.lines().take(h).enumerate() {
        let mut cells: Vec<(char, Style)> = Vec::with_capacity(w);
        let mut rest = line;
        while let Some(c) = rest.chars().next() {
            if let Some(after) = rest.strip_prefix("\x1b[") {
                let end = after
                    .find(|c: char| c.is_ascii_alphabetic())
                    .unwrap_or(after.len());
                if after[end..].starts_with('m') {
                    sgr(&mut s, &after[..end]);
                }
                rest = &after[(end + 1).min(after.len())..];
                continue;
            }
            cells.push((c, s));
            rest = &rest[c.len_utf8()..];
        }
        let mut x = 0;
        for run in cells.chunk_by(|a, b| a.1 == b.1) {
            let st = run[0].1;
            let (mut fg, mut bg) = (st.fg.unwrap_or(DEFAULT_FG), st.bg.unwrap_or(DEFAULT_BG));
            if st.reverse {
                std::mem::swap(&mut fg, &mut bg);
            }
            let (px, py) = (x as f64 * CW, y as f64 * LH);
            if bg != DEFAULT_BG {
                rects.push_str(&format!(
                    "<rect x=\"{px:.1}\" y=\"{py:.1}\" width=\"{:.1}\" height=\"{LH}\" fill=\"{}\"/>\n",
                    run.len() as f64 * CW,
                    hex(bg)
                ));
            }
            let text: String = run.iter().map(|c| c.0).collect();
            if !text.trim().is_empty() {
                texts.push_str(&format!(
                    "<text x=\"{px:.1}\" y=\"{:.1}\" fill=\"{}\"{} textLength=\"{:.1}\">{}</text>\n",
                    py + LH * 0.78,
                    hex(fg),
                    if st.bold { " font-weight=\"bold\"" } else { "" },
                    run.len() as f64 * CW,
                    escape(&text)
                ));
            }
            x += run.len();
        }
    }
    let (pw, ph) = (w as f64 * CW, h as f64 * LH);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{pw:.0}\" height=\"{ph:.0}\" viewBox=\"0 0 {pw:.0} {ph:.0}\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"{}\"/>\n\
         <g font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"14\" xml:space=\"preserve\">\n\
         {rects}{texts}</g>\n</svg>\n",
        hex(DEFAULT_BG)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_and_text_become_rects_and_texts() {
        let svg = render(
            "\x1b[38;2;255;0;0mred\x1b[0m <b>\n\x1b[7mrev\x1b[27m",
            10,
            2,
        );
        assert!(svg.contains("fill=\"#ff0000\"") && svg.contains(">red</text>"));
        assert!(svg.contains("&lt;b&gt;"));
        // Reversed: the default foreground as background.
        assert!(svg.contains("fill=\"#d0d0d0\"/>"));
    }
}
