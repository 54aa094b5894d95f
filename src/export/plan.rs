//! The export preview: which vendor, and for every size row which item — computed without I/O.
//!
//! Two phases:
//!
//! 1. [`lookups_needed`] lists what the runner must read from Lightspeed ([`Lookups`]). After
//!    fetching linked items, [`Lookups::for_vanished_links`] adds the code/SKU lookups for rows
//!    whose linked item has vanished or been archived (they are skipped at first: a healthy
//!    repeat order needs no code lookups at all).
//! 2. The runner puts every record it found into a [`Catalog`] and calls [`plan`], which applies
//!    issue 5's rules:
//!
//!    - **Vendor** ([`VendorPlan`]): the brand is the order's `__brand_name`, else the page's
//!      brand ([`BrandContext`]). Found through a saved link (live vendor with that id), else a
//!      live vendor whose `b2bSellerUID` is the brand's NuORDER id, else a live vendor whose name
//!      is exactly the brand (trimmed; lowest id wins); else new with that name. Archived vendors
//!      are never used (a PO needs a live vendor).
//!    - **Rows**: every size row with quantity > 0, keyed by product `_id` + size ([`RowKey`]);
//!      rows with the same key (a product listed twice) are one plan row with summed units.
//!      Exactly one [`RowStatus`]:
//!      *Confirmed* (the linked item is present and live);
//!      *UpcMatch* (usable code, exactly one live item with the same code in `upc` or `ean`);
//!      *SkuMatch* (no usable code, exactly one live item whose vendor number for this vendor is
//!      the product's `brand_id` and whose size attribute is the size, or whose `manufacturerSku`
//!      is the style number and whose color and size attributes match);
//!      *New* (nothing matches: an item draft, grouped into one matrix per product);
//!      *NeedsChoice* (several live matches; only archived matches; or the linked item vanished or
//!      was archived and no single live item replaces it — **a vanished link is never silently
//!      recreated**).
//!
//! The [`Plan`] is serde (it crosses the extension's message boundary) and records the user's
//! choices for *NeedsChoice* rows ([`Plan::choose`]). Size and color attributes compare
//! case-insensitively, ignoring surrounding spaces.

use super::codes::{code_batches, in_batches, Code, CodeBatch, CodeKey};
use crate::lightspeed::{
    ItemAttributeSetId, ItemAttributesWrite, ItemId, ItemMatrixId, ItemMatrixWrite, ItemPriceWrite, ItemVendorNumWrite,
    ItemWrite, VendorId,
};
use crate::nuorder::model::{CurrencyCode, Money, Order, Product};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Longest description we send (Lightspeed's item description column).
pub const MAX_DESCRIPTION_CHARS: usize = 255;

// ------------------------------------------------------------------------------------------------
// Keys, links, brand
// ------------------------------------------------------------------------------------------------

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
        Ok(v.into_iter().map(|e| (RowKey::new(e.product_id, e.size), e.item_id)).collect())
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

// ------------------------------------------------------------------------------------------------
// Lookups
// ------------------------------------------------------------------------------------------------

/// What the runner reads from Lightspeed before [`plan`]. Every item query asks for
/// `archived=true` (archived items are reported, never duplicated) and
/// `load_relations=["ItemAttributes","ItemVendorNums"]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lookups {
    /// The vendor saved for this brand (`GET Vendor/{id}.json`), if any.
    pub vendor_id: Option<VendorId>,
    /// `Vendor.json?b2bSellerUID=…`, when the page gave the brand's NuORDER id.
    pub seller_uid: Option<String>,
    /// `Vendor.json?name=…` (exact).
    pub vendor_name: String,
    /// `Item.json?itemID=IN,[…]`: linked items, batches of ≤ 100.
    pub item_ids: Vec<Vec<ItemId>>,
    /// `Item.json?{upc|ean}=IN,[…]`: batches of ≤ 100 per field.
    pub codes: Vec<CodeBatch>,
    /// `Item.json?ItemVendorNums.value=IN,[…]`: `brand_id`s of code-less rows.
    pub vendor_numbers: Vec<Vec<String>>,
    /// `Item.json?manufacturerSku=IN,[…]`: style numbers of code-less rows.
    pub manufacturer_skus: Vec<Vec<String>>,
}

