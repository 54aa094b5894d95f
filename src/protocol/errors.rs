//! The protocol's errors: a machine-readable code, one sentence for people, and the one button
//! that fixes it.

use serde::{Deserialize, Serialize};

/// Machine-readable error codes; the message is for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The message is not an envelope this build understands.
    BadEnvelope,
    /// The envelope's `v` is not [`super::PROTOCOL_VERSION`].
    UnsupportedVersion,
    /// The sender may not make this request.
    Forbidden,
    /// The request's data is invalid.
    InvalidInput,
    /// The message is larger than [`super::MAX_MESSAGE_BYTES`].
    TooLarge,
    /// The answer could not be understood.
    BadReply,
    /// Something failed inside the background.
    Internal,
    /// The user cancelled (closed the consent window, pressed Deny).
    Cancelled,
    /// Lightspeed refused the stored authorisation: link the account again.
    NeedsRelink,
    /// Lightspeed or the network failed; trying again may work.
    Network,
    /// A link, account or shop the request names does not exist.
    NotFound,
}

/// An error as the user and the calling code see it: what happened and what to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct ProtocolError {
    pub code: ErrorCode,
    pub message: String,
    pub retryable: bool,
    /// The one button that fixes it, where there is one (the dialog and the popup render it
    /// the same way).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<NextStep>,
}

impl ProtocolError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        let retryable = matches!(code, ErrorCode::Internal | ErrorCode::Network);
        ProtocolError { code, message: message.into(), retryable, next: None }
    }

    /// The same error with the button that fixes it.
    pub fn with_next(mut self, next: NextStep) -> Self {
        self.next = Some(next);
        self
    }
}

/// What a user can do about an error, as one button (issue 20, "errors as next steps").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    /// Do the same again (consent denied or closed, the network down).
    TryAgain,
    /// Sign in to NuORDER (in a tab of NuORDER's sign-in page).
    SignIn,
    /// Open Lightspeed's back office (to add or reopen a location).
    OpenLightspeed,
    /// Link the Lightspeed account again.
    Reconnect,
}

impl NextStep {
    /// The button's label.
    pub fn label(self) -> &'static str {
        match self {
            NextStep::TryAgain => "Try again",
            NextStep::SignIn => "Sign in",
            NextStep::OpenLightspeed => "Open Lightspeed",
            NextStep::Reconnect => "Reconnect",
        }
    }
}
