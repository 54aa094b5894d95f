//! The export's public status: what the row icon, the badge, the dialog and the popup show. Where a
//! status comes from is one path in the application layer (`app::status`: the local journal, then
//! Lightspeed's recent answers, then Lightspeed); `export::badge` turns it into what the widgets
//! render. The table test in `tests/export_status.rs` documents that path.

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
    /// Lightspeed could not be asked (network, outage): whether the order is exported is unknown.
    /// Exporting stays possible, since an export checks Lightspeed again before its first write.
    Unchecked,
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
