//! Lightspeed R-Series OAuth 2.0 for a **public** client: Authorization Code + PKCE (S256), no
//! client secret anywhere (reference §2; mv3-extension.md §5.5).
//!
//! Everything here is pure: it builds [`HttpRequest`]s and reads [`HttpResponse`]s; sending them is
//! the caller's business (the background worker, or [`super::client::TokenManager`] for refreshes).
//!
//! The flow, as the extension runs it:
//! 1. `let pkce = Pkce::from_random(&random_32_bytes);` and a random `state`; keep both.
//! 2. Open [`authorize_url`]`(CLOUD_BASE, client_id, DEFAULT_SCOPES, &state, &pkce.challenge)` with
//!    `launchWebAuthFlow`.
//! 3. [`check_redirect`]`(&redirect_received, &identity_redirect_url, &state)` → the code, or a typed
//!    [`RedirectError`] (user said no, state forged, …).
//! 4. Send [`token_request_authorization_code`]`(…, &code, &pkce.verifier)`, then
//!    [`parse_token_response`] → [`TokenSet`]; save it; the account id is
//!    [`account_id_from_access_token`].
//! 5. Refresh: [`token_request_refresh`] (form-urlencoded, never `scope`); an
//!    [`OAuthFailure::InvalidGrant`] means "needs re-link". Disconnect: [`revoke_request`].

use super::http::{HttpRequest, HttpResponse, Method};
use super::models::{ErrorBody, TokenResponse};
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::fmt;

/// The OAuth server (authorize, token, revoke live under `/auth/oauth/`).
pub const CLOUD_BASE: &str = "https://cloud.lightspeedapp.com";

/// The scopes PO Bridge asks for (space-separated, as the authorize URL wants them):
/// - `employee:purchase_orders`: read and create purchase orders (Order, OrderLine);
/// - `employee:inventory`: read items and matrices, create new ones;
/// - `employee:vendors`: find and create the brand's vendor;
/// - `employee:product_cost`: see and write item costs (PO line prices, vendor costs).
///
/// Effective access is these ∩ the rights of the employee who authorizes (reference §2.7).
pub const DEFAULT_SCOPES: &str = "employee:purchase_orders employee:inventory employee:vendors employee:product_cost";

/// Access tokens with no stated lifetime are treated as living this long (the shorter documented one).
const FALLBACK_LIFETIME_S: u64 = 1800;

// ------------------------------------------------------------------------------------------------
// PKCE
// ------------------------------------------------------------------------------------------------

/// A PKCE pair (RFC 7636, S256). Keep `verifier` secret until the token exchange.
#[derive(Clone, PartialEq, Eq)]
pub struct Pkce {
    /// 43 characters of unpadded base64url.
    pub verifier: String,
    /// Unpadded base64url of SHA-256(verifier).
    pub challenge: String,
}

impl Pkce {
    /// From 32 random bytes (the browser: `crypto.getRandomValues`).
    pub fn from_random(bytes: &[u8; 32]) -> Self {
        Self::from_verifier(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// From an existing verifier (tests, or a verifier restored from storage).
    pub fn from_verifier(verifier: String) -> Self {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        Pkce { verifier, challenge }
    }
}

impl fmt::Debug for Pkce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkce").field("verifier", &"<redacted>").field("challenge", &self.challenge).finish()
    }
}

// ------------------------------------------------------------------------------------------------
// Authorize
// ------------------------------------------------------------------------------------------------

fn endpoint(cloud_base: &str, name: &str) -> String {
    format!("{}/auth/oauth/{name}", cloud_base.trim_end_matches('/'))
}

/// The authorize URL: `response_type=code`, `S256`, no `redirect_uri` (each client has one
/// registered). `scopes` is space-separated (see [`DEFAULT_SCOPES`]); every value is URL-encoded.
pub fn authorize_url(cloud_base: &str, client_id: &str, scopes: &str, state: &str, challenge: &str) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("scope", scopes)
        .append_pair("state", state)
        .append_pair("code_challenge", challenge)
        .append_pair("code_challenge_method", "S256");
    format!("{}?{}", endpoint(cloud_base, "authorize"), q.finish())
}

