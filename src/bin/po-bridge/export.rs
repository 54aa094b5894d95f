//! `po-bridge export`: one NuORDER order becomes one Lightspeed purchase order (several
//! `--order`s: a batch, see [`crate::batch`]).
//!
//! With one `--order`, prints exactly one JSON object on stdout
//! `{"status","po_id","po_url","vendor_id","lines","items":{"confirmed","matched","created","needs_choice"},"message"}`
//! and exits: `exported` 0, `preview` 0, `already_exported` 3, `invalid` 2, `needs_choice` 4,
//! `failed` 1. `STATE.json` holds the saved links and the job journals (created when missing,
//! written atomically); an interrupted export resumes from it on the next run.

use crate::common::{self, Client, Failure};
use po_bridge::accounts::Region;
use po_bridge::app::dialog_text::currency_warning;
use po_bridge::app::errors::{advice, AppError, Surface};
use po_bridge::app::exports::start_job;
use po_bridge::app::platform::NativeCalendar;
use po_bridge::app::resume::rerun_resumes;
use po_bridge::export::file_store::FileStore;
use po_bridge::export::job::build_journal;
use po_bridge::export::journal::{JobKey, Journal, StepKind};
use po_bridge::export::plan::{check_exportable, Counts, Plan, PlanError};
use po_bridge::export::runner::{preview, run_export, RunError, RunOutcome, Staged, StartJob};
use po_bridge::lightspeed::endpoints::{Archived, ListShops};
use po_bridge::lightspeed::models::Shop;
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::{OrderId, ShopId, VendorId};
use po_bridge::nuorder::model::Order;
use serde_json::{json, Value};

/// `po-bridge export`'s arguments.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The NuORDER order (JSON, as NuORDER's API returns it); several: exported as one batch.
    #[arg(long, value_name = "ORDER.json", required = true)]
    pub order: Vec<String>,
    /// The orders' products (JSON), for UPCs and details the orders lack; looked up by `_id`
    /// across every file given.
    #[arg(long, value_name = "PRODUCTS.json")]
    pub products: Vec<String>,
    /// The vendor name, for an order without `__brand_name`: once for every order, or once per
    /// `--order` (the i-th for the i-th).
    #[arg(long, value_name = "NAME")]
    pub brand: Vec<String>,
    /// The Lightspeed shop (location) that receives the order.
    #[arg(long, value_name = "SHOP_ID")]
    pub shop: String,
    /// Saved links and job journals (created when missing).
    #[arg(long, value_name = "STATE.json")]
    pub state: String,
    /// Show what would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// The one JSON object printed on stdout.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub status: &'static str,
    pub po_id: Option<OrderId>,
    pub vendor_id: Option<VendorId>,
    pub lines: usize,
    pub counts: ItemCounts,
    pub message: Option<Box<str>>,
    /// What to know about a previewed or exported order: its currency is not the account's.
    /// (Boxed: the report is every command's error type, and clippy keeps errors small.)
    pub warning: Option<Box<str>>,
}

#[derive(Debug, Default, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct ItemCounts {
    confirmed: usize,
    matched: usize,
    created: usize,
    needs_choice: usize,
}

impl ItemCounts {
    pub fn of(c: &Counts) -> ItemCounts {
        ItemCounts {
            confirmed: c.confirmed,
            matched: c.upc_match + c.sku_match + c.chosen_existing,
            created: c.new + c.chosen_new,
            needs_choice: c.needs_choice,
        }
    }
}

impl From<Failure> for Report {
    fn from(f: Failure) -> Report {
        Report::with_message(f.status, f.message)
    }
}

impl Report {
    pub fn new(status: &'static str) -> Report {
        Report { status, ..Report::default() }
    }

    pub fn with_message(status: &'static str, message: impl Into<String>) -> Report {
        Report { status, message: Some(message.into().into()), ..Report::default() }
    }

    /// True for the statuses a batch counts as done (nothing left to do).
    pub fn is_done(&self) -> bool {
        matches!(self.status, "exported" | "preview" | "already_exported")
    }

