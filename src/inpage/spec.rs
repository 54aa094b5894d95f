//! The in-page specification: selectors, tags, labels, limits, views and message names as one JSON
//! document, data only.
//!
//! `gen-assets` writes it into `dist/` at build time. The content wasm and the JS fallback (used
//! when a page's CSP refuses wasm) both run on it, so the fallback is never a hand-kept copy.
//! The Rust layer uses the same constants directly; the JS fallback reads them from
//! `PO_BRIDGE_SPEC`.

pub use super::labels::{Labels, LABELS};
use crate::core::sorted;
use crate::core::status::{BadgeView, JobStatus};
use crate::nuorder::pages::api;
use crate::nuorder::selectors::{Attrs, ALL, ATTRS};
use crate::protocol::{Event, OrderRef, PageBrand, PageSnapshot, Request, PROTOCOL_VERSION};
use serde::Serialize;
use std::collections::BTreeMap;

/// The in-page widgets' style, applied inside their shadow roots through one constructed
/// stylesheet (CSSOM, which a strict page CSP does not block, unlike `style` attributes in
/// Firefox). Hosts carry `data-kind` = row | detail | status | menu | overlay.
pub const WIDGET_CSS: &str = ":host{all:initial;display:inline-flex;align-items:center;gap:6px;vertical-align:middle;font:13px/1.3 system-ui,sans-serif;color:#1a202c}\
:host([data-kind=detail]){margin-left:.5rem}\
:host([data-kind=status]){display:flex;flex-wrap:wrap;gap:8px;margin:0 0 12px}\
:host([data-kind=menu]){display:block}\
[hidden]{display:none!important}\
button{font:inherit;padding:4px 10px;border:1px solid #2b6cb0;border-radius:4px;background:#fff;color:#2b6cb0;cursor:pointer}\
button:hover{background:#ebf4ff}button:disabled{opacity:.55;cursor:not-allowed}\
button:focus-visible,a:focus-visible{outline:2px solid #2b6cb0;outline-offset:1px}\
.icon{padding:1px 7px;font-size:15px;opacity:0;transition:opacity .1s}\
:host([data-hover]) .icon,.icon:focus{opacity:1}\
.menuitem{display:block;width:100%;text-align:left;border:0;border-radius:0;padding:6px 12px;color:#1a202c}\
.label{font-weight:600}\
.badge{display:inline-flex;flex-wrap:wrap;align-items:center;gap:2px 6px;padding:1px 8px;border-radius:10px;border:1px solid #cbd5e0;background:#f7fafc;font-size:12px}\
.tone-busy{border-color:#90cdf4;background:#ebf8ff}.tone-success{border-color:#9ae6b4;background:#f0fff4}\
.tone-error{border-color:#feb2b2;background:#fff5f5}.tone-warning{border-color:#fbd38d;background:#fffaf0}\
.text{font-weight:600}.detail{color:#4a5568}progress{width:80px;height:8px}a{color:#2b6cb0}\
.retry,.review{padding:0 6px;font-size:12px}\
.note{font-size:12px;color:#4a5568;max-width:28em}.note.error{color:#c53030}.note:empty{display:none}\
:host([data-kind=overlay]){position:fixed;inset:0;z-index:2147483647;display:block}\
.backdrop{position:absolute;inset:0;background:rgba(0,0,0,.45)}\
:host([data-kind=bar]){position:fixed;left:50%;bottom:16px;transform:translateX(-50%);z-index:2147483646;display:flex;flex-wrap:wrap;padding:8px 12px;background:#fff;border:1px solid #cbd5e0;border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.2)}\
:host([data-kind=bar][hidden]){display:none}.select{margin:0 2px;width:16px;height:16px;cursor:pointer}\
.select:focus-visible{outline:2px solid #2b6cb0;outline-offset:1px}\
.frame{position:absolute;top:50%;left:50%;transform:translate(-50%,-50%);width:min(960px,calc(100vw - 32px));height:min(720px,calc(100vh - 32px));border:0;border-radius:8px;background:#fff;box-shadow:0 10px 40px rgba(0,0,0,.35)}";

