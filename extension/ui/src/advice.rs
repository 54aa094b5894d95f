//! An error as the user meets it, the same in the dialog and the popup (issue 20): the
//! background's one sentence and, where there is one, the one button that fixes it
//! ([`NextStep`], chosen by the core's `app::errors::advice`).

use crate::api::{ask, open_nuorder};
use leptos::prelude::*;
use leptos::task::spawn_local;
use po_bridge::lightspeed::oauth::CLOUD_BASE;
use po_bridge::protocol::{NextStep, ProtocolError, UiRequest};
use po_bridge_browser as browser;

/// Where "Open Lightspeed" goes: Lightspeed's sign-in (`lightspeed::oauth::CLOUD_BASE`, the one
/// place that names it), whatever the back office's region.
fn lightspeed_home() -> String {
    format!("{CLOUD_BASE}/")
}

/// Reload the page (the dialog asks its preview again; the popup its accounts).
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// The sentence, and the button for its next step. *Try again* runs `again` (default: reload
/// the page); *Reconnect* links the account again through the consent window, then reloads.
#[component]
pub fn Advice(error: ProtocolError, #[prop(optional)] again: Option<Callback<()>>) -> impl IntoView {
    // A retryable failure with no better button gets *Try again*.
    let next = error.next.or(error.retryable.then_some(NextStep::TryAgain));
    // Why a Reconnect did not link (a denied consent, a closed window): its button stays.
    let relink_failed: RwSignal<Option<ProtocolError>> = RwSignal::new(None);
    let on_click = move |_| match next {
        Some(NextStep::TryAgain) => again.map_or_else(reload, |f| f.run(())),
        Some(NextStep::SignIn) => open_nuorder(),
        Some(NextStep::OpenLightspeed) => spawn_local(async { browser::open_tab(&lightspeed_home()).await }),
        // Any answer but an error means linked (this is shared by both pages, whichever enum
        // each reads its replies as).
        Some(NextStep::Reconnect) => spawn_local(async move {
            match ask::<serde_json::Value>(UiRequest::LinkLightspeed { interactive: true }).await {
                Ok(_) => reload(),
                Err(e) => relink_failed.set(Some(e)),
            }
        }),
        None => {}
    };
    view! {
        <div class="error" role="alert" data-test="error">{error.message}</div>
        {move || relink_failed.get().map(|e| view! { <div class="error" role="alert" data-test="relink-error">{e.message}</div> })}
        {next.map(|n| view! {
            <button type="button" class="primary" data-test="next-step" data-next=format!("{n:?}") on:click=on_click>
                {n.label()}
            </button>
        })}
    }
}
