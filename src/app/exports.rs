//! The background's export requests as plain async functions: staging, page statuses, the dialog's
//! preview, start and retry, running a job, resuming on wake, history.

use super::accounts::{LightspeedAccount, NuorderAccount};
use super::batch::unfinished_sets;
use super::batch_page::with_queued;
use super::capability::{self, Capability, Holder, Refusal, Use};
use super::dates::ordered_date;
use super::dialog_text::{currency_warning, export_refusal};
use super::errors::AppError;
use super::history;
use super::keys::StorageKey;
use super::plan_view::PlanView;
use super::platform::{Calendar, KvStore};
use super::preview::{DialogView, PreviewView};
use super::recipients::Recipients;
use super::resume::{self, OnWake};
use super::service::{shop_views, App, Clients};
use super::sessions::{self, Asker};
use super::staging::{self, StagedRecord, MAX_STATUS_BATCH};
use super::status::{self, journal_view, local_journal, no_session_view, view, RecentAnswers};
use super::store;
use super::unfinished::{self, Reading};
use crate::export::journal::{JobKey, Journal};
use crate::export::plan::Plan;
use crate::export::runner::{self, Staged, StartJob};
use crate::export::status::JobStatus;
use crate::export::summary;
use crate::lightspeed::models::Shop;
use crate::lightspeed::ShopId;
use crate::protocol::{HistoryEntry, OrderRef, OrderStatusView, PageBrand, RowChoice};

pub(super) const NOT_STAGED: &str =
    "PO Bridge no longer has this order. Close this window and click Export order to POS again.";

/// A Retry from the popup's history once the export's account is unlinked.
pub(super) const RETRY_UNLINKED: &str = "The Lightspeed account this order was exported to is not linked any more. Connect it again with Connect Lightspeed, then use Retry.";

/// Where a previewed plan is kept: by account and order.
fn plan_key(account: &LightspeedAccount, order_id: &str) -> JobKey {
    JobKey { account_id: account.account_id.clone(), order_id: order_id.to_string() }
}

/// A new job for a ready plan and a live shop, with the ordered date decided here, once, by
/// [`ordered_date`] (the PO header takes the date it is given: `created_on` is left out of the
/// job's copy of the order). The extension and the command line both start jobs through this.
pub fn start_job(mut staged: Staged, plan: Plan, shop: &Shop, calendar: &impl Calendar) -> StartJob {
    let today = ordered_date(staged.order.created_on.as_ref(), shop.time_zone.as_deref(), calendar);
    staged.order.created_on = None;
    StartJob { staged, plan, shop_id: ShopId(shop.shop_id.0), today }
}

/// What a start or retry decided: the status to answer with, and the job to run (`start` is
/// `None` to resume a stored one). `buyer` is the job's buyer (the one signed in on the tab that
/// staged the order): only that buyer's tabs get its status events; `None` (a job whose staged
/// record is gone) sends them to the extension's pages only.
pub struct Run {
    pub account: LightspeedAccount,
    pub key: JobKey,
    pub start: Option<StartJob>,
    pub view: OrderStatusView,
    pub buyer: Option<NuorderAccount>,
}

impl<K: KvStore, Cal: Calendar, L: Clients> App<K, Cal, L> {
    /// Keep what a content script handed over, validated, for the tab's account, and issue the
    /// dialog's one-time capability (`nonce`: fresh random bytes) bound to the tab, the order and
    /// the account. A re-stage replaces the order's snapshot and drops its plan; expired snapshots,
    /// plans and capabilities are swept ([`staging::STAGED_TTL_MS`]). Answers the order's id and
    /// number and the dialog's path.
    pub async fn stage(
        &self,
        order: serde_json::Value,
        products: Vec<serde_json::Value>,
        brand: PageBrand,
        asker: Asker,
        nonce: &[u8],
    ) -> Result<(String, String, String), AppError> {
        let (record, order_id, order_number) = self.stage_record(order, products, brand, asker).await?;
        let cap = Capability {
            tab_id: record.tab_id.ok_or(AppError::NoSession)?,
            order_id: order_id.clone(),
            account_id: record.account_id,
            issued_ms: record.staged_ms,
            frame_id: None,
            spent: false,
        };
        Ok((order_id, order_number, self.issue(cap, nonce).await?))
    }

