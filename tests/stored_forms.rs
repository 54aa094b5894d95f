//! The stored and wire forms of the internally tagged records (journals, plans, updates, sets,
//! statuses) stay as they were when their serde derive was the internally tagged one (issue 17
//! reshaped them to decode once, through `core::tagged`): what users' browsers and state files
//! hold must still load, and encode back to the same JSON.
//!
//! `tests/fixtures/stored/records.json` holds journals, update logs and a set written by the
//! command line before the reshape; the variants it lacks are written out below.

use po_bridge::core::rows::Choice;
use po_bridge::core::status::JobStatus;
use po_bridge::export::batch::{JobSet, OrderState};
use po_bridge::export::journal::{Event, ItemRef, Journal, Outcome, Step, StepKind, StepState};
use po_bridge::export::plan::{ChoiceReason, RowStatus, VendorPlan};
use po_bridge::update::{
    ConflictKind, LineChange, PlanState, Record, UpdateLog, UpdateOutcome, UpdateStep, UpdateStepKind,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Decodes `v` as `T` and checks it encodes back to the same JSON.
fn same<T: DeserializeOwned + Serialize>(v: Value) {
    let t: T = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}: {v}"));
    assert_eq!(serde_json::to_value(&t).unwrap(), v);
    // From text too (serde_json's own deserializer, as the command line's state file reads).
    let t: T = serde_json::from_str(&v.to_string()).unwrap_or_else(|e| panic!("{e}: {v}"));
    assert_eq!(serde_json::to_value(&t).unwrap(), v);
    // As the browser's store reads it (`core::objects::read`: the same decoders, no messages).
    let t: T = po_bridge::core::objects::read(v.clone()).unwrap_or_else(|| panic!("not read: {v}"));
    assert_eq!(serde_json::to_value(&t).unwrap(), v);
}

fn each<T: DeserializeOwned + Serialize>(vs: Value) {
    for v in vs.as_array().unwrap() {
        same::<T>(v.clone());
    }
}

fn refused<T: DeserializeOwned + std::fmt::Debug>(v: Value, says: &str) {
    let e = serde_json::from_value::<T>(v.clone()).expect_err(&v.to_string()).to_string();
    assert!(e.contains(says), "{e} (for {v})");
    let e = serde_json::from_str::<T>(&v.to_string()).expect_err(&v.to_string()).to_string();
    assert!(e.contains(says), "{e} (for {v})");
    assert!(po_bridge::core::objects::read::<T>(v.clone()).is_none(), "read: {v}");
}

#[test]
fn stored_journals_update_logs_and_sets_load_and_encode_the_same() {
    let text = std::fs::read_to_string(format!("{}/tests/fixtures/stored/records.json", env!("CARGO_MANIFEST_DIR")));
    let records: Value = serde_json::from_str(&text.unwrap()).unwrap();
    each::<Journal>(records["journals"].clone());
    each::<UpdateLog>(records["update_logs"].clone());
    each::<JobSet>(records["sets"].clone());
}

#[test]
fn every_step_and_outcome_keeps_its_form() {
    each::<StepState>(json!([{"state": "pending"}, {"state": "checked"}, {"state": "intent_recorded"},
        {"state": "done", "id": 7}, {"state": "done", "id": null}]));
    each::<ItemRef>(json!([{"kind": "existing", "item_id": "12"}, {"kind": "step", "step": 3}]));
    each::<Step>(json!([
        {"kind": "twin", "of": 2, "status": {"state": "pending"}},
        {"kind": "dedupe_lines", "status": {"state": "done", "id": null}},
        {"kind": "line", "item": {"kind": "step", "step": 3}, "quantity": 2, "price": "4.50",
         "original_price": "9.00", "rows": [{"product_id": "p1", "size": "S"}], "status": {"state": "checked"}},
    ]));
    each::<StepKind>(json!([{"kind": "save_links"}, {"kind": "vendor", "name": "Acme"},
        {"kind": "matrix_twins", "matrices": [1, 2]}, {"kind": "mark_ordered", "ordered_date": "2026-12-05"}]));
    each::<Outcome>(json!([{"outcome": "running"}, {"outcome": "exported", "po_id": "5"},
        {"outcome": "already_exported", "po_id": "6"}, {"outcome": "needs_relink"},
        {"outcome": "failed", "message": "No.", "retryable": true}]));
    each::<Event>(json!([{"event": "intent_recorded", "step": 1}, {"event": "created", "step": 1, "id": 9},
        {"event": "found", "step": 1, "id": 9}, {"event": "not_found", "step": 2}, {"event": "twin", "step": 2, "survivor": 4},
        {"event": "item_twins", "step": 3, "given_up": [[1, 8]]}, {"event": "matrix_twins", "step": 3, "given_up": []},
        {"event": "duplicates", "step": 4, "keep": [[2, 3]]}, {"event": "completed", "step": 5},
        {"event": "outcome_unknown", "step": 6}, {"event": "needs_relink"},
        {"event": "failed", "message": "No.", "retryable": false}, {"event": "resume"}]));
}

