//! PO Bridge's extension pages (Leptos, client-side rendered): the popup, and the export dialog
//! shown in an iframe on NuORDER. The page to render is chosen by `<body data-page=…>`.
//! The pages hold no state of their own: every answer comes from the background, loaded through
//! resources shown inside `<Suspense>`/`<Transition>` (`load::loaded`).
#![cfg(target_arch = "wasm32")]

mod advice;
mod api;
mod dialog;
mod load;
mod popup;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn main() {
    let page = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .and_then(|b| b.get_attribute("data-page"))
        .unwrap_or_default();
    match page.as_str() {
        "dialog" => leptos::mount::mount_to_body(dialog::Dialog),
        _ => leptos::mount::mount_to_body(popup::Popup),
    }
}
