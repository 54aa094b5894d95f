//! Matching: the vendor ([`resolve_vendor`]) and every size row ([`RowStatus`]) against what the
//! lookups found (see the [module docs](super) for the rules).

use super::keys::{BrandContext, Links, OrderRow};
use super::lookups::{Catalog, KnownItem};
pub use crate::core::rows::Choice;
use crate::core::sorted;
use crate::core::tagged::internal_enum;
use crate::core::text::folded;
use crate::export::codes::CodeKey;
use crate::lightspeed::{ItemAttributeSetId, ItemId, VendorId};
use serde::{Deserialize, Serialize};

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
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum VendorPlan {
    Existing { id: VendorId, name: String, via: VendorVia },
    New { name: String },
}
internal_enum!(VendorPlan, "status");

impl VendorPlan {
    pub fn id(&self) -> Option<VendorId> {
        match self {
            VendorPlan::Existing { id, .. } => Some(*id),
            VendorPlan::New { .. } => None,
        }
    }

    /// The vendor's name: Lightspeed's for an existing one, the brand's for a new one.
    pub fn name(&self) -> &str {
        match self {
            VendorPlan::Existing { name, .. } | VendorPlan::New { name } => name,
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
    let named = |same: &dyn Fn(&str) -> bool| live().filter(|v| same(v.name.trim())).min_by_key(|v| v.id);
    let brand_folded = folded(brand);
    if let Some(v) = named(&|n| n == brand).or_else(|| named(&|n| folded(n) == brand_folded)) {
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
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum ChoiceReason {
    /// Several live items match.
    SeveralMatches,
    /// Only archived items match.
    ArchivedOnly,
    /// The item an earlier export linked is gone or archived (perhaps merged away), and no
    /// single live item replaces it.
    LinkVanished { item_id: ItemId, archived: bool },
}
internal_enum!(ChoiceReason, "kind");

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

/// A row's status in the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum RowStatus {
    Confirmed { item_id: ItemId },
    UpcMatch { item_id: ItemId },
    SkuMatch { item_id: ItemId, via: SkuVia },
    New,
    NeedsChoice { reason: ChoiceReason, candidates: Vec<Candidate>, choice: Option<Choice> },
}
internal_enum!(RowStatus, "status");

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

impl KnownItem {
    /// The size attribute: `attribute2` in the stock Color/Size and Size sets; in other sets
    /// (unknown names) any attribute may hold it.
    pub(super) fn has_size(&self, size: &str) -> bool {
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
    pub(super) fn has_color(&self, color: Option<&str>) -> bool {
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

    pub(super) fn candidate(&self) -> Candidate {
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
    match a {
        Some(a) => folded(a) == folded(b),
        None => b.trim().is_empty(),
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

pub(super) fn resolve_row(row: &OrderRow, links: &Links, catalog: &Catalog, vendor: Option<VendorId>) -> RowStatus {
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
    sorted::sort_by_key(&mut candidates, |c| (c.archived, c.item_id));
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
