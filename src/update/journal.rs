//! An update is a job with its own journal: revision N of the PO. Its steps, in order: the added
//! lines (an export job of their own, with the export's look-before-write and twin checks), the
//! line PUTs, the line DELETEs, the header PUT, the archive. A PUT or DELETE is repeatable (its
//! values are absolute; a DELETE whose line is gone is done), so a step is simply done or not: a
//! job killed at any write resumes from the first step not done and ends the same. Every revision
//! stays in the order's [`UpdateLog`] (what changed, when).

use super::diff;
use super::types::{ChangeCounts, Conflict, LineChange, PlanState, UpdatePlan};
use super::written::{Record, Written, WrittenLine};
use crate::core::tagged::{self, internal_enum};
use crate::export::journal::{JobKey, Journal, StepKind};
use crate::lightspeed::{OrderId, OrderLine, OrderLineId, OrderLineWrite, OrderWrite};
use crate::nuorder::model::Money;
use serde::{Deserialize, Serialize};

/// The update journal's format version.
pub const UPDATE_VERSION: u32 = 1;

/// What a step writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum UpdateStepKind {
    /// Run the export job `job` (stored under its own key) to its end: new items, added lines.
    AddLines { job: Box<Journal> },
    /// `PUT OrderLine/{id}.json` with the new units and/or prices.
    PutLine { line_id: OrderLineId, quantity: Option<u64>, price: Option<(Money, Money)> },
    /// `DELETE OrderLine/{id}.json` (a 404 means already gone).
    DeleteLine { line_id: OrderLineId },
    /// `PUT Order/{id}.json` with the header fields that changed.
    PutHeader { arrival_date: Option<String>, ship_cost: Option<Money>, other_cost: Option<Money> },
    /// `DELETE Order/{id}.json`: archives the PO of a cancelled order (the user chose it).
    Archive,
}
internal_enum!(UpdateStepKind, "kind");

impl UpdateStepKind {
    /// The `PUT OrderLine` body.
    pub fn line_write(quantity: Option<u64>, price: Option<(Money, Money)>) -> OrderLineWrite {
        OrderLineWrite {
            quantity: quantity.map(|q| i64::try_from(q).unwrap_or(i64::MAX)),
            price: price.map(|p| p.0),
            original_price: price.map(|p| p.1),
            ..OrderLineWrite::default()
        }
    }

    /// The `PUT Order` body (an emptied value is cleared: no date, zero cost).
    pub fn header_write(arrival: &Option<String>, ship: Option<Money>, other: Option<Money>) -> OrderWrite {
        OrderWrite { arrival_date: arrival.clone(), ship_cost: ship, other_cost: other, ..OrderWrite::default() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateStep {
    #[serde(flatten)]
    pub kind: UpdateStepKind,
    pub done: bool,
}

impl<'de> Deserialize<'de> for UpdateStep {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (kind, done) = tagged::flattened(d, "done")?;
        Ok(UpdateStep { kind, done })
    }
}

/// How an update ended, if it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum UpdateOutcome {
    Running,
    Updated,
    /// Stopped with advice; `retryable`: running the update again resumes it.
    Failed {
        message: String,
        retryable: bool,
        /// Lightspeed refused the account's authorisation: linking it again is the fix.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        relink: bool,
    },
}
internal_enum!(UpdateOutcome, "outcome");

/// One revision of the PO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateJournal {
    pub version: u32,
    /// The export's job key (account, NuORDER order `_id`).
    pub key: JobKey,
    /// 1 for the first update of the PO.
    pub revision: u32,
    pub po_id: OrderId,
    pub started_ms: u64,
    pub finished_ms: Option<u64>,
    pub steps: Vec<UpdateStep>,
    /// What changed (as planned) and what was left as it was.
    pub counts: ChangeCounts,
    pub lines: Vec<LineChange>,
    pub conflicts: Vec<Conflict>,
    /// What PO Bridge had written before this revision.
    pub before: Written,
    /// What PO Bridge will have written once done (the added lines join at the end); after a
    /// failure a rerun does not resume, what it did write ([`UpdateJournal::settle_failed`]).
    pub after: Written,
    pub outcome: UpdateOutcome,
}

