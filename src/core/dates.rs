//! Calendar arithmetic without a time-zone database: month lengths ([`days_in_month`]), the
//! instant an ISO-8601 timestamp names ([`epoch_ms`]), the UTC calendar date of an instant
//! ([`utc_date`]) and the day after a date ([`next_day`]). A date in a shop's zone
//! needs the platform's zone database (the application's `Calendar`).

/// Milliseconds since the epoch of `YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|±HH[:]MM]` (no offset: UTC);
/// `None` for a bare date or anything else.
pub fn epoch_ms(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.len() < 16 || !t.is_ascii() {
        return None;
    }
    let num = |r: std::ops::Range<usize>| t.get(r).and_then(|s| s.parse::<i64>().ok());
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi) = (num(11..13)?, num(14..16)?);
    let mut rest = &t[16..];
    let mut ms = 0i64;
    if let Some(r) = rest.strip_prefix(':') {
        let secs: i64 = r.get(0..2)?.parse().ok()?;
        ms += secs * 1000;
        rest = &r[2..];
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.chars().take_while(char::is_ascii_digit).count();
            let millis = format!("{:0<3}", &frac[..digits.min(3)]);
            ms += millis.parse::<i64>().ok()?;
            rest = &frac[digits..];
        }
    }
    let offset_min = offset_minutes(rest)?;
    let days = days_from_civil(y, mo, d);
    Some(((days * 24 + h) * 60 + mi - offset_min) * 60_000 + ms)
}

fn offset_minutes(rest: &str) -> Option<i64> {
    match rest {
        "" | "Z" | "z" => Some(0),
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits: String = rest[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some(sign * (digits[..2].parse::<i64>().ok()? * 60 + digits[2..].parse::<i64>().ok()?))
        }
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The UTC calendar date at `epoch_ms`.
pub fn utc_date(epoch_ms: i64) -> String {
    let z = epoch_ms.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DD` + one day; `None` when `date` is not a calendar date.
pub fn next_day(date: &str) -> Option<String> {
    let num = |r: std::ops::Range<usize>| date.get(r).and_then(|s| s.parse::<u32>().ok());
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if date.len() != 10 || d == 0 || d > days_in_month(y, m)? {
        return None;
    }
    let days = days_from_civil(i64::from(y), i64::from(m), i64::from(d));
    Some(utc_date((days + 1) * 86_400_000))
}

/// The days of `month` (1–12) of `year` in the Gregorian calendar; `None` for another month. The
/// one table the order model's date check and an update's date reading both use.
pub fn days_in_month(year: u32, month: u32) -> Option<u32> {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 if leap => Some(29),
        2 => Some(28),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{days_in_month, next_day};

    #[test]
    fn month_lengths_follow_the_gregorian_leap_years() {
        let rows = [(2026, 1, Some(31)), (2026, 4, Some(30)), (2026, 2, Some(28)), (2024, 2, Some(29))];
        let more = [(1900, 2, Some(28)), (2000, 2, Some(29)), (2026, 12, Some(31)), (2026, 13, None), (2026, 0, None)];
        for (y, m, days) in rows.into_iter().chain(more) {
            assert_eq!(days_in_month(y, m), days, "{y}-{m}");
        }
    }

    #[test]
    fn the_next_day_crosses_months_years_and_leap_days() {
        let rows = [
            ("2026-09-15", Some("2026-09-16")),
            ("2026-09-30", Some("2026-10-01")),
            ("2026-12-31", Some("2027-01-01")),
            ("2024-02-28", Some("2024-02-29")),
            ("2026-02-28", Some("2026-03-01")),
            ("2026-02-30", None),
            ("2026-13-01", None),
        ];
        for (date, next) in rows {
            assert_eq!(next_day(date).as_deref(), next, "{date}");
        }
    }
}
