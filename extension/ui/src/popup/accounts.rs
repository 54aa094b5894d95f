//! The Linked accounts screen: the NuORDER session, one card per Lightspeed account, history.

use super::account_card::AccountCard;
use super::history::History;
use super::{PopupState, Screen};
use crate::api::{first_error, open_nuorder};
use leptos::prelude::*;
use po_bridge::protocol::{AccountView, AccountsView};

#[component]
pub fn AccountsScreen() -> impl IntoView {
    let state = PopupState::expect();
    let accounts = state.accounts;
    view! {
        <header><h1>"Linked accounts"</h1></header>
        <Transition fallback=|| view! { <p class="status" role="status" data-test="loading">"Loading your accounts…"</p> }>
            <ErrorBoundary fallback=move |errors| view! {
                <div class="error" role="alert" data-test="error">{first_error(errors)}</div>
                <button type="button" on:click=move |_| accounts.refetch()>"Try again"</button>
            }>
                {move || Suspend::new(async move { accounts.await.map(|a| view! { <Loaded view=a.view /> }) })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Loaded(view: AccountsView) -> impl IntoView {
    let has_accounts = !view.accounts.is_empty();
    view! {
        <p class="status" role="status" data-test="background-status">"PO Bridge is ready."</p>
        <NuorderSession view=view.clone() />
        <AccountList accounts=view.accounts />
        <LinkButton has_accounts />
        <History />
    }
}

#[component]
fn NuorderSession(view: AccountsView) -> impl IntoView {
    let session = match view.nuorder_signed_in {
        Some(b) => view! {
            <p>"Signed in on NuORDER as " <strong>{b.buyer_name}</strong> " (" {b.retailer_name} ")."</p>
        }
        .into_any(),
        None => view! {
            <p>"No NuORDER tab is signed in. "
                <button type="button" class="link" data-test="open-nuorder" on:click=move |_| open_nuorder()>
                    "Open NuORDER sign-in"
                </button>
            </p>
        }
        .into_any(),
    };
    view! { <section class="nuorder" data-test="nuorder-session">{session}</section> }
}

#[component]
fn AccountList(accounts: Vec<AccountView>) -> impl IntoView {
    if accounts.is_empty() {
        return view! {
            <p class="empty" data-test="no-accounts">
                "No Lightspeed account is linked yet. Link one to export NuORDER orders as purchase orders."
            </p>
        }
        .into_any();
    }
    view! {
        <ul class="accounts" data-test="accounts">
            {accounts.into_iter().map(|account| view! { <AccountCard account /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn LinkButton(has_accounts: bool) -> impl IntoView {
    let screen = PopupState::expect().screen;
    view! {
        <button type="button" class="primary" data-test="link-account" on:click=move |_| screen.set(Screen::Link)>
            {if has_accounts { "Link another account" } else { "Link account" }}
        </button>
    }
}
