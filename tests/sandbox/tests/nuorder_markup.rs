//! NuORDER sandbox: the markup switch renames every hook the extension's in-page layer anchors to
//! (`src/nuorder/selectors.rs`), and back.

mod nuorder_util;
use nuorder_util::*;
use po_bridge::nuorder::selectors::{ALL, ATTRS};

/// The attribute names and the row prefix the extension's selectors rely on.
fn hooks() -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for s in ALL {
        for part in s.css.split('[').skip(1) {
            let name: String = part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            out.push(name);
        }
    }
    out.extend(
        [ATTRS.row_number, ATTRS.order_id, ATTRS.order_number, ATTRS.brand_id, ATTRS.brand_name].map(String::from),
    );
    out.push(po_bridge::nuorder::selectors::ORDER_ROW_PREFIX.to_string());
    out.sort();
    out.dedup();
    out
}

/// The app shell and its script as served now (what renders every page).
async fn served(c: &Client, k: &str) -> String {
    let shell = c.get(&format!("/brand/{HARBOR}/orders"), Some(k)).await;
    assert_eq!(shell.status, 200);
    let script = c.get("/static/app.js", None).await;
    assert_eq!(script.status, 200);
    shell.text() + &script.text()
}

fn present(page: &str) -> Vec<String> {
    hooks().into_iter().filter(|h| page.contains(h.as_str())).collect()
}

#[tokio::test]
async fn renamed_markup_carries_none_of_the_selectors_hooks_and_switches_back() {
    let c = start().await;
    let k = c.session_cookie().await;
    assert!(hooks().len() >= 6, "{:?}", hooks());
    let standard = served(&c, &k).await;
    assert_eq!(present(&standard), hooks(), "the standard pages carry every hook");

    let r = c.post_json("/__sandbox/nuorder/markup", r#"{"mode":"renamed"}"#, None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["mode"], "renamed");
    let renamed = served(&c, &k).await;
    assert_eq!(present(&renamed), Vec::<String>::new(), "no selector of the in-page layer can match");
    // the pages still work: the app's own queries follow the renamed hooks
    assert!(renamed.contains(r#"querySelectorAll('[data-qa="line-item"]')"#));
    assert_eq!(renamed.matches("data-qa").count(), standard.matches("data-test").count());
    // the API is untouched
    assert_eq!(c.get("/api/order/number/40718821", Some(&k)).await.status, 200);

    let r = c.post_json("/__sandbox/nuorder/markup", r#"{"mode":"standard"}"#, None).await;
    assert_eq!(r.json()["mode"], "standard");
    assert_eq!(served(&c, &k).await, standard);

    c.post_json("/__sandbox/nuorder/markup", r#"{"mode":"renamed"}"#, None).await;
    assert_eq!(c.post_json("/__sandbox/reset", "{}", None).await.status, 204);
    let k = c.session_cookie().await;
    assert_eq!(served(&c, &k).await, standard, "reset restores the standard markup");
    assert_eq!(c.post_json("/__sandbox/nuorder/markup", r#"{"mode":"odd"}"#, None).await.status / 100, 4);
}
