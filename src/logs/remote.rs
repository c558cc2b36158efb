//! Log files of a remote host, followed by its sampler over the host's SSH connection: what
//! the sampler is told to follow (and where each file was left, so a reconnect goes on from
//! there), and the bytes it sends back cut into lines per file. A file's inode and offset
//! come with its bytes: a new inode (rotated) or an offset before the last end (truncated)
//! ends the line in progress.

use std::collections::HashMap;
use std::sync::Arc;

use super::cut::Cutter;
use super::feed::{Kind, LogSource};
use crate::collect::ssh::frame::LogChunk;

/// A source's name and lines.
pub type Lines = (Arc<str>, Vec<String>);

/// Files followed per host, at most (what a host says it follows is its word: a hostile one
/// could name a new file every frame).
pub const MAX_FILES: usize = 256;

#[derive(Debug)]
pub struct RemoteLogs {
    /// The host's sources (named `host:…`), as the sampler numbers them.
    sources: Vec<(Arc<str>, LogSource)>,
    files: HashMap<String, FileAt>,
    /// A connection was made before: files not met then are new, read from their start.
    connected: bool,
}

#[derive(Debug)]
struct FileAt {
    inode: u64,
    /// Where the bytes taken so far end.
    end: u64,
    lines: Cutter,
}

/// `s` as one sh word, quoted.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A glob as one sh word: `*` and `?` left to the remote shell, everything else quoted, so
/// nothing but file names can be expanded.
pub fn glob_word(glob: &str) -> String {
    let mut out = String::new();
    let mut lit = String::new();
    for c in glob.chars() {
        if c == '*' || c == '?' {
            if !lit.is_empty() {
                out += &quoted(&std::mem::take(&mut lit));
            }
            out.push(c);
        } else {
            lit.push(c);
        }
    }
    if !lit.is_empty() {
        out += &quoted(&lit);
    }
    out
}

