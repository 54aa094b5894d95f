//! OrderLine PUT and DELETE, Order archive, and receiving (numReceived / checkedIn / receivedDate /
//! complete) with what the API then refuses.

mod lightspeed_support;
use lightspeed_support::*;
use serde_json::{json, Value};

/// A PO on shop 1 with lines for items 1 (4 × 10) and 2 (2 × 5) → (orderID, [lineIDs]).
fn po(ls: &Ls, t: &str) -> (String, Vec<String>) {
    let o = ls.api(t, "POST", "Order.json", Some(json!({"vendorID": "1", "shopID": "1", "refNum": "NuORDER 1"})));
    let order = o.json()["Order"]["orderID"].as_str().unwrap().to_string();
    let mut lines = vec![];
    for (item, q, p) in [("1", "4", "10"), ("2", "2", "5")] {
        let body = json!({"orderID": order, "itemID": item, "quantity": q, "price": p, "originalPrice": p});
        let r = ls.api(t, "POST", "OrderLine.json", Some(body));
        assert_eq!(r.status, 200, "{}", r.body);
        lines.push(r.json()["OrderLine"]["orderLineID"].as_str().unwrap().to_string());
    }
    (order, lines)
}

fn order(ls: &Ls, t: &str, id: &str) -> Value {
    ls.get(t, &format!("Order/{id}.json")).json()["Order"].clone()
}

fn put_line(ls: &Ls, t: &str, id: &str, body: Value) -> Resp {
    ls.api(t, "PUT", &format!("OrderLine/{id}.json"), Some(body))
}

fn refused(r: &Resp, needle: &str) {
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["httpCode"], "400");
    assert!(r.h("content-type").starts_with("text/html"), "error bodies come as text/html");
    let msg = r.json()["message"].as_str().unwrap().to_string();
    assert!(msg.contains(needle), "{msg:?} should mention {needle:?}");
}

fn qoh(ls: &Ls, item: &str, shop: &str) -> String {
    let items = ls.table("Item");
    let i = items.iter().find(|i| i["itemID"] == item).unwrap();
    let s = i["ItemShops"].as_array().unwrap().iter().find(|s| s["shopID"] == shop).unwrap();
    s["qoh"].as_str().unwrap().to_string()
}

