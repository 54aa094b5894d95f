//! NuORDER stand-in: the retailer's single-page app and the JSON API it uses.
//!
//! Pages (client-rendered by `static/nuorder/app.js` under a strict CSP): sign-in at `/login`, the
//! orders list at `/brand/{brandId}/orders`, an order at `/brand/{brandId}/order/{_id}`. The API
//! answers 401 without the session cookie. Routes, API paths and control calls are documented in
//! `tests/sandbox/NUORDER.md`; the corpus is `tests/fixtures/nuorder/`.

pub mod buyers;
pub mod corpus;
pub mod edits;
pub mod generated;
pub mod session;

use crate::typed;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use buyers::Buyer;
use corpus::{Corpus, ListQuery, STATUSES};
use serde::Deserialize;
use serde_json::{json, Value};
use session::Sessions;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Hosts served by this stand-in.
pub const HOSTS: &[&str] = &["app.nuorder.com", "app.next.nuorder.com"];

/// The strict policy NuORDER-like pages are served with: wasm refused in Chromium content scripts.
pub const CSP_STRICT: &str = "default-src 'self'; script-src 'self'";
/// The relaxed policy: the same plus 'wasm-unsafe-eval'.
pub const CSP_RELAXED: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

/// Default artificial latency of the list and order API calls (the page shows a spinner meanwhile).
pub const DEFAULT_DELAY_MS: (u64, u64) = (150, 300);
/// NuORDER logs users out after two hours idle.
pub const DEFAULT_IDLE_SECS: u64 = 2 * 60 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CspMode {
    Strict,
    Relaxed,
}

#[derive(Debug)]
struct Inner {
    csp: CspMode,
    delay_ms: (u64, u64),
    sessions: Sessions,
    /// Orders added by `POST /__sandbox/nuorder/generate` (benchmarks); cleared on reset.
    generated: Vec<corpus::StoredOrder>,
    /// Orders edited through `POST /__sandbox/nuorder/orders/{key}/edit`, by `_id`; cleared on reset.
    edited: std::collections::HashMap<String, corpus::StoredOrder>,
    /// The markup switch: page hooks renamed (`POST /__sandbox/nuorder/markup`).
    markup: Markup,
}

/// Which hooks the pages carry: NuORDER's own (`standard`) or renamed ones (`renamed`, so that no
/// selector of the extension's in-page layer matches while the pages still work).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Markup {
    #[default]
    Standard,
    Renamed,
}

#[derive(Clone)]
pub struct NuorderSandbox {
    inner: Arc<Mutex<Inner>>,
    corpus: Arc<Corpus>,
    /// The second buyer's orders (its retailer's; the demo buyer sees the corpus).
    others: Arc<Vec<corpus::StoredOrder>>,
    initial_csp: CspMode,
    initial_delay_ms: (u64, u64),
    idle: Duration,
}

fn parse_delay(s: &str) -> Option<(u64, u64)> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let (a, b): (u64, u64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    Some((a.min(b), a.max(b)))
}