/// Why the redirect back from the authorize page gave no usable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedirectError {
    /// The user pressed "Deny" (`error=access_denied`).
    #[error("the Lightspeed user refused access")]
    AccessDenied,
    /// Another OAuth error (`invalid_scope`, `server_error`, …).
    #[error("Lightspeed refused the sign-in: {error}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Provider { error: String, description: Option<String> },
    /// No `state` in the redirect.
    #[error("the sign-in answer carries no state")]
    MissingState,
    /// `state` differs from the one we sent (a forged or stale answer).
    #[error("the sign-in answer belongs to another sign-in attempt")]
    StateMismatch,
    /// No `code` and no `error`.
    #[error("the sign-in answer carries no authorization code")]
    MissingCode,
    /// Not a URL, or not under the redirect we expect.
    #[error("the sign-in came back to an unexpected address")]
    WrongRedirect,
}

impl RedirectError {
    /// What happened and what to do, for the popup.
    pub fn user_message(&self) -> String {
        match self {
            RedirectError::AccessDenied => {
                "Lightspeed access was not granted. Choose \"Link account\" again and select Allow to link your account.".into()
            }
            RedirectError::Provider { error, .. } if error == "invalid_scope" => {
                "Lightspeed refused the permissions PO Bridge asks for. Ask an admin to sign in, or contact support.".into()
            }
            other => format!("Linking Lightspeed failed: {other}. Please choose \"Link account\" again."),
        }
    }
}

/// Checks the URL the authorize flow redirected to and returns the authorization code.
///
/// `expected_redirect` is the registered redirect (`https://<id>.chromiumapp.org/`): the received
/// URL's origin and path must equal it exactly (an empty path counts as `/`), and an empty expected
/// URL accepts nothing. `expected_state` is the state sent in [`authorize_url`]. The state is checked
/// before anything else is believed, errors included.
pub fn check_redirect(
    redirect_url_received: &str,
    expected_redirect: &str,
    expected_state: &str,
) -> Result<String, RedirectError> {
    let (got_base, query) = split_redirect(redirect_url_received).ok_or(RedirectError::WrongRedirect)?;
    let (want_base, want_query) = split_redirect(expected_redirect).ok_or(RedirectError::WrongRedirect)?;
    if got_base != want_base || !want_query.is_empty() {
        return Err(RedirectError::WrongRedirect);
    }
    let mut state = None;
    let mut code = None;
    let mut error = None;
    let mut description = None;
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "state" => state = Some(v.into_owned()),
            "code" => code = Some(v.into_owned()),
            "error" => error = Some(v.into_owned()),
            "error_description" => description = Some(v.into_owned()),
            _ => {}
        }
    }
    match state {
        None => return Err(RedirectError::MissingState),
        Some(s) if s != expected_state => return Err(RedirectError::StateMismatch),
        Some(_) => {}
    }
    if let Some(error) = error {
        return Err(if error == "access_denied" {
            RedirectError::AccessDenied
        } else {
            RedirectError::Provider { error, description }
        });
    }
    code.filter(|c| !c.is_empty()).ok_or(RedirectError::MissingCode)
}

/// `https://host[:port]/path` → (`https://host/path` with an empty path as `/`, the query before any
/// `#`); `None` for anything that is not an absolute https or http URL with a host. Parsed by hand
/// (not the `url` crate: its IDNA tables cost the background wasm ~40 KB for this one parse).
fn split_redirect(url: &str) -> Option<(String, &str)> {
    let url = url.split_once('#').map_or(url, |(before, _)| before);
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "https" | "http") {
        return None;
    }
    let (base, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, path) = base.find('/').map_or((base, "/"), |i| (&base[..i], &base[i..]));
    if host.is_empty() || host.contains('@') {
        return None;
    }
    Some((format!("{scheme}://{}{path}", host.to_ascii_lowercase()), query))
}

// ------------------------------------------------------------------------------------------------
// Token, refresh, revoke requests
// ------------------------------------------------------------------------------------------------

fn token_post(url: String, pairs: &[(&str, &str)]) -> HttpRequest {
    HttpRequest::new(Method::Post, url).with_header("Accept", "application/json").with_form(pairs)
}

