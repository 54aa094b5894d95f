//! OAuth server conformance: authorize page and decisions, PKCE, code lifetime and reuse, token
//! encodings, refresh rotation with deferred revocation, the refresh rate limit, revoke.

mod lightspeed_support;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use lightspeed_support::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const CHROME: &str = "po-bridge-chrome";
const CHROME_REDIRECT: &str = "https://pbildjcpmhghjehcjlcohpgnemagcgfm.chromiumapp.org/";
const VERIFIER: &str = "sandbox-verifier-0123456789-abcdefghijklmnopqrstuvwxyz_ABCDEFG";

fn challenge(v: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(v.as_bytes()))
}

fn cloud(ls: &Ls, method: &str, path: &str, body: Option<(&str, Vec<u8>)>) -> Resp {
    ls.req(method, path, &[("Host", "cloud.lightspeedapp.com")], body)
}

fn authorize_query(client: &str, ch: &str, method: &str) -> String {
    format!("/auth/oauth/authorize?response_type=code&client_id={client}&scope=employee:purchase_orders+employee:inventory&state=st%2Fate-1&code_challenge={ch}&code_challenge_method={method}")
}

fn query_of(location: &str) -> std::collections::HashMap<String, String> {
    url::Url::parse(location).unwrap().query_pairs().into_owned().collect()
}

/// Click "Allow" on the consent page: returns the code.
fn allow(ls: &Ls, ch: &str, method: &str) -> String {
    let form = format!("response_type=code&client_id={CHROME}&scope=employee%3Apurchase_orders&state=xyz&code_challenge={ch}&code_challenge_method={method}&decision=allow");
    let r = cloud(ls, "POST", "/auth/oauth/authorize", Some(("application/x-www-form-urlencoded", form.into_bytes())));
    assert_eq!(r.status, 302, "{}", r.body);
    let loc = r.h("location");
    assert!(loc.starts_with(CHROME_REDIRECT), "{loc}");
    let q = query_of(loc);
    assert_eq!(q["state"], "xyz");
    q["code"].clone()
}

fn exchange(ls: &Ls, code: &str, verifier: &str) -> Resp {
    let body =
        json!({"client_id": CHROME, "grant_type": "authorization_code", "code": code, "code_verifier": verifier});
    cloud(ls, "POST", "/auth/oauth/token", Some(("application/json", body.to_string().into_bytes())))
}

fn refresh(ls: &Ls, rt: &str) -> Resp {
    let form = format!("grant_type=refresh_token&client_id={CHROME}&refresh_token={rt}");
    cloud(ls, "POST", "/auth/oauth/token", Some(("application/x-www-form-urlencoded", form.into_bytes())))
}

fn assert_oauth_error(r: &Resp, status: u16, error: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    let v = r.json();
    assert_eq!(v["error"], error, "{}", r.body);
    assert!(v["error_description"].is_string() && v["hint"].is_string(), "{}", r.body);
}

#[test]
fn consent_page_has_buttons_and_reading_it_consumes_nothing() {
    let ls = start();
    let ch = challenge(VERIFIER);
    for _ in 0..2 {
        let r = cloud(&ls, "GET", &authorize_query(CHROME, &ch, "S256"), None);
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains("id=\"allow\"") && r.body.contains("id=\"deny\""));
        assert!(r.body.contains("st/ate-1"), "state is carried in the form");
    }
    assert_eq!(ls.dump()["codes"], 0, "GET authorize must not create codes");
}

#[test]
fn deny_redirects_with_access_denied_and_state() {
    let ls = start();
    let form = format!(
        "response_type=code&client_id={CHROME}&state=s1&code_challenge={}&code_challenge_method=S256&decision=deny",
        challenge(VERIFIER)
    );
    let r = cloud(&ls, "POST", "/auth/oauth/authorize", Some(("application/x-www-form-urlencoded", form.into_bytes())));
    assert_eq!(r.status, 302);
    let q = query_of(r.h("location"));
    assert_eq!(q["error"], "access_denied");
    assert_eq!(q["state"], "s1");
    assert!(!q.contains_key("code"));
}

