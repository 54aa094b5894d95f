//! The update against the Lightspeed sandbox (issue 18): an exported order edited as a brand would
//! (units, a price, a size added and one removed, the ship window, shipping) becomes one update of
//! the same PO — lines updated in place, removed, added through the export's own matching — and a
//! second run finds nothing to do and writes nothing; lines added by hand are never touched; an
//! update without the export's record matches lines by item and says so.

mod client_support;
mod export_run_support;
mod update_support;
#[allow(unused_imports)]
use client_support::*;
use export_run_support::*;
use update_support::*;

use po_bridge::export::plan::RowStatus;
use po_bridge::lightspeed::native::block_on;
use po_bridge::update::{
    keep_aligned, ChangeCounts, Lock, MemoryUpdates, PlanState, Record, Reviewed, UpdateOutcome, UpdateRun,
};
use serde_json::Value;

/// h01 edited: tote 12 → 8; scarf S/M at 14 (was 15, a line discount from 15); scarf L/XL gone;
/// scarf XS added (a new UPC: a new item); ship window ends 2026-10-01; shipping 12.50.
fn edited_h01() -> Value {
    let mut v = order_json(H01);
    set_qty(&mut v, 0, 0, 8);
    set_price(&mut v, 1, 0, 14.0, 15.0);
    set_qty(&mut v, 1, 1, 0);
    add_size(&mut v, 1, "XS", 3, 15.0, "812345002034");
    set_end_ship(&mut v, "2026-10-01");
    set_shipping(&mut v, "12.5");
    v
}

#[test]
fn an_edited_order_updates_the_same_po_once_and_leaves_hand_added_lines_alone() {
    let (env, client) = setup();
    let store = MemoryUpdates::new();
    let v = order_json(H01);
    let po = export_v(&client, &store, &v);
    let before = lines_of(&env, po);
    assert_eq!(before.len(), 3);
    let hand = hand_line(&env, &client, po);

    // Right after the export: nothing to do.
    let p = plan(&client, &store, &v, false);
    assert_eq!(p.state, PlanState::Unchanged, "{p:#?}");
    assert_eq!(p.record, Record::Export);
    assert_eq!(p.merchant_lines.iter().map(|l| l.0).collect::<Vec<_>>(), vec![hand]);

    let e = edited_h01();
    let p = plan(&client, &store, &e, false);
    assert_eq!(p.state, PlanState::Changes);
    assert_eq!(p.counts, ChangeCounts { added: 1, removed: 1, quantity: 1, price: 1, header: 2 }, "{p:#?}");
    assert!(p.conflicts.is_empty(), "{:#?}", p.conflicts);
    assert_eq!(p.po_id.0, po);
    assert_eq!(p.added_rows.len(), 1);
    assert_eq!(p.added_rows[0].status, RowStatus::New, "the export's own matching");
    assert_eq!(p.header.arrival_date.as_ref().unwrap().to.as_deref(), Some("2026-10-01"));

    let run = apply(&client, &store, &e, &p);
    let UpdateRun::Updated(j) = run else { panic!("{run:?}") };
    assert_eq!(j.revision, 1);
    assert_eq!(j.outcome, UpdateOutcome::Updated);

    let after = lines_of(&env, po);
    assert_eq!(counts(&env).3, 1, "still one PO");
    assert!(after.iter().any(|l| l.0 == hand && l.2 == 2), "the hand-added line is untouched: {after:?}");
    let (tote, scarf_sm, scarf_l) = (before[0].clone(), before[1].clone(), before[2].clone());
    assert!(after.iter().any(|l| l.0 == tote.0 && l.2 == 8), "tote 12 → 8 in place: {after:?}");
    assert!(after.iter().any(|l| l.0 == scarf_sm.0 && cents(&l.3) == 1400), "S/M at 14 in place: {after:?}");
    assert!(!after.iter().any(|l| l.0 == scarf_l.0), "L/XL deleted: {after:?}");
    assert_eq!(items_with_code(&env, "812345002034").len(), 1, "XS created once");
    assert_eq!(after.len(), 4, "tote, S/M, XS and the hand-added line: {after:?}");
    let row = po_row(&env, po);
    assert!(s(&row["arrivalDate"]).starts_with("2026-10-01"), "{row}");
    assert_eq!(cents(&s(&row["shipCost"])), 1250);

    // Applied again: nothing to do, nothing written.
    let tables_before = tables(&env);
    let p = plan(&client, &store, &e, false);
    assert_eq!(p.state, PlanState::Unchanged, "{p:#?}");
    assert_eq!(p.record, Record::Update { revision: 1 });
    assert_eq!(apply(&client, &store, &e, &p), UpdateRun::Nothing);
    assert_eq!(tables(&env), tables_before, "a second update writes nothing");
}

