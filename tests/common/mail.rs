//! A real SMTP server for the email receiver's tests: aiosmtpd (`smtp.py`) with STARTTLS, a
//! certificate signed by a test CA made here, and AUTH.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// aiosmtpd on a free port with STARTTLS and AUTH (user `montui`, password `pw-right`).
pub struct Smtp {
    child: Child,
    port: u16,
    /// The CA that signed the server's certificate.
    ca: PathBuf,
    out: PathBuf,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Smtp {
    pub fn start(dir: &Path) -> Self {
        let (ca, cert, key) = certificates(dir);
        let out = dir.join("mail");
        std::fs::create_dir_all(&out).unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/common/smtp.py");
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg(port.to_string())
            .args([&cert, &key])
            .args(["montui", "pw-right"])
            .arg(&out)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let stdout = child.stdout.take().unwrap();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP server did not start");
        Self {
            child,
            port,
            ca,
            out,
        }
    }

    /// Waits until `n` mails have come: their text, oldest first.
    pub fn mails(&self, n: usize) -> Vec<String> {
        let start = Instant::now();
        loop {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&self.out)
                .unwrap()
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect();
            if files.len() >= n || start.elapsed() > super::WAIT {
                files.sort();
                return files
                    .iter()
                    .map(|f| std::fs::read_to_string(f).unwrap_or_default())
                    .collect();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn receiver(&self, password_env: &str) -> String {
        format!(
            r#"[[notify.receivers]]
name = "mail"
email = {{ host = "127.0.0.1", port = {}, tls = "starttls", username = "montui", password_env = "{password_env}", from = "montui@example.org", to = ["ops@example.org", "oncall@example.org"], ca_file = "{}" }}
"#,
            self.port,
            self.ca.display()
        )
    }
}

/// A test CA, and a certificate it signed for 127.0.0.1 with its key: (ca, cert, key).
fn certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let p = |f: &str| dir.join(f);
    std::fs::write(p("ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n").unwrap();
    let openssl = super::need("openssl");
    let run = |args: &[&str]| {
        let ok = Command::new(&openssl)
            .args(args)
            .current_dir(dir)
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(ok.success(), "openssl {args:?} failed");
    };
    let days = ["-days", "2"];
    let ca = [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=montui test CA",
    ];
    run(&[&ca[..], &days, &["-keyout", "ca.key", "-out", "ca.pem"]].concat());
    let req = [
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
    ];
    run(&[&req[..], &["-keyout", "key.pem", "-out", "srv.csr"]].concat());
    let sign = [
        "x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
    ];
    let out = ["-CAcreateserial", "-extfile", "ext", "-out", "cert.pem"];
    run(&[&sign[..], &days, &out].concat());
    (p("ca.pem"), p("cert.pem"), p("key.pem"))
}
