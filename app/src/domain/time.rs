//! Calendar time in China (UTC+8) from stored epoch milliseconds, without a time-zone database.

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
}
