//! The review and *Update PO* as the background runs them (issue 18, item 2), against the
//! Lightspeed sandbox: an exported order staged again after the brand edited it gets the review
//! in place of the export preview (the changes line by line); *Update PO* needs the dialog's
//! capability, spends it, updates the same PO, and the badge is back to *Exported · View PO #N*.
//! An update interrupted mid-way is resumed by a wake of the worker, never by the export's own
//! resumption.

mod app_support;
mod client_support;
mod export_run_support;
mod sandbox_app_support;
mod update_support;

use app_support::{acct, buyer, me, report, MidRun};
use client_support::{start, Env, ACCT};
use export_run_support::{rows, s, tables};
use po_bridge::app::capability::{token_of, Holder};
use po_bridge::app::keys::StorageKey;
use po_bridge::app::memory::{FixedCalendar, RecordedAlarms, RecordedEvents};
use po_bridge::app::preview::DialogView;
use po_bridge::app::review::{ReviewState, ReviewView};
use po_bridge::app::service::Clients;
use po_bridge::app::sessions::Asker;
use po_bridge::app::store;
use po_bridge::core::status::{JobStatus, Tone};
use po_bridge::export::journal::JobKey;
use po_bridge::lightspeed::native::block_on;
use po_bridge::protocol::{ErrorCode, Event, NextStep, PageBrand};
use sandbox_app_support::{linked_sandbox_app, SandboxApp};
use serde_json::{json, Value};
use update_support::{lines_of, po_row, set_end_ship, set_qty, H01};

const T0: u64 = 1_767_000_000_000;
const TAB: i64 = 10;

type TestApp = SandboxApp;

const HOLDER: Holder = Holder { tab_id: Some(TAB), frame_id: Some(3) };

fn order() -> Value {
    export_run_support::order_json(H01)
}

/// Account 83050 linked to the buyer signed in on tab 10.
fn setup() -> TestApp {
    linked_sandbox_app(start(), T0, TAB)
}

/// Stage `doc` on tab 10: the dialog's capability token.
fn stage(a: &TestApp, doc: Value, nonce: u8) -> String {
    let (_, _, dialog) =
        block_on(a.stage(doc, vec![], PageBrand::default(), Asker::tab(Some(TAB)), &[nonce; 16])).unwrap();
    token_of(&dialog).unwrap().to_string()
}

/// Export `order()` through the dialog's requests; the PO's id.
fn exported(a: &TestApp) -> u64 {
    let token = stage(a, order(), 1);
    let DialogView::Preview(p) = block_on(a.preview(&token, HOLDER)).unwrap() else { panic!("the export preview") };
    let run = block_on(a.start(&p.order_id, &p.shops[0].shop_id, vec![], &token, HOLDER)).unwrap();
    block_on(a.run_job(run, &RecordedEvents::default(), &RecordedAlarms::default(), &Default::default()));
    let j = block_on(po_bridge::app::status::local_journal(&a.store, ACCT, &p.order_id)).unwrap();
    let JobStatus::Exported { po_id } = JobStatus::of_journal(&j) else { panic!("{:?}", j.outcome) };
    po_id.0
}

fn review(a: &TestApp, token: &str) -> ReviewView {
    match block_on(a.preview(token, HOLDER)).unwrap() {
        DialogView::Review(r) => r,
        other => panic!("the review, not {other:?}"),
    }
}

fn env(a: &TestApp) -> &Env {
    &a.clients.env
}

fn edited() -> Value {
    let mut v = order();
    set_qty(&mut v, 0, 0, 8);
    v
}

