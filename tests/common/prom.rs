//! The Prometheus project's servers from Debian's packages, started on free loopback ports
//! for the tests: node_exporter and Prometheus itself.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A free loopback port (a moment's race with whoever takes it next).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port()
}

/// A node_exporter on a free loopback port; killed on drop.
pub struct NodeExporter {
    pub child: Child,
    pub port: u16,
}

impl NodeExporter {
    pub fn start() -> Self {
        let bin = super::need("prometheus-node-exporter");
        let port = free_port();
        let child = Command::new(bin)
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let n = NodeExporter { child, port };
        let t0 = Instant::now();
        while n.get("/metrics", "text/plain").is_err() {
            assert!(t0.elapsed() < super::WAIT, "node_exporter did not answer");
            std::thread::sleep(Duration::from_millis(100));
        }
        n
    }

    /// `GET path` asking for `accept`: the Content-Type and the body.
    pub fn get(&self, path: &str, accept: &str) -> Result<(String, String), String> {
        let mut s =
            std::net::TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        write!(
            s,
            "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: {accept}\r\n\r\n"
        )
        .map_err(|e| e.to_string())?;
        let mut all = String::new();
        s.read_to_string(&mut all).map_err(|e| e.to_string())?;
        let (head, body) = all.split_once("\r\n\r\n").ok_or("no answer")?;
        if !(head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200")) {
            return Err(head.to_string());
        }
        let ct = (head.lines())
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-type:")
                    .map(|v| v.trim().to_string())
            })
            .unwrap_or_default();
        Ok((ct, body.to_string()))
    }
}

impl Drop for NodeExporter {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A Prometheus server scraping each job's targets (`host:port`, path /metrics) every
/// second, with its data in `dir`; killed on drop.
pub struct Prometheus {
    child: Child,
    pub port: u16,
}

impl Prometheus {
    pub fn start(dir: &Path, jobs: &[(&str, Vec<String>)]) -> Self {
        let bin = super::need("prometheus");
        let mut yml =
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n".to_string();
        for (job, targets) in jobs {
            let list: Vec<String> = targets.iter().map(|t| format!("'{t}'")).collect();
            yml.push_str(&format!(
                "  - job_name: {job}\n    static_configs:\n      - targets: [{}]\n",
                list.join(", ")
            ));
        }
        let cfg = dir.join("prometheus.yml");
        std::fs::write(&cfg, yml).unwrap();
        let port = free_port();
        let child = Command::new(bin)
            .arg(format!("--config.file={}", cfg.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("tsdb").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("prometheus.log")).unwrap())
            .spawn()
            .unwrap();
        let p = Prometheus { child, port };
        let t0 = Instant::now();
        while super::http::get(&p.url("/-/ready")).is_none_or(|(s, _)| s != 200) {
            assert!(t0.elapsed() < super::WAIT, "prometheus did not get ready");
            std::thread::sleep(Duration::from_millis(200));
        }
        p
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Its API's answer to `GET path` (JSON).
    pub fn api(&self, path: &str) -> serde_json::Value {
        (super::http::get(&self.url(path)))
            .and_then(|(_, body)| serde_json::from_str(&body).ok())
            .unwrap_or_default()
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
