//! Back-office pages on `us|eu|aus.merchantos.com`, so "View PO #" links land somewhere real:
//! `/?name=purchase.views.purchase&form_name=view&id={orderID}&tab=main` and
//! `/?name=item.views.item&form_name=view&id={itemID}&tab=details`.

use super::model::{get, Record};
use super::store::Account;
use super::LightspeedSandbox;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{Response, StatusCode};
use std::collections::BTreeMap;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
<style>body{{font-family:sans-serif;margin:2rem}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}}</style>\
</head><body><p><small>Lightspeed Retail (sandbox back office)</small></p>{body}</body></html>",
        t = esc(title)
    )
}

fn not_found(what: &str) -> Response<Body> {
    super::typed_html(StatusCode::NOT_FOUND, page("Not found", &format!("<h1>Not found</h1><p>{}</p>", esc(what))))
}

impl LightspeedSandbox {
    pub(crate) fn backoffice(&self, req: &Request) -> Response<Body> {
        let q: BTreeMap<String, String> =
            form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes()).into_owned().collect();
        let st = self.state.lock().unwrap();
        let id: u64 = q.get("id").and_then(|i| i.parse().ok()).unwrap_or(0);
        // The signed-in account: `?account=` or the first one.
        let acct = q.get("account").and_then(|a| st.accounts.get(a)).or_else(|| st.accounts.values().next());
        let Some(acct) = acct else { return not_found("no account") };
        match q.get("name").map(String::as_str) {
            Some("purchase.views.purchase") => match acct.get("Order", id) {
                Some(o) => super::typed_html(StatusCode::OK, purchase_page(acct, o)),
                None => not_found(&format!("Purchase order #{id} does not exist.")),
            },
            Some("item.views.item") => match acct.get("Item", id) {
                Some(i) => super::typed_html(StatusCode::OK, item_page(i)),
                None => not_found(&format!("Item #{id} does not exist.")),
            },
            _ => {
                let rows: String = acct
                    .table("Order")
                    .values()
                    .map(|o| {
                        let id = get(o, "orderID");
                        format!("<li><a href=\"/?name=purchase.views.purchase&amp;form_name=view&amp;id={}&amp;tab=main\">Purchase #{}</a> {}</li>", esc(id), esc(id), esc(get(o, "refNum")))
                    })
                    .collect();
                super::typed_html(
                    StatusCode::OK,
                    page(
                        &acct.name,
                        &format!("<h1>{}</h1><h2>Purchase orders</h2><ul id=\"orders\">{rows}</ul>", esc(&acct.name)),
                    ),
                )
            }
        }
    }
}

fn status(o: &Record) -> &'static str {
    if get(o, "complete") == "true" {
        "Finished"
    } else if o.contains_key("receivedDate") {
        "Checked In"
    } else if o.contains_key("orderedDate") {
        "Ordered"
    } else {
        "Open"
    }
}