    pub fn exit_code(&self) -> i32 {
        match self.status {
            "exported" | "preview" => 0,
            "already_exported" => 3,
            "invalid" => 2,
            "needs_choice" => 4,
            _ => 1,
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "status": self.status,
            "po_id": self.po_id.map(|p| p.to_string()),
            "po_url": self.po_id.map(|p| Region::Us.po_url(&p.to_string())),
            "vendor_id": self.vendor_id.map(|v| v.to_string()),
            "lines": self.lines,
            "items": {
                "confirmed": self.counts.confirmed,
                "matched": self.counts.matched,
                "created": self.counts.created,
                "needs_choice": self.counts.needs_choice,
            },
            "message": self.message,
            "warning": self.warning,
        })
    }

    /// This report of `order` with the currency warning ([`currency_warning`]) when it previews,
    /// waits for a choice or exported; `currency` asks the account's currency (once, lazily).
    pub fn warned(mut self, order: &Order, currency: &mut impl FnMut() -> Option<String>) -> Report {
        if matches!(self.status, "preview" | "needs_choice" | "exported") {
            self.warning = currency_warning(order.currency.as_str(), currency().as_deref()).map(Into::into);
        }
        self
    }
}

/// Local checks first (nothing is contacted for a bad order, products, brand or shop), then
/// Lightspeed: resume an interrupted job of ours, or preview and export.
pub fn run(a: &ExportArgs) -> Report {
    match run_inner(a) {
        Ok(r) | Err(r) => r,
    }
}

fn run_inner(a: &ExportArgs) -> Result<Report, Report> {
    let staged = read_staged(a)?;
    let shop_id = parse_shop(&a.shop)?;
    let (api_base, token) = common::environment()?;
    let store = common::open_state(&a.state)?;
    let (client, account_id) = common::connect(api_base, token)?;
    let shop = live_shop(&client, shop_id, &account_id)?;
    let key = JobKey { account_id, order_id: staged.order.id.clone() };
    if let Some(report) = resume_stored(&client, &store, &key, a.dry_run)? {
        return Ok(report);
    }
    let mut currency = common::once_currency(&client);
    let mut staged = staged;
    staged.priced_for(currency().as_deref());
    let order = staged.order.clone();
    let report = export_new(&client, &store, &key, staged, &shop, a.dry_run)?;
    let warned = report.warned(&order, &mut currency);
    Ok(warned)
}

/// The order, its products and the brand, checked locally; the order has something to export.
fn read_staged(a: &ExportArgs) -> Result<Staged, Report> {
    let order = a.order.first().map(String::as_str).unwrap_or_default();
    if a.brand.len() > 1 {
        return Err(Report::with_message("invalid", "--brand is given more often than --order."));
    }
    let staged = match a.products.as_slice() {
        [] | [_] => {
            common::read_inputs(order, a.products.first().map(String::as_str), a.brand.first().map(String::as_str))?
        }
        several => {
            let parsed = common::read_order(order)?;
            let products = crate::batch::read_all_products(several)?;
            common::with_brand(parsed, products, a.brand.first().map(String::as_str))?
        }
    };
    exportable(staged, order)
}

/// The order can become a PO ([`check_exportable`]: not cancelled, a size with a quantity above 0).
pub fn exportable(staged: Staged, path: &str) -> Result<Staged, Report> {
    match check_exportable(&staged.order) {
        Ok(()) => Ok(staged),
        Err(PlanError::NothingToExport) => Err(Report::with_message(
            "invalid",
            format!("{path}: the order has no size with a quantity above 0 (line_items[].sizes[].quantity); there is nothing to export."),
        )),
        Err(e) => Err(Report::with_message("invalid", format!("{path}: {e} Nothing was written."))),
    }
}

pub fn parse_shop(shop: &str) -> Result<ShopId, Report> {
    shop.trim().parse().ok().filter(|s: &ShopId| s.0 > 0).ok_or_else(|| {
        Report::with_message(
            "invalid",
            format!("--shop must be a Lightspeed shop id (a positive number), got {shop:?}."),
        )
    })
}

