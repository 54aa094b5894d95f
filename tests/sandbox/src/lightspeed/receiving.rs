//! Receiving a purchase order, and what the API refuses once goods have arrived.
//!
//! The control call (`POST /__sandbox/lightspeed/receive`) does what the back office's check-in does:
//! `numReceived` / `checkedIn` on lines (checked-in units go into the order's shop's stock),
//! `receivedDate` and `complete` on the PO. The reference documents the fields but not what the API
//! refuses afterwards; the sandbox's assumption (LIGHTSPEED.md, setting `locked_po_writes`) is that a
//! PO that is checked in (`receivedDate` set) or complete takes no line writes and no PUT, and that a
//! line never goes below what has arrived on it (`numReceived` + `checkedIn`) nor is deleted once
//! anything arrived.

use super::clock::{iso, normalise_date_in};
use super::model::{fmt_num, get, num, Record};
use super::store::{Account, ApiError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// What the API does with writes to a PO that has received goods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockedWrites {
    /// 400 (default): checked-in/complete POs and received quantities are protected.
    Reject,
    /// Everything goes through (as if the real API checked nothing).
    Accept,
}

fn id_of(v: &str) -> u64 {
    v.trim().parse().unwrap_or(0)
}

/// Why this PO takes no more changes (`None` while it is open).
pub fn locked(acct: &Account, order: u64) -> Option<&'static str> {
    let o = acct.get("Order", order)?;
    if get(o, "complete") == "true" {
        Some("complete")
    } else if !get(o, "receivedDate").is_empty() {
        Some("checked in")
    } else {
        None
    }
}

fn received(line: &Record) -> f64 {
    num(line, "numReceived") + num(line, "checkedIn")
}

/// PUT Order on a locked PO.
pub fn check_order_put(acct: &Account, order: u64, verb: &str) -> Result<(), ApiError> {
    match locked(acct, order) {
        Some(why) => Err(ApiError::bad(format!("{verb} Order {order} is {why} and can no longer be changed."))),
        None => Ok(()),
    }
}

/// POST/PUT OrderLine (`before` is `None` for a POST): the PO must be open, the quantity a number
/// no lower than what arrived.
pub fn check_line_write(
    acct: &Account,
    mode: LockedWrites,
    before: Option<&Record>,
    after: &Record,
    verb: &str,
) -> Result<(), ApiError> {
    for k in ["quantity", "price", "originalPrice", "vendorCost", "numReceived"] {
        if get(after, k).parse::<f64>().is_err() {
            return Err(ApiError::bad(format!("{verb} {k} must be a number.")));
        }
    }
    if num(after, "quantity") < 0.0 || num(after, "numReceived") < 0.0 {
        return Err(ApiError::bad(format!("{verb} quantity and numReceived can't be negative.")));
    }
    if mode == LockedWrites::Accept {
        return Ok(());
    }
    let orders = [before.map(|b| id_of(get(b, "orderID"))), Some(id_of(get(after, "orderID")))];
    for order in orders.into_iter().flatten() {
        if let Some(why) = locked(acct, order) {
            return Err(ApiError::bad(format!("{verb} Order {order} is {why}; its lines can no longer be changed.")));
        }
    }
    let Some(before) = before else { return Ok(()) };
    let arrived = received(after).max(received(before));
    if num(after, "quantity") != num(before, "quantity") && num(after, "quantity") < arrived {
        return Err(ApiError::bad(format!(
            "{verb} The quantity can't be lower than the {} units already received.",
            fmt_num(arrived)
        )));
    }
    Ok(())
}

/// DELETE OrderLine: not on a locked PO, not once anything arrived on the line.
pub fn check_line_delete(acct: &Account, mode: LockedWrites, line: &Record) -> Result<(), ApiError> {
    if mode == LockedWrites::Accept {
        return Ok(());
    }
    let order = id_of(get(line, "orderID"));
    if let Some(why) = locked(acct, order) {
        return Err(ApiError::bad(format!("OrderLine not deleted. Order {order} is {why}.")));
    }
    if received(line) > 0.0 {
        return Err(ApiError::bad(format!(
            "OrderLine not deleted. {} units were already received on it.",
            fmt_num(received(line))
        )));
    }
    Ok(())
}