    /// Validate and keep what a content script handed over, for the tab's account (see
    /// [`App::stage`]; a selection's orders are staged by this alone). Answers the record kept,
    /// the order's id and number.
    pub async fn stage_record(
        &self,
        order: serde_json::Value,
        products: Vec<serde_json::Value>,
        brand: PageBrand,
        asker: Asker,
    ) -> Result<(StagedRecord, String, String), AppError> {
        let state = self.state().await?;
        let seen = self.sessions().await;
        let session = sessions::session_for(&seen, asker).ok_or(AppError::NoSession)?;
        let account_id = state.account_for(Some(&session.account)).map(|a| a.account_id.clone());
        let (tab_id, staged_ms) = (asker.tab_id, self.calendar.now_ms());
        let buyer = Some(session.account.clone());
        let record = StagedRecord { order, products, brand, tab_id, account_id, staged_ms, buyer };
        let staged = staging::validate(&record)?;
        // A buyer with no account yet still gets the dialog: its Connect step links one.
        if tab_id.is_none() {
            return Err(AppError::NoSession);
        }
        let (order_id, order_number) = (staged.order.id.clone(), staged.order.order_number.clone());
        self.sweep(staged_ms).await;
        if let Some(account_id) = &record.account_id {
            self.note_order(account_id, &staged.order).await;
            let plan_key = JobKey { account_id: account_id.clone(), order_id: order_id.clone() };
            store::delete(&self.store, &StorageKey::Plan(plan_key)).await?;
        }
        store::put(&self.store, &StorageKey::Staged(order_id.clone()), &record).await?;
        Ok((record, order_id, order_number))
    }

    /// Store a capability under a fresh token (`nonce`: random bytes); answers the dialog's path.
    pub(super) async fn issue(&self, cap: Capability, nonce: &[u8]) -> Result<String, AppError> {
        let token = capability::token(nonce);
        store::put(&self.store, &StorageKey::Capability(token.clone()), &cap).await?;
        Ok(capability::dialog_path(&token))
    }

    /// The capability `token` presented by `holder` about `order_id` (`None`: the one it names),
    /// checked (a write also needs it unspent; [`App::spend`] spends it). The first frame to show
    /// it claims it; another frame presenting it voids it.
    pub async fn capability(
        &self,
        token: &str,
        holder: Holder,
        order_id: Option<&str>,
        usage: Use,
    ) -> Result<Capability, AppError> {
        let key = StorageKey::Capability(token.to_string());
        let stored: Option<Capability> =
            if capability::well_formed(token) { store::get(&self.store, &key).await? } else { None };
        let now = self.calendar.now_ms();
        match (capability::check(stored.as_ref(), holder, order_id, usage, now), stored) {
            (Ok(()), Some(mut cap)) => {
                if cap.frame_id.is_none() {
                    cap.frame_id = holder.frame_id;
                    store::put(&self.store, &key, &cap).await?;
                }
                Ok(cap)
            }
            (Err(Refusal::OtherFrame), Some(cap)) => {
                self.spend(token, cap).await?;
                Err(capability::refused())
            }
            _ => Err(capability::refused()),
        }
    }

    /// Bind the capability in the dialog's path `dialog` to the tab that will show the dialog
    /// instead (Firefox: the extension window the background opened for it); answers the path.
    pub async fn rebind(&self, dialog: &str, tab_id: i64) -> Result<String, AppError> {
        let token = capability::token_of(dialog).ok_or_else(capability::refused)?;
        let key = StorageKey::Capability(token.to_string());
        let mut cap: Capability = store::get(&self.store, &key).await?.ok_or_else(capability::refused)?;
        cap.tab_id = tab_id;
        store::put(&self.store, &key, &cap).await?;
        Ok(dialog.to_string())
    }

