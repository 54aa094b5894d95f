//! Held requests: a test parks the next N requests matching a method and path pattern (the faults'
//! matching) until it releases them, so two clients' writes can be interleaved deterministically.
//!
//! A held request has not been executed: it waits before the fault injector, the rate limiter and the
//! API see it, and runs when released. Releasing several runs them one after another in arrival order
//! (each finishes before the next starts). With `delay_ms` a request also lets itself go after that
//! long (real time), which makes a hold a delay.

use super::faults::glob;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::oneshot;

/// The waiter's side: told to go, it is handed a sender to signal "I have run".
type Go = oneshot::Sender<oneshot::Sender<()>>;

pub struct Waiter {
    pub seq: u64,
    go: Go,
}

/// What `POST /holds` accepts.
#[derive(Debug, Deserialize)]
pub struct HoldSpec {
    #[serde(default)]
    pub method: Option<String>,
    pub path: String,
    /// How many matching requests are caught (default 1).
    #[serde(default)]
    pub count: Option<u32>,
    /// Let each caught request go on its own after this many milliseconds.
    #[serde(default)]
    pub delay_ms: Option<u64>,
}

pub struct Hold {
    pub id: u64,
    pub method: Option<String>,
    pub path: String,
    pub count: u32,
    pub delay_ms: Option<u64>,
    /// Requests caught so far.
    pub hits: u32,
    /// Requests let through so far (by a release or their delay).
    pub released: u32,
    /// Requests waiting right now, in arrival order.
    pub waiting: Vec<Waiter>,
}

impl Hold {
    pub fn new(id: u64, spec: HoldSpec) -> Hold {
        Hold {
            id,
            method: spec.method,
            path: spec.path,
            count: spec.count.unwrap_or(1),
            delay_ms: spec.delay_ms,
            hits: 0,
            released: 0,
            waiting: vec![],
        }
    }

    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.hits < self.count
            && self.method.as_deref().map(|m| m.eq_ignore_ascii_case(method)).unwrap_or(true)
            && glob(&self.path, path)
    }

    pub fn view(&self) -> Value {
        json!({
            "id": self.id, "method": self.method, "path": self.path, "count": self.count,
            "delay_ms": self.delay_ms, "hits": self.hits, "holding": self.waiting.len(),
            "released": self.released,
        })
    }

    /// Take the first `n` waiters (all when `None`), in arrival order.
    pub fn take(&mut self, n: Option<usize>) -> Vec<Waiter> {
        let n = n.unwrap_or(self.waiting.len()).min(self.waiting.len());
        self.released += n as u32;
        self.waiting.drain(..n).collect()
    }
}

/// A caught request's ticket: `(hold id, seq, go receiver, delay)`.
pub struct Ticket {
    pub hold: u64,
    pub seq: u64,
    pub delay_ms: Option<u64>,
    go: oneshot::Receiver<oneshot::Sender<()>>,
}

/// Register a waiter on `hold` (the caller holds the state lock).
pub fn park(hold: &mut Hold, seq: u64) -> Ticket {
    let (tx, rx) = oneshot::channel();
    hold.hits += 1;
    hold.waiting.push(Waiter { seq, go: tx });
    Ticket { hold: hold.id, seq, delay_ms: hold.delay_ms, go: rx }
}

/// How a waiting request came to run.
pub enum Woken {
    /// Released by a control call: send on the sender once the request has run.
    Released(oneshot::Sender<()>),
    /// Its delay elapsed (the caller must remove its waiter entry).
    Delay,
    /// The hold was dropped (reset): run now.
    Dropped,
}

impl Ticket {
    pub async fn wait(&mut self) -> Woken {
        let delay = self.delay_ms;
        let sleep = async move {
            match delay {
                Some(ms) => tokio::time::sleep(std::time::Duration::from_millis(ms)).await,
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            r = &mut self.go => match r {
                Ok(done) => Woken::Released(done),
                Err(_) => Woken::Dropped,
            },
            () = sleep => Woken::Delay,
        }
    }
}

/// Let the waiters go one after another, each after the previous one has run (or given up).
pub async fn release_in_order(waiters: Vec<Waiter>) -> usize {
    let mut n = 0;
    for w in waiters {
        let (done_tx, done_rx) = oneshot::channel();
        if w.go.send(done_tx).is_ok() {
            n += 1;
            // Err: the request's task was dropped (its client went away) — move on.
            let _ = tokio::time::timeout(std::time::Duration::from_secs(30), done_rx).await;
        }
    }
    n
}