impl Lookups {
    /// True when no item query is needed.
    pub fn no_item_queries(&self) -> bool {
        self.item_ids.is_empty()
            && self.codes.is_empty()
            && self.vendor_numbers.is_empty()
            && self.manufacturer_skus.is_empty()
    }

    /// The second round: code and SKU lookups for linked rows whose item is missing from
    /// `catalog` or archived (so that a single live replacement can be found). Empty when every
    /// link is healthy. Vendor fields are left empty.
    pub fn for_vanished_links(order: &Order, links: &Links, catalog: &Catalog) -> Lookups {
        let rows = order_rows(order);
        let vanished = rows.iter().filter(|r| match links.item(&r.key) {
            Some(id) => catalog.item(id).is_none_or(|i| i.archived),
            None => false,
        });
        let mut l = Lookups::default();
        fill_match_lookups(&mut l, vanished);
        l
    }
}

/// The first round of lookups for `order`: vendor, linked items, and codes/SKUs of unlinked rows.
pub fn lookups_needed(order: &Order, brand: &BrandContext, links: &Links) -> Result<Lookups, PlanError> {
    let name = brand_name(order, brand)?;
    let rows = order_rows(order);
    let mut l = Lookups {
        vendor_id: links.vendor(&name),
        seller_uid: brand.seller_uid.clone(),
        vendor_name: name,
        item_ids: in_batches(rows.iter().filter_map(|r| links.item(&r.key))),
        ..Lookups::default()
    };
    fill_match_lookups(&mut l, rows.iter().filter(|r| links.item(&r.key).is_none()));
    Ok(l)
}

fn fill_match_lookups<'a>(l: &mut Lookups, rows: impl Iterator<Item = &'a OrderRow>) {
    let mut codes = Vec::new();
    let mut vendor_numbers = BTreeSet::new();
    let mut skus = BTreeSet::new();
    for r in rows {
        match &r.code {
            Some(c) => codes.push(c.clone()),
            None => {
                if let Some(b) = &r.brand_id {
                    vendor_numbers.insert(b.clone());
                }
                skus.insert(r.style_number.clone());
            }
        }
    }
    l.codes = code_batches(&codes);
    l.vendor_numbers = in_batches(vendor_numbers);
    l.manufacturer_skus = in_batches(skus);
}

// ------------------------------------------------------------------------------------------------
// Catalog: what the lookups found
// ------------------------------------------------------------------------------------------------

/// A vendor as far as matching cares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownVendor {
    pub id: VendorId,
    pub name: String,
    pub archived: bool,
    pub seller_uid: Option<String>,
}

impl From<&crate::lightspeed::Vendor> for KnownVendor {
    fn from(v: &crate::lightspeed::Vendor) -> Self {
        KnownVendor {
            id: v.vendor_id,
            name: v.name.clone(),
            archived: v.archived,
            seller_uid: v.b2b_seller_uid.clone(),
        }
    }
}

/// An item as far as matching cares (from `Item` with `ItemAttributes` and `ItemVendorNums`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownItem {
    pub id: ItemId,
    pub description: String,
    pub archived: bool,
    pub upc: Option<String>,
    pub ean: Option<String>,
    pub manufacturer_sku: Option<String>,
    pub matrix_id: Option<ItemMatrixId>,
    pub attribute_set: Option<ItemAttributeSetId>,
    /// `attribute1..3`.
    pub attributes: [Option<String>; 3],
    /// `(vendorID, value)` of each `ItemVendorNum`.
    pub vendor_numbers: Vec<(VendorId, String)>,
}

impl From<&crate::lightspeed::Item> for KnownItem {
    fn from(i: &crate::lightspeed::Item) -> Self {
        let a = i.item_attributes.clone().unwrap_or_default();
        KnownItem {
            id: i.item_id,
            description: i.description.clone(),
            archived: i.archived,
            upc: i.upc.clone(),
            ean: i.ean.clone(),
            manufacturer_sku: i.manufacturer_sku.clone(),
            matrix_id: i.item_matrix_id,
            attribute_set: a.item_attribute_set_id,
            attributes: [a.attribute1, a.attribute2, a.attribute3],
            vendor_numbers: i
                .item_vendor_nums
                .iter()
                .filter_map(|n| n.vendor_id.map(|v| (v, n.value.clone())))
                .collect(),
        }
    }
}

