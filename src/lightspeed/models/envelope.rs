//! The response envelope (`@attributes` + records), both error bodies and the OAuth token
//! response.

use crate::core::objects::Objects;
use crate::lightspeed::wire::{
    de_i64, de_one_or_many, de_opt_string, de_opt_u64, de_string, each, many_values, Record,
};
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// `@attributes` of a response: `count` (V2 and V3 single records), V2 offset paging
/// (`offset`, `limit`) or V3 cursors (`next`, `previous`: full URLs, `""` at the ends → `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Attributes {
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub count: Option<u64>,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub offset: Option<u64>,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub limit: Option<u64>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub next: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub previous: Option<String>,
}

impl Attributes {
    /// The `after` cursor of `next`, still URL-encoded, to reissue with the original query
    /// (integrators saw filters dropped from `next` URLs).
    pub fn next_after(&self) -> Option<&str> {
        let next = self.next.as_deref()?;
        let query = next.split_once('?')?.1;
        query.split('&').find_map(|kv| kv.strip_prefix("after=")).filter(|v| !v.is_empty())
    }
}

/// A response body: `{"@attributes": {...}, "<Resource>": one-or-many}`; the records are empty
/// when the key is absent (no results). Other keys are ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope<T> {
    pub attributes: Attributes,
    pub records: Vec<T>,
}

impl<T> Envelope<T> {
    /// The one record of a single-record response.
    pub fn into_single(self) -> Option<T> {
        self.records.into_iter().next()
    }
}

impl<T: Record + DeserializeOwned> Envelope<T> {
    /// The envelope of a body already read as a JSON value, its records read as values once for
    /// every record type (the browser's decoding, `client::send::decode`; the same shapes as the
    /// `Deserialize` below).
    pub fn from_value(body: Value) -> Result<Envelope<T>, serde_json::Error> {
        let Value::Object(mut body) = body else {
            return Err(de::Error::custom(format_args!(
                "expected a Lightspeed response object with {:?} records",
                T::KEY
            )));
        };
        let attributes = match body.remove("@attributes") {
            Some(a) => Attributes::deserialize(Objects::new(a))?,
            None => Attributes::default(),
        };
        let records = body.remove(T::KEY).map_or(Ok(Vec::new()), many_values).and_then(each)?;
        Ok(Envelope { attributes, records })
    }
}

impl<'de, T: Record + DeserializeOwned> Deserialize<'de> for Envelope<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Record + DeserializeOwned> Visitor<'de> for V<T> {
            type Value = Envelope<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a Lightspeed response object with {:?} records", T::KEY)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope<T>, A::Error> {
                let mut attributes = Attributes::default();
                let mut records = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "@attributes" {
                        attributes = map.next_value()?;
                    } else if key == T::KEY {
                        records = map.next_value_seed(Many::<T>(PhantomData))?;
                    } else {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                Ok(Envelope { attributes, records })
            }
        }
        struct Many<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> de::DeserializeSeed<'de> for Many<T> {
            type Value = Vec<T>;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
                de_one_or_many(d)
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// The REST error body: `{"httpCode":"400","httpMessage":"Bad Request","message":"…",
/// "errorClass":"Exception"}` (`httpCode` a string; served as `text/html` at times).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RestError {
    #[serde(rename = "httpCode", deserialize_with = "de_i64")]
    pub http_code: i64,
    #[serde(rename = "httpMessage", default, deserialize_with = "de_opt_string")]
    pub http_message: Option<String>,
    #[serde(default, deserialize_with = "de_string")]
    pub message: String,
    #[serde(rename = "errorClass", default, deserialize_with = "de_opt_string")]
    pub error_class: Option<String>,
}

/// The OAuth error body (token endpoint, and 401s from the 2024 OAuth server):
/// `{"error":"access_denied","error_description":"…","hint":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OAuthError {
    #[serde(deserialize_with = "de_string")]
    pub error: String,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub error_description: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub hint: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub message: Option<String>,
}

/// Either error shape.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ErrorBody {
    Rest(RestError),
    OAuth(OAuthError),
}

impl ErrorBody {
    /// Reads an error body whatever its content type; `None` when it is neither shape.
    pub fn parse(body: &[u8]) -> Option<ErrorBody> {
        serde_json::from_slice(body).ok()
    }

    /// The human-readable part.
    pub fn message(&self) -> &str {
        match self {
            ErrorBody::Rest(e) => &e.message,
            ErrorBody::OAuth(e) => {
                e.error_description.as_deref().or(e.hint.as_deref()).or(e.message.as_deref()).unwrap_or(&e.error)
            }
        }
    }

    /// True for OAuth `invalid_grant` (the refresh token is dead: the user must re-link).
    pub fn is_invalid_grant(&self) -> bool {
        matches!(self, ErrorBody::OAuth(e) if e.error == "invalid_grant")
    }
}

/// The OAuth token response. `Debug` never prints the tokens.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct TokenResponse {
    #[serde(default, deserialize_with = "de_string")]
    pub token_type: String,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub expires_in: Option<u64>,
    #[serde(deserialize_with = "de_string")]
    pub access_token: String,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub refresh_token: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub scope: Option<String>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("access_token", &"<redacted>")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "<redacted>"))
            .field("scope", &self.scope)
            .finish()
    }
}