#[test]
fn a_value_the_merchant_changed_is_a_conflict_and_left_as_it_is() {
    let (env, client) = setup();
    let store = MemoryUpdates::new();
    let v = order_json(H01);
    let po = export_v(&client, &store, &v);
    let tote = lines_of(&env, po)[0].0;
    put_line(&client, tote, 20);
    let mut e = v.clone();
    set_qty(&mut e, 0, 0, 8);
    set_qty(&mut e, 1, 0, 4);
    let p = plan(&client, &store, &e, false);
    assert_eq!(p.conflicts.len(), 1, "{:#?}", p.conflicts);
    let c = &p.conflicts[0];
    assert_eq!((c.line_id.map(|l| l.0), c.wanted), (Some(tote), Some(8)));
    assert!(c.advice().contains("changed to 20"), "{}", c.advice());
    assert_eq!(p.counts.quantity, 1, "the other line still changes");
    let UpdateRun::Updated(_) = apply(&client, &store, &e, &p) else { panic!() };
    let after = lines_of(&env, po);
    assert!(after.iter().any(|l| l.0 == tote && l.2 == 20), "the merchant's 20 stays: {after:?}");
    assert!(after.iter().any(|l| l.2 == 4), "{after:?}");
}

/// The merchant made the brand's change by hand before the review: it is not a conflict and
/// nothing is written; recorded once (`keep_aligned`), it counts as written, so the brand's next
/// edit of that line is written over it like any other change.
#[test]
fn a_change_the_merchant_already_made_is_no_conflict_and_counts_as_written() {
    let (env, client) = setup();
    let store = MemoryUpdates::new();
    let v = order_json(H01);
    let po = export_v(&client, &store, &v);
    let tote = lines_of(&env, po)[0].0;
    put_line(&client, tote, 8);
    let mut e = v.clone();
    set_qty(&mut e, 0, 0, 8);
    let before = tables(&env);
    let p = plan(&client, &store, &e, false);
    assert_eq!((&p.state, p.conflicts.len(), p.counts), (&PlanState::Unchanged, 0, ChangeCounts::default()), "{p:#?}");
    assert_eq!(p.after.lines.iter().find(|l| l.line_id.0 == tote).map(|l| l.quantity), Some(8));
    let key = key_v(&e);
    assert!(block_on(keep_aligned(&store, &key, &p, 5)).unwrap(), "recorded");
    assert!(!block_on(keep_aligned(&store, &key, &plan(&client, &store, &e, false), 6)).unwrap(), "once");
    assert_eq!(tables(&env), before, "nothing written to Lightspeed");
    // The brand edits the line again: 8 → 10 is a change to write, not the merchant's value.
    let mut again = e.clone();
    set_qty(&mut again, 0, 0, 10);
    let p = plan(&client, &store, &again, false);
    assert!(p.conflicts.is_empty(), "{:#?}", p.conflicts);
    assert_eq!(p.counts.quantity, 1);
    let UpdateRun::Updated(_) = apply(&client, &store, &again, &p) else { panic!() };
    assert!(lines_of(&env, po).iter().any(|l| l.0 == tote && l.2 == 10), "{:?}", lines_of(&env, po));
}

