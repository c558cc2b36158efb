//! The sampler's output as it arrives, cut into frames: bytes are gathered as read (no line
//! by line allocation), looked at line by line once, and a frame is parsed once its `@@end`
//! line is in. Log sections (`@log … LENGTH PATH`, then LENGTH raw bytes) are skipped by
//! their length, so whatever a log holds can never end or break a frame.

use super::super::CollectError;
use super::frame::{self, Frame, LogChunk, bad};

/// Output gathered without an `@@end` beyond this is dropped (a runaway remote, not /proc).
pub const MAX_FRAME: usize = 4 << 20;
/// Longest log section the sampler sends (its budget for a frame).
const MAX_LOG: usize = 2 << 20;

const END: &[u8] = b"@@end";
const START: &[u8] = b"@@montui";
const LOG: &[u8] = b"@log ";

#[derive(Debug, Default)]
pub struct Frames {
    buf: Vec<u8>,
    /// Where the first line not looked at yet starts.
    pos: usize,
    /// How far past `pos` is known to hold no line end (a read only looks at what is new).
    scanned: usize,
    /// The frame's header line, once seen.
    start: Option<usize>,
    /// Where its /proc text ends: its first log section, if it has one.
    text_end: Option<usize>,
    logs: Vec<LogChunk>,
}

/// `SOURCE INODE OFFSET LENGTH PATH` → the chunk (without its bytes) and its length.
fn log_header(fields: &[u8]) -> Result<(LogChunk, usize), CollectError> {
    let text = String::from_utf8_lossy(fields);
    let mut f = text.splitn(5, ' ');
    let mut n = || f.next().and_then(|v| v.parse::<u64>().ok());
    let (Some(source), Some(inode), Some(offset), Some(len)) = (n(), n(), n(), n()) else {
        return Err(bad(format!("bad log header `{}`", text.escape_default())));
    };
    let path = f.next().unwrap_or_default().to_string();
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if len > MAX_LOG || path.is_empty() {
        return Err(bad(format!("bad log header `{}`", text.escape_default())));
    }
    let chunk = LogChunk {
        source: usize::try_from(source).unwrap_or(usize::MAX),
        inode,
        offset,
        path,
        bytes: Vec::new(),
    };
    Ok((chunk, len))
}

impl Frames {
    /// Where to read more output into (with room for a whole frame).
    pub fn buffer(&mut self) -> &mut Vec<u8> {
        self.buf.reserve(8192);
        &mut self.buf
    }

    /// Forgets what was gathered up to `to`.
    fn drop_to(&mut self, to: usize) {
        self.buf.drain(..to);
        self.pos = 0;
        self.scanned = 0;
        self.start = None;
        self.text_end = None;
        self.logs.clear();
    }

    /// None while a frame is still coming; an error when it grew too long.
    fn more(&mut self) -> Option<Result<Frame, CollectError>> {
        if self.buf.len() <= MAX_FRAME {
            return None;
        }
        self.drop_to(self.buf.len());
        Some(Err(CollectError::Refused(
            "over 4 MiB of output without the end of a frame".into(),
        )))
    }

    /// The next whole frame, parsed (an unreadable one is an error, and skipped); None until
    /// more output is in.
    pub fn next_frame(&mut self) -> Option<Result<Frame, CollectError>> {
        loop {
            let from = self.scanned.max(self.pos);
            let Some(nl) = self.buf[from..].iter().position(|b| *b == b'\n') else {
                self.scanned = self.buf.len();
                return self.more();
            };
            let (at, next) = (self.pos, from + nl + 1);
            let line = &self.buf[at..next - 1];
            if line == END {
                let parsed = self.parse(at);
                self.drop_to(next);
                return Some(parsed);
            }
            if line.starts_with(START) {
                // Anything before the frame's header (a stray line from the shell) is left out.
                self.start = Some(at);
                self.text_end = None;
                self.logs.clear();
            } else if let Some(fields) = line.strip_prefix(LOG) {
                let (mut chunk, len) = match log_header(fields) {
                    Ok(c) => c,
                    Err(e) => {
                        // Where the bytes end is unknown: the frame is lost.
                        self.drop_to(next);
                        return Some(Err(e));
                    }
                };
                // The bytes, and the line end the sampler puts after them.
                let end = next + len + 1;
                if self.buf.len() < end {
                    return self.more();
                }
                chunk.bytes = self.buf[next..next + len].to_vec();
                self.text_end.get_or_insert(at);
                self.logs.push(chunk);
                self.pos = end;
                continue;
            }
            self.pos = next;
        }
    }

