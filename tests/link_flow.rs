//! The popup's "Link account" flow for Lightspeed (`po_bridge::link`), natively against the
//! sandbox: a successful link yields the account's id and name with tokens; a cancelled consent, a
//! denied consent, a forged state, an expired code, a network failure and a busy Lightspeed at the
//! account read each end with a clear message — and the function returns nothing to store, so
//! nothing is half-linked.

mod client_support;
use client_support::*;
use po_bridge::app::errors::{advice, AppError, Surface};
use po_bridge::lightspeed::http::{HttpRequest, Method, Transport};
use po_bridge::lightspeed::native::{block_on, NativeTransport};
use po_bridge::link::{link_lightspeed, AuthFlow, AuthFlowError, LightspeedConfig, LinkError};
use po_bridge::protocol::{ErrorCode, ProtocolError};
use serde_json::json;

/// What the browser's identity flow would do, scripted.
enum Behaviour {
    /// Load the authorize URL and follow the sandbox's redirect (auto-approve mode).
    Approve,
    /// As Approve, but let the code expire (sandbox clock + 61 s) before handing it back.
    ApproveLate,
    /// The user closed the window.
    Cancel,
    /// Hand back a redirect with another state.
    ForgeState,
}

struct Flow<'a> {
    env: &'a Env,
    behaviour: Behaviour,
}

impl AuthFlow for Flow<'_> {
    fn redirect_url(&self) -> String {
        CHROME_REDIRECT.to_string()
    }
    async fn launch(&self, url: &str, _interactive: bool) -> Result<String, AuthFlowError> {
        match self.behaviour {
            Behaviour::Cancel => Err(AuthFlowError::Cancelled),
            Behaviour::ForgeState => Ok(format!("{CHROME_REDIRECT}?code=forged&state=someone-else")),
            Behaviour::Approve | Behaviour::ApproveLate => {
                let r = self.env.transport.send(HttpRequest::new(Method::Get, url.to_string()), 10_000).await.unwrap();
                assert_eq!(r.status, 302, "{}", r.body);
                if matches!(self.behaviour, Behaviour::ApproveLate) {
                    let advance =
                        HttpRequest::new(Method::Post, format!("{}/__sandbox/lightspeed/clock/advance", self.env.base))
                            .with_json(json!({"seconds": 61}).to_string());
                    assert!(self.env.transport.send(advance, 10_000).await.unwrap().is_success());
                }
                Ok(r.header("location").unwrap().to_string())
            }
        }
    }
}

fn config(env: &Env) -> LightspeedConfig {
    LightspeedConfig {
        cloud_base: CLOUD.into(),
        api_base: env.base.clone(),
        client_id: CHROME.into(),
        scopes: po_bridge::lightspeed::oauth::DEFAULT_SCOPES.into(),
    }
}

fn run(env: &Env, behaviour: Behaviour) -> Result<po_bridge::link::Linked, LinkError> {
    let flow = Flow { env, behaviour };
    block_on(link_lightspeed(&config(env), &flow, &env.transport, &[9u8; 48], 1_000, true))
}

#[test]
fn a_link_yields_the_account_and_tokens() {
    let env = start();
    env.post("/settings", json!({"auto_approve": true}));
    let linked = run(&env, Behaviour::Approve).unwrap();
    assert_eq!(linked.account.account_id, ACCT);
    assert!(!linked.account.name.is_empty());
    assert_eq!(linked.account.client_id, CHROME);
    assert_eq!(linked.tokens.account_id().as_deref(), Some(ACCT));
    // The account's currency, from `Account/{id}.json` (the list form does not carry it).
    assert_eq!(linked.account.currency.as_deref(), Some("USD"));
    env.post("/seed", json!({"replace": false, "accounts": [{"accountID": ACCT, "currency": "cad"}]}));
    assert_eq!(run(&env, Behaviour::Approve).unwrap().account.currency.as_deref(), Some("CAD"));
}

