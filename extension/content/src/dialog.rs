//! The export dialog's overlay: an extension page (`dialog.html`) in an iframe over a
//! full-viewport backdrop, both in a shadow root. Its capability is not in the frame's address:
//! the frame asks for it ([`DIALOG_READY`]) and gets it by message. Esc in the page or the
//! background's CloseDialog event closes it; focus goes into the iframe and back to the action
//! that opened it. While it is open, every frame checks where the iframe is and tells the dialog
//! when the page moved it.

use crate::dom::{self, el, shadow_host};
use crate::registry::Listener;
use po_bridge::inpage::spec::{CAP_QUERY, DIALOG_READY, LABELS, OVERLAY_MOVED, TAGS};
use po_bridge::nuorder::pages::DIALOG_PAGE;
use po_bridge_browser as browser;
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlIFrameElement, KeyboardEvent};

struct Overlay {
    host: HtmlElement,
    order_id: String,
    opener: Option<HtmlElement>,
    _escape: Listener,
    _handover: Option<Listener>,
}

thread_local! {
    static OVERLAY: RefCell<Option<Overlay>> = const { RefCell::new(None) };
}

/// Show the dialog page `path` (from `inpage::read::order_reads`) for the staged order `order_id`.
pub fn open(order_id: &str, path: &str, opener: Option<HtmlElement>) {
    close(false);
    let (host, shadow) = shadow_host(TAGS.overlay, "overlay");
    let backdrop = el("div", "backdrop", None);
    let frame: HtmlIFrameElement = el("iframe", "frame", None).unchecked_into();
    frame.set_title(LABELS.export_action);
    let cap = path.strip_prefix(DIALOG_PAGE).and_then(|query| query.strip_prefix(CAP_QUERY));
    frame.set_src(&browser::extension_url(if cap.is_some() { DIALOG_PAGE } else { path }));
    let handover = cap.map(|cap| hand_over(&frame, cap.to_string()));
    let _ = shadow.append_with_node_2(&backdrop, &frame);
    let escape = Listener::new(&dom::document(), "keydown", true, |event| {
        if event.dyn_ref::<KeyboardEvent>().map(|k| k.key()) == Some("Escape".into()) {
            event.prevent_default();
            event.stop_propagation();
            close(true);
        }
    });
    if let Some(root) = dom::document().document_element() {
        let _ = root.append_child(&host);
    }
    OVERLAY.with(|o| {
        *o.borrow_mut() =
            Some(Overlay { host, order_id: order_id.to_string(), opener, _escape: escape, _handover: handover })
    });
    let _ = frame.focus();
    watch_position(frame, None);
}

/// Answer our frame's [`DIALOG_READY`] (and nobody else's) with `cap`, posted to that frame only
/// and only while it holds our extension's page (`postMessage`'s target origin).
fn hand_over(frame: &HtmlIFrameElement, cap: String) -> Listener {
    let frame = frame.clone();
    Listener::new(&js_sys::global().unchecked_into(), "message", false, move |event| {
        let field = |k: &str| js_sys::Reflect::get(&event, &k.into()).unwrap_or_default();
        if let Some(dialog) = frame.content_window() {
            if js_sys::Object::is(&field("source"), &dialog)
                && field("data").as_string().as_deref() == Some(DIALOG_READY)
            {
                let _ = dialog.post_message(&cap.as_str().into(), &browser::extension_url(""));
            }
        }
    })
}

/// Once per animation frame while `frame` is in the page: when its box in the viewport differs
/// from the last frame's, post [`OVERLAY_MOVED`] to the dialog (only to our extension's origin).
fn watch_position(frame: HtmlIFrameElement, last: Option<[f64; 4]>) {
    if !frame.is_connected() {
        return;
    }
    let r = frame.get_bounding_client_rect();
    let now = [r.x(), r.y(), r.width(), r.height()];
    if last.is_some_and(|l| l != now) {
        if let Some(dialog) = frame.content_window() {
            let _ = dialog.post_message(&OVERLAY_MOVED.into(), &browser::extension_url(""));
        }
    }
    let next = Closure::once_into_js(move || watch_position(frame, Some(now)));
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(next.unchecked_ref());
    }
}

/// Close the overlay; with `restore_focus`, focus goes back to the action that opened it.
pub fn close(restore_focus: bool) {
    let Some(overlay) = OVERLAY.with(|o| o.borrow_mut().take()) else {
        return;
    };
    overlay.host.remove();
    if restore_focus {
        if let Some(opener) = overlay.opener.as_ref().filter(|o| o.is_connected()) {
            let _ = opener.focus();
        }
    }
    drop(overlay);
}

/// The background's CloseDialog: for this order, or whichever is open.
pub fn close_for(order_id: Option<&str>) {
    let open_for = OVERLAY.with(|o| o.borrow().as_ref().map(|o| o.order_id.clone()));
    if let Some(current) = open_for {
        if order_id.is_none_or(|id| id == current) {
            close(true);
        }
    }
}
