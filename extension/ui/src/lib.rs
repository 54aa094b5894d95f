//! PO Bridge's extension pages (Leptos, client-side rendered): the popup, and later the export
//! dialog shown in an iframe on NuORDER. The page to render is chosen by `<body data-page=…>`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos::task::spawn_local;
use po_bridge::protocol::{Request, Response};
use po_bridge_browser as browser;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn main() {
    leptos::mount::mount_to_body(Popup);
}

/// What the popup knows of the background.
#[derive(Clone, Debug, PartialEq)]
enum Background {
    Waking,
    Ready { version: String },
    Failed(String),
}

#[component]
fn Popup() -> impl IntoView {
    let (background, set_background) = signal(Background::Waking);
    spawn_local(async move {
        let state = match browser::request(Request::Ping { from: "popup".into() }).await {
            Ok(Response::Pong { version, .. }) => Background::Ready { version },
            Err(e) => Background::Failed(e.message),
        };
        set_background.set(state);
    });
    view! {
        <main class="po-bridge-popup">
            <header><h1>"Linked accounts"</h1></header>
            <p class="status" data-test="background-status" role="status">
                {move || match background.get() {
                    Background::Waking => "Connecting to PO Bridge…".to_string(),
                    Background::Ready { version } => format!("PO Bridge {version} is ready."),
                    Background::Failed(message) => message,
                }}
            </p>
        </main>
    }
}
