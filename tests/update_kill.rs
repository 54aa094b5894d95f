//! An update killed at any write resumes to one correct PO (issue 18, item 5): killed before and
//! after every send of an update that creates an item (in its product's matrix) and adds its
//! line, updates two lines in place, deletes one and changes the header, the next run resumes the
//! stored revision and ends with exactly the PO a clean run makes — the same PO id, the new item
//! once, the hand-added line untouched — and a review afterwards finds nothing to do.

mod client_support;
mod export_run_support;
mod update_support;
use client_support::*;
use export_run_support::kill::*;
use export_run_support::*;
use update_support::*;

use po_bridge::app::platform::native_date_in_zone;
use po_bridge::lightspeed::native::block_on;
use po_bridge::update::{run_update, MemoryUpdates, PlanState, UpdatePlan, UpdateRun};
use serde_json::Value;

fn edited(v: &Value) -> Value {
    let mut e = v.clone();
    set_qty(&mut e, 0, 0, 8);
    set_price(&mut e, 1, 0, 14.0, 15.0);
    set_qty(&mut e, 1, 1, 0);
    add_size(&mut e, 1, "XS", 3, 15.0, "812345002034");
    set_end_ship(&mut e, "2026-10-01");
    e
}

/// A fresh sandbox with h01 exported and a line added by hand; the PO, the hand line, the store
/// and the update's plan.
fn exported(env: &Env) -> (String, u64, u64, MemoryUpdates, UpdatePlan) {
    let token = fresh_sandbox(env);
    let c = env.static_client(ScaledClock::new(50.0), &token);
    let store = MemoryUpdates::new();
    let v = order_json(H01);
    let (_, out) = export(&c, &store.journals, &staged(order_from(&v)));
    let po = match out {
        po_bridge::export::runner::RunOutcome::Exported { po_id } => po_id.0,
        other => panic!("{other:?}"),
    };
    let hand = hand_line(env, &c, po);
    let st = staged(order_from(&edited(&v)));
    let p = block_on(po_bridge::update::review(&c, &store, ACCT, &st, false, &native_date_in_zone)).unwrap();
    let po_bridge::update::Reviewed::Plan(p) = p else { panic!("{p:?}") };
    assert_eq!(p.state, PlanState::Changes);
    (token, po, hand, store, *p)
}

/// The PO as (quantity, price in cents) per line, with the hand-added line, the new item once and
/// the arrival date.
fn assert_updated(env: &Env, po: u64, hand: u64, what: &str) {
    let lines = lines_of(env, po);
    let mut shape: Vec<(i64, i64)> = lines.iter().map(|l| (l.2, cents(&l.3))).collect();
    shape.sort();
    assert_eq!(shape, vec![(2, 500), (3, 1500), (6, 1400), (8, 1800)], "{what}: {lines:?}");
    assert!(lines.iter().any(|l| l.0 == hand && l.2 == 2), "{what}: hand-added line untouched");
    assert_eq!(items_with_code(env, "812345002034").len(), 1, "{what}: the new item once");
    assert_eq!(counts(env).3, 1, "{what}: one PO");
    assert!(s(&po_row(env, po)["arrivalDate"]).starts_with("2026-10-01"), "{what}");
}

#[test]
fn an_update_killed_before_or_after_every_send_resumes_to_one_correct_po() {
    let env = start();
    let v = order_json(H01);
    let k = key_v(&v);

    // A clean run counts the update's sends.
    let (token, po, hand, store, p) = exported(&env);
    let (c, killer) = killer_client(&env, &token, None, false);
    let run = block_on(run_update(&c, &store, &k, Some(&p), 1, &mut |_| {})).unwrap();
    assert!(matches!(run, UpdateRun::Updated(_)), "{run:?}");
    let sends = killer.sends.get();
    assert_eq!(sends, 7, "item (+ twin check), line, 2 line PUTs, DELETE, header PUT");
    assert_updated(&env, po, hand, "clean run");
    // No matrix: the new size joins the one its product's other sizes are in.
    let matrix = |code: &str| s(&items_with_code(&env, code)[0]["itemMatrixID"]);
    assert_eq!(matrix("812345002034"), matrix("812345002010"));

    for after in [false, true] {
        for kill_at in 1..=sends {
            let what = format!("killed {} send {kill_at}", if after { "after" } else { "before" });
            let (token, po, hand, store, p) = exported(&env);
            let (c, killer) = killer_client(&env, &token, Some(kill_at), after);
            let r = run_until_killed(run_update(&c, &store, &k, Some(&p), 1, &mut |_| {}), &killer.killed);
            assert!(r.is_none(), "{what}: the kill fired");
            drop(c);
            // The next process resumes the stored revision (no plan given).
            let (c, _) = killer_client(&env, &token, None, false);
            let run =
                block_on(run_update(&c, &store, &k, None, 2, &mut |_| {})).unwrap_or_else(|e| panic!("{what}: {e}"));
            let UpdateRun::Updated(j) = run else { panic!("{what}: {run:?}") };
            assert_eq!(j.revision, 1, "{what}");
            assert_updated(&env, po, hand, &what);
            // Exactly once: a review now finds nothing to do.
            let st = staged(order_from(&edited(&v)));
            let again = block_on(po_bridge::update::review(&c, &store, ACCT, &st, false, &native_date_in_zone));
            let po_bridge::update::Reviewed::Plan(again) = again.unwrap() else { panic!("{what}") };
            assert_eq!(again.state, PlanState::Unchanged, "{what}: {again:#?}");
        }
    }
}
