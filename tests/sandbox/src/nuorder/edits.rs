//! Brand-side edits of an order (`POST /__sandbox/nuorder/orders/{key}/edit`): quantities, added and
//! removed sizes and lines, prices and discounts, the ship window, shipping, cancelled units, status.
//! Totals are recomputed the way the fixture generator computes them (`make_fixtures.py`), and
//! `modified_on` (plus `edited`/`edited_on` for content edits) moves forward. See NUORDER.md.

use super::corpus::{Corpus, STATUSES};
use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Map, Value};

type Edit = Result<(), String>;

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A number as the fixtures store it: an integer when whole.
fn num(x: f64) -> Value {
    let x = r2(x);
    if x == x.trunc() && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

/// An amount as NuORDER writes it in strings ("672", "37.8").
fn amount(x: f64) -> Value {
    let s = format!("{:.2}", r2(x));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    Value::String(if s.is_empty() || s == "-0" { "0".into() } else { s.to_string() })
}

fn f(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::String(s) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// `$1,234.50` keeping the symbol an existing display string uses.
fn money_like(old: &Value, x: f64) -> Value {
    let old = old.as_str().unwrap_or("$");
    let symbol: String = old.chars().take_while(|c| !c.is_ascii_digit()).collect();
    let whole = format!("{:.2}", r2(x));
    let (int, frac) = whole.split_once('.').unwrap_or((&whole, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 && c.is_ascii_digit() {
            grouped.push(',');
        }
        grouped.push(c);
    }
    Value::String(format!("{symbol}{grouped}.{frac}"))
}

fn units(size: &Value) -> f64 {
    f(&size["quantity"]) * size["units_per_pack"].as_f64().unwrap_or(1.0).max(1.0)
}

/// Does this line match the selector (`product_id`, or `style_number` with an optional `color`)?
fn selects(sel: &Value, line: &Value) -> bool {
    let p = &line["product"];
    if let Some(id) = sel["product_id"].as_str() {
        return p["_id"] == id;
    }
    let Some(style) = sel["style_number"].as_str() else { return false };
    p["style_number"] == style && sel["color"].as_str().is_none_or(|c| p["color"] == c)
}

fn line_index(doc: &Value, sel: &Value) -> Option<usize> {
    doc["line_items"].as_array()?.iter().position(|l| selects(sel, l))
}

fn describe(sel: &Value) -> String {
    sel.get("product_id")
        .or_else(|| sel.get("style_number"))
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .unwrap_or_else(|| sel.to_string())
}

/// Now as NuORDER writes it (`2026-06-02T11:05:00.000Z`), strictly after `previous`.
pub fn next_timestamp(previous: Option<&str>, wanted: Option<&str>) -> String {
    let parse = |s: &str| s.parse::<Timestamp>().ok();
    let mut t = wanted.and_then(parse).unwrap_or_else(Timestamp::now);
    if let Some(p) = previous.and_then(parse) {
        if t <= p {
            t = p + SignedDuration::from_millis(1);
        }
    }
    format!("{}.{:03}Z", t.strftime("%Y-%m-%dT%H:%M:%S"), t.subsec_millisecond())
}

/// `2026-09-01` → `2026-09-01T00:00:00.000Z`; full timestamps are kept.
fn ship_date(v: &Value, key: &str) -> Result<String, String> {
    let s = v.as_str().ok_or(format!("{key} must be a date string"))?;
    if s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok() {
        return Ok(format!("{s}T00:00:00.000Z"));
    }
    s.parse::<Timestamp>().map(|_| s.to_string()).map_err(|_| format!("{key}: not a date: {s}"))
}

/// Apply one edit body to an order document. Returns whether the content changed (not only status).
pub fn apply(doc: &mut Value, body: &Value, corpus: &Corpus) -> Result<bool, String> {
    let Some(b) = body.as_object() else { return Err("the edit body must be a JSON object".into()) };
    let known =
        ["start_ship", "end_ship", "discount", "shipping", "lines", "add_lines", "cancel", "status", "modified_on"];
    if let Some(k) = b.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(format!("unknown edit field {k}; expected one of {}", known.join(", ")));
    }
    let content = b.keys().any(|k| k != "status" && k != "modified_on");
    ship_window(doc, b)?;
    if let Some(d) = b.get("discount") {
        doc["discount"] = num(d.as_f64().ok_or("discount must be a number (percent)")?);
    }
    if let Some(s) = b.get("shipping") {
        let s = s.as_f64().ok_or("shipping must be a number")?;
        let info = doc["shipping_information"].as_object().cloned().unwrap_or_default();
        let mut info = if info.is_empty() { Map::new() } else { info };
        info.insert("price".into(), num(s));
        info.insert("final_amount".into(), num(s));
        doc["shipping_information"] = Value::Object(info);
    }
    for add in b.get("add_lines").and_then(Value::as_array).into_iter().flatten() {
        add_line(doc, add, corpus)?;
    }
    for edit in b.get("lines").and_then(Value::as_array).into_iter().flatten() {
        edit_line(doc, edit, corpus)?;
    }
    for c in b.get("cancel").and_then(Value::as_array).into_iter().flatten() {
        cancel_units(doc, c)?;
    }
    recompute(doc);
    if let Some(s) = b.get("status") {
        set_status(doc, s)?;
    }
    Ok(content)
}

fn ship_window(doc: &mut Value, b: &Map<String, Value>) -> Edit {
    for (key, line_key) in [("start_ship", "ship_start"), ("end_ship", "ship_end")] {
        let Some(v) = b.get(key) else { continue };
        let new = ship_date(v, key)?;
        let old = doc[key].clone();
        doc[key] = Value::String(new.clone());
        // Lines that followed the order's window follow it again.
        for l in doc["line_items"].as_array_mut().into_iter().flatten() {
            if l[line_key] == old || l[line_key].is_null() {
                l[line_key] = Value::String(new.clone());
            }
        }
    }
    Ok(())
}

/// A size row for `size` of `product` (UPC and pack from the product when it lists the size).
fn new_size(product: Option<&Value>, size: &str, price: f64, original: f64, spec: &Value) -> Value {
    let ps = product.and_then(|p| p["sizes"].as_array()).and_then(|s| s.iter().find(|x| x["size"] == size));
    let mut s = json!({"size": size, "quantity": 0, "price": num(price), "original_price": num(original)});
    if let Some(upc) = spec.get("upc").or_else(|| ps.and_then(|p| p.get("upc"))) {
        s["upc"] = upc.clone();
    }
    if let Some(u) = ps.and_then(|p| p.get("units_per_pack")) {
        s["units_per_pack"] = u.clone();
    }
    s["discounts"] = json!({"total_discount": 0, "applied": []});
    s["surcharges"] = json!({"total_surcharge": "0", "applied": []});
    s
}

/// `{"S": 3, "M": {"quantity": 2, "upc": "…"}, "L": null}`: set, add (with an optional UPC), remove.
fn edit_sizes(line: &mut Value, sizes: &Map<String, Value>, product: Option<&Value>) -> Edit {
    let (price, orig) = line["sizes"]
        .as_array()
        .and_then(|s| s.first())
        .map(|s| (f(&s["price"]), f(&s["original_price"])))
        .or_else(|| line["__new_price"].as_f64().map(|p| (p, p)))
        .unwrap_or((0.0, 0.0));
    let rows = line["sizes"].as_array_mut().ok_or("the line has no sizes array")?;
    for (name, spec) in sizes {
        let at = rows.iter().position(|s| s["size"] == name.as_str());
        if spec.is_null() {
            let at = at.ok_or(format!("no size {name} to remove"))?;
            rows.remove(at);
            continue;
        }
        let q =
            spec.get("quantity").unwrap_or(spec).as_f64().ok_or(format!("size {name}: quantity must be a number"))?;
        if q < 0.0 {
            return Err(format!("size {name}: quantity must not be negative"));
        }
        let at = match at {
            Some(at) => at,
            None => {
                rows.push(new_size(product, name, price, orig, spec));
                rows.len() - 1
            }
        };
        rows[at]["quantity"] = num(q);
    }
    // Added sizes take their place in the product's size run (S, M, L…), unknown ones last.
    if let Some(run) = product.and_then(|p| p["sizes"].as_array()) {
        let rank = |s: &Value| run.iter().position(|x| x["size"] == s["size"]).unwrap_or(usize::MAX);
        rows.sort_by_key(rank);
    }
    Ok(())
}

/// `{selector…, "sizes"?, "price"?, "discount"?, "remove"?}`
fn edit_line(doc: &mut Value, edit: &Value, corpus: &Corpus) -> Edit {
    let at = line_index(doc, edit).ok_or(format!("no line {} in the order", describe(edit)))?;
    let lines = doc["line_items"].as_array_mut().ok_or("the order has no line_items")?;
    if edit["remove"].as_bool() == Some(true) {
        lines.remove(at);
        return Ok(());
    }
    let line = &mut lines[at];
    let product = line["product"]["_id"].as_str().and_then(|id| corpus.product(id)).cloned();
    if let Some(sizes) = edit.get("sizes") {
        let sizes = sizes.as_object().ok_or("sizes must be an object {size: quantity | null}")?;
        edit_sizes(line, sizes, product.as_ref())?;
    }
    if let Some(d) = edit.get("discount") {
        line["discount"] = num(d.as_f64().ok_or("discount must be a number (percent)")?);
    }
    if let Some(p) = edit.get("price") {
        let p = p.as_f64().ok_or("price must be a number")?;
        for s in line["sizes"].as_array_mut().into_iter().flatten() {
            s["original_price"] = num(p);
        }
    }
    if edit.get("price").is_some() || edit.get("discount").is_some() {
        let d = f(&line["discount"]);
        for s in line["sizes"].as_array_mut().into_iter().flatten() {
            s["price"] = num(f(&s["original_price"]) * (1.0 - d / 100.0));
        }
    }
    if line["sizes"].as_array().is_some_and(Vec::is_empty) {
        lines.remove(at);
    }
    Ok(())
}

/// `{"product_id", "sizes": {…}, "price"?, "discount"?}`: a new line from a corpus product.
fn add_line(doc: &mut Value, add: &Value, corpus: &Corpus) -> Edit {
    let id = add["product_id"].as_str().ok_or("add_lines: product_id is required")?;
    let p = corpus.product(id).ok_or(format!("add_lines: no product {id}"))?.clone();
    if line_index(doc, add).is_some() {
        return Err(format!("add_lines: product {id} is already on the order (edit it under lines)"));
    }
    let currency = doc["currency_code"].as_str().unwrap_or("USD").to_string();
    let price = add["price"].as_f64().unwrap_or_else(|| f(&p["pricing"][&currency]["wholesale"]));
    let retail = f(&p["pricing"][&currency]["retail"]);
    let mut product = json!({"_id": id});
    for k in ["style_number", "color", "color_code", "season", "brand_id", "department"] {
        if let Some(v) = p.get(k) {
            product[k] = v.clone();
        }
    }
    let template = doc["line_items"][0]["adjusted_wholesale_string"].clone();
    let mut line = json!({
        "product": product, "ship_start": doc["start_ship"], "ship_end": doc["end_ship"], "warehouse": "Main",
        "prebook": true, "discount": num(add["discount"].as_f64().unwrap_or(0.0)),
        "retail_string": money_like(&template, retail), "adjusted_wholesale_string": money_like(&template, price),
        "item_price_after_discount": money_like(&template, price), "sizes": [], "__new_price": price,
    });
    let sizes = add["sizes"].as_object().ok_or("add_lines: sizes {size: quantity} is required")?;
    edit_sizes(&mut line, sizes, Some(&p))?;
    line.as_object_mut().map(|m| m.remove("__new_price"));
    let d = f(&line["discount"]);
    for s in line["sizes"].as_array_mut().into_iter().flatten() {
        s["price"] = num(price * (1.0 - d / 100.0));
    }
    doc["line_items"].as_array_mut().ok_or("the order has no line_items")?.push(line);
    Ok(())
}

/// `{selector…, "size", "units"}`: the brand cancels units it cannot make. The size's quantity drops;
/// the order's cancellation roll-ups grow.
fn cancel_units(doc: &mut Value, c: &Value) -> Edit {
    let at = line_index(doc, c).ok_or(format!("cancel: no line {} in the order", describe(c)))?;
    let size = c["size"].as_str().ok_or("cancel: size is required")?;
    let n = c["units"].as_f64().filter(|n| *n > 0.0).ok_or("cancel: units must be a positive number")?;
    let row = doc["line_items"][at]["sizes"]
        .as_array_mut()
        .and_then(|s| s.iter_mut().find(|s| s["size"] == size))
        .ok_or(format!("cancel: no size {size} on {}", describe(c)))?;
    let q = f(&row["quantity"]);
    if n > q {
        return Err(format!("cancel: only {q} of size {size} are ordered"));
    }
    row["quantity"] = num(q - n);
    let value = n * row["units_per_pack"].as_f64().unwrap_or(1.0).max(1.0) * f(&row["price"]);
    let pack = row["units_per_pack"].as_f64().unwrap_or(1.0).max(1.0);
    doc["__cancelled_units"] = num(f(&doc["__cancelled_units"]) + n * pack);
    doc["__cancelled_total"] = num(f(&doc["__cancelled_total"]) + value);
    doc["__includes_cancelled"] = Value::Bool(true);
    Ok(())
}

fn set_status(doc: &mut Value, s: &Value) -> Edit {
    let s =
        s.as_str().filter(|s| STATUSES.contains(s)).ok_or(format!("status must be one of {}", STATUSES.join(", ")))?;
    if s == "cancelled" && doc["status"] != "cancelled" {
        // As the cancelled fixture (h05): the lines stay, the roll-ups count every remaining unit too.
        doc["__cancelled_units"] = num(f(&doc["__cancelled_units"]) + f(&doc["total_quantity"]));
        doc["__cancelled_total"] = num(f(&doc["__cancelled_total"]) + f(&doc["total"]));
        doc["__includes_cancelled"] = Value::Bool(true);
    }
    doc["status"] = Value::String(s.into());
    doc["locked"] = Value::Bool(matches!(s, "processed" | "shipped" | "cancelled"));
    Ok(())
}

/// Line and order totals from the size rows (the fixture generator's formulas).
pub fn recompute(doc: &mut Value) {
    let (mut original, mut after_lines, mut qty) = (0.0, 0.0, 0.0);
    for l in doc["line_items"].as_array_mut().into_iter().flatten() {
        let (mut o, mut d) = (0.0, 0.0);
        for s in l["sizes"].as_array_mut().into_iter().flatten() {
            let u = units(s);
            o += f(&s["original_price"]) * u;
            d += f(&s["price"]) * u;
            qty += u;
            if s.get("discounts").is_some_and(Value::is_object) {
                s["discounts"]["total_discount"] = num((f(&s["original_price"]) - f(&s["price"])) * u);
            }
        }
        original += o;
        after_lines += d;
        let first = l["sizes"][0].clone();
        for (k, v) in [("original_total", o), ("effective_subtotal", d), ("discounted_total", d)] {
            if l.get(k).is_some() {
                l[k] = amount(v);
            }
        }
        for (k, field) in [("adjusted_wholesale_string", "original_price"), ("item_price_after_discount", "price")] {
            if l.get(k).is_some() && !first.is_null() {
                l[k] = money_like(&l[k].clone(), f(&first[field]));
            }
        }
    }
    order_totals(doc, original, r2(after_lines), qty);
}

fn order_totals(doc: &mut Value, original: f64, after_lines: f64, qty: f64) {
    let discount = f(&doc["discount"]);
    let order_level = r2(after_lines * discount / 100.0);
    let discounted = r2(after_lines - order_level);
    let surcharge = r2(discounted * f(&doc["additional_percentage"]) / 100.0);
    let shipping = match doc["shipping_information"].get("final_amount") {
        Some(v) => f(v),
        None => f(&doc["order_discounts"]["shipping_final_amount"]),
    };
    doc["total"] = num(discounted + surcharge + shipping);
    doc["total_quantity"] = num(qty);
    let Some(od) = doc.get_mut("order_discounts").and_then(Value::as_object_mut) else { return };
    let sets = [
        ("original_total", original),
        ("total_after_line_item_discount", after_lines),
        ("total_line_items_discount", original - after_lines),
        ("total_order_level_discount", order_level),
        ("discounted_total", discounted),
        ("surcharge", surcharge),
        ("shipping_final_amount", shipping),
    ];
    for (k, v) in sets {
        if od.contains_key(k) || k == "discounted_total" || k == "original_total" {
            od.insert(k.into(), amount(v));
        }
    }
    if let Some(Value::Object(s)) = od.get_mut("surcharges") {
        s.insert("total_surcharge".into(), amount(surcharge));
    }
    let applied = if discount > 0.0 {
        json!([{"name": format!("{discount}% order discount"), "type": "percentage", "value": num(discount), "amount": amount(order_level)}])
    } else {
        json!([])
    };
    od.insert("applied".into(), applied);
}

/// Bump `modified_on` (always) and `edited`/`edited_on` (content edits).
pub fn stamp(doc: &mut Value, content: bool, wanted: Option<&str>) {
    let at = next_timestamp(doc["modified_on"].as_str(), wanted);
    doc["modified_on"] = Value::String(at.clone());
    if content {
        doc["edited"] = Value::Bool(true);
        doc["edited_on"] = Value::String(at);
    }
}
