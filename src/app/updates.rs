//! The review and *Update PO* as the background runs them (issue 18, item 2): the review answers
//! the dialog of an exported order that changed; *Update PO* (only from the dialog, under its
//! one-time capability, which it spends) runs the update as a background job that resumes after a
//! worker stop, like an export; afterwards the PO is made from the order it was brought up to.

use super::accounts::{LightspeedAccount, NuorderAccount};
use super::capability::{Holder, Use};
use super::errors::AppError;
use super::jobs::send_status;
use super::keys::StorageKey;
use super::made_from;
use super::plan_view::RowView;
use super::platform::{Calendar, Events, KvStore, StoreError};
use super::review::{
    failure_advice, header_lines, headline, interrupted_headline, review_lines, ReviewState, ReviewView, RowNames,
};
use super::service::{App, Clients};
use super::status::{local_journal, updating, view, with_changes};
use super::store::{self, Journals};
use super::unfinished::{self, Reading};
use crate::export::journal::{JobKey, Journal, JournalStore};
use crate::export::plan::Links;
use crate::export::runner::Staged;
use crate::export::status::JobStatus;
use crate::protocol::{OrderStatusView, RowChoice};
use crate::update::{
    self, PlanState, Reviewed, UpdateJournal, UpdateLog, UpdateOutcome, UpdatePlan, UpdateRun, UpdateStore,
};

/// The update's store over the key-value store: the export's journals and each order's
/// [`UpdateLog`].
pub struct Updates<S>(pub Journals<S>);

impl<S: KvStore> JournalStore for Updates<S> {
    type Error = StoreError;
    async fn load(&self, key: &JobKey) -> Result<Option<Journal>, StoreError> {
        self.0.load(key).await
    }
    async fn save(&self, journal: &Journal) -> Result<(), StoreError> {
        self.0.save(journal).await
    }
    async fn load_links(&self, account_id: &str) -> Result<Links, StoreError> {
        self.0.load_links(account_id).await
    }
    async fn save_links(&self, account_id: &str, links: &Links) -> Result<(), StoreError> {
        self.0.save_links(account_id, links).await
    }
}

impl<S: KvStore> UpdateStore for Updates<S> {
    async fn load_updates(&self, key: &JobKey) -> Result<Option<UpdateLog>, StoreError> {
        store::get(&self.0.store, &StorageKey::Updates(key.clone())).await
    }
    /// The one place an update log is saved: its entry in the index of unfinished work goes with it.
    async fn save_updates(&self, log: &UpdateLog) -> Result<(), StoreError> {
        unfinished::save(&self.0.store, &self.0.marks, log).await
    }
}

/// An update to run (or resume: `plan` is `None`) in the background.
pub struct UpdateJob {
    pub account: LightspeedAccount,
    pub key: JobKey,
    pub plan: Option<UpdatePlan>,
    /// The buyer who staged the order (its tabs, as they are at each event, get the status).
    pub buyer: Option<NuorderAccount>,
    /// The status to answer with while it runs.
    pub view: OrderStatusView,
}

const NOT_EXPORTED: &str =
    "Lightspeed has no purchase order for this order any more, so there is nothing to update. Close this window.";
const EXPORT_UNFINISHED: &str = "This order's export has not finished yet. Let it finish, then review the changes.";
const NOT_READY: &str = "Some added sizes need your choice before the update: pick an item or \"Create a new item\" for each row marked Needs choice.";

fn key_of(account: &LightspeedAccount, order_id: &str) -> JobKey {
    JobKey { account_id: account.account_id.clone(), order_id: order_id.to_string() }
}

impl<K: KvStore, Cal: Calendar, L: Clients> App<K, Cal, L> {
    /// The update's store, with the worker's marks of the index of unfinished work.
    pub fn updates(&self) -> Updates<&K> {
        Updates(self.journals())
    }

    /// Whether this order's dialog is the review: our export of it finished and the order was last
    /// seen changed since, or an update of its PO is unfinished.
    pub async fn reviews(&self, key: &JobKey) -> bool {
        let exported = local_journal(&self.store, &key.account_id, &key.order_id)
            .await
            .is_some_and(|j| matches!(JobStatus::of_journal(&j), JobStatus::Exported { .. }));
        exported && (made_from::changed(&self.store, key).await || self.update_unfinished(key).await)
    }

    async fn update_unfinished(&self, key: &JobKey) -> bool {
        let log = self.updates().load_updates(key).await.ok().flatten();
        log.is_some_and(|l| l.running().is_some())
    }

    /// The order's status as its badge shows it now.
    async fn badge_view(&self, account: &LightspeedAccount, key: &JobKey, order_number: &str) -> OrderStatusView {
        let status = match local_journal(&self.store, &key.account_id, &key.order_id).await {
            Some(j) => with_changes(&self.store, key, JobStatus::of_journal(&j)).await,
            None => JobStatus::NotExported,
        };
        view(Some(account), order_number, Some(&key.order_id), status)
    }

