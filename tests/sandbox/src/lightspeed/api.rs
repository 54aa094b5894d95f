//! The REST API (`api.lightspeedapp.com`, and any host the sandbox doesn't otherwise know):
//! routing, auth, scopes, rate limiting, reads and writes.

use super::faults::FaultKind;
use super::model::{self, get, Record, RelKind, ResourceDef};
use super::query::ListQuery;
use super::ratelimit::{self, Admission};
use super::render;
use super::state::State;
use super::store::ApiError;
use super::LightspeedSandbox;
use axum::body::Body;
use axum::http::{header, request::Parts, HeaderValue, Method, Response, StatusCode};
use serde_json::{json, Value};

/// A 500/503 the fault injector asked the API to answer with (after admission, with headers).
#[derive(Debug, Clone, Copy)]
pub struct InjectedStatus(pub FaultKind);

#[derive(Debug)]
enum Target {
    AccountList,
    AccountShow(String),
    Session,
    Res { acct: String, def: &'static ResourceDef, id: Option<u64> },
}

#[derive(Debug, PartialEq)]
enum Ext {
    Json,
    Xml,
    None,
}

fn route(path: &str) -> Option<(Target, Ext)> {
    let rest = path.strip_prefix("/API/V3/").or_else(|| path.strip_prefix("/API/"))?;
    let mut segs: Vec<String> = rest.trim_end_matches('/').split('/').map(str::to_string).collect();
    let last = segs.pop()?;
    let (last, ext) = if let Some(s) = last.strip_suffix(".json") {
        (s.to_string(), Ext::Json)
    } else if let Some(s) = last.strip_suffix(".xml") {
        (s.to_string(), Ext::Xml)
    } else {
        (last, Ext::None)
    };
    segs.push(last);
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let t = match s.as_slice() {
        ["Account"] => Target::AccountList,
        ["Session"] => Target::Session,
        ["Account", id] => Target::AccountShow(id.to_string()),
        ["Account", _, "Session"] => Target::Session,
        ["Account", acct, res] => Target::Res { acct: acct.to_string(), def: model::resource(res)?, id: None },
        ["Account", acct, res, id] => {
            Target::Res { acct: acct.to_string(), def: model::resource(res)?, id: Some(id.parse().ok()?) }
        }
        _ => return None,
    };
    Some((t, ext))
}

/// What the rate-limit headers say about this response.
#[derive(Debug, Clone)]
struct Rate {
    level: f64,
    size: f64,
    burst: u32,
    burst_limit: u32,
    drip: f64,
    cost: f64,
    acct: Option<String>,
    client: Option<String>,
    limited: Option<(&'static str, u64)>,
}

impl Rate {
    fn anonymous() -> Rate {
        let l = ratelimit::limits(1);
        Rate {
            level: 0.0,
            size: l.size,
            burst: 0,
            burst_limit: l.burst,
            drip: l.drip,
            cost: 0.0,
            acct: None,
            client: None,
            limited: None,
        }
    }
}

fn respond(status: u16, body: &Value, rate: &Rate, error: bool, extra: &[(&str, String)]) -> Response<Body> {
    let mut b = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(header::CONTENT_TYPE, if error { "text/html; charset=UTF-8" } else { "application/json" })
        .header("X-LS-Api-Bucket-Level", format!("{}/{}", ratelimit::fmt(rate.level), ratelimit::fmt(rate.size)))
        .header("X-LS-Api-Burst-Level", format!("{}/{}", rate.burst, rate.burst_limit))
        .header("X-LS-Api-Drip-Rate", ratelimit::fmt(rate.drip))
        .header("X-LS-Api-Request-Cost", ratelimit::fmt(rate.cost));
    if let Some(a) = &rate.acct {
        b = b.header("X-LS-Acct-Id", a.as_str());
    }
    if let Some(c) = &rate.client {
        b = b.header("X-LS-Oauth-Client-Id", c.as_str());
    }
    if let Some((kind, retry)) = rate.limited {
        b = b.header("X-LS-API-RateLimit-Type", kind).header(header::RETRY_AFTER, retry.to_string());
    }
    for (k, v) in extra {
        b = b.header(*k, HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static("")));
    }
    b.body(Body::from(body.to_string())).expect("response")
}

fn legacy_error(e: &ApiError) -> Value {
    let msg = StatusCode::from_u16(e.status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error");
    json!({"httpCode": e.status.to_string(), "httpMessage": msg, "message": e.message, "errorClass": e.class})
}

fn error_response(e: &ApiError, rate: &Rate) -> Response<Body> {
    let extra: Vec<(&str, String)> =
        if e.status == 401 { vec![("WWW-Authenticate", "Basic realm=\"MerchantOS API\"".into())] } else { vec![] };
    respond(e.status, &legacy_error(e), rate, true, &extra)
}

fn oauth_denied(hint: &str, rate: &Rate) -> Response<Body> {
    let body = json!({"error": "access_denied", "error_description": "The resource owner or authorization server denied the request.", "hint": hint, "message": "The resource owner or authorization server denied the request."});
    respond(401, &body, rate, false, &[])
}

/// Which `employee:` scope a resource needs.
fn needed_scope(res: &str, write: bool) -> Option<&'static str> {
    match res {
        "Order" | "OrderLine" => Some("purchase_orders"),
        "Vendor" if write => Some("vendors"),
        "Item" | "ItemMatrix" | "ItemAttributeSet" | "Category" | "Manufacturer" | "Vendor" => Some("inventory"),
        _ => None,
    }
}

fn scope_allows(scope: &str, res: &str, write: bool) -> bool {
    let Some(need) = needed_scope(res, write) else { return true };
    scope.split_whitespace().any(|s| {
        let s = s.strip_prefix("employee:").unwrap_or(s);
        s == "all"
            || s == "admin"
            || s == need
            || (!write && s == format!("{need}_read"))
            || (res == "Vendor" && s == "inventory")
            || (need == "inventory" && (s == "product_edit" && write))
    })
}

impl LightspeedSandbox {
    /// The whole API pipeline for one request (synchronous: the state lock is never held across an await).
    pub(crate) fn api(&self, parts: &Parts, body: &[u8], injected: Option<InjectedStatus>) -> Response<Body> {
        let now = self.clock.now();
        let path = parts.uri.path().to_string();
        let raw_query = parts.uri.query().unwrap_or("").to_string();
        let mut anon = Rate::anonymous();
        let Some((target, ext)) = route(&path) else {
            return error_response(&ApiError::new(404, format!("Route not found: {path}")), &anon);
        };
        let accept = parts.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
        let json_wanted = if accept.contains("application/json") {
            true
        } else if accept.contains("xml") {
            false
        } else {
            ext == Ext::Json
        };
        if !json_wanted {
            return error_response(
                &ApiError::new(
                    406,
                    "The sandbox serves JSON only: add .json to the path or send Accept: application/json.",
                ),
                &anon,
            );
        }
        let write = matches!(parts.method, Method::POST | Method::PUT | Method::DELETE);
        let mut st = self.state.lock().unwrap();

        // --- auth
        let token = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| {
            let (scheme, t) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| t.trim().to_string())
        });
        let Some(token) = token else {
            return error_response(&ApiError::new(401, "Invalid access token."), &anon);
        };
        let Some(tok) = st.access.get(&token).cloned() else {
            return error_response(&ApiError::new(401, "Invalid access token."), &anon);
        };
        anon.acct = Some(tok.account.clone());
        anon.client = Some(tok.client_id.clone());
        if let Some(why) = &tok.revoked {
            let hint =
                if why == "expired" { "Access token could not be verified" } else { "Access token has been revoked" };
            return oauth_denied(hint, &anon);
        }
        if now >= tok.exp {
            return oauth_denied("Access token could not be verified", &anon);
        }
        let Some(account) = st.accounts.get(&tok.account) else {
            return oauth_denied("Access token could not be verified", &anon);
        };
        let registers = account.registers;

