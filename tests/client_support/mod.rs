//! Shared helpers for the client integration tests: an in-process Lightspeed sandbox, its control
//! API, a clock that runs at the sandbox's speed, and ready-made clients.
#![allow(dead_code)]

use po_bridge::lightspeed::client::{ClientConfig, LightspeedClient, MemoryTokenStore, StaticToken, TokenManager};
use po_bridge::lightspeed::http::{Clock, HttpRequest, Method, Transport};
use po_bridge::lightspeed::native::{block_on, NativeTransport};
use po_bridge::lightspeed::oauth::TokenSet;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const ACCT: &str = "83050";
pub const CHROME: &str = "po-bridge-chrome";
pub const CHROME_REDIRECT: &str = "https://pbildjcpmhghjehcjlcohpgnemagcgfm.chromiumapp.org/";
pub const CLOUD: &str = "https://cloud.lightspeedapp.com";

pub struct Env {
    /// `http://127.0.0.1:port`: the REST API (any host) and the control API.
    pub base: String,
    /// Routes `cloud.lightspeedapp.com` to the sandbox.
    pub transport: NativeTransport,
}

pub fn start() -> Env {
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
    let transport = NativeTransport::new().route_host("cloud.lightspeedapp.com", &base);
    Env { base, transport }
}

impl Env {
    pub fn control(&self, method: Method, path: &str, body: Value) -> Value {
        let mut req = HttpRequest::new(method, format!("{}/__sandbox/lightspeed{path}", self.base));
        if method != Method::Get {
            req = req.with_json(body.to_string());
        }
        let r = block_on(self.transport.send(req, 10_000)).expect("control API reachable");
        assert!(r.status < 300, "control {path}: {} {}", r.status, r.body);
        if r.body.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&r.body).unwrap()
        }
    }

    pub fn post(&self, path: &str, body: Value) -> Value {
        self.control(Method::Post, path, body)
    }

    pub fn get(&self, path: &str) -> Value {
        self.control(Method::Get, path, Value::Null)
    }

    pub fn stats(&self) -> Value {
        self.get("/stats")["accounts"][ACCT].clone()
    }

    /// A token pair minted by the control API (Chrome client, `employee:all` unless `opts` says).
    pub fn mint(&self, opts: Value) -> TokenSet {
        let v = self.post("/tokens", opts);
        TokenSet {
            access_token: v["access_token"].as_str().unwrap().into(),
            refresh_token: v["refresh_token"].as_str().unwrap().into(),
            expires_at_ms: u64::MAX,
            issued_at_ms: 0,
        }
    }

    /// Sandbox time runs `speed` × real time.
    pub fn speed(&self, speed: f64) -> ScaledClock {
        self.post("/clock/speed", json!({ "speed": speed }));
        ScaledClock::new(speed)
    }

    pub fn relax_limits(&self) {
        self.post("/registers", json!({"registers": 100}));
    }

    pub fn config(&self) -> ClientConfig {
        ClientConfig::new(self.base.clone(), ACCT)
    }

    /// A client with a fixed token.
    pub fn static_client<C: Clock>(&self, clock: C, token: &str) -> LightspeedClient<NativeTransport, C, StaticToken> {
        LightspeedClient::new(self.transport.clone(), clock, StaticToken(token.into()), self.config())
    }

    pub fn manager(&self, tokens: TokenSet) -> Arc<Manager> {
        Arc::new(TokenManager::new(
            self.transport.clone(),
            ScaledClock::new(1.0),
            Arc::new(MemoryTokenStore::new(Some(tokens))),
            CLOUD,
            CHROME,
        ))
    }
}

pub type Manager = TokenManager<NativeTransport, ScaledClock, Arc<MemoryTokenStore>>;

/// Time as the sandbox sees it when it runs `speed` × real time: `now_ms` advances `speed` ms per
/// real ms, and `sleep(ms)` sleeps `ms / speed` real ms.
#[derive(Debug, Clone, Copy)]
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
    async fn sleep(&self, ms: u64) {
        std::thread::sleep(Duration::from_secs_f64(ms as f64 / 1000.0 / self.speed));
    }
}

/// The application layer's Lightspeed clients over this sandbox (`app_*` tests that reach
/// Lightspeed): every account's client uses `token`, in real time.
pub struct SandboxClients {
    pub env: Env,
    pub token: String,
}

impl po_bridge::app::service::Clients for SandboxClients {
    type T = NativeTransport;
    type C = ScaledClock;
    type S = StaticToken;
    fn client(
        &self,
        account: &po_bridge::accounts::LightspeedAccount,
    ) -> std::rc::Rc<LightspeedClient<NativeTransport, ScaledClock, StaticToken>> {
        let mut cfg = self.env.config();
        cfg.account_id = account.account_id.clone();
        std::rc::Rc::new(LightspeedClient::new(
            NativeTransport::new(),
            ScaledClock::new(1.0),
            StaticToken(self.token.clone()),
            cfg,
        ))
    }
    fn forget(&self, _account_id: &str) {}
}
