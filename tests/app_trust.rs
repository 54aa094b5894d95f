//! Issue 14's rules of trust that live in the application layer, as tables: the clamps of the
//! test hook the shipped build reads (`dev:settings`), the per-tab budgets of Lightspeed lookups and
//! linking screens, the account a tab or a page exports to, the links a renderer may show and the
//! OAuth client the popup must name.

use po_bridge::accounts::{AccountsState, LightspeedAccount, NuorderAccount, Region};
use po_bridge::app::limits::{TabLimits, LINKING_DEBOUNCE_MS, LOOKUPS_PER_MINUTE, LOOKUPS_PER_REQUEST, WINDOW_MS};
use po_bridge::app::link::{unusual_client_id, CHROME_CLIENT_ID, FIREFOX_CLIENT_ID};
use po_bridge::app::memory::MemStore;
use po_bridge::app::resume::WATCHDOG_MS;
use po_bridge::app::service::{DevSettings, DEV_MAX_WAIT_MS, DEV_TIMEOUT_MS, DEV_WATCHDOG_MS};
use po_bridge::app::sessions::{account_for_tab, record_session, session_for, Asker};
use po_bridge::app::status::{page_statuses, view, ExportedLookup, RecentAnswers};
use po_bridge::export::runner::RunError;
use po_bridge::export::status::JobStatus;
use po_bridge::inpage::views::link_allowed;
use po_bridge::lightspeed::client::DEFAULT_TIMEOUT_MS;
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::OrderId;
use po_bridge::protocol::OrderRef;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

const HOUR: u64 = 3_600_000;

