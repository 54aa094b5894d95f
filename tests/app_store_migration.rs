//! A store written by commit 1695b83 (`tests/fixtures/store-1695b83/store.json`, captured from the
//! old code's own serializers) opens through the new application layer with nothing lost.

mod app_support;

use app_support::app;
use po_bridge::accounts::AccountsState;
use po_bridge::app::keys::StorageKey;
use po_bridge::app::memory::MemStore;
use po_bridge::app::platform::KvStore;
use po_bridge::app::sessions::SeenSession;
use po_bridge::app::staging::StagedRecord;
use po_bridge::app::store::{self, Journals, Tokens};
use po_bridge::export::journal::{JobKey, Journal, JournalStore, Outcome};
use po_bridge::export::plan::{Links, Plan};
use po_bridge::lightspeed::client::TokenStore;
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::oauth::TokenSet;
use po_bridge::protocol::HistoryEntry;
use serde_json::Value;
use std::collections::BTreeMap;

const RUNNING: &str = "6f3a9c21d4e5b60718290001";

fn old_store() -> BTreeMap<String, String> {
    let path = format!("{}/tests/fixtures/store-1695b83/store.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Read with the new type, write again: the same JSON as the old build stored.
fn same_after_round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> bool {
    let old: Value = serde_json::from_str(text).unwrap();
    let typed: T = serde_json::from_value(old.clone()).unwrap_or_else(|e| panic!("{e}: {text}"));
    serde_json::to_value(&typed).unwrap() == old
}

#[test]
fn every_old_key_is_a_storage_key_and_every_value_reads_back_unchanged() {
    for (key, text) in old_store() {
        let parsed = StorageKey::parse(&key).unwrap_or_else(|| panic!("unknown key {key}"));
        assert_eq!(parsed.as_string(), key);
        let same = match parsed {
            StorageKey::Accounts => same_after_round_trip::<AccountsState>(&text),
            StorageKey::NuorderSessions => same_after_round_trip::<Vec<SeenSession>>(&text),
            StorageKey::Settings => same_after_round_trip::<po_bridge::app::service::Settings>(&text),
            StorageKey::History => same_after_round_trip::<Vec<HistoryEntry>>(&text),
            StorageKey::Tokens(_) => same_after_round_trip::<TokenSet>(&text),
            StorageKey::Links(_) => same_after_round_trip::<Links>(&text),
            StorageKey::Numbers(_) => same_after_round_trip::<BTreeMap<String, String>>(&text),
            StorageKey::Staged(_) => same_after_round_trip::<StagedRecord>(&text),
            StorageKey::Plan(_) | StorageKey::LegacyPlan(_) => same_after_round_trip::<Plan>(&text),
            StorageKey::Journal(_) => same_after_round_trip::<Journal>(&text),
            StorageKey::MadeFrom(_) => same_after_round_trip::<po_bridge::app::made_from::PoSource>(&text),
            StorageKey::Updates(_) => same_after_round_trip::<po_bridge::update::UpdateLog>(&text),
            StorageKey::Pause(_) | StorageKey::WorkerBoots => same_after_round_trip::<u64>(&text),
            StorageKey::Pages => same_after_round_trip::<Vec<po_bridge::app::pages::PageRecord>>(&text),
            StorageKey::DevSettings | StorageKey::Capability(_) | StorageKey::Unfinished(_) => true,
        };
        assert!(same, "{key} changed when read by the new code");
    }
}

#[test]
fn the_old_store_works_in_the_new_application_layer() {
    let app = app(MemStore::from_entries(old_store()), 1_767_000_500_000);
    let state = block_on(app.state()).unwrap();
    assert_eq!(state.lightspeed[0].default_shop_id.as_deref(), Some("1"));
    assert_eq!(
        block_on(app.account_for_tab(po_bridge::app::sessions::Asker::tab(Some(17)))).unwrap().account_id,
        "123456",
        "tab 17's buyer"
    );
    assert_eq!(block_on(app.config(false)).client_id, "custom-chrome");
    let tokens = Tokens { store: &app.store, account_id: "123456".into() };
    assert_eq!(block_on(tokens.load()).unwrap().unwrap().refresh_token, "rt-1");
    let journals = Journals::new(&app.store);
    let key = JobKey { account_id: "123456".into(), order_id: RUNNING.into() };
    assert_eq!(block_on(journals.load(&key)).unwrap().unwrap().outcome, Outcome::Running);
    assert_eq!(block_on(journals.load_links("123456")).unwrap().vendors["Harbor Goods"].0, 12);
    let (staged, _, account) = block_on(app.load_staged(RUNNING)).unwrap();
    assert_eq!((staged.brand.name.as_deref(), account.account_id.as_str()), (Some("Harbor Goods"), "123456"));
    assert_eq!(block_on(app.history()).unwrap()[0].status.po_number.as_deref(), Some("88"));
    let plan: Option<Plan> = block_on(store::get(&app.store, &StorageKey::LegacyPlan(RUNNING.into()))).unwrap();
    assert!(plan.is_some());
    // The running job resumes (its pause is over); the finished one does not.
    let (runs, wake) = block_on(app.jobs_to_resume(&|_| false, 20_000));
    assert_eq!(runs.iter().map(|r| r.key.order_id.as_str()).collect::<Vec<_>>(), [RUNNING]);
    assert_eq!(wake, Some(20_000));
    // That first wake indexed the store's unfinished work: the running job, nothing finished.
    let index = block_on(app.store.keys("unfinished:po-bridge-job:")).unwrap();
    assert_eq!(index, ["unfinished:po-bridge-job:", &format!("unfinished:po-bridge-job:123456:{RUNNING}")]);
}
