//! NuORDER buyers seen on tabs, and which Lightspeed account a request exports to: the account
//! linked to the buyer signed in on **that** tab. A content script's tab with no known session
//! exports nowhere (the user gets [`super::errors::SIGN_IN_ADVICE`]); another tab's buyer is never
//! used for it. The extension's own pages (the popup, the dialog) are the user acting in PO
//! Bridge's UI, which names the buyer and the account: framed inside a tab (the dialog) they use
//! that tab's buyer or none, exactly like its content script; only a top-level page (the popup, a
//! page in its own tab), which names the buyer it uses, falls back to the most recently seen one.

use super::accounts::{AccountsState, LightspeedAccount, NuorderAccount};
use super::errors::AppError;
use serde::{Deserialize, Serialize};

/// How many sessions are remembered.
pub const MAX_SESSIONS: usize = 20;

/// A NuORDER buyer seen on a tab (stored under `nuorder_sessions`, most recent first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenSession {
    pub tab_id: Option<i64>,
    pub account: NuorderAccount,
    pub seen_ms: u64,
}

/// Who asks: the sender's tab, whether the sender is one of the extension's own pages, and whether
/// that page is framed inside a tab (the dialog over a NuORDER page: `sender.frameId` ≠ 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Asker {
    pub tab_id: Option<i64>,
    pub extension_page: bool,
    pub framed: bool,
}

impl Asker {
    /// A content script in a tab.
    pub fn tab(tab_id: Option<i64>) -> Asker {
        Asker { tab_id, extension_page: false, framed: false }
    }
}

/// The session a request is made for: its tab's; for a top-level extension page (the popup, which
/// names the buyer) with no NuORDER tab, the most recently seen one; else none — never another
/// tab's for a content script or a page framed in a tab.
pub fn session_for(sessions: &[SeenSession], asker: Asker) -> Option<&SeenSession> {
    match session_for_tab(sessions, asker.tab_id) {
        Some(s) => Some(s),
        None if asker.extension_page && !asker.framed => sessions.first(),
        None => None,
    }
}

/// The session seen on this tab; none for an unknown tab (never another tab's).
pub fn session_for_tab(sessions: &[SeenSession], tab_id: Option<i64>) -> Option<&SeenSession> {
    let tab = tab_id?;
    sessions.iter().find(|s| s.tab_id == Some(tab))
}

/// The session the popup shows and links: the given tab's, else the most recently seen one (the
/// popup names the buyer, so the user sees whom a link is for). Exports never use this.
pub fn session_for_popup(sessions: &[SeenSession], tab_id: Option<i64>) -> Option<&SeenSession> {
    tab_id.and_then(|t| sessions.iter().find(|s| s.tab_id == Some(t))).or_else(|| sessions.first())
}

/// Remember a buyer seen on a tab (replacing that tab's earlier session).
pub fn record_session(sessions: &mut Vec<SeenSession>, account: NuorderAccount, tab_id: Option<i64>, now_ms: u64) {
    sessions.retain(|s| s.tab_id != tab_id || tab_id.is_none() && s.account != account);
    sessions.insert(0, SeenSession { tab_id, account, seen_ms: now_ms });
    sessions.truncate(MAX_SESSIONS);
}

/// Forget the session seen on a tab (NuORDER said it ended there).
pub fn forget_tab(sessions: &mut Vec<SeenSession>, tab_id: Option<i64>) {
    if tab_id.is_some() {
        sessions.retain(|s| s.tab_id != tab_id);
    }
}

/// The account an export from this asker goes to: the buyer of its session ([`session_for`]), and
/// the account linked to that buyer (or the only linked account when the buyer has no link yet).
pub fn account_for_tab<'a>(
    state: &'a AccountsState,
    sessions: &[SeenSession],
    asker: Asker,
) -> Result<&'a LightspeedAccount, AppError> {
    let session = session_for(sessions, asker).ok_or(AppError::NoSession)?;
    state.account_for(Some(&session.account)).ok_or(AppError::NoAccount)
}

/// Tabs where this buyer was seen (live status events go only to them).
pub fn tabs_of_buyer(sessions: &[SeenSession], buyer: &NuorderAccount) -> Vec<i64> {
    sessions.iter().filter(|s| s.account.key() == buyer.key()).filter_map(|s| s.tab_id).collect()
}