    /// Spend a capability: once a write is decided, no second one goes through it.
    pub async fn spend(&self, token: &str, mut cap: Capability) -> Result<(), AppError> {
        cap.spent = true;
        Ok(store::put(&self.store, &StorageKey::Capability(token.to_string()), &cap).await?)
    }

    /// Delete staged snapshots and plans older than [`staging::STAGED_TTL_MS`] (unless a job of
    /// the order is unfinished, or the order is in an unfinished set: a set paused for the rate
    /// limit or waiting for a re-link runs its orders from these snapshots) and capabilities past
    /// their lifetime; best effort.
    pub async fn sweep(&self, now_ms: u64) {
        let Ok(sets) = unfinished_sets(&self.journals(), Reading::Look).await else { return };
        let in_set = |id: &str| sets.iter().any(|s| s.orders.iter().any(|o| o.order_id == id));
        for key in self.store.keys("staged:").await.unwrap_or_default() {
            let Some(StorageKey::Staged(order_id)) = StorageKey::parse(&key) else { continue };
            let Ok(Some(record)) = store::get::<StagedRecord>(&self.store, &StorageKey::Staged(order_id.clone())).await
            else {
                continue;
            };
            let account = record.account_id.clone().unwrap_or_default();
            let job = local_journal(&self.store, &account, &order_id).await;
            let busy = job.is_some_and(|j| !matches!(JobStatus::of_journal(&j), JobStatus::Exported { .. }));
            if staging::expired(&record, now_ms) && !busy && !in_set(&order_id) {
                let _ = store::delete(&self.store, &StorageKey::Staged(order_id.clone())).await;
                let _ = store::delete(&self.store, &StorageKey::Plan(JobKey { account_id: account, order_id })).await;
            }
        }
        for key in self.store.keys("plan:").await.unwrap_or_default() {
            if matches!(StorageKey::parse(&key), Some(StorageKey::LegacyPlan(_))) {
                let _ = self.store.delete(&key).await;
            }
        }
        for key in self.store.keys("cap:").await.unwrap_or_default() {
            let cap: Option<Capability> =
                self.store.get(&key).await.ok().flatten().and_then(crate::core::objects::read);
            if cap.is_none_or(|c| now_ms >= c.issued_ms.saturating_add(capability::CAPABILITY_TTL_MS)) {
                let _ = self.store.delete(&key).await;
            }
        }
    }

    /// A staged order and the account it was staged for (never another one).
    pub async fn load_staged(&self, order_id: &str) -> Result<(Staged, StagedRecord, LightspeedAccount), AppError> {
        let record: StagedRecord = store::get(&self.store, &StorageKey::Staged(order_id.to_string()))
            .await?
            .ok_or_else(|| AppError::NotFound(NOT_STAGED.into()))?;
        let mut staged = staging::validate(&record)?;
        let state = self.state().await?;
        let account =
            record.account_id.as_deref().and_then(|a| state.account(a)).cloned().ok_or(AppError::NoAccount)?;
        staged.priced_for(account.currency.as_deref());
        Ok((staged, record, account))
    }

    /// The staged order a capability names, for the account it is bound to (a re-stage for
    /// another account since then makes it worthless).
    pub(super) async fn staged_for(
        &self,
        cap: &Capability,
    ) -> Result<(Staged, StagedRecord, LightspeedAccount), AppError> {
        let loaded = self.load_staged(&cap.order_id).await?;
        if cap.account_id.as_ref() != Some(&loaded.2.account_id) {
            return Err(capability::refused());
        }
        Ok(loaded)
    }

    /// Statuses for a page's orders (`linked` is false when the tab has no account).
    pub async fn statuses(
        &self,
        orders: &[OrderRef],
        asker: Asker,
        recent: &std::cell::RefCell<RecentAnswers>,
    ) -> Result<(bool, Vec<OrderStatusView>), AppError> {
        self.statuses_for(self.account_for_tab(asker).await, orders, asker, recent).await
    }

