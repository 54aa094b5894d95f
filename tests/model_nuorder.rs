//! The NuORDER order and product model against the real recorded order, the fixture corpus, a table
//! of invalid inputs (each refused with its field named) and generated JSON.

#[path = "support/recordings.rs"]
mod recordings;

use po_bridge::export::codes::Code;
use po_bridge::nuorder::model::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The recorded real order, or `None` in a clone without `../shared` (outside CI).
fn real_order_path() -> Option<PathBuf> {
    let sub = "nuorder/processed-order-2023.json";
    recordings::real_responses(manifest(), sub, "the recorded real NuORDER order")
}

fn money(s: &str) -> Money {
    Money::parse(s).unwrap()
}

// ------------------------------------------------------------------------------------------------
// The real order
// ------------------------------------------------------------------------------------------------

#[test]
fn the_real_2023_order_parses() {
    let Some(path) = real_order_path() else { return };
    let text = std::fs::read_to_string(path).expect("the real order is read in place from ../shared");
    let order = parse_order(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(order.id, "65089de8ce0aac042cc47b32");
    assert_eq!(order.order_number, "131803493");
    assert_eq!(order.status, Some(OrderStatus::Processed));
    assert_eq!(order.currency.as_str(), "USD");
    assert_eq!(order.customer_po, None, "an empty customer PO is no PO");
    assert_eq!(order.brand_name, None, "the real order has no __brand_name");
    assert_eq!(order.rep.name.as_deref(), Some("Rep Example"));
    assert_eq!(order.rep.code, None);
    assert_eq!(order.retailer.as_ref().and_then(|r| r.name.as_deref()), Some("Example Gourmet"));
    assert_eq!(order.shipping_address.as_ref().and_then(|a| a.city.as_deref()), Some("Tyler"));
    assert_eq!(order.start_ship.as_ref().map(Timestamp::date), Some("2023-09-18"));
    assert_eq!(order.end_ship.as_ref().map(Timestamp::date), Some("2023-12-20"));
    assert_eq!(order.created_on.as_ref().map(Timestamp::date), Some("2023-09-18"));
    assert_eq!(order.discount, Percent::ZERO);
    assert_eq!(order.shipping, Some(Money::ZERO), "order_discounts amounts arrive as strings");
    assert_eq!(order.surcharge, Some(Money::ZERO));
    assert_eq!(order.lines.len(), 8);
    assert_eq!(order.total_units(), 24);
    let first = &order.lines[0];
    assert_eq!(first.product.id, "64229ea416f63f19d7ca3ed0");
    assert_eq!(first.product.style_number, "4156301-4");
    assert_eq!(first.product.color.as_deref(), Some("TURQUOISE, RED"), "commas inside a value");
    assert_eq!(first.product.season.as_deref(), Some("F22"));
    assert_eq!(first.product.brand_id, None, "the real order's products carry no brand_id");
    assert_eq!(first.sizes[0].size.as_deref(), Some("20x20 Set 4"));
    assert_eq!(first.sizes[0].upc.as_deref(), Some("844277082457"));
    assert_eq!(first.sizes[0].quantity, 3);
    assert_eq!(first.sizes[0].price, money("28"));
    assert_eq!(first.sizes[0].original_price, money("28"));
    assert_eq!(first.sizes[0].units_per_pack, 1);
    assert_eq!(first.retail_shown, Some(money("45")), "the line's retail_string, $45.00");
    let last = &order.lines[7];
    assert_eq!(last.retail_shown, Some(money("56")));
    assert_eq!(last.product.style_number, "4281301-4");
    assert_eq!(last.sizes[0].upc, None, "style 4281301-4 has no upc");
    // The same document handed over as a JSON value (as from the content script) gives the same order.
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parse_order_value(&value).unwrap(), order);
}

// ------------------------------------------------------------------------------------------------
// The fixture corpus (tests/fixtures/nuorder), whatever it holds at test time
// ------------------------------------------------------------------------------------------------

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// What a fixture file holds, decided from its content: an order document is an object with
/// `line_items` or `order_number`; a products file is an array of objects with `_id` and `pricing`
/// or `sizes`, or is named `products*.json`; anything else (e.g. `brands.json`) is not ours.
enum FixtureKind {
    Order,
    Products,
    Other,
}

fn classify(path: &Path, value: &Value) -> FixtureKind {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    match value {
        Value::Object(o) if o.contains_key("line_items") || o.contains_key("order_number") => FixtureKind::Order,
        Value::Array(items)
            if name.starts_with("products")
                || (!items.is_empty()
                    && items.iter().all(|p| {
                        p.get("_id").is_some() && (p.get("pricing").is_some() || p.get("sizes").is_some())
                    })) =>
        {
            FixtureKind::Products
        }
        _ => FixtureKind::Other,
    }
}

/// A fixture that says it is invalid (`__fixture_purpose` starting with "invalid" or
/// `__fixture_expect: "invalid"`) must be refused; every other one must parse.
fn expects_refusal(value: &Value) -> bool {
    let purpose = value.get("__fixture_purpose").and_then(Value::as_str).unwrap_or_default();
    purpose.trim_start().to_ascii_lowercase().starts_with("invalid")
        || value.get("__fixture_expect").and_then(Value::as_str) == Some("invalid")
}

#[test]
fn every_fixture_order_and_products_file_loads() {
    let root = manifest().join("tests/fixtures/nuorder");
    let mut files = Vec::new();
    json_files(&root, &mut files);
    files.sort();
    let (mut orders, mut refused, mut products) = (0, 0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match classify(path, &value) {
            FixtureKind::Order => {
                let result = parse_order(&text);
                match (expects_refusal(&value), result) {
                    (false, Ok(order)) => {
                        orders += 1;
                        assert!(!order.lines.is_empty());
                        assert_eq!(parse_order_value(&value).as_ref(), Ok(&order), "{}", path.display());
                    }
                    (true, Err(e)) => {
                        refused += 1;
                        assert!(e.field().is_some() || !matches!(e, ModelError::InvalidOrder { .. }), "{e}");
                    }
                    (false, Err(e)) => failures.push(format!("{}: {e}", path.display())),
                    (true, Ok(_)) => failures.push(format!("{}: parsed, but says it is invalid", path.display())),
                }
            }
            FixtureKind::Products => match parse_products(&text) {
                Ok(list) => {
                    products += list.len();
                    assert!(list.iter().all(|p| !p.id.is_empty()));
                }
                Err(e) => failures.push(format!("{}: {e}", path.display())),
            },
            FixtureKind::Other => {}
        }
    }
    assert!(failures.is_empty(), "fixtures that do not load:\n{}", failures.join("\n"));
    assert!(orders >= 10, "expected the corpus's ten or more orders, found {orders} (refused as intended: {refused})");
    assert!(products > 0, "expected a products file in {}", root.display());
}

