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
//! let found = client.list_all(&ListOrders::by_ref_num("NuORDER 123")).await?;
//! let po = client.one(&CreateOrder(order_write)).await?;             // the created record
//! match client.one(&CreateOrderLine(line)).await {
//!     Err(ClientError::OutcomeUnknown { .. }) => { /* look it up (ListOrderLines) before re-creating */ }
//!     Err(ClientError::NeedsRelink { .. }) => { /* pause the job; ask the user to reconnect */ }
//!     Err(e) => show(e.user_message()),
//!     Ok(line) => { /* the line's id is in the journal */ }
//! }
//! ```
//!
//! - `transport: impl `[`Transport`](crate::lightspeed::http::Transport) — `gloo-net` in the browser, [`super::native::NativeTransport`]
//!   natively; `clock: impl `[`Clock`](crate::core::clock::Clock) — [`super::native::SystemClock`] natively.
//! - `tokens: impl `[`TokenSource`] — [`TokenManager`] (refreshing, single-flight, over a
//!   [`TokenStore`]), or [`StaticToken`] for a fixed access token (CLI).
//! - Requests are [`Endpoint`](crate::lightspeed::endpoints::Endpoint)s (see [`super::endpoints`]); [`LightspeedClient::fetch`] returns one
//!   page ([`Envelope`](crate::lightspeed::models::Envelope)), [`LightspeedClient::one`] the single record, [`LightspeedClient::list_all`]
//!   all pages.
//!
//! # What the send loop does
//!
//! 1. **Pacing**: before each send it asks the [`Bucket`](crate::lightspeed::ratelimit::Bucket) model how long to wait for a request of
//!    the endpoint's `cost_hint`, and sleeps that long (then asks again: requests of one client may
//!    run concurrently, and the check and the count happen with no await in between); each
//!    response's rate-limit headers correct the model, plus the cost of our requests still in
//!    flight. A healthy run never sees a 429. A wait longer than
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

mod config;
mod errors;
mod retry;
mod send;
#[cfg(test)]
mod tests;
mod tokens;

pub use config::*;
pub use errors::*;
pub use retry::*;
pub use send::*;
pub use tokens::*;
