//! A tab's table of plan rows: style, color, size, units and status, with a chooser on the rows
//! that need a choice.

use super::Choices;
use leptos::prelude::*;
use po_bridge::app::dialog_text::{choice_label, status_label};
use po_bridge::app::plan_view::RowView;
use po_bridge::export::plan::{Candidate, Choice, RowKey, RowStatus};
use std::collections::BTreeMap;

/// How many *NeedsChoice* rows still wait for a choice: the plan's count (`Counts::needs_choice`)
/// less the rows chosen here (a chooser is only offered on those rows, with their candidates).
#[derive(Clone, Copy)]
pub struct Missing {
    pub needs_choice: usize,
    pub choices: Choices,
}

impl Missing {
    pub fn get(self) -> usize {
        self.needs_choice.saturating_sub(self.choices.with(BTreeMap::len))
    }
}

#[component]
pub fn RowTable(rows: Vec<RowView>, choices: Choices) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"Nothing here."</p> }.into_any();
    }
    view! {
        <table class="rows">
            <thead>
                <tr><th scope="col">"Style"</th><th scope="col">"Color"</th><th scope="col">"Size"</th><th scope="col">"Units"</th><th scope="col">"Status"</th></tr>
            </thead>
            <tbody>{rows.into_iter().map(|row| view! { <Row row choices /> }).collect_view()}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn Row(row: RowView, choices: Choices) -> impl IntoView {
    // The plan's words, or those of the choice made here as it is made (only rows that need a
    // choice have a chooser, so only theirs change).
    let own = status_label(&row.status);
    let key = row.key.clone();
    let label = move || choices.with(|c| c.get(&key).map_or(own, |chosen| choice_label(Some(chosen))));
    let size = row.size.unwrap_or_default();
    let chooser = match row.status {
        RowStatus::NeedsChoice { candidates, .. } => {
            let name = format!("Choose the item for {} {}", row.style_number, size);
            Some(view! { <Chooser key=row.key candidates name choices /> })
        }
        _ => None,
    };
    view! {
        <tr data-test="row">
            <td>{row.style_number}</td>
            <td>{row.color.unwrap_or_default()}</td>
            <td>{size}</td>
            <td>{row.units}</td>
            <td><span class="status" data-test="row-status">{label}</span>{chooser}</td>
        </tr>
    }
}

fn candidate_text(c: &Candidate) -> String {
    format!("{} (#{})", c.description, c.item_id)
}

/// The chooser's value as a choice: "" is none yet, "new" creates an item, a number picks one.
fn parse_choice(value: &str) -> Option<Choice> {
    match value {
        "new" => Some(Choice::CreateNew),
        v => v.parse::<u64>().ok().map(|id| Choice::Item { item_id: id.into() }),
    }
}

/// Live candidates are offered; archived ones are only named (Lightspeed refuses them on a PO).
#[component]
fn Chooser(key: RowKey, candidates: Vec<Candidate>, name: String, choices: Choices) -> impl IntoView {
    let (archived, live): (Vec<Candidate>, Vec<Candidate>) = candidates.into_iter().partition(|c| c.archived);
    let on_change = move |ev: leptos::ev::Event| {
        let choice = parse_choice(&event_target_value(&ev));
        choices.update(|c| {
            match choice {
                Some(choice) => c.insert(key.clone(), choice),
                None => c.remove(&key),
            };
        });
    };
    let archived_note = (!archived.is_empty()).then(|| {
        let names = archived.iter().map(candidate_text).collect::<Vec<_>>().join(", ");
        view! { <div class="muted">{format!("Archived in Lightspeed: {names}")}</div> }
    });
    view! {
        <select data-test="choice" aria-label=name on:change=on_change>
            <option value="">"Choose…"</option>
            {live.iter().map(|c| view! { <option value=c.item_id.to_string()>{candidate_text(c)}</option> }).collect_view()}
            <option value="new">"Create a new item"</option>
        </select>
        {archived_note}
    }
}
