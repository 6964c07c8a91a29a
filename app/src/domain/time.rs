//! Calendar time in China (UTC+8) from stored epoch milliseconds, without a time-zone database.

use crate::error::AppError;

/// One day, in ms.
pub const DAY_MS: i64 = 86_400_000;
/// China is UTC+8 all year.
const CHINA_OFFSET_MS: i64 = 8 * 3_600_000;

/// The China-time day number of `ms` (days since 1970-01-01 in China).
pub fn china_day(ms: i64) -> i64 {
    (ms + CHINA_OFFSET_MS).div_euclid(DAY_MS)
}

/// Epoch ms of 00:00 China time on day number `day`.
pub fn day_start(day: i64) -> i64 {
    day * DAY_MS - CHINA_OFFSET_MS
}

/// Epoch ms of 00:00 China time of the day holding `ms`.
pub fn china_midnight(ms: i64) -> i64 {
    day_start(china_day(ms))
}

/// `2026-11-22` of an epoch ms (China time).
pub fn day_text(ms: i64) -> String {
    let t = ChinaTime::of_ms(ms);
    format!("{:04}-{:02}-{:02}", t.year, t.month, t.day)
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-22` → epoch ms of that day's 00:00 in China. Errors: 422 naming `field`.
pub fn parse_day(field: &str, text: &str) -> Result<i64, AppError> {
    let invalid = || AppError::invalid(field, "请输入日期，例如 2026-11-01");
    let mut parts = text.trim().splitn(3, '-');
    let mut next = || -> Result<i64, AppError> {
        parts
            .next()
            .and_then(|p| p.parse::<i64>().ok())
            .ok_or_else(invalid)
    };
    let (y, m, d) = (next()?, next()?, next()?);
    if !(2000..=2100).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(invalid());
    }
    let days = days_from_civil(y, m, d);
    let ms = day_start(days);
    // 2026-02-30 would silently become 03-02
    let t = ChinaTime::of_ms(ms);
    if (t.year, t.month, t.day) != (y, m, d) {
        return Err(invalid());
    }
    Ok(ms)
}

/// `2026-12-01T10:00` (a `datetime-local` input), `2026-12-01 10:00` or `2026-12-01` (00:00)
/// → epoch ms, read as China time. Errors: 422 naming `field`.
pub fn parse_minute(field: &str, text: &str) -> Result<i64, AppError> {
    let invalid = || AppError::invalid(field, "请输入时间，例如 2026-12-01 10:00");
    let text = text.trim();
    let (day, clock) = match text.split_once(['T', ' ']) {
        Some((d, c)) => (d, Some(c.trim())),
        None => (text, None),
    };
    let midnight = parse_day(field, day).map_err(|_| invalid())?;
    let Some(clock) = clock else {
        return Ok(midnight);
    };
    let mut parts = clock.splitn(3, ':');
    let mut next = || parts.next().map(|p| p.parse::<i64>().ok());
    let (h, m) = match (next(), next()) {
        (Some(Some(h)), Some(Some(m))) => (h, m),
        _ => return Err(invalid()),
    };
    // seconds, when a browser sends them, are ignored
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return Err(invalid());
    }
    Ok(midnight + (h * 60 + m) * 60_000)
}

/// A date-time in China time (UTC+8), e.g. `2026-11-22 13:05`.
pub fn datetime_text(ms: i64) -> String {
    let t = ChinaTime::of_ms(ms);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute
    )
}

/// `2026-12-01T10:00` of an epoch ms (China time): the value of a `datetime-local` input.
pub fn minute_text(ms: i64) -> String {
    let t = ChinaTime::of_ms(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute
    )
}

/// A moment in China time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChinaTime {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
}

impl ChinaTime {
    pub fn of_ms(ms: i64) -> Self {
        let secs = ms.div_euclid(1000) + 8 * 3600;
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        // civil-from-days (Howard Hinnant's algorithm)
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        ChinaTime {
            year: yoe + era * 400 + i64::from(month <= 2),
            month,
            day,
            hour: rem / 3600,
            minute: rem % 3600 / 60,
            second: rem % 60,
        }
    }

    /// `20261122130507`, the leading digits of order numbers.
    pub fn compact(&self) -> String {
        format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `2026-11-22T13:05:07+08:00` (RFC 3339, as WeChat Pay's `time_expire` wants it).
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_ms_reads_as_china_time() {
        // 2026-11-22T05:05:07Z is 13:05:07 in China
        let t = ChinaTime::of_ms(1_795_323_907_000);
        assert_eq!(t.compact(), "20261122130507");
        assert_eq!(t.rfc3339(), "2026-11-22T13:05:07+08:00");
        assert_eq!(ChinaTime::of_ms(0).compact(), "19700101080000");
    }

    #[test]
    fn typed_times_read_as_china_time() {
        let day = parse_day("d", "2026-12-01").unwrap();
        assert_eq!(day_text(day), "2026-12-01");
        assert_eq!(ChinaTime::of_ms(day).hour, 0);
        let at = parse_minute("t", "2026-12-01T10:05").unwrap();
        assert_eq!(at - day, (10 * 60 + 5) * 60_000);
        assert_eq!(parse_minute("t", "2026-12-01 10:05:30").unwrap(), at);
        assert_eq!(parse_minute("t", "2026-12-01").unwrap(), day);
        assert_eq!(minute_text(at), "2026-12-01T10:05");
        for bad in [
            "",
            "2026-12-01T24:00",
            "2026-12-01T10",
            "2026-02-30",
            "明天",
            "2026-12-01Tab:cd",
        ] {
            let e = parse_minute("claim_from", bad).unwrap_err();
            assert!(
                matches!(e, AppError::Invalid { ref field, .. } if field == "claim_from"),
                "{bad}"
            );
        }
    }
}
