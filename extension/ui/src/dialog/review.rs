//! The review of an exported order that changed since its PO was made (issue 18): the export
//! dialog's sibling. It renders what the core computed (`app::review::ReviewView`): per line
//! *added* / *removed* / *quantity a → b* / *price a → b*, the added sizes' item match as in an
//! export, the header's changes, what cannot be applied and why, and **Update PO** / Cancel.
//! Update PO is a write: only here, under the dialog's one-time capability, after the same
//! visibility gate as Export.

use super::guard;
use super::rows::RowTable;
use super::{close, Choices, DialogTitle, Guarded};
use crate::advice::Advice;
use crate::load::action;
use leptos::prelude::*;
use po_bridge::app::dialog_text::started;
use po_bridge::app::review::{ReviewLine, ReviewView};
use po_bridge::protocol::{DialogReply, ProtocolError, RowChoice, UiRequest};
use std::collections::BTreeMap;

#[component]
pub fn ReviewBody(review: ReviewView<serde_json::Value>) -> impl IntoView {
    let choices: Choices = RwSignal::new(BTreeMap::new());
    let archive = RwSignal::new(false);
    let po = review.po_number.clone();
    if let Some(DialogTitle(title)) = use_context::<DialogTitle>() {
        title.set("Review changes");
    }
    view! {
        <section class="summary" data-test="review">
            <p><span class="label">"Order #"</span> <strong data-test="order-number">{review.order_number.clone()}</strong></p>
            <p><span class="label">"Purchase order"</span> <strong data-test="review-po">{format!("PO #{po}")}</strong></p>
            <p><span class="label">"Lightspeed account"</span> <span>{review.account_name.clone()}</span></p>
        </section>
        <div class="note" role="status" data-test="review-headline">{review.headline.clone()}</div>
        <Lines lines=review.lines.clone() />
        {(!review.added_rows.is_empty()).then(|| view! {
            <h2>"Added sizes"</h2>
            <div data-test="review-added"><RowTable rows=review.added_rows.clone() choices /></div>
        })}
        <List title="Purchase order" test="review-header" items=review.header.clone() />
        <List title="Not applied" test="review-conflicts" items=review.conflicts.clone() />
        <List title="Notes" test="review-notes" items=review.notes.clone() />
        {review.archive_offered.then(|| view! {
            <label class="archive">
                <input type="checkbox" data-test="archive" on:change=move |ev| archive.set(event_target_checked(&ev)) />
                {format!(" Archive PO #{po} in Lightspeed")}
            </label>
        })}
        <UpdateActions order_id=review.order_id can_update=review.can_update failure=review.failure choices archive />
    }
}

#[component]
fn Lines(lines: Vec<ReviewLine>) -> impl IntoView {
    if lines.is_empty() {
        return ().into_any();
    }
    view! {
        <h2>"Lines"</h2>
        <table class="rows" data-test="review-lines">
            <thead><tr><th scope="col">"Change"</th><th scope="col">"Item"</th><th scope="col">""</th></tr></thead>
            <tbody>
                {lines.into_iter().map(|l| view! {
                    <tr data-test="review-line" data-change=l.change>
                        <td><span class="status">{l.label}</span></td><td>{l.item}</td><td>{l.text}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn List(title: &'static str, test: &'static str, items: Vec<String>) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <h2>{title}</h2>
            <ul data-test=test>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
        }
    })
}

/// Update PO and Cancel, with what stopped the last update (or refused this one) as advice: its
/// *Try again* runs Update PO again, which resumes a stopped update.
#[component]
fn UpdateActions(
    order_id: String,
    can_update: bool,
    failure: Option<ProtocolError>,
    choices: Choices,
    archive: RwSignal<bool>,
) -> impl IntoView {
    let Guarded { cap, surface } = expect_context::<Guarded>();
    // Update PO works only once the dialog has been visible without a break (`guard`), as Export.
    let ready = RwSignal::new(false);
    guard::watch_actions(surface, ready);
    let error: RwSignal<Option<ProtocolError>> = RwSignal::new(failure);
    let done: RwSignal<Option<String>> = RwSignal::new(None);
    let update = action(move |_, answer| match answer {
        Ok(DialogReply::Job(view)) => {
            done.set(Some(started(&view.badge.text)));
            close();
        }
        Ok(_) => close(),
        Err(e) => error.set(Some(e)),
    });
    let busy = update.pending();
    let on_update = Callback::new(move |()| {
        if !ready.get_untracked() || busy.get_untracked() {
            return;
        }
        let picked = choices.get().into_iter().map(|(row, choice)| RowChoice { row, choice }).collect();
        let (order_id, cap) = (order_id.clone(), cap.clone());
        update.dispatch_local(UiRequest::StartUpdate { order_id, archive: archive.get(), choices: picked, cap });
    });
    view! {
        {move || error.get().map(|error| view! { <div data-test="review-failure"><Advice error again=on_update /></div> })}
        {move || done.get().map(|d| view! { <div class="note" role="status" data-test="export-started">{d}</div> })}
        <div class="actions" data-test="actions">
            <button type="button" class="primary" data-test="update"
                disabled=move || busy.get() || !(can_update || archive.get()) || !ready.get() on:click=move |_| on_update.run(())>
                {move || if busy.get() { "Updating…" } else { "Update PO" }}
            </button>
            <button type="button" data-test="cancel" on:click=move |_| close()>"Cancel"</button>
        </div>
    }
}
