//! A job set's new records made together (issue 19, item 3, and the bench's batch target): the
//! first order of each vendor to start creates the new matrices and items of every later order of
//! that vendor in the set with its own, so each is created once and twin-checked once per vendor
//! (one matrix and one item twin check, not one per order); the later orders only write their POs.
//! An order that needs a choice leaves it to the next; an order exported meanwhile gets nothing
//! written for it (its existing-PO check is asked before the first order's first write); Cancel
//! after the first order leaves the later orders' items, which their next export takes; an update
//! of the first order later sees only its own lines.

mod client_support;
mod export_run_support;
mod update_support;
use client_support::*;
use export_run_support::batch::*;
use export_run_support::converge::*;
use export_run_support::*;

use po_bridge::export::batch::{cancel_job_set, run_job_set, start_job_set, JobSet, OrderState, SetRun};
use po_bridge::export::journal::{Journal, JournalStore, MemoryStore, RecordKind, StepKind, StepState};
use po_bridge::export::plan::{ChoiceReason, Resolved, RowStatus};
use po_bridge::export::runner::{run_export, RunOutcome, Staged, StartJob};
use po_bridge::lightspeed::client::{LightspeedClient, StaticToken, TokenSource};
use po_bridge::lightspeed::http::{Clock, Transport};
use po_bridge::lightspeed::native::block_on;
use po_bridge::update::{ChangeCounts, PlanState, Record, UpdateRun};
use serde_json::json;

const H02: &str = "h02-two-colors-missing-upcs";
const HARBOR: [&str; 7] = ["812345003017", "812345003024", "812345003031", "812345003116", "812345003123", "", ""];
const PIER: [&str; 3] = ["812345001013", "812345002010", "812345002027"];

fn run<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    store: &MemoryStore,
    orders: &[Staged],
    jobs: &[StartJob],
) -> JobSet {
    let key = set_key(orders);
    block_on(start_job_set(store, &key, jobs)).unwrap();
    assert_eq!(block_on(run_job_set(client, store, &key, orders, &mut |_, _| {})).unwrap(), SetRun::Finished);
    stored_set(store, &key)
}

/// How many of `j`'s steps are of each kind: (matrices, items, matrix twin checks, item twin
/// checks, lines).
fn shape(j: &Journal) -> (usize, usize, usize, usize, usize) {
    let n = |f: fn(&StepKind) -> bool| j.steps.iter().filter(|s| f(&s.kind)).count();
    (
        n(|k| matches!(k, StepKind::Matrix { .. })),
        n(|k| matches!(k, StepKind::Item { .. })),
        n(|k| matches!(k, StepKind::MatrixTwins { .. })),
        n(|k| matches!(k, StepKind::ItemTwins { .. })),
        n(|k| matches!(k, StepKind::Line { .. })),
    )
}

fn codes_once(env: &Env, codes: &[&str], what: &str) {
    for code in codes.iter().filter(|c| !c.is_empty()) {
        assert_eq!(items_with_code(env, code).len(), 1, "{what}: {code}");
    }
}

#[test]
fn the_first_order_of_each_vendor_creates_the_set_s_new_records_and_checks_their_twins_once() {
    let (env, client) = setup();
    let store = MemoryStore::new();
    assert_eq!(counts(&env), (2, 0, 4, 0, 0), "the sandbox's seed");
    let orders = vec![
        variant("h02-two-colors-missing-upcs", 1, &[0]),
        branded("h01-basic-all-upcs", 2, &[0], "Pier Supply"),
        variant("h02-two-colors-missing-upcs", 3, &[0, 1]),
        branded("h01-basic-all-upcs", 4, &[0, 1], "Pier Supply"),
    ];
    let jobs = starts(&client, &store, &orders);
    let set = run(&client, &store, &orders, &jobs);
    assert_eq!(set.label(), "4 of 4 exported");
    // Two new vendors, 2 + 2 matrices, 7 + 3 items (each once), 4 POs with 4, 1, 7 and 3 lines.
    assert_eq!(counts(&env), (4, 4, 14, 4, 15));
    codes_once(&env, &HARBOR, "Harbor Goods");
    codes_once(&env, &PIER, "Pier Supply");
    let lines: Vec<usize> = set.orders.iter().map(|o| po_lines(&env, po_of(&o.state)).len()).collect();
    assert_eq!(lines, vec![4, 1, 7, 3], "each PO its own lines");
    let shapes: Vec<_> = orders.iter().map(|s| shape(&journal(&store, s))).collect();
    // The first order of each vendor: every matrix and item of the vendor's orders, one twin check
    // of each kind, its own lines only. The later orders: no record but their PO and lines.
    assert_eq!(shapes, vec![(2, 7, 1, 1, 4), (2, 3, 1, 1, 1), (0, 0, 0, 0, 7), (0, 0, 0, 0, 3)]);
    for (s, own) in orders.iter().zip([4, 1, 7, 3]) {
        assert_eq!(journal(&store, s).rows.len(), own, "a journal's rows are its own order's");
    }
    // The first orders' existing-PO checks were asked with the later orders' before any write;
    // the later orders ask their own before their POs.
    let checked = |s: &Staged| journal(&store, s).steps[0].status == StepState::Done { id: None };
    assert!(orders.iter().all(checked));
    // The later orders' rows are linked to the items the first orders made.
    let links = block_on(store.load_links(ACCT)).unwrap();
    for s in &orders[2..] {
        let j = journal(&store, s);
        assert!(j.rows.iter().all(|r| links.items.get(&r.row) == j.item_id(r.item).as_ref()));
    }
}

