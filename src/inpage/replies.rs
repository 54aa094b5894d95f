//! The payloads of the replies the in-page engines read, as the one generic request decodes them
//! (`ok.data` only; decoding every `Response` would pull the export plan into the content wasm).

use crate::protocol::{PageStatusView, SetView};
use serde::Deserialize;

/// The data of `Response::Staged`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Staged {
    pub order_id: String,
    /// The dialog's path with its one-time capability: the only path the engines open.
    pub dialog: String,
}

/// The data of `Response::Statuses`, each status as the pages read it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Statuses {
    pub statuses: Vec<PageStatusView>,
}

/// The data of `Response::RunningBatch`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RunningBatch {
    pub set: Option<SetView>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Response;

    fn data(r: &Response) -> serde_json::Value {
        serde_json::to_value(r).unwrap()["data"].clone()
    }

    #[test]
    fn payloads_decode_what_the_background_sends() {
        let staged =
            Response::Staged { order_id: "o1".into(), order_number: "7".into(), dialog: "dialog.html?cap=ab".into() };
        assert_eq!(serde_json::from_value::<Staged>(data(&staged)).unwrap().order_id, "o1");
        let statuses = Response::Statuses { linked: true, statuses: vec![] };
        assert_eq!(serde_json::from_value::<Statuses>(data(&statuses)).unwrap().statuses, vec![]);
        let none = Response::RunningBatch { set: None };
        assert_eq!(serde_json::from_value::<RunningBatch>(data(&none)).unwrap().set, None);
    }
}