impl KnownItem {
    /// The code keys of its `upc` and `ean`.
    pub fn code_keys(&self) -> impl Iterator<Item = CodeKey> + '_ {
        [self.upc.as_deref(), self.ean.as_deref()].into_iter().flatten().filter_map(CodeKey::of)
    }

    /// The size attribute: `attribute2` in the stock Color/Size and Size sets; in other sets
    /// (unknown names) any attribute may hold it.
    fn has_size(&self, size: &str) -> bool {
        match self.attribute_set {
            Some(s) if s == ItemAttributeSetId::COLOR_SIZE || s == ItemAttributeSetId::SIZE => {
                same_text(self.attributes[1].as_deref(), size)
            }
            Some(ItemAttributeSetId(3)) => size.trim().is_empty(),
            _ => {
                if size.trim().is_empty() {
                    self.attributes.iter().all(|a| a.is_none())
                } else {
                    self.attributes.iter().any(|a| same_text(a.as_deref(), size))
                }
            }
        }
    }

    /// The color attribute: `attribute1` in the stock Color/Size and Color sets; any attribute
    /// in other sets. A product without color matches any item.
    fn has_color(&self, color: Option<&str>) -> bool {
        let Some(color) = color.filter(|c| !c.trim().is_empty()) else {
            return true;
        };
        match self.attribute_set {
            Some(s) if s == ItemAttributeSetId::COLOR_SIZE || s == ItemAttributeSetId(3) => {
                same_text(self.attributes[0].as_deref(), color)
            }
            Some(s) if s == ItemAttributeSetId::SIZE => false,
            _ => self.attributes.iter().any(|a| same_text(a.as_deref(), color)),
        }
    }

    fn candidate(&self) -> Candidate {
        Candidate {
            item_id: self.id,
            description: self.description.clone(),
            upc: self.upc.clone(),
            ean: self.ean.clone(),
            manufacturer_sku: self.manufacturer_sku.clone(),
            archived: self.archived,
        }
    }
}

fn same_text(a: Option<&str>, b: &str) -> bool {
    let b = b.trim();
    match a {
        Some(a) => a.trim().to_lowercase() == b.to_lowercase(),
        None => b.is_empty(),
    }
}

/// Everything the lookups found. Items are deduplicated by id (the same item may come back from
/// several queries); a linked item absent from `items` has vanished.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub vendors: Vec<KnownVendor>,
    pub items: Vec<KnownItem>,
}

impl Catalog {
    pub fn add_vendor(&mut self, v: KnownVendor) {
        if !self.vendors.iter().any(|k| k.id == v.id) {
            self.vendors.push(v);
        }
    }

    pub fn add_item(&mut self, i: KnownItem) {
        if !self.items.iter().any(|k| k.id == i.id) {
            self.items.push(i);
        }
    }

    /// Adds Lightspeed read models.
    pub fn add_vendors<'a>(&mut self, v: impl IntoIterator<Item = &'a crate::lightspeed::Vendor>) {
        v.into_iter().for_each(|v| self.add_vendor(v.into()));
    }

    pub fn add_items<'a>(&mut self, i: impl IntoIterator<Item = &'a crate::lightspeed::Item>) {
        i.into_iter().for_each(|i| self.add_item(i.into()));
    }

    pub fn item(&self, id: ItemId) -> Option<&KnownItem> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn vendor(&self, id: VendorId) -> Option<&KnownVendor> {
        self.vendors.iter().find(|v| v.id == id)
    }
}

// ------------------------------------------------------------------------------------------------
// The plan
// ------------------------------------------------------------------------------------------------

/// How the vendor was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VendorVia {
    Link,
    SellerUid,
    Name,
}

/// The PO's vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum VendorPlan {
    Existing { id: VendorId, name: String, via: VendorVia },
    New { name: String },
}

