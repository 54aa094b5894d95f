//! What keeps the dialog from being faked or hidden (issue 14).
//!
//! * **The capability.** The dialog's only input is the one-time capability the background
//!   issued for a trusted click (`po_bridge::app::capability`). In our overlay's frame the
//!   in-page layer hands it over by message once the dialog asks ([`DIALOG_READY`]), only to its
//!   own frame: it is never in the frame's address, where a page script could read it and frame
//!   the dialog itself before ours asked. In the Firefox window, and after the Connect step
//!   reloads the dialog, it is the address's `?cap=…` (no page sees those addresses). Without a
//!   well-formed one the dialog asks nothing and shows one sentence of advice.
//! * **Where it may be shown.** In Chromium, only as our overlay's iframe: directly inside the top
//!   frame of a NuORDER page (`location.ancestorOrigins`). In Firefox, only as the top page of
//!   the extension window the background opened for it (no opener). Anything else shows nothing.
//! * **Export only after 500 ms of being really visible.** In Chromium the overlay lives in the
//!   page's DOM, so the page could fade it, cover it with a decoy or move it under the pointer.
//!   IntersectionObserver v2 (`trackVisibility`) reports whether the row of actions is fully in
//!   view, unoccluded and without opacity, filters or transforms other than translation, as the
//!   compositor draws it; the button works only once that has been true for [`MIN_VISIBLE_MS`]
//!   without a break, and any loss resets the wait. IntersectionObserver v2 does not count a move
//!   as a loss (a translated box is still fully visible), so the in-page layer, which can see
//!   the overlay's box, posts [`OVERLAY_MOVED`] to this frame whenever it moves or resizes, and
//!   the wait starts again: a page cannot slide a ready Export under the pointer.
//!   Firefox has no IntersectionObserver v2 and no other signal that the page has not painted over
//!   an iframe. So there the background shows the dialog in its own popup window
//!   (`windows.create({type: "popup"})`): a surface no page can style, cover from inside, or frame.
//!   The same rule then reads "the window is visible and focused": Export works after
//!   [`MIN_VISIBLE_MS`] of focus without a break (another window on top takes the focus).

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use po_bridge::app::capability::well_formed;
use po_bridge::inpage::spec::{DIALOG_READY, OVERLAY_MOVED};
use po_bridge::nuorder::pages::is_nuorder_origin;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How long the dialog must have been visible, without a break, before Export works.
pub const MIN_VISIBLE_MS: u64 = 500;

/// IntersectionObserver v2's shortest allowed notification delay.
const IO_DELAY_MS: u32 = 100;

/// Where the dialog is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// Our overlay's iframe on a NuORDER page (Chromium).
    Overlay,
    /// The extension window the background opened (Firefox).
    Window,
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Whether this browser has IntersectionObserver v2 (`IntersectionObserverEntry#isVisible`).
pub fn has_visibility_signal() -> bool {
    let entry = get(&js_sys::global(), "IntersectionObserverEntry");
    !entry.is_undefined() && Reflect::has(&get(&entry, "prototype"), &"isVisible".into()).unwrap_or(false)
}

/// The capability in the dialog's address, if well-formed.
fn in_address() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let cap = web_sys::UrlSearchParams::new_with_str(&search).ok()?.get("cap")?;
    well_formed(&cap).then_some(cap)
}

/// How long the overlay's dialog waits for the in-page layer's answer to [`DIALOG_READY`].
const HANDOVER_MS: u64 = 10_000;

/// Sets `handed` to the dialog's capability: the address's, else (in our overlay) the one the
/// NuORDER page's in-page layer posts once asked; to `""` when there is none, well-formed, within
/// [`HANDOVER_MS`]. A page script can answer too, which only ever leaves the dialog with a
/// capability the background refuses.
pub fn capability(surface: Surface, handed: RwSignal<Option<String>>) {
    let give = move |cap: String| {
        if handed.get_untracked().is_none() {
            handed.set(Some(cap));
        }
    };
    if let Some(cap) = in_address() {
        return give(cap);
    }
    let w = web_sys::window();
    let parent = w.as_ref().and_then(|w| w.parent().ok().flatten()).filter(|_| surface == Surface::Overlay);
    let origin = w.as_ref().and_then(|w| Reflect::get_u32(&get(&get(w, "location"), "ancestorOrigins"), 0).ok());
    let (Some(w), Some(parent), Some(origin)) = (w, parent, origin.and_then(|o| o.as_string())) else {
        return give(String::new());
    };
    let from = parent.clone();
    let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let ours = e.source().is_some_and(|s| Object::is(&s, &from)) && is_nuorder_origin(&e.origin());
        if let Some(cap) = e.data().as_string().filter(|c| ours && well_formed(c)) {
            give(cap);
        }
    });
    let _ = w.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
    listener.forget();
    set_timeout(move || give(String::new()), Duration::from_millis(HANDOVER_MS));
    let _ = parent.post_message(&DIALOG_READY.into(), &origin);
}

