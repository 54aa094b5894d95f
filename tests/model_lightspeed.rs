//! The Lightspeed models against every real recorded response, the quirks one by one, and the
//! shapes of the create/update payloads.

#[path = "support/recordings.rs"]
mod recordings;

use po_bridge::core::Money;
use po_bridge::lightspeed::*;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The recorded Lightspeed responses, or `None` in a clone without `../shared` (outside CI).
fn recordings_dir() -> Option<PathBuf> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    recordings::real_responses(repo, "lightspeed-2016", "recorded Lightspeed responses")
}

fn money(s: &str) -> Money {
    Money::parse(s).unwrap()
}

/// A recording: `{recorded_at, request{method, uri, body}, response{status, headers, body}}`.
struct Recording {
    name: String,
    method: String,
    uri: String,
    status: u16,
    /// The response body as JSON (recorded either as a JSON string or inline).
    body: Value,
}

fn load(path: &Path) -> Recording {
    let text = std::fs::read_to_string(path).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let response = &v["response"];
    let body = match &response["body"] {
        Value::String(s) => {
            serde_json::from_str(s).unwrap_or_else(|e| panic!("{}: body is not JSON: {e}", path.display()))
        }
        other => other.clone(),
    };
    Recording {
        name: path.file_name().unwrap().to_string_lossy().into_owned(),
        method: v["request"]["method"].as_str().unwrap_or_default().to_string(),
        uri: v["request"]["uri"].as_str().unwrap_or_default().to_string(),
        status: response["status"]
            .as_u64()
            .or_else(|| response["status"].as_str().and_then(|s| s.parse().ok()))
            .unwrap() as u16,
        body,
    }
}

fn all_recordings(dir: &Path) -> Vec<Recording> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the recordings are read in place from ../shared")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|p| load(p)).collect()
}

/// The resource a URI names: the last path segment that is not an id, without `.json`
/// (`/API/Account/-/Item/428.json` → `Item`, `/API/V3/Account/83050/Order.json` → `Order`,
/// `/API/Account.json` → `Account`).
fn resource_of(uri: &str) -> String {
    let path = uri.split('?').next().unwrap();
    let path = path.strip_suffix(".json").unwrap_or(path);
    path.rsplit('/').find(|seg| !seg.is_empty() && seg.parse::<u64>().is_err() && *seg != "-").unwrap().to_string()
}

fn envelope<T: DeserializeOwned + Record>(r: &Recording) -> Envelope<T> {
    serde_json::from_value(r.body.clone()).unwrap_or_else(|e| panic!("{} ({} {}): {e}", r.name, r.method, r.uri))
}

/// Deserializes a recording with the model its URI names (or the error model) and returns how
/// many records it held; panics with the file's name when a model rejects it.
fn check(r: &Recording) -> Result<usize, String> {
    if r.status >= 400 {
        let e: ErrorBody =
            serde_json::from_value(r.body.clone()).map_err(|e| format!("{}: error body: {e}", r.name))?;
        assert!(!e.message().is_empty(), "{}", r.name);
        return Ok(1);
    }
    let n = match resource_of(&r.uri).as_str() {
        "Account" => envelope::<Account>(r).records.len(),
        "Shop" => envelope::<Shop>(r).records.len(),
        "Vendor" => envelope::<Vendor>(r).records.len(),
        "Manufacturer" => envelope::<Manufacturer>(r).records.len(),
        "Category" => envelope::<Category>(r).records.len(),
        "ItemAttributeSet" => envelope::<ItemAttributeSet>(r).records.len(),
        "ItemMatrix" => envelope::<ItemMatrix>(r).records.len(),
        "Item" => envelope::<Item>(r).records.len(),
        "Order" => envelope::<Order>(r).records.len(),
        "OrderLine" => envelope::<OrderLine>(r).records.len(),
        other => return Err(format!("{}: no model for resource {other:?} ({})", r.name, r.uri)),
    };
    Ok(n)
}

