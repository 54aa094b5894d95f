//! REST API conformance: shapes and quirks, both error shapes, filters, IN limits, sort, cursor
//! pagination, load_relations, and the write semantics (POST defaults, partial PUT, DELETE, UPC 422,
//! nested OrderLines, totals).

mod lightspeed_support;
use lightspeed_support::*;
use serde_json::{json, Value};

fn ok(r: &Resp) -> Value {
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    all_strings(&v).unwrap();
    v
}

fn legacy_error(r: &Resp, status: u16) -> Value {
    assert_eq!(r.status, status, "{}", r.body);
    assert!(r.h("content-type").starts_with("text/html"), "error JSON is served as text/html");
    let v = r.json();
    assert_eq!(v["httpCode"], status.to_string(), "httpCode is a string: {}", r.body);
    assert!(v["httpMessage"].is_string() && v["message"].is_string() && v["errorClass"].is_string());
    v
}

fn new_order(ls: &Ls, t: &str, extra: Value) -> String {
    let mut body = json!({"vendorID": "1", "shopID": "1", "refNum": "NuORDER 40718822"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    ok(&ls.api(t, "POST", "Order.json", Some(body)))["Order"]["orderID"].as_str().unwrap().to_string()
}

#[test]
fn account_and_session() {
    let ls = start();
    let t = ls.token();
    let v = ok(&ls.get(&t, "/API/V3/Account.json"));
    assert_eq!(v["@attributes"]["count"], "1");
    assert_eq!(v["Account"]["link"]["@attributes"]["href"], "/API/V3/Account/83050");
    let v = ok(&ls.get(&t, "/API/V3/Account/83050.json"));
    assert_eq!(v["Account"]["defaultCurrency"]["code"], "USD");
    assert!(v["Account"]["purchasingCurrencies"]["purchasingCurrency"].is_object(), "one currency → an object");
    let v = ok(&ls.get(&t, "/API/Session.json"));
    assert_eq!(v["systemCustomerID"], ACCT);
    assert_eq!(v["Rights"]["purchase_orders"], "true");
    assert_eq!(v["shopCount"], "2");
}

#[test]
fn shapes_strings_single_object_and_absent_collections() {
    let ls = start();
    let t = ls.token();
    let v = ok(&ls.get(&t, "Item/1.json?load_relations=[\"ItemVendorNums\",\"ItemShops\"]"));
    let item = &v["Item"];
    assert_eq!(v["@attributes"]["count"], "1");
    assert!(item["ItemVendorNums"]["ItemVendorNum"].is_object(), "one vendor number → object");
    assert!(item["ItemShops"]["ItemShop"].is_array());
    assert!(item["Prices"]["ItemPrice"].is_array());
    assert_eq!(item["defaultCost"], "18");
    // item 3 has no vendor numbers: key absent
    let v = ok(&ls.get(&t, "Item/3.json?load_relations=[\"ItemVendorNums\"]"));
    assert!(v["Item"].get("ItemVendorNums").is_none());
    // not loaded → not there (Prices always are)
    let v = ok(&ls.get(&t, "Item/1.json"));
    assert!(v["Item"].get("ItemShops").is_none() && v["Item"].get("Prices").is_some());
    // a list of one is an object, a list of none has no key
    let v = ok(&ls.get(&t, "Vendor.json?name=Northwind%20Apparel"));
    assert!(v["Vendor"].is_object());
    assert_eq!(v["@attributes"]["next"], "");
    let v = ok(&ls.get(&t, "Vendor.json?name=Nobody"));
    assert!(v.get("Vendor").is_none());
    // unset dates omitted; date-only input becomes local midnight in UTC
    let id = new_order(&ls, &t, json!({"arrivalDate": "2026-09-15", "shipCost": 12.5, "otherCost": 0}));
    let o = ok(&ls.get(&t, &format!("Order/{id}.json")))["Order"].clone();
    assert_eq!(o["arrivalDate"], "2026-09-15T07:00:00+00:00");
    assert!(o.get("orderedDate").is_none() && o.get("receivedDate").is_none());
    assert_eq!(o["shipCost"], "12.5");
    assert_eq!(o["complete"], "false");
    // an order without lines has no OrderLines key even when loaded
    let o = ok(&ls.get(&t, &format!("Order/{id}.json?load_relations=[\"OrderLines\",\"Vendor\",\"Shop\"]")))["Order"]
        .clone();
    assert!(o.get("OrderLines").is_none());
    assert_eq!(o["Vendor"]["name"], "Harbor Goods Co.");
    assert_eq!(o["Shop"]["shopID"], "1");
}

#[test]
fn item_attribute_sets_are_the_four_system_sets() {
    let ls = start();
    let t = ls.token();
    let v = ok(&ls.get(&t, "ItemAttributeSet.json"));
    let sets = elements(&v["ItemAttributeSet"]);
    assert_eq!(sets.len(), 4);
    assert_eq!(sets[1]["name"], "Size");
    assert_eq!(sets[1]["attributeName1"], "");
    assert_eq!(sets[1]["attributeName2"], "Size");
    assert_eq!(sets[0]["name"], "Color/Size");
    // a Size matrix variant keeps its size in attribute2 and joins the matrix's values
    let m =
        ok(&ls.api(&t, "POST", "ItemMatrix.json", Some(json!({"description": "Deck Shoe", "itemAttributeSetID": 2}))))
            ["ItemMatrix"]["itemMatrixID"]
            .as_str()
            .unwrap()
            .to_string();
    let i = ok(&ls.api(&t, "POST", "Item.json", Some(json!({"itemMatrixID": m, "upc": "012345670001", "ItemAttributes": {"itemAttributeSetID": "2", "attribute1": "", "attribute2": "9"}}))));
    assert_eq!(i["Item"]["description"], "Deck Shoe 9");
    assert_eq!(i["Item"]["ItemAttributes"]["attribute2"], "9");
    let mx = ok(&ls.get(&t, &format!("ItemMatrix/{m}.json?load_relations=[\"Items\",\"ItemAttributeSet\"]")));
    assert_eq!(mx["ItemMatrix"]["attribute2Values"], json!(["9"]));
    assert!(mx["ItemMatrix"]["Items"]["Item"].is_object());
    assert_eq!(mx["ItemMatrix"]["ItemAttributeSet"]["name"], "Size");
}

#[test]
fn both_error_shapes_and_statuses() {
    let ls = start();
    let t = ls.token();
    // unknown token: legacy shape
    let v = legacy_error(&ls.get("not-a-token", "Shop.json"), 401);
    assert_eq!(v["message"], "Invalid access token.");
    legacy_error(&ls.req("GET", "/API/V3/Account/83050/Shop.json", &[], None), 401);
    // expired token: OAuth shape
    ls.control("POST", "/tokens/expire", json!({"access_token": t}));
    let r = ls.get(&t, "Shop.json");
    assert_eq!(r.status, 401);
    let v = r.json();
    assert_eq!(v["error"], "access_denied");
    assert_eq!(v["hint"], "Access token could not be verified");
    let t = ls.token();
    legacy_error(&ls.get(&t, "Item/999.json"), 404);
    legacy_error(&ls.get(&t, "Nope.json"), 404);
    legacy_error(&ls.api(&t, "DELETE", "Manufacturer/1.json", None), 405);
    legacy_error(&ls.api(&t, "POST", "Shop.json", Some(json!({"name": "x"}))), 405);
    legacy_error(&ls.get(&t, "Shop.xml"), 406);
    assert_eq!(ls.api(&t, "GET", "/API/V3/Account/83050/Shop", None).status, 406);
    assert_eq!(
        ls.req(
            "GET",
            "/API/V3/Account/83050/Shop",
            &[("Authorization", &format!("Bearer {t}")), ("Accept", "application/json")],
            None
        )
        .status,
        200
    );
    legacy_error(&ls.get(&t, "/API/V3/Account/99999/Shop.json"), 403);
    let narrow = ls.token_with(json!({"scope": "employee:inventory_read"}));
    legacy_error(&ls.get(&narrow, "Order.json"), 403);
    assert_eq!(ls.get(&narrow, "Item.json").status, 200);
    legacy_error(&ls.api(&narrow, "POST", "Item.json", Some(json!({"description": "x"}))), 403);
    // validation
    let v = legacy_error(&ls.api(&t, "POST", "Item.json", Some(json!({"description": ""}))), 400);
    assert_eq!(v["message"], "Item not created. An Item must have a description.");
    legacy_error(&ls.api(&t, "POST", "Vendor.json", Some(json!({}))), 400);
    legacy_error(&ls.get(&t, "Item.json?sort=upc"), 400);
    legacy_error(&ls.get(&t, "Item.json?limit=101"), 400);
    legacy_error(&ls.get(&t, "Item.json?colour=red"), 400);
    legacy_error(&ls.get(&t, "Item.json?load_relations=[\"Nope\"]"), 400);
    legacy_error(&ls.get(&t, "Item.json?count=1&limit=5"), 400);
}

#[test]
fn filters_in_or_like_archived_itemcode_and_count() {
    let ls = start();
    let t = ls.token();
    let ids =
        |v: &Value| elements(&v["Item"]).iter().map(|i| i["itemID"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&ok(&ls.get(&t, "Item.json?upc=012345678905"))), ["1"]);
    assert_eq!(ids(&ok(&ls.get(&t, "Item.json?description=~,canvas%25"))), ["1"]);
    assert_eq!(ids(&ok(&ls.get(&t, "Item.json?description=~,canvas%25&archived=true"))), ["1", "4"]);
    assert_eq!(ids(&ok(&ls.get(&t, "Item.json?archived=only"))), ["4"]);
    assert_eq!(ids(&ok(&ls.get(&t, "Item.json?upc=IN,[012345678905,098765432109]"))), ["1", "3"]);
    assert_eq!(ids(&ok(&ls.get(&t, "Item.json?or=upc%3D0098765432109%7Cean%3D0098765432109"))), ["3"]);
    assert_eq!(ids(&ok(&ls.get(&t, "Item.json?itemCode=0098765432109"))), ["3"]);
    assert_eq!(ids(&ok(&ls.get(&t, "Item.json?defaultCost=%3E,20"))), ["2"]);
    assert_eq!(ids(&ok(&ls.get(&t, "Item.json?itemID=%3E%3C,2,3"))), ["2", "3"]);
    assert_eq!(
        ids(&ok(&ls.get(&t, "Item.json?ItemVendorNums.value=HG2040-NAV-M&load_relations=[\"ItemVendorNums\"]"))),
        ["2"]
    );
    assert_eq!(ok(&ls.get(&t, "Item.json?count=1"))["@attributes"]["count"], "3");
    assert_eq!(ok(&ls.get(&t, "Shop.json?archived=only"))["Shop"]["name"], "Old Warehouse (closed)");
    // IN with 100 values works, 101 is refused
    let hundred: Vec<String> = (1..=100).map(|i| i.to_string()).collect();
    assert_eq!(ids(&ok(&ls.get(&t, &format!("Item.json?itemID=IN,[{}]", hundred.join(","))))), ["1", "2", "3"]);
    let v = legacy_error(&ls.get(&t, &format!("Item.json?itemID=IN,[{},101]", hundred.join(","))), 400);
    assert!(v["message"].as_str().unwrap().contains("100"));
    // orders by reference number and NuORDER number
    new_order(&ls, &t, json!({"refNum": "NuORDER 123", "b2bOrderNumber": "123"}));
    let v = ok(&ls.get(&t, "Order.json?refNum=NuORDER%20123&archived=true"));
    assert_eq!(v["Order"]["b2bOrderNumber"], "123");
    assert_eq!(elements(&ok(&ls.get(&t, "Order.json?b2bOrderNumber=123"))["Order"]).len(), 1);
}

#[test]
fn sort_and_cursor_pagination_across_pages() {
    let ls = start();
    let items: Vec<Value> = (0..230)
        .map(|i| json!({"description": format!("Bulk item {i:03}"), "upc": format!("{:012}", 500000000000u64 + i)}))
        .collect();
    ls.control("POST", "/seed", json!({"replace": false, "accounts": [{"accountID": ACCT, "Item": items}]}));
    let t = ls.token();
    let mut url = format!("/API/V3/Account/{ACCT}/Item.json?description=~,Bulk%25&limit=100");
    let mut seen = vec![];
    let mut pages = 0;
    let mut page2 = String::new();
    loop {
        let v = ok(&ls.get(&t, &url));
        pages += 1;
        let rows = elements(&v["Item"]);
        seen.extend(rows.iter().map(|r| r["itemID"].as_str().unwrap().parse::<u64>().unwrap()));
        let next = v["@attributes"]["next"].as_str().unwrap().to_string();
        if pages == 1 {
            assert_eq!(v["@attributes"]["previous"], "");
        } else {
            assert!(v["@attributes"]["previous"].as_str().unwrap().contains("before="));
        }
        if next.is_empty() {
            break;
        }
        assert!(
            next.starts_with(&ls.base)
                && next.contains("after=")
                && next.contains("description=")
                && next.contains("sort=itemID"),
            "{next}"
        );
        if pages == 1 {
            page2 = next.clone();
        }
        url = next;
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 230);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    // previous from page 2 gives page 1 back
    let p2 = ok(&ls.get(&t, &page2));
    let p1 = ok(&ls.get(&t, p2["@attributes"]["previous"].as_str().unwrap()));
    assert_eq!(elements(&p1["Item"]).len(), 100);
    assert_eq!(elements(&p1["Item"])[0]["itemID"], json!(seen[0].to_string()));
    // descending sort by description, with a cursor
    let v = ok(&ls.get(&t, "Item.json?description=~,Bulk%25&sort=-description&limit=2"));
    let rows = elements(&v["Item"]);
    assert_eq!(rows[0]["description"], "Bulk item 229");
    let v = ok(&ls.get(&t, v["@attributes"]["next"].as_str().unwrap()));
    assert_eq!(elements(&v["Item"])[0]["description"], "Bulk item 227");
}

#[test]
fn item_writes_partial_put_upc_422_and_delete_archives() {
    let ls = start();
    let t = ls.token();
    let v = ok(&ls.api(
        &t,
        "POST",
        "Item.json",
        Some(json!({
            "description": "Harbor Cap Olive", "upc": "012345670018", "defaultCost": 9.5, "manufacturerSku": "HG-CAP",
            "ItemVendorNums": {"ItemVendorNum": [{"vendorID": 1, "value": "HG-CAP-OL", "cost": 9.5}]},
            "Prices": {"ItemPrice": [{"amount": "24.00", "useTypeID": "1"}]}
        })),
    ));
    let item = &v["Item"];
    let id = item["itemID"].as_str().unwrap().to_string();
    assert_eq!(item["defaultCost"], "9.5");
    assert!(item["systemSku"].as_str().unwrap().starts_with("2100"));
    assert_eq!(elements(&item["ItemShops"]["ItemShop"]).len(), 4, "each shop + shop 0");
    assert_eq!(elements(&item["Prices"]["ItemPrice"])[0]["amount"], "24");
    assert_eq!(item["ItemVendorNums"]["ItemVendorNum"]["value"], "HG-CAP-OL");
    // partial PUT: only the sent field changes; empty clears
    let v =
        ok(&ls.api(&t, "PUT", &format!("Item/{id}.json"), Some(json!({"customSku": "CAP-1", "manufacturerSku": ""}))));
    assert_eq!(v["Item"]["customSku"], "CAP-1");
    assert_eq!(v["Item"]["manufacturerSku"], "");
    assert_eq!(v["Item"]["upc"], "012345670018");
    assert_eq!(v["Item"]["description"], "Harbor Cap Olive");
    // PUT with another item's UPC → 422
    let e = legacy_error(&ls.api(&t, "PUT", &format!("Item/{id}.json"), Some(json!({"upc": "012345678905"}))), 422);
    assert!(e["message"].as_str().unwrap().contains("012345678905"));
    // POST with an existing UPC: created by default, 422 when the switch is on
    ok(&ls.api(&t, "POST", "Item.json", Some(json!({"description": "Dup", "upc": "012345678905"}))));
    ls.control("POST", "/settings", json!({"reject_duplicate_upc_on_post": true}));
    legacy_error(&ls.api(&t, "POST", "Item.json", Some(json!({"description": "Dup 2", "upc": "012345678905"}))), 422);
    // PUT clearing the description → 400
    legacy_error(&ls.api(&t, "PUT", &format!("Item/{id}.json"), Some(json!({"description": ""}))), 400);
    // DELETE archives and zeroes stock
    let v = ok(&ls.api(&t, "DELETE", "Item/1.json", None));
    assert_eq!(v["Item"]["archived"], "true");
    let v = ok(&ls.get(&t, "Item/1.json?load_relations=[\"ItemShops\"]"));
    assert!(elements(&v["Item"]["ItemShops"]["ItemShop"]).iter().all(|s| s["qoh"] == "0"));
    assert!(ok(&ls.get(&t, "Item.json?upc=012345678905")).get("Item").is_some(), "the duplicate is still live");
    assert!(ok(&ls.get(&t, "Item.json?itemID=1")).get("Item").is_none(), "archived items are hidden by default");
    // un-archive with archived:false
    let v = ok(&ls.api(&t, "PUT", "Item/1.json", Some(json!({"archived": false}))));
    assert_eq!(v["Item"]["archived"], "false");
}

#[test]
fn orders_lines_totals_nested_lines_and_delete() {
    let ls = start();
    ls.relax_limits();
    let t = ls.token();
    let v = ok(&ls.api(&t, "POST", "Order.json", Some(json!({"vendorID": "1", "shopID": "2", "refNum": "NuORDER 40718822", "b2bOrderNumber": "40718822",
        "shipCost": "5", "otherCost": "-2", "shipInstructions": "Ship window 2026-08-20..2026-09-15", "Note": {"note": "Brand: Harbor Goods; Season: FW26"}}))));
    let o = &v["Order"];
    let id = o["orderID"].as_str().unwrap().to_string();
    assert_eq!(o["Note"]["note"], "Brand: Harbor Goods; Season: FW26");
    assert_eq!(o["totalQuantity"], "0");
    // status dates need a line
    legacy_error(&ls.api(&t, "PUT", &format!("Order/{id}.json"), Some(json!({"orderedDate": "2026-08-01"}))), 400);
    let l1 = ok(&ls.api(
        &t,
        "POST",
        "OrderLine.json",
        Some(json!({"orderID": id, "itemID": "1", "quantity": "4", "price": "18.00", "originalPrice": "18.00"})),
    ));
    assert_eq!(l1["OrderLine"]["total"], "72");
    assert_eq!(l1["OrderLine"]["price"], "18");
    assert_eq!(l1["OrderLine"]["checkedIn"], "0");
    let l2 = ok(&ls.api(
        &t,
        "POST",
        "OrderLine.json",
        Some(json!({"orderID": id, "itemID": 2, "quantity": 1, "price": 64})),
    ));
    let o = ok(&ls.get(&t, &format!("Order/{id}.json?load_relations=[\"OrderLines\"]")))["Order"].clone();
    assert_eq!(o["totalQuantity"], "5");
    assert_eq!(o["totalCost"], "139");
    assert_eq!(elements(&o["OrderLines"]["OrderLine"]).len(), 2);
    ok(&ls.api(&t, "PUT", &format!("Order/{id}.json"), Some(json!({"orderedDate": "2026-08-01T10:00:00-0700"}))));
    assert_eq!(ok(&ls.get(&t, &format!("Order/{id}.json")))["Order"]["orderedDate"], "2026-08-01T17:00:00+00:00");
    // lines: by order, PUT, DELETE is permanent
    assert_eq!(elements(&ok(&ls.get(&t, &format!("OrderLine.json?orderID={id}")))["OrderLine"]).len(), 2);
    let l2id = l2["OrderLine"]["orderLineID"].as_str().unwrap();
    ok(&ls.api(&t, "PUT", &format!("OrderLine/{l2id}.json"), Some(json!({"quantity": 3}))));
    assert_eq!(ok(&ls.get(&t, &format!("Order/{id}.json")))["Order"]["totalQuantity"], "7");
    ok(&ls.api(&t, "DELETE", &format!("OrderLine/{l2id}.json"), None));
    legacy_error(&ls.get(&t, &format!("OrderLine/{l2id}.json")), 404);
    assert_eq!(ok(&ls.get(&t, &format!("Order/{id}.json")))["Order"]["totalQuantity"], "4");
    // archived items and archived shops are refused
    legacy_error(
        &ls.api(&t, "POST", "OrderLine.json", Some(json!({"orderID": id, "itemID": "4", "quantity": 1}))),
        400,
    );
    legacy_error(&ls.api(&t, "POST", "Order.json", Some(json!({"vendorID": "1", "shopID": "3"}))), 400);
    legacy_error(&ls.api(&t, "POST", "Order.json", Some(json!({"shopID": "1"}))), 400);
    // nested OrderLines: only the first is created (default)
    let v = ok(&ls.api(&t, "POST", "Order.json", Some(json!({"vendorID": "1", "shopID": "1", "OrderLines": {"OrderLine": [
        {"itemID": "1", "quantity": "1", "price": "18"}, {"itemID": "2", "quantity": "2", "price": "64"}, {"itemID": "3", "quantity": "3", "price": "11.5"}]}}))));
    let nid = v["Order"]["orderID"].as_str().unwrap();
    assert_eq!(v["Order"]["totalQuantity"], "1");
    assert_eq!(elements(&ok(&ls.get(&t, &format!("OrderLine.json?orderID={nid}")))["OrderLine"]).len(), 1);
    ls.control("POST", "/settings", json!({"nested_order_lines": "reject"}));
    legacy_error(
        &ls.api(
            &t,
            "POST",
            "Order.json",
            Some(json!({"vendorID": "1", "OrderLines": {"OrderLine": {"itemID": "1", "quantity": "1"}}})),
        ),
        400,
    );
    // DELETE archives the order
    assert_eq!(ok(&ls.api(&t, "DELETE", &format!("Order/{id}.json"), None))["Order"]["archived"], "true");
    assert!(ok(&ls.get(&t, "Order.json?refNum=NuORDER%2040718822")).get("Order").is_none());
    assert!(ok(&ls.get(&t, "Order.json?refNum=NuORDER%2040718822&archived=true")).get("Order").is_some());
    // vendors archive too
    assert_eq!(ok(&ls.api(&t, "DELETE", "Vendor/2.json", None))["Vendor"]["archived"], "true");
    let v = ok(&ls.api(
        &t,
        "POST",
        "Vendor.json",
        Some(json!({"name": "Test Vendor 1A", "accountNumber": "testAccountNumber123"})),
    ));
    assert_eq!(v["Vendor"]["updatePrice"], "false");
}