/// Where the dialog is shown, or `None` when that is not a place of ours.
pub fn surface() -> Option<Surface> {
    let w = web_sys::window()?;
    let top = w.top().ok().flatten()?;
    if Object::is(&top, &w) {
        let opener = get(&w, "opener");
        return (!has_visibility_signal() && opener.is_null()).then_some(Surface::Window);
    }
    let parent = w.parent().ok().flatten()?;
    let ancestors = get(&get(&w, "location"), "ancestorOrigins");
    let first = Reflect::get_u32(&ancestors, 0).ok().and_then(|o| o.as_string()).unwrap_or_default();
    let direct = Object::is(&parent, &top) && get(&ancestors, "length").as_f64() == Some(1.0);
    (has_visibility_signal() && direct && is_nuorder_origin(&first)).then_some(Surface::Overlay)
}

/// Sets `ready` once `target` has been visible for [`MIN_VISIBLE_MS`] without a break, and clears
/// it the moment it is not.
struct Gate {
    ready: RwSignal<bool>,
    generation: Cell<u32>,
    visible: Cell<bool>,
}

impl Gate {
    /// The target moved while visible: the wait starts again.
    fn restart(self: &Rc<Self>) {
        if self.visible.get() {
            self.seen(false);
            self.seen(true);
        }
    }

    fn seen(self: &Rc<Self>, visible: bool) {
        if visible == self.visible.get() {
            return;
        }
        self.visible.set(visible);
        self.generation.set(self.generation.get().wrapping_add(1));
        self.ready.set(false);
        if visible {
            let (gate, generation) = (self.clone(), self.generation.get());
            set_timeout(
                move || {
                    if gate.generation.get() == generation && gate.visible.get() {
                        gate.ready.set(true);
                    }
                },
                Duration::from_millis(MIN_VISIBLE_MS),
            );
        }
    }
}

/// Watch the dialog's row of actions (`[data-test="actions"]`) once it is drawn: `ready` says
/// whether its confirming button may work. (The row, not the button: an inactive button is drawn
/// faded, which IntersectionObserver v2 would rightly call not visible.)
pub fn watch_actions(surface: Surface, ready: RwSignal<bool>) {
    request_animation_frame(move || {
        let doc = web_sys::window().and_then(|w| w.document());
        if let Some(actions) = doc.and_then(|d| d.query_selector("[data-test=\"actions\"]").ok().flatten()) {
            watch(&actions, surface, ready);
        }
    });
}

/// Watch `target` on `surface`; `ready` says whether the confirming button may work.
fn watch(target: &web_sys::Element, surface: Surface, ready: RwSignal<bool>) {
    let gate = Rc::new(Gate { ready, generation: Cell::new(0), visible: Cell::new(false) });
    match surface {
        Surface::Overlay => {
            restart_on_move(gate.clone());
            observe(target, gate);
        }
        Surface::Window => focus(gate),
    }
}

/// IntersectionObserver v2 on the button: fully in view and visible.
fn observe(target: &web_sys::Element, gate: Rc<Gate>) {
    let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if let Some(entry) = entries.iter().last() {
            let ratio = get(&entry, "intersectionRatio").as_f64().unwrap_or(0.0);
            gate.seen(get(&entry, "isVisible").as_bool() == Some(true) && ratio >= 0.999);
        }
    });
    let options = Object::new();
    let _ = Reflect::set(&options, &"threshold".into(), &js_sys::Array::of1(&1.0.into()));
    let _ = Reflect::set(&options, &"trackVisibility".into(), &true.into());
    let _ = Reflect::set(&options, &"delay".into(), &IO_DELAY_MS.into());
    let constructor: Option<js_sys::Function> = get(&js_sys::global(), "IntersectionObserver").dyn_into().ok();
    let args = js_sys::Array::of2(callback.as_ref(), &options);
    if let Some(observer) = constructor.and_then(|c| Reflect::construct(&c, &args).ok()) {
        if let Ok(f) = get(&observer, "observe").dyn_into::<js_sys::Function>() {
            let _ = f.call1(&observer, target);
        }
    }
    callback.forget();
}

/// The in-page layer's [`OVERLAY_MOVED`], posted from the NuORDER page this frame is in.
fn restart_on_move(gate: Rc<Gate>) {
    let Some(w) = web_sys::window() else { return };
    let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        if e.data().as_string().as_deref() == Some(OVERLAY_MOVED) && is_nuorder_origin(&e.origin()) {
            gate.restart();
        }
    });
    let _ = w.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
    listener.forget();
}

/// The extension window: visible and focused.
fn focus(gate: Rc<Gate>) {
    let Some(w) = web_sys::window() else { return };
    let check = {
        let w = w.clone();
        move || {
            let doc = w.document();
            let shown = doc.as_ref().is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
            gate.seen(shown && doc.is_some_and(|d| d.has_focus().unwrap_or(false)));
        }
    };
    check();
    let listener = Closure::<dyn Fn()>::new(check);
    for event in ["focus", "blur", "visibilitychange", "pageshow", "pagehide"] {
        let _ = w.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
    }
    if let Some(d) = w.document() {
        let _ = d.add_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref());
    }
    listener.forget();
}
