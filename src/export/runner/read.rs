//! The read phase: one executor fetches what the plan declared ([`Lookups`]) into a [`Catalog`],
//! then [`plan`] decides. Also the lookups a resumed job step makes (vendor by name, items a step
//! may have created, the existing-PO check).

use super::exported::pos_seen;
use super::types::{store_err, Preview, RunError, Staged, ITEM_RELATIONS};
use crate::export::codes::Code;
use crate::export::journal::JournalStore;
use crate::export::markers::existing_po;
use crate::export::plan::{lookups_needed, plan_in, Catalog, KnownItem, KnownVendor, Lookups, Read};
use crate::lightspeed::client::{LightspeedClient, TokenSource};
use crate::lightspeed::endpoints::{Archived, GetVendor, ItemInField, ListItemsByCodes, ListItemsIn, ListVendors};
use crate::lightspeed::http::{Clock, Transport};
use crate::lightspeed::{Item, Order as LsOrder, Vendor, VendorId};
use futures::stream::{self, StreamExt, TryStreamExt};

/// How many reads of one round are in flight at once (as many as a wave of creates,
/// [`crate::export::journal::WAVE_MAX`]). The client's pacer decides when each one goes.
pub const READ_CONCURRENCY: usize = crate::export::journal::WAVE_MAX;

/// What one [`Read`] found.
enum Found {
    Vendors(Vec<Vendor>),
    Items(Vec<Item>),
    Orders(Vec<LsOrder>),
}

/// What the reads found so far: the catalog the plan decides on, and the POs of the
/// existing-PO check.
#[derive(Default)]
pub(crate) struct Fetched {
    pub(crate) catalog: Catalog,
    pub(crate) orders: Vec<LsOrder>,
}

impl Fetched {
    fn add(&mut self, found: Found) {
        match found {
            Found::Vendors(v) => self.catalog.add_vendors(&v),
            Found::Items(i) => self.catalog.add_items(&i),
            Found::Orders(o) => self.orders.extend(o),
        }
    }
}

/// The one executor: every read of one round, at most [`READ_CONCURRENCY`] at once (a round's
/// reads are independent), folded into `into` in declared order so the catalog does not depend
/// on which answer came first.
async fn fetch<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    lookups: &Lookups,
    into: &mut Fetched,
) -> Result<(), RunError> {
    fetch_reads(client, lookups.reads(), into).await
}

/// The executor over any list of independent reads (a job set's merged reads).
pub(crate) async fn fetch_reads<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    reads: Vec<Read>,
    into: &mut Fetched,
) -> Result<(), RunError> {
    let found: Vec<Found> = stream::iter(reads)
        .map(|read| async move { read_one(client, &read).await })
        .buffered(READ_CONCURRENCY)
        .try_collect()
        .await?;
    found.into_iter().for_each(|f| into.add(f));
    Ok(())
}

async fn read_one<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    read: &Read,
) -> Result<Found, RunError> {
    Ok(match read {
        Read::VendorById(id) => match client.one(&GetVendor(*id)).await {
            Ok(v) => Found::Vendors(vec![v]),
            Err(e) if e.is_not_found() => Found::Vendors(Vec::new()),
            Err(e) => return Err(e.into()),
        },
        Read::VendorsBySellerUid(uid) => {
            let ep = ListVendors { name: None, b2b_seller_uid: Some(uid.clone()), archived: Archived::Include };
            Found::Vendors(client.list_all(&ep).await?)
        }
        Read::VendorsByName(name) => Found::Vendors(vendors_named(client, name).await?),
        Read::ExistingPo(check) => Found::Orders(pos_seen(client, check).await?),
        Read::ItemsById(ids) => {
            let mut ep = ListItemsIn::ids(ids.iter().copied())?;
            ep.load_relations = ITEM_RELATIONS.to_vec();
            Found::Items(client.list_all(&ep).await?)
        }
        Read::ItemsByCode(batch) => Found::Items(items_by_codes(client, batch.values.clone()).await?),
        Read::ItemsByVendorNumber(v) => Found::Items(items_in(client, ItemInField::VendorNumber, v.clone()).await?),
        Read::ItemsByManufacturerSku(v) => {
            Found::Items(items_in(client, ItemInField::ManufacturerSku, v.clone()).await?)
        }
    })
}

/// Read-only: fetches what the plan declares (two rounds, see [`Lookups`]) and plans; the
/// existing-PO check is one of the reads. Writes nothing (not even links).
pub async fn preview<T: Transport, C: Clock, S: TokenSource, J: JournalStore>(
    client: &LightspeedClient<T, C, S>,
    store: &J,
    account_id: &str,
    staged: &Staged,
) -> Result<Preview, RunError> {
    let links = store.load_links(account_id).await.map_err(store_err)?;
    let order = &staged.order;
    let mut fetched = Fetched::default();
    fetch(client, &lookups_needed(order, &staged.brand, &links)?, &mut fetched).await?;
    // Round 2 needs round 1's linked items (empty, so no reads, when every link is healthy).
    fetch(client, &Lookups::for_vanished_links(order, &links, &fetched.catalog), &mut fetched).await?;
    let products = (staged.products.as_slice(), staged.store_currency.as_ref());
    let plan = plan_in(order, products, &staged.brand, &links, &fetched.catalog)?;
    Ok(Preview { plan, existing_po: existing_po(&order.order_number, &fetched.orders) })
}

async fn items_in<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    field: ItemInField,
    values: Vec<String>,
) -> Result<Vec<Item>, RunError> {
    let mut ep = ListItemsIn::new(field, values)?;
    ep.load_relations = ITEM_RELATIONS.to_vec();
    Ok(client.list_all(&ep).await?)
}

/// `Item.json?itemCode=IN,[…]`: the codes in `upc` or `ean` (see [`crate::export::codes`]).
async fn items_by_codes<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    values: Vec<String>,
) -> Result<Vec<Item>, RunError> {
    let mut ep = ListItemsByCodes::in_either_field(values)?;
    ep.load_relations = ITEM_RELATIONS.to_vec();
    Ok(client.list_all(&ep).await?)
}

/// `Vendor.json?name=…`, archived included.
pub(super) async fn vendors_named<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    name: &str,
) -> Result<Vec<Vendor>, RunError> {
    let ep = ListVendors { name: Some(name.to_string()), b2b_seller_uid: None, archived: Archived::Include };
    Ok(client.list_all(&ep).await?)
}

/// The same, as matching sees vendors.
pub(super) async fn known_vendors_named<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    name: &str,
) -> Result<Vec<KnownVendor>, RunError> {
    Ok(vendors_named(client, name).await?.iter().map(KnownVendor::from).collect())
}

/// Items a resumed item step may have created: by every form of its code in `upc` or `ean`;
/// else by vendor number and by manufacturer SKU.
pub(super) async fn find_item_candidates<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    code: Option<&Code>,
    vendor_number: &Option<(VendorId, String)>,
    manufacturer_sku: &str,
) -> Result<Vec<KnownItem>, RunError> {
    let mut items: Vec<Item> = Vec::new();
    match code {
        Some(c) => items.extend(items_by_codes(client, c.query_forms()).await?),
        None => {
            if let Some((_, v)) = vendor_number {
                items.extend(items_in(client, ItemInField::VendorNumber, vec![v.clone()]).await?);
            }
            if !manufacturer_sku.trim().is_empty() {
                items.extend(items_in(client, ItemInField::ManufacturerSku, vec![manufacturer_sku.to_string()]).await?);
            }
        }
    }
    let mut catalog = Catalog::default();
    catalog.add_items(&items);
    Ok(catalog.items)
}
