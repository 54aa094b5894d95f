//! The popup: Linked accounts, Link account, default location and region.
//!
//! One resource holds what the Linked accounts and Link account screens show; every action that
//! changes an account refetches it.

mod account_card;
mod accounts;
mod history;
mod link;
mod this_page;

use accounts::AccountsScreen;
use link::{LinkScreen, LinkedScreen};

use crate::api::ask;
use crate::load::{resource, Answer, Resource};
use leptos::prelude::*;
use po_bridge::protocol::{AccountsView, PopupReply, UiRequest};
use po_bridge_browser as browser;

#[derive(Clone, Debug, PartialEq)]
enum Screen {
    Accounts,
    Link,
    Linked { message: String },
}

/// The popup's shared state, provided as context to its screens.
#[derive(Clone, Copy)]
struct PopupState {
    /// `GetAccounts` for the tab the popup was opened over.
    accounts: Resource<PopupReply>,
    screen: RwSignal<Screen>,
    /// The last note an account card showed, as (account id, sentence): kept here so it outlives
    /// the refetch that re-renders the cards.
    note: RwSignal<Option<(String, String)>>,
    /// The tab the popup was opened over (read with the accounts).
    tab_id: RwSignal<Option<i64>>,
}

impl PopupState {
    fn expect() -> Self {
        expect_context::<PopupState>()
    }

    /// The accounts as last loaded (empty while loading or after an error).
    fn current(self) -> AccountsView {
        match self.accounts.get() {
            Some(Ok(PopupReply::Accounts(view))) => view,
            _ => AccountsView::default(),
        }
    }
}

async fn load_accounts(tab_id: RwSignal<Option<i64>>) -> Answer<PopupReply> {
    let active_tab_id = browser::active_tab_id().await;
    tab_id.set(active_tab_id);
    ask(UiRequest::GetAccounts { active_tab_id }).await
}

/// `popup.html#link` (opened from an in-page action when nothing is linked) starts on Link.
fn start_screen() -> Screen {
    if web_sys::window().and_then(|w| w.location().hash().ok()).as_deref() == Some("#link") {
        Screen::Link
    } else {
        Screen::Accounts
    }
}

#[component]
pub fn Popup() -> impl IntoView {
    let tab_id = RwSignal::new(None);
    let state = PopupState {
        accounts: resource(move || load_accounts(tab_id)),
        screen: RwSignal::new(start_screen()),
        note: RwSignal::new(None),
        tab_id,
    };
    provide_context(state);
    view! {
        <main class="po-bridge-popup">
            {move || match state.screen.get() {
                Screen::Accounts => view! { <AccountsScreen /> }.into_any(),
                Screen::Link => view! { <LinkScreen /> }.into_any(),
                Screen::Linked { message } => view! { <LinkedScreen message /> }.into_any(),
            }}
        </main>
    }
}
