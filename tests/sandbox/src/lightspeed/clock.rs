//! The sandbox's clock: real time by default, with a speed-up factor and a manual offset, so tests of
//! code lifetime, token expiry, refresh limits and bucket drain never wait in real time.

use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

#[derive(Clone)]
pub struct Clock {
    inner: Arc<Mutex<ClockState>>,
}

struct ClockState {
    /// Real instant at which `base` was taken.
    anchor: Instant,
    /// Sandbox time (unix seconds) at `anchor`.
    base: f64,
    speed: f64,
}

fn real_now() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0)
}

impl Clock {
    pub fn new() -> Self {
        Clock { inner: Arc::new(Mutex::new(ClockState { anchor: Instant::now(), base: real_now(), speed: 1.0 })) }
    }

    /// Sandbox time, unix seconds.
    pub fn now(&self) -> f64 {
        let s = self.inner.lock().unwrap();
        s.base + s.anchor.elapsed().as_secs_f64() * s.speed
    }

    /// Move the clock forward (never backward).
    pub fn advance(&self, seconds: f64) {
        let mut s = self.inner.lock().unwrap();
        let now = s.base + s.anchor.elapsed().as_secs_f64() * s.speed;
        s.base = now + seconds.max(0.0);
        s.anchor = Instant::now();
    }

    /// From now on, sandbox time runs `speed` times as fast as real time.
    pub fn set_speed(&self, speed: f64) {
        let mut s = self.inner.lock().unwrap();
        let now = s.base + s.anchor.elapsed().as_secs_f64() * s.speed;
        s.base = now;
        s.anchor = Instant::now();
        s.speed = if speed.is_finite() && speed > 0.0 { speed } else { 1.0 };
    }

    pub fn speed(&self) -> f64 {
        self.inner.lock().unwrap().speed
    }

    /// Back to real time at speed 1.
    pub fn reset(&self) {
        let mut s = self.inner.lock().unwrap();
        *s = ClockState { anchor: Instant::now(), base: real_now(), speed: 1.0 };
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}

/// `2021-10-17T13:47:52+00:00` for a unix time.
pub fn iso(t: f64) -> String {
    let ts = jiff::Timestamp::from_second(t.floor() as i64).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    ts.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

/// Parse an API date: ISO-8601 with offset (`+00:00`, `-0400`, `Z`), or date only, which the sandbox
/// takes as local midnight in a UTC−7 shop (`2021-04-04` → `2021-04-04T07:00:00+00:00`).
pub fn parse_date(s: &str) -> Option<f64> {
    parse_date_in(s, None)
}

/// [`parse_date`], a date only taken as local midnight in `zone` (the shop's `timeZone`, e.g.
/// `Europe/Paris`: `2026-09-15` → `2026-09-14T22:00:00+00:00`; reference §3: "local midnight in
/// UTC"); UTC−7 when there is no zone or the system does not know it.
pub fn parse_date_in(s: &str, zone: Option<&str>) -> Option<f64> {
    let s = s.trim();
    if s.len() == 10 {
        let tz = zone
            .map(str::trim)
            .filter(|z| !z.is_empty())
            .and_then(|z| jiff::tz::TimeZone::get(z).ok())
            .unwrap_or(jiff::tz::TimeZone::fixed(jiff::tz::offset(-7)));
        let d: jiff::civil::Date = s.parse().ok()?;
        return Some(d.to_zoned_datetime(tz).ok()?.timestamp().as_second() as f64);
    }
    // ISO-8601 with an offset: `Z`, `+00:00`, `-0400`.
    s.parse::<jiff::Timestamp>().ok().map(|t| t.as_second() as f64)
}

/// Normalise an incoming date to the API's stored form.
pub fn normalise_date(s: &str) -> Option<String> {
    parse_date(s).map(iso)
}

/// [`normalise_date`] for a shop in `zone` (see [`parse_date_in`]).
pub fn normalise_date_in(s: &str, zone: Option<&str>) -> Option<String> {
    parse_date_in(s, zone).map(iso)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn dates() {
        assert_eq!(normalise_date("2021-04-04").unwrap(), "2021-04-04T07:00:00+00:00");
        assert_eq!(normalise_date("2016-11-01T00:00:00-0400").unwrap(), "2016-11-01T04:00:00+00:00");
        assert_eq!(normalise_date("2021-10-17T13:47:52+00:00").unwrap(), "2021-10-17T13:47:52+00:00");
        assert!(normalise_date("soon").is_none());
        assert_eq!(normalise_date_in("2026-09-15", Some("Europe/Paris")).unwrap(), "2026-09-14T22:00:00+00:00");
        assert_eq!(normalise_date_in("2026-01-15", Some("US/Pacific")).unwrap(), "2026-01-15T08:00:00+00:00");
        assert_eq!(normalise_date_in("2026-09-15", Some("Nowhere/Else")).unwrap(), "2026-09-15T07:00:00+00:00");
        assert_eq!(
            normalise_date_in("2026-09-15T10:00:00+00:00", Some("Europe/Paris")).unwrap(),
            "2026-09-15T10:00:00+00:00"
        );
    }
    #[test]
    fn advance_and_speed() {
        let c = Clock::new();
        let t0 = c.now();
        c.advance(100.0);
        assert!(c.now() - t0 >= 100.0);
        c.set_speed(1000.0);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(c.now() - t0 >= 110.0);
    }
}
