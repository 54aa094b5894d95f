//! PO Bridge core: everything that decides something, as plain Rust with no browser types.
//!
//! The browser crates under `extension/` and the `po-bridge` command line are thin glue over this
//! library; it builds and tests natively with `cargo test`.

/// Linked accounts: Lightspeed accounts, NuORDER buyers and the links between them.
pub mod accounts;
/// The export engine: matching plan, item drafts, PO draft, the export job and its journal.
pub mod export;
/// The in-page layer's rules and its generated spec (both in-page engines run on them).
pub mod inpage;
/// Lightspeed Retail (R-Series) V3 resources as serde models, quirks included.
pub mod lightspeed;
/// Linking a Lightspeed account (OAuth 2.0 + PKCE) and the account calls the popup needs.
pub mod link;
/// What we know of NuORDER's web app: URL patterns and selectors, each with the fixture it matches.
pub mod nuorder;
/// Wire types shared by every context: the versioned envelope, requests, replies and errors.
pub mod protocol;
/// Who sent a message and what they may ask for.
pub mod sender;
