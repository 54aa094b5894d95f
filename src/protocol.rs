//! The message protocol between the content script, the extension pages and the background worker.
//!
//! Every message is a versioned envelope `{v, id, req:{type, data}}`; every answer is
//! `{v, id, ok}` or `{v, id, err:{code, message, retryable}}`. The background decodes with
//! [`decode_envelope`], which never panics and always yields an answer to send back.

use crate::core::accounts::{LightspeedAccount, NuorderAccount, Region};
use crate::core::rows::{Choice, RowKey};
use crate::core::status::{BadgeView, JobStatus};
use serde::{Deserialize, Serialize};

mod errors;
mod tagged;
// On the wire each is `{"type": "<variant>", "data": <payload>}` (`tagged`: one decoder per variant).
// A variant added to any of them needs nothing more. Their derives are `remote = "Self"`, so the
// paths `Request::deserialize` / `Request::serialize` name serde's externally tagged form: use
// `serde_json::from_value` / `to_value` (or the traits) for the wire form.
tagged::wire_enum!(Request, deny_unknown_fields);
tagged::wire_enum!(Response);
tagged::wire_enum!(Event);
pub use errors::{ErrorCode, NextStep, ProtocolError};
mod batch;
pub use batch::{BatchOrderView, BatchPick, BatchView, SetView};
mod page;
pub use page::{AnchorCheck, DetailSnapshot, OrderRead, OrderReads, PageBrand, PageReading, PageSnapshot};
mod views;
pub use views::{PageEvent, PageRequest, PageStatusView};
mod page_read;
pub use page_read::{field, named, reply, FromWire};
mod ui_replies;
pub use ui_replies::{DialogReply, PopupReply};
mod ui_requests;
pub use ui_requests::UiRequest;
mod dialog_read;
mod popup_read;

/// The protocol version this build speaks. A message with another `v` is refused with
/// [`ErrorCode::UnsupportedVersion`] so that an old tab talking to an updated worker says so.
pub const PROTOCOL_VERSION: u32 = 1;

/// The largest message the background accepts, in bytes of JSON.
pub const MAX_MESSAGE_BYTES: usize = 4 * 1024 * 1024;

/// A request as it travels (`R`: a [`Request`], or the [`PageRequest`] an in-page layer sends,
/// the same on the wire).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope<R = Request> {
    pub v: u32,
    pub id: String,
    pub req: R,
}

impl Envelope<serde_json::Value> {
    /// The envelope as the `Value` `serde_json::to_value` makes of it, built by hand: the modules
    /// that send a request already written as its wire `Value` (`PageRequest::to_wire`,
    /// `UiRequest::to_wire`) then carry no `Value` serializer (issue 17).
    pub fn into_wire(self) -> serde_json::Value {
        let mut wire = serde_json::Map::new();
        wire.insert("v".into(), self.v.into());
        wire.insert("id".into(), self.id.into());
        wire.insert("req".into(), self.req);
        serde_json::Value::Object(wire)
    }
}