/// Exchanges an authorization code (form-urlencoded; PKCE verifier, no secret).
pub fn token_request_authorization_code(cloud_base: &str, client_id: &str, code: &str, verifier: &str) -> HttpRequest {
    token_post(
        endpoint(cloud_base, "token"),
        &[("grant_type", "authorization_code"), ("client_id", client_id), ("code", code), ("code_verifier", verifier)],
    )
}

/// Refreshes (form-urlencoded). Never carries `scope`: Lightspeed answers `invalid_grant` to it.
pub fn token_request_refresh(cloud_base: &str, client_id: &str, refresh_token: &str) -> HttpRequest {
    token_post(
        endpoint(cloud_base, "token"),
        &[("grant_type", "refresh_token"), ("client_id", client_id), ("refresh_token", refresh_token)],
    )
}

/// Revokes the pair (on disconnect). Both tokens die.
pub fn revoke_request(cloud_base: &str, client_id: &str, refresh_token: &str) -> HttpRequest {
    token_post(endpoint(cloud_base, "revoke"), &[("client_id", client_id), ("refresh_token", refresh_token)])
}

// ------------------------------------------------------------------------------------------------
// Token response
// ------------------------------------------------------------------------------------------------

/// An access/refresh pair and when the access token expires (Unix ms). `Debug` prints no token.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TokenSet {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at_ms: u64,
    /// When the pair was issued (Unix ms): with `expires_at_ms`, the access token's lifetime. 0 in
    /// a pair stored before 2026-12-07 (lifetime unknown).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub issued_at_ms: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl TokenSet {
    /// True when the access token expires within `margin_ms` of `now_ms` (or already has), the
    /// margin at most half the token's lifetime: a token that lives two minutes is used for its
    /// first minute, not refreshed before every request (Lightspeed limits refreshes, and warns
    /// that excessive use may block the client).
    pub fn expires_within(&self, now_ms: u64, margin_ms: u64) -> bool {
        let half_life = self.expires_at_ms.saturating_sub(self.issued_at_ms) / 2;
        let margin = if self.issued_at_ms == 0 { margin_ms } else { margin_ms.min(half_life) };
        now_ms.saturating_add(margin) >= self.expires_at_ms
    }

    /// The Lightspeed account id the access token is for (its `acct` claim).
    pub fn account_id(&self) -> Option<String> {
        account_id_from_access_token(&self.access_token)
    }
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &"<redacted>")
            .field("refresh_token", &"<redacted>")
            .field("expires_at_ms", &self.expires_at_ms)
            .finish()
    }
}

/// Why the token endpoint gave no tokens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OAuthFailure {
    /// `invalid_grant`: the code or refresh token is expired, used or revoked. The account must be
    /// linked again; jobs pause until then.
    #[error("the Lightspeed authorization is no longer valid (invalid_grant{})", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    InvalidGrant { description: Option<String> },
    /// `invalid_client`: the client id is unknown or blocked.
    #[error("Lightspeed does not accept this app's client id (invalid_client)")]
    InvalidClient,
    /// 429 (too many refreshes); retry after the given delay.
    #[error("Lightspeed is limiting token requests; retry in {retry_after_ms} ms")]
    RateLimited { retry_after_ms: u64 },
    /// A 5xx: try again later.
    #[error("the Lightspeed sign-in server failed (HTTP {status})")]
    Server { status: u16 },
    /// Any other OAuth error (`invalid_request`, `invalid_scope`, …).
    #[error("Lightspeed refused the token request: HTTP {status} {error}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Rejected { status: u16, error: String, description: Option<String> },
    /// The answer is not what the token endpoint sends.
    #[error("unexpected answer from the Lightspeed token endpoint (HTTP {status}): {detail}")]
    Malformed { status: u16, detail: String },
}

impl OAuthFailure {
    /// True when only linking the account again helps.
    pub fn needs_relink(&self) -> bool {
        matches!(self, OAuthFailure::InvalidGrant { .. })
    }

