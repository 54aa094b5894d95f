//! The export status state machine: one row per (state, event) → (next, effects). This table is
//! the documentation of the widget.

use po_bridge::export::status::{transition, Effect, Effect::*, JobStatus, StatusEvent};
use po_bridge::lightspeed::OrderId;

fn prog(step: &str, done: usize, total: usize) -> JobStatus {
    JobStatus::InProgress { step: step.into(), done, total }
}
fn failed(retryable: bool) -> JobStatus {
    JobStatus::Failed { message: "m".into(), retryable }
}
fn exported(id: u64) -> JobStatus {
    JobStatus::Exported { po_id: OrderId(id) }
}

#[test]
fn status_transitions_table() {
    use JobStatus::{NeedsChoice, NeedsRelink, NotExported};
    use StatusEvent as E;
    let fail_ev = |retryable| E::Failed { message: "m".into(), retryable };
    let progress = E::Progress { step: "Creating items 3 of 6".into(), done: 5, total: 20 };
    let rows: Vec<(JobStatus, StatusEvent, JobStatus, Vec<Effect>)> = vec![
        // Preview
        (NotExported, E::PlanReady { needs_choice: false }, NotExported, vec![]),
        (NotExported, E::PlanReady { needs_choice: true }, NeedsChoice, vec![Broadcast, ShowChoices]),
        (NeedsChoice, E::PlanReady { needs_choice: true }, NeedsChoice, vec![ShowChoices]),
        (NeedsChoice, E::ChoicesMade, NotExported, vec![Broadcast]),
        (NeedsChoice, E::PlanReady { needs_choice: false }, NotExported, vec![Broadcast]),
        (NeedsChoice, E::Started { total: 20 }, NeedsChoice, vec![LogIllegal]),
        // Running
        (NotExported, E::Started { total: 20 }, prog("Starting", 0, 20), vec![Broadcast, RunJob]),
        (prog("Starting", 0, 20), progress.clone(), prog("Creating items 3 of 6", 5, 20), vec![Broadcast]),
        (prog("x", 5, 20), E::Finished { po_id: OrderId(512) }, exported(512), vec![Broadcast]),
        (prog("x", 0, 20), E::AlreadyExported { po_id: OrderId(30) }, exported(30), vec![Broadcast]),
        (prog("x", 5, 20), fail_ev(true), failed(true), vec![Broadcast]),
        (prog("x", 5, 20), E::RelinkNeeded, NeedsRelink, vec![Broadcast, PromptRelink]),
        (prog("x", 5, 20), E::Started { total: 20 }, prog("x", 5, 20), vec![LogIllegal]),
        // Paused and failed
        (NeedsRelink, E::Relinked, prog("Resuming", 0, 0), vec![Broadcast, RunJob]),
        (NeedsRelink, E::Retry, NeedsRelink, vec![LogIllegal]),
        (failed(true), E::Retry, prog("Resuming", 0, 0), vec![Broadcast, RunJob]),
        (failed(false), E::Retry, failed(false), vec![LogIllegal]),
        (failed(false), E::PlanReady { needs_choice: false }, NotExported, vec![Broadcast]),
        (failed(false), E::PlanReady { needs_choice: true }, NeedsChoice, vec![Broadcast, ShowChoices]),
        (failed(true), E::AlreadyExported { po_id: OrderId(7) }, exported(7), vec![Broadcast]),
        // Discovered elsewhere (another device, the first-party integration)
        (NotExported, E::AlreadyExported { po_id: OrderId(9) }, exported(9), vec![Broadcast]),
        (NeedsChoice, E::AlreadyExported { po_id: OrderId(9) }, exported(9), vec![Broadcast]),
        // Exported is final
        (exported(512), E::Started { total: 3 }, exported(512), vec![LogIllegal]),
        (exported(512), E::AlreadyExported { po_id: OrderId(1) }, exported(512), vec![LogIllegal]),
        (exported(512), fail_ev(true), exported(512), vec![LogIllegal]),
        // Nonsense pairs keep the state
        (NotExported, E::Finished { po_id: OrderId(1) }, NotExported, vec![LogIllegal]),
        (NotExported, E::Relinked, NotExported, vec![LogIllegal]),
        (NotExported, progress, NotExported, vec![LogIllegal]),
    ];
    for (state, event, next, effects) in rows {
        assert_eq!(transition(&state, &event), (next.clone(), effects.clone()), "{state:?} + {event:?}");
    }
}

#[test]
fn status_serializes_for_the_ui() {
    assert_eq!(
        serde_json::to_value(prog("Creating items 12 of 40", 14, 52)).unwrap(),
        serde_json::json!({"status": "in_progress", "step": "Creating items 12 of 40", "done": 14, "total": 52})
    );
    assert_eq!(serde_json::to_value(exported(512)).unwrap(), serde_json::json!({"status": "exported", "po_id": "512"}));
    assert_eq!(serde_json::to_value(JobStatus::NeedsRelink).unwrap(), serde_json::json!({"status": "needs_relink"}));
}
