//! The payloads of the replies the in-page engines read, as the one generic request decodes them
//! (`ok.data` only; decoding every `Response` would pull the export plan into the content wasm),
//! read from the wire by [`FromWire`] (no serde visitors in the content script, issue 17).

use crate::protocol::{field, FromWire, PageStatusView, SetView};
use serde_json::Value;

/// The data of `Response::Staged`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staged {
    pub order_id: String,
    /// The dialog's path with its one-time capability: the only path the engines open.
    pub dialog: String,
}

impl FromWire for Staged {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(Staged { order_id: field(v, "order_id")?, dialog: field(v, "dialog")? })
    }
}

/// The data of `Response::Statuses`, each status as the pages read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statuses {
    pub statuses: Vec<PageStatusView>,
}

impl FromWire for Statuses {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(Statuses { statuses: field(v, "statuses")? })
    }
}

/// The data of `Response::RunningBatch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningBatch {
    pub set: Option<SetView>,
}

impl FromWire for RunningBatch {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(RunningBatch { set: field(v, "set")? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{OrderStatusView, Response};

    fn data(r: &Response) -> Value {
        serde_json::to_value(r).unwrap()["data"].clone()
    }

    #[test]
    fn payloads_decode_what_the_background_sends() {
        let staged =
            Response::Staged { order_id: "o1".into(), order_number: "7".into(), dialog: "dialog.html?cap=ab".into() };
        let read = Staged::from_wire(&data(&staged));
        assert_eq!(read, Some(Staged { order_id: "o1".into(), dialog: "dialog.html?cap=ab".into() }));
        let view = OrderStatusView {
            order_number: "7001".into(),
            order_id: None,
            status: crate::core::status::JobStatus::NotExported,
            po_number: None,
            po_url: None,
            badge: crate::export::badge::badge(&crate::core::status::JobStatus::NotExported, None, None),
        };
        let statuses = Response::Statuses { linked: true, statuses: vec![view.clone()] };
        let page = PageStatusView { order_number: view.order_number, order_id: None, badge: view.badge };
        assert_eq!(Statuses::from_wire(&data(&statuses)), Some(Statuses { statuses: vec![page] }));
        let none = Response::RunningBatch { set: None };
        assert_eq!(RunningBatch::from_wire(&data(&none)), Some(RunningBatch { set: None }));
        let set =
            SetView { set_id: "s".into(), label: "1 of 2".into(), done: 1, total: 2, finished: false, cancelled: true };
        let running = Response::RunningBatch { set: Some(set.clone()) };
        assert_eq!(RunningBatch::from_wire(&data(&running)), Some(RunningBatch { set: Some(set) }));
    }
}
