//! SQL, and only SQL: one module per aggregate, portable across SQLite and PostgreSQL.
//! Services call these; nothing above this layer writes a query.

pub mod accounts;
pub mod addresses;
pub mod after_sales;
pub mod applications;
pub mod audit;
pub mod cart;
pub mod catalog;
pub mod images;
pub mod merchants;
pub mod orders;
pub mod payments;
pub mod products;
pub mod shipping;
