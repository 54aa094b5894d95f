//! The batch dialog (issue 19): the selection's orders, each with its order #, brand, units,
//! total and matched / new / needs-choice counts; one location for all (the default preselected)
//! and a per-order override; an order that needs a choice (or cannot be exported) left out;
//! Export starts the batch, only from here, after the same 500 ms of visibility as Export.

use super::{close, focus_by_id, guard, Guarded};
use crate::advice::Advice;
use crate::load::action;
use leptos::prelude::*;
use po_bridge::protocol::{BatchOrderView, BatchPick, BatchView, ProtocolError, Request, ShopView};
use std::collections::BTreeMap;

/// Per order: whether it is included, and its own location ("" = the one for all).
type Picks = RwSignal<BTreeMap<String, (bool, String)>>;

#[component]
pub fn BatchBody(view: BatchView) -> impl IntoView {
    let first = view.shops.first().map(|s| s.shop_id.clone()).unwrap_or_default();
    let shop = RwSignal::new(view.default_shop_id.clone().unwrap_or(first));
    let picks: Picks =
        RwSignal::new(view.orders.iter().map(|o| (o.order_id.clone(), (o.ready, String::new()))).collect());
    request_animation_frame(|| focus_by_id("shop"));
    let n = view.orders.len();
    let default_shop = view.default_shop_id.clone();
    let shops = view.shops.clone();
    view! {
        <p class="summary" data-test="batch-summary">
            {format!("{n} selected orders · Lightspeed account ")}<strong>{view.account_name.clone()}</strong>
        </p>
        <label for="shop">"Choose location for order export"</label>
        <select id="shop" data-test="shop" on:change=move |ev| shop.set(event_target_value(&ev))>
            {view.shops.iter().map(|s| {
                let selected = Some(&s.shop_id) == default_shop.as_ref();
                view! { <option value=s.shop_id.clone() selected=selected>{s.name.clone()}</option> }
            }).collect_view()}
        </select>
        <table class="rows" data-test="batch-orders">
            <thead><tr>
                <th scope="col">"Export"</th><th scope="col">"Order #"</th><th scope="col">"Brand"</th>
                <th scope="col">"Units"</th><th scope="col">"Total"</th><th scope="col">"Items"</th>
                <th scope="col">"Location"</th>
            </tr></thead>
            <tbody>
                {view.orders.into_iter().map(|o| view! { <OrderLine order=o shops=shops.clone() picks /> }).collect_view()}
            </tbody>
        </table>
        <BatchActions shop picks />
    }
}

#[component]
fn OrderLine(order: BatchOrderView, shops: Vec<ShopView>, picks: Picks) -> impl IntoView {
    let id = order.order_id.clone();
    let (id_check, id_shop) = (id.clone(), id.clone());
    let included = move || picks.with(|p| p.get(&id).is_some_and(|(on, _)| *on));
    let counts = format!("{} matched · {} new · {} need a choice", order.matched, order.new, order.needs_choice);
    let label = format!("Export order #{}", order.order_number);
    view! {
        <tr data-test="batch-order" data-order-number=order.order_number.clone()>
            <td><input type="checkbox" data-test="include" aria-label=label prop:checked=included
                disabled=!order.ready
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    picks.update(|p| { if let Some(e) = p.get_mut(&id_check) { e.0 = on; } });
                } /></td>
            <td data-test="number">{order.order_number.clone()}</td>
            <td data-test="brand">{order.brand.clone()}</td>
            <td data-test="units">{order.units}</td>
            <td data-test="total">{order.total.clone()}</td>
            <td data-test="counts">{counts}
                {order.note.clone().map(|n| view! { <div class="note" data-test="left-out">{n}</div> })}
            </td>
            <td><select data-test="override" aria-label=format!("Location for order #{}", order.order_number)
                disabled=!order.ready
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    picks.update(|p| { if let Some(e) = p.get_mut(&id_shop) { e.1 = v; } });
                }>
                <option value="" selected=true>"Same as above"</option>
                {shops.into_iter().map(|s| view! { <option value=s.shop_id>{s.name}</option> }).collect_view()}
            </select></td>
        </tr>
    }
}

#[component]
fn BatchActions(shop: RwSignal<String>, picks: Picks) -> impl IntoView {
    let Guarded { cap, surface } = expect_context::<Guarded>();
    let ready = RwSignal::new(false);
    guard::watch_actions(surface, ready);
    let error: RwSignal<Option<ProtocolError>> = RwSignal::new(None);
    let export = action(move |_, answer| match answer {
        Ok(_) => close(),
        Err(e) => error.set(Some(e)),
    });
    let busy = export.pending();
    let chosen = move || picks.with(|p| p.values().filter(|(on, _)| *on).count());
    let on_export = move |_| {
        if !ready.get_untracked() || chosen() == 0 {
            return;
        }
        let all = shop.get();
        let orders: Vec<BatchPick> = picks.with(|p| {
            p.iter()
                .filter(|(_, (on, _))| *on)
                .map(|(id, (_, own))| BatchPick {
                    order_id: id.clone(),
                    shop_id: if own.is_empty() { all.clone() } else { own.clone() },
                })
                .collect()
        });
        export.dispatch_local(Request::StartBatch { cap: cap.clone(), orders });
    };
    view! {
        {move || error.get().map(|error| view! { <Advice error /> })}
        <div class="actions" data-test="actions">
            <button type="button" class="primary" data-test="export"
                disabled=move || busy.get() || !ready.get() || chosen() == 0 on:click=on_export>
                {move || if busy.get() { "Exporting…".to_string() } else { format!("Export {} orders", chosen()) }}
            </button>
            <button type="button" data-test="cancel" on:click=move |_| close()>"Cancel"</button>
        </div>
    }
}
