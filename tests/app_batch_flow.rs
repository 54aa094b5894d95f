//! The browser's batch (issue 19), the application layer against the Lightspeed sandbox: a
//! selection's orders staged by one tab get one capability for the set (another tab's orders are
//! refused), the batch dialog lists each order with its counts, Export is only for the set's
//! orders and only once (the capability is spent), the set runs to one PO per order with each
//! order's status and the set's progress sent out, and Cancel from the bar stops it before the
//! next order. On load a tab asks for its buyer's running set (the bar shows it at once: the
//! staging tab after a reload, any other tab of that buyer, never a tab of another buyer into the
//! same account) and its rows of orders waiting in the set read Queued · k of n. A set paused by the rate limit keeps when its wait ends: a wake before then leaves
//! it (and schedules the wake for then), a wake after resumes it. An order that needs a choice is offered for choosing in the dialog and is exported
//! in the batch with the choices sent with Export (checked by the core, never taken otherwise).
//! A single export with a row waiting for a choice, or without a location, is refused in the
//! dialog's words and spends nothing.

mod app_support;
mod client_support;

use app_support::{acct, buyer, me, other_buyer, report};
use client_support::{start, Env, SandboxClients, ACCT};
use po_bridge::accounts::AccountsState;
use po_bridge::app::capability::Holder;
use po_bridge::app::dialog_text::export_refusal;
use po_bridge::app::errors::{advice, Surface};
use po_bridge::app::keys::StorageKey;
use po_bridge::app::memory::{FixedCalendar, MemStore, RecordedAlarms, RecordedEvents};
use po_bridge::app::plan_view::RowView;
use po_bridge::app::preview::DialogView;
use po_bridge::app::service::{App, Clients};
use po_bridge::app::sessions::{record_session, Asker};
use po_bridge::app::store;
use po_bridge::export::batch::{JobSet, OrderState};
use po_bridge::export::journal::JobKey;
use po_bridge::export::plan::{Choice, Plan, RowStatus};
use po_bridge::lightspeed::native::block_on;
use po_bridge::nuorder::model::Money;
use po_bridge::protocol::{BatchPick, Event, PageBrand, RowChoice};
use serde_json::json;

const T0: u64 = 1_767_000_000_000;
const TAB: i64 = 10;

type TestApp = App<MemStore, FixedCalendar, SandboxClients>;

/// Buyer a@ signed in on tabs 10 and 11, linked to 83050.
fn setup() -> TestApp {
    setup_with(|env, token| SandboxClients { env, token })
}

fn setup_with<L: Clients>(clients: impl FnOnce(Env, String) -> L) -> App<MemStore, FixedCalendar, L> {
    let env = start();
    let token = env.mint(json!({})).access_token;
    let a = App {
        store: MemStore::new(),
        calendar: FixedCalendar::at(T0),
        clients: clients(env, token),
        live: Default::default(),
        unfinished: Default::default(),
    };
    let mut seen = Vec::new();
    record_session(&mut seen, buyer("a@x.com"), Some(TAB), 1);
    record_session(&mut seen, buyer("a@x.com"), Some(11), 2);
    block_on(store::put(&a.store, &StorageKey::NuorderSessions, &seen)).unwrap();
    let mut s: AccountsState = block_on(a.state()).unwrap();
    s.upsert_lightspeed(acct(ACCT));
    s.link_buyer(buyer("a@x.com"), ACCT).unwrap();
    block_on(a.save_state(&s)).unwrap();
    a
}

fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/nuorder/orders/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Stage these fixtures from `tab`; their `_id`s.
fn stage<L: Clients>(a: &App<MemStore, FixedCalendar, L>, tab: i64, names: &[&str]) -> Vec<String> {
    let brand = PageBrand { id: None, name: Some("Harbor Goods".into()) };
    let stage_one =
        |n: &&str| block_on(a.stage_record(fixture(n), vec![], brand.clone(), Asker::tab(Some(tab)))).unwrap().1;
    names.iter().map(stage_one).collect()
}

