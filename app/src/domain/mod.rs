//! Pure business rules: no I/O, compiled for the server and the browser alike.

pub mod account;
pub mod address;
pub mod after_sale;
pub mod cart;
pub mod category;
pub mod coupon;
pub mod coupon_form;
pub mod full_reduction;
pub mod full_reduction_form;
pub mod ledger;
pub mod merchant;
pub mod money;
pub mod named;
pub mod order;
pub mod order_view;
pub mod permission;
pub mod pricing;
pub mod product;
pub mod product_editor;
pub mod reader;
pub mod settlement;
pub mod shipping;
pub mod state_machine;
pub mod storefront;
pub mod stray_payment;
pub mod time;
