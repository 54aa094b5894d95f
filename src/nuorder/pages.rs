//! NuORDER hosts, URL patterns and API paths.
//!
//! Hosts: `app.nuorder.com` and `app.next.nuorder.com` (reference: `nuorder.md` §4.1; exact
//! production hosts unconfirmed). Routes are path-segment patterns; `:name` captures a segment.
//! Checked against the NuORDER sandbox (`tests/sandbox`), whose routes follow `nuorder.md` §4.1
//! (`/brand/{brandId}/orders` is seen in public test code; the detail route is our best guess).

use serde::Serialize;

/// The hosts the content script runs on (must match `content_scripts.matches` in manifest.json;
/// a test checks that).
pub const NUORDER_HOSTS: &[&str] = &["app.nuorder.com", "app.next.nuorder.com"];

/// Where a newcomer signs in to NuORDER (the popup's *Go to NuORDER*): the first of
/// [`NUORDER_HOSTS`], whose root is the retailer app's sign-in (`nuorder.md` §4.1).
pub const SIGN_IN: &str = "https://app.nuorder.com/";

/// Whether an origin (`https://host[:port]`) is one of NuORDER's app hosts over HTTPS.
pub fn is_nuorder_origin(origin: &str) -> bool {
    let Some(host) = origin.strip_prefix("https://") else { return false };
    let host = host.split(':').next().unwrap_or("");
    NUORDER_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host))
}

/// NuORDER's own JSON API as the web app calls it, with the page's session cookie. The real paths
/// of the retailer app are unconfirmed (`nuorder.md` §4.4); these match the public API's shapes
/// (`/api/order/{id}`, `/api/product/{id}`, §2.2) and the sandbox (`tests/sandbox/NUORDER.md`).
pub mod api {
    use crate::core::text::fill;

    /// The signed-in user and retailer (sandbox path; the real one is unknown).
    pub const SESSION_ME: &str = "/api/session/me";

    /// Path templates: `{id}` / `{number}` is replaced by the [`encode`]d value. Both in-page
    /// engines get their paths from `inpage::read` (the JS fallback through the background).
    pub const ORDER_BY_ID: &str = "/api/order/{id}";
    pub const ORDER_BY_NUMBER: &str = "/api/order/number/{number}";
    pub const PRODUCT: &str = "/api/product/{id}";

    /// An order document by its `_id`.
    pub fn order_by_id(id: &str) -> String {
        fill(ORDER_BY_ID, "{id}", &encode(id))
    }

    /// An order document by its number (the list rows only carry the number).
    pub fn order_by_number(number: &str) -> String {
        fill(ORDER_BY_NUMBER, "{number}", &encode(number))
    }

    /// A product document by its `_id`.
    pub fn product(id: &str) -> String {
        fill(PRODUCT, "{id}", &encode(id))
    }

    /// Ids only ever contain these; anything else is percent-encoded (per UTF-8 byte) so a scraped
    /// value cannot change the path. The only implementation: the JS fallback asks the background.
    pub fn encode(s: &str) -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }
}

/// The export dialog: an extension page shown in an overlay iframe, given the staged order's `_id`
/// in this query parameter (the value [`api::encode`]d).
pub const DIALOG_PAGE: &str = "dialog.html";
pub const DIALOG_ORDER_PARAM: &str = "order_id";

/// The dialog page's path with its query, relative to the extension's root (for `runtime.getURL`).
pub fn dialog_path(order_id: &str) -> String {
    format!("{DIALOG_PAGE}?{DIALOG_ORDER_PARAM}={}", api::encode(order_id))
}

/// A kind of NuORDER page the extension acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    OrdersList,
    OrderDetail,
}

/// One URL pattern: the page kind and its path segments (`:name` captures).
#[derive(Debug, Clone, Serialize)]
pub struct Route {
    pub kind: PageKind,
    pub segments: &'static [&'static str],
    /// Where the pattern was checked.
    pub checked_against: &'static str,
}

/// Every route the extension recognises.
pub const ROUTES: &[Route] = &[
    Route {
        kind: PageKind::OrdersList,
        segments: &["brand", ":brand_id", "orders"],
        checked_against: "nuorder.md §4.1 (vasko87/nuorder_wdio Orders.js); sandbox /brand/{id}/orders",
    },
    Route {
        kind: PageKind::OrderDetail,
        segments: &["brand", ":brand_id", "order", ":order_id"],
        checked_against: "sandbox /brand/{id}/order/{_id} (real route unconfirmed, nuorder.md §4.1)",
    },
];

/// A recognised page with its captured values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub kind: PageKind,
    pub brand_id: String,
    pub order_id: Option<String>,
}

/// Recognise a page from its URL path (query and fragment ignored, trailing slash allowed).
pub fn detect(path: &str) -> Option<Page> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    for route in ROUTES {
        if route.segments.len() != segs.len() {
            continue;
        }
        let mut brand_id = None;
        let mut order_id = None;
        let mut ok = true;
        for (pat, seg) in route.segments.iter().zip(&segs) {
            match pat.strip_prefix(':') {
                Some("brand_id") => brand_id = Some(seg.to_string()),
                Some("order_id") => order_id = Some(seg.to_string()),
                Some(_) => {}
                None => ok &= pat == seg,
            }
        }
        if ok {
            return Some(Page { kind: route.kind, brand_id: brand_id.unwrap_or_default(), order_id });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_is_a_nuorder_origin_the_content_script_runs_on() {
        let origin = SIGN_IN.trim_end_matches('/');
        assert!(is_nuorder_origin(origin), "{origin}");
        assert_eq!(detect("/"), None, "the sign-in page is not an order page");
    }

    #[test]
    fn pages_are_detected_from_example_urls() {
        let list = detect("/brand/5f1a2b3c4d5e6f7081920a1b/orders").unwrap();
        assert_eq!(list.kind, PageKind::OrdersList);
        assert_eq!(list.brand_id, "5f1a2b3c4d5e6f7081920a1b");
        let detail = detect("/brand/b1/order/6f3a9c21d4e5b60718293a4b/?tab=lines#x").unwrap();
        assert_eq!(detail.kind, PageKind::OrderDetail);
        assert_eq!(detail.order_id.as_deref(), Some("6f3a9c21d4e5b60718293a4b"));
        for other in ["/", "/brand/b1", "/brand/b1/linesheets", "/brand/b1/orders/extra/x", "/login"] {
            assert_eq!(detect(other), None, "{other}");
        }
    }

    #[test]
    fn api_paths_encode_ids() {
        assert_eq!(api::order_by_id("6f3a9c21d4e5b60718293a4b"), "/api/order/6f3a9c21d4e5b60718293a4b");
        assert_eq!(api::product("../x?y"), "/api/product/%2E%2E%2Fx%3Fy");
        assert_eq!(api::order_by_number("40718827"), "/api/order/number/40718827");
        assert_eq!(api::order_by_number("1 2/é"), "/api/order/number/1%202%2F%C3%A9");
        assert_eq!(dialog_path("6f3a&x=1"), "dialog.html?order_id=6f3a%26x%3D1");
    }

    #[test]
    fn only_nuorder_https_origins_count() {
        assert!(is_nuorder_origin("https://app.nuorder.com"));
        assert!(is_nuorder_origin("https://app.next.nuorder.com:443"));
        assert!(!is_nuorder_origin("http://app.nuorder.com"));
        assert!(!is_nuorder_origin("https://evil.com"));
        assert!(!is_nuorder_origin("https://app.nuorder.com.evil.com"));
    }
}
