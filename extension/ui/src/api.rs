//! The pages' only way to the background: one request, one typed answer. Every error is a
//! `ProtocolError` whose message is the sentence of advice the page shows.

use leptos::task::spawn_local;
use po_bridge::nuorder::pages::SIGN_IN;
use po_bridge::protocol::{ErrorCode, ProtocolError, UiRequest};
use po_bridge_browser as browser;
use serde::de::DeserializeOwned;

/// The background's answer to `req`, read as `R`: the replies the page can get
/// (`protocol::PopupReply`, `DialogReply`; each page's module refers only to its own enum's
/// decoder, issue 17), or the background's advice. A reply outside `R` is a bad reply.
pub async fn ask<R: DeserializeOwned>(req: UiRequest) -> Result<R, ProtocolError> {
    let ok = browser::exchange(req).await?;
    po_bridge::core::objects::read::<R>(ok).ok_or_else(browser::bad_reply)
}

/// The error for an answer of the wrong kind, with the page's own advice.
pub fn unexpected(advice: &str) -> ProtocolError {
    ProtocolError::new(ErrorCode::BadReply, advice)
}

/// Opens NuORDER's sign-in page in a new tab.
pub fn open_nuorder() {
    spawn_local(async { browser::open_tab(SIGN_IN).await });
}
