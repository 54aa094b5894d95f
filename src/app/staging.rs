//! Staging: what a content script hands over (an order read with the page's session), validated
//! with the order model and ONE brand rule ([`crate::export::plan::brand_name`]), within ONE set
//! of limits, kept for the export dialog.

use super::accounts::NuorderAccount;
use super::errors::AppError;
use crate::export::plan::{brand_name, BrandContext, PlanError};
use crate::export::runner::Staged;
use crate::nuorder::model::{parse_order_value, parse_products_value, Product};
use crate::protocol::PageBrand;
use serde::{Deserialize, Serialize};

/// At most this many products in one staged order: exactly what the in-page layers read for an
/// order (the spec's `max_products`, 1,000), so a larger batch never comes from an honest page;
/// it also keeps a staging message well under the protocol's 4 MiB cap. (The background used to
/// accept 5,000: a number nothing sent.)
pub const MAX_PRODUCTS: usize = crate::inpage::spec::LIMITS.max_products;

/// At most this many orders in one status request: what the in-page layers batch (the spec's
/// `max_status_batch`).
pub const MAX_STATUS_BATCH: usize = crate::inpage::spec::LIMITS.max_status_batch;

/// How long a staged snapshot (with its addresses and e-mails) and its plan are kept: 24 hours
/// after staging, then deleted at the next staging (`App::sweep`) unless a job
/// of the order is unfinished. The job's own copy lives in its journal.
pub const STAGED_TTL_MS: u64 = 24 * 60 * 60 * 1000;

/// Whether a staged snapshot has outlived [`STAGED_TTL_MS`].
pub fn expired(record: &StagedRecord, now_ms: u64) -> bool {
    now_ms >= record.staged_ms.saturating_add(STAGED_TTL_MS)
}

/// What a content script handed over, with where it came from (stored under `staged:<order id>`;
/// the shape of commit 1695b83).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StagedRecord {
    pub order: serde_json::Value,
    pub products: Vec<serde_json::Value>,
    pub brand: PageBrand,
    pub tab_id: Option<i64>,
    pub account_id: Option<String>,
    pub staged_ms: u64,
    /// The NuORDER buyer signed in on the staging tab: the job's buyer, whose tabs alone get the
    /// job's status events (absent in records written before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<NuorderAccount>,
}

const NO_BRAND: &str = "This order names no brand and the page shows none. Choose the brand in NuORDER's brand switcher, then export again.";

/// The staged order, checked: the order parses, the products are within limits (those the model
/// refuses are left out, see `readable_product`) and the order has a brand.
pub fn validate(record: &StagedRecord) -> Result<Staged, AppError> {
    if record.products.len() > MAX_PRODUCTS {
        return Err(AppError::Invalid(format!(
            "This order lists more products than PO Bridge accepts ({}).",
            thousands(MAX_PRODUCTS)
        )));
    }
    let order = parse_order_value(&record.order)
        .map_err(|e| AppError::Invalid(format!("This order cannot be exported: {e}")))?;
    let products = record.products.iter().flat_map(readable_product).collect();
    let brand = BrandContext { name: record.brand.name.clone(), seller_uid: record.brand.id.clone() };
    let name = brand_name(&order, &brand).map_err(|e| match e {
        PlanError::NoBrand => AppError::Invalid(NO_BRAND.into()),
        other => AppError::Invalid(other.to_string()),
    })?;
    let brand = BrandContext { name: Some(name), seller_uid: brand.seller_uid };
    Ok(Staged { order, products, brand, store_currency: None })
}

/// A product document the model accepts, else none. A product document only names and prices
/// new items: without it they are named by style number and priced from the line's
/// `retail_string`, as for a product NuORDER would not give. So one odd document (a value of a
/// kind the model refuses) leaves that product out rather than refusing the whole order.
fn readable_product(value: &serde_json::Value) -> Vec<Product> {
    parse_products_value(&serde_json::Value::Array(vec![value.clone()])).unwrap_or_default()
}

/// The brand a staged record exports under (the same rule; empty when it has none).
pub fn brand_of(record: &StagedRecord) -> String {
    let brand = BrandContext { name: record.brand.name.clone(), seller_uid: None };
    parse_order_value(&record.order).ok().and_then(|o| brand_name(&o, &brand).ok()).unwrap_or_default()
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
