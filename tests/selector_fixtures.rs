//! Every selector in `po_bridge::nuorder::selectors::ALL` matches its committed NuORDER page snapshot
//! (`tests/fixtures/nuorder-pages/*.html`, captured from the sandbox by `capture.mjs` there) exactly
//! as often as its `expect` array says.

use po_bridge::nuorder::selectors::{self, ALL};
use scraper::{Html, Selector};
use std::path::PathBuf;

fn page(name: &str) -> Html {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nuorder-pages").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

fn count(doc: &Html, css: &str) -> usize {
    doc.select(&Selector::parse(css).unwrap_or_else(|e| panic!("selector {css:?} does not parse: {e:?}"))).count()
}

#[test]
fn every_selector_matches_its_snapshots_as_expected() {
    let mut failures = Vec::new();
    for s in ALL {
        for (file, want) in s.expect {
            let got = count(&page(file), s.css);
            if got != *want {
                failures.push(format!("{} ({}) on {file}: expected {want}, found {got}", s.name, s.css));
            }
        }
    }
    assert!(failures.is_empty(), "selector expectations broken:\n{}", failures.join("\n"));
}

#[test]
fn snapshots_carry_the_attributes_the_extension_reads() {
    let list = page("orders-list.html");
    let rows: Vec<_> = list.select(&Selector::parse(selectors::ORDER_ROW.css).unwrap()).collect();
    assert_eq!(rows.len(), 3);
    let cell = Selector::parse(selectors::ROW_ORDER_NUMBER.css).unwrap();
    for row in &rows {
        let n = selectors::order_number_from_row_attr(row.value().attr("data-test").unwrap())
            .expect("row data-test has an order number");
        let text: String = row.select(&cell).next().unwrap().text().collect();
        assert_eq!(text.trim(), n, "the number cell agrees with the row attribute");
        for c in ["created-on", "total", "company-name"] {
            assert_eq!(row.select(&Selector::parse(&format!("[data-test=\"{c}\"]")).unwrap()).count(), 1, "{c} cell");
        }
    }
    for name in ["orders-list.html", "orders-list-menu-open.html", "order-detail.html"] {
        let doc = page(name);
        let picker = doc.select(&Selector::parse(selectors::BRAND_PICKER.css).unwrap()).next().unwrap();
        assert_eq!(picker.value().attr("data-brand-id").map(str::len), Some(24), "{name}: data-brand-id");
        assert!(picker.value().attr("data-brand-name").is_some_and(|n| !n.is_empty()), "{name}: data-brand-name");
    }

    // Each row's actions cell (where the badge and hover action go) holds the row's kebab.
    let cell_kebab =
        format!("{} {} {}", selectors::ORDER_ROW.css, selectors::ROW_ACTIONS_CELL.css, selectors::ROW_MORE_ACTIONS.css);
    assert_eq!(count(&list, &cell_kebab), 3);
    // The brand picker carries the attributes named in the spec.
    for doc in [&list, &page("order-detail.html")] {
        let picker = doc.select(&Selector::parse(selectors::BRAND_PICKER.css).unwrap()).next().unwrap();
        assert!(
            picker.value().attr(selectors::ATTRS.brand_id).is_some()
                && picker.value().attr(selectors::ATTRS.brand_name).is_some()
        );
    }

    // The open menu sits inside a row and holds the PDF action.
    let open = page("orders-list-menu-open.html");
    let in_row = format!("{} {}", selectors::ORDER_ROW.css, selectors::ROW_ACTIONS_MENU.css);
    assert_eq!(count(&open, &in_row), 1);
    assert_eq!(count(&open, &format!("{} a[data-test=\"action-pdf\"]", selectors::ROW_ACTIONS_MENU.css)), 1);

    // The detail root names the order; its number element agrees.
    let detail = page("order-detail.html");
    let root = detail.select(&Selector::parse(selectors::DETAIL_ROOT.css).unwrap()).next().unwrap();
    assert_eq!(root.value().attr(selectors::ATTRS.order_id).map(str::len), Some(24));
    let number = root.value().attr(selectors::ATTRS.order_number).unwrap();
    // The header the status field goes into is inside the detail root.
    assert_eq!(count(&detail, &format!("{} {}", selectors::DETAIL_ROOT.css, selectors::DETAIL_HEADER.css)), 1);
    let shown: String =
        detail.select(&Selector::parse(selectors::DETAIL_ORDER_NUMBER.css).unwrap()).next().unwrap().text().collect();
    assert_eq!(shown.trim(), number);
}