fn fixture(name: &str) -> Order {
    let text = std::fs::read_to_string(manifest().join("tests/fixtures/nuorder/orders").join(name)).unwrap();
    parse_order(&text).unwrap()
}

#[test]
fn fixture_specifics_survive_parsing() {
    // HTML, quotes, emoji and accents are data: kept byte for byte.
    let hostile = fixture("h07-hostile-text-cad.json");
    assert_eq!(hostile.currency.as_str(), "CAD");
    let retailer = hostile.retailer.as_ref().unwrap();
    assert_eq!(retailer.name.as_deref(), Some("Jüniper & Piñe \"Flagship\" <img src=x onerror=alert(1)> 🌲"));
    assert!(hostile.notes.as_deref().unwrap().starts_with("</script><script>"));
    assert_eq!(hostile.lines[0].product.style_number, "TOTE-\"XL\"");
    // Prepacks.
    let packs = fixture("h03-prepacks.json");
    assert!(packs.size_rows().any(|(_, s)| s.units_per_pack > 1));
    assert!(packs.total_units() > packs.size_rows().map(|(_, s)| u64::from(s.quantity)).sum::<u64>());
    // Discount, surcharge, shipping; a line discount (price < original price).
    let disc = fixture("h04-discount-surcharge-shipping.json");
    assert_eq!(disc.discount, Percent::parse("10").unwrap());
    assert_eq!(disc.shipping, Some(money("25")));
    assert_eq!(disc.surcharge, Some(money("11.91")));
    assert!(disc.size_rows().any(|(_, s)| s.price < s.original_price));
    // Large order.
    assert!(fixture("h06-large-320-sizes.json").size_rows().count() >= 300);
    assert_eq!(fixture("h05-cancelled.json").status, Some(OrderStatus::Cancelled));
    // Leading zeros are kept as sent.
    assert!(fixture("m02-leading-zero-upcs.json")
        .size_rows()
        .any(|(_, s)| s.upc.as_deref().is_some_and(|u| u.starts_with('0'))));
    assert_eq!(fixture("m02-leading-zero-upcs.json").brand_name, None);
    // Missing UPC, "N/A", quantity 0.
    let gaps = fixture("h02-two-colors-missing-upcs.json");
    assert!(gaps.size_rows().any(|(_, s)| s.upc.is_none()));
    assert!(gaps.size_rows().any(|(_, s)| s.upc.as_deref() == Some("N/A")));
    assert!(gaps.size_rows().any(|(_, s)| s.quantity == 0));
}

#[test]
fn fixture_products_give_prices_per_currency() {
    let text = std::fs::read_to_string(manifest().join("tests/fixtures/nuorder/products.json")).unwrap();
    let products = parse_products(&text).unwrap();
    let usd = CurrencyCode::parse("USD").unwrap();
    let tote = products.iter().find(|p| p.style_number.as_deref() == Some("TOTE-22")).unwrap();
    assert_eq!(tote.name.as_deref(), Some("Harbor Canvas Tote"));
    assert_eq!(tote.retail(&usd), Some(money("42")));
    assert_eq!(tote.wholesale(&usd), Some(money("18")));
    assert_eq!(tote.sizes[0].upc.as_deref(), Some("812345001013"));
    assert!(products.iter().any(|p| p.pricing.len() > 1), "some products are priced in two currencies");
}

// ------------------------------------------------------------------------------------------------
// Table: each invalid input refused, with its field named
// ------------------------------------------------------------------------------------------------

/// A valid order exercising the tolerated shapes: string numbers, a numeric UPC, prepacks, a
/// sub-cent price, unknown fields.
fn base_order() -> Value {
    json!({
        "_id": "6f3a9c21d4e5b60718293a4b",
        "order_number": "40718822",
        "status": "approved",
        "currency_code": "USD",
        "customer_po_number": "JP-FW26-03",
        "discount": 5,
        "notes": "Ship complete",
        "start_ship": "2026-08-20T00:00:00.000Z",
        "end_ship": "2026-09-15T00:00:00.000Z",
        "created_on": "2026-06-01T10:00:00.000Z",
        "rep_name": "Dana Ruiz",
        "__brand_name": "Harbor Goods",
        "__some_rollup": {"nested": [1, 2, {"x": null}]},
        "retailer": {"_id": "64b2e0c9a1f3d5e7b9c1a2d3", "retailer_name": "Juniper & Pine", "buyer_name": "Sam Okafor"},
        "shipping_address": {"line_1": "48 Orchard St", "city": "Burlington", "state": "VT", "zip": "05401", "country": "USA"},
        "order_discounts": {"original_total": "396", "surcharge": "0", "shipping_final_amount": "12.50", "applied": []},
        "line_items": [
            {
                "product": {"_id": "6512ab34cd56ef7890a1b2c3", "style_number": "TOTE-22", "color": "NAVY", "season": "FW26", "brand_id": "TOTE-22-NVY"},
                "retail_string": "$42.00",
                "sizes": [{"size": "OS", "quantity": 12, "price": 18, "original_price": 18, "upc": "012345678905"}]
            },
            {
                "product": {"_id": "6512ab34cd56ef7890a1b2c4", "style_number": "SCARF-07", "color": "RUST", "season": "FW26", "brand_id": "SCARF-07-RST"},
                "sizes": [
                    {"size": "S/M", "quantity": "6", "price": "15.00", "original_price": "15", "upc": "012345678912"},
                    {"size": "L/XL", "quantity": 6, "price": 15}
                ]
            },
            {
                "product": {"_id": "6512ab34cd56ef7890a1b2c5", "style_number": "SOCK-3", "season": "FW26"},
                "sizes": [{"size": "M", "quantity": 2, "price": "18.375", "original_price": 18.375, "upc": 12345678905u64, "units_per_pack": 6}]
            }
        ]
    })
}

/// Sets the value at `pointer`, adding the key when the parent object lacks it.
fn set(v: &mut Value, pointer: &str, new: Value) {
    if let Some(slot) = v.pointer_mut(pointer) {
        *slot = new;
        return;
    }
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    v.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no {parent}"))
        .insert(key.to_string(), new);
}

fn remove(v: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    v.pointer_mut(parent).unwrap().as_object_mut().unwrap().remove(key).unwrap_or_else(|| panic!("no {pointer}"));
}

fn refused(v: &Value) -> ModelError {
    let text = serde_json::to_string(v).unwrap();
    let err = parse_order(&text).expect_err("should be refused");
    // The text and value entry points agree.
    assert_eq!(parse_order_value(v).expect_err("value form refused too"), err);
    err
}