    /// What happened and what to do.
    pub fn user_message(&self) -> String {
        match self {
            OAuthFailure::InvalidGrant { .. } => {
                "Your Lightspeed connection has expired or was revoked. Open PO Bridge from the toolbar and choose \"Link again\" on the account; paused exports resume afterwards.".into()
            }
            OAuthFailure::InvalidClient => "Lightspeed no longer accepts this PO Bridge installation. Update the extension or contact support.".into(),
            OAuthFailure::RateLimited { retry_after_ms } => {
                format!("Lightspeed is limiting sign-in requests. Try again in about {} s.", retry_after_ms.div_ceil(1000))
            }
            // An answer that is no token endpoint's (a proxy's or an outage's page): its text is
            // never shown.
            OAuthFailure::Server { .. } | OAuthFailure::Malformed { .. } => {
                "Lightspeed's sign-in server is having trouble. Try again in a few minutes.".into()
            }
            OAuthFailure::Rejected { .. } => format!(
                "{} Choose \"Link again\" on the account in PO Bridge; contact support if it keeps failing.",
                self.refusal()
            ),
        }
    }

    /// A refusal's first sentence, with Lightspeed's own words when it gave some (what to do
    /// depends on where it happened: a job's account, or a link being made).
    pub fn refusal(&self) -> String {
        let said = match self {
            OAuthFailure::Rejected { description, .. } => {
                description.as_deref().map(str::trim).filter(|d| !d.is_empty())
            }
            _ => None,
        };
        let said = said.map(|d| format!(" Lightspeed said: \"{}\".", snippet(d))).unwrap_or_default();
        format!("Lightspeed refused PO Bridge's sign-in.{said}")
    }

    /// Whether trying again later may work (a limit, an outage, an answer no token endpoint
    /// sends), not a refusal.
    pub fn is_transient(&self) -> bool {
        matches!(self, OAuthFailure::RateLimited { .. } | OAuthFailure::Server { .. } | OAuthFailure::Malformed { .. })
    }
}

fn retry_after_ms(resp: &HttpResponse) -> Option<u64> {
    let v = resp.header("retry-after")?.trim();
    v.parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0).map(|s| (s * 1000.0).ceil() as u64)
}

/// Reads a token-endpoint answer. `now_ms` is when the response arrived (for `expires_at_ms`).
pub fn parse_token_response(resp: &HttpResponse, now_ms: u64) -> Result<TokenSet, OAuthFailure> {
    if resp.is_success() {
        let parsed: TokenResponse = serde_json::from_str(&resp.body)
            .map_err(|e| OAuthFailure::Malformed { status: resp.status, detail: format!("token response: {e}") })?;
        if parsed.access_token.is_empty() {
            return Err(OAuthFailure::Malformed { status: resp.status, detail: "empty access_token".into() });
        }
        let refresh_token = parsed
            .refresh_token
            .filter(|r| !r.is_empty())
            .ok_or_else(|| OAuthFailure::Malformed { status: resp.status, detail: "no refresh_token".into() })?;
        let expires_at_ms = match parsed.expires_in {
            Some(s) => now_ms.saturating_add(s.saturating_mul(1000)),
            None => jwt_exp_ms(&parsed.access_token).unwrap_or(now_ms + FALLBACK_LIFETIME_S * 1000),
        };
        return Ok(TokenSet { access_token: parsed.access_token, refresh_token, expires_at_ms, issued_at_ms: now_ms });
    }
    if resp.status == 429 {
        return Err(OAuthFailure::RateLimited { retry_after_ms: retry_after_ms(resp).unwrap_or(60_000) });
    }
    match ErrorBody::parse(resp.body.as_bytes()) {
        Some(ErrorBody::OAuth(e)) => {
            let description = e.error_description.clone().or(e.hint.clone()).or(e.message.clone());
            match e.error.as_str() {
                "invalid_grant" => Err(OAuthFailure::InvalidGrant { description }),
                "invalid_client" => Err(OAuthFailure::InvalidClient),
                _ if resp.status >= 500 => Err(OAuthFailure::Server { status: resp.status }),
                _ => Err(OAuthFailure::Rejected { status: resp.status, error: e.error, description }),
            }
        }
        _ if resp.status >= 500 => Err(OAuthFailure::Server { status: resp.status }),
        Some(ErrorBody::Rest(e)) => Err(OAuthFailure::Rejected {
            status: resp.status,
            error: e.http_message.unwrap_or_default(),
            description: Some(e.message),
        }),
        None => Err(OAuthFailure::Malformed { status: resp.status, detail: snippet(&resp.body) }),
    }
}

