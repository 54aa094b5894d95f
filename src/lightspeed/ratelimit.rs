//! Pacing from Lightspeed's rate-limit headers (reference §6): a pure model of the leaky bucket and
//! the burst limiter that predicts how long to wait before sending a request of a given cost.
//!
//! - **Bucket**: `X-LS-Api-Bucket-Level: level/size` (fractional) and `X-LS-Api-Drip-Rate` (drips/s,
//!   fractional). The level drains at the drip rate. We send only when `level + cost ≤ size − margin`,
//!   so the level is always below the size when a request arrives and the server never answers 429.
//! - **Burst limiter**: `X-LS-Api-Burst-Level: n/limit` per fixed 1-second window of the server's
//!   clock, counted when a request arrives. We keep our own send times and allow at most `limit`
//!   sends in any span of 1 s **plus the longest recent round trip**: two requests that arrive in
//!   one server window left at most 1 s + (the difference of their delays) apart, and a delay is
//!   never longer than a round trip, so no server window can count more than `limit` of ours.
//!
//! **Requests in flight** (issue 17: independent requests run concurrently). Each send gets a
//! [`Ticket`]. An answer's bucket level counts only the requests the server saw before it, and
//! requests can reach the server in another order than they left or came back. So the model is
//! the highest level any answer reported (each drained since it came), plus the cost of every
//! request of ours still in flight. That is never below the truth: of the answered requests, the
//! one the server saw last reported a level that counts every answered request, and every request
//! it did not count is still in flight. (Taking the newest request's answer instead undercounts
//! when an older request reached the server after it but answered first.) The pacer stays the one
//! place that decides when a request may go: callers loop on [`Bucket::wait_before`] until it is 0
//! and then call [`Bucket::on_send`] without yielding in between.
//!
//! Before the first response nothing is known, so the model assumes the smallest subscription
//! (bucket 90, drip 1/s, burst 20/s). Every response replaces the estimate with the server's numbers,
//! which also accounts for other installations sharing the bucket. Sends are counted as soon as
//! they leave ([`Bucket::on_send`]) so back-to-back predictions include requests still in flight.

use super::http::HttpResponse;
use std::collections::VecDeque;

/// The smallest subscription's limits, assumed until a response says otherwise.
pub const DEFAULT_SIZE: f64 = 90.0;
pub const DEFAULT_DRIP_PER_S: f64 = 1.0;
pub const DEFAULT_BURST_LIMIT: u32 = 20;
/// Head-room kept under the bucket size (header rounding, clock skew, other installations).
pub const SAFETY_MARGIN: f64 = 1.0;
const WINDOW_MS: u64 = 1000;
/// The round trip assumed until one is measured (widens the burst window, see the module docs).
pub const DEFAULT_RTT_MS: u64 = 250;
/// How many recent round trips the burst window's widening looks at, at least: every request that
/// could share a server window with the next one must be among them (2 × the burst limit when
/// that is more).
const RTT_SAMPLES: usize = 64;
/// The widening never exceeds this (a stalled request must not stop the export for long).
const MAX_RTT_MS: u64 = 5000;

/// One request in flight: handed out by [`Bucket::on_send`], given back with its answer
/// ([`Bucket::observe_answer`]) or its failure ([`Bucket::forget`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    seq: u64,
    sent_ms: u64,
}

/// The client's view of one (account, client) bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    /// The server's part of the level (drips): the highest level an answer reported, plus the
    /// requests that left the flight with no answer, as of `at_ms`. Requests in flight are not in it.
    level: f64,
    size: f64,
    drip_per_s: f64,
    /// When `level` was true (client clock, ms).
    at_ms: u64,
    burst_limit: u32,
    /// Our own send times in the last burst window.
    sends: VecDeque<u64>,
    /// Requests in flight: (sequence, cost), in send order.
    in_flight: VecDeque<(u64, f64)>,
    next_seq: u64,
    /// Recent round trips (ms), newest last.
    rtts: VecDeque<u64>,
}

