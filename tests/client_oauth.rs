//! OAuth against the Lightspeed sandbox: authorization code + PKCE, refresh rotation, single-flight
//! refresh under concurrency (ahead of expiry and after 401), reuse → NeedsRelink, revoke.

mod client_support;
use client_support::*;
use po_bridge::lightspeed::client::{ClientError, LightspeedClient, TokenSource};
use po_bridge::lightspeed::endpoints::{GetAccounts, ListShops};
use po_bridge::lightspeed::http::{Clock, HttpRequest, Method, Transport};
use po_bridge::lightspeed::native::{block_on, SystemClock};
use po_bridge::lightspeed::oauth::{self, OAuthFailure, Pkce, RedirectError, TokenSet, DEFAULT_SCOPES};
use serde_json::json;
use std::sync::{Arc, Barrier};

fn authorize(env: &Env, state: &str, pkce: &Pkce) -> String {
    let url = oauth::authorize_url(CLOUD, CHROME, DEFAULT_SCOPES, state, &pkce.challenge);
    let r = block_on(env.transport.send(HttpRequest::new(Method::Get, url), 10_000)).unwrap();
    assert_eq!(r.status, 302, "{}", r.body);
    r.header("location").unwrap().to_string()
}

#[test]
fn code_exchange_with_pkce_then_api_call() {
    let env = start();
    env.post("/settings", json!({"auto_approve": true}));
    let pkce = Pkce::from_random(&[7u8; 32]);
    let location = authorize(&env, "st/ate 1", &pkce);
    let code = oauth::check_redirect(&location, CHROME_REDIRECT, "st/ate 1").unwrap();
    // A forged state is refused before the code is believed.
    assert_eq!(oauth::check_redirect(&location, CHROME_REDIRECT, "other"), Err(RedirectError::StateMismatch));

    let req = oauth::token_request_authorization_code(CLOUD, CHROME, &code, &pkce.verifier);
    let resp = block_on(env.transport.send(req, 10_000)).unwrap();
    let now = SystemClock.now_ms();
    let tokens = oauth::parse_token_response(&resp, now).unwrap();
    assert!(tokens.expires_at_ms > now + 30 * 60 * 1000);
    assert_eq!(tokens.account_id().as_deref(), Some(ACCT));

    let client = env.static_client(SystemClock, &tokens.access_token);
    let accounts = block_on(client.list_all(&GetAccounts)).unwrap();
    assert_eq!(accounts.len(), 1);

    // The code is single use.
    let again = block_on(
        env.transport.send(oauth::token_request_authorization_code(CLOUD, CHROME, &code, &pkce.verifier), 10_000),
    )
    .unwrap();
    assert!(matches!(oauth::parse_token_response(&again, now), Err(OAuthFailure::InvalidGrant { .. })));
}

#[test]
fn wrong_verifier_is_invalid_grant() {
    let env = start();
    env.post("/settings", json!({"auto_approve": true}));
    let pkce = Pkce::from_random(&[1u8; 32]);
    let code = oauth::check_redirect(&authorize(&env, "s", &pkce), CHROME_REDIRECT, "s").unwrap();
    let other = Pkce::from_random(&[2u8; 32]);
    let resp = block_on(
        env.transport.send(oauth::token_request_authorization_code(CLOUD, CHROME, &code, &other.verifier), 10_000),
    )
    .unwrap();
    let e = oauth::parse_token_response(&resp, 0).unwrap_err();
    assert!(e.needs_relink(), "{e:?}");
}

#[test]
fn user_denies_access() {
    let env = start();
    let pkce = Pkce::from_random(&[3u8; 32]);
    let form = format!(
        "response_type=code&client_id={CHROME}&scope=employee%3Apurchase_orders&state=s9&code_challenge={}&code_challenge_method=S256&decision=deny",
        pkce.challenge
    );
    let mut req = HttpRequest::new(Method::Post, format!("{CLOUD}/auth/oauth/authorize"));
    req = req.with_header("Content-Type", "application/x-www-form-urlencoded");
    req.body = Some(form);
    let r = block_on(env.transport.send(req, 10_000)).unwrap();
    assert_eq!(r.status, 302, "{}", r.body);
    assert_eq!(
        oauth::check_redirect(r.header("location").unwrap(), CHROME_REDIRECT, "s9"),
        Err(RedirectError::AccessDenied)
    );
}

fn expired(mut t: TokenSet) -> TokenSet {
    t.expires_at_ms = 0;
    t
}

