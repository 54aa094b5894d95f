//! The export preview: which vendor, and for every size row which item — computed without I/O.
//!
//! Two phases:
//!
//! 1. **Declare the reads.** [`lookups_needed`] says everything a preview reads from Lightspeed
//!    for an order, as plain data ([`Lookups`], a list of [`Read`]s): vendor by link /
//!    `b2bSellerUID` / name, linked items by id, items by code in `IN` batches of ≤ 100, items by
//!    vendor number / manufacturer SKU, the existing-PO check. The runner's one executor fetches
//!    them; a second, dependent round ([`Lookups::for_vanished_links`]) adds the code/SKU lookups
//!    for rows whose linked item has vanished or been archived (a healthy repeat order needs no
//!    code lookups at all).
//! 2. **Decide.** The runner puts every record it found into a [`Catalog`] and calls [`plan`],
//!    which applies issue 5's rules:
//!
//!    - **Vendor** ([`VendorPlan`]): the brand is the order's `__brand_name`, else the page's
//!      brand ([`BrandContext`]). Found through a saved link (live vendor with that id), else a
//!      live vendor whose `b2bSellerUID` is the brand's NuORDER id, else a live vendor whose name
//!      is exactly the brand (trimmed; lowest id wins), else one whose name is the brand in another
//!      case (`HARBOR GOODS`: Lightspeed's `name=` lookup finds it, and a second vendor for the
//!      brand would split its POs and items); else new with that name. Archived vendors
//!      are never used (a PO needs a live vendor).
//!    - **Rows**: every size row with quantity > 0, keyed by product `_id` + size ([`RowKey`]);
//!      rows with the same key (a product listed twice) are one plan row with summed units; one
//!      product's size name given to rows with different codes is keyed by name and code, each
//!      its own row ([`keyed_size_rows`], the one key rule of the plan and the PO). A
//!      code the order gives to two sizes or colors (the brand's data error) identifies neither:
//!      those rows count as rows without a usable code, each its own item.
//!      Exactly one [`RowStatus`]:
//!      *Confirmed* (the linked item is present and live);
//!      *UpcMatch* (usable code, exactly one live item with the same code in `upc` or `ean`);
//!      *SkuMatch* (no usable code, exactly one live item whose vendor number for this vendor is
//!      the product's `brand_id` and whose size attribute is the size, or whose `manufacturerSku`
//!      is the style number and whose color and size attributes match);
//!      *New* (nothing matches: an item draft, grouped into one matrix per product, or joining
//!      the live matrix its matched sizes are in: module `joins`);
//!      *NeedsChoice* (several live matches; only archived matches; or the linked item vanished or
//!      was archived and no single live item replaces it — **a vanished link is never silently
//!      recreated**).
//!
//! The [`Plan`] is serde (it crosses the extension's message boundary) and records the user's
//! choices for *NeedsChoice* rows ([`Plan::choose`]). Size and color attributes compare
//! case-insensitively, ignoring surrounding spaces. The dialog lists each row in one [`Tab`].
//!
//! Files: `keys` (row keys, links, brand), `lookups` (the read declaration and the catalog),
//! `matching` (vendor and row rules), `drafts` (what would be created), `joins` (the live matrix
//! a product's new items join), this file (the plan).

mod drafts;
mod joins;
mod keys;
mod lookups;
mod matching;

pub use drafts::{ItemDraft, MatrixDraft, MAX_DESCRIPTION_CHARS};
pub use keys::{brand_name, check_exportable, keyed_size_rows, row_key, BrandContext, Links, PlanError, RowKey};
pub use lookups::{lookups_needed, Catalog, KnownItem, KnownVendor, Lookups, PoCheck, Read};
pub use matching::{
    resolve_vendor, Candidate, Choice, ChoiceReason, Resolved, RowStatus, SkuVia, VendorPlan, VendorVia,
};

use super::codes::Code;
use crate::lightspeed::{ItemId, ItemMatrixId};
use crate::nuorder::model::{CurrencyCode, Order, Product};
use drafts::{item_draft, matrix_draft};
use keys::order_rows;
use matching::resolve_row;
use serde::{Deserialize, Serialize};

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

    /// The "Matched items" tab: rows that use an existing item, and rows still waiting for a
    /// choice (the choice is made there). Counts the rows [`Plan::rows_in`]`(Tab::Matched)` lists.
    pub fn matched_tab(&self) -> usize {
        self.confirmed + self.upc_match + self.sku_match + self.needs_choice + self.chosen_existing
    }

    /// The "New items" tab: rows that create an item. Counts the rows
    /// [`Plan::rows_in`]`(Tab::New)` lists.
    pub fn new_tab(&self) -> usize {
        self.new + self.chosen_new
    }

    /// How many rows `tab` lists.
    pub fn in_tab(&self, tab: Tab) -> usize {
        match tab {
            Tab::Matched => self.matched_tab(),
            Tab::New => self.new_tab(),
        }
    }

    /// The tab the dialog opens on: Matched items (where a row waiting for a choice is chosen
    /// for), unless that tab is empty and New items is not, as on a brand's first order, whose
    /// items are all new.
    pub fn first_tab(&self) -> Tab {
        if self.matched_tab() == 0 && self.new_tab() > 0 {
            Tab::New
        } else {
            Tab::Matched
        }
    }
}

