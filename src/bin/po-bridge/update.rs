//! `po-bridge update`: the PO of an exported order follows the order as NuORDER shows it now.
//!
//! Prints exactly one JSON object on stdout
//! `{"status","po_id","changes":{"added","removed","quantity","price","header"},"conflicts":[{"item_id","wanted","received","reason"}],"message"}`
//! and exits: `updated` 0, `unchanged` 0, `preview` 0, `not_exported` 5, `locked` 6, `cancelled` 7,
//! `partial` 8, `invalid` 2, `needs_choice` 4, `failed` 1. When several apply, the first of
//! `invalid`, `not_exported`, `cancelled`, `locked`, `needs_choice`, `failed`, `partial` wins, then
//! `updated` / `unchanged` / `preview`; with `--dry-run`, `partial` is `preview` with the
//! conflicts listed. The rules are the core's ([`po_bridge::update`]); this file only carries them.

use crate::common::{self, Client, Failure};
use po_bridge::app::errors::{advice, AppError, Surface};
use po_bridge::app::platform::native_date_in_zone;
use po_bridge::core::clock::{Clock, SystemClock};
use po_bridge::export::file_store::FileStore;
use po_bridge::export::journal::JobKey;
use po_bridge::export::runner::RunError;
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::OrderId;
use po_bridge::update::{
    keep_aligned, review, run_update, ChangeCounts, Conflict, PlanState, Reviewed, UpdateJournal, UpdatePlan, UpdateRun,
};
use serde_json::{json, Value};

/// `po-bridge update`'s arguments.
#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// The NuORDER order as it is now (JSON; the same `_id` and `order_number` as exported).
    #[arg(long, value_name = "ORDER.json")]
    pub order: String,
    /// The order's products (JSON), for UPCs and details the order lacks.
    #[arg(long, value_name = "PRODUCTS.json")]
    pub products: Option<String>,
    /// The vendor name, for an order without `__brand_name`.
    #[arg(long, value_name = "NAME")]
    pub brand: Option<String>,
    /// The state file `po-bridge export` wrote (created when missing).
    #[arg(long, value_name = "STATE.json")]
    pub state: String,
    /// Show what would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Archive the PO of an order cancelled in NuORDER (or with no lines left).
    #[arg(long)]
    pub archive_cancelled: bool,
}

/// The one JSON object printed on stdout.
#[derive(Debug, Default)]
pub struct Report {
    pub status: &'static str,
    po_id: Option<OrderId>,
    changes: ChangeCounts,
    conflicts: Vec<Conflict>,
    pub message: Option<String>,
}

impl From<Failure> for Report {
    fn from(f: Failure) -> Report {
        Report::with_message(f.status, f.message)
    }
}

impl Report {
    pub fn with_message(status: &'static str, message: impl Into<String>) -> Report {
        Report { status, message: Some(message.into()), ..Report::default() }
    }

    fn of_plan(status: &'static str, p: &UpdatePlan) -> Report {
        let message = p.notes.first().cloned();
        Report { status, po_id: Some(p.po_id), changes: p.counts, conflicts: p.conflicts.clone(), message }
    }

    pub fn exit_code(&self) -> i32 {
        match self.status {
            "updated" | "unchanged" | "preview" => 0,
            "invalid" => 2,
            "needs_choice" => 4,
            "not_exported" => 5,
            "locked" => 6,
            "cancelled" => 7,
            "partial" => 8,
            _ => 1,
        }
    }

    pub fn to_json(&self) -> Value {
        let c = &self.changes;
        let conflicts: Vec<Value> = self
            .conflicts
            .iter()
            .map(|x| {
                json!({"item_id": x.item_id.map(|i| i.to_string()), "wanted": x.wanted, "received": x.received, "reason": x.advice()})
            })
            .collect();
        json!({
            "status": self.status,
            "po_id": self.po_id.map(|p| p.to_string()),
            "changes": {"added": c.added, "removed": c.removed, "quantity": c.quantity, "price": c.price, "header": c.header},
            "conflicts": conflicts,
            "message": self.message,
        })
    }
}

/// Local checks first (nothing is contacted for a bad order, products or brand), then
/// Lightspeed: resume an interrupted update, or review and apply.
pub fn run(a: &UpdateArgs) -> Report {
    match run_inner(a) {
        Ok(r) | Err(r) => r,
    }
}