/// The review reads the PO's arrival date in its shop's `timeZone` with the background's calendar
/// (the browser's `Intl`): at a Kiritimati shop (UTC+14) the merchant's arrival date a day after
/// the written one is the merchant's — a guess from the UTC hour would read it as the written one
/// and write over it.
#[test]
fn the_review_reads_the_arrival_date_in_the_shops_zone_with_the_calendar() {
    use po_bridge::lightspeed::{endpoints::UpdateOrder, OrderId, OrderWrite};
    let mut a = setup();
    a.calendar = FixedCalendar::at(T0).with_zone("Pacific/Kiritimati", 14 * 60);
    let shop = json!({"shopID": "1", "name": "Harborview Kiritimati", "timeZone": "Pacific/Kiritimati"});
    env(&a).post("/seed", json!({"replace": false, "accounts": [{"accountID": ACCT, "shops": [shop]}]}));
    let po = exported(&a);
    assert_eq!(s(&po_row(env(&a), po)["arrivalDate"]), "2026-09-14T10:00:00+00:00", "Kiritimati's 2026-09-15");
    let changes = OrderWrite { arrival_date: Some("2026-09-16".into()), ..OrderWrite::default() };
    block_on(a.clients.client(&acct(ACCT)).one(&UpdateOrder { id: OrderId(po), changes })).unwrap();

    let mut e = edited();
    set_end_ship(&mut e, "2026-10-01");
    let r = review(&a, &stage(&a, e, 2));
    assert!(r.conflicts.iter().any(|c| c.contains("arrival date was changed in Lightspeed")), "{r:#?}");
    assert!(r.header.is_empty(), "the merchant's date is not written over: {r:#?}");
}

#[test]
fn an_edited_order_gets_the_review_and_update_po_brings_the_same_po_up_to_it_once() {
    let a = setup();
    let po = exported(&a);
    let before = lines_of(env(&a), po);
    assert_eq!(before.iter().map(|l| l.2).sum::<i64>(), 12 + 8 + 4, "{before:?}");

    // Unchanged, staged again: the export dialog (already exported), not the review.
    let token = stage(&a, order(), 2);
    assert!(matches!(block_on(a.preview(&token, HOLDER)).unwrap(), DialogView::Preview(_)));

    let token = stage(&a, edited(), 3);
    let r = review(&a, &token);
    assert_eq!(r.state, ReviewState::Changes, "{r:#?}");
    assert_eq!(r.po_number, po.to_string());
    assert_eq!(r.status.badge.text, "Changed since export");
    let q: Vec<_> = r.lines.iter().filter(|l| l.change == "quantity").collect();
    assert_eq!(q.len(), 1, "{:#?}", r.lines);
    assert_eq!(
        (q[0].label.as_str(), q[0].item.as_str(), q[0].text.as_str()),
        ("Quantity", "TOTE-22 NAVY OS", "12 → 8 units")
    );
    assert!(r.can_update);

    // Update PO needs the capability of this dialog, and spends it.
    assert!(block_on(a.start_update(&r.order_id, false, vec![], "00".repeat(16).as_str(), HOLDER)).is_err());
    let job = block_on(a.start_update(&r.order_id, false, vec![], &token, HOLDER)).unwrap();
    assert!(block_on(a.start_update(&r.order_id, false, vec![], &token, HOLDER)).is_err(), "spent");
    let events = RecordedEvents::default();
    assert_eq!(block_on(a.run_update_job(job, &events)), None);
    let last = events.0.borrow().last().cloned().map(|(_, e)| e.event);
    let Some(Event::Status(v)) = last else { panic!("{last:?}") };
    assert_eq!(
        (v.badge.text.as_str(), v.status.clone()),
        ("Exported", JobStatus::Exported { po_id: po_bridge::lightspeed::OrderId(po) })
    );
    let after = lines_of(env(&a), po);
    assert_eq!(after.len(), before.len(), "the same lines, updated in place");
    assert_eq!(after.iter().map(|l| l.2).sum::<i64>(), 8 + 8 + 4);
    assert_eq!(rows(&tables(env(&a)), "Order").iter().filter(|o| s(&o["refNum"]).contains("NuORDER")).count(), 1);

    // Seen again as it is now: Exported, and its dialog is no review any more.
    let token = stage(&a, edited(), 4);
    assert!(matches!(block_on(a.preview(&token, HOLDER)).unwrap(), DialogView::Preview(_)));
    let h = block_on(a.history()).unwrap();
    assert_eq!(h[0].status.badge.text, "Exported");
}

