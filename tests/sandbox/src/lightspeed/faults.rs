//! Injected faults: the next N requests matching a method and path pattern fail in a chosen way.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// 500 in the API's error shape; nothing is written.
    #[serde(rename = "500", alias = "status_500", alias = "internal_error")]
    Status500,
    /// 503 in the API's error shape; nothing is written.
    #[serde(rename = "503", alias = "status_503", alias = "unavailable")]
    Status503,
    /// Hang for `delay_ms` (default 35 000), then answer normally (a client with a shorter timeout
    /// gives up first; whatever the request writes is written when the answer is made).
    Timeout,
    /// Close the connection without any response; nothing is written.
    Drop,
    /// Apply the request (the write happens), then close the connection without a response.
    CommitThenDrop,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fault {
    #[serde(default)]
    pub id: u64,
    /// HTTP method to match (any when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// Path pattern: `*` matches any run of characters (`/API/V3/Account/*/Order.json`).
    pub path: String,
    pub kind: FaultKind,
    /// How many matching requests fail (default 1).
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// How many requests this fault has hit so far.
    #[serde(default)]
    pub hits: u32,
}

fn one() -> u32 {
    1
}

/// Glob match with `*` only.
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text;
    for (i, p) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(p) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(p);
        } else {
            match rest.find(p) {
                Some(at) => rest = &rest[at + p.len()..],
                None => return false,
            }
        }
    }
    true
}

impl Fault {
    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.hits < self.count
            && self.method.as_deref().map(|m| m.eq_ignore_ascii_case(method)).unwrap_or(true)
            && glob(&self.path, path)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn globbing() {
        assert!(super::glob("/API/V3/Account/*/Order.json", "/API/V3/Account/83050/Order.json"));
        assert!(!super::glob("/API/V3/Account/*/Order.json", "/API/V3/Account/83050/OrderLine.json"));
        assert!(super::glob("*", "/x"));
        assert!(super::glob("/auth/*", "/auth/oauth/token"));
    }
}
