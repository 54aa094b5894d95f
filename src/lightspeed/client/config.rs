//! Where the client talks to and how it behaves: the API host, the timeout, the refresh margin,
//! [`ClientConfig`] and the counters it keeps ([`ClientStats`]).

pub const API_BASE: &str = "https://api.lightspeedapp.com";
/// Default request timeout: below the 30 s a browser worker may wait on one event.
pub const DEFAULT_TIMEOUT_MS: u64 = 25_000;
/// Refresh this long before the access token expires (at most half its lifetime).
pub const REFRESH_MARGIN_MS: u64 = 5 * 60 * 1000;

/// Where and how to talk to Lightspeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// `https://api.lightspeedapp.com` (or the sandbox's base).
    pub api_base: String,
    pub account_id: String,
    /// Per-request timeout (default 25 s).
    pub timeout_ms: u64,
    /// Longest single wait (pacing or `Retry-After`) the client sleeps before giving the wait back to
    /// the caller as [`ClientError::RateLimited`](super::ClientError::RateLimited) (default 60 s).
    pub max_wait_ms: u64,
    /// Most pages [`LightspeedClient::list_all`](super::LightspeedClient::list_all) follows (default 1000 = 100 000 records).
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
