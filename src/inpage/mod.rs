//! The in-page layer's rules, in one place. Both in-page engines — the Rust/wasm one in
//! `extension/content` and the JS fallback in `extension/static/content.js` (used when a page's CSP
//! refuses wasm) — only find anchors, mount widgets, render views and send messages:
//!
//! - [`spec`]: the data both engines run on (selectors, tags, labels, limits, message names,
//!   ready-made views for the states the background has not answered yet), generated into
//!   `po-bridge-spec.js` for the fallback;
//! - [`read`]: what a page shows (page kind, order numbers, API paths, anchors to check) and what
//!   to read for an order. The wasm engine calls these functions in place; the fallback asks the
//!   background, which answers with the same functions (`Request::ReadPage`, `Request::OrderReads`);
//! - [`labels`]: the layer's own words;
//! - [`replies`]: the reply payloads the engines decode;
//! - [`views`]: the badges shown before or without an answer, and which links may be rendered;
//! - [`diagnostic`]: a page without our anchors as the popup describes it (kind, route pattern,
//!   the selectors that matched nothing).

pub mod diagnostic;
pub mod labels;
pub mod read;
pub mod replies;
pub mod spec;
pub mod views;
