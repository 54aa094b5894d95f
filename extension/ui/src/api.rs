//! The pages' only way to the background: one request, one typed answer. Every error is a
//! `ProtocolError` whose message is the sentence of advice the page shows.

use leptos::task::spawn_local;
use po_bridge::nuorder::pages::SIGN_IN;
use po_bridge::protocol::{ErrorCode, ProtocolError, Response, UiRequest};
use po_bridge_browser as browser;
use serde::de::DeserializeOwned;
use std::cell::Cell;

/// How an answer's `ok` object is read on this page (`None`: the page has not said).
type Read = fn(serde_json::Value) -> Option<Response>;

thread_local! {
    static READ: Cell<Option<Read>> = const { Cell::new(None) };
}

/// The page reads its answers as `R` (`protocol::PopupReply`, `DialogReply`: the replies the page
/// can get), called first by the page's root component. Only the module of that page refers to
/// `R`'s decoder, so each page's wasm carries the decoders of its own replies, not of every
/// `Response` (issue 17).
pub fn reads<R: DeserializeOwned + Into<Response>>() {
    READ.with(|r| r.set(Some(read_as::<R>)));
}

fn read_as<R: DeserializeOwned + Into<Response>>(ok: serde_json::Value) -> Option<Response> {
    po_bridge::core::objects::read::<R>(ok).map(Into::into)
}

/// The background's answer to `req`: a reply the page reads, or the background's advice (a reply
/// of another kind is a bad reply).
pub async fn ask(req: UiRequest) -> Result<Response, ProtocolError> {
    let ok = browser::exchange(req).await?;
    READ.with(Cell::get).and_then(|read| read(ok)).ok_or_else(browser::bad_reply)
}

/// The error for an answer of the wrong kind, with the page's own advice.
pub fn unexpected(advice: &str) -> ProtocolError {
    ProtocolError::new(ErrorCode::BadReply, advice)
}

/// Opens NuORDER's sign-in page in a new tab.
pub fn open_nuorder() {
    spawn_local(async { browser::open_tab(SIGN_IN).await });
}