impl NuorderSandbox {
    /// Configuration from the environment:
    /// - `SANDBOX_NUORDER_CSP=relaxed` starts with the relaxed policy; strict otherwise;
    /// - `SANDBOX_NUORDER_DELAY_MS` (`150-300` by default; `0` for none) delays list and order calls;
    /// - `SANDBOX_NUORDER_IDLE_SECS` (7200) is the idle time after which a session expires;
    /// - `SANDBOX_NUORDER_FIXTURES` overrides the fixture folder (`tests/fixtures/nuorder`);
    /// - `SANDBOX_NUORDER_RECORDED` overrides the recorded-orders folder (`../shared/real-responses/nuorder`).
    pub fn from_env() -> Self {
        let csp = match std::env::var("SANDBOX_NUORDER_CSP").as_deref() {
            Ok("relaxed") => CspMode::Relaxed,
            _ => CspMode::Strict,
        };
        let delay =
            std::env::var("SANDBOX_NUORDER_DELAY_MS").ok().and_then(|v| parse_delay(&v)).unwrap_or(DEFAULT_DELAY_MS);
        let idle =
            std::env::var("SANDBOX_NUORDER_IDLE_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_IDLE_SECS);
        let fixtures =
            std::env::var_os("SANDBOX_NUORDER_FIXTURES").map(Into::into).unwrap_or_else(corpus::default_fixture_dir);
        let recorded =
            std::env::var_os("SANDBOX_NUORDER_RECORDED").map(Into::into).unwrap_or_else(corpus::default_recorded_dir);
        let corpus = Corpus::load(&fixtures, Some(&recorded));
        let others = Arc::new(buyers::second_buyer_orders(&corpus));
        NuorderSandbox {
            inner: Arc::new(Mutex::new(Inner {
                csp,
                delay_ms: delay,
                sessions: Sessions::default(),
                generated: Vec::new(),
                edited: std::collections::HashMap::new(),
                markup: Markup::Standard,
            })),
            corpus: Arc::new(corpus),
            others,
            initial_csp: csp,
            initial_delay_ms: delay,
            idle: Duration::from_secs(idle),
        }
    }

    /// Back to the initial state: initial CSP and delay, no sessions.
    pub fn reset(&self) {
        let mut inner = self.inner.lock().unwrap();
        inner.csp = self.initial_csp;
        inner.delay_ms = self.initial_delay_ms;
        inner.sessions.expire_all();
        inner.generated.clear();
        inner.edited.clear();
        inner.markup = Markup::Standard;
    }

    /// Every order served, as it is now: the corpus (with brand edits applied), then generated ones.
    pub fn orders(&self) -> Vec<corpus::StoredOrder> {
        let inner = self.inner.lock().unwrap();
        self.corpus
            .orders
            .iter()
            .chain(&inner.generated)
            .map(|o| inner.edited.get(o.id()).unwrap_or(o).clone())
            .collect()
    }

    /// A page or script as served under the current markup switch.
    fn markup_of(&self, text: &'static str) -> String {
        match self.inner.lock().unwrap().markup {
            Markup::Standard => text.to_string(),
            Markup::Renamed => rename_hooks(text),
        }
    }

    /// The orders `buyer`'s retailer has, as they are now: the demo buyer's are [`Self::orders`].
    pub fn orders_of(&self, buyer: Buyer) -> Vec<corpus::StoredOrder> {
        if buyer.is_demo() {
            return self.orders();
        }
        let inner = self.inner.lock().unwrap();
        self.others.iter().map(|o| inner.edited.get(o.id()).unwrap_or(o).clone()).collect()
    }

    /// `buyer`'s orders and how many of them the by-status API and the PDFs know (the demo
    /// buyer's: the fixture corpus, not the generated ones).
    fn listed_of(&self, buyer: Buyer) -> (Vec<corpus::StoredOrder>, usize) {
        let n = if buyer.is_demo() { self.corpus.orders.len() } else { usize::MAX };
        (self.orders_of(buyer), n)
    }

    /// One order of any buyer by `_id` or order number, as it is now.
    pub fn order(&self, key: &str) -> Option<corpus::StoredOrder> {
        let all = buyers::BUYERS.into_iter().flat_map(|b| self.orders_of(b));
        all.into_iter().find(|o| o.id() == key || o.number() == key)
    }

    /// The corpus served (brands, orders, products).
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    fn csp(&self) -> &'static str {
        match self.inner.lock().unwrap().csp {
            CspMode::Strict => CSP_STRICT,
            CspMode::Relaxed => CSP_RELAXED,
        }
    }

    /// Sign the demo buyer in without the form; returns the session token.
    pub fn sign_in_directly(&self) -> String {
        self.sign_in_as(buyers::DEMO)
    }

    /// Sign `buyer` in without the form; returns the session token.
    pub fn sign_in_as(&self, buyer: Buyer) -> String {
        self.inner.lock().unwrap().sessions.create(buyer.email)
    }

    fn session(&self, headers: &HeaderMap) -> Option<session::Session> {
        let token = session::token_from_headers(headers)?;
        self.inner.lock().unwrap().sessions.touch(&token, self.idle)
    }

    async fn latency(&self) {
        let (lo, hi) = self.inner.lock().unwrap().delay_ms;
        if hi == 0 {
            return;
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos() as u64)
            .unwrap_or(0);
        let ms = lo + if hi > lo { nanos % (hi - lo + 1) } else { 0 };
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }

