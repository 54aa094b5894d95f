//! One function turns any error into the code and the advice a user sees: [`advice`]. The
//! background answers with it; the link flow and the command line use it too.

use super::accounts::AccountsError;
use super::link::LinkError;
use super::platform::StoreError;
use crate::export::runner::RunError;
use crate::lightspeed::client::ClientError;
use crate::lightspeed::oauth::{OAuthFailure, RedirectError};
use crate::protocol::{ErrorCode, NextStep, ProtocolError};

/// Where the advice is shown: the extension's pages and widgets, or the command line (whose
/// Lightspeed authorisation is an environment variable, not a link).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Extension,
    Cli,
}

/// Anything that can go wrong, from any layer.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Accounts(#[from] AccountsError),
    /// The request or the data it carries is not usable; the text is the advice.
    #[error("{0}")]
    Invalid(String),
    /// What the request names does not exist (any more); the text is the advice.
    #[error("{0}")]
    NotFound(String),
    /// The request is not allowed (no valid capability); the text is the advice.
    #[error("{0}")]
    Forbidden(String),
    /// The tab has no known NuORDER session: nobody to export for.
    #[error("no NuORDER session on this tab")]
    NoSession,
    /// The tab's buyer has no linked Lightspeed account.
    #[error("no Lightspeed account for this buyer")]
    NoAccount,
    /// The account has no active location (shop) to receive a PO.
    #[error("no active Lightspeed location")]
    NoActiveShop,
    /// The browser could not give what was asked (random bytes, a window).
    #[error(transparent)]
    Platform(#[from] PlatformFailure),
}

/// What the browser could not give; the text is for the log, never the user.
#[derive(Debug, thiserror::Error)]
pub enum PlatformFailure {
    /// No random bytes from the browser's CSPRNG (a sign-in's PKCE and state, a capability).
    #[error("no random bytes: {0}")]
    Random(String),
    /// The window for the export dialog (Firefox) did not open.
    #[error("no window for the dialog")]
    Window,
}

pub use crate::export::badge::SIGN_IN_ADVICE;

const STORE_ADVICE: &str =
    "PO Bridge could not read or save its records. Try again; if it keeps happening, restart the browser.";
const CLI_STORE: &str =
    "PO Bridge could not read or save its progress in the state file (--state). Check that the disk has space and the file can be written.";
const CLI_RELINK: &str = "Lightspeed refused LIGHTSPEED_ACCESS_TOKEN (expired or revoked). Set a fresh token.";

// The sentences of issue 20's table: each ends in one button ([`NextStep`]), the same in the
// dialog and the popup.
/// Consent denied (Deny on Lightspeed's page).
pub const ACCESS_DENIED: &str = "Lightspeed wasn't connected: access was denied.";
/// The consent window closed without an answer.
pub const CONSENT_CLOSED: &str = "The Lightspeed window closed before access was allowed.";
/// The account has no active location.
pub const NO_ACTIVE_SHOP: &str = "This Lightspeed account has no active location to receive the order.";
/// Lightspeed refuses the stored authorisation.
pub const RECONNECT: &str = "Lightspeed asks you to connect this account again.";
/// Lightspeed cannot be reached (before anything was written).
pub const NETWORK_DOWN: &str = "Can't reach Lightspeed right now; nothing was written.";
/// Lightspeed was busy (a rate limit or a server error) when the link asked which account it is.
pub const LIGHTSPEED_BUSY: &str =
    "Lightspeed was busy and did not say which account you allowed. Nothing was linked; try again in a minute.";

