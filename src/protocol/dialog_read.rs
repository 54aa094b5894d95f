//! The export dialog's replies ([`DialogReply`]) as it reads them, from a `serde_json::Value`,
//! without serde's `Deserialize`, as the popup reads its own (`popup_read`): serde's visitors and
//! the generic deserializer behind them were about a fifth of the dialog's wasm (issue 17). The
//! preview and the review it carries as JSON are read by `app::dialog_read`; this file reads the
//! replies and the core's types they hold. The wire is the one the background writes
//! ([`Response`]); the tests (`ui_replies_tests.rs`) read every reply both ways and compare.
//!
//! [`Response`]: super::Response

use super::page_read::{field, FromWire};
use super::{BatchOrderView, BatchView, ConnectView, DialogReply, OrderStatusView, SetView};
use crate::core::ids::ItemId;
use crate::core::rows::{Choice, RowKey};
use serde_json::Value;

/// An id as the core writes it, `"412"` (or a plain number). The core's own reading also takes
/// `"412.0"` and `412.0` (Lightspeed's forms); the background never writes those.
impl FromWire for ItemId {
    fn from_wire(v: &Value) -> Option<Self> {
        match v {
            Value::String(s) => s.parse().ok(),
            v => v.as_u64().map(ItemId),
        }
    }
}

impl FromWire for RowKey {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(RowKey { product_id: field(v, "product_id")?, size: field(v, "size")? })
    }
}

/// `{"kind": "item", "item_id": "5"}` or `{"kind": "create_new"}`.
impl FromWire for Choice {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(match v.get("kind")?.as_str()? {
            "item" => Choice::Item { item_id: field(v, "item_id")? },
            "create_new" => Choice::CreateNew,
            _ => return None,
        })
    }
}

impl FromWire for ConnectView {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(ConnectView {
            order_number: field(v, "order_number")?,
            vendor: field(v, "vendor")?,
            buyer: field(v, "buyer")?,
        })
    }
}

impl FromWire for BatchOrderView<Value> {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(BatchOrderView {
            order_id: field(v, "order_id")?,
            order_number: field(v, "order_number")?,
            brand: field(v, "brand")?,
            units: field(v, "units")?,
            total: field(v, "total")?,
            matched: field(v, "matched")?,
            new: field(v, "new")?,
            needs_choice: field(v, "needs_choice")?,
            ready: field(v, "ready")?,
            // `#[serde(default)]`, as the two below.
            can_choose: field::<Option<bool>>(v, "can_choose")?.unwrap_or_default(),
            choice_rows: v.get("choice_rows").cloned().unwrap_or_default(),
            note: field(v, "note")?,
            warning: field(v, "warning")?,
            status: field(v, "status")?,
        })
    }
}

impl FromWire for BatchView<Value> {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(BatchView {
            account_name: field(v, "account_name")?,
            shops: field(v, "shops")?,
            default_shop_id: field(v, "default_shop_id")?,
            orders: field(v, "orders")?,
        })
    }
}

/// `{"type": "<variant>", "data": <payload>}` (no `data` for `done`), as `Response` is sent.
impl FromWire for DialogReply {
    fn from_wire(v: &Value) -> Option<Self> {
        let data = || v.get("data");
        Some(match v.get("type")?.as_str()? {
            "preview" => DialogReply::Preview(data()?.clone()),
            "review" => DialogReply::Review(data()?.clone()),
            "connect" => DialogReply::Connect(ConnectView::from_wire(data()?)?),
            "batch" => DialogReply::Batch(BatchView::from_wire(data()?)?),
            "connected" => {
                let d = data()?;
                DialogReply::Connected {
                    account_id: field(d, "account_id")?,
                    dialog: field(d, "dialog")?,
                    shops: field(d, "shops")?,
                }
            }
            "linked" => {
                DialogReply::Linked { account_id: field(data()?, "account_id")?, name: field(data()?, "name")? }
            }
            "job" => DialogReply::Job(OrderStatusView::from_wire(data()?)?),
            "set" => DialogReply::Set(SetView::from_wire(data()?)?),
            "done" => DialogReply::Done,
            _ => return None,
        })
    }
}
