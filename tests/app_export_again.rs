//! An export that Lightspeed refused for good before its PO was created is not a dead end: the
//! badge says what stopped it and keeps Export, the dialog previews the order again, and Export
//! starts a new job in place of the failed one — reusing what the failed job created, so nothing is
//! made twice. One that stopped after creating its PO stays as it was (its PO exists). A job whose
//! storage fails mid-run ends as *Export failed* with Retry (never left in progress), and Retry
//! finishes it.

mod app_support;
mod client_support;
mod export_run_support;
mod sandbox_app_support;

use app_support::MidRun;
use client_support::{start, ACCT};
use export_run_support::{rows, s, tables};
use po_bridge::app::capability::{token_of, Holder};
use po_bridge::app::memory::{RecordedAlarms, RecordedEvents};
use po_bridge::app::preview::DialogView;
use po_bridge::app::sessions::Asker;
use po_bridge::core::status::JobStatus;
use po_bridge::export::runner::RunError;
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::ShopId;
use po_bridge::protocol::{Event, PageBrand};
use sandbox_app_support::{linked_sandbox_app, SandboxApp};

const T0: u64 = 1_767_000_000_000;
const TAB: i64 = 10;
const HOLDER: Holder = Holder { tab_id: Some(TAB), frame_id: Some(3) };

fn setup() -> SandboxApp {
    linked_sandbox_app(start(), T0, TAB)
}

/// Stage h02 (new items) on tab 10 and open its dialog: the capability token and the preview.
fn dialog(a: &SandboxApp, nonce: u8) -> (String, po_bridge::app::preview::PreviewView) {
    let doc = export_run_support::order_json("h02-two-colors-missing-upcs");
    let (_, _, d) = block_on(a.stage(doc, vec![], PageBrand::default(), Asker::tab(Some(TAB)), &[nonce; 16])).unwrap();
    let token = token_of(&d).unwrap().to_string();
    let DialogView::Preview(p) = block_on(a.preview(&token, HOLDER)).unwrap() else { panic!("the export preview") };
    (token, p)
}

fn count(a: &SandboxApp, table: &str) -> usize {
    rows(&tables(&a.clients.env), table).iter().filter(|r| s(&r["archived"]) != "true").count()
}

#[test]
fn an_export_refused_before_its_po_can_be_exported_again_and_nothing_is_made_twice() {
    let a = setup();
    let (token, p) = dialog(&a, 1);
    let (items, matrices) = (count(&a, "Item"), count(&a, "ItemMatrix"));
    // Lightspeed refuses the PO (its location is gone by the time the job writes it).
    let mut run = block_on(a.start(&p.order_id, &p.shops[0].shop_id, vec![], &token, HOLDER)).unwrap();
    run.start.as_mut().unwrap().shop_id = ShopId(999);
    block_on(a.run_job(run, &RecordedEvents::default(), &RecordedAlarms::default(), &Default::default()));
    let made = (count(&a, "Item") - items, count(&a, "ItemMatrix") - matrices);
    assert!(made.0 > 0, "the failed job created the new items before its PO");
    assert_eq!(count(&a, "Order"), 0, "no PO");

    // The badge: what stopped it, and Export (no Retry: resuming would fail the same way).
    let (token, p) = dialog(&a, 2);
    let b = &p.status.badge;
    assert!(matches!(p.status.status, JobStatus::Failed { retryable: false, again: true, .. }), "{:?}", p.status);
    assert_eq!((b.text.as_str(), b.action_enabled, b.retry), ("Export failed", true, false), "{b:?}");
    assert!(!b.detail.as_deref().unwrap().contains("nothing more will be written"), "{b:?}");

    // Export again, to a live location: a new job, the failed job's items reused.
    let run = block_on(a.start(&p.order_id, &p.shops[0].shop_id, vec![], &token, HOLDER)).unwrap();
    assert!(run.start.is_some(), "a new job, not the failed one resumed");
    block_on(a.run_job(run, &RecordedEvents::default(), &RecordedAlarms::default(), &Default::default()));
    let j = block_on(po_bridge::app::status::local_journal(&a.store, ACCT, &p.order_id)).unwrap();
    assert!(matches!(JobStatus::of_journal(&j), JobStatus::Exported { .. }), "{:?}", j.outcome);
    assert_eq!(count(&a, "Order"), 1);
    assert_eq!((count(&a, "Item") - items, count(&a, "ItemMatrix") - matrices), made, "nothing made twice");

    // Exported now: the dialog keeps Export inactive.
    let (_, p) = dialog(&a, 3);
    assert!(!p.status.badge.action_enabled);
}