/// What a context may ask the background to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// A liveness round trip; `from` names the asking context (for logs and tests).
    Ping {
        from: String,
    },
    /// The Linked accounts screen. `active_tab_id`: the tab the popup was opened over, to say which
    /// link that NuORDER tab uses.
    GetAccounts {
        active_tab_id: Option<i64>,
    },
    /// Authorise a Lightspeed account (OAuth 2.0 + PKCE through the browser's identity flow).
    LinkLightspeed {
        interactive: bool,
    },
    /// Link the NuORDER buyer signed in on a NuORDER tab (the given one, else the most recent) to a
    /// Lightspeed account.
    LinkNuorderBuyer {
        account_id: String,
        tab_id: Option<i64>,
    },
    /// Revoke and forget a Lightspeed account (its buyer links go too; export history stays).
    Unlink {
        account_id: String,
    },
    /// The account's active shops (archived ones left out), fresh from Lightspeed.
    GetShops {
        account_id: String,
    },
    SetDefaultShop {
        account_id: String,
        shop_id: String,
    },
    SetRegion {
        account_id: String,
        region: Region,
    },
    /// A content script reports who is signed in on its NuORDER tab: the raw answer of NuORDER's
    /// session call (`nuorder::pages::api::SESSION_ME`), validated by the background; `null` when
    /// that call answered that the session ended (the tab is then nobody's).
    ReportNuorderSession {
        session: serde_json::Value,
    },
    /// A content script hands over an order read from NuORDER's API with the page's session: the
    /// raw order document, its products' documents, and the brand shown in the page's brand
    /// switcher. The background validates it with the order model and keeps the snapshot for the
    /// export dialog.
    StageOrder {
        order: serde_json::Value,
        products: Vec<serde_json::Value>,
        brand: PageBrand,
    },
    /// The export status of orders shown on a page (a list page asks for all its rows at once),
    /// with what list rows show of their orders (untrusted page text): an exported order whose row
    /// shows figures its PO was not made from turns *Changed since export* (issue 18).
    GetExportStatus {
        orders: Vec<OrderRef>,
        #[serde(default)]
        shown: Vec<ShownRow>,
    },
    /// The order document a content script read on the order's page (the detail page reads it
    /// when it opens): the background compares it with what the order's PO was made from and
    /// answers its status ([`Response::Statuses`]), *Changed since export* when it moved.
    ObserveOrder {
        order: serde_json::Value,
    },
    /// The export dialog's content for the order its capability names (`app::capability`):
    /// order #, vendor, account, address, shops, the plan.
    PreviewExport {
        cap: String,
    },
    /// Export a staged order to a shop, with the user's choices for rows that needed one. Only
    /// from the dialog (an extension page), with the capability of its tab and order; spends it.
    StartExport {
        order_id: String,
        shop_id: String,
        choices: Vec<RowChoice>,
        cap: String,
    },
    /// *Update PO* in the review of an exported order that changed (issue 18): bring its PO up to
    /// the order. Only from the dialog (an extension page), with the capability of its tab and
    /// order, which it spends; `archive`: archive the PO of an order cancelled in NuORDER;
    /// `choices`: the user's choices for added sizes that needed one.
    StartUpdate {
        order_id: String,
        archive: bool,
        choices: Vec<RowChoice>,
        cap: String,
    },
    /// Retry a failed export (it resumes from its journal). Only from extension pages: the dialog
    /// (with its capability, which it spends) or the popup's history (none: the toolbar popup is
    /// no page's to frame).
    RetryExport {
        order_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cap: Option<String>,
    },
    /// The dialog's Connect step (the tab's buyer has no Lightspeed account yet): link one through
    /// the consent window, link the buyer to it, and re-issue the dialog's capability for it. Only
    /// from the dialog, with its capability (spent; the answer is `Connected` with the new path).
    ConnectLightspeed {
        cap: String,
    },
    /// The export dialog asks to be closed (the background tells the tab that shows it).
    CloseDialog,
    /// Open the popup's linking screen in a tab (from an in-page action when nothing is linked).
    OpenLinking,
    /// Recent exports, newest first, for the popup.
    GetHistory,
    /// A content script reports its page once it has settled: its path and the names of the
    /// anchors that matched nothing (the popup's *This page*, issue 20).
    ReportPage {
        path: String,
        missing: Vec<String>,
    },
    /// The popup's *This page*: the tab it is over (`active_tab_id`; `own_tab_id` when the popup
    /// is itself a tab) and the browser's user agent, for the diagnostic (only its name and major
    /// version are kept).
    GetTabPage {
        active_tab_id: Option<i64>,
        own_tab_id: Option<i64>,
        user_agent: String,
    },
    /// The popup's *Export this order*: the background asks the tab's in-page layer to read and
    /// stage the order of the detail page it reported, as a click on its action would.
    ExportFromPopup {
        tab_id: i64,
    },
    /// The in-page JS fallback asks the core to read what it found on a page (the wasm engine calls
    /// `inpage::read_page` in place): page kind, order numbers, API paths, anchors to check.
    ReadPage(PageSnapshot),
    /// The in-page JS fallback asks which documents to read for an order document it read (the
    /// wasm engine calls `inpage::order_reads` in place).
    OrderReads {
        order: serde_json::Value,
        brand: PageBrand,
    },
    /// A content script hands over one order of a selection (as [`Request::StageOrder`], without
    /// opening a dialog): answers `Staged` with an empty `dialog`.
    StageBatchOrder {
        order: serde_json::Value,
        products: Vec<serde_json::Value>,
        brand: PageBrand,
    },
    /// The selection's orders (each staged by this tab) are ready: issue the batch dialog's
    /// capability for the set (tab, orders, account). Answers `Staged` with the dialog's path.
    OpenBatch {
        order_ids: Vec<String>,
    },
    /// Start the batch the dialog's capability names with these orders and locations. Only from
    /// the dialog; spends the capability. Answers `Set`.
    StartBatch {
        cap: String,
        orders: Vec<BatchPick>,
    },
    /// The list's bar: no further order of this batch starts (a started one finishes).
    CancelBatch {
        set_id: String,
    },
    /// The in-page layer on load: the batch its tab started that still runs, if any (the bar
    /// shows it at once after a reload). Answers `RunningBatch`.
    GetBatch,
}

