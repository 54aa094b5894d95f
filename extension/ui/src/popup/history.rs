//! Recent exports: order #, brand, status and PO link; Retry on failed ones, and the
//! background's advice when a Retry cannot start.

use crate::advice::Advice;
use crate::api::unexpected;
use crate::load::{action, asking, loaded};
use leptos::prelude::*;
use po_bridge::inpage::views::link_allowed;
use po_bridge::protocol::{HistoryEntry, PopupReply, ProtocolError, UiRequest};
use serde_json::Value;
use std::sync::Arc;

#[component]
pub fn History() -> impl IntoView {
    let history = asking(UiRequest::GetHistory);
    // Why the last Retry could not start (the account unlinked since, the export gone).
    let refused: RwSignal<Option<ProtocolError>> = RwSignal::new(None);
    // Retry starts the export again; the list is read again to show its new status.
    let retry = action::<PopupReply>(move |_, answer| {
        refused.set(answer.err());
        history.refetch();
    });
    // *Try again* under a refusal reads the list again, with its Retry buttons.
    let again = Callback::new(move |()| {
        refused.set(None);
        history.refetch();
    });
    view! {
        <section class="history" data-test="history">
            <h2>"Export history"</h2>
            {move || refused.get().map(|error| view! {
                <div data-test="history-error"><Advice error again /></div>
            })}
            {loaded(
                history,
                || view! { <p class="muted">"Loading…"</p> }.into_any(),
                Arc::new(|e| view! { <p class="error" role="alert">{e.message}</p> }.into_any()),
                Arc::new(move |answer| match answer {
                    PopupReply::History(list) => Ok(view! { <HistoryList list retry /> }.into_any()),
                    _ => Err(unexpected("Unexpected answer.")),
                }),
            )}
        </section>
    }
}

#[component]
fn HistoryList(list: Vec<HistoryEntry<Value>>, retry: Action<UiRequest, ()>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted" data-test="history-empty">"No exports yet."</p> }.into_any();
    }
    view! { <ul>{list.into_iter().map(|entry| view! { <HistoryItem entry retry /> }).collect_view()}</ul> }.into_any()
}

#[component]
fn HistoryItem(entry: HistoryEntry<Value>, retry: Action<UiRequest, ()>) -> impl IntoView {
    let badge = entry.status.badge;
    let order_id = entry.order_id;
    view! {
        <li data-test="history-entry" data-order-number=entry.order_number.clone()>
            <strong>{format!("Order #{}", entry.order_number)}</strong>
            {(!entry.brand.is_empty()).then(|| format!(" · {}", entry.brand))}
            " · "
            <span class=badge.tone.class() data-test="history-status">{badge.text}</span>
            // Only https links to Lightspeed's back office render (the same rule as the badges).
            {badge.link.filter(|l| link_allowed(&l.url)).map(|l| view! {
                " · " <a href=l.url target="_blank" rel="noopener" data-test="history-po-link">{l.text}</a>
            })}
            {badge.retry.then(|| view! {
                " "
                <button type="button" data-test="history-retry" on:click=move |_| { retry.dispatch_local(UiRequest::RetryExport { order_id: order_id.clone(), cap: None }); }>
                    "Retry"
                </button>
            })}
        </li>
    }
}
