//! The PO-marker lookups, in one place: for one order ([`pos_marking`]: the preview's and the
//! job's existing-PO check, through the typed `ListOrders`), and for many ([`exported_orders`]:
//! the badges on NuORDER's order list, in `IN` batches built only by [`OrdersIn`]). Both decide
//! with the one rule of [`crate::export::markers`].

use super::types::RunError;
use crate::export::codes::in_batches;
use crate::export::markers::{bare_number, marked_numbers, ref_num};
use crate::export::plan::PoCheck;
use crate::lightspeed::client::{LightspeedClient, TokenSource};
use crate::lightspeed::endpoints::{Endpoint, ListOrders};
use crate::lightspeed::http::{Clock, HttpRequest, Method, Transport};
use crate::lightspeed::{Order as LsOrder, OrderId};
use std::collections::BTreeMap;

/// Which of these NuORDER order numbers Lightspeed already has a PO for (our `refNum`
/// `NuORDER <n>`, or the first-party `b2bOrderNumber` = n; archived included), in `IN` batches of
/// ≤ 100 values: order number (as given) → PO id (the lowest when several).
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
        for ep in OrdersIn::markers(&batch) {
            for o in client.list_all(&ep).await? {
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

/// POs that may mark the order exported (either marker, archived included): one `or=` query,
/// or two when a value cannot ride in `or=`. [`existing_po`](crate::export::markers::existing_po)
/// picks among them.
pub(super) async fn pos_marking<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    check: &PoCheck,
) -> Result<Vec<LsOrder>, RunError> {
    let (ref_num, b2b) = (check.ref_num.as_str(), check.b2b_order_number.as_str());
    Ok(match ListOrders::by_either(ref_num, b2b) {
        Ok(ep) => client.list_all(&ep).await?,
        Err(_) => {
            let mut all = client.list_all(&ListOrders::by_ref_num(ref_num)).await?;
            all.extend(client.list_all(&ListOrders::by_b2b_order_number(b2b)).await?);
            all
        }
    })
}

/// `GET Order.json?{refNum|b2bOrderNumber}=IN,[…]&archived=true` (≤ 100 values).
struct OrdersIn {
    field: &'static str,
    values: Vec<String>,
}

impl OrdersIn {
    /// Both markers of a batch of bare order numbers: `refNum` (`NuORDER <n>`) and
    /// `b2bOrderNumber` (`n`).
    fn markers(batch: &[String]) -> [OrdersIn; 2] {
        [
            OrdersIn { field: "refNum", values: batch.iter().map(|b| ref_num(b)).collect() },
            OrdersIn { field: "b2bOrderNumber", values: batch.to_vec() },
        ]
    }
}

impl Endpoint for OrdersIn {
    type Record = crate::lightspeed::Order;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let list = serde_json::to_string(&self.values).expect("strings serialize");
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair(self.field, &format!("IN,{list}"));
        q.append_pair("archived", "true");
        let url = format!(
            "{}/API/V3/Account/{account_id}/Order.json?{}",
            api_base.trim_end_matches('/'),
            q.finish().replace('+', "%20")
        );
        HttpRequest::new(Method::Get, url).with_header("Accept", "application/json")
    }
}