impl RemoteLogs {
    /// The file sources of a host (others are refused at load).
    pub fn new(sources: Vec<LogSource>) -> Self {
        Self {
            sources: sources
                .into_iter()
                .filter(|s| matches!(s.kind, Kind::Files(_)))
                .map(|s| (s.name.as_str().into(), s))
                .collect(),
            files: HashMap::new(),
            connected: false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// The sh lines that go before the sampler: `MONTUI_LOGS`, one source a line (`1` when
    /// files already there are read from their start, then the glob as a sh word), and
    /// `MONTUI_AT`, where each file was left (`INODE OFFSET PATH`).
    pub fn preamble(&mut self) -> String {
        let mut logs = String::new();
        for (_, s) in &self.sources {
            let Kind::Files(glob) = &s.kind else { continue };
            let start = u8::from(s.from_start || self.connected);
            logs += &format!("{start} {}\n", glob_word(glob));
        }
        let mut at = String::new();
        for (path, f) in &self.files {
            at += &format!("{} {} {path}\n", f.inode, f.end);
        }
        self.connected = true;
        format!(
            "MONTUI_LOGS={}\nMONTUI_AT={}\nexport MONTUI_LOGS MONTUI_AT\n",
            quoted(&logs),
            quoted(&at)
        )
    }

    /// The lines `c` completes, and their source; None for a chunk of no known source; an
    /// error (the chunk left out) for a file past the `MAX_FILES` followed.
    pub fn take(&mut self, c: LogChunk) -> Result<Option<Lines>, String> {
        let Some((name, src)) = self.sources.get(c.source) else {
            return Ok(None);
        };
        let mut out = Vec::new();
        if !self.files.contains_key(&c.path) && self.files.len() >= MAX_FILES {
            return Err(format!(
                "log files: {MAX_FILES} followed already, {} left out",
                crate::text::one_line(&c.path)
            ));
        }
        let file = self.files.entry(c.path).or_insert_with(|| FileAt {
            inode: c.inode,
            end: c.offset,
            lines: Cutter::new(src.max_line),
        });
        if file.inode != c.inode || c.offset < file.end {
            // Rotated or truncated: the old file's last line ends here.
            file.lines.finish(&mut out);
        }
        file.inode = c.inode;
        file.end = c.offset.saturating_add(c.bytes.len() as u64);
        // A file cut shorter while it was read comes padded with zeros.
        let real = c.bytes.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
        file.lines.take(&c.bytes[..real], &mut out);
        Ok(Some((name.clone(), out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(name: &str, glob: &str, from_start: bool) -> LogSource {
        LogSource {
            name: name.into(),
            kind: Kind::Files(glob.into()),
            from_start,
            max_line: 8,
            format: None,
        }
    }

    fn chunk(source: usize, inode: u64, offset: u64, path: &str, bytes: &[u8]) -> LogChunk {
        LogChunk {
            source,
            inode,
            offset,
            path: path.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn globs_become_sh_words_that_expand_only_names() {
        assert_eq!(glob_word("/var/log/*.log"), "'/var/log/'*'.log'");
        assert_eq!(glob_word("/a b/it's?"), r"'/a b/it'\''s'?");
        assert_eq!(glob_word("$(reboot)`x`"), "'$(reboot)`x`'");
        assert_eq!(glob_word("*"), "*");
    }

    #[test]
    fn the_preamble_says_what_to_follow_and_where_files_were_left() {
        let mut r = RemoteLogs::new(vec![src("h:/a", "/a", false), src("h:/b", "/b*", true)]);
        let first = r.preamble();
        assert!(first.starts_with("MONTUI_LOGS='0 '\\''/a'\\''\n1 '\\''/b'\\''*\n'\n"));
        assert!(first.contains("MONTUI_AT=''\n"));
        assert!(r.take(chunk(0, 7, 10, "/a", b"x\n")).is_ok());
        let again = r.preamble();
        assert!(
            again.starts_with("MONTUI_LOGS='1 "),
            "new files from their start"
        );
        assert!(again.contains("MONTUI_AT='7 12 /a\n'"), "{again}");
    }

    #[test]
    fn lines_are_cut_per_file_across_chunks_rotation_and_truncation() {
        let mut r = RemoteLogs::new(vec![src("h:/a", "/a", false)]);
        let mut lines = |c| r.take(c).ok().flatten().map(|(_, l)| l).unwrap_or_default();
        assert_eq!(lines(chunk(0, 7, 0, "/a", b"one\ntw")), ["one"]);
        assert_eq!(
            lines(chunk(0, 7, 6, "/a", b"o\nlong line\n")),
            ["two", "long lin"]
        );
        assert_eq!(lines(chunk(0, 7, 17, "/a", b"end")), Vec::<String>::new());
        // Rotated: the old file's last line is done.
        assert_eq!(lines(chunk(0, 8, 0, "/a", b"new\n")), ["end", "new"]);
        assert_eq!(lines(chunk(0, 8, 4, "/a", b"part")), Vec::<String>::new());
        // Truncated, and padded where it was cut while read.
        assert_eq!(lines(chunk(0, 8, 0, "/a", b"t\n\0\0")), ["part", "t"]);
        assert!(
            r.take(chunk(3, 8, 0, "/a", b"x\n"))
                .is_ok_and(|t| t.is_none()),
            "no such source"
        );
    }

    #[test]
    fn a_host_naming_new_files_every_frame_is_bounded() {
        let mut r = RemoteLogs::new(vec![src("h:/a", "/a*", false)]);
        for i in 0..MAX_FILES {
            assert!(r.take(chunk(0, 7, 0, &format!("/a{i}"), b"x\n")).is_ok());
        }
        let over = r.take(chunk(0, 7, 0, "/a-one-more\x1b]52", b"x\n"));
        assert!(
            over.as_ref()
                .is_err_and(|e| e.contains(&format!("{MAX_FILES} followed already"))
                    && e.contains("/a-one-more")
                    && !e.contains('\x1b')),
            "{over:?}"
        );
        assert!(
            r.take(chunk(0, 7, 2, "/a0", b"y\n")).is_ok(),
            "known files go on"
        );
        assert_eq!(r.files.len(), MAX_FILES);
    }
}