/// The icon of the row's hover action (its accessible name is the action's label).
pub const ROW_ICON: &str = "\u{21EA}";

/// Attribute that marks an element as already processed (injection is idempotent).
pub const MARKER_ATTR: &str = "data-po-bridge";
/// Attribute on each widget host naming the engine that mounted it (`wasm` or `fallback`).
pub const ENGINE_ATTR: &str = "data-po-bridge-engine";

/// What the in-page layer posts to the dialog's frame whenever our overlay's frame moves or
/// changes size in the viewport (a page script restyling it, say, to slide Export under the
/// pointer): the dialog's Export then waits its 500 ms of visibility again (issue 14). The page
/// can post it too, which only ever disables Export; nothing can post "not moved".
pub const OVERLAY_MOVED: &str = "po-bridge:overlay-moved";

/// What the dialog in our overlay's frame posts to the NuORDER page it is in once it can take its
/// capability. The in-page layer answers only a message from its own frame, with the capability
/// posted to that frame at our extension's origin only: the capability is never in the frame's
/// address, which a page script could read from the DOM and frame itself before ours asked.
pub const DIALOG_READY: &str = "po-bridge:dialog-ready";

/// What comes between the dialog's page and its capability in a staged order's dialog path
/// (`dialog.html?cap=…`, `app::capability`).
pub const CAP_QUERY: &str = "?cap=";

/// The custom element names of the widget hosts.
#[derive(Debug, Clone, Serialize)]
pub struct Tags {
    /// The action: one per row (badge + hover icon) and one in the detail page's actions area.
    pub action: &'static str,
    /// The detail page's Order Export Status field.
    pub status: &'static str,
    /// The entry in a row's More actions menu.
    pub menu_item: &'static str,
    /// The export dialog's overlay (backdrop + iframe).
    pub overlay: &'static str,
    /// The list's batch bar (issue 19): the selection's count and actions, a batch's progress.
    pub bar: &'static str,
}

pub const TAGS: Tags = Tags {
    action: "po-bridge-action",
    status: "po-bridge-status",
    menu_item: "po-bridge-menu-item",
    overlay: "po-bridge-overlay",
    bar: "po-bridge-bar",
};

/// One element of a widget's shadow root: `part` names it for the engine (badge, action, note, label).
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub part: &'static str,
    pub tag: &'static str,
    pub class: &'static str,
    pub text: Option<&'static str>,
    pub attrs: &'static [(&'static str, &'static str)],
}

/// Where a widget's host goes in its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// In the row's actions cell, before the kebab (the row's hover toggles `data-hover` on the host).
    RowCell,
    Append,
    Prepend,
}

/// A widget: its host's tag, where it goes and what its shadow root holds.
#[derive(Debug, Clone, Serialize)]
pub struct WidgetSpec {
    pub tag: &'static str,
    pub place: Place,
    pub parts: &'static [Part],
}

/// The widgets by `data-kind`: the row's badge + hover action, the kebab menu's entry, the detail
/// page's action, and its Order Export Status field.
#[derive(Debug, Clone, Serialize)]
pub struct Widgets {
    pub row: WidgetSpec,
    pub menu: WidgetSpec,
    pub detail: WidgetSpec,
    pub status: WidgetSpec,
    /// The list's batch bar, one per page, fixed at the bottom of the viewport (in the document
    /// root, outside NuORDER's list, so the list's re-renders never touch it).
    pub bar: WidgetSpec,
}

