//! PO Bridge core: everything that decides something, as plain Rust with no browser types.
//!
//! The browser crates under `extension/` and the `po-bridge` command line are thin glue over this
//! library; it builds and tests natively with `cargo test`.

// The application layer (sans-IO): every rule the background and the command line apply.
pub mod app;
/// Linked accounts (now `app::accounts`).
pub use app::accounts;
// The bottom layer: money, scalars, typed ids, the clock and account data; imports nothing above.
pub mod core;
// The export engine: matching plan, item drafts, PO draft, the export job and its journal.
pub mod export;
// The in-page layer's rules and its generated spec (both in-page engines run on them).
pub mod inpage;
// Lightspeed Retail (R-Series) V3 resources as serde models, quirks included.
pub mod lightspeed;
/// Linking a Lightspeed account (now `app::link`).
pub use app::link;
// What we know of NuORDER's web app: URL patterns and selectors, each with the fixture it matches.
pub mod nuorder;
// Wire types shared by every context: the versioned envelope, requests, replies and errors.
pub mod protocol;
// The PO follows the order: an exported order edited in NuORDER becomes a reviewed update of
// the same PO (issue 18).
pub mod update;
/// Who sent a message and what they may ask for (now `app::sender`).
pub use app::sender;