    /// [`App::statuses`] once the tab's account is known (a caller that read it already does not
    /// read it again).
    pub async fn statuses_for(
        &self,
        account: Result<LightspeedAccount, AppError>,
        orders: &[OrderRef],
        asker: Asker,
        recent: &std::cell::RefCell<RecentAnswers>,
    ) -> Result<(bool, Vec<OrderStatusView>), AppError> {
        if orders.len() > MAX_STATUS_BATCH {
            return Err(AppError::Invalid("Too many orders asked at once.".into()));
        }
        let account = match account {
            Ok(a) => a,
            Err(AppError::NoSession) => return Ok((false, orders.iter().map(no_session_view).collect())),
            Err(AppError::NoAccount) => {
                let views =
                    orders.iter().map(|o| view(None, &o.order_number, o.order_id.as_deref(), JobStatus::NotExported));
                return Ok((false, views.collect()));
            }
            Err(e) => return Err(e),
        };
        let client = self.clients.client(&account);
        let (now, journals) = (self.calendar.now_ms(), self.journals());
        let (mut views, sets) = futures::join!(
            status::page_statuses(&self.store, recent, &*client, &account, (orders, asker.tab_id), now),
            unfinished_sets(&journals, Reading::Look)
        );
        if let Ok(sets) = sets {
            with_queued(&account, &sets, &mut views);
        }
        Ok((true, views))
    }

    /// The export dialog's content for the order its capability names.
    /// The export dialog's content for the order its capability names: the preview, or the
    /// Connect step when the capability has no account yet ([`super::connect`]).
    pub async fn preview(&self, token: &str, holder: Holder) -> Result<DialogView, AppError> {
        let cap = self.capability(token, holder, None, Use::Preview).await?;
        if cap.account_id.is_none() {
            return Ok(DialogView::Connect(self.connect_view(&cap).await?));
        }
        let (mut staged, _, account) = self.staged_for(&cap).await?;
        let order_id = cap.order_id.as_str();
        // An exported order that changed since: the review of its PO's update (issue 18).
        if self.reviews(&plan_key(&account, order_id)).await {
            return Ok(DialogView::Review(self.review_view(&staged, &account).await?));
        }
        let shops = shop_views(&self.shops(&account).await?);
        if shops.is_empty() {
            return Err(AppError::NoActiveShop);
        }
        let client = self.clients.client(&account);
        let account_currency = self.account_currency(&account).await;
        staged.priced_for(account_currency.as_deref());
        let preview = runner::preview(&client, &self.journals(), &account.account_id, &staged).await?;
        // A job already started shows its own status (and the dialog keeps Export inactive): while
        // it is unfinished, `existing_po` would be our own PO. One that failed for good before its
        // PO shows its failure, and Export starts anew.
        let journal = local_journal(&self.store, &account.account_id, order_id).await;
        if journal.as_ref().is_none_or(Journal::replaceable) {
            store::put(&self.store, &StorageKey::Plan(plan_key(&account, order_id)), &preview.plan).await?;
        }
        let status = match journal {
            Some(j) if !j.replaceable() || preview.existing_po.is_none() => journal_view(&account, &j),
            _ => {
                let s =
                    preview.existing_po.map(|po_id| JobStatus::Exported { po_id }).unwrap_or(JobStatus::NotExported);
                view(Some(&account), &staged.order.order_number, Some(order_id), s)
            }
        };
        let (units, cost) = summary::totals(&staged.order);
        Ok(DialogView::Preview(PreviewView {
            order_id: staged.order.id.clone(),
            order_number: staged.order.order_number.clone(),
            currency: staged.order.currency.to_string(),
            currency_warning: status
                .status
                .is_open()
                .then(|| currency_warning(staged.order.currency.as_str(), account_currency.as_deref()))
                .flatten(),
            shipping_address: summary::address_lines(staged.order.shipping_address.as_ref()),
            account_name: account.name.clone(),
            default_shop_id: account.default_shop_id.clone().filter(|d| shops.iter().any(|s| &s.shop_id == d)),
            shops,
            plan: PlanView::from(&preview.plan),
            total_units: units,
            total_cost: cost.map(|c| c.to_string()).unwrap_or_default(),
            status,
        }))
    }

