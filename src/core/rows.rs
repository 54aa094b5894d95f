//! The identity of a plan's size row across exports ([`RowKey`]) and the user's answer for a row
//! that needed a choice ([`Choice`]): the two plan values that travel on the wire.

use super::ids::ItemId;
use super::tagged::internal_enum;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A size row's identity across exports: NuORDER product `_id` + size (`""` when the row has no
/// size).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RowKey {
    pub product_id: String,
    pub size: String,
}

impl RowKey {
    pub fn new(product_id: impl Into<String>, size: impl Into<String>) -> RowKey {
        RowKey { product_id: product_id.into(), size: size.into() }
    }
}

impl fmt::Display for RowKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.product_id, self.size)
    }
}

/// The user's answer to a *NeedsChoice* row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum Choice {
    /// Use this existing (live) candidate.
    Item { item_id: ItemId },
    /// Create a new item after all (the user said so).
    CreateNew,
}
internal_enum!(Choice, "kind");
