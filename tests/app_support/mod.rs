//! Shared helpers for the application-layer tests: an `App` over the in-memory platform, with
//! Lightspeed clients that point nowhere (these tests never reach Lightspeed).
#![allow(dead_code)]

use po_bridge::accounts::{AccountsState, LightspeedAccount, NuorderAccount, Region};
use po_bridge::app::keys::StorageKey;
use po_bridge::app::memory::{FixedCalendar, MemStore};
use po_bridge::app::platform::{Calendar, KvStore};
use po_bridge::app::service::{App, Clients};
use po_bridge::app::sessions::{record_session, SeenSession};
use po_bridge::app::store;
use po_bridge::lightspeed::client::{ClientConfig, LightspeedClient, StaticToken};
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::native::{NativeTransport, SystemClock};
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
    App { store, calendar: FixedCalendar::at(now_ms), clients: NoClients }
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
