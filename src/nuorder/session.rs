//! The signed-in NuORDER buyer, from the answer of the app's session call
//! (`pages::api::SESSION_ME`): `{user:{name, email}, retailer:{_id, retailer_name}}`, as the
//! sandbox serves it (the real shape is unconfirmed; the fields follow the order document's
//! `retailer` object, `nuorder.md` §3.1). The content script forwards the raw answer; the
//! background parses and validates it here.

use crate::core::accounts::{AccountsError, NuorderAccount};
use serde_json::Value;

fn text<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    path.iter().try_fold(v, |v, k| v.get(*k)).and_then(Value::as_str).unwrap_or("")
}

/// The buyer in a session answer, validated.
pub fn parse_me(me: &Value) -> Result<NuorderAccount, AccountsError> {
    let account = NuorderAccount {
        retailer_id: text(me, &["retailer", "_id"]).trim().to_string(),
        retailer_name: text(me, &["retailer", "retailer_name"]).trim().to_string(),
        buyer_email: text(me, &["user", "email"]).trim().to_string(),
        buyer_name: text(me, &["user", "name"]).trim().to_string(),
    };
    account.validate()?;
    Ok(account)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_session_answer_yields_the_buyer() {
        let me = json!({"user":{"_id":"u1","name":"Sam Okafor","email":"buyer@example.com","type":"buyer"},
                        "retailer":{"_id":"64b2e0c9a1f3d5e7b9c1a2d3","retailer_name":"Juniper & Pine","retailer_code":"JP-001"}});
        let a = parse_me(&me).unwrap();
        assert_eq!(
            (a.buyer_name.as_str(), a.buyer_email.as_str(), a.retailer_name.as_str()),
            ("Sam Okafor", "buyer@example.com", "Juniper & Pine")
        );
    }

    #[test]
    fn incomplete_or_hostile_answers_are_refused() {
        for bad in [
            json!({}),
            json!({"user":{"name":"S","email":"s@x.com"}}),
            json!({"user":{"name":"S","email":"no-at"},"retailer":{"_id":"r","retailer_name":"R"}}),
            json!({"user":{"name":"S\u{0}","email":"s@x.com"},"retailer":{"_id":"r","retailer_name":"R"}}),
            json!({"user":{"name":["S"],"email":"s@x.com"},"retailer":{"_id":"r","retailer_name":"R"}}),
        ] {
            assert!(parse_me(&bad).is_err(), "{bad}");
        }
    }
}
