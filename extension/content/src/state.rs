//! The layer's state: mounted widgets (the registry of their listeners), the status cache, the
//! batch of orders waiting for a status request, and whether the extension context is gone.
//! Borrows are short and never held across DOM calls that could re-enter our handlers.

use crate::dom::{self, el};
use crate::registry::Listener;
use po_bridge::export::badge::BadgeView;
use po_bridge::inpage::replies::Statuses;
use po_bridge::inpage::spec::{LABELS, LIMITS, MARKER_ATTR};
use po_bridge::inpage::views;
use po_bridge::nuorder::selectors::{ROW_STATUS, ROW_TOTAL};
use po_bridge::protocol::{
    ErrorCode, OrderRead, OrderRef, PageEvent, PageRequest, PageStatusView, ProtocolError, ShownRow,
};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlButtonElement, HtmlElement};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Row,
    Menu,
    Detail,
    Status,
}

/// What a widget shows: the background's view of the order, or why there is none.
#[derive(Clone)]
pub enum Shown {
    Loading,
    View(Box<PageStatusView>),
    Error(String),
}

pub struct Widget {
    pub id: u32,
    pub kind: Kind,
    /// The order and where to read it (from `inpage::read`).
    pub order: OrderRead,
    pub host: HtmlElement,
    /// The anchor the widget was mounted for (it carries the marker).
    pub owner: Element,
    pub badge: Option<HtmlElement>,
    pub action: Option<HtmlButtonElement>,
    pub note: Option<HtmlElement>,
    /// The row's checkbox for a batch (issue 19).
    pub select: Option<web_sys::HtmlInputElement>,
    /// The row a row or menu widget sits in.
    pub row: Option<Element>,
    pub shown: Shown,
    pub busy: bool,
    /// Listeners this widget added; dropped (removed) with it.
    pub listeners: Vec<Listener>,
}

impl Widget {
    fn number(&self) -> &str {
        &self.order.order.order_number
    }
}

#[derive(Default)]
pub struct State {
    pub widgets: Vec<Widget>,
    pub next_id: u32,
    /// The last status of each order (by number) and when it came. A list, like `inflight`: a
    /// page shows tens of orders, and a hash table would weigh more in the wasm than it saves.
    cache: Vec<(String, f64, Shown)>,
    inflight: Vec<String>,
    pending: Vec<OrderRef>,
    flush_scheduled: bool,
    pub orphaned: bool,
}

thread_local! {
    pub static STATE: RefCell<State> = RefCell::new(State::default());
}

impl State {
    fn cache(&mut self, number: &str, shown: Shown) {
        let entry = (number.to_string(), dom::now(), shown);
        match self.cache.iter_mut().find(|(n, ..)| n == number) {
            Some(cached) => *cached = entry,
            None => self.cache.push(entry),
        }
    }
}

pub fn with<R>(f: impl FnOnce(&mut State) -> R) -> R {
    STATE.with(|s| f(&mut s.borrow_mut()))
}

// ---------------------------------------------------------------- rendering

/// The view a widget renders: the background's, else the spec's placeholder.
fn view_for(shown: &Shown, orphaned: bool) -> BadgeView {
    match shown {
        _ if orphaned => views::orphaned(),
        Shown::Loading => views::loading(),
        Shown::Error(reason) => views::unavailable(Some(reason)),
        Shown::View(v) => v.badge.clone(),
    }
}

fn render_badge(badge: &HtmlElement, b: &BadgeView) {
    badge.set_text_content(None);
    let add = |e: &HtmlElement| {
        let _ = badge.append_child(e);
    };
    badge.set_class_name(b.tone.class());
    add(&el("span", "text", Some(&b.text)));
    if let Some((done, total)) = b.progress {
        let p: web_sys::HtmlProgressElement =
            el("progress", "progress", Some(&format!("{done} / {total}"))).unchecked_into();
        p.set_max(total.max(1) as f64);
        p.set_value(done as f64);
        add(&p);
    }
    if let Some(detail) = &b.detail {
        add(&el("span", "detail", Some(detail)));
    }
    if let Some(link) = b.link.as_ref().filter(|l| views::link_allowed(&l.url)) {
        let a: web_sys::HtmlAnchorElement = el("a", "link", Some(&link.text)).unchecked_into();
        a.set_href(&link.url);
        a.set_target("_blank");
        a.set_rel("noopener");
        add(&a);
    }
    for (shown, role, label) in [(b.retry, "retry", LABELS.retry), (b.review, "review", LABELS.review)] {
        if shown {
            let r: HtmlButtonElement = el("button", role, Some(label)).unchecked_into();
            r.set_type("button");
            let _ = r.set_attribute("data-role", role);
            add(&r);
        }
    }
}

