//! The export dialog, shown in an iframe over NuORDER's page (so it works under any page CSP and
//! NuORDER's CSS cannot reach it): Order #, shipping address, "Choose location for order export",
//! the plan as Matched items / New items tabs with each matrix's status, totals, Export and Cancel.

use leptos::prelude::*;
use leptos::task::spawn_local;
use po_bridge::export::plan::{Choice, PlanRow, RowKey, RowStatus};
use po_bridge::protocol::{PreviewView, ProtocolError, Request, Response, RowChoice};
use po_bridge_browser as browser;
use std::collections::BTreeMap;

async fn ask(req: Request) -> Result<Response, ProtocolError> {
    browser::request(req).await
}

fn close() {
    spawn_local(async {
        let _ = ask(Request::CloseDialog).await;
    });
}

fn focus_by_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

fn order_id_from_location() -> String {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search).ok().and_then(|p| p.get("order_id")).unwrap_or_default()
}

/// A row's status words, as the first-party integration names them.
pub fn status_label(status: &RowStatus) -> &'static str {
    match status {
        RowStatus::Confirmed { .. } => "Confirmed",
        RowStatus::UpcMatch { .. } => "UPC match",
        RowStatus::SkuMatch { .. } => "Matched by SKU",
        RowStatus::New => "New item",
        RowStatus::NeedsChoice { choice: None, .. } => "Needs choice",
        RowStatus::NeedsChoice { choice: Some(Choice::CreateNew), .. } => "New item (chosen)",
        RowStatus::NeedsChoice { choice: Some(Choice::Item { .. }), .. } => "Matched (chosen)",
    }
}

fn is_new(row: &PlanRow) -> bool {
    matches!(row.status, RowStatus::New)
}

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Matched,
    New,
}