#[test]
fn authorize_rejects_unknown_client_missing_pkce_and_bad_scope() {
    let ls = start();
    let r = cloud(&ls, "GET", &authorize_query("nobody", &challenge(VERIFIER), "S256"), None);
    assert_oauth_error(&r, 401, "invalid_client");
    let r = cloud(
        &ls,
        "GET",
        &format!("/auth/oauth/authorize?response_type=code&client_id={CHROME}&scope=employee:all"),
        None,
    );
    assert_oauth_error(&r, 400, "invalid_request");
    let r = cloud(&ls, "GET", &format!("/auth/oauth/authorize?response_type=code&client_id={CHROME}&scope=admin&code_challenge={}&code_challenge_method=S256", challenge(VERIFIER)), None);
    assert_oauth_error(&r, 400, "invalid_scope");
}

#[test]
fn auto_approve_redirects_straight_away() {
    let ls = start();
    ls.control("POST", "/settings", json!({"auto_approve": true}));
    let r = cloud(&ls, "GET", &authorize_query(CHROME, &challenge(VERIFIER), "S256"), None);
    assert_eq!(r.status, 302);
    let q = query_of(r.h("location"));
    assert_eq!(q["state"], "st/ate-1");
    let t = exchange(&ls, &q["code"], VERIFIER);
    assert_eq!(t.status, 200, "{}", t.body);
}

#[test]
fn pkce_s256_success_token_shape_and_acct_claim() {
    let ls = start();
    let code = allow(&ls, &challenge(VERIFIER), "S256");
    let r = exchange(&ls, &code, VERIFIER);
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 3600);
    assert!(v.get("scope").is_none(), "no scope in the token response");
    let access = v["access_token"].as_str().unwrap();
    assert!(access.starts_with("eyJ") && v["refresh_token"].as_str().unwrap().starts_with("def50200"));
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(access.split('.').nth(1).unwrap()).unwrap()).unwrap();
    assert_eq!(claims["acct"], ACCT);
    assert_eq!(claims["aud"], CHROME);
    assert!(claims["scope"].as_str().unwrap().contains("employee:purchase_orders"));
    assert!(claims["exp"].as_f64().unwrap() > claims["iat"].as_f64().unwrap());
    let a = ls.get(access, "/API/V3/Account.json");
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["Account"]["accountID"], ACCT);
}

#[test]
fn pkce_failures_plain_method_and_single_use() {
    let ls = start();
    // wrong verifier
    let code = allow(&ls, &challenge(VERIFIER), "S256");
    let wrong = "another-verifier-0123456789-abcdefghijklmnopqrstuvwxyz_ABCDEFG";
    assert_oauth_error(&exchange(&ls, &code, wrong), 400, "invalid_grant");
    // missing verifier
    let body = json!({"client_id": CHROME, "grant_type": "authorization_code", "code": code});
    assert_oauth_error(
        &cloud(&ls, "POST", "/auth/oauth/token", Some(("application/json", body.to_string().into_bytes()))),
        400,
        "invalid_request",
    );
    // the right one still works, once
    assert_eq!(exchange(&ls, &code, VERIFIER).status, 200);
    assert_oauth_error(&exchange(&ls, &code, VERIFIER), 400, "invalid_grant");
    // plain
    let code = allow(&ls, VERIFIER, "plain");
    assert_oauth_error(&exchange(&ls, &code, wrong), 400, "invalid_grant");
    assert_eq!(exchange(&ls, &code, VERIFIER).status, 200);
}

#[test]
fn code_expires_after_60_seconds() {
    let ls = start();
    let code = allow(&ls, &challenge(VERIFIER), "S256");
    ls.control("POST", "/clock/advance", json!({"seconds": 61}));
    let r = exchange(&ls, &code, VERIFIER);
    assert_oauth_error(&r, 400, "invalid_grant");
    assert!(r.json()["hint"].as_str().unwrap().contains("expired"));
    let code = allow(&ls, &challenge(VERIFIER), "S256");
    ls.control("POST", "/clock/advance", json!({"seconds": 59}));
    assert_eq!(exchange(&ls, &code, VERIFIER).status, 200);
}

