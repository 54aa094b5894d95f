//! Lightspeed Retail (R-Series) V3: the resources PO Bridge reads and writes, as serde models.
//!
//! [`models`] holds the read models (`Item`, `Order`, `Vendor`, …), the list/single envelope
//! ([`models::Envelope`]), both error bodies ([`models::ErrorBody`]), the OAuth token response and
//! the create/update payloads (`ItemWrite`, `OrderWrite`, …). [`wire`] holds the small serde
//! helpers for the API's quirks (string scalars, one-or-many collections, `"0"` for no id), reusable
//! by any further model. No I/O here: the client that sends these lives elsewhere.
//!
//! Every recorded real response in `../shared/real-responses/lightspeed-2016/` deserializes with
//! these models (`tests/model_lightspeed.rs`).

pub mod client;
pub mod endpoints;
pub mod http;
pub mod models;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
pub mod oauth;
pub mod ratelimit;
pub mod wire;

pub use models::*;
pub use wire::Record;