        // --- cost
        let mut cost = 1.0;
        let mut parsed: Option<Result<ListQuery, ApiError>> = None;
        let body_json: Option<Value> = if matches!(parts.method, Method::POST | Method::PUT) && !body.is_empty() {
            serde_json::from_slice(body).ok()
        } else {
            None
        };
        if let Target::Res { def, id, .. } = &target {
            if write {
                cost = def.write_cost;
            }
            if let Some(b) = &body_json {
                cost += 0.5 * ratelimit::nested_entities(b) as f64;
            }
            let q = ListQuery::parse(def, &raw_query, id.is_none());
            if let Ok(q) = &q {
                if q.count {
                    cost = 10.0;
                }
                let is_list = id.is_none() && parts.method == Method::GET;
                cost += ratelimit::relations_cost(def.name, &q.load, is_list);
                cost += ratelimit::or_cost(&q.or_operands);
            }
            parsed = Some(q);
        }
        cost = (cost * 1000.0).round() / 1000.0;

        // --- rate limit
        let l = ratelimit::limits(registers);
        let key = (tok.account.clone(), tok.client_id.clone());
        let bucket = st.buckets.entry(key.clone()).or_default();
        let admission = bucket.admit(now, cost, &l);
        let mut rate = Rate {
            level: bucket.level,
            size: l.size,
            burst: bucket.burst,
            burst_limit: l.burst,
            drip: l.drip,
            cost,
            acct: Some(tok.account.clone()),
            client: Some(tok.client_id.clone()),
            limited: None,
        };
        let stats = st.stats_mut(&tok.account);
        stats.requests += 1;
        match admission {
            Admission::Admitted => stats.drips_spent += cost,
            Admission::Bucket { retry_after } | Admission::Burst { retry_after } => {
                let kind = if matches!(admission, Admission::Bucket { .. }) {
                    "api-leaky-bucket"
                } else {
                    "api-burst-limiter"
                };
                stats.rate_limited += 1;
                if kind == "api-leaky-bucket" {
                    stats.rate_limited_bucket += 1;
                } else {
                    stats.rate_limited_burst += 1;
                }
                rate.limited = Some((kind, retry_after));
                let msg = if kind == "api-burst-limiter" {
                    "Too Many Requests: burst rate limit exceeded."
                } else {
                    "Too Many Requests: rate limit exceeded."
                };
                return error_response(
                    &ApiError { status: 429, message: msg.into(), class: "RateLimitException" },
                    &rate,
                );
            }
        }

