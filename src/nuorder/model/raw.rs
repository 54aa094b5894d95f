//! Step 1: the documents as NuORDER sends them. Serde structs that ignore unknown fields, keep
//! leaves as [`Scalar`] and treat missing, `null` and `""` alike for optional values.

use crate::core::scalar::Scalar;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// Deserializes an optional object that may also arrive as `null` or `""` (both mean "none").
fn opt_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object, null or an empty string")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            if v.trim().is_empty() {
                Ok(None)
            } else {
                Err(E::invalid_type(de::Unexpected::Str(v), &self))
            }
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

/// Display text (`retail_string`): its text or number, and nothing for anything else (an object, a
/// list, a boolean): a display string never refuses an order.
fn opt_shown<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Scalar>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<Scalar>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("display text")
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(Scalar::Text(v.to_string())))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(Scalar::UInt(v)))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(Scalar::Int(v)))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(Scalar::Float(v)))
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<de::IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }
    d.deserialize_any(V)
}

/// An order document as NuORDER sends it. Unknown fields are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawOrder {
    #[serde(rename = "_id")]
    pub id: Option<Scalar>,
    pub order_number: Option<Scalar>,
    pub status: Option<Scalar>,
    pub currency_code: Option<Scalar>,
    pub customer_po_number: Option<Scalar>,
    pub rep_name: Option<Scalar>,
    pub rep_code: Option<Scalar>,
    pub rep_email: Option<Scalar>,
    #[serde(deserialize_with = "opt_object")]
    pub retailer: Option<RawRetailer>,
    #[serde(deserialize_with = "opt_object")]
    pub shipping_address: Option<RawAddress>,
    pub start_ship: Option<Scalar>,
    pub end_ship: Option<Scalar>,
    pub created_on: Option<Scalar>,
    /// Order-level discount, in percent.
    pub discount: Option<Scalar>,
    #[serde(deserialize_with = "opt_object")]
    pub order_discounts: Option<RawOrderDiscounts>,
    pub total: Option<Scalar>,
    #[serde(rename = "__brand_name")]
    pub brand_name: Option<Scalar>,
    pub notes: Option<Scalar>,
    pub line_items: Option<Vec<RawLineItem>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawRetailer {
    #[serde(rename = "_id")]
    pub id: Option<Scalar>,
    pub retailer_name: Option<Scalar>,
    pub retailer_code: Option<Scalar>,
    pub buyer_name: Option<Scalar>,
    pub buyer_email: Option<Scalar>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawAddress {
    pub display_name: Option<Scalar>,
    pub line_1: Option<Scalar>,
    pub line_2: Option<Scalar>,
    pub city: Option<Scalar>,
    pub state: Option<Scalar>,
    pub zip: Option<Scalar>,
    pub country: Option<Scalar>,
}

/// `order_discounts`: NuORDER sends these amounts as strings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawOrderDiscounts {
    pub shipping_final_amount: Option<Scalar>,
    pub surcharge: Option<Scalar>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawLineItem {
    #[serde(deserialize_with = "opt_object")]
    pub product: Option<RawLineProduct>,
    pub sizes: Option<Vec<RawSize>>,
    #[serde(deserialize_with = "opt_shown")]
    pub retail_string: Option<Scalar>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawLineProduct {
    #[serde(rename = "_id")]
    pub id: Option<Scalar>,
    pub style_number: Option<Scalar>,
    pub color: Option<Scalar>,
    pub season: Option<Scalar>,
    pub brand_id: Option<Scalar>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawSize {
    pub size: Option<Scalar>,
    pub upc: Option<Scalar>,
    pub quantity: Option<Scalar>,
    pub price: Option<Scalar>,
    pub price_precise: Option<Scalar>,
    pub original_price: Option<Scalar>,
    pub units_per_pack: Option<Scalar>,
}

/// A product document as NuORDER sends it (`GET /api/product/{_id}`). Unknown fields are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawProduct {
    #[serde(rename = "_id")]
    pub id: Option<Scalar>,
    pub name: Option<Scalar>,
    pub style_number: Option<Scalar>,
    pub color: Option<Scalar>,
    pub season: Option<Scalar>,
    pub brand_id: Option<Scalar>,
    #[serde(deserialize_with = "opt_object")]
    pub pricing: Option<BTreeMap<String, RawPricing>>,
    pub sizes: Option<Vec<RawProductSize>>,
}

/// One currency's prices: `pricing.USD = {wholesale, retail, disabled}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawPricing {
    pub wholesale: Option<Scalar>,
    pub retail: Option<Scalar>,
    pub disabled: Option<Scalar>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawProductSize {
    pub size: Option<Scalar>,
    pub upc: Option<Scalar>,
    pub ean: Option<Scalar>,
    #[serde(deserialize_with = "opt_object")]
    pub pricing: Option<BTreeMap<String, RawPricing>>,
}