    /// Start an export: exactly once (a stored job is resumed, never started again), to a live
    /// shop, with every choice made; the ordered date by [`ordered_date`] in the shop's zone.
    /// Only with the dialog's capability for this tab and order, which it spends.
    pub async fn start(
        &self,
        order_id: &str,
        shop_id: &str,
        choices: Vec<RowChoice>,
        token: &str,
        holder: Holder,
    ) -> Result<Run, AppError> {
        let cap = self.capability(token, holder, Some(order_id), Use::Write).await?;
        let (staged, record, account) = self.staged_for(&cap).await?;
        let (spent, buyer) = (cap.clone(), record.buyer);
        let key = JobKey { account_id: account.account_id.clone(), order_id: order_id.to_string() };
        if let Some(j) = local_journal(&self.store, &account.account_id, order_id).await.filter(|j| !j.replaceable()) {
            self.spend(token, spent).await?;
            return Ok(Run { view: journal_view(&account, &j), account, key, start: None, buyer });
        }
        let plan = self.plan_with(&staged, &account, order_id, choices).await?;
        // The dialog's own refusals, in its words: it checks the same before it asks.
        if let Some(refusal) = export_refusal(plan.counts.needs_choice, shop_id) {
            return Err(AppError::Invalid(refusal.into()));
        }
        let shops = self.shops(&account).await?;
        let shop = shops.iter().find(|s| s.shop_id.to_string() == shop_id).ok_or_else(|| {
            AppError::Invalid("That location is archived or unknown in Lightspeed. Choose another location.".into())
        })?;
        status::remember_number(&self.store, &account.account_id, &staged.order.order_number, order_id).await;
        let in_progress = JobStatus::InProgress { step: "Starting the export".into(), done: 0, total: 1 };
        let view = view(Some(&account), &staged.order.order_number, Some(order_id), in_progress);
        let start = start_job(staged, plan, shop, &self.calendar);
        self.spend(token, spent).await?;
        Ok(Run { account, key, start: Some(start), view, buyer })
    }

    async fn plan_with(
        &self,
        staged: &Staged,
        account: &LightspeedAccount,
        order_id: &str,
        choices: Vec<RowChoice>,
    ) -> Result<Plan, AppError> {
        let stored: Option<Plan> = store::get(&self.store, &StorageKey::Plan(plan_key(account, order_id))).await?;
        let mut plan = match stored {
            Some(p) => p,
            None => {
                let client = self.clients.client(account);
                runner::preview(&client, &self.journals(), &account.account_id, staged).await?.plan
            }
        };
        for c in choices {
            plan.choose(&c.row, c.choice).map_err(|e| AppError::Invalid(e.advice().into()))?;
        }
        Ok(plan)
    }

    /// Retry a stored export. From the dialog: with its capability (spent), for the account it is
    /// bound to. From the popup (no capability): the staged order's account (refused once that
    /// account is unlinked), else, with no staged copy left, the tab's.
    pub async fn retry(&self, order_id: &str, cap: Option<(&str, Holder)>, asker: Asker) -> Result<Run, AppError> {
        let account = match cap {
            Some((t, holder)) => {
                let cap = self.capability(t, holder, Some(order_id), Use::Write).await?;
                let state = self.state().await?;
                let account =
                    cap.account_id.as_deref().and_then(|a| state.account(a)).cloned().ok_or(AppError::NoAccount)?;
                self.spend(t, cap).await?;
                account
            }
            None => match self.load_staged(order_id).await {
                Ok((_, _, a)) => a,
                // The account it was staged for is unlinked: another account has no export of it.
                Err(AppError::NoAccount) => return Err(AppError::NotFound(RETRY_UNLINKED.into())),
                Err(_) => self.account_for_tab(asker).await?,
            },
        };
        let j = local_journal(&self.store, &account.account_id, order_id)
            .await
            .ok_or_else(|| AppError::NotFound("There is no export of this order to retry.".into()))?;
        let buyer = self.buyer_of(&account.account_id, order_id).await;
        Ok(Run { view: journal_view(&account, &j), key: j.key.clone(), account, start: None, buyer })
    }