fn holder() -> Holder {
    Holder { tab_id: Some(TAB), frame_id: Some(3) }
}

fn cap_of(dialog: &str) -> String {
    dialog.strip_prefix("dialog.html?cap=").unwrap().to_string()
}

/// Opens this tab's batch of `ids` (capability nonce `n`), reviews it and starts it at the first
/// location with no choices: the set's id and the started set.
fn start_set<L: Clients>(a: &App<MemStore, FixedCalendar, L>, ids: &[String], n: u8) -> (String, JobSet) {
    let (set_id, dialog) = block_on(a.open_batch(ids.to_vec(), Asker::tab(Some(TAB)), &[n; 24])).unwrap();
    let cap = cap_of(&dialog);
    let view = block_on(a.preview_batch(&cap, holder())).unwrap().unwrap();
    let shop = view.shops[0].shop_id.clone();
    let picks =
        ids.iter().map(|id| BatchPick { order_id: id.clone(), shop_id: shop.clone(), choices: vec![] }).collect();
    (set_id, block_on(a.start_batch(&cap, holder(), picks)).unwrap())
}

#[test]
fn a_selection_is_one_capability_one_review_one_set_each_order_one_po() {
    let a = setup();
    let ids = stage(&a, TAB, &["h01-basic-all-upcs", "h04-discount-surcharge-shipping"]);
    let other = stage(&a, 11, &["h03-prepacks"]);
    let mixed = [ids.clone(), other].concat();
    assert!(block_on(a.open_batch(mixed, Asker::tab(Some(TAB)), &[1; 24])).is_err(), "another tab's order is refused");
    let (set_id, dialog) = block_on(a.open_batch(ids.clone(), Asker::tab(Some(TAB)), &[2; 24])).unwrap();
    let cap = cap_of(&dialog);
    assert!(
        block_on(a.preview_batch(&cap, Holder { tab_id: Some(11), frame_id: Some(3) })).is_err(),
        "bound to its tab"
    );
    let view = block_on(a.preview_batch(&cap, holder())).unwrap().expect("a batch's capability");
    assert_eq!(view.orders.iter().map(|o| o.order_id.clone()).collect::<Vec<_>>(), ids);
    assert!(view.orders.iter().all(|o| o.ready && o.units > 0 && o.matched + o.new > 0), "{view:?}");
    assert!(view.orders.iter().all(|o| o.warning.is_none()), "USD orders into a USD account: {view:?}");
    let shop = view.default_shop_id.clone().unwrap_or_else(|| view.shops[0].shop_id.clone());
    let pick = |id: &String| BatchPick { order_id: id.clone(), shop_id: shop.clone(), choices: vec![] };
    let stranger = vec![BatchPick { order_id: "not-in-the-set".into(), shop_id: shop.clone(), choices: vec![] }];
    assert!(block_on(a.start_batch(&cap, holder(), stranger)).is_err(), "only the set's orders");
    let set = block_on(a.start_batch(&cap, holder(), ids.iter().map(pick).collect())).unwrap();
    assert_eq!(set.key.set_id, set_id);
    assert!(block_on(a.start_batch(&cap, holder(), ids.iter().map(pick).collect())).is_err(), "spent");
    let (events, alarms) = (RecordedEvents::default(), RecordedAlarms::default());
    let spec = block_on(a.set_spec(&set)).unwrap();
    assert_eq!(block_on(a.run_set(spec, &events, &alarms)), None);
    let (sets, wake) = block_on(a.sets_to_resume(&|_| false, 20_000));
    assert!(sets.is_empty() && wake.is_none(), "nothing left to resume");
    let seen = events.0.borrow();
    let labels: Vec<String> = seen
        .iter()
        .filter_map(|(_, e)| if let Event::Set(v) = &e.event { Some(v.label.clone()) } else { None })
        .collect();
    assert!(
        labels.iter().any(|l| l == "1 of 2 exported") && labels.last().map(String::as_str) == Some("2 of 2 exported"),
        "{labels:?}"
    );
    // From the set's start, each order not started yet reads Queued · k of n, until its own export.
    let badges = |id: &String| -> Vec<String> {
        let of = |e: &Event| if let Event::Status(v) = e { Some(v.clone()) } else { None };
        let views = seen.iter().filter_map(|(_, e)| of(&e.event));
        views.filter(|v| v.order_id.as_ref() == Some(id)).map(|v| v.badge.text).collect()
    };
    let second = badges(&set.orders[1].order_id);
    let first_queued = second.iter().position(|t| t == "Queued · 2 of 2");
    let first_own = second.iter().position(|t| !t.starts_with("Queued"));
    assert!(first_queued.is_some() && first_queued < first_own, "{second:?}");
    assert_eq!(second.last().map(String::as_str), Some("Exported"), "{second:?}");
    assert!(badges(&set.orders[0].order_id).first().is_some_and(|t| t == "Queued · 1 of 2"));
    let pos = pos(&a.clients.env);
    for id in &ids {
        let number = fixture_number(id);
        assert_eq!(pos.iter().filter(|p| p["refNum"] == format!("NuORDER {number}")).count(), 1, "one PO for {number}");
    }
}

