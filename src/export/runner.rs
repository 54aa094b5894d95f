//! The export runner: the engine's pure parts ([`super::plan`], [`super::job`],
//! [`super::journal`]) driven against a [`LightspeedClient`] and a [`JournalStore`].
//!
//! - [`preview`] reads what the plan needs (vendor by link / `b2bSellerUID` / name, linked items,
//!   codes in `IN` batches of ≤ 100 with archived items, vendor numbers and manufacturer SKUs of
//!   code-less rows, then a second round for vanished links) and looks for an existing PO
//!   (`refNum` or `b2bOrderNumber`, archived included). It writes nothing.
//! - [`run_export`] starts a job from a ready plan ([`StartJob`]) or resumes the stored one, and
//!   loops `next_action → perform → apply`, saving the journal before every write
//!   (`IntentRecorded`) and after every result. A write whose outcome is unknown (dropped
//!   connection, 5xx after sending, kill between commit and save) is resolved by the step's lookup
//!   on the next turn — never re-sent blindly. `on_progress` sees every saved journal.
//! - It stops with a [`RunOutcome`]: exported, already exported, needs relink (paused, never
//!   failed), needs choice, failed (with advice and whether a rerun resumes), or paused for the
//!   rate limit (`resume_after_ms`, so the browser can set an alarm instead of staying awake).
//! - [`exported_orders`] answers "which of these order numbers does Lightspeed already have a PO
//!   for" in `IN` batches, for the badges on NuORDER's order list.
//!
//! Generic over the client's `Transport`/`Clock`/`TokenSource`; no I/O of its own, so it builds
//! for wasm32 as well.

use super::codes::{in_batches, Code, CodeField};
use super::job::{build_journal, JobError};
use super::journal::{
    apply, existing_po, next_action, pick_item, pick_line, pick_matrix, pick_po, pick_vendor, Action, Event, JobKey,
    Journal, JournalError, JournalStore, Outcome, StepKind, JOURNAL_VERSION,
};
use super::plan::{
    lookups_needed, plan, BrandContext, Catalog, KnownItem, KnownVendor, Links, Lookups, Plan, PlanError,
};
use super::po::ref_num;
use crate::lightspeed::client::{ClientError, LightspeedClient, TokenSource};
use crate::lightspeed::endpoints::{
    Archived, CreateItem, CreateItemMatrix, CreateOrder, CreateOrderLine, CreateVendor, EndpointError, GetVendor,
    ItemInField, ListItemMatrices, ListItemsByCodes, ListItemsIn, ListOrderLines, ListOrders, ListVendors, UpdateOrder,
};
use crate::lightspeed::http::{Clock, Transport};
use crate::lightspeed::{Item, ItemId, OrderId, ShopId, VendorId};
use crate::nuorder::model::{Order, Product};
use std::collections::BTreeMap;

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

/// How a [`run_export`] call ended.
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
    /// [`run_export`] again resumes it.
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

fn store_err(e: impl std::fmt::Display) -> RunError {
    RunError::Store(e.to_string())
}

// ------------------------------------------------------------------------------------------------
// Lookups (read-only)
// ------------------------------------------------------------------------------------------------

async fn items_in<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    field: ItemInField,
    values: Vec<String>,
) -> Result<Vec<Item>, RunError> {
    let mut ep = ListItemsIn::new(field, values)?;
    ep.load_relations = ITEM_RELATIONS.to_vec();
    Ok(client.list_all(&ep).await?)
}

async fn items_by_codes<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    field: CodeField,
    values: Vec<String>,
) -> Result<Vec<Item>, RunError> {
    let mut ep = ListItemsByCodes::new(field, values)?;
    ep.load_relations = ITEM_RELATIONS.to_vec();
    Ok(client.list_all(&ep).await?)
}

/// Fetches the item lookups of `l` into `catalog` (vendor fields ignored).
async fn fetch_items<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    l: &Lookups,
    catalog: &mut Catalog,
) -> Result<(), RunError> {
    for batch in &l.item_ids {
        let mut ep = ListItemsIn::ids(batch.iter().copied())?;
        ep.load_relations = ITEM_RELATIONS.to_vec();
        catalog.add_items(&client.list_all(&ep).await?);
    }
    for batch in &l.codes {
        catalog.add_items(&items_by_codes(client, batch.field, batch.values.clone()).await?);
    }
    for batch in &l.vendor_numbers {
        catalog.add_items(&items_in(client, ItemInField::VendorNumber, batch.clone()).await?);
    }
    for batch in &l.manufacturer_skus {
        catalog.add_items(&items_in(client, ItemInField::ManufacturerSku, batch.clone()).await?);
    }
    Ok(())
}

