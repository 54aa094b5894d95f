//! The popup: Linked accounts, Link account, default location and region.
//!
//! One resource holds what the Linked accounts and Link account screens show; every action that
//! changes an account refetches it.

mod account_card;
mod accounts;
mod history;
mod link;

use accounts::AccountsScreen;
use link::{LinkScreen, LinkedScreen};

use crate::api::{ask, unexpected};
use leptos::prelude::*;
use po_bridge::protocol::{AccountsView, ProtocolError, Request, Response};
use po_bridge_browser as browser;

#[derive(Clone, Debug, PartialEq)]
enum Screen {
    Accounts,
    Link,
    Linked { message: String },
}

/// What the popup loads: the accounts view and the tab it was opened over.
#[derive(Clone, Debug, Default, PartialEq)]
struct Accounts {
    view: AccountsView,
    tab_id: Option<i64>,
}

type AccountsResource = LocalResource<Result<Accounts, ProtocolError>>;

/// The popup's shared state, provided as context to its screens.
#[derive(Clone, Copy)]
struct PopupState {
    accounts: AccountsResource,
    screen: RwSignal<Screen>,
    /// The last note an account card showed, as (account id, sentence): kept here so it outlives
    /// the refetch that re-renders the cards.
    note: RwSignal<Option<(String, String)>>,
}

impl PopupState {
    fn expect() -> Self {
        expect_context::<PopupState>()
    }

    /// The accounts as last loaded (empty while loading or after an error).
    fn current(self) -> Accounts {
        self.accounts.get().and_then(Result::ok).unwrap_or_default()
    }
}

async fn load_accounts() -> Result<Accounts, ProtocolError> {
    let tab_id = browser::active_tab_id().await;
    match ask(Request::GetAccounts { active_tab_id: tab_id }).await? {
        Response::Accounts(view) => Ok(Accounts { view, tab_id }),
        _ => Err(unexpected("PO Bridge answered unexpectedly. Close and reopen the popup.")),
    }
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
    let state = PopupState {
        accounts: LocalResource::new(load_accounts),
        screen: RwSignal::new(start_screen()),
        note: RwSignal::new(None),
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