    pub fn router(&self) -> Router {
        let me = self.clone();
        Router::new()
            .route(
                "/static/app.js",
                get(|State(s): State<NuorderSandbox>| async move {
                    asset("text/javascript; charset=utf-8", s.markup_of(include_str!("../../static/nuorder/app.js")))
                }),
            )
            .route(
                "/static/app.css",
                get(|| async { asset("text/css; charset=utf-8", include_str!("../../static/nuorder/app.css")) }),
            )
            .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
            .route("/login", get(login_form).post(login_submit))
            .route("/logout", post(logout))
            .route("/api/session/me", get(api_me))
            .route("/api/brands", get(api_brands))
            .route("/api/brand/{brand}/orders", get(api_brand_orders))
            .route("/api/order/number/{number}", get(api_order_by_number))
            .route("/api/order/{id}", get(api_order_by_id))
            .route("/api/order/{id}/pdf", get(api_order_pdf))
            .route("/api/orders/{status}/detail", get(api_orders_detail))
            .route("/api/orders/{status}/list", get(api_orders_list))
            .route("/api/product/{id}", get(api_product))
            .route("/api", get(api_not_found))
            .route("/api/{*rest}", get(api_not_found))
            .fallback(get(shell))
            .with_state(self.clone())
            .layer(axum::middleware::map_response(move |mut r: Response| {
                let me = me.clone();
                async move {
                    r.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(me.csp()));
                    r.headers_mut().insert("x-powered-by", HeaderValue::from_static("Express"));
                    r
                }
            }))
    }

    pub fn control_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        Router::new()
            .route("/csp", post(control_csp))
            .route("/session", post(control_session))
            .route("/sign-in", get(control_sign_in))
            .route("/sessions/expire", post(control_expire))
            .route("/delay", post(control_delay))
            .route("/corpus", get(control_corpus))
            .route("/generate", post(control_generate))
            .route("/orders/{key}/edit", post(control_edit))
            .route("/markup", get(control_markup_get).post(control_markup))
            .with_state(self.clone())
    }
}

fn asset(content_type: &str, body: impl Into<axum::body::Body>) -> Response {
    let mut r = typed(StatusCode::OK, content_type, body);
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// NuORDER's error body: `{code, message}`.
fn api_error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"code": status.as_u16(), "message": message}))).into_response()
}

fn redirect(location: &str) -> Response {
    let mut r = StatusCode::FOUND.into_response();
    r.headers_mut().insert(header::LOCATION, HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/")));
    r
}

fn html(status: StatusCode, body: String) -> Response {
    let mut r = typed(status, "text/html; charset=utf-8", body);
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Extractor for API handlers: the live session, or 401 `{code, message}`.
pub struct Authed(pub session::Session);

impl Authed {
    /// The signed-in buyer.
    pub fn buyer(&self) -> Buyer {
        Buyer::by_email(&self.0.email).unwrap_or(buyers::DEMO)
    }
}

impl FromRequestParts<NuorderSandbox> for Authed {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &NuorderSandbox) -> Result<Self, Self::Rejection> {
        state
            .session(&parts.headers)
            .map(Authed)
            .ok_or_else(|| api_error(StatusCode::UNAUTHORIZED, "Not signed in (no or expired session)"))
    }
}

fn home(s: &NuorderSandbox) -> String {
    match s.corpus.brands.first() {
        Some(b) => format!("/brand/{}/orders", b.id),
        None => "/brands".to_string(),
    }
}

async fn shell(State(s): State<NuorderSandbox>, headers: HeaderMap, uri: Uri) -> Response {
    if s.session(&headers).is_none() {
        let here = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        return if here == "/" {
            redirect("/login")
        } else {
            redirect(&format!("/login?next={}", percent_encode(here)))
        };
    }
    if uri.path() == "/" {
        return redirect(&home(&s));
    }
    html(StatusCode::OK, s.markup_of(include_str!("../../static/nuorder/index.html")))
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
    buyer: Option<String>,
}

async fn login_form(State(s): State<NuorderSandbox>, headers: HeaderMap, Query(q): Query<NextQuery>) -> Response {
    let next = session::safe_next(q.next.as_deref());
    if s.session(&headers).is_some() {
        return redirect(&next.unwrap_or_else(|| home(&s)));
    }
    html(StatusCode::OK, session::login_page(next.as_deref(), None, ""))
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

async fn login_submit(State(s): State<NuorderSandbox>, Form(f): Form<LoginForm>) -> Response {
    let next = session::safe_next(f.next.as_deref());
    let Some(buyer) = Buyer::signing_in(&f.email, &f.password) else {
        return html(
            StatusCode::UNAUTHORIZED,
            session::login_page(next.as_deref(), Some("Incorrect email or password."), &f.email),
        );
    };
    let token = s.sign_in_as(buyer);
    let mut r = StatusCode::SEE_OTHER.into_response();
    r.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(&next.unwrap_or_else(|| home(&s))).unwrap_or(HeaderValue::from_static("/")),
    );
    r.headers_mut()
        .insert(header::SET_COOKIE, HeaderValue::from_str(&session::set_cookie(&token)).expect("cookie header"));
    r
}

async fn logout(State(s): State<NuorderSandbox>, headers: HeaderMap) -> Response {
    if let Some(t) = session::token_from_headers(&headers) {
        s.inner.lock().unwrap().sessions.remove(&t);
    }
    let mut r = StatusCode::SEE_OTHER.into_response();
    r.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/login"));
    r.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&session::clear_cookie()).expect("cookie header"));
    r
}

