//! Access tokens: the [`TokenSource`] the send loop asks, a fixed [`StaticToken`], the
//! [`TokenStore`] that persists a pair, and [`TokenManager`], which refreshes single-flight.
#![allow(async_fn_in_trait)]

use super::config::DEFAULT_TIMEOUT_MS;
use super::config::REFRESH_MARGIN_MS;
use super::errors::ClientError;
use super::retry::backoff_ms;
use crate::core::clock::Clock;
use crate::lightspeed::http::{Method, Transport};
use crate::lightspeed::oauth::{self, OAuthFailure, TokenSet};
use std::sync::atomic::{AtomicU64, Ordering};

/// Where the client gets its access token.
pub trait TokenSource {
    /// A token to use now (refreshed first if it is about to expire).
    async fn access_token(&self) -> Result<String, ClientError>;
    /// The API refused `stale` with 401: a fresh token (maybe refreshed by someone else meanwhile).
    async fn refresh_after_401(&self, stale: &str) -> Result<String, ClientError>;
}

impl<S: TokenSource + ?Sized> TokenSource for &S {
    async fn access_token(&self) -> Result<String, ClientError> {
        (**self).access_token().await
    }
    async fn refresh_after_401(&self, stale: &str) -> Result<String, ClientError> {
        (**self).refresh_after_401(stale).await
    }
}

impl<S: TokenSource + ?Sized> TokenSource for std::rc::Rc<S> {
    async fn access_token(&self) -> Result<String, ClientError> {
        (**self).access_token().await
    }
    async fn refresh_after_401(&self, stale: &str) -> Result<String, ClientError> {
        (**self).refresh_after_401(stale).await
    }
}

impl<S: TokenSource + ?Sized> TokenSource for std::sync::Arc<S> {
    async fn access_token(&self) -> Result<String, ClientError> {
        (**self).access_token().await
    }
    async fn refresh_after_401(&self, stale: &str) -> Result<String, ClientError> {
        (**self).refresh_after_401(stale).await
    }
}

/// A fixed access token (the CLI's `LIGHTSPEED_ACCESS_TOKEN`): a 401 means "get a new one".
#[derive(Clone)]
pub struct StaticToken(pub String);

impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenSource for StaticToken {
    async fn access_token(&self) -> Result<String, ClientError> {
        Ok(self.0.clone())
    }
    async fn refresh_after_401(&self, _stale: &str) -> Result<String, ClientError> {
        Err(ClientError::NeedsRelink { detail: "the access token was refused and cannot be refreshed".into() })
    }
}

/// Persistent token storage (extension: IndexedDB / storage.session; CLI: a file; tests: memory).
pub trait TokenStore {
    async fn load(&self) -> Result<Option<TokenSet>, String>;
    async fn save(&self, tokens: &TokenSet) -> Result<(), String>;
}

impl<S: TokenStore + ?Sized> TokenStore for &S {
    async fn load(&self) -> Result<Option<TokenSet>, String> {
        (**self).load().await
    }
    async fn save(&self, tokens: &TokenSet) -> Result<(), String> {
        (**self).save(tokens).await
    }
}

impl<S: TokenStore + ?Sized> TokenStore for std::sync::Arc<S> {
    async fn load(&self) -> Result<Option<TokenSet>, String> {
        (**self).load().await
    }
    async fn save(&self, tokens: &TokenSet) -> Result<(), String> {
        (**self).save(tokens).await
    }
}

/// Tokens in memory (tests, one-shot CLI runs). Counts saves.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    tokens: std::sync::Mutex<Option<TokenSet>>,
    saves: AtomicU64,
}

