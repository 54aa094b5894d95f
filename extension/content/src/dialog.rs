//! The export dialog's overlay: an extension page (`dialog.html?order_id=…`) in an iframe over a
//! full-viewport backdrop, both in a shadow root. Esc in the page or the background's CloseDialog
//! event closes it; focus goes into the iframe and back to the action that opened it. While it is
//! open, every frame checks where the iframe is and tells the dialog when the page moved it.

use crate::dom::{self, el, shadow_host};
use crate::registry::Listener;
use po_bridge::inpage::spec::{LABELS, OVERLAY_MOVED, TAGS};
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
    frame.set_src(&browser::extension_url(path));
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
    OVERLAY.with(|o| *o.borrow_mut() = Some(Overlay { host, order_id: order_id.to_string(), opener, _escape: escape }));
    let _ = frame.focus();
    watch_position(frame, None);
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
