use super::*;
use crate::core::status::Tone;
use crate::protocol::NextStep;

fn wire<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

#[test]
fn pages_read_every_error_the_background_sends() {
    let codes = [
        ErrorCode::BadEnvelope,
        ErrorCode::UnsupportedVersion,
        ErrorCode::Forbidden,
        ErrorCode::InvalidInput,
        ErrorCode::TooLarge,
        ErrorCode::BadReply,
        ErrorCode::Internal,
        ErrorCode::Cancelled,
        ErrorCode::NeedsRelink,
        ErrorCode::Network,
        ErrorCode::NotFound,
    ];
    let nexts = [None, Some(NextStep::TryAgain), Some(NextStep::SignIn), Some(NextStep::OpenLightspeed)];
    for (i, code) in codes.into_iter().enumerate() {
        let mut error = ProtocolError::new(code, format!("Advice {i}."));
        error.next = nexts[i % nexts.len()].or((code == ErrorCode::NeedsRelink).then_some(NextStep::Reconnect));
        assert_eq!(ProtocolError::from_wire(&wire(&error)), Some(error.clone()), "{}", wire(&error));
    }
}

#[test]
fn a_badge_without_its_optional_parts_reads_with_their_defaults() {
    let badge = BadgeView {
        text: "Not exported".into(),
        tone: Tone::Neutral,
        detail: None,
        progress: None,
        link: None,
        action_enabled: true,
        action_tooltip: "Export this order.".into(),
        retry: false,
        needs_link: false,
        review: false,
        selectable: false,
    };
    let encoded = wire(&badge);
    assert!(encoded.get("review").is_none() && encoded.get("selectable").is_none(), "{encoded}");
    assert_eq!(BadgeView::from_wire(&encoded), Some(badge));
}

#[test]
fn what_is_not_of_the_form_reads_as_nothing() {
    let error = wire(&ProtocolError::new(ErrorCode::Internal, "Try again."));
    let mut unknown_code = error.clone();
    unknown_code["code"] = "melted".into();
    let mut no_message = error.clone();
    no_message.as_object_mut().unwrap().remove("message");
    let mut number_message = error;
    number_message["message"] = 7.into();
    for bad in [unknown_code, no_message, number_message, Value::Null, "internal".into()] {
        assert_eq!(ProtocolError::from_wire(&bad), None, "{bad}");
    }
    let unknown_event = serde_json::json!({"type": "melted", "data": {}});
    assert_eq!(PageEvent::from_wire(&unknown_event), None);
    assert_eq!(usize::from_wire(&Value::from(-1)), None);
    assert_eq!(<Vec<String>>::from_wire(&serde_json::json!(["a", 1])), None);
}

#[test]
fn a_reply_reads_as_its_ok_object_or_its_error() {
    use crate::protocol::{ReplyEnvelope, Response};
    let ok = wire(&ReplyEnvelope::ok("1", Response::RunningBatch { set: None }));
    assert_eq!(reply(&ok), Some(Ok(&ok["ok"])), "{ok}");
    let error = ProtocolError::new(ErrorCode::Forbidden, "Not from this page.");
    let err = wire(&ReplyEnvelope::err("2", error.clone()));
    assert_eq!(reply(&err), Some(Err(error)), "{err}");
    let mut both = ok.clone();
    both["err"] = err["err"].clone();
    assert!(matches!(reply(&both), Some(Err(_))), "an error wins: {both}");
    let mut bad_error = err;
    bad_error["err"]["code"] = "melted".into();
    let mut ok_not_object = ok;
    ok_not_object["ok"] = 1.into();
    for bad in [bad_error, ok_not_object, serde_json::json!({"v": 1, "id": "3"}), Value::Null] {
        assert_eq!(reply(&bad), None, "{bad}");
    }
}