impl VendorPlan {
    pub fn id(&self) -> Option<VendorId> {
        match self {
            VendorPlan::Existing { id, .. } => Some(*id),
            VendorPlan::New { .. } => None,
        }
    }
}

/// Resolves the vendor (see the module docs).
pub fn resolve_vendor(brand: &str, ctx: &BrandContext, links: &Links, catalog: &Catalog) -> VendorPlan {
    let live = || catalog.vendors.iter().filter(|v| !v.archived);
    let found = |id: VendorId, via| VendorPlan::Existing {
        id,
        name: catalog.vendor(id).map(|v| v.name.clone()).unwrap_or_default(),
        via,
    };
    if let Some(id) = links.vendor(brand) {
        if live().any(|v| v.id == id) {
            return found(id, VendorVia::Link);
        }
    }
    if let Some(uid) = ctx.seller_uid.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        if let Some(v) = live().filter(|v| v.seller_uid.as_deref().map(str::trim) == Some(uid)).min_by_key(|v| v.id) {
            return found(v.id, VendorVia::SellerUid);
        }
    }
    if let Some(v) = live().filter(|v| v.name.trim() == brand).min_by_key(|v| v.id) {
        return found(v.id, VendorVia::Name);
    }
    VendorPlan::New { name: brand.to_string() }
}

/// How a SKU match was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkuVia {
    /// The item's vendor number for this vendor is the product's `brand_id`, and the size matches.
    VendorNumber,
    /// The item's `manufacturerSku` is the style number, and color and size match.
    ManufacturerSku,
}

/// Why a row waits for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChoiceReason {
    /// Several live items match.
    SeveralMatches,
    /// Only archived items match.
    ArchivedOnly,
    /// The item an earlier export linked is gone or archived (perhaps merged away), and no
    /// single live item replaces it.
    LinkVanished { item_id: ItemId, archived: bool },
}

/// An existing item offered to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub item_id: ItemId,
    pub description: String,
    pub upc: Option<String>,
    pub ean: Option<String>,
    pub manufacturer_sku: Option<String>,
    pub archived: bool,
}

/// The user's answer to a *NeedsChoice* row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Choice {
    /// Use this existing (live) candidate.
    Item { item_id: ItemId },
    /// Create a new item after all (the user said so).
    CreateNew,
}

/// A row's status in the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RowStatus {
    Confirmed { item_id: ItemId },
    UpcMatch { item_id: ItemId },
    SkuMatch { item_id: ItemId, via: SkuVia },
    New,
    NeedsChoice { reason: ChoiceReason, candidates: Vec<Candidate>, choice: Option<Choice> },
}

/// What a row finally does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Existing(ItemId),
    Create,
    /// A *NeedsChoice* row without a choice yet.
    Unresolved,
}

impl RowStatus {
    pub fn resolved(&self) -> Resolved {
        match self {
            RowStatus::Confirmed { item_id }
            | RowStatus::UpcMatch { item_id }
            | RowStatus::SkuMatch { item_id, .. } => Resolved::Existing(*item_id),
            RowStatus::New => Resolved::Create,
            RowStatus::NeedsChoice { choice, .. } => match choice {
                Some(Choice::Item { item_id }) => Resolved::Existing(*item_id),
                Some(Choice::CreateNew) => Resolved::Create,
                None => Resolved::Unresolved,
            },
        }
    }
}

/// Fields of a new item (one size of a product); see [`ItemDraft::to_write`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemDraft {
    /// "(product name) (color) (size)".
    pub description: String,
    pub code: Option<Code>,
    /// The style number.
    pub manufacturer_sku: String,
    /// The size's unit price (default cost and vendor cost).
    pub cost: Money,
    /// Retail in the order's currency (Default and MSRP prices); `None` → no prices sent.
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
                super::codes::CodeField::Upc => (Some(c.write_value()), None),
                super::codes::CodeField::Ean => (None, Some(c.write_value())),
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

