//! The background's messages as the in-page layers read them, from a `serde_json::Value`, without
//! serde's `Deserialize`: the content script decodes a handful of shapes (an order's status, the
//! events, an error, the few replies it reads), and serde's visitors for them, its error messages
//! and the float formatting behind those were a third of its wasm (issue 17). The wire is the one
//! the core encodes ([`Event`](super::Event), [`Response`](super::Response), [`ProtocolError`]):
//! the tests here decode what the core writes. Names of unit variants (a tone, an error code) are
//! still read by their serde derive, so each is spelled once.

use super::{ErrorCode, PageEvent, PageStatusView, ProtocolError, SetView};
use crate::core::status::{BadgeLink, BadgeView};
use serde::de::{DeserializeOwned, IntoDeserializer};
use serde_json::Value;

/// A value read from its wire form; `None` when it is not of that form.
pub trait FromWire: Sized {
    fn from_wire(v: &Value) -> Option<Self>;
}

/// A reply whose data the caller does not read: anything.
impl FromWire for () {
    fn from_wire(_: &Value) -> Option<Self> {
        Some(())
    }
}

/// A field, absent or `null` as `None` (as serde reads an `Option` field).
impl<T: FromWire> FromWire for Option<T> {
    fn from_wire(v: &Value) -> Option<Self> {
        match v {
            Value::Null => Some(None),
            v => T::from_wire(v).map(Some),
        }
    }
}

impl<T: FromWire> FromWire for Vec<T> {
    fn from_wire(v: &Value) -> Option<Self> {
        v.as_array()?.iter().map(T::from_wire).collect()
    }
}

impl FromWire for String {
    fn from_wire(v: &Value) -> Option<Self> {
        v.as_str().map(str::to_owned)
    }
}

impl FromWire for bool {
    fn from_wire(v: &Value) -> Option<Self> {
        v.as_bool()
    }
}

impl FromWire for usize {
    fn from_wire(v: &Value) -> Option<Self> {
        usize::try_from(v.as_u64()?).ok()
    }
}

/// Field `key` of object `v`; an absent field reads as `null`.
pub fn field<T: FromWire>(v: &Value, key: &str) -> Option<T> {
    T::from_wire(v.as_object()?.get(key).unwrap_or(&Value::Null))
}

/// A unit variant's name, read by the enum's own serde derive.
pub fn named<T: DeserializeOwned>(v: &Value) -> Option<T> {
    T::deserialize(IntoDeserializer::<NotNamed>::into_deserializer(v.as_str()?)).ok()
}

/// [`named`]'s error: a name that is none of the enum's, without serde's message (formatting
/// it, with the list of expected names, would only weigh down the content script's wasm).
#[derive(Debug)]
struct NotNamed;

impl std::fmt::Display for NotNamed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a known name")
    }
}

impl std::error::Error for NotNamed {}

impl serde::de::Error for NotNamed {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        NotNamed
    }
}

impl FromWire for BadgeView {
    fn from_wire(v: &Value) -> Option<Self> {
        let progress = match v.get("progress") {
            None | Some(Value::Null) => None,
            Some(p) => Some((usize::from_wire(p.get(0)?)?, usize::from_wire(p.get(1)?)?)),
        };
        let link = match v.get("link") {
            None | Some(Value::Null) => None,
            Some(l) => Some(BadgeLink { text: field(l, "text")?, url: field(l, "url")? }),
        };
        // Left out when false.
        let flag = |key| field::<Option<bool>>(v, key).map(Option::unwrap_or_default);
        Some(BadgeView {
            text: field(v, "text")?,
            tone: named(v.get("tone")?)?,
            detail: field(v, "detail")?,
            progress,
            link,
            action_enabled: field(v, "action_enabled")?,
            action_tooltip: field(v, "action_tooltip")?,
            retry: field(v, "retry")?,
            needs_link: field(v, "needs_link")?,
            review: flag("review")?,
            selectable: flag("selectable")?,
        })
    }
}

impl FromWire for PageStatusView {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(PageStatusView {
            order_number: field(v, "order_number")?,
            order_id: field(v, "order_id")?,
            badge: BadgeView::from_wire(v.get("badge")?)?,
        })
    }
}

impl FromWire for SetView {
    fn from_wire(v: &Value) -> Option<Self> {
        Some(SetView {
            set_id: field(v, "set_id")?,
            label: field(v, "label")?,
            done: field(v, "done")?,
            total: field(v, "total")?,
            finished: field(v, "finished")?,
            cancelled: field(v, "cancelled")?,
        })
    }
}

/// `{"type": "<variant>", "data": <payload>}`, as `Event` is sent.
impl FromWire for PageEvent {
    fn from_wire(v: &Value) -> Option<Self> {
        let data = v.get("data")?;
        Some(match v.get("type")?.as_str()? {
            "status" => PageEvent::Status(PageStatusView::from_wire(data)?),
            "close_dialog" => PageEvent::CloseDialog { order_id: field(data, "order_id")? },
            "export_order" => PageEvent::ExportOrder { order_id: field(data, "order_id")?, path: field(data, "path")? },
            "set" => PageEvent::Set(SetView::from_wire(data)?),
            _ => return None,
        })
    }
}

impl FromWire for ProtocolError {
    fn from_wire(v: &Value) -> Option<Self> {
        let code: ErrorCode = named(v.get("code")?)?;
        let next = match v.get("next") {
            None | Some(Value::Null) => None,
            Some(n) => Some(named(n)?),
        };
        Some(ProtocolError { code, message: field(v, "message")?, retryable: field(v, "retryable")?, next })
    }
}

/// An answer as it came back (`{v, id, ok}` or `{v, id, err}`): the `ok` object, or the error the
/// background sent; `None` when it is neither (an error that does not read, `ok` not an object).
/// An error wins over `ok`. The one reading of a reply, for the pages and the content script.
pub fn reply(answer: &Value) -> Option<Result<&Value, ProtocolError>> {
    if let Some(err) = answer.get("err").filter(|e| !e.is_null()) {
        return ProtocolError::from_wire(err).map(Err);
    }
    answer.get("ok").filter(|ok| ok.is_object()).map(Ok)
}

#[cfg(test)]
#[path = "page_read_tests.rs"]
mod tests;
