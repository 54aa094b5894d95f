//! The application layer: every rule the background worker and the command line apply, sans-IO.
//!
//! What the platform provides sits behind the small traits of [`platform`] (a key-value store, a
//! calendar, events out, alarms; Lightspeed's transport is the client's own trait), with in-memory
//! versions in [`memory`] for tests. The browser's background crate implements them over IndexedDB,
//! `Date`/`Intl`, `tabs.sendMessage` and `alarms`; the command line natively.

// Linked accounts: Lightspeed accounts, NuORDER buyers and the links between them.
pub mod accounts;
// Job sets (a batch of orders) in the key-value store.
pub mod batch;
// The browser's batch: staging a selection, its capability, dialog, start and Cancel.
pub mod batch_flow;
// A list page and its batches: the bar after a reload, the rows of orders waiting in a set.
pub mod batch_page;
// Running a batch in the browser and resuming it on wake.
pub mod batch_run;
// The export dialog's one-time capability.
pub mod capability;
// Knowing an exported order changed since its PO was made.
pub mod changes;
// Link where you are: the export dialog's Connect step.
pub mod connect;
// The PO's ordered date.
pub mod dates;
// What the dialogs tell the user: row statuses, totals, why Export waits, a batch order's line.
pub mod dialog_text;
// Any error as the code and advice a user sees.
pub mod errors;
// The export requests.
pub mod exports;
// The popup's history.
pub mod history;
// Running a job.
pub mod jobs;
// Every key the background writes, namespaced.
pub mod keys;
// What one tab may make the background do (status lookups per minute, linking screens).
pub mod limits;
// Linking a Lightspeed account (OAuth 2.0 + PKCE) and the account calls the popup needs.
pub mod link;
// What an exported PO was made from (kept while the PO may be updated).
pub mod made_from;
// In-memory platform services for tests.
pub mod memory;
// The NuORDER page each tab shows, as its in-page layer reports it (the popup's *This page*).
pub mod pages;
// What a dialog shows of the export's plan: the counts and the rows.
pub mod plan_view;
// The platform services the application layer needs.
pub mod platform;
// The export dialog's content.
pub mod preview;
// The dialog's preview and review read by hand (no serde decoder in its wasm).
mod dialog_read;
// Who gets a running job's events: its buyer's tabs as they are at each event.
pub mod recipients;
// Which jobs resume and when; progress throttling.
pub mod resume;
// The review dialog's content: an exported order's changes since its PO was made.
pub mod review;
// Who sent a message and what they may ask for.
pub mod sender;
// The account requests (the `App` over the platform traits).
pub mod service;
// Which account a tab exports to: the buyer signed in on that tab.
pub mod sessions;
// Staging: validation, the brand rule, the limits.
pub mod staging;
// The status of an order: journal, recent answers, Lightspeed.
pub mod status;
// Typed storage over the key-value store: accounts, tokens, journals, links.
pub mod store;
// The index of unfinished work: what a wake of the worker reads.
pub mod unfinished;
// The review and Update PO as background jobs.
pub mod updates;
