//! The persisted job set: which orders, in which order, where each stands, and whether the user
//! cancelled ([`JobSet`]); where it lives ([`JobSetStore`]).

use crate::core::tagged::internal_enum;
use crate::export::journal::{JobKey, MemoryStore};
use crate::export::plan::Plan;
use crate::lightspeed::{OrderId, ShopId};
use serde::{Deserialize, Serialize};

/// The job set format version (stored; a mismatch is refused rather than misread).
pub const JOB_SET_VERSION: u32 = 1;

/// A job set's identity: one Lightspeed account, one id the caller chooses (the browser: a fresh
/// id per batch dialog; the command line: the orders' `_id`s, see [`SetKey::of_orders`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SetKey {
    pub account_id: String,
    pub set_id: String,
}

impl SetKey {
    /// The storage key (`po-bridge-set:<account>:<set>`).
    pub fn storage_key(&self) -> String {
        format!("po-bridge-set:{}:{}", self.account_id, self.set_id)
    }

    /// The key of the set of exactly these orders (in this order): the same orders give the same
    /// key, so running them again resumes their set.
    pub fn of_orders<'a>(account_id: &str, order_ids: impl IntoIterator<Item = &'a str>) -> SetKey {
        SetKey { account_id: account_id.to_string(), set_id: order_ids.into_iter().collect::<Vec<_>>().join(",") }
    }
}

/// Where one order of a set stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum OrderState {
    /// Not started yet.
    Waiting,
    /// Started (its journal exists); a pause or a kill leaves it here.
    Running,
    Exported {
        po_id: OrderId,
    },
    /// Lightspeed already had a PO for this order; nothing was written (nothing is left to do).
    AlreadyExported {
        po_id: OrderId,
    },
    /// Its plan still has rows waiting for a choice; nothing was written for it.
    NeedsChoice {
        rows: usize,
    },
    /// The Lightspeed link died while it ran: it resumes after re-linking.
    NeedsRelink,
    /// It stopped with advice; `retryable`: running the set again resumes it.
    Failed {
        message: String,
        retryable: bool,
    },
    /// The set was cancelled before this order started; nothing was written for it.
    Cancelled,
}
internal_enum!(OrderState, "state");

impl OrderState {
    /// True when running the set again does nothing more for this order.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            OrderState::Exported { .. }
                | OrderState::AlreadyExported { .. }
                | OrderState::NeedsChoice { .. }
                | OrderState::Failed { retryable: false, .. }
                | OrderState::Cancelled
        )
    }

    /// True for the orders counted in "k of n exported" (already exported: nothing left to do).
    pub fn is_exported(&self) -> bool {
        matches!(self, OrderState::Exported { .. } | OrderState::AlreadyExported { .. })
    }
}

/// One order of a set: what its job needs besides the order itself (the plan with the user's
/// choices, the shop, the ordered date), and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetOrder {
    pub order_id: String,
    pub order_number: String,
    pub brand: String,
    pub plan: Plan,
    pub shop_id: ShopId,
    /// `YYYY-MM-DD`: the ordered date when the order has no `created_on`.
    pub today: String,
    pub state: OrderState,
}

/// The persisted set: its orders in run order, and the user's Cancel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSet {
    pub version: u32,
    pub key: SetKey,
    pub orders: Vec<SetOrder>,
    /// Set by [`cancel_job_set`](super::cancel_job_set): no further order starts.
    #[serde(default)]
    pub cancelled: bool,
    /// When a rate-limit pause ([`SetRun::Paused`](super::SetRun::Paused)) ends, in ms since the
    /// epoch: kept by the caller that knows the time (the browser's application layer), so a wake
    /// before then leaves the set alone and the alarm wakes it then. `None`: not paused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_until: Option<u64>,
}

impl JobSet {
    /// The job key of the `i`-th order.
    pub fn job_key(&self, i: usize) -> JobKey {
        JobKey { account_id: self.key.account_id.clone(), order_id: self.orders[i].order_id.clone() }
    }

    /// `(exported, total)`: orders exported (or already exported) of all orders.
    pub fn progress(&self) -> (usize, usize) {
        (self.orders.iter().filter(|o| o.state.is_exported()).count(), self.orders.len())
    }

    /// "3 of 12 exported", and the orders that stopped without a PO, so the list's bar says why the
    /// count stays short: "10 of 12 exported · 1 failed · 1 needs a choice", "1 of 4 exported · 3
    /// cancelled".
    pub fn label(&self) -> String {
        let (k, n) = self.progress();
        let count = |of: fn(&OrderState) -> bool| self.orders.iter().filter(|o| of(&o.state)).count();
        let mut label = format!("{k} of {n} exported");
        let failed = count(|s| matches!(s, OrderState::Failed { .. }));
        if failed > 0 {
            label += &format!(" · {failed} failed");
        }
        match count(|s| matches!(s, OrderState::NeedsChoice { .. })) {
            0 => {}
            1 => label += " · 1 needs a choice",
            c => label += &format!(" · {c} need a choice"),
        }
        if count(|s| *s == OrderState::NeedsRelink) > 0 {
            label += " · Lightspeed must be reconnected";
        }
        let cancelled = count(|s| *s == OrderState::Cancelled);
        if cancelled > 0 {
            label += &format!(" · {cancelled} cancelled");
        }
        label
    }

    /// True when running it again does nothing more.
    pub fn is_finished(&self) -> bool {
        self.orders.iter().all(|o| o.state.is_final())
    }

    /// The order being run: the first that is neither final nor waiting.
    pub fn current(&self) -> Option<usize> {
        self.orders.iter().position(|o| !o.state.is_final() && o.state != OrderState::Waiting)
    }
}

/// Where job sets live, beside the journals ([`JournalStore`](crate::export::journal::JournalStore)):
/// extension storage in the browser, the state file on the command line.
#[allow(async_fn_in_trait)]
pub trait JobSetStore {
    type SetError: std::fmt::Display;
    async fn load_set(&self, key: &SetKey) -> Result<Option<JobSet>, Self::SetError>;
    async fn save_set(&self, set: &JobSet) -> Result<(), Self::SetError>;
}

impl JobSetStore for MemoryStore {
    type SetError = String;

    async fn load_set(&self, key: &SetKey) -> Result<Option<JobSet>, String> {
        match self.record(&key.storage_key())? {
            None => Ok(None),
            Some(json) => serde_json::from_str(&json).map(Some).map_err(|e| e.to_string()),
        }
    }

    async fn save_set(&self, set: &JobSet) -> Result<(), String> {
        let json = serde_json::to_string(set).map_err(|e| e.to_string())?;
        self.put_record(&set.key.storage_key(), json)
    }
}
