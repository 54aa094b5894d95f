//! The application-layer tests that reach Lightspeed: an `App` over the in-memory platform whose
//! clients talk to the sandbox, with buyer a@ signed in on a tab (needs `app_support` and
//! `client_support` beside it).
#![allow(dead_code)]

use crate::app_support::{acct, buyer};
use crate::client_support::{Env, SandboxClients, ACCT};
use po_bridge::accounts::AccountsState;
use po_bridge::app::keys::StorageKey;
use po_bridge::app::memory::{FixedCalendar, MemStore};
use po_bridge::app::service::App;
use po_bridge::app::sessions::record_session;
use po_bridge::app::store;
use po_bridge::lightspeed::native::block_on;
use serde_json::json;

pub type SandboxApp = App<MemStore, FixedCalendar, SandboxClients>;

/// The app at `now_ms` against `env` (a token minted for it), buyer a@ signed in on `tab`.
pub fn sandbox_app(env: Env, now_ms: u64, tab: i64) -> SandboxApp {
    let token = env.mint(json!({})).access_token;
    let a = App {
        store: MemStore::new(),
        calendar: FixedCalendar::at(now_ms),
        clients: SandboxClients { env, token },
        live: Default::default(),
        unfinished: Default::default(),
    };
    let mut seen = Vec::new();
    record_session(&mut seen, buyer("a@x.com"), Some(tab), 1);
    block_on(store::put(&a.store, &StorageKey::NuorderSessions, &seen)).unwrap();
    a
}

/// [`sandbox_app`] with the sandbox's account `ACCT` linked to buyer a@.
pub fn linked_sandbox_app(env: Env, now_ms: u64, tab: i64) -> SandboxApp {
    let a = sandbox_app(env, now_ms, tab);
    let mut state = AccountsState::default();
    state.upsert_lightspeed(acct(ACCT));
    state.link_buyer(buyer("a@x.com"), ACCT).unwrap();
    block_on(a.save_state(&state)).unwrap();
    a
}