async fn api_me(authed: Authed) -> Response {
    Json(authed.buyer().identity()).into_response()
}

async fn api_brands(State(s): State<NuorderSandbox>, _: Authed) -> Response {
    Json(&s.corpus.brands).into_response()
}

async fn api_brand_orders(
    State(s): State<NuorderSandbox>,
    authed: Authed,
    Path(brand): Path<String>,
    Query(q): Query<ListQuery>,
) -> Response {
    s.latency().await;
    if s.corpus.brand(&brand).is_none() {
        return api_error(StatusCode::NOT_FOUND, "Brand not found");
    }
    let orders = s.orders_of(authed.buyer());
    let rows: Vec<Value> = corpus::list_in(orders.iter(), &brand, &q).into_iter().map(corpus::summary).collect();
    Json(rows).into_response()
}

async fn api_order_by_id(State(s): State<NuorderSandbox>, authed: Authed, Path(id): Path<String>) -> Response {
    s.latency().await;
    match s.orders_of(authed.buyer()).into_iter().find(|o| o.id() == id) {
        Some(o) => Json(&o.doc).into_response(),
        None => api_error(StatusCode::NOT_FOUND, "Order not found"),
    }
}

async fn api_order_by_number(State(s): State<NuorderSandbox>, authed: Authed, Path(n): Path<String>) -> Response {
    match s.orders_of(authed.buyer()).into_iter().find(|o| o.number() == n) {
        Some(o) => Json(&o.doc).into_response(),
        None => api_error(StatusCode::NOT_FOUND, "Order not found"),
    }
}

/// `None` for a known status, else the 400 answer.
fn unknown_status(status: &str) -> Option<Response> {
    (!STATUSES.contains(&status)).then(|| {
        api_error(StatusCode::BAD_REQUEST, &format!("Unknown order status; expected one of {}", STATUSES.join(", ")))
    })
}

async fn api_orders_detail(State(s): State<NuorderSandbox>, authed: Authed, Path(status): Path<String>) -> Response {
    if let Some(r) = unknown_status(&status) {
        return r;
    }
    let (orders, n) = s.listed_of(authed.buyer());
    let docs: Vec<&Value> = orders.iter().take(n).filter(|o| o.status() == status).map(|o| &o.doc).collect();
    Json(docs).into_response()
}

async fn api_orders_list(State(s): State<NuorderSandbox>, authed: Authed, Path(status): Path<String>) -> Response {
    if let Some(r) = unknown_status(&status) {
        return r;
    }
    let (orders, n) = s.listed_of(authed.buyer());
    let ids: Vec<&str> = orders.iter().take(n).filter(|o| o.status() == status).map(|o| o.id()).collect();
    Json(ids).into_response()
}

async fn api_product(State(s): State<NuorderSandbox>, _: Authed, Path(id): Path<String>) -> Response {
    match s.corpus.product(&id) {
        Some(p) => Json(p).into_response(),
        None => api_error(StatusCode::NOT_FOUND, "Product not found"),
    }
}

