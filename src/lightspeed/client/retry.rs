//! The retry decision, pure: given the method, what happened and how many attempts so far, send
//! again (after how long) or give up with which error.

use crate::lightspeed::http::{HttpResponse, Method, TransportError};
use crate::lightspeed::ratelimit::parse_retry_after_ms;

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
