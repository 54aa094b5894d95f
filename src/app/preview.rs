//! The export dialog's content, as the background sends it and the dialog renders it. It lives here,
//! not in `protocol`, because its rows carry the export engine's `RowStatus`; the protocol's
//! `Response::Preview` holds it as JSON. The dialog gets what it shows of the plan ([`PlanView`]),
//! not the engine's `Plan`, and reads it by hand (`dialog_read`, issue 17).

use super::plan_view::PlanView;
use crate::core::status::JobStatus;
use crate::protocol::{ConnectView, OrderStatusView, ShopView};
use serde::{Deserialize, Serialize};

/// The export dialog's content (`S`: the status as its reader keeps it, see [`OrderStatusView`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewView<S = JobStatus> {
    pub order_id: String,
    pub order_number: String,
    pub currency: String,
    /// The order's currency is not the Lightspeed account's ([`super::dialog_text::currency_warning`]).
    pub currency_warning: Option<String>,
    /// The shipping address, one line per entry.
    pub shipping_address: Vec<String>,
    pub account_name: String,
    pub shops: Vec<ShopView>,
    pub default_shop_id: Option<String>,
    pub plan: PlanView,
    /// Units and cost of the PO-to-be (price × quantity, after the order discount), as text.
    pub total_units: u64,
    pub total_cost: String,
    /// The order's export status (already exported, in progress…).
    pub status: OrderStatusView<S>,
}

impl PreviewView {
    /// The reply carrying this view.
    pub fn into_response(self) -> crate::protocol::Response {
        crate::protocol::Response::Preview(serde_json::to_value(self).unwrap_or_default())
    }
}

/// What the dialog shows for its capability: the order's preview, or the Connect step. (Built
/// once per request and serialized at once: boxing the preview would only burden the matches.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum DialogView {
    Preview(PreviewView),
    Connect(ConnectView),
    /// The review of an exported order that changed since (issue 18).
    Review(super::review::ReviewView),
}

impl DialogView {
    /// The reply carrying this view.
    pub fn into_response(self) -> crate::protocol::Response {
        match self {
            DialogView::Preview(p) => p.into_response(),
            DialogView::Connect(c) => crate::protocol::Response::Connect(c),
            DialogView::Review(r) => r.into_response(),
        }
    }
}