#[test]
fn each_failure_ends_with_advice_and_nothing_to_store() {
    let env = start();
    env.post("/settings", json!({"auto_approve": true}));
    let cases: Vec<(Behaviour, ErrorCode, &str)> = vec![
        (Behaviour::Cancel, ErrorCode::Cancelled, "window closed before access was allowed"),
        (Behaviour::ForgeState, ErrorCode::Forbidden, "did not match this sign-in attempt"),
        (Behaviour::ApproveLate, ErrorCode::InvalidInput, "expired"),
    ];
    for (behaviour, code, words) in cases {
        let e = run(&env, behaviour).unwrap_err().popup_advice();
        assert_eq!(e.code, code, "{}", e.message);
        assert!(e.message.contains(words), "{}", e.message);
        assert!(e.message.contains("Nothing was linked") || e.code == ErrorCode::Cancelled, "{}", e.message);
        assert!(!e.message.contains("Err(") && !e.message.contains("{ "), "no debug strings: {}", e.message);
    }
}

#[test]
fn a_network_failure_ends_cleanly() {
    let env = start();
    env.post("/settings", json!({"auto_approve": true}));
    // The consent works, then Lightspeed's token endpoint is unreachable.
    let dead = NativeTransport::new().route_host("cloud.lightspeedapp.com", "http://127.0.0.1:9");
    let flow = Flow { env: &env, behaviour: Behaviour::Approve };
    let e = block_on(link_lightspeed(&config(&env), &flow, &dead, &[3u8; 48], 1_000, true)).unwrap_err();
    assert!(matches!(e, LinkError::Network(_)), "{e:?}");
    let p = e.popup_advice();
    assert_eq!(p.code, ErrorCode::Network);
    assert!(p.retryable);
    assert_eq!(p.message, po_bridge::app::errors::NETWORK_DOWN);
    assert_eq!(p.next, Some(po_bridge::protocol::NextStep::TryAgain));
}

#[test]
fn a_busy_lightspeed_at_the_account_read_says_so_and_links_nothing() {
    let env = start();
    env.post("/settings", json!({"auto_approve": true}));
    // The consent and the token work; the account read meets a server that is busy.
    env.post("/faults", json!({"method": "GET", "path": "/API/V3/Account.json", "kind": "503"}));
    let e = run(&env, Behaviour::Approve).unwrap_err();
    assert!(matches!(e, LinkError::Busy(503)), "{e:?}");
    let p = e.popup_advice();
    assert_eq!((p.code, p.retryable), (ErrorCode::Network, true));
    assert_eq!(p.message, po_bridge::app::errors::LIGHTSPEED_BUSY);
    assert_eq!(p.next, Some(po_bridge::protocol::NextStep::TryAgain));
    // A moment later (the fault spent) the same link works.
    assert_eq!(run(&env, Behaviour::Approve).unwrap().account.account_id, ACCT);
}

#[test]
fn a_denied_consent_is_a_cancellation() {
    let env = start();
    // The sandbox's Deny redirects with error=access_denied and the state we sent.
    struct Deny;
    impl AuthFlow for Deny {
        fn redirect_url(&self) -> String {
            CHROME_REDIRECT.to_string()
        }
        async fn launch(&self, url: &str, _: bool) -> Result<String, AuthFlowError> {
            let state = url::Url::parse(url).unwrap().query_pairs().find(|(k, _)| k == "state").unwrap().1.to_string();
            Ok(format!("{CHROME_REDIRECT}?error=access_denied&state={state}"))
        }
    }
    let e = block_on(link_lightspeed(&config(&env), &Deny, &env.transport, &[5u8; 48], 1_000, true)).unwrap_err();
    assert_eq!(e.popup_advice().code, ErrorCode::Cancelled);
}

/// What the popup shows for a failed link: the one error → advice rule of the application layer.
trait PopupAdvice {
    fn popup_advice(self) -> ProtocolError;
}

impl PopupAdvice for LinkError {
    fn popup_advice(self) -> ProtocolError {
        advice(&AppError::Link(self), Surface::Extension)
    }
}
