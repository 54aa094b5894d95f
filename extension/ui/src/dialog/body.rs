//! The dialog's content once the preview is there: the order's summary, the location, the item
//! tabs, the totals and the Export action.

use super::guard;
use super::rows::{Missing, RowTable};
use super::{close, focus_by_id, Choices, Guarded};
use crate::load::action;
use leptos::prelude::*;
use po_bridge::app::dialog_text::{export_refusal, started, still_waiting, totals};
use po_bridge::app::plan_view::{PlanView, RowView};
use po_bridge::app::preview::PreviewView;
use po_bridge::export::plan::Tab;
use po_bridge::protocol::{DialogReply, RowChoice, UiRequest};
use serde_json::Value;
use std::collections::BTreeMap;

#[component]
pub fn Body(preview: PreviewView<Value>) -> impl IntoView {
    let shop = RwSignal::new(
        preview
            .default_shop_id
            .clone()
            .or_else(|| preview.shops.first().map(|s| s.shop_id.clone()))
            .unwrap_or_default(),
    );
    let choices: Choices = RwSignal::new(BTreeMap::new());
    let missing = Missing { needs_choice: preview.plan.counts.needs_choice, choices };
    let badge = &preview.status.badge;
    let exported = !badge.action_enabled && !badge.needs_link;
    let status_text = badge.action_tooltip.clone();
    let badge_retry = badge.retry;

    // Focus moves into the dialog: onto the location chooser once the content is there.
    request_animation_frame(|| focus_by_id("shop"));

    let totals = totals(&preview);
    let currency = preview.currency_warning.clone();
    view! {
        <Summary preview=preview.clone() />
        {exported.then(|| view! { <div class="note" role="status" data-test="already">{status_text}</div> })}
        {currency.map(|w| view! { <div class="warning" role="alert" data-test="currency-warning">{w}</div> })}
        <ShopChooser preview=preview.clone() shop />
        <Confirm preview=preview.clone() shop />
        <ItemTabs plan=preview.plan choices />
        <p class="totals" data-test="totals">
            {totals}
            {move || still_waiting(missing.get())}
        </p>
        <ExportActions order_id=preview.order_id shop choices missing exported retry=badge_retry />
    }
}

#[component]
fn Summary(preview: PreviewView<Value>) -> impl IntoView {
    view! {
        <section class="summary">
            <p><span class="label">"Order #"</span> <strong data-test="order-number">{preview.order_number}</strong></p>
            <p><span class="label">"Vendor"</span> <span data-test="vendor">{preview.plan.vendor}</span></p>
            <div class="address" data-test="shipping-address">
                <span class="label">"Shipping address"</span>
                {preview.shipping_address.into_iter().map(|l| view! { <div>{l}</div> }).collect_view()}
            </div>
            <p><span class="label">"Lightspeed account"</span> <span>{preview.account_name}</span></p>
        </section>
    }
}

/// What Export confirms, by name: the account and the location chosen.
#[component]
fn Confirm(preview: PreviewView<Value>, shop: RwSignal<String>) -> impl IntoView {
    let shops = preview.shops;
    let location = move || shop.with(|id| shops.iter().find(|s| &s.shop_id == id).map(|s| s.name.clone()));
    view! {
        <p class="confirm" data-test="confirm">
            "Export creates a purchase order for "
            <strong data-test="confirm-vendor">{preview.plan.vendor.clone()}</strong>
            " in Lightspeed account "
            <strong data-test="confirm-account">{preview.account_name}</strong>
            " at "
            <strong data-test="confirm-location">{location}</strong>
            "."
        </p>
    }
}

#[component]
fn ShopChooser(preview: PreviewView<Value>, shop: RwSignal<String>) -> impl IntoView {
    let default_shop = preview.default_shop_id;
    view! {
        <label for="shop">"Choose location for order export"</label>
        <select id="shop" data-test="shop" on:change=move |ev| shop.set(event_target_value(&ev))>
            {preview.shops.into_iter().map(|s| {
                let selected = Some(&s.shop_id) == default_shop.as_ref();
                view! { <option value=s.shop_id selected=selected>{s.name}</option> }
            }).collect_view()}
        </select>
    }
}

