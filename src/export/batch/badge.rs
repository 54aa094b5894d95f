//! The badge of an order waiting in a set: *Queued · 3 of 12* from the moment its set starts until
//! its own export starts (then its journal's progress shows, as for a single export).

use super::set::{JobSet, OrderState};
use crate::export::badge::{badge, BadgeView, Tone};
use crate::export::status::JobStatus;

/// The badge of the set's order at `position` (1-based) of `total`, not started yet.
pub fn queued(position: usize, total: usize) -> BadgeView {
    BadgeView {
        text: format!("Queued · {position} of {total}"),
        tone: Tone::Busy,
        detail: Some("Waits for the batch's earlier orders. Cancel on the batch bar leaves it not exported.".into()),
        action_enabled: false,
        action_tooltip: "This order waits in a batch export.".into(),
        selectable: false,
        ..badge(&JobStatus::NotExported, None, None)
    }
}

/// Where an order of a set stands before its own export starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unstarted {
    /// Waiting in the set: its badge is [`queued`]`(position, total)`.
    Queued { position: usize, total: usize },
    /// The set left it without writing anything: it shows this status (cancelled: not
    /// exported; needs a choice).
    Left(JobStatus),
}

/// Each order of the set with no export of its own yet, by index. Started orders are left out:
/// their journals speak for them.
pub fn unstarted(set: &JobSet) -> Vec<(usize, Unstarted)> {
    let total = set.orders.len();
    let of = |(i, o): (usize, &super::SetOrder)| match o.state {
        OrderState::Waiting => Some((i, Unstarted::Queued { position: i + 1, total })),
        OrderState::Cancelled => Some((i, Unstarted::Left(JobStatus::NotExported))),
        OrderState::NeedsChoice { .. } => Some((i, Unstarted::Left(JobStatus::NeedsChoice))),
        _ => None,
    };
    set.orders.iter().enumerate().filter_map(of).collect()
}
