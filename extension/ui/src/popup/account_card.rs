//! One linked Lightspeed account: its buyers, default location, region, re-link and unlink.

use super::PopupState;
use crate::advice::Advice;
use crate::api::unexpected;
use crate::load::{action, asking, loaded};
use leptos::prelude::*;
use po_bridge::accounts::Region;
use po_bridge::app::link::unusual_client_id;
use po_bridge::protocol::{AccountView, PopupReply, ShopView, UiRequest};
use std::sync::Arc;

/// A change to this account (a request that changes it).
type Change = Action<UiRequest, ()>;

/// What the card notes when a change succeeds.
fn done_note(req: &UiRequest) -> Option<&'static str> {
    match req {
        UiRequest::SetDefaultShop { .. } => Some("Default location saved."),
        UiRequest::SetRegion { .. } => Some("Region saved."),
        _ => None,
    }
}

/// Sends a change; on success notes it (when it has a note) and refetches the accounts, on failure
/// notes the background's advice.
fn change_action(account_id: String) -> Change {
    let state = PopupState::expect();
    action::<PopupReply>(move |req, answer| {
        let ok = answer.is_ok();
        let note = match answer {
            Ok(_) => done_note(&req).map(String::from),
            Err(e) => Some(e.message),
        };
        if let Some(note) = note {
            state.note.set(Some((account_id.clone(), note)));
        }
        if ok {
            state.accounts.refetch();
        }
    })
}

#[component]
pub fn AccountCard(account: AccountView) -> impl IntoView {
    let a = account.account;
    let id = a.account_id.clone();
    let change = change_action(id.clone());
    let note = view! { <Note account_id=id.clone() /> };
    view! {
        <li class="account" data-test="account" data-account-id=id.clone()>
            <div class="account-head">
                <strong data-test="account-name">{a.name}</strong>
                <span class="muted">" Lightspeed R-Series · account " {id.clone()}</span>
                {account.used_by_current_tab.then(|| view! {
                    <span class="badge" data-test="current-tab">"Used by this NuORDER tab"</span>
                })}
            </div>
            {unusual_client_id(&a.client_id).map(|c| view! {
                <div class="warning" role="alert" data-test="unusual-client">
                    "Linked through a non-standard OAuth client: " <code>{c.to_string()}</code>
                    ". If you did not set this up, unlink this account."
                </div>
            })}
            {a.needs_relink.then(|| view! { <RelinkWarning change /> })}
            <Buyers buyers=account.buyers />
            <ShopPicker account_id=id.clone() default_shop=a.default_shop_id.unwrap_or_default() change />
            <RegionPicker account_id=id.clone() region=a.region change />
            <div class="actions"><UnlinkButton account_id=id.clone() change /></div>
            {note}
        </li>
    }
}

#[component]
fn RelinkWarning(change: Change) -> impl IntoView {
    view! {
        <div class="warning" role="alert" data-test="needs-relink">
            "Lightspeed no longer accepts this link. Exports are paused until you link it again. "
            <button type="button" on:click=move |_| { change.dispatch_local(UiRequest::LinkLightspeed { interactive: true }); }>
                "Link again"
            </button>
        </div>
    }
}

#[component]
fn Buyers(buyers: Vec<po_bridge::accounts::NuorderAccount>) -> impl IntoView {
    let list = if buyers.is_empty() {
        view! { <span class="muted">"No NuORDER buyer linked yet."</span> }.into_any()
    } else {
        buyers
            .into_iter()
            .map(|b| view! { <span class="buyer">"NuORDER: " {b.buyer_name} " (" {b.retailer_name} ")"</span> })
            .collect_view()
            .into_any()
    };
    view! { <div class="buyers" data-test="buyers">{list}</div> }
}

#[component]
fn ShopPicker(account_id: String, default_shop: String, change: Change) -> impl IntoView {
    let select_id = format!("shop-{account_id}");
    let shops = asking(UiRequest::GetShops { account_id: account_id.clone() });
    view! {
        <label for=select_id.clone()>"Default location"</label>
        {loaded(
            shops,
            || view! { <span class="muted" data-test="shops-loading">"Loading locations…"</span> }.into_any(),
            Arc::new(|error| view! { <div data-test="shops-error"><Advice error /></div> }.into_any()),
            Arc::new(move |answer| match answer {
                PopupReply::Shops { shops, .. } => Ok(view! {
                    <ShopSelect id=select_id.clone() account_id=account_id.clone() shops current=default_shop.clone() change />
                }
                .into_any()),
                _ => Err(unexpected("Unexpected answer.")),
            }),
        )}
    }
}

/// The account's shops; choosing one saves it as the default location.
#[component]
fn ShopSelect(id: String, account_id: String, shops: Vec<ShopView>, current: String, change: Change) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        change.dispatch_local(UiRequest::SetDefaultShop {
            account_id: account_id.clone(),
            shop_id: event_target_value(&ev),
        });
    };
    view! {
        <select id=id data-test="default-shop" on:change=on_change>
            <option value="" disabled=true selected=current.is_empty()>"Choose a location"</option>
            {shops.into_iter().map(|s| {
                let selected = s.shop_id == current;
                view! { <option value=s.shop_id selected=selected>{s.name}</option> }
            }).collect_view()}
        </select>
    }
}

/// The picked option's region (its value is the region's name).
fn region_value(value: &str) -> Region {
    Region::ALL.into_iter().find(|r| r.name() == value).unwrap_or_default()
}

#[component]
fn RegionPicker(account_id: String, region: Region, change: Change) -> impl IntoView {
    let select_id = format!("region-{account_id}");
    let on_change = move |ev: leptos::ev::Event| {
        let req =
            UiRequest::SetRegion { account_id: account_id.clone(), region: region_value(&event_target_value(&ev)) };
        change.dispatch_local(req);
    };
    view! {
        <label for=select_id.clone()>"Back office region"</label>
        <select id=select_id data-test="region" on:change=on_change>
            <option value=Region::Us.name() selected={region == Region::Us}>"US"</option>
            <option value=Region::Eu.name() selected={region == Region::Eu}>"EU"</option>
            <option value=Region::Aus.name() selected={region == Region::Aus}>"AUS"</option>
        </select>
    }
}

/// Unlink asks once for confirmation: the first click arms it, the second unlinks.
#[component]
fn UnlinkButton(account_id: String, change: Change) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let busy = change.pending();
    let on_click = move |_| {
        if confirming.get() {
            change.dispatch_local(UiRequest::Unlink { account_id: account_id.clone() });
        } else {
            confirming.set(true);
        }
    };
    view! {
        <button type="button" class="danger" data-test="unlink" disabled=move || busy.get() on:click=on_click>
            {move || if confirming.get() { "Confirm: unlink this account" } else { "Unlink account" }}
        </button>
    }
}

#[component]
fn Note(account_id: String) -> impl IntoView {
    let note = PopupState::expect().note;
    let text = move || note.get().filter(|(id, _)| *id == account_id).map(|(_, text)| text);
    move || text().map(|m| view! { <p class="note" role="status" data-test="account-message">{m}</p> })
}
