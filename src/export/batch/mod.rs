//! Job sets (issue 19): many orders exported as one batch, each still exactly one PO.
//!
//! A [`JobSet`] is an ordered list of orders, persisted as its own record ([`JobSetStore`]) beside
//! the journals. Each order is an ordinary export job: its own [`JobKey`](crate::export::journal::JobKey),
//! its own journal, the same refNum and existing-PO rules, run by
//! [`run_export`](crate::export::runner::run_export). What the set adds:
//!
//! - **One read phase** ([`preview_set`]): every order's lookups merged and fetched once — each
//!   vendor read once per brand, code lookups (and ids, vendor numbers, SKUs) of all orders in
//!   shared `IN` batches of at most 100 values, the existing-PO checks in `b2bOrderNumber` `IN`
//!   batches — then one plan per order on the shared catalog. The batch dialog shows these plans
//!   and takes the user's choices per order.
//! - **One queue** ([`start_job_set`], [`run_job_set`]): the orders run one after another through
//!   one client (one rate-limit budget). One order's failure or need for a choice does not stop
//!   the others; each order has its own [`OrderState`]; the set reports "k of n exported" and
//!   what held it short ([`JobSet::label`]). A rate-limit pause, a dead link or a kill leaves the set stored; the next
//!   [`run_job_set`] resumes it where it was (the current order from its journal).
//! - **New records made once, checked once per vendor.** The first order of a vendor to start
//!   creates, with its own, the new matrices and items of every later order of the set with that
//!   vendor (still waiting, not started): extra matrix and item steps of its journal, no line of
//!   its PO, each record once, each intent recorded before its write as for its own, and its twin
//!   checks — after all of those creates, before its PO — cover them all, one request per 100 of
//!   a kind ([`SetShare`](crate::export::job::SetShare)). Before that order's first write, the
//!   existing-PO checks of those later orders are asked with its own (one `refNum` and one
//!   `b2bOrderNumber` `IN` lookup): an order exported meanwhile gets nothing written for it.
//!   Every later order's journal is built only when that order starts, and its plan first takes
//!   what earlier orders made ([`Made`], read from their journals): a new vendor of the same
//!   brand becomes that vendor, a new size row already created (same product and size, or same
//!   code) becomes that item, a new product whose matrix exists gets its matrix step done from
//!   the start; so it writes only its PO, and has no twin check of matrices or items. If the
//!   order that would have made a record stops before its twin checks (or needs a choice and
//!   never starts), the next order that needs the record makes it (with those of the orders
//!   after it), and its own twin checks converge on anything the stopped one made. Cancel after
//!   such a first order leaves the later orders' new items in Lightspeed, linked to their rows
//!   (its links): their next export takes them, none is made twice.
//! - **Queued** ([`unstarted`]): from the moment the set starts, each order not started yet shows
//!   *Queued · k of n*; one the set leaves without writing shows *Not exported* again.
//! - **Cancel** ([`cancel_job_set`]): no further order starts; a started order finishes; the orders
//!   not started end [`OrderState::Cancelled`].

mod badge;
mod read;
mod run;
mod set;
mod shared;

pub use badge::{queued, unstarted, Unstarted};
pub use read::{preview_set, set_reads};
pub use run::{cancel_job_set, run_job_set, start_job_set, SetRun};
pub use set::{JobSet, JobSetStore, OrderState, SetKey, SetOrder, JOB_SET_VERSION};
pub use shared::Made;
