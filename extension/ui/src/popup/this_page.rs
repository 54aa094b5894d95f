//! The popup's *This page* (issue 20, "a second way in"): the NuORDER page of the tab the popup is
//! over, as its in-page layer reported it (`app::pages`). On an order's page: the order's status
//! and *Export this order*, which opens the same export dialog in the tab even when PO Bridge's
//! anchors are gone; when anchors matched nothing: "PO Bridge can't find its place on this page"
//! and a diagnostic to copy (no order data, no ids, no tokens); signed out: sign in first.

use crate::advice::Advice;
use crate::api::ask;
use crate::load::{loaded, resource, Answer};
use leptos::prelude::*;
use leptos::task::spawn_local;
use po_bridge::app::errors::SIGN_IN_ADVICE;
use po_bridge::protocol::{ErrorCode, NextStep, PopupReply, ProtocolError, TabPageView, UiRequest};
use po_bridge_browser as browser;
use std::sync::Arc;

async fn load() -> Answer<PopupReply> {
    let active_tab_id = browser::active_tab_id().await;
    let own_tab_id = browser::current_tab_id().await;
    ask(UiRequest::GetTabPage { active_tab_id, own_tab_id, user_agent: browser::user_agent() }).await
}

#[component]
pub fn ThisPage() -> impl IntoView {
    let page = resource(load);
    loaded(
        page,
        || ().into_any(),
        Arc::new(|error| view! { <Advice error /> }.into_any()),
        Arc::new(|answer| match answer {
            PopupReply::TabPage(Some(view)) => Ok(view! { <Section view /> }.into_any()),
            _ => Ok(().into_any()),
        }),
    )
}

#[component]
fn Section(view: TabPageView<serde_json::Value>) -> impl IntoView {
    let lost = !view.missing.is_empty();
    let status = view.status.map(|s| s.badge.text);
    let signed_out =
        (!view.signed_in).then(|| ProtocolError::new(ErrorCode::NotFound, SIGN_IN_ADVICE).with_next(NextStep::SignIn));
    view! {
        <section class="this-page" data-test="this-page">
            <h2>"This page"</h2>
            <p class="help">{format!("NuORDER {}", view.kind)}</p>
            {status.map(|s| view! { <p data-test="page-order-status">"This order: " <strong>{s}</strong></p> })}
            {signed_out.map(|error| view! { <Advice error /> })}
            {view.can_export.then(|| view! { <ExportThisOrder tab_id=view.tab_id /> })}
            {lost.then(|| view! { <Lost diagnostic=view.diagnostic /> })}
        </section>
    }
}

#[component]
fn ExportThisOrder(tab_id: i64) -> impl IntoView {
    let failed: RwSignal<Option<ProtocolError>> = RwSignal::new(None);
    let sent = RwSignal::new(false);
    let on_click = move |_| {
        failed.set(None);
        spawn_local(async move {
            match ask::<PopupReply>(UiRequest::ExportFromPopup { tab_id }).await {
                Ok(_) => sent.set(true),
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    view! {
        <button type="button" class="primary" data-test="export-this-order" on:click=on_click>"Export this order"</button>
        {move || sent.get().then(|| view! {
            <p role="status" data-test="export-this-order-sent">"The export window opens on the NuORDER tab."</p>
        })}
        {move || failed.get().map(|error| view! { <Advice error /> })}
    }
}

#[component]
fn Lost(diagnostic: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let text = diagnostic.clone();
    let copy = move |_| {
        let text = text.clone();
        spawn_local(async move { copied.set(browser::copy_text(&text).await) });
    };
    view! {
        <p class="error" role="alert" data-test="lost">"PO Bridge can't find its place on this page."</p>
        <pre class="diagnostic" data-test="diagnostic">{diagnostic}</pre>
        <button type="button" data-test="copy-diagnostic" on:click=copy>
            {move || if copied.get() { "Copied" } else { "Copy diagnostic" }}
        </button>
    }
}