/// The shop: known to the account and live.
pub fn live_shop(client: &Client, shop_id: ShopId, account_id: &str) -> Result<Shop, Report> {
    let shops = block_on(client.list_all(&ListShops { archived: Archived::Include }))
        .map_err(|e| common::failed_client(e, "Reading the shops failed"))?;
    match shops.iter().find(|s| s.shop_id == shop_id) {
        None => {
            let live: Vec<String> =
                shops.iter().filter(|s| !s.archived).map(|s| format!("{} ({})", s.shop_id, s.name)).collect();
            Err(Report::with_message(
                "invalid",
                format!(
                    "--shop {shop_id}: Lightspeed account {account_id} has no such shop. Live shops: {}.",
                    live.join(", ")
                ),
            ))
        }
        Some(s) if s.archived => Err(Report::with_message(
            "invalid",
            format!("--shop {shop_id}: the shop \"{}\" is archived; a purchase order needs a live shop.", s.name),
        )),
        Some(s) => Ok(s.clone()),
    }
}

/// An interrupted job of ours resumes (never on a dry run): the application layer's rule.
fn resume_stored(client: &Client, store: &FileStore, key: &JobKey, dry_run: bool) -> Result<Option<Report>, Report> {
    let stored = store
        .journal(key)
        .map_err(|e| Report::with_message("failed", format!("{e}. Nothing was written to Lightspeed.")))?;
    if dry_run || !stored.as_ref().is_some_and(rerun_resumes) {
        return Ok(None);
    }
    let summary = store.summary(key).ok().flatten().and_then(|v| serde_json::from_value::<ItemCounts>(v).ok());
    Ok(Some(finish(client, store, key, None, summary)))
}

/// Preview, then (unless a dry run or a choice is needed) export.
fn export_new(
    client: &Client,
    store: &FileStore,
    key: &JobKey,
    staged: Staged,
    shop: &Shop,
    dry_run: bool,
) -> Result<Report, Report> {
    let p = block_on(preview(client, store, &key.account_id, &staged)).map_err(|e| run_error(e, false))?;
    if let Some(po) = p.existing_po {
        let mut r = Report::with_message(
            "already_exported",
            format!(
                "Lightspeed already has purchase order {po} for NuORDER order {}; nothing was written.",
                staged.order.order_number
            ),
        );
        r.po_id = Some(po);
        return Ok(r);
    }
    let counts = ItemCounts::of(&p.plan.counts);
    let base = |status: &'static str| Report {
        status,
        vendor_id: p.plan.vendor.id(),
        lines: plan_lines(&p.plan, &staged.order, key, shop.shop_id),
        counts,
        ..Report::default()
    };
    if dry_run {
        return Ok(base("preview"));
    }
    if !p.plan.is_ready() {
        let mut r = base("needs_choice");
        r.message = Some(needs_choice_message(&p.plan).into());
        return Ok(r);
    }
    let _ = store.set_summary(key, serde_json::to_value(counts).unwrap_or_default());
    let start = start_job(staged, p.plan.clone(), shop, &NativeCalendar);
    Ok(finish(client, store, key, Some(start), Some(counts)))
}

/// Lines the PO would have (rows merged by item and price).
pub fn plan_lines(plan: &Plan, order: &Order, key: &JobKey, shop: ShopId) -> usize {
    match build_journal(plan, order, &key.account_id, shop, "2000-01-01") {
        Ok(j) => line_count(&j),
        Err(_) => plan.rows.len(),
    }
}

fn line_count(j: &Journal) -> usize {
    j.steps.iter().filter(|s| matches!(s.kind, StepKind::Line { .. })).count()
}