fn render_action(w: &Widget, orphaned: bool) {
    if let Some(action) = &w.action {
        let b = view_for(&w.shown, orphaned);
        action.set_disabled(w.busy || !b.action_enabled);
        action.set_title(&b.action_tooltip);
    }
}

/// The background's badge for a widget's order, if it has one.
pub fn badge_of(w: &Widget) -> Option<BadgeView> {
    match &w.shown {
        Shown::View(v) => Some(v.badge.clone()),
        _ => None,
    }
}

pub fn render(w: &Widget, orphaned: bool) {
    if let Some(badge) = &w.badge {
        render_badge(badge, &view_for(&w.shown, orphaned));
    }
    if let Some(select) = &w.select {
        let selectable = !orphaned && badge_of(w).is_some_and(|b| b.selectable);
        crate::selection::render_select(select, w.number(), selectable);
    }
    render_action(w, orphaned);
    if orphaned {
        set_note_el(w.note.as_ref(), LABELS.extension_updated, true);
    }
}

fn set_note_el(note: Option<&HtmlElement>, text: &str, error: bool) {
    if let Some(n) = note {
        n.set_text_content(Some(text));
        n.set_class_name(if error { "note error" } else { "note" });
    }
}

/// Show `text` next to the action of widget `id` (a menu entry's messages go to its row's widget).
pub fn set_note(id: u32, text: &str, error: bool) {
    with(|s| {
        let Some(w) = s.widgets.iter().find(|w| w.id == id) else {
            return;
        };
        let target = if w.kind == Kind::Menu {
            s.widgets.iter().find(|r| r.kind == Kind::Row && r.row.is_some() && r.row == w.row && r.host.is_connected())
        } else {
            Some(w)
        };
        if let Some(t) = target {
            set_note_el(t.note.as_ref(), text, error);
        }
    });
}

pub fn set_busy(id: u32, busy: bool) {
    with(|s| {
        let orphaned = s.orphaned;
        if let Some(w) = s.widgets.iter_mut().find(|w| w.id == id) {
            w.busy = busy;
            render_action(w, orphaned);
        }
    });
}

pub fn mark_orphaned() {
    with(|s| {
        if s.orphaned {
            return;
        }
        s.orphaned = true;
        for w in &s.widgets {
            render(w, true);
        }
    });
}

/// A request to the background and its answer's data (read by [`crate::wire::decode`]); an error saying the
/// extension is gone marks the layer orphaned. One future for every request: only the decoding
/// is per reply type (a generic future per reply type weighed more in the wasm).
pub async fn ask(req: PageRequest) -> Result<serde_json::Value, ProtocolError> {
    let answer = crate::wire::ask(req).await;
    if matches!(&answer, Err(e) if e.code == ErrorCode::UnsupportedVersion) {
        mark_orphaned();
    }
    answer
}

// ---------------------------------------------------------------- statuses

fn matches(w: &Widget, view: &PageStatusView) -> bool {
    w.number() == view.order_number || (view.order_id.is_some() && w.order.order.order_id == view.order_id)
}

/// A status from the background (an answer or a live event): cache it and show it everywhere.
pub fn apply_view(view: PageStatusView) {
    with(|s| {
        let orphaned = s.orphaned;
        for w in s.widgets.iter_mut().filter(|w| matches(w, &view)) {
            w.shown = Shown::View(Box::new(view.clone()));
            render(w, orphaned);
        }
        crate::selection::deselect_unless(&view.order_number, view.badge.selectable);
        s.cache(&view.order_number.clone(), Shown::View(Box::new(view)));
    });
}

/// A spare widget's badge, built ahead: the loading view.
pub fn render_loading(badge: Option<&HtmlElement>) {
    if let Some(badge) = badge {
        render_badge(badge, &views::loading());
    }
}

/// Register a freshly mounted widget: show the cached status or queue its order for one batched
/// request. A spare (`rendered`) shows the loading view already.
pub fn add_widget(mut w: Widget, rendered: bool) {
    let schedule = with(|s| {
        let orphaned = s.orphaned;
        if let Some((_, at, shown)) = s.cache.iter().find(|(n, ..)| n == w.number()) {
            if dom::now() - at < f64::from(LIMITS.status_cache_ms) {
                w.shown = shown.clone();
            }
        }
        let known = !matches!(w.shown, Shown::Loading);
        if known || orphaned || !rendered {
            render(&w, orphaned);
        }
        let reference = w.order.order.clone();
        let number = reference.order_number.clone();
        s.widgets.push(w);
        if orphaned || known || s.inflight.contains(&number) || s.pending.iter().any(|o| o.order_number == number) {
            return false;
        }
        s.pending.push(reference);
        !std::mem::replace(&mut s.flush_scheduled, true)
    });
    if schedule {
        dom::after(0, || wasm_bindgen_futures::spawn_local(flush()));
    }
}

