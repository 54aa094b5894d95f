//! NuORDER stand-in: the retailer's single-page app and the JSON API it uses.
//! (Skeleton: an orders list and a detail page rendered client-side under a strict CSP.)

use crate::typed;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use std::sync::{Arc, Mutex};

/// Hosts served by this stand-in.
pub const HOSTS: &[&str] = &["app.nuorder.com", "app.next.nuorder.com"];

/// The strict policy NuORDER-like pages are served with: wasm refused in Chromium content scripts.
pub const CSP_STRICT: &str = "default-src 'self'; script-src 'self'";
/// The relaxed policy: the same plus 'wasm-unsafe-eval'.
pub const CSP_RELAXED: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CspMode {
    Strict,
    Relaxed,
}

#[derive(Debug)]
struct Inner {
    csp: CspMode,
}

#[derive(Clone)]
pub struct NuorderSandbox {
    inner: Arc<Mutex<Inner>>,
    initial_csp: CspMode,
}

impl NuorderSandbox {
    /// `SANDBOX_NUORDER_CSP=relaxed` starts with the relaxed policy; strict otherwise.
    pub fn from_env() -> Self {
        let csp = match std::env::var("SANDBOX_NUORDER_CSP").as_deref() {
            Ok("relaxed") => CspMode::Relaxed,
            _ => CspMode::Strict,
        };
        NuorderSandbox { inner: Arc::new(Mutex::new(Inner { csp })), initial_csp: csp }
    }

    pub fn reset(&self) {
        self.inner.lock().unwrap().csp = self.initial_csp;
    }

    fn csp(&self) -> &'static str {
        match self.inner.lock().unwrap().csp {
            CspMode::Strict => CSP_STRICT,
            CspMode::Relaxed => CSP_RELAXED,
        }
    }

    pub fn router(&self) -> Router {
        let me = self.clone();
        Router::new()
            .route("/static/app.js", get(|| async { typed(StatusCode::OK, "text/javascript; charset=utf-8", include_str!("../../static/nuorder/app.js")) }))
            .route("/static/app.css", get(|| async { typed(StatusCode::OK, "text/css; charset=utf-8", include_str!("../../static/nuorder/app.css")) }))
            .route("/api/brand/{brand}/orders", get(list_orders))
            .fallback(get(shell))
            .with_state(self.clone())
            .layer(axum::middleware::map_response(move |mut r: Response| {
                let me = me.clone();
                async move {
                    r.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(me.csp()));
                    r
                }
            }))
    }

    pub fn control_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        let me = self.clone();
        Router::new().route(
            "/csp",
            post(move |Json(body): Json<CspBody>| {
                let me = me.clone();
                async move {
                    me.inner.lock().unwrap().csp = body.mode;
                    StatusCode::NO_CONTENT
                }
            }),
        )
    }
}

#[derive(Deserialize)]
pub struct CspBody {
    mode: CspMode,
}

async fn shell() -> impl IntoResponse {
    typed(StatusCode::OK, "text/html; charset=utf-8", include_str!("../../static/nuorder/index.html"))
}

async fn list_orders(State(_s): State<NuorderSandbox>, Path(brand): Path<String>) -> impl IntoResponse {
    let orders: Vec<serde_json::Value> = (1..=3)
        .map(|i| serde_json::json!({"_id": format!("{brand:.8}0000000000000000{i}"), "order_number": format!("4071882{i}"), "created_on": "2026-08-01T00:00:00.000Z", "total": 100 * i, "retailer": {"retailer_name": "Juniper & Pine"}}))
        .collect();
    Json(orders)
}
