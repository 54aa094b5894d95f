//! The protocol's wire shapes and rules.

use super::*;
use serde_json::json;

#[test]
fn ping_envelope_round_trips_in_its_wire_shape() {
    let env = Envelope { v: 1, id: "a1".into(), req: Request::Ping { from: "content".into() } };
    let wire = serde_json::to_value(&env).unwrap();
    assert_eq!(wire, json!({"v":1,"id":"a1","req":{"type":"ping","data":{"from":"content"}}}));
    assert_eq!(decode_envelope(&wire).unwrap(), env);
}

#[test]
fn replies_carry_exactly_one_of_ok_and_err() {
    let ok = ReplyEnvelope::ok("x", handle_ping("popup", "0.1.0", 7));
    assert_eq!(
        serde_json::to_value(&ok).unwrap(),
        json!({"v":1,"id":"x","ok":{"type":"pong","data":{"version":"0.1.0","boot":7,"from":"popup"}}})
    );
    let err = ReplyEnvelope::err("y", ProtocolError::new(ErrorCode::Forbidden, "no"));
    assert_eq!(
        serde_json::to_value(&err).unwrap(),
        json!({"v":1,"id":"y","err":{"code":"forbidden","message":"no","retryable":false}})
    );
    assert!(err.into_result().is_err());
}

#[test]
fn wrong_version_is_refused_with_reload_advice() {
    let r = decode_envelope(&json!({"v":2,"id":"q","req":{"type":"ping","data":{"from":"x"}}})).unwrap_err();
    let e = r.err.unwrap();
    assert_eq!(e.code, ErrorCode::UnsupportedVersion);
    assert!(e.message.contains("reload the page"));
    assert_eq!(r.id, "q");
}

#[test]
fn unknown_types_and_fields_are_refused() {
    for bad in [
        json!({"v":1,"id":"q","req":{"type":"steal_tokens"}}),
        json!({"v":1,"id":"q","req":{"type":"ping","data":{"from":"x","extra":1}}}),
        json!({"v":1,"id":"q","req":{"type":"ping","data":{"from":"x"}},"more":true}),
        json!({"id":"q"}),
        json!("hello"),
    ] {
        let e = decode_envelope(&bad).unwrap_err().err.unwrap();
        assert_eq!(e.code, ErrorCode::BadEnvelope, "{bad}");
        // One sentence of advice: serde's words (a variant list, a field name) are not for users.
        assert!(e.message.ends_with("does not understand. Reload the page."), "{}", e.message);
    }
}