impl UpdateJournal {
    /// The journal of revision `revision` applying `plan` (`None` when the plan writes nothing).
    pub fn build(plan: &UpdatePlan, key: &JobKey, revision: u32, now_ms: u64) -> Option<UpdateJournal> {
        if !plan.writes() {
            return None;
        }
        let mut steps = Vec::new();
        let mut push = |kind| steps.push(UpdateStep { kind, done: false });
        for l in &plan.lines {
            if let LineChange::Changed { line_id, quantity, price, original_price, .. } = l {
                let price = price.as_ref().map(|p| (p.to, *original_price));
                push(UpdateStepKind::PutLine { line_id: *line_id, quantity: quantity.as_ref().map(|q| q.to), price });
            }
        }
        for l in &plan.lines {
            if let LineChange::Removed { line_id, .. } = l {
                push(UpdateStepKind::DeleteLine { line_id: *line_id });
            }
        }
        let h = &plan.header;
        if h.count() > 0 {
            push(UpdateStepKind::PutHeader {
                arrival_date: h.arrival_date.as_ref().map(|c| c.to.clone().unwrap_or_default()),
                ship_cost: h.ship_cost.as_ref().map(|c| c.to.unwrap_or(Money::ZERO)),
                other_cost: h.other_cost.as_ref().map(|c| c.to.unwrap_or(Money::ZERO)),
            });
        }
        // The added lines last: creating new items is what Lightspeed may refuse for good, and
        // that must not keep the PO's other changes from being written.
        if let Some(job) = &plan.lines_job {
            let mut job = job.clone();
            job.key = lines_job_key(key, revision);
            push(UpdateStepKind::AddLines { job: Box::new(job) });
        }
        if matches!(plan.state, PlanState::Cancelled { archive: true, .. }) {
            push(UpdateStepKind::Archive);
        }
        Some(UpdateJournal::of_plan(plan, key, revision, now_ms, steps))
    }

    /// Revision `revision` of `plan` with these steps, running.
    fn of_plan(plan: &UpdatePlan, key: &JobKey, revision: u32, now_ms: u64, steps: Vec<UpdateStep>) -> UpdateJournal {
        UpdateJournal {
            version: UPDATE_VERSION,
            key: key.clone(),
            revision,
            po_id: plan.po_id,
            started_ms: now_ms,
            finished_ms: None,
            steps,
            counts: plan.counts,
            lines: plan.lines.clone(),
            conflicts: plan.conflicts.clone(),
            before: plan.before.clone(),
            after: Written { record: Record::Update { revision }, ..plan.after.clone() },
            outcome: UpdateOutcome::Running,
        }
    }

    /// A revision that writes nothing and records that the PO already shows what `plan` would
    /// write where the merchant made the brand's changes by hand (`None` when the plan writes
    /// something, or what PO Bridge counts as written did not move): the next review compares
    /// with the PO as it is.
    pub fn aligned(plan: &UpdatePlan, key: &JobKey, revision: u32, now_ms: u64) -> Option<UpdateJournal> {
        if plan.state != PlanState::Unchanged || plan.after == plan.before {
            return None;
        }
        let mut j = UpdateJournal::of_plan(plan, key, revision, now_ms, Vec::new());
        (j.finished_ms, j.outcome) = (Some(now_ms), UpdateOutcome::Updated);
        Some(j)
    }

    /// The first step not done.
    pub fn current(&self) -> Option<usize> {
        self.steps.iter().position(|s| !s.done)
    }

    /// Before a stopped revision resumes: each line step not done whose line moved since it was
    /// planned (the merchant edited or deleted it, or goods arrived on it; `po_lines`: the PO's
    /// lines now) is dropped and left as a conflict, and what PO Bridge will have written keeps
    /// its old value for that line.
    pub fn recheck(&mut self, po_lines: &[OrderLine]) {
        let before = &self.before;
        let mut dropped: Vec<(WrittenLine, Conflict)> = Vec::new();
        self.steps.retain(|s| {
            let (line_id, target) = match (&s.kind, s.done) {
                (UpdateStepKind::PutLine { line_id, quantity, price }, false) => (line_id, Some((*quantity, *price))),
                (UpdateStepKind::DeleteLine { line_id }, false) => (line_id, None),
                _ => return true,
            };
            let Some(b) = before.lines.iter().find(|l| l.line_id == *line_id) else { return true };
            let target = target.map(|(q, p)| (q.unwrap_or(b.quantity), p.map_or(b.price, |p| p.0)));
            let shown = po_lines.iter().find(|l| l.order_line_id == *line_id);
            let Some(c) = diff::still_applies(b, target, shown) else { return true };
            dropped.push((b.clone(), c));
            false
        });
        for (b, c) in &dropped {
            self.after.lines.retain(|l| l.line_id != b.line_id);
            self.after.lines.push(b.clone());
            self.lines.retain(|l| l.line_id() != Some(b.line_id));
            self.conflicts.push(c.clone());
        }
        let header = self.counts.header;
        self.counts = ChangeCounts { header, ..ChangeCounts::of(&self.lines, &Default::default()) };
    }

