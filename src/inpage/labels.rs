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
};