async fn vendors_named<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    name: &str,
) -> Result<Vec<KnownVendor>, RunError> {
    let found = client
        .list_all(&ListVendors { name: Some(name.to_string()), b2b_seller_uid: None, archived: Archived::Include })
        .await?;
    Ok(found.iter().map(KnownVendor::from).collect())
}

/// POs that mark `order_number` exported (either marker, archived included).
async fn find_existing_po<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    ref_num: &str,
    b2b: &str,
) -> Result<Option<OrderId>, RunError> {
    let orders = match ListOrders::by_either(ref_num, b2b) {
        Ok(ep) => client.list_all(&ep).await?,
        // A value the `or=` filter cannot carry: ask twice.
        Err(_) => {
            let mut all = client.list_all(&ListOrders::by_ref_num(ref_num)).await?;
            all.extend(client.list_all(&ListOrders::by_b2b_order_number(b2b)).await?);
            all
        }
    };
    Ok(existing_po(ref_num, b2b, &orders))
}

fn bare(order_number: &str) -> String {
    order_number.trim().trim_start_matches('#').trim().to_string()
}

/// Read-only: looks up what the plan needs and builds it; also checks whether Lightspeed already
/// has a PO for the order. Writes nothing (not even links).
pub async fn preview<T: Transport, C: Clock, S: TokenSource, J: JournalStore>(
    client: &LightspeedClient<T, C, S>,
    store: &J,
    account_id: &str,
    staged: &Staged,
) -> Result<Preview, RunError> {
    let links = store.load_links(account_id).await.map_err(store_err)?;
    let order = &staged.order;
    let lookups = lookups_needed(order, &staged.brand, &links)?;
    let mut catalog = Catalog::default();

    // Vendor: the linked one, the seller uid, the exact name.
    if let Some(id) = lookups.vendor_id {
        match client.one(&GetVendor(id)).await {
            Ok(v) => catalog.add_vendor((&v).into()),
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(uid) = lookups.seller_uid.as_deref().filter(|u| !u.trim().is_empty()) {
        let found = client
            .list_all(&ListVendors {
                name: None,
                b2b_seller_uid: Some(uid.trim().to_string()),
                archived: Archived::Include,
            })
            .await?;
        catalog.add_vendors(&found);
    }
    for v in vendors_named(client, &lookups.vendor_name).await? {
        catalog.add_vendor(v);
    }

    // Items: linked, by code, by vendor number / SKU; then replacements for vanished links.
    fetch_items(client, &lookups, &mut catalog).await?;
    let second = Lookups::for_vanished_links(order, &links, &catalog);
    if !second.no_item_queries() {
        fetch_items(client, &second, &mut catalog).await?;
    }
    // Vendor numbers only tie to a vendor once it is known: if the vendor was resolved but the
    // SKU lookups ran without it, the plan still filters by vendor id itself.
    let plan = plan(order, &staged.products, &staged.brand, &links, &catalog)?;
    let existing_po = find_existing_po(client, &ref_num(&order.order_number), &bare(&order.order_number)).await?;
    Ok(Preview { plan, existing_po })
}

/// Which of these NuORDER order numbers Lightspeed already has a PO for (our `refNum`
/// `NuORDER <n>`, or the first-party `b2bOrderNumber` = n; archived included), in `IN` batches of
/// ≤ 100 values: order number (as given) → PO id (the lowest when several).
pub async fn exported_orders<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    order_numbers: &[String],
) -> Result<BTreeMap<String, OrderId>, RunError> {
    // bare number → the caller's spellings of it
    let mut by_bare: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for n in order_numbers {
        let b = bare(n);
        if !b.is_empty() {
            by_bare.entry(b).or_default().push(n);
        }
    }
    let mut found: BTreeMap<String, OrderId> = BTreeMap::new();
    let mut note = |bare_number: &str, id: OrderId| {
        let e = found.entry(bare_number.to_string()).or_insert(id);
        if id < *e {
            *e = id;
        }
    };
    for batch in in_batches(by_bare.keys().cloned()) {
        let refs: Vec<String> = batch.iter().map(|b| ref_num(b)).collect();
        for (field, values) in [("refNum", refs), ("b2bOrderNumber", batch.clone())] {
            let ep = OrdersIn { field, values: values.clone() };
            for o in client.list_all(&ep).await? {
                let hit = match field {
                    "refNum" => o.ref_num.as_deref().and_then(|r| r.trim().strip_prefix("NuORDER ")).map(str::trim),
                    _ => o.b2b_order_number.as_deref().map(str::trim),
                };
                if let Some(h) = hit.filter(|h| by_bare.contains_key(*h)) {
                    note(h, o.order_id);
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    for (b, id) in found {
        for n in &by_bare[&b] {
            out.insert((*n).clone(), id);
        }
    }
    Ok(out)
}

/// `GET Order.json?{refNum|b2bOrderNumber}=IN,[…]&archived=true` (≤ 100 values).
struct OrdersIn {
    field: &'static str,
    values: Vec<String>,
}

impl crate::lightspeed::endpoints::Endpoint for OrdersIn {
    type Record = crate::lightspeed::Order;
    fn to_http(&self, api_base: &str, account_id: &str) -> crate::lightspeed::http::HttpRequest {
        let list = serde_json::to_string(&self.values).expect("strings serialize");
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair(self.field, &format!("IN,{list}"));
        q.append_pair("archived", "true");
        let url = format!(
            "{}/API/V3/Account/{account_id}/Order.json?{}",
            api_base.trim_end_matches('/'),
            q.finish().replace('+', "%20")
        );
        crate::lightspeed::http::HttpRequest::new(crate::lightspeed::http::Method::Get, url)
            .with_header("Accept", "application/json")
    }
}

// ------------------------------------------------------------------------------------------------
// The job
// ------------------------------------------------------------------------------------------------

async fn save<J: JournalStore>(store: &J, j: &Journal, on_progress: &mut dyn FnMut(&Journal)) -> Result<(), RunError> {
    store.save(j).await.map_err(store_err)?;
    on_progress(j);
    Ok(())
}

async fn record<J: JournalStore>(
    store: &J,
    j: &mut Journal,
    event: Event,
    on_progress: &mut dyn FnMut(&Journal),
) -> Result<(), RunError> {
    apply(j, event)?;
    save(store, j, on_progress).await
}

/// The stop the journal's outcome means.
fn outcome_of(o: &Outcome) -> Option<RunOutcome> {
    match o {
        Outcome::Running => None,
        Outcome::Exported { po_id } => Some(RunOutcome::Exported { po_id: *po_id }),
        Outcome::AlreadyExported { po_id } => Some(RunOutcome::AlreadyExported { po_id: *po_id }),
        Outcome::NeedsRelink => Some(RunOutcome::NeedsRelink),
        Outcome::Failed { message, retryable } => {
            Some(RunOutcome::Failed { message: message.clone(), retryable: *retryable })
        }
    }
}

/// Starts (if no journal exists for `key`) or resumes the job, and runs it until it finishes,
/// stops (already exported, needs relink, needs choice, failed) or must wait for the rate limit
/// ([`RunOutcome::Paused`]). A stored job paused for re-linking or stopped by a retryable failure
/// is resumed (calling again *is* the retry). `start` is ignored when a job is stored, except
/// that a job that failed for good before creating its PO is replaced by a new one.
/// `on_progress` is called after every journal save.
pub async fn run_export<T: Transport, C: Clock, S: TokenSource, J: JournalStore>(
    client: &LightspeedClient<T, C, S>,
    store: &J,
    key: &JobKey,
    start: Option<StartJob>,
    on_progress: &mut dyn FnMut(&Journal),
) -> Result<RunOutcome, RunError> {
    let stored = store.load(key).await.map_err(store_err)?;
    let stored = match stored {
        Some(j) if j.version != JOURNAL_VERSION => {
            return Err(RunError::Version { found: j.version, expected: JOURNAL_VERSION })
        }
        // A dead job that never created its PO: a new start replaces it.
        Some(j)
            if start.is_some()
                && matches!(j.outcome, Outcome::Failed { retryable: false, .. })
                && j.po_id().is_none() =>
        {
            None
        }
        other => other,
    };
    let mut j = match stored {
        Some(j) => j,
        None => {
            let Some(s) = start else {
                return Err(RunError::NoJob(key.order_id.clone()));
            };
            if s.plan.order_id != key.order_id {
                return Err(RunError::Job(JobError::WrongOrder {
                    plan: s.plan.order_id.clone(),
                    order: key.order_id.clone(),
                }));
            }
            if !s.plan.is_ready() {
                return Ok(RunOutcome::NeedsChoice { rows: s.plan.counts.needs_choice });
            }
            let j = build_journal(&s.plan, &s.staged.order, &key.account_id, s.shop_id, &s.today)?;
            save(store, &j, on_progress).await?;
            j
        }
    };
    if matches!(j.outcome, Outcome::NeedsRelink | Outcome::Failed { retryable: true, .. }) {
        record(store, &mut j, Event::Resume, on_progress).await?;
    }
    drive(client, store, &mut j, on_progress).await
}

/// Maps a client error during a step to the journal and the outcome.
async fn stop_on_error<J: JournalStore>(
    store: &J,
    j: &mut Journal,
    e: RunError,
    on_progress: &mut dyn FnMut(&Journal),
) -> Result<RunOutcome, RunError> {
    match &e {
        RunError::Client(ClientError::RateLimited { retry_after_ms }) => {
            // The journal stays Running: the next call continues with this step.
            Ok(RunOutcome::Paused { resume_after_ms: *retry_after_ms })
        }
        RunError::Client(c) if c.needs_relink() => {
            record(store, j, Event::NeedsRelink, on_progress).await?;
            Ok(RunOutcome::NeedsRelink)
        }
        RunError::Client(_) | RunError::Endpoint(_) => {
            let retryable = e.is_retryable();
            let mut message = e.user_message();
            if retryable && !message.contains("resumes") {
                message.push_str(" Export again to resume where it stopped.");
            }
            if !retryable {
                message.push_str(" This export stopped; nothing more will be written for it.");
            }
            record(store, j, Event::Failed { message: message.clone(), retryable }, on_progress).await?;
            Ok(RunOutcome::Failed { message, retryable })
        }
        // Storage and journal errors cannot be recorded reliably: hand them back.
        _ => Err(e),
    }
}

async fn drive<T: Transport, C: Clock, S: TokenSource, J: JournalStore>(
    client: &LightspeedClient<T, C, S>,
    store: &J,
    j: &mut Journal,
    on_progress: &mut dyn FnMut(&Journal),
) -> Result<RunOutcome, RunError> {
    let mut unknown: BTreeMap<usize, u32> = BTreeMap::new();
    loop {
        let action = next_action(j);
        match &action {
            Action::Finished { po_id } => return Ok(RunOutcome::Exported { po_id: *po_id }),
            Action::Stopped(o) => {
                return Ok(outcome_of(o).unwrap_or(RunOutcome::Failed {
                    message: "PO Bridge could not continue this export. Please report it.".into(),
                    retryable: false,
                }))
            }
            _ => {}
        }
        let step = action.step().expect("actions other than Finished/Stopped have a step");
        if action.is_write() {
            record(store, j, Event::IntentRecorded { step }, on_progress).await?;
        }
        let event = match perform(client, store, j, &action).await {
            Ok(ev) => ev,
            Err(RunError::Client(ClientError::OutcomeUnknown { .. })) => {
                let n = unknown.entry(step).or_default();
                *n += 1;
                if *n > MAX_UNKNOWN_PER_STEP {
                    let message = "Lightspeed keeps dropping the connection while PO Bridge saves. Try again in a few minutes; the export resumes where it stopped and creates nothing twice.".to_string();
                    record(store, j, Event::Failed { message: message.clone(), retryable: true }, on_progress).await?;
                    return Ok(RunOutcome::Failed { message, retryable: true });
                }
                Event::OutcomeUnknown { step }
            }
            Err(e) => return stop_on_error(store, j, e, on_progress).await,
        };
        record(store, j, event, on_progress).await?;
    }
}

/// Performs one action and reports it as an [`Event`].
async fn perform<T: Transport, C: Clock, S: TokenSource, J: JournalStore>(
    client: &LightspeedClient<T, C, S>,
    store: &J,
    j: &Journal,
    action: &Action,
) -> Result<Event, RunError> {
    let found = |step: usize, id: Option<u64>| match id {
        Some(id) => Event::Found { step, id },
        None => Event::NotFound { step },
    };
    Ok(match action {
        Action::CheckExists { step, ref_num, b2b_order_number } => {
            found(*step, find_existing_po(client, ref_num, b2b_order_number).await?.map(|o| o.0))
        }
        Action::FindVendor { step, name } => {
            let vendors = vendors_named(client, name).await?;
            found(*step, pick_vendor(name, &vendors).map(|v| v.0))
        }
        Action::CreateVendor { step, write } => {
            let v = client.one(&CreateVendor(write.clone())).await?;
            Event::Created { step: *step, id: v.vendor_id.0 }
        }
        Action::FindMatrix { step, description, .. } => {
            let StepKind::Matrix { draft, .. } = &j.steps[*step].kind else {
                return Err(JournalError::Illegal("matrix lookup for a non-matrix step".into()).into());
            };
            let matrices = client.list_all(&ListItemMatrices::by_description(description.clone())).await?;
            found(*step, pick_matrix(draft, &matrices).map(|m| m.0))
        }
        Action::CreateMatrix { step, write } => {
            let m = client.one(&CreateItemMatrix(write.clone())).await?;
            Event::Created { step: *step, id: m.item_matrix_id.0 }
        }
        Action::FindItem { step, code, vendor_number, manufacturer_sku } => {
            let StepKind::Item { draft, .. } = &j.steps[*step].kind else {
                return Err(JournalError::Illegal("item lookup for a non-item step".into()).into());
            };
            let vendor = j.vendor_id().unwrap_or(VendorId(0));
            let items = find_item_candidates(client, code.as_ref(), vendor_number, manufacturer_sku).await?;
            found(*step, pick_item(draft, vendor, &items).map(|i| i.0))
        }
        Action::CreateItem { step, write } => {
            let i = client.one(&CreateItem(write.clone())).await?;
            Event::Created { step: *step, id: i.item_id.0 }
        }
        Action::FindPo { step, ref_num } => {
            let orders = client.list_all(&ListOrders::by_ref_num(ref_num)).await?;
            found(*step, pick_po(ref_num, &orders).map(|o| o.0))
        }
        Action::CreatePo { step, write } => {
            let o = client.one(&CreateOrder(write.clone())).await?;
            Event::Created { step: *step, id: o.order_id.0 }
        }
        Action::FindLine { step, po, .. } => {
            let lines = client.list_all(&ListOrderLines { order_id: *po }).await?;
            found(*step, pick_line(j, *step, &lines))
        }
        Action::CreateLine { step, write } => {
            let l = client.one(&CreateOrderLine(write.clone())).await?;
            Event::Created { step: *step, id: l.order_line_id.0 }
        }
        Action::MarkOrdered { step, po, write } => {
            client.one(&UpdateOrder { id: *po, changes: write.clone() }).await?;
            Event::Completed { step: *step }
        }
        Action::SaveLinks { step, links } => {
            let mut all: Links = store.load_links(&j.key.account_id).await.map_err(store_err)?;
            all.merge(links);
            store.save_links(&j.key.account_id, &all).await.map_err(store_err)?;
            Event::Completed { step: *step }
        }
        Action::Finished { .. } | Action::Stopped(_) => {
            return Err(JournalError::Illegal("no step to perform".into()).into())
        }
    })
}

/// Items a resumed item step may have created: by every form of its code in `upc` and `ean`;
/// else by vendor number and by manufacturer SKU.
async fn find_item_candidates<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    code: Option<&Code>,
    vendor_number: &Option<(VendorId, String)>,
    manufacturer_sku: &str,
) -> Result<Vec<KnownItem>, RunError> {
    let mut items: Vec<Item> = Vec::new();
    match code {
        Some(c) => {
            for field in [CodeField::Upc, CodeField::Ean] {
                items.extend(items_by_codes(client, field, c.query_forms()).await?);
            }
        }
        None => {
            if let Some((_, v)) = vendor_number {
                items.extend(items_in(client, ItemInField::VendorNumber, vec![v.clone()]).await?);
            }
            if !manufacturer_sku.trim().is_empty() {
                items.extend(items_in(client, ItemInField::ManufacturerSku, vec![manufacturer_sku.to_string()]).await?);
            }
        }
    }
    let mut catalog = Catalog::default();
    catalog.add_items(&items);
    Ok(catalog.items)
}

/// The item ids of a finished (or partly finished) job's rows, for reporting.
pub fn row_items(j: &Journal) -> BTreeMap<super::plan::RowKey, Option<ItemId>> {
    j.rows.iter().map(|r| (r.row.clone(), j.item_id(r.item))).collect()
}