#[test]
fn refresh_rotates_and_the_old_refresh_token_dies_once_the_new_one_is_used() {
    let env = start();
    let first = env.mint(json!({}));
    let m = env.manager(expired(first.clone()));
    let client = LightspeedClient::new(env.transport.clone(), SystemClock, m.clone(), env.config());
    block_on(client.fetch(&ListShops::default())).unwrap();
    assert_eq!(m.refresh_count(), 1);
    let stored = m.store().get().unwrap();
    assert_ne!(stored.refresh_token, first.refresh_token, "rotated refresh token saved");
    assert_ne!(stored.access_token, first.access_token);
    assert!(stored.expires_at_ms > SystemClock.now_ms());
    // The new access token has been used: reusing the old refresh token is invalid_grant.
    let resp = block_on(env.transport.send(oauth::token_request_refresh(CLOUD, CHROME, &first.refresh_token), 10_000))
        .unwrap();
    assert!(matches!(oauth::parse_token_response(&resp, 0), Err(OAuthFailure::InvalidGrant { .. })), "{}", resp.body);
}

#[test]
fn concurrent_requests_with_an_expired_token_refresh_once() {
    let env = start();
    env.relax_limits();
    let m = env.manager(expired(env.mint(json!({}))));
    let n = 6;
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let (m, b, t, cfg) = (m.clone(), barrier.clone(), env.transport.clone(), env.config());
            std::thread::spawn(move || {
                let client = LightspeedClient::new(t, SystemClock, m, cfg);
                b.wait();
                block_on(client.fetch(&ListShops::default())).map(|p| p.records.len())
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), 2);
    }
    assert_eq!(m.refresh_count(), 1, "single flight");
    assert_eq!(m.store().saves(), 1);
}

#[test]
fn concurrent_401s_refresh_once() {
    let env = start();
    env.relax_limits();
    let first = env.mint(json!({}));
    let m = env.manager(first.clone());
    // The server expires the access token; the client still believes it is valid.
    env.post("/tokens/expire", json!({"access_token": first.access_token}));
    let n = 5;
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let (m, b, t, cfg) = (m.clone(), barrier.clone(), env.transport.clone(), env.config());
            std::thread::spawn(move || {
                let client = LightspeedClient::new(t, SystemClock, m, cfg);
                b.wait();
                let r = block_on(client.fetch(&ListShops::default())).map(|p| p.records.len());
                (r, client.stats().refreshes_after_401)
            })
        })
        .collect();
    // A client whose request leaves after the refresh has landed uses the new token and sees no
    // 401 (the barrier lines the threads up, the scheduler may not): each resends at most once,
    // at least one met the 401, and all of them share one refresh.
    let mut met_401 = 0;
    for h in handles {
        let (r, refreshes) = h.join().unwrap();
        assert_eq!(r.unwrap(), 2);
        assert!(refreshes <= 1, "a client resent {refreshes} times after a 401");
        met_401 += refreshes;
    }
    assert!(met_401 >= 1, "the expired token met a 401");
    assert_eq!(m.refresh_count(), 1, "one refresh for all");
    let stored = m.store().get().unwrap();
    assert_ne!(stored.access_token, first.access_token);
}

#[test]
fn reused_or_revoked_refresh_token_needs_relink() {
    let env = start();
    let first = env.mint(json!({}));
    // Someone else refreshed and used the new token: our stored pair is dead.
    let other = env.manager(expired(first.clone()));
    block_on(
        LightspeedClient::new(env.transport.clone(), SystemClock, other, env.config()).fetch(&ListShops::default()),
    )
    .unwrap();
    let m = env.manager(expired(first));
    let e = block_on(m.access_token()).unwrap_err();
    assert!(matches!(e, ClientError::NeedsRelink { .. }), "{e:?}");
    assert!(e.user_message().contains("Link again"));

    // Revoked by the merchant.
    let t = env.mint(json!({}));
    env.post("/tokens/revoke", json!({"refresh_token": t.refresh_token}));
    let m = env.manager(expired(t));
    let client = LightspeedClient::new(env.transport.clone(), SystemClock, m, env.config());
    assert!(block_on(client.fetch(&ListShops::default())).unwrap_err().needs_relink());
}

#[test]
fn revoke_kills_both_tokens() {
    let env = start();
    let t = env.mint(json!({}));
    let r = block_on(env.transport.send(oauth::revoke_request(CLOUD, CHROME, &t.refresh_token), 10_000)).unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let client = env.static_client(SystemClock, &t.access_token);
    assert!(block_on(client.fetch(&ListShops::default())).unwrap_err().needs_relink());
    let resp =
        block_on(env.transport.send(oauth::token_request_refresh(CLOUD, CHROME, &t.refresh_token), 10_000)).unwrap();
    assert!(oauth::parse_token_response(&resp, 0).unwrap_err().needs_relink());
}
