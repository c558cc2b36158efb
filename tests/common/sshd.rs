//! A real OpenSSH server for the tests and `montui-bench ssh-fanout`: 127.0.0.1, an
//! ephemeral port, fresh host and client keys, and an ssh client config with aliases for the
//! good case and each fault. Self-contained, so the bench includes it too.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Sshd {
    pub dir: tempfile::TempDir,
    pub port: u16,
    /// Client config with the aliases `lab1`…`lab<n>`, `unknownkey`, `wrongkey`,
    /// `refused` (a key the server does not accept) and `closed` (a port nobody listens on).
    pub ssh_config: PathBuf,
    sshd: PathBuf,
    child: Option<Child>,
}

fn keygen(path: &Path) {
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .stdout(Stdio::null())
        .status()
        .expect("ssh-keygen")
        .success();
    assert!(ok, "ssh-keygen failed");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Sshd {
    /// Starts sshd; Err names the Debian package that is missing.
    pub fn start(aliases: usize) -> Result<Sshd, &'static str> {
        Self::start_with(aliases, false)
    }

    /// Like `start`; `isolated` gives each session its own PID namespace and /proc (root
    /// only), so N sessions look like N small hosts rather than one host with N samplers each
    /// reading every other one's processes.
    pub fn start_with(aliases: usize, isolated: bool) -> Result<Sshd, &'static str> {
        let sbin = PathBuf::from("/usr/sbin/sshd");
        let sshd = which("sshd")
            .or_else(|| sbin.is_file().then_some(sbin))
            .ok_or("openssh-server")?;
        which("ssh").ok_or("openssh-client")?;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for k in ["host_key", "other_host_key", "client_key", "stranger_key"] {
            keygen(&d.join(k));
        }
        std::fs::copy(d.join("client_key.pub"), d.join("authorized_keys")).unwrap();
        let port = free_port();
        // Privilege separation needs this directory (the Debian service makes it at boot).
        let _ = std::fs::create_dir_all("/run/sshd");
        std::fs::write(
            d.join("sshd_config"),
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\n\
                 AuthorizedKeysFile {d}/authorized_keys\nPasswordAuthentication no\n\
                 KbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
                 PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\n\
                 PidFile {d}/sshd.pid\nLogLevel ERROR\nMaxStartups 1000\n{isolate}",
                d = d.display(),
                isolate = if isolated {
                    "ForceCommand unshare --pid --fork --mount-proc --kill-child -- \
                     sh -c \"$SSH_ORIGINAL_COMMAND\"\n"
                } else {
                    ""
                }
            ),
        )
        .unwrap();
        let pubkey = |k: &str| {
            let t = std::fs::read_to_string(d.join(format!("{k}.pub"))).unwrap();
            t.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
        };
        let known = format!("[127.0.0.1]:{port} {}\n", pubkey("host_key"));
        std::fs::write(d.join("known_hosts"), &known).unwrap();
        std::fs::write(
            d.join("known_hosts_wrong"),
            format!("[127.0.0.1]:{port} {}\n", pubkey("other_host_key")),
        )
        .unwrap();
        std::fs::write(d.join("known_hosts_empty"), "").unwrap();
        let user = std::env::var("USER").unwrap_or_else(|_| "root".into());
        let block = |alias: &str, port: u16, key: &str, known: &str| {
            format!(
                "Host {alias}\n  HostName 127.0.0.1\n  Port {port}\n  User {user}\n  \
                 IdentityFile {d}/{key}\n  IdentitiesOnly yes\n  UserKnownHostsFile {d}/{known}\n  \
                 GlobalKnownHostsFile /dev/null\n  LogLevel ERROR\n",
                d = d.display()
            )
        };
        let mut cfg = String::new();
        for i in 1..=aliases {
            cfg += &block(&format!("lab{i}"), port, "client_key", "known_hosts");
        }
        cfg += &block("unknownkey", port, "client_key", "known_hosts_empty");
        cfg += &block("wrongkey", port, "client_key", "known_hosts_wrong");
        cfg += &block("refused", port, "stranger_key", "known_hosts");
        cfg += &block("closed", free_port(), "client_key", "known_hosts");
        let ssh_config = d.join("ssh_config");
        std::fs::write(&ssh_config, cfg).unwrap();
        let mut s = Sshd {
            dir,
            port,
            ssh_config,
            sshd,
            child: None,
        };
        s.restart();
        Ok(s)
    }

    /// Starts sshd again on the same port (after `kill`), and waits until it listens.
    pub fn restart(&mut self) {
        let child = Command::new(&self.sshd)
            .args(["-D", "-e", "-f"])
            .arg(self.dir.path().join("sshd_config"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sshd starts");
        self.child = Some(child);
        let t0 = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "sshd did not listen"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kills sshd and every session it serves (SIGKILL): connections drop mid-stream.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            for pid in descendants(c.id()) {
                signal(pid, 9);
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// The remote samplers (awk) running under this sshd.
    pub fn samplers(&self) -> Vec<u32> {
        let Some(c) = &self.child else { return vec![] };
        descendants(c.id())
            .into_iter()
            .filter(|p| {
                std::fs::read(format!("/proc/{p}/cmdline")).is_ok_and(|c| c.starts_with(b"awk"))
            })
            .collect()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Sends `sig` to `pid`.
pub fn signal(pid: u32, sig: i32) {
    let _ = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .stderr(Stdio::null())
        .status();
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// Every process below `root`, children first found by their parent pid in /proc.
pub fn descendants(root: u32) -> Vec<u32> {
    let mut parent = std::collections::HashMap::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, r)| r.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pp) = ppid {
            parent.insert(pid, pp);
        }
    }
    let mut out = Vec::new();
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for (c, pp) in &parent {
            if *pp == p && !out.contains(c) {
                out.push(*c);
                frontier.push(*c);
            }
        }
    }
    out
}
