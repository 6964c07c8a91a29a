//! Pure business rules: no I/O, compiled for the server and the browser alike.

pub mod account;
pub mod catalog;
pub mod merchant;
pub mod money;
pub mod product;
pub mod storefront;
