//! Reading a NuORDER page: which orders it shows and where to read them. One implementation for
//! both in-page engines (the fallback reaches it through the background).

use super::spec::LIMITS;
use crate::nuorder::pages::{api, detect, dialog_path, PageKind};
use crate::nuorder::selectors::{order_number_from_row_attr, ALL};
use crate::protocol::{AnchorCheck, OrderRead, OrderReads, OrderRef, PageBrand, PageReading, PageSnapshot};

/// Page brand values longer than this are cut (they only name a brand).
const MAX_BRAND_CHARS: usize = 200;
/// Order numbers read from a detail page longer than this are cut.
const MAX_NUMBER_CHARS: usize = 64;

/// What the page in `snapshot` shows.
pub fn read_page(snapshot: &PageSnapshot) -> PageReading {
    let Some(page) = detect(&snapshot.path) else {
        return PageReading { rows: vec![None; snapshot.rows.len()], ..PageReading::default() };
    };
    let list = page.kind == PageKind::OrdersList;
    let rows = snapshot
        .rows
        .iter()
        .map(|attr| order_number_from_row_attr(attr).filter(|_| list).map(|n| by_number(n.to_string(), None)))
        .collect();
    let detail = snapshot.detail.as_ref().filter(|_| !list).and_then(|d| {
        let id = d.order_id.clone().filter(|s| !s.is_empty()).or(page.order_id);
        let number: String = d
            .order_number
            .as_deref()
            .or(d.number_text.as_deref())
            .map(|n| n.trim().chars().take(MAX_NUMBER_CHARS).collect())
            .unwrap_or_default();
        (!number.is_empty() || id.is_some()).then(|| by_number(number, id))
    });
    PageReading { order_page: true, list_page: list, rows, detail, anchors: anchors(page.kind) }
}

fn by_number(number: String, id: Option<String>) -> OrderRead {
    let path = match &id {
        Some(id) => api::order_by_id(id),
        None => api::order_by_number(&number),
    };
    OrderRead { order: OrderRef { order_id: id, order_number: number }, path }
}

fn kind_name(kind: PageKind) -> &'static str {
    match kind {
        PageKind::OrdersList => "orders_list",
        PageKind::OrderDetail => "order_detail",
    }
}

/// The anchors a page of `kind` should have, each with the warning that names it when missing.
fn anchors(kind: PageKind) -> Vec<AnchorCheck> {
    ALL.iter()
        .filter(|s| s.required_on.contains(&kind))
        .filter_map(|s| {
            let within = match s.within {
                Some(parent) => Some(ALL.iter().find(|p| p.name == parent)?.css),
                None => None,
            };
            Some(AnchorCheck {
                name: s.name.to_string(),
                css: within.map_or_else(|| s.css.to_string(), |p| format!("{p} {}", s.css)),
                within: within.map(str::to_string),
                warning: format!(
                    "selector \"{}\" ({}) found nothing on this {} page; {}",
                    s.name,
                    s.css,
                    kind_name(kind),
                    s.purpose
                ),
            })
        })
        .collect()
}

