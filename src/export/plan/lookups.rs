//! Lookups: what a preview reads from Lightspeed ([`Lookups`], declared here, fetched by the
//! runner's one executor) and what those reads found ([`Catalog`]).

use super::super::codes::{code_batches, in_batches, CodeBatch, CodeKey};
use super::super::markers::{bare_number, ref_num};
use super::keys::{brand_name, check_exportable, order_rows, BrandContext, Links, OrderRow, PlanError};
use crate::lightspeed::{ItemAttributeSetId, ItemId, ItemMatrixId, VendorId};
use crate::nuorder::model::Order;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What a preview reads from Lightspeed before [`plan`](super::plan), as plain data: the plan
/// declares it ([`lookups_needed`]), the runner's one executor fetches every [`Read`] of it
/// ([`Lookups::reads`]) into a [`Catalog`], then [`plan`](super::plan) decides. Every item query
/// asks for `archived=true` (archived items are reported, never duplicated) and
/// `load_relations=["ItemAttributes","ItemVendorNums"]`.
///
/// **At most two rounds.** Round 1 ([`lookups_needed`]) holds every read the order and the saved
/// links name: the vendor, the linked items, the code/SKU lookups of unlinked rows and the
/// existing-PO check; its reads are independent of each other. Round 2
/// ([`Lookups::for_vanished_links`]) depends on round 1: only once the linked items are in hand is
/// it known which of them vanished or were archived, and only those rows need code/SKU lookups
/// for a replacement. (Declaring those lookups in round 1 for every linked row would cost every
/// healthy repeat order a code query per row; a healthy repeat order needs none, and its round 2
/// is empty.)
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lookups {
    /// The vendor saved for this brand (`GET Vendor/{id}.json`), if any.
    pub vendor_id: Option<VendorId>,
    /// `Vendor.json?b2bSellerUID=…`, when the page gave the brand's NuORDER id.
    pub seller_uid: Option<String>,
    /// `Vendor.json?name=…` (exact); empty in round 2.
    pub vendor_name: String,
    /// `Item.json?itemID=IN,[…]`: linked items, batches of ≤ 100.
    pub item_ids: Vec<Vec<ItemId>>,
    /// `Item.json?itemCode=IN,[…]` (`upc` or `ean`): batches of ≤ 100 code forms.
    pub codes: Vec<CodeBatch>,
    /// `Item.json?ItemVendorNums.value=IN,[…]`: `brand_id`s of code-less rows.
    pub vendor_numbers: Vec<Vec<String>>,
    /// `Item.json?manufacturerSku=IN,[…]`: style numbers of code-less rows.
    pub manufacturer_skus: Vec<Vec<String>>,
    /// The existing-PO check (round 1 only): a PO marked with this order number.
    pub existing_po: Option<PoCheck>,
}

/// The existing-PO check of an order, archived included: its two markers. The preview asks
/// `b2bOrderNumber` ([`Read::ExistingPo`]); the job, before its first write, asks `refNum`
/// (`runner::exported`: why each marker is asked once per export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoCheck {
    /// `NuORDER <n>` ([`ref_num`]).
    pub ref_num: String,
    /// The bare order number ([`bare_number`]).
    pub b2b_order_number: String,
}

impl PoCheck {
    pub fn of(order_number: &str) -> PoCheck {
        PoCheck { ref_num: ref_num(order_number), b2b_order_number: bare_number(order_number).to_string() }
    }
}

/// One read of a preview (a `GET`; see [`Lookups`] for what every item read adds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// `Vendor/{id}.json`; a 404 means "not found", not an error.
    VendorById(VendorId),
    /// `Vendor.json?b2bSellerUID=…` (trimmed), archived included.
    VendorsBySellerUid(String),
    /// `Vendor.json?name=…`, archived included.
    VendorsByName(String),
    /// POs marked with this order: `Order.json?b2bOrderNumber=IN,["n"]&archived=true`, which
    /// NuORDER's own integration writes and every PO Bridge PO carries too.
    ExistingPo(PoCheck),
    /// `Item.json?itemID=IN,[…]`.
    ItemsById(Vec<ItemId>),
    /// `Item.json?itemCode=IN,[…]` (`upc` or `ean`).
    ItemsByCode(CodeBatch),
    /// `Item.json?ItemVendorNums.value=IN,[…]`.
    ItemsByVendorNumber(Vec<String>),
    /// `Item.json?manufacturerSku=IN,[…]`.
    ItemsByManufacturerSku(Vec<String>),
}

impl Lookups {
    /// True when no item query is needed.
    pub fn no_item_queries(&self) -> bool {
        self.item_ids.is_empty()
            && self.codes.is_empty()
            && self.vendor_numbers.is_empty()
            && self.manufacturer_skus.is_empty()
    }

    /// Every read of this round, in a fixed order: vendor (link, seller uid, name), the
    /// existing-PO check, then items (ids, codes, vendor numbers, manufacturer SKUs). The reads
    /// do not depend on each other: the executor may run them at once.
    pub fn reads(&self) -> Vec<Read> {
        let mut reads: Vec<Read> = self.vendor_id.map(Read::VendorById).into_iter().collect();
        let uid = self.seller_uid.as_deref().map(str::trim).filter(|u| !u.is_empty());
        reads.extend(uid.map(|u| Read::VendorsBySellerUid(u.to_string())));
        if !self.vendor_name.is_empty() {
            reads.push(Read::VendorsByName(self.vendor_name.clone()));
        }
        reads.extend(self.existing_po.clone().map(Read::ExistingPo));
        reads.extend(self.item_ids.iter().cloned().map(Read::ItemsById));
        reads.extend(self.codes.iter().cloned().map(Read::ItemsByCode));
        reads.extend(self.vendor_numbers.iter().cloned().map(Read::ItemsByVendorNumber));
        reads.extend(self.manufacturer_skus.iter().cloned().map(Read::ItemsByManufacturerSku));
        reads
    }

    /// The second round: code and SKU lookups for linked rows whose item is missing from
    /// `catalog` or archived (so that a single live replacement can be found). Empty when every
    /// link is healthy. Vendor fields and the existing-PO check are left empty (round 1 has them).
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

/// Round 1 for `order`: vendor, linked items, codes/SKUs of unlinked rows, the existing-PO check.
pub fn lookups_needed(order: &Order, brand: &BrandContext, links: &Links) -> Result<Lookups, PlanError> {
    let name = brand_name(order, brand)?;
    check_exportable(order)?;
    let rows = order_rows(order);
    let mut l = Lookups {
        vendor_id: links.vendor(&name),
        seller_uid: brand.seller_uid.clone(),
        vendor_name: name,
        item_ids: in_batches(rows.iter().filter_map(|r| links.item(&r.key))),
        existing_po: Some(PoCheck::of(&order.order_number)),
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
