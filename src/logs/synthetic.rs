//! Synthetic logs that show, one at a time, what real logs do to a template miner and a
//! header detector: variables that are not plain numbers (host names, `host:port`, IP lists,
//! sizes with units, durations, paths, UUIDs, hex, `key=value`, quoted strings, dotted
//! service names), events that differ by one word, ANSI colours, and headers of many shapes.
//! Each line knows its event, so grouping accuracy is measured without any benchmark file:
//! the tests and `montui-bench loghub` use them.

use std::hash::Hash;

use rustc_hash::FxHashMap as HashMap;

use super::header;
use super::miner::{Change, Knobs, MAX_CLUSTERS, Miner, PatternId};
use crate::detect::synthetic::Noise;
use crate::text::one_line;

/// One source: its lines as written, their messages, and each line's event.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: &'static str,
    pub raw: Vec<String>,
    pub content: Vec<String>,
    pub events: Vec<usize>,
}

/// A template: its text with `{kind}` holes, filled from `fill`.
type Event = &'static str;

const HOSTS: [&str; 8] = [
    "web-1.example.com",
    "db.internal",
    "api.eu-west.example.org",
    "cache-02.local",
    "mail.example.net",
    "auth.svc.cluster.local",
    "cdn.static.example.com",
    "backup.corp",
];
const USERS: [&str; 12] = [
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "oscar",
];
const SERVICES: [&str; 6] = [
    "com.vendor.sync.agent",
    "com.vendor.net.dns",
    "org.example.mail.fetch",
    "com.vendor.ui.shell",
    "io.acme.cache.warm",
    "com.vendor.power.mgmt",
];
const UNITS: [&str; 6] = ["bytes", "B", "KB", "MB", "GB", "KiB"];
const WORDS: [&str; 8] = [
    "ready", "queued", "remote", "local", "primary", "standby", "cold", "warm",
];

/// A value for a hole.
fn fill(kind: &str, n: &mut Noise) -> String {
    let pick = |n: &mut Noise, k: usize| (n.unit() * k as f64) as usize;
    let num = |n: &mut Noise, max: f64| (n.unit() * max) as u64;
    match kind {
        "host" => HOSTS[pick(n, HOSTS.len())].to_string(),
        "hostport" => format!(
            "{}:{}",
            HOSTS[pick(n, HOSTS.len())],
            [443, 80, 5432, 8080, 6379][pick(n, 5)]
        ),
        "ip" => format!("10.{}.{}.{}", num(n, 255.0), num(n, 255.0), num(n, 255.0)),
        "ips" => (0..1 + pick(n, 4))
            .map(|_| format!("10.0.{}.{}", num(n, 255.0), num(n, 255.0)))
            .collect::<Vec<_>>()
            .join(","),
        "size" => match pick(n, 3) {
            0 => format!("{} {}", num(n, 1000.0), UNITS[pick(n, UNITS.len())]),
            1 => format!("({:.2} {})", n.unit() * 100.0, UNITS[2 + pick(n, 3)]),
            _ => format!("{}{}", num(n, 900.0), ["KB", "MB", "k"][pick(n, 3)]),
        },
        "duration" => match pick(n, 5) {
            0 => format!("{:02}:{:02}", num(n, 60.0), num(n, 60.0)),
            1 => "<1 sec".to_string(),
            2 => format!("{} ms", num(n, 900.0)),
            3 => format!("{:.1}s", n.unit() * 30.0),
            _ => format!(
                "{:02}:{:02}:{:02}",
                num(n, 24.0),
                num(n, 60.0),
                num(n, 60.0)
            ),
        },
        "user" => USERS[pick(n, USERS.len())].to_string(),
        "word" => WORDS[pick(n, WORDS.len())].to_string(),
        "service" => SERVICES[pick(n, SERVICES.len())].to_string(),
        "uuid" => format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            num(n, 4e9),
            num(n, 65535.0),
            num(n, 4095.0),
            num(n, 4095.0),
            num(n, 2.8e14)
        ),
        "hex" => format!("0x{:x}", num(n, 4e9)),
        "path" => format!(
            "/{}/{}/{}.{}",
            ["var", "srv", "home", "opt"][pick(n, 4)],
            USERS[pick(n, USERS.len())],
            WORDS[pick(n, WORDS.len())],
            ["log", "db", "conf"][pick(n, 3)]
        ),
        "id" => num(n, 100_000.0).to_string(),
        "quoted" => format!("\"{} {}\"", WORDS[pick(n, 8)], USERS[pick(n, 12)]),
        _ => format!("{}", num(n, 10_000.0)),
    }
}

