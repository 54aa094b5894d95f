//! The words the in-page layer shows of its own (the badge's words come with each view from the
//! background). Both engines read them from the generated spec.

use serde::Serialize;

/// Words the in-page layer shows (the badge's own words come from `export::badge`).
#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    pub export_action: &'static str,
    pub extension_updated: &'static str,
    /// The detail page's field label.
    pub status_field: &'static str,
    /// The badge before the background answered.
    pub status_loading: &'static str,
    /// The badge when the background could not say (its error message becomes the detail line).
    pub status_unavailable: &'static str,
    pub retry: &'static str,
    /// The badge's button when the order changed since its export: opens the review.
    pub review: &'static str,
    /// Shown next to the action while the order is read from NuORDER.
    pub reading_order: &'static str,
    /// Shown when the action needs a linked account: the linking screen opens.
    pub link_note: &'static str,
    /// NuORDER answered 401 while reading the order.
    pub session_expired: &'static str,
    /// NuORDER refused or failed while reading the order.
    pub read_failed: &'static str,
    /// The background did not answer a message.
    pub no_answer: &'static str,
    /// The background's answer was not what this layer expects.
    pub bad_reply: &'static str,
    /// Logged (with the reason) when the tab's NuORDER session could not be reported.
    pub session_not_reported: &'static str,
    /// The bar's export action for one selected order.
    pub batch_export_one: &'static str,
    /// The bar's export action for `{n}` selected orders.
    pub batch_export_many: &'static str,
    /// The bar's "select every exportable row shown".
    pub select_all: &'static str,
    /// The bar's Cancel while a batch runs.
    pub batch_cancel: &'static str,
    /// The row checkbox's accessible name, with the order number for `{number}`.
    pub select_row: &'static str,
    /// The bar's count of selected orders, `{n}`.
    pub selected_count: &'static str,
    /// Shown in the bar while the selection's orders are read from NuORDER.
    pub reading_orders: &'static str,
    /// Shown when the selection reached `limits.max_batch`.
    pub batch_full: &'static str,
}

pub const LABELS: Labels = Labels {
    export_action: "Export order to POS",
    extension_updated: "PO Bridge was updated — reload the page",
    status_field: "Order Export Status",
    status_loading: "Checking export status…",
    status_unavailable: "Export status unavailable",
    retry: "Retry",
    review: "Review",
    reading_order: "Reading the order from NuORDER…",
    link_note: "No Lightspeed account is linked for this NuORDER buyer yet. PO Bridge's linking screen opens in a new tab: link an account there, then export.",
    session_expired: "Your NuORDER session has ended. Sign in to NuORDER again, then export.",
    read_failed: "PO Bridge could not read this order from NuORDER. Reload the page and try again.",
    no_answer: "PO Bridge's background did not answer. Try again in a moment.",
    bad_reply: "PO Bridge's background sent an answer this page does not understand. Reload the page.",
    session_not_reported: "could not report the NuORDER session",
    batch_export_one: "Export 1 order to POS",
    batch_export_many: "Export {n} orders to POS",
    select_all: "Select all not exported on this page",
    batch_cancel: "Cancel",
    select_row: "Select order #{number} for export",
    selected_count: "{n} selected",
    reading_orders: "Reading the selected orders from NuORDER…",
    batch_full: "A batch holds at most 50 orders: export these, then select the rest.",
};
