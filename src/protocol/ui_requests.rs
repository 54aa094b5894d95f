//! The [`Request`]s the extension pages send, the same on the wire: [`UiRequest`]. The popup and
//! the dialog build their requests as this enum and write them with [`UiRequest::to_wire`], so
//! their wasm modules carry the encoders of their own requests only, not of every request (the
//! in-page layers' page snapshots, orders and statuses: issue 17), and no serde error's text.
//! `tests` below check that each variant travels as its [`Request`] and that the background
//! decodes it as that request.

use super::{tagged, BatchPick, Region, Request, RowChoice};
use serde::{Deserialize, Serialize};

// On the wire as `Request`: `{"type": "<variant>", "data": <payload>}`.
tagged::wire_enum!(UiRequest);

/// The [`Request`]s an extension page sends (each one
/// [`Privilege::Privileged`](super::Privilege)), the same on the wire: see there what each asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum UiRequest {
    GetAccounts {
        active_tab_id: Option<i64>,
    },
    LinkLightspeed {
        interactive: bool,
    },
    LinkNuorderBuyer {
        account_id: String,
        tab_id: Option<i64>,
    },
    Unlink {
        account_id: String,
    },
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
    PreviewExport {
        cap: String,
    },
    StartExport {
        order_id: String,
        shop_id: String,
        choices: Vec<RowChoice>,
        cap: String,
    },
    StartUpdate {
        order_id: String,
        archive: bool,
        choices: Vec<RowChoice>,
        cap: String,
    },
    RetryExport {
        order_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cap: Option<String>,
    },
    ConnectLightspeed {
        cap: String,
    },
    CloseDialog,
    GetHistory,
    GetTabPage {
        active_tab_id: Option<i64>,
        own_tab_id: Option<i64>,
        user_agent: String,
    },
    ExportFromPopup {
        tab_id: i64,
    },
    StartBatch {
        cap: String,
        orders: Vec<BatchPick>,
    },
}

impl UiRequest {
    /// The request in its wire form, as `Serialize` writes it, without formatting the error of a
    /// value that is not JSON (as `PageRequest::to_wire`).
    pub fn to_wire(&self) -> Option<serde_json::Value> {
        UiRequest::serialize(self, serde_json::value::Serializer).ok().map(tagged::to_wire)
    }
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
