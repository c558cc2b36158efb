//! The email receiver against a real SMTP server (python3-aiosmtpd) on loopback, with
//! STARTTLS (a self-signed certificate made here, trusted through `ca_file`) and AUTH: a
//! firing alert arrives as mail with the expected subject and body, then its resolve; a wrong
//! password is refused for good, naming the server's answer.

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_montui");

/// aiosmtpd on a free port with STARTTLS and AUTH (user `montui`, password `pw-right`).
struct Smtp {
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
    fn start(dir: &Path) -> Self {
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
    fn mails(&self, n: usize) -> Vec<String> {
        let start = Instant::now();
        loop {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&self.out)
                .unwrap()
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect();
            if files.len() >= n || start.elapsed() > common::WAIT {
                files.sort();
                return files
                    .iter()
                    .map(|f| std::fs::read_to_string(f).unwrap_or_default())
                    .collect();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn receiver(&self, password_env: &str) -> String {
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
    let openssl = common::need("openssl");
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

#[test]
#[cfg_attr(
    any(montui_no_aiosmtpd, montui_no_openssl),
    ignore = "needs python3-aiosmtpd and openssl (apt-get install python3-aiosmtpd openssl)"
)]
fn a_firing_alert_arrives_as_mail_and_so_does_its_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = Smtp::start(dir.path());
    let cfg = dir.path().join("config.toml");
    let text = format!(
        r#"interval = "500ms"
[alerts.notify]
group_wait = "0s"
group_interval = "1s"
[[alerts.rules]]
name = "loopback_busy"
metric = "network_receive_bytes_per_second"
above = 50000000
severity = "warning"
[alerts.rules.annotations]
summary = "{{interface}} receives {{value}}"
{}"#,
        smtp.receiver("T_SMTP_PASSWORD")
    );
    std::fs::write(&cfg, text).unwrap();
    let flood = common::http::Flood::start();
    let mut child = Command::new(BIN)
        .args(["--headless", "--config"])
        .arg(&cfg)
        .arg("--db")
        .arg(dir.path().join("h.db"))
        .envs(common::home(dir.path()))
        .env("T_SMTP_PASSWORD", "pw-right")
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let firing = smtp.mails(1);
    drop(flood);
    let both = smtp.mails(2);
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    assert!(!firing.is_empty(), "no mail came");
    let mail = &firing[0];
    assert!(
        mail.contains("Subject: [FIRING:1] loopback_busy on "),
        "{mail}"
    );
    assert!(
        mail.contains("(lo)"),
        "the interface in the subject: {mail}"
    );
    assert!(
        mail.contains("To: ops@example.org, oncall@example.org"),
        "{mail}"
    );
    assert!(
        mail.contains("text/plain") && mail.contains("text/html"),
        "{mail}"
    );
    assert!(
        mail.contains("lo receives"),
        "the summary in the body: {mail}"
    );
    assert!(both.len() >= 2, "no resolve mail came");
    assert!(
        both.iter()
            .any(|m| m.contains("Subject: [RESOLVED] loopback_busy on ")),
        "{both:?}"
    );
}

#[test]
#[cfg_attr(
    any(montui_no_aiosmtpd, montui_no_openssl),
    ignore = "needs python3-aiosmtpd and openssl (apt-get install python3-aiosmtpd openssl)"
)]
fn a_wrong_password_is_refused_for_good_with_the_servers_answer() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = Smtp::start(dir.path());
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, smtp.receiver("T_SMTP_PASSWORD")).unwrap();
    let run = |password: &str| {
        let o = Command::new(BIN)
            .arg("--config")
            .arg(&cfg)
            .args(["notify", "test"])
            .envs(common::home(dir.path()))
            .env("T_SMTP_PASSWORD", password)
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).to_string(),
        )
    };
    let (ok, said) = run("pw-wrong-MARKER");
    assert!(!ok, "{said}");
    assert!(
        said.contains("refused for good") && said.contains("535"),
        "{said}"
    );
    assert!(!said.contains("MARKER"), "{said}");
    let (ok, said) = run("pw-right");
    assert!(ok && said.contains("mail: delivered"), "{said}");
    let mail = smtp.mails(1);
    assert!(
        mail.first()
            .is_some_and(|m| m.contains("Subject: [FIRING:1] montui_test")),
        "{mail:?}"
    );
}