#[test]
fn the_base_order_parses_with_its_tolerated_shapes() {
    let order = parse_order_value(&base_order()).unwrap();
    assert_eq!(order.shipping, Some(money("12.5")));
    assert_eq!(order.discount, Percent::parse("5").unwrap());
    assert_eq!(order.lines[1].sizes[0].quantity, 6, "quantity sent as a string");
    assert_eq!(order.lines[1].sizes[0].price, money("15"));
    assert_eq!(order.lines[1].sizes[1].original_price, money("15"), "original_price defaults to price");
    assert_eq!(order.lines[1].sizes[1].upc, None);
    let sock = &order.lines[2];
    assert_eq!(sock.product.color, None);
    assert_eq!(sock.product.brand_id, None);
    assert_eq!(sock.sizes[0].upc.as_deref(), Some("12345678905"), "a numeric UPC is kept as its digits");
    assert_eq!(sock.sizes[0].price.micros(), 18_375_000, "sub-cent price kept exactly");
    assert_eq!(sock.sizes[0].original_price.micros(), 18_375_000);
    assert_eq!(sock.sizes[0].units(), 12);
    assert_eq!(order.total_units(), 12 + 6 + 6 + 12);
}

#[test]
fn whitespace_around_a_upc_is_not_part_of_it() {
    // A spreadsheet's trailing CR, a tab or a non-breaking space around the code: the order reads
    // (the UPC kept as sent), and its code is the digits (a control character inside it is still
    // refused, below).
    for raw in ["012345678905\r", "\t012345678905", "\u{a0}012345678905 \r\n"] {
        let mut v = base_order();
        set(&mut v, "/line_items/0/sizes/0/upc", json!(raw));
        let order = parse_order_value(&v).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
        let upc = order.lines[0].sizes[0].upc.as_deref();
        assert_eq!(upc, Some(raw), "{raw:?}");
        assert_eq!(Code::parse_opt(upc).map(|c| c.digits().to_string()).as_deref(), Some("012345678905"), "{raw:?}");
    }
    let mut blank = base_order();
    set(&mut blank, "/line_items/0/sizes/0/upc", json!(" \r\n"));
    assert_eq!(parse_order_value(&blank).unwrap().lines[0].sizes[0].upc, None, "only whitespace: no code");
}

type ReasonCheck = fn(&Reason) -> bool;
type Mutation = Box<dyn Fn(&mut Value)>;
/// (what, how to break the base document, the field the error must name, the reason it must give)
type RefusalCase = (&'static str, Mutation, &'static str, ReasonCheck);

fn refusals_1() -> Vec<RefusalCase> {
    let long = "x".repeat(MAX_TEXT_CHARS + 1);
    vec![
        ("missing order number", Box::new(|v| remove(v, "/order_number")), "order_number", |r| *r == Reason::Missing),
        ("null order number", Box::new(|v| set(v, "/order_number", Value::Null)), "order_number", |r| {
            *r == Reason::Missing
        }),
        ("empty order number", Box::new(|v| set(v, "/order_number", json!(""))), "order_number", |r| {
            *r == Reason::Empty
        }),
        ("blank order number", Box::new(|v| set(v, "/order_number", json!("   "))), "order_number", |r| {
            *r == Reason::Empty
        }),
        ("object order number", Box::new(|v| set(v, "/order_number", json!({"n": 1}))), "order_number", |r| {
            matches!(r, Reason::WrongType { .. })
        }),
        ("boolean order number", Box::new(|v| set(v, "/order_number", json!(true))), "order_number", |r| {
            matches!(r, Reason::WrongType { .. })
        }),
        (
            "order number too long",
            {
                let l = long.clone();
                Box::new(move |v| set(v, "/order_number", json!(l)))
            },
            "order_number",
            |r| matches!(r, Reason::TooLong { chars: 1001, max: 1000 }),
        ),
        ("NUL in order number", Box::new(|v| set(v, "/order_number", json!("407\u{0}18822"))), "order_number", |r| {
            matches!(r, Reason::ControlCharacter { position: 4, .. })
        }),
        ("missing _id", Box::new(|v| remove(v, "/_id")), "_id", |r| *r == Reason::Missing),
        ("missing currency", Box::new(|v| remove(v, "/currency_code")), "currency_code", |r| *r == Reason::Missing),
        ("bad currency", Box::new(|v| set(v, "/currency_code", json!("US Dollar"))), "currency_code", |r| {
            matches!(r, Reason::NotACurrency { .. })
        }),
        ("no line_items", Box::new(|v| remove(v, "/line_items")), "line_items", |r| *r == Reason::NoLines),
        ("empty line_items", Box::new(|v| set(v, "/line_items", json!([]))), "line_items", |r| *r == Reason::NoLines),
        ("line_items not an array", Box::new(|v| set(v, "/line_items", json!("lines"))), "line_items", |r| {
            matches!(r, Reason::WrongType { .. })
        }),
        ("a line that is text", Box::new(|v| set(v, "/line_items/1", json!("line"))), "line_items[1]", |r| {
            matches!(r, Reason::WrongType { .. })
        }),
        ("line without product", Box::new(|v| remove(v, "/line_items/0/product")), "line_items[0].product", |r| {
            *r == Reason::Missing
        }),
        (
            "product without _id",
            Box::new(|v| remove(v, "/line_items/1/product/_id")),
            "line_items[1].product._id",
            |r| *r == Reason::Missing,
        ),
        (
            "product without style",
            Box::new(|v| set(v, "/line_items/2/product/style_number", json!(""))),
            "line_items[2].product.style_number",
            |r| *r == Reason::Empty,
        ),
        ("line without sizes", Box::new(|v| set(v, "/line_items/1/sizes", json!([]))), "line_items[1].sizes", |r| {
            *r == Reason::NoSizes
        }),
        (
            "negative quantity",
            Box::new(|v| set(v, "/line_items/2/sizes/0/quantity", json!(-1))),
            "line_items[2].sizes[0].quantity",
            |r| matches!(r, Reason::Negative { .. }),
        ),
    ]
}

