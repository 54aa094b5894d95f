//! Job sets in the extension's key-value store (issue 19): a set round-trips under its key beside
//! the journals, a wake finds the unfinished ones, and a Cancel is stored.

use po_bridge::app::batch::{unfinished_sets, JOB_SET_PREFIX};
use po_bridge::app::memory::MemStore;
use po_bridge::app::platform::KvStore;
use po_bridge::app::store::Journals;
use po_bridge::app::unfinished::Reading;
use po_bridge::export::batch::{cancel_job_set, JobSet, JobSetStore, OrderState, SetKey, JOB_SET_VERSION};
use po_bridge::lightspeed::native::block_on;

fn set(id: &str, states: Vec<OrderState>) -> JobSet {
    let plan: po_bridge::export::plan::Plan = serde_json::from_value(serde_json::json!({
        "order_id": "o", "order_number": "1", "currency": "USD", "brand": "B",
        "vendor": {"status": "new", "name": "B"}, "rows": [], "products": [],
        "counts": {"confirmed": 0, "upc_match": 0, "sku_match": 0, "new": 0, "needs_choice": 0,
                   "chosen_existing": 0, "chosen_new": 0}
    }))
    .unwrap();
    let orders = states
        .into_iter()
        .enumerate()
        .map(|(i, state)| po_bridge::export::batch::SetOrder {
            order_id: format!("o{i}"),
            order_number: format!("{i}"),
            brand: "B".into(),
            plan: plan.clone(),
            shop_id: po_bridge::lightspeed::ShopId(1),
            today: "2026-11-27".into(),
            state,
        })
        .collect();
    JobSet {
        version: JOB_SET_VERSION,
        key: SetKey { account_id: "83050".into(), set_id: id.into() },
        orders,
        cancelled: false,
        paused_until: None,
    }
}

#[test]
fn sets_round_trip_a_wake_finds_the_unfinished_and_cancel_is_kept() {
    let kv = MemStore::new();
    let store = Journals::new(&kv);
    let running =
        set("a", vec![OrderState::Exported { po_id: po_bridge::lightspeed::OrderId(7) }, OrderState::Waiting]);
    let done = set("b", vec![OrderState::Cancelled]);
    block_on(store.save_set(&running)).unwrap();
    block_on(store.save_set(&done)).unwrap();
    assert_eq!(block_on(store.load_set(&running.key)).unwrap(), Some(running.clone()));
    assert!(block_on(kv.get(&format!("{JOB_SET_PREFIX}83050:a"))).unwrap().is_some());
    let unfinished = block_on(unfinished_sets(&store, Reading::Wake)).unwrap();
    assert_eq!(unfinished.iter().map(|s| s.key.set_id.as_str()).collect::<Vec<_>>(), ["a"]);
    assert_eq!(running.label(), "1 of 2 exported");
    let cancelled = block_on(cancel_job_set(&store, &running.key)).unwrap().unwrap();
    assert!(cancelled.cancelled);
    assert_eq!(cancelled.orders[1].state, OrderState::Cancelled);
    assert_eq!(block_on(store.load_set(&running.key)).unwrap(), Some(cancelled));
    assert!(
        block_on(unfinished_sets(&store, Reading::Wake)).unwrap().is_empty(),
        "a cancelled set has nothing left to do"
    );
}