async fn api_order_pdf(State(s): State<NuorderSandbox>, authed: Authed, Path(id): Path<String>) -> Response {
    let (orders, n) = s.listed_of(authed.buyer());
    match orders.iter().take(n).find(|o| o.id() == id) {
        Some(o) => {
            let mut r = typed(StatusCode::OK, "application/pdf", tiny_pdf(&format!("Order {}", o.number())));
            let name = format!(
                "inline; filename=\"order-{}.pdf\"",
                o.number().replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_")
            );
            r.headers_mut().insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&name).unwrap_or(HeaderValue::from_static("inline")),
            );
            r
        }
        None => api_error(StatusCode::NOT_FOUND, "Order not found"),
    }
}

async fn api_not_found(State(s): State<NuorderSandbox>, headers: HeaderMap) -> Response {
    if s.session(&headers).is_none() {
        return api_error(StatusCode::UNAUTHORIZED, "Not signed in (no or expired session)");
    }
    api_error(StatusCode::NOT_FOUND, "Not found")
}

/// A one-page PDF with one line of ASCII text (stands in for NuORDER's order PDFs).
fn tiny_pdf(text: &str) -> Vec<u8> {
    let text: String = text.chars().filter(|c| c.is_ascii_alphanumeric() || " #-.".contains(*c)).collect();
    let stream = format!("BT /F1 18 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for off in offsets {
        out.push_str(&format!("{off:010} 00000 n \n"));
    }
    out.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1));
    out.into_bytes()
}

// ---------------------------------------------------------------- control API (loopback only)

#[derive(Deserialize)]
pub struct CspBody {
    mode: CspMode,
}

async fn control_csp(State(s): State<NuorderSandbox>, Json(body): Json<CspBody>) -> StatusCode {
    s.inner.lock().unwrap().csp = body.mode;
    StatusCode::NO_CONTENT
}

fn with_cookie(mut r: Response, token: &str) -> Response {
    r.headers_mut()
        .insert(header::SET_COOKIE, HeaderValue::from_str(&session::set_cookie(token)).expect("cookie header"));
    r
}

/// Which buyer a control call signs in: `buyer` (an e-mail), the demo buyer by default; 400 for
/// an unknown one.
fn chosen_buyer(email: Option<&str>) -> Result<Buyer, Box<Response>> {
    match email {
        None => Ok(buyers::DEMO),
        Some(e) => {
            Buyer::by_email(e).ok_or_else(|| Box::new(api_error(StatusCode::BAD_REQUEST, "Unknown sandbox buyer")))
        }
    }
}

/// `POST /__sandbox/nuorder/session [{"buyer": e-mail}]`: signs a buyer in (the demo buyer by
/// default) and returns the cookie.
async fn control_session(State(s): State<NuorderSandbox>, body: axum::body::Bytes) -> Response {
    let asked: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let buyer = match chosen_buyer(asked["buyer"].as_str()) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let token = s.sign_in_as(buyer);
    let body = json!({
        "cookie_name": session::COOKIE_NAME,
        "cookie_value": token,
        "cookie": format!("{}={token}", session::COOKIE_NAME),
        "set_cookie": session::set_cookie(&token),
        "email": buyer.email,
    });
    with_cookie(Json(body).into_response(), &token)
}

/// `GET /__sandbox/nuorder/sign-in?next=/path[&buyer=e-mail]`: signs in, sets the cookie on the
/// host asked, redirects.
async fn control_sign_in(State(s): State<NuorderSandbox>, Query(q): Query<NextQuery>) -> Response {
    let buyer = match chosen_buyer(q.buyer.as_deref()) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let token = s.sign_in_as(buyer);
    with_cookie(redirect(&session::safe_next(q.next.as_deref()).unwrap_or_else(|| home(&s))), &token)
}

async fn control_expire(State(s): State<NuorderSandbox>) -> Response {
    let n = s.inner.lock().unwrap().sessions.expire_all();
    Json(json!({"expired": n})).into_response()
}

#[derive(Deserialize)]
struct DelayBody {
    min_ms: u64,
    max_ms: Option<u64>,
}

async fn control_delay(State(s): State<NuorderSandbox>, Json(b): Json<DelayBody>) -> StatusCode {
    let hi = b.max_ms.unwrap_or(b.min_ms).min(60_000);
    s.inner.lock().unwrap().delay_ms = (b.min_ms.min(hi), hi);
    StatusCode::NO_CONTENT
}