#[test]
fn each_order_in_another_currency_than_the_accounts_is_warned_on_its_line() {
    let a = setup();
    let mut ids = stage(&a, TAB, &["h01-basic-all-upcs"]);
    // A EUR order whose product the brand prices in USD 95 and EUR 89, into the USD account.
    let products = fixture("../products").as_array().unwrap().clone();
    let eur = block_on(a.stage_record(fixture("m01-eur-ean13"), products, PageBrand::default(), Asker::tab(Some(TAB))));
    ids.push(eur.unwrap().1);
    let (_, dialog) = block_on(a.open_batch(ids.clone(), Asker::tab(Some(TAB)), &[3; 24])).unwrap();
    let view = block_on(a.preview_batch(&cap_of(&dialog), holder())).unwrap().unwrap();
    assert_eq!(view.orders[0].warning, None, "the USD order: {:?}", view.orders[0]);
    let warning = view.orders[1].warning.as_deref().unwrap_or_default();
    assert!(warning.starts_with("This order is in EUR, but your Lightspeed account keeps costs in USD."), "{view:?}");
    assert!(view.orders[1].ready, "a warning leaves the order in the batch: {view:?}");
    // The plan kept for the start prices its new item at the brand's USD retail, not the EUR one.
    let key = StorageKey::Plan(JobKey { account_id: ACCT.into(), order_id: ids[1].clone() });
    let plan: Plan = block_on(store::get(&a.store, &key)).unwrap().expect("the plan kept");
    let retail = plan.rows.iter().find_map(|r| r.draft.as_ref()).and_then(|d| d.retail);
    assert_eq!(retail, Some(Money::parse("95").unwrap()));
}

#[test]
fn cancel_from_the_bar_stops_before_the_next_order() {
    let a = setup();
    let ids = stage(&a, TAB, &["h01-basic-all-upcs", "h04-discount-surcharge-shipping"]);
    let (set_id, set) = start_set(&a, &ids, 3);
    let cancelled = block_on(a.cancel_batch(&set_id, Asker::tab(Some(TAB)))).unwrap();
    assert!(cancelled.cancelled && cancelled.finished, "{cancelled:?}");
    let spec = block_on(a.set_spec(&set)).unwrap();
    let events = RecordedEvents::default();
    block_on(a.run_set(spec, &events, &RecordedAlarms::default()));
    assert!(pos(&a.clients.env).is_empty(), "nothing started after Cancel");
    let texts: Vec<String> = events
        .0
        .borrow()
        .iter()
        .filter_map(|(_, e)| if let Event::Status(v) = &e.event { Some(v.badge.text.clone()) } else { None })
        .collect();
    assert!(
        !texts.is_empty() && texts.iter().all(|t| t == "Not exported"),
        "cancelled orders read Not exported: {texts:?}"
    );
    let stored = block_on(po_bridge::export::batch::JobSetStore::load_set(
        &po_bridge::app::store::Journals::new(&a.store),
        &set.key,
    ));
    assert!(stored.unwrap().unwrap().orders.iter().all(|o| o.state == OrderState::Cancelled));
}

