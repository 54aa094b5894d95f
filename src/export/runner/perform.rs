//! One action of the job against Lightspeed (or the store), reported as an [`Event`]: lookups
//! answer `Found`/`NotFound` through the journal's pickers, writes answer `Created`/`Completed`.
//! Convergence (docs/convergence.md): the twin lookup fetches what another export of the order
//! would have written (vendor by name, matrix by description, item by its code in the field the
//! export writes, else by style number, PO by `refNum`) and answers [`Event::Twin`]; the new
//! matrices' and items' twins are asked together, one request per batch, and answered with
//! [`Event::MatrixTwins`] and [`Event::ItemTwins`]; the final line
//! pass answers [`Event::Duplicates`]; archives and line removals treat "already gone" as done.

use super::exported::pos_marking;
use super::read::{find_item_candidates, known_vendors_named};
use super::types::ITEM_RELATIONS;
use super::types::{store_err, RunError};
use crate::export::journal::{
    duplicate_lines, existing_po, pick_item, pick_line, pick_matrix, pick_po, pick_vendor, twin_item, twin_items,
    twin_matrices, twin_matrix, twin_po, twin_vendor, Action, Event, ItemTwinLookup, Journal, JournalError,
    JournalStore, RecordKind, StepKind,
};
use crate::export::plan::KnownItem;
use crate::export::plan::{Links, PoCheck};
use crate::lightspeed::client::{LightspeedClient, TokenSource};
use crate::lightspeed::endpoints::converge::{DeleteItem, DeleteOrder, DeleteOrderLine, DeleteVendor};
use crate::lightspeed::endpoints::{
    Archived, CreateItem, CreateItemMatrix, CreateOrder, CreateOrderLine, CreateVendor, ItemInField, ListItemMatrices,
    ListItemMatricesIn, ListItemsByCodes, ListItemsIn, ListOrderLines, ListOrders, UpdateOrder,
};
use crate::lightspeed::http::{Clock, Transport};
use crate::lightspeed::{Item, ItemId, OrderId, OrderLineId, VendorId};

/// Performs one action and reports it as an [`Event`].
pub(super) async fn perform<T: Transport, C: Clock, S: TokenSource, J: JournalStore>(
    client: &LightspeedClient<T, C, S>,
    store: &J,
    j: &Journal,
    action: &Action,
) -> Result<Event, RunError> {
    if action.is_write() {
        return write(client, action).await;
    }
    match action {
        Action::SaveLinks { step, links } => {
            let mut all: Links = store.load_links(&j.key.account_id).await.map_err(store_err)?;
            all.merge(links);
            store.save_links(&j.key.account_id, &all).await.map_err(store_err)?;
            Ok(Event::Completed { step: *step })
        }
        Action::FindTwins { step, of } => twins(client, j, *step, *of).await,
        Action::FindMatrixTwins { step, matrices, descriptions } => {
            let mut ep = ListItemMatricesIn::new(descriptions.clone())?;
            ep.archived = Archived::Exclude;
            let found = client.list_all(&ep).await?;
            Ok(Event::MatrixTwins { step: *step, given_up: twin_matrices(j, matrices, &found) })
        }
        Action::FindItemTwins { step, items, lookup } => {
            let found = item_twin_candidates(client, lookup).await?;
            Ok(Event::ItemTwins { step: *step, given_up: twin_items(j, items, &found) })
        }
        Action::CheckLines { step, po } => {
            let lines = client.list_all(&ListOrderLines { order_id: *po, item_id: None }).await?;
            Ok(Event::Duplicates { step: *step, keep: duplicate_lines(j, &lines) })
        }
        _ => look_up(client, j, action).await,
    }
}

/// The twin lookup of step `of`'s record (see [`crate::export::journal::twin_item`] & co.).
async fn twins<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    j: &Journal,
    step: usize,
    of: usize,
) -> Result<Event, RunError> {
    let survivor = match &j.steps[of].kind {
        StepKind::Vendor { name } => twin_vendor(j, of, &known_vendors_named(client, name).await?),
        StepKind::Matrix { draft, .. } => {
            twin_matrix(j, of, &client.list_all(&ListItemMatrices::by_description(draft.description.clone())).await?)
        }
        StepKind::Item { draft, .. } => {
            // The key the other job wrote: the code in its field, else the style number.
            let items: Vec<Item> = match &draft.code {
                Some(c) => {
                    let mut ep = ListItemsByCodes::new(c.field(), vec![c.write_value()])?;
                    ep.load_relations = ITEM_RELATIONS.to_vec();
                    client.list_all(&ep).await?
                }
                None => {
                    let mut ep = ListItemsIn::new(ItemInField::ManufacturerSku, vec![draft.manufacturer_sku.clone()])?;
                    ep.load_relations = ITEM_RELATIONS.to_vec();
                    client.list_all(&ep).await?
                }
            };
            twin_item(j, of, &items.iter().map(KnownItem::from).collect::<Vec<_>>())
        }
        StepKind::PoHeader { draft } => {
            twin_po(j, of, &client.list_all(&ListOrders::by_ref_num(draft.ref_num.clone())).await?)
        }
        _ => None,
    };
    match survivor {
        Some(survivor) => Ok(Event::Twin { step, survivor }),
        None => Err(JournalError::Illegal(format!("twin lookup for step {of}")).into()),
    }
}