#[test]
fn token_endpoint_accepts_json_form_and_multipart_and_rejects_get_and_bad_clients() {
    let ls = start();
    let ch = challenge(VERIFIER);
    let c1 = allow(&ls, &ch, "S256");
    let form = format!("client_id={CHROME}&grant_type=authorization_code&code={c1}&code_verifier={VERIFIER}");
    assert_eq!(
        cloud(&ls, "POST", "/auth/oauth/token", Some(("application/x-www-form-urlencoded", form.into_bytes()))).status,
        200
    );
    let c2 = allow(&ls, &ch, "S256");
    let boundary = "XsandboxBOUNDARY";
    let mut mp = String::new();
    for (k, v) in [
        ("client_id", CHROME),
        ("grant_type", "authorization_code"),
        ("code", c2.as_str()),
        ("code_verifier", VERIFIER),
    ] {
        mp.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
    }
    mp.push_str(&format!("--{boundary}--\r\n"));
    let r = cloud(
        &ls,
        "POST",
        "/auth/oauth/token",
        Some((&format!("multipart/form-data; boundary={boundary}"), mp.into_bytes())),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_oauth_error(&cloud(&ls, "GET", "/auth/oauth/token", None), 405, "invalid_request");
    let body = json!({"client_id": "nobody", "grant_type": "authorization_code", "code": "x"});
    assert_oauth_error(
        &cloud(&ls, "POST", "/auth/oauth/token", Some(("application/json", body.to_string().into_bytes()))),
        401,
        "invalid_client",
    );
    let body = json!({"client_id": CHROME, "grant_type": "password"});
    assert_oauth_error(
        &cloud(&ls, "POST", "/auth/oauth/token", Some(("application/json", body.to_string().into_bytes()))),
        400,
        "unsupported_grant_type",
    );
    let body = json!({"client_id": CHROME});
    assert_oauth_error(
        &cloud(&ls, "POST", "/auth/oauth/token", Some(("application/json", body.to_string().into_bytes()))),
        400,
        "invalid_request",
    );
}

#[test]
fn refresh_rotates_with_deferred_revocation_and_rejects_reuse() {
    let ls = start();
    let first = ls.control("POST", "/tokens", json!({}));
    let (a0, r0) =
        (first["access_token"].as_str().unwrap().to_string(), first["refresh_token"].as_str().unwrap().to_string());
    assert_eq!(ls.get(&a0, "Shop.json").status, 200);
    // refresh, and retry before the new access token is used: allowed, a fresh pair each time
    let t1 = refresh(&ls, &r0).json();
    let t2 = refresh(&ls, &r0);
    assert_eq!(t2.status, 200, "retry before first use is allowed: {}", t2.body);
    let t2 = t2.json();
    assert_ne!(t1["refresh_token"], t2["refresh_token"]);
    assert_ne!(t2["refresh_token"].as_str().unwrap(), r0);
    // the superseded pending pair is dead
    assert_eq!(ls.get(t1["access_token"].as_str().unwrap(), "Shop.json").status, 401);
    // first use of the new access token kills the old refresh token and the old access token
    let a2 = t2["access_token"].as_str().unwrap();
    assert_eq!(ls.get(a2, "Shop.json").status, 200);
    let reuse = refresh(&ls, &r0);
    assert_oauth_error(&reuse, 400, "invalid_grant");
    let old = ls.get(&a0, "Shop.json");
    assert_eq!(old.status, 401);
    assert_eq!(old.json()["error"], "access_denied");
    // the new refresh token works
    assert_eq!(refresh(&ls, t2["refresh_token"].as_str().unwrap()).status, 200);
}

#[test]
fn refresh_is_limited_to_five_attempts_a_minute_and_scope_is_refused() {
    let ls = start();
    let rt = ls.control("POST", "/tokens", json!({}))["refresh_token"].as_str().unwrap().to_string();
    for i in 0..5 {
        assert_eq!(refresh(&ls, &rt).status, 200, "attempt {i}");
    }
    let r = refresh(&ls, &rt);
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.h("retry-after").parse::<u64>().unwrap() >= 1);
    ls.control("POST", "/clock/advance", json!({"seconds": 61}));
    assert_eq!(refresh(&ls, &rt).status, 200);
    let body =
        json!({"client_id": CHROME, "grant_type": "refresh_token", "refresh_token": rt, "scope": "employee:all"});
    assert_oauth_error(
        &cloud(&ls, "POST", "/auth/oauth/token", Some(("application/json", body.to_string().into_bytes()))),
        400,
        "invalid_grant",
    );
}

