//! Who sent a message, and whether they may make a request.
//!
//! The background glue copies the browser's `MessageSender` into [`SenderInfo`]; everything else is
//! decided here. Extension pages (popup, export dialog) are trusted; content scripts only in the top
//! frame of NuORDER's hosts and only for the in-page requests (staging, statuses, reads) — never a
//! write: StartExport and RetryExport come only from extension pages; anything else is refused.

use crate::nuorder::pages::is_nuorder_origin;
use crate::protocol::{ErrorCode, Privilege, ProtocolError};
use serde::Deserialize;

/// The parts of `runtime.MessageSender` the decision needs.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct SenderInfo {
    /// `sender.id`: the sending extension's id.
    pub id: Option<String>,
    /// `sender.url`.
    pub url: Option<String>,
    /// `sender.origin` (Chromium); Firefox may not send it, then it comes from `url`.
    pub origin: Option<String>,
    /// Whether `sender.tab` is present (content scripts have one, extension pages in a tab too).
    #[serde(default)]
    pub has_tab: bool,
    /// `sender.frameId`.
    pub frame_id: Option<i64>,
    /// `sender.tab.id`, when the sender is in a tab.
    #[serde(default)]
    pub tab_id: Option<i64>,
}

/// What kind of context sent a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SenderKind {
    /// A page of this extension (popup, export dialog), wherever it is shown.
    ExtensionPage,
    /// A content script in the top frame of a NuORDER page.
    NuorderTopFrame,
    /// Anything else: another extension, a sub-frame, a foreign origin.
    Other,
}

/// Classify a sender, given this extension's id and its base URL (`runtime.getURL("")`).
pub fn classify(sender: &SenderInfo, own_id: &str, own_base_url: &str) -> SenderKind {
    if sender.id.as_deref() != Some(own_id) {
        return SenderKind::Other;
    }
    let url = sender.url.as_deref().unwrap_or("");
    if !own_base_url.is_empty() && url.starts_with(own_base_url) {
        return SenderKind::ExtensionPage;
    }
    let origin = sender.origin.clone().unwrap_or_else(|| origin_of(url));
    if sender.has_tab && sender.frame_id == Some(0) && is_nuorder_origin(&origin) {
        return SenderKind::NuorderTopFrame;
    }
    SenderKind::Other
}

/// Whether a sender of this kind may make a request needing `privilege`.
pub fn authorize(kind: SenderKind, privilege: Privilege) -> Result<(), ProtocolError> {
    let allowed = match privilege {
        Privilege::Any => kind != SenderKind::Other,
        Privilege::Export => kind != SenderKind::Other,
        Privilege::Privileged => kind == SenderKind::ExtensionPage,
    };
    if allowed {
        Ok(())
    } else {
        Err(ProtocolError::new(
            ErrorCode::Forbidden,
            "This request is only accepted from PO Bridge's own popup. Open PO Bridge from the toolbar and try again there.",
        ))
    }
}

/// `scheme://host[:port]` of a URL, or "" when it has none.
pub fn origin_of(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return String::new() };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    if host.is_empty() {
        return String::new();
    }
    format!("{}://{}", scheme.to_ascii_lowercase(), host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "abcdefghijklmnopabcdefghijklmnop";
    const BASE: &str = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/";

    fn s(id: &str, url: &str, origin: Option<&str>, has_tab: bool, frame: Option<i64>) -> SenderInfo {
        SenderInfo {
            id: Some(id.into()),
            url: Some(url.into()),
            origin: origin.map(Into::into),
            has_tab,
            frame_id: frame,
            tab_id: None,
        }
    }

    #[test]
    fn senders_are_classified() {
        let rows = [
            (s(ID, &format!("{BASE}popup.html"), None, false, None), SenderKind::ExtensionPage),
            (s(ID, &format!("{BASE}dialog.html?o=1"), None, true, Some(3)), SenderKind::ExtensionPage),
            (
                s(ID, "https://app.nuorder.com/brand/1/orders", Some("https://app.nuorder.com"), true, Some(0)),
                SenderKind::NuorderTopFrame,
            ),
            (s(ID, "https://app.next.nuorder.com/brand/1/orders", None, true, Some(0)), SenderKind::NuorderTopFrame),
            (s(ID, "https://app.nuorder.com/x", Some("https://app.nuorder.com"), true, Some(2)), SenderKind::Other),
            (
                s(ID, "https://evil.example/app.nuorder.com", Some("https://evil.example"), true, Some(0)),
                SenderKind::Other,
            ),
            (s(ID, "https://app.nuorder.com.evil.example/", None, true, Some(0)), SenderKind::Other),
            (s("another-extension", &format!("{BASE}popup.html"), None, false, None), SenderKind::Other),
            (s(ID, "http://app.nuorder.com/", None, true, Some(0)), SenderKind::Other),
        ];
        for (sender, want) in rows {
            assert_eq!(classify(&sender, ID, BASE), want, "{sender:?}");
        }
    }

    #[test]
    fn privileged_requests_only_from_extension_pages() {
        assert!(authorize(SenderKind::ExtensionPage, Privilege::Privileged).is_ok());
        assert_eq!(
            authorize(SenderKind::NuorderTopFrame, Privilege::Privileged).unwrap_err().code,
            ErrorCode::Forbidden
        );
        assert!(authorize(SenderKind::NuorderTopFrame, Privilege::Export).is_ok());
        // A content script (the page's own world can reach it) never starts or retries a write.
        let start: crate::protocol::Request = serde_json::from_value(serde_json::json!(
            {"type":"start_export","data":{"order_id":"o","shop_id":"1","choices":[],"cap":"ab"}}
        ))
        .unwrap();
        let retry: crate::protocol::Request =
            serde_json::from_value(serde_json::json!({"type":"retry_export","data":{"order_id":"o"}})).unwrap();
        for req in [start, retry] {
            assert_eq!(authorize(SenderKind::NuorderTopFrame, req.privilege()).unwrap_err().code, ErrorCode::Forbidden);
            assert!(authorize(SenderKind::ExtensionPage, req.privilege()).is_ok());
        }
        assert!(authorize(SenderKind::Other, Privilege::Export).is_err());
        assert!(authorize(SenderKind::Other, Privilege::Any).is_err());
    }

    #[test]
    fn origins_are_extracted() {
        assert_eq!(origin_of("https://App.NuORDER.com/a?b#c"), "https://app.nuorder.com");
        assert_eq!(origin_of("https://u:p@app.nuorder.com:8443/"), "https://app.nuorder.com:8443");
        assert_eq!(origin_of("nonsense"), "");
    }
}