        // --- deferred revocation: the first use of a refreshed token kills the refresh token spent for it
        if let Some(t) = st.access.get_mut(&token) {
            if !t.used {
                t.used = true;
                if let Some(parent) = t.parent_refresh.clone() {
                    st.revoke_refresh(&parent, "rotated");
                    if let Some(p) = st.refresh.get_mut(&parent) {
                        p.child = None;
                    }
                }
            }
        }

        // --- account and scope
        if let Target::Res { acct, def, .. } = &target {
            if *acct != tok.account {
                return error_response(&ApiError::new(403, format!("Not authorized for account {acct}.")), &rate);
            }
            if !scope_allows(&tok.scope, def.name, write) {
                return error_response(
                    &ApiError::new(
                        403,
                        format!(
                            "Access to {} requires scope employee:{}.",
                            def.name,
                            needed_scope(def.name, write).unwrap_or("all")
                        ),
                    ),
                    &rate,
                );
            }
        }
        if let Target::AccountShow(acct) = &target {
            if *acct != tok.account {
                return error_response(&ApiError::new(403, format!("Not authorized for account {acct}.")), &rate);
            }
        }

        if let Some(InjectedStatus(kind)) = injected {
            let (code, msg) = if kind == FaultKind::Status503 {
                (503, "Service Unavailable (injected by the sandbox).")
            } else {
                (500, "Internal Server Error (injected by the sandbox).")
            };
            return error_response(&ApiError::new(code, msg), &rate);
        }

        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("api.lightspeedapp.com")
            .to_string();
        let result = match target {
            Target::AccountList => Ok(self.account_list(&st, &tok.account)),
            Target::AccountShow(a) => Ok(account_show(&st, &a)),
            Target::Session => Ok(session(&st, &tok.account, &tok.scope)),
            Target::Res { def, id, .. } => {
                let q = match parsed.unwrap() {
                    Ok(q) => q,
                    Err(e) => return error_response(&e, &rate),
                };
                match parts.method {
                    Method::GET => match id {
                        Some(id) => get_one(&st, &tok.account, def, id, &q),
                        None => list(&st, &tok.account, def, &q, &host, &path, st.settings.keep_params_in_page_links),
                    },
                    Method::POST if id.is_none() => {
                        let b = match parse_body(body_json, body) {
                            Ok(b) => b,
                            Err(e) => return error_response(&e, &rate),
                        };
                        write_op(&mut st, &tok.account, def, now, |a, s| a.create(def.name, &b, now, s, false), &q, &b)
                    }
                    Method::PUT if id.is_some() => {
                        let b = match parse_body(body_json, body) {
                            Ok(b) => b,
                            Err(e) => return error_response(&e, &rate),
                        };
                        let id = id.unwrap();
                        write_op(
                            &mut st,
                            &tok.account,
                            def,
                            now,
                            |a, s| a.update(def.name, id, &b, now, s).map(|_| id),
                            &q,
                            &b,
                        )
                    }
                    Method::DELETE if id.is_some() => {
                        let id = id.unwrap();
                        let settings = st.settings.clone();
                        let acct = st.accounts.get_mut(&tok.account).unwrap();
                        acct.delete(def.name, id, now, &settings).map(|r| {
                            let v = if acct.get(def.name, id).is_some() {
                                render::render(acct, def.name, &r, &q.load, &[])
                            } else {
                                model::shape(Value::Object(r))
                            };
                            render::single(def.name, v)
                        })
                    }
                    _ => Err(ApiError::new(405, format!("Method {} not allowed on this path.", parts.method))),
                }
            }
        };
        match result {
            Ok(v) => respond(200, &v, &rate, false, &[]),
            Err(e) => error_response(&e, &rate),
        }
    }

    fn account_list(&self, st: &State, acct: &str) -> Value {
        let a = &st.accounts[acct];
        json!({"@attributes": {"count": "1"}, "Account": {"accountID": a.id, "name": a.name, "link": {"@attributes": {"href": format!("/API/V3/Account/{}", a.id)}}}})
    }
}

