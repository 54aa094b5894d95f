//! The [`Request`]s the extension pages send, the same on the wire: [`UiRequest`]. The popup and
//! the dialog build their requests as this enum and write them with [`UiRequest::to_wire`], by
//! hand, so their wasm modules carry no encoder of a request they never send (the in-page
//! layers' page snapshots, orders and statuses) and no serde serializer at all (issue 17).
//! `tests` below check that each variant travels as its [`Request`] and that the background
//! decodes it as that request.

use super::{BatchPick, Region, Request, RowChoice};
use crate::core::rows::Choice;
use serde_json::{Map, Value};

/// The [`Request`]s an extension page sends (each one
/// [`Privilege::Privileged`](super::Privilege)), the same on the wire: see there what each asks.
#[derive(Debug, Clone, PartialEq)]
pub enum UiRequest {
    GetAccounts { active_tab_id: Option<i64> },
    LinkLightspeed { interactive: bool },
    LinkNuorderBuyer { account_id: String, tab_id: Option<i64> },
    Unlink { account_id: String },
    GetShops { account_id: String },
    SetDefaultShop { account_id: String, shop_id: String },
    SetRegion { account_id: String, region: Region },
    PreviewExport { cap: String },
    StartExport { order_id: String, shop_id: String, choices: Vec<RowChoice>, cap: String },
    StartUpdate { order_id: String, archive: bool, choices: Vec<RowChoice>, cap: String },
    RetryExport { order_id: String, cap: Option<String> },
    ConnectLightspeed { cap: String },
    CloseDialog,
    GetHistory,
    GetTabPage { active_tab_id: Option<i64>, own_tab_id: Option<i64>, user_agent: String },
    ExportFromPopup { tab_id: i64 },
    StartBatch { cap: String, orders: Vec<BatchPick> },
}

impl UiRequest {
    /// The request in its wire form, `{"type": "<variant>", "data": {fields}}` (no `data` for a
    /// variant without fields), as `Request`'s `Serialize` writes it. Built by hand: serde's
    /// serializer into a `Value` cost each page's module about 15 KB before wasm-opt (issue 17).
    /// The tests hold every variant, every `Choice` and every `Region` to `Request`'s wire.
    pub fn to_wire(&self) -> Value {
        use UiRequest as U;
        let (tag, data) = match self {
            U::GetAccounts { active_tab_id } => ("get_accounts", object([("active_tab_id", (*active_tab_id).into())])),
            U::LinkLightspeed { interactive } => ("link_lightspeed", object([("interactive", (*interactive).into())])),
            U::LinkNuorderBuyer { account_id, tab_id } => (
                "link_nuorder_buyer",
                object([("account_id", account_id.as_str().into()), ("tab_id", (*tab_id).into())]),
            ),
            U::Unlink { account_id } => ("unlink", object([("account_id", account_id.as_str().into())])),
            U::GetShops { account_id } => ("get_shops", object([("account_id", account_id.as_str().into())])),
            U::SetDefaultShop { account_id, shop_id } => (
                "set_default_shop",
                object([("account_id", account_id.as_str().into()), ("shop_id", shop_id.as_str().into())]),
            ),
            U::SetRegion { account_id, region } => {
                ("set_region", object([("account_id", account_id.as_str().into()), ("region", region.name().into())]))
            }
            U::PreviewExport { cap } => ("preview_export", object([("cap", cap.as_str().into())])),
            U::StartExport { order_id, shop_id, choices, cap } => (
                "start_export",
                object([
                    ("order_id", order_id.as_str().into()),
                    ("shop_id", shop_id.as_str().into()),
                    ("choices", row_choices(choices)),
                    ("cap", cap.as_str().into()),
                ]),
            ),
            U::StartUpdate { order_id, archive, choices, cap } => (
                "start_update",
                object([
                    ("order_id", order_id.as_str().into()),
                    ("archive", (*archive).into()),
                    ("choices", row_choices(choices)),
                    ("cap", cap.as_str().into()),
                ]),
            ),
            U::RetryExport { order_id, cap } => {
                let mut data = fields([("order_id", order_id.as_str().into())]);
                // Left out when there is none.
                if let Some(cap) = cap {
                    data.insert("cap".into(), cap.as_str().into());
                }
                ("retry_export", Value::Object(data))
            }
            U::ConnectLightspeed { cap } => ("connect_lightspeed", object([("cap", cap.as_str().into())])),
            U::CloseDialog => return object([("type", "close_dialog".into())]),
            U::GetHistory => return object([("type", "get_history".into())]),
            U::GetTabPage { active_tab_id, own_tab_id, user_agent } => (
                "get_tab_page",
                object([
                    ("active_tab_id", (*active_tab_id).into()),
                    ("own_tab_id", (*own_tab_id).into()),
                    ("user_agent", user_agent.as_str().into()),
                ]),
            ),
            U::ExportFromPopup { tab_id } => ("export_from_popup", object([("tab_id", (*tab_id).into())])),
            U::StartBatch { cap, orders } => (
                "start_batch",
                object([("cap", cap.as_str().into()), ("orders", orders.iter().map(batch_pick).collect())]),
            ),
        };
        object([("type", tag.into()), ("data", data)])
    }
}

