//! Signals and nice values for a process, as htop sends them: to this machine's processes
//! with kill(2) and setpriority(2), to an SSH host's over a separate one-shot `ssh` running a
//! fixed command (a signal from a closed list, numbers only; never text typed by a user).
//! Either way the process is first checked to be the one shown: a PID reused by another
//! process since is refused.

use std::collections::HashMap;
use std::time::Duration;

use super::procfs;
use super::ssh::session::ssh_command;
use super::ssh::{SshOptions, Target};

/// The signals offered: (name, number on Linux).
pub const SIGNALS: [(&str, i32); 9] = [
    ("TERM", libc::SIGTERM),
    ("KILL", libc::SIGKILL),
    ("HUP", libc::SIGHUP),
    ("INT", libc::SIGINT),
    ("QUIT", libc::SIGQUIT),
    ("STOP", libc::SIGSTOP),
    ("CONT", libc::SIGCONT),
    ("USR1", libc::SIGUSR1),
    ("USR2", libc::SIGUSR2),
];

/// A signal by name (`TERM`, `SIGTERM`, `term`) or number (`15`), among `SIGNALS`.
pub fn parse_signal(text: &str) -> Option<&'static str> {
    let t = text.trim().to_uppercase();
    let t = t.strip_prefix("SIG").unwrap_or(&t);
    SIGNALS
        .iter()
        .find(|(name, n)| *name == t || t.parse::<i32>().is_ok_and(|v| v == *n))
        .map(|(name, _)| *name)
}

/// What to do to a process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Send this signal (a name from `SIGNALS`).
    Signal(&'static str),
    /// Set its nice value (-20…19).
    Renice(i32),
}

/// The process: its host, PID and start time (as the collector reported it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcId {
    pub host: String,
    pub pid: u32,
    pub start: u64,
}

/// Where processes can be reached: this machine by name, the SSH hosts by theirs.
#[derive(Debug, Clone, Default)]
pub struct Signaller {
    pub local: String,
    /// The processes each host's collector keeps whatever they use, by host name.
    pub pins: HashMap<String, super::top::Pins>,
    pub remote: HashMap<String, (Target, SshOptions)>,
}

impl Signaller {
    /// Keeps `p` (None: no process) in its host's every sample, and no other; false when its
    /// host is not one montui collects from.
    pub fn follow(&self, p: Option<&ProcId>) -> bool {
        for pins in self.pins.values() {
            if let Ok(mut pins) = pins.lock() {
                pins.clear();
            }
        }
        let Some(p) = p else { return false };
        let Some(Ok(mut pins)) = self.pins.get(&p.host).map(|pins| pins.lock()) else {
            return false;
        };
        pins.insert((p.pid, p.start))
    }

    /// Does `act` to process `p`; what went wrong, said for the user.
    pub async fn act(&self, p: &ProcId, act: Act) -> Result<(), String> {
        // kill(0, …) would signal montui's own process group.
        if p.pid == 0 {
            return Err("PID 0 is no process".into());
        }
        if let Act::Renice(n) = act
            && !(-20..=19).contains(&n)
        {
            return Err(format!("nice {n}: from -20 to 19"));
        }
        if p.host == self.local {
            return local(p, act);
        }
        let Some((t, o)) = self.remote.get(&p.host) else {
            return Err(format!("{}: not a host montui reaches", p.host));
        };
        remote(t, o, p, act).await
    }
}

/// That this machine's PID is still the process `p` (its start time).
pub(super) fn still_local(p: &ProcId) -> Result<(), String> {
    let stat = std::fs::read(format!("/proc/{}/stat", p.pid))
        .map_err(|_| format!("PID {} has ended", p.pid))?;
    // Only its start time is compared: the tick and page sizes do not matter here.
    let now = procfs::proc_stat(&stat, 100, 4096).ok().map(|p| p.0);
    if now.is_none_or(|n| n.start != p.start) {
        return Err(format!("PID {} is another process now", p.pid));
    }
    Ok(())
}

fn local(p: &ProcId, act: Act) -> Result<(), String> {
    still_local(p)?;
    let pid = libc::pid_t::try_from(p.pid).map_err(|_| format!("PID {}: out of range", p.pid))?;
    // SAFETY: kill and setpriority take plain integers; the PID was checked to be the process
    // shown just above.
    let failed = unsafe {
        match act {
            Act::Signal(name) => {
                let n = SIGNALS
                    .iter()
                    .find(|(s, _)| *s == name)
                    .map_or(0, |(_, n)| *n);
                libc::kill(pid, n) != 0
            }
            Act::Renice(n) => libc::setpriority(libc::PRIO_PROCESS, p.pid, n) != 0,
        }
    };
    if failed {
        return Err(format!(
            "{}: {}",
            what(p, act),
            std::io::Error::last_os_error()
        ));
    }
    Ok(())
}

fn what(p: &ProcId, act: Act) -> String {
    match act {
        Act::Signal(s) => format!("SIG{s} to PID {}", p.pid),
        Act::Renice(n) => format!("nice {n} for PID {}", p.pid),
    }
}