fn parse_body(parsed: Option<Value>, raw: &[u8]) -> Result<Record, ApiError> {
    match parsed {
        Some(Value::Object(m)) => Ok(m),
        Some(_) => Err(ApiError::bad("The request body must be a JSON object.")),
        None if raw.is_empty() => Ok(Record::new()),
        None => Err(ApiError::bad("The request body is not valid JSON.")),
    }
}

fn account_show(st: &State, id: &str) -> Value {
    let a = &st.accounts[id];
    let currencies = model::shape(json!({"purchasingCurrencies": [{"code": a.currency, "symbol": "$", "rate": "1"}]}));
    let mut acct = json!({
        "accountID": a.id, "name": a.name, "status": "active", "employeeCount": "1",
        "defaultCurrency": {"code": a.currency, "symbol": "$"},
        "link": {"@attributes": {"href": format!("/API/V3/Account/{}", a.id)}},
    });
    if let Some(c) = currencies.get("purchasingCurrencies") {
        acct["purchasingCurrencies"] = c.clone();
    }
    json!({"@attributes": {"count": "1"}, "Account": acct})
}

fn session(st: &State, acct: &str, scope: &str) -> Value {
    let a = &st.accounts[acct];
    let shops = a.table("Shop").values().filter(|s| get(s, "archived") != "true").count();
    let has = |res: &str, write: bool| scope_allows(scope, res, write).to_string();
    json!({
        "sessionID": "sandbox", "employeeID": "1", "systemCustomerID": a.id, "systemUserID": "1", "shopCount": shops.to_string(),
        "Employee": {"employeeID": "1", "firstName": "Sandbox", "lastName": "Owner", "accessPin": "", "lockOut": "false", "archived": "false"},
        "Rights": {
            "purchase_orders": has("Order", true), "product_edit": has("Item", true), "product_cost": has("Item", false),
            "vendors": has("Vendor", true), "inventory": has("Item", false),
        },
    })
}

