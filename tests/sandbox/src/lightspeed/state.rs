//! Everything the Lightspeed sandbox remembers: accounts, OAuth clients, codes and tokens, rate-limit
//! buckets and accounting, injected faults and settings.

use super::faults::Fault;
use super::holds::Hold;
use super::ratelimit::Bucket;
use super::store::{Account, Settings};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::Rng;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Serialize)]
pub struct Client {
    pub client_id: String,
    pub redirect_uri: String,
    /// `None` for a publicly distributed client (no secret, PKCE mandatory).
    pub secret: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuthCode {
    pub client_id: String,
    pub account: String,
    pub scope: String,
    pub challenge: Option<String>,
    pub method: String,
    pub expires: f64,
    pub used: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessToken {
    pub client_id: String,
    pub account: String,
    pub scope: String,
    pub exp: f64,
    /// Why it no longer works ("revoked", "rotated", "expired-by-control").
    pub revoked: Option<String>,
    /// The refresh token that was spent to get this one: it dies when this token is first used.
    pub parent_refresh: Option<String>,
    pub used: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RefreshToken {
    pub client_id: String,
    pub account: String,
    pub scope: String,
    pub issued: f64,
    pub revoked: bool,
    /// The access token issued with this refresh token.
    pub access: String,
    /// The pair issued by the latest refresh with this token, pending first use.
    pub child: Option<(String, String)>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub requests: u64,
    pub drips_spent: f64,
    pub rate_limited: u64,
    pub rate_limited_bucket: u64,
    pub rate_limited_burst: u64,
}

pub struct State {
    pub accounts: BTreeMap<String, Account>,
    pub clients: BTreeMap<String, Client>,
    pub codes: HashMap<String, AuthCode>,
    pub access: HashMap<String, AccessToken>,
    pub refresh: HashMap<String, RefreshToken>,
    /// Refresh attempts per (client, account), sandbox time.
    pub refresh_attempts: HashMap<(String, String), Vec<f64>>,
    pub buckets: HashMap<(String, String), Bucket>,
    pub stats: BTreeMap<String, Stats>,
    pub faults: Vec<Fault>,
    pub next_fault: u64,
    /// Held requests (see `holds`); dropping a hold lets its waiters run.
    pub holds: Vec<Hold>,
    pub next_hold: u64,
    pub next_held_seq: u64,
    pub settings: Settings,
}

pub const CHROME_CLIENT: &str = "po-bridge-chrome";
pub const FIREFOX_CLIENT: &str = "po-bridge-firefox";

impl State {
    pub fn new() -> Self {
        let mut s = State {
            accounts: BTreeMap::new(),
            clients: BTreeMap::new(),
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            refresh_attempts: HashMap::new(),
            buckets: HashMap::new(),
            stats: BTreeMap::new(),
            faults: vec![],
            next_fault: 0,
            holds: vec![],
            next_hold: 0,
            next_held_seq: 0,
            settings: Settings::default(),
        };
        for (id, uri, name) in [
            (CHROME_CLIENT, "https://pbildjcpmhghjehcjlcohpgnemagcgfm.chromiumapp.org/", "PO Bridge (Chrome)"),
            (
                FIREFOX_CLIENT,
                "https://26ddbaa53398bbfdea0624daa9c10fd22f1d3984.extensions.allizom.org/",
                "PO Bridge (Firefox)",
            ),
        ] {
            s.clients.insert(
                id.into(),
                Client { client_id: id.into(), redirect_uri: uri.into(), secret: None, name: name.into() },
            );
        }
        s
    }

    /// Issue an access token (+ refresh token) for an account, as the token endpoint does.
    pub fn issue(
        &mut self,
        client_id: &str,
        account: &str,
        scope: &str,
        now: f64,
        expires_in: u64,
        parent: Option<String>,
    ) -> (String, String) {
        let jti: String = hex(20);
        let header = json!({"typ": "JWT", "alg": "RS256", "kid": "RT_OAUTH2_2024_07_08"});
        let claims = json!({
            "iss": "https://cloud.lightspeedapp.com", "aud": client_id, "jti": jti,
            "iat": now, "nbf": now, "exp": now + expires_in as f64,
            "sub": "1", "scope": scope, "acct": account,
        });
        let sig: Vec<u8> = (0..256).map(|_| rand::thread_rng().gen()).collect();
        let access = format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string()),
            URL_SAFE_NO_PAD.encode(sig)
        );
        let refresh = format!("def50200{}", hex(180 + rand::thread_rng().gen_range(0..40)));
        self.access.insert(
            access.clone(),
            AccessToken {
                client_id: client_id.into(),
                account: account.into(),
                scope: scope.into(),
                exp: now + expires_in as f64,
                revoked: None,
                parent_refresh: parent,
                used: false,
            },
        );
        self.refresh.insert(
            refresh.clone(),
            RefreshToken {
                client_id: client_id.into(),
                account: account.into(),
                scope: scope.into(),
                issued: now,
                revoked: false,
                access: access.clone(),
                child: None,
            },
        );
        (access, refresh)
    }

    /// Revoke a refresh token and the access token issued with it.
    pub fn revoke_refresh(&mut self, refresh: &str, why: &str) {
        if let Some(r) = self.refresh.get_mut(refresh) {
            r.revoked = true;
            let access = r.access.clone();
            if let Some(a) = self.access.get_mut(&access) {
                a.revoked.get_or_insert_with(|| why.to_string());
            }
        }
    }

    pub fn stats_mut(&mut self, account: &str) -> &mut Stats {
        self.stats.entry(account.to_string()).or_default()
    }
}

impl Default for State {
    fn default() -> Self {
        Self::new()
    }
}

/// `n` random bytes as lower-case hex.
pub fn hex(n: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..n).map(|_| format!("{:02x}", rng.gen::<u8>())).collect()
}