    /// The frame that ends at `end`.
    fn parse(&mut self, end: usize) -> Result<Frame, CollectError> {
        let Some(start) = self.start else {
            return Err(bad("an end without a header"));
        };
        let text = &self.buf[start..self.text_end.unwrap_or(end)];
        let mut f = match std::str::from_utf8(text) {
            Ok(t) => frame::parse(t)?,
            Err(_) => return Err(bad("not text")),
        };
        f.logs = std::mem::take(&mut self.logs);
        Ok(f)
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
    fn log_sections_are_cut_by_length_whatever_they_hold() {
        let body = FRAME
            .strip_suffix("@@end\n")
            .expect("the sample ends a frame");
        let nasty: &[u8] = b"a\n@@end\n@@montui 1 2\n\xff\xfe@log 9 9 9 9 x\n";
        let mut text = body.as_bytes().to_vec();
        text.extend_from_slice(format!("@log 1 77 100 {} /var/log/a b\n", nasty.len()).as_bytes());
        text.extend_from_slice(nasty);
        text.extend_from_slice(b"\n@log 0 5 0 0 /x\n\n@@end\n");
        for chunk in [1, 13, text.len()] {
            let mut f = Frames::default();
            let mut got = Vec::new();
            for piece in text.chunks(chunk) {
                f.buffer().extend_from_slice(piece);
                while let Some(r) = f.next_frame() {
                    got.push(r.expect("a good frame"));
                }
            }
            assert_eq!(got.len(), 1, "chunks of {chunk}");
            let logs = &got[0].logs;
            assert_eq!(logs.len(), 2);
            assert_eq!(
                (logs[0].source, logs[0].inode, logs[0].offset),
                (1, 77, 100)
            );
            assert_eq!(logs[0].path, "/var/log/a b");
            assert_eq!(logs[0].bytes, nasty);
            assert!(logs[1].bytes.is_empty());
            let plain = frame::parse(FRAME).expect("the sample parses");
            assert_eq!(got[0].sample, plain.sample, "the /proc text is unchanged");
        }
    }

    #[test]
    fn output_without_line_ends_is_looked_at_once() {
        let mut f = Frames::default();
        for _ in 0..1000 {
            f.buffer().extend_from_slice(&[b'x'; 1000]);
            assert!(f.next_frame().is_none());
            assert_eq!(f.scanned, f.buf.len(), "only the new bytes are looked at");
        }
        f.buffer()
            .extend_from_slice(format!("\n{FRAME}").as_bytes());
        assert!(f.next_frame().is_some_and(|r| r.is_ok()));
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
        f.buffer()
            .extend_from_slice(b"@log 1 2 x 4 /p\n@log 0 1 0 99999999 /p\n");
        assert!(f.next_frame().is_some_and(|r| r.is_err()), "not a number");
        assert!(f.next_frame().is_some_and(|r| r.is_err()), "too long");
        f.buffer().extend_from_slice(FRAME.as_bytes());
        assert!(f.next_frame().is_some_and(|r| r.is_ok()), "and on");
        f.buffer().resize(MAX_FRAME + 1, b'x');
        assert!(
            matches!(f.next_frame(), Some(Err(CollectError::Refused(_)))),
            "runaway"
        );
        assert!(f.buf.is_empty());
    }
}
