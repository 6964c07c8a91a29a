//! Stored images under `/media/`. Their names are content hashes, so a file never changes and
//! is kept for good (`caching`).

use std::path::Path;

use app::state::AppState;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;

pub fn router(st: &AppState) -> Router<AppState> {
    let dir = Path::new(&st.config.data_dir).join("media");
    let service = ServiceBuilder::new()
        .layer(super::caching::forever())
        .service(ServeDir::new(dir));
    Router::new().nest_service("/media", service)
}