#[test]
fn orderline_put_is_partial_and_delete_is_permanent() {
    let ls = start();
    let t = ls.token();
    let (o, lines) = po(&ls, &t);
    assert_eq!(
        (order(&ls, &t, &o)["totalQuantity"].clone(), order(&ls, &t, &o)["subTotalCost"].clone()),
        (json!("6"), json!("50"))
    );

    let r = put_line(&ls, &t, &lines[0], json!({"quantity": 6}));
    assert_eq!(r.status, 200, "{}", r.body);
    let l = &r.json()["OrderLine"];
    assert_eq!((l["quantity"].clone(), l["price"].clone(), l["total"].clone()), (json!("6"), json!("10"), json!("60")));
    let r = put_line(&ls, &t, &lines[0], json!({"price": "12.5"}));
    let l = &r.json()["OrderLine"];
    assert_eq!(
        (l["quantity"].clone(), l["price"].clone(), l["originalPrice"].clone(), l["total"].clone()),
        (json!("6"), json!("12.5"), json!("10"), json!("75")),
        "omitted fields keep their values"
    );
    let head = order(&ls, &t, &o);
    assert_eq!(
        (head["totalQuantity"].clone(), head["subTotalCost"].clone(), head["totalCost"].clone()),
        (json!("8"), json!("85"), json!("85"))
    );

    refused(&put_line(&ls, &t, &lines[0], json!({"quantity": "six"})), "quantity must be a number");
    refused(&put_line(&ls, &t, &lines[0], json!({"quantity": -1})), "negative");
    assert_eq!(put_line(&ls, &t, "999", json!({"quantity": 1})).status, 404);

    let r = ls.api(&t, "DELETE", &format!("OrderLine/{}.json", lines[1]), None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(ls.get(&t, &format!("OrderLine/{}.json", lines[1])).status, 404, "deleted, not archived");
    assert!(ls.table("OrderLine").iter().all(|l| l["orderLineID"] != lines[1].as_str()));
    assert!(ls
        .get(&t, &format!("OrderLine.json?orderLineID={}&archived=true", lines[1]))
        .json()
        .get("OrderLine")
        .is_none());
    assert_eq!(order(&ls, &t, &o)["totalQuantity"], "6");
    assert_eq!(ls.api(&t, "DELETE", &format!("OrderLine/{}.json", lines[1]), None).status, 404);

    // DELETE Order archives: still readable, no more lines
    let r = ls.api(&t, "DELETE", &format!("Order/{o}.json"), None);
    assert_eq!(r.json()["Order"]["archived"], "true");
    assert_eq!(order(&ls, &t, &o)["archived"], "true");
    let body = json!({"orderID": o, "itemID": "3", "quantity": "1", "price": "1"});
    refused(&ls.api(&t, "POST", "OrderLine.json", Some(body)), "archived");
}

#[test]
fn received_units_protect_their_line() {
    let ls = start();
    let t = ls.token();
    let (o, lines) = po(&ls, &t);
    let r = ls.control(
        "POST",
        "/receive",
        json!({"orderID": o, "lines": [{"orderLineID": lines[0], "numReceived": 2}, {"itemID": "2", "checkedIn": 1}]}),
    );
    assert_eq!(r["OrderLines"][0]["numReceived"], "2");
    assert_eq!(r["OrderLines"][1]["checkedIn"], "1");
    let l = ls.get(&t, &format!("OrderLine/{}.json", lines[0])).json();
    assert_eq!(l["OrderLine"]["numReceived"], "2");
    assert_eq!((qoh(&ls, "2", "1"), qoh(&ls, "2", "0")), ("1".into(), "1".into()), "checked-in units are in stock");

    refused(&put_line(&ls, &t, &lines[0], json!({"quantity": 1})), "already received");
    assert_eq!(put_line(&ls, &t, &lines[0], json!({"quantity": 2})).status, 200, "down to what arrived");
    assert_eq!(put_line(&ls, &t, &lines[0], json!({"price": 11})).status, 200, "price changes are fine");
    refused(&ls.api(&t, "DELETE", &format!("OrderLine/{}.json", lines[1]), None), "received");
    // the API may record receiving too (numReceived is writable)
    let r = put_line(&ls, &t, &lines[0], json!({"numReceived": 0}));
    assert_eq!(r.json()["OrderLine"]["numReceived"], "0");
    assert_eq!(put_line(&ls, &t, &lines[0], json!({"quantity": 1})).status, 200);
}

#[test]
fn a_checked_in_or_complete_po_takes_no_more_changes() {
    let ls = start();
    let t = ls.token();
    let (o, lines) = po(&ls, &t);
    let r = ls.control("POST", "/receive", json!({"orderID": o, "receivedDate": "2026-09-15"}));
    assert_eq!(r["Order"]["receivedDate"], "2026-09-15T07:00:00+00:00");
    assert_eq!(order(&ls, &t, &o)["receivedDate"], "2026-09-15T07:00:00+00:00");
    refused(&put_line(&ls, &t, &lines[0], json!({"quantity": 9})), "checked in");
    refused(&ls.api(&t, "DELETE", &format!("OrderLine/{}.json", lines[0]), None), "checked in");
    let body = json!({"orderID": o, "itemID": "3", "quantity": "1", "price": "1"});
    refused(&ls.api(&t, "POST", "OrderLine.json", Some(body)), "checked in");
    refused(&ls.api(&t, "PUT", &format!("Order/{o}.json"), Some(json!({"shipCost": "5"}))), "checked in");
    assert_eq!(ls.table("OrderLine").len(), 2);

    // back to open, then complete
    ls.control("POST", "/receive", json!({"orderID": o, "receivedDate": null}));
    assert!(order(&ls, &t, &o).get("receivedDate").is_none());
    assert_eq!(put_line(&ls, &t, &lines[0], json!({"quantity": 9})).status, 200);
    ls.control("POST", "/receive", json!({"orderID": o, "complete": true}));
    assert_eq!(order(&ls, &t, &o)["complete"], "true");
    refused(&put_line(&ls, &t, &lines[0], json!({"quantity": 3})), "complete");
    // the switch: accept everything
    ls.control("POST", "/settings", json!({"locked_po_writes": "accept"}));
    assert_eq!(put_line(&ls, &t, &lines[1], json!({"quantity": 1})).status, 200);
    ls.control("POST", "/settings", json!({"locked_po_writes": "reject"}));
    // archiving a finished PO is allowed; an archived PO takes no lines whatever the switch
    assert_eq!(ls.api(&t, "DELETE", &format!("Order/{o}.json"), None).json()["Order"]["archived"], "true");
    let r = ls.req(
        "POST",
        "/__sandbox/lightspeed/receive",
        &[],
        Some(("application/json", json!({"orderID": "77"}).to_string().into_bytes())),
    );
    assert_eq!(r.status, 400);
}