fn purchase_page(acct: &Account, o: &Record) -> String {
    let id = get(o, "orderID");
    let vendor = acct
        .get("Vendor", get(o, "vendorID").parse().unwrap_or(0))
        .map(|v| get(v, "name").to_string())
        .unwrap_or_default();
    let shop =
        acct.get("Shop", get(o, "shopID").parse().unwrap_or(0)).map(|s| get(s, "name").to_string()).unwrap_or_default();
    let lines: String = acct
        .lines_of(id.parse().unwrap_or(0))
        .into_iter()
        .filter_map(|l| acct.get("OrderLine", l))
        .map(|l| {
            let item = acct.get("Item", get(l, "itemID").parse().unwrap_or(0));
            let desc = item.map(|i| get(i, "description")).unwrap_or("");
            let upc = item.map(|i| get(i, "upc")).unwrap_or("");
            format!(
                "<tr class=\"line\"><td class=\"item\"><a href=\"/?name=item.views.item&amp;form_name=view&amp;id={iid}&amp;tab=details\">{desc}</a></td><td class=\"upc\">{upc}</td><td class=\"quantity\">{q}</td><td class=\"price\">{p}</td><td class=\"total\">{t}</td></tr>",
                iid = esc(get(l, "itemID")),
                desc = esc(desc),
                upc = esc(upc),
                q = esc(get(l, "quantity")),
                p = esc(get(l, "price")),
                t = esc(get(l, "total")),
            )
        })
        .collect();
    let note = o.get("Note").and_then(|n| n.get("note")).and_then(|n| n.as_str()).unwrap_or("");
    let body = format!(
        "<h1 id=\"title\">Purchase: #{id}</h1>\
<dl><dt>PO number</dt><dd id=\"po-number\">{id}</dd><dt>Status</dt><dd id=\"status\">{status}</dd><dt>Vendor</dt><dd id=\"vendor\">{vendor}</dd>\
<dt>Shop</dt><dd id=\"shop\">{shop}</dd><dt>Reference</dt><dd id=\"ref-num\">{refnum}</dd><dt>NuORDER order</dt><dd id=\"b2b-order-number\">{b2b}</dd>\
<dt>Expected</dt><dd id=\"arrival-date\">{arrival}</dd><dt>Shipping</dt><dd id=\"ship-cost\">{ship}</dd><dt>Other</dt><dd id=\"other-cost\">{other}</dd>\
<dt>Archived</dt><dd id=\"archived\">{archived}</dd><dt>Notes</dt><dd id=\"note\">{note}</dd></dl>\
<table id=\"lines\"><thead><tr><th>Item</th><th>UPC</th><th>Quantity</th><th>Cost</th><th>Total</th></tr></thead><tbody>{lines}</tbody></table>\
<p>Total quantity <span id=\"total-quantity\">{tq}</span> · Total cost <span id=\"total-cost\">{tc}</span></p>",
        id = esc(id),
        status = status(o),
        vendor = esc(&vendor),
        shop = esc(&shop),
        refnum = esc(get(o, "refNum")),
        b2b = esc(get(o, "b2bOrderNumber")),
        arrival = esc(get(o, "arrivalDate")),
        ship = esc(get(o, "shipCost")),
        other = esc(get(o, "otherCost")),
        archived = esc(get(o, "archived")),
        note = esc(note),
        tq = esc(get(o, "totalQuantity")),
        tc = esc(get(o, "totalCost")),
    );
    page(&format!("Purchase: #{id}"), &body)
}

fn item_page(i: &Record) -> String {
    let nums: String = i
        .get("ItemVendorNums")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .map(|n| {
                    format!(
                        "<li>vendor {} : {}</li>",
                        esc(n["vendorID"].as_str().unwrap_or("")),
                        esc(n["value"].as_str().unwrap_or(""))
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let merged = get(i, "_mergedInto");
    let merged = if merged.is_empty() {
        String::new()
    } else {
        format!("<p id=\"merged-into\">Merged into item #{}</p>", esc(merged))
    };
    let body = format!(
        "<h1 id=\"title\">Item: {desc}</h1>{merged}<dl><dt>Item ID</dt><dd id=\"item-id\">{id}</dd><dt>System ID</dt><dd id=\"system-sku\">{sku}</dd>\
<dt>UPC</dt><dd id=\"upc\">{upc}</dd><dt>EAN</dt><dd id=\"ean\">{ean}</dd><dt>Manufacturer SKU</dt><dd id=\"manufacturer-sku\">{msku}</dd>\
<dt>Custom SKU</dt><dd id=\"custom-sku\">{csku}</dd><dt>Default cost</dt><dd id=\"default-cost\">{cost}</dd><dt>Archived</dt><dd id=\"archived\">{archived}</dd></dl>\
<h2>Vendor numbers</h2><ul id=\"vendor-nums\">{nums}</ul>",
        desc = esc(get(i, "description")),
        id = esc(get(i, "itemID")),
        sku = esc(get(i, "systemSku")),
        upc = esc(get(i, "upc")),
        ean = esc(get(i, "ean")),
        msku = esc(get(i, "manufacturerSku")),
        csku = esc(get(i, "customSku")),
        cost = esc(get(i, "defaultCost")),
        archived = esc(get(i, "archived")),
    );
    page(&format!("Item: {}", get(i, "description")), &body)
}