/// The same for a price, the shipping cost and the arrival date the merchant already set to the
/// order's.
#[test]
fn a_price_a_cost_and_a_date_the_merchant_already_set_are_no_conflict() {
    use po_bridge::lightspeed::endpoints::{UpdateOrder, UpdateOrderLine};
    use po_bridge::lightspeed::{OrderId, OrderLineId, OrderLineWrite, OrderWrite};
    let (env, client) = setup();
    let store = MemoryUpdates::new();
    let v = order_json(H01);
    let po = export_v(&client, &store, &v);
    let tote = lines_of(&env, po)[0].0;
    let money = |m: &str| serde_json::from_value(serde_json::json!(m)).unwrap();
    let changes = OrderLineWrite { price: Some(money("31.50")), ..OrderLineWrite::default() };
    block_on(client.one(&UpdateOrderLine { id: OrderLineId(tote), changes })).unwrap();
    let changes = OrderWrite { ship_cost: Some(money("25.00")), ..OrderWrite::default() };
    block_on(client.one(&UpdateOrder { id: OrderId(po), changes })).unwrap();
    put_arrival(&client, po, "2026-10-01");
    let mut e = v.clone();
    set_price(&mut e, 0, 0, 31.5, 31.5);
    set_shipping(&mut e, "25.00");
    set_end_ship(&mut e, "2026-10-01");
    let p = plan(&client, &store, &e, false);
    assert_eq!((&p.state, p.conflicts.len(), p.counts), (&PlanState::Unchanged, 0, ChangeCounts::default()), "{p:#?}");
    assert_eq!(p.after.header.ship_cost, Some(money("25.00")));
    assert_eq!(p.after.header.arrival_date.as_deref(), Some("2026-10-01"));
    let line = p.after.lines.iter().find(|l| l.line_id.0 == tote).unwrap();
    assert_eq!(line.price, money("31.50"));
}

/// A revision stopped by a failure is resumed against the PO as it is then: a line the merchant
/// edited in between is left as the merchant's (a conflict), not written over by the old plan.
#[test]
fn a_resumed_update_leaves_the_lines_the_merchant_edited_since_it_stopped() {
    let (env, client) = setup();
    let store = MemoryUpdates::new();
    let v = order_json(H01);
    let po = export_v(&client, &store, &v);
    let (tote, scarf_s, scarf_l) = (lines_of(&env, po)[0].0, lines_of(&env, po)[1].0, lines_of(&env, po)[2].0);
    let mut e = v.clone();
    set_qty(&mut e, 0, 0, 8); // tote 12 → 8: a PUT
    set_price(&mut e, 1, 0, 14.0, 15.0); // scarf S at 14: a PUT the merchant leaves alone
    set_qty(&mut e, 1, 1, 0); // scarf L/XL left: a DELETE
    let p = plan(&client, &store, &e, false);
    assert_eq!((p.counts.quantity, p.counts.price, p.counts.removed), (1, 1, 1), "{p:#?}");
    let fault =
        serde_json::json!({"method": "PUT", "path": "/API/V3/Account/*/OrderLine/*", "kind": "500", "count": 50});
    env.post("/faults", fault);
    assert!(matches!(apply(&client, &store, &e, &p), UpdateRun::Failed { retryable: true, .. }));
    env.control(po_bridge::lightspeed::http::Method::Delete, "/faults", serde_json::json!({}));
    // Meanwhile the merchant sets the tote to 20 and the scarf L/XL to 5.
    put_line(&client, tote, 20);
    put_line(&client, scarf_l, 5);
    let UpdateRun::Updated(j) = apply(&client, &store, &e, &p) else { panic!("resumed to its end") };
    let after = lines_of(&env, po);
    assert!(after.iter().any(|l| l.0 == tote && l.2 == 20), "the merchant's 20 stays: {after:?}");
    assert!(after.iter().any(|l| l.0 == scarf_l && l.2 == 5), "the merchant's line stays: {after:?}");
    let left: Vec<_> = j.conflicts.iter().map(|c| (c.line_id.map(|l| l.0), c.wanted)).collect();
    assert_eq!(left, [(Some(tote), Some(8)), (Some(scarf_l), Some(0))]);
    assert_eq!((j.counts.quantity, j.counts.price, j.counts.removed), (0, 1, 0), "only what was written counts");
    assert!(after.iter().any(|l| l.0 == scarf_s && l.3 == "14"), "the rest of the revision is written: {after:?}");
    // Reviewed again, both are still the merchant's values.
    let again = plan(&client, &store, &e, false);
    assert_eq!(again.conflicts.len(), 2, "{:#?}", again.conflicts);
    assert_eq!(again.state, PlanState::Unchanged);
}