/// One plan row (a size with quantity > 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRow {
    pub key: RowKey,
    pub style_number: String,
    pub color: Option<String>,
    pub size: Option<String>,
    pub code: Option<Code>,
    /// Units over every order row with this key (`quantity × units_per_pack`).
    pub units: u64,
    pub status: RowStatus,
    /// What would be created: present for *New* and *NeedsChoice* rows.
    pub draft: Option<ItemDraft>,
}

/// Row counts by status, as the dialog shows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub confirmed: usize,
    pub upc_match: usize,
    pub sku_match: usize,
    pub new: usize,
    /// *NeedsChoice* rows still without a choice.
    pub needs_choice: usize,
    /// *NeedsChoice* rows the user chose an existing item for.
    pub chosen_existing: usize,
    /// *NeedsChoice* rows the user chose to create.
    pub chosen_new: usize,
}

impl Counts {
    fn add(&mut self, s: &RowStatus) {
        match s {
            RowStatus::Confirmed { .. } => self.confirmed += 1,
            RowStatus::UpcMatch { .. } => self.upc_match += 1,
            RowStatus::SkuMatch { .. } => self.sku_match += 1,
            RowStatus::New => self.new += 1,
            RowStatus::NeedsChoice { choice: None, .. } => self.needs_choice += 1,
            RowStatus::NeedsChoice { choice: Some(Choice::Item { .. }), .. } => self.chosen_existing += 1,
            RowStatus::NeedsChoice { choice: Some(Choice::CreateNew), .. } => self.chosen_new += 1,
        }
    }

    /// The "Matched items" tab: rows that use an existing item.
    pub fn matched_tab(&self) -> usize {
        self.confirmed + self.upc_match + self.sku_match + self.chosen_existing
    }

    /// The "New items" tab: rows that create an item.
    pub fn new_tab(&self) -> usize {
        self.new + self.chosen_new
    }
}

/// One product (style + color): its rows' counts and the matrix its new items would go into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductPlan {
    pub product_id: String,
    pub style_number: String,
    pub color: Option<String>,
    pub name: Option<String>,
    pub matrix: MatrixDraft,
    pub counts: Counts,
}

/// The preview. Serde; holds the user's choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub order_id: String,
    pub order_number: String,
    pub currency: String,
    pub brand: String,
    pub vendor: VendorPlan,
    pub rows: Vec<PlanRow>,
    pub products: Vec<ProductPlan>,
    pub counts: Counts,
}

/// Why a choice was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChoiceError {
    #[error("No row {0} in this plan.")]
    NoSuchRow(RowKey),
    #[error("Row {0} does not need a choice.")]
    NotNeeded(RowKey),
    #[error("Item {item} is not one of the candidates for row {row}.")]
    NotACandidate { row: RowKey, item: ItemId },
    #[error("Item {item} is archived; Lightspeed refuses archived items on purchase orders.")]
    Archived { row: RowKey, item: ItemId },
}

impl Plan {
    pub fn row(&self, key: &RowKey) -> Option<&PlanRow> {
        self.rows.iter().find(|r| &r.key == key)
    }

    /// Records the user's choice for a *NeedsChoice* row: a live candidate, or creating a new
    /// item. Choosing again replaces the earlier choice.
    pub fn choose(&mut self, key: &RowKey, choice: Choice) -> Result<(), ChoiceError> {
        let row = self.rows.iter_mut().find(|r| &r.key == key).ok_or_else(|| ChoiceError::NoSuchRow(key.clone()))?;
        let RowStatus::NeedsChoice { candidates, choice: slot, .. } = &mut row.status else {
            return Err(ChoiceError::NotNeeded(key.clone()));
        };
        if let Choice::Item { item_id } = &choice {
            let c = candidates
                .iter()
                .find(|c| c.item_id == *item_id)
                .ok_or_else(|| ChoiceError::NotACandidate { row: key.clone(), item: *item_id })?;
            if c.archived {
                return Err(ChoiceError::Archived { row: key.clone(), item: *item_id });
            }
        }
        *slot = Some(choice);
        self.recount();
        Ok(())
    }

    /// True when no row waits for a choice (the export may start).
    pub fn is_ready(&self) -> bool {
        self.counts.needs_choice == 0
    }

