//! A Lightspeed date field (`arrivalDate`) read back as the calendar date PO Bridge wrote.
//! Lightspeed keeps a date-only write as the shop's local midnight, in UTC (reference §3:
//! `2021-04-04` comes back as `2021-04-04T07:00:00+00:00` from a UTC−7 shop; Paris's `2026-09-15`
//! is `2026-09-14T22:00:00+00:00`). The exact reading is that instant in the shop's `timeZone`,
//! through the platform's zone database ([`ShopDates`]); only without a zone the platform knows is
//! the date guessed from the UTC hour (`guessed_date`).

use crate::core::dates::{epoch_ms, next_day};

/// The platform's zone database: the `YYYY-MM-DD` at an instant (milliseconds since the epoch) in
/// an IANA zone, `None` for a zone it does not know — the application's `Calendar::date_in_zone`
/// (jiff natively, `Intl` in the browser).
pub type DateInZone<'a> = &'a dyn Fn(i64, &str) -> Option<String>;

/// How one shop's dates read: its `timeZone` and the platform's zone database.
#[derive(Clone, Copy)]
pub struct ShopDates<'a> {
    /// The shop's `timeZone` (`US/Pacific`); `None` when unknown.
    pub zone: Option<&'a str>,
    pub date_in_zone: DateInZone<'a>,
}

impl ShopDates<'_> {
    /// The calendar date `text` holds at this shop: the instant in the shop's zone; a bare date as
    /// itself; `guessed_date` when the zone is unknown or the platform cannot read it.
    pub fn date(&self, text: &str) -> String {
        self.zone
            .map(str::trim)
            .filter(|z| !z.is_empty())
            .zip(epoch_ms(text))
            .and_then(|(zone, ms)| (self.date_in_zone)(ms, zone))
            .unwrap_or_else(|| guessed_date(text))
    }
}

impl std::fmt::Debug for ShopDates<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShopDates").field("zone", &self.zone).finish_non_exhaustive()
    }
}

/// The calendar date of a Lightspeed midnight guessed from its UTC hour, for a shop whose zone is
/// unknown: a UTC time from 11:00 on is read as the midnight of a zone east of UTC (UTC+1 to
/// UTC+13: Europe, Australia, New Zealand), an earlier one as that of UTC to UTC−10 (the Americas,
/// Hawaii); a time with a non-zero offset is local already and read as written, a bare date as
/// itself. It misreads UTC−11/−12, UTC+13:45 and UTC+14 by a day, which the shop's zone does not.
fn guessed_date(text: &str) -> String {
    let t = text.trim();
    let date = t.get(..10).unwrap_or(t);
    let time = match t.as_bytes().get(10) {
        Some(b'T' | b' ') => &t[11..],
        _ => return date.to_string(),
    };
    let hour = time.get(..2).and_then(|h| h.parse::<u32>().ok());
    let offset = time.trim_start_matches(|c: char| c.is_ascii_digit() || c == ':' || c == '.');
    let utc = matches!(offset, "" | "Z" | "z" | "+00:00" | "-00:00" | "+0000" | "-0000" | "+00");
    match hour {
        Some(h) if h >= 11 && utc => next_day(date).unwrap_or_else(|| date.to_string()),
        _ => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{guessed_date, ShopDates};
    use crate::core::dates::utc_date;

    #[test]
    fn a_lightspeed_midnight_of_an_unknown_zone_is_guessed_from_its_utc_hour() {
        let rows = [
            ("2026-09-15T07:00:00+00:00", "2026-09-15"), // US/Pacific (the reference's example)
            ("2026-09-15T10:00:00+00:00", "2026-09-15"), // Hawaii
            ("2026-09-15T00:00:00+00:00", "2026-09-15"), // UTC
            ("2026-09-14T22:00:00+00:00", "2026-09-15"), // Europe/Paris, summer
            ("2026-09-14T14:00:00+00:00", "2026-09-15"), // Australia/Sydney
            ("2026-12-31T11:00:00+00:00", "2027-01-01"), // New Zealand, summer (UTC+13)
            ("2024-02-28T23:00:00Z", "2024-02-29"),
            ("2026-02-28T23:00:00+0000", "2026-03-01"),
            ("2026-09-15T00:00:00-07:00", "2026-09-15"), // local already
            ("2026-09-15", "2026-09-15"),
        ];
        for (shown, date) in rows {
            assert_eq!(guessed_date(shown), date, "{shown}");
        }
    }

    /// A zone database of fixed offsets (minutes east of UTC), as the platform's would answer.
    fn fixed(zone: &str) -> Option<i64> {
        match zone {
            "Pacific/Kiritimati" => Some(14 * 60),
            "Pacific/Pago_Pago" => Some(-11 * 60),
            "Pacific/Chatham" => Some(13 * 60 + 45), // summer
            _ => None,
        }
    }

    #[test]
    fn a_lightspeed_midnight_reads_in_the_shops_zone_where_the_guess_misreads_it() {
        let db = |ms: i64, zone: &str| fixed(zone).map(|m| utc_date(ms + m * 60_000));
        let rows = [
            ("Pacific/Kiritimati", "2026-09-14T10:00:00+00:00", "2026-09-15"),
            ("Pacific/Pago_Pago", "2026-09-15T11:00:00+00:00", "2026-09-15"),
            ("Pacific/Chatham", "2026-12-14T10:15:00+00:00", "2026-12-15"),
            ("Pacific/Kiritimati", "2026-09-15", "2026-09-15"), // a bare date is itself
        ];
        for (zone, shown, date) in rows {
            let shop = ShopDates { zone: Some(zone), date_in_zone: &db };
            assert_eq!(shop.date(shown), date, "{zone} {shown}");
        }
        // A zone the platform does not know, or none: the guess.
        for zone in [Some("Mars/Olympus"), Some(" "), None] {
            let shop = ShopDates { zone, date_in_zone: &db };
            assert_eq!(shop.date("2026-09-14T22:00:00+00:00"), "2026-09-15", "{zone:?}");
            assert_eq!(shop.date("2026-09-14T10:00:00+00:00"), "2026-09-14", "{zone:?}");
        }
    }
}
