//! The Link account screen (a Lightspeed account, or the NuORDER buyer signed in on a tab) and
//! the Account linked screen that follows it.

use super::{PopupState, Screen};
use crate::advice::Advice;
use crate::api::open_nuorder;
use crate::load::action;
use leptos::prelude::*;
use po_bridge::protocol::{AccountsView, PopupReply, ProtocolError, UiRequest};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Product {
    Lightspeed,
    Nuorder,
}

/// The request that links `product`: for a NuORDER buyer, to the chosen Lightspeed account
/// (empty: the first), from the tab the buyer was seen on (else the popup's tab).
fn link_request(product: Product, state: PopupState, chosen: String) -> UiRequest {
    if product == Product::Lightspeed {
        return UiRequest::LinkLightspeed { interactive: true };
    }
    let v = state.current();
    let account_id = if chosen.is_empty() {
        v.accounts.first().map(|a| a.account.account_id.clone()).unwrap_or_default()
    } else {
        chosen
    };
    UiRequest::LinkNuorderBuyer { account_id, tab_id: v.nuorder_tab_id.or(state.tab_id.get_untracked()) }
}

/// What the Account linked screen says.
fn linked_message(req: &UiRequest, reply: PopupReply, view: AccountsView) -> String {
    match (req, reply, view.nuorder_signed_in) {
        (_, PopupReply::Linked { name, account_id }, _) => format!("Linked Lightspeed account {name} (#{account_id})."),
        (UiRequest::LinkNuorderBuyer { .. }, _, Some(b)) => {
            format!("Linked NuORDER buyer {} ({}).", b.buyer_name, b.retailer_name)
        }
        (UiRequest::LinkNuorderBuyer { .. }, _, None) => "Linked your NuORDER account.".to_string(),
        _ => "Linked.".to_string(),
    }
}

#[component]
pub fn LinkScreen() -> impl IntoView {
    let state = PopupState::expect();
    let product = RwSignal::new(Product::Lightspeed);
    let target_account = RwSignal::new(String::new());
    let error: RwSignal<Option<ProtocolError>> = RwSignal::new(None);
    let link = action(move |req, answer| match answer {
        Ok(reply) => {
            let message = linked_message(&req, reply, state.current());
            state.accounts.refetch();
            state.screen.set(Screen::Linked { message });
        }
        Err(e) => error.set(Some(e)),
    });
    let busy = link.pending();
    let on_link = Callback::new(move |()| {
        error.set(None);
        link.dispatch_local(link_request(product.get_untracked(), state, target_account.get_untracked()));
    });
    view! {
        <header><h1>"Link account"</h1></header>
        <label for="product">"Product"</label>
        <select id="product" data-test="product" on:change=move |ev| {
            product.set(if event_target_value(&ev) == "nuorder" { Product::Nuorder } else { Product::Lightspeed });
            error.set(None);
        }>
            <option value="lightspeed" selected=true>"Lightspeed R-Series"</option>
            <option value="nuorder">"NuORDER"</option>
        </select>
        {move || match product.get() {
            Product::Lightspeed => view! { <LightspeedHelp /> }.into_any(),
            Product::Nuorder => view! { <NuorderHelp current=state.current() target_account /> }.into_any(),
        }}
        {move || error.get().map(|e| view! { <div data-test="link-error"><Advice error=e again=on_link /></div> })}
        <div class="actions">
            <button type="button" class="primary" data-test="do-link" disabled=move || busy.get() on:click=move |_| on_link.run(())>
                {move || if busy.get() { "Waiting for Lightspeed…" } else { "Link account" }}
            </button>
            <button type="button" data-test="cancel" on:click=move |_| state.screen.set(Screen::Accounts)>"Cancel"</button>
        </div>
    }
}

#[component]
fn LightspeedHelp() -> impl IntoView {
    view! {
        <p class="help">
            "Sign in to Lightspeed and allow PO Bridge to create vendors, items and purchase orders. A Lightspeed window opens; come back here when it closes."
        </p>
    }
}

/// Linking a NuORDER buyer needs a Lightspeed account and a signed-in NuORDER tab.
#[component]
fn NuorderHelp(current: AccountsView, target_account: RwSignal<String>) -> impl IntoView {
    let v = current;
    match (v.nuorder_signed_in, v.accounts.is_empty()) {
        (_, true) => view! {
            <p class="help" data-test="need-lightspeed">"Link a Lightspeed account first, then link your NuORDER buyer to it."</p>
        }
        .into_any(),
        (None, false) => view! {
            <p class="help" data-test="need-nuorder">"Sign in to NuORDER in a tab, then come back. "
                <button type="button" class="link" on:click=move |_| open_nuorder()>"Open NuORDER sign-in"</button>
            </p>
        }
        .into_any(),
        (Some(b), false) => view! {
            <p class="help">"Link NuORDER buyer " <strong>{b.buyer_name}</strong> " (" {b.retailer_name} ") to:"</p>
            <select data-test="target-account" aria-label="Lightspeed account" on:change=move |ev| target_account.set(event_target_value(&ev))>
                {v.accounts.into_iter().map(|a| view! { <option value=a.account.account_id>{a.account.name}</option> }).collect_view()}
            </select>
        }
        .into_any(),
    }
}

#[component]
pub fn LinkedScreen(message: String) -> impl IntoView {
    let screen = PopupState::expect().screen;
    view! {
        <header><h1>"Account linked"</h1></header>
        <p role="status" data-test="linked-message">{message}</p>
        <div class="actions">
            <button type="button" class="primary" data-test="back-to-accounts" on:click=move |_| screen.set(Screen::Accounts)>
                "Back to accounts"
            </button>
            <button type="button" data-test="go-to-nuorder" on:click=move |_| open_nuorder()>"Go to NuORDER"</button>
        </div>
    }
}
