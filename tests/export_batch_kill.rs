//! A job set killed before or after every single send of its run (issue 19, Done when) resumes,
//! from the stored set and journals only, to the same end state as a clean run: each record the
//! two orders share made once, each PO with its own lines, both orders exported. The sends are
//! those of the set's shape: the two orders' existing-PO checks asked together, then the first
//! order creating every new matrix and item of both (the second's OATMEAL too) with one twin
//! check of each kind, its PO; then the second order's own check and PO.

mod client_support;
mod export_run_support;
use client_support::*;
use export_run_support::batch::*;
use export_run_support::kill::{fresh_sandbox, killer_client, run_until_killed};

use po_bridge::export::batch::{run_job_set, start_job_set, SetRun};
use po_bridge::export::journal::{MemoryStore, StepKind};
use po_bridge::lightspeed::native::block_on;

#[test]
fn a_batch_killed_before_or_after_every_send_resumes_to_the_same_end_state() {
    let env = start();
    let orders = sharing();
    let key = set_key(&orders);

    // A clean run counts the sends of the set's run.
    let token = fresh_sandbox(&env);
    let (c, killer) = killer_client(&env, &token, None, false);
    let store = MemoryStore::new();
    let jobs = starts(&c, &store, &orders);
    block_on(start_job_set(&store, &key, &jobs)).unwrap();
    let before = killer.sends.get();
    assert_eq!(block_on(run_job_set(&c, &store, &key, &orders, &mut |_, _| {})).unwrap(), SetRun::Finished);
    let sends = killer.sends.get() - before;
    assert_shared_once(&env, &stored_set(&store, &key), "clean run");
    let items = |s: &po_bridge::export::runner::Staged| {
        let j = export_run_support::journal(&store, s);
        j.steps.iter().filter(|s| matches!(s.kind, StepKind::Item { .. })).count()
    };
    assert_eq!((items(&orders[0]), items(&orders[1])), (7, 0), "the first order makes both orders' items");
    assert!(sends >= 30, "two orders' jobs: {sends} sends");

    let mut survived = 0;
    for after in [false, true] {
        for kill_at in 1..=sends {
            let what = format!("killed {} send {kill_at}", if after { "after" } else { "before" });
            let token = fresh_sandbox(&env);
            let store = MemoryStore::new();
            let (c, _) = killer_client(&env, &token, None, false);
            let jobs = starts(&c, &store, &orders);
            block_on(start_job_set(&store, &key, &jobs)).unwrap();
            // First process: dies at send `kill_at` of the set's run.
            let (c, killer) = killer_client(&env, &token, Some(kill_at), after);
            let r = run_until_killed(run_job_set(&c, &store, &key, &orders, &mut |_, _| {}), &killer.killed);
            assert!(r.is_none(), "{what}: the kill fired");
            drop(c);
            // Second process: resumes from the stored set and journals (the orders as staged).
            let (c, _) = killer_client(&env, &token, None, false);
            let out = block_on(run_job_set(&c, &store, &key, &orders, &mut |_, _| {}))
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(out, SetRun::Finished, "{what}");
            assert_shared_once(&env, &stored_set(&store, &key), &what);
            survived += 1;
        }
    }
    assert_eq!(survived, 2 * sends);
}