    /// The review dialog's content for a staged order (reads Lightspeed, writes nothing).
    pub async fn review_view(&self, staged: &Staged, account: &LightspeedAccount) -> Result<ReviewView, AppError> {
        let key = key_of(account, &staged.order.id);
        let client = self.clients.client(account);
        let dates = |ms: i64, zone: &str| self.calendar.date_in_zone(ms, zone);
        let reviewed = update::review(&client, &self.updates(), &account.account_id, staged, false, &dates).await?;
        let names = RowNames::of(&staged.order, made_from::get(&self.store, &key).await.as_ref());
        let status = self.badge_view(account, &key, &staged.order.order_number).await;
        let mut v = ReviewView {
            order_id: staged.order.id.clone(),
            order_number: staged.order.order_number.clone(),
            account_name: account.name.clone(),
            po_number: status.po_number.clone().unwrap_or_default(),
            state: ReviewState::Unchanged,
            headline: String::new(),
            lines: Vec::new(),
            added_rows: Vec::new(),
            header: Vec::new(),
            conflicts: Vec::new(),
            notes: Vec::new(),
            can_update: false,
            archive_offered: false,
            status,
            failure: None,
        };
        match reviewed {
            Reviewed::NotExported => return Err(AppError::NotFound(NOT_EXPORTED.into())),
            Reviewed::ExportUnfinished => return Err(AppError::Invalid(EXPORT_UNFINISHED.into())),
            Reviewed::Interrupted(j) => {
                v.po_number = j.po_id.to_string();
                (v.state, v.headline, v.can_update) =
                    (ReviewState::Interrupted, interrupted_headline(&j, &v.po_number), true);
                v.lines = review_lines(&j.lines, &j.before, &names);
                v.conflicts = j.conflicts.iter().map(|c| c.advice()).collect();
            }
            Reviewed::Plan(p) => {
                if p.state == PlanState::Unchanged {
                    self.already_matches(&key, &p, &staged.order).await;
                    v.status = self.badge_view(account, &key, &staged.order.order_number).await;
                }
                v.po_number = p.po_id.to_string();
                (v.state, v.headline) = headline(&p, &v.po_number);
                v.lines = review_lines(&p.lines, &p.before, &names);
                v.header = header_lines(&p);
                v.conflicts = p.conflicts.iter().map(|c| c.advice()).collect();
                v.can_update = matches!(p.state, PlanState::Changes | PlanState::NeedsChoice { .. });
                v.archive_offered = matches!(p.state, PlanState::Cancelled { lock: None, .. });
                v.added_rows = p.added_rows.iter().map(RowView::from).collect();
                v.notes = p.notes;
            }
        }
        let log = self.updates().load_updates(&key).await.ok().flatten();
        v.failure = log.as_ref().and_then(|l| l.revisions.last()).and_then(failure_advice);
        Ok(v)
    }

    /// A review that finds nothing to write: the brand's changes the merchant already made by hand
    /// count as written from now on ([`update::keep_aligned`]), and when nothing is left apart
    /// (no conflict) the PO is made from the order as it is now, so its badge is back to
    /// *Exported* (it would read *Changed since export* with nothing left to update).
    async fn already_matches(&self, key: &JobKey, plan: &UpdatePlan, order: &crate::nuorder::model::Order) {
        let now = self.calendar.now_ms();
        if update::keep_aligned(&self.updates(), key, plan, now).await.is_err() || !plan.conflicts.is_empty() {
            return;
        }
        made_from::remade(&self.store, key, order, now).await;
        self.note_order(&key.account_id, order).await;
    }