/// The live items that may be twins of a batch of new items, in one request (a page of them
/// unless another export made twins).
async fn item_twin_candidates<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    lookup: &ItemTwinLookup,
) -> Result<Vec<KnownItem>, RunError> {
    let items: Vec<Item> = match lookup {
        ItemTwinLookup::Codes(codes) => {
            let mut ep = ListItemsByCodes::in_either_field(codes.clone())?;
            ep.archived = Archived::Exclude;
            ep.load_relations = ITEM_RELATIONS.to_vec();
            client.list_all(&ep).await?
        }
        ItemTwinLookup::Styles(styles) => {
            let mut ep = ListItemsIn::new(ItemInField::ManufacturerSku, styles.clone())?;
            ep.archived = Archived::Exclude;
            ep.load_relations = ITEM_RELATIONS.to_vec();
            client.list_all(&ep).await?
        }
    };
    Ok(items.iter().map(KnownItem::from).collect())
}

fn found(step: usize, id: Option<u64>) -> Event {
    match id {
        Some(id) => Event::Found { step, id },
        None => Event::NotFound { step },
    }
}

/// The lookups: the existing-PO check, and what a resumed step may have created.
async fn look_up<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    j: &Journal,
    action: &Action,
) -> Result<Event, RunError> {
    Ok(match action {
        Action::CheckExists { step, ref_num, b2b_order_number } => {
            let check = PoCheck { ref_num: ref_num.clone(), b2b_order_number: b2b_order_number.clone() };
            let orders = pos_marking(client, &check).await?;
            found(*step, existing_po(b2b_order_number, &orders).map(|o| o.0))
        }
        Action::FindVendor { step, name } => {
            let vendors = known_vendors_named(client, name).await?;
            found(*step, pick_vendor(name, &vendors).map(|v| v.0))
        }
        Action::FindMatrix { step, description, .. } => {
            let StepKind::Matrix { draft, .. } = &j.steps[*step].kind else {
                return Err(JournalError::Illegal("matrix lookup for a non-matrix step".into()).into());
            };
            let matrices = client.list_all(&ListItemMatrices::by_description(description.clone())).await?;
            found(*step, pick_matrix(draft, &matrices).map(|m| m.0))
        }
        Action::FindItem { step, code, vendor_number, manufacturer_sku } => {
            let StepKind::Item { draft, .. } = &j.steps[*step].kind else {
                return Err(JournalError::Illegal("item lookup for a non-item step".into()).into());
            };
            let vendor = j.vendor_id().unwrap_or(VendorId(0));
            let items = find_item_candidates(client, code.as_ref(), vendor_number, manufacturer_sku).await?;
            found(*step, pick_item(draft, vendor, &items).map(|i| i.0))
        }
        Action::FindPo { step, ref_num } => {
            let orders = client.list_all(&ListOrders::by_ref_num(ref_num)).await?;
            found(*step, pick_po(ref_num, &orders).map(|o| o.0))
        }
        Action::FindLine { step, po, item, .. } => {
            let lines = client.list_all(&ListOrderLines { order_id: *po, item_id: Some(*item) }).await?;
            found(*step, pick_line(j, *step, &lines))
        }
        _ => return Err(JournalError::Illegal("no step to perform".into()).into()),
    })
}

/// The writes ([`Action::is_write`]); the runner recorded the intent before.
async fn write<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    action: &Action,
) -> Result<Event, RunError> {
    Ok(match action {
        Action::CreateVendor { step, write } => {
            Event::Created { step: *step, id: client.one(&CreateVendor(write.clone())).await?.vendor_id.0 }
        }
        Action::CreateMatrix { step, write } => {
            Event::Created { step: *step, id: client.one(&CreateItemMatrix(write.clone())).await?.item_matrix_id.0 }
        }
        Action::CreateItem { step, write } => {
            Event::Created { step: *step, id: client.one(&CreateItem(write.clone())).await?.item_id.0 }
        }
        Action::CreatePo { step, write } => {
            Event::Created { step: *step, id: client.one(&CreateOrder(write.clone())).await?.order_id.0 }
        }
        Action::CreateLine { step, write } => {
            Event::Created { step: *step, id: client.one(&CreateOrderLine(write.clone())).await?.order_line_id.0 }
        }
        Action::Archive { step, record, id } => {
            match record {
                RecordKind::Vendor => client.apply_again(&DeleteVendor(VendorId(*id))).await?,
                RecordKind::Item => client.apply_again(&DeleteItem(ItemId(*id))).await?,
                RecordKind::Po => client.apply_again(&DeleteOrder(OrderId(*id))).await?,
                RecordKind::Matrix | RecordKind::Line => {
                    return Err(JournalError::Illegal("no archive for this record".into()).into())
                }
            }
            Event::Completed { step: *step }
        }
        Action::ArchiveItems { step, ids } => {
            for id in ids {
                client.apply_again(&DeleteItem(ItemId(*id))).await?;
            }
            Event::Completed { step: *step }
        }
        Action::DeleteLines { step, ids } => {
            for id in ids {
                client.apply_again(&DeleteOrderLine(OrderLineId(*id))).await?;
            }
            Event::Completed { step: *step }
        }
        Action::MarkOrdered { step, po, write } => {
            client.apply(&UpdateOrder { id: *po, changes: write.clone() }).await?;
            Event::Completed { step: *step }
        }
        _ => return Err(JournalError::Illegal("not a write".into()).into()),
    })
}
