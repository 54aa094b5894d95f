//! The bottom layer: plain values every other module shares and nothing in them decides about
//! NuORDER or Lightspeed. Money and percentages ([`money`], exact [`decimal`]s), a loose JSON leaf ([`scalar`]), typed
//! record ids ([`ids`]), time as a service ([`clock`]) and the account data types ([`accounts`]).
//!
//! This module imports nothing from the crate outside `core`; every layer above may import it.

pub mod accounts;
pub mod clock;
pub mod decimal;
pub mod ids;
pub mod money;
pub mod scalar;

pub use decimal::DecimalError;
pub use ids::*;
pub use money::{Money, Percent};
pub use scalar::Scalar;