thread_local! {
    /// The tab's session report (raced with `LIMITS.session_wait_ms`), awaited before statuses.
    static SESSION: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// Status requests wait for this (the tab's session report, or its timeout).
pub fn set_session_report(report: js_sys::Promise) {
    SESSION.with(|s| *s.borrow_mut() = Some(report));
}

/// The background must know this tab's buyer before it is asked for statuses.
pub async fn session_reported() {
    if let Some(report) = SESSION.with(|s| s.borrow().clone()) {
        let _ = wasm_bindgen_futures::JsFuture::from(report).await;
    }
}

/// What the list rows of `batch` show of their orders (their Total and status cells, as text):
/// the background compares it with what each order's PO was made from.
fn shown_rows(batch: &[OrderRef]) -> Vec<ShownRow> {
    let rows: Vec<(String, Element)> = with(|s| {
        let row_of = |n: &str| s.widgets.iter().find(|w| w.kind == Kind::Row && w.number() == n)?.row.clone();
        batch.iter().filter_map(|o| Some((o.order_number.clone(), row_of(&o.order_number)?))).collect()
    });
    let cell = |row: &Element, css: &str| dom::query(row, css).and_then(|e| e.text_content());
    rows.into_iter()
        .map(|(n, row)| ShownRow {
            total: cell(&row, ROW_TOTAL.css),
            status: cell(&row, ROW_STATUS.css),
            order_number: n,
        })
        .collect()
}

async fn flush() {
    session_reported().await;
    loop {
        let batch: Vec<OrderRef> = with(|s| {
            let n = s.pending.len().min(LIMITS.max_status_batch);
            let batch: Vec<OrderRef> = s.pending.drain(..n).collect();
            for o in &batch {
                s.inflight.push(o.order_number.clone());
            }
            if batch.is_empty() {
                s.flush_scheduled = false;
            }
            batch
        });
        if batch.is_empty() {
            return;
        }
        let numbers: Vec<String> = batch.iter().map(|o| o.order_number.clone()).collect();
        let shown = shown_rows(&batch);
        match ask(PageRequest::GetExportStatus { orders: batch, shown }).await.and_then(crate::wire::decode::<Statuses>)
        {
            Ok(answer) => answer.statuses.into_iter().for_each(apply_view),
            Err(e) => with(|s| {
                let orphaned = s.orphaned;
                for n in &numbers {
                    s.cache(n, Shown::Error(e.message.clone()));
                }
                for w in s.widgets.iter_mut().filter(|w| numbers.iter().any(|n| n == w.number())) {
                    w.shown = Shown::Error(e.message.clone());
                    render(w, orphaned);
                }
            }),
        }
        with(|s| s.inflight.retain(|n| !numbers.contains(n)));
    }
}

/// Drop widgets whose host left the document (their listeners go with them); each one's anchor
/// loses its marker, so it is processed again if it is still or again in the page.
pub fn sweep() {
    let gone: Vec<Widget> = with(|s| {
        let (keep, gone): (Vec<Widget>, Vec<Widget>) =
            std::mem::take(&mut s.widgets).into_iter().partition(|w| w.host.is_connected());
        s.widgets = keep;
        gone
    });
    for w in gone {
        let _ = w.owner.remove_attribute(MARKER_ATTR);
    }
}

/// The order a widget belongs to and the background's view it shows now, if any.
pub fn view_of(id: u32) -> Option<(OrderRead, Option<PageStatusView>)> {
    with(|s| {
        s.widgets.iter().find(|w| w.id == id).map(|w| {
            let v = match &w.shown {
                Shown::View(v) => Some((**v).clone()),
                _ => None,
            };
            (w.order.clone(), v)
        })
    })
}

pub fn on_event(event: PageEvent) {
    match event {
        PageEvent::Status(view) => apply_view(view),
        PageEvent::CloseDialog { order_id } => crate::dialog::close_for(order_id.as_deref()),
        // The entry point routes it to `order` (which imports this module).
        PageEvent::ExportOrder { .. } => {}
        // The bar's (`batch`), dispatched by the entry point.
        PageEvent::Set(_) => {}
    }
}
