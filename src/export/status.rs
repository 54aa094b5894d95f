//! The export's public status: what the row icon, the badge, the dialog and the popup show. Where a
//! status comes from is one path in the application layer (`app::status`: the local journal, then
//! Lightspeed's recent answers, then Lightspeed); `export::badge` turns it into what the widgets
//! render. The table test in `tests/export_status.rs` documents that path.

use super::journal::{Journal, Outcome};
pub use crate::core::status::JobStatus;

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
                JobStatus::Failed { message: message.clone(), retryable: *retryable, again: j.replaceable() }
            }
        }
    }
}
