//! Generated orders for benchmarks (`POST /__sandbox/nuorder/generate {brand_id, count}`): copies of
//! the brand's first fixture order with their own `_id`, order number and creation date, so a list
//! page can show 100+ rows. They live beside the fixture corpus until `POST /__sandbox/reset`.

use super::corpus::{Corpus, StoredOrder};
use serde_json::Value;

/// Most generated orders a sandbox holds.
pub const MAX_GENERATED: usize = 2000;

/// Order numbers of generated orders start here (no fixture uses this range).
pub const FIRST_NUMBER: u64 = 90_000_001;

/// `count` copies of `brand_id`'s first fixture order, numbered from `FIRST_NUMBER + already`.
/// `None` when the brand has no fixture order to copy.
pub fn generate(corpus: &Corpus, brand_id: &str, already: usize, count: usize) -> Option<Vec<StoredOrder>> {
    let template = corpus.orders.iter().find(|o| o.brand_id == brand_id)?;
    Some(
        (already..already + count)
            .map(|i| {
                let mut doc: Value = template.doc.clone();
                let n = FIRST_NUMBER + i as u64;
                doc["_id"] = Value::String(format!("{:024x}", 0x00be_0000_0000u64 + i as u64));
                doc["order_number"] = Value::String(n.to_string());
                doc["customer_po_number"] = Value::String(format!("GEN-{n}"));
                // One minute apart in February 2026: older than the fixture orders, which stay on top.
                let minutes = i % (24 * 60);
                let day = 1 + (i / (24 * 60)) % 28;
                let created = format!("2026-02-{day:02}T{:02}:{:02}:00.000Z", minutes / 60, minutes % 60);
                doc["created_on"] = Value::String(created.clone());
                doc["modified_on"] = Value::String(created);
                StoredOrder { brand_id: brand_id.to_string(), doc }
            })
            .collect(),
    )
}
