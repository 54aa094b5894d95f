//! The browser's batch (issue 19), the dialog's side: a selection's orders staged one by one
//! ([`App::stage_record`]), one capability issued for the set ([`App::open_batch`]: bound to the
//! tab, the orders and the account), the batch dialog's content ([`App::preview_batch`], one read
//! phase for all orders with [`preview_set`]), its Export ([`App::start_batch`], which spends the
//! capability and keeps the job set) and the bar's Cancel ([`App::cancel_batch`]). Running the set
//! is [`super::batch_run`]'s.

use super::capability::{self, Capability, Holder, Use};
use super::dialog_text::currency_warning;
use super::errors::AppError;
use super::exports::start_job;
use super::keys::StorageKey;
use super::plan_view::RowView;
use super::platform::{Calendar, KvStore};
use super::service::{shop_views, App, Clients};
use super::sessions::Asker;
use super::status::{self, journal_view, local_journal, view};
use super::store;
use crate::export::batch::{cancel_job_set, preview_set, start_job_set, JobSet, SetKey};
use crate::export::journal::JobKey;
use crate::export::plan::{Plan, RowStatus};
use crate::export::runner::{Preview, StartJob};
use crate::export::status::JobStatus;
use crate::export::summary;
use crate::protocol::{BatchOrderView, BatchPick, BatchView, SetView};
use serde::{Deserialize, Serialize};

/// At most this many orders in one batch (the list's selection stops there too).
pub const MAX_BATCH: usize = crate::inpage::spec::LIMITS.max_batch;

/// The id of every batch starts with this (a capability naming one is a batch's).
pub const BATCH_ID_PREFIX: &str = "batch-";

const EMPTY: &str = "Select at least one order marked Not exported or Export failed, then export.";
const TOO_MANY: &str = "Select at most 50 orders at once, then export the rest in another batch.";
const NOT_THIS_TAB: &str = "These orders were not read on this page. Reload the page and select them again.";
const PREVIEW_AGAIN: &str =
    "PO Bridge no longer has this batch's review. Close this window and export the selection again.";
const NOT_READY: &str = "An order of this batch still needs a choice: choose for each of its rows, or leave it out.";

/// Which orders a batch's capability covers (stored under `batch:<set id>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRecord {
    pub order_ids: Vec<String>,
}

fn record_key(set_id: &str) -> String {
    format!("batch:{set_id}")
}

/// The bar's view of a set.
pub fn set_view(set: &JobSet) -> SetView {
    let (done, total) = set.progress();
    SetView {
        set_id: set.key.set_id.clone(),
        label: set.label(),
        done,
        total,
        finished: set.is_finished(),
        cancelled: set.cancelled,
    }
}

fn invalid(text: &str) -> AppError {
    AppError::Invalid(text.into())
}

impl<K: KvStore, Cal: Calendar, L: Clients> App<K, Cal, L> {
    /// Issue the batch dialog's capability for these staged orders (`nonce`: 24 random bytes, the
    /// first 16 the capability, the rest the set's id). Every order must have been staged by this
    /// tab for one account. Answers the set's id and the dialog's path.
    pub async fn open_batch(
        &self,
        order_ids: Vec<String>,
        asker: Asker,
        nonce: &[u8],
    ) -> Result<(String, String), AppError> {
        let tab_id = asker.tab_id.ok_or(AppError::NoSession)?;
        if order_ids.is_empty() {
            return Err(invalid(EMPTY));
        }
        if order_ids.len() > MAX_BATCH {
            return Err(invalid(TOO_MANY));
        }
        let mut account_id: Option<String> = None;
        for id in &order_ids {
            let (_, record, account) = self.load_staged(id).await?;
            let other = account_id.as_ref().is_some_and(|a| a != &account.account_id);
            if record.tab_id != Some(tab_id) || other {
                return Err(invalid(NOT_THIS_TAB));
            }
            account_id = Some(account.account_id);
        }
        let (cap_bytes, set_bytes) = nonce.split_at(nonce.len().min(16));
        let set_id = format!("{BATCH_ID_PREFIX}{}", capability::token(set_bytes));
        let mut ids = order_ids;
        ids.dedup();
        let value = serde_json::to_value(BatchRecord { order_ids: ids }).map_err(|e| invalid(&e.to_string()))?;
        self.store.put(&record_key(&set_id), value).await?;
        let now = self.calendar.now_ms();
        let cap =
            Capability { tab_id, order_id: set_id.clone(), account_id, issued_ms: now, frame_id: None, spent: false };
        Ok((set_id, self.issue(cap, cap_bytes).await?))
    }

