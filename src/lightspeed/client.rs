//! The Lightspeed R-Series client: ONE send loop with pacing, retries and token refresh.
//!
//! # Using it (export engine, CLI, background worker)
//!
//! ```ignore
//! use po_bridge::lightspeed::client::*;
//! use po_bridge::lightspeed::endpoints::*;
//!
//! let client = LightspeedClient::new(transport, clock, tokens, ClientConfig::new(API_BASE, "83050"));
//! let shops = client.list_all(&ListShops::default()).await?;          // every page, loop-guarded
//! let found = client.list_all(&ListOrders::by_either("NuORDER 123", "123")?).await?;
//! let po = client.one(&CreateOrder(order_write)).await?;             // the created record
//! match client.one(&CreateOrderLine(line)).await {
//!     Err(ClientError::OutcomeUnknown { .. }) => { /* look it up (ListOrderLines) before re-creating */ }
//!     Err(ClientError::NeedsRelink { .. }) => { /* pause the job; ask the user to reconnect */ }
//!     Err(e) => show(e.user_message()),
//!     Ok(line) => …,
//! }
//! ```
//!
//! - `transport: impl `[`Transport`] — `gloo-net` in the browser, [`super::native::NativeTransport`]
//!   natively; `clock: impl `[`Clock`] — [`super::native::SystemClock`] natively.
//! - `tokens: impl `[`TokenSource`] — [`TokenManager`] (refreshing, single-flight, over a
//!   [`TokenStore`]), or [`StaticToken`] for a fixed access token (CLI).
//! - Requests are [`Endpoint`]s (see [`super::endpoints`]); [`LightspeedClient::fetch`] returns one
//!   page ([`Envelope`]), [`LightspeedClient::one`] the single record, [`LightspeedClient::list_all`]
//!   all pages.
//!
//! # What the send loop does
//!
//! 1. **Pacing**: before each send it asks the [`Bucket`] model how long to wait for a request of
//!    the endpoint's `cost_hint`, and sleeps that long; each response's rate-limit headers correct
//!    the model. A healthy run never sees a 429. A wait longer than
//!    [`ClientConfig::max_wait_ms`] is not slept: [`ClientError::RateLimited`] tells the caller to
//!    come back later (the extension sets an alarm instead of keeping the worker alive).
//! 2. **Auth**: `Authorization: Bearer` from the [`TokenSource`]; on a 401 it asks for a refresh
//!    once ([`TokenSource::refresh_after_401`]) and resends once.
//! 3. **Retry**: [`retry_decision`] (pure) decides: 429 → wait `Retry-After`, resend (the server
//!    refused it, so it was not applied); 5xx / timeout / dropped connection on GET → exponential
//!    backoff, bounded; the same on POST/PUT/DELETE → [`ClientError::OutcomeUnknown`], never resent:
//!    the caller resolves it by looking the record up.
//! 4. **Errors**: both error-body shapes (REST `httpCode` and OAuth `error`) land in
//!    [`ClientError::Api`] with status, parsed body and raw body; an unreadable 2xx body gives
//!    [`ClientError::Decode`] with the JSON path that failed. [`ClientError::user_message`] says
//!    what happened and what to do.
//! 5. **Counting**: [`ClientStats`] (requests, drips, 429s, retries, refreshes, time paced).
#![allow(async_fn_in_trait)]

use super::endpoints::Endpoint;
use super::http::{Clock, HttpRequest, HttpResponse, Method, Transport, TransportError};
use super::models::{Envelope, ErrorBody};
use super::oauth::{self, OAuthFailure, TokenSet};
use super::ratelimit::{parse_retry_after_ms, Bucket};
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};

/// The REST API host.
pub const API_BASE: &str = "https://api.lightspeedapp.com";
/// Default request timeout: below the 30 s a browser worker may wait on one event.
pub const DEFAULT_TIMEOUT_MS: u64 = 25_000;
/// Refresh this long before the access token expires.
pub const REFRESH_MARGIN_MS: u64 = 5 * 60 * 1000;

// ------------------------------------------------------------------------------------------------
// Configuration and counters
// ------------------------------------------------------------------------------------------------

