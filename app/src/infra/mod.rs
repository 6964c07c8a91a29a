//! Server-side plumbing shared by every service: configuration, database, crypto, sessions.

pub mod clock;
pub mod config;
pub mod crypto;
pub mod dashboard_cache;
pub mod db;
pub mod flash_gate;
pub mod imaging;
pub mod media;
pub mod net;
pub mod numbers;
pub mod payments;
pub mod security_headers;
pub mod session;
pub mod throttle;
pub mod visit_counter;
pub mod wechat;
