//! Stored images under `/media/`. Their names are content hashes, so a file never changes and
//! browsers may keep it for a year without asking again.

use std::path::Path;

use app::state::AppState;
use axum::Router;
use http::header::CACHE_CONTROL;
use http::{HeaderValue, Response};
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router(st: &AppState) -> Router<AppState> {
    let dir = Path::new(&st.config.data_dir).join("media");
    let immutable = |res: &Response<_>| {
        res.status()
            .is_success()
            .then(|| HeaderValue::from_static("public, max-age=31536000, immutable"))
    };
    let service = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(CACHE_CONTROL, immutable))
        .service(ServeDir::new(dir));
    Router::new().nest_service("/media", service)
}
