//! What every endpoint shares: the [`Endpoint`] trait, the `archived` parameter, build errors, the
//! query builder, URL and request helpers, and the cost rules.

use crate::lightspeed::http::{HttpRequest, Method};
use crate::lightspeed::wire::Record;
use serde::de::DeserializeOwned;

/// A request to one endpoint.
pub trait Endpoint {
    /// The resource in the response envelope.
    type Record: Record + DeserializeOwned;
    /// The request, without `Authorization`. `api_base` is e.g. `https://api.lightspeedapp.com`.
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest;
    /// Predicted cost in drips.
    fn cost_hint(&self) -> f64 {
        1.0
    }
}

/// The `archived` query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Archived {
    /// Live records only (the API's default; the parameter is omitted).
    #[default]
    Exclude,
    /// Live and archived (`archived=true`): use for existence checks.
    Include,
    /// Archived only (`archived=only`).
    Only,
}

/// Why an endpoint could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("at most 100 codes per lookup (got {0})")]
    TooManyCodes(usize),
    #[error("no codes to look up")]
    NoCodes,
    #[error("code {0:?} is not 11–14 digits")]
    BadCode(String),
    #[error("value {0:?} cannot be used in a combined lookup (contains '|')")]
    BadValue(String),
}

/// Query builder: `key=value` pairs, URL-encoded once.
#[derive(Debug, Default, Clone)]
pub(super) struct Query(Vec<(String, String)>);

impl Query {
    pub(super) fn push(&mut self, k: &str, v: impl Into<String>) -> &mut Self {
        self.0.push((k.to_string(), v.into()));
        self
    }
    /// Plain equality, guarded against values the server would read as `OP,value`.
    pub(super) fn eq(&mut self, k: &str, v: &str) -> &mut Self {
        let v = if v.contains(',') { format!("=,{v}") } else { v.to_string() };
        self.push(k, v)
    }
    pub(super) fn archived(&mut self, a: Archived) -> &mut Self {
        match a {
            Archived::Exclude => self,
            Archived::Include => self.push("archived", "true"),
            Archived::Only => self.push("archived", "only"),
        }
    }
    pub(super) fn relations(&mut self, rels: &[&str]) -> &mut Self {
        if rels.is_empty() {
            return self;
        }
        let json = serde_json::to_string(rels).expect("strings serialize");
        self.push("load_relations", json)
    }
    pub(super) fn encode(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.0 {
            s.append_pair(k, v);
        }
        // Spaces as %20 rather than '+': both are accepted; %20 is unambiguous in every parser.
        s.finish().replace('+', "%20")
    }
}

pub(super) fn account_url(api_base: &str, account_id: &str, rel: &str, q: &Query) -> String {
    let mut url = format!("{}/API/V3/Account/{account_id}/{rel}", api_base.trim_end_matches('/'));
    let qs = q.encode();
    if !qs.is_empty() {
        url.push('?');
        url.push_str(&qs);
    }
    url
}

pub(super) fn get(url: String) -> HttpRequest {
    HttpRequest::new(Method::Get, url).with_header("Accept", "application/json")
}

pub(super) fn write<B: serde::Serialize>(method: Method, url: String, body: &B) -> HttpRequest {
    let json = serde_json::to_string(body).expect("write payloads serialize");
    HttpRequest::new(method, url).with_header("Accept", "application/json").with_json(json)
}

/// Cost of `load_relations` (reference §6: to-one 0.1, to-many 0.2), doubled on lists. To-many
/// relations are named in the plural (`OrderLines`, `ItemVendorNums`); `ItemAttributes` is the
/// one plural name of a single record (an item's one attribute row, §8).
pub(super) fn relations_cost(rels: &[&str], list: bool) -> f64 {
    let many = |r: &str| r.ends_with('s') && r != "ItemAttributes";
    let per: f64 = rels.iter().map(|r| if many(r) { 0.2 } else { 0.1 }).sum();
    if list {
        per * 2.0
    } else {
        per
    }
}

/// +0.5 per nested related entity in a write body (wrapped collections count each element).
pub(super) fn write_cost<B: serde::Serialize>(body: &B) -> f64 {
    let v = serde_json::to_value(body).unwrap_or_default();
    let Some(m) = v.as_object() else { return 1.0 };
    let mut n = 0usize;
    for v in m.values() {
        match v {
            serde_json::Value::Object(o) if o.len() == 1 && o.values().all(|x| x.is_array() || x.is_object()) => {
                n += match o.values().next() {
                    Some(serde_json::Value::Array(a)) => a.len(),
                    _ => 1,
                };
            }
            serde_json::Value::Object(o) if !o.is_empty() => n += 1,
            serde_json::Value::Array(a) => n += a.iter().filter(|x| x.is_object()).count(),
            _ => {}
        }
    }
    1.0 + 0.5 * n as f64
}

/// `POST <Resource>.json`: a create request for one resource, its payload as given (nested
/// entities included), priced by [`write_cost`].
macro_rules! create_endpoint {
    ($(#[$doc:meta])* $name:ident, $payload:ty, $record:ty, $path:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub $payload);

        impl Endpoint for $name {
            type Record = $record;
            fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
                write(Method::Post, account_url(api_base, account_id, $path, &Query::default()), &self.0)
            }
            fn cost_hint(&self) -> f64 {
                write_cost(&self.0)
            }
        }
    };
}

pub(super) use create_endpoint;
