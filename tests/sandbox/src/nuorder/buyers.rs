//! The sandbox's buyers: the demo buyer (Sam Okafor of Juniper & Pine, who sees the whole fixture
//! corpus) and a second buyer at another retailer (Kim Lindqvist of Birch Row Outfitters) with
//! orders of its own, so tests can sign two different NuORDER buyers in. Each buyer sees only its
//! retailer's orders, as on NuORDER.

use super::corpus::{Corpus, StoredOrder};
use serde_json::{json, Value};

/// A NuORDER buyer account of the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Buyer {
    pub email: &'static str,
    pub password: &'static str,
    pub user_id: &'static str,
    pub name: &'static str,
    pub retailer_id: &'static str,
    pub retailer_name: &'static str,
    pub retailer_code: &'static str,
}

/// The demo buyer (the default everywhere).
pub const DEMO: Buyer = Buyer {
    email: "buyer@example.com",
    password: "sandbox",
    user_id: "64b2e0c9a1f3d5e7b9c1a2e1",
    name: "Sam Okafor",
    retailer_id: "64b2e0c9a1f3d5e7b9c1a2d3",
    retailer_name: "Juniper & Pine",
    retailer_code: "JP-001",
};

/// The second buyer, at another retailer.
pub const SECOND: Buyer = Buyer {
    email: "buyer2@example.com",
    password: "sandbox",
    user_id: "64b2e0c9a1f3d5e7b9c1b2e1",
    name: "Kim Lindqvist",
    retailer_id: "64b2e0c9a1f3d5e7b9c1b2d3",
    retailer_name: "Birch Row Outfitters",
    retailer_code: "BR-002",
};

pub const BUYERS: [Buyer; 2] = [DEMO, SECOND];

/// The second buyer's orders: copies of these fixture orders (by number) under new ids and numbers.
const SECOND_ORDERS: [(&str, &str, &str); 2] =
    [("40718821", "64b2e0c9a1f3d5e7b9c1b301", "51000001"), ("40718822", "64b2e0c9a1f3d5e7b9c1b302", "51000002")];

impl Buyer {
    /// The buyer with this e-mail (case-insensitive).
    pub fn by_email(email: &str) -> Option<Buyer> {
        BUYERS.into_iter().find(|b| b.email.eq_ignore_ascii_case(email.trim()))
    }

    /// The buyer whose credentials these are.
    pub fn signing_in(email: &str, password: &str) -> Option<Buyer> {
        Buyer::by_email(email).filter(|b| b.password == password)
    }

    pub fn is_demo(&self) -> bool {
        *self == DEMO
    }

    /// `GET /api/session/me` for this buyer.
    pub fn identity(&self) -> Value {
        json!({
            "user": {"_id": self.user_id, "name": self.name, "email": self.email, "type": "buyer"},
            "retailer": {"_id": self.retailer_id, "retailer_name": self.retailer_name, "retailer_code": self.retailer_code}
        })
    }

    /// What `/__sandbox/nuorder/corpus` says of this buyer (without its orders).
    pub fn summary(&self) -> Value {
        json!({"email": self.email, "password": self.password, "name": self.name,
            "retailer_id": self.retailer_id, "retailer_name": self.retailer_name})
    }
}

/// The second buyer's orders, built from the corpus (none when a template order is missing, as
/// with a custom `SANDBOX_NUORDER_FIXTURES`): its retailer, buyer, addresses and PO numbers.
pub fn second_buyer_orders(corpus: &Corpus) -> Vec<StoredOrder> {
    SECOND_ORDERS
        .iter()
        .filter_map(|(template, id, number)| {
            let t = corpus.orders.iter().find(|o| o.number() == *template)?;
            let mut doc = t.doc.clone();
            doc["_id"] = json!(id);
            doc["order_number"] = json!(number);
            doc["external_id"] = json!(format!("EXT-{number}"));
            doc["customer_po_number"] = json!(format!("BR-FW26-{}", &number[number.len() - 2..]));
            doc["creator_name"] = json!(SECOND.name);
            doc["retailer"] = json!({"_id": SECOND.retailer_id, "retailer_name": SECOND.retailer_name,
                "retailer_code": SECOND.retailer_code, "buyer_name": SECOND.name, "buyer_email": SECOND.email});
            let address = json!({"line_1": "7 Birch Row", "city": "Portland", "state": "ME", "zip": "04101",
                "country": "USA", "ref": "64b2e0c9a1f3d5e7b9c1b2d4"});
            doc["billing_address"] = address.clone();
            doc["shipping_address"] = address;
            Some(StoredOrder { brand_id: t.brand_id.clone(), doc })
        })
        .collect()
}