/// `{key: value, …}`, by inserts (`Map::from_iter` would compile a sort of its pairs).
fn fields<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    let mut map = Map::new();
    for (key, value) in pairs {
        map.insert(key.into(), value);
    }
    map
}

/// [`fields`] as a `Value`.
fn object<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Object(fields(pairs))
}

/// `RowChoice`s as serde writes them (`Choice` internally tagged by `kind`, an id as a string).
fn row_choices(choices: &[RowChoice]) -> Value {
    let choice = |c: &RowChoice| {
        let row = object([("product_id", c.row.product_id.as_str().into()), ("size", c.row.size.as_str().into())]);
        let choice = match &c.choice {
            Choice::Item { item_id } => object([("kind", "item".into()), ("item_id", item_id.0.to_string().into())]),
            Choice::CreateNew => object([("kind", "create_new".into())]),
        };
        object([("row", row), ("choice", choice)])
    };
    choices.iter().map(choice).collect()
}

/// A `BatchPick` as serde writes it (`choices` left out when empty).
fn batch_pick(pick: &BatchPick) -> Value {
    let mut value = fields([("order_id", pick.order_id.as_str().into()), ("shop_id", pick.shop_id.as_str().into())]);
    if !pick.choices.is_empty() {
        value.insert("choices".into(), row_choices(&pick.choices));
    }
    Value::Object(value)
}

impl From<UiRequest> for Request {
    fn from(r: UiRequest) -> Self {
        use UiRequest as U;
        match r {
            U::GetAccounts { active_tab_id } => Request::GetAccounts { active_tab_id },
            U::LinkLightspeed { interactive } => Request::LinkLightspeed { interactive },
            U::LinkNuorderBuyer { account_id, tab_id } => Request::LinkNuorderBuyer { account_id, tab_id },
            U::Unlink { account_id } => Request::Unlink { account_id },
            U::GetShops { account_id } => Request::GetShops { account_id },
            U::SetDefaultShop { account_id, shop_id } => Request::SetDefaultShop { account_id, shop_id },
            U::SetRegion { account_id, region } => Request::SetRegion { account_id, region },
            U::PreviewExport { cap } => Request::PreviewExport { cap },
            U::StartExport { order_id, shop_id, choices, cap } => {
                Request::StartExport { order_id, shop_id, choices, cap }
            }
            U::StartUpdate { order_id, archive, choices, cap } => {
                Request::StartUpdate { order_id, archive, choices, cap }
            }
            U::RetryExport { order_id, cap } => Request::RetryExport { order_id, cap },
            U::ConnectLightspeed { cap } => Request::ConnectLightspeed { cap },
            U::CloseDialog => Request::CloseDialog,
            U::GetHistory => Request::GetHistory,
            U::GetTabPage { active_tab_id, own_tab_id, user_agent } => {
                Request::GetTabPage { active_tab_id, own_tab_id, user_agent }
            }
            U::ExportFromPopup { tab_id } => Request::ExportFromPopup { tab_id },
            U::StartBatch { cap, orders } => Request::StartBatch { cap, orders },
        }
    }
}

#[cfg(test)]
#[path = "ui_requests_tests.rs"]
mod tests;
