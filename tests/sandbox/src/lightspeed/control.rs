//! The control API for tests, under `/__sandbox/lightspeed/` (loopback peers only; see LIGHTSPEED.md).

use super::faults::Fault;
use super::holds::{Hold, HoldSpec};
use super::state::Client;
use super::store::{MergeRule, NestedLines};
use super::LightspeedSandbox;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

type Sb = State<LightspeedSandbox>;

fn bad(msg: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": msg.into()}))).into_response()
}

fn body(b: Option<Json<Value>>) -> Value {
    b.map(|Json(v)| v).unwrap_or(Value::Null)
}

fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k).map(super::model::scalar).filter(|x| !x.is_empty())
}

pub fn router<S: Clone + Send + Sync + 'static>(sb: LightspeedSandbox) -> Router<S> {
    Router::new()
        .route("/state", get(dump))
        .route("/reset", post(reset))
        .route("/seed", post(seed))
        .route("/faults", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/holds", get(list_holds).post(add_hold).delete(release_all_holds))
        .route("/holds/{id}", get(one_hold).delete(drop_hold))
        .route("/holds/{id}/release", post(release_hold))
        .route("/holds/{id}/wait", post(wait_hold))
        .route("/tokens", post(issue_token))
        .route("/tokens/expire", post(expire_tokens))
        .route("/tokens/revoke", post(revoke_tokens))
        .route("/bucket", post(set_bucket))
        .route("/clients", get(list_clients).post(add_client))
        .route("/settings", get(get_settings).post(set_settings))
        .route("/registers", post(set_registers))
        .route("/clock", get(get_clock))
        .route("/clock/advance", post(advance_clock))
        .route("/clock/speed", post(set_speed))
        .route("/merge", post(merge))
        .route("/receive", post(receive))
        .route("/stats", get(stats))
        .route("/stats/reset", post(reset_stats))
        .route("/accounts/{id}", get(account))
        .with_state(sb)
}

async fn dump(State(sb): Sb) -> Json<Value> {
    Json(sb.dump())
}

async fn reset(State(sb): Sb) -> StatusCode {
    sb.reset();
    StatusCode::NO_CONTENT
}

async fn seed(State(sb): Sb, b: Option<Json<Value>>) -> Response {
    let doc = body(b);
    let now = sb.clock.now();
    let mut st = sb.state.lock().unwrap();
    match super::seed::apply(&mut st, &doc, now) {
        Ok(v) => Json(v).into_response(),
        Err(e) => bad(e),
    }
}

async fn list_faults(State(sb): Sb) -> Json<Value> {
    Json(json!({"faults": sb.state.lock().unwrap().faults}))
}

async fn add_fault(State(sb): Sb, b: Option<Json<Value>>) -> Response {
    let mut f: Fault = match serde_json::from_value(body(b)) {
        Ok(f) => f,
        Err(e) => return bad(format!("fault: {e}")),
    };
    let mut st = sb.state.lock().unwrap();
    st.next_fault += 1;
    f.id = st.next_fault;
    f.hits = 0;
    st.faults.push(f.clone());
    Json(json!(f)).into_response()
}

async fn clear_faults(State(sb): Sb) -> StatusCode {
    sb.state.lock().unwrap().faults.clear();
    StatusCode::NO_CONTENT
}

async fn list_holds(State(sb): Sb) -> Json<Value> {
    let st = sb.state.lock().unwrap();
    Json(json!({"holds": st.holds.iter().map(Hold::view).collect::<Vec<_>>()}))
}

/// `{"method"?, "path", "count"? (1), "delay_ms"?}` → the hold (with its `id`).
async fn add_hold(State(sb): Sb, b: Option<Json<Value>>) -> Response {
    let spec: HoldSpec = match serde_json::from_value(body(b)) {
        Ok(s) => s,
        Err(e) => return bad(format!("hold: {e}")),
    };
    let mut st = sb.state.lock().unwrap();
    st.next_hold += 1;
    let h = Hold::new(st.next_hold, spec);
    let v = h.view();
    st.holds.push(h);
    Json(v).into_response()
}

fn no_hold(id: u64) -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"error": format!("no hold {id}")}))).into_response()
}

async fn one_hold(State(sb): Sb, Path(id): Path<u64>) -> Response {
    let st = sb.state.lock().unwrap();
    match st.holds.iter().find(|h| h.id == id) {
        Some(h) => Json(h.view()).into_response(),
        None => no_hold(id),
    }
}