/// An added size whose line Lightspeed will not create does not hold back the PO's other
/// changes: they are written first, and running the update again adds the line.
#[test]
fn an_added_line_that_fails_leaves_the_other_changes_written() {
    let (env, client) = setup();
    let store = MemoryUpdates::new();
    let po = export_v(&client, &store, &order_json(H01));
    let (tote, scarf_l) = (lines_of(&env, po)[0].0, lines_of(&env, po)[2].0);
    let e = edited_h01();
    let p = plan(&client, &store, &e, false);
    assert_eq!(p.counts.added, 1, "{p:#?}");
    let fault =
        serde_json::json!({"method": "POST", "path": "/API/V3/Account/*/OrderLine.json", "kind": "500", "count": 50});
    env.post("/faults", fault);
    assert!(matches!(apply(&client, &store, &e, &p), UpdateRun::Failed { retryable: true, .. }));
    let after = lines_of(&env, po);
    assert!(after.iter().any(|l| l.0 == tote && l.2 == 8), "tote 12 → 8 written: {after:?}");
    assert!(!after.iter().any(|l| l.0 == scarf_l), "scarf L/XL deleted: {after:?}");
    assert_eq!(s(&po_row(&env, po)["shipCost"]), "12.5", "the header written");
    assert_eq!(after.len(), 2, "the added line not yet: {after:?}");
    env.control(po_bridge::lightspeed::http::Method::Delete, "/faults", serde_json::json!({}));
    let UpdateRun::Updated(_) = apply(&client, &store, &e, &p) else { panic!("resumed to its end") };
    assert_eq!(lines_of(&env, po).len(), 3, "the added line joins: {:?}", lines_of(&env, po));
}

#[test]
fn receiving_wins_and_a_checked_in_po_is_not_changed() {
    let (env, client) = setup();
    let store = MemoryUpdates::new();
    let v = order_json(H01);
    let po = export_v(&client, &store, &v);
    let lines = lines_of(&env, po);
    env.post(
        "/receive",
        serde_json::json!({"orderID": po.to_string(), "lines": [
        {"orderLineID": lines[0].0.to_string(), "numReceived": 6, "checkedIn": 4},
        {"orderLineID": lines[2].0.to_string(), "numReceived": 1}]}),
    );
    let mut e = v.clone();
    set_qty(&mut e, 0, 0, 8); // below the 10 received
    set_qty(&mut e, 1, 1, 0); // a line with 1 received leaves the order
    set_qty(&mut e, 1, 0, 9);
    let p = plan(&client, &store, &e, false);
    let got: Vec<_> = p.conflicts.iter().map(|c| (c.line_id.unwrap().0, c.wanted, c.received)).collect();
    assert_eq!(got, vec![(lines[0].0, Some(8), 10), (lines[2].0, Some(0), 1)], "{:#?}", p.conflicts);
    assert_eq!(p.counts, ChangeCounts { quantity: 1, ..ChangeCounts::default() });
    let UpdateRun::Updated(_) = apply(&client, &store, &e, &p) else { panic!() };
    let after = lines_of(&env, po);
    assert_eq!(after.iter().map(|l| l.2).collect::<Vec<_>>(), vec![12, 9, 6], "only S/M changed");

    // Checked in: nothing changes at all.
    env.post("/receive", serde_json::json!({"orderID": po.to_string(), "receivedDate": "2026-09-15"}));
    set_qty(&mut e, 1, 0, 2);
    let before = tables(&env);
    let p = plan(&client, &store, &e, false);
    assert_eq!(p.state, PlanState::Locked { lock: po_bridge::update::Lock::Received });
    assert!(p.lines.is_empty() && p.notes.iter().any(|n| n.contains("checked in")), "{p:#?}");
    assert_eq!(apply(&client, &store, &e, &p), UpdateRun::Nothing);
    assert_eq!(tables(&env), before);
}

#[test]
fn a_cancelled_order_deletes_nothing_and_archives_only_when_chosen() {
    let (env, client) = setup();
    let store = MemoryUpdates::new();
    let v = order_json(H01);
    let po = export_v(&client, &store, &v);
    let mut e = v.clone();
    e["status"] = "cancelled".into();
    let before = tables(&env);
    let p = plan(&client, &store, &e, false);
    assert_eq!(p.state, PlanState::Cancelled { archive: false, lock: None });
    assert!(p.notes[0].contains("still open"), "{:?}", p.notes);
    assert_eq!(apply(&client, &store, &e, &p), UpdateRun::Nothing);
    assert_eq!(tables(&env), before);
    // Edited down to no lines: the same.
    let mut none = v.clone();
    for (l, n) in [(0, 1), (1, 2)] {
        for sz in 0..n {
            set_qty(&mut none, l, sz, 0);
        }
    }
    assert_eq!(plan(&client, &store, &none, false).state, PlanState::Cancelled { archive: false, lock: None });
    // Archive chosen: the PO is archived, its lines stay.
    let p = plan(&client, &store, &e, true);
    let UpdateRun::Updated(_) = apply(&client, &store, &e, &p) else { panic!() };
    assert_eq!(s(&po_row(&env, po)["archived"]), "true");
    assert_eq!(lines_of(&env, po).len(), 3);
}

