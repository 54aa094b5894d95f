//! The protocol as the in-page layers speak it: the requests they send ([`PageRequest`], the
//! [`Request`]s they may send) and what they decode of the background's messages (the same
//! objects as [`OrderStatusView`] and [`Event`] on the wire, read without what only the extension
//! pages show). An order's status reaches a page as its badge (computed by `export::badge`):
//! decoding the whole [`JobStatus`](crate::core::status::JobStatus), or encoding every request,
//! there would only weigh down the content script's wasm (issue 17).

use super::{tagged, BadgeView, OrderRef, PageBrand, Request, SetView, ShownRow};
#[cfg(test)]
use super::{Event, OrderStatusView};
use serde::{Deserialize, Serialize};

// On the wire as `Request`: `{"type": "<variant>", "data": <payload>}`.
tagged::wire_enum!(PageRequest);

/// The [`Request`]s an in-page layer sends (each one [`Privilege::Export`](super::Privilege)),
/// the same on the wire: see there what each asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum PageRequest {
    ReportNuorderSession { session: serde_json::Value },
    StageOrder { order: serde_json::Value, products: Vec<serde_json::Value>, brand: PageBrand },
    GetExportStatus { orders: Vec<OrderRef>, shown: Vec<ShownRow> },
    ObserveOrder { order: serde_json::Value },
    OpenLinking,
    ReportPage { path: String, missing: Vec<String> },
    StageBatchOrder { order: serde_json::Value, products: Vec<serde_json::Value>, brand: PageBrand },
    OpenBatch { order_ids: Vec<String> },
    CancelBatch { set_id: String },
    GetBatch,
}

impl PageRequest {
    /// The request in its wire form, as `Serialize` writes it, without formatting the error of a
    /// value that is not JSON (the content script sends its requests as this `Value`: the error's
    /// text, and serde_json's messages behind it, would only weigh down its wasm, issue 17).
    pub fn to_wire(&self) -> Option<serde_json::Value> {
        PageRequest::serialize(self, serde_json::value::Serializer).ok().map(tagged::to_wire)
    }
}

impl From<PageRequest> for Request {
    fn from(r: PageRequest) -> Self {
        match r {
            PageRequest::ReportNuorderSession { session } => Request::ReportNuorderSession { session },
            PageRequest::StageOrder { order, products, brand } => Request::StageOrder { order, products, brand },
            PageRequest::GetExportStatus { orders, shown } => Request::GetExportStatus { orders, shown },
            PageRequest::ObserveOrder { order } => Request::ObserveOrder { order },
            PageRequest::OpenLinking => Request::OpenLinking,
            PageRequest::ReportPage { path, missing } => Request::ReportPage { path, missing },
            PageRequest::StageBatchOrder { order, products, brand } => {
                Request::StageBatchOrder { order, products, brand }
            }
            PageRequest::OpenBatch { order_ids } => Request::OpenBatch { order_ids },
            PageRequest::CancelBatch { set_id } => Request::CancelBatch { set_id },
            PageRequest::GetBatch => Request::GetBatch,
        }
    }
}

/// An [`OrderStatusView`](super::OrderStatusView) as the in-page layers read it: which order, and
/// its badge (read from the wire by [`FromWire`](super::FromWire), `page_read`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageStatusView {
    pub order_number: String,
    pub order_id: Option<String>,
    /// What the widgets render.
    pub badge: BadgeView,
}

/// An [`Event`](super::Event) as the in-page layers read it (every variant, the status as a
/// [`PageStatusView`]); on the wire as `Event`, read by [`FromWire`](super::FromWire) (`page_read`).
#[derive(Debug, Clone, PartialEq)]
pub enum PageEvent {
    Status(PageStatusView),
    CloseDialog { order_id: Option<String> },
    ExportOrder { order_id: String, path: String },
    Set(SetView),
}

#[cfg(test)]
impl From<OrderStatusView> for PageStatusView {
    fn from(v: OrderStatusView) -> Self {
        PageStatusView { order_number: v.order_number, order_id: v.order_id, badge: v.badge }
    }
}