fn fixture_number(id: &str) -> String {
    ["h01-basic-all-upcs", "h04-discount-surcharge-shipping"]
        .iter()
        .map(|n| fixture(n))
        .find(|o| o["_id"] == id)
        .map(|o| o["order_number"].as_str().unwrap().to_string())
        .unwrap()
}

/// The sandbox account's POs.
fn pos(env: &Env) -> Vec<serde_json::Value> {
    let t = env.get(&format!("/accounts/{ACCT}"))["tables"]["Order"].clone();
    t.as_object().map(|m| m.values().cloned().collect()).unwrap_or_default()
}

/// Two live POS items share the tote's UPC: h01's tote row needs a choice.
fn seed_twin_totes(env: &Env) {
    env.post(
        "/seed",
        json!({"replace": false, "accounts": [{"accountID": ACCT, "items": [
            {"description": "Tote A", "upc": "812345001013"},
            {"description": "Tote B", "upc": "812345001013"},
        ]}]}),
    );
}

#[test]
fn a_single_export_refuses_in_the_dialogs_words_and_spends_nothing() {
    let a = setup();
    seed_twin_totes(&a.clients.env);
    let brand = PageBrand { id: None, name: Some("Harbor Goods".into()) };
    let staged = a.stage(fixture("h01-basic-all-upcs"), vec![], brand, Asker::tab(Some(TAB)), &[7; 16]);
    let (order, _, dialog) = block_on(staged).unwrap();
    let token = cap_of(&dialog);
    let DialogView::Preview(p) = block_on(a.preview(&token, holder())).unwrap() else { panic!("the export preview") };
    assert_eq!(p.plan.counts.needs_choice, 1, "the tote waits for a choice");
    let row = p.plan.rows.iter().find(|r| matches!(r.status, RowStatus::NeedsChoice { .. })).unwrap();
    let RowStatus::NeedsChoice { candidates, .. } = &row.status else { unreachable!() };
    let chosen = vec![RowChoice { row: row.key.clone(), choice: Choice::Item { item_id: candidates[0].item_id } }];
    let shop = p.shops[0].shop_id.as_str();
    // What the dialog would say before it asks (its rows still waiting, its location) is what
    // the background answers when asked anyway.
    for (shop_id, choices, waiting) in [(shop, vec![], 1), ("", chosen.clone(), 0)] {
        let refused = block_on(a.start(&order, shop_id, choices, &token, holder())).err().expect("refused");
        let told = advice(&refused, Surface::Extension).message;
        assert_eq!(Some(told.as_str()), export_refusal(waiting, shop_id), "shop {shop_id:?}");
    }
    let run = block_on(a.start(&order, shop, chosen, &token, holder()));
    assert!(run.is_ok_and(|r| r.start.is_some()), "the refusals spent nothing: the export starts");
}

