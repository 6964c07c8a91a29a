//! The front-end bundle under `/pkg/`. `scripts/build.sh` names its files after their content
//! and writes a brotli (`.br`) and a gzip (`.gz`) copy beside each, so a file is sent compressed
//! as the browser's `Accept-Encoding` allows without compressing it on every request, and is
//! kept for good (`caching`).

use std::path::Path;

use app::state::AppState;
use axum::Router;
use http::header::VARY;
use http::HeaderValue;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router(st: &AppState) -> Router<AppState> {
    let dir = Path::new(&st.config.site_root).join("pkg");
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let service = ServiceBuilder::new()
        .layer(super::caching::forever())
        // which copy was sent depends on Accept-Encoding: caches must keep one per encoding
        .layer(SetResponseHeaderLayer::if_not_present(
            VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
        .service(files);
    Router::new().nest_service("/pkg", service)
}
