//! Calendar arithmetic without a time-zone database: the instant an ISO-8601 timestamp names
//! ([`epoch_ms`]) and the UTC calendar date of an instant ([`utc_date`]). A date in a shop's zone
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