/// Stock follows checked-in units: `delta` more of `item` in `shop` (and in shop 0, the total).
fn add_stock(acct: &mut Account, item: u64, shop: &str, delta: f64, now: f64) {
    let Some(Value::Array(shops)) =
        acct.tables.get_mut("Item").and_then(|t| t.get_mut(&item)).and_then(|i| i.get_mut("ItemShops"))
    else {
        return;
    };
    for s in shops.iter_mut().filter(|s| s["shopID"] == shop || s["shopID"] == "0") {
        for k in ["qoh", "sellable"] {
            let q = super::model::scalar(&s[k]).parse::<f64>().unwrap_or(0.0) + delta;
            s[k] = Value::String(fmt_num(q));
        }
        s["timeStamp"] = Value::String(iso(now));
    }
}

/// One `lines[]` entry of the receive call: the line by `orderLineID`, else by `itemID` on the PO.
fn receive_line(acct: &mut Account, order: u64, spec: &Value, now: f64) -> Result<Value, String> {
    let s = |k: &str| spec.get(k).map(super::model::scalar).unwrap_or_default();
    let lines = acct.lines_of(order);
    let id = match id_of(&s("orderLineID")) {
        0 => {
            let item = s("itemID");
            lines.into_iter().find(|l| acct.get("OrderLine", *l).is_some_and(|r| get(r, "itemID") == item))
        }
        n => lines.into_iter().find(|l| *l == n),
    }
    .ok_or(format!("no such line on Order {order}: {spec}"))?;
    let shop = get(acct.get("Order", order).unwrap(), "shopID").to_string();
    let line = acct.tables.get_mut("OrderLine").and_then(|t| t.get_mut(&id)).unwrap();
    let mut stock = 0.0;
    for k in ["numReceived", "checkedIn"] {
        let Some(v) = spec.get(k) else { continue };
        let n =
            v.as_f64().or_else(|| v.as_str().and_then(|x| x.parse().ok())).ok_or(format!("{k} must be a number"))?;
        if k == "checkedIn" {
            stock = n - num(line, k);
        }
        line.insert(k.into(), Value::String(fmt_num(n)));
    }
    line.insert("timeStamp".into(), Value::String(iso(now)));
    let (item, view) = (id_of(get(line, "itemID")), Value::Object(line.clone()));
    add_stock(acct, item, &shop, stock, now);
    Ok(view)
}

/// `{orderID, lines?: [{orderLineID | itemID, numReceived?, checkedIn?}], receivedDate?: date | true | null,
/// complete?: bool}` → `{Order, OrderLines}` as stored.
pub fn receive(acct: &mut Account, body: &Value, now: f64) -> Result<Value, String> {
    let order = id_of(&body.get("orderID").map(super::model::scalar).unwrap_or_default());
    if acct.get("Order", order).is_none() {
        return Err(format!("no Order {order}"));
    }
    let mut changed = vec![];
    for spec in body.get("lines").and_then(Value::as_array).into_iter().flatten() {
        changed.push(receive_line(acct, order, spec, now)?);
    }
    let zone = acct.get("Order", order).and_then(|o| acct.shop_zone(o));
    let o = acct.tables.get_mut("Order").and_then(|t| t.get_mut(&order)).unwrap();
    match body.get("receivedDate") {
        Some(Value::Null) => {
            o.remove("receivedDate");
        }
        Some(Value::Bool(true)) => {
            o.insert("receivedDate".into(), Value::String(iso(now)));
        }
        Some(v) => {
            let raw = super::model::scalar(v);
            let d = normalise_date_in(&raw, zone.as_deref()).ok_or(format!("receivedDate: not a date: {raw}"))?;
            o.insert("receivedDate".into(), Value::String(d));
        }
        None => {}
    }
    if let Some(c) = body.get("complete") {
        let c = c.as_bool().ok_or("complete must be true or false")?;
        o.insert("complete".into(), Value::String(c.to_string()));
    }
    o.insert("timeStamp".into(), Value::String(iso(now)));
    let order_view = Value::Object(o.clone());
    Ok(json!({"Order": order_view, "OrderLines": changed}))
}
