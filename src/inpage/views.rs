//! The badges the in-page widgets show when the background has not given a view (yet), and which
//! badge links may be rendered. The background's own views come from `export::badge`.

use super::labels::LABELS;
use crate::accounts::Region;
use crate::core::status::{BadgeView, Tone};

fn plain(text: &str, tone: Tone, action_enabled: bool, action_tooltip: &str) -> BadgeView {
    BadgeView {
        text: text.into(),
        tone,
        detail: None,
        progress: None,
        link: None,
        action_enabled,
        action_tooltip: action_tooltip.into(),
        retry: false,
        needs_link: false,
        review: false,
        selectable: false,
    }
}

/// Before the background answered.
pub fn loading() -> BadgeView {
    plain(LABELS.status_loading, Tone::Neutral, true, LABELS.export_action)
}

/// When the background could not say; the engine puts the reason in `detail`.
pub fn unavailable(reason: Option<&str>) -> BadgeView {
    BadgeView {
        detail: reason.map(str::to_string),
        ..plain(LABELS.status_unavailable, Tone::Neutral, true, LABELS.export_action)
    }
}

/// After the extension was updated or reloaded under the page.
pub fn orphaned() -> BadgeView {
    plain(LABELS.extension_updated, Tone::Warning, false, LABELS.extension_updated)
}

const REGIONS: [Region; 3] = [Region::Us, Region::Eu, Region::Aus];

/// The only links a badge renders: pages of Lightspeed's back office, over https.
pub fn link_prefixes() -> Vec<String> {
    // A new region must be listed in `REGIONS` (this match stops compiling without it).
    let _listed = |r: Region| match r {
        Region::Us | Region::Eu | Region::Aus => (),
    };
    REGIONS.iter().map(|r| format!("https://{}/", r.host())).collect()
}

/// Whether a badge may render a link to `url`: it starts with one of [`link_prefixes`].
pub fn link_allowed(url: &str) -> bool {
    let rest = url.strip_prefix("https://").unwrap_or_default();
    REGIONS.iter().any(|r| rest.strip_prefix(r.host()).is_some_and(|path| path.starts_with('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_back_office_links_render() {
        for p in link_prefixes() {
            assert!(link_allowed(&format!("{p}x")), "{p}");
        }
        assert!(link_allowed("https://us.merchantos.com/?name=purchase.views.purchase&id=7"));
        assert!(link_allowed(&Region::Aus.po_url("9")));
        for bad in [
            "http://us.merchantos.com/x",
            "https://us.merchantos.com.evil.com/x",
            "javascript:alert(1)",
            "https://evil.com/?https://us.merchantos.com/",
            "",
        ] {
            assert!(!link_allowed(bad), "{bad}");
        }
    }

    #[test]
    fn placeholder_views_say_what_the_engines_show() {
        assert_eq!((loading().text.as_str(), loading().action_enabled), (LABELS.status_loading, true));
        assert_eq!(unavailable(Some("down")).detail.as_deref(), Some("down"));
        assert!(!orphaned().action_enabled);
        assert_eq!(orphaned().action_tooltip, LABELS.extension_updated);
    }
}
