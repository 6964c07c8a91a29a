//! All server integration tests in one binary: one link instead of one per file, and one
//! target directory a fraction of the size.

#[macro_use]
mod common;

mod activities_over_http;
mod activity_props;
mod after_sale_props;
mod audit_trail;
mod auth;
mod categories;
mod checkout_sums;
mod coupons;
mod coupons_over_http;
mod dashboards;
mod delivery;
mod finance;
mod flash_sales;
mod group_buys;
mod guards;
mod hardening;
mod hostile_text;
mod isolation;
mod ledger_props;
mod marketing_consoles;
mod mp_auth;
mod mp_buying;
mod onboarding;
mod ops;
mod orders;
mod people;
mod presale_deposits;
mod presales;
mod product_review;
mod products;
mod reviews;
mod schema_drift;
mod slow_clients;
mod state_machines;
mod storefront;
mod subscriptions;
mod uploads;
mod visits;
mod wechat_pay;
