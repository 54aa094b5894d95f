//! The [`Response`]s each extension page reads, the same on the wire: [`PopupReply`] and
//! [`DialogReply`]. A page decodes its answers as its own enum and turns them into the
//! [`Response`] it matches on ([`From`]), so each page's wasm module carries the decoders of the
//! replies it can get, not of every reply (the list page's reading, the orders' reads, the
//! statuses: issue 17). A reply outside a page's enum reads as a bad reply, as a reply of the
//! wrong kind did before.
//!
//! Each enum lists every reply the background gives to a request that page sends (the
//! background's `handle`); `tests` below check that each variant reads and writes as its
//! [`Response`] does, so a renamed variant or field fails them.

use super::{tagged, AccountsView, HistoryEntry, OrderStatusView, Response, ShopView, TabPageView};
use super::{BatchView, ConnectView, SetView};
use serde::{Deserialize, Serialize};

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
    Job(OrderStatusView),
    History(Vec<HistoryEntry>),
    TabPage(Option<TabPageView>),
}

impl From<PopupReply> for Response {
    fn from(r: PopupReply) -> Self {
        match r {
            PopupReply::Accounts(view) => Response::Accounts(view),
            PopupReply::Linked { account_id, name } => Response::Linked { account_id, name },
            PopupReply::Shops { account_id, shops } => Response::Shops { account_id, shops },
            PopupReply::Done => Response::Done,
            PopupReply::Job(view) => Response::Job(view),
            PopupReply::History(list) => Response::History(list),
            PopupReply::TabPage(view) => Response::TabPage(view),
        }
    }
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
    Batch(BatchView),
    Connected { account_id: String, dialog: String, shops: Vec<ShopView> },
    Linked { account_id: String, name: String },
    Job(OrderStatusView),
    Set(SetView),
    Done,
}

impl From<DialogReply> for Response {
    fn from(r: DialogReply) -> Self {
        match r {
            DialogReply::Preview(value) => Response::Preview(value),
            DialogReply::Review(value) => Response::Review(value),
            DialogReply::Connect(view) => Response::Connect(view),
            DialogReply::Batch(view) => Response::Batch(view),
            DialogReply::Connected { account_id, dialog, shops } => Response::Connected { account_id, dialog, shops },
            DialogReply::Linked { account_id, name } => Response::Linked { account_id, name },
            DialogReply::Job(view) => Response::Job(view),
            DialogReply::Set(view) => Response::Set(view),
            DialogReply::Done => Response::Done,
        }
    }
}

#[cfg(test)]
#[path = "ui_replies_tests.rs"]
mod tests;
