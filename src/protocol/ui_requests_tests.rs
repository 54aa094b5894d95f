//! Each extension page's request travels as the [`Request`] it stands for.

use super::*;
use crate::core::ids::ItemId;
use crate::core::rows::{Choice, RowKey};
use crate::protocol::{decode_envelope, Envelope, Privilege};

/// Which variant `r` is: a variant added to [`UiRequest`] fails to compile here until it has an
/// index, and then fails [`every_variant_is_sampled`] until [`samples`] has one.
fn index(r: &UiRequest) -> usize {
    use UiRequest as U;
    match r {
        U::GetAccounts { .. } => 0,
        U::LinkLightspeed { .. } => 1,
        U::LinkNuorderBuyer { .. } => 2,
        U::Unlink { .. } => 3,
        U::GetShops { .. } => 4,
        U::SetDefaultShop { .. } => 5,
        U::SetRegion { .. } => 6,
        U::PreviewExport { .. } => 7,
        U::StartExport { .. } => 8,
        U::StartUpdate { .. } => 9,
        U::RetryExport { .. } => 10,
        U::ConnectLightspeed { .. } => 11,
        U::CloseDialog => 12,
        U::GetHistory => 13,
        U::GetTabPage { .. } => 14,
        U::ExportFromPopup { .. } => 15,
        U::StartBatch { .. } => 16,
    }
}

const VARIANTS: usize = 17;

fn samples() -> Vec<UiRequest> {
    use UiRequest as U;
    let choices = vec![
        RowChoice { row: RowKey::new("p1", "M"), choice: Choice::Item { item_id: ItemId(7) } },
        RowChoice { row: RowKey::new("p1", "L"), choice: Choice::CreateNew },
    ];
    let pick = BatchPick { order_id: "o2".into(), shop_id: "1".into(), choices: choices.clone() };
    let plain = BatchPick { order_id: "o3".into(), shop_id: "2".into(), choices: vec![] };
    let (a, cap) = (String::from("a1"), String::from("cap-1"));
    vec![
        U::GetAccounts { active_tab_id: Some(3) },
        U::GetAccounts { active_tab_id: None },
        U::LinkLightspeed { interactive: true },
        U::LinkNuorderBuyer { account_id: a.clone(), tab_id: Some(3) },
        U::LinkNuorderBuyer { account_id: a.clone(), tab_id: None },
        U::Unlink { account_id: a.clone() },
        U::GetShops { account_id: a.clone() },
        U::SetDefaultShop { account_id: a.clone(), shop_id: "1".into() },
        U::SetRegion { account_id: a.clone(), region: Region::Us },
        U::SetRegion { account_id: a.clone(), region: Region::Eu },
        U::SetRegion { account_id: a, region: Region::Aus },
        U::PreviewExport { cap: cap.clone() },
        U::StartExport { order_id: "o1".into(), shop_id: "1".into(), choices: choices.clone(), cap: cap.clone() },
        U::StartExport { order_id: "o1".into(), shop_id: "1".into(), choices: vec![], cap: cap.clone() },
        U::StartUpdate { order_id: "o1".into(), archive: true, choices, cap: cap.clone() },
        U::RetryExport { order_id: "o1".into(), cap: Some(cap.clone()) },
        U::RetryExport { order_id: "o1".into(), cap: None },
        U::ConnectLightspeed { cap: cap.clone() },
        U::CloseDialog,
        U::GetHistory,
        U::GetTabPage { active_tab_id: Some(3), own_tab_id: None, user_agent: "Mozilla/5.0 Firefox/140.0".into() },
        U::ExportFromPopup { tab_id: 3 },
        U::StartBatch { cap: cap.clone(), orders: vec![pick, plain] },
        U::StartBatch { cap, orders: vec![] },
    ]
}

#[test]
fn every_variant_is_sampled() {
    let mut seen = [false; VARIANTS];
    for r in samples() {
        seen[index(&r)] = true;
    }
    assert_eq!(seen, [true; VARIANTS]);
}

#[test]
fn an_extension_page_request_travels_as_its_request() {
    for ui in samples() {
        let request = Request::from(ui.clone());
        assert_eq!(request.privilege(), Privilege::Privileged, "{request:?}");
        // As the extension pages send it (`browser::envelope_to_js`).
        let wire = Envelope { v: 1, id: "i".into(), req: ui.to_wire() }.into_wire();
        let expected = Envelope { v: 1, id: "i".into(), req: request };
        assert_eq!(wire, serde_json::to_value(&expected).unwrap());
        assert_eq!(decode_envelope(&wire).unwrap(), expected, "{wire}");
    }
}