/// `{"count"?}`: let the first `count` (default all) waiting requests run, in arrival order, each
/// after the previous one has finished; answers once they have run.
async fn release_hold(State(sb): Sb, Path(id): Path<u64>, b: Option<Json<Value>>) -> Response {
    let n = body(b).get("count").and_then(Value::as_u64).map(|n| n as usize);
    let waiters = {
        let mut st = sb.state.lock().unwrap();
        let Some(h) = st.holds.iter_mut().find(|h| h.id == id) else { return no_hold(id) };
        h.take(n)
    };
    let released = super::holds::release_in_order(waiters).await;
    let st = sb.state.lock().unwrap();
    let view = st.holds.iter().find(|h| h.id == id).map(Hold::view);
    Json(json!({"released": released, "hold": view})).into_response()
}

/// `{"holding": n, "timeout_ms"? (5000)}`: answers when the hold has `n` requests waiting (408 if
/// that doesn't happen in time).
async fn wait_hold(State(sb): Sb, Path(id): Path<u64>, b: Option<Json<Value>>) -> Response {
    let v = body(b);
    let want = v.get("holding").and_then(Value::as_u64).unwrap_or(1) as usize;
    let deadline = std::time::Instant::now()
        + std::time::Duration::from_millis(v.get("timeout_ms").and_then(Value::as_u64).unwrap_or(5000));
    loop {
        {
            let st = sb.state.lock().unwrap();
            let Some(h) = st.holds.iter().find(|h| h.id == id) else { return no_hold(id) };
            if h.waiting.len() >= want {
                return Json(h.view()).into_response();
            }
            if std::time::Instant::now() >= deadline {
                return (StatusCode::REQUEST_TIMEOUT, Json(h.view())).into_response();
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// Release this hold's waiters (in order) and forget the hold.
async fn drop_hold(State(sb): Sb, Path(id): Path<u64>) -> Response {
    let waiters = {
        let mut st = sb.state.lock().unwrap();
        let Some(at) = st.holds.iter().position(|h| h.id == id) else { return no_hold(id) };
        st.holds.remove(at).take(None)
    };
    Json(json!({"released": super::holds::release_in_order(waiters).await})).into_response()
}

/// Release everything held (hold by hold, in arrival order) and forget every hold.
async fn release_all_holds(State(sb): Sb) -> Json<Value> {
    let mut waiters: Vec<_> = {
        let mut st = sb.state.lock().unwrap();
        std::mem::take(&mut st.holds).into_iter().flat_map(|mut h| h.take(None)).collect()
    };
    waiters.sort_by_key(|w| w.seq);
    Json(json!({"released": super::holds::release_in_order(waiters).await}))
}

async fn issue_token(State(sb): Sb, b: Option<Json<Value>>) -> Response {
    let v = body(b);
    let now = sb.clock.now();
    let mut st = sb.state.lock().unwrap();
    let account = s(&v, "accountID").or_else(|| st.accounts.keys().next().cloned()).unwrap_or_default();
    if !st.accounts.contains_key(&account) {
        return bad(format!("no account {account}"));
    }
    let client = s(&v, "client_id").unwrap_or_else(|| super::state::CHROME_CLIENT.into());
    if !st.clients.contains_key(&client) {
        return bad(format!("no client {client}"));
    }
    let scope = s(&v, "scope").unwrap_or_else(|| "employee:all".into());
    let expires_in = v.get("expires_in").and_then(Value::as_u64).unwrap_or(st.settings.expires_in);
    let (access, refresh) = st.issue(&client, &account, &scope, now, expires_in, None);
    Json(json!({"token_type": "Bearer", "expires_in": expires_in, "access_token": access, "refresh_token": refresh, "accountID": account})).into_response()
}

/// `{"access_token": …}` or `{"accountID": …}` or `{}` (all): access tokens stop working (expired).
async fn expire_tokens(State(sb): Sb, b: Option<Json<Value>>) -> Json<Value> {
    let v = body(b);
    let now = sb.clock.now();
    let mut st = sb.state.lock().unwrap();
    let token = s(&v, "access_token");
    let account = s(&v, "accountID");
    let mut n = 0;
    for (k, t) in st.access.iter_mut() {
        if token.as_ref().map(|x| x == k).unwrap_or(true)
            && account.as_ref().map(|a| *a == t.account).unwrap_or(true)
            && t.exp > now
        {
            t.exp = now - 1.0;
            n += 1;
        }
    }
    Json(json!({"expired": n}))
}

/// `{"refresh_token": …}`, `{"access_token": …}`, `{"accountID": …}` or `{}` (all): revoked as by the merchant.
async fn revoke_tokens(State(sb): Sb, b: Option<Json<Value>>) -> Json<Value> {
    let v = body(b);
    let mut st = sb.state.lock().unwrap();
    let account = s(&v, "accountID");
    let access = s(&v, "access_token");
    let refresh = s(&v, "refresh_token");
    let mut n = 0;
    let refreshes: Vec<String> = st
        .refresh
        .iter()
        .filter(|(k, r)| {
            refresh.as_ref().map(|x| x == *k).unwrap_or(true)
                && account.as_ref().map(|a| *a == r.account).unwrap_or(true)
                && access.as_ref().map(|a| *a == r.access).unwrap_or(true)
        })
        .map(|(k, _)| k.clone())
        .collect();
    for r in refreshes {
        super::oauth::revoke_family(&mut st, &r);
        n += 1;
    }
    for (k, t) in st.access.iter_mut() {
        if access.as_ref().map(|x| x == k).unwrap_or(refresh.is_none())
            && account.as_ref().map(|a| *a == t.account).unwrap_or(true)
            && t.revoked.is_none()
        {
            t.revoked = Some("revoked".into());
        }
    }
    Json(json!({"revoked_refresh_tokens": n}))
}

/// `{"accountID", "client_id"?, "level", "burst"?}`
async fn set_bucket(State(sb): Sb, b: Option<Json<Value>>) -> Response {
    let v = body(b);
    let now = sb.clock.now();
    let mut st = sb.state.lock().unwrap();
    let Some(account) = s(&v, "accountID").or_else(|| st.accounts.keys().next().cloned()) else {
        return bad("no account");
    };
    let client = s(&v, "client_id").unwrap_or_else(|| super::state::CHROME_CLIENT.into());
    let Some(level) = v.get("level").and_then(Value::as_f64) else { return bad("level (number) is required") };
    let bucket = st.buckets.entry((account.clone(), client.clone())).or_default();
    bucket.level = level.max(0.0);
    bucket.updated = now;
    if let Some(b) = v.get("burst").and_then(Value::as_u64) {
        bucket.window = now.floor() as i64;
        bucket.burst = b as u32;
    }
    Json(json!({"accountID": account, "client_id": client, "level": bucket.level})).into_response()
}

async fn list_clients(State(sb): Sb) -> Json<Value> {
    Json(json!({"clients": sb.state.lock().unwrap().clients.values().collect::<Vec<_>>()}))
}

/// `{"client_id", "redirect_uri", "client_secret"?, "name"?}`
async fn add_client(State(sb): Sb, b: Option<Json<Value>>) -> Response {
    let v = body(b);
    let (Some(id), Some(uri)) = (s(&v, "client_id"), s(&v, "redirect_uri")) else {
        return bad("client_id and redirect_uri are required");
    };
    let c = Client {
        client_id: id.clone(),
        redirect_uri: uri,
        secret: s(&v, "client_secret"),
        name: s(&v, "name").unwrap_or_else(|| id.clone()),
    };
    sb.state.lock().unwrap().clients.insert(id, c.clone());
    Json(json!(c)).into_response()
}

async fn get_settings(State(sb): Sb) -> Json<Value> {
    Json(json!(sb.state.lock().unwrap().settings))
}

/// Any subset of the settings (see LIGHTSPEED.md).
async fn set_settings(State(sb): Sb, b: Option<Json<Value>>) -> Response {
    let v = body(b);
    let mut st = sb.state.lock().unwrap();
    let set = &mut st.settings;
    if let Some(x) = v.get("auto_approve").and_then(Value::as_bool) {
        set.auto_approve = x;
    }
    if let Some(x) = v.get("expires_in").and_then(Value::as_u64) {
        set.expires_in = x;
    }
    if let Some(x) = v.get("merge_rule") {
        match serde_json::from_value::<MergeRule>(x.clone()) {
            Ok(r) => set.merge_rule = r,
            Err(_) => return bad("merge_rule: vendor_numbers | nothing"),
        }
    }
    if let Some(x) = v.get("nested_order_lines") {
        match serde_json::from_value::<NestedLines>(x.clone()) {
            Ok(r) => set.nested_order_lines = r,
            Err(_) => return bad("nested_order_lines: first_only | reject | accept"),
        }
    }
    if let Some(x) = v.get("reject_duplicate_upc_on_post").and_then(Value::as_bool) {
        set.reject_duplicate_upc_on_post = x;
    }
    if let Some(x) = v.get("keep_params_in_page_links").and_then(Value::as_bool) {
        set.keep_params_in_page_links = x;
    }
    if let Some(x) = v.get("locked_po_writes") {
        match serde_json::from_value::<super::receiving::LockedWrites>(x.clone()) {
            Ok(r) => set.locked_po_writes = r,
            Err(_) => return bad("locked_po_writes: reject | accept"),
        }
    }
    if let Some(x) = v.get("default_registers").and_then(Value::as_u64) {
        set.default_registers = x.max(1) as u32;
    }
    Json(json!(st.settings)).into_response()
}

/// `{"accountID"?, "registers"}`: registers in the subscription (bucket size and drip follow).
async fn set_registers(State(sb): Sb, b: Option<Json<Value>>) -> Response {
    let v = body(b);
    let mut st = sb.state.lock().unwrap();
    let Some(n) = v.get("registers").and_then(Value::as_u64) else { return bad("registers (number) is required") };
    let account = s(&v, "accountID").or_else(|| st.accounts.keys().next().cloned()).unwrap_or_default();
    let Some(a) = st.accounts.get_mut(&account) else { return bad(format!("no account {account}")) };
    a.registers = n.max(1) as u32;
    Json(json!({"accountID": account, "registers": a.registers, "limits": super::ratelimit::limits(a.registers)}))
        .into_response()
}

async fn get_clock(State(sb): Sb) -> Json<Value> {
    let now = sb.clock.now();
    Json(json!({"now": now, "iso": super::clock::iso(now), "speed": sb.clock.speed()}))
}

/// `{"seconds": 61}`
async fn advance_clock(State(sb): Sb, b: Option<Json<Value>>) -> Response {
    let v = body(b);
    let Some(secs) = v.get("seconds").and_then(Value::as_f64) else { return bad("seconds (number) is required") };
    sb.clock.advance(secs);
    get_clock(State(sb)).await.into_response()
}

/// `{"speed": 60}`
async fn set_speed(State(sb): Sb, b: Option<Json<Value>>) -> Response {
    let v = body(b);
    let Some(x) = v.get("speed").and_then(Value::as_f64) else { return bad("speed (number) is required") };
    sb.clock.set_speed(x);
    get_clock(State(sb)).await.into_response()
}

/// `{"accountID"?, "from": A, "into": B, "rule"?: "vendor_numbers"|"nothing"}`
async fn merge(State(sb): Sb, b: Option<Json<Value>>) -> Response {
    let v = body(b);
    let now = sb.clock.now();
    let mut st = sb.state.lock().unwrap();
    let rule = match v.get("rule") {
        Some(r) => match serde_json::from_value::<MergeRule>(r.clone()) {
            Ok(r) => r,
            Err(_) => return bad("rule: vendor_numbers | nothing"),
        },
        None => st.settings.merge_rule,
    };
    let account = s(&v, "accountID").or_else(|| st.accounts.keys().next().cloned()).unwrap_or_default();
    let (Some(from), Some(into)) =
        (s(&v, "from").and_then(|x| x.parse().ok()), s(&v, "into").and_then(|x| x.parse().ok()))
    else {
        return bad("from and into (item ids) are required");
    };
    let Some(a) = st.accounts.get_mut(&account) else { return bad(format!("no account {account}")) };
    match a.merge(from, into, rule, now) {
        Ok(v) => Json(v).into_response(),
        Err(e) => {
            (StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST), Json(json!({"error": e.message})))
                .into_response()
        }
    }
}

/// `{"accountID"?, "orderID", "lines"?: [{"orderLineID" | "itemID", "numReceived"?, "checkedIn"?}],
/// "receivedDate"?: date | true | null, "complete"?: bool}`: the back office's check-in.
async fn receive(State(sb): Sb, b: Option<Json<Value>>) -> Response {
    let v = body(b);
    let now = sb.clock.now();
    let mut st = sb.state.lock().unwrap();
    let account = s(&v, "accountID").or_else(|| st.accounts.keys().next().cloned()).unwrap_or_default();
    let Some(a) = st.accounts.get_mut(&account) else { return bad(format!("no account {account}")) };
    match super::receiving::receive(a, &v, now) {
        Ok(v) => Json(v).into_response(),
        Err(e) => bad(e),
    }
}

async fn stats(State(sb): Sb) -> Json<Value> {
    let now = sb.clock.now();
    let mut st = sb.state.lock().unwrap();
    let mut buckets = vec![];
    let regs: std::collections::HashMap<String, u32> =
        st.accounts.iter().map(|(k, a)| (k.clone(), a.registers)).collect();
    for ((acct, client), b) in st.buckets.iter_mut() {
        let l = super::ratelimit::limits(*regs.get(acct).unwrap_or(&1));
        b.drain(now, &l);
        buckets.push(json!({"accountID": acct, "client_id": client, "level": b.level, "size": l.size, "drip": l.drip}));
    }
    Json(json!({"accounts": st.stats, "buckets": buckets}))
}

async fn reset_stats(State(sb): Sb) -> StatusCode {
    sb.state.lock().unwrap().stats.clear();
    StatusCode::NO_CONTENT
}

async fn account(State(sb): Sb, Path(id): Path<String>) -> Response {
    let st = sb.state.lock().unwrap();
    match st.accounts.get(&id) {
        Some(a) => Json(json!(a)).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({"error": format!("no account {id}")}))).into_response(),
    }
}
