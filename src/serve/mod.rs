//! `[serve]`: montui's own HTTP listener, `/metrics` for a Prometheus to scrape and
//! `/-/healthy`. hyper's HTTP/1 server (already in the tree under reqwest) on the engine's
//! runtime; a token, when set, is asked of `/metrics`. No terminal code here.

mod page;

pub use page::{Exposed, Format, Health};

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode, header};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::config::Serve;
use crate::engine::EngineStats;

/// Connections served at once; more wait in the kernel's backlog.
const CONNECTIONS: usize = 32;
/// A client that has not sent its request head by then is let go.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// What the pages are made of.
struct Shared {
    exposed: Arc<Exposed>,
    stats: Arc<EngineStats>,
    db: Option<PathBuf>,
    token: Option<String>,
    statsd: Option<Arc<crate::collect::statsd::Counts>>,
}

/// The listener, running; it stops with the runtime.
pub struct Server {
    pub addr: SocketAddr,
}

/// What `/metrics` tells of montui besides the hosts: the engine's counters, the history
/// file, the StatsD listener's counts.
pub struct Sources {
    pub stats: Arc<EngineStats>,
    pub db: Option<PathBuf>,
    pub statsd: Option<Arc<crate::collect::statsd::Counts>>,
}

/// Binds `cfg.listen` (an error says which address and why) and serves it on the runtime.
pub async fn start(cfg: &Serve, exposed: Arc<Exposed>, from: Sources) -> Result<Server, String> {
    let listener = (TcpListener::bind(cfg.listen).await)
        .map_err(|e| format!("[serve] cannot listen on {}: {e}", cfg.listen))?;
    let addr = listener.local_addr().unwrap_or(cfg.listen);
    let shared = Arc::new(Shared {
        exposed,
        stats: from.stats,
        db: from.db,
        token: cfg.token.clone(),
        statsd: from.statsd,
    });
    tokio::spawn(accept(listener, shared));
    tracing::info!("serving /metrics on http://{addr}/metrics");
    Ok(Server { addr })
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    let slots = Arc::new(Semaphore::new(CONNECTIONS));
    loop {
        let Ok(permit) = slots.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, most likely: wait rather than spin.
                tracing::warn!("[serve] accepting a connection: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let shared = shared.clone();
                async move { Ok::<_, Infallible>(answer(&shared, &req)) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
    }
}

fn answer(shared: &Shared, req: &Request<Incoming>) -> Response<Full<Bytes>> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return text(StatusCode::METHOD_NOT_ALLOWED, "GET only\n");
    }
    match req.uri().path() {
        "/-/healthy" | "/-/ready" => text(StatusCode::OK, "montui is Healthy.\n"),
        "/metrics" if !allowed(shared.token.as_deref(), req) => {
            let mut r = text(StatusCode::UNAUTHORIZED, "a bearer token is needed\n");
            let bearer = header::HeaderValue::from_static("Bearer");
            r.headers_mut().insert(header::WWW_AUTHENTICATE, bearer);
            r
        }
        "/metrics" => {
            let accept = (req.headers().get(header::ACCEPT))
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let format = Format::of_accept(accept);
            let health = Health {
                stats: &shared.stats,
                store_bytes: shared.db.as_deref().map(store_bytes),
                statsd: shared.statsd.as_deref(),
            };
            let body = page::page(&shared.exposed, &health, format);
            let mut r = Response::new(Full::new(Bytes::from(body)));
            let kind = header::HeaderValue::from_static(format.content_type());
            r.headers_mut().insert(header::CONTENT_TYPE, kind);
            r
        }
        "/" => text(StatusCode::OK, "montui: /metrics, /-/healthy\n"),
        _ => text(StatusCode::NOT_FOUND, "not found: /metrics, /-/healthy\n"),
    }
}

fn text(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *r.status_mut() = status;
    let kind = header::HeaderValue::from_static("text/plain; charset=utf-8");
    r.headers_mut().insert(header::CONTENT_TYPE, kind);
    r
}

/// Whether the request brings the token (when one is set), compared in constant time.
fn allowed(token: Option<&str>, req: &Request<Incoming>) -> bool {
    let Some(token) = token else { return true };
    let given = (req.headers().get(header::AUTHORIZATION))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    given.len() == token.len()
        && (given.bytes().zip(token.bytes())).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// The history file and its write-ahead log, in bytes.
fn store_bytes(db: &std::path::Path) -> u64 {
    let size = |p: PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    size(db.to_path_buf()) + size(PathBuf::from(wal))
}