/// Matched items / New items: a row is listed where the core puts it (`Tab::of`: a row still
/// waiting for a choice among existing items stays with the matched ones), under the core's labels
/// (`Tab::label`), and the dialog opens on the tab the core names (`Counts::first_tab`).
#[component]
fn ItemTabs(plan: PlanView, choices: Choices) -> impl IntoView {
    let counts = plan.counts;
    let tab = RwSignal::new(counts.first_tab());
    let (new_rows, matched): (Vec<RowView>, Vec<RowView>) =
        plan.rows.into_iter().partition(|r| Tab::of(&r.status) == Tab::New);
    view! {
        <div role="tablist" aria-label="Items" class="tabs">
            <TabButton tab this=Tab::Matched other=Tab::New label=Tab::Matched.label(&counts) />
            <TabButton tab this=Tab::New other=Tab::Matched label=Tab::New.label(&counts) />
        </div>
        <div role="tabpanel" id="panel-matched" aria-labelledby="tab-matched" data-test="panel-matched" hidden=move || tab.get() != Tab::Matched>
            <RowTable rows=matched choices />
        </div>
        <div role="tabpanel" id="panel-new" aria-labelledby="tab-new" data-test="panel-new" hidden=move || tab.get() != Tab::New>
            <RowTable rows=new_rows choices />
        </div>
    }
}

fn tab_name(tab: Tab) -> &'static str {
    match tab {
        Tab::Matched => "tab-matched",
        Tab::New => "tab-new",
    }
}

/// One tab; the arrow keys move to the other one (there are two).
#[component]
fn TabButton(tab: RwSignal<Tab>, this: Tab, other: Tab, label: String) -> impl IntoView {
    let id = tab_name(this);
    let panel = if this == Tab::Matched { "panel-matched" } else { "panel-new" };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "ArrowRight" || ev.key() == "ArrowLeft" {
            tab.set(other);
            focus_by_id(tab_name(other));
        }
    };
    view! {
        <button type="button" role="tab" id=id aria-controls=panel data-test=id
            aria-selected=move || (tab.get() == this).to_string()
            tabindex=move || if tab.get() == this { "0" } else { "-1" }
            on:click=move |_| tab.set(this)
            on:keydown=on_key>
            {label}
        </button>
    }
}

#[component]
fn ExportActions(
    order_id: String,
    shop: RwSignal<String>,
    choices: Choices,
    missing: Missing,
    exported: bool,
    retry: bool,
) -> impl IntoView {
    let Guarded { cap, surface } = expect_context::<Guarded>();
    // Export works only once the dialog has been visible without a break (`guard`).
    let ready = RwSignal::new(false);
    guard::watch_actions(surface, ready);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let done: RwSignal<Option<String>> = RwSignal::new(None);
    // Once started, the export runs in the background and the dialog closes.
    let export = action(move |_, answer| match answer {
        Ok(DialogReply::Job(view)) => {
            done.set(Some(started(&view.badge.text)));
            close();
        }
        Ok(_) => close(),
        Err(e) => error.set(Some(e.message)),
    });
    let busy = export.pending();
    let on_export = move |_| {
        if !ready.get_untracked() {
            return;
        }
        if retry {
            export.dispatch_local(UiRequest::RetryExport { order_id: order_id.clone(), cap: Some(cap.clone()) });
            return;
        }
        let shop_id = shop.get();
        let refusal = export_refusal(missing.get(), &shop_id);
        error.set(refusal.map(String::from));
        if refusal.is_none() {
            let picked = choices.get().into_iter().map(|(row, choice)| RowChoice { row, choice }).collect();
            let cap = cap.clone();
            export.dispatch_local(UiRequest::StartExport { order_id: order_id.clone(), shop_id, choices: picked, cap });
        }
    };
    view! {
        {move || error.get().map(|e| view! { <div class="error" role="alert" data-test="export-error">{e}</div> })}
        {move || done.get().map(|d| view! { <div class="note" role="status" data-test="export-started">{d}</div> })}
        <div class="actions" data-test="actions">
            <button type="button" class="primary" data-test="export"
                disabled=move || busy.get() || (exported && !retry) || !ready.get() on:click=on_export>
                {move || match (busy.get(), retry) { (true, _) => "Exporting…", (false, true) => "Retry", _ => "Export" }}
            </button>
            <button type="button" data-test="cancel" on:click=move |_| close()>"Cancel"</button>
        </div>
    }
}
