//! The export dialog's preview and review as it reads them, from the JSON that
//! `Response::Preview` and `Response::Review` carry, by hand ([`FromWire`]), as the protocol's
//! `dialog_read` reads the replies around them: no serde decoder in the dialog's wasm (issue 17).
//! The dialog keeps each order's status as the JSON it was sent (it shows the badge, which the
//! background computed). Names of unit variants (a way of matching, a review's state) are read by
//! their serde derive, so each is spelled once. The tests below read what the core writes, both
//! ways, and compare.

use super::plan_view::{PlanView, RowView};
use super::preview::PreviewView;
use super::review::{ReviewLine, ReviewView};
use crate::export::plan::{Candidate, ChoiceReason, Counts, RowStatus};
use crate::protocol::{field, named, FromWire};
use serde_json::Value;

impl FromWire for PreviewView<Value> {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(PreviewView {
            order_id: field(v, "order_id")?,
            order_number: field(v, "order_number")?,
            currency: field(v, "currency")?,
            currency_warning: field(v, "currency_warning")?,
            shipping_address: field(v, "shipping_address")?,
            account_name: field(v, "account_name")?,
            shops: field(v, "shops")?,
            default_shop_id: field(v, "default_shop_id")?,
            plan: field(v, "plan")?,
            total_units: field(v, "total_units")?,
            total_cost: field(v, "total_cost")?,
            status: field(v, "status")?,
        })
    }
}

impl FromWire for PlanView {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(PlanView { vendor: field(v, "vendor")?, counts: field(v, "counts")?, rows: field(v, "rows")? })
    }
}

impl FromWire for Counts {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(Counts {
            confirmed: field(v, "confirmed")?,
            upc_match: field(v, "upc_match")?,
            sku_match: field(v, "sku_match")?,
            new: field(v, "new")?,
            needs_choice: field(v, "needs_choice")?,
            chosen_existing: field(v, "chosen_existing")?,
            chosen_new: field(v, "chosen_new")?,
        })
    }
}

impl FromWire for RowView {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(RowView {
            key: field(v, "key")?,
            style_number: field(v, "style_number")?,
            color: field(v, "color")?,
            size: field(v, "size")?,
            units: field(v, "units")?,
            status: field(v, "status")?,
        })
    }
}

/// Tagged by `status` (`internal_enum!`): `{"status": "sku_match", "item_id": "5", "via": …}`.
impl FromWire for RowStatus {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(match v.get("status")?.as_str()? {
            "confirmed" => RowStatus::Confirmed { item_id: field(v, "item_id")? },
            "upc_match" => RowStatus::UpcMatch { item_id: field(v, "item_id")? },
            "sku_match" => RowStatus::SkuMatch { item_id: field(v, "item_id")?, via: named(v.get("via")?)? },
            "new" => RowStatus::New,
            "needs_choice" => RowStatus::NeedsChoice {
                reason: field(v, "reason")?,
                candidates: field(v, "candidates")?,
                choice: field(v, "choice")?,
            },
            _ => return None,
        })
    }
}

/// Tagged by `kind`: `several_matches`, `archived_only`, `link_vanished` with its item.
impl FromWire for ChoiceReason {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(match v.get("kind")?.as_str()? {
            "several_matches" => ChoiceReason::SeveralMatches,
            "archived_only" => ChoiceReason::ArchivedOnly,
            "link_vanished" => {
                ChoiceReason::LinkVanished { item_id: field(v, "item_id")?, archived: field(v, "archived")? }
            }
            _ => return None,
        })
    }
}

impl FromWire for Candidate {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(Candidate {
            item_id: field(v, "item_id")?,
            description: field(v, "description")?,
            upc: field(v, "upc")?,
            ean: field(v, "ean")?,
            manufacturer_sku: field(v, "manufacturer_sku")?,
            archived: field(v, "archived")?,
        })
    }
}

impl FromWire for ReviewView<Value> {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(ReviewView {
            order_id: field(v, "order_id")?,
            order_number: field(v, "order_number")?,
            account_name: field(v, "account_name")?,
            po_number: field(v, "po_number")?,
            state: named(v.get("state")?)?,
            headline: field(v, "headline")?,
            lines: field(v, "lines")?,
            added_rows: field(v, "added_rows")?,
            header: field(v, "header")?,
            conflicts: field(v, "conflicts")?,
            notes: field(v, "notes")?,
            can_update: field(v, "can_update")?,
            archive_offered: field(v, "archive_offered")?,
            status: field(v, "status")?,
            // `#[serde(default)]`: absent or `null` is none.
            failure: field(v, "failure")?,
        })
    }
}

impl FromWire for ReviewLine {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(ReviewLine {
            change: field(v, "change")?,
            label: field(v, "label")?,
            item: field(v, "item")?,
            text: field(v, "text")?,
        })
    }
}

#[cfg(test)]
#[path = "dialog_read_tests.rs"]
mod tests;
