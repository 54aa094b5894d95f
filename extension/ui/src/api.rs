//! The pages' only way to the background: one request, one typed answer. Every error is a
//! `ProtocolError` whose message is the sentence of advice the page shows.

use leptos::task::spawn_local;
use po_bridge::nuorder::pages::SIGN_IN;
use po_bridge::protocol::{ErrorCode, ProtocolError, Request, Response};
use po_bridge_browser as browser;

pub async fn ask(req: Request) -> Result<Response, ProtocolError> {
    browser::request(req).await
}

/// The error for an answer of the wrong kind, with the page's own advice.
pub fn unexpected(advice: &str) -> ProtocolError {
    ProtocolError::new(ErrorCode::BadReply, advice)
}

/// Opens NuORDER's sign-in page in a new tab.
pub fn open_nuorder() {
    spawn_local(async { browser::open_tab(SIGN_IN).await });
}
