//! Native (non-wasm) [`Transport`] and [`Clock`](crate::core::clock::Clock): a blocking `ureq` agent behind the async traits,
//! for the command line and the tests. Drive the futures with [`block_on`].
//!
//! - Each request runs on its own thread and the future waits for its answer ([`off_thread`]), so
//!   requests joined on one executor (the runner's concurrent creates and lookups, issue 17) are
//!   in flight together, as `fetch` calls are in the browser.
//! - Plain `http://` (the sandbox) and `https://` with rustls and the webpki roots (the real API).
//! - Never follows redirects; non-2xx statuses are responses, not errors.
//! - The per-request timeout covers the whole exchange; connection failures (refused, reset,
//!   closed without a reply) map to [`TransportError::Connection`].
//! - [`NativeTransport::route_host`] sends requests for a host name to another base URL with the
//!   original `Host` header: the sandbox serves `cloud.lightspeedapp.com` and the API on one port.

use super::http::{HttpRequest, HttpResponse, Method, Transport, TransportError};
pub use crate::core::clock::SystemClock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub use futures::executor::block_on;

/// A blocking HTTP client behind [`Transport`].
#[derive(Clone)]
pub struct NativeTransport {
    agent: ureq::Agent,
    routes: Vec<(String, String)>,
    /// Requests of this transport (and its clones) not finished yet.
    in_flight: Arc<AtomicUsize>,
}

impl std::fmt::Debug for NativeTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeTransport").field("routes", &self.routes).finish()
    }
}

impl Default for NativeTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl NativeTransport {
    pub fn new() -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(concat!("po-bridge/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        NativeTransport { agent, routes: Vec::new(), in_flight: Arc::default() }
    }

    /// How many requests sent through this transport (or a clone) have not finished, answer or
    /// error, even when the future waiting for one was dropped (a test's "killed process").
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// Requests whose URL host is `host` go to `base` (e.g. `http://127.0.0.1:18080`) instead, with
    /// `Host: host`.
    pub fn route_host(mut self, host: &str, base: &str) -> Self {
        self.routes.push((host.to_ascii_lowercase(), base.trim_end_matches('/').to_string()));
        self
    }

    fn target(&self, url: &str) -> Result<(String, Option<String>), TransportError> {
        let parsed = url::Url::parse(url).map_err(|e| TransportError::Other(format!("bad URL {url}: {e}")))?;
        let host = parsed.host_str().unwrap_or("").to_ascii_lowercase();
        match self.routes.iter().find(|(h, _)| *h == host) {
            Some((h, base)) => {
                let mut rest = parsed.path().to_string();
                if let Some(q) = parsed.query() {
                    rest.push('?');
                    rest.push_str(q);
                }
                Ok((format!("{base}{rest}"), Some(h.clone())))
            }
            None => Ok((url.to_string(), None)),
        }
    }

    fn send_blocking(&self, req: HttpRequest, timeout_ms: u64) -> Result<HttpResponse, TransportError> {
        let (url, host) = self.target(&req.url)?;
        let mut b = ureq::http::Request::builder().method(req.method.as_str()).uri(&url);
        for (k, v) in &req.headers {
            b = b.header(k.as_str(), v.as_str());
        }
        if let Some(h) = host {
            b = b.header("Host", h);
        }
        let body = match (req.method, req.body) {
            (_, Some(b)) => b.into_bytes(),
            (Method::Get, None) => Vec::new(),
            (_, None) => Vec::new(),
        };
        let request = b.body(body).map_err(|e| TransportError::Other(format!("bad request: {e}")))?;
        let request = self
            .agent
            .configure_request(request)
            .timeout_global(Some(Duration::from_millis(timeout_ms.max(1))))
            .build();
        let mut resp = self.agent.run(request).map_err(|e| map_error(e, timeout_ms))?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let body = resp
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| map_error(e, timeout_ms))?;
        Ok(HttpResponse { status, headers, body })
    }
}

fn map_error(e: ureq::Error, timeout_ms: u64) -> TransportError {
    use std::io::ErrorKind::*;
    match e {
        ureq::Error::Timeout(_) => TransportError::Timeout(timeout_ms),
        ureq::Error::Io(io) => match io.kind() {
            TimedOut | WouldBlock => TransportError::Timeout(timeout_ms),
            ConnectionRefused | ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof | NotConnected => {
                TransportError::Connection(io.to_string())
            }
            _ => TransportError::Connection(io.to_string()),
        },
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => TransportError::Connection(e.to_string()),
        // A connection closed before a complete response reads as a protocol error.
        ureq::Error::Protocol(p) => TransportError::Connection(format!("incomplete response: {p}")),
        other => TransportError::Other(other.to_string()),
    }
}

impl Transport for NativeTransport {
    async fn send(&self, req: HttpRequest, timeout_ms: u64) -> Result<HttpResponse, TransportError> {
        let this = self.clone();
        this.in_flight.fetch_add(1, Ordering::SeqCst);
        off_thread(move || {
            let r = this.send_blocking(req, timeout_ms);
            this.in_flight.fetch_sub(1, Ordering::SeqCst);
            r
        })
        .await
        .unwrap_or_else(|| Err(TransportError::Other("the request's thread died".into())))
    }
}

/// Runs blocking `work` on a thread of its own; the future completes with its result (`None` if
/// the thread panicked). Nothing waits on the executor's thread meanwhile.
pub async fn off_thread<R: Send + 'static>(work: impl FnOnce() -> R + Send + 'static) -> Option<R> {
    let (tx, rx) = futures::channel::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    rx.await.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_keep_path_query_and_host() {
        let t = NativeTransport::new().route_host("cloud.lightspeedapp.com", "http://127.0.0.1:9/");
        let (url, host) = t.target("https://cloud.lightspeedapp.com/auth/oauth/token?a=b%20c").unwrap();
        assert_eq!(url, "http://127.0.0.1:9/auth/oauth/token?a=b%20c");
        assert_eq!(host.as_deref(), Some("cloud.lightspeedapp.com"));
        let (url, host) = t.target("https://api.lightspeedapp.com/API/V3/Account.json").unwrap();
        assert_eq!(url, "https://api.lightspeedapp.com/API/V3/Account.json");
        assert_eq!(host, None);
    }

    #[test]
    fn refused_connection_is_a_connection_error() {
        // Port 9 (discard) on loopback: nothing listens in the test environment.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let t = NativeTransport::new();
        let r = block_on(t.send(HttpRequest::new(Method::Get, format!("http://127.0.0.1:{port}/x")), 2000));
        assert!(matches!(r, Err(TransportError::Connection(_))), "{r:?}");
    }
}
