//! Linked accounts in the background: the glue between the popup's requests, the core's rules
//! (`po_bridge::accounts`, `po_bridge::link`) and the IndexedDB store. Tokens are stored under
//! `tokens:<account id>` and never leave this context.

use crate::identity::WebAuthFlow;
use crate::kv;
use crate::net::{self, FetchTransport};
use po_bridge::accounts::{AccountsState, NuorderAccount, Region};
use po_bridge::lightspeed::endpoints::{Archived, ListShops};
use po_bridge::lightspeed::oauth::TokenSet;
use po_bridge::link::{self, LightspeedConfig, CHROME_CLIENT_ID, FIREFOX_CLIENT_ID};
use po_bridge::protocol::{AccountView, AccountsView, ErrorCode, ProtocolError, Response, ShopView};
use po_bridge_browser as browser;
use serde::{Deserialize, Serialize};

const ACCOUNTS_KEY: &str = "accounts";
const SESSIONS_KEY: &str = "nuorder_sessions";
const SETTINGS_KEY: &str = "settings";
pub fn tokens_key(account_id: &str) -> String {
    format!("tokens:{account_id}")
}

fn storage_error(e: kv::StoreError) -> ProtocolError {
    browser::warn(&e.to_string());
    ProtocolError::new(
        ErrorCode::Internal,
        "PO Bridge could not read or save its settings. Try again; if it keeps happening, restart the browser.",
    )
}

/// Settings a developer or an admin may change (one OAuth client per browser, each with a default).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub chrome_client_id: Option<String>,
    #[serde(default)]
    pub firefox_client_id: Option<String>,
}

fn is_firefox() -> bool {
    browser::extension_url("").starts_with("moz-extension:")
}

async fn config() -> LightspeedConfig {
    let settings: Settings = kv::get(SETTINGS_KEY).await.ok().flatten().unwrap_or_default();
    let client_id = if is_firefox() {
        settings.firefox_client_id.unwrap_or_else(|| FIREFOX_CLIENT_ID.into())
    } else {
        settings.chrome_client_id.unwrap_or_else(|| CHROME_CLIENT_ID.into())
    };
    LightspeedConfig::production(&client_id)
}

pub async fn load_state() -> Result<AccountsState, ProtocolError> {
    Ok(kv::get(ACCOUNTS_KEY).await.map_err(storage_error)?.unwrap_or_default())
}

pub async fn save_state(state: &AccountsState) -> Result<(), ProtocolError> {
    kv::put(ACCOUNTS_KEY, state).await.map_err(storage_error)
}

/// NuORDER buyers seen on tabs, most recent first.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SeenSession {
    tab_id: Option<i64>,
    account: NuorderAccount,
    seen_ms: u64,
}

async fn seen_sessions() -> Vec<SeenSession> {
    kv::get(SESSIONS_KEY).await.ok().flatten().unwrap_or_default()
}

fn session_for_tab(sessions: &[SeenSession], tab_id: Option<i64>) -> Option<&SeenSession> {
    tab_id.and_then(|t| sessions.iter().find(|s| s.tab_id == Some(t))).or_else(|| sessions.first())
}

/// The NuORDER buyer signed in on a tab (else the most recently seen one).
pub async fn seen_buyer_for_tab(tab_id: Option<i64>) -> Option<NuorderAccount> {
    session_for_tab(&seen_sessions().await, tab_id).map(|s| s.account.clone())
}

/// Tabs where a NuORDER session was seen (for status events).
pub async fn nuorder_tab_ids() -> Vec<i64> {
    seen_sessions().await.into_iter().filter_map(|s| s.tab_id).collect()
}

pub async fn report_nuorder_session(
    session: &serde_json::Value,
    tab_id: Option<i64>,
) -> Result<Response, ProtocolError> {
    let account = po_bridge::nuorder::session::parse_me(session)
        .map_err(|e| ProtocolError::new(ErrorCode::InvalidInput, e.to_string()))?;
    let mut sessions = seen_sessions().await;
    sessions.retain(|s| s.tab_id != tab_id || tab_id.is_none() && s.account != account);
    sessions.insert(0, SeenSession { tab_id, account, seen_ms: net::now_ms() });
    sessions.truncate(20);
    kv::put(SESSIONS_KEY, &sessions).await.map_err(storage_error)?;
    Ok(Response::Done)
}

pub async fn get_accounts(active_tab_id: Option<i64>) -> Result<Response, ProtocolError> {
    let state = load_state().await?;
    let sessions = seen_sessions().await;
    let current = session_for_tab(&sessions, active_tab_id).cloned();
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
    Ok(Response::Accounts(AccountsView {
        accounts,
        nuorder_signed_in: current.as_ref().map(|s| s.account.clone()),
        nuorder_tab_id: current.and_then(|s| s.tab_id),
    }))
}

