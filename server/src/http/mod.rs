//! The router: every HTTP entry point of Jishi, and the middleware around them.

mod assets;
mod bodies;
mod caching;
mod csrf;
mod exports;
mod guard;
mod media;
mod metrics;
pub mod mp;
mod ops;
mod pay;
mod render_slots;
mod security_headers;
mod server_fn_status;
pub mod visits;

use std::sync::OnceLock;

use app::state::AppState;
use app::{shell, App};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::compression::CompressionLayer;

/// The pages' routes, generated once per process. Generating them runs the app with resource
/// loading suppressed process-wide (leptos_server's `SuppressResourceLoad`, leptos issue
/// #4773): a page that another router of the same process (the tests build many) began to
/// render meanwhile would wait forever for its data.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The complete application router (tests use it as is).
pub async fn router(st: AppState) -> Result<Router, String> {
    let routes = page_routes();
    let leptos = Router::new()
        .leptos_routes_with_context(
            &st,
            routes,
            {
                let st = st.clone();
                move || provide_context(st.clone())
            },
            {
                let (options, bundles) = (st.leptos_options.clone(), st.bundles.clone());
                move || shell(options.clone(), bundles.clone())
            },
        )
        // page renders wait for a render slot (routes only: static files in the fallback don't)
        .route_layer(from_fn(render_slots::pages_only))
        .route_layer(from_fn(server_fn_status::from_app_error))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>({
            let bundles = st.bundles.clone();
            move |options| shell(options, bundles.clone())
        }))
        // Console pages need the right realm; checked before anything renders.
        .layer(from_fn_with_state(st.clone(), guard::console_pages));

    let app = Router::new()
        .nest("/api/mp/v1", mp::router())
        .merge(ops::router())
        .merge(pay::router())
        .merge(exports::router())
        .merge(media::router(&st))
        .merge(assets::router(&st))
        .merge(leptos)
        .with_state(st.clone())
        .layer(from_fn(csrf::same_origin_writes));
    let app = crate::sessions::with_sessions(app, &st).await?;
    metrics::install();
    Ok(app
        .layer(from_fn_with_state(st.clone(), visits::count))
        .layer(from_fn(bodies::read_first))
        .layer(from_fn(caching::by_kind))
        .layer(from_fn(security_headers::add))
        // pages, API answers and exports, brotli or gzip by the request's Accept-Encoding
        // (images and the precompressed bundle pass as they are)
        .layer(CompressionLayer::new())
        .layer(from_fn(metrics::track)))
}
