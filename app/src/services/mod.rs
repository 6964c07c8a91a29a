//! Use cases. The Leptos server functions and the mini-program REST API both call these; no rule
//! is written anywhere else.

pub mod accounts;
pub mod addresses;
pub mod admins;
pub mod after_sales;
pub mod applications;
pub mod audit_trail;
pub mod cart;
pub mod categories;
pub mod checkout;
pub mod coupon_gifts;
pub mod coupons;
pub mod dashboards;
pub mod finance_reports;
pub mod flash_sales;
pub mod full_reductions;
pub mod group_buys;
pub mod group_seats;
pub mod jobs;
pub mod ledger;
pub mod marketing_pages;
pub mod merchants;
pub mod mp_auth;
pub mod orders;
pub mod payments;
pub mod people;
pub mod products;
pub mod reviews;
pub mod search;
pub mod settlement;
pub mod shipping;
pub mod storefront;
pub mod subscriptions;
pub mod uploads;
pub mod visits;
