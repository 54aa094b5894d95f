//! The background's requests about accounts, as plain async functions over the platform traits:
//! the popup's Linked accounts screen, linking and unlinking, shops, settings, NuORDER sessions.

#![allow(async_fn_in_trait)]

use super::accounts::{AccountsState, LightspeedAccount, Region};
use super::errors::AppError;
use super::keys::StorageKey;
use super::link::{self, AuthFlow, LightspeedConfig, CHROME_CLIENT_ID, FIREFOX_CLIENT_ID};
use super::platform::{Calendar, KvStore};
use super::recipients::LiveSessions;
use super::sessions::{self, Asker, SeenSession};
use super::store::{self, Journals};
use super::unfinished::Marks;
use crate::core::sorted;
use crate::lightspeed::client::{LightspeedClient, TokenSource};
use crate::lightspeed::endpoints::{Archived, ListShops};
use crate::lightspeed::http::{Clock, Transport};
use crate::lightspeed::models::Shop;
use crate::lightspeed::oauth::TokenSet;
use crate::protocol::{AccountView, AccountsView, ShopView};
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;
use std::rc::Rc;

/// One Lightspeed client per account (one pacing bucket, one single-flight token refresher).
pub trait Clients {
    type T: Transport;
    type C: Clock;
    type S: TokenSource;
    fn client(&self, account: &LightspeedAccount) -> Rc<LightspeedClient<Self::T, Self::C, Self::S>>;
    /// Forget an account's client (after unlink or relink).
    fn forget(&self, account_id: &str);
}

/// The platform services a request needs.
pub struct App<K, Cal, L> {
    pub store: K,
    pub calendar: Cal,
    pub clients: L,
    /// The NuORDER sessions as this process last stored them (the background worker shares one
    /// across its requests): a running job's events follow them ([`super::recipients`]).
    pub live: Rc<LiveSessions>,
    /// What this process knows of the index of unfinished work (the worker shares one across its
    /// requests, so that a wake never prunes the entry of a record a request is saving:
    /// [`super::unfinished`]).
    pub unfinished: Rc<Marks>,
}

/// Settings a developer or an admin may change (one OAuth client per browser, each with a default).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub chrome_client_id: Option<String>,
    #[serde(default)]
    pub firefox_client_id: Option<String>,
}

/// Test-only tuning of the background's timings (`dev:settings`, every field optional; see the
/// background's `dev.rs`). The shipped build reads it too, so every value is clamped to a range that
/// is safe in production: at worst a request gives up after 1 s (and is retried, idempotently), a
/// rate-limit wait is handed back after 1 s (the job pauses and resumes from its journal), the
/// watchdog fires every second (an alarm that resumes only unfinished jobs). No value can make the
/// worker spin, sleep longer than the product does, or leave a job unresumed for longer than a minute.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct DevSettings {
    pub timeout_ms: Option<u64>,
    pub max_wait_ms: Option<u64>,
    pub watchdog_ms: Option<u64>,
}

/// The per-request timeout a `dev:settings` entry may set (ms; the product's is 25 s).
pub const DEV_TIMEOUT_MS: RangeInclusive<u64> = 1_000..=60_000;
/// The longest rate-limit wait a `dev:settings` entry may set (ms; the product's is 60 s).
pub const DEV_MAX_WAIT_MS: RangeInclusive<u64> = 1_000..=60_000;
/// The watchdog period a `dev:settings` entry may set (ms; the product's is `resume::WATCHDOG_MS`).
pub const DEV_WATCHDOG_MS: RangeInclusive<u64> = 1_000..=60_000;

fn clamp(v: u64, range: &RangeInclusive<u64>) -> u64 {
    v.clamp(*range.start(), *range.end())
}

impl DevSettings {
    /// Per-request timeout override (ms), within [`DEV_TIMEOUT_MS`].
    pub fn timeout_ms(&self) -> Option<u64> {
        self.timeout_ms.map(|t| clamp(t, &DEV_TIMEOUT_MS))
    }

    /// Longest rate-limit wait slept before pausing (ms), within [`DEV_MAX_WAIT_MS`].
    pub fn max_wait_ms(&self) -> Option<u64> {
        self.max_wait_ms.map(|t| clamp(t, &DEV_MAX_WAIT_MS))
    }

    /// Watchdog period (ms): the override within [`DEV_WATCHDOG_MS`], else the product's `default`.
    pub fn watchdog_ms(&self, default: u64) -> u64 {
        self.watchdog_ms.map(|t| clamp(t, &DEV_WATCHDOG_MS)).unwrap_or(default)
    }
}

const GONE: &str = "That account is not linked any more.";

impl<K: KvStore, Cal: Calendar, L: Clients> App<K, Cal, L> {
    /// Journals, links and sets over the store, with this process's marks of the index of
    /// unfinished work (every save of the core goes through this).
    pub fn journals(&self) -> Journals<&K> {
        Journals { store: &self.store, marks: Rc::clone(&self.unfinished) }
    }