    /// What each row resolves to.
    pub fn resolution(&self, key: &RowKey) -> Option<Resolved> {
        self.row(key).map(|r| r.status.resolved())
    }

    fn recount(&mut self) {
        let mut total = Counts::default();
        for p in &mut self.products {
            p.counts = Counts::default();
        }
        for r in &self.rows {
            total.add(&r.status);
            if let Some(p) = self.products.iter_mut().find(|p| p.product_id == r.key.product_id) {
                p.counts.add(&r.status);
            }
        }
        self.counts = total;
    }
}

// ------------------------------------------------------------------------------------------------
// Building the plan
// ------------------------------------------------------------------------------------------------

/// An order's size rows with quantity > 0, merged by key, in order of first appearance.
#[derive(Debug, Clone)]
struct OrderRow {
    key: RowKey,
    style_number: String,
    color: Option<String>,
    size: Option<String>,
    brand_id: Option<String>,
    code: Option<Code>,
    units: u64,
    price: Money,
}

fn order_rows(order: &Order) -> Vec<OrderRow> {
    let mut rows: Vec<OrderRow> = Vec::new();
    let mut index: BTreeMap<RowKey, usize> = BTreeMap::new();
    for (line, size) in order.size_rows() {
        if size.quantity == 0 {
            continue;
        }
        let key = row_key(&line.product.id, size.size.as_deref());
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
        });
    }
    rows
}

/// The [`RowKey`] of an order size row.
pub fn row_key(product_id: &str, size: Option<&str>) -> RowKey {
    RowKey::new(product_id, size.unwrap_or(""))
}

fn join_words<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let words: Vec<&str> = parts.into_iter().flatten().map(str::trim).filter(|s| !s.is_empty()).collect();
    let s = words.join(" ");
    if s.chars().count() > MAX_DESCRIPTION_CHARS {
        s.chars().take(MAX_DESCRIPTION_CHARS).collect()
    } else {
        s
    }
}

fn attribute_set(color: Option<&str>) -> ItemAttributeSetId {
    if color.is_some_and(|c| !c.trim().is_empty()) {
        ItemAttributeSetId::COLOR_SIZE
    } else {
        ItemAttributeSetId::SIZE
    }
}

fn item_draft(row: &OrderRow, product: Option<&Product>, currency: &CurrencyCode) -> ItemDraft {
    let name = product.and_then(|p| p.name.as_deref()).unwrap_or(&row.style_number);
    let set = attribute_set(row.color.as_deref());
    let retail = product.and_then(|p| match row.size.as_deref() {
        Some(s) => p.retail_for_size(s, currency),
        None => p.retail(currency),
    });
    ItemDraft {
        description: join_words([Some(name), row.color.as_deref(), row.size.as_deref()]),
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

/// Items that match `row` by code (any archived state).
fn code_matches<'a>(catalog: &'a Catalog, key: &CodeKey) -> Vec<&'a KnownItem> {
    catalog.items.iter().filter(|i| i.code_keys().any(|k| &k == key)).collect()
}

/// Items that match a code-less `row` by vendor number or manufacturer SKU, with how.
fn sku_matches<'a>(catalog: &'a Catalog, row: &OrderRow, vendor: Option<VendorId>) -> Vec<(&'a KnownItem, SkuVia)> {
    let size = row.size.as_deref().unwrap_or("");
    catalog
        .items
        .iter()
        .filter_map(|i| {
            let by_vendor = match (vendor, row.brand_id.as_deref()) {
                (Some(v), Some(b)) => {
                    i.vendor_numbers.iter().any(|(iv, val)| *iv == v && val.trim() == b.trim()) && i.has_size(size)
                }
                _ => false,
            };
            if by_vendor {
                return Some((i, SkuVia::VendorNumber));
            }
            let by_sku = same_text(i.manufacturer_sku.as_deref(), &row.style_number)
                && !row.style_number.trim().is_empty()
                && i.has_color(row.color.as_deref())
                && i.has_size(size);
            by_sku.then_some((i, SkuVia::ManufacturerSku))
        })
        .collect()
}