#[test]
fn privileges_follow_the_security_rules() {
    let privileged = [
        json!({"type":"get_accounts","data":{"active_tab_id":null}}),
        json!({"type":"link_lightspeed","data":{"interactive":true}}),
        json!({"type":"link_nuorder_buyer","data":{"account_id":"1","tab_id":3}}),
        json!({"type":"unlink","data":{"account_id":"1"}}),
        json!({"type":"get_shops","data":{"account_id":"1"}}),
        json!({"type":"set_default_shop","data":{"account_id":"1","shop_id":"2"}}),
        json!({"type":"set_region","data":{"account_id":"1","region":"eu"}}),
        // Writes (issue 14): only extension pages, never a content script.
        json!({"type":"start_export","data":{"order_id":"o","shop_id":"1","choices":[],"cap":"ab"}}),
        json!({"type":"retry_export","data":{"order_id":"o"}}),
        json!({"type":"retry_export","data":{"order_id":"o","cap":"ab"}}),
        json!({"type":"preview_export","data":{"cap":"ab"}}),
        // Update PO (issue 18): a write, like Export.
        json!({"type":"start_update","data":{"order_id":"o","archive":false,"choices":[],"cap":"ab"}}),
        // A batch starts only from the dialog (issue 19).
        json!({"type":"start_batch","data":{"cap":"ab","orders":[{"order_id":"o","shop_id":"1"}]}}),
    ];
    for req in privileged {
        let env = decode_envelope(&json!({"v":1,"id":"p","req":req})).unwrap();
        assert_eq!(env.req.privilege(), Privilege::Privileged, "{req}");
    }
    let observe = json!({"type":"observe_order","data":{"order":{}}});
    assert_eq!(decode_envelope(&json!({"v":1,"id":"p","req":observe})).unwrap().req.privilege(), Privilege::Export);
    let report = json!({"type":"report_nuorder_session","data":{"session":{"user":{}}}});
    assert_eq!(decode_envelope(&json!({"v":1,"id":"p","req":report})).unwrap().req.privilege(), Privilege::Export);
    for req in [
        json!({"type":"stage_batch_order","data":{"order":{},"products":[],"brand":{"id":null,"name":null}}}),
        json!({"type":"open_batch","data":{"order_ids":["o"]}}),
        json!({"type":"cancel_batch","data":{"set_id":"batch-1"}}),
        json!({"type":"get_batch"}),
    ] {
        assert_eq!(
            decode_envelope(&json!({"v":1,"id":"p","req":req})).unwrap().req.privilege(),
            Privilege::Export,
            "{req}"
        );
    }
    // anything extra smuggled beside the session is refused
    let smuggled = json!({"type":"report_nuorder_session","data":{"session":{},"account_id":"1"}});
    assert!(decode_envelope(&json!({"v":1,"id":"p","req":smuggled})).is_err());
}

#[test]
fn oversized_messages_are_refused() {
    let big = "x".repeat(MAX_MESSAGE_BYTES + 1);
    let r = decode_envelope(&json!({"v":1,"id":"q","req":{"type":"ping","data":{"from":big}}})).unwrap_err();
    assert_eq!(r.err.unwrap().code, ErrorCode::TooLarge);
}

#[test]
fn every_enum_keeps_its_type_and_data_wire_form() {
    // A variant without payload has no `data`; a `data` of null is accepted for it, as before.
    let close = json!({"type":"close_dialog"});
    assert_eq!(serde_json::to_value(Request::CloseDialog).unwrap(), close);
    assert_eq!(serde_json::from_value::<Request>(close).unwrap(), Request::CloseDialog);
    assert_eq!(
        serde_json::from_value::<Request>(json!({"type":"close_dialog","data":null})).unwrap(),
        Request::CloseDialog
    );
    assert_eq!(serde_json::to_value(Response::Done).unwrap(), json!({"type":"done"}));
    // A newtype variant holding `None` keeps `"data": null`.
    let none = json!({"type":"tab_page","data":null});
    assert_eq!(serde_json::to_value(Response::TabPage(None)).unwrap(), none);
    assert_eq!(serde_json::from_value::<Response>(none).unwrap(), Response::TabPage(None));
    let event = Event::CloseDialog { order_id: Some("o".into()) };
    let wire = json!({"type":"close_dialog","data":{"order_id":"o"}});
    assert_eq!(serde_json::to_value(&event).unwrap(), wire);
    // Key order does not matter on the wire (JSON text with `data` first).
    let text = r#"{"data":{"order_id":"o"},"type":"close_dialog"}"#;
    assert_eq!(serde_json::from_str::<Event>(text).unwrap(), event);
    for bad in [json!({"data":{"order_id":"o"}}), json!({"type":3}), json!(["close_dialog"]), json!("close_dialog")] {
        assert!(serde_json::from_value::<Event>(bad.clone()).is_err(), "{bad}");
    }
    // A request with a key beside `type` and `data` is refused (`deny_unknown_fields`); an event
    // or a reply ignores it, as the derive they had did.
    assert!(serde_json::from_value::<Request>(json!({"type":"close_dialog","more":1})).is_err());
    let extra = json!({"type":"close_dialog","data":{"order_id":"o"},"more":1});
    assert_eq!(serde_json::from_value::<Event>(extra).unwrap(), event);
}