/// Where and how to talk to Lightspeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// `https://api.lightspeedapp.com` (or the sandbox's base).
    pub api_base: String,
    pub account_id: String,
    /// Per-request timeout (default 25 s).
    pub timeout_ms: u64,
    /// Longest single wait (pacing or `Retry-After`) the client sleeps before giving the wait back to
    /// the caller as [`ClientError::RateLimited`] (default 60 s).
    pub max_wait_ms: u64,
    /// Most pages [`LightspeedClient::list_all`] follows (default 1000 = 100 000 records).
    pub max_pages: u32,
}

impl ClientConfig {
    pub fn new(api_base: impl Into<String>, account_id: impl Into<String>) -> Self {
        ClientConfig {
            api_base: api_base.into(),
            account_id: account_id.into(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_wait_ms: 60_000,
            max_pages: 1000,
        }
    }
}

/// What a client has done so far (for benchmarks and logs).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClientStats {
    /// Requests sent (every attempt).
    pub requests: u64,
    /// Drips spent, from `X-LS-Api-Request-Cost` (else the cost hint).
    pub drips: f64,
    /// 429 answers received.
    pub rate_limited: u64,
    /// Resends (after 429, 5xx, timeouts, 401).
    pub retries: u64,
    /// Refreshes asked for after a 401.
    pub refreshes_after_401: u64,
    /// Time slept to pace requests (ms).
    pub paced_ms: u64,
    /// Transport failures (timeouts, dropped connections).
    pub transport_errors: u64,
}

// ------------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------------

/// Everything a Lightspeed call can end with, short of success.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// Lightspeed answered with an error status (either body shape; `error` is `None` when the body
    /// is neither).
    #[error("Lightspeed answered HTTP {status} to {method} {path}: {}", error.as_ref().map(|e| e.message().to_string()).unwrap_or_else(|| snippet(body)))]
    Api { status: u16, method: Method, path: String, error: Option<Box<ErrorBody>>, body: String },
    /// The refresh token is dead (`invalid_grant`), missing, or a fixed token was refused: the account
    /// must be linked again. Jobs pause rather than fail.
    #[error("Lightspeed must be linked again: {detail}")]
    NeedsRelink { detail: String },
    /// A write may or may not have been applied (timeout, dropped connection, 5xx after sending).
    /// Look the record up before creating it again.
    #[error("unknown outcome of {method} {path}: {detail}")]
    OutcomeUnknown { method: Method, path: String, detail: String },
    /// A read failed to get any answer (after retries).
    #[error("{method} {path}: {source}")]
    Transport { method: Method, path: String, source: TransportError },
    /// Too many 429s, or a wait longer than `max_wait_ms`: try again after `retry_after_ms`.
    #[error("Lightspeed's rate limit: retry in {retry_after_ms} ms")]
    RateLimited { retry_after_ms: u64 },
    /// A success body that does not match the model; `json_path` is where decoding failed.
    #[error("cannot read the answer to {path} (HTTP {status}) at {json_path}: {message}")]
    Decode { status: u16, path: String, json_path: String, message: String, body: String },
    /// A single-record call answered with no record.
    #[error("the answer to {path} holds no {resource} record")]
    Empty { path: String, resource: &'static str },
    /// The token refresh failed for a reason other than `invalid_grant`.
    #[error("token refresh failed: {0}")]
    Auth(OAuthFailure),
    /// Saving or loading tokens failed.
    #[error("token storage failed: {0}")]
    TokenStore(String),
    /// Pagination went beyond `max_pages` or left the API.
    #[error("pagination of {path} stopped: {detail}")]
    Pagination { path: String, detail: String },
}

fn snippet(body: &str) -> String {
    let mut s: String = body.chars().take(300).collect();
    if body.chars().count() > 300 {
        s.push('…');
    }
    s
}