    /// The batch a capability names (`None`: it is a single order's), checked for `usage`.
    async fn batch_of(
        &self,
        token: &str,
        holder: Holder,
        usage: Use,
    ) -> Result<Option<(Capability, BatchRecord)>, AppError> {
        let cap = self.capability(token, holder, None, usage).await?;
        if !cap.order_id.starts_with(BATCH_ID_PREFIX) {
            return Ok(None);
        }
        let value = self.store.get(&record_key(&cap.order_id)).await?;
        let record = value.and_then(crate::core::objects::read).ok_or_else(capability::refused)?;
        Ok(Some((cap, record)))
    }

    /// The batch dialog's content for the set its capability names (`None`: a single order's
    /// capability, shown by [`App::preview`]): every order read together ([`preview_set`]), each
    /// plan kept for the start.
    pub async fn preview_batch(&self, token: &str, holder: Holder) -> Result<Option<BatchView>, AppError> {
        let Some((cap, record)) = self.batch_of(token, holder, Use::Preview).await? else {
            return Ok(None);
        };
        let mut staged = Vec::new();
        let mut account = None;
        for id in &record.order_ids {
            let (s, _, a) = self.load_staged(id).await?;
            if cap.account_id.as_ref() != Some(&a.account_id) {
                return Err(capability::refused());
            }
            staged.push(s);
            account = Some(a);
        }
        let account = account.ok_or_else(capability::refused)?;
        let shops = shop_views(&self.shops(&account).await?);
        if shops.is_empty() {
            return Err(AppError::NoActiveShop);
        }
        let client = self.clients.client(&account);
        let currency = self.account_currency(&account).await;
        for s in &mut staged {
            s.priced_for(currency.as_deref());
        }
        let previews = preview_set(&*client, &self.journals(), &account.account_id, &staged).await?;
        let mut orders = Vec::new();
        for (s, p) in staged.iter().zip(previews) {
            orders.push(self.batch_order((&account, currency.as_deref()), s, p).await?);
        }
        Ok(Some(BatchView {
            account_name: account.name.clone(),
            default_shop_id: account.default_shop_id.clone().filter(|d| shops.iter().any(|s| &s.shop_id == d)),
            shops,
            orders,
        }))
    }

    /// One order's line in the batch dialog (its plan kept when it can be exported).
    async fn batch_order(
        &self,
        (account, currency): (&super::accounts::LightspeedAccount, Option<&str>),
        s: &crate::export::runner::Staged,
        preview: Result<Preview, crate::export::plan::PlanError>,
    ) -> Result<BatchOrderView, AppError> {
        let (id, number) = (s.order.id.as_str(), s.order.order_number.as_str());
        let (units, cost) = summary::totals(&s.order);
        let total = cost.map(|c| format!("{c} {}", s.order.currency)).unwrap_or_default();
        let mut line = BatchOrderView {
            order_id: id.to_string(),
            order_number: number.to_string(),
            brand: s.brand.name.clone().unwrap_or_default(),
            units,
            total,
            matched: 0,
            new: 0,
            needs_choice: 0,
            ready: false,
            can_choose: false,
            choice_rows: serde_json::Value::Null,
            note: None,
            warning: None,
            status: view(Some(account), number, Some(id), JobStatus::NotExported),
        };
        let plan = match preview {
            Err(e) => {
                line.note = Some(e.to_string());
                return Ok(line);
            }
            Ok(p) => p,
        };
        let c = plan.plan.counts;
        (line.matched, line.new, line.needs_choice) = (c.matched_tab() - c.needs_choice, c.new_tab(), c.needs_choice);
        line.brand.clone_from(&plan.plan.brand);
        let job = local_journal(&self.store, &account.account_id, id).await;
        let status = match (&job, plan.existing_po) {
            (Some(j), _) => JobStatus::of_journal(j),
            (None, Some(po_id)) => JobStatus::Exported { po_id },
            (None, None) => JobStatus::NotExported,
        };
        line.status = match &job {
            Some(j) => journal_view(account, j),
            None => view(Some(account), number, Some(id), status.clone()),
        };
        let open = status.is_open();
        line.warning = open.then(|| currency_warning(s.order.currency.as_str(), currency)).flatten();
        line.ready = open && plan.plan.is_ready();
        line.can_choose = open && !plan.plan.is_ready();
        if line.can_choose {
            let rows: Vec<RowView> = plan
                .plan
                .rows
                .iter()
                .filter(|r| matches!(r.status, RowStatus::NeedsChoice { .. }))
                .map(RowView::from)
                .collect();
            line.choice_rows = serde_json::to_value(rows).map_err(|e| invalid(&e.to_string()))?;
        }
        line.note = match status {
            _ if line.can_choose => Some(format!(
                "{} item(s) need a choice: choose them to export this order, or it is left out of this batch.",
                c.needs_choice
            )),
            JobStatus::NotExported | JobStatus::Failed { .. } => None,
            _ => Some(format!("{}: left out of this batch.", line.status.badge.text)),
        };
        let key = StorageKey::Plan(JobKey { account_id: account.account_id.clone(), order_id: id.to_string() });
        store::put(&self.store, &key, &plan.plan).await?;
        Ok(line)
    }