/// The message of `template` with its holes filled.
fn message(template: &str, n: &mut Noise) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').unwrap_or(0);
        out.push_str(&fill(&rest[open + 1..close], n));
        rest = &rest[close + 1..];
    }
    out + rest
}

/// The events every source draws from: a variable of each kind, and events that differ by
/// one word (each its own event).
const EVENTS: [Event; 22] = [
    "Connection to {hostport} closed",
    "{hostport} open through proxy {hostport} HTTPS",
    "{hostport} close, {size} sent, {size} received, lifetime {duration}",
    "Sending heartbeat to peers {ips}",
    "VM Paused (Lifecycle Event)",
    "VM Resumed (Lifecycle Event)",
    "VM Started (Lifecycle Event)",
    "VM Stopped (Lifecycle Event)",
    "User {user} logged in from {ip}",
    "Request {uuid} finished in {duration}",
    "Block {hex} written to {path}",
    "{service}: received notification for {user}",
    "Cache {word} hit ratio {n} after {duration}",
    "set option {user}={n} for {quoted}",
    "Disk quota exceeded on {path} by {size}",
    "Worker {n} is ready",
    "Worker {n} is busy",
    "Worker {n} is gone",
    "Lookup of {host} failed",
    "Lookup of {host} took {duration}",
    "Session {uuid} opened for user {user} by {user}",
    "Session {uuid} closed for user {user}",
];

/// Access-log routes: a method and a route's shape are the event (`/api/users/<*>`).
const ROUTES: [(&str, &str); 4] = [
    ("GET", "/api/users/{id}"),
    ("POST", "/api/orders/{id}/items"),
    ("GET", "/static/app.{hex}.js"),
    ("DELETE", "/api/sessions/{uuid}"),
];

/// A header written before a message at `t` (seconds), in one source's shape.
fn header(shape: usize, t: u64, n: &mut Noise) -> String {
    let (h, m, s) = ((t / 3600) % 24, (t / 60) % 60, t % 60);
    let ms = (n.unit() * 1000.0) as u64;
    let level = ["INFO", "WARN", "ERROR", "DEBUG"][(n.unit() * 4.0) as usize];
    let pid = 1000 + (n.unit() * 30000.0) as u64;
    match shape {
        0 => format!("Dec  5 {h:02}:{m:02}:{s:02} web-1 app[{pid}]: "),
        1 => format!(
            "2026-12-05 {h:02}:{m:02}:{s:02},{ms:03} {level} [main-{pid}] com.example.Svc: "
        ),
        2 => format!("20261205-{h:02}:{m:02}:{s:02}:{ms}|Step_Svc|{pid}|"),
        3 => format!(
            "{} node-{} unix.hw state_change.unavailable {} 1 ",
            100_000 + t,
            pid % 300,
            1_733_000_000 + t
        ),
        4 => format!("[12.05 {h:02}:{m:02}:{s:02}] agent.exe - "),
        5 => format!("2026-12-05T{h:02}:{m:02}:{s:02}.{ms:03}Z {level} "),
        6 => format!("\x1b[32m2026-12-05 {h:02}:{m:02}:{s:02}\x1b[0m \x1b[1;34m{level}\x1b[0m "),
        7 => format!(
            "12-05 {h:02}:{m:02}:{s:02}.{ms:03}  {pid}  {}  I Svc: ",
            pid + 7
        ),
        _ => format!("{level} {h:02}:{m:02}:{s:02} "),
    }
}

/// Header shapes and their names.
const SHAPES: [&str; 9] = [
    "syslog",
    "java",
    "pipes",
    "numeric_fields",
    "bracket_time",
    "iso_z",
    "ansi",
    "android",
    "level_first",
];

