//! PO Bridge's extension pages (Leptos, client-side rendered): the popup, and the export dialog
//! shown in an iframe on NuORDER. Each page is its own wasm module (`extension/popup`,
//! `extension/dialog`: issue 17, a page carries only its own views), built from this library.
//! The pages hold no state of their own: every answer comes from the background, loaded through
//! resources shown inside `<Suspense>`/`<Transition>` (`load::loaded`).
#![cfg(target_arch = "wasm32")]

mod advice;
mod api;
pub mod dialog;
mod load;
pub mod popup;