#[test]
fn revoke_kills_both_tokens() {
    let ls = start();
    let t = ls.control("POST", "/tokens", json!({}));
    let (a, r) = (t["access_token"].as_str().unwrap(), t["refresh_token"].as_str().unwrap());
    let body = json!({"client_id": CHROME, "refresh_token": r});
    let resp = cloud(&ls, "POST", "/auth/oauth/revoke", Some(("application/json", body.to_string().into_bytes())));
    assert_eq!(resp.status, 200);
    assert_oauth_error(&refresh(&ls, r), 400, "invalid_grant");
    let api = ls.get(a, "Shop.json");
    assert_eq!(api.status, 401);
    assert_eq!(api.json()["hint"], "Access token has been revoked");
}

#[test]
fn expires_in_is_configurable_and_expiry_uses_the_sandbox_clock() {
    let ls = start();
    ls.control("POST", "/settings", json!({"expires_in": 1800}));
    let code = allow(&ls, &challenge(VERIFIER), "S256");
    let v = exchange(&ls, &code, VERIFIER).json();
    assert_eq!(v["expires_in"], 1800);
    let a = v["access_token"].as_str().unwrap();
    assert_eq!(ls.get(a, "Shop.json").status, 200);
    ls.control("POST", "/clock/advance", json!({"seconds": 1801}));
    let r = ls.get(a, "Shop.json");
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["hint"], "Access token could not be verified");
}

#[test]
fn registered_clients_get_their_own_redirect() {
    let ls = start();
    ls.control("POST", "/clients", json!({"client_id": "demo-app", "redirect_uri": "https://localhost/callback"}));
    ls.control("POST", "/settings", json!({"auto_approve": true}));
    let r = cloud(&ls, "GET", &authorize_query("demo-app", &challenge(VERIFIER), "S256"), None);
    assert_eq!(r.status, 302);
    assert!(r.h("location").starts_with("https://localhost/callback?code="));
    // Firefox's client is there by default
    let r = cloud(&ls, "GET", &authorize_query("po-bridge-firefox", &challenge(VERIFIER), "S256"), None);
    assert!(r
        .h("location")
        .starts_with("https://26ddbaa53398bbfdea0624daa9c10fd22f1d3984.extensions.allizom.org/?code="));
}

/// A second account (another merchant, issue 14's two buyers): seeded beside the default one, it is
/// offered on the consent page; a consent for it gives a token for it alone (`acct` in the JWT,
/// `Account.json`), which cannot reach the first account, and its POs land in its own tables.
#[test]
fn a_second_account_is_chosen_on_the_consent_page_and_its_token_reaches_only_it() {
    let ls = start();
    ls.control(
        "POST",
        "/seed",
        json!({"replace": false, "accounts": [{"accountID": "83051", "name": "Birch Row Outfitters",
            "shops": [{"name": "Birch Row Portland"}], "vendors": [{"name": "Harbor Goods Co."}]}]}),
    );
    let ch = challenge(VERIFIER);
    let page = cloud(&ls, "GET", &authorize_query(CHROME, &ch, "S256"), None).body;
    assert!(page.contains("value=\"83050\"") && page.contains("value=\"83051\""), "both accounts offered");
    let form = format!("response_type=code&client_id={CHROME}&scope=employee%3Aall&state=xyz&code_challenge={ch}&code_challenge_method=S256&account=83051&decision=allow");
    let r = cloud(&ls, "POST", "/auth/oauth/authorize", Some(("application/x-www-form-urlencoded", form.into_bytes())));
    let code = query_of(r.h("location"))["code"].clone();
    let tok = exchange(&ls, &code, VERIFIER).json();
    let access = tok["access_token"].as_str().unwrap();
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(access.split('.').nth(1).unwrap()).unwrap()).unwrap();
    assert_eq!(claims["acct"], "83051");
    let me = ls.get(access, "/API/V3/Account.json").json();
    assert_eq!(me["Account"]["accountID"], "83051");
    assert_eq!(ls.get(access, "/API/V3/Account/83050/Shop.json").status, 403, "not the first account");
    let shops = ls.get(access, "/API/V3/Account/83051/Shop.json").json();
    assert_eq!(shops["Shop"]["name"], "Birch Row Portland");
    let po = json!({"vendorID": "1", "shopID": "1", "refNum": "NuORDER 51000001"});
    assert_eq!(ls.api(access, "POST", "/API/V3/Account/83051/Order.json", Some(po)).status, 200);
    let state = ls.control_get("/state");
    let orders = |acct: &str| state["accounts"][acct]["tables"]["Order"].as_array().map_or(0, Vec::len);
    assert_eq!((orders("83051"), orders("83050")), (1, 0), "the PO is in the second account only");
}
