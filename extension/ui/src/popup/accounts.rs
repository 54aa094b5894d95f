//! The Linked accounts screen: the NuORDER session, one card per Lightspeed account, history.

use super::account_card::AccountCard;
use super::history::History;
use super::this_page::ThisPage;
use super::{PopupState, Screen};
use crate::advice::Advice;
use crate::api::{open_nuorder, unexpected};
use crate::load::loaded;
use leptos::prelude::*;
use po_bridge::protocol::{AccountView, AccountsView, PopupReply};
use std::sync::Arc;

#[component]
pub fn AccountsScreen() -> impl IntoView {
    let state = PopupState::expect();
    let accounts = state.accounts;
    view! {
        <header><h1>"Linked accounts"</h1></header>
        <ThisPage />
        {loaded(
            accounts,
            || view! { <p class="status" role="status" data-test="loading">"Loading your accounts…"</p> }.into_any(),
            Arc::new(move |error| view! {
                <Advice error again=Callback::new(move |()| accounts.refetch()) />
            }.into_any()),
            Arc::new(|answer| match answer {
                PopupReply::Accounts(view) => Ok(view! { <Loaded view /> }.into_any()),
                _ => Err(unexpected("PO Bridge answered unexpectedly. Close and reopen the popup.")),
            }),
        )}
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
        // First run (issue 20): what PO Bridge does, in one line, and the two ways to start.
        return view! {
            <section class="first-run" data-test="no-accounts">
                <p data-test="first-run">"PO Bridge turns your NuORDER orders into Lightspeed purchase orders, without duplicate items."</p>
                <button type="button" data-test="go-to-nuorder" on:click=move |_| open_nuorder()>"Go to NuORDER"</button>
            </section>
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
            {if has_accounts { "Link another account" } else { "Connect Lightspeed" }}
        </button>
    }
}