/// An order as a page knows it: its number always, its `_id` when the page has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderRef {
    pub order_id: Option<String>,
    pub order_number: String,
}

/// What an orders-list row shows of its order, as the page's text (untrusted: the core parses and
/// bounds it, `app::made_from`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShownRow {
    pub order_number: String,
    /// The Total cell (`$1,280.00`).
    pub total: Option<String>,
    /// The status cell (`approved`).
    pub status: Option<String>,
}

/// The user's choice for a *Needs choice* row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowChoice {
    pub row: RowKey,
    pub choice: Choice,
}

impl Request {
    /// The kind of caller allowed to send this request.
    pub fn privilege(&self) -> Privilege {
        match self {
            Request::Ping { .. } => Privilege::Any,
            Request::ReportNuorderSession { .. }
            | Request::StageOrder { .. }
            | Request::GetExportStatus { .. }
            | Request::ObserveOrder { .. }
            | Request::OpenLinking
            | Request::ReportPage { .. }
            | Request::ReadPage(_)
            | Request::OrderReads { .. }
            | Request::StageBatchOrder { .. }
            | Request::OpenBatch { .. }
            | Request::CancelBatch { .. }
            | Request::GetBatch => Privilege::Export,
            Request::PreviewExport { .. }
            | Request::ConnectLightspeed { .. }
            | Request::StartExport { .. }
            | Request::StartUpdate { .. }
            | Request::RetryExport { .. }
            | Request::StartBatch { .. }
            | Request::CloseDialog
            | Request::GetHistory
            | Request::GetTabPage { .. }
            | Request::ExportFromPopup { .. } => Privilege::Privileged,
            Request::GetAccounts { .. }
            | Request::LinkLightspeed { .. }
            | Request::LinkNuorderBuyer { .. }
            | Request::Unlink { .. }
            | Request::GetShops { .. }
            | Request::SetDefaultShop { .. }
            | Request::SetRegion { .. } => Privilege::Privileged,
        }
    }
}

/// Who may send a request (see [`crate::sender`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privilege {
    /// Any context of this extension (pages and NuORDER content scripts).
    Any,
    /// The extension's own pages and content scripts in the top frame of NuORDER.
    Export,
    /// Only the extension's own pages (popup, dialog): links, tokens, settings.
    Privileged,
}

