//! The export dialog's one-time capability.
//!
//! A trusted click on our widget stages an order; the background then issues a random capability
//! bound to the tab that staged it, the order and the Lightspeed account, and answers with the
//! dialog's path carrying it (`dialog.html?cap=<random>`). The dialog's preview, start and retry
//! name it; without a valid one nothing is shown and nothing is written. So a page that frames
//! `dialog.html` itself, or a content script that asks for a write, gets nothing: it never holds a
//! capability for its own tab, and one stolen from another tab is refused there.
//!
//! Lifetime: [`CAPABILITY_TTL_MS`] (10 minutes) from the click — long enough to review a large
//! order, short enough that a leaked one is soon worthless — and single-use for the write: a
//! start or retry spends it once it has decided (a preview does not, so the dialog can be
//! reloaded). Starts at the same instant through one capability can all pass before the first
//! spends it; they reach the one job of the order, which runs once (the journal).

use super::errors::AppError;
use crate::inpage::spec::CAP_QUERY;
use serde::{Deserialize, Serialize};

/// How long a capability lives after the click that staged its order: 10 minutes.
pub const CAPABILITY_TTL_MS: u64 = 10 * 60 * 1000;

/// The dialog's page, before its query.
pub use crate::nuorder::pages::DIALOG_PAGE;

/// The advice a dialog without a valid capability shows (its only sentence).
pub const NO_CAPABILITY: &str =
    "This export window is no longer valid. Close it and click Export order to POS on the order again.";

/// A capability as stored (under `cap:<token>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capability {
    pub tab_id: i64,
    pub order_id: String,
    /// The account the export writes to; `None` while the tab's buyer has none linked yet: the
    /// dialog then shows its Connect step, and linking there re-issues the capability for the new
    /// account ([`super::connect`]).
    pub account_id: Option<String>,
    pub issued_ms: u64,
    /// The frame of the dialog that first showed it (`sender.frameId`): a copy of the dialog
    /// framed by the page in the same tab is another frame, and its use voids the capability.
    #[serde(default)]
    pub frame_id: Option<i64>,
    /// Set once a start or retry has used it (or a second frame presented it).
    #[serde(default)]
    pub spent: bool,
}

/// Where a capability is presented from: the dialog's tab and frame.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Holder {
    pub tab_id: Option<i64>,
    pub frame_id: Option<i64>,
}

/// Why a capability was refused (all give the same advice, [`NO_CAPABILITY`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Unknown, forged, expired, for another tab or order, or spent.
    Invalid,
    /// Presented by a second frame of the right tab: stolen. The caller voids it.
    OtherFrame,
}

/// What the capability is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Show the dialog (may happen more than once).
    Preview,
    /// Start or retry the export: the capability is spent.
    Write,
}

/// The token's text for `nonce` random bytes: lowercase hex.
pub fn token(nonce: &[u8]) -> String {
    nonce.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a token has the shape [`token`] gives a 16-byte (or longer) nonce.
pub fn well_formed(token: &str) -> bool {
    token.len() >= 32 && token.len() <= 128 && token.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// The dialog's path for a token.
pub fn dialog_path(token: &str) -> String {
    format!("{DIALOG_PAGE}{CAP_QUERY}{token}")
}

/// The token in a dialog's path.
pub fn token_of(path: &str) -> Option<&str> {
    path.strip_prefix(DIALOG_PAGE)?.strip_prefix(CAP_QUERY).filter(|t| well_formed(t))
}

/// Check a stored capability (`None`: unknown or forged) presented by `holder` about
/// `order_id` (`None`: the capability names the order) at `now_ms`.
pub fn check(
    cap: Option<&Capability>,
    holder: Holder,
    order_id: Option<&str>,
    usage: Use,
    now_ms: u64,
) -> Result<(), Refusal> {
    let cap = cap.ok_or(Refusal::Invalid)?;
    let expired = now_ms >= cap.issued_ms.saturating_add(CAPABILITY_TTL_MS) || now_ms < cap.issued_ms;
    let wrong_tab = holder.tab_id != Some(cap.tab_id);
    let wrong_order = order_id.is_some_and(|o| o != cap.order_id);
    let spent = usage == Use::Write && cap.spent;
    if expired || wrong_tab || wrong_order || spent {
        return Err(Refusal::Invalid);
    }
    if cap.frame_id.is_some_and(|f| holder.frame_id != Some(f)) {
        return Err(Refusal::OtherFrame);
    }
    Ok(())
}

/// The refusal as the error the dialog shows.
pub fn refused() -> AppError {
    AppError::Forbidden(NO_CAPABILITY.into())
}