/// What to read for an order document read from NuORDER: its distinct products
/// (`line_items[].product._id`, at most [`LIMITS`]`.max_products`), the page brand as staging takes
/// it, and the export dialog for the order's `_id`.
pub fn order_reads(order: &serde_json::Value, brand: &PageBrand) -> OrderReads {
    let mut ids: Vec<&str> = Vec::new();
    let lines = order.get("line_items").and_then(|l| l.as_array()).map(Vec::as_slice).unwrap_or_default();
    for line in lines {
        if ids.len() >= LIMITS.max_products {
            break;
        }
        let id = line.get("product").and_then(|p| p.get("_id")).and_then(|i| i.as_str()).filter(|s| !s.is_empty());
        if let Some(id) = id.filter(|id| !ids.contains(id)) {
            ids.push(id);
        }
    }
    let clip = |v: &Option<String>| {
        v.as_deref().filter(|s| !s.is_empty()).map(|s| s.chars().take(MAX_BRAND_CHARS).collect::<String>())
    };
    OrderReads {
        products: ids.into_iter().map(api::product).collect(),
        brand: PageBrand { id: clip(&brand.id), name: clip(&brand.name) },
        dialog: dialog_path(order.get("_id").and_then(|i| i.as_str()).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::DetailSnapshot;
    use serde_json::json;

    fn snapshot(path: &str, rows: &[&str], detail: Option<DetailSnapshot>) -> PageSnapshot {
        PageSnapshot { path: path.into(), rows: rows.iter().map(|r| r.to_string()).collect(), detail }
    }

    #[test]
    fn list_rows_yield_their_numbers_and_read_paths() {
        let r = read_page(&snapshot("/brand/b1/orders", &["order-record-40718822", "order-record-<img>", "x"], None));
        assert!(r.order_page && r.list_page);
        let first = r.rows[0].as_ref().unwrap();
        assert_eq!((first.order.order_number.as_str(), first.order.order_id.as_deref()), ("40718822", None));
        assert_eq!(first.path, "/api/order/number/40718822");
        assert_eq!(&r.rows[1..], &[None, None]);
        assert!(r.anchors.iter().any(|a| a.css == "[data-test=\"order-record-\"] [data-test=\"row-actions\"]"
            || a.within.as_deref() == Some("[data-test^=\"order-record-\"]")));
        assert!(r.detail.is_none());
    }

    #[test]
    fn detail_pages_take_the_id_from_the_root_or_the_url_and_the_number_trimmed() {
        let d = |id: Option<&str>, n: Option<&str>, t: Option<&str>| DetailSnapshot {
            order_id: id.map(Into::into),
            order_number: n.map(Into::into),
            number_text: t.map(Into::into),
        };
        let table = [
            (d(Some("abc"), Some("7"), None), Some(("abc", "7", "/api/order/abc"))),
            (d(Some(""), None, Some("  8 \n")), Some(("url1", "8", "/api/order/url1"))),
            (d(None, None, None), Some(("url1", "", "/api/order/url1"))),
        ];
        for (detail, want) in table {
            let r = read_page(&snapshot("/brand/b1/order/url1", &["order-record-1"], Some(detail.clone())));
            let got = r.detail.map(|o| (o.order.order_id.unwrap(), o.order.order_number, o.path));
            let want = want.map(|(i, n, p)| (i.to_string(), n.to_string(), p.to_string()));
            assert_eq!(got, want, "{detail:?}");
            assert_eq!(r.rows, vec![None], "rows only count on a list page");
            assert!(r.order_page && !r.list_page, "no row widgets are built ahead on a detail page");
        }
        assert!(r_warns("/brand/b1/order/x").iter().any(|w| w.contains("\"detail_actions\"")));
    }

    fn r_warns(path: &str) -> Vec<String> {
        read_page(&snapshot(path, &[], None)).anchors.into_iter().map(|a| a.warning).collect()
    }

    #[test]
    fn other_pages_are_not_order_pages() {
        let r = read_page(&snapshot("/brand/b1/linesheets", &["order-record-1"], None));
        assert_eq!((r.order_page, r.list_page, r.rows, r.anchors.len()), (false, false, vec![None], 0));
    }

    #[test]
    fn order_reads_list_distinct_products_encoded_and_the_dialog() {
        let order = json!({"_id": "o&1", "line_items": [
            {"product": {"_id": "p1"}}, {"product": {"_id": "p1"}}, {"product": {"_id": "../x"}}, {"product": {}}, {}
        ]});
        let brand = PageBrand { id: Some(String::new()), name: Some("é".repeat(300)) };
        let r = order_reads(&order, &brand);
        assert_eq!(r.products, ["/api/product/p1", "/api/product/%2E%2E%2Fx"]);
        assert_eq!(r.dialog, "dialog.html?order_id=o%261");
        assert_eq!((r.brand.id, r.brand.name.map(|n| n.chars().count())), (None, Some(200)));
        let many =
            json!({"line_items": (0..1500).map(|i| json!({"product": {"_id": format!("p{i}")}})).collect::<Vec<_>>()});
        assert_eq!(order_reads(&many, &PageBrand::default()).products.len(), LIMITS.max_products);
    }
}
