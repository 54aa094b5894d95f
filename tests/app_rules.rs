//! Table tests for the rules the application layer decides (issue 13): the account for a tab,
//! the PO's ordered date, staging, history, resuming, progress throttling, errors → advice, keys.

mod app_support;

use app_support::{acct, app, buyer};
use po_bridge::accounts::AccountsState;
use po_bridge::app::dates::{epoch_ms, ordered_date};
use po_bridge::app::errors::{advice, AppError, PlatformFailure, Surface, SIGN_IN_ADVICE};
use po_bridge::app::history;
use po_bridge::app::keys::StorageKey;
use po_bridge::app::memory::{FixedCalendar, MemStore};
use po_bridge::app::platform::NativeCalendar;
use po_bridge::app::resume::{after_resume, next_wake, on_wake, rerun_resumes, AlarmAfterResume, OnWake, Throttle};
use po_bridge::app::sessions::{account_for_tab, record_session, Asker, SeenSession};
use po_bridge::app::staging::{validate, StagedRecord, MAX_PRODUCTS};
use po_bridge::app::status::{no_session_view, view};
use po_bridge::export::journal::{JobKey, Journal};
use po_bridge::export::runner::RunError;
use po_bridge::export::status::JobStatus;
use po_bridge::lightspeed::client::ClientError;
use po_bridge::lightspeed::native::block_on;
use po_bridge::nuorder::model::Timestamp;
use po_bridge::protocol::{ErrorCode, OrderRef, PageBrand};
use serde_json::json;

fn two_buyers() -> (AccountsState, Vec<SeenSession>) {
    let mut s = AccountsState::default();
    s.upsert_lightspeed(acct("1"));
    s.upsert_lightspeed(acct("2"));
    s.link_buyer(buyer("a@x.com"), "1").unwrap();
    s.link_buyer(buyer("b@x.com"), "2").unwrap();
    let mut seen = Vec::new();
    record_session(&mut seen, buyer("a@x.com"), Some(10), 1);
    record_session(&mut seen, buyer("b@x.com"), Some(20), 2);
    (s, seen)
}

#[test]
fn a_tab_exports_to_its_own_buyers_account_and_an_unknown_tab_to_none() {
    let (state, seen) = two_buyers();
    let page = |tab_id| Asker { tab_id, extension_page: true, framed: false };
    let dialog = |tab_id| Asker { tab_id, extension_page: true, framed: true };
    let rows: [(Asker, Result<&str, &str>); 9] = [
        (Asker::tab(Some(10)), Ok("1")),
        (Asker::tab(Some(20)), Ok("2")),
        // A content script on a tab with no known session: nobody's account, and the advice.
        (Asker::tab(Some(30)), Err(SIGN_IN_ADVICE)),
        (Asker::tab(None), Err(SIGN_IN_ADVICE)),
        // The dialog inside a NuORDER tab: that tab's buyer.
        (dialog(Some(10)), Ok("1")),
        (dialog(Some(20)), Ok("2")),
        // The dialog framed in a tab with no known session: nobody's account, never the latest buyer.
        (dialog(Some(30)), Err(SIGN_IN_ADVICE)),
        // The popup (or a page in its own tab): the buyer it shows, the most recently seen.
        (page(Some(99)), Ok("2")),
        (page(None), Ok("2")),
    ];
    for (asker, want) in rows {
        let got = account_for_tab(&state, &seen, asker)
            .map(|a| a.account_id.clone())
            .map_err(|e| advice(&e, Surface::Extension).message);
        assert_eq!(got, want.map(str::to_string).map_err(str::to_string), "{asker:?}");
    }
}