impl ClientError {
    /// The HTTP status, when Lightspeed answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } | ClientError::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The parsed error body (either shape), when Lightspeed sent one.
    pub fn error_body(&self) -> Option<&ErrorBody> {
        match self {
            ClientError::Api { error, .. } => error.as_deref(),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// True when the job should pause until the user links the account again.
    pub fn needs_relink(&self) -> bool {
        matches!(self, ClientError::NeedsRelink { .. })
    }

    /// True when retrying later (same request) is reasonable.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::RateLimited { .. } | ClientError::Transport { .. } => true,
            ClientError::Api { status, .. } => *status == 429 || *status >= 500 || *status == 409,
            ClientError::Auth(f) => matches!(f, OAuthFailure::RateLimited { .. } | OAuthFailure::Server { .. }),
            _ => false,
        }
    }

    /// What happened and what to do, in words for a merchant.
    pub fn user_message(&self) -> String {
        match self {
            ClientError::Api { status, error, .. } => {
                let said = error.as_ref().map(|e| e.message().trim().to_string()).filter(|m| !m.is_empty());
                let said = said.map(|m| format!(" Lightspeed said: \"{m}\".")).unwrap_or_default();
                match status {
                    401 => format!("Lightspeed did not accept PO Bridge's sign-in.{said} Open PO Bridge from the toolbar and choose \"Link again\" on the account."),
                    403 => format!("The Lightspeed employee who linked PO Bridge is not allowed to do this.{said} Ask an admin to grant the Purchase Orders, Inventory, Vendors and Cost rights, or reconnect as an admin."),
                    404 => format!("Lightspeed no longer has this record (it may have been deleted, archived or merged).{said} Refresh the preview and choose again."),
                    409 => format!("Someone changed this record in Lightspeed at the same time.{said} Try the export again; it resumes where it stopped."),
                    400 | 422 => format!("Lightspeed refused the data PO Bridge sent.{said} Check the order and the items in Lightspeed, then try again."),
                    429 => format!("Lightspeed is busy with too many requests.{said} The export waits and resumes by itself."),
                    s if *s >= 500 => format!("Lightspeed is having trouble (error {s}).{said} Try again in a few minutes; the export resumes where it stopped."),
                    s => format!("Lightspeed answered with an unexpected error {s}.{said} Try again; contact support if it keeps happening."),
                }
            }
            ClientError::NeedsRelink { .. } => {
                "Your Lightspeed connection has expired or was revoked. Open PO Bridge from the toolbar and choose \"Link again\" on the account; paused exports continue afterwards.".into()
            }
            ClientError::OutcomeUnknown { .. } => {
                "The connection to Lightspeed dropped while saving. PO Bridge checks what was saved before going on, so nothing is created twice.".into()
            }
            ClientError::Transport { .. } => "PO Bridge could not reach Lightspeed. Check your internet connection and try again; the export resumes where it stopped.".into(),
            ClientError::RateLimited { retry_after_ms } => {
                format!("Lightspeed asks PO Bridge to slow down. The export continues in about {} seconds.", retry_after_ms.div_ceil(1000).max(1))
            }
            ClientError::Decode { json_path, .. } => format!(
                "Lightspeed sent an answer PO Bridge could not read (at {json_path}). Nothing was changed by it; please report this to support so we can update PO Bridge."
            ),
            ClientError::Empty { .. } => "Lightspeed answered without the expected record. Try again; contact support if it keeps happening.".into(),
            ClientError::Auth(f) => f.user_message(),
            ClientError::TokenStore(_) => "PO Bridge could not read or save its Lightspeed sign-in in the browser's storage. Restart the browser and try again.".into(),
            ClientError::Pagination { .. } => "Lightspeed returned more pages than PO Bridge can follow for one lookup. Please report this to support.".into(),
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Retry decision (pure)
// ------------------------------------------------------------------------------------------------

/// What one send produced, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A response; `retry_after_ms` from `Retry-After`.
    Status {
        status: u16,
        retry_after_ms: Option<u64>,
    },
    Timeout,
    /// Dropped, reset or refused connection, empty reply.
    Connection,
    /// Other transport failure (bad URL, TLS, …).
    OtherTransport,
}

impl Outcome {
    pub fn of(result: &Result<HttpResponse, TransportError>) -> Outcome {
        match result {
            Ok(r) => Outcome::Status {
                status: r.status,
                retry_after_ms: r.header("retry-after").and_then(parse_retry_after_ms),
            },
            Err(TransportError::Timeout(_)) => Outcome::Timeout,
            Err(TransportError::Connection(_)) => Outcome::Connection,
            Err(TransportError::Other(_)) => Outcome::OtherTransport,
        }
    }
}

/// Where a request stands: `number` sends so far (1 after the first), whether a refresh was spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub number: u32,
    pub refreshed: bool,
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Hand the response to the caller (success or a definite error).
    Return,
    /// Send again after waiting.
    Retry { after_ms: u64 },
    /// Refresh the access token, then send again (once).
    RefreshAndRetry,
    /// A write whose effect is unknown: never resend; the caller looks it up.
    OutcomeUnknown,
    /// Stop retrying; report the last failure.
    GiveUp,
}

/// Sends of one GET (5xx, timeouts, dropped connections) before giving up.
pub const MAX_READ_ATTEMPTS: u32 = 4;
/// Sends of one request answered 429 before giving up.
pub const MAX_RATE_LIMITED_ATTEMPTS: u32 = 8;
const BACKOFF_BASE_MS: u64 = 500;
const BACKOFF_MAX_MS: u64 = 8_000;

/// Exponential backoff after the `n`-th failed send: 0.5 s, 1 s, 2 s, … ≤ 8 s.
pub fn backoff_ms(n: u32) -> u64 {
    BACKOFF_BASE_MS.saturating_mul(1u64 << n.saturating_sub(1).min(16)).min(BACKOFF_MAX_MS)
}

/// The retry policy, as a pure function of the method, what happened, and the attempt.
pub fn retry_decision(method: Method, outcome: Outcome, attempt: Attempt) -> Decision {
    let read = method.is_idempotent_read();
    match outcome {
        Outcome::Status { status: 401, .. } if !attempt.refreshed => Decision::RefreshAndRetry,
        // Refused by the rate limiter: not applied, so safe to resend, whatever the method.
        Outcome::Status { status: 429, retry_after_ms } => {
            if attempt.number < MAX_RATE_LIMITED_ATTEMPTS {
                Decision::Retry { after_ms: retry_after_ms.unwrap_or(1000 * attempt.number as u64).max(1) }
            } else {
                Decision::GiveUp
            }
        }
        Outcome::Status { status, .. } if status >= 500 => {
            if !read {
                Decision::OutcomeUnknown
            } else if attempt.number < MAX_READ_ATTEMPTS {
                Decision::Retry { after_ms: backoff_ms(attempt.number) }
            } else {
                Decision::GiveUp
            }
        }
        Outcome::Status { .. } => Decision::Return,
        Outcome::Timeout | Outcome::Connection => {
            if !read {
                Decision::OutcomeUnknown
            } else if attempt.number < MAX_READ_ATTEMPTS {
                Decision::Retry { after_ms: backoff_ms(attempt.number) }
            } else {
                Decision::GiveUp
            }
        }
        Outcome::OtherTransport => {
            if read {
                Decision::GiveUp
            } else {
                Decision::OutcomeUnknown
            }
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Tokens
// ------------------------------------------------------------------------------------------------

/// Where the client gets its access token.
pub trait TokenSource {
    /// A token to use now (refreshed first if it is about to expire).
    async fn access_token(&self) -> Result<String, ClientError>;
    /// The API refused `stale` with 401: a fresh token (maybe refreshed by someone else meanwhile).
    async fn refresh_after_401(&self, stale: &str) -> Result<String, ClientError>;
}

impl<S: TokenSource + ?Sized> TokenSource for &S {
    async fn access_token(&self) -> Result<String, ClientError> {
        (**self).access_token().await
    }
    async fn refresh_after_401(&self, stale: &str) -> Result<String, ClientError> {
        (**self).refresh_after_401(stale).await
    }
}

impl<S: TokenSource + ?Sized> TokenSource for std::rc::Rc<S> {
    async fn access_token(&self) -> Result<String, ClientError> {
        (**self).access_token().await
    }
    async fn refresh_after_401(&self, stale: &str) -> Result<String, ClientError> {
        (**self).refresh_after_401(stale).await
    }
}

impl<S: TokenSource + ?Sized> TokenSource for std::sync::Arc<S> {
    async fn access_token(&self) -> Result<String, ClientError> {
        (**self).access_token().await
    }
    async fn refresh_after_401(&self, stale: &str) -> Result<String, ClientError> {
        (**self).refresh_after_401(stale).await
    }
}

/// A fixed access token (the CLI's `LIGHTSPEED_ACCESS_TOKEN`): a 401 means "get a new one".
#[derive(Clone)]
pub struct StaticToken(pub String);

impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenSource for StaticToken {
    async fn access_token(&self) -> Result<String, ClientError> {
        Ok(self.0.clone())
    }
    async fn refresh_after_401(&self, _stale: &str) -> Result<String, ClientError> {
        Err(ClientError::NeedsRelink { detail: "the access token was refused and cannot be refreshed".into() })
    }
}

/// Persistent token storage (extension: IndexedDB / storage.session; CLI: a file; tests: memory).
pub trait TokenStore {
    async fn load(&self) -> Result<Option<TokenSet>, String>;
    async fn save(&self, tokens: &TokenSet) -> Result<(), String>;
}

impl<S: TokenStore + ?Sized> TokenStore for &S {
    async fn load(&self) -> Result<Option<TokenSet>, String> {
        (**self).load().await
    }
    async fn save(&self, tokens: &TokenSet) -> Result<(), String> {
        (**self).save(tokens).await
    }
}

impl<S: TokenStore + ?Sized> TokenStore for std::sync::Arc<S> {
    async fn load(&self) -> Result<Option<TokenSet>, String> {
        (**self).load().await
    }
    async fn save(&self, tokens: &TokenSet) -> Result<(), String> {
        (**self).save(tokens).await
    }
}

/// Tokens in memory (tests, one-shot CLI runs). Counts saves.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    tokens: std::sync::Mutex<Option<TokenSet>>,
    saves: AtomicU64,
}

impl MemoryTokenStore {
    pub fn new(tokens: Option<TokenSet>) -> Self {
        MemoryTokenStore { tokens: std::sync::Mutex::new(tokens), saves: AtomicU64::new(0) }
    }
    pub fn get(&self) -> Option<TokenSet> {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
    pub fn saves(&self) -> u64 {
        self.saves.load(Ordering::SeqCst)
    }
}

impl TokenStore for MemoryTokenStore {
    async fn load(&self) -> Result<Option<TokenSet>, String> {
        Ok(self.get())
    }
    async fn save(&self, tokens: &TokenSet) -> Result<(), String> {
        *self.tokens.lock().unwrap_or_else(|p| p.into_inner()) = Some(tokens.clone());
        self.saves.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// Refreshing token source with single-flight refresh.
///
/// Share one `TokenManager` (e.g. in an `Rc`/`Arc`) between every client of an account. Inside its
/// async lock it re-reads the store first (someone may have refreshed), refreshes when the token
/// expires within [`REFRESH_MARGIN_MS`] or was refused with 401, and **saves the rotated pair
/// before returning the new access token** (first use of the new token revokes the old refresh
/// token). `invalid_grant` → [`ClientError::NeedsRelink`]. Across browser contexts, wrap calls in a
/// Web Lock as well (this lock is per process).
pub struct TokenManager<T, C, St> {
    transport: T,
    clock: C,
    store: St,
    cloud_base: String,
    client_id: String,
    timeout_ms: u64,
    lock: futures::lock::Mutex<()>,
    refreshes: AtomicU64,
}

impl<T: Transport, C: Clock, St: TokenStore> TokenManager<T, C, St> {
    pub fn new(transport: T, clock: C, store: St, cloud_base: impl Into<String>, client_id: impl Into<String>) -> Self {
        TokenManager {
            transport,
            clock,
            store,
            cloud_base: cloud_base.into(),
            client_id: client_id.into(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            lock: futures::lock::Mutex::new(()),
            refreshes: AtomicU64::new(0),
        }
    }

    pub fn store(&self) -> &St {
        &self.store
    }

    /// Refresh requests sent so far (each attempt).
    pub fn refresh_count(&self) -> u64 {
        self.refreshes.load(Ordering::SeqCst)
    }

    async fn load(&self) -> Result<TokenSet, ClientError> {
        self.store
            .load()
            .await
            .map_err(ClientError::TokenStore)?
            .ok_or_else(|| ClientError::NeedsRelink { detail: "no Lightspeed account is linked".into() })
    }

    /// Refreshes now (the caller holds the lock), saves, returns the new set.
    async fn refresh(&self, current: &TokenSet) -> Result<TokenSet, ClientError> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let req = oauth::token_request_refresh(&self.cloud_base, &self.client_id, &current.refresh_token);
            self.refreshes.fetch_add(1, Ordering::SeqCst);
            let sent = self.transport.send(req, self.timeout_ms).await;
            match sent {
                Ok(resp) => match oauth::parse_token_response(&resp, self.clock.now_ms()) {
                    Ok(new) => {
                        // Persist before anyone uses the new access token; if saving fails the new
                        // pair is dropped unused and the stored refresh token stays valid.
                        self.store.save(&new).await.map_err(ClientError::TokenStore)?;
                        return Ok(new);
                    }
                    Err(OAuthFailure::InvalidGrant { description }) => {
                        return Err(ClientError::NeedsRelink {
                            detail: description.unwrap_or_else(|| "invalid_grant".into()),
                        });
                    }
                    Err(OAuthFailure::RateLimited { retry_after_ms }) if retry_after_ms <= 60_000 && attempt < 3 => {
                        self.clock.sleep(retry_after_ms).await;
                    }
                    Err(OAuthFailure::Server { .. }) if attempt < 3 => self.clock.sleep(backoff_ms(attempt)).await,
                    Err(f) => return Err(ClientError::Auth(f)),
                },
                // The refresh may have been applied: Lightspeed keeps the spent refresh token valid
                // until the new access token is used, so the same refresh can be repeated.
                Err(_) if attempt < 3 => self.clock.sleep(backoff_ms(attempt)).await,
                Err(source) => {
                    return Err(ClientError::Transport {
                        method: Method::Post,
                        path: "/auth/oauth/token".into(),
                        source,
                    })
                }
            }
        }
    }
}

impl<T: Transport, C: Clock, St: TokenStore> TokenSource for TokenManager<T, C, St> {
    async fn access_token(&self) -> Result<String, ClientError> {
        let now = self.clock.now_ms();
        let current = self.load().await?;
        if !current.expires_within(now, REFRESH_MARGIN_MS) {
            return Ok(current.access_token);
        }
        let _guard = self.lock.lock().await;
        let current = self.load().await?;
        if !current.expires_within(self.clock.now_ms(), REFRESH_MARGIN_MS) {
            return Ok(current.access_token);
        }
        Ok(self.refresh(&current).await?.access_token)
    }

    async fn refresh_after_401(&self, stale: &str) -> Result<String, ClientError> {
        let _guard = self.lock.lock().await;
        let current = self.load().await?;
        if current.access_token != stale {
            // Someone refreshed while we were waiting for the lock.
            return Ok(current.access_token);
        }
        Ok(self.refresh(&current).await?.access_token)
    }
}

// ------------------------------------------------------------------------------------------------
// The client
// ------------------------------------------------------------------------------------------------

/// A Lightspeed API client for one account. Not `Sync` (single-threaded, like the browser); share a
/// [`TokenManager`] between clients, not the client.
pub struct LightspeedClient<T, C, S> {
    transport: T,
    clock: C,
    tokens: S,
    config: ClientConfig,
    bucket: RefCell<Bucket>,
    stats: RefCell<ClientStats>,
}

impl<T: Transport, C: Clock, S: TokenSource> LightspeedClient<T, C, S> {
    pub fn new(transport: T, clock: C, tokens: S, config: ClientConfig) -> Self {
        LightspeedClient {
            transport,
            clock,
            tokens,
            config,
            bucket: RefCell::new(Bucket::new()),
            stats: RefCell::new(ClientStats::default()),
        }
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub fn tokens(&self) -> &S {
        &self.tokens
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    pub fn stats(&self) -> ClientStats {
        *self.stats.borrow()
    }

    /// The pacing model's current state.
    pub fn bucket(&self) -> Bucket {
        self.bucket.borrow().clone()
    }

    /// Sends one endpoint and returns its page of records.
    pub async fn fetch<E: Endpoint>(&self, ep: &E) -> Result<Envelope<E::Record>, ClientError> {
        let req = ep.to_http(&self.config.api_base, &self.config.account_id);
        let path = req.path_and_query().to_string();
        let resp = self.send_raw(req, ep.cost_hint()).await?;
        decode(&resp, &path)
    }

    /// Sends one endpoint and returns its single record (a created, updated or fetched one).
    pub async fn one<E: Endpoint>(&self, ep: &E) -> Result<E::Record, ClientError> {
        let req = ep.to_http(&self.config.api_base, &self.config.account_id);
        let path = req.path_and_query().to_string();
        let resp = self.send_raw(req, ep.cost_hint()).await?;
        decode::<E::Record>(&resp, &path)?
            .into_single()
            .ok_or(ClientError::Empty { path, resource: <E::Record as super::wire::Record>::KEY })
    }

    /// Every record of a list endpoint, following `next` cursors. Each next page reissues the
    /// original request with `after=<cursor>` (filters are sometimes dropped from `next` URLs).
    /// Stops when `next` is empty or a cursor repeats; more than `max_pages` pages is an error.
    pub async fn list_all<E: Endpoint>(&self, ep: &E) -> Result<Vec<E::Record>, ClientError> {
        let first = ep.to_http(&self.config.api_base, &self.config.account_id);
        let path = first.path_and_query().to_string();
        let mut records = Vec::new();
        let mut seen = HashSet::new();
        let mut req = first.clone();
        let mut pages = 0u32;
        loop {
            pages += 1;
            if pages > self.config.max_pages {
                return Err(ClientError::Pagination {
                    path,
                    detail: format!("more than {} pages", self.config.max_pages),
                });
            }
            let page_path = req.path_and_query().to_string();
            let resp = self.send_raw(req, ep.cost_hint()).await?;
            let page: Envelope<E::Record> = decode(&resp, &page_path)?;
            records.extend(page.records);
            let next = page.attributes.next.as_deref().unwrap_or("").trim().to_string();
            if next.is_empty() {
                return Ok(records);
            }
            let cursor = match page.attributes.next_after() {
                Some(c) => c.to_string(),
                None => {
                    return Err(ClientError::Pagination {
                        path,
                        detail: "a next page without an `after` cursor".into(),
                    })
                }
            };
            if !seen.insert(cursor.clone()) {
                // The cursor stopped moving: the rows of that page are already in hand.
                return Ok(records);
            }
            req = with_after(&first, &cursor);
        }
    }

    /// THE send loop: pacing, auth, retries. `req` carries no `Authorization`; `cost` is the drip
    /// estimate. Returns the response of a 2xx/3xx, else a [`ClientError`].
    pub async fn send_raw(&self, req: HttpRequest, cost: f64) -> Result<HttpResponse, ClientError> {
        let method = req.method;
        let path = req.path_and_query().to_string();
        let mut token = self.tokens.access_token().await?;
        let mut attempt = Attempt { number: 0, refreshed: false };
        loop {
            // Pacing.
            let wait = self.bucket.borrow().wait_before(cost, self.clock.now_ms());
            if wait > self.config.max_wait_ms {
                return Err(ClientError::RateLimited { retry_after_ms: wait });
            }
            if wait > 0 {
                self.clock.sleep(wait).await;
                self.stats.borrow_mut().paced_ms += wait;
            }
            self.bucket.borrow_mut().on_send(cost, self.clock.now_ms());

            let mut r = req.clone();
            r.set_header("Authorization", format!("Bearer {token}"));
            attempt.number += 1;
            self.stats.borrow_mut().requests += 1;
            let result = self.transport.send(r, self.config.timeout_ms).await;
            let now = self.clock.now_ms();
            match &result {
                Ok(resp) => {
                    self.bucket.borrow_mut().observe(resp, now);
                    let spent =
                        resp.header("x-ls-api-request-cost").and_then(|c| c.trim().parse::<f64>().ok()).unwrap_or(cost);
                    let mut st = self.stats.borrow_mut();
                    st.drips += spent;
                    if resp.status == 429 {
                        st.rate_limited += 1;
                    }
                }
                Err(_) => self.stats.borrow_mut().transport_errors += 1,
            }
            match retry_decision(method, Outcome::of(&result), attempt) {
                Decision::Return => {
                    let resp = result.expect("Return is decided only for responses");
                    return if resp.status < 400 { Ok(resp) } else { Err(api_error(method, &path, resp)) };
                }
                Decision::Retry { after_ms } => {
                    if after_ms > self.config.max_wait_ms {
                        return Err(ClientError::RateLimited { retry_after_ms: after_ms });
                    }
                    self.stats.borrow_mut().retries += 1;
                    self.clock.sleep(after_ms).await;
                }
                Decision::RefreshAndRetry => {
                    {
                        let mut st = self.stats.borrow_mut();
                        st.retries += 1;
                        st.refreshes_after_401 += 1;
                    }
                    token = self.tokens.refresh_after_401(&token).await?;
                    attempt.refreshed = true;
                }
                Decision::OutcomeUnknown => {
                    let detail = match result {
                        Ok(resp) => format!("HTTP {} after the request was sent: {}", resp.status, snippet(&resp.body)),
                        Err(e) => e.to_string(),
                    };
                    return Err(ClientError::OutcomeUnknown { method, path, detail });
                }
                Decision::GiveUp => {
                    return Err(match result {
                        Ok(resp) if resp.status == 429 => ClientError::RateLimited {
                            retry_after_ms: resp.header("retry-after").and_then(parse_retry_after_ms).unwrap_or(60_000),
                        },
                        Ok(resp) => api_error(method, &path, resp),
                        Err(source) => ClientError::Transport { method, path, source },
                    });
                }
            }
        }
    }
}

/// `first` with its `after` parameter replaced by `cursor` (still URL-encoded).
fn with_after(first: &HttpRequest, cursor: &str) -> HttpRequest {
    let mut r = first.clone();
    let (base, query) = match first.url.split_once('?') {
        Some((b, q)) => (b.to_string(), q.to_string()),
        None => (first.url.clone(), String::new()),
    };
    let mut parts: Vec<String> =
        query.split('&').filter(|p| !p.is_empty() && !p.starts_with("after=")).map(str::to_string).collect();
    parts.push(format!("after={cursor}"));
    r.url = format!("{base}?{}", parts.join("&"));
    r
}

fn api_error(method: Method, path: &str, resp: HttpResponse) -> ClientError {
    let error = ErrorBody::parse(resp.body.as_bytes()).map(Box::new);
    ClientError::Api { status: resp.status, method, path: path.to_string(), error, body: resp.body }
}

/// Decodes a success body, keeping the JSON path of a failure.
pub fn decode<R: super::wire::Record + serde::de::DeserializeOwned>(
    resp: &HttpResponse,
    path: &str,
) -> Result<Envelope<R>, ClientError> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let de = &mut serde_json::Deserializer::from_str(&resp.body);
        serde_path_to_error::deserialize::<_, Envelope<R>>(de).map_err(|e| ClientError::Decode {
            status: resp.status,
            path: path.to_string(),
            json_path: e.path().to_string(),
            message: e.inner().to_string(),
            body: snippet(&resp.body),
        })
    }
    // In the browser the JSON path costs a second copy of every model's deserializer in the wasm
    // (≈ a quarter of the background's size); serde_json's line and column locate the failure.
    #[cfg(target_arch = "wasm32")]
    {
        serde_json::from_str::<Envelope<R>>(&resp.body).map_err(|e| ClientError::Decode {
            status: resp.status,
            path: path.to_string(),
            json_path: format!("line {} column {}", e.line(), e.column()),
            message: e.to_string(),
            body: snippet(&resp.body),
        })
    }
}

#[cfg(test)]
mod tests;
