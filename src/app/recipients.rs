//! Who gets a running job's events: the tabs of its buyer ([`sessions::tabs_of_buyer`]) as the
//! sessions are when each event goes out, not as they were when the job started. A tab the buyer
//! opens (or reloads into a new tab) while an export, a set or an update runs gets the later
//! progress; a tab whose session ended, or that now shows another buyer, gets no more.
//!
//! The sessions are stored (`nuorder_sessions`), and reading them for every event would cost a
//! storage round per step. Instead [`App::report_session`](super::service::App::report_session),
//! their only writer, also hands the list it stored to the process's [`LiveSessions`] (the
//! background worker keeps one for all its requests), and a job's [`Recipients`] follow it there:
//! no storage round, and a session stored before an event is seen by that event. The same
//! [`LiveSessions`] gives the writer its turn ([`LiveSessions::turn`]): reports change the list one
//! at a time, so two tabs reporting at once never lose one of the two.

use super::accounts::NuorderAccount;
use super::platform::Events;
use super::sessions::{self, SeenSession};
use crate::protocol::{Event, EventEnvelope, PROTOCOL_VERSION};
use futures::lock::{Mutex, MutexGuard};
use std::cell::{Cell, RefCell};

/// The NuORDER sessions as this process last stored them, how many times it stored them, and
/// whose turn it is to change them.
#[derive(Debug, Default)]
pub struct LiveSessions {
    writes: Cell<u64>,
    last: RefCell<Vec<SeenSession>>,
    turn: Mutex<()>,
}

impl LiveSessions {
    /// Wait for the turn to change the sessions, held until the guard drops: one change (read,
    /// change, store) at a time in this process, so two tabs reporting at once, whose reads and
    /// writes would interleave at the store's await points, both count (neither write is lost).
    pub async fn turn(&self) -> MutexGuard<'_, ()> {
        self.turn.lock().await
    }

    /// The sessions were just stored as `sessions`.
    pub fn stored(&self, sessions: &[SeenSession]) {
        sessions.clone_into(&mut self.last.borrow_mut());
        self.writes.set(self.writes.get() + 1);
    }

    /// How many times the sessions were stored (counted before they are read from the store).
    pub fn writes(&self) -> u64 {
        self.writes.get()
    }
}

/// A running job's recipients: its buyer's tabs, following the sessions as they are stored.
#[derive(Debug)]
pub struct Recipients<'a> {
    live: &'a LiveSessions,
    buyer: Option<NuorderAccount>,
    /// The count of `live`'s writes that `tabs` follows.
    seen: Cell<u64>,
    tabs: RefCell<Vec<i64>>,
}

impl<'a> Recipients<'a> {
    /// `tabs`: the buyer's tabs as read from the store once `live` had counted `writes` writes (a
    /// session stored meanwhile is taken from `live` at the first event).
    pub fn new(live: &'a LiveSessions, buyer: Option<NuorderAccount>, writes: u64, tabs: Vec<i64>) -> Self {
        Recipients { live, buyer, seen: Cell::new(writes), tabs: RefCell::new(tabs) }
    }

    /// The tabs an event goes to now (none for a job with no known buyer).
    pub fn tabs(&self) -> Vec<i64> {
        let writes = self.live.writes.get();
        if writes != self.seen.get() {
            let tabs = match &self.buyer {
                Some(buyer) => sessions::tabs_of_buyer(&self.live.last.borrow(), buyer),
                None => Vec::new(),
            };
            *self.tabs.borrow_mut() = tabs;
            self.seen.set(writes);
        }
        self.tabs.borrow().clone()
    }

    /// Send an event to the buyer's tabs as they are now and to the extension's pages.
    pub fn send(&self, events: &impl Events, event: Event) {
        let envelope = EventEnvelope { v: PROTOCOL_VERSION, event };
        for tab in self.tabs() {
            events.to_tab(tab, &envelope);
        }
        events.to_pages(&envelope);
    }
}
