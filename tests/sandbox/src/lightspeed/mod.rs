//! Lightspeed Retail (R-Series) stand-in: REST API, OAuth server and back-office pages, chosen by host:
//!
//! - `cloud.lightspeedapp.com` → [`oauth`] (authorize, token, revoke)
//! - `us|eu|aus.merchantos.com`, `us.lightspeedapp.com` → [`backoffice`] pages
//! - `api.lightspeedapp.com` and every other host → the REST API ([`api`])
//!
//! The control API ([`control`]) is mounted by `lib.rs` under `/__sandbox/lightspeed/`. See
//! `tests/sandbox/LIGHTSPEED.md`.

pub mod api;
pub mod backoffice;
pub mod clock;
pub mod control;
pub mod faults;
pub mod holds;
pub mod model;
pub mod oauth;
pub mod query;
pub mod ratelimit;
pub mod receiving;
pub mod render;
pub mod seed;
pub mod state;
pub mod store;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State as AxState};
use axum::http::{header, Response, StatusCode};
use axum::Router;
use faults::{Fault, FaultKind};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Hosts served by the OAuth server.
pub const OAUTH_HOSTS: &[&str] = &["cloud.lightspeedapp.com", "cloud.merchantos.com"];
/// Hosts served by the back-office pages.
pub const BACKOFFICE_HOSTS: &[&str] =
    &["us.merchantos.com", "eu.merchantos.com", "aus.merchantos.com", "us.lightspeedapp.com"];

#[derive(Clone)]
pub struct LightspeedSandbox {
    pub(crate) state: Arc<Mutex<state::State>>,
    pub clock: clock::Clock,
}

impl Default for LightspeedSandbox {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Part {
    OAuth,
    BackOffice,
    Api,
}

pub(crate) fn typed_html(status: StatusCode, body: impl Into<Body>) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/html; charset=UTF-8")
        .body(body.into())
        .unwrap()
}

/// A response whose body fails at once: hyper aborts the connection without sending a response.
fn dropped() -> Response<Body> {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by the sandbox",
        ))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_LENGTH, "1048576")
        .body(Body::from_stream(stream))
        .unwrap()
}

impl LightspeedSandbox {
    /// A sandbox with the default seed.
    pub fn new() -> Self {
        let sb = LightspeedSandbox { state: Arc::new(Mutex::new(state::State::new())), clock: clock::Clock::new() };
        sb.seed_default();
        sb
    }

    fn seed_default(&self) {
        let now = self.clock.now();
        let mut st = self.state.lock().unwrap();
        seed::apply(&mut st, &seed::default_seed(), now).expect("default seed is valid");
    }

    /// Back to the start: default seed, default clients and settings, real time, no tokens or faults.
    pub fn reset(&self) {
        self.clock.reset();
        *self.state.lock().unwrap() = state::State::new();
        self.seed_default();
    }

    pub fn router(&self) -> Router {
        Router::new().fallback(dispatch).with_state(self.clone())
    }