/// The remote command: check that PID is still the process that started at `start` (field
/// 22 of its stat, the 20th after the name's closing parenthesis), then act.
pub fn remote_command(p: &ProcId, act: Act) -> String {
    let then = match act {
        Act::Signal(s) => format!("kill -s {s} {}", p.pid),
        Act::Renice(n) => format!("renice -n {n} -p {} >/dev/null", p.pid),
    };
    checked(p, &then)
}

/// `then` (fixed text with numbers), run only while PID is the process that started at
/// `start`.
pub(super) fn checked(p: &ProcId, then: &str) -> String {
    format!(
        "set -- $(sed 's/.*) //' /proc/{pid}/stat 2>/dev/null); \
         if [ \"${{20}}\" != {start} ]; then echo 'PID {pid} is another process now, or has ended' >&2; exit 3; fi; {then}",
        pid = p.pid,
        start = p.start,
    )
}

async fn remote(t: &Target, o: &SshOptions, p: &ProcId, act: Act) -> Result<(), String> {
    one_shot(
        t,
        o,
        &remote_command(p, act),
        &format!("{} on {}", what(p, act), p.host),
    )
    .await
    .map(drop)
}

/// Runs `command` on the host over a separate one-shot `ssh`: its output, or what went wrong
/// (`what` says what was being done).
pub(super) async fn one_shot(
    t: &Target,
    o: &SshOptions,
    command: &str,
    what: &str,
) -> Result<String, String> {
    let args = ssh_command(t, o, command);
    let run = tokio::process::Command::new(&o.binary)
        .args(args)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(o.connect_timeout + Duration::from_secs(10), run)
        .await
        .map_err(|_| format!("{what}: ssh did not answer"))?
        .map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let last = err
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("failed");
    Err(format!("{what}: {}", crate::text::fit(last.trim(), 160)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn following_keeps_one_process_on_its_own_host_only() {
        let pins: HashMap<String, super::super::top::Pins> = ["here", "db1"]
            .into_iter()
            .map(|h| (h.to_string(), Default::default()))
            .collect();
        let s = Signaller {
            local: "here".into(),
            pins: pins.clone(),
            ..Default::default()
        };
        let id = |host: &str| ProcId {
            host: host.into(),
            pid: 42,
            start: 7,
        };
        let held = |h: &str| pins[h].lock().unwrap().iter().copied().collect::<Vec<_>>();
        assert!(s.follow(Some(&id("db1"))));
        assert_eq!((held("here"), held("db1")), (vec![], vec![(42, 7)]));
        assert!(s.follow(Some(&id("here"))));
        assert_eq!((held("here"), held("db1")), (vec![(42, 7)], vec![]));
        assert!(
            !s.follow(Some(&id("elsewhere"))),
            "not a host montui collects"
        );
        assert!(!s.follow(None));
        assert_eq!((held("here"), held("db1")), (vec![], vec![]));
    }

    #[test]
    fn signals_are_named_or_numbered_from_the_list_only() {
        assert_eq!(parse_signal("term"), Some("TERM"));
        assert_eq!(parse_signal("SIGKILL"), Some("KILL"));
        assert_eq!(parse_signal(" 9 "), Some("KILL"));
        assert_eq!(parse_signal("TERM; rm -rf /"), None);
        assert_eq!(parse_signal("99"), None);
    }

    #[test]
    fn the_remote_command_is_fixed_text_with_numbers() {
        let p = ProcId {
            host: "web".into(),
            pid: 4242,
            start: 98765,
        };
        let c = remote_command(&p, Act::Signal("TERM"));
        assert!(
            c.contains("/proc/4242/stat")
                && c.contains("!= 98765")
                && c.ends_with("kill -s TERM 4242")
        );
        assert!(remote_command(&p, Act::Renice(5)).contains("renice -n 5 -p 4242"));
    }

    #[test]
    fn a_child_is_signalled_and_a_reused_or_ended_pid_is_refused() {
        let mut child = std::process::Command::new("sleep")
            .arg("60")
            .spawn()
            .expect("sleep");
        let pid = child.id();
        let stat = std::fs::read(format!("/proc/{pid}/stat")).expect("stat");
        let start = procfs::proc_stat(&stat, 100, 4096).ok().map(|p| p.0.start);
        let s = Signaller {
            local: "here".into(),
            ..Default::default()
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("rt");
        let id = |start| ProcId {
            host: "here".into(),
            pid,
            start,
        };
        let e = rt.block_on(s.act(&id(1), Act::Signal("TERM")));
        assert!(e.is_err_and(|e| e.contains("another process")));
        assert_eq!(
            rt.block_on(s.act(&id(start.unwrap_or(0)), Act::Renice(5))),
            Ok(())
        );
        assert_eq!(
            rt.block_on(s.act(&id(start.unwrap_or(0)), Act::Signal("KILL"))),
            Ok(())
        );
        let status = child.wait().expect("wait");
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(libc::SIGKILL));
        let e = rt.block_on(s.act(&id(start.unwrap_or(0)), Act::Signal("TERM")));
        assert!(e.is_err_and(|e| e.contains("has ended")));
        let far = ProcId {
            host: "elsewhere".into(),
            pid,
            start: 0,
        };
        assert!(rt.block_on(s.act(&far, Act::Signal("TERM"))).is_err());
        assert!(rt.block_on(s.act(&id(0), Act::Renice(40))).is_err());
    }
}