#[component]
pub fn Dialog() -> impl IntoView {
    let order_id = order_id_from_location();
    let preview: RwSignal<Option<Result<PreviewView, String>>> = RwSignal::new(None);
    {
        let order_id = order_id.clone();
        spawn_local(async move {
            let r = match ask(Request::PreviewExport { order_id }).await {
                Ok(Response::Preview(p)) => Ok(p),
                Ok(_) => Err("PO Bridge answered unexpectedly. Close this window and try again.".to_string()),
                Err(e) => Err(e.message),
            };
            preview.set(Some(r));
        });
    }
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            close();
        }
    };
    view! {
        <div class="po-bridge-dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" on:keydown=on_key>
            <header class="dialog-head">
                <h1 id="dialog-title">"Export Order to POS"</h1>
                <button type="button" class="icon" aria-label="Close" data-test="close" on:click=move |_| close()>"×"</button>
            </header>
            {move || match preview.get() {
                None => view! { <p role="status" data-test="loading">"Reading the order and matching it in Lightspeed…"</p> }.into_any(),
                Some(Err(message)) => view! {
                    <div class="error" role="alert" data-test="error">{message}</div>
                    <div class="actions"><button type="button" on:click=move |_| close() autofocus=true>"Close"</button></div>
                }.into_any(),
                Some(Ok(p)) => view! { <Body preview=p /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Body(preview: PreviewView) -> impl IntoView {
    let tab = RwSignal::new(Tab::Matched);
    let shop = RwSignal::new(
        preview
            .default_shop_id
            .clone()
            .or_else(|| preview.shops.first().map(|s| s.shop_id.clone()))
            .unwrap_or_default(),
    );
    let choices: RwSignal<BTreeMap<RowKey, Choice>> = RwSignal::new(BTreeMap::new());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let done: RwSignal<Option<String>> = RwSignal::new(None);

    let rows = preview.plan.rows.clone();
    let matched: Vec<PlanRow> = rows.iter().filter(|r| !is_new(r)).cloned().collect();
    let new_rows: Vec<PlanRow> = rows.iter().filter(|r| is_new(r)).cloned().collect();
    let needs_choice: Vec<RowKey> = rows
        .iter()
        .filter(|r| matches!(r.status, RowStatus::NeedsChoice { choice: None, .. }))
        .map(|r| r.key.clone())
        .collect();
    let exported = !preview.status.badge.action_enabled && !preview.status.badge.needs_link;
    let order_id = preview.order_id.clone();
    let status_text = preview.status.badge.action_tooltip.clone();

    let missing_choices = move || needs_choice.iter().filter(|k| !choices.with(|c| c.contains_key(*k))).count();
    let missing_for_export = missing_choices.clone();
    let export = move |_| {
        if missing_for_export() > 0 {
            error.set(Some("Choose an item (or \"Create a new item\") for every row marked Needs choice.".into()));
            return;
        }
        let shop_id = shop.get();
        if shop_id.is_empty() {
            error.set(Some("Choose the location for the order export.".into()));
            return;
        }
        error.set(None);
        busy.set(true);
        let order_id = order_id.clone();
        let picked: Vec<RowChoice> = choices.get().into_iter().map(|(row, choice)| RowChoice { row, choice }).collect();
        spawn_local(async move {
            match ask(Request::StartExport { order_id, shop_id, choices: picked }).await {
                Ok(Response::Job(view)) => {
                    busy.set(false);
                    done.set(Some(format!("{} The status on the NuORDER page follows its progress.", view.badge.text)));
                    close();
                }
                Ok(_) => {
                    busy.set(false);
                    close();
                }
                Err(e) => {
                    busy.set(false);
                    error.set(Some(e.message));
                }
            }
        });
    };

    // Focus moves into the dialog: onto the location chooser once the content is there.
    request_animation_frame(|| focus_by_id("shop"));

    let counts = preview.plan.counts;
    let matched_count = matched.len();
    let new_count = new_rows.len();
    let address = preview.shipping_address.clone();
    view! {
        <section class="summary">
            <p><span class="label">"Order #"</span> <strong data-test="order-number">{preview.order_number.clone()}</strong></p>
            <p><span class="label">"Vendor"</span> <span data-test="vendor">{preview.plan.brand.clone()}</span></p>
            <div class="address" data-test="shipping-address">
                <span class="label">"Shipping address"</span>
                {address.into_iter().map(|l| view! { <div>{l}</div> }).collect_view()}
            </div>
            <p><span class="label">"Lightspeed account"</span> <span>{preview.account_name.clone()}</span></p>
        </section>
        {exported.then(|| view! { <div class="note" role="status" data-test="already">{status_text}</div> })}
        <label for="shop">"Choose location for order export"</label>
        <select id="shop" data-test="shop" on:change=move |ev| shop.set(event_target_value(&ev))>
            {preview.shops.iter().map(|s| {
                let selected = Some(&s.shop_id) == preview.default_shop_id.as_ref();
                view! { <option value=s.shop_id.clone() selected=selected>{s.name.clone()}</option> }
            }).collect_view()}
        </select>
        <div role="tablist" aria-label="Items" class="tabs">
            <button type="button" role="tab" id="tab-matched" aria-controls="panel-matched" data-test="tab-matched"
                aria-selected=move || (tab.get() == Tab::Matched).to_string()
                tabindex=move || if tab.get() == Tab::Matched { "0" } else { "-1" }
                on:click=move |_| tab.set(Tab::Matched)
                on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "ArrowRight" || ev.key() == "ArrowLeft" { tab.set(Tab::New); focus_by_id("tab-new"); }>
                {format!("Matched items ({matched_count})")}
            </button>
            <button type="button" role="tab" id="tab-new" aria-controls="panel-new" data-test="tab-new"
                aria-selected=move || (tab.get() == Tab::New).to_string()
                tabindex=move || if tab.get() == Tab::New { "0" } else { "-1" }
                on:click=move |_| tab.set(Tab::New)
                on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "ArrowRight" || ev.key() == "ArrowLeft" { tab.set(Tab::Matched); focus_by_id("tab-matched"); }>
                {format!("New items ({new_count})")}
            </button>
        </div>
        <div role="tabpanel" id="panel-matched" aria-labelledby="tab-matched" data-test="panel-matched" hidden=move || tab.get() != Tab::Matched>
            <RowTable rows=matched choices />
        </div>
        <div role="tabpanel" id="panel-new" aria-labelledby="tab-new" data-test="panel-new" hidden=move || tab.get() != Tab::New>
            <RowTable rows=new_rows choices />
        </div>
        <p class="totals" data-test="totals">
            {format!(
                "{} units · {} {} · {} confirmed, {} UPC match, {} by SKU, {} new",
                preview.total_units, preview.total_cost, preview.currency, counts.confirmed, counts.upc_match, counts.sku_match, counts.new
            )}
            {move || { let n = missing_choices(); (n > 0).then(|| format!(" · {n} need a choice")) }}
        </p>
        {move || error.get().map(|e| view! { <div class="error" role="alert" data-test="export-error">{e}</div> })}
        {move || done.get().map(|d| view! { <div class="note" role="status" data-test="export-started">{d}</div> })}
        <div class="actions">
            <button type="button" class="primary" data-test="export" disabled=move || busy.get() || exported on:click=export>
                {move || if busy.get() { "Exporting…" } else { "Export" }}
            </button>
            <button type="button" data-test="cancel" on:click=move |_| close()>"Cancel"</button>
        </div>
    }
}

#[component]
fn RowTable(rows: Vec<PlanRow>, choices: RwSignal<BTreeMap<RowKey, Choice>>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"Nothing here."</p> }.into_any();
    }
    view! {
        <table class="rows">
            <thead><tr><th scope="col">"Style"</th><th scope="col">"Color"</th><th scope="col">"Size"</th><th scope="col">"Units"</th><th scope="col">"Status"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let label = status_label(&r.status);
                    let chooser = match &r.status {
                        RowStatus::NeedsChoice { candidates, .. } => {
                            let key = r.key.clone();
                            let live: Vec<_> = candidates.iter().filter(|c| !c.archived).cloned().collect();
                            let archived: Vec<_> = candidates.iter().filter(|c| c.archived).cloned().collect();
                            Some(view! {
                                <select data-test="choice" aria-label=format!("Choose the item for {} {}", r.style_number, r.size.clone().unwrap_or_default())
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        let key = key.clone();
                                        choices.update(|c| {
                                            if v.is_empty() { c.remove(&key); }
                                            else if v == "new" { c.insert(key, Choice::CreateNew); }
                                            else if let Ok(id) = v.parse::<u64>() { c.insert(key, Choice::Item { item_id: id.into() }); }
                                        });
                                    }>
                                    <option value="">"Choose…"</option>
                                    {live.into_iter().map(|c| view! { <option value=c.item_id.to_string()>{format!("{} (#{})", c.description, c.item_id)}</option> }).collect_view()}
                                    <option value="new">"Create a new item"</option>
                                </select>
                                {(!archived.is_empty()).then(|| view! {
                                    <div class="muted">{format!("Archived in Lightspeed: {}", archived.iter().map(|c| format!("{} (#{})", c.description, c.item_id)).collect::<Vec<_>>().join(", "))}</div>
                                })}
                            })
                        }
                        _ => None,
                    };
                    view! {
                        <tr data-test="row">
                            <td>{r.style_number.clone()}</td>
                            <td>{r.color.clone().unwrap_or_default()}</td>
                            <td>{r.size.clone().unwrap_or_default()}</td>
                            <td>{r.units}</td>
                            <td><span class="status" data-test="row-status">{label}</span>{chooser}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }.into_any()
}