#[test]
fn every_dev_setting_is_clamped_to_a_range_safe_in_production() {
    // The documented ranges: nothing shorter than a second, nothing longer than a minute, and the
    // product's own values inside them.
    for range in [&DEV_TIMEOUT_MS, &DEV_MAX_WAIT_MS, &DEV_WATCHDOG_MS] {
        assert_eq!((*range.start(), *range.end()), (1_000, 60_000));
    }
    assert!(DEV_TIMEOUT_MS.contains(&DEFAULT_TIMEOUT_MS));
    assert!(DEV_MAX_WAIT_MS.contains(&60_000));
    assert!(DEV_WATCHDOG_MS.contains(&WATCHDOG_MS));
    // The same functions the background's `dev.rs` calls, fed what a bad entry could hold.
    for v in [0, 1, 499, 999, 1_000, 3_000, 60_000, 60_001, HOUR, u64::MAX] {
        let s = DevSettings { timeout_ms: Some(v), max_wait_ms: Some(v), watchdog_ms: Some(v) };
        assert!(DEV_TIMEOUT_MS.contains(&s.timeout_ms().unwrap()), "timeout {v}");
        assert!(DEV_MAX_WAIT_MS.contains(&s.max_wait_ms().unwrap()), "max wait {v}");
        assert!(DEV_WATCHDOG_MS.contains(&s.watchdog_ms(WATCHDOG_MS)), "watchdog {v}");
    }
    let entry: DevSettings =
        serde_json::from_str(r#"{"timeout_ms":2000,"max_wait_ms":3000,"watchdog_ms":1000}"#).unwrap();
    assert_eq!((entry.timeout_ms(), entry.max_wait_ms(), entry.watchdog_ms(0)), (Some(2_000), Some(3_000), 1_000));
    let none = DevSettings::default();
    assert_eq!((none.timeout_ms(), none.max_wait_ms(), none.watchdog_ms(WATCHDOG_MS)), (None, None, WATCHDOG_MS));
}

#[test]
fn a_tab_may_have_a_bounded_number_of_orders_looked_up() {
    let mut l = TabLimits::default();
    // Invented rows: 500 numbers per request, as fast as the page can send.
    let granted: Vec<usize> = (0..5).map(|i| l.admit_lookups(Some(1), 500, i)).collect();
    assert_eq!(granted, [LOOKUPS_PER_REQUEST, LOOKUPS_PER_REQUEST, LOOKUPS_PER_REQUEST, 0, 0]);
    assert_eq!(granted.iter().sum::<usize>(), LOOKUPS_PER_MINUTE);
    // Another tab has its own budget; a minute later the first one has its budget back.
    assert_eq!(l.admit_lookups(Some(2), 30, 10), 30);
    assert_eq!(l.admit_lookups(Some(1), 30, WINDOW_MS - 1), 0);
    assert_eq!(l.admit_lookups(Some(1), 30, WINDOW_MS + 10), 30);
    // Partial grants: what is left of the minute.
    let mut l = TabLimits::default();
    assert_eq!(l.admit_lookups(None, 250, 0), LOOKUPS_PER_REQUEST);
    assert_eq!(l.admit_lookups(None, 250, 1), LOOKUPS_PER_REQUEST);
    assert_eq!(l.admit_lookups(None, 250, 2), LOOKUPS_PER_MINUTE - 2 * LOOKUPS_PER_REQUEST);
}

#[test]
fn the_linking_screen_opens_once_per_tab_per_debounce() {
    let mut l = TabLimits::default();
    let opened: Vec<bool> = [0, 10, 4_999].iter().map(|t| l.admit_linking(Some(1), *t)).collect();
    assert_eq!(opened, [true, false, false]);
    assert!(l.admit_linking(Some(2), 20), "another tab");
    assert!(l.admit_linking(Some(1), LINKING_DEBOUNCE_MS));
}

struct Counting(Cell<usize>);

impl ExportedLookup for Counting {
    async fn exported(&self, numbers: &[String]) -> Result<BTreeMap<String, OrderId>, RunError> {
        self.0.set(self.0.get() + numbers.len());
        Ok(numbers.iter().filter(|n| n.as_str() == "5").map(|n| (n.clone(), OrderId(77))).collect())
    }
}

fn account(id: &str) -> LightspeedAccount {
    LightspeedAccount {
        account_id: id.into(),
        name: format!("Shop {id}"),
        client_id: CHROME_CLIENT_ID.into(),
        region: Region::Us,
        default_shop_id: None,
        needs_relink: false,
        linked_at_ms: 1,
        currency: None,
    }
}

#[test]
fn invented_rows_cost_lightspeed_at_most_the_tabs_budget() {
    let store = MemStore::new();
    let recent = RefCell::new(RecentAnswers::default());
    let lookup = Counting(Cell::new(0));
    let rows: Vec<OrderRef> = (0..200).map(|n| OrderRef { order_id: None, order_number: n.to_string() }).collect();
    let mut unchecked = 0;
    for i in 0..6 {
        let rows: Vec<OrderRef> =
            rows.iter().map(|r| OrderRef { order_number: format!("{}{i}", r.order_number), ..r.clone() }).collect();
        let views = block_on(page_statuses(&store, &recent, &lookup, &account("1"), (&rows, Some(9)), 1_000 + i));
        assert_eq!(views.len(), rows.len());
        unchecked += views.iter().filter(|v| v.status == JobStatus::Unchecked).count();
    }
    assert_eq!(lookup.0.get(), LOOKUPS_PER_MINUTE, "Lightspeed asked about at most the minute's budget");
    assert_eq!(unchecked, 6 * 200 - LOOKUPS_PER_MINUTE, "the rest: can't check right now");
    // Duplicated numbers are asked once, and answers already known are free.
    let recent = RefCell::new(RecentAnswers::default());
    let lookup = Counting(Cell::new(0));
    let same: Vec<OrderRef> = (0..300).map(|_| OrderRef { order_id: None, order_number: "5".into() }).collect();
    let views = block_on(page_statuses(&store, &recent, &lookup, &account("1"), (&same, Some(9)), 0));
    assert!(views.iter().all(|v| v.status == JobStatus::Exported { po_id: OrderId(77) }));
    block_on(page_statuses(&store, &recent, &lookup, &account("1"), (&same, Some(9)), 1));
    assert_eq!(lookup.0.get(), 1);
}

fn buyer(email: &str) -> NuorderAccount {
    NuorderAccount {
        retailer_id: "r1".into(),
        retailer_name: "Retailer".into(),
        buyer_email: email.into(),
        buyer_name: email.into(),
    }
}

#[test]
fn a_page_framed_in_a_tab_never_uses_another_tabs_buyer() {
    let mut state = AccountsState::default();
    state.upsert_lightspeed(account("1"));
    state.upsert_lightspeed(account("2"));
    state.link_buyer(buyer("a@x.com"), "1").unwrap();
    state.link_buyer(buyer("b@x.com"), "2").unwrap();
    let mut seen = Vec::new();
    record_session(&mut seen, buyer("a@x.com"), Some(10), 1);
    record_session(&mut seen, buyer("b@x.com"), Some(20), 2);
    let framed = |tab_id| Asker { tab_id, extension_page: true, framed: true };
    let popup = |tab_id| Asker { tab_id, extension_page: true, framed: false };
    let rows: [(Asker, Option<&str>); 6] = [
        (framed(Some(10)), Some("1")),
        (framed(Some(20)), Some("2")),
        (framed(Some(30)), None),
        (framed(None), None),
        // The popup names the buyer it uses (the most recently seen when no NuORDER tab is open).
        (popup(None), Some("2")),
        (Asker::tab(Some(30)), None),
    ];
    for (asker, want) in rows {
        let got = account_for_tab(&state, &seen, asker).ok().map(|a| a.account_id.as_str());
        assert_eq!(got, want, "{asker:?}");
    }
    assert!(session_for(&[], popup(None)).is_none());
}

#[test]
fn only_https_links_to_the_back_office_render_anywhere() {
    let bad = [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://us.merchantos.com/?name=purchase.views.purchase&id=7",
        "https://us.merchantos.com@evil.example/",
        "//us.merchantos.com/",
        " https://us.merchantos.com/",
    ];
    for url in bad {
        assert!(!link_allowed(url), "{url}");
    }
    for r in [Region::Us, Region::Eu, Region::Aus] {
        assert!(link_allowed(&r.po_url("7")), "{r:?}");
        // The status field's view links only to the account's back office.
        let v = view(
            Some(&LightspeedAccount { region: r, ..account("1") }),
            "5",
            None,
            JobStatus::Exported { po_id: OrderId(7) },
        );
        assert_eq!(v.po_url.as_deref(), Some(r.po_url("7").as_str()));
        assert_eq!(v.badge.link.map(|l| l.url), Some(r.po_url("7")));
    }
}

#[test]
fn a_client_id_other_than_the_registered_ones_is_named() {
    assert_eq!(unusual_client_id(CHROME_CLIENT_ID), None);
    assert_eq!(unusual_client_id(FIREFOX_CLIENT_ID), None);
    assert_eq!(unusual_client_id("someone-else"), Some("someone-else"));
    assert_eq!(unusual_client_id(""), Some(""));
}

mod app_support;
mod client_support;
mod export_run_support;
mod sandbox_app_support;

/// The page's brand id picks the vendor (NuORDER's seller id, matched to a Lightspeed vendor's
/// `b2bSellerUID` before the name), so the dialog names the vendor the PO will be made for — in
/// its summary and in the sentence Export confirms — not the brand the page claims.
#[test]
fn the_dialog_names_the_vendor_the_po_will_be_made_for_whatever_the_page_claims() {
    use po_bridge::app::capability::{token_of, Holder};
    use po_bridge::app::preview::DialogView;
    use po_bridge::protocol::PageBrand;
    use serde_json::json;
    let env = client_support::start();
    let acct = client_support::ACCT;
    let vendors = json!([{"name": "Acme Wholesale", "b2bSellerUID": "seller-77"}]);
    env.post("/seed", json!({"replace": false, "accounts": [{"accountID": acct, "vendors": vendors}]}));
    let a = sandbox_app_support::linked_sandbox_app(env, 1_767_000_000_000, 10);
    let holder = Holder { tab_id: Some(10), frame_id: Some(3) };
    let vendor_shown = |brand: PageBrand, nonce: u8| {
        let doc = export_run_support::order_json("h01-basic-all-upcs");
        let (_, _, d) = block_on(a.stage(doc, vec![], brand, Asker::tab(Some(10)), &[nonce; 16])).unwrap();
        let DialogView::Preview(p) = block_on(a.preview(token_of(&d).unwrap(), holder)).unwrap() else {
            panic!("the export preview")
        };
        p.plan.vendor
    };
    assert_eq!(vendor_shown(PageBrand::default(), 1), "Harbor Goods", "the order's brand");
    let steered = PageBrand { id: Some("seller-77".into()), name: None };
    assert_eq!(vendor_shown(steered, 2), "Acme Wholesale", "the vendor the page's seller id picks, named");
}
