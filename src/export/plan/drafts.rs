//! Drafts: the fields of the items and matrices an export would create ([`ItemDraft`],
//! [`MatrixDraft`]) and their Lightspeed write payloads.

use super::super::codes::{Code, CodeField};
use super::keys::OrderRow;
use crate::lightspeed::{
    ItemAttributeSetId, ItemAttributesWrite, ItemMatrixId, ItemMatrixWrite, ItemPriceWrite, ItemVendorNumWrite,
    ItemWrite, VendorId,
};
use crate::nuorder::model::{CurrencyCode, Money, Product};
use serde::{Deserialize, Serialize};

/// Longest description we send (Lightspeed's item description column).
pub const MAX_DESCRIPTION_CHARS: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemDraft {
    /// "(product name) (color) (size)".
    pub description: String,
    pub code: Option<Code>,
    /// The style number.
    pub manufacturer_sku: String,
    /// The size's unit price (default cost and vendor cost).
    pub cost: Money,
    /// Retail (Default and MSRP prices): the product's pricing in the store's currency, else in
    /// the order's, else the line's `retail_string`; `None` → no prices sent.
    pub retail: Option<Money>,
    /// The product's `brand_id` (vendor number); `None` → no ItemVendorNum.
    pub vendor_number: Option<String>,
    pub attribute_set: ItemAttributeSetId,
    pub attribute1: Option<String>,
    pub attribute2: Option<String>,
}

impl ItemDraft {
    /// The `POST Item.json` body for this vendor (and matrix, once created).
    pub fn to_write(&self, vendor: VendorId, matrix: Option<ItemMatrixId>) -> ItemWrite {
        let (upc, ean) = match &self.code {
            Some(c) => match c.field() {
                CodeField::Upc => (Some(c.write_value()), None),
                CodeField::Ean => (None, Some(c.write_value())),
            },
            None => (None, None),
        };
        ItemWrite {
            description: Some(self.description.clone()),
            item_matrix_id: matrix,
            default_cost: Some(self.cost),
            upc,
            ean,
            manufacturer_sku: Some(self.manufacturer_sku.clone()),
            default_vendor_id: Some(vendor),
            item_attributes: Some(ItemAttributesWrite {
                item_attribute_set_id: self.attribute_set,
                attribute1: self.attribute1.clone(),
                attribute2: self.attribute2.clone(),
                attribute3: None,
            }),
            item_vendor_nums: self
                .vendor_number
                .iter()
                .map(|v| ItemVendorNumWrite { vendor_id: vendor, value: v.clone(), cost: Some(self.cost) })
                .collect(),
            prices: prices(self.retail),
            ..ItemWrite::default()
        }
    }
}

fn prices(retail: Option<Money>) -> Vec<ItemPriceWrite> {
    retail.map(|r| vec![ItemPriceWrite::default_price(r), ItemPriceWrite::msrp(r)]).unwrap_or_default()
}

/// Fields of a new matrix (one product: style + color).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixDraft {
    /// "(product name) (color)".
    pub description: String,
    /// Color/Size (1), or Size (2) when the product has no color.
    pub attribute_set: ItemAttributeSetId,
    pub cost: Money,
    pub retail: Option<Money>,
}

impl MatrixDraft {
    pub fn to_write(&self, vendor: VendorId) -> ItemMatrixWrite {
        ItemMatrixWrite {
            description: Some(self.description.clone()),
            item_attribute_set_id: Some(self.attribute_set),
            default_cost: Some(self.cost),
            default_vendor_id: Some(vendor),
            prices: prices(self.retail),
            ..ItemMatrixWrite::default()
        }
    }
}

/// "name color size" in at most [`MAX_DESCRIPTION_CHARS`]: a long name is shortened, not the
/// color and size after it (cut from the end, the variants of one product would all read alike).
fn join_words<'a>(name: &str, rest: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let rest: Vec<&str> = rest.into_iter().flatten().map(str::trim).filter(|s| !s.is_empty()).collect();
    let rest = rest.join(" ");
    let room = match rest.chars().count() {
        0 => MAX_DESCRIPTION_CHARS,
        n => MAX_DESCRIPTION_CHARS.saturating_sub(n + 1),
    };
    let name: String = name.trim().chars().take(room).collect();
    let words: Vec<&str> = [name.trim_end(), rest.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
    words.join(" ").chars().take(MAX_DESCRIPTION_CHARS).collect()
}

fn attribute_set(color: Option<&str>) -> ItemAttributeSetId {
    if color.is_some_and(|c| !c.trim().is_empty()) {
        ItemAttributeSetId::COLOR_SIZE
    } else {
        ItemAttributeSetId::SIZE
    }
}

/// `retail_in`: the currencies a retail price is read in, first found wins (the store's, then the
/// order's).
pub(super) fn item_draft(row: &OrderRow, product: Option<&Product>, retail_in: &[&CurrencyCode]) -> ItemDraft {
    let name = product.and_then(|p| p.name.as_deref()).unwrap_or(&row.style_number);
    let set = attribute_set(row.color.as_deref());
    let retail = product
        .and_then(|p| {
            retail_in.iter().find_map(|c| match row.size.as_deref() {
                Some(s) => p.retail_for_size(s, c),
                None => p.retail(c),
            })
        })
        .or(row.retail_shown);
    ItemDraft {
        description: join_words(name, [row.color.as_deref(), row.size.as_deref()]),
        code: row.code.clone(),
        manufacturer_sku: row.style_number.clone(),
        cost: row.price,
        retail,
        vendor_number: row.brand_id.clone(),
        attribute_set: set,
        attribute1: if set == ItemAttributeSetId::COLOR_SIZE { row.color.clone() } else { None },
        attribute2: row.size.clone(),
    }
}

/// The matrix a product's new items would go into: "(product name) (color)", the first row's
/// price as cost, the product's retail as [`item_draft`] reads it (else the line's `retail_string`).
pub(super) fn matrix_draft(row: &OrderRow, product: Option<&Product>, retail_in: &[&CurrencyCode]) -> MatrixDraft {
    let name = product.and_then(|p| p.name.as_deref()).unwrap_or(&row.style_number);
    MatrixDraft {
        description: join_words(name, [row.color.as_deref()]),
        attribute_set: attribute_set(row.color.as_deref()),
        cost: row.price,
        retail: product.and_then(|p| retail_in.iter().find_map(|c| p.retail(c))).or(row.retail_shown),
    }
}
