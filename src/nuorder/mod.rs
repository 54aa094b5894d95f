//! Knowledge of NuORDER, in one place: which hosts and URL paths are order pages ([`pages`]) and
//! which elements on them we anchor to ([`selectors`]). Each assumption names the fixture it was
//! checked against. [`spec`] turns both into the data the in-page layer (Rust or its JS fallback)
//! runs on, so the two can never disagree.

/// The order and product documents, parsed and validated into typed values ([`model::Order`]).
pub mod model;
pub mod pages;
pub mod selectors;
/// Who is signed in on a NuORDER tab, read from the app's own session call.
pub mod session;
pub mod spec;
