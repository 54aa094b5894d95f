//! The export dialog, shown in an iframe over NuORDER's page (so it works under any page CSP and
//! NuORDER's CSS cannot reach it): Order #, shipping address, "Choose location for order export",
//! the plan as Matched items / New items tabs with each matrix's status, totals, Export and Cancel.

mod batch;
mod body;
mod connect;
mod guard;
mod review;
mod rows;

use crate::advice::Advice;
use crate::api::{ask, unexpected};
use crate::load::{asking, loaded};
use body::Body;
use connect::ConnectStep;
use leptos::prelude::*;
use leptos::task::spawn_local;
use po_bridge::app::capability::NO_CAPABILITY;
use po_bridge::app::preview::PreviewView;
use po_bridge::app::review::ReviewView;
use po_bridge::export::plan::{Choice, RowKey};
use po_bridge::protocol::{DialogReply, FromWire, UiRequest};
use review::ReviewBody;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What the dialog says when the background's answer is not the preview it asked for.
pub(crate) const UNEXPECTED: &str = "PO Bridge answered unexpectedly. Close this window and try again.";

/// The user's answers to the rows that need a choice, shared by the tabs and the rows.
pub type Choices = RwSignal<BTreeMap<RowKey, Choice>>;

/// Asks the content script (through the background) to remove the dialog.
fn close() {
    spawn_local(async {
        let _ = ask::<DialogReply>(UiRequest::CloseDialog).await;
    });
}

fn focus_by_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// The dialog's title: the export's, or the review's once the background answered with one.
#[derive(Clone, Copy)]
pub struct DialogTitle(pub RwSignal<&'static str>);

/// The dialog's capability and where it is shown (both checked by [`guard`]).
#[derive(Clone)]
pub struct Guarded {
    pub cap: String,
    pub surface: guard::Surface,
}

/// The dialog: nothing but one sentence of advice without a capability or outside our overlay
/// or window (see [`guard`]); nothing at all while the in-page layer hands the capability over.
#[component]
pub fn Dialog() -> impl IntoView {
    let refused = || view! { <p class="error" role="alert" data-test="refused">{NO_CAPABILITY}</p> }.into_any();
    let Some(surface) = guard::surface() else { return refused() };
    let handed: RwSignal<Option<String>> = RwSignal::new(None);
    guard::capability(surface, handed);
    (move || match handed.get() {
        None => ().into_any(),
        Some(cap) if cap.is_empty() => refused(),
        Some(cap) => view! { <Guarded cap surface /> }.into_any(),
    })
    .into_any()
}

#[component]
fn Guarded(cap: String, surface: guard::Surface) -> impl IntoView {
    provide_context(Guarded { cap: cap.clone(), surface });
    let preview = asking(UiRequest::PreviewExport { cap });
    let title = DialogTitle(RwSignal::new("Export Order to POS"));
    provide_context(title);
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            close();
        }
    };
    view! {
        <div class="po-bridge-dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" on:keydown=on_key>
            <header class="dialog-head">
                <h1 id="dialog-title" data-test="dialog-title">{move || title.0.get()}</h1>
                <button type="button" class="icon" aria-label="Close" data-test="close" on:click=move |_| close()>"×"</button>
            </header>
            {loaded(
                preview,
                || view! { <p role="status" data-test="loading">"Reading the order and matching it in Lightspeed…"</p> }.into_any(),
                Arc::new(|error| view! {
                    <Advice error />
                    <div class="actions"><button type="button" on:click=move |_| close() autofocus=true>"Close"</button></div>
                }.into_any()),
                Arc::new(|answer| match answer {
                    DialogReply::Preview(value) => match PreviewView::from_wire(&value) {
                        Some(preview) => Ok(view! { <Body preview /> }.into_any()),
                        None => Err(unexpected(UNEXPECTED)),
                    },
                    DialogReply::Connect(view) => Ok(view! { <ConnectStep view /> }.into_any()),
                    DialogReply::Review(value) => match ReviewView::from_wire(&value) {
                        Some(review) => Ok(view! { <ReviewBody review /> }.into_any()),
                        None => Err(unexpected(UNEXPECTED)),
                    },
                    DialogReply::Batch(view) => Ok(view! { <batch::BatchBody view /> }.into_any()),
                    _ => Err(unexpected(UNEXPECTED)),
                }),
            )}
        </div>
    }
}
