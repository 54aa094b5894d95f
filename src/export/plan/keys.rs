//! Keys: a size row's identity ([`RowKey`]), the links earlier exports saved ([`Links`]), the
//! brand rule ([`brand_name`]) and the order's size rows as the plan sees them ([`OrderRow`]).

use super::super::codes::{Code, CodeKey};
pub use crate::core::rows::RowKey;
use crate::core::text::folded;
use crate::lightspeed::{ItemId, VendorId};
use crate::nuorder::model::{Line, Money, Order, OrderStatus, SizeRow};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What earlier exports linked: size rows to items, brands to vendors. Saved per Lightspeed
/// account; serializes as `{"items":[{"product_id","size","item_id"}…],"vendors":{brand: id}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links {
    #[serde(with = "item_links", default)]
    pub items: BTreeMap<RowKey, ItemId>,
    /// Brand name (trimmed) → vendor.
    #[serde(default)]
    pub vendors: BTreeMap<String, VendorId>,
}

impl Links {
    pub fn item(&self, key: &RowKey) -> Option<ItemId> {
        self.items.get(key).copied()
    }

    pub fn vendor(&self, brand: &str) -> Option<VendorId> {
        self.vendors.get(brand.trim()).copied()
    }

    /// Adds (or replaces) every link of `other`.
    pub fn merge(&mut self, other: &Links) {
        self.items.extend(other.items.iter().map(|(k, v)| (k.clone(), *v)));
        self.vendors.extend(other.vendors.iter().map(|(k, v)| (k.clone(), *v)));
    }
}

mod item_links {
    use super::{ItemId, RowKey};
    use crate::core::sorted;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    #[derive(Serialize, Deserialize)]
    struct Entry {
        product_id: String,
        size: String,
        item_id: ItemId,
    }

    pub fn serialize<S: Serializer>(m: &BTreeMap<RowKey, ItemId>, s: S) -> Result<S::Ok, S::Error> {
        let v: Vec<Entry> = m
            .iter()
            .map(|(k, id)| Entry { product_id: k.product_id.clone(), size: k.size.clone(), item_id: *id })
            .collect();
        v.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<RowKey, ItemId>, D::Error> {
        let v = Vec::<Entry>::deserialize(d)?;
        Ok(sorted::map(v.into_iter().map(|e| (RowKey::new(e.product_id, e.size), e.item_id))))
    }
}

/// The brand as the page knows it: the name shown in NuORDER's brand switcher (used when the
/// order has no `__brand_name`) and the brand's NuORDER id (matched against `b2bSellerUID`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandContext {
    pub name: Option<String>,
    pub seller_uid: Option<String>,
}

impl BrandContext {
    pub fn named(name: &str) -> BrandContext {
        BrandContext { name: Some(name.to_string()), seller_uid: None }
    }
}

/// Why no plan can be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("The order has no brand name (__brand_name) and the page gave none: choose the brand in NuORDER first.")]
    NoBrand,
    #[error("The order has no size with a quantity above 0: there is nothing to export.")]
    NothingToExport,
    #[error("The order is cancelled in NuORDER: the brand will not ship it, so there is nothing to export.")]
    Cancelled,
}

/// Whether the order can become a purchase order at all: not cancelled in NuORDER (its status
/// `cancelled`, `nuorder.md` §2.2: its lines stay in the document, but nothing will ship; a PO
/// made before the cancellation is the update's to archive), and some size has units. The one
/// rule of the preview, a batch and the command line.
pub fn check_exportable(order: &Order) -> Result<(), PlanError> {
    if order.status == Some(OrderStatus::Cancelled) {
        return Err(PlanError::Cancelled);
    }
    if !order.size_rows().any(|(_, s)| s.quantity > 0) {
        return Err(PlanError::NothingToExport);
    }
    Ok(())
}