const fn action(class: &'static str, text: &'static str, attrs: &'static [(&'static str, &'static str)]) -> Part {
    Part { part: "action", tag: "button", class, text: Some(text), attrs }
}
const BADGE: Part = Part { part: "badge", tag: "span", class: "badge", text: None, attrs: &[] };
const NOTE: Part = Part { part: "note", tag: "span", class: "note", text: None, attrs: &[("role", "status")] };
/// The row's checkbox (shown only when the badge says `selectable`; its accessible name is
/// `labels.select_row` with the order number).
const SELECT: Part = Part {
    part: "select",
    tag: "input",
    class: "select",
    text: None,
    attrs: &[("type", "checkbox"), ("data-role", "select"), ("hidden", "")],
};
const fn bar_button(part: &'static str, attrs: &'static [(&'static str, &'static str)], text: &'static str) -> Part {
    Part { part, tag: "button", class: "", text: Some(text), attrs }
}
const ACTION_ATTRS: [(&str, &str); 3] = [("type", "button"), ("title", LABELS.export_action), ("data-role", "action")];

pub const WIDGETS: Widgets = Widgets {
    row: WidgetSpec {
        tag: TAGS.action,
        place: Place::RowCell,
        parts: &[
            SELECT,
            BADGE,
            action(
                "icon",
                ROW_ICON,
                &[ACTION_ATTRS[0], ACTION_ATTRS[1], ACTION_ATTRS[2], ("aria-label", LABELS.export_action)],
            ),
            NOTE,
        ],
    },
    menu: WidgetSpec {
        tag: TAGS.menu_item,
        place: Place::Append,
        parts: &[action(
            "menuitem",
            LABELS.export_action,
            &[ACTION_ATTRS[0], ACTION_ATTRS[1], ACTION_ATTRS[2], ("role", "menuitem")],
        )],
    },
    detail: WidgetSpec {
        tag: TAGS.action,
        place: Place::Append,
        parts: &[action("action", LABELS.export_action, &ACTION_ATTRS), NOTE],
    },
    status: WidgetSpec {
        tag: TAGS.status,
        place: Place::Prepend,
        parts: &[
            Part { part: "label", tag: "span", class: "label", text: Some(LABELS.status_field), attrs: &[] },
            Part { attrs: &[("role", "status")], ..BADGE },
        ],
    },
    bar: WidgetSpec {
        tag: TAGS.bar,
        place: Place::Append,
        parts: &[
            Part { part: "count", tag: "span", class: "label", text: None, attrs: &[("role", "status")] },
            Part { part: "progress", tag: "progress", class: "progress", text: None, attrs: &[("hidden", "")] },
            bar_button("export", &[("type", "button"), ("data-role", "batch-export")], LABELS.batch_export_many),
            bar_button("select_all", &[("type", "button"), ("data-role", "select-all")], LABELS.select_all),
            bar_button("cancel", &[("type", "button"), ("data-role", "batch-cancel")], LABELS.batch_cancel),
            NOTE,
        ],
    },
};

/// Timings and limits both in-page layers follow.
#[derive(Debug, Clone, Serialize)]
pub struct Limits {
    /// How long a status answer is reused for re-rendered rows before asking again.
    pub status_cache_ms: u32,
    /// After a page change, how long to wait before naming missing anchors.
    pub settle_ms: u32,
    /// Product documents fetched at the same time.
    pub fetch_concurrency: usize,
    /// At most this many distinct products are read for one order.
    pub max_products: usize,
    /// At most this many orders in one status request (what the background looks up per request).
    pub max_status_batch: usize,
    /// The first status request waits for the tab's session report this long at most (so the
    /// background knows the tab's buyer before it is asked; a report that never ends cannot keep
    /// the badges loading).
    pub session_wait_ms: u32,
    /// At most this many orders in one batch (the selection stops there).
    pub max_batch: usize,
    /// Row widgets the JS fallback builds ahead while the page is idle, so the task that brings the
    /// page's reading only places them (a longer list builds the rest then; issue 17's bench:
    /// building and placing 100 took 7–9 ms after the page drew its rows, placing built ones 3–4).
    pub spare_rows: usize,
}

pub const LIMITS: Limits = Limits {
    status_cache_ms: 5000,
    settle_ms: 2000,
    fetch_concurrency: 4,
    max_products: 1000,
    max_status_batch: 100,
    session_wait_ms: 5000,
    max_batch: 50,
    spare_rows: 100,
};

