//! What a dialog shows of the export engine's plan: [`PlanView`] (the vendor's name, the counts,
//! the rows) and [`RowView`] (a row's names, units and status), in the export dialog's tabs, the
//! review's added sizes and a batch order's rows that need a choice. Not the rows' codes and
//! drafts, nor the vendor's id: the core keeps the plan (it stores the previewed one) and the
//! dialog reads only what it renders (`dialog_read`, by hand: issue 17).

use crate::core::rows::RowKey;
use crate::export::plan::{Counts, Plan, PlanRow, RowStatus};
use serde::{Deserialize, Serialize};

/// What the dialog shows of a [`Plan`]: its vendor, its counts and its rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanView {
    /// The vendor the PO will be made for, as the user confirms it: the Lightspeed vendor's name
    /// when one matched (by the link, the page's seller id or the name), else the brand's (a new
    /// vendor). The page's brand id can pick the vendor, so the user sees which.
    pub vendor: String,
    pub counts: Counts,
    pub rows: Vec<RowView>,
}

impl From<&Plan> for PlanView {
    fn from(plan: &Plan) -> PlanView {
        let name = plan.vendor.name();
        let vendor = if name.trim().is_empty() { &plan.brand } else { name }.to_string();
        PlanView { vendor, counts: plan.counts, rows: plan.rows.iter().map(RowView::from).collect() }
    }
}

/// What a dialog shows of a [`PlanRow`] (the export's tabs, the review's added sizes, a batch
/// order's rows that need a choice): its names, units and status, with the candidates of a row
/// that needs a choice. Not its code or draft, which only the export uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowView {
    pub key: RowKey,
    pub style_number: String,
    pub color: Option<String>,
    pub size: Option<String>,
    pub units: u64,
    pub status: RowStatus,
}

impl From<&PlanRow> for RowView {
    fn from(row: &PlanRow) -> RowView {
        RowView {
            key: row.key.clone(),
            style_number: row.style_number.clone(),
            color: row.color.clone(),
            size: row.size.clone(),
            units: row.units,
            status: row.status.clone(),
        }
    }
}