pub async fn link_lightspeed(interactive: bool) -> Result<Response, ProtocolError> {
    let cfg = config().await;
    let random = net::random::<48>().map_err(|e| {
        ProtocolError::new(ErrorCode::Internal, format!("PO Bridge could not create a secure sign-in ({e})."))
    })?;
    let linked = link::link_lightspeed(&cfg, &WebAuthFlow, &FetchTransport, &random, net::now_ms(), interactive)
        .await
        .map_err(|e| e.to_protocol())?;
    // Store tokens first, then the account: an account is never listed without its tokens.
    kv::put(&tokens_key(&linked.account.account_id), &linked.tokens).await.map_err(storage_error)?;
    let mut state = load_state().await?;
    let (account_id, name) = (linked.account.account_id.clone(), linked.account.name.clone());
    state.upsert_lightspeed(linked.account);
    save_state(&state).await?;
    crate::export::drop_client(&account_id);
    Ok(Response::Linked { account_id, name })
}

pub async fn link_buyer(account_id: &str, tab_id: Option<i64>) -> Result<Response, ProtocolError> {
    let sessions = seen_sessions().await;
    let Some(seen) = session_for_tab(&sessions, tab_id) else {
        return Err(ProtocolError::new(
            ErrorCode::NotFound,
            "No NuORDER tab is signed in. Sign in to NuORDER in a tab, then link again.",
        ));
    };
    let mut state = load_state().await?;
    state
        .link_buyer(seen.account.clone(), account_id)
        .map_err(|e| ProtocolError::new(ErrorCode::NotFound, e.to_string()))?;
    save_state(&state).await?;
    Ok(Response::Done)
}

pub async fn unlink(account_id: &str) -> Result<Response, ProtocolError> {
    let mut state = load_state().await?;
    let Some(account) = state.account(account_id).cloned() else {
        return Err(ProtocolError::new(ErrorCode::NotFound, "That account is not linked any more."));
    };
    // Revoke at Lightspeed first (best effort: an unreachable Lightspeed must not keep a token
    // the merchant asked us to forget), then delete the tokens and the account.
    if let Ok(Some(tokens)) = kv::get::<TokenSet>(&tokens_key(account_id)).await {
        let cfg = LightspeedConfig::production(&account.client_id);
        if let Err(e) = link::revoke(&cfg, &FetchTransport, &tokens.refresh_token).await {
            browser::warn(&format!("revoking the Lightspeed token failed: {e}"));
        }
    }
    kv::delete(&tokens_key(account_id)).await.map_err(storage_error)?;
    state.unlink(account_id).map_err(|e| ProtocolError::new(ErrorCode::NotFound, e.to_string()))?;
    save_state(&state).await?;
    crate::export::drop_client(account_id);
    Ok(Response::Done)
}

pub async fn get_shops(account_id: &str) -> Result<Response, ProtocolError> {
    let shops = live_shops(account_id).await?;
    Ok(Response::Shops { account_id: account_id.to_string(), shops })
}

/// The account's active shops (archived ones left out), through the account's client (which
/// paces, retries and refreshes the token single-flight).
pub async fn live_shops(account_id: &str) -> Result<Vec<ShopView>, ProtocolError> {
    let state = load_state().await?;
    let account = state
        .account(account_id)
        .cloned()
        .ok_or_else(|| ProtocolError::new(ErrorCode::NotFound, "That account is not linked any more."))?;
    let client = crate::export::client_for(&account);
    match client.list_all(&ListShops { archived: Archived::Exclude }).await {
        Ok(shops) => {
            let mut out: Vec<ShopView> = shops
                .into_iter()
                .filter(|s| !s.archived)
                .map(|s| ShopView { shop_id: s.shop_id.to_string(), name: s.name })
                .collect();
            out.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(out)
        }
        Err(e) if e.needs_relink() => {
            let mut state = load_state().await?;
            state.mark_needs_relink(account_id);
            save_state(&state).await?;
            Err(ProtocolError::new(ErrorCode::NeedsRelink, e.user_message()))
        }
        Err(e) => Err(ProtocolError::new(ErrorCode::Network, e.user_message())),
    }
}

pub async fn set_default_shop(account_id: &str, shop_id: &str) -> Result<Response, ProtocolError> {
    let live: Vec<String> = live_shops(account_id).await?.into_iter().map(|s| s.shop_id).collect();
    let mut state = load_state().await?;
    state
        .set_default_shop(account_id, shop_id, &live)
        .map_err(|e| ProtocolError::new(ErrorCode::InvalidInput, e.to_string()))?;
    save_state(&state).await?;
    Ok(Response::Done)
}

pub async fn set_region(account_id: &str, region: Region) -> Result<Response, ProtocolError> {
    let mut state = load_state().await?;
    state.set_region(account_id, region).map_err(|e| ProtocolError::new(ErrorCode::NotFound, e.to_string()))?;
    save_state(&state).await?;
    Ok(Response::Done)
}
