//! Use cases. The Leptos server functions and the mini-program REST API both call these; no rule
//! is written anywhere else.

pub mod accounts;
pub mod applications;
pub mod bench_catalog;
pub mod catalog;
pub mod categories;
pub mod demo;
pub mod demo_products;
pub mod merchants;
pub mod mp_auth;
pub mod products;
pub mod search;
pub mod storefront;
pub mod uploads;
pub mod wechat;
