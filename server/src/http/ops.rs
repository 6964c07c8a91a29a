//! Operations endpoints: liveness, readiness (database reachable) and Prometheus metrics.

use std::net::SocketAddr;

use app::error::AppError;
use app::infra::config::MetricsAccess;
use app::infra::net::client_ip;
use app::state::AppState;
use axum::extract::{ConnectInfo, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Extension;
use axum::Router;
use http::HeaderMap;
use http::StatusCode;
use secrecy::ExposeSecret;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

async fn readyz(State(st): State<AppState>) -> impl IntoResponse {
    match st.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!("readiness: database unreachable: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

async fn metrics(
    State(st): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
) -> Response {
    if !may_scrape(
        &st.config.metrics,
        &headers,
        peer.map(|p| p.0 .0),
        st.config.trust_forwarded_for,
    ) {
        return AppError::forbidden().into_response();
    }
    (
        [(http::header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        super::metrics::install().render(),
    )
        .into_response()
}

/// `[metrics]` in the configuration: open while neither `allow` nor `token` is set.
fn may_scrape(
    access: &MetricsAccess,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trust_forwarded_for: bool,
) -> bool {
    if access.allow.is_empty() && access.token.is_none() {
        return true;
    }
    let ip = client_ip(headers, peer, trust_forwarded_for);
    if access.allow.iter().any(|a| a == &ip) {
        return true;
    }
    let bearer = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match (&access.token, bearer) {
        (Some(token), Some(given)) => {
            // constant time: the token is a secret
            let (a, b) = (token.expose_secret().as_bytes(), given.trim().as_bytes());
            a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
        }
        _ => false,
    }
}
