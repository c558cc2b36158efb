//! What htop shows of a process beyond /proc/N/stat, read for the processes a sample keeps
//! only (a few dozen, not every process): its owner, its command line, its storage I/O. The
//! parsers take text, so the remote sampler's copies go through them too.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;

use crate::model::{CMDLINE_MAX, ProcRaw};

/// `/proc/N/cmdline` (arguments separated by NULs) as one line: arguments joined by spaces,
/// anything unprintable as `?`, cut at `CMDLINE_MAX` characters.
pub fn cmdline(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let joined = text.trim_end_matches('\0').replace('\0', " ");
    joined
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .take(CMDLINE_MAX)
        .collect()
}

/// `/proc/N/io`: bytes read from and written to storage; None without both.
pub fn io(text: &str) -> Option<(u64, u64)> {
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse::<u64>().ok())
    };
    Some((field("read_bytes:")?, field("write_bytes:")?))
}

/// `/etc/passwd`: user names by uid (lines that do not parse are skipped).
pub fn users(passwd: &str) -> HashMap<u32, String> {
    passwd
        .lines()
        .filter_map(|l| {
            let mut f = l.split(':');
            let name = f.next()?;
            let uid = f.nth(1)?.parse().ok()?;
            Some((uid, name.to_string()))
        })
        .collect()
}

/// This machine's processes' details, with what does not change (owner, command line)
/// remembered per process while it is kept.
#[derive(Default)]
pub struct Details {
    users: HashMap<u32, String>,
    /// By PID, start and name: a process that execs another program keeps its PID and start
    /// but changes its name, and its command line is read again.
    known: HashMap<(u32, u64, String), (String, String)>,
}

impl Details {
    /// Fills in owner, command line and I/O of `procs` from /proc.
    pub fn fill(&mut self, procs: &mut [ProcRaw]) {
        let mut known = HashMap::with_capacity(procs.len());
        // PID 0 is `<exited>`, no process.
        for p in procs.iter_mut().filter(|p| p.pid != 0) {
            let key = (p.pid, p.start, p.name.clone());
            let (user, cmd) = match self.known.remove(&key) {
                Some(k) => k,
                None => (self.user(p.pid), read_cmdline(p.pid)),
            };
            (p.user, p.cmdline) = (user.clone(), cmd.clone());
            p.io = std::fs::read_to_string(format!("/proc/{}/io", p.pid))
                .ok()
                .and_then(|t| io(&t));
            known.insert(key, (user, cmd));
        }
        self.known = known;
    }

    /// The owner of process `pid` by name (by uid where /etc/passwd does not name it).
    fn user(&mut self, pid: u32) -> String {
        let Ok(uid) = std::fs::metadata(format!("/proc/{pid}")).map(|m| m.uid()) else {
            return String::new();
        };
        if !self.users.contains_key(&uid) {
            // A user added since: read again.
            self.users = std::fs::read_to_string("/etc/passwd")
                .map(|t| users(&t))
                .unwrap_or_default();
        }
        self.users
            .get(&uid)
            .cloned()
            .unwrap_or_else(|| uid.to_string())
    }
}

fn read_cmdline(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| cmdline(&b))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_from_proc_and_passwd_are_read_and_garbage_is_not_a_panic() {
        assert_eq!(
            cmdline(b"python3\0-m\0http.server\08000\0"),
            "python3 -m http.server 8000"
        );
        assert_eq!(cmdline(b"a\x1bb\0"), "a?b");
        assert_eq!(cmdline(&[b'x'; 2000]).len(), CMDLINE_MAX);
        assert_eq!(cmdline(b""), "");
        let text = "rchar: 10\nwchar: 20\nsyscr: 1\nsyscw: 2\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n";
        assert_eq!(io(text), Some((4096, 8192)));
        assert_eq!(io("read_bytes: x\n"), None);
        let u = users(
            "root:x:0:0:root:/root:/bin/sh\nbad line\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n",
        );
        assert_eq!(
            (
                u.get(&0).map(String::as_str),
                u.get(&33).map(String::as_str)
            ),
            (Some("root"), Some("www-data"))
        );
    }

    #[test]
    fn this_process_is_filled_in() {
        let me = std::process::id();
        let mut procs = vec![ProcRaw {
            pid: me,
            ..Default::default()
        }];
        Details::default().fill(&mut procs);
        assert!(!procs[0].user.is_empty());
        assert!(procs[0].cmdline.contains("montui"), "{}", procs[0].cmdline);
    }
}