fn run_inner(a: &UpdateArgs) -> Result<Report, Report> {
    let staged = common::read_inputs(&a.order, a.products.as_deref(), a.brand.as_deref())?;
    let (api_base, token) = common::environment()?;
    let store = common::open_state(&a.state)?;
    let (client, account_id) = common::connect(api_base, token)?;
    let key = JobKey { account_id: account_id.clone(), order_id: staged.order.id.clone() };
    let dates = native_date_in_zone;
    let reviewed =
        block_on(review(&client, &store, &account_id, &staged, a.archive_cancelled, &dates)).map_err(read_failed)?;
    let plan = match reviewed {
        Reviewed::NotExported => {
            return Ok(Report::with_message(
                "not_exported",
                format!(
                    "Lightspeed has no purchase order for NuORDER order {}; export it first with po-bridge export.",
                    staged.order.order_number
                ),
            ))
        }
        Reviewed::ExportUnfinished => {
            return Ok(Report::with_message(
                "failed",
                "The export of this order has not finished: run po-bridge export again to finish it, then run the update; nothing was written.",
            ))
        }
        Reviewed::Interrupted(j) if a.dry_run => return Ok(interrupted_preview(&j)),
        Reviewed::Interrupted(_) => return Ok(apply(&client, &store, &key, None)),
        Reviewed::Plan(p) => *p,
    };
    if !a.dry_run {
        // Brand's changes the merchant already made by hand count as written from now on.
        block_on(keep_aligned(&store, &key, &plan, SystemClock.now_ms())).map_err(read_failed)?;
    }
    Ok(match plan.state {
        PlanState::Cancelled { archive, .. } if archive && !a.dry_run => {
            let mut r = apply(&client, &store, &key, Some(&plan));
            if r.status != "failed" {
                r = Report::of_plan("cancelled", &plan);
            }
            r
        }
        PlanState::Cancelled { .. } => Report::of_plan("cancelled", &plan),
        PlanState::Locked { .. } => Report::of_plan("locked", &plan),
        PlanState::NeedsChoice { rows } => Report {
            message: Some(format!("{rows} added sizes need a choice before this update can be applied (nothing was written). Choose in the PO Bridge review, or fix the items in Lightspeed and run again.")),
            ..Report::of_plan("needs_choice", &plan)
        },
        _ if a.dry_run => Report::of_plan("preview", &plan),
        PlanState::Unchanged if plan.conflicts.is_empty() => Report::of_plan("unchanged", &plan),
        PlanState::Unchanged => partial(Report::of_plan("partial", &plan)),
        PlanState::Changes => apply(&client, &store, &key, Some(&plan)),
    })
}

/// A read before any write failed.
fn read_failed(e: RunError) -> Report {
    let tail = if e.is_retryable() {
        " Nothing was written; run the same command again later."
    } else {
        " Nothing was written."
    };
    Report::with_message("failed", format!("{}{tail}", advice(&AppError::Run(e), Surface::Cli).message))
}

fn partial(mut r: Report) -> Report {
    r.status = "partial";
    r.message = Some(format!(
        "{} changes were left as they are in Lightspeed (see conflicts); every other change is written.",
        r.conflicts.len()
    ));
    r
}

fn interrupted_preview(j: &UpdateJournal) -> Report {
    Report {
        status: "preview",
        po_id: Some(j.po_id),
        changes: j.counts,
        conflicts: j.conflicts.clone(),
        message: Some(
            "An earlier update of this purchase order was interrupted; run without --dry-run to finish it.".into(),
        ),
    }
}

/// Applies the plan (or resumes the interrupted revision) and reports how it ended.
fn apply(client: &Client, store: &FileStore, key: &JobKey, plan: Option<&UpdatePlan>) -> Report {
    match block_on(run_update(client, store, key, plan, SystemClock.now_ms(), &mut |_| {})) {
        Err(e) => {
            let retry =
                if e.is_retryable() { " Run the same command again: the update resumes where it stopped." } else { "" };
            Report::with_message("failed", format!("{}{retry}", advice(&AppError::Run(e), Surface::Cli).message))
        }
        Ok(UpdateRun::Nothing) => Report { status: "unchanged", po_id: plan.map(|p| p.po_id), ..Report::default() },
        Ok(UpdateRun::Failed { message, .. }) => {
            Report { po_id: plan.map(|p| p.po_id), ..Report::with_message("failed", message) }
        }
        Ok(UpdateRun::Updated(j)) => {
            let r = Report {
                status: "updated",
                po_id: Some(j.po_id),
                changes: j.counts,
                conflicts: j.conflicts.clone(),
                message: plan.and_then(|p| p.notes.first().cloned()),
            };
            if r.conflicts.is_empty() {
                r
            } else {
                partial(r)
            }
        }
    }
}