    /// The batch dialog's Export: these orders (each of the capability's set, each with a plan
    /// from the review that is ready once the pick's choices are made, by the same rule as a single
    /// export's, [`Plan::choose`]) to these locations, kept as one job set in this order. Spends
    /// the capability. Answers the set to run.
    pub async fn start_batch(&self, token: &str, holder: Holder, picks: Vec<BatchPick>) -> Result<JobSet, AppError> {
        let (cap, record) = self.batch_of(token, holder, Use::Write).await?.ok_or_else(capability::refused)?;
        if picks.is_empty() {
            return Err(invalid(EMPTY));
        }
        if picks.iter().any(|p| !record.order_ids.contains(&p.order_id)) {
            return Err(capability::refused());
        }
        let account_id = cap.account_id.clone().ok_or(AppError::NoAccount)?;
        let shops = self.shops(&self.state().await?.account(&account_id).cloned().ok_or(AppError::NoAccount)?).await?;
        let mut jobs: Vec<StartJob> = Vec::new();
        for pick in &picks {
            let (staged, _, _) = self.load_staged(&pick.order_id).await?;
            let key = StorageKey::Plan(JobKey { account_id: account_id.clone(), order_id: pick.order_id.clone() });
            let mut plan: Plan = store::get(&self.store, &key).await?.ok_or_else(|| invalid(PREVIEW_AGAIN))?;
            for c in &pick.choices {
                plan.choose(&c.row, c.choice.clone()).map_err(|e| invalid(e.advice()))?;
            }
            if !plan.is_ready() {
                return Err(invalid(NOT_READY));
            }
            let shop = shops.iter().find(|s| s.shop_id.to_string() == pick.shop_id).ok_or_else(|| {
                invalid("That location is archived or unknown in Lightspeed. Choose another location.")
            })?;
            status::remember_number(&self.store, &account_id, &staged.order.order_number, &pick.order_id).await;
            jobs.push(start_job(staged, plan, shop, &self.calendar));
        }
        let key = SetKey { account_id, set_id: cap.order_id.clone() };
        self.spend(token, cap).await?;
        Ok(start_job_set(&self.journals(), &key, &jobs).await?)
    }

    /// The bar's Cancel, for a batch of the tab's account: no further order starts.
    pub async fn cancel_batch(&self, set_id: &str, asker: Asker) -> Result<SetView, AppError> {
        let account = self.account_for_tab(asker).await?;
        let key = SetKey { account_id: account.account_id, set_id: set_id.to_string() };
        let set = cancel_job_set(&self.journals(), &key)
            .await?
            .ok_or_else(|| AppError::NotFound("There is no batch to cancel.".into()))?;
        Ok(set_view(&set))
    }
}