impl MemoryTokenStore {
    pub fn new(tokens: Option<TokenSet>) -> Self {
        MemoryTokenStore { tokens: std::sync::Mutex::new(tokens), saves: AtomicU64::new(0) }
    }
    pub fn get(&self) -> Option<TokenSet> {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
    pub fn saves(&self) -> u64 {
        self.saves.load(Ordering::SeqCst)
    }
}

impl TokenStore for MemoryTokenStore {
    async fn load(&self) -> Result<Option<TokenSet>, String> {
        Ok(self.get())
    }
    async fn save(&self, tokens: &TokenSet) -> Result<(), String> {
        *self.tokens.lock().unwrap_or_else(|p| p.into_inner()) = Some(tokens.clone());
        self.saves.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// Refreshing token source with single-flight refresh.
///
/// Share one `TokenManager` (e.g. in an `Rc`/`Arc`) between every client of an account. Inside its
/// async lock it re-reads the store first (someone may have refreshed), refreshes when the token
/// expires within [`REFRESH_MARGIN_MS`] (or half its lifetime, when that is shorter:
/// [`TokenSet::expires_within`]) or was refused with 401, and **saves the rotated pair
/// before returning the new access token** (first use of the new token revokes the old refresh
/// token). `invalid_grant` → [`ClientError::NeedsRelink`]. Across browser contexts, wrap calls in a
/// Web Lock as well (this lock is per process).
pub struct TokenManager<T, C, St> {
    transport: T,
    clock: C,
    store: St,
    cloud_base: String,
    client_id: String,
    timeout_ms: u64,
    lock: futures::lock::Mutex<()>,
    refreshes: AtomicU64,
}

impl<T: Transport, C: Clock, St: TokenStore> TokenManager<T, C, St> {
    pub fn new(transport: T, clock: C, store: St, cloud_base: impl Into<String>, client_id: impl Into<String>) -> Self {
        TokenManager {
            transport,
            clock,
            store,
            cloud_base: cloud_base.into(),
            client_id: client_id.into(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            lock: futures::lock::Mutex::new(()),
            refreshes: AtomicU64::new(0),
        }
    }

    pub fn store(&self) -> &St {
        &self.store
    }

    /// Refresh requests sent so far (each attempt).
    pub fn refresh_count(&self) -> u64 {
        self.refreshes.load(Ordering::SeqCst)
    }

    async fn load(&self) -> Result<TokenSet, ClientError> {
        self.store
            .load()
            .await
            .map_err(ClientError::TokenStore)?
            .ok_or_else(|| ClientError::NeedsRelink { detail: "no Lightspeed account is linked".into() })
    }

    /// Refreshes now (the caller holds the lock), saves, returns the new set.
    async fn refresh(&self, current: &TokenSet) -> Result<TokenSet, ClientError> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let req = oauth::token_request_refresh(&self.cloud_base, &self.client_id, &current.refresh_token);
            self.refreshes.fetch_add(1, Ordering::SeqCst);
            let sent = self.transport.send(req, self.timeout_ms).await;
            match sent {
                Ok(resp) => match oauth::parse_token_response(&resp, self.clock.now_ms()) {
                    Ok(new) => {
                        // Persist before anyone uses the new access token; if saving fails the new
                        // pair is dropped unused and the stored refresh token stays valid.
                        self.store.save(&new).await.map_err(ClientError::TokenStore)?;
                        return Ok(new);
                    }
                    Err(OAuthFailure::InvalidGrant { description }) => {
                        return Err(ClientError::NeedsRelink {
                            detail: description.unwrap_or_else(|| "invalid_grant".into()),
                        });
                    }
                    Err(OAuthFailure::RateLimited { retry_after_ms }) if retry_after_ms <= 60_000 && attempt < 3 => {
                        self.clock.sleep(retry_after_ms).await;
                    }
                    // A wait too long to sleep here is the caller's, as for any other request:
                    // a job pauses and resumes after it, instead of failing for Retry.
                    Err(OAuthFailure::RateLimited { retry_after_ms }) => {
                        return Err(ClientError::RateLimited { retry_after_ms })
                    }
                    Err(OAuthFailure::Server { .. }) if attempt < 3 => self.clock.sleep(backoff_ms(attempt)).await,
                    Err(f) => return Err(ClientError::Auth(f)),
                },
                // The refresh may have been applied: Lightspeed keeps the spent refresh token valid
                // until the new access token is used, so the same refresh can be repeated.
                Err(_) if attempt < 3 => self.clock.sleep(backoff_ms(attempt)).await,
                Err(source) => {
                    return Err(ClientError::Transport {
                        method: Method::Post,
                        path: "/auth/oauth/token".into(),
                        source,
                    })
                }
            }
        }
    }
}

impl<T: Transport, C: Clock, St: TokenStore> TokenSource for TokenManager<T, C, St> {
    async fn access_token(&self) -> Result<String, ClientError> {
        let now = self.clock.now_ms();
        let current = self.load().await?;
        if !current.expires_within(now, REFRESH_MARGIN_MS) {
            return Ok(current.access_token);
        }
        let _guard = self.lock.lock().await;
        let current = self.load().await?;
        if !current.expires_within(self.clock.now_ms(), REFRESH_MARGIN_MS) {
            return Ok(current.access_token);
        }
        Ok(self.refresh(&current).await?.access_token)
    }

    async fn refresh_after_401(&self, stale: &str) -> Result<String, ClientError> {
        let _guard = self.lock.lock().await;
        let current = self.load().await?;
        if current.access_token != stale {
            // Someone refreshed while we were waiting for the lock.
            return Ok(current.access_token);
        }
        Ok(self.refresh(&current).await?.access_token)
    }
}
