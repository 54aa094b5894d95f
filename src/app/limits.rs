//! What one tab may make the background do, enforced in the background (a page can invent rows and
//! call our message API as often as it likes; these numbers bound what that costs the merchant):
//!
//! - Lightspeed is asked about at most [`LOOKUPS_PER_REQUEST`] order numbers per status request and
//!   at most [`LOOKUPS_PER_MINUTE`] per tab in any rolling minute; orders over the budget get
//!   "can't check right now" (`JobStatus::Unchecked`) without a request. Our own jobs and answers
//!   under `status::STATUS_CACHE_MS` old are free. A NuORDER list page shows at most 100 orders.
//! - The linking screen opens at most once per [`LINKING_DEBOUNCE_MS`] per tab.
//!
//! The counts live in the worker's memory: a worker restart (after 30 s idle) starts them again,
//! which still bounds a page to those numbers per restart.

use std::collections::{HashMap, VecDeque};

/// Most order numbers one status request makes the background ask Lightspeed about.
pub const LOOKUPS_PER_REQUEST: usize = crate::inpage::spec::LIMITS.max_status_batch;
/// Most order numbers one tab makes the background ask Lightspeed about in a rolling minute.
pub const LOOKUPS_PER_MINUTE: usize = 300;
/// The rolling window of [`LOOKUPS_PER_MINUTE`].
pub const WINDOW_MS: u64 = 60_000;
/// Shortest time between two linking screens opened for one tab.
pub const LINKING_DEBOUNCE_MS: u64 = 5_000;

/// Per-tab budgets (`None`: a sender without a tab).
#[derive(Debug, Default)]
pub struct TabLimits {
    lookups: HashMap<Option<i64>, VecDeque<(u64, usize)>>,
    linking: HashMap<Option<i64>, u64>,
}

impl TabLimits {
    /// How many of `wanted` order numbers this tab may have looked up now (and counts them).
    pub fn admit_lookups(&mut self, tab: Option<i64>, wanted: usize, now_ms: u64) -> usize {
        let spent = self.lookups.entry(tab).or_default();
        while spent.front().is_some_and(|(at, _)| now_ms.saturating_sub(*at) >= WINDOW_MS) {
            spent.pop_front();
        }
        let used: usize = spent.iter().map(|(_, n)| n).sum();
        let granted = wanted.min(LOOKUPS_PER_REQUEST).min(LOOKUPS_PER_MINUTE.saturating_sub(used));
        if granted > 0 {
            spent.push_back((now_ms, granted));
        }
        granted
    }

    /// Whether the linking screen may open for this tab now (and remembers that it did).
    pub fn admit_linking(&mut self, tab: Option<i64>, now_ms: u64) -> bool {
        match self.linking.get(&tab) {
            Some(at) if now_ms.saturating_sub(*at) < LINKING_DEBOUNCE_MS => false,
            _ => {
                self.linking.insert(tab, now_ms);
                true
            }
        }
    }
}
