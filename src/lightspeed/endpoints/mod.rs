//! One small typed request per Lightspeed endpoint PO Bridge uses, as plain data.
//!
//! Each implements [`Endpoint`]: [`Endpoint::to_http`] builds the [`HttpRequest`](crate::lightspeed::http::HttpRequest) (no auth header:
//! the client adds it) and [`Endpoint::cost_hint`] says how many drips it will cost (reference §6:
//! 1 per request, +0.5 per nested entity in a write body, `load_relations` +0.1 per to-one /
//! +0.2 per to-many, doubled on lists). `Endpoint::Record` is the resource the response envelope
//! carries. Paths are relative to `{api_base}/API/V3/Account/{account_id}/`.
//!
//! Filter values are URL-encoded; a plain-equality value containing a comma is sent as `=,value` so
//! the server never reads it as an operator.
//!
//! `common` holds the trait and the shared request rules; one file per resource holds its
//! endpoints.

mod accounts;
mod common;
pub mod converge;
mod items;
mod orders;
#[cfg(test)]
mod tests;
mod vendors;

pub use accounts::*;
pub use common::{Archived, Endpoint, EndpointError};
pub use items::*;
pub use orders::*;
pub use vendors::*;
