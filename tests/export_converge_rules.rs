//! The pure convergence rules (issue 16, docs/convergence.md) on a built journal: which record is
//! a twin, which survives, what a job gives up and how its journal records it.

#[path = "export_support.rs"]
mod support;

use po_bridge::export::job::build_journal;
use po_bridge::export::journal::*;
use po_bridge::export::plan::{plan, BrandContext, Catalog, KnownItem, Links};
use po_bridge::lightspeed::{ItemMatrix, OrderId, ShopId};
use serde_json::json;
use support::*;

fn h02() -> Journal {
    let o = order("h02-two-colors-missing-upcs");
    let p = plan(&o, &products(), &BrandContext::default(), &Links::default(), &Catalog::default()).unwrap();
    build_journal(&p, &o, "83050", ShopId(1), "2026-07-01").unwrap()
}

fn steps_of(j: &Journal, kind: RecordKind) -> Vec<usize> {
    (0..j.steps.len()).filter(|&i| RecordKind::of(&j.steps[i].kind) == Some(kind)).collect()
}

/// Marks every step before `upto` done with id 1000 + index.
fn done_until(j: &mut Journal, upto: usize) {
    apply(j, Event::NotFound { step: 0 }).unwrap();
    for i in 1..upto {
        if !matches!(j.steps[i].status, StepState::Done { .. }) {
            j.steps[i].status = StepState::Done { id: Some(1000 + i as u64) };
        }
    }
}

/// A live item made like the draft of item step `of` (same code, style number, color/size).
fn like_draft(j: &Journal, of: usize, id: u64) -> KnownItem {
    let StepKind::Item { draft, .. } = &j.steps[of].kind else { panic!() };
    let code = draft.code.as_ref().map(|c| c.write_value());
    let mut i = item(id, code.as_deref(), None);
    i.manufacturer_sku = Some(draft.manufacturer_sku.clone());
    i.attributes = [draft.attribute1.clone(), draft.attribute2.clone(), None];
    i
}

#[test]
fn an_item_twin_is_the_same_code_style_and_size_and_the_lowest_live_one_survives() {
    let mut j = h02();
    let of = steps_of(&j, RecordKind::Item)
        .into_iter()
        .find(|&i| matches!(&j.steps[i].kind, StepKind::Item { draft, .. } if draft.code.is_some()));
    let of = of.unwrap();
    done_until(&mut j, of + 1);
    let ours = 1000 + of as u64;
    let mut pos_item = like_draft(&j, of, 40);
    pos_item.manufacturer_sku = Some("SOMETHING-ELSE".into());
    assert_eq!(twin_item(&j, of, &[pos_item.clone()]), Some(ours), "a POS item that only shares the code");
    assert_eq!(twin_item(&j, of, &[pos_item.clone(), like_draft(&j, of, 45)]), Some(45));
    assert_eq!(twin_item(&j, of, &[archived(like_draft(&j, of, 30))]), Some(ours), "archived items are not twins");
    assert_eq!(twin_item(&j, of, &[like_draft(&j, of, 5000)]), Some(ours), "a younger twin: ours survives");
    // A record another step of this job holds is never a twin.
    let other = steps_of(&j, RecordKind::Item).into_iter().find(|&i| i != of).unwrap();
    j.steps[other].status = StepState::Done { id: Some(45) };
    assert_eq!(twin_item(&j, of, &[like_draft(&j, of, 45)]), Some(ours));
}