#[test]
fn an_order_that_needs_a_choice_is_chosen_in_the_dialog_and_exported_with_the_set() {
    let a = setup();
    seed_twin_totes(&a.clients.env);
    let ids = stage(&a, TAB, &["h01-basic-all-upcs", "h04-discount-surcharge-shipping"]);
    let (_, dialog) = block_on(a.open_batch(ids.clone(), Asker::tab(Some(TAB)), &[4; 24])).unwrap();
    let cap = cap_of(&dialog);
    let view = block_on(a.preview_batch(&cap, holder())).unwrap().unwrap();
    let (tote, other) = (&view.orders[0], &view.orders[1]);
    assert!(!tote.ready && tote.can_choose && tote.needs_choice == 1, "{tote:?}");
    assert!(other.ready && !other.can_choose, "{other:?}");
    let rows: Vec<RowView> = serde_json::from_value(tote.choice_rows.clone()).unwrap();
    assert_eq!(rows.len(), 1, "only the rows that need a choice");
    let RowStatus::NeedsChoice { candidates, .. } = &rows[0].status else { panic!("{rows:?}") };
    assert_eq!(candidates.len(), 2);
    let shop = view.shops[0].shop_id.clone();
    let pick =
        |id: &String, choices: Vec<RowChoice>| BatchPick { order_id: id.clone(), shop_id: shop.clone(), choices };
    let choose = |choice: Choice| vec![RowChoice { row: rows[0].key.clone(), choice }];
    let stranger = choose(Choice::Item { item_id: 999_999.into() });
    for (picks, why) in [
        (vec![pick(&ids[0], vec![]), pick(&ids[1], vec![])], "no choice made"),
        (vec![pick(&ids[0], stranger.clone()), pick(&ids[1], vec![])], "an item that is not a candidate"),
    ] {
        assert!(block_on(a.start_batch(&cap, holder(), picks)).is_err(), "refused: {why}");
    }
    // Refused in the merchant's words: no row key, no item id.
    let e = block_on(a.start_batch(&cap, holder(), vec![pick(&ids[0], stranger.clone()), pick(&ids[1], vec![])]));
    let said = po_bridge::app::errors::to_protocol(e.unwrap_err()).message;
    assert!(said.starts_with("The preview changed since this choice was made."), "{said}");
    assert!(!said.contains("999999") && !said.contains(&rows[0].key.to_string()), "{said}");
    let chosen = candidates[1].item_id;
    let picks = vec![pick(&ids[0], choose(Choice::Item { item_id: chosen })), pick(&ids[1], vec![])];
    assert!(block_on(a.start_batch(&cap, Holder { tab_id: Some(11), frame_id: Some(3) }, picks.clone())).is_err());
    let set = block_on(a.start_batch(&cap, holder(), picks)).unwrap();
    let spec = block_on(a.set_spec(&set)).unwrap();
    assert_eq!(block_on(a.run_set(spec, &RecordedEvents::default(), &RecordedAlarms::default())), None);
    let stored = block_on(po_bridge::export::batch::JobSetStore::load_set(&store::Journals::new(&a.store), &set.key));
    let stored = stored.unwrap().unwrap();
    assert!(stored.orders.iter().all(|o| o.state.is_exported()), "{:?}", stored.orders);
    let t = a.clients.env.get(&format!("/accounts/{ACCT}"))["tables"].clone();
    let lines: Vec<serde_json::Value> = t["OrderLine"].as_object().unwrap().values().cloned().collect();
    let on_chosen = lines.iter().filter(|l| l["itemID"].to_string().trim_matches('"') == chosen.to_string()).count();
    assert_eq!(on_chosen, 1, "the chosen item is on the tote's PO line: {lines:?}");
    for id in &ids {
        let number = fixture_number(id);
        assert_eq!(pos(&a.clients.env).iter().filter(|p| p["refNum"] == format!("NuORDER {number}")).count(), 1);
    }
}

/// The sandbox's clients, but each waits at most 1 s for the rate limit (longer: a pause).
struct Impatient(SandboxClients);

impl Clients for Impatient {
    type T = po_bridge::lightspeed::native::NativeTransport;
    type C = client_support::ScaledClock;
    type S = po_bridge::lightspeed::client::StaticToken;
    fn client(
        &self,
        account: &po_bridge::accounts::LightspeedAccount,
    ) -> std::rc::Rc<po_bridge::lightspeed::client::LightspeedClient<Self::T, Self::C, Self::S>> {
        let mut cfg = self.0.env.config();
        cfg.account_id = account.account_id.clone();
        cfg.max_wait_ms = 1_000;
        let (transport, token) =
            (self.0.env.transport.clone(), po_bridge::lightspeed::client::StaticToken(self.0.token.clone()));
        std::rc::Rc::new(po_bridge::lightspeed::client::LightspeedClient::new(
            transport,
            client_support::ScaledClock::new(1.0),
            token,
            cfg,
        ))
    }
    fn forget(&self, _: &str) {}
}

