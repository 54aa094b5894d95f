//! The set's one read phase: every order's lookups merged ([`set_reads`]) and fetched once, then
//! one plan per order on the shared catalog ([`preview_set`]).

use crate::export::codes::{in_batches, CodeBatch, MAX_IN_VALUES};
use crate::export::journal::JournalStore;
use crate::export::markers::{bare_number, existing_po};
use crate::export::plan::{lookups_needed, plan_in, Lookups, PlanError, Read};
use crate::export::runner::exported::pos_seen_many;
use crate::export::runner::read::{fetch_reads, Fetched};
use crate::export::runner::{Preview, RunError, Staged};
use crate::lightspeed::client::{LightspeedClient, TokenSource};
use crate::lightspeed::http::{Clock, Transport};
use std::collections::BTreeSet;

/// The reads of several orders' [`Lookups`] (one round), merged: each vendor read once (by link,
/// seller uid, name: once per brand), and every item value of every order in shared `IN` batches of
/// at most [`MAX_IN_VALUES`] (ids, code forms, vendor numbers, manufacturer SKUs), deduplicated
/// and sorted. The existing-PO checks are left out: [`preview_set`] asks them in `IN` batches too.
pub fn set_reads<'a>(lookups: impl IntoIterator<Item = &'a Lookups>) -> Vec<Read> {
    let mut vendor_reads: Vec<Read> = Vec::new();
    let (mut ids, mut codes, mut numbers, mut skus) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for l in lookups {
        let one = Lookups { existing_po: None, ..l.clone() };
        for read in one.reads() {
            match read {
                Read::ItemsById(v) => ids.extend(v),
                Read::ItemsByCode(b) => codes.extend(b.values),
                Read::ItemsByVendorNumber(v) => numbers.extend(v),
                Read::ItemsByManufacturerSku(v) => skus.extend(v),
                other if !vendor_reads.contains(&other) => vendor_reads.push(other),
                _ => {}
            }
        }
    }
    let mut reads = vendor_reads;
    reads.extend(in_batches(ids).into_iter().map(Read::ItemsById));
    let codes: Vec<String> = codes.into_iter().collect();
    reads.extend(codes.chunks(MAX_IN_VALUES).map(|c| Read::ItemsByCode(CodeBatch { values: c.to_vec() })));
    reads.extend(in_batches(numbers).into_iter().map(Read::ItemsByVendorNumber));
    reads.extend(in_batches(skus).into_iter().map(Read::ItemsByManufacturerSku));
    reads
}

/// Read-only: the previews of several orders, read together (see [`set_reads`]; the existing-PO
/// checks in `b2bOrderNumber` `IN` batches; a second round for vanished links, merged too), each
/// planned on the shared catalog. One answer per order, in the given order: an order that cannot
/// be planned (no brand, cancelled in NuORDER, nothing to export) gets its [`PlanError`]. Writes
/// nothing.
pub async fn preview_set<T: Transport, C: Clock, S: TokenSource, J: JournalStore>(
    client: &LightspeedClient<T, C, S>,
    store: &J,
    account_id: &str,
    staged: &[Staged],
) -> Result<Vec<Result<Preview, PlanError>>, RunError> {
    let links = store.load_links(account_id).await.map_err(|e| RunError::Store(e.to_string()))?;
    let round1: Vec<Result<Lookups, PlanError>> =
        staged.iter().map(|s| lookups_needed(&s.order, &s.brand, &links)).collect();
    let mut fetched = Fetched::default();
    fetch_reads(client, set_reads(round1.iter().flatten()), &mut fetched).await?;
    let plannable = || staged.iter().zip(&round1).filter(|(_, l)| l.is_ok()).map(|(s, _)| s);
    let numbers = plannable().map(|s| bare_number(&s.order.order_number).to_string());
    fetched.orders.extend(pos_seen_many(client, numbers).await?);
    let round2: Vec<Lookups> =
        plannable().map(|s| Lookups::for_vanished_links(&s.order, &links, &fetched.catalog)).collect();
    fetch_reads(client, set_reads(&round2), &mut fetched).await?;
    Ok(staged
        .iter()
        .zip(round1)
        .map(|(s, l)| {
            l?;
            let products = (s.products.as_slice(), s.store_currency.as_ref());
            let plan = plan_in(&s.order, products, &s.brand, &links, &fetched.catalog)?;
            Ok(Preview { plan, existing_po: existing_po(&s.order.order_number, &fetched.orders) })
        })
        .collect())
}