#[test]
fn a_cancelled_orders_po_checked_in_is_not_archived_even_when_chosen() {
    let (env, client) = setup();
    let store = MemoryUpdates::new();
    let v = order_json(H01);
    let po = export_v(&client, &store, &v);
    env.post("/receive", serde_json::json!({"orderID": po.to_string(), "receivedDate": "2026-09-15"}));
    let mut e = v.clone();
    e["status"] = "cancelled".into();
    let before = tables(&env);
    for chosen in [false, true] {
        let p = plan(&client, &store, &e, chosen);
        assert_eq!(p.state, PlanState::Cancelled { archive: false, lock: Some(Lock::Received) });
        assert!(p.notes[0].contains("is checked in and stays as it is"), "{:?}", p.notes);
        assert_eq!(apply(&client, &store, &e, &p), UpdateRun::Nothing);
    }
    assert_eq!(tables(&env), before);
}

#[test]
fn without_the_exports_record_lines_are_matched_by_item() {
    let (env, client) = setup();
    let exported_here = MemoryUpdates::new();
    let v = order_json(H01);
    let po = export_v(&client, &exported_here, &v);
    let scarf_l = lines_of(&env, po)[2].0;
    let hand = hand_line(&env, &client, po);
    let elsewhere = MemoryUpdates::new(); // another browser: no journal, no links
    let e = edited_h01();
    let p = plan(&client, &elsewhere, &e, false);
    assert_eq!(p.record, Record::ByItem);
    assert!(p.notes.iter().any(|n| n.contains("matched by item")), "{:?}", p.notes);
    // L/XL left the order: matched by item, its line is no longer the order's but the merchant's.
    assert_eq!(p.merchant_lines.iter().map(|l| l.0).collect::<Vec<_>>(), vec![scarf_l, hand]);
    assert_eq!(p.counts, ChangeCounts { added: 1, removed: 0, quantity: 1, price: 1, header: 2 }, "{p:#?}");
    let UpdateRun::Updated(_) = apply(&client, &elsewhere, &e, &p) else { panic!() };
    let after = lines_of(&env, po);
    assert!(after.iter().any(|l| l.0 == hand && l.2 == 2), "{after:?}");
    assert!(after.iter().any(|l| l.0 == scarf_l && l.2 == 6), "{after:?}");
    assert!(after.iter().any(|l| l.2 == 8), "tote 12 → 8: {after:?}");
    assert_eq!(after.len(), 5, "{after:?}");
    assert!(matches!(plan(&client, &elsewhere, &e, false).state, PlanState::Unchanged));
    // Not exported at all.
    let mut other = v.clone();
    other["_id"] = "6f3a9c21d4e5b607182900ff".into();
    other["order_number"] = "40718999".into();
    assert_eq!(reviewed(&client, &elsewhere, &other, false), Reviewed::NotExported);
}

/// A shop east of UTC (reference §3: a date-only write comes back as the shop's local midnight in
/// UTC, so Paris's 2026-09-15 reads `2026-09-14T22:00:00+00:00`): the arrival date PO Bridge
/// wrote reads back as written. Without the export's record nothing reads as changed, and a moved
/// ship window is a change to write, not a value the merchant changed.
#[test]
fn a_shop_east_of_utc_reads_its_arrival_date_back_as_written() {
    let (env, client) = setup();
    let paris = serde_json::json!({"shopID": "1", "name": "Harborview Paris", "timeZone": "Europe/Paris"});
    env.post("/seed", serde_json::json!({"replace": false, "accounts": [{"accountID": ACCT, "shops": [paris]}]}));
    let store = MemoryUpdates::new();
    let v = order_json(H01);
    let po = export_v(&client, &store, &v);
    assert_eq!(s(&po_row(&env, po)["arrivalDate"]), "2026-09-14T22:00:00+00:00", "Paris's midnight of 2026-09-15");

    let elsewhere = MemoryUpdates::new(); // another browser: matched by item, the header as shown
    let p = plan(&client, &elsewhere, &v, false);
    assert_eq!((&p.record, &p.state), (&Record::ByItem, &PlanState::Unchanged), "{p:#?}");

    let mut e = v.clone();
    set_end_ship(&mut e, "2026-10-01");
    let p = plan(&client, &store, &e, false);
    assert!(p.conflicts.is_empty(), "{:#?}", p.conflicts);
    assert_eq!(p.header.arrival_date.as_ref().and_then(|c| c.to.as_deref()), Some("2026-10-01"), "{p:#?}");
    let UpdateRun::Updated(_) = apply(&client, &store, &e, &p) else { panic!() };
    assert_eq!(s(&po_row(&env, po)["arrivalDate"]), "2026-09-30T22:00:00+00:00");
    assert_eq!(plan(&client, &store, &e, false).state, PlanState::Unchanged);
}