impl Default for Bucket {
    fn default() -> Self {
        Bucket {
            level: 0.0,
            size: DEFAULT_SIZE,
            drip_per_s: DEFAULT_DRIP_PER_S,
            at_ms: 0,
            burst_limit: DEFAULT_BURST_LIMIT,
            sends: VecDeque::new(),
            in_flight: VecDeque::new(),
            next_seq: 0,
            rtts: VecDeque::new(),
        }
    }
}

/// `"92.57/90"` → `(92.57, 90.0)`.
pub fn parse_level(v: &str) -> Option<(f64, f64)> {
    let (l, s) = v.trim().split_once('/')?;
    let (l, s) = (l.trim().parse::<f64>().ok()?, s.trim().parse::<f64>().ok()?);
    (l.is_finite() && s.is_finite() && l >= 0.0 && s > 0.0).then_some((l, s))
}

/// `"3.5"` → `3.5` (never an integer parse: drips are fractional).
pub fn parse_drip(v: &str) -> Option<f64> {
    v.trim().parse::<f64>().ok().filter(|d| d.is_finite() && *d > 0.0)
}

/// `Retry-After` in whole or fractional seconds → ms (HTTP dates are not used by Lightspeed).
pub fn parse_retry_after_ms(v: &str) -> Option<u64> {
    v.trim().parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0).map(|s| (s * 1000.0).ceil() as u64)
}

impl Bucket {
    pub fn new() -> Self {
        Self::default()
    }

    /// A bucket in a known state (tests, or restored state).
    pub fn with_state(level: f64, size: f64, drip_per_s: f64, burst_limit: u32, at_ms: u64) -> Self {
        Bucket { level, size, drip_per_s, at_ms, burst_limit, ..Bucket::default() }
    }

    pub fn size(&self) -> f64 {
        self.size
    }

    pub fn drip_per_s(&self) -> f64 {
        self.drip_per_s
    }

    /// The predicted level at `now_ms`: the server's part drained since, plus what is in flight.
    pub fn level_at(&self, now_ms: u64) -> f64 {
        self.served_at(now_ms) + self.in_flight.iter().map(|(_, c)| c).sum::<f64>()
    }

    /// The server's part of the level at `now_ms` (drained at the drip rate since `at_ms`).
    fn served_at(&self, now_ms: u64) -> f64 {
        let elapsed_s = now_ms.saturating_sub(self.at_ms) as f64 / 1000.0;
        (self.level - elapsed_s * self.drip_per_s).max(0.0)
    }

    /// The server's part becomes `level` at `now_ms` if that is higher than it is then.
    fn raise_to(&mut self, level: f64, now_ms: u64) {
        self.level = self.served_at(now_ms).max(level);
        self.at_ms = now_ms;
    }

    /// Takes the server's numbers from a response received at `now_ms` (headers missing → kept).
    /// A level lower than the model's server part is not taken (see the module docs). For the
    /// answer of a request sent with [`Bucket::on_send`] use [`Bucket::observe_answer`].
    pub fn observe(&mut self, resp: &HttpResponse, now_ms: u64) {
        if let Some(d) = resp.header("x-ls-api-drip-rate").and_then(parse_drip) {
            // Drained at the old rate until now, at the new one from now on.
            self.raise_to(0.0, now_ms);
            self.drip_per_s = d;
        }
        if let Some((level, size)) = resp.header("x-ls-api-bucket-level").and_then(parse_level) {
            self.raise_to(level, now_ms);
            self.size = size;
        }
        if let Some(limit) = resp
            .header("x-ls-api-burst-level")
            .and_then(|v| v.split_once('/'))
            .and_then(|(_, l)| l.trim().parse::<f64>().ok())
        {
            if limit >= 1.0 {
                self.burst_limit = limit as u32;
            }
        }
        if resp.status == 429 && resp.header("x-ls-api-bucket-level").is_none() {
            // Full, as far as we can tell.
            self.raise_to(self.size, now_ms);
        }
    }

