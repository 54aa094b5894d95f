//! The browser reads a Lightspeed body as a `serde_json::Value` and its records and one-or-many
//! collections from it (`Envelope::from_value`, `wire::many_values`, `wire::wrapped_values`: one
//! decoder per model in the wasm, issue 17); natively the visitors of `Envelope`'s `Deserialize`,
//! `de_one_or_many` and `de_wrapped` read the text and keep the JSON path of a failure. Both must
//! read every shape alike.

#[path = "support/recordings.rs"]
mod recordings;

use po_bridge::lightspeed::wire::{de_one_or_many, de_wrapped, each, many_values, wrapped_values, Record};
use po_bridge::lightspeed::*;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use std::fmt::Debug;
use std::path::Path;

fn both_alike<T: Record + DeserializeOwned + PartialEq + Debug>(body: &Value) {
    let native = serde_json::from_str::<Envelope<T>>(&body.to_string());
    let browser = Envelope::<T>::from_value(body.clone());
    match (native, browser) {
        (Ok(n), Ok(b)) => assert_eq!(n, b),
        (Err(_), Err(_)) => {}
        (n, b) => panic!("the text read {n:?}, the value read {b:?}: {body}"),
    }
}

#[test]
fn every_recorded_body_reads_the_same_from_a_value() {
    let Some(dir) =
        recordings::real_responses(Path::new(env!("CARGO_MANIFEST_DIR")), "lightspeed-2016", "bodies as values")
    else {
        return;
    };
    let body = |name: &str| {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap();
        v["response"]["body"].clone()
    };
    for name in
        ["items-index.json", "items-show-0.json", "items-show-1.json", "items-archive-0.json", "items-create.json"]
    {
        both_alike::<Item>(&body(name));
    }
    both_alike::<ItemMatrix>(&body("ItemMatrix-show.json"));
    both_alike::<ItemAttributeSet>(&body("ItemAttributeSet-index.json"));
    for name in ["vendors-index.json", "vendors-show-0.json", "vendors-show-1.json", "vendors-create.json"] {
        both_alike::<Vendor>(&body(name));
    }
    both_alike::<Order>(&body("orders-index.json"));
    both_alike::<Order>(&body("orders-show.json"));
    both_alike::<Shop>(&body("shops-show.json"));
}

#[test]
fn envelopes_of_every_shape_read_the_same_from_a_value() {
    let shop = json!({"shopID": "1", "name": "Main"});
    for body in [
        json!({"@attributes": {"count": "2"}, "Shop": [shop, shop]}),
        json!({"@attributes": {"count": "1", "next": ""}, "Shop": shop}),
        json!({"@attributes": {"count": "0"}}),
        json!({"Shop": ""}),
        json!({"Shop": null, "other": [1, 2]}),
        json!({"Shop": "x"}),
        json!({"Shop": 4}),
        json!({"Shop": {"shopID": "one"}}),
        json!({"@attributes": null, "Shop": shop}),
        json!([shop]),
        json!("Shop"),
    ] {
        both_alike::<Shop>(&body);
    }
}

#[derive(Debug, PartialEq, Deserialize)]
struct Row {
    n: u64,
}

impl Record for Row {
    const KEY: &'static str = "Row";
}

#[derive(Debug, PartialEq, Deserialize)]
struct Holder {
    #[serde(default, deserialize_with = "de_wrapped")]
    wrapped: Vec<Row>,
    #[serde(default, deserialize_with = "de_one_or_many")]
    many: Vec<Row>,
}

#[test]
fn collections_of_every_shape_read_the_same_from_a_value() {
    let shapes = [
        json!([{"n": 1}, {"n": 2}]),
        json!({"n": 1}),
        json!(""),
        json!(null),
        json!("x"),
        json!(3),
        json!(true),
        json!([{"n": "one"}]),
        json!([null]),
    ];
    for shape in shapes.iter().chain([json!({"Row": [{"n": 1}], "other": 2}), json!({"other": 2})].iter()) {
        let native = serde_json::from_value::<Holder>(json!({"wrapped": shape}));
        let browser = wrapped_values(shape.clone(), Row::KEY).and_then(each::<Row>);
        match (native, browser) {
            (Ok(n), Ok(b)) => assert_eq!(n.wrapped, b, "{shape}"),
            (Err(_), Err(_)) => {}
            (n, b) => panic!("wrapped {shape}: the visitor read {n:?}, the value read {b:?}"),
        }
        let native = serde_json::from_value::<Holder>(json!({"many": shape}));
        let browser = many_values(shape.clone()).and_then(each::<Row>);
        match (native, browser) {
            (Ok(n), Ok(b)) => assert_eq!(n.many, b, "{shape}"),
            (Err(_), Err(_)) => {}
            (n, b) => panic!("one or many {shape}: the visitor read {n:?}, the value read {b:?}"),
        }
    }
}

#[test]
fn the_browser_reads_records_from_objects_only() {
    // serde's derive also reads a struct from an array in field order; Lightspeed never sends one,
    // and the browser's deserializer (`objects::Objects`) leaves that form out of the wasm.
    let as_array = json!({"Shop": [["1", "Main"]]});
    assert!(Envelope::<Shop>::from_value(as_array).is_err());
    let e = Envelope::<Shop>::from_value(json!({"@attributes": [], "Shop": []})).unwrap_err().to_string();
    assert!(e.contains("invalid type: sequence"), "{e}");
    let shops = Envelope::<Shop>::from_value(json!({"Shop": {"shopID": "2", "name": "Main", "Contact": {}}})).unwrap();
    assert_eq!(shops.records.len(), 1);
}