    pub async fn state(&self) -> Result<AccountsState, AppError> {
        Ok(store::get_or_default(&self.store, &StorageKey::Accounts).await?)
    }

    pub async fn save_state(&self, state: &AccountsState) -> Result<(), AppError> {
        Ok(store::put(&self.store, &StorageKey::Accounts, state).await?)
    }

    pub async fn sessions(&self) -> Vec<SeenSession> {
        store::get_or_default(&self.store, &StorageKey::NuorderSessions).await.unwrap_or_default()
    }

    /// The account an export from this tab goes to (see [`sessions::account_for_tab`]). The
    /// accounts and the sessions are read together (a woken worker answers a status sooner).
    pub async fn account_for_tab(&self, asker: Asker) -> Result<LightspeedAccount, AppError> {
        let (state, seen) = futures::join!(self.state(), self.sessions());
        sessions::account_for_tab(&state?, &seen, asker).cloned()
    }

    /// A content script reports who is signed in on its tab; `null` when NuORDER answered that
    /// the session ended: the tab is then nobody's (it exports nowhere and is told to sign in).
    /// The list is read, changed and stored in the process's turn ([`LiveSessions::turn`]): a
    /// report made meanwhile by another tab waits, rather than being overwritten. When the stored
    /// list cannot be read, nothing is stored (the error is answered): writing this tab's session
    /// alone would drop every other tab's buyer.
    pub async fn report_session(&self, session: &serde_json::Value, tab_id: Option<i64>) -> Result<(), AppError> {
        let account = if session.is_null() { None } else { Some(crate::nuorder::session::parse_me(session)?) };
        let _turn = self.live.turn().await;
        // Read strictly: a list that could not be read is not replaced by this one tab's.
        let mut seen: Vec<SeenSession> = store::get_or_default(&self.store, &StorageKey::NuorderSessions).await?;
        match account {
            Some(account) => sessions::record_session(&mut seen, account, tab_id, self.calendar.now_ms()),
            None => sessions::forget_tab(&mut seen, tab_id),
        }
        store::put(&self.store, &StorageKey::NuorderSessions, &seen).await?;
        // The jobs running now send their next events by this list.
        self.live.stored(&seen);
        Ok(())
    }

    /// The popup's Linked accounts screen, over the tab it was opened on.
    pub async fn accounts_view(&self, active_tab_id: Option<i64>) -> Result<AccountsView, AppError> {
        let state = self.state().await?;
        let seen = self.sessions().await;
        let current = sessions::session_for_popup(&seen, active_tab_id).cloned();
        let current_account =
            current.as_ref().and_then(|s| state.account_for(Some(&s.account))).map(|a| a.account_id.clone());
        let accounts = state
            .lightspeed
            .iter()
            .map(|a| AccountView {
                account: a.clone(),
                buyers: state.links.iter().filter(|l| l.account_id == a.account_id).map(|l| l.buyer.clone()).collect(),
                used_by_current_tab: current_account.as_deref() == Some(a.account_id.as_str()),
            })
            .collect();
        Ok(AccountsView {
            accounts,
            nuorder_signed_in: current.as_ref().map(|s| s.account.clone()),
            nuorder_tab_id: current.and_then(|s| s.tab_id),
        })
    }

    /// The OAuth client of this browser: the settings' override, else the registered one.
    pub async fn config(&self, firefox: bool) -> LightspeedConfig {
        let s: Settings = store::get_or_default(&self.store, &StorageKey::Settings).await.unwrap_or_default();
        let id = if firefox {
            s.firefox_client_id.unwrap_or_else(|| FIREFOX_CLIENT_ID.into())
        } else {
            s.chrome_client_id.unwrap_or_else(|| CHROME_CLIENT_ID.into())
        };
        LightspeedConfig::production(&id)
    }

    /// Link a Lightspeed account; tokens are stored first, so an account is never listed without them.
    pub async fn link(
        &self,
        cfg: &LightspeedConfig,
        flow: &impl AuthFlow,
        transport: &impl Transport,
        random: &[u8; 48],
        interactive: bool,
    ) -> Result<(String, String), AppError> {
        let linked = link::link_lightspeed(cfg, flow, transport, random, self.calendar.now_ms(), interactive).await?;
        let account_id = linked.account.account_id.clone();
        store::put(&self.store, &StorageKey::Tokens(account_id.clone()), &linked.tokens).await?;
        let mut state = self.state().await?;
        let name = linked.account.name.clone();
        state.upsert_lightspeed(linked.account);
        self.save_state(&state).await?;
        self.clients.forget(&account_id);
        Ok((account_id, name))
    }