/// A merchant's edit in Lightspeed: the PO's arrival date, written date-only (the sandbox keeps it
/// as the shop's local midnight, as Lightspeed does).
fn put_arrival(client: &Client, po: u64, date: &str) {
    use po_bridge::lightspeed::endpoints::UpdateOrder;
    use po_bridge::lightspeed::{OrderId, OrderWrite};
    let changes = OrderWrite { arrival_date: Some(date.into()), ..OrderWrite::default() };
    po_bridge::lightspeed::native::block_on(client.one(&UpdateOrder { id: OrderId(po), changes })).unwrap();
}

/// Shops where the UTC hour of a local midnight says the wrong day — Kiritimati (UTC+14), Pago Pago
/// (UTC−11), Chatham in summer (UTC+13:45): read in the shop's `timeZone`, the untouched PO is
/// unchanged (without the export's record too), a moved ship window is a change to write, and the
/// merchant's own arrival date one day off the written one — which a guess from the UTC hour reads
/// as the written one — is a conflict, never overwritten.
fn a_shop_reads_its_arrival_dates_in_its_time_zone(zone: &str, end_ship: &str, midnight: &str, merchants: &str) {
    use po_bridge::update::{ConflictKind, HeaderField};
    let (env, client) = setup();
    let shop = serde_json::json!({"shopID": "1", "name": "Harborview Pacific", "timeZone": zone});
    env.post("/seed", serde_json::json!({"replace": false, "accounts": [{"accountID": ACCT, "shops": [shop]}]}));
    let store = MemoryUpdates::new();
    let mut v = order_json(H01);
    set_end_ship(&mut v, end_ship);
    let po = export_v(&client, &store, &v);
    assert_eq!(s(&po_row(&env, po)["arrivalDate"]), midnight, "{zone}'s midnight of {end_ship}");

    let p = plan(&client, &MemoryUpdates::new(), &v, false); // another browser: the header as shown
    assert_eq!((&p.record, &p.state), (&Record::ByItem, &PlanState::Unchanged), "{p:#?}");
    let mut e = v.clone();
    set_end_ship(&mut e, "2027-01-05");
    let p = plan(&client, &store, &e, false);
    assert!(p.conflicts.is_empty(), "{:#?}", p.conflicts);
    assert_eq!(p.header.arrival_date.as_ref().and_then(|c| c.to.as_deref()), Some("2027-01-05"));

    put_arrival(&client, po, merchants);
    let p = plan(&client, &store, &e, false);
    let kinds: Vec<_> = p.conflicts.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [ConflictKind::Header { field: HeaderField::ArrivalDate }], "the merchant's {merchants}");
    assert_eq!(p.header.arrival_date, None, "the merchant's date is not overwritten");
}

#[test]
fn a_shop_at_utc_plus_14_reads_its_arrival_dates_in_its_time_zone() {
    a_shop_reads_its_arrival_dates_in_its_time_zone(
        "Pacific/Kiritimati",
        "2026-09-15",
        "2026-09-14T10:00:00+00:00",
        "2026-09-16",
    );
}

#[test]
fn a_shop_at_utc_minus_11_reads_its_arrival_dates_in_its_time_zone() {
    a_shop_reads_its_arrival_dates_in_its_time_zone(
        "Pacific/Pago_Pago",
        "2026-09-15",
        "2026-09-15T11:00:00+00:00",
        "2026-09-14",
    );
}

#[test]
fn a_shop_at_utc_plus_13_45_reads_its_arrival_dates_in_its_time_zone() {
    // Chatham's summer time (its standard +12:45 the guess happens to read right).
    a_shop_reads_its_arrival_dates_in_its_time_zone(
        "Pacific/Chatham",
        "2026-12-15",
        "2026-12-14T10:15:00+00:00",
        "2026-12-16",
    );
}

