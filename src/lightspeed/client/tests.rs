//! The send loop against a scripted transport and a fake clock (no network).

use super::*;
use crate::core::clock::FakeClock;
use crate::lightspeed::endpoints::*;
use crate::lightspeed::http::{HttpRequest, HttpResponse, Method, Transport, TransportError};
use crate::lightspeed::models::{ErrorBody, Shop, VendorWrite};
use crate::lightspeed::oauth::TokenSet;
use futures::executor::block_on;
use std::cell::RefCell;
use std::collections::VecDeque;

/// Answers from a script, in order; any request beyond the script fails the test.
#[derive(Default)]
struct Script {
    answers: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
    sent: RefCell<Vec<HttpRequest>>,
}

impl Script {
    fn new(answers: Vec<Result<HttpResponse, TransportError>>) -> Self {
        Script { answers: RefCell::new(answers.into()), sent: RefCell::new(Vec::new()) }
    }
    fn sent(&self) -> Vec<HttpRequest> {
        self.sent.borrow().clone()
    }
    fn done(&self) {
        assert!(self.answers.borrow().is_empty(), "unused answers: {:?}", self.answers.borrow());
    }
}

impl Transport for Script {
    async fn send(&self, req: HttpRequest, _timeout_ms: u64) -> Result<HttpResponse, TransportError> {
        let answer = self.answers.borrow_mut().pop_front();
        let answer = answer.unwrap_or_else(|| panic!("unscripted request: {req:?}"));
        self.sent.borrow_mut().push(req);
        answer
    }
}

fn ok(body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse::new(200, body).with_header("X-LS-API-Bucket-Level", "1/90").with_header("X-LS-API-Drip-Rate", "1"))
}

fn status(s: u16, body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse::new(s, body))
}

const SHOPS: &str = r#"{"@attributes":{"next":"","previous":""},"Shop":{"shopID":"1","name":"Main"}}"#;
const VENDOR: &str = r#"{"@attributes":{"count":"1"},"Vendor":{"vendorID":"9","name":"Harbor"}}"#;
const REST_400: &str = r#"{"httpCode":"400","httpMessage":"Bad Request","message":"Item not created. An Item must have a description.","errorClass":"Exception"}"#;
const OAUTH_401: &str = r#"{"error":"access_denied","error_description":"The resource owner or authorization server denied the request.","hint":"Access token could not be verified"}"#;

fn client<'a>(t: &'a Script, c: &'a FakeClock) -> LightspeedClient<&'a Script, &'a FakeClock, StaticToken> {
    LightspeedClient::new(t, c, StaticToken("tok".into()), ClientConfig::new("https://api.lightspeedapp.com", "83050"))
}

#[test]
fn retry_decision_table() {
    use Decision::*;
    use Method::*;
    let a = |number, refreshed| Attempt { number, refreshed };
    let st = |status, retry_after_ms| Outcome::Status { status, retry_after_ms };
    let rows: Vec<(Method, Outcome, Attempt, Decision, &str)> = vec![
        (Get, st(200, None), a(1, false), Return, "success"),
        (Post, st(201, None), a(1, false), Return, "created"),
        (Get, st(404, None), a(1, false), Return, "definite client error"),
        (Post, st(422, None), a(1, false), Return, "validation error on a write"),
        (Get, st(401, None), a(1, false), RefreshAndRetry, "401: refresh once"),
        (Post, st(401, None), a(1, false), RefreshAndRetry, "401 on a write: not applied, refresh once"),
        (Get, st(401, None), a(2, true), Return, "401 after a refresh: give the error back"),
        (Post, st(429, Some(3000)), a(1, false), Retry { after_ms: 3000 }, "429: honour Retry-After, even for a write"),
        (Get, st(429, None), a(2, false), Retry { after_ms: 2000 }, "429 without Retry-After: linear wait"),
        (Get, st(429, Some(1000)), a(MAX_RATE_LIMITED_ATTEMPTS, false), GiveUp, "429 storm: give up"),
        (Get, st(503, None), a(1, false), Retry { after_ms: 500 }, "5xx on GET: backoff"),
        (Get, st(500, None), a(3, false), Retry { after_ms: 2000 }, "5xx on GET: backoff doubles"),
        (Get, st(500, None), a(MAX_READ_ATTEMPTS, false), GiveUp, "5xx on GET: bounded"),
        (Post, st(500, None), a(1, false), OutcomeUnknown, "5xx on POST: maybe applied"),
        (Put, st(502, None), a(1, false), OutcomeUnknown, "5xx on PUT: maybe applied"),
        (Get, Outcome::Timeout, a(1, false), Retry { after_ms: 500 }, "GET timeout: retry"),
        (Get, Outcome::Connection, a(2, false), Retry { after_ms: 1000 }, "GET dropped: retry"),
        (Get, Outcome::Connection, a(MAX_READ_ATTEMPTS, false), GiveUp, "GET dropped: bounded"),
        (Post, Outcome::Timeout, a(1, false), OutcomeUnknown, "POST timeout"),
        (Post, Outcome::Connection, a(1, false), OutcomeUnknown, "POST dropped (commit then drop)"),
        (Delete, Outcome::Connection, a(1, false), OutcomeUnknown, "DELETE dropped"),
        (Get, Outcome::OtherTransport, a(1, false), GiveUp, "GET other transport failure"),
        (Post, Outcome::OtherTransport, a(1, false), OutcomeUnknown, "POST other transport failure"),
    ];
    for (m, o, at, want, why) in rows {
        assert_eq!(retry_decision(m, o, at), want, "{why}");
    }
    assert_eq!(backoff_ms(1), 500);
    assert_eq!(backoff_ms(10), 8000);
}

