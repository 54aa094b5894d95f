//! The OAuth 2.0 server of `cloud.lightspeedapp.com`: authorize (sign-in + consent page, or
//! auto-approve), token (authorization_code with PKCE, refresh_token with rotation and deferred
//! revocation) and revoke.

use super::state::{AuthCode, State};
use super::LightspeedSandbox;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, Method, Response, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub const CODE_TTL: f64 = 60.0;
pub const REFRESH_ATTEMPTS_PER_MINUTE: usize = 5;
pub const REFRESH_UNUSED_TTL: f64 = 30.0 * 86400.0;

fn oauth_error(status: u16, error: &str, description: &str, hint: &str) -> Response<Body> {
    let body = json!({"error": error, "error_description": description, "hint": hint, "message": description});
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn invalid_request(hint: &str) -> Response<Body> {
    oauth_error(400, "invalid_request", "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.", hint)
}

fn invalid_grant(hint: &str) -> Response<Body> {
    oauth_error(400, "invalid_grant", "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.", hint)
}

fn invalid_client() -> Response<Body> {
    oauth_error(401, "invalid_client", "Client authentication failed", "")
}

fn redirect(to: &str) -> Response<Body> {
    Response::builder().status(StatusCode::FOUND).header(header::LOCATION, to).body(Body::empty()).unwrap()
}

fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    match url::Url::parse(base) {
        Ok(mut u) => {
            {
                let mut q = u.query_pairs_mut();
                for (k, v) in pairs {
                    q.append_pair(k, v);
                }
            }
            u.to_string()
        }
        Err(_) => base.to_string(),
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// Read a form from a JSON, form-urlencoded or multipart body.
pub async fn read_form(req: Request) -> Result<Map<String, Value>, String> {
    let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    if ct.starts_with("multipart/form-data") {
        let mut mp = Multipart::from_request(req, &()).await.map_err(|e| e.to_string())?;
        let mut out = Map::new();
        while let Some(field) = mp.next_field().await.map_err(|e| e.to_string())? {
            let name = field.name().unwrap_or("").to_string();
            let text = field.text().await.map_err(|e| e.to_string())?;
            out.insert(name, Value::String(text));
        }
        return Ok(out);
    }
    let bytes = axum::body::to_bytes(req.into_body(), 1 << 20).await.map_err(|e| e.to_string())?;
    if ct.contains("json") || (bytes.first() == Some(&b'{')) {
        return match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m)) => {
                Ok(m.into_iter().map(|(k, v)| (k, Value::String(super::model::scalar(&v)))).collect())
            }
            _ => Err("body is not a JSON object".into()),
        };
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|e| e.to_string())?;
    Ok(pairs.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
}

fn field<'a>(m: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    m.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Check the authorize parameters shared by GET (page) and POST (decision).
#[allow(clippy::result_large_err)] // an axum response is the error: it is returned, not propagated
fn check_authorize(st: &State, p: &BTreeMap<String, String>) -> Result<String, Response<Body>> {
    let client_id = p.get("client_id").map(String::as_str).unwrap_or("");
    let Some(client) = st.clients.get(client_id) else {
        return Err(invalid_client());
    };
    if p.get("response_type").map(String::as_str) != Some("code") {
        return Err(oauth_error(
            400,
            "unsupported_response_type",
            "The authorization server does not support obtaining an access token using this method.",
            "Check the `response_type` parameter",
        ));
    }
    let scope = p.get("scope").map(String::as_str).unwrap_or("");
    if scope.split_whitespace().any(|s| !s.starts_with("employee:")) {
        return Err(oauth_error(
            400,
            "invalid_scope",
            "The requested scope is invalid, unknown, or malformed",
            &format!("Check the `{scope}` scope"),
        ));
    }
    let method = p.get("code_challenge_method").map(String::as_str).unwrap_or("plain");
    match p.get("code_challenge").map(String::as_str) {
        None | Some("") if client.secret.is_none() => {
            return Err(invalid_request("Code challenge must be provided for public clients"))
        }
        Some(c) if !c.is_empty() => {
            if method != "S256" && method != "plain" {
                return Err(invalid_request("Code challenge method must be one of `plain` or `S256`"));
            }
            if c.len() < 43 || c.len() > 128 || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || "-._~".contains(ch)) {
                return Err(invalid_request("Code challenge must follow the specifications of RFC-7636."));
            }
        }
        _ => {}
    }
    Ok(client.redirect_uri.clone())
}

