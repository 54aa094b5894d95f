//! The wire types of a batch (issue 19): many orders selected on the list, reviewed in one dialog
//! and exported as one job set. The rules behind them are `app::batch_flow`'s.

use super::{OrderStatusView, RowChoice, ShopView};
use crate::core::status::JobStatus;
use serde::{Deserialize, Serialize};

/// One order of the batch as the dialog lists it (`S`: the status as its reader keeps it, see
/// [`OrderStatusView`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchOrderView<S = JobStatus> {
    pub order_id: String,
    pub order_number: String,
    pub brand: String,
    pub units: u64,
    /// The order's total in its currency ("1,234.00 USD"); empty when unknown.
    pub total: String,
    pub matched: usize,
    pub new: usize,
    pub needs_choice: usize,
    /// Whether it can be part of the export now (ready plan, not exported yet).
    pub ready: bool,
    /// Whether it becomes ready once the user chooses for its rows that need a choice (not
    /// exported yet; only choices missing): the dialog offers *Choose…*.
    #[serde(default)]
    pub can_choose: bool,
    /// The rows that need a choice, when `can_choose`: `app::plan_view::RowView`s as JSON (as
    /// [`Response::Preview`](super::Response::Preview) carries its rows), shown with the export
    /// dialog's choosers.
    #[serde(default)]
    pub choice_rows: serde_json::Value,
    /// Why it is left out, when it is (needs a choice, already exported, cannot be planned).
    pub note: Option<String>,
    /// What to know before exporting it: its currency is not the Lightspeed account's
    /// (`app::dialog_text::currency_warning`).
    #[serde(default)]
    pub warning: Option<String>,
    pub status: OrderStatusView<S>,
}

/// The batch dialog's content: the orders, one location for all (the default preselected) and
/// the account's locations for the per-order override.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchView<S = JobStatus> {
    pub account_name: String,
    pub shops: Vec<ShopView>,
    pub default_shop_id: Option<String>,
    pub orders: Vec<BatchOrderView<S>>,
}

/// An order the user exports in the batch, and its location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchPick {
    pub order_id: String,
    pub shop_id: String,
    /// The user's choices for the order's rows that need one (checked by the core against the
    /// reviewed plan, as a single export's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<RowChoice>,
}

/// Where a running batch stands, for the list's bar: "3 of 12 exported", and what held the count
/// short ("· 1 failed", "· 2 cancelled": [`JobSet::label`](crate::export::batch::JobSet::label)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetView {
    pub set_id: String,
    pub label: String,
    pub done: usize,
    pub total: usize,
    /// Every order reached its end (exported, left, failed or cancelled).
    pub finished: bool,
    pub cancelled: bool,
}
