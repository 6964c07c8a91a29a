//! Data the mall is started with: the demo marketplace (`demo`, `demo_products`: admins, shops,
//! products, promotions (`demo_promotions`), shoppers and their orders and reviews
//! (`demo_reviews`), and months of marketplace life (`demo_history`), so every page, report and
//! chart shows something on first start) and the bench marketplace (`bench`: many shops and products for load runs). Seeding goes through the
//! same services and repositories as real use.

pub mod bench;
pub mod demo;
pub mod demo_history;
pub mod demo_products;
pub mod demo_promotions;
pub mod demo_reviews;