#[test]
fn an_interrupted_update_resumes_on_wake_and_its_line_job_is_the_updates() {
    let a = setup();
    let po = exported(&a);
    let mut v = edited();
    update_support::add_size(&mut v, 1, "XS", 3, 15.0, "812345002034");
    let token = stage(&a, v, 5);
    let r = review(&a, &token);
    assert!(r.lines.iter().any(|l| l.change == "added"), "{:#?}", r.lines);
    assert_eq!(r.added_rows.len(), 1);
    let job = block_on(a.start_update(&r.order_id, false, vec![], &token, HOLDER)).unwrap();
    // The worker stops right after the update's journal was first saved (nothing written yet).
    let key = JobKey { account_id: ACCT.into(), order_id: r.order_id.clone() };
    let plan = job.plan.clone().unwrap();
    let journal = po_bridge::update::UpdateJournal::build(&plan, &key, 1, T0).unwrap();
    let lines_job = journal.steps.iter().find_map(|s| match &s.kind {
        po_bridge::update::UpdateStepKind::AddLines { job } => Some(job.clone()),
        _ => None,
    });
    let mut log = po_bridge::update::UpdateLog::new(key.clone());
    log.put(journal);
    block_on(store::put(&a.store, &StorageKey::Updates(key.clone()), &log)).unwrap();

    // ... or after its line job was first saved, still running.
    let lines_job = lines_job.expect("a line job for the added size");
    assert!(matches!(lines_job.outcome, po_bridge::export::journal::Outcome::Running));
    block_on(store::put(&a.store, &StorageKey::Journal(lines_job.key.clone()), &lines_job)).unwrap();
    let none = |_: &JobKey| false;
    let (exports, _) = block_on(a.jobs_to_resume(&none, 20_000));
    assert!(exports.is_empty(), "the update's line job is never resumed as an export");
    let resumed = block_on(a.updates_to_resume(&none));
    assert_eq!(resumed.len(), 1);
    assert!(block_on(a.updates_to_resume(&|_: &JobKey| true)).is_empty(), "not twice in one worker");
    // While it is unfinished, the dialog is its review.
    let token = stage(&a, edited(), 6);
    assert_eq!(review(&a, &token).state, ReviewState::Interrupted);
    assert_eq!(block_on(a.run_update_job(resumed.into_iter().next().unwrap(), &RecordedEvents::default())), None);
    let after = lines_of(env(&a), po);
    assert_eq!(after.len(), 4, "the added size's line: {after:?}");
    assert!(block_on(a.updates_to_resume(&none)).is_empty(), "finished");
}

/// The statuses a list page gets for the order (it has only its number).
fn listed(a: &TestApp) -> po_bridge::protocol::OrderStatusView {
    let asked = [po_bridge::protocol::OrderRef { order_id: None, order_number: s(&order()["order_number"]) }];
    block_on(a.statuses(&asked, Asker::tab(Some(TAB)), &Default::default())).unwrap().1.remove(0)
}

/// Every status sent for the order, in order (each goes to the tab and to the extension's pages:
/// once here).
fn statuses_sent(events: &RecordedEvents) -> Vec<po_bridge::protocol::OrderStatusView> {
    let sent = events.0.borrow();
    let mut out: Vec<_> =
        sent.iter().filter_map(|(_, e)| if let Event::Status(v) = &e.event { Some(v.clone()) } else { None }).collect();
    out.dedup();
    out
}

#[test]
fn while_an_update_runs_the_badge_says_updating_po_n_with_its_steps() {
    let a = setup();
    let po = exported(&a);
    let token = stage(&a, edited(), 7);
    let r = review(&a, &token);
    let job = block_on(a.start_update(&r.order_id, false, vec![], &token, HOLDER)).unwrap();
    assert_eq!(job.view.badge.text, format!("Updating PO #{po}…"), "the answer to Update PO");
    assert!(matches!(job.view.status, JobStatus::Updating { done: 0, .. }), "{:?}", job.view.status);
    let events = RecordedEvents::default();
    assert_eq!(block_on(a.run_update_job(job, &events)), None);
    let sent = statuses_sent(&events);
    let (last, running) = sent.split_last().unwrap();
    assert!(!running.is_empty(), "progress is sent while it runs");
    for v in running {
        assert_eq!((v.badge.text.clone(), v.badge.tone), (format!("Updating PO #{po}…"), Tone::Busy));
        let (done, total) = v.badge.progress.unwrap();
        assert!(done <= total && !v.badge.action_enabled && !v.badge.review, "{v:?}");
    }
    assert_eq!(running[0].badge.progress.map(|p| p.0), Some(0), "from its first step");
    assert_eq!(last.badge.text, "Exported");

    // A list page asking while a revision is running (a worker stopped mid-update) reads it too.
    let key = JobKey { account_id: ACCT.into(), order_id: r.order_id.clone() };
    let mut log: po_bridge::update::UpdateLog =
        block_on(store::get(&a.store, &StorageKey::Updates(key.clone()))).unwrap().unwrap();
    log.revisions.last_mut().unwrap().outcome = po_bridge::update::UpdateOutcome::Running;
    block_on(store::put(&a.store, &StorageKey::Updates(key), &log)).unwrap();
    assert_eq!(listed(&a).badge.text, format!("Updating PO #{po}…"));
}

