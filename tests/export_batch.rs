//! Job sets (issue 19, item 3) against the Lightspeed sandbox: a batch of orders sharing new
//! styles creates each vendor, matrix and item once and each PO with its own lines; a failing
//! order or one that needs a choice leaves the others done; Cancel stops before the next order;
//! the set's one read phase asks every code once for all orders (fewer requests than one by one);
//! a long rate-limit wait and a dead link pause the set, and it resumes.

mod client_support;
mod export_run_support;
use client_support::*;
use export_run_support::*;

use export_run_support::batch::*;
use po_bridge::export::batch::{
    cancel_job_set, preview_set, run_job_set, set_reads, start_job_set, JobSet, OrderState, SetRun,
};
use po_bridge::export::codes::{CodeBatch, MAX_IN_VALUES};
use po_bridge::export::journal::MemoryStore;
use po_bridge::export::plan::{ChoiceReason, Lookups, Read, RowStatus};
use po_bridge::export::runner::{preview, Staged, StartJob};
use po_bridge::lightspeed::client::{LightspeedClient, StaticToken};
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::ShopId;
use serde_json::json;

fn run_set(client: &Client, store: &MemoryStore, orders: &[Staged], jobs: &[StartJob]) -> (SetRun, JobSet) {
    let key = set_key(orders);
    block_on(start_job_set(store, &key, jobs)).unwrap();
    let run = block_on(run_job_set(client, store, &key, orders, &mut |_, _| {})).expect("run_job_set");
    (run, stored_set(store, &key))
}

#[test]
fn a_batch_sharing_new_styles_creates_each_record_once_and_each_po_its_own_lines() {
    let (env, client, store, orders, jobs) = sharing_set();
    let (run, set) = run_set(&client, &store, &orders, &jobs);
    assert_eq!(run, SetRun::Finished);
    assert_shared_once(&env, &set, "batch");
    // Running the finished set again writes nothing.
    let again = block_on(run_job_set(&client, &store, &set.key, &orders, &mut |_, _| {})).unwrap();
    assert_eq!(again, SetRun::Finished);
    assert_eq!(counts(&env), (3, 2, 11, 2, 11));
}

#[test]
fn a_failing_order_and_one_needing_a_choice_leave_the_others_done() {
    let (env, client) = setup();
    let store = MemoryStore::new();
    let orders = vec![
        variant("h01-basic-all-upcs", 1, &[0]),
        variant("h02-two-colors-missing-upcs", 2, &[1]),
        variant("h01-basic-all-upcs", 3, &[1]),
        variant("h02-two-colors-missing-upcs", 4, &[0]),
    ];
    let mut jobs = starts(&client, &store, &orders);
    jobs[0].shop_id = ShopId(999); // Lightspeed refuses its PO: the first order fails for good
    let row = &mut jobs[1].plan.rows[0]; // the second order waits for a choice
    row.status = RowStatus::NeedsChoice { reason: ChoiceReason::SeveralMatches, candidates: vec![], choice: None };
    let (run, set) = run_set(&client, &store, &orders, &jobs);
    assert_eq!(run, SetRun::Finished);
    assert!(matches!(&set.orders[0].state, OrderState::Failed { retryable: false, .. }), "{:?}", set.orders[0].state);
    assert_eq!(set.orders[1].state, OrderState::NeedsChoice { rows: 1 });
    po_of(&set.orders[2].state);
    po_of(&set.orders[3].state);
    assert_eq!(set.label(), "2 of 4 exported · 1 failed · 1 needs a choice", "the bar says why two are short");
    assert_eq!(counts(&env).3, 2, "two POs");
    let mut stopped = set.clone();
    stopped.orders[2].state = OrderState::NeedsChoice { rows: 3 };
    stopped.orders[3].state = OrderState::NeedsRelink;
    let label = "0 of 4 exported · 1 failed · 2 need a choice · Lightspeed must be reconnected";
    assert_eq!(stopped.label(), label);
}

#[test]
fn cancel_stops_before_the_next_order_and_the_started_one_finishes() {
    let (env, client) = setup();
    let store = MemoryStore::new();
    let orders: Vec<Staged> = (1..=3).map(|n| variant("h01-basic-all-upcs", n, &[0, 1])).collect();
    let jobs = starts(&client, &store, &orders);
    let key = set_key(&orders);
    block_on(start_job_set(&store, &key, &jobs)).unwrap();
    // Cancel while the second order runs.
    let mut cancelled = false;
    let mut progress = |set: &JobSet, j: Option<&po_bridge::export::journal::Journal>| {
        if !cancelled && j.is_some() && set.current() == Some(1) {
            now(cancel_job_set(&store, &key)).unwrap();
            cancelled = true;
        }
    };
    let run = block_on(run_job_set(&client, &store, &key, &orders, &mut progress)).unwrap();
    assert_eq!(run, SetRun::Cancelled);
    let set = stored_set(&store, &key);
    po_of(&set.orders[0].state);
    po_of(&set.orders[1].state);
    assert_eq!(set.orders[2].state, OrderState::Cancelled);
    assert_eq!(set.label(), "2 of 3 exported · 1 cancelled", "the bar says why one is short");
    assert_eq!(counts(&env).3, 2, "the third order wrote nothing");
}