#[test]
fn a_po_given_up_is_archived_then_settled_and_the_job_carries_on_with_the_survivor() {
    let mut j = h02();
    let po = steps_of(&j, RecordKind::Po)[0];
    done_until(&mut j, po + 1);
    let ours = 1000 + po as u64;
    let orders: Vec<po_bridge::lightspeed::Order> = serde_json::from_value(json!([
        {"orderID": "7", "refNum": "NuORDER 40718822", "archived": "true"},
        {"orderID": "9", "refNum": "NuORDER 40718822", "archived": "false"},
        {"orderID": "3", "refNum": "NuORDER 4071882", "archived": "false"},
        {"orderID": ours.to_string(), "refNum": "NuORDER 40718822", "archived": "false"},
    ]))
    .unwrap();
    assert_eq!(next_action(&j), Action::FindTwins { step: po + 1, of: po });
    let survivor = twin_po(&j, po, &orders).unwrap();
    assert_eq!(survivor, 9, "the lowest live PO with our refNum");
    apply(&mut j, Event::Twin { step: po + 1, survivor }).unwrap();
    assert_eq!(j.po_id(), Some(OrderId(9)));
    let archive = next_action(&j);
    assert_eq!(archive, Action::Archive { step: po + 1, record: RecordKind::Po, id: ours });
    assert!(archive.is_write());
    assert_eq!(j.converged, [Converged { step: po, record: RecordKind::Po, ours, survivor: 9, settled: false }]);
    // Killed before the archive answered: resuming sends it again (a repeat is harmless).
    let saved: Journal = serde_json::from_str(&serde_json::to_string(&j).unwrap()).unwrap();
    assert_eq!(next_action(&saved), archive);
    apply(&mut j, Event::Completed { step: po + 1 }).unwrap();
    assert!(j.converged[0].settled);
    // The first line is looked up on the survivor before it is created.
    assert!(matches!(next_action(&j), Action::FindLine { po: OrderId(9), .. }));
}

/// Live matrices with description `d` (attribute set 1, as h02's drafts) and these ids.
fn matrices_named(d: &str, ids: &[u64]) -> Vec<ItemMatrix> {
    let all: Vec<_> = ids
        .iter()
        .map(|id| json!({"itemMatrixID": id.to_string(), "description": d, "itemAttributeSetID": "1", "archived": "false"}))
        .collect();
    serde_json::from_value(json!(all)).unwrap()
}

/// The new matrices are checked together after the last of them and before the first item
/// (issue 17): one lookup by their descriptions. A matrix given up is left empty and named, and
/// the items go into the survivor.
#[test]
fn the_new_matrices_are_checked_together_before_the_first_item_and_a_given_up_one_left_empty() {
    let mut j = h02();
    let ms = steps_of(&j, RecordKind::Matrix);
    let twins = ms.last().unwrap() + 1;
    assert_eq!(j.steps[twins].kind, StepKind::MatrixTwins { matrices: ms.clone() });
    assert!(matches!(j.steps[twins + 1].kind, StepKind::Item { .. }), "before any item joins a matrix");
    done_until(&mut j, twins);
    let description = |j: &Journal, m: usize| match &j.steps[m].kind {
        StepKind::Matrix { draft, .. } => draft.description.clone(),
        _ => unreachable!(),
    };
    let mut descriptions: Vec<String> = ms.iter().map(|&m| description(&j, m)).collect();
    descriptions.sort();
    assert_eq!(next_action(&j), Action::FindMatrixTwins { step: twins, matrices: ms.clone(), descriptions });

    let (a, b) = (ms[0], ms[1]);
    let (da, db) = (description(&j, a), description(&j, b));
    let mut found = matrices_named(&da, &[2, 1000 + a as u64]);
    found.extend(matrices_named(&db, &[9000, 1000 + b as u64]));
    let mut archived_one = matrices_named(&db, &[1]);
    archived_one[0].archived = true;
    found.extend(archived_one);
    let given_up = twin_matrices(&j, &ms, &found);
    assert_eq!(given_up, [(a, 2)], "a's older twin survives; b's twin is younger, archived ones are none");
    apply(&mut j, Event::MatrixTwins { step: twins, given_up }).unwrap();
    assert_eq!(j.steps[twins].status, StepState::Done { id: None }, "no archive");
    assert_eq!(
        j.converged,
        [Converged { step: a, record: RecordKind::Matrix, ours: 1000 + a as u64, survivor: 2, settled: false }]
    );
    // Killed after the answer was saved: the check is not asked again; the items join the survivor.
    let saved: Journal = serde_json::from_str(&serde_json::to_string(&j).unwrap()).unwrap();
    let Action::CreateItem { write, .. } = next_action(&saved) else { panic!("{:?}", next_action(&saved)) };
    let first_items_matrix = match &j.steps[twins + 1].kind {
        StepKind::Item { matrix, .. } => j.done_id(matrix.unwrap()).unwrap(),
        _ => unreachable!(),
    };
    assert_eq!(write.item_matrix_id.map(|m| m.0), Some(first_items_matrix));
    assert!([2, 1000 + b as u64].contains(&first_items_matrix));

    // No twin: nothing given up, the step is done.
    let mut k = h02();
    done_until(&mut k, twins);
    assert!(twin_matrices(&k, &ms, &[]).is_empty());
    apply(&mut k, Event::MatrixTwins { step: twins, given_up: vec![] }).unwrap();
    assert_eq!(k.current(), Some(twins + 1));
}

