//! The sandbox server: one process, every sandboxed host, chosen by the `Host` header.
//!
//! - `app.nuorder.com`, `app.next.nuorder.com` → [`nuorder`] (the retailer's web app and its API)
//! - everything else → [`lightspeed`] (REST API, OAuth server, back-office pages by host)
//! - `/__sandbox/…` on any host, loopback peers only → the control API for tests

pub mod lightspeed;
pub mod nuorder;
mod tls;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use std::net::SocketAddr;
use tower::ServiceExt;

/// Hostnames the sandbox answers for (and puts in its certificate).
pub const HOSTNAMES: &[&str] = &[
    "app.nuorder.com",
    "app.next.nuorder.com",
    "api.lightspeedapp.com",
    "cloud.lightspeedapp.com",
    "us.merchantos.com",
    "eu.merchantos.com",
    "aus.merchantos.com",
    "localhost",
];

#[derive(Debug, Clone)]
pub struct Config {
    pub http_port: u16,
    pub https_port: u16,
}

impl Config {
    pub fn from_env() -> Self {
        let port = |name: &str, default: u16| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
        Config { http_port: port("SANDBOX_HTTP_PORT", 8080), https_port: port("SANDBOX_HTTPS_PORT", 8443) }
    }
}

/// The whole sandbox's state.
#[derive(Clone)]
pub struct Sandbox {
    pub nuorder: nuorder::NuorderSandbox,
    pub lightspeed: lightspeed::LightspeedSandbox,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox { nuorder: nuorder::NuorderSandbox::from_env(), lightspeed: lightspeed::LightspeedSandbox::new() }
    }
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

/// The complete application: host dispatch plus the control API.
pub fn app(sandbox: Sandbox) -> Router {
    let control = Router::new()
        .route("/__sandbox/reset", post(reset))
        .nest("/__sandbox/nuorder", sandbox.nuorder.control_router())
        .nest("/__sandbox/lightspeed", sandbox.lightspeed.control_router())
        .with_state(sandbox.clone())
        .layer(axum::middleware::from_fn(loopback_only));
    let nuorder = sandbox.nuorder.router();
    let lightspeed = sandbox.lightspeed.router();
    control.fallback(move |req: Request| {
        let nuorder = nuorder.clone();
        let lightspeed = lightspeed.clone();
        async move {
            let host = host_of(&req);
            let target = if nuorder::HOSTS.contains(&host.as_str()) { nuorder } else { lightspeed };
            match target.oneshot(req).await {
                Ok(r) => r,
                Err(never) => match never {},
            }
        }
    })
}

async fn reset(State(sandbox): State<Sandbox>) -> StatusCode {
    sandbox.nuorder.reset();
    sandbox.lightspeed.reset();
    StatusCode::NO_CONTENT
}

/// The request's host name without port, lower-cased ("" when absent).
pub fn host_of(req: &Request) -> String {
    let raw = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().host().map(str::to_string))
        .unwrap_or_default();
    raw.rsplit_once(':')
        .filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit()))
        .map(|(h, _)| h.to_string())
        .unwrap_or(raw)
        .to_ascii_lowercase()
}

async fn loopback_only(req: Request, next: axum::middleware::Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    match peer {
        Some(ip) if ip.is_loopback() => next.run(req).await,
        _ => (StatusCode::FORBIDDEN, "the sandbox control API answers only on loopback").into_response(),
    }
}

/// Serve until the process is killed.
pub async fn run(config: Config) -> Result<(), String> {
    let sandbox = Sandbox::new();
    let app = app(sandbox).into_make_service_with_connect_info::<SocketAddr>();
    let tls = tls::self_signed(HOSTNAMES).await?;
    let http_addr = SocketAddr::from(([127, 0, 0, 1], config.http_port));
    let https_addr = SocketAddr::from(([127, 0, 0, 1], config.https_port));
    let http =
        tokio::net::TcpListener::bind(http_addr).await.map_err(|e| format!("cannot listen on {http_addr}: {e}"))?;
    let https_std =
        std::net::TcpListener::bind(https_addr).map_err(|e| format!("cannot listen on {https_addr}: {e}"))?;
    https_std.set_nonblocking(true).map_err(|e| e.to_string())?;
    let https = axum_server::from_tcp_rustls(https_std, tls).map_err(|e| e.to_string())?;
    println!("po-bridge-sandbox serving {} on http://{http_addr} and https://{https_addr}", HOSTNAMES.join(", "));
    println!("po-bridge-sandbox ready");
    let app2 = app.clone();
    let http_task = tokio::spawn(async move { axum::serve(http, app2).await });
    let https_task = tokio::spawn(async move { https.serve(app).await });
    tokio::select! {
        r = http_task => r.map_err(|e| e.to_string())?.map_err(|e| e.to_string()),
        r = https_task => r.map_err(|e| e.to_string())?.map_err(|e| e.to_string()),
    }
}

/// A response with a body and content type (used by both stand-ins).
pub fn typed(status: StatusCode, content_type: &str, body: impl Into<Body>) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .expect("valid response")
}

/// Serve `app(sandbox)` over plain HTTP on `127.0.0.1:0` in the current tokio runtime and return the
/// bound address (for in-process tests; the peer is loopback, so the control API answers).
pub async fn spawn_for_tests(sandbox: Sandbox) -> SocketAddr {
    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    let service = app(sandbox).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    addr
}
