//! Shared helpers for the Lightspeed conformance tests: an in-process sandbox on an ephemeral port and a
//! small blocking client.
#![allow(dead_code)]

use po_bridge_sandbox::Sandbox;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

pub const ACCT: &str = "83050";

pub struct Ls {
    pub base: String,
    pub agent: ureq::Agent,
    pub sandbox: Sandbox,
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn h(&self, k: &str) -> &str {
        self.headers.get(&k.to_ascii_lowercase()).map(String::as_str).unwrap_or("")
    }
}

/// A fresh connection per request: a pooled keep-alive connection the server has just closed
/// would fail the next call with "Peer disconnected" (seen under load), and loopback connects
/// cost nothing.
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .max_idle_connections(0)
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

pub fn start() -> Ls {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async move {
            let sandbox = Sandbox::new();
            let addr = po_bridge_sandbox::spawn_for_tests(sandbox.clone()).await;
            tx.send((addr, sandbox)).unwrap();
            std::future::pending::<()>().await;
        });
    });
    let (addr, sandbox) = rx.recv().unwrap();
    Ls { base: format!("http://{addr}"), agent: agent(Duration::from_secs(10)), sandbox }
}

impl Ls {
    pub fn url(&self, path: &str) -> String {
        // Characters a browser would percent-encode in a query (`load_relations=["A"]`).
        let path = path.replace('"', "%22").replace('[', "%5B").replace(']', "%5D").replace(' ', "%20");
        let path = path.as_str();
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{}", self.base, path)
        }
    }

    /// Any request; `Err` when the connection fails (dropped, timed out).
    pub fn try_req(
        &self,
        agent: &ureq::Agent,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, Vec<u8>)>,
    ) -> Result<Resp, ureq::Error> {
        let url = self.url(path);
        let mut resp = match (method, body) {
            ("GET", _) => {
                let mut r = agent.get(&url);
                for (k, v) in headers {
                    r = r.header(*k, *v);
                }
                r.call()?
            }
            ("DELETE", _) => {
                let mut r = agent.delete(&url);
                for (k, v) in headers {
                    r = r.header(*k, *v);
                }
                r.call()?
            }
            (m, b) => {
                let mut r = if m == "PUT" { agent.put(&url) } else { agent.post(&url) };
                for (k, v) in headers {
                    r = r.header(*k, *v);
                }
                match b {
                    Some((ct, bytes)) => r.content_type(ct).send(&bytes[..])?,
                    None => r.send_empty()?,
                }
            }
        };
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_ascii_lowercase(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = resp.body_mut().read_to_string().unwrap_or_default();
        Ok(Resp { status, headers, body })
    }

    pub fn req(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<(&str, Vec<u8>)>) -> Resp {
        self.try_req(&self.agent, method, path, headers, body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub fn control(&self, method: &str, path: &str, body: Value) -> Value {
        let r = self.req(
            method,
            &format!("/__sandbox/lightspeed{path}"),
            &[],
            Some(("application/json", body.to_string().into_bytes())),
        );
        assert!(r.status < 300, "control {path}: {} {}", r.status, r.body);
        if r.body.is_empty() {
            Value::Null
        } else {
            r.json()
        }
    }

    pub fn control_get(&self, path: &str) -> Value {
        let r = self.req("GET", &format!("/__sandbox/lightspeed{path}"), &[], None);
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    }

    /// A token minted through the control API (default account, Chrome client, `employee:all`).
    pub fn token(&self) -> String {
        self.token_with(json!({}))
    }

    pub fn token_with(&self, opts: Value) -> String {
        self.control("POST", "/tokens", opts)["access_token"].as_str().unwrap().to_string()
    }

    /// A request to `/API/V3/Account/83050/{rel}`.
    pub fn api(&self, token: &str, method: &str, rel: &str, body: Option<Value>) -> Resp {
        let path = if rel.starts_with('/') || rel.starts_with("http") {
            rel.to_string()
        } else {
            format!("/API/V3/Account/{ACCT}/{rel}")
        };
        let auth = format!("Bearer {token}");
        self.req(
            method,
            &path,
            &[("Authorization", auth.as_str())],
            body.map(|b| ("application/json", b.to_string().into_bytes())),
        )
    }

    pub fn get(&self, token: &str, rel: &str) -> Resp {
        self.api(token, "GET", rel, None)
    }

    /// Freeze sandbox time (almost): tests that count requests per second must not straddle a second.
    pub fn freeze(&self) {
        self.control("POST", "/clock/speed", json!({"speed": 0.000001}));
    }

    /// Many registers: a bucket and burst limit big enough that a test about something else never
    /// meets the rate limiter.
    pub fn relax_limits(&self) {
        self.control("POST", "/registers", json!({"registers": 100}));
    }

    pub fn dump(&self) -> Value {
        self.control_get("/state")
    }

    pub fn table(&self, res: &str) -> Vec<Value> {
        self.dump()["accounts"][ACCT]["tables"][res].as_array().cloned().unwrap_or_default()
    }
}

/// Every scalar in a JSON document is a string (no numbers, booleans or nulls).
pub fn all_strings(v: &Value) -> Result<(), String> {
    fn walk(v: &Value, path: &str) -> Result<(), String> {
        match v {
            Value::Object(m) => m.iter().try_for_each(|(k, v)| walk(v, &format!("{path}.{k}"))),
            Value::Array(a) => a.iter().enumerate().try_for_each(|(i, v)| walk(v, &format!("{path}[{i}]"))),
            Value::String(_) => Ok(()),
            other => Err(format!("{path} is {other}, not a string")),
        }
    }
    walk(v, "$")
}

/// A list as the API sends it (absent / object / array) → its elements.
pub fn elements(v: &Value) -> Vec<Value> {
    match v {
        Value::Null => vec![],
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    }
}