/// The code and the advice a user sees for an error.
pub fn advice(error: &AppError, surface: Surface) -> ProtocolError {
    let relink = || match surface {
        Surface::Extension => ProtocolError::new(ErrorCode::NeedsRelink, RECONNECT).with_next(NextStep::Reconnect),
        Surface::Cli => ProtocolError::new(ErrorCode::NeedsRelink, CLI_RELINK),
    };
    match error {
        AppError::Run(e) if e.needs_relink() => relink(),
        AppError::Run(RunError::Store(_)) if surface == Surface::Cli => {
            ProtocolError::new(ErrorCode::Network, CLI_STORE)
        }
        AppError::Run(e) if e.is_retryable() => ProtocolError::new(ErrorCode::Network, e.user_message()),
        AppError::Run(e) => ProtocolError::new(ErrorCode::InvalidInput, e.user_message()),
        AppError::Client(e) if e.needs_relink() => relink(),
        // A read that got no answer: nothing was written (writes run in jobs: `Run`).
        AppError::Client(ClientError::Transport { .. }) if surface == Surface::Extension => {
            ProtocolError::new(ErrorCode::Network, NETWORK_DOWN).with_next(NextStep::TryAgain)
        }
        AppError::Client(e) => ProtocolError::new(ErrorCode::Network, e.user_message()),
        AppError::Link(e) => link_advice(e),
        AppError::Store(_) => ProtocolError::new(ErrorCode::Internal, STORE_ADVICE),
        AppError::Accounts(e @ AccountsError::UnknownAccount) => ProtocolError::new(ErrorCode::NotFound, e.to_string()),
        AppError::Accounts(e) => ProtocolError::new(ErrorCode::InvalidInput, e.to_string()),
        AppError::Invalid(m) => ProtocolError::new(ErrorCode::InvalidInput, m.clone()),
        AppError::NotFound(m) => ProtocolError::new(ErrorCode::NotFound, m.clone()),
        AppError::Forbidden(m) => ProtocolError::new(ErrorCode::Forbidden, m.clone()),
        AppError::NoSession => ProtocolError::new(ErrorCode::NotFound, SIGN_IN_ADVICE).with_next(NextStep::SignIn),
        AppError::NoActiveShop => {
            ProtocolError::new(ErrorCode::NotFound, NO_ACTIVE_SHOP).with_next(NextStep::OpenLightspeed)
        }
        AppError::NoAccount => ProtocolError::new(
            ErrorCode::NeedsRelink,
            "No Lightspeed account is linked for this NuORDER buyer. Open PO Bridge from the toolbar and link one.",
        ),
        AppError::Platform(PlatformFailure::Random(_)) => ProtocolError::new(
            ErrorCode::Internal,
            "The browser did not give PO Bridge the random numbers a secure sign-in or export needs. Restart the browser and try again.",
        ),
        AppError::Platform(PlatformFailure::Window) => ProtocolError::new(
            ErrorCode::Internal,
            "PO Bridge could not open its export window. Close other PO Bridge windows and try again.",
        ),
    }
}

/// The extension's advice (the common case).
pub fn to_protocol(error: impl Into<AppError>) -> ProtocolError {
    advice(&error.into(), Surface::Extension)
}

fn link_advice(e: &LinkError) -> ProtocolError {
    match e {
        LinkError::Redirect(RedirectError::AccessDenied) => {
            ProtocolError::new(ErrorCode::Cancelled, ACCESS_DENIED).with_next(NextStep::TryAgain)
        }
        LinkError::Cancelled => ProtocolError::new(ErrorCode::Cancelled, CONSENT_CLOSED).with_next(NextStep::TryAgain),
        LinkError::Redirect(RedirectError::StateMismatch | RedirectError::MissingState) => ProtocolError::new(
            ErrorCode::Forbidden,
            "Lightspeed's answer did not match this sign-in attempt, so PO Bridge ignored it. Nothing was linked; choose Link account to try again.",
        ),
        LinkError::Redirect(e) => {
            ProtocolError::new(ErrorCode::InvalidInput, format!("{} Nothing was linked.", e.user_message()))
        }
        LinkError::Token(OAuthFailure::InvalidGrant { .. }) => ProtocolError::new(
            ErrorCode::InvalidInput,
            "Lightspeed's sign-in code expired before PO Bridge could use it. Nothing was linked; choose Link account and finish within a minute.",
        ),
        LinkError::Token(e @ OAuthFailure::InvalidClient) => {
            ProtocolError::new(ErrorCode::InvalidInput, format!("{} Nothing was linked.", e.user_message()))
        }
        LinkError::Token(e) if e.is_transient() => {
            ProtocolError::new(ErrorCode::Network, format!("{} Nothing was linked.", e.user_message()))
                .with_next(NextStep::TryAgain)
        }
        LinkError::Token(e) => ProtocolError::new(
            ErrorCode::InvalidInput,
            format!("{} Nothing was linked; choose Link account to try again.", e.refusal()),
        ),
        LinkError::Network(_) => ProtocolError::new(ErrorCode::Network, NETWORK_DOWN).with_next(NextStep::TryAgain),
        LinkError::Busy(_) => ProtocolError::new(ErrorCode::Network, LIGHTSPEED_BUSY).with_next(NextStep::TryAgain),
        LinkError::Unexpected(_) => ProtocolError::new(
            ErrorCode::Network,
            "Lightspeed answered in a way PO Bridge does not understand. Nothing was linked; try again, and contact support if it keeps happening.",
        ),
    }
}
