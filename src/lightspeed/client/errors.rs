//! [`ClientError`]: what went wrong with a call, with a sentence of advice for the user.

use crate::lightspeed::http::{Method, TransportError};
use crate::lightspeed::models::ErrorBody;
use crate::lightspeed::oauth::OAuthFailure;

/// Everything a Lightspeed call can end with, short of success.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// Lightspeed answered with an error status (either body shape; `error` is `None` when the body
    /// is neither).
    #[error("Lightspeed answered HTTP {status} to {method} {path}: {}", error.as_ref().map(|e| e.message().to_string()).unwrap_or_else(|| snippet(body)))]
    Api { status: u16, method: Method, path: String, error: Option<Box<ErrorBody>>, body: String },
    /// The refresh token is dead (`invalid_grant`), missing, or a fixed token was refused: the account
    /// must be linked again. Jobs pause rather than fail.
    #[error("Lightspeed must be linked again: {detail}")]
    NeedsRelink { detail: String },
    /// A write may or may not have been applied (timeout, dropped connection, 5xx after sending).
    /// Look the record up before creating it again.
    #[error("unknown outcome of {method} {path}: {detail}")]
    OutcomeUnknown { method: Method, path: String, detail: String },
    /// A read failed to get any answer (after retries).
    #[error("{method} {path}: {source}")]
    Transport { method: Method, path: String, source: TransportError },
    /// Too many 429s, or a wait longer than `max_wait_ms`: try again after `retry_after_ms`.
    #[error("Lightspeed's rate limit: retry in {retry_after_ms} ms")]
    RateLimited { retry_after_ms: u64 },
    /// A success body that does not match the model; `json_path` is where decoding failed.
    #[error("cannot read the answer to {path} (HTTP {status}) at {json_path}: {message}")]
    Decode { status: u16, path: String, json_path: String, message: String, body: String },
    /// A single-record call answered with no record.
    #[error("the answer to {path} holds no {resource} record")]
    Empty { path: String, resource: &'static str },
    /// The token refresh failed for a reason other than `invalid_grant`.
    #[error("token refresh failed: {0}")]
    Auth(OAuthFailure),
    /// Saving or loading tokens failed.
    #[error("token storage failed: {0}")]
    TokenStore(String),
    /// Pagination went beyond `max_pages` or left the API.
    #[error("pagination of {path} stopped: {detail}")]
    Pagination { path: String, detail: String },
}

pub(super) fn snippet(body: &str) -> String {
    let mut s: String = body.chars().take(300).collect();
    if body.chars().count() > 300 {
        s.push('…');
    }
    s
}

impl ClientError {
    /// The HTTP status, when Lightspeed answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } | ClientError::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The parsed error body (either shape), when Lightspeed sent one.
    pub fn error_body(&self) -> Option<&ErrorBody> {
        match self {
            ClientError::Api { error, .. } => error.as_deref(),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// True when the job should pause until the user links the account again: the refresh token
    /// was refused, or a 401 came back (the client refreshes once on a 401 and resends, so a 401
    /// it gives back was sent with a token fresh from the refresh: reference §4, "refresh once").
    pub fn needs_relink(&self) -> bool {
        matches!(self, ClientError::NeedsRelink { .. } | ClientError::Api { status: 401, .. })
    }

    /// True when retrying later (same request) is reasonable.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::RateLimited { .. } | ClientError::Transport { .. } => true,
            ClientError::Api { status, .. } => *status == 429 || *status >= 500 || *status == 409,
            ClientError::Auth(f) => f.is_transient(),
            _ => false,
        }
    }

    /// What happened and what to do, in words for a merchant.
    pub fn user_message(&self) -> String {
        match self {
            ClientError::Api { status, error, .. } => {
                let said = error.as_ref().map(|e| e.message().trim().to_string()).filter(|m| !m.is_empty());
                let said = said.map(|m| format!(" Lightspeed said: \"{m}\".")).unwrap_or_default();
                match status {
                    401 => format!("Lightspeed did not accept PO Bridge's sign-in.{said} Open PO Bridge from the toolbar and choose \"Link again\" on the account."),
                    403 => format!("The Lightspeed employee who linked PO Bridge is not allowed to do this.{said} Ask an admin to grant the Purchase Orders, Inventory, Vendors and Cost rights, or reconnect as an admin."),
                    404 => format!("Lightspeed no longer has this record (it may have been deleted, archived or merged).{said} Refresh the preview and choose again."),
                    409 => format!("Someone changed this record in Lightspeed at the same time.{said} Try the export again; it resumes where it stopped."),
                    400 | 422 => format!("Lightspeed refused the data PO Bridge sent.{said} Check the order and the items in Lightspeed, then try again."),
                    429 => format!("Lightspeed is busy with too many requests.{said} The export waits and resumes by itself."),
                    s if *s >= 500 => format!("Lightspeed is having trouble (error {s}).{said} Try again in a few minutes; the export resumes where it stopped."),
                    s => format!("Lightspeed answered with an unexpected error {s}.{said} Try again; contact support if it keeps happening."),
                }
            }
            ClientError::NeedsRelink { .. } => {
                "Your Lightspeed connection has expired or was revoked. Open PO Bridge from the toolbar and choose \"Link again\" on the account; paused exports continue afterwards.".into()
            }
            ClientError::OutcomeUnknown { .. } => {
                "Lightspeed's answer to a save was lost or could not be read. PO Bridge checks what was saved before going on, so nothing is created twice.".into()
            }
            ClientError::Transport { .. } => "PO Bridge could not reach Lightspeed. Check your internet connection and try again; the export resumes where it stopped.".into(),
            ClientError::RateLimited { retry_after_ms } => {
                format!("Lightspeed asks PO Bridge to slow down. The export continues in about {} seconds.", retry_after_ms.div_ceil(1000).max(1))
            }
            ClientError::Decode { json_path, .. } => format!(
                "Lightspeed sent an answer PO Bridge could not read (at {json_path}). Nothing was changed by it; please report this to support so we can update PO Bridge."
            ),
            ClientError::Empty { .. } => "Lightspeed answered without the expected record. Try again; contact support if it keeps happening.".into(),
            ClientError::Auth(f) => f.user_message(),
            ClientError::TokenStore(_) => "PO Bridge could not read or save its Lightspeed sign-in in the browser's storage. Restart the browser and try again.".into(),
            ClientError::Pagination { .. } => "Lightspeed returned more pages than PO Bridge can follow for one lookup. Please report this to support.".into(),
        }
    }
}
