//! Time as a service: [`Clock`] tells the time and sleeps, so code that waits (rate limits, retry
//! back-off, token expiry) runs natively, in the browser and in tests alike. The browser implements
//! it with `Date.now()` / `setTimeout`, the command line with [`SystemClock`]; tests use
//! [`FakeClock`]. `async fn` without `Send` bounds: wasm is single-threaded, and native callers
//! drive the futures on one thread.
#![allow(async_fn_in_trait)]

use std::cell::{Cell, RefCell};

/// Wall-clock milliseconds (Unix epoch) and an async sleep.
pub trait Clock {
    fn now_ms(&self) -> u64;
    async fn sleep(&self, ms: u64);
}

impl<C: Clock + ?Sized> Clock for &C {
    fn now_ms(&self) -> u64 {
        (**self).now_ms()
    }
    async fn sleep(&self, ms: u64) {
        (**self).sleep(ms).await
    }
}

impl<C: Clock + ?Sized> Clock for std::rc::Rc<C> {
    fn now_ms(&self) -> u64 {
        (**self).now_ms()
    }
    async fn sleep(&self, ms: u64) {
        (**self).sleep(ms).await
    }
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now_ms(&self) -> u64 {
        (**self).now_ms()
    }
    async fn sleep(&self, ms: u64) {
        (**self).sleep(ms).await
    }
}

/// The system clock (native only); `sleep` blocks the thread (native futures run on one thread
/// with `block_on`).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

#[cfg(not(target_arch = "wasm32"))]
impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
    }
    async fn sleep(&self, ms: u64) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// A clock for tests: time moves only when someone sleeps (or [`FakeClock::advance`]); sleeps
/// return at once and are recorded.
#[derive(Debug, Default)]
pub struct FakeClock {
    now: Cell<u64>,
    sleeps: RefCell<Vec<u64>>,
}

impl FakeClock {
    pub fn at(now_ms: u64) -> Self {
        FakeClock { now: Cell::new(now_ms), sleeps: Default::default() }
    }
    pub fn advance(&self, ms: u64) {
        self.now.set(self.now.get() + ms);
    }
    /// Every sleep so far, in milliseconds.
    pub fn sleeps(&self) -> Vec<u64> {
        self.sleeps.borrow().clone()
    }
}

impl Clock for FakeClock {
    fn now_ms(&self) -> u64 {
        self.now.get()
    }
    async fn sleep(&self, ms: u64) {
        self.sleeps.borrow_mut().push(ms);
        self.advance(ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fake_clock_moves_only_when_slept_or_advanced() {
        let c = FakeClock::at(1_000);
        futures::executor::block_on(c.sleep(250));
        c.advance(50);
        assert_eq!((c.now_ms(), c.sleeps()), (1_300, vec![250]));
    }
}