#[test]
fn a_set_paused_by_the_rate_limit_keeps_its_resume_time_and_a_wake_resumes_it_only_then() {
    let a = setup_with(|env, token| Impatient(SandboxClients { env, token }));
    let ids = stage(&a, TAB, &["h01-basic-all-upcs", "h04-discount-surcharge-shipping"]);
    let (_, set) = start_set(&a, &ids, 5);
    // A full bucket: the first write would wait longer than the client's 1 s.
    let env = &a.clients.0.env;
    env.post("/registers", json!({"registers": 1}));
    env.post("/bucket", json!({"level": 95}));
    let alarms = RecordedAlarms::default();
    let spec = block_on(a.set_spec(&set)).unwrap();
    assert_eq!(block_on(a.run_set(spec, &RecordedEvents::default(), &alarms)), None);
    let wait = *alarms.0.borrow().last().expect("a wake for the pause's end");
    assert!(wait > 1_000, "{wait}");
    let load = || {
        block_on(po_bridge::export::batch::JobSetStore::load_set(&store::Journals::new(&a.store), &set.key))
            .unwrap()
            .unwrap()
    };
    assert_eq!(load().paused_until, Some(T0 + wait), "the pause's end is kept with the set");
    // A wake before then (the watchdog, another job) leaves the set and wakes again at its end.
    a.calendar.now.set(T0 + wait / 2);
    let (specs, wake) = block_on(a.sets_to_resume(&|_| false, 20_000));
    assert!(specs.is_empty(), "not resumed before its pause ends");
    assert_eq!(wake, Some(wait - wait / 2), "the next wake is the pause's end");
    // At its end the wake resumes it; it finishes and the pause is gone.
    env.relax_limits();
    env.post("/bucket", json!({"level": 0}));
    a.calendar.now.set(T0 + wait);
    let (mut specs, wake) = block_on(a.sets_to_resume(&|_| false, 20_000));
    assert_eq!((specs.len(), wake), (1, Some(20_000)), "resumed, under the watchdog");
    assert_eq!(block_on(a.run_set(specs.remove(0), &RecordedEvents::default(), &alarms)), None);
    let done = load();
    assert!(done.orders.iter().all(|o| o.state.is_exported()) && done.paused_until.is_none(), "{done:?}");
}

#[test]
fn after_a_reload_the_tab_finds_its_running_set_and_its_waiting_orders_read_queued() {
    let a = setup();
    let ids = stage(&a, TAB, &["h01-basic-all-upcs", "h04-discount-surcharge-shipping"]);
    assert_eq!(block_on(a.running_batch(Asker::tab(Some(TAB)))).unwrap(), None, "no batch yet");
    let (set_id, set) = start_set(&a, &ids, 6);
    // The set is kept, its runner not started yet (as after a reload in between): the tab's bar.
    let running = block_on(a.running_batch(Asker::tab(Some(TAB)))).unwrap().expect("the tab's running set");
    assert_eq!((running.set_id.as_str(), running.label.as_str()), (set_id.as_str(), "0 of 2 exported"));
    let other_tab = block_on(a.running_batch(Asker::tab(Some(11)))).unwrap();
    assert_eq!(other_tab, Some(running), "another tab of its buyer, which staged none of it, finds it too");
    let asked: Vec<po_bridge::protocol::OrderRef> = set
        .orders
        .iter()
        .map(|o| po_bridge::protocol::OrderRef { order_id: None, order_number: o.order_number.clone() })
        .collect();
    let (_, views) = block_on(a.statuses(&asked, Asker::tab(Some(TAB)), &Default::default())).unwrap();
    let texts: Vec<(String, bool)> = views.iter().map(|v| (v.badge.text.clone(), v.badge.selectable)).collect();
    assert_eq!(texts, [("Queued · 1 of 2".to_string(), false), ("Queued · 2 of 2".to_string(), false)]);
    let spec = block_on(a.set_spec(&set)).unwrap();
    block_on(a.run_set(spec, &RecordedEvents::default(), &RecordedAlarms::default()));
    assert_eq!(block_on(a.running_batch(Asker::tab(Some(TAB)))).unwrap(), None, "finished: no bar on load");
    let (_, views) = block_on(a.statuses(&asked, Asker::tab(Some(TAB)), &Default::default())).unwrap();
    assert!(views.iter().all(|v| v.badge.text == "Exported"), "{views:?}");
}

