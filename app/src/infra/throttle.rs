//! Rate limits: sign-in attempts per client address and failed attempts per account
//! ([`LoginThrottle`]), and plain counts per key such as uploads per account ([`RateLimit`]).
//!
//! Fixed windows kept in memory per instance. Past one instance this moves to Redis behind the
//! same calls.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::AppError;
use crate::infra::config::LoginLimits;

#[derive(Debug)]
pub struct LoginThrottle {
    limits: LoginLimits,
    windows: Mutex<HashMap<String, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    count: u32,
}

impl LoginThrottle {
    pub fn new(limits: LoginLimits) -> Self {
        Self {
            limits,
            windows: Mutex::new(HashMap::new()),
        }
    }

    fn window(&self) -> Duration {
        Duration::from_secs(self.limits.window_secs)
    }

    /// Counts one attempt from `ip` and refuses it if `ip` or `account` is over its limit.
    pub fn admit(&self, ip: &str, account: &str) -> Result<(), AppError> {
        let now = Instant::now();
        let window = self.window();
        let mut map = self.windows.lock().expect("throttle lock");
        if map.len() > 100_000 {
            map.retain(|_, w| now.duration_since(w.started) < window);
        }
        let failures = current(&map, &account_key(account), now, window);
        if failures >= self.limits.max_failures_per_account {
            let minutes = self.limits.window_secs.div_ceil(60);
            return Err(AppError::TooManyRequests(format!(
                "密码错误次数过多，账号已临时锁定，请{minutes}分钟后再试"
            )));
        }
        let attempts = bump(&mut map, format!("ip:{ip}"), now, window);
        if attempts > self.limits.max_attempts_per_ip {
            return Err(AppError::TooManyRequests(
                "登录尝试过于频繁，请稍后再试".into(),
            ));
        }
        Ok(())
    }

    pub fn record_failure(&self, account: &str) {
        let mut map = self.windows.lock().expect("throttle lock");
        bump(
            &mut map,
            account_key(account),
            Instant::now(),
            self.window(),
        );
    }

    pub fn record_success(&self, account: &str) {
        self.windows
            .lock()
            .expect("throttle lock")
            .remove(&account_key(account));
    }
}

/// At most `limit` events per key in each fixed window.
#[derive(Debug)]
pub struct RateLimit {
    limit: u32,
    window: Duration,
    windows: Mutex<HashMap<String, Window>>,
}

impl RateLimit {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one event of `key`; `false` when the key is over its limit in this window.
    pub fn hit(&self, key: &str) -> bool {
        let now = Instant::now();
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, w| now.duration_since(w.started) < self.window);
        }
        bump(&mut map, key.to_string(), now, self.window) <= self.limit
    }
}

fn account_key(account: &str) -> String {
    format!("acct:{account}")
}

fn current(map: &HashMap<String, Window>, key: &str, now: Instant, window: Duration) -> u32 {
    match map.get(key) {
        Some(w) if now.duration_since(w.started) < window => w.count,
        _ => 0,
    }
}

fn bump(map: &mut HashMap<String, Window>, key: String, now: Instant, window: Duration) -> u32 {
    let w = map.entry(key).or_insert(Window {
        started: now,
        count: 0,
    });
    if now.duration_since(w.started) >= window {
        *w = Window {
            started: now,
            count: 0,
        };
    }
    w.count += 1;
    w.count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle(per_account: u32, per_ip: u32) -> LoginThrottle {
        LoginThrottle::new(LoginLimits {
            max_failures_per_account: per_account,
            max_attempts_per_ip: per_ip,
            window_secs: 600,
        })
    }

    #[test]
    fn account_locks_after_failures_and_success_resets() {
        let t = throttle(3, 100);
        for _ in 0..2 {
            t.admit("1.1.1.1", "a").unwrap();
            t.record_failure("a");
        }
        t.record_success("a");
        for _ in 0..3 {
            t.admit("1.1.1.1", "a").unwrap();
            t.record_failure("a");
        }
        let err = t.admit("2.2.2.2", "a").unwrap_err();
        assert!(matches!(err, AppError::TooManyRequests(_)));
        assert!(t.admit("2.2.2.2", "b").is_ok(), "other accounts unaffected");
    }

    #[test]
    fn a_rate_limit_counts_per_key_and_window() {
        let r = RateLimit::new(2, Duration::from_secs(600));
        assert!(r.hit("a") && r.hit("a"));
        assert!(!r.hit("a"), "the third in the window is refused");
        assert!(r.hit("b"), "other keys unaffected");
        let short = RateLimit::new(1, Duration::ZERO);
        assert!(
            short.hit("a") && short.hit("a"),
            "a new window starts afresh"
        );
    }

    #[test]
    fn address_is_limited_across_accounts() {
        let t = throttle(100, 3);
        for i in 0..3 {
            t.admit("9.9.9.9", &format!("u{i}")).unwrap();
        }
        assert!(t.admit("9.9.9.9", "u9").is_err());
        assert!(t.admit("8.8.8.8", "u9").is_ok());
    }
}