fn resolve_row(row: &OrderRow, links: &Links, catalog: &Catalog, vendor: Option<VendorId>) -> RowStatus {
    let link = links.item(&row.key);
    let linked = link.and_then(|id| catalog.item(id));
    if let Some(item) = linked.filter(|i| !i.archived) {
        return RowStatus::Confirmed { item_id: item.id };
    }
    // Matches by code, else (no usable code) by SKU; the vanished linked item itself is not a
    // replacement for itself.
    let matches: Vec<(&KnownItem, Option<SkuVia>)> = match &row.code {
        Some(code) => code_matches(catalog, &code.key()).into_iter().map(|i| (i, None)).collect(),
        None => sku_matches(catalog, row, vendor).into_iter().map(|(i, v)| (i, Some(v))).collect(),
    };
    let matches: Vec<_> = matches.into_iter().filter(|(i, _)| Some(i.id) != link).collect();
    let live: Vec<_> = matches.iter().filter(|(i, _)| !i.archived).collect();
    if live.len() == 1 {
        let (item, via) = live[0];
        return match via {
            None => RowStatus::UpcMatch { item_id: item.id },
            Some(via) => RowStatus::SkuMatch { item_id: item.id, via: *via },
        };
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    if let Some(item) = linked {
        candidates.push(item.candidate());
    }
    candidates.extend(matches.iter().map(|(i, _)| i.candidate()));
    // Live candidates first, then by id.
    candidates.sort_by_key(|c| (c.archived, c.item_id));
    let reason = if live.len() > 1 {
        ChoiceReason::SeveralMatches
    } else if let Some(id) = link {
        ChoiceReason::LinkVanished { item_id: id, archived: linked.is_some() }
    } else if !matches.is_empty() {
        ChoiceReason::ArchivedOnly
    } else {
        return RowStatus::New;
    };
    RowStatus::NeedsChoice { reason, candidates, choice: None }
}

/// Computes the preview. `products` may be empty (names fall back to style numbers and no retail
/// prices are sent).
pub fn plan(
    order: &Order,
    products: &[Product],
    brand: &BrandContext,
    links: &Links,
    catalog: &Catalog,
) -> Result<Plan, PlanError> {
    let brand_name = brand_name(order, brand)?;
    let rows = order_rows(order);
    if rows.is_empty() {
        return Err(PlanError::NothingToExport);
    }
    let vendor = resolve_vendor(&brand_name, brand, links, catalog);
    let product = |id: &str| products.iter().find(|p| p.id == id);

    let mut plan_rows = Vec::with_capacity(rows.len());
    let mut product_plans: Vec<ProductPlan> = Vec::new();
    for row in &rows {
        let status = resolve_row(row, links, catalog, vendor.id());
        let p = product(&row.key.product_id);
        let draft = matches!(status, RowStatus::New | RowStatus::NeedsChoice { .. })
            .then(|| item_draft(row, p, &order.currency));
        if !product_plans.iter().any(|pp| pp.product_id == row.key.product_id) {
            let name = p.and_then(|p| p.name.clone());
            product_plans.push(ProductPlan {
                product_id: row.key.product_id.clone(),
                style_number: row.style_number.clone(),
                color: row.color.clone(),
                matrix: MatrixDraft {
                    description: join_words([Some(name.as_deref().unwrap_or(&row.style_number)), row.color.as_deref()]),
                    attribute_set: attribute_set(row.color.as_deref()),
                    cost: row.price,
                    retail: p.and_then(|p| p.retail(&order.currency)),
                },
                name,
                counts: Counts::default(),
            });
        }
        plan_rows.push(PlanRow {
            key: row.key.clone(),
            style_number: row.style_number.clone(),
            color: row.color.clone(),
            size: row.size.clone(),
            code: row.code.clone(),
            units: row.units,
            status,
            draft,
        });
    }
    let mut plan = Plan {
        order_id: order.id.clone(),
        order_number: order.order_number.clone(),
        currency: order.currency.as_str().to_string(),
        brand: brand_name,
        vendor,
        rows: plan_rows,
        products: product_plans,
        counts: Counts::default(),
    };
    plan.recount();
    Ok(plan)
}