    /// Link the buyer signed in on the tab (the popup's: see [`sessions::session_for_popup`]).
    pub async fn link_buyer(&self, account_id: &str, tab_id: Option<i64>) -> Result<(), AppError> {
        let seen = self.sessions().await;
        let Some(session) = sessions::session_for_popup(&seen, tab_id) else {
            return Err(AppError::NotFound(
                "No NuORDER tab is signed in. Sign in to NuORDER in a tab, then link again.".into(),
            ));
        };
        let mut state = self.state().await?;
        state.link_buyer(session.account.clone(), account_id)?;
        self.save_state(&state).await
    }

    /// Forget an account: revoke at Lightspeed first (best effort: an unreachable Lightspeed must
    /// not keep a token the merchant asked us to forget), then delete the tokens, what the account's
    /// POs were made from ([`super::made_from`]) and the account. Returns the revocation's failure, for the log.
    pub async fn unlink(&self, account_id: &str, transport: &impl Transport) -> Result<Option<String>, AppError> {
        let mut state = self.state().await?;
        let account = state.account(account_id).cloned().ok_or_else(|| AppError::NotFound(GONE.into()))?;
        let tokens_key = StorageKey::Tokens(account_id.to_string());
        let mut warning = None;
        if let Ok(Some(tokens)) = store::get::<TokenSet>(&self.store, &tokens_key).await {
            let cfg = LightspeedConfig::production(&account.client_id);
            warning = link::revoke(&cfg, transport, &tokens.refresh_token).await.err().map(|e| e.to_string());
        }
        store::delete(&self.store, &tokens_key).await?;
        super::made_from::forget_account(&self.store, account_id).await;
        state.unlink(account_id)?;
        self.save_state(&state).await?;
        self.clients.forget(account_id);
        Ok(warning)
    }

    /// The account's shops as Lightspeed has them (a dead link marks the account).
    pub async fn shops(&self, account: &LightspeedAccount) -> Result<Vec<Shop>, AppError> {
        match self.clients.client(account).list_all(&ListShops { archived: Archived::Exclude }).await {
            Ok(shops) => Ok(shops.into_iter().filter(|s| !s.archived).collect()),
            Err(e) => {
                if e.needs_relink() {
                    self.mark_needs_relink(&account.account_id).await;
                }
                Err(e.into())
            }
        }
    }

    /// Count one more start of the worker (the real-world idle-stop test reads the count from an
    /// extension page); returns the new count.
    pub async fn record_boot(&self) -> Result<u64, AppError> {
        let boots: u64 = store::get_or_default(&self.store, &StorageKey::WorkerBoots).await?;
        store::put(&self.store, &StorageKey::WorkerBoots, &(boots + 1)).await?;
        Ok(boots + 1)
    }

    /// The account's default currency: as stored, else asked of Lightspeed
    /// (`Account/{id}.json`, one plain read, as the link asks it) and kept, for an account linked
    /// before PO Bridge kept it. `None` when Lightspeed does not say (asked again next time).
    pub async fn account_currency(&self, account: &LightspeedAccount) -> Option<String> {
        if let Some(code) = &account.currency {
            return Some(code.clone());
        }
        let client = self.clients.client(account);
        let token = client.tokens().access_token().await.ok()?;
        let code =
            link::fetch_currency(&client.config().api_base, client.transport(), &token, &account.account_id).await?;
        if let Ok(mut state) = self.state().await {
            state.set_currency(&account.account_id, code.clone());
            let _ = self.save_state(&state).await;
        }
        Some(code)
    }

    pub async fn mark_needs_relink(&self, account_id: &str) {
        if let Ok(mut state) = self.state().await {
            state.mark_needs_relink(account_id);
            let _ = self.save_state(&state).await;
        }
    }

    /// The account's active shops, sorted by name, for the popup and the dialog.
    pub async fn live_shops(&self, account_id: &str) -> Result<Vec<ShopView>, AppError> {
        let account =
            self.state().await?.account(account_id).cloned().ok_or_else(|| AppError::NotFound(GONE.into()))?;
        Ok(shop_views(&self.shops(&account).await?))
    }

    pub async fn set_default_shop(&self, account_id: &str, shop_id: &str) -> Result<(), AppError> {
        let live: Vec<String> = self.live_shops(account_id).await?.into_iter().map(|s| s.shop_id).collect();
        let mut state = self.state().await?;
        state.set_default_shop(account_id, shop_id, &live)?;
        self.save_state(&state).await
    }

    pub async fn set_region(&self, account_id: &str, region: Region) -> Result<(), AppError> {
        let mut state = self.state().await?;
        state.set_region(account_id, region)?;
        self.save_state(&state).await
    }
}

/// Shops as the popup and the dialog list them: by name.
pub fn shop_views(shops: &[Shop]) -> Vec<ShopView> {
    let mut out: Vec<ShopView> =
        shops.iter().map(|s| ShopView { shop_id: s.shop_id.to_string(), name: s.name.clone() }).collect();
    sorted::sort_by(&mut out, |a, b| a.name.cmp(&b.name));
    out
}
