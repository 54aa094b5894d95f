//! What an order's export status is and how a widget shows it, as plain data: the status
//! ([`JobStatus`]) and the ready-to-render badge ([`BadgeView`]). Which status an order has is
//! decided above (`export::status`, `app::status`), and the words of each badge by `export::badge`.

use super::ids::OrderId;
use super::tagged::internal_enum;
use serde::{Deserialize, Serialize};

/// An order's export status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
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
    /// Exported, but NuORDER now shows the order differently from what the PO was made from
    /// (issue 18): *Changed since export · Review*.
    Changed {
        po_id: OrderId,
    },
    Failed {
        message: String,
        retryable: bool,
        /// It stopped for good before creating its PO: exporting the order again starts anew
        /// (the badge's action opens the dialog).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        again: bool,
    },
    /// Exported, and an update of its PO is running (issue 18): *Updating PO #N…*, `done` of
    /// `total` steps.
    Updating {
        po_id: OrderId,
        done: usize,
        total: usize,
    },
    /// Exported, and the last update of its PO stopped (issue 18): *Update failed*, the advice,
    /// and Review (which shows what stopped it and finishes it).
    UpdateFailed {
        po_id: OrderId,
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
internal_enum!(JobStatus, "status");

impl JobStatus {
    /// Whether an export of the order can still start (not exported) or be retried (failed): the
    /// batch dialog's rule for an order joining the set, and the dialogs' for the currency warning.
    pub fn is_open(&self) -> bool {
        matches!(self, JobStatus::NotExported | JobStatus::Failed { .. })
    }

    /// The PO of an exported order (exported, changed since, being updated, or its update
    /// stopped); `None` for every other status.
    pub fn po_id(&self) -> Option<OrderId> {
        match self {
            JobStatus::Exported { po_id }
            | JobStatus::Changed { po_id }
            | JobStatus::Updating { po_id, .. }
            | JobStatus::UpdateFailed { po_id, .. } => Some(*po_id),
            _ => None,
        }
    }
}

/// The badge's colour family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Neutral,
    Busy,
    Success,
    Error,
    Warning,
}

impl Tone {
    /// The badge's CSS classes (`ui.css`, the widgets' style): `badge tone-<name>`, the name as
    /// the wire writes it (the in-page JS fallback builds the same from the wire).
    pub fn class(self) -> &'static str {
        match self {
            Tone::Neutral => "badge tone-neutral",
            Tone::Busy => "badge tone-busy",
            Tone::Success => "badge tone-success",
            Tone::Error => "badge tone-error",
            Tone::Warning => "badge tone-warning",
        }
    }
}

/// A link in the badge ("View PO #1234").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeLink {
    pub text: String,
    pub url: String,
}

/// Everything a widget needs to render an order's status and action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeView {
    /// The status words: "Not exported", "Export in progress", "Exported", "Export failed",
    /// "Account needs re-linking", "Export status unavailable".
    pub text: String,
    pub tone: Tone,
    /// A second line: the current step, or the failure in plain words.
    pub detail: Option<String>,
    /// `(done, total)` while in progress, for a progress bar.
    pub progress: Option<(usize, usize)>,
    pub link: Option<BadgeLink>,
    /// Whether "Export order to POS" can be clicked.
    pub action_enabled: bool,
    /// The action's tooltip: what it does, or why it is inactive.
    pub action_tooltip: String,
    /// Whether a Retry button belongs next to the badge.
    pub retry: bool,
    /// Clicking the action opens the linking screen instead of the dialog.
    pub needs_link: bool,
    /// Whether a Review button belongs next to the badge (the order changed since its export:
    /// it opens the review of the PO's update, like the action opens the export dialog).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub review: bool,
    /// Whether the list's row offers its checkbox: the order can join a batch export (issue 19:
    /// *Not exported* or *Export failed*, for a linked buyer). Left out when false, so records
    /// written before it read back unchanged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub selectable: bool,
}

#[cfg(test)]
mod tests {
    use super::Tone;

    #[test]
    fn a_tone_class_names_the_tone_as_the_wire_does() {
        for tone in [Tone::Neutral, Tone::Busy, Tone::Success, Tone::Error, Tone::Warning] {
            let wire = serde_json::to_value(tone).unwrap();
            assert_eq!(tone.class(), format!("badge tone-{}", wire.as_str().unwrap()));
        }
    }
}
