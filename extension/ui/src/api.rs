//! The pages' only way to the background: one request, one typed answer. Every error is a
//! `ProtocolError` whose message is the sentence of advice the page shows.

use leptos::task::spawn_local;
use po_bridge::nuorder::pages::SIGN_IN;
use po_bridge::protocol::{DialogReply, ErrorCode, FromWire, PopupReply, ProtocolError, UiRequest};
use po_bridge_browser as browser;
use serde_json::Value;

/// A page's reply type, and how the page reads an answer's `ok` object as it (`None`: a reply
/// outside it, a bad reply). Each page's module refers only to its own reader (issue 17).
pub trait Reply: Clone + 'static {
    fn read(ok: Value) -> Option<Self>;
}

/// The popup reads its replies by hand (`protocol::popup_read`): no serde decoder in its module.
impl Reply for PopupReply {
    fn read(ok: Value) -> Option<Self> {
        PopupReply::from_wire(&ok)
    }
}

/// The dialog reads its replies by hand too (`protocol::dialog_read`, and its preview and review
/// by `app::dialog_read`).
impl Reply for DialogReply {
    fn read(ok: Value) -> Option<Self> {
        DialogReply::from_wire(&ok)
    }
}

/// Any answer that is not an error, as it came.
impl Reply for Value {
    fn read(ok: Value) -> Option<Self> {
        Some(ok)
    }
}

/// The background's answer to `req`, read as `R` (the replies the page can get:
/// `protocol::PopupReply`, `DialogReply`), or the background's advice. A reply outside `R` is a
/// bad reply.
pub async fn ask<R: Reply>(req: UiRequest) -> Result<R, ProtocolError> {
    let ok = browser::exchange(req).await?;
    R::read(ok).ok_or_else(browser::bad_reply)
}

/// The error for an answer of the wrong kind, with the page's own advice.
pub fn unexpected(advice: &str) -> ProtocolError {
    ProtocolError::new(ErrorCode::BadReply, advice)
}

/// Opens NuORDER's sign-in page in a new tab.
pub fn open_nuorder() {
    spawn_local(async { browser::open_tab(SIGN_IN).await });
}
