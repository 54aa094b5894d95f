//! The toolbar popup's wasm module: the accounts, linking and history views of `po-bridge-ui`
//! only (issue 17: the dialog's views are in `extension/dialog`).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn main() {
    leptos::mount::mount_to_body(po_bridge_ui::popup::Popup);
}