#[test]
fn a_running_updates_events_go_to_its_buyers_tabs_as_they_are_at_each_event() {
    let a = setup();
    exported(&a);
    let token = stage(&a, edited(), 8);
    let r = review(&a, &token);
    let job = block_on(a.start_update(&r.order_id, false, vec![], &token, HOLDER)).unwrap();
    // Once its first step is out: the buyer opens tab 12, another buyer signs in on tab 20, the
    // session of tab 10 (which staged it) ends.
    let events = MidRun::new(
        &a.calendar.now,
        |e| matches!(e, Event::Status(_)),
        || {
            report(&a, me(&buyer("a@x.com")), 12);
            report(&a, me(&app_support::other_buyer()), 20);
            report(&a, Value::Null, TAB);
        },
    );
    assert_eq!(block_on(a.run_update_job(job, &events)), None);
    let (before, after) = events.tabs_before_and_after();
    assert_eq!((before, after), ([TAB].into(), [12].into()), "the buyer's tabs as they are at each event");
    assert_eq!(events.tabs_of_last(), [12].into(), "the end too");
}

#[test]
fn a_failed_update_is_not_quiet_the_badge_fails_with_review_and_the_review_gives_the_advice() {
    let mut a = setup();
    let po = exported(&a);
    let token = stage(&a, edited(), 8);
    let r = review(&a, &token);
    assert_eq!(r.failure, None);
    let job = block_on(a.start_update(&r.order_id, false, vec![], &token, HOLDER)).unwrap();
    let fault = json!({"method": "PUT", "path": "/API/V3/Account/*/OrderLine/*", "kind": "500", "count": 50});
    env(&a).post("/faults", fault);
    let events = RecordedEvents::default();
    assert!(block_on(a.run_update_job(job, &events)).is_some(), "logged");
    let last = statuses_sent(&events).pop().unwrap();
    for v in [&last, &listed(&a)] {
        assert_eq!((v.badge.text.as_str(), v.badge.tone), ("Update failed", Tone::Error), "{v:?}");
        assert!(v.badge.detail.as_deref().unwrap().contains("resumes"), "{v:?}");
        assert!(v.badge.review && !v.badge.retry && !v.badge.action_enabled, "one thing to do: Review");
        assert_eq!(v.badge.link.as_ref().map(|l| l.text.clone()), Some(format!("View PO #{po}")));
    }
    env(&a).control(po_bridge::lightspeed::http::Method::Delete, "/faults", json!({}));
    let token = stage(&a, edited(), 9);
    let r = review(&a, &token);
    assert_eq!(r.state, ReviewState::Interrupted);
    let f = r.failure.clone().expect("the review says what stopped it");
    assert_eq!((f.code, f.next), (ErrorCode::Network, Some(NextStep::TryAgain)), "{f:?}");
    // Update PO (or the advice's Try again) resumes it to the end.
    let job = block_on(a.start_update(&r.order_id, false, vec![], &token, HOLDER)).unwrap();
    assert_eq!(block_on(a.run_update_job(job, &RecordedEvents::default())), None);
    assert_eq!(listed(&a).badge.text, "Exported");
    assert_eq!(lines_of(env(&a), po).iter().map(|l| l.2).sum::<i64>(), 8 + 8 + 4);

    // A refused token: the advice is to reconnect.
    let token = stage(&a, order(), 10);
    let r = review(&a, &token);
    let job = block_on(a.start_update(&r.order_id, false, vec![], &token, HOLDER)).unwrap();
    let good = std::mem::replace(&mut a.clients.token, "refused".into());
    assert!(block_on(a.run_update_job(job, &RecordedEvents::default())).is_some());
    a.clients.token = good;
    assert_eq!(listed(&a).badge.text, "Update failed");
    let f = review(&a, &stage(&a, order(), 11)).failure.unwrap();
    assert_eq!((f.code, f.next), (ErrorCode::NeedsRelink, Some(NextStep::Reconnect)), "{f:?}");
}

