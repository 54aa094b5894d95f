//! Linking a Lightspeed account: OAuth 2.0 authorization code with PKCE (S256) and a random
//! `state`, through the browser's identity flow, then the code exchange and the account's id and
//! name. Nothing is stored here: the caller stores the account and tokens only when the whole link
//! succeeded, so a failure at any step leaves nothing half-linked.

#![allow(async_fn_in_trait)]

use super::accounts::{LightspeedAccount, Region};
use crate::lightspeed::client::{API_BASE, DEFAULT_TIMEOUT_MS};
use crate::lightspeed::endpoints::{Endpoint, GetAccount, GetAccounts};
use crate::lightspeed::http::{HttpRequest, HttpResponse, Transport, TransportError};
use crate::lightspeed::models::{Account, Envelope};
use crate::lightspeed::oauth::{
    account_id_from_access_token, authorize_url, check_redirect, parse_token_response, revoke_request,
    token_request_authorization_code, OAuthFailure, Pkce, RedirectError, TokenSet, CLOUD_BASE, DEFAULT_SCOPES,
};

/// The registered OAuth client for Chromium (redirect `https://<pinned id>.chromiumapp.org/`).
pub const CHROME_CLIENT_ID: &str = "po-bridge-chrome";
/// The registered OAuth client for Firefox (redirect `https://<sha1 of gecko id>.extensions.allizom.org/`).
pub const FIREFOX_CLIENT_ID: &str = "po-bridge-firefox";

/// The OAuth client id the popup must name on an account card: one that is not a registered client
/// (a `settings` entry replaced it), so it never changes without the user seeing it.
pub fn unusual_client_id(client_id: &str) -> Option<&str> {
    (client_id != CHROME_CLIENT_ID && client_id != FIREFOX_CLIENT_ID).then_some(client_id)
}

/// Where and as whom PO Bridge talks to Lightspeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LightspeedConfig {
    pub cloud_base: String,
    pub api_base: String,
    pub client_id: String,
    pub scopes: String,
}

impl LightspeedConfig {
    pub fn production(client_id: &str) -> Self {
        LightspeedConfig {
            cloud_base: CLOUD_BASE.into(),
            api_base: API_BASE.into(),
            client_id: client_id.into(),
            scopes: DEFAULT_SCOPES.into(),
        }
    }
}

