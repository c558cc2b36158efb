//! The sampler's output as it arrives, cut into frames: bytes are gathered as read (no line
//! by line allocation) and a frame is parsed once its `@@end` line is in.

use super::super::CollectError;
use super::frame::{self, Frame, bad};

/// Output gathered without an `@@end` beyond this is dropped (a runaway remote, not /proc).
pub const MAX_FRAME: usize = 1 << 20;

const END: &[u8] = b"@@end\n";
const START: &[u8] = b"@@montui";

#[derive(Debug, Default)]
pub struct Frames {
    buf: Vec<u8>,
    /// How far `buf` was searched for the end of a frame.
    scanned: usize,
}

/// Where `needle` starts a line of `hay`, searching from `from`.
fn line_at(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
        .and_then(|i| {
            if i == 0 || hay[i - 1] == b'\n' {
                Some(i)
            } else {
                line_at(hay, needle, i + 1)
            }
        })
}

impl Frames {
    /// Where to read more output into (with room for a whole frame).
    pub fn buffer(&mut self) -> &mut Vec<u8> {
        self.buf.reserve(8192);
        &mut self.buf
    }

    /// The next whole frame, parsed (an unreadable one is an error, and skipped); None until
    /// more output is in.
    pub fn next_frame(&mut self) -> Option<Result<Frame, CollectError>> {
        let from = self.scanned.saturating_sub(END.len());
        let Some(at) = line_at(&self.buf, END, from) else {
            self.scanned = self.buf.len();
            if self.buf.len() > MAX_FRAME {
                self.buf.clear();
                self.scanned = 0;
                return Some(Err(bad("over 1 MiB without an end")));
            }
            return None;
        };
        let end = at + END.len();
        // Anything before the frame's header (a stray line from the shell) is left out.
        let text = &self.buf[..end];
        let start = (0..at)
            .rev()
            .find(|i| text[*i..].starts_with(START) && (*i == 0 || text[i - 1] == b'\n'));
        let parsed = match start.map(|s| std::str::from_utf8(&text[s..])) {
            Some(Ok(t)) => frame::parse(t),
            Some(Err(_)) => Err(bad("not text")),
            None => Err(bad("an end without a header")),
        };
        self.buf.drain(..end);
        self.scanned = 0;
        Some(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: &str = include_str!("frame/sample.txt");

    #[test]
    fn frames_are_cut_wherever_the_reads_split_them() {
        let two = format!("noise from a profile\n{FRAME}{FRAME}@@montui 1 2");
        for chunk in [1, 7, 512, two.len()] {
            let mut f = Frames::default();
            let mut got = Vec::new();
            for piece in two.as_bytes().chunks(chunk) {
                f.buffer().extend_from_slice(piece);
                while let Some(r) = f.next_frame() {
                    got.push(r.expect("a good frame"));
                }
            }
            assert_eq!(got.len(), 2, "chunks of {chunk}");
            assert_eq!(got[0], got[1]);
            assert_eq!(f.buf, b"@@montui 1 2", "the next frame's start is kept");
        }
    }

    #[test]
    fn broken_frames_are_errors_and_the_stream_goes_on() {
        let mut f = Frames::default();
        let text = format!("@@end\n{}\u{ff}\n@@end\n{FRAME}", &FRAME[..40]);
        f.buffer().extend_from_slice(text.as_bytes());
        assert!(f.next_frame().is_some_and(|r| r.is_err()), "end, no header");
        assert!(f.next_frame().is_some_and(|r| r.is_err()), "truncated");
        assert!(f.next_frame().is_some_and(|r| r.is_ok()));
        assert!(f.next_frame().is_none());
        f.buffer().resize(MAX_FRAME + 1, b'x');
        assert!(f.next_frame().is_some_and(|r| r.is_err()), "runaway");
        assert!(f.buf.is_empty());
    }
}