fn snippet(body: &str) -> String {
    let mut s: String = body.chars().take(200).collect();
    if body.chars().count() > 200 {
        s.push('…');
    }
    s
}

// ------------------------------------------------------------------------------------------------
// JWT claims (no signature check: we only read what the server told us about our own token)
// ------------------------------------------------------------------------------------------------

fn jwt_claims(token: &str) -> Option<serde_json::Value> {
    let mut parts = token.split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).or_else(|_| URL_SAFE.decode(payload)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn jwt_exp_ms(token: &str) -> Option<u64> {
    let exp = jwt_claims(token)?.get("exp")?.as_f64()?;
    (exp.is_finite() && exp > 0.0).then_some((exp * 1000.0) as u64)
}

/// The `acct` claim (the Lightspeed account id) of an access token, as a string.
pub fn account_id_from_access_token(access_token: &str) -> Option<String> {
    match jwt_claims(access_token)?.get("acct")? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 appendix B.
    const RFC_OCTETS: [u8; 32] = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191,
        240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];

    #[test]
    fn pkce_matches_rfc7636_appendix_b() {
        let p = Pkce::from_random(&RFC_OCTETS);
        assert_eq!(p.verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(p.verifier.len(), 43);
        assert_eq!(p.challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert!(!format!("{p:?}").contains(&p.verifier));
    }

    #[test]
    fn authorize_url_is_encoded() {
        let u = authorize_url("https://cloud.lightspeedapp.com/", "po-bridge-chrome", DEFAULT_SCOPES, "a b&c=/", "CH");
        assert_eq!(
            u,
            "https://cloud.lightspeedapp.com/auth/oauth/authorize?response_type=code&client_id=po-bridge-chrome\
             &scope=employee%3Apurchase_orders+employee%3Ainventory+employee%3Avendors+employee%3Aproduct_cost\
             &state=a+b%26c%3D%2F&code_challenge=CH&code_challenge_method=S256"
        );
        assert!(!u.contains("redirect_uri"));
        let parsed = url::Url::parse(&u).unwrap();
        let q: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
        assert_eq!(q["state"], "a b&c=/");
        assert_eq!(q["scope"], DEFAULT_SCOPES);
    }

    const R: &str = "https://abc.chromiumapp.org/";

    #[test]
    fn redirect_checks() {
        let cases: &[(&str, Result<&str, RedirectError>)] = &[
            ("https://abc.chromiumapp.org/?code=C1%2F2&state=s1", Ok("C1/2")),
            ("https://abc.chromiumapp.org/?state=s1&code=C", Ok("C")),
            ("https://abc.chromiumapp.org/?error=access_denied&state=s1", Err(RedirectError::AccessDenied)),
            (
                "https://abc.chromiumapp.org/?error=invalid_scope&error_description=bad+scope&state=s1",
                Err(RedirectError::Provider { error: "invalid_scope".into(), description: Some("bad scope".into()) }),
            ),
            ("https://abc.chromiumapp.org/?state=s1", Err(RedirectError::MissingCode)),
            ("https://abc.chromiumapp.org/?code=&state=s1", Err(RedirectError::MissingCode)),
            ("https://abc.chromiumapp.org/?code=C", Err(RedirectError::MissingState)),
            ("https://abc.chromiumapp.org/?code=C&state=other", Err(RedirectError::StateMismatch)),
            ("https://abc.chromiumapp.org/?error=access_denied&state=other", Err(RedirectError::StateMismatch)),
            ("https://evil.example/?code=C&state=s1", Err(RedirectError::WrongRedirect)),
            ("https://abc.chromiumapp.org.evil.example/?code=C&state=s1", Err(RedirectError::WrongRedirect)),
            ("https://abc.chromiumapp.org/extra?code=C&state=s1", Err(RedirectError::WrongRedirect)),
            ("https://abc.chromiumapp.org//evil?code=C&state=s1", Err(RedirectError::WrongRedirect)),
            ("https://abc.chromiumapp.org:8443/?code=C&state=s1", Err(RedirectError::WrongRedirect)),
            ("http://abc.chromiumapp.org/?code=C&state=s1", Err(RedirectError::WrongRedirect)),
            ("https://user@abc.chromiumapp.org/?code=C&state=s1", Err(RedirectError::WrongRedirect)),
            ("javascript:alert(1)//abc.chromiumapp.org/?code=C&state=s1", Err(RedirectError::WrongRedirect)),
            ("https://abc.chromiumapp.org?code=C&state=s1", Ok("C")),
            ("https://abc.chromiumapp.org/#?code=C&state=s1", Err(RedirectError::MissingState)),
            ("", Err(RedirectError::WrongRedirect)),
        ];
        for (url, want) in cases {
            let got = check_redirect(url, R, "s1");
            assert_eq!(got, want.clone().map(str::to_string), "{url}");
        }
        assert!(RedirectError::AccessDenied.user_message().contains("Allow"));
        // An empty (or unparsable) expected redirect accepts nothing.
        for expected in ["", "abc.chromiumapp.org/", "https://"] {
            assert_eq!(
                check_redirect(&format!("{expected}?code=C&state=s1"), expected, "s1"),
                Err(RedirectError::WrongRedirect)
            );
            assert_eq!(
                check_redirect("https://abc.chromiumapp.org/?code=C&state=s1", expected, "s1"),
                Err(RedirectError::WrongRedirect)
            );
        }
    }

    fn form(req: &HttpRequest) -> Vec<(String, String)> {
        form_urlencoded::parse(req.body.as_deref().unwrap().as_bytes()).into_owned().collect()
    }

    #[test]
    fn token_requests_are_forms_without_secret_or_scope() {
        let r = token_request_authorization_code("https://cloud.lightspeedapp.com", "cid", "co de", "ver");
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.url, "https://cloud.lightspeedapp.com/auth/oauth/token");
        assert_eq!(r.header("content-type"), Some("application/x-www-form-urlencoded"));
        assert_eq!(r.body.as_deref(), Some("grant_type=authorization_code&client_id=cid&code=co+de&code_verifier=ver"));

        let r = token_request_refresh("https://cloud.lightspeedapp.com", "cid", "def502+/=");
        assert_eq!(r.url, "https://cloud.lightspeedapp.com/auth/oauth/token");
        let f = form(&r);
        assert_eq!(
            f,
            vec![
                ("grant_type".into(), "refresh_token".into()),
                ("client_id".into(), "cid".into()),
                ("refresh_token".into(), "def502+/=".into())
            ]
        );

        let r = revoke_request("https://cloud.lightspeedapp.com", "cid", "rt");
        assert_eq!(r.url, "https://cloud.lightspeedapp.com/auth/oauth/revoke");
        assert_eq!(r.body.as_deref(), Some("client_id=cid&refresh_token=rt"));
        for r in [
            token_request_authorization_code("x", "c", "d", "v"),
            token_request_refresh("x", "c", "r"),
            revoke_request("x", "c", "r"),
        ] {
            let body = r.body.unwrap();
            assert!(!body.contains("secret") && !body.contains("scope"), "{body}");
        }
    }

    fn jwt(claims: serde_json::Value) -> String {
        format!("eyJhbGciOiJSUzI1NiJ9.{}.c2ln", URL_SAFE_NO_PAD.encode(claims.to_string()))
    }

    #[test]
    fn token_responses() {
        let at = jwt(serde_json::json!({"acct": "83050", "exp": 2000.5}));
        let ok = HttpResponse::new(
            200,
            format!(r#"{{"token_type":"Bearer","expires_in":3600,"access_token":"{at}","refresh_token":"def50200x"}}"#),
        );
        let t = parse_token_response(&ok, 1_000).unwrap();
        assert_eq!(t.expires_at_ms, 3_601_000);
        assert_eq!(t.refresh_token, "def50200x");
        assert_eq!(t.account_id().as_deref(), Some("83050"));
        assert!(!format!("{t:?}").contains("def50200x"));
        assert!(!format!("{t:?}").contains(&at));

        // String scalars, and exp from the JWT when expires_in is absent.
        let ok =
            HttpResponse::new(200, format!(r#"{{"expires_in":"1800","access_token":"{at}","refresh_token":"r"}}"#));
        assert_eq!(parse_token_response(&ok, 0).unwrap().expires_at_ms, 1_800_000);
        let ok = HttpResponse::new(200, format!(r#"{{"access_token":"{at}","refresh_token":"r"}}"#));
        assert_eq!(parse_token_response(&ok, 0).unwrap().expires_at_ms, 2_000_500);

        let cases: Vec<(HttpResponse, OAuthFailure)> = vec![
            (
                HttpResponse::new(
                    400,
                    r#"{"error":"invalid_grant","error_description":"The refresh token is invalid.","hint":"Token has been revoked"}"#,
                ),
                OAuthFailure::InvalidGrant { description: Some("The refresh token is invalid.".into()) },
            ),
            (
                HttpResponse::new(
                    401,
                    r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
                ),
                OAuthFailure::InvalidClient,
            ),
            (
                HttpResponse::new(400, r#"{"error":"invalid_request","hint":"Check the `code` parameter"}"#),
                OAuthFailure::Rejected {
                    status: 400,
                    error: "invalid_request".into(),
                    description: Some("Check the `code` parameter".into()),
                },
            ),
            (
                HttpResponse::new(429, r#"{"error":"too_many_requests"}"#).with_header("Retry-After", "12"),
                OAuthFailure::RateLimited { retry_after_ms: 12_000 },
            ),
            (HttpResponse::new(503, "<html>down</html>"), OAuthFailure::Server { status: 503 }),
            (HttpResponse::new(400, "nope"), OAuthFailure::Malformed { status: 400, detail: "nope".into() }),
            (
                HttpResponse::new(200, r#"{"access_token":"a"}"#),
                OAuthFailure::Malformed { status: 200, detail: "no refresh_token".into() },
            ),
        ];
        for (resp, want) in cases {
            assert_eq!(parse_token_response(&resp, 0), Err(want), "{resp:?}");
        }
        let ig = parse_token_response(&HttpResponse::new(400, r#"{"error":"invalid_grant"}"#), 0).unwrap_err();
        assert!(ig.needs_relink());
        assert!(ig.user_message().contains("Link again"));
        assert!(matches!(parse_token_response(&HttpResponse::new(200, "{"), 0), Err(OAuthFailure::Malformed { .. })));
    }

    /// What a user reads never holds an answer's raw text, a status code or a retry PO Bridge
    /// does not make; Lightspeed's own sentence is quoted.
    #[test]
    fn failures_read_as_advice() {
        let html = "<!DOCTYPE html><html><body>Attention Required! | Cloudflare</body></html>";
        let rows = [
            (parse_token_response(&HttpResponse::new(403, html), 0).unwrap_err(), "having trouble", true),
            (parse_token_response(&HttpResponse::new(200, "{"), 0).unwrap_err(), "having trouble", true),
            (OAuthFailure::RateLimited { retry_after_ms: 12_000 }, "Try again in about 12 s.", true),
            (
                OAuthFailure::Rejected {
                    status: 400,
                    error: "invalid_request".into(),
                    description: Some("Check the `code` parameter".into()),
                },
                "Lightspeed said: \"Check the `code` parameter\".",
                false,
            ),
            (OAuthFailure::InvalidClient, "Update the extension", false),
        ];
        for (failure, says, transient) in rows {
            let m = failure.user_message();
            assert!(m.contains(says), "{m}");
            assert_eq!(failure.is_transient(), transient, "{failure:?}");
            for raw in ["<", "HTTP", "invalid_request", "PO Bridge will retry", "token response"] {
                assert!(!m.contains(raw), "{raw} in {m}");
            }
        }
    }

    #[test]
    fn account_id_claim() {
        assert_eq!(account_id_from_access_token(&jwt(serde_json::json!({"acct": "83050"}))).as_deref(), Some("83050"));
        assert_eq!(account_id_from_access_token(&jwt(serde_json::json!({"acct": 42}))).as_deref(), Some("42"));
        // Padded payloads are read too.
        let padded = format!("h.{}.s", URL_SAFE.encode(r#"{"acct":"7"}"#));
        assert_eq!(account_id_from_access_token(&padded).as_deref(), Some("7"));
        for bad in
            ["", "abc", "a.b", "a.!!!.c", &jwt(serde_json::json!({"sub": "1"})), &jwt(serde_json::json!({"acct": ""}))]
        {
            assert_eq!(account_id_from_access_token(bad), None, "{bad}");
        }
    }
}
