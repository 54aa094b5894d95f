//! The PO's ordered date — one rule for the browser and the command line: NuORDER's `created_on`
//! as a calendar date in the chosen shop's `timeZone` (now when `created_on` is absent; UTC when
//! the shop has no zone, or a zone the platform does not know).
//!
//! `2026-03-01T03:00Z` at a `US/Pacific` shop → `2026-02-28`.

use super::platform::Calendar;
pub use crate::core::dates::{epoch_ms, utc_date};
use crate::nuorder::model::Timestamp;

/// The `YYYY-MM-DD` Lightspeed's `orderedDate` gets.
pub fn ordered_date(created_on: Option<&Timestamp>, shop_zone: Option<&str>, calendar: &impl Calendar) -> String {
    let instant = match created_on {
        Some(t) => match epoch_ms(t.as_str()) {
            Some(ms) => ms,
            // A date without a time: that calendar day, wherever the shop is.
            None => return t.date().to_string(),
        },
        None => i64::try_from(calendar.now_ms()).unwrap_or(i64::MAX),
    };
    shop_zone
        .map(str::trim)
        .filter(|z| !z.is_empty())
        .and_then(|z| calendar.date_in_zone(instant, z))
        .unwrap_or_else(|| utc_date(instant))
}
