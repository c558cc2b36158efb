//! A real HTTP server on 127.0.0.1 for the notification tests: it records each request and
//! answers as told (a status, 429 with Retry-After, a hang), or is down (connections refused)
//! and back on the same port. Also: a plain GET, and a loopback flood (rules fire on it).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub at: Instant,
}

impl Request {
    /// A header's value (names compared without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        (self.headers.iter())
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_default()
    }
}

/// How the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Status(u16),
    /// 429 with `Retry-After: <secs>`.
    TooMany(u64),
    /// Reads the request and never answers.
    Hang,
}

struct Shared {
    answer: Mutex<Answer>,
    got: Mutex<Vec<Request>>,
}

pub struct Server {
    pub port: u16,
    shared: Arc<Shared>,
    up: Option<Arc<AtomicBool>>,
}

impl Server {
    pub fn start(answer: Answer) -> Self {
        let shared = Arc::new(Shared {
            answer: Mutex::new(answer),
            got: Mutex::new(Vec::new()),
        });
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut s = Self {
            port,
            shared,
            up: None,
        };
        s.serve(listener);
        s
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn answer(&self, a: Answer) {
        *self.shared.answer.lock().unwrap() = a;
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Request> {
        self.shared.got.lock().unwrap().clone()
    }

    /// The `Montui-Notice-Id` of every request so far, in arrival order.
    pub fn notice_ids(&self) -> Vec<String> {
        (self.requests().iter())
            .filter_map(|r| r.header("montui-notice-id").map(str::to_string))
            .collect()
    }

    /// Waits (up to `wait`) until `n` requests have come; the requests.
    pub fn wait_for(&self, n: usize, wait: Duration) -> Vec<Request> {
        let start = Instant::now();
        loop {
            let got = self.requests();
            if got.len() >= n || start.elapsed() > wait {
                return got;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Down: the port refuses connections until `restart`.
    pub fn stop(&mut self) {
        if let Some(up) = self.up.take() {
            up.store(false, Ordering::SeqCst);
            // Wakes the accept loop so it drops the listener.
            let _ = TcpStream::connect(("127.0.0.1", self.port));
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Back on the same port.
    pub fn restart(&mut self) {
        let start = Instant::now();
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)) {
                Ok(l) => break l,
                Err(e) if start.elapsed() > Duration::from_secs(10) => panic!("rebind: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        };
        self.serve(listener);
    }

    fn serve(&mut self, listener: TcpListener) {
        let up = Arc::new(AtomicBool::new(true));
        self.up = Some(up.clone());
        let shared = self.shared.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if !up.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(conn) = conn else { continue };
                let shared = shared.clone();
                std::thread::spawn(move || handle(conn, &shared));
            }
        });
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn handle(conn: TcpStream, shared: &Shared) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(30)));
    let mut reader = BufReader::new(match conn.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let len = (headers.iter())
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    let answer = *shared.answer.lock().unwrap();
    shared.got.lock().unwrap().push(Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        at: Instant::now(),
    });
    let reply = match answer {
        Answer::Status(code) => {
            format!("HTTP/1.1 {code} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
        }
        Answer::TooMany(secs) => format!(
            "HTTP/1.1 429 Too Many\r\nretry-after: {secs}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        ),
        Answer::Hang => {
            std::thread::sleep(Duration::from_secs(60));
            return;
        }
    };
    let mut conn = conn;
    let _ = conn.write_all(reply.as_bytes());
}

/// Floods the loopback interface until dropped: a rule on
/// `network_receive_bytes_per_second` fires while it runs, and resolves after.
pub struct Flood(Arc<AtomicBool>);

impl Flood {
    pub fn start() -> Self {
        let on = Arc::new(AtomicBool::new(true));
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        std::thread::spawn(move || {
            if let Ok((mut c, _)) = l.accept() {
                let mut buf = vec![0u8; 1 << 20];
                while c.read(&mut buf).is_ok_and(|n| n > 0) {}
            }
        });
        let flag = on.clone();
        std::thread::spawn(move || {
            let mut c = TcpStream::connect(addr).unwrap();
            let chunk = vec![7u8; 1 << 20];
            while flag.load(Ordering::Relaxed) && c.write_all(&chunk).is_ok() {}
        });
        Self(on)
    }
}

impl Drop for Flood {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

/// GET `url` (http, loopback): the status and body.
pub fn get(url: &str) -> Option<(u16, String)> {
    fetch(url, &[]).map(|f| (f.status, f.body))
}

/// An answer: status, `Content-Type` and body.
pub struct Fetched {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

/// `GET url` with these headers (HTTP/1.0: the answer is never chunked).
pub fn fetch(url: &str, headers: &[(&str, &str)]) -> Option<Fetched> {
    let rest = url.strip_prefix("http://")?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut c = TcpStream::connect(host).ok()?;
    c.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let path = if path.is_empty() { "/" } else { path };
    let mut ask = format!("GET {path} HTTP/1.0\r\nHost: {host}\r\n");
    for (k, v) in headers {
        ask.push_str(&format!("{k}: {v}\r\n"));
    }
    write!(c, "{ask}\r\n").ok()?;
    let mut text = String::new();
    c.read_to_string(&mut text).ok()?;
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let content_type = (head.lines())
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-type")
                .then(|| v.trim().to_string())
        })
        .unwrap_or_default();
    Some(Fetched {
        status,
        content_type,
        body: body.to_string(),
    })
}

/// `ids` sorted, and whether none came twice.
pub fn once(ids: &[String]) -> (Vec<String>, bool) {
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    let twice = unique.len() != ids.len();
    (unique, !twice)
}
