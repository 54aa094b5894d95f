//! Knowledge of NuORDER, in one place: which hosts and URL paths are order pages ([`pages`]) and
//! which elements on them we anchor to ([`selectors`]). Each assumption names the fixture it was
//! checked against. The in-page spec built from them lives in `crate::inpage`.

// The order and product documents, parsed and validated into typed values ([`model::Order`]).
pub mod model;
pub mod pages;
pub mod selectors;
// Who is signed in on a NuORDER tab, read from the app's own session call.
pub mod session;
