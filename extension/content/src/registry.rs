//! Event listeners owned by Rust values instead of leaked with `forget()`.
//!
//! A [`Listener`] removes itself from its target and frees its closure when dropped. Each widget
//! owns the listeners it added (on its own host and, for a row, on the row), and the widget list
//! in [`crate::state`] is the registry keyed by element: when a sweep finds a widget's host
//! disconnected from the document, the widget and with it every listener are dropped.
//!
//! Still leaked on purpose, because they live as long as the page: the MutationObserver callback,
//! the `popstate` listener and the `runtime.onMessage` listener (see `lib.rs`). One-shot timers
//! use `Closure::once_into_js`, which frees itself after running.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventTarget};

pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    capture: bool,
    closure: Closure<dyn FnMut(Event)>,
}

impl Listener {
    /// Add `f` as a `kind` listener on `target`; it stays until the returned value is dropped.
    pub fn new(target: &EventTarget, kind: &'static str, capture: bool, f: impl FnMut(Event) + 'static) -> Listener {
        let closure = Closure::<dyn FnMut(Event)>::new(f);
        let _ = target.add_event_listener_with_callback_and_bool(kind, closure.as_ref().unchecked_ref(), capture);
        Listener { target: target.clone(), kind, capture, closure }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback_and_bool(
            self.kind,
            self.closure.as_ref().unchecked_ref(),
            self.capture,
        );
    }
}
