//! The bench's sandbox plumbing: an in-process sandbox, a scaled clock, a recording transport,
//! the sandbox's own accounting.

use super::ACCT;
use po_bridge::lightspeed::http::{Clock, HttpRequest, HttpResponse, Method, Transport, TransportError};
use po_bridge::lightspeed::native::{block_on, NativeTransport};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub struct Env {
    pub base: String,
    pub transport: NativeTransport,
}

pub fn start_sandbox() -> Env {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async move {
            let sandbox = po_bridge_sandbox::Sandbox::new();
            let addr = po_bridge_sandbox::spawn_for_tests(sandbox.clone()).await;
            tx.send(addr).unwrap();
            std::future::pending::<()>().await;
        });
    });
    let addr = rx.recv().unwrap();
    let base = format!("http://{addr}");
    Env { transport: NativeTransport::new(), base }
}

impl Env {
    pub fn control(&self, method: Method, path: &str, body: Value) -> Value {
        for attempt in 0..3 {
            let mut req = HttpRequest::new(method, format!("{}/__sandbox{path}", self.base));
            if method != Method::Get {
                req = req.with_json(body.to_string());
            }
            match block_on(self.transport.send(req, 30_000)) {
                Ok(r) => {
                    assert!(r.status < 300, "control {path}: {} {}", r.status, r.body);
                    return if r.body.trim().is_empty() { Value::Null } else { serde_json::from_str(&r.body).unwrap() };
                }
                Err(e) if attempt < 2 => eprintln!("control {path}: {e}; retrying"),
                Err(e) => panic!("control {path}: {e}"),
            }
        }
        unreachable!()
    }
    pub fn post(&self, path: &str, body: Value) -> Value {
        self.control(Method::Post, path, body)
    }
    pub fn get(&self, path: &str) -> Value {
        self.control(Method::Get, path, Value::Null)
    }
}

/// Time as the sandbox sees it when it runs `speed` × real time.
#[derive(Clone, Copy)]
pub struct ScaledClock {
    speed: f64,
    origin: Instant,
    origin_ms: u64,
}

impl ScaledClock {
    pub fn new(speed: f64) -> Self {
        let origin_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
        ScaledClock { speed, origin: Instant::now(), origin_ms }
    }
}

impl Clock for ScaledClock {
    fn now_ms(&self) -> u64 {
        self.origin_ms + (self.origin.elapsed().as_secs_f64() * 1000.0 * self.speed) as u64
    }
    /// Sleeps on a thread of its own, so the requests joined with this wait stay in flight.
    async fn sleep(&self, ms: u64) {
        let real = Duration::from_secs_f64(ms as f64 / 1000.0 / self.speed);
        let (tx, rx) = futures::channel::oneshot::channel();
        std::thread::spawn(move || {
            std::thread::sleep(real);
            let _ = tx.send(());
        });
        let _ = rx.await;
    }
}

/// A transport that notes every request's kind ("GET Item"), status and charged cost.
pub struct Recorder {
    inner: NativeTransport,
    pub log: RefCell<Vec<(String, u16, f64)>>,
    /// Real time spent inside `send` (ms), to report the round-trip latency.
    pub busy_ms: RefCell<f64>,
    /// Each request's round trip (real ms).
    pub rtts: RefCell<Vec<f64>>,
}

impl Recorder {
    pub fn new(inner: NativeTransport) -> Self {
        Recorder { inner, log: RefCell::new(Vec::new()), busy_ms: RefCell::new(0.0), rtts: RefCell::new(Vec::new()) }
    }
}

fn kind(req: &HttpRequest) -> String {
    let path = req.url.split('?').next().unwrap_or("");
    let tail = path.split_once(&format!("/Account/{ACCT}/")).map(|(_, t)| t).unwrap_or(path);
    let resource = tail.split(['/', '.']).next().unwrap_or(tail);
    let m = match req.method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Delete => "DELETE",
        #[allow(unreachable_patterns)]
        _ => "OTHER",
    };
    format!("{m} {resource}")
}

impl Transport for Recorder {
    async fn send(&self, req: HttpRequest, timeout_ms: u64) -> Result<HttpResponse, TransportError> {
        let k = kind(&req);
        let t0 = Instant::now();
        let r = self.inner.send(req, timeout_ms).await;
        let rtt = t0.elapsed().as_secs_f64() * 1000.0;
        *self.busy_ms.borrow_mut() += rtt;
        self.rtts.borrow_mut().push(rtt);
        if let Ok(resp) = &r {
            let cost = if resp.status == 429 {
                0.0
            } else {
                resp.header("x-ls-api-request-cost").and_then(|c| c.trim().parse::<f64>().ok()).unwrap_or(0.0)
            };
            self.log.borrow_mut().push((k, resp.status, cost));
        }
        r
    }
}

pub fn sandbox_stats(env: &Env) -> Value {
    env.get("/lightspeed/stats")["accounts"][ACCT].clone()
}

pub fn by_kind(log: &[(String, u16, f64)]) -> Value {
    let mut m: BTreeMap<String, (u64, f64, u64)> = BTreeMap::new();
    for (k, status, cost) in log {
        let e = m.entry(k.clone()).or_default();
        if *status == 429 {
            e.2 += 1;
        } else {
            e.0 += 1;
            e.1 += cost;
        }
    }
    Value::Object(
        m.into_iter()
            .map(|(k, (n, d, r))| {
                (k, json!({"requests": n, "drips": (d * 1000.0).round() / 1000.0, "rate_limited": r}))
            })
            .collect(),
    )
}

/// The median of these round trips (0 when none).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}