#[test]
fn when_the_first_order_needs_a_choice_the_next_one_creates_the_records() {
    let (env, client) = setup();
    let store = MemoryStore::new();
    let orders = vec![
        variant("h02-two-colors-missing-upcs", 1, &[0]),
        variant("h02-two-colors-missing-upcs", 2, &[0]),
        variant("h02-two-colors-missing-upcs", 3, &[0, 1]),
    ];
    let mut jobs = starts(&client, &store, &orders);
    jobs[0].plan.rows[0].status =
        RowStatus::NeedsChoice { reason: ChoiceReason::SeveralMatches, candidates: vec![], choice: None };
    let set = run(&client, &store, &orders, &jobs);
    assert_eq!(set.orders[0].state, OrderState::NeedsChoice { rows: 1 });
    assert_eq!(counts(&env), (3, 2, 11, 2, 11));
    codes_once(&env, &HARBOR, "needs a choice");
    assert_eq!(shape(&journal(&store, &orders[1])), (2, 7, 1, 1, 4));
    assert_eq!(shape(&journal(&store, &orders[2])), (0, 0, 0, 0, 7));
}

#[test]
fn an_order_exported_meanwhile_gets_nothing_written_for_it() {
    // A later order exported by NuORDER's integration after the preview: the first order does not
    // create its items.
    let (env, client, store, orders, jobs) = sharing_set();
    seed_integration_po(&env, "50000002");
    let set = run(&client, &store, &orders, &jobs);
    po_of(&set.orders[0].state);
    assert!(matches!(set.orders[1].state, OrderState::AlreadyExported { .. }), "{:?}", set.orders[1].state);
    assert_eq!(counts(&env), (3, 1, 8, 2, 4), "the first order's NAVY only (and the seeded PO)");
    for code in &HARBOR[3..5] {
        assert!(items_with_code(&env, code).is_empty(), "no OATMEAL item: {code}");
    }

    // The first order exported meanwhile: it writes nothing; the second creates its own records.
    let (env, client) = setup();
    let store = MemoryStore::new();
    let jobs = starts(&client, &store, &orders);
    seed_integration_po(&env, "50000001");
    let set = run(&client, &store, &orders, &jobs);
    assert!(matches!(set.orders[0].state, OrderState::AlreadyExported { .. }), "{:?}", set.orders[0].state);
    po_of(&set.orders[1].state);
    assert_eq!(counts(&env), (3, 2, 11, 2, 7));
    assert_eq!(shape(&journal(&store, &orders[1])), (2, 7, 1, 1, 7));
}

fn seed_integration_po(env: &Env, number: &str) {
    let po = json!({"vendorID": "1", "shopID": "1", "b2bOrderNumber": number, "refNum": "PO-from-NuORDER"});
    env.post("/seed", json!({"replace": false, "accounts": [{"accountID": ACCT, "orders": [po]}]}));
}

#[test]
fn cancel_after_the_first_order_leaves_the_later_orders_items_for_their_next_export() {
    let (env, client, store, orders, jobs) = sharing_set();
    let key = set_key(&orders);
    block_on(start_job_set(&store, &key, &jobs)).unwrap();
    let mut cancelled = false;
    let mut progress = |_: &JobSet, j: Option<&Journal>| {
        if !cancelled && j.is_some() {
            now(cancel_job_set(&store, &key)).unwrap();
            cancelled = true;
        }
    };
    assert_eq!(block_on(run_job_set(&client, &store, &key, &orders, &mut progress)).unwrap(), SetRun::Cancelled);
    let set = stored_set(&store, &key);
    po_of(&set.orders[0].state);
    assert_eq!(set.orders[1].state, OrderState::Cancelled);
    // The second order's OATMEAL matrix and items exist (made with the first order's), once.
    assert_eq!(counts(&env), (3, 2, 11, 1, 4));
    codes_once(&env, &HARBOR, "cancelled");
    // The first order saved the links its export would have saved for them.
    let links = block_on(store.load_links(ACCT)).unwrap();
    assert!(jobs[1].plan.rows.iter().all(|r| links.items.contains_key(&r.key)), "links of the second order's rows");
    // Exported later on its own, the second order takes them: nothing new, its own PO and lines.
    let (p, out) = export(&client, &store, &orders[1]);
    assert!(matches!(out, RunOutcome::Exported { .. }), "{out:?}");
    assert_eq!(p.plan.counts.new, 0, "every row matched: {:?}", p.plan.counts);
    assert_eq!(counts(&env), (3, 2, 11, 2, 11));
}