#[test]
fn list_sends_auth_and_decodes_one_object_lists() {
    let t = Script::new(vec![ok(SHOPS)]);
    let c = FakeClock::at(0);
    let shops: Vec<Shop> = block_on(client(&t, &c).list_all(&ListShops::default())).unwrap();
    assert_eq!(shops.len(), 1);
    let sent = t.sent();
    assert_eq!(sent[0].header("authorization"), Some("Bearer tok"));
    assert_eq!(sent[0].path_and_query(), "/API/V3/Account/83050/Shop.json");
    t.done();
}

#[test]
fn rate_limited_request_waits_retry_after_then_succeeds() {
    let t = Script::new(vec![
        Ok(HttpResponse::new(
            429,
            r#"{"httpCode":"429","httpMessage":"Too Many Requests","message":"Rate limit exceeded"}"#,
        )
        .with_header("Retry-After", "3")
        .with_header("X-LS-API-Bucket-Level", "90.5/90")),
        ok(VENDOR),
    ]);
    let c = FakeClock::at(0);
    let cl = client(&t, &c);
    let v = block_on(cl.one(&CreateVendor(VendorWrite { name: Some("Harbor".into()), ..Default::default() }))).unwrap();
    assert_eq!(v.name, "Harbor");
    assert_eq!(t.sent().len(), 2);
    // Retry-After (3 s) was slept; the bucket model then also waited for room.
    assert!(c.sleeps().contains(&3000), "{:?}", c.sleeps());
    let st = cl.stats();
    assert_eq!((st.requests, st.rate_limited, st.retries), (2, 1, 1));
}

#[test]
fn get_5xx_is_retried_with_backoff() {
    let t = Script::new(vec![status(503, REST_400), Err(TransportError::Connection("reset".into())), ok(SHOPS)]);
    let c = FakeClock::at(0);
    let shops = block_on(client(&t, &c).fetch(&ListShops::default())).unwrap();
    assert_eq!(shops.records.len(), 1);
    assert_eq!(c.sleeps(), vec![500, 1000]);
    t.done();
}

#[test]
fn get_5xx_gives_up_after_bounded_attempts() {
    let t = Script::new((0..MAX_READ_ATTEMPTS).map(|_| status(500, REST_400)).collect());
    let c = FakeClock::at(0);
    let e = block_on(client(&t, &c).fetch(&ListShops::default())).unwrap_err();
    assert_eq!(e.status(), Some(500));
    assert!(
        e.user_message().contains("try again in a few minutes")
            || e.user_message().contains("Try again in a few minutes"),
        "{}",
        e.user_message()
    );
    t.done();
}

#[test]
fn writes_with_unknown_outcome_are_never_resent() {
    for answer in
        [status(500, ""), Err(TransportError::Timeout(25_000)), Err(TransportError::Connection("closed".into()))]
    {
        let t = Script::new(vec![answer]);
        let c = FakeClock::at(0);
        let e = block_on(client(&t, &c).one(&CreateVendor(VendorWrite::default()))).unwrap_err();
        assert!(matches!(e, ClientError::OutcomeUnknown { method: Method::Post, .. }), "{e:?}");
        assert!(e.user_message().contains("nothing is created twice"));
        assert_eq!(t.sent().len(), 1);
        t.done();
    }
}