/// `GET /__sandbox/nuorder/corpus`: brands and order summaries with their brand, for tests.
async fn control_corpus(State(s): State<NuorderSandbox>) -> Response {
    let orders: Vec<Value> = s
        .orders()
        .iter()
        .take(s.corpus.orders.len())
        .map(|o| json!({"_id": o.id(), "order_number": o.number(), "status": o.status(), "brand_id": o.brand_id}))
        .collect();
    let others: Vec<Value> = buyers::BUYERS
        .iter()
        .map(|b| {
            let mut v = b.summary();
            let (orders, n) = s.listed_of(*b);
            v["orders"] = orders
                .iter()
                .take(n)
                .map(|o| {
                    json!({"_id": o.id(), "order_number": o.number(),
                "status": o.status(), "brand_id": o.brand_id})
                })
                .collect();
            v
        })
        .collect();
    Json(json!({"brands": s.corpus.brands, "orders": orders, "buyers": others})).into_response()
}

#[derive(Deserialize)]
struct GenerateBody {
    brand_id: String,
    count: usize,
}

/// `POST /__sandbox/nuorder/generate {brand_id, count}` (benchmarks): adds `count` copies of the
/// brand's first fixture order with new ids and numbers → `{"generated": n, "total": all generated}`.
async fn control_generate(State(s): State<NuorderSandbox>, Json(b): Json<GenerateBody>) -> Response {
    let mut inner = s.inner.lock().unwrap();
    let already = inner.generated.len();
    if b.count == 0 || already + b.count > generated::MAX_GENERATED {
        return api_error(
            StatusCode::BAD_REQUEST,
            &format!("count must be 1..={} in all", generated::MAX_GENERATED - already),
        );
    }
    match generated::generate(&s.corpus, &b.brand_id, already, b.count) {
        Some(orders) => {
            inner.generated.extend(orders);
            Json(json!({"generated": b.count, "total": inner.generated.len()})).into_response()
        }
        None => api_error(StatusCode::NOT_FOUND, "Brand not found or without orders to copy"),
    }
}

/// `POST /__sandbox/nuorder/orders/{_id or order_number}/edit {…}`: a brand's edit (see NUORDER.md)
/// → the edited document; 404 for an unknown order, 400 for an edit that doesn't apply (nothing changed).
async fn control_edit(State(s): State<NuorderSandbox>, Path(key): Path<String>, Json(body): Json<Value>) -> Response {
    let Some(mut order) = s.order(&key) else { return api_error(StatusCode::NOT_FOUND, "Order not found") };
    let content = match edits::apply(&mut order.doc, &body, &s.corpus) {
        Ok(c) => c,
        Err(e) => return api_error(StatusCode::BAD_REQUEST, &e),
    };
    edits::stamp(&mut order.doc, content, body["modified_on"].as_str());
    let doc = order.doc.clone();
    s.inner.lock().unwrap().edited.insert(order.id().to_string(), order);
    Json(doc).into_response()
}

/// What the markup switch renames, in the app shell and its script alike (so the app's own queries
/// follow): the `data-test` hooks, the attributes the extension reads, the row prefix.
pub const RENAMED_HOOKS: &[(&str, &str)] = &[
    ("data-test", "data-qa"),
    ("data-order-id", "data-oid"),
    ("data-order-number", "data-onum"),
    ("data-brand-id", "data-bid"),
    ("data-brand-name", "data-bname"),
    ("order-record-", "row-"),
];

/// The same page with every hook of [`RENAMED_HOOKS`] renamed.
pub fn rename_hooks(text: &str) -> String {
    RENAMED_HOOKS.iter().fold(text.to_string(), |t, (from, to)| t.replace(from, to))
}

#[derive(Deserialize)]
struct MarkupBody {
    mode: Markup,
}

/// `POST /__sandbox/nuorder/markup {"mode": "renamed" | "standard"}` → `{"mode", "renamed": […]}`.
async fn control_markup(State(s): State<NuorderSandbox>, Json(b): Json<MarkupBody>) -> Response {
    s.inner.lock().unwrap().markup = b.mode;
    control_markup_get(State(s)).await
}

async fn control_markup_get(State(s): State<NuorderSandbox>) -> Response {
    let mode = s.inner.lock().unwrap().markup;
    let renamed: Vec<Value> = RENAMED_HOOKS.iter().map(|(a, b)| json!({"from": a, "to": b})).collect();
    Json(json!({"mode": mode, "renamed": if mode == Markup::Renamed { renamed } else { vec![] }})).into_response()
}