/// Two of our products share one matrix description (they stay two matrices). Decided in
/// creation order, as if each had been checked right after its create: the first takes the
/// oldest twin, which its step then holds, so the second takes the next one up — the first one
/// we gave up, which is left empty, not archived, and so still live. The other job decides the
/// same way and both end on the same two matrices.
#[test]
fn matrices_sharing_a_description_are_decided_in_creation_order() {
    let mut j = h02();
    let ms = steps_of(&j, RecordKind::Matrix);
    let twins = ms.last().unwrap() + 1;
    let (a, b) = (ms[0], ms[1]);
    j.steps[b].kind = j.steps[a].kind.clone();
    done_until(&mut j, twins);
    let StepKind::Matrix { draft, .. } = &j.steps[a].kind else { panic!() };
    let d = draft.description.clone();
    // Ids in creation order: theirs 3, ours 5, theirs 6, ours 7.
    j.steps[a].status = StepState::Done { id: Some(5) };
    j.steps[b].status = StepState::Done { id: Some(7) };
    let found = matrices_named(&d, &[3, 5, 6, 7]);
    assert_eq!(twin_matrices(&j, &ms, &found), [(a, 3), (b, 5)], "not both on 3: two products stay two matrices");
    // The same as checking each right after its create.
    assert_eq!(twin_matrix(&j, a, &found), Some(3));
    let mut one_by_one = j.clone();
    one_by_one.steps[a].status = StepState::Done { id: Some(3) };
    assert_eq!(twin_matrix(&one_by_one, b, &found), Some(5));
    // The other job (3 then 6) keeps 3 and takes 5 too: both end on 3 and 5.
    let mut other = j.clone();
    other.steps[a].status = StepState::Done { id: Some(3) };
    other.steps[b].status = StepState::Done { id: Some(6) };
    assert_eq!(twin_matrices(&other, &ms, &found), [(b, 5)]);
}

/// A journal written before matrices were checked together has a twin step after each matrix:
/// it still resumes, one check per matrix.
#[test]
fn a_journal_with_a_twin_step_after_each_matrix_still_resumes() {
    let mut j: Journal = serde_json::from_str(&serde_json::to_string(&old_shape(h02())).unwrap()).unwrap();
    let ms = steps_of(&j, RecordKind::Matrix);
    assert_eq!(j.steps[ms[0] + 1].kind, StepKind::Twin { of: ms[0] });
    done_until(&mut j, ms[0] + 1);
    assert_eq!(next_action(&j), Action::FindTwins { step: ms[0] + 1, of: ms[0] });
    let StepKind::Matrix { draft, .. } = &j.steps[ms[0]].kind else { panic!() };
    let survivor = twin_matrix(&j, ms[0], &matrices_named(&draft.description.clone(), &[2])).unwrap();
    apply(&mut j, Event::Twin { step: ms[0] + 1, survivor }).unwrap();
    assert_eq!(j.steps[ms[0] + 1].status, StepState::Done { id: Some(2) }, "no archive");
    assert!(matches!(next_action(&j), Action::CreateMatrix { .. }), "on to the next matrix");
    apply(&mut j, Event::Created { step: ms[1], id: 77 }).unwrap();
    assert_eq!(next_action(&j), Action::FindTwins { step: ms[1] + 1, of: ms[1] });
    apply(&mut j, Event::Twin { step: ms[1] + 1, survivor: 77 }).unwrap();
    let Action::CreateItem { write, .. } = next_action(&j) else { panic!("{:?}", next_action(&j)) };
    assert!(write.item_matrix_id.is_some_and(|m| m.0 == 2 || m.0 == 77));
}