/// Another browser exports the set's second order on its own while the set runs; the PO creates
/// are held so that one side has made every record before the other makes its own. Whichever made
/// them first, the other's twin checks give its copies up: each code one live item, each order one
/// live PO with its own lines.
#[test]
fn a_set_and_another_browser_s_export_of_its_second_order_converge() {
    for set_first in [true, false] {
        let what = if set_first { "the set's first order made them first" } else { "the other browser first" };
        let (env, client) = setup();
        let orders = sharing();
        let store = std::sync::Arc::new(MemoryStore::new());
        let jobs = starts(&client, &store, &orders);
        let single = StartJob { staged: orders[1].clone(), ..jobs[1].clone() };
        let h = hold(&env, ORDER_POST, 2);
        // Each side in its own thread with its own client (and the other browser its own store).
        let browser = || {
            let (transport, config, token) = (env.transport.clone(), env.config(), env.mint(json!({})).access_token);
            move || LightspeedClient::new(transport, ScaledClock::new(50.0), StaticToken(token), config)
        };
        let spawn_set = || {
            let (client, store, orders, jobs) = (browser(), store.clone(), orders.clone(), jobs.clone());
            std::thread::spawn(move || run(&client(), &store, &orders, &jobs))
        };
        let spawn_single = || {
            let (client, single) = (browser(), single.clone());
            std::thread::spawn(move || {
                let k = key(&single.staged.order);
                block_on(run_export(&client(), &MemoryStore::new(), &k, Some(single), &mut |_| {})).unwrap()
            })
        };
        let (set, other) = if set_first {
            let set = spawn_set();
            wait_holding(&env, h, 1);
            (set, spawn_single())
        } else {
            let other = spawn_single();
            wait_holding(&env, h, 1);
            (spawn_set(), other)
        };
        wait_holding(&env, h, 2);
        release(&env, h, 2);
        let (set, other) = (set.join().unwrap(), other.join().unwrap());
        po_of(&set.orders[0].state);
        assert!(matches!(set.orders[1].state, OrderState::AlreadyExported { .. }), "{what}: {:?}", set.orders[1].state);
        assert!(matches!(other, RunOutcome::Exported { .. }), "{what}: {other:?}");
        assert_converged(&env, "NuORDER 50000001", "Harbor Goods", 4, 18, what);
        assert_converged(&env, "NuORDER 50000002", "Harbor Goods", 7, 26, what);
        assert_eq!(live_new_items(&env), 7, "{what}");
        // The side that came second gave up its 7 items (the set: its first order, for both).
        let j = journal(&store, &orders[0]);
        let given_up = j.converged.iter().filter(|c| c.record == RecordKind::Item).count();
        assert_eq!(given_up, if set_first { 0 } else { 7 }, "{what}: {:?}", j.converged);
        clear_holds(&env);
    }
}

/// The first order's journal holds items no line of its PO uses: an update of that order compares
/// its own lines only, and an edit adding the second order's style takes the items made for it.
#[test]
fn an_update_of_the_first_order_sees_its_own_lines_only() {
    let (env, client) = setup();
    let store = po_bridge::update::MemoryUpdates::new();
    let (first, second) = (variant_json(H02, 1, &[0]), variant_json(H02, 2, &[0, 1]));
    let orders = vec![staged(order_from(&first)), staged(order_from(&second))];
    let jobs = starts(&client, &store.journals, &orders);
    let set = run(&client, &store.journals, &orders, &jobs);
    let po = po_of(&set.orders[0].state);
    assert_eq!(shape(&journal(&store.journals, &orders[0])).1, 7, "the first order made both orders' items");
    let p = update_support::plan(&client, &store, &first, false);
    assert_eq!(p.state, PlanState::Unchanged, "{p:#?}");
    assert_eq!(p.record, Record::Export);
    assert!(p.merchant_lines.is_empty(), "{:?}", p.merchant_lines);
    // The brand adds OATMEAL to the first order: three lines, on the items made for the second.
    let edited = variant_json(H02, 1, &[0, 1]);
    let (p, run) = update_support::update(&client, &store, &edited);
    assert_eq!(p.counts, ChangeCounts { added: 3, ..ChangeCounts::default() }, "{p:#?}");
    assert!(p.added_rows.iter().all(|r| r.status.resolved() != Resolved::Create), "{:?}", p.added_rows);
    assert!(matches!(run, UpdateRun::Updated(_)), "{run:?}");
    assert_eq!(counts(&env), (3, 2, 11, 2, 14), "no item made twice");
    assert_eq!(po_lines(&env, po), po_lines(&env, po_of(&set.orders[1].state)), "the same 7 lines");
}
