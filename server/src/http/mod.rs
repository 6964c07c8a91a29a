//! The router: every HTTP entry point of Jishi, and the middleware around them.

mod csrf;
mod exports;
mod guard;
mod media;
mod metrics;
pub mod mp;
mod ops;
mod pay;

use app::infra::state::AppState;
use app::{shell, App};
use axum::middleware::from_fn;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::limit::GlobalConcurrencyLimitLayer;

fn render_slots() -> usize {
    std::thread::available_parallelism().map_or(4, |n| n.get() * 2)
}

/// The complete application router (tests use it as is).
pub async fn router(st: AppState) -> Result<Router, String> {
    let routes = generate_route_list(App);
    let leptos = Router::new()
        .leptos_routes_with_context(
            &st,
            routes,
            {
                let st = st.clone();
                move || provide_context(st.clone())
            },
            {
                let options = st.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Console pages need the right realm; checked before anything renders.
        .layer(from_fn(guard::console_pages))
        // Rendering is CPU work: more pages in flight than cores only adds memory (each holds
        // its half-built page), so the rest wait their turn.
        .layer(GlobalConcurrencyLimitLayer::new(render_slots()));

    let app = Router::new()
        .nest("/api/mp/v1", mp::router())
        .merge(ops::router())
        .merge(pay::router())
        .merge(exports::router())
        .merge(media::router(&st))
        .merge(leptos)
        .with_state(st.clone())
        .layer(from_fn(csrf::same_origin_writes));
    let app = crate::sessions::with_sessions(app, &st).await?;
    metrics::install();
    Ok(app.layer(from_fn(metrics::track)))
}
