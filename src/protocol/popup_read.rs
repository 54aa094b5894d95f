//! The toolbar popup's replies ([`PopupReply`]) as it reads them, from a `serde_json::Value`,
//! without serde's `Deserialize`, as the in-page layers read theirs (`page_read`): serde's
//! visitors for these few shapes and the generic deserializer behind them were about a fifth of
//! the popup's wasm (issue 17). The wire is the one the background writes ([`Response`]); the
//! tests (`ui_replies_tests.rs`) read every reply the popup gets both ways and compare.
//!
//! [`Response`]: super::Response

use super::page_read::{field, named, FromWire};
use super::{AccountView, AccountsView, HistoryEntry, OrderStatusView, PopupReply, ShopView, TabPageView};
use crate::core::accounts::{LightspeedAccount, NuorderAccount};
use crate::core::status::BadgeView;
use serde_json::Value;

impl FromWire for i64 {
    fn from_wire(v: &Value) -> Option<Self> {
        v.as_i64()
    }
}

impl FromWire for u64 {
    fn from_wire(v: &Value) -> Option<Self> {
        v.as_u64()
    }
}

/// A value kept as it was sent (an order's status in the popup).
impl FromWire for Value {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(v.clone())
    }
}

impl FromWire for NuorderAccount {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(NuorderAccount {
            retailer_id: field(v, "retailer_id")?,
            retailer_name: field(v, "retailer_name")?,
            buyer_email: field(v, "buyer_email")?,
            buyer_name: field(v, "buyer_name")?,
        })
    }
}

impl FromWire for LightspeedAccount {
    fn from_wire(v: &Value) -> Option<Self> {
        // `region`, `default_shop_id`, `needs_relink` and `currency` are `#[serde(default)]`.
        let region = match v.get("region") {
            None => Default::default(),
            Some(r) => named(r)?,
        };
        Some(LightspeedAccount {
            account_id: field(v, "account_id")?,
            name: field(v, "name")?,
            client_id: field(v, "client_id")?,
            region,
            default_shop_id: field(v, "default_shop_id")?,
            needs_relink: field::<Option<bool>>(v, "needs_relink")?.unwrap_or_default(),
            linked_at_ms: field(v, "linked_at_ms")?,
            currency: field(v, "currency")?,
        })
    }
}

impl FromWire for AccountView {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(AccountView {
            account: field(v, "account")?,
            buyers: field(v, "buyers")?,
            used_by_current_tab: field(v, "used_by_current_tab")?,
        })
    }
}

impl FromWire for AccountsView {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(AccountsView {
            accounts: field(v, "accounts")?,
            nuorder_signed_in: field(v, "nuorder_signed_in")?,
            nuorder_tab_id: field(v, "nuorder_tab_id")?,
        })
    }
}

impl FromWire for ShopView {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(ShopView { shop_id: field(v, "shop_id")?, name: field(v, "name")? })
    }
}

impl FromWire for OrderStatusView<Value> {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(OrderStatusView {
            order_number: field(v, "order_number")?,
            order_id: field(v, "order_id")?,
            status: v.get("status")?.clone(),
            po_number: field(v, "po_number")?,
            po_url: field(v, "po_url")?,
            badge: BadgeView::from_wire(v.get("badge")?)?,
        })
    }
}

impl FromWire for HistoryEntry<Value> {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(HistoryEntry {
            order_id: field(v, "order_id")?,
            order_number: field(v, "order_number")?,
            brand: field(v, "brand")?,
            account_id: field(v, "account_id")?,
            status: OrderStatusView::from_wire(v.get("status")?)?,
            updated_ms: field(v, "updated_ms")?,
        })
    }
}

impl FromWire for TabPageView<Value> {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(TabPageView {
            tab_id: field(v, "tab_id")?,
            kind: field(v, "kind")?,
            route: field(v, "route")?,
            status: field(v, "status")?,
            signed_in: field(v, "signed_in")?,
            can_export: field(v, "can_export")?,
            missing: field(v, "missing")?,
            diagnostic: field(v, "diagnostic")?,
        })
    }
}

/// `{"type": "<variant>", "data": <payload>}` (no `data` for `done`), as `Response` is sent.
impl FromWire for PopupReply {
    fn from_wire(v: &Value) -> Option<Self> {
        let data = || v.get("data");
        Some(match v.get("type")?.as_str()? {
            "accounts" => PopupReply::Accounts(AccountsView::from_wire(data()?)?),
            "linked" => PopupReply::Linked { account_id: field(data()?, "account_id")?, name: field(data()?, "name")? },
            "shops" => PopupReply::Shops { account_id: field(data()?, "account_id")?, shops: field(data()?, "shops")? },
            "done" => PopupReply::Done,
            "job" => PopupReply::Job(OrderStatusView::from_wire(data()?)?),
            "history" => PopupReply::History(Vec::from_wire(data()?)?),
            "tab_page" => PopupReply::TabPage(Option::from_wire(data()?)?),
            _ => return None,
        })
    }
}
