//! Calendar dates as news metadata writes them, for `score --period`.
//!
//! Read by hand (a few formats, no time-zone database needed): ISO 8601 dates and
//! datetimes (`2024-03-05`, `2024-03-05T12:34:56.5+01:00`, a space for the `T`),
//! `2024/03/05`, RFC 2822 (`Tue, 05 Mar 2024 10:00:00 GMT`), `March 5, 2024`,
//! `5 March 2024` (month names in full or in three letters) and a year and month
//! (`2024-03`). The calendar date is the one written: an offset or zone is checked for
//! form and otherwise ignored, because a newspaper's date is its local date (an evening
//! article dated `2024-03-05T23:30-05:00` appeared on 5 March, not on 6 March UTC).
//! All-numeric forms other than year first (`03/05/2024`) are refused, not guessed: they
//! are 3 May in the US and 5 March in Europe.

/// A calendar date: to the day, or only a year and month (`2024-03`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: Option<u32>,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Monday first, as ISO 8601 counts the week.
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Zone names RFC 2822 allows besides numeric offsets (its obsolete US zones included).
const ZONES: [&str; 12] = [
    "z", "ut", "utc", "gmt", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt",
];

/// The date of `s` in one of the formats of the module, or `None` (also for a date that
/// does not exist, such as 30 February, or a weekday that contradicts the date).
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.trim().as_bytes();
    if b.len() >= 7 && b[..4].iter().all(u8::is_ascii_digit) {
        numeric(b)
    } else {
        textual(s.trim())
    }
}

/// Exactly the ASCII digits of `b`, as a number.
fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
}

/// `YYYY-MM-DD` or `YYYY/MM/DD`, with an optional time, or `YYYY-MM`.
fn numeric(b: &[u8]) -> Option<Date> {
    let sep = b[4];
    if sep != b'-' && sep != b'/' {
        return None;
    }
    let year = digits(&b[..4])? as i32;
    if b.len() == 7 {
        let month = digits(&b[5..7])?;
        return (sep == b'-' && (1..=12).contains(&month) && year >= 1).then_some(Date {
            year,
            month,
            day: None,
        });
    }
    if b.len() < 10 || b[7] != sep {
        return None;
    }
    let date = valid(year, digits(&b[5..7])?, digits(&b[8..10])?)?;
    match b.get(10) {
        None => Some(date),
        Some(b'T' | b't' | b' ') => {
            let rest = clock(&b[11..])?;
            zone(rest.strip_prefix(b" ").unwrap_or(rest)).then_some(date)
        }
        Some(_) => None,
    }
}

/// Reads `HH:MM[:SS[.fraction]]`; returns what follows.
fn clock(b: &[u8]) -> Option<&[u8]> {
    let two = |i: usize, max: u32| {
        b.get(i..i + 2)
            .and_then(digits)
            .filter(|&v| v <= max)
            .map(|_| ())
    };
    two(0, 23)?;
    (b.get(2) == Some(&b':')).then_some(())?;
    two(3, 59)?;
    let mut i = 5;
    if b.get(i) == Some(&b':') {
        // 60: a leap second.
        two(i + 1, 60)?;
        i += 3;
        if matches!(b.get(i), Some(b'.' | b',')) {
            let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            (n > 0).then_some(())?;
            i += 1 + n;
        }
    }
    Some(&b[i..])
}

/// Nothing, a zone name, or an offset `±HH`, `±HHMM`, `±HH:MM`.
fn zone(b: &[u8]) -> bool {
    let lower = b.to_ascii_lowercase();
    if b.is_empty() || ZONES.iter().any(|z| z.as_bytes() == lower) {
        return true;
    }
    let offset = match b {
        [b'+' | b'-', rest @ ..] => rest,
        _ => return false,
    };
    let (h, m) = match offset {
        [h0, h1] => ([*h0, *h1], [b'0', b'0']),
        [h0, h1, m0, m1] | [h0, h1, b':', m0, m1] => ([*h0, *h1], [*m0, *m1]),
        _ => return false,
    };
    digits(&h).is_some_and(|h| h <= 23) && digits(&m).is_some_and(|m| m <= 59)
}

/// The month (1 = January) of a month name in full or in its first three letters,
/// optionally followed by a full stop ("Sept" too).
fn month_name(word: &str) -> Option<u32> {
    let w = word.strip_suffix('.').unwrap_or(word).to_ascii_lowercase();
    if w == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| w == *m || (w.len() == 3 && m.starts_with(w.as_str())))
        .map(|i| i as u32 + 1)
}

fn weekday_name(word: &str) -> Option<usize> {
    let w = word.strip_suffix('.').unwrap_or(word).to_ascii_lowercase();
    WEEKDAYS
        .iter()
        .position(|d| w == *d || (w.len() == 3 && d.starts_with(w.as_str())))
}

