//! "Which of these order numbers does Lightspeed already have a PO for", in `IN` batches, for the
//! badges on NuORDER's order list. The rule is [`marked_numbers`] (the same as the preview's and
//! the job's existing-PO check); [`OrdersIn`] is the one place the batch lookup is built.

use super::types::RunError;
use crate::export::codes::in_batches;
use crate::export::markers::{bare_number, marked_numbers, ref_num};
use crate::lightspeed::client::{LightspeedClient, TokenSource};
use crate::lightspeed::endpoints::Endpoint;
use crate::lightspeed::http::{Clock, HttpRequest, Method, Transport};
use crate::lightspeed::OrderId;
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