/// `lines` lines from each header shape, each line one of the events.
pub fn sources(lines: usize) -> Vec<Source> {
    let mut out = Vec::new();
    for (shape, name) in SHAPES.iter().enumerate() {
        let mut n = Noise::new(100 + shape as u64);
        let mut src = Source {
            name,
            raw: Vec::new(),
            content: Vec::new(),
            events: Vec::new(),
        };
        for i in 0..lines {
            let e = (n.unit() * EVENTS.len() as f64) as usize;
            let msg = message(EVENTS[e], &mut n);
            src.raw
                .push(header(shape, 3600 + i as u64 * 7, &mut n) + &msg);
            src.content.push(msg);
            src.events.push(e);
        }
        out.push(src);
    }
    let mut n = Noise::new(99);
    let mut access = Source {
        name: "access",
        raw: Vec::new(),
        content: Vec::new(),
        events: Vec::new(),
    };
    for i in 0..lines {
        let r = (n.unit() * ROUTES.len() as f64) as usize;
        let ok = n.unit() < 0.8;
        let (method, route) = ROUTES[r];
        let path = message(route, &mut n);
        let status = if ok { 200 } else { 404 };
        access.raw.push(format!(
            "10.0.0.{} - - [05/Dec/2026:06:{:02}:{:02} +0000] \"{method} {path} HTTP/1.1\" {status} {} \"-\" \"curl/8.5\"",
            i % 250,
            (i / 60) % 60,
            i % 60,
            (n.unit() * 5000.0) as u64
        ));
        let class = if ok { "ok" } else { "client-error" };
        access.content.push(format!("{method} {path} {class}"));
        access.events.push(r * 2 + usize::from(ok));
    }
    out.push(access);
    out
}

/// Each raw line's message as the live path takes it: terminal escapes out, header off.
pub fn messages<S: AsRef<str>>(raw: &[S]) -> Vec<String> {
    raw.iter()
        .map(|l| header::split(&one_line(l.as_ref())).message.into_owned())
        .collect()
}

/// Each line's pattern once all are mined by one default miner (patterns merged on the way
/// are followed to where they went).
pub fn mine<S: AsRef<str>>(lines: &[S]) -> Vec<PatternId> {
    mine_with(lines, Knobs::default())
}

/// `mine` with other knobs.
pub fn mine_with<S: AsRef<str>>(lines: &[S], knobs: Knobs) -> Vec<PatternId> {
    let mut m = Miner::tuned(MAX_CLUSTERS, knobs);
    let ids: Vec<PatternId> = lines.iter().map(|l| m.add(l.as_ref())).collect();
    let mut into = HashMap::default();
    for c in m.take_changes() {
        if let Change::Merged { from, into: to } = c {
            into.insert(from, to);
        }
    }
    ids.into_iter()
        .map(|mut id| {
            while let Some(next) = into.get(&id) {
                id = *next;
            }
            id
        })
        .collect()
}

/// Loghub's grouping accuracy: the share of lines whose predicted group holds exactly the
/// lines of their true group.
pub fn grouping_accuracy<T: Eq + Hash>(predicted: &[PatternId], truth: &[T]) -> f64 {
    let mut by_pred: HashMap<PatternId, Vec<usize>> = HashMap::default();
    let mut by_truth: HashMap<&T, Vec<usize>> = HashMap::default();
    for (i, (p, t)) in predicted.iter().zip(truth).enumerate() {
        by_pred.entry(*p).or_default().push(i);
        by_truth.entry(t).or_default().push(i);
    }
    let right: usize = by_pred
        .values()
        .filter(|lines| by_truth[&truth[lines[0]]] == **lines)
        .map(Vec::len)
        .sum();
    right as f64 / predicted.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_events_are_grouped_from_messages_and_from_raw_lines() {
        for s in sources(1500) {
            let content = grouping_accuracy(&mine(&s.content), &s.events);
            let raw = grouping_accuracy(&mine(&messages(&s.raw)), &s.events);
            assert!(content > 0.99, "{}: content {content}", s.name);
            assert!(raw > 0.94, "{}: raw {raw}", s.name);
        }
    }

    #[test]
    fn grouping_accuracy_counts_lines_whose_group_is_exactly_their_event() {
        let truth = ["a", "a", "b", "b", "c"];
        assert_eq!(grouping_accuracy(&[1, 1, 2, 2, 3], &truth), 1.0);
        assert_eq!(grouping_accuracy(&[1, 1, 1, 1, 3], &truth), 0.2);
        assert_eq!(grouping_accuracy(&[1, 2, 3, 3, 4], &truth), 0.6);
    }
}