/// A successful answer. (Answers are built once and serialized; boxing the preview would change
/// nothing on the wire and only burden the callers' matches.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum Response {
    /// Answer to [`Request::Ping`].
    Pong {
        /// The extension's version.
        version: String,
        /// When this worker instance started (ms since the epoch): changes after a restart.
        boot: u64,
        /// Echo of the request's `from`.
        from: String,
    },
    /// The Linked accounts screen.
    Accounts(AccountsView),
    /// A Lightspeed account was linked (or re-linked).
    Linked { account_id: String, name: String },
    /// An account's active shops.
    Shops { account_id: String, shops: Vec<ShopView> },
    /// Done; nothing to report.
    Done,
    /// An order was validated and staged for the export dialog: `dialog` is the dialog's path
    /// with its one-time capability (`dialog.html?cap=…`), the only way to open it.
    Staged { order_id: String, order_number: String, dialog: String },
    /// Export statuses, one per asked order, in the same order.
    Statuses { linked: bool, statuses: Vec<OrderStatusView> },
    /// The export dialog's content: an `app::preview::PreviewView` as JSON. Its rows carry the
    /// export engine's row status, so the protocol (which depends on nothing above `core`) keeps
    /// it opaque; the background encodes it and the dialog reads it (`app::dialog_read`).
    Preview(serde_json::Value),
    /// The review of an exported order that changed since (issue 18), in place of the preview:
    /// an `app::review::ReviewView` as JSON (opaque here, like the preview).
    Review(serde_json::Value),
    /// The export dialog's Connect step, in place of the preview: the tab's NuORDER buyer has no
    /// Lightspeed account yet.
    Connect(ConnectView),
    /// The Connect step linked `account_id`: the dialog goes on at `dialog` (the capability
    /// re-issued for the account), after the user picks the account's default location among
    /// `shops` when there are several (empty: nothing to choose).
    Connected { account_id: String, dialog: String, shops: Vec<ShopView> },
    /// An export's status after a start or retry.
    Job(OrderStatusView),
    /// Recent exports.
    History(Vec<HistoryEntry>),
    /// Answer to [`Request::ReadPage`].
    Page(PageReading),
    /// Answer to [`Request::OrderReads`].
    OrderReads(OrderReads),
    /// Answer to [`Request::GetTabPage`] (`None`: no NuORDER page PO Bridge runs on).
    TabPage(Option<TabPageView>),
    /// The batch dialog's content (the answer to `PreviewExport` with a batch's capability).
    Batch(BatchView),
    /// A batch's progress (answer to `StartBatch` and `CancelBatch`).
    Set(SetView),
    /// Answer to [`Request::GetBatch`]: the tab's running batch (`None`: none).
    RunningBatch { set: Option<SetView> },
}

/// The popup's *This page* section: the NuORDER page of the tab it is over (`S`: the status as
/// its reader keeps it, see [`OrderStatusView`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabPageView<S = JobStatus> {
    pub tab_id: i64,
    /// "order detail", "orders list" or "other NuORDER page".
    pub kind: String,
    /// The route pattern, ids as placeholders.
    pub route: String,
    /// The order's status on an order's page.
    pub status: Option<OrderStatusView<S>>,
    /// Whether the tab's NuORDER buyer is known (else: sign in first).
    pub signed_in: bool,
    /// Whether *Export this order* is offered (an order's page, signed in).
    pub can_export: bool,
    /// Names of our anchors that matched nothing ("can't find its place" when any).
    pub missing: Vec<String>,
    /// What the user can copy for support: no order data, no ids, no tokens.
    pub diagnostic: String,
}

/// An order's export status as the badge shows it. `S` is the status as its reader keeps it: the
/// background's [`JobStatus`], or the JSON as sent (`serde_json::Value`) in the popup, which shows
/// only the badge (`PopupReply`: decoding `JobStatus` there would only weigh down its wasm, issue
/// 17).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderStatusView<S = JobStatus> {
    pub order_number: String,
    pub order_id: Option<String>,
    pub status: S,
    /// "View PO #": the PO's number and its page in the back office, once exported.
    pub po_number: Option<String>,
    pub po_url: Option<String>,
    /// What the widgets render (computed by `export::badge`, never by the page layers).
    pub badge: BadgeView,
}

/// What the export dialog shows when the tab's buyer has no Lightspeed account yet: the order it
/// was opened for and who is signed in to NuORDER, with *Connect Lightspeed*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectView {
    pub order_number: String,
    pub vendor: String,
    /// The NuORDER buyer the new account will be linked to ("Avery Chen, Juniper & Pine").
    pub buyer: String,
}

/// One export in the popup's history (`S`: the status as its reader keeps it, see
/// [`OrderStatusView`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry<S = JobStatus> {
    pub order_id: String,
    pub order_number: String,
    pub brand: String,
    pub account_id: String,
    pub status: OrderStatusView<S>,
    pub updated_ms: u64,
}