#[test]
fn set_reads_share_every_order_s_lookups_in_batches_of_at_most_100() {
    let codes = |from: usize, n: usize| (from..from + n).map(|i| format!("{i:012}")).collect::<Vec<_>>();
    let order = |from: usize| Lookups {
        vendor_name: "Harbor Goods".into(),
        codes: vec![CodeBatch { values: codes(from, 80) }],
        ..Lookups::default()
    };
    // Three orders of one brand, 80 code forms each, 40 of them shared with the next order.
    let reads = set_reads(&[order(0), order(40), order(80)]);
    let by_code: Vec<&CodeBatch> =
        reads.iter().filter_map(|r| if let Read::ItemsByCode(b) = r { Some(b) } else { None }).collect();
    assert_eq!(by_code.iter().map(|b| b.values.len()).collect::<Vec<_>>(), vec![100, 60]);
    assert!(by_code.iter().all(|b| b.values.len() <= MAX_IN_VALUES));
    let vendor_reads = reads.iter().filter(|r| matches!(r, Read::VendorsByName(_))).count();
    assert_eq!(vendor_reads, 1, "one vendor lookup per brand");
    assert!(!reads.iter().any(|r| matches!(r, Read::ExistingPo(_))));
}

#[test]
fn the_batch_preview_makes_fewer_code_lookups_than_one_by_one() {
    let (_env, client) = setup();
    let store = MemoryStore::new();
    let orders = vec![
        variant("h01-basic-all-upcs", 1, &[0, 1]),
        variant("h02-two-colors-missing-upcs", 2, &[0]),
        variant("h02-two-colors-missing-upcs", 3, &[0, 1]),
    ];
    let requests = |c: &Client| c.stats().requests;
    let before = requests(&client);
    for s in &orders {
        block_on(preview(&client, &store, ACCT, s)).unwrap();
    }
    let one_by_one = requests(&client) - before;
    let before = requests(&client);
    let batch = block_on(preview_set(&client, &store, ACCT, &orders)).unwrap();
    let together = requests(&client) - before;
    assert!(batch.iter().all(|p| p.is_ok()));
    // One by one: per order a vendor lookup, a PO check and a code lookup (+ SKU lookups for
    // the code-less rows). Together: one of each for the brand and the orders.
    assert!(together < one_by_one, "batch {together} requests, one by one {one_by_one}");
    assert!(together <= 5, "vendor + PO check + codes + vendor numbers + SKUs: {together}");
}

#[test]
fn a_dead_link_and_a_long_rate_limit_wait_pause_the_set_and_it_resumes() {
    let (env, _client, store, orders, jobs) = sharing_set();
    let key = set_key(&orders);
    block_on(start_job_set(&store, &key, &jobs)).unwrap();
    // A client that will not wait more than 1 s meets a full bucket: the set pauses, nothing fails.
    env.post("/registers", json!({"registers": 1}));
    env.post("/bucket", json!({"level": 95}));
    let mut cfg = env.config();
    cfg.max_wait_ms = 1_000;
    let token = env.mint(json!({})).access_token;
    let impatient = LightspeedClient::new(env.transport.clone(), ScaledClock::new(50.0), StaticToken(token), cfg);
    let run = block_on(run_job_set(&impatient, &store, &key, &orders, &mut |_, _| {})).unwrap();
    assert!(matches!(run, SetRun::Paused { resume_after_ms } if resume_after_ms > 1_000), "{run:?}");
    let set = stored_set(&store, &key);
    assert_eq!((set.orders[0].state.clone(), set.orders[1].state.clone()), (OrderState::Running, OrderState::Waiting));
    env.relax_limits();
    env.post("/bucket", json!({"level": 0}));
    // The link dies during the second order: the set waits for a new link.
    let dying = env.mint(json!({})).access_token;
    let c = env.static_client(ScaledClock::new(50.0), &dying);
    let mut revoked = false;
    let mut progress = |set: &JobSet, j: Option<&po_bridge::export::journal::Journal>| {
        if !revoked && j.is_some() && set.current() == Some(1) {
            std::thread::scope(|sc| {
                sc.spawn(|| env.post("/tokens/revoke", json!({"access_token": dying}))).join().unwrap();
            });
            revoked = true;
        }
    };
    let run = block_on(run_job_set(&c, &store, &key, &orders, &mut progress)).unwrap();
    assert_eq!(run, SetRun::NeedsRelink);
    let set = stored_set(&store, &key);
    po_of(&set.orders[0].state);
    assert_eq!(set.orders[1].state, OrderState::NeedsRelink);
    // Re-linked: the same set finishes with each shared record once.
    let fresh = env.mint(json!({})).access_token;
    let c = env.static_client(ScaledClock::new(50.0), &fresh);
    assert_eq!(block_on(run_job_set(&c, &store, &key, &orders, &mut |_, _| {})).unwrap(), SetRun::Finished);
    assert_shared_once(&env, &stored_set(&store, &key), "after a pause and a relink");
}