    /// The answer to the request of `ticket`, received at `now_ms`: the server's numbers (which
    /// count this request), and the request leaves the flight. Every other request of ours still
    /// in flight stays counted on top (the server may not have seen it yet; requests can overtake
    /// one another on the way, so counting one twice is the safe error). The round trip joins the
    /// burst window's widening.
    pub fn observe_answer(&mut self, resp: &HttpResponse, now_ms: u64, ticket: Ticket) {
        if resp.header("x-ls-api-bucket-level").is_none() {
            // No level to count it: it stays counted as having arrived.
            self.forget(ticket, now_ms);
        } else {
            self.leave(ticket);
        }
        self.observe(resp, now_ms);
        self.rtts.push_back(now_ms.saturating_sub(ticket.sent_ms).min(MAX_RTT_MS));
        while self.rtts.len() > RTT_SAMPLES.max(2 * self.burst_limit as usize) {
            self.rtts.pop_front();
        }
    }

    /// The request of `ticket` got no answer at `now_ms`: it leaves the flight, and its cost stays
    /// counted as if the server saw it then (it may have arrived).
    pub fn forget(&mut self, ticket: Ticket, now_ms: u64) {
        self.level = self.served_at(now_ms) + self.leave(ticket);
        self.at_ms = now_ms;
    }

    /// The request of `ticket` leaves the flight; its cost (0 if it had already left).
    fn leave(&mut self, ticket: Ticket) -> f64 {
        let at = self.in_flight.iter().position(|(seq, _)| *seq == ticket.seq);
        at.and_then(|i| self.in_flight.remove(i)).map_or(0.0, |(_, cost)| cost)
    }

    /// How many of our requests are in flight.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// The burst window: 1 s plus the longest recent round trip (see the module docs).
    fn burst_window_ms(&self) -> u64 {
        WINDOW_MS + self.rtts.iter().copied().max().unwrap_or(DEFAULT_RTT_MS)
    }

    fn allowed_burst(&self) -> usize {
        (self.burst_limit as usize).max(1)
    }

    /// How long to wait (ms) before sending a request of `cost` drips at `now_ms`: the longer of the
    /// bucket wait and the burst wait. Pure: call [`Bucket::on_send`] when actually sending (after a
    /// wait, ask again: a concurrent request may have taken the room meanwhile).
    pub fn wait_before(&self, cost: f64, now_ms: u64) -> u64 {
        self.bucket_wait(cost, now_ms).max(self.burst_wait(now_ms))
    }

    fn bucket_wait(&self, cost: f64, now_ms: u64) -> u64 {
        let room = (self.size - SAFETY_MARGIN).max(0.0);
        let level = self.level_at(now_ms);
        // A request bigger than the room waits for an empty bucket (it is then admitted anyway).
        let excess = if cost > room { level } else { level + cost - room };
        if excess <= 0.0 {
            0
        } else {
            (excess / self.drip_per_s * 1000.0).ceil() as u64
        }
    }

    fn burst_wait(&self, now_ms: u64) -> u64 {
        let window = self.burst_window_ms();
        let recent: Vec<u64> = self.sends.iter().copied().filter(|t| now_ms < t + window).collect();
        let allowed = self.allowed_burst();
        if recent.len() < allowed {
            return 0;
        }
        // The send that must leave the window before we may go.
        let oldest_blocking = recent[recent.len() - allowed];
        oldest_blocking + window - now_ms
    }