    /// The buyer who staged this order for this account (a job's buyer), if its record is kept.
    pub(super) async fn buyer_of(&self, account_id: &str, order_id: &str) -> Option<NuorderAccount> {
        let record: StagedRecord = store::get(&self.store, &StorageKey::Staged(order_id.to_string())).await.ok()??;
        record.buyer.filter(|_| record.account_id.as_deref() == Some(account_id))
    }

    /// The jobs a wake of the worker resumes, and when to wake next: it reads only the running
    /// journals, through the index of unfinished work ([`unfinished`]).
    pub async fn jobs_to_resume(
        &self,
        running_here: &dyn Fn(&JobKey) -> bool,
        watchdog_ms: u64,
    ) -> (Vec<Run>, Option<u64>) {
        let journals = unfinished::unfinished::<Journal>(&self.store, &self.unfinished, Reading::Wake).await;
        let (Ok(journals), Ok(state)) = (journals, self.state().await) else {
            return (Vec::new(), None);
        };
        let now = self.calendar.now_ms();
        let (mut run, mut earliest) = (Vec::new(), None::<u64>);
        for j in journals {
            let paused: Option<u64> = store::get(&self.store, &StorageKey::Pause(j.key.clone())).await.ok().flatten();
            match resume::on_wake(&j, &state, paused, running_here(&j.key), now) {
                OnWake::Run => {
                    let buyer = self.buyer_of(&j.key.account_id, &j.key.order_id).await;
                    run.extend(state.account(&j.key.account_id).cloned().map(|account| Run {
                        view: journal_view(&account, &j),
                        key: j.key.clone(),
                        account,
                        start: None,
                        buyer,
                    }))
                }
                OnWake::WaitUntil(u) => earliest = Some(earliest.map_or(u, |e| e.min(u))),
                OnWake::Leave => {}
            }
        }
        let wake = resume::next_wake(run.len(), earliest, now, watchdog_ms);
        (run, wake)
    }

    /// Record an order's latest status in the history (not when the history cannot be read: the
    /// write would replace it with this one entry).
    pub async fn record_history(&self, status: &OrderStatusView) {
        let Some(order_id) = status.order_id.clone() else { return };
        let Ok(mut list) = store::get_or_default::<Vec<HistoryEntry>>(&self.store, &StorageKey::History).await else {
            return;
        };
        let staged: Option<StagedRecord> = store::get(&self.store, &StorageKey::Staged(order_id)).await.ok().flatten();
        history::record(&mut list, status, staged.as_ref(), self.calendar.now_ms());
        let _ = store::put(&self.store, &StorageKey::History, &list).await;
    }

    pub async fn history(&self) -> Result<Vec<HistoryEntry>, AppError> {
        Ok(store::get_or_default(&self.store, &StorageKey::History).await?)
    }

    /// Tabs where this buyer is signed in (a job's status events go only there; none for an
    /// unknown buyer): never the tabs of another buyer, even one exporting into the same account.
    pub async fn tabs_of_buyer(&self, buyer: Option<&NuorderAccount>) -> Vec<i64> {
        let Some(buyer) = buyer else { return Vec::new() };
        sessions::tabs_of_buyer(&self.sessions().await, buyer)
    }

    /// The recipients of a job of this buyer's events: its tabs as stored now, then as
    /// [`App::report_session`] stores them while the job runs ([`super::recipients`]).
    pub async fn recipients(&self, buyer: Option<NuorderAccount>) -> Recipients<'_> {
        let writes = self.live.writes();
        let tabs = self.tabs_of_buyer(buyer.as_ref()).await;
        Recipients::new(&self.live, buyer, writes, tabs)
    }
}