#[test]
fn an_update_whose_storage_fails_ends_as_update_failed_and_running_it_again_finishes_it() {
    let a = setup();
    let po = exported(&a);
    let token = stage(&a, edited(), 8);
    let r = review(&a, &token);
    let job = block_on(a.start_update(&r.order_id, false, vec![], &token, HOLDER)).unwrap();
    // The browser's storage fails once the update has reported its first step.
    let events = MidRun::new(&a.calendar.now, |e| matches!(e, Event::Status(_)), || a.store.broken.set(true));
    assert!(block_on(a.run_update_job(job, &events)).is_some(), "logged");
    let last = events.sent.borrow().iter().rev().find_map(|(tab, e)| match (&e.event, tab) {
        (Event::Status(v), None) => Some(v.clone()),
        _ => None,
    });
    let last = last.expect("a status sent");
    let (message, retryable) =
        po_bridge::update::stopped_by(&po_bridge::export::runner::RunError::Store(String::new()));
    assert!(retryable && message.contains("resumes where it stopped"), "{message}");
    assert_eq!(last.status, JobStatus::UpdateFailed { po_id: po_bridge::lightspeed::OrderId(po), message, retryable });
    assert_eq!((last.badge.text.as_str(), last.badge.review), ("Update failed", true), "not left updating");
    assert_eq!(events.tabs_of_last(), [TAB].into(), "the buyer's tab is told");

    // The storage works again: Update PO resumes the update to the end.
    a.store.broken.set(false);
    let token = stage(&a, edited(), 9);
    let r = review(&a, &token);
    let job = block_on(a.start_update(&r.order_id, false, vec![], &token, HOLDER)).unwrap();
    assert_eq!(block_on(a.run_update_job(job, &RecordedEvents::default())), None);
    assert_eq!(listed(&a).badge.text, "Exported");
    assert_eq!(lines_of(env(&a), po).iter().map(|l| l.2).sum::<i64>(), 8 + 8 + 4);
}

#[test]
fn a_po_checked_in_before_the_write_fails_the_update_for_good_and_the_review_says_so() {
    let a = setup();
    let po = exported(&a);
    let token = stage(&a, edited(), 12);
    let r = review(&a, &token);
    let job = block_on(a.start_update(&r.order_id, false, vec![], &token, HOLDER)).unwrap();
    env(&a).post("/receive", json!({"orderID": po.to_string(), "receivedDate": true}));
    assert!(block_on(a.run_update_job(job, &RecordedEvents::default())).is_some());
    let v = listed(&a);
    assert_eq!(v.badge.text, "Update failed", "{v:?}");
    assert!(v.badge.review);
    let r = review(&a, &stage(&a, edited(), 13));
    assert_eq!(r.state, ReviewState::Locked, "planned again: {r:#?}");
    let f = r.failure.expect("what stopped the last update");
    assert_eq!((f.code, f.next, f.retryable), (ErrorCode::InvalidInput, None, false), "{f:?}");
}