/// The journal as built before issue 17's matrix batching: a twin step after each matrix and no
/// batched matrix check (every later index shifts).
fn old_shape(mut j: Journal) -> Journal {
    let batched = j.steps.iter().position(|s| matches!(s.kind, StepKind::MatrixTwins { .. })).unwrap();
    j.steps.remove(batched);
    // Index after the removal -> old index: one more after each matrix (its twin step).
    let mut at = Vec::new();
    let mut shift = 0;
    for s in &j.steps {
        at.push(at.len() + shift);
        if matches!(s.kind, StepKind::Matrix { .. }) {
            shift += 1;
        }
    }
    let map = |i: usize| at[if i > batched { i - 1 } else { i }];
    let remap_ref = |r: &mut ItemRef| {
        if let ItemRef::Step { step } = r {
            *step = map(*step);
        }
    };
    for s in &mut j.steps {
        match &mut s.kind {
            StepKind::Item { matrix, .. } => *matrix = matrix.map(map),
            StepKind::ItemTwins { items } => items.iter_mut().for_each(|i| *i = map(*i)),
            StepKind::Twin { of } => *of = map(*of),
            StepKind::Line { item, .. } => remap_ref(item),
            _ => {}
        }
    }
    j.rows.iter_mut().for_each(|r| remap_ref(&mut r.item));
    let mut steps = Vec::new();
    for s in j.steps.drain(..) {
        let matrix = matches!(s.kind, StepKind::Matrix { .. });
        steps.push(s);
        if matrix {
            steps.push(Step { kind: StepKind::Twin { of: steps.len() - 1 }, status: StepState::Pending });
        }
    }
    j.steps = steps;
    j
}

#[test]
fn the_final_pass_gives_up_only_our_younger_duplicates() {
    let mut j = h02();
    let pass = j.steps.iter().position(|s| matches!(s.kind, StepKind::DedupeLines)).unwrap();
    done_until(&mut j, pass);
    let lines = steps_of(&j, RecordKind::Line);
    let (l0, l1) = (lines[0], lines[1]);
    let line = |id: u64, step: usize| {
        let StepKind::Line { item, price, .. } = &j.steps[step].kind else { panic!() };
        json!({"orderLineID": id.to_string(), "itemID": j.item_id(*item).unwrap().0.to_string(),
               "quantity": "1", "price": price.to_string()})
    };
    let ours0 = 1000 + l0 as u64;
    let ours1 = 1000 + l1 as u64;
    let on_po: Vec<po_bridge::lightspeed::OrderLine> =
        serde_json::from_value(json!([line(ours0, l0), line(ours1, l1), line(20, l0), line(5000, l1)])).unwrap();
    // Line 0 has an older twin (20, another job's): ours goes. Line 1's twin is younger: ours stays.
    assert_eq!(duplicate_lines(&j, &on_po), [(l0, 20)]);
    assert_eq!(next_action(&j), Action::CheckLines { step: pass, po: j.po_id().unwrap() });
    apply(&mut j, Event::Duplicates { step: pass, keep: vec![(l0, 20)] }).unwrap();
    assert_eq!(j.done_id(l0), Some(20));
    assert_eq!(next_action(&j), Action::DeleteLines { step: pass, ids: vec![ours0] });
    apply(&mut j, Event::Completed { step: pass }).unwrap();
    assert!(j.converged.iter().all(|c| c.settled));
    // Nothing to give up: the pass is done at once.
    let mut k = h02();
    done_until(&mut k, pass);
    apply(&mut k, Event::Duplicates { step: pass, keep: vec![] }).unwrap();
    assert_eq!(k.current(), Some(pass + 1));
}

