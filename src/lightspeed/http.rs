//! HTTP as plain data, and the two traits every Lightspeed call goes through: [`Transport`] (sends
//! one request) and [`Clock`] (tells the time and sleeps; it lives in [`crate::core::clock`]).
//!
//! The browser implements both with `gloo-net` / `setTimeout`; the command line and the tests use
//! [`super::native`]. The traits use `async fn` without `Send` bounds: wasm is single-threaded, and
//! native callers drive the futures on one thread (`futures::executor::block_on`).
#![allow(async_fn_in_trait)]

pub use crate::core::clock::{Clock, FakeClock};
use std::fmt;

/// An HTTP method (only those the Lightspeed API uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// GET is safe to repeat; everything else may change server state.
    pub fn is_idempotent_read(self) -> bool {
        matches!(self, Method::Get)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request ready to send: absolute URL (query already encoded), headers, optional text body.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

impl HttpRequest {
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        HttpRequest { method, url: url.into(), headers: Vec::new(), body: None }
    }

    /// Adds a header, or replaces one with the same (case-insensitive) name.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.set_header(name, value);
        self
    }

    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.into()));
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// A JSON body with its content type.
    pub fn with_json(self, body: String) -> Self {
        let mut r = self.with_header("Content-Type", "application/json");
        r.body = Some(body);
        r
    }

    /// A form-urlencoded body with its content type.
    pub fn with_form(self, pairs: &[(&str, &str)]) -> Self {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            ser.append_pair(k, v);
        }
        let mut r = self.with_header("Content-Type", "application/x-www-form-urlencoded");
        r.body = Some(ser.finish());
        r
    }

    /// The path and query of the URL (`/API/V3/...?...`), for logs and tests.
    pub fn path_and_query(&self) -> &str {
        let rest = self.url.split_once("://").map(|(_, r)| r).unwrap_or(&self.url);
        rest.find('/').map(|i| &rest[i..]).unwrap_or("/")
    }
}

/// `Debug` hides the `Authorization` header and form bodies (they may carry tokens).
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                if k.eq_ignore_ascii_case("authorization") {
                    (k.as_str(), "<redacted>")
                } else {
                    (k.as_str(), v.as_str())
                }
            })
            .collect();
        let form = self.header("content-type").is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body.as_ref().map(|b| if form { "<form redacted>" } else { b.as_str() }))
            .finish()
    }
}

/// A response: status, headers with lower-cased names, body as text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        HttpResponse { status, headers: Vec::new(), body: body.into() }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// A header by name, case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why no response arrived. For a write, all three mean "the server may or may not have applied it".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No complete response within the timeout.
    #[error("timed out after {0} ms")]
    Timeout(u64),
    /// Connection refused, reset or closed without a reply.
    #[error("connection failed: {0}")]
    Connection(String),
    /// Anything else (bad URL, TLS, malformed response).
    #[error("{0}")]
    Other(String),
}

/// Sends one HTTP request. Implementations must not follow redirects (OAuth reads the `Location`)
/// and must return non-2xx statuses as responses, not errors.
pub trait Transport {
    async fn send(&self, req: HttpRequest, timeout_ms: u64) -> Result<HttpResponse, TransportError>;
}

impl<T: Transport + ?Sized> Transport for &T {
    async fn send(&self, req: HttpRequest, timeout_ms: u64) -> Result<HttpResponse, TransportError> {
        (**self).send(req, timeout_ms).await
    }
}

impl<T: Transport + ?Sized> Transport for std::rc::Rc<T> {
    async fn send(&self, req: HttpRequest, timeout_ms: u64) -> Result<HttpResponse, TransportError> {
        (**self).send(req, timeout_ms).await
    }
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    async fn send(&self, req: HttpRequest, timeout_ms: u64) -> Result<HttpResponse, TransportError> {
        (**self).send(req, timeout_ms).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_case_insensitive_and_replaced() {
        let r = HttpRequest::new(Method::Get, "https://a/b?c=1").with_header("Accept", "x").with_header("accept", "y");
        assert_eq!(r.headers.len(), 1);
        assert_eq!(r.header("ACCEPT"), Some("y"));
        assert_eq!(r.path_and_query(), "/b?c=1");
        let resp = HttpResponse::new(200, "").with_header("X-LS-API-Bucket-Level", "1/90");
        assert_eq!(resp.header("x-ls-api-bucket-level"), Some("1/90"));
    }

    #[test]
    fn debug_hides_tokens() {
        let r = HttpRequest::new(Method::Post, "https://a/t")
            .with_header("Authorization", "Bearer SECRET")
            .with_form(&[("refresh_token", "SECRET2")]);
        let d = format!("{r:?}");
        assert!(!d.contains("SECRET"), "{d}");
    }
}
