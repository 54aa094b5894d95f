//! Recent exports: order #, brand, status and PO link; Retry on failed ones.

use crate::api::{ask, first_error, unexpected};
use leptos::prelude::*;
use po_bridge::protocol::{HistoryEntry, ProtocolError, Request, Response};

async fn load_history() -> Result<Vec<HistoryEntry>, ProtocolError> {
    match ask(Request::GetHistory).await? {
        Response::History(list) => Ok(list),
        _ => Err(unexpected("Unexpected answer.")),
    }
}

#[component]
pub fn History() -> impl IntoView {
    let history = LocalResource::new(load_history);
    // Retry starts the export again; the list is read again to show its new status.
    let retry = Action::new_local(move |order_id: &String| {
        let order_id = order_id.clone();
        async move {
            let _ = ask(Request::RetryExport { order_id }).await;
            history.refetch();
        }
    });
    view! {
        <section class="history" data-test="history">
            <h2>"Export history"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <p class="error" role="alert">{first_error(errors)}</p> }>
                    {move || Suspend::new(async move { history.await.map(|list| view! { <HistoryList list retry /> }) })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn HistoryList(list: Vec<HistoryEntry>, retry: Action<String, ()>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted" data-test="history-empty">"No exports yet."</p> }.into_any();
    }
    view! { <ul>{list.into_iter().map(|entry| view! { <HistoryItem entry retry /> }).collect_view()}</ul> }.into_any()
}

#[component]
fn HistoryItem(entry: HistoryEntry, retry: Action<String, ()>) -> impl IntoView {
    let badge = entry.status.badge;
    let order_id = entry.order_id;
    let tone = format!("badge tone-{:?}", badge.tone).to_lowercase();
    view! {
        <li data-test="history-entry" data-order-number=entry.order_number.clone()>
            <strong>{format!("Order #{}", entry.order_number)}</strong>
            {(!entry.brand.is_empty()).then(|| format!(" · {}", entry.brand))}
            " · "
            <span class=tone data-test="history-status">{badge.text}</span>
            {badge.link.map(|l| view! {
                " · " <a href=l.url target="_blank" rel="noopener" data-test="history-po-link">{l.text}</a>
            })}
            {badge.retry.then(|| view! {
                " "
                <button type="button" data-test="history-retry" on:click=move |_| { retry.dispatch_local(order_id.clone()); }>
                    "Retry"
                </button>
            })}
        </li>
    }
}
