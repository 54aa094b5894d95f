//! The [`Response`]s each extension page reads, the same on the wire: [`PopupReply`] and
//! [`DialogReply`]. A page decodes its answers as its own enum and matches on it, so each page's
//! wasm module carries the decoders of the replies it can get, not of every reply (the list
//! page's reading, the orders' reads, the statuses: issue 17). A reply outside a page's enum
//! reads as a bad reply, as a reply of the wrong kind did before. Each page keeps an order's
//! status as the JSON it was sent (`OrderStatusView<Value>`): it shows the badge, which the
//! background computed, and decoding `JobStatus` would cost its module about 15 KB gzip. The
//! pages read their enums by hand (`popup_read`, `dialog_read`: `FromWire`), and the dialog its
//! preview and review too (`app::dialog_read`).
//!
//! Each enum lists every reply the background gives to a request that page sends (the
//! background's `handle`); `tests` below check that every such [`Response`] reads as the page's
//! enum (by serde and by hand alike) and writes back to the same wire, so a renamed
//! variant or field fails them.

#[cfg(doc)]
use super::Response;
use super::{tagged, AccountsView, HistoryEntry, OrderStatusView, ShopView, TabPageView};
use super::{BatchView, ConnectView, SetView};
use serde::{Deserialize, Serialize};
use serde_json::Value;

tagged::wire_enum!(PopupReply);
tagged::wire_enum!(DialogReply);

/// The replies the toolbar popup reads: to `GetAccounts`, `LinkLightspeed`, `LinkNuorderBuyer`,
/// `Unlink`, `GetShops`, `SetDefaultShop`, `SetRegion`, `GetHistory`, `RetryExport`, `GetTabPage`
/// and `ExportFromPopup`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum PopupReply {
    Accounts(AccountsView),
    Linked { account_id: String, name: String },
    Shops { account_id: String, shops: Vec<ShopView> },
    Done,
    Job(OrderStatusView<Value>),
    History(Vec<HistoryEntry<Value>>),
    TabPage(Option<TabPageView<Value>>),
}

/// The replies the export dialog reads: to `PreviewExport`, `ConnectLightspeed`, `SetDefaultShop`,
/// `StartExport`, `StartUpdate`, `RetryExport`, `StartBatch`, `CloseDialog` and (its advice's
/// *Link again*) `LinkLightspeed`.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum DialogReply {
    Preview(serde_json::Value),
    Review(serde_json::Value),
    Connect(ConnectView),
    Batch(BatchView<Value>),
    Connected { account_id: String, dialog: String, shops: Vec<ShopView> },
    Linked { account_id: String, name: String },
    Job(OrderStatusView<Value>),
    Set(SetView),
    Done,
}

#[cfg(test)]
#[path = "ui_replies_tests.rs"]
mod tests;