/// How both engines call NuORDER's API with the page's session (paths come from `read`).
#[derive(Debug, Clone, Serialize)]
pub struct Fetching {
    /// `fetch`'s `credentials`.
    pub credentials: &'static str,
    /// The `Accept` header.
    pub accept: &'static str,
    /// The answer that means the NuORDER session ended (`labels.session_expired`); any other
    /// failure is `labels.read_failed`.
    pub expired_status: u16,
    /// NuORDER's session call, whose answer the in-page layer forwards to the background.
    pub session_me: &'static str,
}

pub const FETCHING: Fetching = Fetching {
    credentials: "same-origin",
    accept: "application/json",
    expired_status: 401,
    session_me: api::SESSION_ME,
};

/// The badges shown without a view from the background (see [`super::views`]).
#[derive(Debug, Clone, Serialize)]
pub struct Views {
    pub loading: BadgeView,
    /// Its `detail` is the reason, filled in by the engine.
    pub unavailable: BadgeView,
    pub orphaned: BadgeView,
}

/// The wire names of the messages the in-page layer sends and receives, taken from the protocol's
/// own serialization (so a rename in `protocol.rs` reaches the JS fallback).
#[derive(Debug, Clone, Serialize)]
pub struct Messages {
    pub report_nuorder_session: String,
    pub stage_order: String,
    pub get_export_status: String,
    /// The detail page's read of its order (issue 18).
    pub observe_order: String,
    pub retry_export: String,
    pub open_linking: String,
    pub read_page: String,
    pub order_reads: String,
    pub report_page: String,
    pub stage_batch_order: String,
    pub open_batch: String,
    pub cancel_batch: String,
    pub get_batch: String,
    /// Background events.
    pub event_status: String,
    pub event_close_dialog: String,
    pub event_export_order: String,
    pub event_set: String,
}

fn type_of<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_string))
        .unwrap_or_default()
}

pub fn messages() -> Messages {
    let order_ref = OrderRef { order_id: None, order_number: String::new() };
    Messages {
        report_nuorder_session: type_of(&Request::ReportNuorderSession { session: serde_json::Value::Null }),
        stage_order: type_of(&Request::StageOrder {
            order: serde_json::Value::Null,
            products: vec![],
            brand: PageBrand::default(),
        }),
        get_export_status: type_of(&Request::GetExportStatus { orders: vec![order_ref], shown: vec![] }),
        observe_order: type_of(&Request::ObserveOrder { order: serde_json::Value::Null }),
        retry_export: type_of(&Request::RetryExport { order_id: String::new(), cap: None }),
        open_linking: type_of(&Request::OpenLinking),
        read_page: type_of(&Request::ReadPage(PageSnapshot::default())),
        order_reads: type_of(&Request::OrderReads { order: serde_json::Value::Null, brand: PageBrand::default() }),
        report_page: type_of(&Request::ReportPage { path: String::new(), missing: vec![] }),
        event_status: type_of(&Event::Status(crate::protocol::OrderStatusView {
            order_number: String::new(),
            order_id: None,
            status: JobStatus::NotExported,
            po_number: None,
            po_url: None,
            badge: super::views::loading(),
        })),
        event_close_dialog: type_of(&Event::CloseDialog { order_id: None }),
        event_export_order: type_of(&Event::ExportOrder { order_id: String::new(), path: String::new() }),
        stage_batch_order: type_of(&Request::StageBatchOrder {
            order: serde_json::Value::Null,
            products: vec![],
            brand: PageBrand::default(),
        }),
        open_batch: type_of(&Request::OpenBatch { order_ids: vec![] }),
        cancel_batch: type_of(&Request::CancelBatch { set_id: String::new() }),
        get_batch: type_of(&Request::GetBatch),
        event_set: type_of(&Event::Set(crate::protocol::SetView {
            set_id: String::new(),
            label: String::new(),
            done: 0,
            total: 0,
            finished: false,
            cancelled: false,
        })),
    }
}

