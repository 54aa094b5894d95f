//! The export dialog's wasm module (shown in an iframe on NuORDER, or its own window in Firefox):
//! the dialog's views of `po-bridge-ui` only (issue 17: the popup's are in `extension/popup`).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn main() {
    leptos::mount::mount_to_body(po_bridge_ui::dialog::Dialog);
}