/// The export dialog's two tabs. A row is in exactly one ([`Tab::of`]); [`Counts::matched_tab`]
/// and [`Counts::new_tab`] count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    /// Rows that use an existing item or still wait for a choice.
    Matched,
    /// Rows that create an item (*New*, or *NeedsChoice* resolved to "create new").
    New,
}

impl Tab {
    /// The tab a row with this status is listed in.
    pub fn of(status: &RowStatus) -> Tab {
        match status.resolved() {
            Resolved::Create => Tab::New,
            Resolved::Existing(_) | Resolved::Unresolved => Tab::Matched,
        }
    }

    /// The tab's label in the dialog, with the number of rows it lists: `Matched items (3)`.
    pub fn label(self, counts: &Counts) -> String {
        let name = match self {
            Tab::Matched => "Matched items",
            Tab::New => "New items",
        };
        format!("{name} ({})", counts.in_tab(self))
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
    /// The live matrix the product's new items join instead of [`Self::matrix`] (module `joins`):
    /// the one the product's matched items are in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joins: Option<ItemMatrixId>,
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

impl ChoiceError {
    /// What the dialogs tell the user: the error's own text names rows and items by their ids,
    /// which is the command line's language (its `--choose` takes them), not a merchant's.
    pub fn advice(&self) -> &'static str {
        match self {
            ChoiceError::Archived { .. } => "That item is archived in Lightspeed, which refuses archived items on purchase orders. Choose another item or \"Create a new item\".",
            _ => "The preview changed since this choice was made. Close the dialog, open it again from the order and choose again.",
        }
    }
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

    /// The rows listed in `tab`, in plan order (the dialog's one partition rule).
    pub fn rows_in(&self, tab: Tab) -> impl Iterator<Item = &PlanRow> + '_ {
        self.rows.iter().filter(move |r| Tab::of(&r.status) == tab)
    }

    /// What each row resolves to.
    pub fn resolution(&self, key: &RowKey) -> Option<Resolved> {
        self.row(key).map(|r| r.status.resolved())
    }

    pub(crate) fn recount(&mut self) {
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

/// Computes the preview, new items priced in the order's currency. `products` may be empty
/// (names fall back to style numbers, and retail to the lines' `retail_string`).
pub fn plan(
    order: &Order,
    products: &[Product],
    brand: &BrandContext,
    links: &Links,
    catalog: &Catalog,
) -> Result<Plan, PlanError> {
    plan_in(order, (products, None), brand, links, catalog)
}

/// [`plan`] for a store whose currency is `store` (the Lightspeed account's, when known): a new
/// item's retail is the brand's price in the store's currency where the product gives one, else
/// in the order's (the currency warning says which amounts stay in the order's).
pub fn plan_in(
    order: &Order,
    (products, store): (&[Product], Option<&CurrencyCode>),
    brand: &BrandContext,
    links: &Links,
    catalog: &Catalog,
) -> Result<Plan, PlanError> {
    let brand_name = brand_name(order, brand)?;
    let retail_in: Vec<&CurrencyCode> = store.into_iter().chain([&order.currency]).collect();
    check_exportable(order)?;
    let rows = order_rows(order);
    let vendor = resolve_vendor(&brand_name, brand, links, catalog);
    let product = |id: &str| products.iter().find(|p| p.id == id);
    let mut plan_rows = Vec::with_capacity(rows.len());
    let mut product_plans: Vec<ProductPlan> = Vec::new();
    for row in &rows {
        let status = resolve_row(row, links, catalog, vendor.id());
        let p = product(&row.key.product_id);
        if !product_plans.iter().any(|pp| pp.product_id == row.key.product_id) {
            product_plans.push(ProductPlan {
                product_id: row.key.product_id.clone(),
                style_number: row.style_number.clone(),
                color: row.color.clone(),
                matrix: matrix_draft(row, p, &retail_in),
                name: p.and_then(|p| p.name.clone()),
                joins: None,
                counts: Counts::default(),
            });
        }
        let draft =
            matches!(status, RowStatus::New | RowStatus::NeedsChoice { .. }).then(|| item_draft(row, p, &retail_in));
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
    for p in &mut product_plans {
        p.joins = matrix_to_join(&p.product_id, &mut plan_rows, catalog);
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

/// The live matrix `product`'s new items join (module `joins`), from what its rows matched.
fn matrix_to_join(product: &str, rows: &mut [PlanRow], catalog: &Catalog) -> Option<ItemMatrixId> {
    let matched: Vec<&KnownItem> = rows
        .iter()
        .filter(|r| r.key.product_id == product)
        .filter_map(|r| match r.status.resolved() {
            Resolved::Existing(id) => catalog.item(id),
            _ => None,
        })
        .collect();
    let mut drafts: Vec<&mut ItemDraft> =
        rows.iter_mut().filter(|r| r.key.product_id == product).filter_map(|r| r.draft.as_mut()).collect();
    joins::matrix_to_join(&matched, &mut drafts, catalog)
}
