//! What the in-page widgets show for an order: the Order Export Status badge and whether the
//! "Export order to POS" action is active, with its reason. Computed here, once, so the content
//! script's Rust layer and its JS fallback render the same words and rules.

use super::status::JobStatus;
pub use crate::core::status::{BadgeLink, BadgeView, Tone};

pub const ACTION_TOOLTIP: &str = "Export order to POS: create this order as a purchase order in Lightspeed";

/// The badge for an order whose buyer has a linked Lightspeed account.
pub fn badge(status: &JobStatus, po_number: Option<&str>, po_url: Option<&str>) -> BadgeView {
    let base = BadgeView {
        text: String::new(),
        tone: Tone::Neutral,
        detail: None,
        progress: None,
        link: None,
        action_enabled: true,
        action_tooltip: ACTION_TOOLTIP.into(),
        retry: false,
        needs_link: false,
        review: false,
        selectable: false,
    };
    // The PO's number as the back office shows it, else its id.
    let number =
        || po_number.map(str::to_string).or_else(|| status.po_id().map(|id| id.to_string())).unwrap_or_default();
    match status {
        JobStatus::NotExported => BadgeView { text: "Not exported".into(), selectable: true, ..base },
        JobStatus::NeedsChoice => BadgeView {
            text: "Not exported".into(),
            detail: Some("Some items need your choice before export.".into()),
            selectable: true,
            ..base
        },
        JobStatus::InProgress { step, done, total } => BadgeView {
            text: "Export in progress".into(),
            tone: Tone::Busy,
            detail: Some(step.clone()),
            progress: Some((*done, *total)),
            action_enabled: false,
            action_tooltip: "An export of this order is in progress.".into(),
            ..base
        },
        JobStatus::Exported { .. } => exported(&number(), po_url, false, base),
        JobStatus::Changed { .. } => exported(&number(), po_url, true, base),
        JobStatus::Updating { done, total, .. } => updating(&number(), po_url, (*done, *total), base),
        JobStatus::UpdateFailed { message, .. } => update_failed(&number(), po_url, message, base),
        JobStatus::Failed { message, retryable, again } => BadgeView {
            text: "Export failed".into(),
            tone: Tone::Error,
            detail: Some(message.clone()),
            retry: *retryable,
            selectable: true,
            action_enabled: *again,
            action_tooltip: if *retryable {
                "The export failed; use Retry to resume it.".into()
            } else if *again {
                "The export stopped before creating the PO: export again once that is fixed.".into()
            } else {
                message.clone()
            },
            ..base
        },
        JobStatus::Unchecked => BadgeView {
            text: "Export status unavailable".into(),
            tone: Tone::Warning,
            detail: Some(
                "PO Bridge could not reach Lightspeed to check this order. Exporting checks again before writing anything."
                    .into(),
            ),
            ..base
        },
        JobStatus::NeedsRelink => BadgeView {
            text: "Account needs re-linking".into(),
            tone: Tone::Warning,
            detail: Some("Lightspeed no longer accepts PO Bridge's link. Open PO Bridge and link the account again; the export then resumes.".into()),
            action_enabled: true,
            action_tooltip: "Link your Lightspeed account again to resume this export.".into(),
            needs_link: true,
            ..base
        },
    }
}

/// An exported order: *Exported · View PO #N* while it matches what the PO was made from,
/// *Changed since export · Review* when it does not (issue 18).
fn exported(number: &str, po_url: Option<&str>, changed: bool, base: BadgeView) -> BadgeView {
    let link = po_link(number, po_url);
    let action_enabled = false;
    if !changed {
        return BadgeView {
            text: "Exported".into(),
            tone: Tone::Success,
            link,
            action_enabled,
            action_tooltip: format!("Already exported as PO #{number}. Orders can only be exported once."),
            ..base
        };
    }
    BadgeView {
        text: "Changed since export".into(),
        tone: Tone::Warning,
        detail: Some(format!(
            "NuORDER shows this order differently from PO #{number}: Review shows the changes before any reach the PO."
        )),
        link,
        action_enabled,
        action_tooltip: format!("Already exported as PO #{number}. Use Review to bring the PO up to date."),
        review: true,
        ..base
    }
}

fn po_link(number: &str, po_url: Option<&str>) -> Option<BadgeLink> {
    po_url.map(|url| BadgeLink { text: format!("View PO #{number}"), url: url.to_string() })
}