/// A message from the background to content scripts and pages (not an answer to a request).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventEnvelope {
    pub v: u32,
    pub event: Event,
}

#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum Event {
    /// An order's export status changed.
    Status(OrderStatusView),
    /// Close the export dialog shown in this tab.
    CloseDialog { order_id: Option<String> },
    /// The popup's *Export this order*: read and stage this order (the detail page's; `path` is
    /// its NuORDER API document) and open the export dialog, as a click on the action would.
    ExportOrder { order_id: String, path: String },
    /// A batch's progress changed (the list's bar).
    Set(SetView),
}

/// One linked Lightspeed account as the popup shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub account: LightspeedAccount,
    /// NuORDER buyers exporting into this account.
    pub buyers: Vec<NuorderAccount>,
    /// Whether the NuORDER tab the popup was opened over exports into this account.
    pub used_by_current_tab: bool,
}

/// What the popup's Linked accounts screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AccountsView {
    pub accounts: Vec<AccountView>,
    /// The buyer signed in on the current (or most recent) NuORDER tab, if any.
    pub nuorder_signed_in: Option<NuorderAccount>,
    /// The tab that buyer was seen on.
    pub nuorder_tab_id: Option<i64>,
}

/// A Lightspeed shop (location).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopView {
    pub shop_id: String,
    pub name: String,
}

/// An answer as it travels: exactly one of `ok` or `err`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplyEnvelope {
    pub v: u32,
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ok: Option<Response>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub err: Option<ProtocolError>,
}

impl ReplyEnvelope {
    pub fn ok(id: impl Into<String>, response: Response) -> Self {
        ReplyEnvelope { v: PROTOCOL_VERSION, id: id.into(), ok: Some(response), err: None }
    }
    pub fn err(id: impl Into<String>, error: ProtocolError) -> Self {
        ReplyEnvelope { v: PROTOCOL_VERSION, id: id.into(), ok: None, err: Some(error) }
    }
    /// The result as a Rust value, for callers.
    pub fn into_result(self) -> Result<Response, ProtocolError> {
        match (self.ok, self.err) {
            (Some(ok), None) => Ok(ok),
            (_, Some(err)) => Err(err),
            (None, None) => Err(ProtocolError::new(
                ErrorCode::BadReply,
                "The background answered with neither a result nor an error.",
            )),
        }
    }
}

/// Decode a message received by the background. On failure returns the reply to send back, with the
/// message's `id` when one could be read.
#[allow(clippy::result_large_err)] // the error is the reply itself, sent once
pub fn decode_envelope(message: &serde_json::Value) -> Result<Envelope, ReplyEnvelope> {
    let id = message.get("id").and_then(|v| v.as_str()).unwrap_or("").chars().take(64).collect::<String>();
    let size = serde_json::to_string(message).map(|s| s.len()).unwrap_or(usize::MAX);
    if size > MAX_MESSAGE_BYTES {
        return Err(ReplyEnvelope::err(
            id,
            ProtocolError::new(
                ErrorCode::TooLarge,
                "The message is too large. Reload the page and try again with a smaller order.",
            ),
        ));
    }
    match message.get("v").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(PROTOCOL_VERSION) => {}
        Some(_) => {
            return Err(ReplyEnvelope::err(
                id,
                ProtocolError::new(ErrorCode::UnsupportedVersion, "PO Bridge was updated — reload the page."),
            ))
        }
        None => {
            return Err(ReplyEnvelope::err(
                id,
                ProtocolError::new(
                    ErrorCode::BadEnvelope,
                    "PO Bridge received a message it does not understand. Reload the page.",
                ),
            ))
        }
    }
    crate::core::objects::read::<Envelope>(message.clone()).ok_or_else(|| {
        ReplyEnvelope::err(
            id,
            ProtocolError::new(
                ErrorCode::BadEnvelope,
                "PO Bridge received a request it does not understand. Reload the page.",
            ),
        )
    })
}

/// Answer the requests that need nothing but the request itself.
pub fn handle_ping(from: &str, version: &str, boot: u64) -> Response {
    Response::Pong { version: version.to_string(), boot, from: from.chars().take(64).collect() }
}

#[cfg(test)]
mod tests;
