//! What a process's details show beyond what samples carry: its working directory and how
//! many files it has open. Read when asked (Enter on a process), from this machine's /proc or
//! over a separate one-shot `ssh` running a fixed command (numbers only), after the same check
//! as signals that the PID is still the process shown.

use super::signal::{ProcId, Signaller, checked, one_shot, still_local};

/// A live process's working directory and open file count; None where they cannot be read
/// (another user's process without privileges).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspected {
    pub cwd: Option<String>,
    pub open_files: Option<u32>,
}

impl Signaller {
    /// Reads `p`'s working directory and open files; what went wrong, said for the user.
    pub async fn inspect(&self, p: &ProcId) -> Result<Inspected, String> {
        if p.pid == 0 {
            return Err("PID 0 is no process".into());
        }
        if p.host == self.local {
            still_local(p)?;
            return Ok(Inspected {
                cwd: std::fs::read_link(format!("/proc/{}/cwd", p.pid))
                    .ok()
                    .map(|c| c.to_string_lossy().into_owned()),
                open_files: std::fs::read_dir(format!("/proc/{}/fd", p.pid))
                    .ok()
                    .map(|d| d.count() as u32),
            });
        }
        let Some((t, o)) = self.remote.get(&p.host) else {
            return Err(format!("{}: not a host montui reaches", p.host));
        };
        let what = format!("details of PID {} on {}", p.pid, p.host);
        let out = one_shot(t, o, &remote_command(p), &what).await?;
        Ok(parse(&out))
    }
}

/// Prints the working directory (or `-`) on one line, then the open file count (or `-`).
fn remote_command(p: &ProcId) -> String {
    checked(
        p,
        &format!(
            "readlink /proc/{pid}/cwd 2>/dev/null || echo -; \
             ls /proc/{pid}/fd 2>/dev/null | wc -l; [ -r /proc/{pid}/fd ] || echo -",
            pid = p.pid
        ),
    )
}

/// The remote command's output; anything else reads as not known.
fn parse(out: &str) -> Inspected {
    let lines: Vec<&str> = out.lines().map(str::trim).collect();
    let cwd = (lines.first().copied())
        .filter(|c| c.starts_with('/'))
        .map(|c| crate::text::one_line(c).into_owned());
    let unreadable = lines.get(2) == Some(&"-");
    let open_files = (lines.get(1).and_then(|n| n.parse().ok())).filter(|_| !unreadable);
    Inspected { cwd, open_files }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_here_is_inspected_and_a_reused_pid_is_refused() {
        let mut child = std::process::Command::new("sleep")
            .arg("60")
            .current_dir("/tmp")
            .spawn()
            .expect("sleep");
        let pid = child.id();
        let stat = std::fs::read(format!("/proc/{pid}/stat")).expect("stat");
        let start = (super::super::procfs::proc_stat(&stat, 100, 4096))
            .expect("parses")
            .0
            .start;
        let s = Signaller {
            local: "here".into(),
            ..Default::default()
        };
        let p = ProcId {
            host: "here".into(),
            pid,
            start,
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let got = rt.block_on(s.inspect(&p)).expect("inspected");
        assert_eq!(got.cwd.as_deref(), Some("/tmp"));
        assert!(got.open_files.is_some_and(|n| n >= 1), "{got:?}");
        let other = ProcId {
            start: start + 1,
            ..p.clone()
        };
        assert!(
            rt.block_on(s.inspect(&other))
                .is_err_and(|e| e.contains("another process"))
        );
        child.kill().unwrap();
        child.wait().unwrap();
    }

    #[test]
    fn the_remote_command_is_fixed_and_its_output_read_warily() {
        let p = ProcId {
            host: "web".into(),
            pid: 77,
            start: 5,
        };
        let c = remote_command(&p);
        assert!(
            c.contains("readlink /proc/77/cwd") && c.contains("!= 5"),
            "{c}"
        );
        let seen = parse("/srv/app\n12\n");
        assert_eq!(
            (seen.cwd.as_deref(), seen.open_files),
            (Some("/srv/app"), Some(12))
        );
        let hidden = parse("-\n0\n-\n");
        assert_eq!((hidden.cwd, hidden.open_files), (None, None));
        let odd = parse("\u{1b}[2J/x\nmany\n");
        assert_eq!((odd.cwd, odd.open_files), (None, None));
    }
}