/// The last status the job sent to the extension's pages.
fn last_status(events: &MidRun) -> po_bridge::protocol::OrderStatusView {
    let sent = events.sent.borrow();
    let last = sent.iter().rev().find_map(|(tab, e)| match (&e.event, tab) {
        (Event::Status(v), None) => Some(v.clone()),
        _ => None,
    });
    last.expect("a status sent")
}

#[test]
fn a_job_whose_storage_fails_ends_as_failed_with_retry_and_retry_finishes_it_once() {
    let a = setup();
    let (token, p) = dialog(&a, 1);
    let items = count(&a, "Item");
    let run = block_on(a.start(&p.order_id, &p.shops[0].shop_id, vec![], &token, HOLDER)).unwrap();
    // The browser's storage fails once the job has reported progress (a full disk, a quota).
    let events = MidRun::new(&a.calendar.now, |e| matches!(e, Event::Status(_)), || a.store.broken.set(true));
    let log = block_on(a.run_job(run, &events, &RecordedAlarms::default(), &Default::default()));
    assert!(log.is_some(), "the failure is logged");
    let last = last_status(&events);
    let message = RunError::Store(String::new()).user_message();
    assert_eq!(last.status, JobStatus::Failed { message, retryable: true, again: false }, "not left in progress");
    let b = &last.badge;
    assert_eq!((b.text.as_str(), b.retry), ("Export failed", true), "{b:?}");
    assert!(events.tabs_of_last().contains(&TAB), "the buyer's tab is told");

    // The storage works again: Retry resumes the job, which finishes with nothing made twice.
    a.store.broken.set(false);
    let run = block_on(a.retry(&p.order_id, None, Asker::tab(Some(TAB)))).unwrap();
    assert!(run.start.is_none(), "the stored job, resumed");
    block_on(a.run_job(run, &RecordedEvents::default(), &RecordedAlarms::default(), &Default::default()));
    let j = block_on(po_bridge::app::status::local_journal(&a.store, ACCT, &p.order_id)).unwrap();
    assert!(matches!(JobStatus::of_journal(&j), JobStatus::Exported { .. }), "{:?}", j.outcome);
    assert_eq!(count(&a, "Order"), 1);
    assert_eq!(count(&a, "Item") - items, p.plan.counts.new, "each new item once");
}

/// A Retry from the popup's history after the export's account was unlinked says so, rather than
/// asking to sign in to NuORDER or answering for another account; nothing is written.
#[test]
fn a_popup_retry_once_the_exports_account_is_unlinked_says_so() {
    let a = setup();
    let (token, p) = dialog(&a, 1);
    let mut run = block_on(a.start(&p.order_id, &p.shops[0].shop_id, vec![], &token, HOLDER)).unwrap();
    run.start.as_mut().unwrap().shop_id = ShopId(999);
    block_on(a.run_job(run, &RecordedEvents::default(), &RecordedAlarms::default(), &Default::default()));
    let mut state = block_on(a.state()).unwrap();
    state.unlink(ACCT).unwrap();
    block_on(a.save_state(&state)).unwrap();
    let (items, orders) = (count(&a, "Item"), count(&a, "Order"));
    let popup = Asker { tab_id: None, extension_page: true, framed: false };
    let Err(e) = block_on(a.retry(&p.order_id, None, popup)) else { panic!("a retry for an unlinked account") };
    let said = po_bridge::app::errors::to_protocol(e);
    assert!(said.message.starts_with("The Lightspeed account this order was exported to is not linked"), "{said:?}");
    assert_eq!(said.next, None, "no sign-in or reconnect button: Connect Lightspeed is the popup's own");
    assert_eq!((count(&a, "Item"), count(&a, "Order")), (items, orders), "nothing written");
}
