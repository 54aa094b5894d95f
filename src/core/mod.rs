//! The bottom layer: plain values every other module shares and nothing in them decides about
//! NuORDER or Lightspeed. Money and percentages ([`money`], exact [`decimal`]s), a loose JSON leaf
//! ([`scalar`]), typed record ids ([`ids`]), time as a service ([`clock`]), calendar arithmetic
//! ([`dates`]), the account data types ([`accounts`]), a plan row's identity and choice ([`rows`]),
//! an order's status with its badge view ([`status`]) and sorting through one copy of the sort
//! ([`sorted`]).
//!
//! This module imports nothing from the crate outside `core`; every layer above may import it.

pub mod accounts;
pub mod clock;
pub mod dates;
pub mod decimal;
pub mod ids;
pub mod money;
pub mod objects;
pub mod rows;
pub mod scalar;
pub mod sorted;
pub mod status;
pub mod tagged;
pub mod text;

pub use decimal::DecimalError;
pub use ids::*;
pub use money::{Money, Percent};
pub use scalar::Scalar;
