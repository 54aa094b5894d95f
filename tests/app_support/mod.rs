//! Shared helpers for the application-layer tests: an `App` over the in-memory platform, with
//! Lightspeed clients that point nowhere (these tests never reach Lightspeed).
#![allow(dead_code)]

use po_bridge::accounts::{AccountsState, LightspeedAccount, NuorderAccount, Region};
use po_bridge::app::keys::StorageKey;
use po_bridge::app::memory::{FixedCalendar, MemStore};
use po_bridge::app::platform::Events;
use po_bridge::app::platform::{Calendar, KvStore};
use po_bridge::app::service::{App, Clients};
use po_bridge::app::sessions::{record_session, SeenSession};
use po_bridge::app::store;
use po_bridge::lightspeed::client::{ClientConfig, LightspeedClient, StaticToken};
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::native::{NativeTransport, SystemClock};
use po_bridge::protocol::{Event, EventEnvelope};
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::Rc;

pub struct NoClients;

impl Clients for NoClients {
    type T = NativeTransport;
    type C = SystemClock;
    type S = StaticToken;
    fn client(&self, account: &LightspeedAccount) -> Rc<LightspeedClient<NativeTransport, SystemClock, StaticToken>> {
        let cfg = ClientConfig::new("http://127.0.0.1:9", account.account_id.clone());
        Rc::new(LightspeedClient::new(NativeTransport::new(), SystemClock, StaticToken("none".into()), cfg))
    }
    fn forget(&self, _account_id: &str) {}
}

pub type TestApp = App<MemStore, FixedCalendar, NoClients>;

pub fn app(store: MemStore, now_ms: u64) -> TestApp {
    App {
        store,
        calendar: FixedCalendar::at(now_ms),
        clients: NoClients,
        live: Default::default(),
        unfinished: Default::default(),
    }
}

/// A NuORDER buyer of the test retailer.
pub fn buyer(email: &str) -> NuorderAccount {
    NuorderAccount {
        retailer_id: "r1".into(),
        retailer_name: "Juniper".into(),
        buyer_email: email.into(),
        buyer_name: "Sam".into(),
    }
}

/// A buyer of another retailer (a second NuORDER buyer account).
pub fn other_buyer() -> NuorderAccount {
    NuorderAccount {
        retailer_id: "r2".into(),
        retailer_name: "Birch".into(),
        buyer_email: "kim@birch.example".into(),
        buyer_name: "Kim".into(),
    }
}

/// A linked Lightspeed account named after its id.
pub fn acct(id: &str) -> LightspeedAccount {
    LightspeedAccount {
        account_id: id.into(),
        name: format!("Store {id}"),
        client_id: "c".into(),
        region: Region::Us,
        default_shop_id: None,
        needs_relink: false,
        linked_at_ms: 1,
        currency: None,
    }
}

/// Account 1 linked to buyer `a@x.com`, whom NuORDER shows signed in on tab 10.
pub fn link_on_tab_10<K: KvStore, Cal: Calendar, L: Clients>(a: &App<K, Cal, L>) {
    let mut state = AccountsState::default();
    state.upsert_lightspeed(acct("1"));
    state.link_buyer(buyer("a@x.com"), "1").unwrap();
    block_on(a.save_state(&state)).unwrap();
    let mut seen: Vec<SeenSession> = Vec::new();
    record_session(&mut seen, buyer("a@x.com"), Some(10), 1);
    block_on(store::put(&a.store, &StorageKey::NuorderSessions, &seen)).unwrap();
}

/// Events recorded in order, like `RecordedEvents`, for a job during which sessions change: once
/// an event for which `when` holds has gone out (to the tabs, then to the extension's pages,
/// which get every event once), `then` runs (sessions reported while the job runs). Every event
/// moves `clock` on by a second, so that the job's throttled progress goes out too.
pub struct MidRun<'a> {
    pub sent: RefCell<Vec<(Option<i64>, EventEnvelope)>>,
    when: Box<dyn Fn(&Event) -> bool + 'a>,
    then: RefCell<Option<Box<dyn FnOnce() + 'a>>>,
    clock: &'a Cell<u64>,
    /// How many events had gone out when `then` ran.
    pub ran_after: Cell<Option<usize>>,
}

impl<'a> MidRun<'a> {
    pub fn new(clock: &'a Cell<u64>, when: impl Fn(&Event) -> bool + 'a, then: impl FnOnce() + 'a) -> MidRun<'a> {
        MidRun {
            sent: RefCell::default(),
            when: Box::new(when),
            then: RefCell::new(Some(Box::new(then))),
            clock,
            ran_after: Cell::new(None),
        }
    }

    /// The tabs told before `then` ran, and those told after.
    pub fn tabs_before_and_after(&self) -> (BTreeSet<i64>, BTreeSet<i64>) {
        let at = self.ran_after.get().expect("the sessions changed mid-run");
        let (mut before, mut after, mut events) = (BTreeSet::new(), BTreeSet::new(), 0);
        for (tab, _) in self.sent.borrow().iter() {
            match tab {
                None => events += 1,
                Some(t) if events < at => {
                    before.insert(*t);
                }
                Some(t) => {
                    after.insert(*t);
                }
            }
        }
        (before, after)
    }

    /// The tabs told of the last event (the job's end).
    pub fn tabs_of_last(&self) -> BTreeSet<i64> {
        let sent = self.sent.borrow();
        let last = sent.iter().rposition(|(tab, _)| tab.is_none()).expect("an event");
        let first = sent[..last].iter().rposition(|(tab, _)| tab.is_none()).map_or(0, |i| i + 1);
        sent[first..last].iter().filter_map(|(tab, _)| *tab).collect()
    }
}

impl Events for MidRun<'_> {
    fn to_tab(&self, tab_id: i64, event: &EventEnvelope) {
        self.sent.borrow_mut().push((Some(tab_id), event.clone()));
    }
    fn to_pages(&self, event: &EventEnvelope) {
        self.sent.borrow_mut().push((None, event.clone()));
        self.clock.set(self.clock.get() + 1_000);
        if self.ran_after.get().is_none() && (self.when)(&event.event) {
            let events = self.sent.borrow().iter().filter(|(tab, _)| tab.is_none()).count();
            self.ran_after.set(Some(events));
            if let Some(then) = self.then.borrow_mut().take() {
                then();
            }
        }
    }
}

/// What NuORDER answers about the session of `buyer` (what a content script reports).
pub fn me(buyer: &NuorderAccount) -> serde_json::Value {
    serde_json::json!({"user": {"name": buyer.buyer_name, "email": buyer.buyer_email},
        "retailer": {"_id": buyer.retailer_id, "retailer_name": buyer.retailer_name}})
}

/// Report `session` (`null`: ended) on `tab` while a job runs (the in-memory store answers at once).
pub fn report<K: KvStore, Cal: Calendar, L: Clients>(a: &App<K, Cal, L>, session: serde_json::Value, tab: i64) {
    use futures::FutureExt;
    a.report_session(&session, Some(tab)).now_or_never().expect("the in-memory store answers at once").unwrap();
}