#[test]
fn every_recorded_response_deserializes() {
    let Some(dir) = recordings_dir() else { return };
    let recordings = all_recordings(&dir);
    assert!(recordings.len() >= 22, "expected the 22 recordings, found {}", recordings.len());
    let mut failures = Vec::new();
    for r in &recordings {
        match check(r) {
            Ok(0) => failures.push(format!("{}: no records", r.name)),
            Ok(_) => {}
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "recordings not covered by the models:\n{}", failures.join("\n"));
}

fn recording(dir: &Path, name: &str) -> Recording {
    load(&dir.join(name))
}

#[test]
fn recorded_values_come_through_typed() {
    let Some(dir) = recordings_dir() else { return };
    // Offset paging attributes, one-element vendor numbers as an object, shops as an array.
    let items = envelope::<Item>(&recording(&dir, "items-index.json"));
    assert_eq!(items.attributes.count, Some(234));
    assert_eq!(items.attributes.offset, Some(0));
    assert_eq!(items.attributes.limit, Some(100));
    assert_eq!(items.attributes.next, None);
    assert_eq!(items.records.len(), 100);
    let first = &items.records[0];
    assert_eq!(first.item_id, ItemId(135));
    assert_eq!(first.default_vendor_id, Some(VendorId(73)));
    assert_eq!(first.item_matrix_id, None, "\"0\" is no matrix");
    assert_eq!(first.upc, None, "\"\" is no UPC");
    assert_eq!(first.custom_sku.as_deref(), Some("303303AB"));
    assert_eq!(first.item_vendor_nums.len(), 1);
    assert_eq!(first.vendor_num(VendorId(73)).unwrap().value, "1003-30 CG");
    assert_eq!(first.item_shops.len(), 2);
    assert_eq!(first.item_shops[0].qoh, Some(1000));
    assert!(first.item_shops.iter().any(|s| s.shop_id == ShopId(0)), "shop 0 is the summary row");
    assert_eq!(first.price(use_type::DEFAULT), Some(money("6.5")));
    assert_eq!(first.price(use_type::MSRP), Some(Money::ZERO));
    assert!(!first.archived);

    let shown = envelope::<Item>(&recording(&dir, "items-show-0.json")).into_single().unwrap();
    assert_eq!(shown.upc.as_deref(), Some("0614121182479"), "leading zero kept");
    assert_eq!(shown.description, ".064\" x 3/4\" Brass Strip");
    assert_eq!(shown.note.as_ref().map(|n| n.is_public), Some(false));

    let archived = envelope::<Item>(&recording(&dir, "items-archive-1.json")).into_single().unwrap();
    assert!(archived.archived, "DELETE answers with the archived item");
}

#[test]
fn recorded_orders_matrices_and_vendors_come_through_typed() {
    let Some(dir) = recordings_dir() else { return };
    // Orders: lines as an array; absent lines; omitted dates; nested Vendor, Shop, Note.
    let orders = envelope::<Order>(&recording(&dir, "orders-index.json"));
    assert_eq!(orders.records.len(), 5);
    let o1 = &orders.records[0];
    assert_eq!(o1.order_id, OrderId(1));
    assert_eq!(o1.order_lines.len(), 4);
    assert_eq!(o1.order_lines[0].item_id, Some(ItemId(177)));
    assert_eq!(o1.order_lines[0].quantity, 2);
    assert_eq!(o1.ordered_date.as_deref(), Some("2015-11-05T08:00:00+00:00"));
    assert_eq!(o1.vendor.as_ref().map(|v| v.name.as_str()), Some("C&C Metals"));
    assert_eq!(o1.shop.as_ref().map(|s| s.shop_id), Some(ShopId(1)));
    let o4 = envelope::<Order>(&recording(&dir, "orders-show.json")).into_single().unwrap();
    assert_eq!(o4.order_id, OrderId(4));
    assert!(o4.order_lines.is_empty(), "no OrderLines key: no lines");
    assert_eq!(o4.ordered_date, None, "unset dates are omitted");
    assert_eq!(o4.ship_cost, Some(Money::ZERO));
    assert_eq!(o4.vendor_id, Some(VendorId(2)));

    // Matrix with one variant as an object, and its attribute set.
    let matrix = envelope::<ItemMatrix>(&recording(&dir, "ItemMatrix-show.json")).into_single().unwrap();
    assert_eq!(matrix.item_attribute_set_id, Some(ItemAttributeSetId::SIZE));
    assert_eq!(matrix.items.len(), 1);
    assert_eq!(matrix.items[0].item_id, ItemId(412));
    assert_eq!(matrix.item_attribute_set.as_ref().unwrap().attribute_name2.as_deref(), Some("Size"));

    let sets = envelope::<ItemAttributeSet>(&recording(&dir, "ItemAttributeSet-index.json"));
    assert_eq!(sets.records.len(), 4);
    assert_eq!(sets.records[1].attribute_name1, None);

    // Vendors: "Phones": "" is an empty list; single contact objects become lists of one.
    let vendors = envelope::<Vendor>(&recording(&dir, "vendors-index.json"));
    assert_eq!(vendors.attributes.count, Some(703));
    let v1 = &vendors.records[0];
    let contact = v1.contact.as_ref().unwrap();
    assert_eq!(contact.emails.len(), 2);
    assert_eq!(contact.phones.len(), 1);
    assert_eq!(contact.addresses[0].city.as_deref(), Some("Los Angeles"));
    assert_eq!(v1.reps.len(), 1);
    let v2 = &vendors.records[1];
    assert!(v2.contact.as_ref().unwrap().phones.is_empty());
    assert!(v2.contact.as_ref().unwrap().emails.is_empty());
    let created = envelope::<Vendor>(&recording(&dir, "vendors-create.json")).into_single().unwrap();
    assert_eq!(created.vendor_id, VendorId(716));
    assert_eq!(created.account_number.as_deref(), Some("testAccountNumber123"));

    let account = envelope::<Account>(&recording(&dir, "accounts_oauth_with_refresh-0.json")).into_single().unwrap();
    assert_eq!(account.account_id, AccountId(120645));
    let shop = envelope::<Shop>(&recording(&dir, "shops-show.json")).into_single().unwrap();
    assert_eq!(shop.time_zone.as_deref(), Some("US/Pacific"));

    // The error body, served as text/html on a 400.
    let invalid = recording(&dir, "items-create_invalid.json");
    assert_eq!(invalid.status, 400);
    match serde_json::from_value::<ErrorBody>(invalid.body).unwrap() {
        ErrorBody::Rest(e) => {
            assert_eq!(e.http_code, 400);
            assert_eq!(e.message, "Item not created. An Item must have a description.");
            assert_eq!(e.error_class.as_deref(), Some("Exception"));
        }
        other => panic!("{other:?}"),
    }
    let unauthorized = recording(&dir, "accounts_oauth_with_refresh-2.json");
    let e: ErrorBody = serde_json::from_value(unauthorized.body).unwrap();
    assert!(
        matches!(&e, ErrorBody::Rest(r) if r.http_code == 401 && r.error_class.as_deref() == Some("BadAuthenticationRequestError"))
    );
}

#[test]
fn resources_are_named_by_their_uri() {
    assert_eq!(resource_of("https://api.merchantos.com/API/Account/-/Item/428.json"), "Item");
    assert_eq!(resource_of("https://api.merchantos.com/API/Account.json?limit=1"), "Account");
    assert_eq!(resource_of("https://api.lightspeedapp.com/API/V3/Account/83050/Order/5.json?x=1"), "Order");
    assert_eq!(resource_of("https://api.lightspeedapp.com/API/V3/Account/83050/ItemMatrix.json"), "ItemMatrix");
}

// ------------------------------------------------------------------------------------------------
// Quirks, one by one (current V3 shapes from the reference)
// ------------------------------------------------------------------------------------------------

#[test]
fn v3_cursor_envelopes() {
    let body = json!({
        "@attributes": {
            "next": "https://api.lightspeedapp.com/API/V3/Account/1/Item.json?sort=itemID&limit=100&after=WzEwMF0%3D",
            "previous": ""
        },
        "Item": [{"itemID": "1", "description": "A"}, {"itemID": 2, "description": "B"}]
    });
    let page: Envelope<Item> = serde_json::from_value(body).unwrap();
    assert_eq!(page.records.len(), 2);
    assert_eq!(page.records[1].item_id, ItemId(2), "a number where a string is usual");
    assert_eq!(page.attributes.previous, None, "\"\" is no cursor");
    assert_eq!(page.attributes.next_after(), Some("WzEwMF0%3D"));
    let last: Envelope<Item> =
        serde_json::from_value(json!({"@attributes": {"next": "", "previous": "x?before=abc"}})).unwrap();
    assert!(last.records.is_empty(), "no records key: no records");
    assert_eq!(last.attributes.next_after(), None);
    // A single record arrives as an object.
    let one: Envelope<Order> =
        serde_json::from_value(json!({"@attributes": {"count": "1"}, "Order": {"orderID": "512"}})).unwrap();
    assert_eq!(one.into_single().map(|o| o.order_id), Some(OrderId(512)));
    // Count-only.
    let count: Envelope<Item> = serde_json::from_value(json!({"@attributes": {"count": "42"}})).unwrap();
    assert_eq!(count.attributes.count, Some(42));
}

#[test]
fn scalars_collections_and_ids_are_tolerant() {
    let item: Item = serde_json::from_value(json!({
        "itemID": "1044",
        "archived": "true",
        "discountable": 1,
        "tax": false,
        "defaultCost": 18.375,
        "description": 12345,
        "upc": "012345678905",
        "ean": "",
        "itemMatrixID": "0",
        "defaultVendorID": 7,
        "manufacturerID": "",
        "ItemAttributes": {"itemAttributeSetID": "1", "attribute1": "NAVY", "attribute2": "M", "attribute3": ""},
        "ItemVendorNums": {"ItemVendorNum": {"vendorID": "7", "value": "TOTE-22-NVY", "cost": "18.00"}},
        "Prices": {"ItemPrice": {"amount": "42", "useTypeID": "1", "useType": "Default"}},
        "ItemShops": "",
        "unknownField": {"deep": [1, 2, 3]}
    }))
    .unwrap();
    assert_eq!(item.item_id, ItemId(1044));
    assert!(item.archived);
    assert_eq!(item.discountable, Some(true));
    assert_eq!(item.tax, Some(false));
    assert_eq!(item.default_cost, Some(money("18.375")));
    assert_eq!(item.description, "12345");
    assert_eq!(item.ean, None);
    assert_eq!(item.item_matrix_id, None);
    assert_eq!(item.default_vendor_id, Some(VendorId(7)));
    assert_eq!(item.manufacturer_id, None);
    let attrs = item.item_attributes.as_ref().unwrap();
    assert_eq!(attrs.item_attribute_set_id, Some(ItemAttributeSetId::COLOR_SIZE));
    assert_eq!(
        (attrs.attribute1.as_deref(), attrs.attribute2.as_deref(), attrs.attribute3.as_deref()),
        (Some("NAVY"), Some("M"), None)
    );
    assert_eq!(item.item_vendor_nums[0].cost, Some(money("18")));
    assert_eq!(item.price(use_type::DEFAULT), Some(money("42")));
    assert!(item.item_shops.is_empty());

    let matrix: ItemMatrix = serde_json::from_value(json!({
        "itemMatrixID": "9", "description": "TOTE-22 NAVY", "itemAttributeSetID": "2",
        "attribute1Values": "", "attribute2Values": ["S", "M"], "attribute3Values": "OS"
    }))
    .unwrap();
    assert!(matrix.attribute1_values.is_empty());
    assert_eq!(matrix.attribute2_values, ["S", "M"]);
    assert_eq!(matrix.attribute3_values, ["OS"]);

    // What is not tolerated: a non-numeric id, a boolean that is neither, a fractional quantity.
    assert!(serde_json::from_value::<Item>(json!({"itemID": "abc"})).is_err());
    assert!(serde_json::from_value::<Item>(json!({"itemID": "1", "archived": "maybe"})).is_err());
    assert!(serde_json::from_value::<OrderLine>(json!({"orderLineID": "1", "quantity": "2.5"})).is_err());
    assert!(serde_json::from_value::<Item>(json!({"description": "no id"})).is_err());
    let line: OrderLine =
        serde_json::from_value(json!({"orderLineID": "1", "quantity": "4.0", "price": "18", "total": "72"})).unwrap();
    assert_eq!((line.quantity, line.price, line.total), (4, money("18"), Some(money("72"))));
}

#[test]
fn both_error_shapes_and_the_token_response() {
    let rest = ErrorBody::parse(br#"{"httpCode":"422","httpMessage":"Unprocessable Entity","message":"UPC already in use","errorClass":"Exception"}"#).unwrap();
    assert!(matches!(&rest, ErrorBody::Rest(e) if e.http_code == 422));
    assert_eq!(rest.message(), "UPC already in use");
    let oauth = ErrorBody::parse(br#"{"error":"access_denied","error_description":"The resource owner or authorization server denied the request.","hint":"Access token could not be verified"}"#).unwrap();
    assert!(matches!(&oauth, ErrorBody::OAuth(e) if e.hint.as_deref() == Some("Access token could not be verified")));
    assert!(!oauth.is_invalid_grant());
    let grant = ErrorBody::parse(br#"{"error":"invalid_grant","error_description":"The refresh token is invalid.","hint":"Token has been revoked"}"#).unwrap();
    assert!(grant.is_invalid_grant());
    assert_eq!(ErrorBody::parse(b"<html>502 Bad Gateway</html>"), None);
    assert_eq!(ErrorBody::parse(b"{\"unexpected\": true}"), None);

    let token: TokenResponse = serde_json::from_str(
        r#"{"token_type":"Bearer","expires_in":3600,"access_token":"eyJ.secret.sig","refresh_token":"def50200secret"}"#,
    )
    .unwrap();
    assert_eq!(token.expires_in, Some(3600));
    assert_eq!(token.refresh_token.as_deref(), Some("def50200secret"));
    assert_eq!(token.scope, None);
    let debug = format!("{token:?}");
    assert!(!debug.contains("secret"), "tokens never reach logs: {debug}");
    let token: TokenResponse = serde_json::from_str(r#"{"access_token":"a","expires_in":"1800"}"#).unwrap();
    assert_eq!(token.expires_in, Some(1800));
}

// ------------------------------------------------------------------------------------------------
// Write payloads
// ------------------------------------------------------------------------------------------------

#[test]
fn order_and_line_payloads_match_the_reference() {
    let order = OrderWrite {
        vendor_id: Some(VendorId(7)),
        shop_id: Some(ShopId(2)),
        ref_num: Some("NuORDER 40718822".into()),
        b2b_order_number: Some("40718822".into()),
        arrival_date: Some("2026-09-15".into()),
        ship_cost: Some(Money::ZERO),
        other_cost: Some(money("11.91")),
        note: Some(NoteWrite { note: "Order # 40718822".into(), is_public: None }),
        ..OrderWrite::default()
    };
    assert_eq!(
        serde_json::to_value(&order).unwrap(),
        json!({"vendorID": "7", "shopID": "2", "refNum": "NuORDER 40718822", "b2bOrderNumber": "40718822",
               "arrivalDate": "2026-09-15", "shipCost": "0.00", "otherCost": "11.91", "Note": {"note": "Order # 40718822"}})
    );
    // A partial update carries only what changes.
    let mark_ordered = OrderWrite { ordered_date: Some("2026-06-01".into()), ..OrderWrite::default() };
    assert_eq!(serde_json::to_string(&mark_ordered).unwrap(), r#"{"orderedDate":"2026-06-01"}"#);

    let line = OrderLineWrite {
        order_id: Some(OrderId(512)),
        item_id: Some(ItemId(1044)),
        quantity: Some(4),
        price: Some(money("18")),
        original_price: Some(money("18")),
        vendor_cost: None,
    };
    assert_eq!(
        serde_json::to_value(&line).unwrap(),
        json!({"orderID": "512", "itemID": "1044", "quantity": "4", "price": "18.00", "originalPrice": "18.00"})
    );
    // What we write, Lightspeed's answer shape reads back.
    let echoed: OrderLine =
        serde_json::from_value(json!({"orderLineID": "2301", "quantity": "4", "price": "18", "originalPrice": "18",
        "vendorCost": "0", "checkedIn": "0", "numReceived": "0", "total": "72", "orderID": "512", "itemID": "1044"}))
        .unwrap();
    assert_eq!((echoed.order_id, echoed.item_id, echoed.quantity), (line.order_id, line.item_id, 4));
}

#[test]
fn vendor_matrix_and_item_payloads() {
    let vendor = VendorWrite { name: Some("Harbor Goods <b>".into()), ..VendorWrite::default() };
    assert_eq!(serde_json::to_value(&vendor).unwrap(), json!({"name": "Harbor Goods <b>"}));

    let matrix = ItemMatrixWrite {
        description: Some("Harbor Canvas Tote TOTE-22 NAVY".into()),
        item_attribute_set_id: Some(ItemAttributeSetId::COLOR_SIZE),
        default_cost: Some(money("18")),
        default_vendor_id: Some(VendorId(7)),
        prices: vec![ItemPriceWrite::default_price(money("42")), ItemPriceWrite::msrp(money("42"))],
        ..ItemMatrixWrite::default()
    };
    assert_eq!(
        serde_json::to_value(&matrix).unwrap(),
        json!({"description": "Harbor Canvas Tote TOTE-22 NAVY", "itemAttributeSetID": "1", "defaultCost": "18.00",
               "defaultVendorID": "7",
               "Prices": {"ItemPrice": [{"amount": "42.00", "useTypeID": "1"}, {"amount": "42.00", "useTypeID": "2"}]}})
    );

    let item = ItemWrite {
        description: Some("Harbor Canvas Tote NAVY OS".into()),
        item_matrix_id: Some(ItemMatrixId(9)),
        default_cost: Some(money("18.375")),
        upc: Some("012345678905".into()),
        manufacturer_sku: Some("TOTE-22".into()),
        default_vendor_id: Some(VendorId(7)),
        item_attributes: Some(ItemAttributesWrite {
            item_attribute_set_id: ItemAttributeSetId::COLOR_SIZE,
            attribute1: Some("NAVY".into()),
            attribute2: Some("OS".into()),
            attribute3: None,
        }),
        item_vendor_nums: vec![ItemVendorNumWrite {
            vendor_id: VendorId(7),
            value: "TOTE-22-NVY".into(),
            cost: Some(money("18.375")),
        }],
        prices: vec![ItemPriceWrite::default_price(money("42")), ItemPriceWrite::msrp(money("42"))],
        ..ItemWrite::default()
    };
    let written = serde_json::to_value(&item).unwrap();
    assert_eq!(
        written,
        json!({"description": "Harbor Canvas Tote NAVY OS", "itemMatrixID": "9", "defaultCost": "18.375",
               "upc": "012345678905", "manufacturerSku": "TOTE-22", "defaultVendorID": "7",
               "ItemAttributes": {"itemAttributeSetID": "1", "attribute1": "NAVY", "attribute2": "OS"},
               "ItemVendorNums": {"ItemVendorNum": [{"vendorID": "7", "value": "TOTE-22-NVY", "cost": "18.375"}]},
               "Prices": {"ItemPrice": [{"amount": "42.00", "useTypeID": "1"}, {"amount": "42.00", "useTypeID": "2"}]}})
    );
    // The read model takes what we write (plus the id the server adds).
    let mut echoed = written;
    echoed["itemID"] = json!("1044");
    let read: Item = serde_json::from_value(echoed).unwrap();
    assert_eq!(read.upc.as_deref(), Some("012345678905"));
    assert_eq!(read.vendor_num(VendorId(7)).map(|n| n.value.as_str()), Some("TOTE-22-NVY"));
    assert_eq!(read.price(use_type::MSRP), Some(money("42")));
    assert_eq!(read.item_attributes.unwrap().attribute2.as_deref(), Some("OS"));
    // Empty collections are left out rather than sent empty.
    let bare = ItemWrite { description: Some("x".into()), ..ItemWrite::default() };
    assert_eq!(serde_json::to_string(&bare).unwrap(), r#"{"description":"x"}"#);
}

#[test]
fn resources_without_recordings_read_their_reference_shapes() {
    let account: Envelope<Account> = serde_json::from_value(json!({"@attributes": {"count": "1"},
        "Account": {"accountID": "83050", "name": "Juniper & Pine", "link": {"@attributes": {"href": "/API/V3/Account/83050"}},
                    "defaultCurrency": {"code": "USD", "symbol": "$"}}})).unwrap();
    let account = account.into_single().unwrap();
    assert_eq!(account.account_id, AccountId(83050));
    assert_eq!(account.default_currency.unwrap().code, "USD");
    let category: Category = serde_json::from_value(json!({"categoryID": "3", "name": "Home", "nodeDepth": "1",
        "fullPathName": "Misc/Home", "leftNode": "2", "rightNode": "3", "parentID": "1"}))
    .unwrap();
    assert_eq!((category.parent_id, category.node_depth), (Some(CategoryId(1)), Some(1)));
    let root: Category = serde_json::from_value(json!({"categoryID": "1", "name": "Misc", "parentID": "0"})).unwrap();
    assert_eq!(root.parent_id, None);
    let brand: Manufacturer = serde_json::from_value(json!({"manufacturerID": "5", "name": "Harbor Goods"})).unwrap();
    assert_eq!(brand.manufacturer_id, ManufacturerId(5));
    let vendor: Vendor = serde_json::from_value(json!({"vendorID": "7", "name": "Harbor Goods", "archived": "false",
        "b2bSellerUID": "5f1a2b3c4d5e6f7081920a1b", "purchasingCurrency": {"code": "CAD", "symbol": "$", "rate": "1.35"}})).unwrap();
    assert_eq!(vendor.b2b_seller_uid.as_deref(), Some("5f1a2b3c4d5e6f7081920a1b"));
    assert_eq!(vendor.purchasing_currency.unwrap().rate, Some(money("1.35")));
    let po: Order = serde_json::from_value(json!({"orderID": "512", "refNum": "NuORDER 40718822", "b2bOrderNumber": "40718822",
        "archived": "true", "OrderLines": {"OrderLine": {"orderLineID": "2301", "quantity": "4", "price": "18", "itemID": "1044"}}})).unwrap();
    assert!(po.archived);
    assert_eq!(po.b2b_order_number.as_deref(), Some("40718822"));
    assert_eq!(po.order_lines.len(), 1, "one line arrives as an object");
}