/// `[Weekday,] D Month YYYY [time [zone]]` or `[Weekday,] Month D, YYYY [time [zone]]`.
fn textual(s: &str) -> Option<Date> {
    let mut words = s
        .split_whitespace()
        .map(|w| w.strip_suffix(',').unwrap_or(w))
        .peekable();
    let weekday = words.peek().copied().and_then(weekday_name);
    if weekday.is_some() {
        words.next();
    }
    let (first, second) = (words.next()?, words.next()?);
    let (month, day) = match month_name(first) {
        Some(m) => (m, second),
        None => (month_name(second)?, first),
    };
    let year = words.next()?.as_bytes();
    if day.len() > 2 || year.len() != 4 {
        return None;
    }
    let date = valid(digits(year)? as i32, month, digits(day.as_bytes())?)?;
    if let Some(time) = words.next() {
        let rest = clock(time.as_bytes())?;
        let mut after: Vec<&str> = words.collect();
        let twelve_hour = after
            .first()
            .is_some_and(|w| w.eq_ignore_ascii_case("am") || w.eq_ignore_ascii_case("pm"));
        if twelve_hour {
            after.remove(0);
        }
        let zone_ok = match (rest.is_empty(), after.as_slice()) {
            (false, []) => zone(rest),
            (true, []) => true,
            (true, [z]) => zone(z.as_bytes()),
            _ => false,
        };
        if !zone_ok {
            return None;
        }
    }
    match weekday {
        Some(w) if w != weekday_of(days_from_civil(date.year, month, date.day?)) => None,
        _ => Some(date),
    }
}

/// The date if it exists (years 1 to 9999, leap years by the Gregorian rule).
fn valid(year: i32, month: u32, day: u32) -> Option<Date> {
    ((1..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1)
        .then_some(())
        .filter(|_| day <= days_in_month(year, month))
        .map(|_| Date {
            year,
            month,
            day: Some(day),
        })
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number of [`days_from_civil`] (Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((yoe + era * 400 + i64::from(month <= 2)) as i32, month, day)
}

/// 0 for Monday to 6 for Sunday (1970-01-01 was a Thursday).
pub fn weekday_of(days: i64) -> usize {
    (days + 3).rem_euclid(7) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u32, day: u32) -> Option<Date> {
        Some(Date {
            year,
            month,
            day: Some(day),
        })
    }

    #[test]
    fn iso_dates_and_datetimes() {
        let d = day(2024, 3, 5);
        for s in [
            "2024-03-05",
            " 2024-03-05 ",
            "2024-03-05T12:34:56Z",
            "2024-03-05T12:34:56+01:00",
            "2024-03-05T23:30:00-05:00",
            "2024-03-05T12:34:56.123456Z",
            "2024-03-05T12:34:56,5+0100",
            "2024-03-05T12:34+01",
            "2024-03-05 12:34:56",
            "2024-03-05 12:34:56 +01:00",
            "2024-03-05 12:34:56 UTC",
            "2024-03-05t12:34:56z",
            "2024/03/05",
            "2024/03/05 08:00",
        ] {
            assert_eq!(parse_date(s), d, "{s:?}");
        }
        assert_eq!(
            parse_date("2024-03"),
            Some(Date {
                year: 2024,
                month: 3,
                day: None
            })
        );
    }

    #[test]
    fn textual_and_rfc_2822_dates() {
        let d = day(2024, 3, 5);
        for s in [
            "Tue, 05 Mar 2024 10:00:00 GMT",
            "Tue, 05 Mar 2024 10:00:00 +0000",
            "Tue, 5 Mar 2024 10:00 -0500",
            "05 Mar 2024 10:00:00 EST",
            "March 5, 2024",
            "Mar 5, 2024",
            "Mar. 5, 2024",
            "march 5 2024",
            "5 March 2024",
            "5 Mar 2024",
            "Tuesday, March 5, 2024",
            "March 5, 2024 10:00 PM",
            "March 5, 2024, 10:00:00",
        ] {
            assert_eq!(parse_date(s), d, "{s:?}");
        }
        assert_eq!(parse_date("Sept 30, 2023"), day(2023, 9, 30));
    }

    #[test]
    fn near_misses_are_refused() {
        for s in [
            "",
            "03/05/2024",
            "05.03.2024",
            "2024-3-5",
            "2024-02-30",
            "2023-02-29",
            "1900-02-29",
            "2024-13-01",
            "2024-00",
            "2024-03-00",
            "2024/03",
            "2024-03-05x",
            "2024-03-05T25:00",
            "2024-03-05T12:60",
            "2024-03-05T12",
            "2024-03-05T12:00+25:00",
            "2024-03-05T12:00 CEST",
            "2024-03-05T12:00:00.",
            "20240305",
            "0000-01-01",
            "Mon, 05 Mar 2024 10:00:00 GMT",
            "5 Marc 2024",
            "March 32, 2024",
            "March 5, 24",
            "March 2024",
            "5 March 2024 in the morning",
            "5 March 2024 10:00 GMT extra",
            "2024-03-05 – 2024-03-06",
            "yesterday",
        ] {
            assert_eq!(parse_date(s), None, "{s:?}");
        }
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert_eq!(parse_date("2024-02-29"), day(2024, 2, 29));
        assert_eq!(parse_date("2000-02-29"), day(2000, 2, 29));
        assert_eq!(parse_date("29 Feb 2023"), None);
    }

    #[test]
    fn day_numbers_round_trip_and_know_their_weekdays() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        // 2024-03-05 is 19787 days after 1970-01-01 (python: date(2024,3,5).toordinal() - date(1970,1,1).toordinal()).
        assert_eq!(days_from_civil(2024, 3, 5), 19_787);
        assert_eq!(weekday_of(19_787), 1);
        assert_eq!(days_from_civil(1, 1, 1), -719_162);
        for d in (-719_162..2_932_896).step_by(997) {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }
}
