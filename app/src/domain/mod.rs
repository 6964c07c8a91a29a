//! Pure business rules: no I/O, compiled for the server and the browser alike.

pub mod account;
pub mod catalog;