impl LightspeedSandbox {
    pub(crate) async fn oauth(&self, req: Request) -> Response<Body> {
        let path = req.uri().path().to_string();
        let method = req.method().clone();
        let query: BTreeMap<String, String> =
            form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes()).into_owned().collect();
        match (path.as_str(), &method) {
            ("/auth/oauth/authorize", &Method::GET) => self.authorize_page(&query),
            ("/auth/oauth/authorize", &Method::POST) => {
                let form = match read_form(req).await {
                    Ok(f) => f,
                    Err(e) => return invalid_request(&e),
                };
                let mut p: BTreeMap<String, String> = form.into_iter().map(|(k, v)| (k, super::model::scalar(&v))).collect();
                for (k, v) in query {
                    p.entry(k).or_insert(v);
                }
                self.authorize_decision(&p)
            }
            ("/auth/oauth/token", &Method::POST) => match read_form(req).await {
                Ok(f) => self.token(&f),
                Err(e) => invalid_request(&format!("Could not read the request body: {e}")),
            },
            ("/auth/oauth/token", _) => oauth_error(405, "invalid_request", "The request method must be POST.", "Use POST"),
            ("/auth/oauth/revoke", &Method::POST) => match read_form(req).await {
                Ok(f) => self.revoke(&f),
                Err(e) => invalid_request(&e),
            },
            ("/auth/oauth/revoke", _) => oauth_error(405, "invalid_request", "The request method must be POST.", "Use POST"),
            ("/", _) | ("/auth/oauth", _) => super::typed_html(StatusCode::OK, "<!doctype html><title>Lightspeed sandbox</title><p>Lightspeed OAuth sandbox: /auth/oauth/authorize, /auth/oauth/token, /auth/oauth/revoke</p>"),
            _ => oauth_error(404, "not_found", "Not found", &path),
        }
    }

    /// The sign-in and consent page. Reading it consumes nothing (browsers may fetch it twice).
    fn authorize_page(&self, p: &BTreeMap<String, String>) -> Response<Body> {
        let st = self.state.lock().unwrap();
        let redirect_uri = match check_authorize(&st, p) {
            Ok(r) => r,
            Err(resp) => return resp,
        };
        if st.settings.auto_approve {
            drop(st);
            return self.authorize_decision(&{
                let mut p = p.clone();
                p.insert("decision".into(), "allow".into());
                p
            });
        }
        let client = &st.clients[p.get("client_id").unwrap()];
        let hidden: String =
            ["response_type", "client_id", "scope", "state", "code_challenge", "code_challenge_method"]
                .iter()
                .filter_map(|k| {
                    p.get(*k).map(|v| format!("<input type=\"hidden\" name=\"{k}\" value=\"{}\">", html_escape(v)))
                })
                .collect();
        let accounts: String = st
            .accounts
            .values()
            .map(|a| {
                format!(
                    "<option value=\"{}\">{} (#{})</option>",
                    html_escape(&a.id),
                    html_escape(&a.name),
                    html_escape(&a.id)
                )
            })
            .collect();
        let scopes: String = p
            .get("scope")
            .map(|s| s.split_whitespace().map(|s| format!("<li>{}</li>", html_escape(s))).collect())
            .unwrap_or_default();
        let html = format!(
            r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lightspeed Retail – Authorize {name}</title>
<style>body{{font-family:sans-serif;max-width:30rem;margin:3rem auto}}button{{padding:.5rem 1.2rem;margin-right:.5rem}}</style></head>
<body>
<h1>Sign in to Lightspeed Retail</h1>
<form id="consent" method="post" action="/auth/oauth/authorize">
{hidden}
<p><label>Email <input id="email" name="email" type="email" value="owner@sandbox.example"></label></p>
<p><label>Password <input id="password" name="password" type="password" value="sandbox"></label></p>
<p><label>Account <select id="account" name="account">{accounts}</select></label></p>
<h2><span id="client-name">{name}</span> would like to:</h2>
<ul id="scopes">{scopes}</ul>
<p>After you decide you will be sent to <code id="redirect-uri">{redirect}</code>.</p>
<button id="allow" type="submit" name="decision" value="allow">Allow</button>
<button id="deny" type="submit" name="decision" value="deny">Deny</button>
</form>
</body></html>"#,
            name = html_escape(&client.name),
            redirect = html_escape(&redirect_uri),
        );
        super::typed_html(StatusCode::OK, html)
    }

    fn authorize_decision(&self, p: &BTreeMap<String, String>) -> Response<Body> {
        let now = self.clock.now();
        let mut st = self.state.lock().unwrap();
        let redirect_uri = match check_authorize(&st, p) {
            Ok(r) => r,
            Err(resp) => return resp,
        };
        let state_param = p.get("state").cloned();
        let mut pairs: Vec<(&str, &str)> = vec![];
        if p.get("decision").map(String::as_str) != Some("allow") {
            pairs.push(("error", "access_denied"));
            pairs.push(("error_description", "The resource owner or authorization server denied the request."));
            pairs.push(("hint", "The user denied the request"));
            if let Some(s) = &state_param {
                pairs.push(("state", s));
            }
            return redirect(&with_query(&redirect_uri, &pairs));
        }
        let account = p
            .get("account")
            .filter(|a| st.accounts.contains_key(*a))
            .cloned()
            .or_else(|| st.accounts.keys().next().cloned())
            .unwrap_or_default();
        let code = format!("def50200{}", super::state::hex(150));
        st.codes.insert(
            code.clone(),
            AuthCode {
                client_id: p["client_id"].clone(),
                account,
                scope: p.get("scope").cloned().unwrap_or_default(),
                challenge: p.get("code_challenge").filter(|c| !c.is_empty()).cloned(),
                method: p.get("code_challenge_method").cloned().unwrap_or_else(|| "plain".into()),
                expires: now + CODE_TTL,
                used: false,
            },
        );
        pairs.push(("code", &code));
        if let Some(s) = &state_param {
            pairs.push(("state", s));
        }
        redirect(&with_query(&redirect_uri, &pairs))
    }

    fn token(&self, f: &Map<String, Value>) -> Response<Body> {
        let now = self.clock.now();
        let mut st = self.state.lock().unwrap();
        let Some(grant) = field(f, "grant_type") else {
            return invalid_request("Check the `grant_type` parameter");
        };
        let Some(client_id) = field(f, "client_id") else {
            return invalid_request("Check the `client_id` parameter");
        };
        let Some(client) = st.clients.get(client_id).cloned() else {
            return invalid_client();
        };
        if let Some(secret) = &client.secret {
            if field(f, "client_secret") != Some(secret.as_str()) {
                return invalid_client();
            }
        }
        let expires_in = st.settings.expires_in;
        match grant {
            "authorization_code" => {
                let Some(code) = field(f, "code") else {
                    return invalid_request("Check the `code` parameter");
                };
                let Some(c) = st.codes.get(code).cloned() else {
                    return invalid_grant("Cannot decrypt the authorization code");
                };
                if c.used {
                    return invalid_grant("Authorization code has been revoked");
                }
                if now > c.expires {
                    return invalid_grant("Authorization code has expired");
                }
                if c.client_id != client_id {
                    return invalid_grant("Authorization code was not issued to this client");
                }
                if let Some(challenge) = &c.challenge {
                    let Some(verifier) = field(f, "code_verifier") else {
                        return invalid_request("Check the `code_verifier` parameter");
                    };
                    if verifier.len() < 43
                        || verifier.len() > 128
                        || !verifier.chars().all(|ch| ch.is_ascii_alphanumeric() || "-._~".contains(ch))
                    {
                        return invalid_request("Code Verifier must follow the specifications of RFC-7636.");
                    }
                    let ok = match c.method.as_str() {
                        "S256" => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == *challenge,
                        _ => verifier == challenge,
                    };
                    if !ok {
                        return invalid_grant("Failed to verify `code_verifier`.");
                    }
                }
                st.codes.get_mut(code).unwrap().used = true;
                let (access, refresh) = st.issue(client_id, &c.account, &c.scope, now, expires_in, None);
                token_response(&access, &refresh, expires_in)
            }
            "refresh_token" => {
                let Some(rt) = field(f, "refresh_token").map(str::to_string) else {
                    return invalid_request("Check the `refresh_token` parameter");
                };
                let Some(r) = st.refresh.get(&rt).cloned() else {
                    return invalid_grant("Cannot decrypt the refresh token");
                };
                if r.client_id != client_id {
                    return invalid_grant("Token is not linked to client");
                }
                let attempts = st.refresh_attempts.entry((r.client_id.clone(), r.account.clone())).or_default();
                attempts.retain(|t| now - t < 60.0);
                if attempts.len() >= REFRESH_ATTEMPTS_PER_MINUTE {
                    let retry = (60.0 - (now - attempts[0])).ceil().max(1.0) as u64;
                    let mut resp = oauth_error(
                        429,
                        "too_many_requests",
                        "Too many refresh attempts.",
                        "At most 5 refresh attempts a minute per connection",
                    );
                    resp.headers_mut().insert(header::RETRY_AFTER, retry.to_string().parse().unwrap());
                    return resp;
                }
                attempts.push(now);
                if r.revoked {
                    return invalid_grant("Token has been revoked");
                }
                if now - r.issued > REFRESH_UNUSED_TTL {
                    return invalid_grant("Token has expired");
                }
                if field(f, "scope").is_some() {
                    return invalid_grant(
                        "The sandbox, like the real server, refuses `scope` on a refresh; send the refresh without it",
                    );
                }
                // A retry before the new access token was used replaces the pending pair.
                if let Some((a, r2)) = r.child.clone() {
                    st.revoke_refresh(&r2, "superseded");
                    if let Some(t) = st.access.get_mut(&a) {
                        t.revoked.get_or_insert_with(|| "superseded".into());
                    }
                }
                let (access, refresh) = st.issue(client_id, &r.account, &r.scope, now, expires_in, Some(rt.clone()));
                st.refresh.get_mut(&rt).unwrap().child = Some((access.clone(), refresh.clone()));
                token_response(&access, &refresh, expires_in)
            }
            other => oauth_error(
                400,
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server.",
                &format!("Check that all required parameters have been provided ({other})"),
            ),
        }
    }

    fn revoke(&self, f: &Map<String, Value>) -> Response<Body> {
        let mut st = self.state.lock().unwrap();
        let Some(client_id) = field(f, "client_id") else {
            return invalid_request("Check the `client_id` parameter");
        };
        let Some(client) = st.clients.get(client_id).cloned() else {
            return invalid_client();
        };
        if let Some(secret) = &client.secret {
            if field(f, "client_secret") != Some(secret.as_str()) {
                return invalid_client();
            }
        }
        let token = field(f, "refresh_token")
            .or_else(|| field(f, "token"))
            .or_else(|| field(f, "access_token"))
            .map(str::to_string);
        let Some(token) = token else {
            return invalid_request("Check the `refresh_token` parameter");
        };
        if st.refresh.contains_key(&token) {
            revoke_family(&mut st, &token);
        } else if st.access.contains_key(&token) {
            if let Some(a) = st.access.get_mut(&token) {
                a.revoked = Some("revoked".into());
            }
            let owners: Vec<String> =
                st.refresh.iter().filter(|(_, r)| r.access == token).map(|(k, _)| k.clone()).collect();
            for r in owners {
                revoke_family(&mut st, &r);
            }
        }
        Response::builder().status(200).header(header::CONTENT_TYPE, "application/json").body(Body::from("{}")).unwrap()
    }
}

/// Revoke a refresh token, its access token and any pair a refresh with it produced.
pub fn revoke_family(st: &mut State, refresh: &str) {
    let child = st.refresh.get(refresh).and_then(|r| r.child.clone());
    st.revoke_refresh(refresh, "revoked");
    if let Some(a) = st.refresh.get(refresh).map(|r| r.access.clone()) {
        if let Some(t) = st.access.get_mut(&a) {
            t.revoked = Some("revoked".into());
        }
    }
    if let Some((a, r)) = child {
        if let Some(t) = st.access.get_mut(&a) {
            t.revoked = Some("revoked".into());
        }
        revoke_family(st, &r);
    }
}

pub fn token_response(access: &str, refresh: &str, expires_in: u64) -> Response<Body> {
    let body =
        json!({"token_type": "Bearer", "expires_in": expires_in, "access_token": access, "refresh_token": refresh});
    Response::builder()
        .status(200)
        .header(header::CONTENT_TYPE, "application/json; charset=UTF-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(body.to_string()))
        .unwrap()
}
