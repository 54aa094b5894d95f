//! The batch dialog (issue 19): the selection's orders, each with its order #, brand, units,
//! total and matched / new / needs-choice counts; one location for all (the default preselected)
//! and a per-order override; an order that needs a choice opened with *Choose…* (the export
//! dialog's choosers, [`RowTable`]) and included once every such row is chosen, or left out, as an
//! order that cannot be exported is; Export starts the batch with each order's choices, only from
//! here, after the same 500 ms of visibility as Export.

use super::rows::{Missing, RowTable};
use super::{close, focus_by_id, guard, Choices, Guarded};
use crate::advice::Advice;
use crate::load::action;
use leptos::prelude::*;
use po_bridge::app::dialog_text::{batch_counts, batch_export_label, batch_exportable, batch_note};
use po_bridge::app::plan_view::RowView;
use po_bridge::core::sorted;
use po_bridge::protocol::{
    BatchOrderView, BatchPick, BatchView, DialogReply, FromWire, ProtocolError, RowChoice, ShopView, UiRequest,
};
use serde_json::Value;
use std::collections::BTreeMap;

/// Per order: whether the user includes it, and its own location ("" = the one for all).
type Picks = RwSignal<BTreeMap<String, (bool, String)>>;

/// Whether an order can be exported in the batch: ready from the review, or (`missing`) once
/// each of its rows that need a choice is chosen here.
#[derive(Clone, Copy)]
struct Line {
    ready: bool,
    missing: Option<Missing>,
}

impl Line {
    fn of(order: &BatchOrderView<Value>) -> Line {
        let missing =
            order.can_choose.then(|| Missing { needs_choice: order.needs_choice, choices: Choices::default() });
        Line { ready: order.ready, missing }
    }

    /// Its rows still without a choice, `None` when it has nothing to choose.
    fn waiting(self) -> Option<usize> {
        self.missing.map(Missing::get)
    }

    fn exportable(self) -> bool {
        batch_exportable(self.ready, self.waiting())
    }

    fn choices(self) -> Vec<RowChoice> {
        let chosen = self.missing.map(|m| m.choices.get()).unwrap_or_default();
        chosen.into_iter().map(|(row, choice)| RowChoice { row, choice }).collect()
    }
}

type Lines = BTreeMap<String, Line>;

#[component]
pub fn BatchBody(view: BatchView<Value>) -> impl IntoView {
    let first = view.shops.first().map(|s| s.shop_id.clone()).unwrap_or_default();
    let shop = RwSignal::new(view.default_shop_id.clone().unwrap_or(first));
    let picks: Picks = RwSignal::new(sorted::map(
        view.orders.iter().map(|o| (o.order_id.clone(), (o.ready || o.can_choose, String::new()))),
    ));
    let lines: Lines = sorted::map(view.orders.iter().map(|o| (o.order_id.clone(), Line::of(o))));
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
                {view.orders.into_iter().map(|o| {
                    let line = lines[&o.order_id];
                    view! { <OrderLine order=o shops=shops.clone() picks line /> }
                }).collect_view()}
            </tbody>
        </table>
        <BatchActions shop picks lines />
    }
}

#[component]
fn OrderLine(order: BatchOrderView<Value>, shops: Vec<ShopView>, picks: Picks, line: Line) -> impl IntoView {
    let id = order.order_id.clone();
    let (id_check, id_shop) = (id.clone(), id.clone());
    let included = move || line.exportable() && picks.with(|p| p.get(&id).is_some_and(|(on, _)| *on));
    let counts = batch_counts(&order);
    let label = format!("Export order #{}", order.order_number);
    let note = order.note.clone();
    let note = move || batch_note(note.as_deref(), line.waiting());
    let warning = order.warning.clone();
    let open = RwSignal::new(false);
    let rows = Vec::<RowView>::from_wire(&order.choice_rows).unwrap_or_default();
    let choose = line.missing.filter(|_| !rows.is_empty()).map(|m| {
        let name = format!("Choose items for order #{}", order.order_number);
        let button = view! {
            <div><button type="button" data-test="choose" aria-label=name
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>"Choose…"</button></div>
        };
        let table = view! {
            <tr data-test="batch-choices" data-order-number=order.order_number.clone() hidden=move || !open.get()>
                <td colspan="7"><RowTable rows choices=m.choices /></td>
            </tr>
        };
        (button, table)
    });
    let (button, table) = choose.unzip();
    view! {
        <tr data-test="batch-order" data-order-number=order.order_number.clone()>
            <td><input type="checkbox" data-test="include" aria-label=label prop:checked=included
                disabled=move || !line.exportable()
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    picks.update(|p| { if let Some(e) = p.get_mut(&id_check) { e.0 = on; } });
                } /></td>
            <td data-test="number">{order.order_number.clone()}</td>
            <td data-test="brand">{order.brand.clone()}</td>
            <td data-test="units">{order.units}</td>
            <td data-test="total">{order.total.clone()}</td>
            <td data-test="counts">{counts}
                {move || note().map(|n| view! { <div class="note" data-test="left-out">{n}</div> })}
                {warning.map(|w| view! { <div class="warning" data-test="currency-warning">{w}</div> })}
                {button}
            </td>
            <td><select data-test="override" aria-label=format!("Location for order #{}", order.order_number)
                disabled=move || !line.exportable()
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    picks.update(|p| { if let Some(e) = p.get_mut(&id_shop) { e.1 = v; } });
                }>
                <option value="" selected=true>"Same as above"</option>
                {shops.into_iter().map(|s| view! { <option value=s.shop_id>{s.name}</option> }).collect_view()}
            </select></td>
        </tr>
        {table}
    }
}

#[component]
fn BatchActions(shop: RwSignal<String>, picks: Picks, lines: Lines) -> impl IntoView {
    let Guarded { cap, surface } = expect_context::<Guarded>();
    let ready = RwSignal::new(false);
    guard::watch_actions(surface, ready);
    let error: RwSignal<Option<ProtocolError>> = RwSignal::new(None);
    let export = action::<DialogReply>(move |_, answer| match answer {
        Ok(_) => close(),
        Err(e) => error.set(Some(e)),
    });
    let busy = export.pending();
    let lines = StoredValue::new(lines);
    let exportable = move |id: &String| lines.with_value(|l| l.get(id).is_some_and(|l| l.exportable()));
    let chosen = move || picks.with(|p| p.iter().filter(|(id, (on, _))| *on && exportable(id)).count());
    let on_export = move |_| {
        if !ready.get_untracked() || chosen() == 0 {
            return;
        }
        let all = shop.get();
        let orders: Vec<BatchPick> = picks.with(|p| {
            p.iter()
                .filter(|(id, (on, _))| *on && exportable(id))
                .map(|(id, (_, own))| BatchPick {
                    order_id: id.clone(),
                    shop_id: if own.is_empty() { all.clone() } else { own.clone() },
                    choices: lines.with_value(|l| l.get(id).map(|l| l.choices()).unwrap_or_default()),
                })
                .collect()
        });
        export.dispatch_local(UiRequest::StartBatch { cap: cap.clone(), orders });
    };
    view! {
        {move || error.get().map(|error| view! { <Advice error /> })}
        <div class="actions" data-test="actions">
            <button type="button" class="primary" data-test="export"
                disabled=move || busy.get() || !ready.get() || chosen() == 0 on:click=on_export>
                {move || if busy.get() { "Exporting…".to_string() } else { batch_export_label(chosen()) }}
            </button>
            <button type="button" data-test="cancel" on:click=move |_| close()>"Cancel"</button>
        </div>
    }
}
