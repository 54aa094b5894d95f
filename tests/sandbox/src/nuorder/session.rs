//! Sign-in and sessions: the sandbox's buyers (`super::buyers`), opaque session cookies, idle expiry (NuORDER logs users
//! out after 2 hours idle; `SANDBOX_NUORDER_IDLE_SECS` changes that here).

use serde_json::Value;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub const COOKIE_NAME: &str = "nuorder_session";
pub const DEMO_EMAIL: &str = super::buyers::DEMO.email;
pub const DEMO_PASSWORD: &str = super::buyers::DEMO.password;
use super::buyers::SECOND;

/// The demo buyer and their retailer, as `GET /api/session/me` returns them.
pub fn demo_identity() -> Value {
    super::buyers::DEMO.identity()
}

#[derive(Debug, Clone)]
pub struct Session {
    pub email: String,
    pub last_seen: Instant,
}

#[derive(Debug, Default)]
pub struct Sessions {
    map: HashMap<String, Session>,
}

static COUNTER: AtomicU64 = AtomicU64::new(1);

/// A fresh 128-bit token in hex (unpredictable enough for a loopback sandbox).
fn new_token() -> String {
    let mut out = String::new();
    for _ in 0..2 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_u128(
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0),
        );
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

impl Sessions {
    pub fn create(&mut self, email: &str) -> String {
        let token = new_token();
        self.map.insert(token.clone(), Session { email: email.to_string(), last_seen: Instant::now() });
        token
    }

    /// The session for a token if it is live; touching it restarts the idle clock.
    pub fn touch(&mut self, token: &str, idle: Duration) -> Option<Session> {
        let now = Instant::now();
        let live = self.map.get(token).is_some_and(|s| now.duration_since(s.last_seen) < idle);
        if !live {
            self.map.remove(token);
            return None;
        }
        let s = self.map.get_mut(token)?;
        s.last_seen = now;
        Some(s.clone())
    }

    pub fn remove(&mut self, token: &str) {
        self.map.remove(token);
    }

    /// Expire every session; returns how many there were.
    pub fn expire_all(&mut self) -> usize {
        let n = self.map.len();
        self.map.clear();
        n
    }
}

/// The `Set-Cookie` value for a session token.
pub fn set_cookie(token: &str) -> String {
    format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie() -> String {
    format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The session token in a request's `Cookie` headers, if any.
pub fn token_from_headers(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE_NAME)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// Whether the credentials are one of the sandbox buyers'.
pub fn credentials_ok(email: &str, password: &str) -> bool {
    super::buyers::Buyer::signing_in(email, password).is_some()
}

/// A same-site path to return to after sign-in (anything else becomes `None`).
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let n = next?.trim();
    let ok = n.starts_with('/')
        && !n.starts_with("//")
        && !n.contains('\\')
        && !n.chars().any(char::is_control)
        && !n.starts_with("/login");
    ok.then(|| n.to_string())
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The sign-in page (server-rendered, no script needed).
pub fn login_page(next: Option<&str>, error: Option<&str>, email: &str) -> String {
    let next_field =
        next.map(|n| format!("<input type=\"hidden\" name=\"next\" value=\"{}\">", html_escape(n))).unwrap_or_default();
    let error_block = error
        .map(|e| format!("<p class=\"login-error\" role=\"alert\" data-test=\"login-error\">{}</p>", html_escape(e)))
        .unwrap_or_default();
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sign in · NuORDER (sandbox)</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body class="login-body">
<main class="login-card" data-test="login-page">
<h1 class="login-title">NuORDER</h1>
<p class="login-sub">Sign in to your retailer account</p>
{error_block}
<form method="post" action="/login" data-test="login-form">
{next_field}
<label>Email <input type="email" name="email" autocomplete="username" required value="{email}" data-test="login-email"></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required data-test="login-password"></label>
<button type="submit" data-test="login-submit">Sign in</button>
</form>
<p class="login-demo" data-test="demo-credentials">Sandbox demo buyer: <code data-test="demo-email">{DEMO_EMAIL}</code> / <code data-test="demo-password">{DEMO_PASSWORD}</code></p>
<p class="login-demo" data-test="second-buyer-credentials">Second buyer ({second_retailer}): <code data-test="second-email">{second_email}</code> / <code data-test="second-password">{second_password}</code></p>
</main>
</body>
</html>
"#,
        email = html_escape(email),
        second_retailer = html_escape(SECOND.retailer_name),
        second_email = SECOND.email,
        second_password = SECOND.password,
    )
}
