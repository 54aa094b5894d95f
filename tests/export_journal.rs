//! The export job's journal: build, next_action/apply, resume decisions for every step kind, and
//! a simulated Lightspeed killed at every point of a job, resuming to exactly one of everything.

#[path = "export_support.rs"]
mod support;

use po_bridge::export::codes::Code;
use po_bridge::export::job::{build_journal, JobError};
use po_bridge::export::journal::*;
use po_bridge::export::plan::{plan, BrandContext, Catalog, Choice, KnownItem, KnownVendor, Links, Plan, RowKey};
use po_bridge::export::status::JobStatus;
use po_bridge::lightspeed::{ItemAttributeSetId, ItemId, ItemMatrix, OrderId, ShopId, VendorId};
use po_bridge::nuorder::model::Order;
use serde_json::{json, Value};
use support::*;

const TEE_NVY: &str = "6512ab34cd56ef7890a10003";

#[test]
fn a_code_on_two_sizes_identifies_neither_and_each_size_gets_its_own_item_and_line() {
    // The brand gave S and M one UPC. Kept, the job made one item for both and one line of 12.
    let shared = Some("812345001013");
    let sizes: &[SizeSpec] = &[("S", 6, "10", shared, None), ("M", 6, "10", shared, None)];
    let o = order_of(&[(TEE_NVY, "TEE-101", Some("NAVY"), None, sizes)], "0");
    let p = plan(&o, &[], &BrandContext::named("Harbor Goods"), &Links::default(), &Catalog::default()).unwrap();
    assert_eq!(p.counts.new, 2);
    assert!(p.rows.iter().all(|r| r.code.is_none() && r.draft.as_ref().unwrap().code.is_none()));
    let j = build_journal(&p, &o, "1", ShopId(1), "2026-07-01").unwrap();
    let items: Vec<Vec<RowKey>> = j
        .steps
        .iter()
        .filter_map(|s| match &s.kind {
            StepKind::Item { rows, .. } => Some(rows.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(items, [vec![RowKey::new(TEE_NVY, "S")], vec![RowKey::new(TEE_NVY, "M")]]);
    let lines: Vec<u64> = j
        .steps
        .iter()
        .filter_map(|s| match &s.kind {
            StepKind::Line { quantity, .. } => Some(*quantity),
            _ => None,
        })
        .collect();
    assert_eq!(lines, [6, 6]);

    // One color and size under two products is the same item listed twice: the code holds.
    let one: &[SizeSpec] = &[("M", 6, "10", shared, None)];
    let twice =
        order_of(&[(TEE_NVY, "TEE-101", Some("NAVY"), None, one), ("p2", "TEE-9", Some(" navy"), None, one)], "0");
    let p = plan(&twice, &[], &BrandContext::named("Harbor Goods"), &Links::default(), &Catalog::default()).unwrap();
    assert!(p.rows.iter().all(|r| r.code.as_ref().map(Code::digits) == shared));
    let j = build_journal(&p, &twice, "1", ShopId(1), "2026-07-01").unwrap();
    assert_eq!(j.steps.iter().filter(|s| matches!(s.kind, StepKind::Item { .. })).count(), 1);
}

/// h02 with NAVY S already in Lightspeed (UPC match); everything else new, vendor new.
fn h02_setup() -> (Order, Plan) {
    let o = order("h02-two-colors-missing-upcs");
    let cat = catalog(vec![], vec![item(500, Some("812345003017"), None)]);
    let p = plan(&o, &products(), &BrandContext::default(), &Links::default(), &cat).unwrap();
    (o, p)
}

fn h02_journal() -> Journal {
    let (o, p) = h02_setup();
    build_journal(&p, &o, "83050", ShopId(1), "2026-07-01").unwrap()
}

fn kinds(j: &Journal) -> Vec<&'static str> {
    j.steps
        .iter()
        .map(|s| match s.kind {
            StepKind::CheckExists { .. } => "check",
            StepKind::Vendor { .. } => "vendor",
            StepKind::Matrix { .. } => "matrix",
            StepKind::Item { .. } => "item",
            StepKind::PoHeader { .. } => "po",
            StepKind::Line { .. } => "line",
            StepKind::Twin { .. } => "twin",
            StepKind::ItemTwins { .. } => "item twins",
            StepKind::MatrixTwins { .. } => "matrix twins",
            StepKind::DedupeLines => "dedupe",
            StepKind::MarkOrdered { .. } => "ordered",
            StepKind::SaveLinks => "links",
        })
        .collect()
}

fn action_name(a: &Action) -> &'static str {
    match a {
        Action::CheckExists { .. } => "CheckExists",
        Action::FindVendor { .. } => "FindVendor",
        Action::CreateVendor { .. } => "CreateVendor",
        Action::FindMatrix { .. } => "FindMatrix",
        Action::CreateMatrix { .. } => "CreateMatrix",
        Action::FindItem { .. } => "FindItem",
        Action::CreateItem { .. } => "CreateItem",
        Action::FindPo { .. } => "FindPo",
        Action::CreatePo { .. } => "CreatePo",
        Action::FindLine { .. } => "FindLine",
        Action::CreateLine { .. } => "CreateLine",
        Action::FindTwins { .. } => "FindTwins",
        Action::FindItemTwins { .. } => "FindItemTwins",
        Action::FindMatrixTwins { .. } => "FindMatrixTwins",
        Action::Archive { .. } => "Archive",
        Action::ArchiveItems { .. } => "ArchiveItems",
        Action::CheckLines { .. } => "CheckLines",
        Action::DeleteLines { .. } => "DeleteLines",
        Action::MarkOrdered { .. } => "MarkOrdered",
        Action::SaveLinks { .. } => "SaveLinks",
        Action::Finished { .. } => "Finished",
        Action::Stopped(_) => "Stopped",
    }
}

#[test]
fn journal_lists_every_step_in_order() {
    let j = h02_journal();
    // Every create is followed by its twin check (issue 16), the new matrices and the new items
    // each by one check for all of them (issue 17); the lines by the final line pass.
    let mut want = vec!["check", "vendor", "twin", "matrix", "matrix", "matrix twins"];
    want.extend(["item"; 6]);
    want.extend(["item twins", "po", "twin"]);
    want.extend(["line"; 7]);
    want.extend(["dedupe", "ordered", "links"]);
    assert_eq!(kinds(&j), want);
    assert!(j.steps.iter().all(|s| s.status == StepState::Pending));
    assert_eq!(j.key.storage_key(), "po-bridge-job:83050:6f3a9c21d4e5b60718290002");
    // The first line uses the matched item; the others the items this job creates.
    let StepKind::Line { item, quantity, .. } = &j.steps[15].kind else { panic!() };
    assert_eq!((item, *quantity), (&ItemRef::Existing { item_id: ItemId(500) }, 4));
    // JSON round trip (the journal is stored).
    let back: Journal = serde_json::from_str(&serde_json::to_string(&j).unwrap()).unwrap();
    assert_eq!(back, j);
}

#[test]
fn existing_vendor_is_done_from_the_start() {
    let o = order("h01-basic-all-upcs");
    let p =
        plan(&o, &[], &BrandContext::default(), &Links::default(), &catalog(vec![vendor(4, "Harbor Goods")], vec![]))
            .unwrap();
    let mut j = build_journal(&p, &o, "1", ShopId(1), "2026-07-01").unwrap();
    assert_eq!(j.steps[1].status, StepState::Done { id: Some(4) });
    apply(&mut j, Event::NotFound { step: 0 }).unwrap();
    assert!(matches!(next_action(&j), Action::CreateMatrix { .. }));
}

#[test]
fn a_plan_waiting_for_choices_cannot_start() {
    let o = order("h01-basic-all-upcs");
    let cat = catalog(vec![], vec![item(1, Some("812345001013"), None), item(2, Some("812345001013"), None)]);
    let mut p = plan(&o, &[], &BrandContext::default(), &Links::default(), &cat).unwrap();
    assert_eq!(build_journal(&p, &o, "1", ShopId(1), "2026-07-01").unwrap_err(), JobError::NeedsChoice(1));
    p.choose(&RowKey::new("6512ab34cd56ef7890a10001", "OS"), Choice::CreateNew).unwrap();
    let j = build_journal(&p, &o, "1", ShopId(1), "2026-07-01").unwrap();
    assert_eq!(kinds(&j).iter().filter(|k| **k == "item").count(), 3);
    let other = order("h02-two-colors-missing-upcs");
    assert!(matches!(build_journal(&p, &other, "1", ShopId(1), "x"), Err(JobError::WrongOrder { .. })));
}

#[test]
fn rows_with_the_same_new_code_share_one_item() {
    let o = order_of(
        &[
            ("p1", "S1", Some("RED"), None, &[("A", 1, "5", Some("812345003017"), None)]),
            ("p2", "S2", Some("RED"), None, &[("A", 2, "5", Some("0812345003017"), None)]),
        ],
        "0",
    );
    let p = plan(&o, &[], &BrandContext::default(), &Links::default(), &Catalog::default()).unwrap();
    let j = build_journal(&p, &o, "1", ShopId(1), "2026-07-01").unwrap();
    assert_eq!(kinds(&j).iter().filter(|k| **k == "item").count(), 1);
    assert_eq!(kinds(&j).iter().filter(|k| **k == "line").count(), 1, "both rows are one item, one line");
}

/// Marks steps `..upto` done with ids 1000 + index.
fn done_until(j: &mut Journal, upto: usize) {
    if j.steps[0].status == StepState::Pending {
        apply(j, Event::NotFound { step: 0 }).unwrap();
    }
    for i in 1..upto {
        if j.steps[i].status != StepState::Pending {
            continue;
        }
        j.steps[i].status = StepState::Done { id: Some(1000 + i as u64) };
    }
}

#[test]
fn resume_decisions_for_every_step_kind() {
    // (step kind, action when Pending, action when IntentRecorded)
    let table = [
        ("check", "CheckExists", "CheckExists"),
        ("vendor", "CreateVendor", "FindVendor"),
        ("matrix", "CreateMatrix", "FindMatrix"),
        ("item", "CreateItem", "FindItem"),
        ("po", "CreatePo", "FindPo"),
        ("line", "CreateLine", "FindLine"),
        ("ordered", "MarkOrdered", "MarkOrdered"),
        ("links", "SaveLinks", "SaveLinks"),
    ];
    let base = h02_journal();
    let ks = kinds(&base);
    for (kind, pending, intent) in table {
        let i = ks.iter().position(|k| *k == kind).unwrap();
        let mut j = base.clone();
        if i > 0 {
            done_until(&mut j, i);
        }
        assert_eq!(j.current(), Some(i), "{kind}");
        let a = next_action(&j);
        assert_eq!(action_name(&a), pending, "{kind} pending");
        assert_eq!(a.step(), Some(i));
        if kind == "line" {
            // On a PO another export also fills (this job gave up its own), a line is looked up
            // before it is written: the other job may have added it.
            let mut shared = j.clone();
            let po_step = ks.iter().position(|k| *k == "po").unwrap();
            shared.converged.push(Converged {
                step: po_step,
                record: RecordKind::Po,
                ours: 2000,
                survivor: 1000 + po_step as u64,
                settled: true,
            });
            let look = next_action(&shared);
            assert_eq!(action_name(&look), "FindLine", "line on a shared PO");
            assert!(!look.is_write());
            apply(&mut shared, Event::NotFound { step: i }).unwrap();
            assert_eq!(action_name(&next_action(&shared)), "CreateLine");
        }
        if kind != "check" && kind != "links" {
            assert!(next_action(&j).is_write(), "{kind}");
            apply(&mut j, Event::IntentRecorded { step: i }).unwrap();
            assert_eq!(action_name(&next_action(&j)), intent, "{kind} resumed after intent");
        } else {
            assert!(!a.is_write(), "{kind}");
        }
    }
}

#[test]
fn resume_lookups_carry_what_to_look_for() {
    let mut j = h02_journal();
    done_until(&mut j, 1);
    apply(&mut j, Event::IntentRecorded { step: 1 }).unwrap();
    assert_eq!(next_action(&j), Action::FindVendor { step: 1, name: "Harbor Goods".into() });
    // Not found: back to Pending, then create.
    apply(&mut j, Event::NotFound { step: 1 }).unwrap();
    assert_eq!(j.steps[1].status, StepState::Pending);
    assert!(matches!(next_action(&j), Action::CreateVendor { .. }));
    apply(&mut j, Event::IntentRecorded { step: 1 }).unwrap();
    apply(&mut j, Event::Created { step: 1, id: 9 }).unwrap();
    assert_eq!(j.vendor_id(), Some(VendorId(9)));
    // An item without a code is looked up by its vendor number for this vendor.
    let code_less =
        j.steps.iter().position(|s| matches!(&s.kind, StepKind::Item { draft, .. } if draft.code.is_none())).unwrap();
    done_until(&mut j, code_less);
    apply(&mut j, Event::IntentRecorded { step: code_less }).unwrap();
    match next_action(&j) {
        Action::FindItem { code, vendor_number, manufacturer_sku, .. } => {
            assert_eq!(code, None);
            assert_eq!(vendor_number, Some((VendorId(9), "TEE-101-NVY".into())));
            assert_eq!(manufacturer_sku, "TEE-101");
        }
        other => panic!("{other:?}"),
    }
    // A POST whose outcome is unknown is looked up, never re-sent blindly.
    apply(&mut j, Event::NotFound { step: code_less }).unwrap();
    apply(&mut j, Event::IntentRecorded { step: code_less }).unwrap();
    apply(&mut j, Event::OutcomeUnknown { step: code_less }).unwrap();
    assert_eq!(action_name(&next_action(&j)), "FindItem");
}

#[test]
fn already_exported_stops_with_nothing_written() {
    let mut j = h02_journal();
    let Action::CheckExists { step, ref_num, b2b_order_number } = next_action(&j) else { panic!() };
    assert_eq!((ref_num.as_str(), b2b_order_number.as_str()), ("NuORDER 40718822", "40718822"));
    // A PO from the first-party integration, archived, with only b2bOrderNumber set.
    let orders: Vec<po_bridge::lightspeed::Order> = vec![
        serde_json::from_value(json!({"orderID": "12", "refNum": "NuORDER 4071882", "archived": "false"})).unwrap(),
        serde_json::from_value(
            json!({"orderID": "30", "refNum": "", "b2bOrderNumber": "40718822", "archived": "true"}),
        )
        .unwrap(),
    ];
    let found = existing_po(&b2b_order_number, &orders).unwrap();
    assert_eq!(found, OrderId(30));
    apply(&mut j, Event::Found { step, id: found.0 }).unwrap();
    assert_eq!(j.outcome, Outcome::AlreadyExported { po_id: OrderId(30) });
    assert_eq!(next_action(&j), Action::Stopped(Outcome::AlreadyExported { po_id: OrderId(30) }));
    assert!(j
        .steps
        .iter()
        .skip(1)
        .all(|s| s.status == StepState::Pending || matches!(s.kind, StepKind::Vendor { .. })));
    assert_eq!(JobStatus::of_journal(&j), JobStatus::Exported { po_id: OrderId(30) });
    assert_eq!(existing_po(&b2b_order_number, &orders[..1]), None);
}

#[test]
fn relink_failure_and_resume() {
    let mut j = h02_journal();
    apply(&mut j, Event::NotFound { step: 0 }).unwrap();
    apply(&mut j, Event::IntentRecorded { step: 1 }).unwrap();
    apply(&mut j, Event::NeedsRelink).unwrap();
    assert_eq!(next_action(&j), Action::Stopped(Outcome::NeedsRelink));
    assert_eq!(JobStatus::of_journal(&j), JobStatus::NeedsRelink);
    assert!(apply(&mut j, Event::Created { step: 1, id: 3 }).is_err(), "no results while paused");
    apply(&mut j, Event::Resume).unwrap();
    assert_eq!(action_name(&next_action(&j)), "FindVendor", "resumes with a lookup");

    apply(&mut j, Event::Failed { message: "Lightspeed is down; Retry resumes.".into(), retryable: true }).unwrap();
    assert_eq!(
        JobStatus::of_journal(&j),
        JobStatus::Failed { message: "Lightspeed is down; Retry resumes.".into(), retryable: true, again: false }
    );
    apply(&mut j, Event::Resume).unwrap();
    apply(&mut j, Event::Failed { message: "The shop is archived.".into(), retryable: false }).unwrap();
    assert!(apply(&mut j, Event::Resume).is_err());
    // Stopped for good before its PO: exporting the order again starts anew.
    assert!(j.replaceable());
    assert_eq!(
        JobStatus::of_journal(&j),
        JobStatus::Failed { message: "The shop is archived.".into(), retryable: false, again: true }
    );
    assert!(matches!(next_action(&j), Action::Stopped(Outcome::Failed { retryable: false, .. })));
}

#[test]
fn events_for_another_step_are_refused() {
    let mut j = h02_journal();
    assert!(matches!(apply(&mut j, Event::Created { step: 3, id: 1 }), Err(JournalError::WrongStep { .. })));
    assert!(apply(&mut j, Event::Resume).is_ok(), "resume while running is a no-op");
}

#[test]
fn status_labels_count_within_the_step_kind() {
    let mut j = h02_journal();
    let first_item = kinds(&j).iter().position(|k| *k == "item").unwrap();
    done_until(&mut j, first_item + 1);
    assert_eq!(
        JobStatus::of_journal(&j),
        JobStatus::InProgress { step: "Creating items 2 of 6".into(), done: first_item + 1, total: j.steps.len() }
    );
    let twins = kinds(&j).iter().position(|k| *k == "item twins").unwrap();
    done_until(&mut j, twins);
    assert_eq!(j.label(), "Creating items 6 of 6", "the items' twin check shows the last item");
}

#[test]
fn pick_line_claims_each_existing_line_once() {
    let mut j = h02_journal();
    let po = kinds(&j).iter().position(|k| *k == "po").unwrap();
    done_until(&mut j, po + 1);
    done_until(&mut j, po + 2);
    let first = po + 2;
    // The first line is ItemId(500) × 4 at its price: lines for that item at that price match,
    // whatever their quantity (the line is the item's); one is already claimed.
    let StepKind::Line { price, .. } = &j.steps[first].kind else { panic!() };
    let price = price.to_string();
    let lines: Vec<po_bridge::lightspeed::OrderLine> = serde_json::from_value(json!([
        {"orderLineID": "69", "itemID": "500", "quantity": "4", "price": "0.01"},
        {"orderLineID": "70", "itemID": "500", "quantity": "4", "price": price},
        {"orderLineID": "71", "itemID": "500", "quantity": "5", "price": price},
    ]))
    .unwrap();
    assert_eq!(pick_line(&j, first, &lines), Some(70));
    j.steps[first + 1].status = StepState::Done { id: Some(70) }; // pretend another step claimed 70
    assert_eq!(pick_line(&j, first, &lines), Some(71));
}

#[test]
fn memory_store_round_trips_journals_and_links() {
    let store = MemoryStore::new();
    let j = h02_journal();
    block_on(async {
        assert_eq!(store.load(&j.key).await.unwrap(), None);
        store.save(&j).await.unwrap();
        assert_eq!(store.load(&j.key).await.unwrap(), Some(j.clone()));
        let mut links = Links::default();
        links.vendors.insert("Harbor Goods".into(), VendorId(1));
        store.save_links("83050", &links).await.unwrap();
        assert_eq!(store.load_links("83050").await.unwrap(), links);
        assert_eq!(store.load_links("other").await.unwrap(), Links::default());
    });
    assert_eq!(store.saves(), 1);
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

// ------------------------------------------------------------------------------------------------
// A simulated Lightspeed, and a job killed at every point
// ------------------------------------------------------------------------------------------------

#[derive(Default, Clone)]
struct Fake {
    next_id: u64,
    vendors: Vec<KnownVendor>,
    matrices: Vec<Value>,
    items: Vec<KnownItem>,
    orders: Vec<Value>,
    lines: Vec<Value>,
    ordered_date: Option<String>,
    links: Option<Links>,
    writes: usize,
}

impl Fake {
    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn lines_of(&self, po: OrderId) -> Vec<po_bridge::lightspeed::OrderLine> {
        let mine: Vec<Value> = self.lines.iter().filter(|l| l["orderID"] == json!(po.0.to_string())).cloned().collect();
        serde_json::from_value(Value::Array(mine)).unwrap()
    }

    /// The twin lookup of step `of` (the survivor among its record and twins).
    fn matrix_records(&self) -> Vec<ItemMatrix> {
        serde_json::from_value(Value::Array(self.matrices.clone())).unwrap()
    }

    fn twin(&self, j: &Journal, of: usize) -> u64 {
        let found = match &j.steps[of].kind {
            StepKind::Vendor { .. } => twin_vendor(j, of, &self.vendors),
            StepKind::Matrix { .. } => {
                twin_matrix(j, of, &serde_json::from_value::<Vec<_>>(Value::Array(self.matrices.clone())).unwrap())
            }
            StepKind::Item { .. } => twin_item(j, of, &self.items),
            _ => twin_po(j, of, &serde_json::from_value::<Vec<_>>(Value::Array(self.orders.clone())).unwrap()),
        };
        found.unwrap()
    }

    /// The vendor, matrix and item creates.
    fn create(&mut self, a: &Action) -> Option<Event> {
        Some(match a {
            Action::CreateVendor { step, write } => {
                self.writes += 1;
                let id = self.id();
                self.vendors.push(KnownVendor {
                    id: VendorId(id),
                    name: write.name.clone().unwrap(),
                    archived: false,
                    seller_uid: None,
                });
                Event::Created { step: *step, id }
            }
            Action::CreateMatrix { step, write } => {
                self.writes += 1;
                let id = self.id();
                let mut v = serde_json::to_value(write).unwrap();
                v["itemMatrixID"] = json!(id.to_string());
                self.matrices.push(v);
                Event::Created { step: *step, id }
            }
            Action::CreateItem { step, write } => {
                self.writes += 1;
                let id = self.id();
                let w = serde_json::to_value(write).unwrap();
                let s = |v: &Value| v.as_str().map(str::to_string);
                let attrs = &w["ItemAttributes"];
                let mut k = item(id, w["upc"].as_str(), w["ean"].as_str());
                k.manufacturer_sku = s(&w["manufacturerSku"]);
                k.attribute_set = Some(ItemAttributeSetId(s(&attrs["itemAttributeSetID"]).unwrap().parse().unwrap()));
                k.attributes = [s(&attrs["attribute1"]), s(&attrs["attribute2"]), None];
                if let Some(nums) = w["ItemVendorNums"]["ItemVendorNum"].as_array() {
                    for n in nums {
                        k.vendor_numbers
                            .push((VendorId(s(&n["vendorID"]).unwrap().parse().unwrap()), s(&n["value"]).unwrap()));
                    }
                }
                self.items.push(k);
                Event::Created { step: *step, id }
            }
            _ => return None,
        })
    }

    /// The twin checks (a job alone never gives a record up).
    fn converge(&self, j: &Journal, a: &Action) -> Option<Event> {
        Some(match a {
            Action::FindTwins { step, of } => Event::Twin { step: *step, survivor: self.twin(j, *of) },
            Action::FindItemTwins { step, items, .. } => {
                Event::ItemTwins { step: *step, given_up: twin_items(j, items, &self.items) }
            }
            Action::FindMatrixTwins { step, matrices, .. } => {
                Event::MatrixTwins { step: *step, given_up: twin_matrices(j, matrices, &self.matrix_records()) }
            }
            Action::Archive { step, .. } | Action::ArchiveItems { step, .. } => {
                panic!("step {step}: one job alone never gives a record up")
            }
            _ => return None,
        })
    }

    /// Performs an action; returns the event (the write is committed here).
    fn perform(&mut self, j: &Journal, a: &Action) -> Event {
        if let Some(ev) = self.create(a).or_else(|| self.converge(j, a)) {
            return ev;
        }
        match a {
            Action::CheckExists { step, b2b_order_number, .. } => {
                let orders: Vec<po_bridge::lightspeed::Order> =
                    serde_json::from_value(Value::Array(self.orders.clone())).unwrap();
                match existing_po(b2b_order_number, &orders) {
                    Some(id) => Event::Found { step: *step, id: id.0 },
                    None => Event::NotFound { step: *step },
                }
            }
            Action::FindVendor { step, name } => match pick_vendor(name, &self.vendors) {
                Some(id) => Event::Found { step: *step, id: id.0 },
                None => Event::NotFound { step: *step },
            },
            Action::FindMatrix { step, .. } => {
                let StepKind::Matrix { draft, .. } = &j.steps[*step].kind else { panic!() };
                let ms: Vec<po_bridge::lightspeed::ItemMatrix> =
                    serde_json::from_value(Value::Array(self.matrices.clone())).unwrap();
                match pick_matrix(draft, &ms) {
                    Some(id) => Event::Found { step: *step, id: id.0 },
                    None => Event::NotFound { step: *step },
                }
            }
            Action::FindItem { step, .. } => {
                let StepKind::Item { draft, .. } = &j.steps[*step].kind else { panic!() };
                match pick_item(draft, j.vendor_id().unwrap(), &self.items) {
                    Some(id) => Event::Found { step: *step, id: id.0 },
                    None => Event::NotFound { step: *step },
                }
            }
            Action::FindPo { step, ref_num } => {
                let orders: Vec<po_bridge::lightspeed::Order> =
                    serde_json::from_value(Value::Array(self.orders.clone())).unwrap();
                match pick_po(ref_num, &orders) {
                    Some(id) => Event::Found { step: *step, id: id.0 },
                    None => Event::NotFound { step: *step },
                }
            }
            Action::CreatePo { step, write } => {
                self.writes += 1;
                let id = self.id();
                let mut v = serde_json::to_value(write).unwrap();
                v["orderID"] = json!(id.to_string());
                self.orders.push(v);
                Event::Created { step: *step, id }
            }
            Action::FindLine { step, po, .. } => match pick_line(j, *step, &self.lines_of(*po)) {
                Some(id) => Event::Found { step: *step, id },
                None => Event::NotFound { step: *step },
            },
            Action::CreateLine { step, write } => {
                self.writes += 1;
                let id = self.id();
                let mut v = serde_json::to_value(write).unwrap();
                v["orderLineID"] = json!(id.to_string());
                self.lines.push(v);
                Event::Created { step: *step, id }
            }
            Action::CheckLines { step, po } => {
                Event::Duplicates { step: *step, keep: duplicate_lines(j, &self.lines_of(*po)) }
            }
            Action::DeleteLines { step, .. } => panic!("step {step}: one job alone never adds a line twice"),
            Action::MarkOrdered { step, write, .. } => {
                self.ordered_date = write.ordered_date.clone();
                Event::Created { step: *step, id: 0 }
            }
            Action::SaveLinks { step, links } => {
                self.links = Some(links.clone());
                Event::Completed { step: *step }
            }
            _ => unreachable!(),
        }
    }
}

/// Runs the job from the saved journal. With `kill_at = Some(k)`, the process dies at the k-th
/// crash point (before a write, or after a committed write but before its result is saved).
/// Returns the number of crash points passed, or None when killed.
fn run(saved: &mut String, fake: &mut Fake, kill_at: Option<usize>) -> Option<(usize, Outcome)> {
    let mut j: Journal = serde_json::from_str(saved).unwrap();
    let mut points = 0;
    let mut crash = || {
        points += 1;
        kill_at == Some(points)
    };
    loop {
        let a = next_action(&j);
        match &a {
            Action::Finished { .. } | Action::Stopped(_) => return Some((points, j.outcome.clone())),
            _ => {}
        }
        if a.is_write() {
            apply(&mut j, Event::IntentRecorded { step: a.step().unwrap() }).unwrap();
            *saved = serde_json::to_string(&j).unwrap();
        }
        if crash() {
            return None;
        }
        let ev = fake.perform(&j, &a);
        if crash() {
            return None;
        }
        apply(&mut j, ev).unwrap();
        *saved = serde_json::to_string(&j).unwrap();
    }
}

fn assert_exactly_one_of_everything(fake: &Fake, what: &str) {
    assert_eq!(fake.vendors.len(), 1, "{what}: vendors");
    assert_eq!(fake.matrices.len(), 2, "{what}: matrices");
    assert_eq!(fake.items.len(), 6, "{what}: items");
    assert_eq!(fake.orders.len(), 1, "{what}: POs");
    assert_eq!(fake.lines.len(), 7, "{what}: lines");
    let mut per_item: Vec<String> = fake.lines.iter().map(|l| l["itemID"].as_str().unwrap().to_string()).collect();
    per_item.sort();
    per_item.dedup();
    assert_eq!(per_item.len(), 7, "{what}: one line per item");
    assert_eq!(fake.ordered_date.as_deref(), Some("2026-05-11"), "{what}: ordered");
    let links = fake.links.as_ref().unwrap_or_else(|| panic!("{what}: links saved"));
    assert_eq!(links.items.len(), 7, "{what}");
    assert_eq!(links.item(&RowKey::new(TEE_NVY, "S")), Some(ItemId(500)), "{what}");
    // Every created item is linked exactly once, and lines use the linked items.
    let mut linked: Vec<u64> = links.items.values().map(|i| i.0).filter(|i| *i != 500).collect();
    linked.sort();
    let mut created: Vec<u64> = fake.items.iter().map(|i| i.id.0).collect();
    created.sort();
    assert_eq!(linked, created, "{what}");
}

#[test]
fn a_job_killed_at_every_point_resumes_to_exactly_one_of_everything() {
    let fresh = serde_json::to_string(&h02_journal()).unwrap();
    let (points, outcome) = run(&mut fresh.clone(), &mut Fake::default(), None).unwrap();
    assert!(matches!(outcome, Outcome::Exported { .. }));
    let mut clean = Fake::default();
    run(&mut fresh.clone(), &mut clean, None).unwrap();
    assert_exactly_one_of_everything(&clean, "clean run");

    for k in 1..=points {
        let mut saved = fresh.clone();
        let mut fake = Fake::default();
        assert!(run(&mut saved, &mut fake, Some(k)).is_none(), "killed at {k}");
        let (_, outcome) = run(&mut saved, &mut fake, None).unwrap();
        let Outcome::Exported { po_id } = outcome else { panic!("killed at {k}: {outcome:?}") };
        assert_eq!(fake.orders[0]["orderID"], json!(po_id.0.to_string()), "killed at {k}");
        assert_exactly_one_of_everything(&fake, &format!("killed at point {k}"));
    }

    // Killed twice in a row at the same point after a committed write: still one of everything.
    for k in [4, 10, 30] {
        let mut saved = fresh.clone();
        let mut fake = Fake::default();
        run(&mut saved, &mut fake, Some(k));
        run(&mut saved, &mut fake, Some(2));
        run(&mut saved, &mut fake, None).unwrap();
        assert_exactly_one_of_everything(&fake, &format!("killed at {k} then 2"));
    }
}

#[test]
fn exporting_twice_writes_nothing_the_second_time() {
    let fresh = serde_json::to_string(&h02_journal()).unwrap();
    let mut fake = Fake::default();
    run(&mut fresh.clone(), &mut fake, None).unwrap();
    let writes = fake.writes;
    // A new job for the same order (e.g. the journal was lost): check-exists finds the PO.
    let (_, outcome) = run(&mut fresh.clone(), &mut fake, None).unwrap();
    assert!(matches!(outcome, Outcome::AlreadyExported { .. }));
    assert_eq!(fake.writes, writes);
}

#[test]
fn code_of_a_created_item_matches_its_draft() {
    // pick_item uses the code key: the created 12-digit UPC is found from its EAN-13 form too.
    let j = h02_journal();
    let StepKind::Item { draft, .. } = &j.steps[6].kind else { panic!() };
    assert_eq!(draft.code, Code::parse("812345003024"));
    let found = vec![item(9, None, Some("0812345003024")), archived(item(10, Some("812345003024"), None))];
    assert_eq!(pick_item(draft, VendorId(1), &found), Some(ItemId(9)));
}