/// A merchant's edit in Lightspeed: the line's units.
fn put_line(client: &Client, line: u64, quantity: i64) {
    use po_bridge::lightspeed::endpoints::UpdateOrderLine;
    use po_bridge::lightspeed::{OrderLineId, OrderLineWrite};
    let changes = OrderLineWrite { quantity: Some(quantity), ..OrderLineWrite::default() };
    po_bridge::lightspeed::native::block_on(client.one(&UpdateOrderLine { id: OrderLineId(line), changes })).unwrap();
}

#[test]
fn a_brand_edit_made_in_the_nuorder_sandbox_updates_the_po() {
    let (env, client) = setup();
    let store = MemoryUpdates::new();
    let po = export_v(&client, &store, &order_json(H01));
    // The brand edits the order through the NuORDER sandbox's control API; its answer is the
    // edited document, as NuORDER's order API now serves it.
    let edit = serde_json::json!({
        "end_ship": "2026-10-01", "shipping": 30,
        "lines": [{"product_id": "6512ab34cd56ef7890a10001", "sizes": {"OS": 10}},
                  {"style_number": "SCARF-07", "color": "RUST",
                   "sizes": {"L/XL": null, "XS": {"quantity": 2, "upc": "812345002034"}}}],
    });
    let url = format!("{}/__sandbox/nuorder/orders/40718821/edit", env.base);
    let req = po_bridge::lightspeed::http::HttpRequest::new(po_bridge::lightspeed::http::Method::Post, url)
        .with_json(edit.to_string());
    use po_bridge::lightspeed::http::Transport;
    let r = po_bridge::lightspeed::native::block_on(env.transport.send(req, 10_000)).unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let doc: Value = serde_json::from_str(&r.body).unwrap();
    let doc = if doc.get("_id").is_some() { doc } else { doc["data"].clone() };
    assert_eq!(doc["edited"], true, "{doc}");
    let p = plan(&client, &store, &doc, false);
    assert_eq!(p.counts, ChangeCounts { added: 1, removed: 1, quantity: 1, price: 0, header: 2 }, "{p:#?}");
    let UpdateRun::Updated(_) = apply(&client, &store, &doc, &p) else { panic!() };
    let mut q: Vec<i64> = lines_of(&env, po).iter().map(|l| l.2).collect();
    q.sort();
    assert_eq!(q, vec![2, 6, 10]);
    assert_eq!(cents(&s(&po_row(&env, po)["shipCost"])), 3000);
    assert_eq!(plan(&client, &store, &doc, false).state, PlanState::Unchanged);
}

#[test]
fn a_header_field_or_price_the_merchant_changed_is_a_conflict() {
    let (env, client) = setup();
    let store = MemoryUpdates::new();
    let v = order_json(H01);
    let po = export_v(&client, &store, &v);
    let scarf = lines_of(&env, po)[1].0;
    // The merchant moves the arrival date and reprices a line in Lightspeed.
    use po_bridge::lightspeed::endpoints::{UpdateOrder, UpdateOrderLine};
    use po_bridge::lightspeed::{OrderId, OrderLineId, OrderLineWrite, OrderWrite};
    let date = OrderWrite { arrival_date: Some("2026-09-30".into()), ..OrderWrite::default() };
    po_bridge::lightspeed::native::block_on(client.one(&UpdateOrder { id: OrderId(po), changes: date })).unwrap();
    let price =
        OrderLineWrite { price: Some(po_bridge::core::Money::parse("13").unwrap()), ..OrderLineWrite::default() };
    po_bridge::lightspeed::native::block_on(client.one(&UpdateOrderLine { id: OrderLineId(scarf), changes: price }))
        .unwrap();
    let mut e = v.clone();
    set_end_ship(&mut e, "2026-10-01");
    set_price(&mut e, 1, 0, 14.0, 15.0);
    set_shipping(&mut e, "9");
    let p = plan(&client, &store, &e, false);
    let kinds: Vec<_> = p.conflicts.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        vec![
            po_bridge::update::ConflictKind::Price { shown: po_bridge::core::Money::parse("13").unwrap() },
            po_bridge::update::ConflictKind::Header { field: po_bridge::update::HeaderField::ArrivalDate },
        ],
        "{p:#?}"
    );
    assert!(p.conflicts.iter().all(|c| c.advice().ends_with('.')));
    assert_eq!(p.counts, ChangeCounts { header: 1, ..ChangeCounts::default() }, "shipping still changes");
    let UpdateRun::Updated(_) = apply(&client, &store, &e, &p) else { panic!() };
    let row = po_row(&env, po);
    assert!(s(&row["arrivalDate"]).starts_with("2026-09-30"), "the merchant's date stays: {row}");
    assert_eq!(cents(&s(&row["shipCost"])), 900);
    assert!(lines_of(&env, po).iter().any(|l| l.0 == scarf && cents(&l.3) == 1300), "the merchant's price stays");
}