#[cfg(test)]
impl From<Event> for PageEvent {
    fn from(e: Event) -> Self {
        match e {
            Event::Status(v) => PageEvent::Status(v.into()),
            Event::CloseDialog { order_id } => PageEvent::CloseDialog { order_id },
            Event::ExportOrder { order_id, path } => PageEvent::ExportOrder { order_id, path },
            Event::Set(v) => PageEvent::Set(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ids::OrderId;
    use crate::core::status::JobStatus;
    use crate::core::status::{BadgeLink, Tone};
    use crate::protocol::FromWire;

    /// An order's status with a badge that sets every field (the words are `export::badge`'s).
    fn status(status: JobStatus) -> OrderStatusView {
        let (po_number, po_url) = (Some("1042".to_string()), Some("https://us.merchantos.com/po/7".to_string()));
        let badge = BadgeView {
            text: "Changed since export".into(),
            tone: Tone::Warning,
            detail: Some("NuORDER shows this order differently.".into()),
            progress: Some((2, 5)),
            link: Some(BadgeLink { text: "View PO #1042".into(), url: po_url.clone().unwrap() }),
            action_enabled: false,
            action_tooltip: "Already exported as PO #1042.".into(),
            retry: true,
            needs_link: true,
            review: true,
            selectable: true,
        };
        OrderStatusView { order_number: "7001".into(), order_id: Some("o1".into()), status, po_number, po_url, badge }
    }

    fn events() -> Vec<Event> {
        let po_id = OrderId(7);
        let failed = JobStatus::Failed { message: "Lightspeed is down.".into(), retryable: false, again: true };
        let running = JobStatus::Updating { po_id, done: 2, total: 5 };
        let set = SetView {
            set_id: "s".into(),
            label: "1 of 2".into(),
            done: 1,
            total: 2,
            finished: false,
            cancelled: false,
        };
        vec![
            Event::Status(status(JobStatus::Exported { po_id })),
            Event::Status(status(failed)),
            Event::Status(status(running)),
            Event::Status(OrderStatusView { order_id: None, ..status(JobStatus::NotExported) }),
            Event::CloseDialog { order_id: Some("o1".into()) },
            Event::CloseDialog { order_id: None },
            Event::ExportOrder { order_id: "o1".into(), path: "/api/order/o1".into() },
            Event::Set(set),
        ]
    }

    fn page_requests() -> Vec<PageRequest> {
        let doc = serde_json::json!({"_id": "o1", "line_items": [{"sku": "A", "price": 1.5}]});
        let brand = PageBrand { id: Some("b1".into()), name: Some("Juniper".into()) };
        let order = OrderRef { order_id: Some("o1".into()), order_number: "7001".into() };
        let shown = ShownRow { order_number: "7001".into(), total: Some("$1.50".into()), status: None };
        vec![
            PageRequest::ReportNuorderSession { session: serde_json::Value::Null },
            PageRequest::StageOrder { order: doc.clone(), products: vec![doc.clone()], brand: brand.clone() },
            PageRequest::GetExportStatus { orders: vec![order], shown: vec![shown] },
            PageRequest::ObserveOrder { order: doc.clone() },
            PageRequest::OpenLinking,
            PageRequest::ReportPage { path: "/orders".into(), missing: vec!["row_actions_cell".into()] },
            PageRequest::StageBatchOrder { order: doc, products: vec![], brand },
            PageRequest::OpenBatch { order_ids: vec!["o1".into(), "o2".into()] },
            PageRequest::CancelBatch { set_id: "s".into() },
            PageRequest::GetBatch,
        ]
    }

    #[test]
    fn a_page_request_travels_as_its_request() {
        for page in page_requests() {
            let request = Request::from(page.clone());
            assert_eq!(request.privilege(), super::super::Privilege::Export, "{request:?}");
            // As the in-page layers send it (`browser::envelope_to_js`).
            let wire = super::super::Envelope { v: 1, id: "i".into(), req: page.to_wire().unwrap() }.into_wire();
            assert_eq!(wire["req"], serde_json::to_value(&page).unwrap());
            let expected = super::super::Envelope { v: 1, id: "i".into(), req: request };
            assert_eq!(wire, serde_json::to_value(&expected).unwrap());
            assert_eq!(super::super::decode_envelope(&wire).unwrap(), expected, "{wire}");
        }
    }

    #[test]
    fn pages_read_every_event_the_background_sends() {
        for event in events() {
            let wire = serde_json::to_value(&event).unwrap();
            assert_eq!(PageEvent::from_wire(&wire), Some(PageEvent::from(event)), "{wire}");
        }
    }

    #[test]
    fn a_page_status_is_an_order_status_without_the_status() {
        let view = status(JobStatus::Changed { po_id: OrderId(7) });
        let read = PageStatusView::from_wire(&serde_json::to_value(&view).unwrap());
        assert_eq!(read, Some(PageStatusView::from(view)));
    }
}