/// The merchant made the brand's change by hand in Lightspeed: the order reads *Changed since
/// export* until its Review, which finds the PO already matching it, writes nothing to Lightspeed,
/// and brings the badge back to *Exported*, where it stays.
#[test]
fn a_review_that_finds_the_change_already_on_the_po_clears_the_changed_badge() {
    use po_bridge::lightspeed::{endpoints::UpdateOrderLine, OrderLineId, OrderLineWrite};
    let a = setup();
    let po = exported(&a);
    let tote = lines_of(env(&a), po)[0].0;
    let changes = OrderLineWrite { quantity: Some(8), ..OrderLineWrite::default() };
    block_on(a.clients.client(&acct(ACCT)).one(&UpdateOrderLine { id: OrderLineId(tote), changes })).unwrap();
    let token = stage(&a, edited(), 16);
    assert_eq!(listed(&a).badge.text, "Changed since export", "the order moved since its PO was made");
    let orders = tables(env(&a))["Order"].clone();
    let r = review(&a, &token);
    assert_eq!((r.state, r.can_update, r.conflicts.len()), (ReviewState::Unchanged, false, 0), "{r:#?}");
    assert_eq!(r.status.badge.text, "Exported", "the review's own status");
    assert_eq!(listed(&a).badge.text, "Exported");
    stage(&a, edited(), 17);
    assert_eq!(listed(&a).badge.text, "Exported", "the same order seen again");
    assert_eq!(tables(env(&a))["Order"], orders, "nothing written to Lightspeed");
}

/// A cancelled order's review offers to archive its PO only while the PO is open: a PO checked in
/// stays as it is, and the review says so.
#[test]
fn a_cancelled_orders_review_offers_archive_only_for_an_open_po() {
    let a = setup();
    let po = exported(&a);
    let mut cancelled = order();
    cancelled["status"] = json!("cancelled");
    let r = review(&a, &stage(&a, cancelled.clone(), 14));
    assert_eq!((r.state, r.archive_offered), (ReviewState::Cancelled, true));
    assert_eq!(r.headline, format!("Cancelled in NuORDER · PO #{po} still open"));
    env(&a).post("/receive", json!({"orderID": po.to_string(), "receivedDate": "2026-09-15"}));
    let r = review(&a, &stage(&a, cancelled, 15));
    assert_eq!((r.state, r.archive_offered), (ReviewState::Cancelled, false), "{r:#?}");
    assert_eq!(r.headline, format!("Cancelled in NuORDER · PO #{po} is checked in and stays as it is"));
}

/// A revision stopped by a failure is resumed with the plan it was made from: once it is done the
/// PO is made from *that* order, so edits the brand made meanwhile are still to review (not taken
/// as written: the badge would say *Exported* over a PO that lacks them).
#[test]
fn edits_made_while_an_update_was_interrupted_are_reviewed_after_it_resumes() {
    let a = setup();
    let po = exported(&a);
    let token = stage(&a, edited(), 14);
    let r = review(&a, &token);
    let job = block_on(a.start_update(&r.order_id, false, vec![], &token, HOLDER)).unwrap();
    let fault = json!({"method": "PUT", "path": "/API/V3/Account/*/OrderLine/*", "kind": "500", "count": 50});
    env(&a).post("/faults", fault);
    assert!(block_on(a.run_update_job(job, &RecordedEvents::default())).is_some(), "stopped");
    env(&a).control(po_bridge::lightspeed::http::Method::Delete, "/faults", json!({}));

    // The brand edits again (S/M 6 → 5); Update PO resumes the stopped revision (OS 12 → 8 only).
    let mut again = edited();
    set_qty(&mut again, 1, 0, 5);
    let token = stage(&a, again.clone(), 15);
    let r = review(&a, &token);
    assert_eq!(r.state, ReviewState::Interrupted);
    let job = block_on(a.start_update(&r.order_id, false, vec![], &token, HOLDER)).unwrap();
    assert_eq!(block_on(a.run_update_job(job, &RecordedEvents::default())), None);
    assert_eq!(lines_of(env(&a), po).iter().map(|l| l.2).sum::<i64>(), 8 + 6 + 6, "the stopped plan's: OS 12 → 8");

    // The second edit is still to review, and Update PO brings the PO up to it.
    let token = stage(&a, again, 16);
    let r = review(&a, &token);
    assert_eq!((r.state, r.status.badge.text.as_str()), (ReviewState::Changes, "Changed since export"), "{r:#?}");
    let job = block_on(a.start_update(&r.order_id, false, vec![], &token, HOLDER)).unwrap();
    assert_eq!(block_on(a.run_update_job(job, &RecordedEvents::default())), None);
    assert_eq!(lines_of(env(&a), po).iter().map(|l| l.2).sum::<i64>(), 8 + 5 + 6, "S/M 6 → 5");
    assert_eq!(listed(&a).badge.text, "Exported");
}