#[test]
fn an_added_size_that_needs_a_choice_waits_for_it() {
    let (env, client) = setup();
    let store = MemoryUpdates::new();
    let v = order_json(H01);
    let po = export_v(&client, &store, &v);
    env.post(
        "/seed",
        serde_json::json!({"replace": false, "accounts": [{"accountID": ACCT, "items": [
            {"description": "Scarf XS A", "upc": "812345002034"}, {"description": "Scarf XS B", "upc": "812345002034"}]}]}),
    );
    let mut e = v.clone();
    add_size(&mut e, 1, "XS", 3, 15.0, "812345002034");
    let p = plan(&client, &store, &e, false);
    assert_eq!(p.state, PlanState::NeedsChoice { rows: 1 });
    let RowStatus::NeedsChoice { candidates, .. } = &p.added_rows[0].status else { panic!("{p:#?}") };
    let chosen = candidates[1].item_id;
    let before = tables(&env);
    assert_eq!(apply(&client, &store, &e, &p), UpdateRun::Nothing, "nothing written without the choice");
    assert_eq!(tables(&env), before);
    let choice = (p.added_rows[0].key.clone(), po_bridge::export::plan::Choice::Item { item_id: chosen });
    let r = po_bridge::lightspeed::native::block_on(po_bridge::update::review_choosing(
        &client,
        &store,
        ACCT,
        &staged_v(&e),
        false,
        &[choice],
        &po_bridge::app::platform::native_date_in_zone,
    ))
    .unwrap();
    let Reviewed::Plan(p) = r else { panic!() };
    assert_eq!(p.counts, ChangeCounts { added: 1, ..ChangeCounts::default() });
    let UpdateRun::Updated(_) = apply(&client, &store, &e, &p) else { panic!() };
    assert!(lines_of(&env, po).iter().any(|l| l.1 == chosen.0 && l.2 == 3), "the chosen item's line");
}

#[test]
fn an_update_stopped_for_good_part_way_leaves_a_true_record_of_what_it_wrote() {
    let (env, client) = setup();
    let store = MemoryUpdates::new();
    let v = order_json(H01);
    let po = export_v(&client, &store, &v);
    let mut e = v.clone();
    set_qty(&mut e, 0, 0, 8);
    set_qty(&mut e, 1, 0, 4);
    set_qty(&mut e, 1, 1, 0);
    let p = plan(&client, &store, &e, false);
    assert_eq!(p.counts, ChangeCounts { quantity: 2, removed: 1, ..ChangeCounts::default() });
    // The PO is checked in right after the first line's PUT: the next write is refused (400).
    let mut locked = false;
    let mut progress = |j: &po_bridge::update::UpdateJournal| {
        if j.steps[0].done && !locked {
            locked = true;
            std::thread::scope(|sc| {
                let body = serde_json::json!({"orderID": po.to_string(), "receivedDate": "2026-09-15"});
                sc.spawn(|| env.post("/receive", body)).join().unwrap();
            });
        }
    };
    let run = po_bridge::lightspeed::native::block_on(po_bridge::update::run_update(
        &client,
        &store,
        &key_v(&e),
        Some(&p),
        5,
        &mut progress,
    ))
    .unwrap();
    let UpdateRun::Failed { retryable: false, message } = run else { panic!("{run:?}") };
    assert!(message.ends_with('.'), "{message}");
    // Opened again: the next review knows the first PUT happened (no conflict for it) and plans
    // the rest.
    env.post("/receive", serde_json::json!({"orderID": po.to_string(), "receivedDate": null}));
    let p = plan(&client, &store, &e, false);
    assert!(p.conflicts.is_empty(), "{:#?}", p.conflicts);
    assert_eq!(p.counts, ChangeCounts { quantity: 1, removed: 1, ..ChangeCounts::default() });
    let UpdateRun::Updated(j) = apply(&client, &store, &e, &p) else { panic!() };
    assert_eq!(j.revision, 2);
    let mut q: Vec<i64> = lines_of(&env, po).iter().map(|l| l.2).collect();
    q.sort();
    assert_eq!(q, vec![4, 8]);
}