fn related_fn<'a>(
    acct: &'a super::store::Account,
    def: &'static ResourceDef,
    r: &'a Record,
) -> impl Fn(&str) -> Vec<Record> + 'a {
    move |rel: &str| {
        let Some(rd) = def.relations.iter().find(|x| x.name == rel) else { return vec![] };
        match rd.kind {
            RelKind::Reverse { resource, fk } => {
                acct.table(resource).values().filter(|c| get(c, fk) == get(r, def.id)).cloned().collect()
            }
            RelKind::Ref { resource, fk } => {
                acct.get(resource, get(r, fk).parse().unwrap_or(0)).cloned().into_iter().collect()
            }
            _ => vec![],
        }
    }
}

fn get_one(st: &State, acct: &str, def: &'static ResourceDef, id: u64, q: &ListQuery) -> Result<Value, ApiError> {
    let a = &st.accounts[acct];
    let r = a.get(def.name, id).ok_or_else(|| ApiError::new(404, format!("{} {id} not found.", def.name)))?;
    Ok(render::single(def.name, render::render(a, def.name, r, &q.load, &[])))
}

fn list(
    st: &State,
    acct: &str,
    def: &'static ResourceDef,
    q: &ListQuery,
    host: &str,
    path: &str,
    keep: bool,
) -> Result<Value, ApiError> {
    let a = &st.accounts[acct];
    let rows: Vec<Record> =
        a.table(def.name).values().filter(|r| q.matches(def, r, &related_fn(a, def, r))).cloned().collect();
    if q.count {
        return Ok(json!({"@attributes": {"count": rows.len().to_string()}}));
    }
    let (page, more_after, more_before) = q.page(def, rows);
    let link = |cursor_key: &str, key: &[Value]| -> String {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &q.pairs {
            if k == "after" || k == "before" || k == "sort" || k == "limit" {
                continue;
            }
            if keep {
                ser.append_pair(k, v);
            }
        }
        ser.append_pair("sort", &format!("{}{}", if q.desc { "-" } else { "" }, q.sort));
        ser.append_pair("limit", &q.limit.to_string());
        ser.append_pair(cursor_key, &ListQuery::encode_cursor(key));
        format!("{}://{}{}?{}", scheme_for(host), host, path, ser.finish())
    };
    let next = if more_after { link("after", &q.key(def, page.last().unwrap())) } else { String::new() };
    let previous = if more_before { link("before", &q.key(def, page.first().unwrap())) } else { String::new() };
    let rows: Vec<Value> = page.iter().map(|r| render::render(a, def.name, r, &q.load, &[])).collect();
    Ok(render::list(def.name, rows, next, previous))
}

/// `https` for the real host names and the HTTPS port, `http` otherwise.
fn scheme_for(host: &str) -> &'static str {
    let https_port = std::env::var("SANDBOX_HTTPS_PORT").unwrap_or_else(|_| "8443".into());
    match host.rsplit_once(':') {
        Some((_, port)) if port.chars().all(|c| c.is_ascii_digit()) && port == https_port => "https",
        Some((_, port)) if port.chars().all(|c| c.is_ascii_digit()) => "http",
        _ if host.contains('.') && host.parse::<std::net::IpAddr>().is_err() => "https",
        _ => "http",
    }
}

fn write_op(
    st: &mut State,
    acct: &str,
    def: &'static ResourceDef,
    _now: f64,
    f: impl FnOnce(&mut super::store::Account, &super::store::Settings) -> Result<u64, ApiError>,
    q: &ListQuery,
    body: &Record,
) -> Result<Value, ApiError> {
    let settings = st.settings.clone();
    let a = st.accounts.get_mut(acct).unwrap();
    let id = f(a, &settings)?;
    let r = a.get(def.name, id).cloned().unwrap();
    let mut extra: Vec<&str> = vec![];
    if def.name == "Item" {
        extra.extend(["ItemShops", "Prices"]);
    }
    for rel in def.relations {
        if body.contains_key(rel.name) && matches!(rel.kind, RelKind::Embedded) {
            extra.push(rel.name);
        }
    }
    Ok(render::single(def.name, render::render(a, def.name, &r, &q.load, &extra)))
}