#[test]
fn every_plan_status_keeps_its_form() {
    each::<VendorPlan>(
        json!([{"status": "new", "name": "Acme"}, {"status": "existing", "id": "3", "name": "Acme", "via": "seller_uid"}]),
    );
    each::<ChoiceReason>(json!([{"kind": "several_matches"}, {"kind": "archived_only"},
        {"kind": "link_vanished", "item_id": "4", "archived": true}]));
    each::<Choice>(json!([{"kind": "item", "item_id": "4"}, {"kind": "create_new"}]));
    let candidate = json!({"item_id": "4", "description": "Tee", "upc": "012345678905", "ean": null,
        "manufacturer_sku": null, "archived": false});
    each::<RowStatus>(json!([{"status": "confirmed", "item_id": "1"}, {"status": "upc_match", "item_id": "2"},
        {"status": "sku_match", "item_id": "3", "via": "vendor_number"}, {"status": "new"},
        {"status": "needs_choice", "reason": {"kind": "several_matches"}, "candidates": [candidate],
         "choice": {"kind": "create_new"}},
        {"status": "needs_choice", "reason": {"kind": "archived_only"}, "candidates": [], "choice": null}]));
    each::<OrderState>(json!([{"state": "waiting"}, {"state": "running"}, {"state": "exported", "po_id": "3"},
        {"state": "already_exported", "po_id": "3"}, {"state": "needs_choice", "rows": 2}, {"state": "needs_relink"},
        {"state": "failed", "message": "No.", "retryable": true}, {"state": "cancelled"}]));
}

#[test]
fn every_update_record_and_status_keeps_its_form() {
    each::<UpdateStepKind>(json!([{"kind": "archive"}, {"kind": "delete_line", "line_id": "3"},
        {"kind": "put_line", "line_id": "3", "quantity": 2, "price": ["1.00", "2.00"]},
        {"kind": "put_header", "arrival_date": null, "ship_cost": "0.00", "other_cost": null}]));
    each::<UpdateStep>(
        json!([{"kind": "archive", "done": false}, {"kind": "delete_line", "line_id": "3", "done": true}]),
    );
    each::<UpdateOutcome>(json!([{"outcome": "running"}, {"outcome": "updated"},
        {"outcome": "failed", "message": "No.", "retryable": true},
        {"outcome": "failed", "message": "No.", "retryable": false, "relink": true}]));
    each::<Record>(json!([{"kind": "export"}, {"kind": "update", "revision": 2}, {"kind": "by_item"}]));
    each::<LineChange>(json!([
        {"change": "added", "step": 1, "item_id": null, "quantity": 2, "price": "1.00", "original_price": "2.00", "rows": []},
        {"change": "removed", "line_id": "5", "item_id": "6", "quantity": 1},
        {"change": "changed", "line_id": "5", "item_id": "6", "quantity": {"from": 1, "to": 2}, "price": null,
         "original_price": "2.00"}]));
    each::<ConflictKind>(
        json!([{"kind": "received"}, {"kind": "quantity", "shown": 3}, {"kind": "price", "shown": "1.00"},
        {"kind": "line_gone"}, {"kind": "header", "field": "ship_cost"}]),
    );
    each::<PlanState>(json!([{"state": "cancelled", "archive": false},
        {"state": "cancelled", "archive": false, "lock": "complete"}, {"state": "locked", "lock": "received"},
        {"state": "needs_choice", "rows": 1}, {"state": "changes"}, {"state": "unchanged"}]));
    each::<JobStatus>(json!([{"status": "not_exported"}, {"status": "in_progress", "step": "Creating items 1 of 2",
        "done": 1, "total": 2}, {"status": "exported", "po_id": "4"}, {"status": "changed", "po_id": "4"},
        {"status": "failed", "message": "No.", "retryable": false}, {"status": "updating", "po_id": "4", "done": 0, "total": 3},
        {"status": "update_failed", "po_id": "4", "message": "No.", "retryable": true}, {"status": "needs_relink"},
        {"status": "needs_choice"}, {"status": "unchecked"}]));
}

#[test]
fn a_variant_without_fields_ignores_other_keys_as_before() {
    let s: StepState = serde_json::from_value(json!({"state": "pending", "id": 3})).unwrap();
    assert_eq!(s, StepState::Pending);
    let o: Outcome = serde_json::from_value(json!({"outcome": "running", "po_id": "3"})).unwrap();
    assert_eq!(o, Outcome::Running);
}

#[test]
fn what_the_derive_refused_is_still_refused() {
    refused::<Outcome>(json!({"po_id": "5"}), "missing field `outcome`");
    refused::<Outcome>(json!({"outcome": "shipped"}), "unknown variant `shipped`");
    refused::<Outcome>(json!({"outcome": "exported"}), "missing field `po_id`");
    refused::<Outcome>(json!({"outcome": "failed", "message": "No."}), "missing field `retryable`");
    refused::<Outcome>(json!({"outcome": "exported", "po_id": "five"}), "whole number");
    refused::<Outcome>(json!("running"), "invalid type");
    refused::<Step>(json!({"kind": "vendor", "name": "Acme"}), "missing field `status`");
    refused::<Step>(json!({"status": {"state": "pending"}}), "missing field `kind`");
    refused::<JobStatus>(json!({"status": "in_progress", "step": "x", "done": 1}), "missing field `total`");
    refused::<RowStatus>(
        json!({"status": "needs_choice", "reason": {"kind": "none"}, "candidates": [], "choice": null}),
        "unknown variant `none`",
    );
}

#[test]
fn a_record_inside_a_reshaped_enum_reads_from_an_object_only() {
    // serde's derive also reads a struct from an array in field order; nothing writes one, and the
    // reshaped enums decode their variants through `core::objects::Objects`, which leaves that
    // form out of the wasm.
    let line = |rows: Value| {
        json!({"kind": "line", "item": {"kind": "step", "step": 3}, "quantity": 2, "price": "4.50",
            "original_price": "9.00", "rows": rows})
    };
    same::<StepKind>(line(json!([{"product_id": "p1", "size": "S"}])));
    refused::<StepKind>(line(json!([["p1", "S"]])), "invalid type: sequence");
}