fn refusals_2() -> Vec<RefusalCase> {
    vec![
        (
            "fractional quantity",
            Box::new(|v| set(v, "/line_items/2/sizes/0/quantity", json!(2.5))),
            "line_items[2].sizes[0].quantity",
            |r| matches!(r, Reason::Fractional { .. }),
        ),
        (
            "fractional quantity as text",
            Box::new(|v| set(v, "/line_items/1/sizes/1/quantity", json!("0.5"))),
            "line_items[1].sizes[1].quantity",
            |r| matches!(r, Reason::Fractional { .. }),
        ),
        (
            "quantity in words",
            Box::new(|v| set(v, "/line_items/0/sizes/0/quantity", json!("three"))),
            "line_items[0].sizes[0].quantity",
            |r| matches!(r, Reason::NotANumber { .. }),
        ),
        (
            "quantity true",
            Box::new(|v| set(v, "/line_items/0/sizes/0/quantity", json!(true))),
            "line_items[0].sizes[0].quantity",
            |r| matches!(r, Reason::NotANumber { .. }),
        ),
        (
            "quantity array",
            Box::new(|v| set(v, "/line_items/0/sizes/0/quantity", json!([1]))),
            "line_items[0].sizes[0].quantity",
            |r| matches!(r, Reason::WrongType { .. }),
        ),
        (
            "missing quantity",
            Box::new(|v| remove(v, "/line_items/0/sizes/0/quantity")),
            "line_items[0].sizes[0].quantity",
            |r| *r == Reason::Missing,
        ),
        (
            "quantity over 100,000",
            Box::new(|v| set(v, "/line_items/0/sizes/0/quantity", json!(100_001))),
            "line_items[0].sizes[0].quantity",
            |r| matches!(r, Reason::TooBig { .. }),
        ),
        (
            "quantity beyond i64",
            Box::new(|v| set(v, "/line_items/0/sizes/0/quantity", json!("99999999999999999999999"))),
            "line_items[0].sizes[0].quantity",
            |r| matches!(r, Reason::TooBig { .. }),
        ),
        (
            "unparsable price",
            Box::new(|v| set(v, "/line_items/1/sizes/0/price", json!("abc"))),
            "line_items[1].sizes[0].price",
            |r| matches!(r, Reason::NotANumber { .. }),
        ),
        (
            "price with separator",
            Box::new(|v| set(v, "/line_items/1/sizes/0/price", json!("1,000.00"))),
            "line_items[1].sizes[0].price",
            |r| matches!(r, Reason::NotANumber { .. }),
        ),
        (
            "price with currency sign",
            Box::new(|v| set(v, "/line_items/1/sizes/0/price", json!("$15.00"))),
            "line_items[1].sizes[0].price",
            |r| matches!(r, Reason::NotANumber { .. }),
        ),
    ]
}

fn refusals_3() -> Vec<RefusalCase> {
    vec![
        (
            "empty price",
            Box::new(|v| set(v, "/line_items/1/sizes/0/price", json!(""))),
            "line_items[1].sizes[0].price",
            |r| *r == Reason::Empty,
        ),
        (
            "missing price",
            Box::new(|v| remove(v, "/line_items/1/sizes/0/price")),
            "line_items[1].sizes[0].price",
            |r| *r == Reason::Missing,
        ),
        (
            "negative price",
            Box::new(|v| set(v, "/line_items/0/sizes/0/price", json!(-18))),
            "line_items[0].sizes[0].price",
            |r| matches!(r, Reason::Negative { .. }),
        ),
        (
            "absurd price",
            Box::new(|v| set(v, "/line_items/0/sizes/0/price", json!(1e12))),
            "line_items[0].sizes[0].price",
            |r| matches!(r, Reason::TooBig { .. }),
        ),
        (
            "unparsable original price",
            Box::new(|v| set(v, "/line_items/0/sizes/0/original_price", json!("n/a"))),
            "line_items[0].sizes[0].original_price",
            |r| matches!(r, Reason::NotANumber { .. }),
        ),
        (
            "neither size nor UPC",
            Box::new(|v| {
                remove(v, "/line_items/0/sizes/0/size");
                remove(v, "/line_items/0/sizes/0/upc");
            }),
            "line_items[0].sizes[0]",
            |r| *r == Reason::NoSizeOrUpc,
        ),
        (
            "blank size and N/A UPC",
            Box::new(|v| {
                set(v, "/line_items/0/sizes/0/size", json!(" "));
                set(v, "/line_items/0/sizes/0/upc", json!("N/A"));
            }),
            "line_items[0].sizes[0]",
            |r| *r == Reason::NoSizeOrUpc,
        ),
        (
            "newline in size",
            Box::new(|v| set(v, "/line_items/0/sizes/0/size", json!("O\nS"))),
            "line_items[0].sizes[0].size",
            |r| matches!(r, Reason::ControlCharacter { .. }),
        ),
        (
            "bell in UPC",
            Box::new(|v| set(v, "/line_items/0/sizes/0/upc", json!("0123\u{7}45678905"))),
            "line_items[0].sizes[0].upc",
            |r| matches!(r, Reason::ControlCharacter { .. }),
        ),
        (
            "fractional UPC number",
            Box::new(|v| set(v, "/line_items/0/sizes/0/upc", json!(1.5))),
            "line_items[0].sizes[0].upc",
            |r| matches!(r, Reason::WrongType { .. }),
        ),
        ("escape sequence in rep name", Box::new(|v| set(v, "/rep_name", json!("\u{1b}[31mDana"))), "rep_name", |r| {
            matches!(r, Reason::ControlCharacter { position: 1, .. })
        }),
    ]
}

fn refusals_4() -> Vec<RefusalCase> {
    let long = "x".repeat(MAX_TEXT_CHARS + 1);
    vec![
        (
            "C1 control in color",
            Box::new(|v| set(v, "/line_items/0/product/color", json!("NA\u{85}VY"))),
            "line_items[0].product.color",
            |r| matches!(r, Reason::ControlCharacter { .. }),
        ),
        (
            "retailer name too long",
            {
                let l = long.clone();
                Box::new(move |v| set(v, "/retailer/retailer_name", json!(l)))
            },
            "retailer.retailer_name",
            |r| matches!(r, Reason::TooLong { .. }),
        ),
        (
            "address line too long",
            {
                let l = long.clone();
                Box::new(move |v| set(v, "/shipping_address/line_1", json!(l)))
            },
            "shipping_address.line_1",
            |r| matches!(r, Reason::TooLong { .. }),
        ),
        (
            "style too long",
            {
                let l = long.clone();
                Box::new(move |v| set(v, "/line_items/2/product/style_number", json!(l)))
            },
            "line_items[2].product.style_number",
            |r| matches!(r, Reason::TooLong { .. }),
        ),
        ("retailer as text", Box::new(|v| set(v, "/retailer", json!("Juniper"))), "retailer", |r| {
            matches!(r, Reason::WrongType { .. })
        }),
        (
            "address as array",
            Box::new(|v| set(v, "/shipping_address", json!(["48 Orchard St"]))),
            "shipping_address",
            |r| matches!(r, Reason::WrongType { .. }),
        ),
        ("discount over 100", Box::new(|v| set(v, "/discount", json!(120))), "discount", |r| {
            matches!(r, Reason::OutOfRange { .. })
        }),
        ("negative discount", Box::new(|v| set(v, "/discount", json!("-5"))), "discount", |r| {
            matches!(r, Reason::OutOfRange { .. })
        }),
        ("discount in words", Box::new(|v| set(v, "/discount", json!("five"))), "discount", |r| {
            matches!(r, Reason::NotANumber { .. })
        }),
        (
            "negative shipping",
            Box::new(|v| set(v, "/order_discounts/shipping_final_amount", json!("-3"))),
            "order_discounts.shipping_final_amount",
            |r| matches!(r, Reason::Negative { .. }),
        ),
        (
            "unparsable surcharge",
            Box::new(|v| set(v, "/order_discounts/surcharge", json!("3%"))),
            "order_discounts.surcharge",
            |r| matches!(r, Reason::NotANumber { .. }),
        ),
        ("end_ship not a date", Box::new(|v| set(v, "/end_ship", json!("next week"))), "end_ship", |r| {
            matches!(r, Reason::NotADate { .. })
        }),
    ]
}

