//! The send loop: pacing against the bucket, auth with one refresh on 401, retries as
//! [`super::retry::retry_decision`] says, paging, and decoding the envelope.

use super::config::{ClientConfig, ClientStats};
use super::errors::{snippet, ClientError};
use super::retry::{retry_decision, Attempt, Decision, Outcome};
use super::tokens::TokenSource;
use crate::core::clock::Clock;
use crate::lightspeed::endpoints::Endpoint;
use crate::lightspeed::http::{HttpRequest, HttpResponse, Method, Transport};
use crate::lightspeed::models::{Attributes, Envelope, ErrorBody};
use crate::lightspeed::ratelimit::{parse_retry_after_ms, Bucket, Ticket};
use std::cell::RefCell;
use std::collections::HashSet;

/// A Lightspeed API client for one account. Not `Sync` (single-threaded, like the browser); share a
/// [`TokenManager`](super::TokenManager) between clients, not the client.
pub struct LightspeedClient<T, C, S> {
    transport: T,
    clock: C,
    tokens: S,
    config: ClientConfig,
    bucket: RefCell<Bucket>,
    stats: RefCell<ClientStats>,
}

impl<T: Transport, C: Clock, S: TokenSource> LightspeedClient<T, C, S> {
    pub fn new(transport: T, clock: C, tokens: S, config: ClientConfig) -> Self {
        LightspeedClient {
            transport,
            clock,
            tokens,
            config,
            bucket: RefCell::new(Bucket::new()),
            stats: RefCell::new(ClientStats::default()),
        }
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub fn tokens(&self) -> &S {
        &self.tokens
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    pub fn stats(&self) -> ClientStats {
        *self.stats.borrow()
    }

    /// The pacing model's current state.
    pub fn bucket(&self) -> Bucket {
        self.bucket.borrow().clone()
    }

    /// Sends one endpoint and returns its page of records.
    pub async fn fetch<E: Endpoint>(&self, ep: &E) -> Result<Envelope<E::Record>, ClientError> {
        let req = ep.to_http(&self.config.api_base, &self.config.account_id);
        let path = req.path_and_query().to_string();
        let resp = self.send_raw(req, ep.cost_hint()).await?;
        decode(&resp, &path)
    }

    /// Sends one endpoint and returns its single record (a created, updated or fetched one). A
    /// write's success answer that holds no readable record is [`ClientError::OutcomeUnknown`]:
    /// Lightspeed took the write, so the caller looks the record up before writing it again.
    pub async fn one<E: Endpoint>(&self, ep: &E) -> Result<E::Record, ClientError> {
        let req = ep.to_http(&self.config.api_base, &self.config.account_id);
        let (method, path) = (req.method, req.path_and_query().to_string());
        let resp = self.send_raw(req, ep.cost_hint()).await?;
        match decode::<E::Record>(&resp, &path).map(Envelope::into_single) {
            Ok(Some(record)) => Ok(record),
            Ok(None) => {
                let resource = <E::Record as crate::lightspeed::wire::Record>::KEY;
                Err(no_record(method, ClientError::Empty { path: path.clone(), resource }, path))
            }
            Err(e) => Err(no_record(method, e, path)),
        }
    }

    /// Sends one endpoint whose answer is not needed (a partial `PUT`, a `DELETE`): any 2xx is
    /// success whatever its body holds — the reference shows no body for these, and a `DELETE`
    /// that permanently removes an `OrderLine` has no record left to send. Errors as [`Self::one`].
    pub async fn apply<E: Endpoint>(&self, ep: &E) -> Result<(), ClientError> {
        let req = ep.to_http(&self.config.api_base, &self.config.account_id);
        self.send_raw(req, ep.cost_hint()).await.map(drop)
    }

    /// [`Self::apply`] for a write a resumed job may send again (a `DELETE`, a partial `PUT`): a
    /// record already gone (404) counts as done.
    pub async fn apply_again<E: Endpoint>(&self, ep: &E) -> Result<(), ClientError> {
        match self.apply(ep).await {
            Err(e) if e.is_not_found() => Ok(()),
            done => done,
        }
    }

    /// Every record of a list endpoint, following `next` cursors. Each next page reissues the
    /// original request with `after=<cursor>` (filters are sometimes dropped from `next` URLs).
    /// Stops when `next` is empty or a cursor repeats; more than `max_pages` pages is an error.
    pub async fn list_all<E: Endpoint>(&self, ep: &E) -> Result<Vec<E::Record>, ClientError> {
        let mut records = Vec::new();
        let mut page = |resp: &HttpResponse, page_path: &str| {
            let page: Envelope<E::Record> = decode(resp, page_path)?;
            records.extend(page.records);
            Ok(page.attributes)
        };
        self.pages(ep.to_http(&self.config.api_base, &self.config.account_id), ep.cost_hint(), &mut page).await?;
        Ok(records)
    }

    /// [`Self::list_all`]'s loop, once for every record type (`page` decodes a page and keeps its
    /// records): the endpoint's only part in it is the decoding.
    async fn pages(
        &self,
        first: HttpRequest,
        cost: f64,
        page: &mut dyn FnMut(&HttpResponse, &str) -> Result<Attributes, ClientError>,
    ) -> Result<(), ClientError> {
        let path = first.path_and_query().to_string();
        let mut seen = HashSet::new();
        let mut req = first.clone();
        let mut pages = 0u32;
        loop {
            pages += 1;
            if pages > self.config.max_pages {
                return Err(ClientError::Pagination {
                    path,
                    detail: format!("more than {} pages", self.config.max_pages),
                });
            }
            let page_path = req.path_and_query().to_string();
            let resp = self.send_raw(req, cost).await?;
            let attributes = page(&resp, &page_path)?;
            let next = attributes.next.as_deref().unwrap_or("").trim().to_string();
            if next.is_empty() {
                return Ok(());
            }
            let cursor = match attributes.next_after() {
                Some(c) => c.to_string(),
                None => {
                    return Err(ClientError::Pagination {
                        path,
                        detail: "a next page without an `after` cursor".into(),
                    })
                }
            };
            if !seen.insert(cursor.clone()) {
                // The cursor stopped moving: the rows of that page are already in hand.
                return Ok(());
            }
            req = with_after(&first, &cursor);
        }
    }

    /// THE send loop: pacing, auth, retries. `req` carries no `Authorization`; `cost` is the drip
    /// estimate. Returns the response of a 2xx/3xx, else a [`ClientError`].
    pub async fn send_raw(&self, req: HttpRequest, cost: f64) -> Result<HttpResponse, ClientError> {
        let method = req.method;
        let path = req.path_and_query().to_string();
        let mut token = self.tokens.access_token().await?;
        let mut attempt = Attempt { number: 0, refreshed: false };
        loop {
            let ticket = self.pace(cost).await?;
            let mut r = req.clone();
            r.set_header("Authorization", format!("Bearer {token}"));
            attempt.number += 1;
            self.stats.borrow_mut().requests += 1;
            let result = self.transport.send(r, self.config.timeout_ms).await;
            let now = self.clock.now_ms();
            match &result {
                Ok(resp) => {
                    self.bucket.borrow_mut().observe_answer(resp, now, ticket);
                    let spent =
                        resp.header("x-ls-api-request-cost").and_then(|c| c.trim().parse::<f64>().ok()).unwrap_or(cost);
                    let mut st = self.stats.borrow_mut();
                    st.drips += spent;
                    if resp.status == 429 {
                        st.rate_limited += 1;
                    }
                }
                Err(_) => {
                    self.bucket.borrow_mut().forget(ticket, now);
                    self.stats.borrow_mut().transport_errors += 1;
                }
            }
            match retry_decision(method, Outcome::of(&result), attempt) {
                Decision::Return => {
                    let resp = result.expect("Return is decided only for responses");
                    return if resp.status < 400 { Ok(resp) } else { Err(api_error(method, &path, resp)) };
                }
                Decision::Retry { after_ms } => {
                    if after_ms > self.config.max_wait_ms {
                        return Err(ClientError::RateLimited { retry_after_ms: after_ms });
                    }
                    self.stats.borrow_mut().retries += 1;
                    self.clock.sleep(after_ms).await;
                }
                Decision::RefreshAndRetry => {
                    {
                        let mut st = self.stats.borrow_mut();
                        st.retries += 1;
                        st.refreshes_after_401 += 1;
                    }
                    token = self.tokens.refresh_after_401(&token).await?;
                    attempt.refreshed = true;
                }
                Decision::OutcomeUnknown => {
                    let detail = match result {
                        Ok(resp) => format!("HTTP {} after the request was sent: {}", resp.status, snippet(&resp.body)),
                        Err(e) => e.to_string(),
                    };
                    return Err(ClientError::OutcomeUnknown { method, path, detail });
                }
                Decision::GiveUp => {
                    return Err(match result {
                        Ok(resp) if resp.status == 429 => ClientError::RateLimited {
                            retry_after_ms: resp.header("retry-after").and_then(parse_retry_after_ms).unwrap_or(60_000),
                        },
                        Ok(resp) => api_error(method, &path, resp),
                        Err(source) => ClientError::Transport { method, path, source },
                    });
                }
            }
        }
    }
}

impl<T: Transport, C: Clock, S: TokenSource> LightspeedClient<T, C, S> {
    /// Pacing: waits until the bucket model lets a request of `cost` go, then counts it as sent.
    /// Requests of one client may run concurrently (issue 17): after a wait the model is asked
    /// again, since another request may have taken the room meanwhile, and the check and the
    /// count happen with no await in between (the one place that decides when a request goes).
    async fn pace(&self, cost: f64) -> Result<Ticket, ClientError> {
        loop {
            let wait = self.bucket.borrow().wait_before(cost, self.clock.now_ms());
            if wait == 0 {
                return Ok(self.bucket.borrow_mut().on_send(cost, self.clock.now_ms()));
            }
            if wait > self.config.max_wait_ms {
                return Err(ClientError::RateLimited { retry_after_ms: wait });
            }
            self.clock.sleep(wait).await;
            self.stats.borrow_mut().paced_ms += wait;
        }
    }
}

/// `first` with its `after` parameter replaced by `cursor` (still URL-encoded).
fn with_after(first: &HttpRequest, cursor: &str) -> HttpRequest {
    let mut r = first.clone();
    let (base, query) = match first.url.split_once('?') {
        Some((b, q)) => (b.to_string(), q.to_string()),
        None => (first.url.clone(), String::new()),
    };
    let mut parts: Vec<String> =
        query.split('&').filter(|p| !p.is_empty() && !p.starts_with("after=")).map(str::to_string).collect();
    parts.push(format!("after={cursor}"));
    r.url = format!("{base}?{}", parts.join("&"));
    r
}

/// [`LightspeedClient::one`]'s answer without a readable record (`e`: why): that error for a
/// read, an unknown outcome for a write. Not generic, so each endpoint's `one` does not carry a
/// copy.
fn no_record(method: Method, e: ClientError, path: String) -> ClientError {
    match e {
        ClientError::Decode { .. } | ClientError::Empty { .. } if method != Method::Get => {
            ClientError::OutcomeUnknown { method, path, detail: e.to_string() }
        }
        e => e,
    }
}

fn api_error(method: Method, path: &str, resp: HttpResponse) -> ClientError {
    let error = ErrorBody::parse(resp.body.as_bytes()).map(Box::new);
    ClientError::Api { status: resp.status, method, path: path.to_string(), error, body: resp.body }
}

/// Decodes a success body, keeping the JSON path of a failure.
pub fn decode<R: crate::lightspeed::wire::Record + serde::de::DeserializeOwned>(
    resp: &HttpResponse,
    path: &str,
) -> Result<Envelope<R>, ClientError> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let de = &mut serde_json::Deserializer::from_str(&resp.body);
        serde_path_to_error::deserialize::<_, Envelope<R>>(de).map_err(|e| ClientError::Decode {
            status: resp.status,
            path: path.to_string(),
            json_path: e.path().to_string(),
            message: e.inner().to_string(),
            body: snippet(&resp.body),
        })
    }
    // In the browser the JSON path costs a second copy of every model's deserializer in the wasm
    // (≈ a quarter of the background's size); the body is read as a `serde_json::Value` and the
    // records from it (one decoder per model, `Value`'s): serde_json's line and column locate a
    // syntax failure, the record type a model's.
    #[cfg(target_arch = "wasm32")]
    {
        let fail = |json_path: String, e: serde_json::Error| ClientError::Decode {
            status: resp.status,
            path: path.to_string(),
            json_path,
            message: e.to_string(),
            body: snippet(&resp.body),
        };
        let body: serde_json::Value = serde_json::from_str(&resp.body)
            .map_err(|e| fail(format!("line {} column {}", e.line(), e.column()), e))?;
        Envelope::from_value(body).map_err(|e| fail(format!("a {} record", R::KEY), e))
    }
}