/// An update of the PO runs (issue 18): *Updating PO #N…* with its steps.
fn updating(number: &str, po_url: Option<&str>, progress: (usize, usize), base: BadgeView) -> BadgeView {
    BadgeView {
        text: format!("Updating PO #{number}…"),
        tone: Tone::Busy,
        detail: Some("Bringing the purchase order up to date with the order's changes.".into()),
        progress: Some(progress),
        link: po_link(number, po_url),
        action_enabled: false,
        action_tooltip: format!("PO #{number} is being updated."),
        ..base
    }
}

/// The last update of the PO stopped (issue 18): the advice, and one thing to do — Review, which
/// shows what stopped it and finishes it (or plans it again).
fn update_failed(number: &str, po_url: Option<&str>, message: &str, base: BadgeView) -> BadgeView {
    BadgeView {
        text: "Update failed".into(),
        tone: Tone::Error,
        detail: Some(message.to_string()),
        link: po_link(number, po_url),
        action_enabled: false,
        action_tooltip: format!("The update of PO #{number} stopped. Use Review to see why and finish it."),
        review: true,
        ..base
    }
}

/// What a tab with no known NuORDER session is told (it exports nowhere until the buyer is known).
pub const SIGN_IN_ADVICE: &str = "Sign in to NuORDER in this tab to export its orders.";

/// The badge on a tab whose NuORDER session is not known: no account, no export, the advice.
pub fn no_session() -> BadgeView {
    BadgeView {
        text: "Not exported".into(),
        tone: Tone::Neutral,
        detail: None,
        progress: None,
        link: None,
        action_enabled: false,
        action_tooltip: SIGN_IN_ADVICE.into(),
        retry: false,
        needs_link: false,
        review: false,
        selectable: false,
    }
}

/// What the action says when the signed-in NuORDER buyer has no linked Lightspeed account.
pub const CONNECT_FIRST: &str =
    "Export this order: PO Bridge connects your Lightspeed account first, in the export window.";

/// The badge when the signed-in NuORDER buyer has no linked Lightspeed account: the action opens
/// the export dialog, whose Connect step links one (issue 20), so it is not `needs_link` (which
/// opens the popup's linking screen, for an account whose link died).
pub fn not_linked() -> BadgeView {
    BadgeView {
        text: "Not exported".into(),
        tone: Tone::Neutral,
        detail: None,
        progress: None,
        link: None,
        action_enabled: true,
        action_tooltip: CONNECT_FIRST.into(),
        retry: false,
        needs_link: false,
        review: false,
        selectable: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lightspeed::OrderId;

    #[test]
    fn each_status_renders_its_words_and_action_rule() {
        let rows: Vec<(JobStatus, &str, bool, bool)> = vec![
            (JobStatus::NotExported, "Not exported", true, false),
            (
                JobStatus::InProgress { step: "Creating items 12 of 40".into(), done: 12, total: 40 },
                "Export in progress",
                false,
                false,
            ),
            (JobStatus::Exported { po_id: OrderId(1234) }, "Exported", false, false),
            (
                JobStatus::Failed { message: "Lightspeed is down.".into(), retryable: true, again: false },
                "Export failed",
                false,
                true,
            ),
            (
                JobStatus::Failed { message: "The PO was refused.".into(), retryable: false, again: true },
                "Export failed",
                true,
                false,
            ),
            (
                JobStatus::Failed { message: "A line was refused.".into(), retryable: false, again: false },
                "Export failed",
                false,
                false,
            ),
            (JobStatus::NeedsRelink, "Account needs re-linking", true, false),
            (JobStatus::Unchecked, "Export status unavailable", true, false),
        ];
        for (status, text, enabled, retry) in rows {
            let b = badge(&status, None, Some("https://us.merchantos.com/x"));
            assert_eq!((b.text.as_str(), b.action_enabled, b.retry), (text, enabled, retry), "{status:?}");
        }
    }

    #[test]
    fn exported_links_to_the_po_and_explains_the_inactive_action() {
        let b =
            badge(&JobStatus::Exported { po_id: OrderId(77) }, Some("77"), Some("https://eu.merchantos.com/?id=77"));
        assert_eq!(b.link.unwrap().text, "View PO #77");
        assert!(b.action_tooltip.contains("only be exported once"));
        let p =
            badge(&JobStatus::InProgress { step: "Creating items 12 of 40".into(), done: 12, total: 40 }, None, None);
        assert_eq!((p.detail.as_deref(), p.progress), (Some("Creating items 12 of 40"), Some((12, 40))));
        assert!(!not_linked().needs_link && not_linked().action_enabled);
    }
}