pub fn needs_choice_message(plan: &Plan) -> String {
    let rows: Vec<String> = plan
        .rows
        .iter()
        .filter(|r| matches!(r.status, po_bridge::export::plan::RowStatus::NeedsChoice { choice: None, .. }))
        .take(10)
        .map(|r| {
            let why = match &r.status {
                po_bridge::export::plan::RowStatus::NeedsChoice { reason, .. } => match reason {
                    po_bridge::export::plan::ChoiceReason::SeveralMatches => {
                        "several Lightspeed items match".to_string()
                    }
                    po_bridge::export::plan::ChoiceReason::ArchivedOnly => {
                        "only archived Lightspeed items match".to_string()
                    }
                    po_bridge::export::plan::ChoiceReason::LinkVanished { item_id, .. } => {
                        format!("the item an earlier export used ({item_id}) is gone or archived, perhaps merged")
                    }
                },
                _ => String::new(),
            };
            format!("{} {} {}: {why}", r.style_number, r.color.as_deref().unwrap_or(""), r.key.size)
        })
        .collect();
    format!(
        "{} size rows need a choice before this order can be exported (nothing was written): {}. Choose in the PO Bridge export dialog, or fix the items in Lightspeed and run again.",
        plan.counts.needs_choice,
        rows.join("; ")
    )
}

pub fn run_error(e: RunError, started: bool) -> Report {
    let retryable = e.is_retryable();
    let tail = match (started, retryable) {
        (true, true) => " Run the same command again: the export resumes where it stopped and creates nothing twice.",
        (true, false) => " A rerun will not fix this.",
        (false, true) => " Nothing was written; run the same command again later.",
        (false, false) => " Nothing was written.",
    };
    let msg = advice(&AppError::Run(e), Surface::Cli).message;
    Report::with_message("failed", format!("{msg}{tail}"))
}

fn finish(
    client: &Client,
    store: &FileStore,
    key: &JobKey,
    start: Option<StartJob>,
    counts: Option<ItemCounts>,
) -> Report {
    let out = block_on(run_export(client, store, key, start, &mut |_| {}));
    report_of(out, store, key, counts)
}

/// The report of a job that ran (or stopped): its outcome, with the vendor, lines and counts of
/// its journal (`counts`: the plan's, when known).
pub fn report_of(
    out: Result<RunOutcome, RunError>,
    store: &FileStore,
    key: &JobKey,
    counts: Option<ItemCounts>,
) -> Report {
    let j = store.journal(key).ok().flatten();
    let mut r = match out {
        Err(e) => return run_error(e, true),
        Ok(RunOutcome::Exported { po_id }) => {
            let mut r = Report::new("exported");
            r.po_id = Some(po_id);
            r
        }
        Ok(RunOutcome::AlreadyExported { po_id }) => {
            let mut r = Report::with_message(
                "already_exported",
                format!("Lightspeed already has purchase order {po_id} for this order; nothing was written."),
            );
            r.po_id = Some(po_id);
            return r;
        }
        Ok(RunOutcome::NeedsChoice { rows }) => Report::with_message(
            "needs_choice",
            format!("{rows} size rows need a choice; nothing was written."),
        ),
        Ok(RunOutcome::NeedsRelink) => Report::with_message(
            "failed",
            "Lightspeed refused LIGHTSPEED_ACCESS_TOKEN (expired or revoked) part-way. Set a fresh token and run the same command again: the export resumes where it stopped.",
        ),
        Ok(RunOutcome::Paused { resume_after_ms }) => Report::with_message(
            "failed",
            format!("Lightspeed's rate limit asks to wait {} s. Run the same command again after that: the export resumes where it stopped.", resume_after_ms.div_ceil(1000)),
        ),
        Ok(RunOutcome::Failed { message, retryable }) => Report::with_message(
            "failed",
            if retryable {
                format!("{message} (A rerun of the same command resumes.)")
            } else {
                format!("{message} (A rerun will not resume this export.)")
            },
        ),
    };
    if let Some(j) = &j {
        r.vendor_id = j.vendor_id();
        r.lines = line_count(j);
        if r.po_id.is_none() && r.status == "failed" {
            r.po_id = j.po_id();
        }
        r.counts = counts.unwrap_or_else(|| journal_counts(j));
    } else if let Some(c) = counts {
        r.counts = c;
    }
    r
}

/// Counts from a journal alone (no plan at hand): rows on existing items count as matched.
fn journal_counts(j: &Journal) -> ItemCounts {
    let mut c = ItemCounts::default();
    for r in &j.rows {
        match r.item {
            po_bridge::export::journal::ItemRef::Existing { .. } => c.matched += 1,
            po_bridge::export::journal::ItemRef::Step { .. } => c.created += 1,
        }
    }
    c
}
