//! Jishi (集市): the Leptos app (H5 shop, merchant console, admin console), its server functions,
//! the shared types and the business rules. Persistence and services compile only with `ssr`.

// Deeply nested view types (long forms) need more than the default 128.
#![recursion_limit = "256"]

/// Runs a server function's body inside `infra::session::respond`, so its error carries the
/// right HTTP status (or, for a plain form post, goes back to the form).
#[cfg(feature = "ssr")]
macro_rules! session_respond {
    ($body:block) => {
        crate::infra::session::respond(async move $body).await
    };
}

pub mod api;
pub mod domain;
pub mod error;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod infra;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod services;
/// The composition root: every layer's parts wired into one `AppState`.
#[cfg(feature = "ssr")]
pub mod state;

#[cfg(test)]
mod layers;

#[cfg(feature = "ssr")]
pub use ui::{shell, App};

/// The browser entry point of an islands bundle (this crate compiled for wasm with `hydrate`,
/// by scripts/build.sh). Pages are rendered on the server and work without it; the page's
/// loader (`ui/islands.js`) calls this, then each island's own export (`#[island]` components:
/// the image picker, the password toggle, the console editors).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