#[test]
fn every_tab_of_the_sets_buyer_finds_it_on_load_and_no_tab_of_another_buyer_does() {
    let a = setup();
    let ids = stage(&a, TAB, &["h01-basic-all-upcs", "h04-discount-surcharge-shipping"]);
    let (set_id, _) = start_set(&a, &ids, 7);
    // While it runs, buyer A opens tab 12 (which stages nothing), and buyer B, with no link of its
    // own, signs in on tab 20: B exports into the same (the only) account.
    report(&a, me(&buyer("a@x.com")), 12);
    report(&a, me(&other_buyer()), 20);
    assert_eq!(
        block_on(a.account_for_tab(Asker::tab(Some(20)))).unwrap().account_id,
        ACCT,
        "B's tab: the set's account"
    );
    let bar = |tab: Option<i64>| block_on(a.running_batch(Asker::tab(tab))).unwrap().map(|v| v.set_id);
    assert_eq!(bar(Some(12)), Some(set_id.clone()), "a tab of buyer A that staged none of it");
    assert_eq!(bar(Some(TAB)), Some(set_id.clone()), "the staging tab, reloaded");
    assert_eq!(bar(Some(20)), None, "buyer B's tab, into the same account");
    assert_eq!(bar(Some(99)), None, "a tab with no session");
    assert_eq!(bar(None), None, "no tab");
    // The staging tab now shows buyer B: its bar goes, as the set's events to it do.
    report(&a, me(&other_buyer()), TAB);
    assert_eq!(bar(Some(TAB)), None, "the staging tab, now buyer B's");
    assert_eq!(bar(Some(12)), Some(set_id), "buyer A's other tab still");
}

#[test]
fn a_set_waiting_longer_than_a_day_keeps_its_orders_staged_and_exports_them() {
    let a = setup();
    let ids = stage(&a, TAB, &["h01-basic-all-upcs", "h04-discount-surcharge-shipping"]);
    let loose = stage(&a, 11, &["h03-prepacks"]);
    let (_, set) = start_set(&a, &ids, 8);
    // A day and more later (the set paused, or its account waiting for a re-link), the next
    // staging sweeps: the snapshots of the set's orders stay, the loose order's goes.
    let later = T0 + po_bridge::app::staging::STAGED_TTL_MS + 1;
    block_on(a.sweep(later));
    let staged = |id: &String| {
        block_on(store::get::<serde_json::Value>(&a.store, &StorageKey::Staged(id.clone()))).unwrap().is_some()
    };
    assert!(ids.iter().all(staged), "the set's orders are still staged");
    assert!(!staged(&loose[0]), "an order in no set is swept");
    a.calendar.now.set(later);
    let spec = block_on(a.set_spec(&set)).expect("the set still runs");
    assert_eq!(block_on(a.run_set(spec, &RecordedEvents::default(), &RecordedAlarms::default())), None);
    let pos = pos(&a.clients.env);
    for id in &ids {
        let number = fixture_number(id);
        assert_eq!(pos.iter().filter(|p| p["refNum"] == format!("NuORDER {number}")).count(), 1, "one PO for {number}");
    }
}
