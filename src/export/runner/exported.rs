//! The PO-marker lookups, in one place, all through the typed [`FindOrders`]: for one order (the
//! preview's [`pos_seen`] and the job's [`pos_marking`]), and for many ([`exported_orders`]: the
//! badges on NuORDER's order list, in `IN` batches). All decide with the one rule of
//! [`crate::export::markers`].
//!
//! **Three plain lookups per export, never an `or=`.** Every PO Bridge PO carries both markers
//! (`refNum` `NuORDER <n>` and `b2bOrderNumber` `n`, see [`crate::export::po`]); NuORDER's own
//! integration writes `b2bOrderNumber`. So:
//!
//! - the **preview** asks `b2bOrderNumber` (1 request): it shows as exported a PO made by NuORDER's
//!   integration or by PO Bridge anywhere;
//! - the **job**, as its first step before any write, asks both markers (2 requests): our `refNum`,
//!   which a PO Bridge in another browser certainly wrote (whether Lightspeed keeps a third party's
//!   `b2bOrderNumber` is unconfirmed, reference §11), and `b2bOrderNumber`, which NuORDER's
//!   integration writes. This is what makes a stale preview safe: a PO created between the preview
//!   and the click, by PO Bridge anywhere or by NuORDER's own integration, stops the job before it
//!   writes. The journal cannot stand in for it (it knows only this browser's jobs), so it is never
//!   skipped; it runs once per job (its step is done in the journal, a resumed job does not repeat
//!   it). Two plain lookups cost 2 drips where the `or=` over both fields cost 3.
//!
//! Dropping the job's `b2bOrderNumber` lookup would save one drip per export (and bring a 100-row
//! all-existing order inside 1.03× its minimum), at the price of missing a first-party PO made in the
//! seconds between preview and click: a duplicate PO is what PO Bridge exists to prevent, so the
//! drip stays (README "Performance").

use super::types::RunError;
use crate::export::codes::in_batches;
use crate::export::markers::{bare_number, marked_numbers, ref_num};
use crate::export::plan::PoCheck;
use crate::lightspeed::client::{LightspeedClient, TokenSource};
use crate::lightspeed::endpoints::{FindOrders, OrderRefField};
use crate::lightspeed::http::{Clock, Transport};
use crate::lightspeed::{Order as LsOrder, OrderId};
use std::collections::BTreeMap;

/// Which of these NuORDER order numbers Lightspeed already has a PO for (our `refNum`
/// `NuORDER <n>`, or the first-party `b2bOrderNumber` = n; archived included): per batch of ≤ 100
/// distinct numbers, two requests (`refNum=IN,[…]` and `b2bOrderNumber=IN,[…]`). Order number (as
/// given) → PO id (the lowest when several).
pub async fn exported_orders<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    order_numbers: &[String],
) -> Result<BTreeMap<String, OrderId>, RunError> {
    // bare number → the caller's spellings of it
    let mut by_bare: BTreeMap<&str, Vec<&String>> = BTreeMap::new();
    for n in order_numbers {
        let b = bare_number(n);
        if !b.is_empty() {
            by_bare.entry(b).or_default().push(n);
        }
    }
    let mut found: BTreeMap<String, OrderId> = BTreeMap::new();
    for batch in in_batches(by_bare.keys().map(|b| b.to_string())) {
        let refs = batch.iter().map(|b| ref_num(b)).collect();
        for (field, values) in [(OrderRefField::RefNum, refs), (OrderRefField::B2bOrderNumber, batch)] {
            for o in client.list_all(&FindOrders::new(field, values)?).await? {
                for n in marked_numbers(&o).filter(|n| by_bare.contains_key(n)) {
                    let id = found.entry(n.to_string()).or_insert(o.order_id);
                    *id = (*id).min(o.order_id);
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    for (b, id) in found {
        for n in &by_bare[b.as_str()] {
            out.insert((*n).clone(), id);
        }
    }
    Ok(out)
}

/// The preview's check: POs whose `b2bOrderNumber` is the order's (archived included).
pub(super) async fn pos_seen<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    check: &PoCheck,
) -> Result<Vec<LsOrder>, RunError> {
    find_one(client, OrderRefField::B2bOrderNumber, &check.b2b_order_number).await
}

/// The preview's check for many orders at once (a job set): POs whose `b2bOrderNumber` is one of
/// these bare numbers, per batch of ≤ 100 (archived included).
pub(crate) async fn pos_seen_many<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    bare_numbers: impl IntoIterator<Item = String>,
) -> Result<Vec<LsOrder>, RunError> {
    let mut found = Vec::new();
    let numbers = bare_numbers.into_iter().filter(|n| !n.trim().is_empty());
    for batch in in_batches(numbers) {
        found.extend(client.list_all(&FindOrders::new(OrderRefField::B2bOrderNumber, batch)?).await?);
    }
    Ok(found)
}

/// The job's check before its first write: POs whose `refNum` is ours for the order or whose
/// `b2bOrderNumber` is the order's (archived included).
/// [`existing_po`](crate::export::markers::existing_po) picks among them.
pub(super) async fn pos_marking<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    check: &PoCheck,
) -> Result<Vec<LsOrder>, RunError> {
    // The two lookups are independent: both in flight at once.
    let (mut found, b2b) = futures::try_join!(
        find_one(client, OrderRefField::RefNum, &check.ref_num),
        find_one(client, OrderRefField::B2bOrderNumber, &check.b2b_order_number)
    )?;
    found.extend(b2b);
    Ok(found)
}

async fn find_one<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    field: OrderRefField,
    value: &str,
) -> Result<Vec<LsOrder>, RunError> {
    if value.trim().is_empty() {
        return Ok(Vec::new());
    }
    Ok(client.list_all(&FindOrders::new(field, vec![value.to_string()])?).await?)
}
