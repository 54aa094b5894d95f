//! Shared by the `nuorder_*` tests: start the sandbox in-process and speak minimal HTTP/1.1 to it.
#![allow(dead_code)]

use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const HOST: &str = "app.nuorder.com";
pub const HARBOR: &str = "5f1a2b3c4d5e6f7081920a1b";
pub const MAISON: &str = "5f1a2b3c4d5e6f7081920a2c";
pub const TIDEWATER: &str = "5f1a2b3c4d5e6f7081920a3d";
pub const EMPTY_BRAND: &str = "5f1a2b3c4d5e6f7081920a4e";

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    /// `name=value` of the first Set-Cookie header.
    pub fn cookie(&self) -> Option<String> {
        self.header("set-cookie").map(|c| c.split(';').next().unwrap_or("").to_string())
    }
}

pub struct Client {
    pub addr: SocketAddr,
    pub host: String,
}

/// A fresh sandbox (own state) with no artificial latency.
pub async fn start() -> Client {
    let addr = po_bridge_sandbox::spawn_for_tests(po_bridge_sandbox::Sandbox::new()).await;
    let c = Client { addr, host: HOST.to_string() };
    let r = c.post_json("/__sandbox/nuorder/delay", r#"{"min_ms":0,"max_ms":0}"#, None).await;
    assert_eq!(r.status, 204, "{}", r.text());
    c
}

impl Client {
    pub fn with_host(&self, host: &str) -> Client {
        Client { addr: self.addr, host: host.to_string() }
    }

    pub async fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        let mut stream = tokio::net::TcpStream::connect(self.addr).await.expect("connect");
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.host,
            body.len()
        );
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        stream.write_all(req.as_bytes()).await.expect("write");
        stream.write_all(body).await.expect("write body");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.expect("read");
        parse(&raw)
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Resp {
        match cookie {
            Some(c) => self.request("GET", path, &[("Cookie", c)], b"").await,
            None => self.request("GET", path, &[], b"").await,
        }
    }

    pub async fn post_json(&self, path: &str, json: &str, cookie: Option<&str>) -> Resp {
        let mut h = vec![("Content-Type", "application/json")];
        if let Some(c) = cookie {
            h.push(("Cookie", c));
        }
        self.request("POST", path, &h, json.as_bytes()).await
    }

    pub async fn post_form(&self, path: &str, form: &str, cookie: Option<&str>) -> Resp {
        let mut h = vec![("Content-Type", "application/x-www-form-urlencoded")];
        if let Some(c) = cookie {
            h.push(("Cookie", c));
        }
        self.request("POST", path, &h, form.as_bytes()).await
    }

    /// Sign in through the control API; returns `nuorder_session=…`.
    pub async fn session_cookie(&self) -> String {
        let r = self.post_json("/__sandbox/nuorder/session", "", None).await;
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["cookie"].as_str().expect("cookie").to_string()
    }
}

fn parse(raw: &[u8]) -> Resp {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
        body = dechunk(&body);
    }
    Resp { status, headers, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).split(';').next().unwrap_or("0").trim(), 16)
                .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}
