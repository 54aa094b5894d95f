//! The Link account screen (a Lightspeed account, or the NuORDER buyer signed in on a tab) and
//! the Account linked screen that follows it.

use super::{Accounts, PopupState, Screen};
use crate::api::{ask, open_nuorder};
use leptos::prelude::*;
use po_bridge::protocol::{ProtocolError, Request, Response};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Product {
    Lightspeed,
    Nuorder,
}

/// What to link: the product, the accounts as loaded, and the Lightspeed account chosen for a
/// NuORDER buyer (empty: the first).
type LinkInput = (Product, Accounts, String);

async fn link(product: Product, current: Accounts, chosen: String) -> Result<String, ProtocolError> {
    if product == Product::Lightspeed {
        return Ok(match ask(Request::LinkLightspeed { interactive: true }).await? {
            Response::Linked { name, account_id } => format!("Linked Lightspeed account {name} (#{account_id})."),
            _ => "Linked.".to_string(),
        });
    }
    let v = current.view;
    let account_id = if chosen.is_empty() {
        v.accounts.first().map(|a| a.account.account_id.clone()).unwrap_or_default()
    } else {
        chosen
    };
    let tab_id = v.nuorder_tab_id.or(current.tab_id);
    ask(Request::LinkNuorderBuyer { account_id, tab_id }).await?;
    Ok(match v.nuorder_signed_in {
        Some(b) => format!("Linked NuORDER buyer {} ({}).", b.buyer_name, b.retailer_name),
        None => "Linked your NuORDER account.".to_string(),
    })
}

#[component]
pub fn LinkScreen() -> impl IntoView {
    let state = PopupState::expect();
    let product = RwSignal::new(Product::Lightspeed);
    let target_account = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let action = Action::new_local(move |(p, current, chosen): &LinkInput| {
        let linking = link(*p, current.clone(), chosen.clone());
        async move {
            match linking.await {
                Ok(message) => {
                    state.accounts.refetch();
                    state.screen.set(Screen::Linked { message });
                }
                Err(e) => error.set(Some(e.message)),
            }
        }
    });
    let busy = action.pending();
    let on_link = move |_| {
        error.set(None);
        action.dispatch_local((product.get(), state.current(), target_account.get()));
    };
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
        {move || error.get().map(|e| view! { <div class="error" role="alert" data-test="link-error">{e}</div> })}
        <div class="actions">
            <button type="button" class="primary" data-test="do-link" disabled=move || busy.get() on:click=on_link>
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
fn NuorderHelp(current: Accounts, target_account: RwSignal<String>) -> impl IntoView {
    let v = current.view;
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