#[test]
fn both_error_shapes_are_mapped() {
    let t = Script::new(vec![status(400, REST_400)]);
    let c = FakeClock::at(0);
    let e = block_on(client(&t, &c).one(&CreateVendor(VendorWrite::default()))).unwrap_err();
    match &e {
        ClientError::Api { status: 400, error: Some(b), body, path, .. } => {
            let ErrorBody::Rest(r) = &**b else { panic!("{b:?}") };
            assert_eq!(r.message, "Item not created. An Item must have a description.");
            assert_eq!(body, REST_400);
            assert_eq!(path, "/API/V3/Account/83050/Vendor.json");
        }
        other => panic!("{other:?}"),
    }
    assert!(e.user_message().contains("An Item must have a description"), "{}", e.user_message());
    assert!(!e.user_message().contains("Api {"));

    // 401 in the OAuth shape, then a refused refresh (static token) → NeedsRelink.
    let t = Script::new(vec![status(401, OAUTH_401)]);
    let e = block_on(client(&t, &c).fetch(&ListShops::default())).unwrap_err();
    assert!(e.needs_relink(), "{e:?}");

    // 403 with the OAuth shape, 404 with a non-JSON body.
    let t = Script::new(vec![
        status(403, r#"{"error":"insufficient_scope","hint":"needs employee:purchase_orders"}"#),
        status(404, "<html>nope</html>"),
    ]);
    let e = block_on(client(&t, &c).fetch(&ListShops::default())).unwrap_err();
    assert!(
        matches!(&e, ClientError::Api { status: 403, .. } if matches!(e.error_body(), Some(ErrorBody::OAuth(o)) if o.error == "insufficient_scope")),
        "{e:?}"
    );
    assert!(e.user_message().contains("not allowed"));
    let e = block_on(client(&t, &c).fetch(&ListShops::default())).unwrap_err();
    assert!(matches!(&e, ClientError::Api { status: 404, error: None, .. }), "{e:?}");
    assert!(e.is_not_found());
    t.done();
}

#[test]
fn undecodable_success_keeps_the_json_path() {
    let t = Script::new(vec![ok(r#"{"@attributes":{"count":"1"},"Shop":{"shopID":"one","name":"Main"}}"#)]);
    let c = FakeClock::at(0);
    let e = block_on(client(&t, &c).fetch(&ListShops::default())).unwrap_err();
    match &e {
        ClientError::Decode { json_path, status: 200, .. } => assert!(json_path.contains("shopID"), "{json_path}"),
        other => panic!("{other:?}"),
    }
    assert!(e.user_message().contains("could not read"));
}

/// A create whose success answer holds no readable record was still taken by Lightspeed: its
/// outcome is unknown (the runner looks the record up before creating it again), never "nothing
/// was changed".
#[test]
fn an_unreadable_answer_to_a_create_is_an_unknown_outcome() {
    let t = Script::new(vec![ok(r#"{"Vendor":{"vendorID":"seven","name":"Harbor"}}"#), ok("{}")]);
    let c = FakeClock::at(0);
    let create = CreateVendor(VendorWrite { name: Some("Harbor".into()), ..Default::default() });
    for _ in 0..2 {
        let e = block_on(client(&t, &c).one(&create)).unwrap_err();
        assert!(matches!(&e, ClientError::OutcomeUnknown { method: Method::Post, .. }), "{e:?}");
        assert!(!e.user_message().contains("Nothing was changed"), "{}", e.user_message());
    }
}

/// An update or a delete whose answer is not needed: a 2xx is success whatever its body (an empty
/// one, `{}`, a count of 0 — the reference shows none, and a permanently deleted `OrderLine` has no
/// record left); an error status is still an error. The runners' deletes, line updates and the
/// Ordered mark go through [`LightspeedClient::apply`].
#[test]
fn a_write_whose_answer_is_not_needed_takes_any_2xx_body() {
    let line = || crate::lightspeed::endpoints::converge::DeleteOrderLine(crate::core::ids::OrderLineId(7));
    let ordered = || UpdateOrder::mark_ordered(crate::core::ids::OrderId(5), "2026-09-01");
    let bodies = ["", "{}", r#"{"@attributes":{"count":"0"}}"#, "<html>OK</html>"];
    let t = Script::new(bodies.iter().map(|b| ok(b)).chain([ok("")]).collect());
    let c = FakeClock::at(0);
    let cl = client(&t, &c);
    for b in &bodies[..2] {
        assert_eq!(block_on(cl.apply(&line())), Ok(()), "DELETE answered {b:?}");
    }
    for b in &bodies[2..] {
        assert_eq!(block_on(cl.apply(&ordered())), Ok(()), "PUT answered {b:?}");
    }
    assert!(block_on(cl.one(&line())).is_err(), "reading the answer needs a record");
    let sent = t.sent();
    assert_eq!((sent[0].method, sent[2].method), (Method::Delete, Method::Put));
    t.done();
    let t = Script::new(vec![status(400, REST_400)]);
    let e = block_on(client(&t, &c).apply(&line())).unwrap_err();
    assert!(matches!(e, ClientError::Api { status: 400, .. }), "{e:?}");
    // Sent again by a resumed job: a record already gone is done for `apply_again`, not for `apply`;
    // any other error stays one.
    let t =
        Script::new(vec![status(404, "<html>nope</html>"), status(404, "<html>nope</html>"), status(400, REST_400)]);
    let cl = client(&t, &c);
    assert_eq!(block_on(cl.apply_again(&line())), Ok(()));
    assert!(block_on(cl.apply(&line())).is_err_and(|e| e.is_not_found()));
    assert!(matches!(block_on(cl.apply_again(&ordered())), Err(ClientError::Api { status: 400, .. })));
}

#[test]
fn pacing_waits_for_room_before_sending() {
    let full = Ok(HttpResponse::new(200, SHOPS)
        .with_header("X-LS-API-Bucket-Level", "89.5/90")
        .with_header("X-LS-API-Drip-Rate", "2"));
    let t = Script::new(vec![full, ok(SHOPS)]);
    let c = FakeClock::at(0);
    let cl = client(&t, &c);
    block_on(cl.fetch(&ListShops::default())).unwrap();
    assert!(c.sleeps().is_empty());
    block_on(cl.fetch(&ListShops::default())).unwrap();
    // 89.5 + 1 − 89 = 1.5 drips at 2/s → 750 ms.
    assert_eq!(c.sleeps(), vec![750]);
    assert_eq!(cl.stats().paced_ms, 750);
}

#[test]
fn long_waits_are_handed_back() {
    let t = Script::new(vec![status(429, "").map(|r| r.with_header("Retry-After", "120"))]);
    let c = FakeClock::at(0);
    let e = block_on(client(&t, &c).fetch(&ListShops::default())).unwrap_err();
    assert_eq!(e, ClientError::RateLimited { retry_after_ms: 120_000 });
}

fn page(ids: &[u32], next_after: Option<&str>) -> Result<HttpResponse, TransportError> {
    let rows: Vec<String> = ids.iter().map(|i| format!(r#"{{"shopID":"{i}","name":"S{i}"}}"#)).collect();
    let next = next_after
        .map(|a| format!("https://api.lightspeedapp.com/API/V3/Account/83050/Shop.json?archived=true&after={a}"))
        .unwrap_or_default();
    ok(&format!(r#"{{"@attributes":{{"next":"{next}","previous":""}},"Shop":[{}]}}"#, rows.join(",")))
}

#[test]
fn pagination_follows_cursors_and_keeps_filters() {
    let t = Script::new(vec![page(&[1, 2], Some("WzJd")), page(&[3, 4], Some("WzRd")), page(&[5], None)]);
    let c = FakeClock::at(0);
    let shops = block_on(client(&t, &c).list_all(&ListShops { archived: Archived::Include })).unwrap();
    assert_eq!(shops.iter().map(|s| s.shop_id.0).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
    let paths: Vec<String> = t.sent().iter().map(|r| r.path_and_query().to_string()).collect();
    assert_eq!(
        paths,
        vec![
            "/API/V3/Account/83050/Shop.json?archived=true",
            "/API/V3/Account/83050/Shop.json?archived=true&after=WzJd",
            "/API/V3/Account/83050/Shop.json?archived=true&after=WzRd",
        ]
    );
}

#[test]
fn pagination_loop_guards() {
    // A cursor that stops moving ends the walk.
    let t = Script::new(vec![page(&[1], Some("WzFd")), page(&[2], Some("WzFd"))]);
    let c = FakeClock::at(0);
    let shops = block_on(client(&t, &c).list_all(&ListShops::default())).unwrap();
    assert_eq!(shops.len(), 2);
    t.done();
    // More than max_pages is an error, not a silent truncation.
    let t = Script::new(vec![page(&[1], Some("A")), page(&[2], Some("B")), page(&[3], Some("C"))]);
    let mut cfg = ClientConfig::new("https://api.lightspeedapp.com", "83050");
    cfg.max_pages = 2;
    let cl = LightspeedClient::new(&t, &c, StaticToken("tok".into()), cfg);
    let e = block_on(cl.list_all(&ListShops::default())).unwrap_err();
    assert!(matches!(e, ClientError::Pagination { .. }), "{e:?}");
}

// ---- TokenManager ------------------------------------------------------------------------------

fn tokens(at: &str, rt: &str, expires_at_ms: u64) -> TokenSet {
    TokenSet { access_token: at.into(), refresh_token: rt.into(), expires_at_ms, issued_at_ms: 0 }
}

fn token_ok(at: &str, rt: &str) -> Result<HttpResponse, TransportError> {
    ok(&format!(r#"{{"token_type":"Bearer","expires_in":3600,"access_token":"{at}","refresh_token":"{rt}"}}"#))
}

#[test]
fn manager_refreshes_ahead_of_expiry_and_saves_first() {
    let t = Script::new(vec![token_ok("A2", "R2")]);
    let c = FakeClock::at(1_000_000);
    let store = MemoryTokenStore::new(Some(tokens("A1", "R1", 1_000_000 + 4 * 60 * 1000)));
    let m = TokenManager::new(&t, &c, &store, "https://cloud.lightspeedapp.com", "cid");
    assert_eq!(block_on(m.access_token()).unwrap(), "A2");
    let issued = TokenSet { issued_at_ms: 1_000_000, ..tokens("A2", "R2", 1_000_000 + 3_600_000) };
    assert_eq!(store.get().unwrap(), issued);
    assert_eq!(store.saves(), 1);
    let sent = t.sent();
    assert!(sent[0].body.as_deref().unwrap().contains("refresh_token=R1"));
    assert!(!sent[0].body.as_deref().unwrap().contains("scope"));
    // Fresh now: no more refreshes.
    assert_eq!(block_on(m.access_token()).unwrap(), "A2");
    assert_eq!(m.refresh_count(), 1);
}

#[test]
fn a_short_lived_token_is_used_for_half_its_life_not_refreshed_before_every_request() {
    // Lightspeed's lifetime "may change" (reference §2.4): a token that lives 2 minutes, under the
    // 5-minute margin, would otherwise be refreshed before every request, and refreshes are limited.
    let short = |at: &str, rt: &str, now: u64| TokenSet { issued_at_ms: now, ..tokens(at, rt, now + 120_000) };
    let t = Script::new(vec![token_ok("A2", "R2")]);
    let c = FakeClock::at(1_000_000);
    let store = MemoryTokenStore::new(Some(short("A1", "R1", 1_000_000)));
    let m = TokenManager::new(&t, &c, &store, "https://cloud.lightspeedapp.com", "cid");
    for _ in 0..5 {
        assert_eq!(block_on(m.access_token()).unwrap(), "A1");
        c.advance(11_000);
    }
    assert_eq!(m.refresh_count(), 0, "55 s into a 120 s life");
    c.advance(6_000);
    assert_eq!(block_on(m.access_token()).unwrap(), "A2", "past half its life");
    assert_eq!(m.refresh_count(), 1);
    // A pair stored before its issue time was kept keeps the full margin.
    let old = MemoryTokenStore::new(Some(tokens("A1", "R1", 1_000_000 + 61_000 + 120_000)));
    let t = Script::new(vec![token_ok("A3", "R3")]);
    let m = TokenManager::new(&t, &c, &old, "https://cloud.lightspeedapp.com", "cid");
    assert_eq!(block_on(m.access_token()).unwrap(), "A3");
}

#[test]
fn manager_refresh_after_401_is_single_flight() {
    let t = Script::new(vec![token_ok("A2", "R2")]);
    let c = FakeClock::at(0);
    let store = MemoryTokenStore::new(Some(tokens("A1", "R1", u64::MAX)));
    let m = TokenManager::new(&t, &c, &store, "https://cloud.lightspeedapp.com", "cid");
    assert_eq!(block_on(m.refresh_after_401("A1")).unwrap(), "A2");
    // A second caller that also saw A1 refused gets A2 without another refresh.
    assert_eq!(block_on(m.refresh_after_401("A1")).unwrap(), "A2");
    assert_eq!(m.refresh_count(), 1);
    t.done();
}

#[test]
fn manager_invalid_grant_needs_relink() {
    let t = Script::new(vec![status(
        400,
        r#"{"error":"invalid_grant","error_description":"The refresh token is invalid."}"#,
    )]);
    let c = FakeClock::at(0);
    let store = MemoryTokenStore::new(Some(tokens("A1", "R1", 0)));
    let m = TokenManager::new(&t, &c, &store, "https://cloud.lightspeedapp.com", "cid");
    let e = block_on(m.access_token()).unwrap_err();
    assert!(e.needs_relink(), "{e:?}");
    assert_eq!(store.saves(), 0);
    // Nothing linked at all.
    let empty = MemoryTokenStore::new(None);
    let m = TokenManager::new(&t, &c, &empty, "x", "cid");
    assert!(block_on(m.access_token()).unwrap_err().needs_relink());
}

/// A rate limit on the token endpoint that outlasts the refresh's own waits is handed back as a
/// rate limit (a job pauses and resumes after it), never as a failure of the sign-in.
#[test]
fn a_refresh_rate_limited_for_long_is_a_rate_limit_for_the_caller() {
    let limited = |secs: &str| Ok(HttpResponse::new(429, "").with_header("Retry-After", secs));
    let c = FakeClock::at(0);
    for (answers, wait) in [(vec![limited("120")], 120_000), (vec![limited("5"), limited("5"), limited("7")], 7_000)] {
        let n = answers.len();
        let t = Script::new(answers);
        let store = MemoryTokenStore::new(Some(tokens("A1", "R1", 0)));
        let m = TokenManager::new(&t, &c, &store, "https://cloud.lightspeedapp.com", "cid");
        let e = block_on(m.access_token()).unwrap_err();
        assert_eq!(e, ClientError::RateLimited { retry_after_ms: wait });
        assert_eq!((t.sent().len(), store.saves()), (n, 0));
        assert_eq!(store.get().unwrap().refresh_token, "R1", "the stored pair is kept");
    }
}

#[test]
fn manager_repeats_a_refresh_whose_answer_was_lost() {
    let t = Script::new(vec![Err(TransportError::Connection("dropped".into())), token_ok("A2", "R2")]);
    let c = FakeClock::at(0);
    let store = MemoryTokenStore::new(Some(tokens("A1", "R1", 0)));
    let m = TokenManager::new(&t, &c, &store, "https://cloud.lightspeedapp.com", "cid");
    assert_eq!(block_on(m.access_token()).unwrap(), "A2");
    let sent = t.sent();
    assert_eq!(sent[0].body, sent[1].body, "same refresh token both times");
}

/// A 401 again with the token fresh from the refresh: the link is dead (the job pauses for
/// *Link again*, the advice the message gives), not a network error offering *Try again*.
#[test]
fn a_401_after_the_refresh_needs_relinking() {
    let api = Script::new(vec![status(401, OAUTH_401), status(401, OAUTH_401)]);
    let oauth_t = Script::new(vec![token_ok("A2", "R2")]);
    let c = FakeClock::at(0);
    let store = MemoryTokenStore::new(Some(tokens("A1", "R1", u64::MAX)));
    let m = TokenManager::new(&oauth_t, &c, &store, "https://cloud.lightspeedapp.com", "cid");
    let cl = LightspeedClient::new(&api, &c, &m, ClientConfig::new("https://api.lightspeedapp.com", "83050"));
    let e = block_on(cl.fetch(&ListShops::default())).unwrap_err();
    assert_eq!(api.sent()[1].header("authorization"), Some("Bearer A2"), "resent once, refreshed");
    assert!(e.needs_relink(), "{e:?}");
    assert!(e.user_message().contains("Link again"), "{}", e.user_message());
}

#[test]
fn client_refreshes_once_on_401_then_resends() {
    let api = Script::new(vec![status(401, OAUTH_401), ok(SHOPS)]);
    let oauth_t = Script::new(vec![token_ok("A2", "R2")]);
    let c = FakeClock::at(0);
    let store = MemoryTokenStore::new(Some(tokens("A1", "R1", u64::MAX)));
    let m = TokenManager::new(&oauth_t, &c, &store, "https://cloud.lightspeedapp.com", "cid");
    let cl = LightspeedClient::new(&api, &c, &m, ClientConfig::new("https://api.lightspeedapp.com", "83050"));
    block_on(cl.fetch(&ListShops::default())).unwrap();
    let sent = api.sent();
    assert_eq!(sent[0].header("authorization"), Some("Bearer A1"));
    assert_eq!(sent[1].header("authorization"), Some("Bearer A2"));
    assert_eq!(cl.stats().refreshes_after_401, 1);
}
