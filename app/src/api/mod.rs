//! Server functions: the Leptos UIs' door to the services. Each one checks who is calling
//! (`infra::session::require`) before doing anything, and runs inside `respond` so errors carry
//! their HTTP status.

pub mod admin_catalog;
pub mod auth;
pub mod overview;