    /// Whether a line's PUT or DELETE is still to send (what [`UpdateJournal::recheck`] checks).
    pub fn line_steps_left(&self) -> bool {
        let line = |k: &UpdateStepKind| matches!(k, UpdateStepKind::PutLine { .. } | UpdateStepKind::DeleteLine { .. });
        self.steps.iter().any(|s| !s.done && line(&s.kind))
    }

    /// The job's end: the added lines (from the finished line job) join what PO Bridge wrote.
    pub fn finish(&mut self, lines_job: Option<&Journal>, now_ms: u64) {
        self.add_created_lines(lines_job);
        self.finished_ms = Some(now_ms);
        self.outcome = UpdateOutcome::Updated;
    }

    /// Stopped for good part-way: what PO Bridge wrote is what it had written before, with the
    /// steps done (and the lines the line job created) applied, so the next update starts from
    /// what is really on the PO.
    pub fn settle_failed(&mut self, lines_job: Option<&Journal>, now_ms: u64) {
        let mut after = Written { record: Record::Update { revision: self.revision }, ..self.before.clone() };
        for s in self.steps.iter().filter(|s| s.done) {
            match &s.kind {
                UpdateStepKind::PutLine { line_id, quantity, price } => {
                    if let Some(l) = after.lines.iter_mut().find(|l| l.line_id == *line_id) {
                        l.quantity = quantity.unwrap_or(l.quantity);
                        (l.price, l.original_price) = price.unwrap_or((l.price, l.original_price));
                    }
                }
                UpdateStepKind::DeleteLine { line_id } => after.lines.retain(|l| l.line_id != *line_id),
                UpdateStepKind::PutHeader { .. } => after.header = self.after.header.clone(),
                UpdateStepKind::AddLines { .. } | UpdateStepKind::Archive => {}
            }
        }
        self.after = after;
        self.add_created_lines(lines_job);
        self.finished_ms = Some(now_ms);
    }

    fn add_created_lines(&mut self, lines_job: Option<&Journal>) {
        if let Some(job) = lines_job {
            for (i, s) in job.steps.iter().enumerate() {
                if let (StepKind::Line { item, quantity, price, original_price, rows }, Some(id)) =
                    (&s.kind, job.done_id(i))
                {
                    let Some(item_id) = job.item_id(*item) else { continue };
                    self.after.lines.push(WrittenLine {
                        line_id: OrderLineId(id),
                        item_id,
                        quantity: *quantity,
                        price: *price,
                        original_price: *original_price,
                        rows: rows.clone(),
                    });
                }
            }
        }
    }
}

/// The key the line job of revision `revision` is stored under (beside the export's journal).
pub fn lines_job_key(key: &JobKey, revision: u32) -> JobKey {
    JobKey { account_id: key.account_id.clone(), order_id: format!("{}#update-{revision}", key.order_id) }
}

/// Whether `key` is the line job of an update ([`lines_job_key`]): the update runs and resumes
/// it, never the export's own resumption.
pub fn is_lines_job(key: &JobKey) -> bool {
    key.order_id.contains("#update-")
}

/// Every update of one order's PO, oldest first (the order's history of updates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateLog {
    pub key: JobKey,
    pub revisions: Vec<UpdateJournal>,
}

impl UpdateLog {
    pub fn new(key: JobKey) -> UpdateLog {
        UpdateLog { key, revisions: Vec::new() }
    }

    /// The storage key (`po-bridge-update:<account>:<order>`).
    pub fn storage_key(key: &JobKey) -> String {
        format!("po-bridge-update:{}:{}", key.account_id, key.order_id)
    }

    /// The revision still to finish: running, or stopped by a failure a rerun resumes (it is
    /// resumed before anything new is planned).
    pub fn running(&self) -> Option<&UpdateJournal> {
        self.revisions
            .last()
            .filter(|r| matches!(r.outcome, UpdateOutcome::Running | UpdateOutcome::Failed { retryable: true, .. }))
    }

    /// What PO Bridge wrote after the last update of `po` that ended (finished, or stopped for
    /// good part-way).
    pub fn written(&self, po: OrderId) -> Option<&Written> {
        let ended = |r: &&UpdateJournal| {
            matches!(r.outcome, UpdateOutcome::Updated | UpdateOutcome::Failed { retryable: false, .. })
        };
        self.revisions.iter().rev().filter(ended).find(|r| r.po_id == po).map(|r| &r.after)
    }

    /// The next revision number.
    pub fn next_revision(&self) -> u32 {
        self.revisions.last().map_or(1, |r| r.revision + 1)
    }

    /// Puts `j` in (replacing the revision with its number).
    pub fn put(&mut self, j: UpdateJournal) {
        match self.revisions.iter_mut().find(|r| r.revision == j.revision) {
            Some(r) => *r = j,
            None => self.revisions.push(j),
        }
    }
}
