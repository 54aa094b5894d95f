//! The export's public status (what the row icon, the badge, the dialog and the popup show) and its
//! state machine: a total function [`transition`]`(state, event) -> (next, effects)`. Illegal
//! pairs keep the state and return [`Effect::LogIllegal`]. The table test in
//! `tests/export_status.rs` doubles as the documentation of the widget.

use super::journal::{Journal, Outcome};
use crate::lightspeed::OrderId;
use serde::{Deserialize, Serialize};

/// An order's export status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum JobStatus {
    NotExported,
    InProgress {
        /// "Creating items 12 of 40".
        step: String,
        done: usize,
        total: usize,
    },
    Exported {
        po_id: OrderId,
    },
    Failed {
        message: String,
        retryable: bool,
    },
    /// Paused: the Lightspeed link must be renewed; the job resumes afterwards.
    NeedsRelink,
    /// The preview has rows waiting for the user's choice.
    NeedsChoice,
}

impl JobStatus {
    /// The status a stored journal stands for.
    pub fn of_journal(j: &Journal) -> JobStatus {
        match &j.outcome {
            Outcome::Running => {
                let (done, total) = j.progress();
                JobStatus::InProgress { step: j.label(), done, total }
            }
            Outcome::Exported { po_id } | Outcome::AlreadyExported { po_id } => JobStatus::Exported { po_id: *po_id },
            Outcome::NeedsRelink => JobStatus::NeedsRelink,
            Outcome::Failed { message, retryable } => {
                JobStatus::Failed { message: message.clone(), retryable: *retryable }
            }
        }
    }
}

/// What happens to an order's export, as the background sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum StatusEvent {
    /// The preview was computed.
    PlanReady {
        needs_choice: bool,
    },
    /// The user answered every *NeedsChoice* row.
    ChoicesMade,
    /// The user pressed Export; the job starts with `total` steps.
    Started {
        total: usize,
    },
    /// A step finished.
    Progress {
        step: String,
        done: usize,
        total: usize,
    },
    /// The PO exists now (created by this job).
    Finished {
        po_id: OrderId,
    },
    /// Lightspeed already has a PO for this order (ours from another device, or the first-party
    /// integration's).
    AlreadyExported {
        po_id: OrderId,
    },
    Failed {
        message: String,
        retryable: bool,
    },
    /// The refresh token is dead.
    RelinkNeeded,
    /// The user linked Lightspeed again.
    Relinked,
    /// The user pressed Retry.
    Retry,
}

/// What the background does besides changing the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Send the new status to every tab showing the order and to the popup.
    Broadcast,
    /// Show the rows waiting for a choice.
    ShowChoices,
    /// Run the job (from its journal when one exists).
    RunJob,
    /// Ask the user to link Lightspeed again.
    PromptRelink,
    /// The event does not apply in this state: log it, change nothing.
    LogIllegal,
}

/// The status state machine.
pub fn transition(state: &JobStatus, event: &StatusEvent) -> (JobStatus, Vec<Effect>) {
    use Effect::*;
    use JobStatus as S;
    use StatusEvent as E;
    let in_progress = |step: &str, done, total| S::InProgress { step: step.to_string(), done, total };
    match (state, event) {
        // Exported is final: nothing can undo a PO.
        (S::Exported { .. }, _) => (state.clone(), vec![LogIllegal]),

        // Lightspeed has the PO: whatever we were doing, the order is exported.
        (_, E::AlreadyExported { po_id }) => (S::Exported { po_id: *po_id }, vec![Broadcast]),

        (S::NotExported, E::PlanReady { needs_choice: true }) => (S::NeedsChoice, vec![Broadcast, ShowChoices]),
        (S::NotExported, E::PlanReady { needs_choice: false }) => (S::NotExported, vec![]),
        (S::NeedsChoice, E::PlanReady { needs_choice: true }) => (S::NeedsChoice, vec![ShowChoices]),
        (S::NeedsChoice, E::PlanReady { needs_choice: false }) | (S::NeedsChoice, E::ChoicesMade) => {
            (S::NotExported, vec![Broadcast])
        }
        (S::NotExported, E::Started { total }) => (in_progress("Starting", 0, *total), vec![Broadcast, RunJob]),

        (S::InProgress { .. }, E::Progress { step, done, total }) => {
            (in_progress(step, *done, *total), vec![Broadcast])
        }
        (S::InProgress { .. }, E::Finished { po_id }) => (S::Exported { po_id: *po_id }, vec![Broadcast]),
        (S::InProgress { .. }, E::Failed { message, retryable }) => {
            (S::Failed { message: message.clone(), retryable: *retryable }, vec![Broadcast])
        }
        (S::InProgress { .. }, E::RelinkNeeded) => (S::NeedsRelink, vec![Broadcast, PromptRelink]),

        (S::NeedsRelink, E::Relinked) => (in_progress("Resuming", 0, 0), vec![Broadcast, RunJob]),
        (S::Failed { retryable: true, .. }, E::Retry) => (in_progress("Resuming", 0, 0), vec![Broadcast, RunJob]),
        // A failure that a rerun cannot fix (e.g. the shop is archived) starts over from the
        // preview once the user has fixed the cause.
        (S::Failed { retryable: false, .. }, E::PlanReady { needs_choice }) => {
            if *needs_choice {
                (S::NeedsChoice, vec![Broadcast, ShowChoices])
            } else {
                (S::NotExported, vec![Broadcast])
            }
        }

        _ => (state.clone(), vec![LogIllegal]),
    }
}
