//! The Jishi HTTP server: Leptos pages and server functions, the mini-program JSON API
//! (`/api/mp/v1`), operations endpoints, and the wiring of state, sessions and middleware.

pub mod http;
pub mod listen;
pub mod sessions;
pub mod startup;