    pub fn control_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        control::router(self.clone())
    }

    /// Park this request on the first live hold matching it (counting the hit).
    fn park(&self, method: &str, path: &str) -> Option<holds::Ticket> {
        let mut st = self.state.lock().unwrap();
        st.next_held_seq += 1;
        let seq = st.next_held_seq;
        let h = st.holds.iter_mut().find(|h| h.matches(method, path))?;
        Some(holds::park(h, seq))
    }

    /// A waiter whose delay ran out leaves its hold.
    fn unpark(&self, hold: u64, seq: u64) {
        let mut st = self.state.lock().unwrap();
        if let Some(h) = st.holds.iter_mut().find(|h| h.id == hold) {
            let before = h.waiting.len();
            h.waiting.retain(|w| w.seq != seq);
            h.released += (before - h.waiting.len()) as u32;
        }
    }

    /// Take the first live fault matching this request (counting the hit).
    fn take_fault(&self, method: &str, path: &str) -> Option<Fault> {
        let mut st = self.state.lock().unwrap();
        let f = st.faults.iter_mut().find(|f| f.matches(method, path))?;
        f.hits += 1;
        Some(f.clone())
    }

    async fn serve(&self, part: Part, req: Request) -> Response<Body> {
        match part {
            Part::OAuth => self.oauth(req).await,
            Part::BackOffice => self.backoffice(&req),
            Part::Api => {
                let (parts, body) = req.into_parts();
                let bytes = axum::body::to_bytes(body, 16 << 20).await.unwrap_or_default();
                let injected = parts.extensions.get::<api::InjectedStatus>().copied();
                self.api(&parts, &bytes, injected)
            }
        }
    }

    /// The whole state as JSON (for tests: "exactly one PO, no duplicate items").
    pub fn dump(&self) -> Value {
        let now = self.clock.now();
        let st = self.state.lock().unwrap();
        let accounts: serde_json::Map<String, Value> = st
            .accounts
            .iter()
            .map(|(id, a)| {
                let tables: serde_json::Map<String, Value> = a.tables.iter().map(|(k, t)| (k.clone(), Value::Array(t.values().cloned().map(Value::Object).collect()))).collect();
                (id.clone(), json!({"accountID": a.id, "name": a.name, "registers": a.registers, "limits": ratelimit::limits(a.registers), "tables": tables, "merges": a.merges}))
            })
            .collect();
        let tokens: Vec<Value> =
            st.access.iter().map(|(k, t)| json!({"access_token": k, "token": t, "expired": now >= t.exp})).collect();
        let refresh: Vec<Value> = st.refresh.iter().map(|(k, r)| json!({"refresh_token": k, "token": r})).collect();
        let buckets: Vec<Value> =
            st.buckets.iter().map(|((a, c), b)| json!({"accountID": a, "client_id": c, "bucket": b})).collect();
        json!({
            "clock": {"now": now, "iso": clock::iso(now), "speed": self.clock.speed()},
            "settings": st.settings,
            "clients": st.clients,
            "accounts": accounts,
            "access_tokens": tokens,
            "refresh_tokens": refresh,
            "codes": st.codes.len(),
            "buckets": buckets,
            "stats": st.stats,
            "faults": st.faults,
            "holds": st.holds.iter().map(holds::Hold::view).collect::<Vec<_>>(),
        })
    }
}

async fn dispatch(AxState(sb): AxState<LightspeedSandbox>, req: Request) -> Response<Body> {
    let host = crate::host_of(&req);
    let part = if OAUTH_HOSTS.contains(&host.as_str()) {
        Part::OAuth
    } else if BACKOFFICE_HOSTS.contains(&host.as_str()) {
        Part::BackOffice
    } else {
        Part::Api
    };
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let Some(mut ticket) = sb.park(&method, &path) else { return with_faults(&sb, part, req, &method, &path).await };
    let done = match ticket.wait().await {
        holds::Woken::Released(done) => Some(done),
        holds::Woken::Delay => {
            sb.unpark(ticket.hold, ticket.seq);
            None
        }
        holds::Woken::Dropped => None,
    };
    let resp = with_faults(&sb, part, req, &method, &path).await;
    if let Some(done) = done {
        let _ = done.send(());
    }
    resp
}

/// Injected faults first, then the request itself.
async fn with_faults(sb: &LightspeedSandbox, part: Part, mut req: Request, method: &str, path: &str) -> Response<Body> {
    if let Some(f) = sb.take_fault(method, path) {
        match f.kind {
            FaultKind::Drop => return dropped(),
            FaultKind::CommitThenDrop => {
                let _ = sb.serve(part, req).await;
                return dropped();
            }
            FaultKind::Timeout => tokio::time::sleep(Duration::from_millis(f.delay_ms.unwrap_or(35_000))).await,
            FaultKind::Status500 | FaultKind::Status503 if part == Part::Api => {
                req.extensions_mut().insert(api::InjectedStatus(f.kind));
            }
            FaultKind::Status500 | FaultKind::Status503 => {
                let (code, name) =
                    if f.kind == FaultKind::Status503 { (503, "server_error") } else { (500, "server_error") };
                let body = json!({"error": name, "error_description": "Injected by the sandbox", "hint": ""});
                return Response::builder()
                    .status(code)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body.to_string()))
                    .unwrap();
            }
        }
    }
    sb.serve(part, req).await
}