#[test]
fn a_staged_order_from_a_tab_without_session_is_refused_with_advice() {
    let (state, seen) = two_buyers();
    let store = MemStore::new();
    let a = app(store, 5);
    block_on(a.save_state(&state)).unwrap();
    block_on(po_bridge::app::store::put(&a.store, &StorageKey::NuorderSessions, &seen)).unwrap();
    let order = order_json();
    let e = block_on(a.stage(order.clone(), vec![], PageBrand::default(), Asker::tab(Some(99)), &[7; 16])).unwrap_err();
    assert_eq!(advice(&e, Surface::Extension).message, SIGN_IN_ADVICE);
    let (id, _, _) = block_on(a.stage(order, vec![], PageBrand::default(), Asker::tab(Some(20)), &[7; 16])).unwrap();
    assert_eq!(block_on(a.load_staged(&id)).unwrap().2.account_id, "2", "tab 20's buyer's account");
    let views = block_on(a.statuses(
        &[OrderRef { order_id: None, order_number: "1".into() }],
        Asker::tab(Some(99)),
        &Default::default(),
    ));
    let (linked, views) = views.unwrap();
    assert!(!linked);
    assert_eq!(views[0], no_session_view(&OrderRef { order_id: None, order_number: "1".into() }));
    assert_eq!(views[0].badge.action_tooltip, SIGN_IN_ADVICE);
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

#[test]
fn the_ordered_date_is_created_on_in_the_shops_zone() {
    let cal = FixedCalendar::at(epoch_ms("2026-07-04T02:00:00Z").unwrap() as u64).with_zone("US/Pacific", -8 * 60);
    let rows: [(Option<&str>, Option<&str>, &str); 7] = [
        (Some("2026-03-01T03:00:00Z"), Some("US/Pacific"), "2026-02-28"),
        (Some("2026-03-01T03:00:00Z"), None, "2026-03-01"),
        (Some("2026-03-01T03:00:00Z"), Some("Nowhere/Unknown"), "2026-03-01"),
        (Some("2026-03-01T09:00:00.512+09:00"), None, "2026-03-01"),
        (Some("2026-03-01T01:00:00+02:00"), None, "2026-02-28"),
        (None, Some("US/Pacific"), "2026-07-03"),
        (None, None, "2026-07-04"),
    ];
    for (created, zone, want) in rows {
        let created = created.map(ts);
        assert_eq!(ordered_date(created.as_ref(), zone, &cal), want, "{created:?} at {zone:?}");
    }
    // The native zone database (the command line) agrees, daylight saving included.
    assert_eq!(ordered_date(Some(&ts("2026-03-01T03:00:00Z")), Some("US/Pacific"), &NativeCalendar), "2026-02-28");
    assert_eq!(
        ordered_date(Some(&ts("2026-07-01T06:30:00Z")), Some("America/New_York"), &NativeCalendar),
        "2026-07-01"
    );
    assert_eq!(
        ordered_date(Some(&ts("2026-07-01T03:30:00Z")), Some("America/New_York"), &NativeCalendar),
        "2026-06-30"
    );
}

fn order_json() -> serde_json::Value {
    let path = format!("{}/tests/fixtures/nuorder/orders/h01-basic-all-upcs.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn record(order: serde_json::Value, products: usize, page_brand: Option<&str>) -> StagedRecord {
    StagedRecord {
        order,
        products: vec![json!({}); products],
        brand: PageBrand { id: None, name: page_brand.map(str::to_string) },
        tab_id: Some(1),
        account_id: Some("1".into()),
        staged_ms: 0,
        buyer: None,
    }
}

#[test]
fn staging_has_one_brand_rule_and_one_product_cap() {
    let with = order_json();
    let mut without = with.clone();
    without.as_object_mut().unwrap().remove("__brand_name");
    let mut blank = with.clone();
    blank["__brand_name"] = json!("   ");
    // (order, page brand) → brand exported under (None: refused)
    let rows = [
        (with.clone(), None, Some("Harbor Goods")),
        (with.clone(), Some("Other"), Some("Harbor Goods")),
        (without.clone(), Some("  Page Brand "), Some("Page Brand")),
        (without, None, None),
        (blank, Some("Page"), Some("Page")),
    ];
    for (order, page, want) in rows {
        let r = record(order, 0, page);
        let got = validate(&r).ok().and_then(|s| s.brand.name);
        assert_eq!(got.as_deref(), want, "page brand {page:?}");
        assert_eq!(history_brand(&r), want.unwrap_or(""), "history uses the same rule");
    }
    let too_many = validate(&record(with, MAX_PRODUCTS + 1, None)).unwrap_err();
    assert!(advice(&too_many, Surface::Extension).message.contains("1,000"));
}

#[test]
fn a_product_document_the_model_refuses_is_left_out_not_the_order() {
    let path = format!("{}/tests/fixtures/nuorder/products.json", env!("CARGO_MANIFEST_DIR"));
    let all: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (tote, scarf) = (all[0].clone(), all[1].clone());
    let mut odd = scarf.clone();
    odd["pricing"]["USD"]["retail"] = json!("forty dollars");
    let mut r = record(order_json(), 0, None);
    r.products = vec![tote, odd, json!(42), json!([scarf.clone(), scarf.clone()])];
    let staged = validate(&r).expect("the order stays exportable");
    let kept: Vec<&str> = staged.products.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(kept, ["6512ab34cd56ef7890a10001"], "only the tote's document reads");
    // The scarf's own document, fixed, is read.
    r.products.push(scarf);
    assert_eq!(validate(&r).unwrap().products.len(), 2);
}

fn history_brand(r: &StagedRecord) -> String {
    let status = view(None, "1", Some("o1"), JobStatus::NotExported);
    let mut list = Vec::new();
    history::record(&mut list, &status, Some(r), 1);
    list[0].brand.clone()
}

#[test]
fn history_keeps_the_latest_status_per_order_newest_first_within_its_cap() {
    let mut list = Vec::new();
    for i in 0..history::HISTORY_MAX + 5 {
        history::record(
            &mut list,
            &view(None, &i.to_string(), Some(&format!("o{i}")), JobStatus::NotExported),
            None,
            i as u64,
        );
    }
    history::record(&mut list, &view(None, "104", Some("o104"), JobStatus::Unchecked), None, 999);
    assert_eq!(list.len(), history::HISTORY_MAX);
    assert_eq!((list[0].order_id.as_str(), list[0].updated_ms), ("o104", 999));
    assert_eq!(list.iter().filter(|h| h.order_id == "o104").count(), 1);
}

fn journal(outcome: serde_json::Value, po: bool) -> Journal {
    let steps =
        if po { json!([{"kind": {"kind": "po_header"}, "state": {"state": "done", "id": 5}}]) } else { json!([]) };
    serde_json::from_value(json!({"version": 1, "key": {"account_id": "1", "order_id": "o"}, "order_number": "1",
        "brand": "B", "shop_id": "1", "steps": steps, "rows": [], "outcome": outcome}))
    .unwrap()
}

#[test]
fn which_jobs_resume_and_when() {
    let running = journal(json!({"outcome": "running"}), false);
    let failed = journal(json!({"outcome": "failed", "message": "m", "retryable": true}), false);
    let fatal = journal(json!({"outcome": "failed", "message": "m", "retryable": false}), false);
    let exported = journal(json!({"outcome": "exported", "po_id": "5"}), false);
    let relink = journal(json!({"outcome": "needs_relink"}), false);
    // A rerun (the command line again, Retry) resumes unfinished jobs.
    let rerun = [(&running, true), (&failed, true), (&fatal, false), (&exported, false), (&relink, true)];
    for (j, want) in rerun {
        assert_eq!(rerun_resumes(j), want, "{:?}", j.outcome);
    }
    let mut state = AccountsState::default();
    state.upsert_lightspeed(acct("1"));
    // A wake resumes only running jobs of usable accounts, and paused ones once their wait is over.
    let wake = [
        (&running, None, false, OnWake::Run),
        (&running, Some(2_000), false, OnWake::WaitUntil(2_000)),
        (&running, Some(2_000), true, OnWake::Run),
        (&running, Some(500), false, OnWake::Run),
        (&failed, None, false, OnWake::Leave),
        (&relink, None, false, OnWake::Leave),
        (&exported, None, false, OnWake::Leave),
    ];
    for (j, pause, here, want) in wake {
        assert_eq!(on_wake(j, &state, pause, here, 1_000), want, "{:?} {pause:?}", j.outcome);
    }
    state.mark_needs_relink("1");
    assert_eq!(on_wake(&running, &state, None, false, 1_000), OnWake::Leave, "the account needs re-linking");
    assert_eq!(on_wake(&running, &AccountsState::default(), None, false, 1_000), OnWake::Leave, "unlinked");
    assert_eq!(next_wake(1, Some(5_000), 1_000, 20_000), Some(4_000));
    assert_eq!(next_wake(2, None, 1_000, 20_000), Some(20_000));
    assert_eq!(next_wake(0, None, 1_000, 20_000), None);
    // After a resume: the earliest wake asked for; the watchdog while something runs here; else
    // the alarm's own wake stops it and a message's leaves it.
    use AlarmAfterResume::{Arm, Leave, Stop};
    for by_alarm in [false, true] {
        assert_eq!(after_resume([Some(30_000), None, Some(4_000)], false, by_alarm, 20_000), Arm(4_000));
        assert_eq!(after_resume([Some(30_000)], true, by_alarm, 20_000), Arm(20_000));
        assert_eq!(after_resume([Some(30_000)], false, by_alarm, 20_000), Arm(30_000));
        assert_eq!(after_resume([None, None], true, by_alarm, 20_000), Arm(20_000));
    }
    assert_eq!(after_resume([None, None], false, true, 20_000), Stop);
    assert_eq!(after_resume([None, None], false, false, 20_000), Leave);
    let _ = JobKey { account_id: "1".into(), order_id: "o".into() };
}

#[test]
fn progress_is_sent_at_most_every_250_ms() {
    let mut t = Throttle::default();
    let sent: Vec<bool> = [0, 100, 249, 250, 400, 501].iter().map(|ms| t.ready(*ms)).collect();
    assert_eq!(sent, [true, false, false, true, false, true]);
}

#[test]
fn every_error_becomes_a_code_and_advice() {
    use po_bridge::lightspeed::oauth::OAuthFailure::{self, InvalidClient, Malformed, RateLimited, Rejected};
    let relink = || ClientError::NeedsRelink { detail: "invalid_grant".into() };
    let link_token = |f: OAuthFailure| AppError::Link(po_bridge::app::link::LinkError::Token(f));
    let rejected = Rejected {
        status: 400,
        error: "invalid_request".into(),
        description: Some("Check the `code` parameter".into()),
    };
    let (ext, network) = (Surface::Extension, ErrorCode::Network);
    let rows: Vec<(AppError, Surface, ErrorCode, &str)> = vec![
        (AppError::Client(relink()), Surface::Extension, ErrorCode::NeedsRelink, "connect this account again"),
        (AppError::Client(relink()), Surface::Cli, ErrorCode::NeedsRelink, "LIGHTSPEED_ACCESS_TOKEN"),
        (
            AppError::Run(RunError::Client(relink())),
            Surface::Extension,
            ErrorCode::NeedsRelink,
            "connect this account again",
        ),
        (AppError::Run(RunError::Store("disk".into())), Surface::Extension, ErrorCode::Network, "storage"),
        (AppError::Run(RunError::Store("disk".into())), Surface::Cli, ErrorCode::Network, "state file (--state)"),
        (AppError::Run(RunError::NoJob("o".into())), Surface::Extension, ErrorCode::InvalidInput, "no export"),
        (AppError::Client(ClientError::RateLimited { retry_after_ms: 5 }), Surface::Extension, ErrorCode::Network, ""),
        (
            AppError::Store(po_bridge::app::platform::StoreError("x".into())),
            Surface::Extension,
            ErrorCode::Internal,
            "restart",
        ),
        (
            AppError::Link(po_bridge::app::link::LinkError::Cancelled),
            Surface::Extension,
            ErrorCode::Cancelled,
            "window closed",
        ),
        (
            AppError::Accounts(po_bridge::accounts::AccountsError::UnknownAccount),
            Surface::Extension,
            ErrorCode::NotFound,
            "not linked",
        ),
        (AppError::Invalid("Choose a location.".into()), Surface::Extension, ErrorCode::InvalidInput, "Choose"),
        (AppError::NoSession, Surface::Extension, ErrorCode::NotFound, "Sign in to NuORDER in this tab"),
        (AppError::NoAccount, Surface::Extension, ErrorCode::NeedsRelink, "link one"),
        // The browser's failures: what to do, never the raw text, nor "sign-in" for a window.
        (PlatformFailure::Random("no crypto".into()).into(), ext, ErrorCode::Internal, "Restart the browser"),
        (PlatformFailure::Window.into(), ext, ErrorCode::Internal, "could not open its export window"),
        // The token exchange of a link: a proxy's page, a limit, a refusal, a blocked client.
        (link_token(Malformed { status: 403, detail: "<!DOCTYPE html>".into() }), ext, network, "having trouble"),
        (link_token(RateLimited { retry_after_ms: 12_000 }), ext, network, "try again in about 12 s"),
        (link_token(rejected), ext, ErrorCode::InvalidInput, "said: \"check the `code` parameter\""),
        (link_token(InvalidClient), ext, ErrorCode::InvalidInput, "update the extension"),
    ];
    for (e, surface, code, words) in rows {
        let p = advice(&e, surface);
        assert_eq!(p.code, code, "{e:?}");
        assert!(p.message.to_lowercase().contains(&words.to_lowercase()), "{e:?}: {}", p.message);
        assert!(!p.message.is_empty() && !p.message.contains("Debug"), "{e:?}");
        for raw in ["<!DOCTYPE", "HTTP ", "invalid_request", " ms", "no crypto", "no window"] {
            assert!(!p.message.contains(raw), "{raw} in {}", p.message);
        }
        if surface == Surface::Cli {
            for extension_only in ["browser", "toolbar"] {
                assert!(!p.message.contains(extension_only), "{extension_only} on the command line: {}", p.message);
            }
        }
    }
}

#[test]
fn storage_keys_keep_their_spelling() {
    let job = JobKey { account_id: "12".into(), order_id: "ab".into() };
    let rows = [
        (StorageKey::Accounts, "accounts"),
        (StorageKey::NuorderSessions, "nuorder_sessions"),
        (StorageKey::Settings, "settings"),
        (StorageKey::DevSettings, "dev:settings"),
        (StorageKey::History, "history"),
        (StorageKey::Tokens("12".into()), "tokens:12"),
        (StorageKey::Links("12".into()), "links:12"),
        (StorageKey::Numbers("12".into()), "numbers:12"),
        (StorageKey::Staged("ab".into()), "staged:ab"),
        (StorageKey::Plan(JobKey { account_id: "1".into(), order_id: "ab".into() }), "plan:1:ab"),
        (StorageKey::LegacyPlan("ab".into()), "plan:ab"),
        (StorageKey::Capability("0a1b".into()), "cap:0a1b"),
        (StorageKey::Journal(job.clone()), "po-bridge-job:12:ab"),
        (StorageKey::Pause(job), "pause:po-bridge-job:12:ab"),
        (StorageKey::Pages, "pages"),
    ];
    for (key, text) in rows {
        assert_eq!(key.as_string(), text);
        assert_eq!(StorageKey::parse(text), Some(key));
    }
    assert_eq!(StorageKey::parse("something-else"), None);
}

/// A job that ends on a dead link marks its account for re-linking, whether the runner paused
/// (`NeedsRelink`) or stopped on an error that says so; nothing else does.
#[test]
fn a_job_ending_on_a_dead_link_marks_the_account() {
    use po_bridge::app::jobs::needs_relink;
    use po_bridge::export::runner::{RunError, RunOutcome};
    use po_bridge::lightspeed::client::ClientError;
    let dead = || ClientError::NeedsRelink { detail: "refresh refused".into() };
    let rows: Vec<(&str, Result<RunOutcome, RunError>, bool)> = vec![
        ("paused on a dead link", Ok(RunOutcome::NeedsRelink), true),
        ("stopped on a dead link", Err(RunError::Client(dead())), true),
        ("exported", Ok(RunOutcome::Exported { po_id: po_bridge::core::ids::OrderId(7) }), false),
        ("paused for the rate limit", Ok(RunOutcome::Paused { resume_after_ms: 5 }), false),
        ("failed otherwise", Ok(RunOutcome::Failed { message: "x".into(), retryable: true }), false),
    ];
    for (name, outcome, want) in rows {
        assert_eq!(needs_relink(&outcome), want, "{name}");
    }
}
