//! The dialog's Connect step (issue 20): the tab's NuORDER buyer has no Lightspeed account yet,
//! so in place of the plan the dialog offers *Connect Lightspeed*. It runs the popup's OAuth +
//! PKCE link through the consent window; the background links the buyer to the new account and
//! re-issues the dialog's capability for it (`app::connect`). With several locations and no
//! default yet, the dialog asks once which one receives the orders; then it reloads on its new
//! capability and shows the order's preview.

use super::{close, guard, Guarded, UNEXPECTED};
use crate::advice::Advice;
use crate::api::{ask, unexpected};
use crate::load::action;
use leptos::prelude::*;
use leptos::task::spawn_local;
use po_bridge::protocol::{ConnectView, DialogReply, ProtocolError, ShopView, UiRequest};

/// The dialog goes on at `path` (its new capability).
fn go(path: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(path);
    }
}

/// The account linked, its locations and where the dialog goes on once one is chosen.
#[derive(Clone)]
struct Choosing {
    account_id: String,
    dialog: String,
    shops: Vec<ShopView>,
}

#[component]
pub fn ConnectStep(view: ConnectView) -> impl IntoView {
    let Guarded { cap, surface } = expect_context::<Guarded>();
    // Like Export, Connect works only once the dialog has been visible without a break.
    let ready = RwSignal::new(false);
    guard::watch_actions(surface, ready);
    let error: RwSignal<Option<ProtocolError>> = RwSignal::new(None);
    let choosing: RwSignal<Option<Choosing>> = RwSignal::new(None);
    let connect = action(move |_, answer| match answer {
        Ok(DialogReply::Connected { dialog, shops, .. }) if shops.is_empty() => go(&dialog),
        Ok(DialogReply::Connected { account_id, dialog, shops }) => {
            choosing.set(Some(Choosing { account_id, dialog, shops }))
        }
        Ok(_) => error.set(Some(unexpected(UNEXPECTED))),
        Err(e) => error.set(Some(e)),
    });
    let busy = connect.pending();
    let start = Callback::new(move |()| {
        if ready.get_untracked() && !busy.get_untracked() {
            error.set(None);
            connect.dispatch_local(UiRequest::ConnectLightspeed { cap: cap.clone() });
        }
    });
    view! {
        <section class="summary">
            <p><span class="label">"Order #"</span> <strong data-test="order-number">{view.order_number}</strong></p>
            <p><span class="label">"Vendor"</span> <span data-test="vendor">{view.vendor}</span></p>
            <p><span class="label">"NuORDER buyer"</span> <span data-test="buyer">{view.buyer}</span></p>
        </section>
        <p class="help" data-test="connect-help">
            "Connect your Lightspeed account to export this order. Lightspeed opens its sign-in in a new window: choose Allow there, and this order's preview follows."
        </p>
        {move || error.get().map(|e| view! { <Advice error=e again=start /> })}
        {move || choosing.get().map(|c| view! { <ChooseLocation choosing=c /> })}
        <div class="actions" data-test="actions">
            <button type="button" class="primary" data-test="connect"
                disabled=move || busy.get() || !ready.get() || choosing.with(Option::is_some)
                on:click=move |_| start.run(())>
                {move || if busy.get() { "Waiting for Lightspeed…" } else { "Connect Lightspeed" }}
            </button>
            <button type="button" data-test="cancel" on:click=move |_| close()>"Cancel"</button>
        </div>
    }
}

/// Asked once, after a link with several locations: the one that receives this buyer's orders
/// (the account's default location; the popup can change it).
#[component]
fn ChooseLocation(choosing: Choosing) -> impl IntoView {
    let failed: RwSignal<Option<ProtocolError>> = RwSignal::new(None);
    let Choosing { account_id, dialog, shops } = choosing;
    view! {
        <p class="help" data-test="choose-location">"Connected. Which location receives the orders you export?"</p>
        <div class="locations" role="group" aria-label="Locations">
            {shops.into_iter().map(|s| {
                let (account_id, dialog, shop_id) = (account_id.clone(), dialog.clone(), s.shop_id.clone());
                let pick = move |_| {
                    let (account_id, dialog, shop_id) = (account_id.clone(), dialog.clone(), shop_id.clone());
                    spawn_local(async move {
                        match ask::<DialogReply>(UiRequest::SetDefaultShop { account_id, shop_id }).await {
                            Ok(_) => go(&dialog),
                            Err(e) => failed.set(Some(e)),
                        }
                    });
                };
                view! {
                    <button type="button" data-test="pick-location" data-shop-id=s.shop_id.clone() on:click=pick>{s.name}</button>
                }
            }).collect_view()}
        </div>
        {move || failed.get().map(|e| view! { <Advice error=e /> })}
    }
}