    /// Records a request of `cost` leaving at `now_ms`; its [`Ticket`] goes back with its answer.
    pub fn on_send(&mut self, cost: f64, now_ms: u64) -> Ticket {
        self.sends.push_back(now_ms);
        let window = self.burst_window_ms().max(WINDOW_MS + MAX_RTT_MS);
        while self.sends.front().is_some_and(|t| now_ms >= t + window) {
            self.sends.pop_front();
        }
        self.next_seq += 1;
        self.in_flight.push_back((self.next_seq, cost));
        Ticket { seq: self.next_seq, sent_ms: now_ms }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_parsing() {
        assert_eq!(parse_level("92.57/90"), Some((92.57, 90.0)));
        assert_eq!(parse_level(" 1 / 140 "), Some((1.0, 140.0)));
        for bad in ["", "90", "a/90", "1/0", "-1/90", "1/x"] {
            assert_eq!(parse_level(bad), None, "{bad}");
        }
        assert_eq!(parse_drip("3.5"), Some(3.5));
        assert_eq!(parse_drip("1"), Some(1.0));
        assert_eq!(parse_drip("0"), None);
        assert_eq!(parse_retry_after_ms("3"), Some(3000));
        assert_eq!(parse_retry_after_ms("0.25"), Some(250));
        assert_eq!(parse_retry_after_ms("soon"), None);
    }

    /// (level, size, drip, cost, ms since observation) → predicted wait (ms).
    #[test]
    fn bucket_predictions() {
        let rows: &[(f64, f64, f64, f64, u64, u64, &str)] = &[
            (0.0, 90.0, 1.0, 1.0, 0, 0, "empty bucket: go"),
            (88.0, 90.0, 1.0, 1.0, 0, 0, "exactly fits under size − margin"),
            (88.5, 90.0, 1.0, 1.0, 0, 500, "half a drip over: wait half a second"),
            (89.0, 90.0, 1.0, 1.0, 0, 1000, "one drip over"),
            (89.0, 90.0, 1.0, 1.0, 400, 600, "time already passed counts"),
            (89.0, 90.0, 1.0, 1.0, 5000, 0, "drained since"),
            (92.57, 90.0, 1.0, 1.0, 0, 4570, "over the size (someone else's burst)"),
            (89.0, 90.0, 3.5, 1.0, 0, 286, "fractional drip rate"),
            (80.0, 90.0, 1.0, 10.0, 0, 1000, "costly request (count=1, category write)"),
            (5.0, 90.0, 1.0, 200.0, 0, 5000, "bigger than the bucket: wait for empty"),
            (139.0, 140.0, 3.5, 1.0, 0, 286, "six-register account"),
        ];
        for &(level, size, drip, cost, elapsed, want, why) in rows {
            let b = Bucket::with_state(level, size, drip, 1000, 10_000);
            assert_eq!(b.wait_before(cost, 10_000 + elapsed), want, "{why}");
        }
    }

    #[test]
    fn observe_takes_server_numbers_case_insensitively() {
        let mut b = Bucket::new();
        let r = HttpResponse::new(200, "")
            .with_header("X-LS-API-Bucket-Level", "60.5/140")
            .with_header("X-Ls-Api-Drip-Rate", "3.5")
            .with_header("x-ls-api-burst-level", "3/31");
        b.observe(&r, 1000);
        assert_eq!(b.size(), 140.0);
        assert_eq!(b.drip_per_s(), 3.5);
        assert_eq!(b.level_at(1000), 60.5);
        assert!((b.level_at(3000) - 53.5).abs() < 1e-9);
        assert_eq!(b.allowed_burst(), 31);
        // A 429 without headers: assume full.
        let mut b = Bucket::new();
        b.observe(&HttpResponse::new(429, ""), 0);
        assert_eq!(b.wait_before(1.0, 0), 2000);
    }

    #[test]
    fn sends_count_until_a_response_corrects_them() {
        let mut b = Bucket::with_state(85.0, 90.0, 1.0, 1000, 0);
        for _ in 0..4 {
            assert_eq!(b.wait_before(1.0, 0), 0);
            b.on_send(1.0, 0);
        }
        assert_eq!(b.level_at(0), 89.0);
        assert_eq!(b.wait_before(1.0, 0), 1000, "in-flight requests are counted");
    }

    #[test]
    fn burst_window() {
        let mut b = Bucket::with_state(0.0, 1000.0, 100.0, 20, 0);
        // A measured round trip of 50 ms: 20 sends in any 1.05 s.
        let t = b.on_send(0.0, 0);
        b.observe_answer(&HttpResponse::new(200, ""), 50, t);
        for i in 1..20 {
            assert_eq!(b.wait_before(1.0, i * 10), 0, "send {i}");
            b.on_send(1.0, i * 10);
        }
        // 21st at t=200: the first send (t=0) must leave the widened window: wait until t=1050.
        assert_eq!(b.wait_before(1.0, 200), 850);
        assert_eq!(b.wait_before(1.0, 1050), 0);
        // Before any round trip is measured the window is 1 s + 250 ms.
        let mut b = Bucket::with_state(0.0, 1000.0, 100.0, 2, 0);
        b.on_send(0.0, 0);
        b.on_send(0.0, 0);
        assert_eq!(b.wait_before(1.0, 0), 1250);
        // Bucket and burst: the longer wait wins.
        let mut b = Bucket::with_state(89.5, 90.0, 1.0, 1, 0);
        b.on_send(0.0, 0);
        assert_eq!(b.wait_before(1.0, 0), 1500);
    }

    #[test]
    fn an_answer_counts_the_requests_still_in_flight_that_left_after_it() {
        let mut b = Bucket::with_state(0.0, 90.0, 1.0, 1000, 0);
        let first = b.on_send(1.0, 0);
        let second = b.on_send(1.5, 0);
        let third = b.on_send(1.0, 0);
        assert_eq!((b.level_at(0), b.in_flight()), (3.5, 3));
        // The server saw the first, the third, then the second, and answered in that order.
        let level = |l: &str| HttpResponse::new(200, "").with_header("X-LS-API-Bucket-Level", l);
        b.observe_answer(&level("1/90"), 0, first);
        assert_eq!((b.level_at(0), b.in_flight()), (3.5, 2), "1 counted + 1.5 + 1 in flight");
        b.observe_answer(&level("2/90"), 0, third);
        assert_eq!(b.level_at(0), 3.5, "2 counted + 1.5 in flight");
        b.observe_answer(&level("3.5/90"), 0, second);
        assert_eq!((b.level_at(0), b.in_flight()), (3.5, 0));
        // A failed request leaves the flight; its cost stays counted, and drains from then on.
        let fourth = b.on_send(1.0, 0);
        b.forget(fourth, 0);
        assert_eq!((b.level_at(0), b.in_flight()), (4.5, 0));
        assert_eq!(b.level_at(1500), 3.0);
    }

    #[test]
    fn an_older_request_that_reached_the_server_last_but_answered_first_stays_counted() {
        let mut b = Bucket::with_state(80.0, 90.0, 1.0, 1000, 0);
        let older = b.on_send(1.0, 0);
        let newer = b.on_send(1.0, 0);
        // The newer reached the server first (81), the older after it (82), whose answer came first.
        let level = |l: &str| HttpResponse::new(200, "").with_header("X-LS-API-Bucket-Level", l);
        b.observe_answer(&level("82/90"), 0, older);
        assert_eq!(b.level_at(0), 83.0, "82 counted + the newer in flight (counted twice: safe)");
        b.observe_answer(&level("81/90"), 0, newer);
        assert_eq!((b.level_at(0), b.in_flight()), (82.0, 0), "the newer's answer predates the older's arrival");
        assert_eq!(b.wait_before(8.0, 0), 1000, "82 + 8 is over 90 − 1");
    }

    #[test]
    fn answers_drain_from_when_they_came_and_a_new_drip_rate_applies_from_then() {
        let mut b = Bucket::with_state(0.0, 90.0, 1.0, 1000, 0);
        let level = |l: &str| HttpResponse::new(200, "").with_header("X-LS-API-Bucket-Level", l);
        let t = b.on_send(1.0, 0);
        b.observe_answer(&level("50/90"), 0, t);
        // Two seconds later the server reports less than the 48 the first answer drained to.
        let t = b.on_send(1.0, 2000);
        b.observe_answer(&level("47/90"), 2000, t);
        assert_eq!(b.level_at(2000), 48.0);
        // Above the drained level, the server's number is taken.
        let t = b.on_send(1.0, 2000);
        let r = level("60/90").with_header("X-LS-API-Drip-Rate", "2");
        b.observe_answer(&r, 2000, t);
        assert_eq!((b.level_at(2000), b.level_at(3000)), (60.0, 58.0));
        // A 429 with no level: full, as far as we can tell.
        let t = b.on_send(1.0, 3000);
        b.observe_answer(&HttpResponse::new(429, ""), 3000, t);
        assert_eq!(b.level_at(3000), 90.0);
    }
}
