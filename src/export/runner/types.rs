//! What the runner's callers pass in and get back, and why a call could not proceed.

use crate::export::job::JobError;
use crate::export::journal::JournalError;
use crate::export::plan::{BrandContext, Plan, PlanError};
use crate::lightspeed::client::ClientError;
use crate::lightspeed::endpoints::EndpointError;
use crate::lightspeed::{OrderId, ShopId};
use crate::nuorder::model::{CurrencyCode, Order, Product};

/// Relations every item lookup loads (matching needs attributes and vendor numbers).
pub const ITEM_RELATIONS: [&str; 2] = ["ItemAttributes", "ItemVendorNums"];

/// How many times one step may end with an unknown outcome in one run before the job stops
/// (retryable): a server that keeps dropping answers should not keep us looping.
pub const MAX_UNKNOWN_PER_STEP: u32 = 3;

/// An order staged for export: the order, its product documents (may be empty) and the page's
/// brand context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staged {
    pub order: Order,
    pub products: Vec<Product>,
    pub brand: BrandContext,
    /// The Lightspeed account's currency, when known: new items take the brand's retail prices in
    /// it before those in the order's currency ([`crate::export::plan::plan_in`]).
    pub store_currency: Option<CurrencyCode>,
}

impl Staged {
    /// Prices new items for a Lightspeed account whose currency is `account_currency` (its code
    /// as kept with the account; `None` while unknown): sets [`Staged::store_currency`]. The one
    /// reading of an account's currency for a plan, in the browser and on the command line.
    pub fn priced_for(&mut self, account_currency: Option<&str>) {
        self.store_currency = account_currency.and_then(CurrencyCode::parse);
    }
}

/// What the export dialog shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub plan: Plan,
    /// A PO Lightspeed already has for this order (our `refNum`, or the first-party
    /// `b2bOrderNumber`; archived included). Note: while a job of ours is unfinished, this is our
    /// own PO — check the stored journal first.
    pub existing_po: Option<OrderId>,
}

/// Everything a new job needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartJob {
    pub staged: Staged,
    /// The previewed plan with the user's choices applied.
    pub plan: Plan,
    pub shop_id: ShopId,
    /// `YYYY-MM-DD`: the ordered date when the order has no `created_on`.
    pub today: String,
}

/// How a [`run_export`](super::run_export) call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    /// The PO exists with all its lines and is marked Ordered; links are saved.
    Exported { po_id: OrderId },
    /// Lightspeed already had a PO for this order before anything was written.
    AlreadyExported { po_id: OrderId },
    /// The Lightspeed link is dead: the job is paused; call again after re-linking.
    NeedsRelink,
    /// The plan still has rows waiting for a choice; nothing was written.
    NeedsChoice { rows: usize },
    /// The job stopped. `message` is advice for the merchant; `retryable` says whether calling
    /// [`run_export`](super::run_export) again resumes it.
    Failed { message: String, retryable: bool },
    /// A rate-limit wait longer than the client's `max_wait_ms`: call again after this long.
    Paused { resume_after_ms: u64 },
}

/// Why a runner call could not proceed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("storage: {0}")]
    Store(String),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    Job(#[from] JobError),
    #[error("journal: {0}")]
    Journal(#[from] JournalError),
    #[error("endpoint: {0}")]
    Endpoint(#[from] EndpointError),
    /// `run_export` without a [`StartJob`] and without a stored journal.
    #[error("no export job is stored for order {0}")]
    NoJob(String),
    /// The stored journal has another format version.
    #[error("stored job has version {found}, expected {expected}")]
    Version { found: u32, expected: u32 },
}

impl RunError {
    /// What happened and what to do, for a merchant (never a debug string).
    pub fn user_message(&self) -> String {
        match self {
            RunError::Client(e) => e.user_message(),
            RunError::Store(_) => "PO Bridge could not read or save the export's progress in its storage. Free some space or restart the browser, then try again; the export resumes where it stopped.".into(),
            RunError::Plan(e) => e.to_string(),
            RunError::Job(JobError::NeedsChoice(n)) => format!("{n} size rows still need a choice. Open the export preview and choose an item (or \"create new\") for each, then export again."),
            RunError::Job(_) => "The export preview no longer matches this order. Refresh the preview and export again.".into(),
            RunError::Journal(_) | RunError::Version { .. } => "PO Bridge could not continue this export because its saved progress is not readable by this version. Please report this to support.".into(),
            RunError::Endpoint(_) => "PO Bridge could not build a Lightspeed lookup for this order (an unusual value in it). Please report this to support.".into(),
            RunError::NoJob(_) => "There is no export in progress for this order. Open the export preview and start it again.".into(),
        }
    }

    /// True when calling again later (same arguments) may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            RunError::Client(e) => e.is_transient() || e.needs_relink(),
            RunError::Store(_) => true,
            _ => false,
        }
    }

    /// True when the Lightspeed account must be linked again first.
    pub fn needs_relink(&self) -> bool {
        matches!(self, RunError::Client(e) if e.needs_relink())
    }
}

pub(super) fn store_err(e: impl std::fmt::Display) -> RunError {
    RunError::Store(e.to_string())
}
