//! What PO Bridge knows of a NuORDER page without its anchors (issue 20, "a second way in"): the
//! page's kind and route pattern from its path, the anchors that matched nothing, and a diagnostic
//! a user can copy to support. The diagnostic names the page only by its pattern (ids become
//! placeholders) and carries no order data, no ids and no tokens.

use crate::nuorder::pages::{detect, PageKind, ROUTES};

/// The route pattern of a NuORDER path: a known route's segments with `{name}` for each capture;
/// any other path with every segment that holds a digit (ids, numbers) as `{id}`.
pub fn route_pattern(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let known =
        detect(path).and_then(|page| ROUTES.iter().find(|r| r.kind == page.kind && r.segments.len() == segs.len()));
    let parts: Vec<String> = match known {
        Some(route) => route
            .segments
            .iter()
            .map(|s| s.strip_prefix(':').map_or_else(|| (*s).to_string(), |name| format!("{{{name}}}")))
            .collect(),
        None => segs
            .iter()
            .map(|s| if s.chars().any(|c| c.is_ascii_digit()) { "{id}".to_string() } else { (*s).to_string() })
            .collect(),
    };
    format!("/{}", parts.join("/"))
}

/// The page's kind as the diagnostic names it.
pub fn kind_label(path: &str) -> &'static str {
    match detect(path).map(|p| p.kind) {
        Some(PageKind::OrdersList) => "orders list",
        Some(PageKind::OrderDetail) => "order detail",
        None => "other NuORDER page",
    }
}

/// The diagnostic text: page kind, route pattern, the selectors that matched nothing (by name),
/// the extension's and the browser's versions. Nothing else.
pub fn diagnostic(path: &str, missing: &[String], extension_version: &str, browser: &str) -> String {
    let missing = if missing.is_empty() { "none".to_string() } else { missing.join(", ") };
    format!(
        "PO Bridge diagnostic\npage: {}\nroute: {}\nselectors that matched nothing: {missing}\nPO Bridge: {extension_version}\nbrowser: {browser}",
        kind_label(path),
        route_pattern(path),
    )
}

/// The browser's name and major version from a user agent ("Firefox 128", "Chrome 156"); only
/// that, so the diagnostic carries nothing more of the machine.
pub fn browser_name(user_agent: &str) -> String {
    for (token, name) in [("Firefox/", "Firefox"), ("Edg/", "Edge"), ("Chrome/", "Chrome")] {
        if let Some(rest) = user_agent.split(token).nth(1) {
            let major: String = rest.chars().take_while(char::is_ascii_digit).collect();
            return format!("{name} {major}");
        }
    }
    "unknown browser".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_placeholders() {
        assert_eq!(route_pattern("/brand/5f1a2b/order/6f3a9c21d4?tab=1"), "/brand/{brand_id}/order/{order_id}");
        assert_eq!(route_pattern("/brand/b1/orders"), "/brand/{brand_id}/orders");
        assert_eq!(route_pattern("/brand/5f1a/order/6f3a/lines"), "/brand/{id}/order/{id}/lines");
        assert_eq!(kind_label("/brand/b1/order/o1"), "order detail");
    }

    #[test]
    fn the_diagnostic_carries_no_ids() {
        let d = diagnostic("/brand/5f1a2b3c/order/6f3a9c21", &["detail_root".into()], "0.1.0", "Chrome 156");
        assert!(d.contains("route: /brand/{brand_id}/order/{order_id}") && d.contains("detail_root"), "{d}");
        assert!(!d.contains("5f1a2b3c") && !d.contains("6f3a9c21"), "{d}");
        assert_eq!(
            browser_name("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
            "Firefox 128"
        );
        assert_eq!(browser_name("Mozilla/5.0 … Chrome/156.0.8078.73 Safari/537.36"), "Chrome 156");
    }
}
