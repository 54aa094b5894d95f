//! The kill harness of the kill sweeps (export, batch, update): a transport that "kills the process" at one send, and
//! a loop that polls a job until it completes or is killed (its future is then dropped, as a
//! killed worker's would be).

use crate::client_support::*;
use crate::export_run_support::ctl;
use po_bridge::lightspeed::client::{LightspeedClient, StaticToken};
use po_bridge::lightspeed::http::{HttpRequest, HttpResponse, Transport, TransportError};
use po_bridge::lightspeed::native::NativeTransport;
use serde_json::json;
use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::task::{Context, Poll};

/// A transport that "kills the process" at send number `kill_at`: before sending it (`after` =
/// false) or after the server answered but before the answer reaches the runner (`after` = true).
/// The kill is a future that never completes; [`run_until_killed`] then drops the job's future.
#[derive(Clone)]
pub struct Killer {
    pub inner: NativeTransport,
    pub sends: Rc<Cell<usize>>,
    pub kill_at: Option<usize>,
    pub after: bool,
    pub killed: Rc<Cell<bool>>,
}

impl Transport for Killer {
    async fn send(&self, req: HttpRequest, timeout_ms: u64) -> Result<HttpResponse, TransportError> {
        if self.killed.get() {
            // A dead process sends nothing more (another request of its wave, polled after the kill).
            std::future::pending::<()>().await;
        }
        let n = self.sends.get() + 1;
        self.sends.set(n);
        if self.kill_at == Some(n) && !self.after {
            self.die().await;
        }
        let r = self.inner.send(req, timeout_ms).await;
        if self.kill_at == Some(n) && self.after {
            self.die().await;
        }
        r
    }
}

impl Killer {
    /// The kill: the requests already on the wire (concurrent ones of the same wave) land or fail
    /// before the next process starts, and this future never completes.
    async fn die(&self) {
        self.killed.set(true);
        while self.inner.in_flight() > 0 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        std::future::pending::<()>().await;
    }
}

/// Polls `fut` until it completes (Some) or the killer fired (None: the future is dropped).
pub fn run_until_killed<F: Future>(fut: F, killed: &Cell<bool>) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    let waker = futures::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    loop {
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return Some(v),
            Poll::Pending if killed.get() => return None,
            Poll::Pending => {}
        }
    }
}

pub type KClient = LightspeedClient<Killer, ScaledClock, StaticToken>;

pub fn killer_client(env: &Env, token: &str, kill_at: Option<usize>, after: bool) -> (KClient, Killer) {
    let k = Killer {
        inner: env.transport.clone(),
        sends: Rc::new(Cell::new(0)),
        kill_at,
        after,
        killed: Rc::new(Cell::new(false)),
    };
    let c = LightspeedClient::new(k.clone(), ScaledClock::new(50.0), StaticToken(token.into()), env.config());
    (c, k)
}

pub fn fresh_sandbox(env: &Env) -> String {
    ctl(env, "/reset", json!({}));
    ctl(env, "/registers", json!({"registers": 100}));
    ctl(env, "/clock/speed", json!({"speed": 50.0}));
    ctl(env, "/tokens", json!({}))["access_token"].as_str().unwrap().to_string()
}