/// The browser's web-auth flow (`identity.launchWebAuthFlow`).
pub trait AuthFlow {
    /// The redirect URL this browser intercepts (`identity.getRedirectURL()`).
    fn redirect_url(&self) -> String;
    /// Open the authorize URL; resolve with the URL Lightspeed redirected to.
    async fn launch(&self, url: &str, interactive: bool) -> Result<String, AuthFlowError>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthFlowError {
    /// The window was closed, or the browser reports the user did not approve.
    Cancelled,
    /// Anything else the browser reports.
    Failed(String),
}

impl AuthFlowError {
    /// The browser's rejection of the flow, by its message. Chromium: "The user did not approve
    /// access."; Firefox: "User cancelled or denied access."; a closed window says so.
    pub fn from_browser_message(message: String) -> AuthFlowError {
        let lower = message.to_lowercase();
        if ["did not approve", "cancel", "denied", "closed"].iter().any(|w| lower.contains(w)) {
            AuthFlowError::Cancelled
        } else {
            AuthFlowError::Failed(message)
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LinkError {
    #[error("linking was cancelled")]
    Cancelled,
    #[error("{0}")]
    Redirect(RedirectError),
    #[error("{0}")]
    Token(OAuthFailure),
    #[error("network: {0}")]
    Network(String),
    /// Lightspeed answered the account read with a rate limit (429) or a server error (5xx): a
    /// moment later the same link works.
    #[error("Lightspeed answered HTTP {0}")]
    Busy(u16),
    #[error("unexpected answer: {0}")]
    Unexpected(String),
}

/// A successful link: store both, together.
#[derive(Debug, Clone, PartialEq)]
pub struct Linked {
    pub account: LightspeedAccount,
    pub tokens: TokenSet,
}

fn base64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Link a Lightspeed account. `random` must come from a CSPRNG: 32 bytes for the PKCE verifier and
/// 16 for `state`.
pub async fn link_lightspeed<F: AuthFlow, T: Transport>(
    config: &LightspeedConfig,
    flow: &F,
    transport: &T,
    random: &[u8; 48],
    now_ms: u64,
    interactive: bool,
) -> Result<Linked, LinkError> {
    let mut verifier_bytes = [0u8; 32];
    verifier_bytes.copy_from_slice(&random[..32]);
    let pkce = Pkce::from_random(&verifier_bytes);
    let state = base64url(&random[32..]);
    let url = authorize_url(&config.cloud_base, &config.client_id, &config.scopes, &state, &pkce.challenge);
    let redirected = flow.launch(&url, interactive).await.map_err(|e| match e {
        AuthFlowError::Cancelled => LinkError::Cancelled,
        AuthFlowError::Failed(m) => LinkError::Network(m),
    })?;
    let code = check_redirect(&redirected, &flow.redirect_url(), &state).map_err(LinkError::Redirect)?;
    let request = token_request_authorization_code(&config.cloud_base, &config.client_id, &code, &pkce.verifier);
    let response = send(transport, request).await?;
    let tokens = parse_token_response(&response, now_ms).map_err(LinkError::Token)?;
    let account = fetch_account(config, transport, &tokens.access_token).await?;
    let currency =
        fetch_currency(&config.api_base, transport, &tokens.access_token, &account.account_id.to_string()).await;
    Ok(Linked {
        account: LightspeedAccount {
            account_id: account.account_id.to_string(),
            name: account.name,
            client_id: config.client_id.clone(),
            region: Region::default(),
            default_shop_id: None,
            needs_relink: false,
            linked_at_ms: now_ms,
            currency,
        },
        tokens,
    })
}

async fn send<T: Transport>(transport: &T, request: HttpRequest) -> Result<HttpResponse, LinkError> {
    transport.send(request, DEFAULT_TIMEOUT_MS).await.map_err(|e: TransportError| LinkError::Network(e.to_string()))
}

/// The account the access token belongs to (`GET /API/V3/Account.json`).
pub async fn fetch_account<T: Transport>(
    config: &LightspeedConfig,
    transport: &T,
    access_token: &str,
) -> Result<Account, LinkError> {
    // The account is not known yet: the one request of the link made outside a client.
    let request =
        GetAccounts.to_http(&config.api_base, "").with_header("authorization", format!("Bearer {access_token}"));
    let response = send(transport, request).await?;
    if response.status == 429 || response.status >= 500 {
        return Err(LinkError::Busy(response.status));
    }
    if !response.is_success() {
        return Err(LinkError::Unexpected(format!("Account.json answered HTTP {}", response.status)));
    }
    let envelope: Envelope<Account> =
        serde_json::from_str(&response.body).map_err(|e| LinkError::Unexpected(e.to_string()))?;
    pick_account(envelope.records, access_token)
}

/// The account's default currency (`GET /API/V3/Account/{id}.json`), which the list form does not
/// carry. Best effort, one plain request: a link never fails for it, and a preview that finds it
/// unknown asks again ([`super::service::App::account_currency`], with this same request, so the
/// background holds one decoder of `Account`).
pub(crate) async fn fetch_currency<T: Transport>(
    api_base: &str,
    transport: &T,
    access_token: &str,
    account_id: &str,
) -> Option<String> {
    let request =
        GetAccount.to_http(api_base, account_id).with_header("authorization", format!("Bearer {access_token}"));
    let response = send(transport, request).await.ok().filter(|r| r.is_success())?;
    let envelope: Envelope<Account> = serde_json::from_str(&response.body).ok()?;
    envelope.records.into_iter().next().and_then(|a| a.currency_code())
}

/// The token's account (its `acct` claim) among those `Account.json` lists (one object, or a list:
/// reference §2.8, "accept a list"); the first when the token names none of them. Taking the first
/// of a list blindly would send every later call to another merchant's account.
fn pick_account(accounts: Vec<Account>, access_token: &str) -> Result<Account, LinkError> {
    let acct = account_id_from_access_token(access_token);
    let named = accounts.iter().position(|a| acct.as_deref() == Some(a.account_id.to_string().as_str()));
    accounts
        .into_iter()
        .nth(named.unwrap_or(0))
        .ok_or_else(|| LinkError::Unexpected("no account in Account.json".into()))
}

/// Revoke a refresh token (and its access token) at Lightspeed. A refusal because the token is
/// already invalid counts as revoked.
pub async fn revoke<T: Transport>(
    config: &LightspeedConfig,
    transport: &T,
    refresh_token: &str,
) -> Result<(), LinkError> {
    let response = send(transport, revoke_request(&config.cloud_base, &config.client_id, refresh_token)).await?;
    if response.is_success() || response.status == 400 {
        Ok(())
    } else {
        Err(LinkError::Unexpected(format!("revoke answered HTTP {}", response.status)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    fn accounts(ids: &[u64]) -> Vec<Account> {
        let list: Vec<_> = ids.iter().map(|id| serde_json::json!({"accountID": id.to_string(), "name": "A"})).collect();
        let body = serde_json::json!({"@attributes": {"count": ids.len()}, "Account": list});
        serde_json::from_value::<Envelope<Account>>(body).unwrap().records
    }

    fn token_for(acct: &str) -> String {
        format!("eyJhbGciOiJSUzI1NiJ9.{}.c2ln", URL_SAFE_NO_PAD.encode(format!(r#"{{"acct":"{acct}"}}"#)))
    }

    #[test]
    fn the_account_is_the_tokens_among_those_listed() {
        let id = |a: Result<Account, LinkError>| a.map(|a| a.account_id.to_string()).ok();
        assert_eq!(id(pick_account(accounts(&[1, 83050]), &token_for("83050"))).as_deref(), Some("83050"));
        // A token naming none of them (or an opaque token): the first, as a single object gives.
        assert_eq!(id(pick_account(accounts(&[1, 83050]), &token_for("7"))).as_deref(), Some("1"));
        assert_eq!(id(pick_account(accounts(&[83050]), "opaque")).as_deref(), Some("83050"));
        assert!(pick_account(accounts(&[]), &token_for("83050")).is_err());
    }
}