fn refusals_5() -> Vec<RefusalCase> {
    vec![
        (
            "end_ship impossible date",
            Box::new(|v| set(v, "/end_ship", json!("2026-02-30T00:00:00.000Z"))),
            "end_ship",
            |r| matches!(r, Reason::NotADate { .. }),
        ),
        ("created_on a number", Box::new(|v| set(v, "/created_on", json!(1717236000000u64))), "created_on", |r| {
            matches!(r, Reason::NotADate { .. })
        }),
        (
            "zero units per pack",
            Box::new(|v| set(v, "/line_items/2/sizes/0/units_per_pack", json!(0))),
            "line_items[2].sizes[0].units_per_pack",
            |r| matches!(r, Reason::OutOfRange { .. }),
        ),
        (
            "fractional units per pack",
            Box::new(|v| set(v, "/line_items/2/sizes/0/units_per_pack", json!("1.5"))),
            "line_items[2].sizes[0].units_per_pack",
            |r| matches!(r, Reason::Fractional { .. }),
        ),
    ]
}

#[test]
fn invalid_orders_are_refused_naming_the_field() {
    let cases: Vec<RefusalCase> =
        [refusals_1(), refusals_2(), refusals_3(), refusals_4(), refusals_5()].into_iter().flatten().collect();
    let mut problems = Vec::new();
    for (name, mutate, field, check) in &cases {
        let mut v = base_order();
        mutate(&mut v);
        let err = refused(&v);
        let ok = matches!(&err, ModelError::InvalidOrder { .. })
            && err.field() == Some(*field)
            && err.reason().is_some_and(check);
        if !ok {
            problems.push(format!("{name}: expected {field}, got {err:?}"));
        }
        // The message names the place in words and the field as a path.
        let text = err.to_string();
        assert!(text.starts_with("Order"), "{name}: {text}");
        assert!(text.contains(&format!("[{field}]")), "{name}: {text}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The order's notes are never written to the PO: notes over the limit or with a stray control
/// character are left out, and the order still reads (the retailer can still export it).
#[test]
fn unusable_notes_are_left_out_without_refusing_the_order() {
    let long = "n".repeat(MAX_NOTES_CHARS + 1);
    for (name, notes) in [("too long", long.as_str()), ("control character", "Ship\u{0}complete")] {
        let mut v = base_order();
        set(&mut v, "/notes", json!(notes));
        let order = parse_order_value(&v).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(order.notes, None, "{name}");
        assert_eq!(parse_order(&v.to_string()).as_ref(), Ok(&order), "{name}: text form alike");
    }
    let mut v = base_order();
    set(&mut v, "/notes", json!("Ship complete\r\n\tby Friday"));
    assert_eq!(parse_order_value(&v).unwrap().notes.as_deref(), Some("Ship complete\r\n\tby Friday"));
}

#[test]
fn error_messages_say_what_and_where() {
    let mut v = base_order();
    set(&mut v, "/line_items/2/sizes/0/quantity", json!(2.5));
    assert_eq!(
        refused(&v).to_string(),
        "Order line 3, size row 1: quantity must be a whole number (got 2.5) [line_items[2].sizes[0].quantity]"
    );
    let mut v = base_order();
    remove(&mut v, "/order_number");
    assert_eq!(refused(&v).to_string(), "Order: order number is missing [order_number]");
    let mut v = base_order();
    set(&mut v, "/line_items", json!([]));
    assert_eq!(refused(&v).to_string(), "Order: the order has no lines [line_items]");
    let mut v = base_order();
    set(&mut v, "/line_items/1/sizes/0/price", json!("abc"));
    assert_eq!(
        refused(&v).to_string(),
        "Order line 2, size row 1: price is not a number (got \"abc\") [line_items[1].sizes[0].price]"
    );
    // Hostile values are quoted with escapes in messages, never raw control characters.
    let mut v = base_order();
    set(&mut v, "/line_items/0/sizes/0/price", json!("1\u{1b}[2J"));
    let text = refused(&v).to_string();
    assert!(!text.chars().any(char::is_control), "{text:?}");
}

/// (what, how to vary the base document, what the parsed order must show)
type Accepted = (&'static str, Mutation, fn(&Order) -> bool);

fn tolerated_header_variations() -> Vec<Accepted> {
    vec![
        ("order number as a number", Box::new(|v| set(v, "/order_number", json!(40718822))), |o| {
            o.order_number == "40718822"
        }),
        ("order number with spaces", Box::new(|v| set(v, "/order_number", json!(" 40718822 "))), |o| {
            o.order_number == "40718822"
        }),
        ("lower-case currency", Box::new(|v| set(v, "/currency_code", json!("cad"))), |o| o.currency.as_str() == "CAD"),
        ("no brand name", Box::new(|v| remove(v, "/__brand_name")), |o| o.brand_name.is_none()),
        ("retailer as empty string", Box::new(|v| set(v, "/retailer", json!(""))), |o| o.retailer.is_none()),
        ("address null", Box::new(|v| set(v, "/shipping_address", Value::Null)), |o| o.shipping_address.is_none()),
        ("no order_discounts", Box::new(|v| remove(v, "/order_discounts")), |o| {
            o.shipping.is_none() && o.surcharge.is_none()
        }),
        ("empty shipping amount", Box::new(|v| set(v, "/order_discounts/shipping_final_amount", json!(""))), |o| {
            o.shipping.is_none()
        }),
        ("negative surcharge", Box::new(|v| set(v, "/order_discounts/surcharge", json!("-2.5"))), |o| {
            o.surcharge == Some(money("-2.5"))
        }),
        ("fractional discount", Box::new(|v| set(v, "/discount", json!("12.5"))), |o| {
            o.discount.micros() == 12_500_000
        }),
        ("no discount", Box::new(|v| remove(v, "/discount")), |o| o.discount.is_zero()),
    ]
}

fn tolerated_line_and_text_variations() -> Vec<Accepted> {
    vec![
        ("quantity zero", Box::new(|v| set(v, "/line_items/0/sizes/0/quantity", json!(0))), |o| {
            o.lines[0].sizes[0].quantity == 0
        }),
        ("quantity at the limit", Box::new(|v| set(v, "/line_items/0/sizes/0/quantity", json!(100_000))), |o| {
            o.lines[0].sizes[0].quantity == 100_000
        }),
        ("a size sent as a number", Box::new(|v| set(v, "/line_items/0/sizes/0/size", json!(8.5))), |o| {
            o.lines[0].sizes[0].size.as_deref() == Some("8.5")
        }),
        ("a whole size sent as a float", Box::new(|v| set(v, "/line_items/0/sizes/0/size", json!(10.0))), |o| {
            o.lines[0].sizes[0].size.as_deref() == Some("10")
        }),
        ("quantity 3.0", Box::new(|v| set(v, "/line_items/0/sizes/0/quantity", json!(3.0))), |o| {
            o.lines[0].sizes[0].quantity == 3
        }),
        ("UPC without size", Box::new(|v| remove(v, "/line_items/0/sizes/0/size")), |o| {
            o.lines[0].sizes[0].size.is_none()
        }),
        ("size without UPC", Box::new(|v| remove(v, "/line_items/0/sizes/0/upc")), |o| {
            o.lines[0].sizes[0].upc.is_none()
        }),
        ("N/A UPC with a size", Box::new(|v| set(v, "/line_items/0/sizes/0/upc", json!("N/A"))), |o| {
            o.lines[0].sizes[0].upc.as_deref() == Some("N/A")
        }),
        ("UPC kept unnormalised", Box::new(|v| set(v, "/line_items/0/sizes/0/upc", json!(" 0123-4567-8905 "))), |o| {
            o.lines[0].sizes[0].upc.as_deref() == Some(" 0123-4567-8905 ")
        }),
        ("HTML is data", Box::new(|v| set(v, "/retailer/retailer_name", json!("<img src=x onerror=alert(1)>"))), |o| {
            o.retailer.as_ref().unwrap().name.as_deref() == Some("<img src=x onerror=alert(1)>")
        }),
        ("HTML in a style", Box::new(|v| set(v, "/line_items/0/product/style_number", json!("<b>TOTE</b>"))), |o| {
            o.lines[0].product.style_number == "<b>TOTE</b>"
        }),
        ("emoji and accents", Box::new(|v| set(v, "/shipping_address/city", json!("Montréal 🏙️"))), |o| {
            o.shipping_address.as_ref().unwrap().city.as_deref() == Some("Montréal 🏙️")
        }),
        (
            "newlines in an address",
            Box::new(|v| set(v, "/shipping_address/line_1", json!("48 Orchard St\r\nUnit 2"))),
            |o| o.shipping_address.as_ref().unwrap().line_1.as_deref() == Some("48 Orchard St\r\nUnit 2"),
        ),
        (
            "text at the length limit",
            Box::new(|v| set(v, "/retailer/retailer_name", json!("é".repeat(MAX_TEXT_CHARS)))),
            |o| o.retailer.as_ref().unwrap().name.as_ref().unwrap().chars().count() == MAX_TEXT_CHARS,
        ),
        ("status in capitals", Box::new(|v| set(v, "/status", json!("CANCELLED"))), |o| {
            o.status == Some(OrderStatus::Cancelled)
        }),
        ("unknown status", Box::new(|v| set(v, "/status", json!("on_hold"))), |o| {
            o.status == Some(OrderStatus::Other("on_hold".into()))
        }),
        ("date only", Box::new(|v| set(v, "/end_ship", json!("2026-09-15"))), |o| {
            o.end_ship.as_ref().unwrap().date() == "2026-09-15"
        }),
        ("price_precise", Box::new(|v| set(v, "/line_items/0/sizes/0/price_precise", json!(17.99999))), |o| {
            o.lines[0].sizes[0].price_precise == Some(money("17.99999"))
        }),
        ("float noise", Box::new(|v| set(v, "/line_items/0/sizes/0/price", json!(0.1 + 0.2))), |o| {
            o.lines[0].sizes[0].price == money("0.3")
        }),
        ("units_per_pack null", Box::new(|v| set(v, "/line_items/2/sizes/0/units_per_pack", Value::Null)), |o| {
            o.lines[2].sizes[0].units_per_pack == 1
        }),
    ]
}

#[test]
fn tolerated_variations_parse() {
    let cases = tolerated_header_variations().into_iter().chain(tolerated_line_and_text_variations());
    for (name, mutate, check) in cases {
        let mut v = base_order();
        mutate(&mut v);
        let order = parse_order(&v.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(check(&order), "{name}: {order:?}");
    }
}

fn order_with_rows(lines: usize, sizes_per_line: usize) -> String {
    let line = |i: usize| {
        json!({
            "product": {"_id": format!("p{i}"), "style_number": format!("S{i}")},
            "sizes": (0..sizes_per_line).map(|j| json!({"size": format!("{j}"), "quantity": 1, "price": "1"})).collect::<Vec<_>>()
        })
    };
    let mut v = base_order();
    set(&mut v, "/line_items", Value::Array((0..lines).map(line).collect()));
    v.to_string()
}

#[test]
fn size_row_limits() {
    assert_eq!(parse_order(&order_with_rows(50, 100)).unwrap().size_rows().count(), MAX_SIZE_ROWS);
    for (lines, per_line) in [(1, MAX_SIZE_ROWS + 1), (2, 2501), (MAX_SIZE_ROWS + 1, 1), (MAX_SIZE_ROWS + 1, 0)] {
        let err = parse_order(&order_with_rows(lines, per_line)).unwrap_err();
        assert_eq!(err.field(), Some("line_items"), "{lines}×{per_line}: {err}");
        assert!(matches!(err.reason(), Some(Reason::TooMany { max: MAX_SIZE_ROWS, .. })), "{err}");
        assert!(err.to_string().contains("too many"), "{err}");
    }
    // A huge array of empty rows is refused by counting, before any row is built.
    let mut v = base_order();
    set(&mut v, "/line_items/0/sizes", json!([]));
    let text = v.to_string().replace("\"sizes\":[]", &format!("\"sizes\":[{}{{}}]", "{},".repeat(1_000_000)));
    let err = parse_order(&text).unwrap_err();
    assert!(matches!(err.reason(), Some(Reason::TooMany { .. })), "{err}");
    // The value forms count first too: a wrong shape after the limit is not what they report.
    let mut v: Value = serde_json::from_str(&order_with_rows(1, MAX_SIZE_ROWS + 1)).unwrap();
    v["line_items"].as_array_mut().unwrap().push(json!({"product": 5}));
    let err = parse_order_value(&v).unwrap_err();
    assert!(matches!(err.reason(), Some(Reason::TooMany { .. })), "{err}");
    assert_eq!(parse_order(&v.to_string()).unwrap_err(), err);
    let products = json!([{"_id": "x", "sizes": vec![json!({"size": "OS"}); MAX_PRODUCT_SIZES + 1]}, 5]);
    let err = parse_products_value(&products).unwrap_err();
    assert_eq!(err.field(), Some("products[0].sizes"), "{err}");
    assert_eq!(parse_products(&products.to_string()).unwrap_err(), err);
}

#[test]
fn hostile_documents_get_typed_errors() {
    // Not JSON, truncated, trailing garbage.
    for text in ["", "nope", "{\"order_number\": ", "{} {}", "{\"a\":1,}"] {
        assert!(matches!(parse_order(text), Err(ModelError::Syntax { document: Document::Order, .. })), "{text:?}");
    }
    // JSON, but not an object.
    for text in ["[]", "[\"6f3a\", \"40718822\"]", "42", "\"order\"", "null"] {
        let err = parse_order(text).unwrap_err();
        assert!(matches!(err, ModelError::InvalidOrder { reason: Reason::WrongType { .. }, .. }), "{text:?}: {err:?}");
    }
    // Too large.
    let big = format!("{{\"notes\": \"{}\"}}", "x".repeat(MAX_ORDER_BYTES));
    assert!(matches!(parse_order(&big), Err(ModelError::TooLarge { .. })));
    // Duplicate keys are refused rather than one silently winning.
    let dup = base_order().to_string().replacen("{", "{\"order_number\":\"1\",", 1);
    assert!(parse_order(&dup).is_err());
}

fn nested(depth: usize, open: &str, close: &str, inner: &str) -> String {
    format!("{}{}{}", open.repeat(depth), inner, close.repeat(depth))
}

#[test]
fn deep_json_is_a_clean_error() {
    // The model's types never recurse, so depth costs no stack: deep input where structure is
    // expected is refused at the first level that has the wrong shape, deep input in ignored
    // fields is skipped, and serde_json's own recursion limit (when a caller's value reaches it)
    // maps to `TooDeep` (unit test in the module). Whatever the shape, the answer is typed.
    for depth in [200, 10_000, 100_000] {
        let lines = format!("{{\"order_number\":\"1\",\"line_items\":{}}}", nested(depth, "[", "]", ""));
        let err = parse_order(&lines).unwrap_err();
        assert!(
            err == ModelError::TooDeep { document: Document::Order }
                || err.field().is_some_and(|f| f.starts_with("line_items[0]")),
            "depth {depth}: {err:?}"
        );
        let products = nested(depth, "[", "]", "");
        let err = parse_products(&products).unwrap_err();
        assert!(
            err == ModelError::TooDeep { document: Document::Product }
                || err.field().is_some_and(|f| f.starts_with("products[0]")),
            "depth {depth}: {err:?}"
        );
        // Deep junk in an unknown field of a valid order is ignored.
        let mut v = base_order().to_string();
        v.insert_str(1, &format!("\"__junk\":{},", nested(depth, "[", "]", "")));
        assert!(parse_order(&v).is_ok(), "depth {depth}");
        let mut v = base_order().to_string();
        v.insert_str(1, &format!("\"__junk\":{},", nested(depth, "{\"a\":", "}", "1")));
        assert!(parse_order(&v).is_ok(), "depth {depth}");
    }
    for depth in [200, 100_000] {
        for text in [
            format!("{{\"retailer\":{}}}", nested(depth, "{\"a\":", "}", "1")),
            format!("{{\"retailer\":{}}}", nested(depth, "{\"retailer_name\":", "}", "1")),
            format!("{{\"line_items\":[{{\"product\":{}}}]}}", nested(depth, "{\"_id\":", "}", "1")),
            nested(depth, "{\"line_items\":", "}", "[]"),
        ] {
            let err = parse_order(&text).expect_err("no order number");
            assert!(!err.to_string().is_empty());
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Products
// ------------------------------------------------------------------------------------------------

fn base_product() -> Value {
    json!({
        "_id": "6512ab34cd56ef7890a1b2c3",
        "brand_id": "TOTE-22-NVY",
        "style_number": "TOTE-22",
        "season": "FW26",
        "color": "NAVY",
        "name": "Harbor Canvas Tote <img src=x onerror=alert(1)>",
        "images": [{"url": "x"}],
        "pricing": {"USD": {"wholesale": 18, "retail": "42.00", "disabled": false}, "CAD": {"wholesale": "24.5", "retail": 55}},
        "sizes": [
            {"size": "OS", "upc": "012345678905"},
            {"size": "XL", "upc": 12345678912u64, "pricing": {"USD": {"wholesale": 19, "retail": 44.99}}}
        ]
    })
}

#[test]
fn products_parse_with_prices_per_currency() {
    let p = parse_product(&base_product().to_string()).unwrap();
    let usd = CurrencyCode::parse("usd").unwrap();
    let cad = CurrencyCode::parse("CAD").unwrap();
    assert_eq!(p.name.as_deref(), Some("Harbor Canvas Tote <img src=x onerror=alert(1)>"));
    assert_eq!(p.retail(&usd), Some(money("42")));
    assert_eq!(p.wholesale(&cad), Some(money("24.5")));
    assert_eq!(p.retail(&CurrencyCode::parse("EUR").unwrap()), None);
    assert_eq!(p.sizes[1].upc.as_deref(), Some("12345678912"));
    assert_eq!(p.retail_for_size("XL", &usd), Some(money("44.99")), "price-per-size brands");
    assert_eq!(p.retail_for_size("OS", &usd), Some(money("42")));
    // An array of products, and a single product where an array is expected.
    let list = parse_products(&json!([base_product(), base_product()]).to_string()).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(parse_products(&base_product().to_string()).unwrap(), vec![p.clone()]);
    assert_eq!(parse_products_value(&json!([base_product()])).unwrap(), vec![p]);
    // A minimal product: only an id.
    let bare = parse_product(r#"{"_id":"x","pricing":"","sizes":null,"__brand_name":"B"}"#).unwrap();
    assert!(bare.pricing.is_empty() && bare.sizes.is_empty() && bare.name.is_none());
}

#[test]
fn invalid_products_are_refused_naming_the_field() {
    let cases: Vec<RefusalCase> = vec![
        ("missing _id", Box::new(|v| remove(v, "/_id")), "_id", |r| *r == Reason::Missing),
        ("unparsable retail", Box::new(|v| set(v, "/pricing/USD/retail", json!("forty"))), "pricing.USD.retail", |r| {
            matches!(r, Reason::NotANumber { .. })
        }),
        (
            "negative wholesale",
            Box::new(|v| set(v, "/pricing/CAD/wholesale", json!(-1))),
            "pricing.CAD.wholesale",
            |r| matches!(r, Reason::Negative { .. }),
        ),
        ("pricing as array", Box::new(|v| set(v, "/pricing", json!([1]))), "pricing", |r| {
            matches!(r, Reason::WrongType { .. })
        }),
        (
            "size price",
            Box::new(|v| set(v, "/sizes/1/pricing/USD/retail", json!("?"))),
            "sizes[1].pricing.USD.retail",
            |r| matches!(r, Reason::NotANumber { .. }),
        ),
        ("control char in UPC", Box::new(|v| set(v, "/sizes/0/upc", json!("0123\u{0}"))), "sizes[0].upc", |r| {
            matches!(r, Reason::ControlCharacter { .. })
        }),
        ("name too long", Box::new(|v| set(v, "/name", json!("n".repeat(MAX_TEXT_CHARS + 1)))), "name", |r| {
            matches!(r, Reason::TooLong { .. })
        }),
        ("sizes not an array", Box::new(|v| set(v, "/sizes", json!({"size": "OS"}))), "sizes", |r| {
            matches!(r, Reason::WrongType { .. })
        }),
        (
            "too many sizes",
            Box::new(|v| set(v, "/sizes", Value::Array(vec![json!({"size": "OS"}); MAX_PRODUCT_SIZES + 1]))),
            "sizes",
            |r| matches!(r, Reason::TooMany { .. }),
        ),
    ];
    for (name, mutate, field, check) in &cases {
        let mut v = base_product();
        mutate(&mut v);
        let err = parse_product(&v.to_string()).expect_err(name);
        assert!(matches!(err, ModelError::InvalidProduct { .. }), "{name}: {err:?}");
        assert_eq!(err.field(), Some(*field), "{name}: {err}");
        assert!(err.reason().is_some_and(check), "{name}: {err:?}");
        assert!(err.to_string().starts_with("Product"), "{name}: {err}");
        // In a products document, the same error is placed at its product.
        let list = json!([base_product(), v]);
        let err = parse_products(&list.to_string()).expect_err(name);
        // The value form (the browser's) places it the same way.
        assert_eq!(parse_products_value(&list).expect_err(name), err, "{name}");
        let expected = format!("products[1].{field}");
        assert_eq!(err.field(), Some(expected.as_str()), "{name}: {err}");
        assert!(err.to_string().contains("product 2"), "{name}: {err}");
    }
    let err = parse_products(&json!([base_product(), null]).to_string()).unwrap_err();
    assert_eq!(err.field(), Some("products[1]"));
    assert_eq!(parse_products_value(&json!([base_product(), null])).unwrap_err(), err);
    let err = parse_products("[1]").unwrap_err();
    assert_eq!(err.field(), Some("products[0]"), "{err:?}");
    assert_eq!(parse_products_value(&json!([1])).unwrap_err(), err);
    let many = format!("[{}{{\"_id\":\"x\"}}]", "{\"_id\":\"x\"},".repeat(MAX_PRODUCTS));
    let err = parse_products(&many).unwrap_err();
    assert!(matches!(err.reason(), Some(Reason::TooMany { .. })));
    assert_eq!(parse_products_value(&serde_json::from_str(&many).unwrap()).unwrap_err(), err);
    assert!(matches!(parse_products("[{]"), Err(ModelError::Syntax { document: Document::Product, .. })));
}

// ------------------------------------------------------------------------------------------------
// Generated input: never a panic, always a value or a typed error
// ------------------------------------------------------------------------------------------------

mod generated {
    use super::*;
    use proptest::prelude::*;

    const KEYS: &[&str] = &[
        "_id",
        "order_number",
        "status",
        "currency_code",
        "customer_po_number",
        "rep_name",
        "retailer",
        "retailer_name",
        "shipping_address",
        "line_1",
        "city",
        "start_ship",
        "end_ship",
        "created_on",
        "discount",
        "order_discounts",
        "surcharge",
        "shipping_final_amount",
        "__brand_name",
        "notes",
        "line_items",
        "product",
        "style_number",
        "color",
        "season",
        "brand_id",
        "sizes",
        "size",
        "upc",
        "quantity",
        "price",
        "original_price",
        "price_precise",
        "units_per_pack",
        "pricing",
        "USD",
        "retail",
        "wholesale",
        "name",
        "x",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("N/A".to_string()),
            Just("<img src=x onerror=alert(1)>".to_string()),
            Just("2026-09-15T00:00:00.000Z".to_string()),
            Just("USD".to_string()),
            "-?[0-9]{0,25}(\\.[0-9]{0,9})?",
            "\\PC{0,12}",
            any::<String>().prop_map(|s| s.chars().take(20).collect()),
        ]
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
            (-1_000_000i64..1_000_000).prop_map(Value::from),
            text().prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((prop::sample::select(KEYS), inner), 0..8)
                    .prop_map(|kv| { Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()) }),
            ]
        })
    }

    /// Every leaf of the base order, as a JSON pointer.
    fn leaf_pointers(v: &Value, at: String, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => o.iter().for_each(|(k, x)| leaf_pointers(x, format!("{at}/{k}"), out)),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| leaf_pointers(x, format!("{at}/{i}"), out)),
            _ => out.push(at),
        }
    }

    /// `/line_items/2/sizes/0/quantity` → `line_items[2].sizes[0].quantity`
    fn field_of(pointer: &str) -> String {
        let mut out = String::new();
        for part in pointer.split('/').skip(1) {
            if part.parse::<usize>().is_ok() {
                out.push_str(&format!("[{part}]"));
            } else {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(part);
            }
        }
        out
    }

    fn check_invariants(order: &Order) {
        assert!(!order.order_number.is_empty() && !order.lines.is_empty());
        assert!(order.size_rows().count() <= MAX_SIZE_ROWS);
        for (line, size) in order.size_rows() {
            assert!(!line.product.id.is_empty() && !line.product.style_number.is_empty());
            assert!(size.quantity <= MAX_QUANTITY && size.units_per_pack >= 1);
            assert!(!size.price.is_negative() && size.price <= MAX_AMOUNT);
            assert!(size.size.is_some() || size.upc.is_some());
            for code in [Some(&line.product.style_number), size.size.as_ref(), size.upc.as_ref()].into_iter().flatten()
            {
                assert!(!code.chars().any(char::is_control) && code.chars().count() <= MAX_TEXT_CHARS);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_json_never_panics(v in json_value()) {
            let text = v.to_string();
            match parse_order(&text) {
                Ok(order) => check_invariants(&order),
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
            let _ = parse_order_value(&v);
            let _ = parse_products(&text);
            let _ = parse_product(&text);
        }

        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            let _ = parse_order(&text);
            let _ = parse_products(&text);
        }

        #[test]
        fn a_bad_leaf_is_blamed_on_itself(index in any::<prop::sample::Index>(), replacement in json_value()) {
            let mut v = base_order();
            let mut leaves = Vec::new();
            leaf_pointers(&v, String::new(), &mut leaves);
            let pointer = index.get(&leaves).clone();
            *v.pointer_mut(&pointer).unwrap() = replacement;
            match parse_order(&v.to_string()) {
                Ok(order) => check_invariants(&order),
                Err(e) => {
                    let field = e.field().unwrap_or_else(|| panic!("{pointer}: untyped {e:?}")).to_string();
                    let leaf = field_of(&pointer);
                    // The error names the replaced value, one of its ancestors (a row with neither
                    // size nor UPC, a line without sizes) or something inside it.
                    prop_assert!(
                        leaf.starts_with(&field) || field.starts_with(&leaf),
                        "replaced {} but the error names {}: {}", leaf, field, e
                    );
                }
            }
        }
    }
}