/// The new items are checked together after the last of them (issue 17): one lookup for the
/// batch — by code when every item has one, else by style number — then the archive of each item
/// given up, all before the PO. An item given up earlier in the batch is no twin of a later one.
#[test]
fn the_new_items_are_checked_together_and_those_given_up_archived_before_the_po() {
    let mut j = h02();
    let items = steps_of(&j, RecordKind::Item);
    let twins = items.last().unwrap() + 1;
    assert_eq!(j.steps[twins].kind, StepKind::ItemTwins { items: items.clone() });
    assert!(matches!(j.steps[twins + 1].kind, StepKind::PoHeader { .. }), "before the PO and its lines");
    done_until(&mut j, twins);
    let Action::FindItemTwins { step, items: asked, lookup } = next_action(&j) else { panic!("{:?}", next_action(&j)) };
    assert_eq!((step, &asked), (twins, &items));
    let styles = |j: &Journal| {
        let mut s: Vec<String> = items
            .iter()
            .map(|&i| match &j.steps[i].kind {
                StepKind::Item { draft, .. } => draft.manufacturer_sku.clone(),
                _ => unreachable!(),
            })
            .collect();
        s.dedup();
        s
    };
    assert_eq!(lookup, ItemTwinLookup::Styles(styles(&j)), "some new items have no code: by style number");
    let coded: Vec<usize> = items
        .iter()
        .copied()
        .filter(|&i| matches!(&j.steps[i].kind, StepKind::Item { draft, .. } if draft.code.is_some()))
        .collect();
    assert!(matches!(item_twin_lookup(&j, &coded), ItemTwinLookup::Codes(c) if c.len() == coded.len()));

    // Another export made the first two items (40, 41, older) and a younger twin of the third.
    let (a, b, c) = (items[0], items[1], items[2]);
    let found = [like_draft(&j, a, 40), like_draft(&j, b, 41), like_draft(&j, c, 9000)];
    let given_up = twin_items(&j, &items, &found);
    assert_eq!(given_up, [(a, 40), (b, 41)]);
    apply(&mut j, Event::ItemTwins { step: twins, given_up }).unwrap();
    assert_eq!((j.done_id(a), j.done_id(b), j.done_id(c)), (Some(40), Some(41), Some(1000 + c as u64)));
    assert_eq!(
        next_action(&j),
        Action::ArchiveItems { step: twins, ids: vec![1000 + a as u64, 1000 + b as u64] },
        "ours are archived next, before the PO"
    );
    apply(&mut j, Event::Completed { step: twins }).unwrap();
    assert!(j.converged.iter().all(|c| c.settled && c.record == RecordKind::Item), "{:?}", j.converged);
    assert!(matches!(next_action(&j), Action::CreatePo { .. }));

    // Two of our items with one key: the first takes the older twin; ours, given up, is no twin
    // of the second, which keeps its own (as if each were checked right after its create).
    let mut j = h02();
    done_until(&mut j, twins);
    j.steps[b].kind = j.steps[a].kind.clone();
    let found = [like_draft(&j, a, 5), like_draft(&j, a, 1000 + a as u64), like_draft(&j, b, 1000 + b as u64)];
    assert_eq!(twin_items(&j, &items, &found), [(a, 5)]);
    assert!(twin_items(&j, &items, &[]).is_empty(), "no twin: nothing given up");
    apply(&mut j, Event::ItemTwins { step: twins, given_up: vec![] }).unwrap();
    assert_eq!(j.steps[twins].status, StepState::Done { id: None });
}
