//! Bytes into lines, for files and commands alike: cut at `\n`, `\r` before it dropped,
//! decoded as UTF-8 with bad bytes replaced, at most `max_line` bytes kept of a line (the
//! rest counted), blank lines skipped. Memory stays at `max_line` whatever arrives.

#[derive(Debug)]
pub struct Cutter {
    /// The line being read (no `\n` yet), at most `max_line` bytes.
    partial: Vec<u8>,
    max_line: usize,
    /// Bytes of lines over the cap, not kept.
    pub cut_bytes: u64,
}

impl Cutter {
    pub fn new(max_line: usize) -> Self {
        Self {
            partial: Vec::new(),
            max_line: max_line.max(1),
            cut_bytes: 0,
        }
    }

    /// Appends the lines `bytes` completes to `out`.
    pub fn take(&mut self, mut bytes: &[u8], out: &mut Vec<String>) {
        while !bytes.is_empty() {
            let (piece, rest, done) = match bytes.iter().position(|b| *b == b'\n') {
                Some(i) => (&bytes[..i], &bytes[i + 1..], true),
                None => (bytes, &[][..], false),
            };
            bytes = rest;
            let room = self.max_line.saturating_sub(self.partial.len());
            let keep = room.min(piece.len());
            if keep < piece.len() {
                self.cut_bytes += (piece.len() - keep) as u64;
            }
            self.partial.extend_from_slice(&piece[..keep]);
            if done {
                self.finish(out);
            }
        }
    }

    /// The line in progress, if any, as a line (its source ended).
    pub fn finish(&mut self, out: &mut Vec<String>) {
        let mut line = std::mem::take(&mut self.partial);
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if !line.is_empty() {
            out.push(String::from_utf8_lossy(&line).into_owned());
        }
    }

    /// Forgets the line in progress (its file was truncated).
    pub fn reset(&mut self) {
        self.partial.clear();
    }
}