    /// *Update PO*: only with the dialog's capability for this tab and order, which it spends
    /// once the update is decided. Reviews the order again (the user's choices for added sizes,
    /// `archive` for a cancelled order) and answers the job to run; a plan that writes nothing is
    /// refused with the review's sentence.
    pub async fn start_update(
        &self,
        order_id: &str,
        archive: bool,
        choices: Vec<RowChoice>,
        token: &str,
        holder: Holder,
    ) -> Result<UpdateJob, AppError> {
        let cap = self.capability(token, holder, Some(order_id), Use::Write).await?;
        let (staged, record, account) = self.staged_for(&cap).await?;
        let key = key_of(&account, order_id);
        let client = self.clients.client(&account);
        let choices: Vec<_> = choices.into_iter().map(|c| (c.row, c.choice)).collect();
        let store = self.updates();
        let dates = |ms: i64, zone: &str| self.calendar.date_in_zone(ms, zone);
        let reviewed =
            update::review_choosing(&client, &store, &account.account_id, &staged, archive, &choices, &dates).await?;
        // A resumed revision brings the PO up to the order it was planned from, kept as the
        // source's `next` when it started: the order staged now may have moved on since, and its
        // edits are reviewed once the revision is done.
        let (plan, step) = match reviewed {
            Reviewed::NotExported => return Err(AppError::NotFound(NOT_EXPORTED.into())),
            Reviewed::ExportUnfinished => return Err(AppError::Invalid(EXPORT_UNFINISHED.into())),
            Reviewed::Interrupted(j) => (None, updating(&j)),
            Reviewed::Plan(p) if matches!(p.state, PlanState::NeedsChoice { .. }) => {
                return Err(AppError::Invalid(NOT_READY.into()))
            }
            Reviewed::Plan(p) if !p.writes() => {
                return Err(AppError::Invalid(headline(&p, &p.po_id.to_string()).1));
            }
            Reviewed::Plan(p) => {
                let j = UpdateJournal::build(&p, &key, 0, 0);
                let step = j.as_ref().map_or(JobStatus::Updating { po_id: p.po_id, done: 0, total: 1 }, updating);
                (Some(*p), step)
            }
        };
        self.spend(token, cap).await?;
        if plan.is_some() {
            made_from::pending(&self.store, &key, &staged.order, self.calendar.now_ms()).await;
        }
        let view = view(Some(&account), &staged.order.order_number, Some(order_id), step);
        Ok(UpdateJob { account, key, plan, buyer: record.buyer, view })
    }

    /// Run (or resume) an update to its end; the order's badge and history follow. Returns what
    /// to log, if anything.
    pub async fn run_update_job(&self, job: UpdateJob, events: &impl Events) -> Option<String> {
        let UpdateJob { account, key, plan, buyer, .. } = job;
        let to = self.recipients(buyer).await;
        let client = self.clients.client(&account);
        let now = self.calendar.now_ms();
        let exported = local_journal(&self.store, &key.account_id, &key.order_id).await;
        let po_id = exported.as_ref().and_then(|j| JobStatus::of_journal(j).po_id());
        let number = exported.map(|j| j.order_number);
        // Each saved step: the order's badges read *Updating PO #N…* with the steps done.
        let mut progress = |j: &UpdateJournal| {
            if let (UpdateOutcome::Running, Some(n)) = (&j.outcome, &number) {
                send_status(events, &to, &view(Some(&account), n, Some(&key.order_id), updating(j)));
            }
        };
        let outcome = update::run_update(&client, &self.updates(), &key, plan.as_ref(), now, &mut progress).await;
        let (log, stopped) = match outcome {
            Ok(UpdateRun::Updated(_)) => {
                made_from::settle_update(&self.store, &key).await;
                (None, None)
            }
            Ok(UpdateRun::Nothing) => (None, None),
            Ok(UpdateRun::Failed { message, .. }) => (Some(format!("update {}: {message}", key.order_id)), None),
            Err(e) => {
                let stopped = update::stopped_by(&e);
                (
                    Some(format!("update {}: {}", key.order_id, super::errors::to_protocol(AppError::Run(e)).message)),
                    Some(stopped),
                )
            }
        };
        let Some(number) = number else { return log };
        // An update the runner could not carry on (its storage failed) ends as that failure,
        // whatever its journal still says: a badge left "Updating…" would wait for nothing.
        let last = match (stopped, po_id) {
            (Some((message, retryable)), Some(po_id)) => {
                let status = JobStatus::UpdateFailed { po_id, message, retryable };
                view(Some(&account), &number, Some(&key.order_id), status)
            }
            _ => self.badge_view(&account, &key, &number).await,
        };
        self.record_history(&last).await;
        send_status(events, &to, &last);
        log
    }

    /// The updates a wake of the worker resumes: unfinished revisions (running when the worker
    /// stopped, read through the index of unfinished work) of a usable account that this worker
    /// does not run already.
    pub async fn updates_to_resume(&self, running_here: &dyn Fn(&JobKey) -> bool) -> Vec<UpdateJob> {
        let logs = unfinished::unfinished::<UpdateLog>(&self.store, &self.unfinished, Reading::Wake).await;
        let (Ok(logs), Ok(state)) = (logs, self.state().await) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for key in logs.into_iter().map(|l| l.key) {
            let Some(account) = state.account(&key.account_id).filter(|a| !a.needs_relink).cloned() else { continue };
            if running_here(&key) {
                continue;
            }
            let buyer = self.buyer_of(&key.account_id, &key.order_id).await;
            let number = local_journal(&self.store, &key.account_id, &key.order_id).await.map(|j| j.order_number);
            let view = self.badge_view(&account, &key, &number.unwrap_or_default()).await;
            out.push(UpdateJob { account, key, plan: None, buyer, view });
        }
        out
    }
}