/// Everything the JS fallback runs on. It carries data only: every rule that needs code is in
/// [`super::read`] (which the fallback reaches through the background) or in the background.
#[derive(Debug, Clone, Serialize)]
pub struct InPageSpec {
    pub protocol_version: u32,
    /// Every anchor's CSS selector by name.
    pub selectors: BTreeMap<&'static str, &'static str>,
    pub attrs: Attrs,
    pub marker_attr: &'static str,
    pub engine_attr: &'static str,
    pub overlay_moved: &'static str,
    pub dialog_ready: &'static str,
    /// Between the dialog's page and its capability in a staged order's dialog path.
    pub cap_query: &'static str,
    pub tags: Tags,
    pub widget_css: &'static str,
    pub widgets: Widgets,
    pub labels: Labels,
    pub limits: Limits,
    pub fetching: Fetching,
    pub views: Views,
    /// A badge link is rendered only when its URL starts with one of these.
    pub link_prefixes: Vec<String>,
    pub messages: Messages,
}

pub fn in_page_spec() -> InPageSpec {
    InPageSpec {
        protocol_version: PROTOCOL_VERSION,
        selectors: sorted::map(ALL.iter().map(|s| (s.name, s.css))),
        attrs: ATTRS,
        marker_attr: MARKER_ATTR,
        engine_attr: ENGINE_ATTR,
        overlay_moved: OVERLAY_MOVED,
        dialog_ready: DIALOG_READY,
        cap_query: CAP_QUERY,
        tags: TAGS,
        widget_css: WIDGET_CSS,
        widgets: WIDGETS,
        labels: LABELS,
        limits: LIMITS,
        fetching: FETCHING,
        views: Views {
            loading: super::views::loading(),
            unavailable: super::views::unavailable(None),
            orphaned: super::views::orphaned(),
        },
        link_prefixes: super::views::link_prefixes(),
        messages: messages(),
    }
}

/// The spec as pretty JSON.
pub fn in_page_spec_json() -> String {
    serde_json::to_string_pretty(&in_page_spec()).expect("the spec serializes")
}

/// The spec as the classic script `po-bridge-spec.js` that the manifest loads before the content
/// loader: it defines `globalThis.PO_BRIDGE_SPEC` in the content script's world (no fetch needed,
/// so the page's CSP has no say).
pub fn in_page_spec_js() -> String {
    format!(
        "// Generated by `gen-assets` from the Rust definitions in src/inpage/ and src/nuorder/. Do not edit.\nglobalThis.PO_BRIDGE_SPEC = {};\n",
        serde_json::to_string(&in_page_spec()).expect("the spec serializes")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn spec_lists_every_selector() {
        let v: serde_json::Value = serde_json::from_str(&super::in_page_spec_json()).unwrap();
        assert_eq!(v["selectors"].as_object().unwrap().len(), crate::nuorder::selectors::ALL.len());
        assert_eq!(v["labels"]["export_action"], "Export order to POS");
        assert_eq!(v["views"]["orphaned"]["text"], super::LABELS.extension_updated);
        assert!(super::in_page_spec_js().starts_with("// Generated"));
        assert!(super::in_page_spec_js().contains("globalThis.PO_BRIDGE_SPEC = {"));
    }

    #[test]
    fn message_names_come_from_the_protocol() {
        let m = super::messages();
        let got = [
            &m.report_nuorder_session,
            &m.stage_order,
            &m.get_export_status,
            &m.retry_export,
            &m.open_linking,
            &m.read_page,
            &m.order_reads,
            &m.report_page,
            &m.event_status,
            &m.event_close_dialog,
            &m.event_export_order,
        ];
        assert_eq!(
            got.map(|s| s.as_str()),
            [
                "report_nuorder_session",
                "stage_order",
                "get_export_status",
                "retry_export",
                "open_linking",
                "read_page",
                "order_reads",
                "report_page",
                "status",
                "close_dialog",
                "export_order",
            ]
        );
    }

    #[test]
    fn widget_style_has_no_url_or_import() {
        // Nothing in the constructed stylesheet may fetch (a strict CSP would refuse it anyway).
        assert!(!super::WIDGET_CSS.contains("url(") && !super::WIDGET_CSS.contains("@import"));
    }
}