/// The brand name: the order's, else the page's; trimmed, never empty.
pub fn brand_name(order: &Order, brand: &BrandContext) -> Result<String, PlanError> {
    order
        .brand_name
        .as_deref()
        .or(brand.name.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or(PlanError::NoBrand)
}

/// An order's size rows with quantity > 0, merged by key, in order of first appearance.
#[derive(Debug, Clone)]
pub(super) struct OrderRow {
    pub key: RowKey,
    pub style_number: String,
    pub color: Option<String>,
    pub size: Option<String>,
    pub brand_id: Option<String>,
    pub code: Option<Code>,
    pub units: u64,
    pub price: Money,
    /// The line's MSRP as the order shows it ([`crate::nuorder::model::Line::retail_shown`]).
    pub retail_shown: Option<Money>,
}

pub(super) fn order_rows(order: &Order) -> Vec<OrderRow> {
    let mut rows: Vec<OrderRow> = Vec::new();
    let mut index: BTreeMap<RowKey, usize> = BTreeMap::new();
    for (key, line, size) in keyed_size_rows(order) {
        if size.quantity == 0 {
            continue;
        }
        if let Some(&i) = index.get(&key) {
            rows[i].units += size.units();
            if rows[i].code.is_none() {
                rows[i].code = Code::parse_opt(size.upc.as_deref());
            }
            continue;
        }
        index.insert(key.clone(), rows.len());
        rows.push(OrderRow {
            key,
            style_number: line.product.style_number.clone(),
            color: line.product.color.clone(),
            size: size.size.clone(),
            brand_id: line.product.brand_id.clone(),
            code: Code::parse_opt(size.upc.as_deref()),
            units: size.units(),
            price: size.price,
            retail_shown: line.retail_shown,
        });
    }
    without_shared_codes(&mut rows);
    rows
}

/// A code the order gives to two different items (two sizes or two colors: the brand's data error)
/// identifies neither: those rows are matched and created as rows without a code (by vendor number,
/// or style, color and size), each its own item. Otherwise the job made one item for all of them
/// and the PO put every size's units on it, and the dialog showed items that were never made. Rows
/// of one color and size under two products keep the code: the same item listed twice.
fn without_shared_codes(rows: &mut [OrderRow]) {
    let norm = |s: &Option<String>| s.as_deref().map(folded).unwrap_or_default();
    let mut variants: BTreeMap<CodeKey, (String, String)> = BTreeMap::new();
    let mut shared: BTreeSet<CodeKey> = BTreeSet::new();
    for r in rows.iter() {
        let Some(code) = &r.code else { continue };
        let variant = (norm(&r.color), norm(&r.size));
        if variants.entry(code.key()).or_insert_with(|| variant.clone()) != &variant {
            shared.insert(code.key());
        }
    }
    for r in rows.iter_mut() {
        if r.code.as_ref().is_some_and(|c| shared.contains(&c.key())) {
            r.code = None;
        }
    }
}

/// The [`RowKey`] of an order size row, by its product and size name (see [`keyed_size_rows`]
/// for the one exception).
pub fn row_key(product_id: &str, size: Option<&str>) -> RowKey {
    RowKey::new(product_id, size.unwrap_or(""))
}

/// Every size row of `order` with its [`RowKey`], in the order's order: the one rule of the
/// plan, the PO's lines, what a PO was made from and the review's names. A row is keyed by its
/// product and size name ([`row_key`]), except where the order gives one product's size name to
/// rows with different usable codes (a Regular M and a Tall M: an order's size rows carry no
/// size group): each of those is keyed by name and code, `M [00812345003024]`, so each is its own
/// row and item rather than the second's units going onto the first's item. Every row counts,
/// whatever its quantity, so a key stays put while the brand edits units.
pub fn keyed_size_rows(order: &Order) -> Vec<(RowKey, &Line, &SizeRow)> {
    let code = |s: &SizeRow| Code::parse_opt(s.upc.as_deref()).map(|c| c.key());
    // Plain key → index into `codes`: the key's first code, and whether another code followed.
    let mut index: BTreeMap<RowKey, usize> = BTreeMap::new();
    let mut codes: Vec<(CodeKey, bool)> = Vec::new();
    for (line, s) in order.size_rows() {
        let (key, Some(c)) = (row_key(&line.product.id, s.size.as_deref()), code(s)) else { continue };
        match index.get(&key) {
            Some(&i) => codes[i].1 |= codes[i].0 != c,
            None => {
                index.insert(key, codes.len());
                codes.push((c, false));
            }
        }
    }
    let keyed = |line: &Line, s: &SizeRow| {
        let key = row_key(&line.product.id, s.size.as_deref());
        let split = index.get(&key).is_some_and(|&i| codes[i].1);
        match code(s).filter(|_| split) {
            Some(c) => RowKey::new(key.product_id, format!("{} [{c}]", key.size)),
            None => key,
        }
    };
    order.size_rows().map(|(line, s)| (keyed(line, s), line, s)).collect()
}
